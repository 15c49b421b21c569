package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

const (
	sentryToken      = "sntryu_cli-test-token-0123456789abcdef"
	sentryEventsOnly = "sntryu_cli-events-only-0123456789"
)

// sentryEnv is one test's environment: a Sentry double, a config folder
// with an encrypted file store, and the variables a process would see.
type sentryEnv struct {
	t   *testing.T
	srv *sentrytest.Server
	env map[string]string
	dir string
}

func newSentryEnv(t *testing.T) *sentryEnv {
	t.Helper()
	srv := sentrytest.NewServer(sentrytest.Options{})
	t.Cleanup(srv.Close)
	srv.AddToken(sentryToken, sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	srv.AddToken(sentryEventsOnly, sentrytest.Token{Scopes: []string{"event:read"}})
	srv.AddOrg("acme")
	srv.AddRepo(sentrytest.Repo{Org: "acme", Name: "acme/checkout-api"})
	dir := filepath.Join(t.TempDir(), "config")
	return &sentryEnv{t: t, srv: srv, dir: dir, env: map[string]string{
		"SIGSENTRY_CONFIG_DIR":            dir,
		"SIGSENTRY_CACHE_DIR":             filepath.Join(dir, "..", "cache"),
		"SIGSENTRY_CREDENTIAL_STORE":      "file",
		"SIGSENTRY_CREDENTIAL_PASSPHRASE": "test passphrase",
		"SENTRY_URL":                      srv.URL(),
	}}
}

type runResult struct {
	code        int
	out, errOut string
}

func (e *sentryEnv) run(stdin string, args ...string) runResult {
	e.t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	f := NewFactory(ios)
	f.Getenv = func(k string) string { return e.env[k] }
	code := Run(context.Background(), f, args)
	return runResult{code, out.String(), errOut.String()}
}

func TestAuthSentryStoresAVerifiedToken(t *testing.T) {
	e := newSentryEnv(t)
	r := e.run(sentryToken+"\n", "auth", "sentry", "--org", "acme", "--token-stdin")
	if r.code != 0 {
		t.Fatalf("auth sentry: exit %d: %s", r.code, r.errOut)
	}
	for _, want := range []string{"checked against organization acme on " + e.srv.URL(), "encrypted credential file", "acme/checkout-api", "sentry.projects"} {
		if !strings.Contains(r.errOut, want) {
			t.Errorf("stderr %q does not say %q", r.errOut, want)
		}
	}
	if n := e.srv.CountRequests("/api/0/organizations/acme/repos/"); n != 1 {
		t.Errorf("verification: %d requests to /repos/, want 1", n)
	}
	chain, err := credstore.OpenSentry(func(k string) string { return e.env[k] }, e.dir)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := chain.Active()
	if err != nil || cred.Secret != sentryToken || cred.Org != "acme" || cred.URL != e.srv.URL() || cred.Source != credstore.SourceFile {
		t.Fatalf("stored: got %+v, %v", cred, err)
	}
	if _, err := os.Stat(filepath.Join(e.dir, credstore.FileName)); err == nil {
		t.Error("storing the Sentry token wrote the Bitbucket credential file")
	}

	// Status shows it without a request, and checks it when asked.
	e.srv.ResetRequests()
	st := e.run("", "auth", "status", "-o", "json")
	var status struct {
		Sentry struct {
			Configured bool
			Source     string
			Org, URL   string
			Check      *struct{ OK bool }
		}
	}
	if err := json.Unmarshal([]byte(st.out), &status); err != nil {
		t.Fatalf("status JSON %q: %v", st.out, err)
	}
	if !status.Sentry.Configured || status.Sentry.Source != "file" || status.Sentry.Org != "acme" || status.Sentry.URL != e.srv.URL() || status.Sentry.Check != nil {
		t.Errorf("status: got %+v", status.Sentry)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("status without --check-sentry made %d Sentry requests", n)
	}
	if st.code != 4 { // no Bitbucket credential
		t.Errorf("status: exit %d, want 4 (no Bitbucket credential)", st.code)
	}
	st = e.run("", "auth", "status", "--check-sentry")
	if !strings.Contains(st.out, "sentry check") || !strings.Contains(st.out, "ok") || e.srv.CountRequests("/api/0/organizations/acme/repos/") != 1 {
		t.Errorf("status --check-sentry: %s %s", st.out, st.errOut)
	}

	// Revoke removes it and says where to finish.
	rv := e.run("", "revoke")
	if rv.code != 0 || !strings.Contains(rv.errOut, "Removed the stored Sentry token from the encrypted credential file") ||
		!strings.Contains(rv.errOut, "/settings/account/api/auth-tokens/") || !strings.Contains(rv.errOut, "/settings/acme/auth-tokens/") {
		t.Errorf("revoke: exit %d: %s", rv.code, rv.errOut)
	}
	if _, err := chain.Active(); err == nil {
		t.Error("the Sentry token survived revoke")
	}
	if rv := e.run("", "revoke"); rv.code != 0 || strings.Contains(rv.errOut, "Sentry token") {
		t.Errorf("revoke again: exit %d: %s", rv.code, rv.errOut)
	}
}

func TestAuthSentryFailures(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		env   map[string]string
		code  int
		want  []string
	}{
		{"wrong token", "sntryu_wrong\n", []string{"--org", "acme", "--token-stdin"}, nil, 4, []string{"Invalid token", "Personal Tokens"}},
		{"no org:read", sentryEventsOnly, []string{"--org", "acme", "--token-stdin"}, nil, 4, []string{"org:read", "member of acme"}},
		{"unknown org", sentryToken, []string{"--org", "nope", "--token-stdin"}, nil, 1, []string{"organization nope does not exist"}},
		{"no org", sentryToken, []string{"--token-stdin"}, nil, 2, []string{"--org"}},
		{"org from SENTRY_ORG", sentryToken, []string{"--token-stdin"}, map[string]string{"SENTRY_ORG": "acme"}, 0, []string{"organization acme"}},
		{"bad org", sentryToken, []string{"--org", "Acme Inc", "--token-stdin"}, nil, 2, []string{"not a Sentry organization slug"}},
		{"plain http", sentryToken, []string{"--org", "acme", "--token-stdin", "--url", "http://sentry.example.com"}, nil, 2, []string{"plain http"}},
		{"env token set", sentryToken, []string{"--org", "acme", "--token-stdin"}, map[string]string{"SENTRY_AUTH_TOKEN": "sntryu_env"}, 1,
			[]string{"SENTRY_AUTH_TOKEN"}},
		{"empty token", "\n", []string{"--org", "acme", "--token-stdin"}, nil, 2, []string{"empty"}},
		{"no terminal", "", []string{"--org", "acme"}, nil, 2, []string{"--token-stdin"}},
		{"no passphrase", sentryToken, []string{"--org", "acme", "--token-stdin"}, map[string]string{"SIGSENTRY_CREDENTIAL_PASSPHRASE": ""}, 1,
			[]string{"SIGSENTRY_CREDENTIAL_PASSPHRASE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSentryEnv(t)
			for k, v := range tt.env {
				e.env[k] = v
			}
			r := e.run(tt.stdin, append([]string{"auth", "sentry"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.code, r.errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("stderr %q does not say %q", r.errOut, w)
				}
			}
			stored := tt.code == 0
			if _, err := os.Stat(filepath.Join(e.dir, credstore.SentryFileName)); (err == nil) != stored {
				t.Errorf("token file exists: %v, want %v", err == nil, stored)
			}
		})
	}
}

func TestSentryClientWiring(t *testing.T) {
	e := newSentryEnv(t)
	ios, _, _, _ := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(k string) string { return e.env[k] }
	if _, err := f.Sentry(""); err == nil || !strings.Contains(err.Error(), "no Sentry auth token") {
		t.Fatalf("Sentry without a token: got %v", err)
	}
	if r := e.run(sentryToken, "auth", "sentry", "--org", "acme", "--token-stdin"); r.code != 0 {
		t.Fatalf("auth sentry: %s", r.errOut)
	}
	delete(e.env, "SENTRY_URL") // the stored token's URL is the default now
	f = NewFactory(ios)
	f.Getenv = func(k string) string { return e.env[k] }
	base, org, err := f.SentryDefaults()
	if err != nil || base != e.srv.URL() || org != "acme" {
		t.Errorf("SentryDefaults: got %q %q %v", base, org, err)
	}
	c, err := f.Sentry("")
	if err != nil || c.BaseURL() != e.srv.URL() {
		t.Fatalf("Sentry(\"\"): got %v, %v", c, err)
	}
	if _, err := c.Repos(context.Background(), "acme"); err != nil {
		t.Errorf("the wired client: %v", err)
	}
	// A stored token is never sent to another Sentry.
	if _, err := f.Sentry("https://sentry.io"); err == nil || !strings.Contains(err.Error(), "stored Sentry token is for") {
		t.Errorf("Sentry(another host): got %v, want a refusal", err)
	}
	// The variable wins, and is not bound to a host.
	e.env["SENTRY_AUTH_TOKEN"] = "sntryu_from-env"
	e.env["SENTRY_ORG"] = "globex"
	f = NewFactory(ios)
	f.Getenv = func(k string) string { return e.env[k] }
	if _, org, _ := f.SentryDefaults(); org != "globex" {
		t.Errorf("SENTRY_ORG over the stored org: got %q", org)
	}
	if _, err := f.Sentry("https://sentry.io"); err != nil {
		t.Errorf("SENTRY_AUTH_TOKEN with another host: %v", err)
	}
}
