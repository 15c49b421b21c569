/* Minimal declarations standing in for the macOS SDK. */
int backtrace(void **, int);
void backtrace_symbols_fd(void *const *, int, int);
