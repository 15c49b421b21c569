#ifndef RING_H
#define RING_H
#include <stddef.h>

struct ring {
	int *buf;
	size_t cap;
	size_t head;
};

struct ring *ring_new(size_t cap);
void ring_push(struct ring *r, int v);
void ring_free(struct ring *r);

#endif
