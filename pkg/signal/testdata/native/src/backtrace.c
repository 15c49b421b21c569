/* A crash handler printing glibc's backtrace_symbols_fd output: store
 * writes through a NULL pointer. Build with -rdynamic for symbol names. */
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void on_crash(int sig)
{
	void *frames[32];
	int n = backtrace(frames, 32);
	fprintf(stderr, "caught signal %d, backtrace:\n", sig);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	_exit(128 + sig);
}

void store(int *slot, int v)
{
	*slot = v; /* @crash */
}

void record(int *slots, int i, int v)
{
	store(i < 0 ? NULL : &slots[i], v);
}

int main(int argc, char **argv)
{
	(void)argv;
	int slots[4];
	signal(SIGSEGV, on_crash);
	record(slots, -argc, 3);
	printf("%d\n", slots[0]);
	return 0;
}
