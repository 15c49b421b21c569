/* Data race: two workers increment a shared counter without a lock. */
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *worker(void *arg)
{
	int n = *(int *)arg;
	for (int i = 0; i < n; i++)
		counter++; /* @crash */
	return NULL;
}

static void start_workers(pthread_t *t, int nt, int *n)
{
	for (int i = 0; i < nt; i++)
		pthread_create(&t[i], NULL, worker, n); /* @create */
}

int main(void)
{
	pthread_t t[2];
	int n = 1000;
	start_workers(t, 2, &n);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%d\n", counter);
	return 0;
}
