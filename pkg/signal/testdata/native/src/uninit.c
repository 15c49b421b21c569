/* Use of an uninitialized value: make_scores leaves the last score unset
 * and best_score branches on it. */
#include <stdio.h>
#include <stdlib.h>

static int *make_scores(int n)
{
	int *s = malloc(n * sizeof *s); /* @alloc */
	for (int i = 0; i < n - 1; i++)
		s[i] = i * 3;
	return s;
}

static int best_score(const int *s, int n)
{
	int best = 0;
	for (int i = 0; i < n; i++)
		if (s[i] > best) /* @crash */
			best = s[i];
	return best;
}

int main(int argc, char **argv)
{
	(void)argv;
	int n = 4 + argc;
	int *s = make_scores(n);
	printf("%d\n", best_score(s, n));
	free(s);
	return 0;
}
