#include <stdlib.h>
#include "cart.h"
#include "fatal.h"

struct cart *cart_new(int n)
{
	struct cart *c = malloc(sizeof *c);
	c->items = calloc(n, sizeof *c->items);
	c->n = n;
	for (int i = 0; i < n; i++) {
		c->items[i].price = 100 + i;
		c->items[i].qty = 1 + i % 3;
	}
	return c;
}

void cart_free(struct cart *c)
{
	free(c->items);
}

static inline int item_price(const struct item *it)
{
	if (it->qty < 0)
		fatal("negative quantity");
	return it->price * it->qty;
}

int cart_total(const struct cart *c)
{
	int total = 0;
	for (int i = 0; i < c->n; i++)
		total += item_price(&c->items[i]);
	return total;
}
