/* Minimal declarations standing in for the macOS SDK. */
#define STDERR_FILENO 2
