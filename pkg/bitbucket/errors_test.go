package bitbucket

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		contentType  string
		body         string
		wantMessage  string
		wantDetail   string
		wantRequired []string
		wantGranted  []string
	}{
		{
			name: "envelope with string detail", status: 404, contentType: "application/json",
			body:        `{"type":"error","error":{"message":"Repository acme/nope not found","detail":"check the slug"}}`,
			wantMessage: "Repository acme/nope not found", wantDetail: `"check the slug"`,
		},
		{
			name: "envelope with object detail", status: 403, contentType: "application/json",
			body:        `{"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"required":["account"],"granted":["team"]}}}`,
			wantMessage: "Your credentials lack one or more required privilege scopes.",
			wantDetail:  `{"required":["account"],"granted":["team"]}`, wantRequired: []string{"account"}, wantGranted: []string{"team"},
		},
		{
			name: "scopes in data", status: 403,
			body:        `{"type":"error","error":{"message":"lack scopes","data":{"required":"repository account","granted":["email"]}}}`,
			wantMessage: "lack scopes", wantRequired: []string{"repository", "account"}, wantGranted: []string{"email"},
		},
		{
			name: "null detail", status: 401,
			body:        `{"type":"error","error":{"message":"Access token expired.","detail":null}}`,
			wantMessage: "Access token expired.",
		},
		{
			name: "oauth error form", status: 400,
			body:        `{"error":"invalid_grant","error_description":"Invalid refresh_token"}`,
			wantMessage: "invalid_grant: Invalid refresh_token",
		},
		{
			name: "plain-text 429", status: 429, contentType: "text/plain",
			body:        "Rate limit for this resource has been exceeded\n",
			wantMessage: "Rate limit for this resource has been exceeded",
		},
		{
			name: "html page with title", status: 502, contentType: "text/html; charset=utf-8",
			body:        "<!DOCTYPE html><html><head><title>Bitbucket | Bad gateway</title></head><body><h1>Oops</h1></body></html>",
			wantMessage: "Bitbucket | Bad gateway",
		},
		{
			name: "html page without title", status: 500,
			body:        "<html><body><h1>Something</h1>\n<p>went   wrong</p></body></html>",
			wantMessage: "Something went wrong",
		},
		{
			name: "empty", status: 503, body: "", wantMessage: "",
		},
		{
			name: "broken json stays text", status: 500, body: `{"type":"error","error":{`, wantMessage: `{"type":"error","error":{`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseError(tt.status, tt.contentType, []byte(tt.body))
			if e.StatusCode != tt.status {
				t.Errorf("got status %d, want %d", e.StatusCode, tt.status)
			}
			if e.Message != tt.wantMessage {
				t.Errorf("got message %q, want %q", e.Message, tt.wantMessage)
			}
			if string(e.Detail) != tt.wantDetail {
				t.Errorf("got detail %s, want %s", e.Detail, tt.wantDetail)
			}
			if !slices.Equal(e.Required, tt.wantRequired) || !slices.Equal(e.Granted, tt.wantGranted) {
				t.Errorf("got required %v granted %v, want %v and %v", e.Required, e.Granted, tt.wantRequired, tt.wantGranted)
			}
		})
	}
}

func TestParseErrorCapsMessage(t *testing.T) {
	e := parseError(500, "text/plain", []byte(strings.Repeat("x", 100_000)))
	if n := utf8.RuneCountInString(e.Message); n > maxMessageLen+1 {
		t.Errorf("got a message of %d runes, want at most %d", n, maxMessageLen+1)
	}
}

func TestAPIErrorIs(t *testing.T) {
	sentinels := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrGone, ErrRateLimited, ErrServer, ErrDiffTooLarge}
	tests := []struct {
		status int
		want   []error
	}{
		{401, []error{ErrUnauthorized}},
		{403, []error{ErrForbidden}},
		{404, []error{ErrNotFound}},
		{410, []error{ErrGone}},
		{429, []error{ErrRateLimited}},
		{500, []error{ErrServer}},
		{555, []error{ErrServer, ErrDiffTooLarge}},
		{400, nil},
	}
	for _, tt := range tests {
		err := fmt.Errorf("doing something: %w", &APIError{StatusCode: tt.status})
		for _, s := range sentinels {
			if got, want := errors.Is(err, s), slices.Contains(tt.want, s); got != want {
				t.Errorf("status %d: errors.Is(%v) = %v, want %v", tt.status, s, got, want)
			}
		}
	}
}

func TestHints(t *testing.T) {
	tests := []struct {
		err  *APIError
		want []string
	}{
		{&APIError{StatusCode: 401}, []string{"token expired", "App password / API token was revoked", "2026-07-28", "sigsentry auth login", "API token"}},
		{&APIError{StatusCode: 403}, []string{"repository read permission", "`repository` scope", "read:repository:bitbucket"}},
		{&APIError{StatusCode: 403, Required: []string{"account"}, Granted: []string{"team"}}, []string{"required: account; granted: team"}},
		{&APIError{StatusCode: 403, URL: "https://api.bitbucket.org/2.0/user"}, []string{"account read permission", "`account` scope", "read:user:bitbucket", "auth token --repo"}},
		{&APIError{StatusCode: 403, URL: "http://127.0.0.1:8080/2.0/user/workspaces/?pagelen=100"}, []string{"workspace read permission", "read:workspace:bitbucket"}},
		{&APIError{StatusCode: 403, URL: "https://api.bitbucket.org/2.0/repositories/acme/user"}, []string{"repository read permission"}},
		{&APIError{StatusCode: 404, URL: "https://api.bitbucket.org/2.0/repositories/acme/api/commits/trunk?pagelen=100"}, []string{"branch or commit does not exist", "repos add", "--ref"}},
		{&APIError{StatusCode: 404, URL: "https://api.bitbucket.org/2.0/repositories/acme/api/commits?include=release%2F1"}, []string{"branch or commit does not exist"}},
		{&APIError{StatusCode: 404, URL: "https://api.bitbucket.org/2.0/repositories/acme/api"}, []string{"repo slug is mistyped"}},
		{&APIError{StatusCode: 404}, []string{"slug is mistyped", "different workspace", "private and not visible"}},
		{&APIError{StatusCode: 410}, []string{"CHANGE-2770"}},
		{&APIError{StatusCode: 429, Attempts: 6, Waited: 31 * time.Second}, []string{"hourly request limit", "waited 31s over 6 attempts", "rerun later", "cached diffs are reused"}},
		{&APIError{StatusCode: 555}, []string{"too large", "diffstat"}},
		{&APIError{StatusCode: 503}, []string{"server error"}},
	}
	for _, tt := range tests {
		h := tt.err.Hint()
		for _, w := range tt.want {
			if !strings.Contains(h, w) {
				t.Errorf("status %d: got hint %q, want it to contain %q", tt.err.StatusCode, h, w)
			}
		}
	}
	if h := (&APIError{StatusCode: 400}).Hint(); h != "" {
		t.Errorf("status 400: got hint %q, want none", h)
	}
}

func TestAPIErrorString(t *testing.T) {
	e := parseError(403, "application/json", []byte(`{"type":"error","error":{"message":"lack scopes","detail":{"required":["account"],"granted":["team"]}}}`))
	e.Method, e.URL = "GET", "https://api.bitbucket.org/2.0/user"
	want := "bitbucket: GET https://api.bitbucket.org/2.0/user: HTTP 403: lack scopes [required: account; granted: team]"
	if got := e.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzParseError(f *testing.F) {
	seeds := []string{
		`{"type":"error","error":{"message":"m","detail":"d"}}`,
		`{"type":"error","error":{"message":"m","detail":{"required":["account"],"granted":["team"]}}}`,
		`{"type":"error","error":{"message":"m","data":{"required":"a b","granted":[1,2]}}}`,
		`{"error":"invalid_grant","error_description":"x"}`,
		"Rate limit for this resource has been exceeded",
		"<html><title>x</title></html>",
		"<html><title>",
		"\xff\xfe{",
		"",
	}
	for _, s := range seeds {
		f.Add(429, "text/plain", []byte(s))
		f.Add(403, "application/json", []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		e := parseError(status, contentType, body)
		if e == nil {
			t.Fatal("got nil *APIError")
		}
		if e.StatusCode != status {
			t.Fatalf("got status %d, want %d", e.StatusCode, status)
		}
		if !utf8.ValidString(e.Message) {
			t.Fatalf("got invalid UTF-8 message %q", e.Message)
		}
		if n := utf8.RuneCountInString(e.Message); n > maxMessageLen+1 {
			t.Fatalf("got a message of %d runes, want at most %d", n, maxMessageLen+1)
		}
		_ = e.Error()
		_ = e.Hint()
	})
}
