//go:build unix

package main

import "syscall"

// noCoreDumps sets the process's core-file size limit to zero, soft and
// hard, so that a crash or a forced dump (SIGQUIT or SIGABRT with
// GOTRACEBACK=crash, a signal sent by someone else) cannot write the
// process's memory, and the tokens in it, to disk. Children inherit the
// limit. Failure is ignored: it only leaves the limit as it was.
func noCoreDumps() { _ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}) }
