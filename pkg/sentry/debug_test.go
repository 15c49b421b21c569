package sentry

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestTokenNeverPrinted runs requests against a server that echoes the
// Authorization header back in error bodies and headers, as a careless
// proxy might, and checks that neither the trace nor any error shows it.
func TestTokenNeverPrinted(t *testing.T) {
	var trace lockedBuffer
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authz := r.Header.Get("Authorization")
		switch {
		case strings.Contains(r.URL.Path, "/repos/"):
			w.Header().Set("X-Sentry-Rate-Limit-Remaining", "39")
			writeJSON(w, 200, []any{map[string]any{"id": "1", "name": "acme/api"}})
		case strings.Contains(r.URL.Path, "/issues/"):
			w.Header().Set("Link", "<https://x/?token="+strings.TrimPrefix(authz, "Bearer ")+">; rel=\"next\"")
			writeDetail(w, 403, "token "+authz+" may not")
		case strings.Contains(r.URL.Path, "/moved/"):
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(502)
			fmt.Fprintf(w, "bad gateway for %s", authz)
		default:
			http.Redirect(w, r, "/api/0/moved/?token=leak-me-123&page=2", http.StatusFound)
		}
	}), func(o *Options) {
		o.Debug = &trace
		o.Retry = &RetryPolicy{MaxAttempts: 2}
	})
	ctx := context.Background()
	if _, err := c.Repos(ctx, "acme"); err != nil {
		t.Fatalf("Repos: %v", err)
	}
	var printed []string
	_, err := c.Issue(ctx, "acme", "42")
	if err == nil {
		t.Fatal("Issue: got no error, want 403")
	}
	printed = append(printed, err.Error(), fmt.Sprintf("%+v %#v", err, err))
	_, err = c.Release(ctx, "acme", "app@1")
	if err == nil {
		t.Fatal("Release: got no error, want 502")
	}
	printed = append(printed, err.Error(), fmt.Sprintf("%+v %#v", err, err), trace.String())
	out := trace.String()
	for _, want := range []string{"Authorization: Bearer [redacted]", "> GET ", "< 200 GET ", "< 403 GET ", "< 302 GET ",
		"token=REDACTED", "X-Sentry-Rate-Limit-Remaining: 39", "body: ", "retrying in"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"acme/api"`) {
		t.Errorf("trace shows a success body:\n%s", out)
	}
	for _, p := range printed {
		for _, s := range []string{testToken, "leak-me-123"} {
			if strings.Contains(p, s) {
				t.Errorf("secret %q printed in:\n%s", s, p)
			}
		}
	}
}
