package sentry

import (
	"errors"
	"strings"
	"testing"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		wantDetail        string
		wantCode          string
	}{
		{"detail string", "application/json", `{"detail": "Invalid token"}`, "Invalid token", ""},
		{"detail object", "application/json", `{"detail": {"code": "org-not-found", "message": "Organization does not exist", "extra": null}}`, "Organization does not exist", "org-not-found"},
		{"detail object code only", "application/json", `{"detail": {"code": "sudo-required"}}`, "sudo-required", "sudo-required"},
		{"error key", "application/json", `{"error": "Bad request"}`, "Bad request", ""},
		{"validation", "application/json", `{"cursor": ["Invalid"]}`, `{"cursor": ["Invalid"]}`, ""},
		{"html", "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway", ""},
		{"html without type", "", "<!DOCTYPE html><html><body><h1>Down\tfor\nmaintenance</h1></body></html>", "Down for maintenance", ""},
		{"text", "text/plain", "  upstream\ntimed out  ", "upstream timed out", ""},
		{"empty", "", "", "", ""},
		{"long", "text/plain", strings.Repeat("x", 1000), strings.Repeat("x", maxMessageLen) + "…", ""},
		{"invalid utf-8", "text/html", "<title>\xff\xfe</title>", "\uFFFD", ""},
	}
	for _, tt := range tests {
		e := parseError(418, tt.ctype, []byte(tt.body))
		if e.Detail != tt.wantDetail || e.Code != tt.wantCode {
			t.Errorf("%s: got detail %q code %q, want %q %q", tt.name, e.Detail, e.Code, tt.wantDetail, tt.wantCode)
		}
	}
}

func TestErrorsIsAndHints(t *testing.T) {
	tests := []struct {
		e        APIError
		sentinel error
		hint     []string
	}{
		{APIError{StatusCode: 401}, ErrUnauthorized, []string{"invalid, expired or revoked", "sigsentry auth sentry", "SENTRY_AUTH_TOKEN", "Personal Tokens"}},
		{APIError{StatusCode: 403, Resource: ResourceEvent, Org: "acme"}, ErrForbidden, []string{"event:read", "member of organization acme"}},
		{APIError{StatusCode: 403, Resource: ResourceIssue, Org: "acme", OrgToken: true}, ErrForbidden, []string{"event:read", "organization tokens (sntrys_…) cannot read issues"}},
		{APIError{StatusCode: 403, Resource: ResourceReleaseCommits, Name: "app@1"}, ErrForbidden, []string{"project:read or project:releases", "release commits app@1"}},
		{APIError{StatusCode: 403, Resource: ResourceRepos}, ErrForbidden, []string{"org:read"}},
		{APIError{StatusCode: 403}, ErrForbidden, []string{"event:read or org:read or project:read or project:releases"}},
		{APIError{StatusCode: 404, Resource: ResourceIssue, Org: "acme", Name: "42"}, ErrNotFound, []string{"issue 42 was not found in organization acme", "another organization"}},
		{APIError{StatusCode: 404, Resource: ResourceShortID, Org: "acme", Name: "APP-1"}, ErrNotFound, []string{"APP-1", "another organization"}},
		{APIError{StatusCode: 404, Resource: ResourceEvent, Org: "acme", Name: "the latest event of issue 42"}, ErrNotFound, []string{"the latest event of issue 42 was not found", "retention"}},
		{APIError{StatusCode: 404, Resource: ResourceReleaseCommits, Org: "acme", Name: "app@1.0"}, ErrNotFound, []string{`does not know release "app@1.0"`}},
		{APIError{StatusCode: 404, Resource: ResourceRepos, Org: "acme"}, ErrNotFound, []string{"organization acme does not exist"}},
		{APIError{StatusCode: 429, Attempts: 5, Waited: 3e9}, ErrRateLimited, []string{"rate limit", "waited 3s over 5 attempts"}},
		{APIError{StatusCode: 503}, ErrServer, []string{"server error"}},
	}
	all := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer}
	for _, tt := range tests {
		err := error(&tt.e)
		for _, s := range all {
			if errors.Is(err, s) != (s == tt.sentinel) {
				t.Errorf("HTTP %d: errors.Is(%v) = %v", tt.e.StatusCode, s, errors.Is(err, s))
			}
		}
		h := tt.e.Hint()
		for _, want := range tt.hint {
			if !strings.Contains(h, want) {
				t.Errorf("HTTP %d %s: hint %q does not say %q", tt.e.StatusCode, tt.e.Resource, h, want)
			}
		}
		if tt.e.IsAuth() != (tt.e.StatusCode == 401) {
			t.Errorf("HTTP %d: IsAuth() = %v", tt.e.StatusCode, tt.e.IsAuth())
		}
	}
	e := &APIError{StatusCode: 404, Method: "GET", URL: "https://sentry.io/api/0/x/", Detail: "The requested resource does not exist"}
	if got := e.Error(); got != "sentry: GET https://sentry.io/api/0/x/: HTTP 404: The requested resource does not exist" {
		t.Errorf("Error() = %q", got)
	}
}

func FuzzParseError(f *testing.F) {
	f.Add("application/json", []byte(`{"detail": {"message": "x", "code": "y"}}`))
	f.Add("text/html", []byte("<title>x</title>"))
	f.Add("", []byte("\xff<TITLE>\xfe"))
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		e := parseError(500, ctype, body)
		if n := len([]rune(e.Detail)); n > maxMessageLen+1 {
			t.Fatalf("detail of %d runes, want at most %d and an ellipsis", n, maxMessageLen)
		}
		if strings.ContainsAny(e.Detail, "\n\r\t\x00") {
			t.Fatalf("detail %q holds control characters", e.Detail)
		}
		_ = e.Error()
		_ = e.Hint()
	})
}
