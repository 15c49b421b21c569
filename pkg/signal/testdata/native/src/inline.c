/* Inlined frames: with -O2 the helpers are inlined into checksum, which
 * reads past the end of its buffer. */
#include <stdio.h>
#include <stdlib.h>

static inline __attribute__((always_inline)) int byte_at(const unsigned char *p, size_t i)
{
	return p[i]; /* @crash */
}

static inline __attribute__((always_inline)) int mix(const unsigned char *p, size_t i)
{
	return byte_at(p, i) * 31 + (int)i; /* @mix */
}

__attribute__((noinline)) int checksum(const unsigned char *p, size_t n)
{
	int sum = 0;
	for (size_t i = 0; i <= n; i++)
		sum ^= mix(p, i); /* @checksum */
	return sum;
}

int main(int argc, char **argv)
{
	(void)argv;
	size_t n = 8 + (size_t)argc;
	unsigned char *p = calloc(n, 1);
	printf("%d\n", checksum(p, n));
	free(p);
	return 0;
}
