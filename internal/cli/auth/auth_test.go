package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
)

func TestLoginFlags(t *testing.T) {
	tests := []struct {
		args     []string
		wantErr  bool
		wantPort int
		wantTime time.Duration
	}{
		{nil, false, 0, 5 * time.Minute},
		{[]string{"--callback-port", "8765", "--timeout", "30s", "--no-browser"}, false, 8765, 30 * time.Second},
		{[]string{"--callback-port", "70000"}, true, 0, 0},
		{[]string{"--timeout", "0s"}, true, 0, 0},
		{[]string{"--client-secret", "x"}, true, 0, 0}, // a secret is never a flag
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *LoginOptions
		cmd := NewCmdLogin(&cmdutil.Factory{IO: ios}, func(_ context.Context, o *LoginOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		err := cmd.Execute()
		if (err != nil) != tt.wantErr {
			t.Errorf("login %v: got error %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if err == nil && (got.CallbackPort != tt.wantPort || got.Timeout != tt.wantTime) {
			t.Errorf("login %v: got port %d timeout %s, want %d %s", tt.args, got.CallbackPort, got.Timeout, tt.wantPort, tt.wantTime)
		}
	}
}

func TestSecretFlagsDoNotExist(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: ios}
	for name, args := range map[string][]string{
		"api-token":    {"--token", "x"},
		"app-password": {"--password", "x"},
		"token":        {"--token", "x"},
		"sentry":       {"--token", "x"},
	} {
		cmd := NewCmd(f)
		cmd.SetArgs(append([]string{name}, args...))
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "unknown flag") {
			t.Errorf("%s %v: got %v, want unknown flag", name, args, err)
		}
	}
}

func TestReadSecret(t *testing.T) {
	prompt := func(s string) passwordReader { return func(string) (string, error) { return s, nil } }
	tests := []struct {
		name      string
		stdin     string
		fromStdin bool
		tty       bool
		prompted  string
		want      string
		wantCode  int
	}{
		{"stdin", "tok\n", true, false, "", "tok", 0},
		{"stdin crlf", "tok\r\n", true, false, "", "tok", 0},
		{"pasted with spaces", "  tok \t\n", true, false, "", "tok", 0},
		{"prompt with spaces", "", false, true, " typed ", "typed", 0},
		{"empty", "\n", true, false, "", "", cmdutil.ExitUsage},
		{"two lines", "a\nb\n", true, false, "", "", cmdutil.ExitUsage},
		{"prompt", "", false, true, "typed", "typed", 0},
		{"no tty no stdin flag", "", false, false, "", "", cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		ios, in, _, _ := iostreams.Test()
		in.WriteString(tt.stdin)
		ios.SetTTY(tt.tty, tt.tty, tt.tty)
		got, err := readSecret(ios, tt.fromStdin, "--token-stdin", "Token: ", prompt(tt.prompted))
		var ee *cmdutil.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.Code
		} else if err != nil {
			code = -1
		}
		if got != tt.want || code != tt.wantCode {
			t.Errorf("%s: got %q (exit %d), want %q (exit %d)", tt.name, got, code, tt.want, tt.wantCode)
		}
	}
}

func TestReadLineStopsAtNewline(t *testing.T) {
	r := strings.NewReader("me@example.com\nrest")
	got, err := readLine(r)
	if err != nil || got != "me@example.com" {
		t.Fatalf("readLine: got %q, %v", got, err)
	}
	if r.Len() != 4 {
		t.Errorf("readLine consumed past the newline: %d bytes left, want 4", r.Len())
	}
}

// The account's names come from the server: "Logged in as" shows their
// control characters as escapes, never raw.
func TestDescribeUserEscapesControls(t *testing.T) {
	u := &bitbucket.User{DisplayName: "Eve\x1b]52;c;ZXZpbA==\x07", Nickname: "eve\u202e"}
	got := describeUser(u)
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Fatalf("describeUser = %q: raw control characters", got)
	}
	if !strings.Contains(got, "Eve") || !strings.Contains(got, "eve") {
		t.Errorf("describeUser = %q, want both names", got)
	}
}
