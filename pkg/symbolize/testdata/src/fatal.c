#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "fatal.h"

void fatal(const char *msg)
{
	void *pcs[32];
	int n = backtrace(pcs, 32);

	fprintf(stderr, "fatal: %s\n", msg);
	backtrace_symbols_fd(pcs, n, STDERR_FILENO);
	abort();
}
