package bitbucket

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a bytes.Buffer safe for the client's concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// echoServer answers every kind of request and echoes the credential back
// in error bodies, as a careless proxy might.
func echoServer(w http.ResponseWriter, r *http.Request) {
	authz := r.Header.Get("Authorization")
	switch {
	case r.URL.Path == "/2.0/user":
		w.Header().Set("X-OAuth-Scopes", "repository, account")
		w.Header().Set("X-Credential-Type", "oauth2")
		writeJSON(w, 200, map[string]any{"uuid": "{u}"})
	case strings.HasPrefix(r.URL.Path, "/2.0/repositories/acme/api/diff/"):
		http.Redirect(w, r, "/2.0/moved?code=the-oauth-code-123&page=2", http.StatusFound)
	case r.URL.Path == "/2.0/moved":
		writeJSON(w, 500, map[string]any{"type": "error", "error": map[string]any{
			"message": "backend said: " + authz, "detail": "header was " + authz}})
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(403)
		fmt.Fprintf(w, "forbidden for %s", authz)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	const (
		user   = "alice@example.com"
		secret = "S3cr3t-API-token-XYZ"
		bearer = "bearer-SECRET-abcdef123"
		oauth  = "oauth-SECRET-ghijk456"
	)
	basicB64 := base64.StdEncoding.EncodeToString([]byte(user + ":" + secret))
	tests := []struct {
		name       string
		auth       Authenticator
		wantScheme string
		secrets    []string
	}{
		{"basic", BasicAuth(user, secret), "Authorization: Basic [redacted]", []string{secret, basicB64}},
		{"bearer", BearerAuth(bearer), "Authorization: Bearer [redacted]", []string{bearer}},
		{"oauth", OAuth(staticTS{oauth}), "Authorization: Bearer [redacted]", []string{oauth}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trace lockedBuffer
			c, _, _ := testServer(t, http.HandlerFunc(echoServer), func(o *Options) {
				o.Auth = tt.auth
				o.Debug = &trace
				o.Retry = &RetryPolicy{MaxAttempts: 2}
			})
			ctx := context.Background()
			var printed []string
			if _, _, err := c.CurrentUser(ctx); err != nil {
				t.Fatalf("CurrentUser: %v", err)
			}
			_, err := c.Repository(ctx, "acme", "api")
			if err == nil {
				t.Fatal("Repository: got no error, want 403")
			}
			printed = append(printed, err.Error(), fmt.Sprintf("%+v %#v", err, err))
			_, err = c.Diff(ctx, "acme", "api", "abc")
			if err == nil {
				t.Fatal("Diff: got no error, want 500")
			}
			printed = append(printed, err.Error(), fmt.Sprintf("%+v %#v", err, err))
			if ae, ok := err.(interface{ Unwrap() error }); ok {
				printed = append(printed, fmt.Sprintf("%v", ae.Unwrap()))
			}
			printed = append(printed, fmt.Sprintf("%v %+v %#v %s", tt.auth, tt.auth, tt.auth, tt.auth))
			printed = append(printed, trace.String())

			out := trace.String()
			for _, want := range []string{tt.wantScheme, "> GET ", "< 200 GET ", "< 403 GET ", "< 302 GET ",
				"X-OAuth-Scopes: repository, account", "X-Credential-Type: oauth2", "code=REDACTED", "body: forbidden for ",
				"retrying in"} {
				if !strings.Contains(out, want) {
					t.Errorf("trace lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, `"uuid"`) {
				t.Errorf("trace shows a success body:\n%s", out)
			}
			for _, p := range printed {
				for _, s := range append(tt.secrets, "the-oauth-code-123") {
					if strings.Contains(p, s) {
						t.Errorf("secret %q printed in:\n%s", s, p)
					}
				}
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.bitbucket.org/2.0/user", "https://api.bitbucket.org/2.0/user"},
		{"https://u:p@h/x?access_token=a&page=b3&Token=c", "https://h/x?access_token=REDACTED&page=b3&Token=REDACTED"},
		{"http://127.0.0.1/cb?code=xyz&state=s", "http://127.0.0.1/cb?code=REDACTED&state=s"},
		{"https://h/x?refresh_token=r&client_secret=s&fields=a,b", "https://h/x?refresh_token=REDACTED&client_secret=REDACTED&fields=a,b"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.in, err)
		}
		if got := redactURL(u); got != tt.want {
			t.Errorf("redactURL(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
