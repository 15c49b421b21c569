/* Inlined frames in a debugger: weight is inlined into total_weight, which
 * meets a NULL item. */
#include <stdio.h>

struct item {
	const char *name;
	int weight;
};

static inline __attribute__((always_inline)) int weight(const struct item *it)
{
	volatile int probes = 0;
	probes++;
	return it->weight + probes; /* @crash */
}

__attribute__((noinline)) int total_weight(struct item *const *items, int n)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += weight(items[i]); /* @total */
	return sum;
}

int main(int argc, char **argv)
{
	(void)argv;
	struct item a = {"a", 3}, b = {"b", 4};
	struct item *items[] = {&a, argc > 3 ? &b : NULL, &b};
	printf("%d\n", total_weight(items, 3));
	return 0;
}
