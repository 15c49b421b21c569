/* A ring buffer whose push forgets to wrap the write index. */
#include <stdlib.h>
#include "ring.h"

struct ring *ring_new(size_t cap)
{
	struct ring *r = malloc(sizeof *r);
	r->buf = calloc(cap, sizeof *r->buf); /* @alloc */
	r->cap = cap;
	r->head = 0;
	return r;
}

void ring_push(struct ring *r, int v)
{
	r->buf[r->head++] = v; /* @crash */
}

void ring_free(struct ring *r)
{
	free(r->buf);
	free(r);
}
