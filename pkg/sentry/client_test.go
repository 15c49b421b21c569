package sentry

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	ok := map[string]string{
		"https://sentry.io":                     "https://sentry.io",
		"https://sentry.io/":                    "https://sentry.io",
		"https://sentry.io/api/0":               "https://sentry.io",
		"https://sentry.io/api/0/":              "https://sentry.io",
		"HTTPS://DE.Sentry.IO":                  "https://de.sentry.io",
		"https://example.com/sentry/":           "https://example.com/sentry",
		"https://example.com:8443/sentry/api/0": "https://example.com:8443/sentry",
		"http://127.0.0.1:9000":                 "http://127.0.0.1:9000",
		"http://localhost:9000/":                "http://localhost:9000",
		"http://[::1]:9000":                     "http://[::1]:9000",
	}
	for in, want := range ok {
		u, err := ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %q", in, u, err, want)
		}
	}
	bad := map[string]string{
		"http://sentry.example.com":           "plain http is allowed only for loopback",
		"http://10.0.0.1":                     "plain http is allowed only for loopback",
		"ftp://sentry.io":                     "scheme must be https",
		"sentry.io":                           "no host",
		"https://user:secret@sentry.io":       "credentials in the URL",
		"https://sentry.io/?x=1":              "query or fragment",
		"https://sentry.io/#frag":             "query or fragment",
		"https://":                            "no host",
		"https://sentry.io/%zz":               "parsing the Sentry URL",
		"http://localhost.evil.example:9000/": "plain http",
	}
	for in, want := range bad {
		_, err := ParseBaseURL(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBaseURL(%q): got %v, want an error saying %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseBaseURL(%q): error shows the password: %v", in, err)
		}
	}
}

// TestPlainHTTPRefusedBeforeSending: a non-loopback http base is refused by
// New, so no request can carry the token unencrypted.
func TestPlainHTTPRefusedBeforeSending(t *testing.T) {
	var sent atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("must not be called")
	})}
	c, err := New(Options{BaseURL: "http://sentry.example.com", Token: testToken, HTTPClient: hc})
	if err == nil || c != nil {
		t.Fatalf("New with plain http: got %v, %v; want an error", c, err)
	}
	if sent.Load() != 0 {
		t.Errorf("%d requests were sent", sent.Load())
	}
	if _, err := New(Options{Token: "two\nlines"}); err == nil {
		t.Error("New with a multi-line token: got no error")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRequestShape(t *testing.T) {
	var got *http.Request
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		writeJSON(w, 200, map[string]any{"version": "x"})
	}), func(o *Options) { o.BaseURL += "/api/0/" })
	if _, err := c.Release(context.Background(), "acme", "app@1.4.2+9f3c2a1 b/c"); err != nil {
		t.Fatal(err)
	}
	if got.Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("got Authorization %q, want Bearer", got.Header.Get("Authorization"))
	}
	if got.Header.Get("User-Agent") != "sigsentry-test" || got.Header.Get("Accept") != "application/json" {
		t.Errorf("got headers %v", got.Header)
	}
	if want := "/api/0/organizations/acme/releases/app%401.4.2%2B9f3c2a1%20b%2Fc/"; got.URL.EscapedPath() != want {
		t.Errorf("got path %s, want %s", got.URL.EscapedPath(), want)
	}
	if c.BaseURL() != strings.TrimSuffix(c.base.String(), "/") || strings.Contains(c.BaseURL(), "/api/0") {
		t.Errorf("BaseURL() = %q, want the base without /api/0", c.BaseURL())
	}
}

func TestNoTokenSendsNoAuthorization(t *testing.T) {
	var authz atomic.Value
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authz.Store(r.Header.Get("Authorization"))
		writeDetail(w, 401, "Authentication credentials were not provided.")
	}), func(o *Options) { o.Token = "" })
	_, err := c.Repos(context.Background(), "acme")
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v, want ErrUnauthorized", err)
	}
	if authz.Load() != "" {
		t.Errorf("got Authorization %q, want none", authz.Load())
	}
}

func TestRedirectToPlainHTTPRefused(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://sentry.example.com/api/0/organizations/acme/repos/", http.StatusFound)
	}), func(o *Options) { o.HTTPClient = NewHTTPClient() })
	_, err := c.Repos(context.Background(), "acme")
	if err == nil || !strings.Contains(err.Error(), "refusing a redirect") {
		t.Fatalf("got %v, want the redirect refused", err)
	}
	if s := c.Stats(); s.Requests != 1 {
		t.Errorf("a refused redirect was retried: %d requests", s.Requests)
	}
}
