#ifndef CART_H
#define CART_H

struct item {
	int price;
	int qty;
};

struct cart {
	struct item *items;
	int n;
};

struct cart *cart_new(int n);
void cart_free(struct cart *c);
int cart_total(const struct cart *c);

#endif
