/* Undefined behaviour, chosen by the first argument: signed overflow,
 * shift, out-of-bounds index, null member access, misaligned load, and
 * division by zero. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct point {
	int x, y;
};

static int add_total(int total, int v)
{
	return total + v; /* @overflow */
}

static unsigned shift_mask(int bits)
{
	return 1 << bits; /* @shift */
}

static int pick(int i)
{
	int slots[4] = {1, 2, 3, 4};
	return slots[i]; /* @index */
}

static int point_x(struct point *p)
{
	return p->x; /* @null */
}

static int load_word(const char *buf)
{
	return *(const int *)(buf + 1); /* @misaligned */
}

static int ratio(int a, int b)
{
	return a / b; /* @div */
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "overflow";
	char buf[16] = {0};
	int r = 0;
	if (strcmp(what, "overflow") == 0 || strcmp(what, "all") == 0)
		r += add_total(INT_MAX, argc);
	if (strcmp(what, "shift") == 0 || strcmp(what, "all") == 0)
		r += (int)shift_mask(31 + argc);
	if (strcmp(what, "index") == 0 || strcmp(what, "all") == 0)
		r += pick(3 + argc);
	if (strcmp(what, "misaligned") == 0 || strcmp(what, "all") == 0)
		r += load_word(buf);
	if (strcmp(what, "div") == 0 || strcmp(what, "all") == 0)
		r += ratio(r, argc - 2);
	if (strcmp(what, "null") == 0)
		r += point_x(argc > 5 ? (struct point *)buf : NULL);
	printf("%d\n", r);
	return 0;
}
