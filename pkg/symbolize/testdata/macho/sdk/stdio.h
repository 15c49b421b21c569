/* Minimal declarations standing in for the macOS SDK (none is installed). */
#include <stddef.h>
typedef struct __sFILE FILE;
extern FILE *__stderrp;
#define stderr __stderrp
int printf(const char *, ...);
int fprintf(FILE *, const char *, ...);
