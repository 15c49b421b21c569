/* Double free: release_buffer is called twice on the same buffer. */
#include <stdlib.h>
#include <string.h>

struct buffer {
	char *data;
	size_t len;
};

static void release_buffer(struct buffer *b)
{
	free(b->data); /* @crash */
}

static int process(const char *text)
{
	struct buffer b;
	b.len = strlen(text);
	b.data = malloc(b.len + 1); /* @alloc */
	memcpy(b.data, text, b.len + 1);
	release_buffer(&b); /* @free */
	if (b.len > 3)
		release_buffer(&b);
	return 0;
}

int main(void)
{
	return process("payload");
}
