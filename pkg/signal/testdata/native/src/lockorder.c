/* Lock order inversion: transfer takes accounts then audit, report takes
 * audit then accounts. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t accounts = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t audit = PTHREAD_MUTEX_INITIALIZER;
static int balance, entries;

static void transfer(int v)
{
	pthread_mutex_lock(&accounts);
	pthread_mutex_lock(&audit); /* @first */
	balance += v;
	entries++;
	pthread_mutex_unlock(&audit);
	pthread_mutex_unlock(&accounts);
}

static int report(void)
{
	int n;
	pthread_mutex_lock(&audit); /* @report */
	pthread_mutex_lock(&accounts); /* @crash */
	n = balance + entries;
	pthread_mutex_unlock(&accounts);
	pthread_mutex_unlock(&audit);
	return n;
}

static void *worker(void *arg)
{
	(void)arg;
	transfer(5);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("%d\n", report());
	return 0;
}
