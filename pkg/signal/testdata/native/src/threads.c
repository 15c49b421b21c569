/* A crash in one of several threads: the others wait on a condition
 * variable while parse_record dereferences a NULL field. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct record {
	const char *key;
	const char *value;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int done;

static void *idle_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!done)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static size_t parse_record(const struct record *r)
{
	return strlen(r->key) + strlen(r->value); /* @crash */
}

static void *parser(void *arg)
{
	const struct record *recs = arg;
	size_t total = 0;
	usleep(200000);
	for (int i = 0; i < 2; i++)
		total += parse_record(&recs[i]);
	return (void *)total;
}

int main(void)
{
	static const struct record recs[] = {{"a", "1"}, {"b", NULL}};
	pthread_t idle[2], p;
	for (int i = 0; i < 2; i++)
		pthread_create(&idle[i], NULL, idle_worker, NULL);
	pthread_create(&p, NULL, parser, (void *)recs);
	pthread_join(p, NULL);
	pthread_mutex_lock(&mu);
	done = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < 2; i++)
		pthread_join(idle[i], NULL);
	return 0;
}
