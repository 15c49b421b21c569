/* Minimal declarations standing in for the macOS SDK. */
int strcmp(const char *, const char *);
