/* Use of an uninitialized stack variable: parse_flags sets flags only for
 * known options, and apply_flags branches on it. */
#include <stdio.h>
#include <string.h>

static void parse_flags(const char *opt, int *flags)
{
	if (strcmp(opt, "-v") == 0)
		*flags = 1;
}

static int apply_flags(int flags)
{
	if (flags & 1) /* @crash */
		return puts("verbose");
	return 0;
}

int main(int argc, char **argv)
{
	int flags; /* @origin */
	parse_flags(argc > 1 ? argv[1] : "-q", &flags);
	return apply_flags(flags) < 0;
}
