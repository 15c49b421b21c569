// Package testenv lets tests that need a real outside tool (git, the Secret
// Service, Chromium, tmux) run where the tool is, be skipped on a bare
// machine with Go, and be required in CI.
//
// With SIGSENTRY_TEST_REQUIRE_ALL=1 (set by .ci/run) a missing tool fails
// the test instead of skipping it, so CI cannot go green by skipping.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// RequireAllEnv is the variable that turns skips into failures.
const RequireAllEnv = "SIGSENTRY_TEST_REQUIRE_ALL"

// Required reports whether missing tools must fail tests.
func Required() bool { return os.Getenv(RequireAllEnv) == "1" }

// Unavailable skips t, or fails it when tools are required, saying why.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("required by "+RequireAllEnv+"=1: "+format, args...)
	}
	t.Skipf("skipped (set "+RequireAllEnv+"=1 to require): "+format, args...)
}

// LookPath returns the path of a program, or skips/fails t when it is absent.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "%s is not installed", name)
	}
	return p
}

// Env returns the value of an opt-in variable, or skips/fails t when unset.
// Use it for tests that need a prepared environment, such as a running
// Secret Service (SIGSENTRY_TEST_KEYRING=1 inside dbus-run-session).
func Env(t testing.TB, name, why string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Unavailable(t, "%s is not set: %s", name, why)
	}
	return v
}
