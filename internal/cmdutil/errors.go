// Package cmdutil holds what every command shares: the Factory type, the
// typed errors that decide exit codes, and small flag helpers.
package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, documented in the command-line contract.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
	ExitPartial = 3
	ExitAuth    = 4
)

// ExitError carries an exit code with the error that caused it.
type ExitError struct {
	Code int
	Err  error
	// Hint, if set, is printed after the error on its own line.
	Hint string
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// UsageErrorf is a usage error (exit 2): bad flags or arguments.
func UsageErrorf(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// AuthError marks err as an authentication failure (exit 4).
func AuthError(err error, hint string) error {
	return &ExitError{Code: ExitAuth, Err: err, Hint: hint}
}

// PartialError reports that some items failed and the others were done
// (exit 3). The per-item results have already been printed.
func PartialError(err error) error { return &ExitError{Code: ExitPartial, Err: err} }

// ErrSilent is returned when the error has been reported already; it exits 1.
var ErrSilent = errors.New("silent error")

// ErrCancel is returned when the user cancelled (Ctrl-C or a prompt); exit 1.
var ErrCancel = errors.New("cancelled")
