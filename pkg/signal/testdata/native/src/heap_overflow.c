/* Heap buffer overflow: fill_table writes one element past the end. */
#include <stdio.h>
#include <stdlib.h>

static int *make_table(size_t n)
{
	return malloc(n * sizeof(int)); /* @alloc */
}

static void fill_table(int *t, size_t n)
{
	for (size_t i = 0; i <= n; i++)
		t[i] = (int)(i * i); /* @crash */
}

int main(int argc, char **argv)
{
	(void)argv;
	size_t n = 7 + (size_t)argc;
	int *t = make_table(n);
	fill_table(t, n);
	printf("%d\n", t[n - 1]);
	free(t);
	return 0;
}
