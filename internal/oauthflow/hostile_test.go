package oauthflow

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/credstore"
)

// Plain http to anything but loopback is refused before the callback
// server starts, a URL is shown or a byte is sent.
func TestLoginRefusesPlainHTTPOffLoopback(t *testing.T) {
	srv := newServer(t, true)
	port := strings.TrimPrefix(srv.URL(), "http://127.0.0.1:")
	for _, base := range []string{
		"http://example.invalid/site/oauth2",
		"http://0.0.0.0:" + port + "/site/oauth2",
		"http://[::]:" + port + "/site/oauth2",
		"HTTP://bitbucket.org/site/oauth2",
	} {
		t.Run(base, func(t *testing.T) {
			var msgs strings.Builder
			opened := false
			_, err := Login(context.Background(), LoginOptions{
				OAuthURL: base, ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute, Messages: &msgs,
				OpenBrowser: func(string) error { opened = true; return nil },
			})
			if err == nil || !strings.Contains(err.Error(), "plain http is allowed only for loopback hosts") {
				t.Fatalf("got %v, want the loopback refusal", err)
			}
			if !strings.Contains(err.Error(), "Bitbucket OAuth URL") {
				t.Errorf("got %q, want it to name the OAuth URL", err)
			}
			if opened || msgs.Len() > 0 {
				t.Errorf("a browser was opened (%v) or a message shown (%q) before the refusal", opened, msgs.String())
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the server got %d requests, want none", n)
	}
}

func TestTokenSourceRefusesPlainHTTPOffLoopback(t *testing.T) {
	srv := newServer(t, true)
	fs, _ := loginCredential(t, srv, time.Minute)
	srv.ResetRequests()
	port := strings.TrimPrefix(srv.URL(), "http://127.0.0.1:")
	ts := newSource(srv, fs)
	ts.OAuthURL = "http://0.0.0.0:" + port + "/site/oauth2"
	_, err := ts.Token()
	if err == nil || !strings.Contains(err.Error(), "plain http is allowed only for loopback hosts") {
		t.Fatalf("got %v, want the loopback refusal", err)
	}
	if n := srv.CountRequests("/site/oauth2/access_token"); n != 0 {
		t.Errorf("the token endpoint got %d requests, want none", n)
	}
	var re *ReloginError
	if errors.As(err, &re) {
		t.Errorf("got a *ReloginError for a configuration problem; signing in again would not fix it")
	}
}

func TestTokenSourceRefusedRefreshIsRelogin(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fault   func(srv interface{ RevokeRefreshTokens() }, fail func(int))
		relogin bool
	}{
		{"revoked refresh token", func(srv interface{ RevokeRefreshTokens() }, _ func(int)) { srv.RevokeRefreshTokens() }, true},
		{"401 from the token endpoint", func(_ interface{ RevokeRefreshTokens() }, fail func(int)) { fail(401) }, true},
		{"503 from the token endpoint", func(_ interface{ RevokeRefreshTokens() }, fail func(int)) { fail(503) }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, true)
			fs, _ := loginCredential(t, srv, time.Minute)
			tt.fault(srv, func(status int) { srv.FailNext("/site/oauth2/access_token", status, 1) })
			_, err := newSource(srv, fs).Token()
			var re *ReloginError
			if err == nil || errors.As(err, &re) != tt.relogin {
				t.Fatalf("got %v; want a *ReloginError: %v", err, tt.relogin)
			}
			if tt.relogin && !strings.Contains(re.Hint(), "sigsentry auth login") {
				t.Errorf("got hint %q, want the re-login advice", re.Hint())
			}
		})
	}
}

func TestTokenSourceGoneCredentialIsRelogin(t *testing.T) {
	srv := newServer(t, true)
	fs := &credstore.FileStore{Path: t.TempDir() + "/" + credstore.FileName, Passphrase: testPassphrase, KDF: testKDF}
	_, err := newSource(srv, fs).Token()
	var re *ReloginError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *ReloginError", err)
	}
}

// The callback server answers only requests addressed to the loopback
// address it listens on; others (DNS rebinding, a forged Host) are refused
// even with the right state, and the login goes on.
func TestCallbackChecksHost(t *testing.T) {
	srv := newServer(t, true)
	var statuses []int
	res, err := Login(context.Background(), LoginOptions{
		OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute,
		OpenBrowser: func(authURL string) error {
			redirect, state := callbackBase(t, authURL)
			u, _ := url.Parse(redirect)
			_, port, _ := net.SplitHostPort(u.Host)
			for _, host := range []string{"evil.example:" + port, "127.0.0.1.nip.io:" + port, "0.0.0.0:" + port,
				"[::1]:" + port, "127.0.0.1:1", "127.0.0.1", "localhost.:" + port} {
				req, _ := http.NewRequest(http.MethodGet, redirect+"?code=forged&state="+url.QueryEscape(state), nil)
				req.Host = host
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("Host %q: %v", host, err)
					continue
				}
				resp.Body.Close()
				statuses = append(statuses, resp.StatusCode)
			}
			for _, host := range []string{"LOCALHOST:" + port} {
				// Accepted host, wrong state: refused by the state check.
				req, _ := http.NewRequest(http.MethodGet, redirect+"?code=forged&state=nope", nil)
				req.Host = host
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
					if resp.StatusCode != http.StatusBadRequest {
						t.Errorf("Host %q, wrong state: got %d, want 400", host, resp.StatusCode)
					}
				}
			}
			go get(t, http.DefaultClient, authURL)
			return nil
		},
	})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if res.Token.AccessToken == "" {
		t.Errorf("got no access token")
	}
	for i, st := range statuses {
		if st != http.StatusMisdirectedRequest {
			t.Errorf("forged host %d: got %d, want 421", i, st)
		}
	}
}

func TestCallbackHost(t *testing.T) {
	for _, tt := range []struct {
		host string
		port int
		want bool
	}{
		{"127.0.0.1:8765", 8765, true},
		{"localhost:8765", 8765, true},
		{"LocalHost:8765", 8765, true},
		{"127.0.0.1", 80, true},
		{"127.0.0.1:80", 80, true},
		{"127.0.0.1", 8765, false},
		{"127.0.0.1:8766", 8765, false},
		{"127.0.0.2:8765", 8765, false},
		{"[::1]:8765", 8765, false},
		{"evil.example:8765", 8765, false},
		{"127.0.0.1:8765:1", 8765, false},
		{"", 8765, false},
	} {
		if got := callbackHost(tt.host, tt.port); got != tt.want {
			t.Errorf("callbackHost(%q, %d) = %v, want %v", tt.host, tt.port, got, tt.want)
		}
	}
}
