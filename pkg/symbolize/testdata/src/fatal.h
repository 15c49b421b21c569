#ifndef FATAL_H
#define FATAL_H

void fatal(const char *msg) __attribute__((noreturn));

#endif
