/* Global buffer overflow: nth_prime reads past the end of a global table. */
#include <stdio.h>

static int primes[5] = {2, 3, 5, 7, 11};

static int nth_prime(int n)
{
	return primes[n]; /* @crash */
}

int main(int argc, char **argv)
{
	(void)argv;
	printf("%d\n", nth_prime(4 + argc));
	return 0;
}
