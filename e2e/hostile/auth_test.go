package hostile_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

// Issue 10 item 1: plain-http OAuth to a host that is not loopback is
// refused before anything is shown or sent, for the login and for the
// refresh, from the environment and from config.yaml.
func TestPlainHTTPOAuthRefusedForLogin(t *testing.T) {
	tests := []struct {
		name   string
		env    func(w *world) string // the OAuth URL
		inFile bool
	}{
		{"unresolvable host", func(*world) string { return "http://example.invalid/site/oauth2" }, false},
		{"0.0.0.0 reaching the double", func(w *world) string { return zeroHost(w) }, false},
		{"[::] reaching the double", func(w *world) string { return strings.Replace(zeroHost(w), "0.0.0.0", "[::]", 1) }, false},
		{"config.yaml oauth_url", func(w *world) string { return zeroHost(w) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			w.oauthOnly()
			u := tt.env(w)
			if tt.inFile {
				delete(w.vars, "SIGSENTRY_BITBUCKET_OAUTH_URL")
				w.writeConfig("bitbucket:\n  oauth_url: " + u + "\n")
			} else {
				w.vars["SIGSENTRY_BITBUCKET_OAUTH_URL"] = u
			}
			r := w.run("", "auth", "login", "--no-browser", "--timeout", "3s")
			if r.code == 0 {
				t.Fatalf("auth login: %s\nwant a refusal", r)
			}
			mustContain(t, "stderr", r.stderr, "Bitbucket OAuth URL", "plain http is allowed only for loopback hosts")
			if strings.Contains(r.stderr, "/authorize?") {
				t.Errorf("the authorize URL was shown before the refusal:\n%s", r.stderr)
			}
			if n := len(w.srv.Requests()); n != 0 {
				t.Errorf("the double got %d requests, want none", n)
			}
		})
	}
}

// zeroHost is the double's OAuth base on 0.0.0.0, which Linux connects to
// locally: reachable, yet not loopback by the rule.
func zeroHost(w *world) string {
	return strings.Replace(w.srv.OAuthURL(), "127.0.0.1", "0.0.0.0", 1)
}

func TestPlainHTTPOAuthRefusedForRefresh(t *testing.T) {
	badInputs(t, 1)
	w := newWorld(t)
	w.oauthCredential()
	w.srv.ResetRequests()
	w.vars["SIGSENTRY_BITBUCKET_OAUTH_URL"] = zeroHost(w)
	r, _ := w.analyze()
	if r.code == 0 {
		t.Fatalf("analyze: %s\nwant a failure", r)
	}
	mustContain(t, "stderr", r.stderr, "plain http is allowed only for loopback hosts")
	if n := w.srv.CountRequests("/site/oauth2/access_token"); n != 0 {
		t.Errorf("the refresh token was sent %d times over plain http", n)
	}
}

// Issue 10 item 6 (and 11's one place for the advice): a dead OAuth login
// exits 4 with the re-login advice.
func TestDeadOAuthLoginExits4(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault func(srv *bitbuckettest.Server)
	}{
		{"revoked refresh token", func(srv *bitbuckettest.Server) { srv.RevokeRefreshTokens() }},
		{"401 on refresh", func(srv *bitbuckettest.Server) {
			srv.FailNext("/site/oauth2/access_token", http.StatusUnauthorized, bitbuckettest.Forever)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			w.oauthCredential()
			tt.fault(w.srv)
			r, _ := w.analyze()
			if r.code != 4 {
				t.Fatalf("analyze with a dead login: %s\nwant exit 4", r)
			}
			mustContain(t, "stderr", r.stderr, "hint: "+advice.Relogin)
		})
	}
}

// Issue 10 risks: the callback server answers only requests addressed to
// 127.0.0.1:PORT (or localhost:PORT), even with the right state; the real
// redirect then completes the login.
func TestCallbackRefusesOtherHosts(t *testing.T) {
	w := newWorld(t)
	w.oauthOnly()
	p := w.start("auth", "login", "--no-browser", "--timeout", "3m")
	authURL := strings.TrimSpace(p.waitLine(t, "/authorize?"))
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	redirect, state := u.Query().Get("redirect_uri"), u.Query().Get("state")
	cb, _ := url.Parse(redirect)
	port := cb.Port()
	hosts := []string{"evil.example:" + port, "127.0.0.1.nip.io:" + port, "0.0.0.0:" + port, "[::1]:" + port, "127.0.0.1:80", "localhost"}
	badInputs(t, len(hosts))
	for _, host := range hosts {
		req, _ := http.NewRequest(http.MethodGet, redirect+"?code=forged-code&state="+url.QueryEscape(state), nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("Host %s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s with the right state: got %d, want 421", host, resp.StatusCode)
		}
	}
	resp, err := http.Get(authURL) // the browser: consent, then the redirect
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := p.wait(t); code != 0 {
		t.Fatalf("auth login: exit %d\n%s", code, p.stderr())
	}
	mustContain(t, "stderr", p.stderr(), "Logged in to Bitbucket as Ada Lovelace")
}

// Issue 10 risks: the browser opener gets no SIGSENTRY_* secret (nor
// SENTRY_AUTH_TOKEN).
func TestBrowserOpenerGetsNoSecrets(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the fake opener is an xdg-open shell script")
	}
	badInputs(t, 1)
	w := newWorld(t)
	w.oauthOnly()
	const sentryToken = "sntrys_hostile_suite_token_0a9b8c"
	w.vars["SENTRY_AUTH_TOKEN"] = sentryToken
	w.vars["DISPLAY"] = ":0"
	bin := t.TempDir()
	envFile, urlFile := filepath.Join(bin, "env.txt"), filepath.Join(bin, "url.txt")
	script := "#!/bin/sh\nenv > '" + envFile + "'\nprintf '%s' \"$1\" > '" + urlFile + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	w.vars["PATH"] = bin + string(os.PathListSeparator) + os.Getenv("PATH")
	p := w.start("auth", "login", "--timeout", "3m")
	p.waitLine(t, "Waiting for the browser") // printed after the opener returned
	authURL, err := os.ReadFile(urlFile)
	if err != nil {
		t.Fatalf("the opener was not run: %v\n%s", err, p.stderr())
	}
	resp, err := http.Get(string(authURL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := p.wait(t); code != 0 {
		t.Fatalf("auth login: exit %d\n%s", code, p.stderr())
	}
	env, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{consumerSecret, passphrase, sentryToken, "SIGSENTRY_"} {
		if strings.Contains(string(env), secret) {
			t.Errorf("the browser opener's environment holds %q", secret)
		}
	}
	mustContain(t, "the opener's environment", string(env), "DISPLAY=:0", "HOME=")
}

// Issue 10 risks: a secret typed as an argument (or a flag value) is never
// echoed, and the error says how to pass it.
func TestSecretArgumentsNotEchoed(t *testing.T) {
	const secret = "ATATT3xFfGF0-hostile-secret-9z8y7x"
	tests := []struct {
		args []string
		how  string
	}{
		{[]string{"auth", "token", secret}, "--token-stdin"},
		{[]string{"auth", "token", "--repo", "acme/api", secret}, "--token-stdin"},
		{[]string{"auth", "token", "--token-stdin=" + secret}, "--token-stdin"},
		{[]string{"auth", "api-token", "--email", apiEmail, secret}, "--token-stdin"},
		{[]string{"auth", "app-password", "--username", "ada", secret}, "--password-stdin"},
		{[]string{"auth", "login", secret}, "SIGSENTRY_OAUTH_CLIENT_SECRET"},
		{[]string{"auth", "login", "-c" + secret}, "SIGSENTRY_OAUTH_CLIENT_SECRET"},
	}
	badInputs(t, len(tests))
	w := newWorld(t)
	for _, tt := range tests {
		r := w.run("", tt.args...)
		if r.code != 2 {
			t.Errorf("%v: got exit %d, want 2 (usage)", tt.args[:2], r.code)
		}
		if strings.Contains(r.stdout+r.stderr, secret[4:]) {
			t.Errorf("%v: the secret is echoed:\n%s", tt.args[:2], r)
		}
		mustContain(t, strings.Join(tt.args[:2], " "), r.stderr, tt.how)
	}
}
