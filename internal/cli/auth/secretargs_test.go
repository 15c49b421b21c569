package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/iostreams"
)

// A secret typed where an argument or a flag value goes is never repeated
// in the usage error, and the error says how to pass it instead.
func TestSecretsInArgumentsAreNotEchoed(t *testing.T) {
	const secret = "ATATT3xFfGF0-s3cr3t-t0k3n-value"
	tests := []struct {
		args []string
		how  string
	}{
		{[]string{"token", secret}, "--token-stdin"},
		{[]string{"token", "--repo", "acme/api", secret}, "--token-stdin"},
		{[]string{"token", "--token-stdin=" + secret}, "--token-stdin"},
		{[]string{"token", "-x" + secret}, "--token-stdin"},
		{[]string{"api-token", "--email", "x@y.z", secret}, "--token-stdin"},
		{[]string{"api-token", secret, "--email", "x@y.z"}, "--token-stdin"},
		{[]string{"api-token", "--email", "x@y.z", "--token-stdin=" + secret}, "--token-stdin"},
		{[]string{"app-password", "--username", "u", secret}, "--password-stdin"},
		{[]string{"app-password", "--username", "u", "--password-stdin=" + secret}, "--password-stdin"},
		{[]string{"login", secret}, "SIGSENTRY_OAUTH_CLIENT_SECRET"},
		{[]string{"login", "--callback-port=" + secret}, "SIGSENTRY_OAUTH_CLIENT_SECRET"},
		{[]string{"login", "--timeout", secret}, "SIGSENTRY_OAUTH_CLIENT_SECRET"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:1], " "), func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			cmd := NewCmd(&cmdutil.Factory{IO: ios})
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			var ee *cmdutil.ExitError
			if !errors.As(err, &ee) || ee.Code != cmdutil.ExitUsage {
				t.Fatalf("%q: got %v, want a usage error (exit 2)", tt.args, err)
			}
			if strings.Contains(err.Error(), secret[2:]) || strings.Contains(ee.Hint, secret[2:]) {
				t.Errorf("%q: the error shows the secret: %q (hint %q)", tt.args, err, ee.Hint)
			}
			if !strings.Contains(ee.Hint, tt.how) {
				t.Errorf("%q: got hint %q, want it to say %s", tt.args, ee.Hint, tt.how)
			}
		})
	}
}

func TestRedactFlagError(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`invalid argument "s3cret" for "--token-stdin" flag: strconv.ParseBool: parsing "s3cret": invalid syntax`,
			"invalid value for the --token-stdin flag (not shown)"},
		{`invalid argument "s3cret" for "-p, --callback-port" flag: strconv.ParseInt: parsing "s3cret": invalid syntax`,
			"invalid value for the -p, --callback-port flag (not shown)"},
		{"unknown shorthand flag: 'x' in -xs3cret", "unknown shorthand flag: 'x'"},
		{"flag needs an argument: 'r' in -r", "flag needs an argument: 'r'"},
		{"unknown flag: --token", "unknown flag: --token"},
		{"flag needs an argument: --repo", "flag needs an argument: --repo"},
		{"bad flag syntax: ---s3cret", "bad flag syntax (not shown)"},
		{"something new: s3cret", "something new (not shown)"},
	} {
		if got := redactFlagError(tt.in); got != tt.want {
			t.Errorf("redactFlagError(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
