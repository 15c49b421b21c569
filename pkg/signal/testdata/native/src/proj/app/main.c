/* Pushes more values than the ring holds. */
#include <stdio.h>
#include "../lib/ring.h"

static void fill(struct ring *r, int n)
{
	for (int i = 0; i < n; i++)
		ring_push(r, i); /* @fill */
}

int main(void)
{
	struct ring *r = ring_new(4);
	fill(r, 6);
	printf("%zu\n", r->head);
	ring_free(r);
	return 0;
}
