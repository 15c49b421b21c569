#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cart.h"

/* checkout totals a cart of n items. "uaf" frees the items first (a
   heap-use-after-free under AddressSanitizer); "negative" gives the
   second item a negative quantity (fatal prints a backtrace). */
int checkout(int n, const char *mode)
{
	struct cart *c = cart_new(n);
	if (strcmp(mode, "uaf") == 0)
		cart_free(c);
	else if (strcmp(mode, "negative") == 0)
		c->items[1].qty = -1;
	int total = cart_total(c);
	free(c);
	return total;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "uaf";
	printf("total %d\n", checkout(3, mode));
	return 0;
}
