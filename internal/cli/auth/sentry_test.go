package auth

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

// sentryFactory wires what `auth sentry` uses, as internal/cli does.
func sentryFactory(t *testing.T, ios *iostreams.IOStreams, env map[string]string) *cmdutil.Factory {
	t.Helper()
	f := &cmdutil.Factory{IO: ios, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	f.ConfigStore = func() (*config.Store, error) {
		return &config.Store{Dir: env["SIGSENTRY_CONFIG_DIR"], Getenv: f.Getenv}, nil
	}
	f.Config = func() (*config.Config, error) {
		s, _ := f.ConfigStore()
		return s.Load()
	}
	f.SentryCredentials = func() (*credstore.SentryChain, error) {
		return credstore.OpenSentry(f.Getenv, env["SIGSENTRY_CONFIG_DIR"])
	}
	f.SentryWith = func(base, token string) (*sentry.Client, error) {
		return sentry.New(sentry.Options{BaseURL: base, Token: token})
	}
	return f
}

// TestAuthSentryPrompt types the token at the echo-off prompt.
func TestAuthSentryPrompt(t *testing.T) {
	srv := sentrytest.NewServer(sentrytest.Options{})
	defer srv.Close()
	const token = "sntryu_typed-at-the-prompt-0123456789"
	srv.AddToken(token, sentrytest.Token{Scopes: []string{"org:read"}})
	srv.AddOrg("acme")
	dir := filepath.Join(t.TempDir(), "config")
	env := map[string]string{"SIGSENTRY_CONFIG_DIR": dir, "SIGSENTRY_CREDENTIAL_STORE": "file",
		"SIGSENTRY_CREDENTIAL_PASSPHRASE": "pass phrase", "SENTRY_URL": srv.URL(), "SENTRY_ORG": "acme"}
	ios, _, out, errOut := iostreams.Test()
	ios.SetTTY(true, true, true)
	f := sentryFactory(t, ios, env)
	var prompted string
	cmd := NewCmdSentry(f, func(ctx context.Context, o *SentryOptions) error {
		o.ReadPassword = func(p string) (string, error) { prompted = p; return token, nil }
		return sentryRun(ctx, o)
	})
	cmd.SetArgs(nil)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err != nil {
		t.Fatalf("auth sentry at a prompt: %v", err)
	}
	if prompted != "Sentry auth token: " {
		t.Errorf("got prompt %q", prompted)
	}
	if strings.Contains(out.String()+errOut.String(), token) {
		t.Error("the typed token was printed")
	}
	chain, _ := f.SentryCredentials()
	if cred, err := chain.Active(); err != nil || cred.Secret != token || cred.Org != "acme" {
		t.Errorf("stored: got %+v, %v", cred, err)
	}
}

func TestAuthSentryFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--org", "acme", "--url", "https://de.sentry.io"}, ""},
		{[]string{"--org", "ACME"}, "not a Sentry organization slug"},
		{[]string{"--url", "ftp://sentry.io"}, "scheme must be https"},
		{[]string{"--url", "http://10.1.2.3:9000"}, "plain http"},
		{[]string{"extra"}, "unknown command"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *SentryOptions
		cmd := NewCmdSentry(&cmdutil.Factory{IO: ios}, func(_ context.Context, o *SentryOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		err := cmd.Execute()
		if tt.wantErr == "" {
			if err != nil || got == nil || got.Org != "acme" || got.URL != "https://de.sentry.io" {
				t.Errorf("%v: got %+v, %v", tt.args, got, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%v: got %v, want an error saying %q", tt.args, err, tt.wantErr)
		}
	}
}
