/* Stack use after return: remember keeps the address of a local variable
 * that recall reads after remember has returned. */
#include <stdio.h>

static int *saved;

static void remember(int v)
{
	int local = v;
	saved = &local;
}

static int recall(void)
{
	return *saved; /* @crash */
}

int main(void)
{
	remember(7);
	printf("%d\n", recall());
	return 0;
}
