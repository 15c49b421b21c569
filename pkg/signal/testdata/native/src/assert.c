/* Assertion failure: push checks the stack's capacity. */
#include <assert.h>
#include <stdio.h>

#define CAP 4

struct stack {
	int items[CAP];
	int len;
};

static void push(struct stack *s, int v)
{
	assert(s->len < CAP); /* @crash */
	s->items[s->len++] = v;
}

int main(void)
{
	struct stack s = {.len = 0};
	for (int i = 0; i < 6; i++)
		push(&s, i);
	printf("%d\n", s.len);
	return 0;
}
