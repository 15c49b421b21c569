package sentry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/apitrace"
)

// Sentinel errors matched by errors.Is against an *APIError of the
// corresponding HTTP status.
var (
	// ErrUnauthorized matches HTTP 401: no token, or an invalid, expired or
	// revoked one.
	ErrUnauthorized = errors.New("sentry: unauthorized")
	// ErrForbidden matches HTTP 403: the token lacks a scope, or its user is
	// not a member of the organization.
	ErrForbidden = errors.New("sentry: forbidden")
	// ErrNotFound matches HTTP 404: missing, or in another organization.
	ErrNotFound = errors.New("sentry: not found")
	// ErrRateLimited matches HTTP 429 after the retries ran out.
	ErrRateLimited = errors.New("sentry: rate limited")
	// ErrServer matches any HTTP 5xx answer.
	ErrServer = errors.New("sentry: server error")
)

// Resource names what a request was after, so an error can say what to do.
type Resource string

// The resources the client reads.
const (
	ResourceIssue          Resource = "issue"
	ResourceShortID        Resource = "short id"
	ResourceEvent          Resource = "event"
	ResourceRelease        Resource = "release"
	ResourceReleaseCommits Resource = "release commits"
	ResourceRepos          Resource = "repositories"
)

// Scopes lists, for each resource, the read-only token scopes any one of
// which lets a token read it.
var Scopes = map[Resource][]string{
	ResourceIssue:          {"event:read"},
	ResourceShortID:        {"event:read"},
	ResourceEvent:          {"event:read"},
	ResourceRelease:        {"project:read", "project:releases"},
	ResourceReleaseCommits: {"project:read", "project:releases"},
	ResourceRepos:          {"org:read"},
}

// ReadScopes are the read-only scopes a token needs for everything
// sigsentry asks of Sentry.
const ReadScopes = "event:read, project:read (or project:releases) and org:read"

// TokenHelp says where a token is created and which scopes it needs.
const TokenHelp = "create a personal token in Sentry → User Settings → Personal Tokens (or an internal integration's token) " +
	"with the read-only scopes " + ReadScopes + ", then run `sigsentry auth sentry --org ORG` or set SENTRY_AUTH_TOKEN"

// maxMessageLen caps APIError.Detail and the error body shown in traces.
const maxMessageLen = apitrace.MaxText

// APIError is a non-2xx answer from Sentry.
type APIError struct {
	// StatusCode is the HTTP status (401, 403, 404, 429, 5xx, ...).
	StatusCode int
	// Method and URL of the request (the URL carries no credential).
	Method, URL string
	// Resource is what was asked for; Org and Name identify it (the issue
	// id, short id, event id or release version).
	Resource  Resource
	Org, Name string
	// Detail is Sentry's `detail` message, or the plain-text body.
	Detail string
	// Code is Sentry's detail.code when detail is an object.
	Code string
	// OrgToken is set when the token is an organization token (sntrys_),
	// which cannot read issues or events.
	OrgToken bool
	// Attempts is how many times the request was sent.
	Attempts int
	// Waited is the total time spent backing off between those attempts.
	Waited time.Duration
	// RetryAfter is how long Sentry asked to wait, when that was longer
	// than sigsentry waits and it stopped at once.
	RetryAfter time.Duration
}

// Error describes the failed request and Sentry's message. It never holds
// a request header.
func (e *APIError) Error() string {
	msg := e.Detail
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("sentry: %s %s: HTTP %d: %s", e.Method, e.URL, e.StatusCode, msg)
}

// Is makes errors.Is(err, ErrNotFound) and friends work on *APIError.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == 401
	case ErrForbidden:
		return e.StatusCode == 403
	case ErrNotFound:
		return e.StatusCode == 404
	case ErrRateLimited:
		return e.StatusCode == 429
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// IsAuth reports whether the error means the token is missing, invalid,
// expired or revoked (HTTP 401).
func (e *APIError) IsAuth() bool { return e.StatusCode == 401 }

// Hint is the fix for this kind of failure.
func (e *APIError) Hint() string {
	org := e.Org
	if org == "" {
		org = "the organization"
	} else {
		org = "organization " + org
	}
	switch {
	case e.StatusCode == 401:
		return "the Sentry auth token is invalid, expired or revoked; " + TokenHelp
	case e.StatusCode == 403:
		need := scopeList(e.Resource)
		h := fmt.Sprintf("the Sentry token may not read %s: it needs the %s scope, and its user must be a member of %s "+
			"(read-only scopes sigsentry uses: %s)", e.what(), need, org, ReadScopes)
		if e.OrgToken && (e.Resource == ResourceIssue || e.Resource == ResourceShortID || e.Resource == ResourceEvent) {
			h += "; organization tokens (sntrys_…) cannot read issues or events: use a personal token or an internal integration's token"
		}
		return h
	case e.StatusCode == 404:
		switch e.Resource {
		case ResourceIssue, ResourceShortID:
			return fmt.Sprintf("the issue %s was not found in %s: it does not exist, was deleted, or belongs to another organization "+
				"(check the organization in the URL, --org or SENTRY_ORG)", e.Name, org)
		case ResourceEvent:
			return fmt.Sprintf("%s was not found: the issue does not exist in %s (or belongs to another organization), "+
				"or the event is past Sentry's retention", e.Name, org)
		case ResourceRelease, ResourceReleaseCommits:
			return fmt.Sprintf("Sentry does not know release %q in %s (it was never created or was deleted)", e.Name, org)
		case ResourceRepos:
			return fmt.Sprintf("%s does not exist on this Sentry (check the organization slug and SENTRY_URL)", org)
		}
		return "not found on this Sentry (check SENTRY_URL and the organization)"
	case e.StatusCode == 429:
		attempts := "1 attempt"
		if e.Attempts > 1 {
			attempts = fmt.Sprintf("%d attempts", e.Attempts)
		}
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Sentry's rate limit was hit and Sentry asked to wait %s, longer than sigsentry waits; rerun after %s",
				e.RetryAfter.Round(time.Second), e.RetryAfter.Round(time.Second))
		}
		return fmt.Sprintf("Sentry's rate limit was hit; sigsentry waited %s over %s; rerun in a minute",
			e.Waited.Round(time.Millisecond), attempts)
	case e.StatusCode >= 500:
		return "Sentry answered with a server error; try again later (see https://status.sentry.io for sentry.io)"
	}
	return ""
}

// what is the resource in words, with its name.
func (e *APIError) what() string {
	switch e.Resource {
	case "":
		return "this resource"
	case ResourceRepos:
		return "the organization's repositories"
	case ResourceEvent:
		if e.Name != "" {
			return e.Name
		}
	}
	if e.Name != "" {
		return string(e.Resource) + " " + e.Name
	}
	return string(e.Resource)
}

// scopeList names the scopes that open a resource: "event:read", or
// "project:read or project:releases".
func scopeList(r Resource) string {
	s := Scopes[r]
	if len(s) == 0 {
		all := map[string]bool{}
		for _, v := range Scopes {
			for _, x := range v {
				all[x] = true
			}
		}
		for x := range all {
			s = append(s, x)
		}
		sort.Strings(s)
	}
	return strings.Join(s, " or ")
}

// parseError builds an APIError from an error response. Sentry answers
// {"detail": "message"} or {"detail": {"code": ..., "message": ...}}; a
// proxy may answer plain text or an HTML page.
func parseError(status int, contentType string, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var eb struct {
			Detail json.RawMessage `json:"detail"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(trimmed, &eb) == nil {
			for _, raw := range []json.RawMessage{eb.Detail, eb.Error} {
				if msg, code := detailOf(raw); msg != "" || code != "" {
					e.Detail, e.Code = capText(msg), capText(code)
					if e.Detail == "" {
						e.Detail = e.Code
					}
					return e
				}
			}
		}
		e.Detail = capText(string(trimmed))
		return e
	}
	if isHTML(contentType, trimmed) {
		e.Detail = capText(htmlText(trimmed))
		return e
	}
	e.Detail = capText(string(trimmed))
	return e
}

// detailOf reads a detail that is a string, or an object with message and
// code.
func detailOf(raw json.RawMessage) (msg, code string) {
	if len(raw) == 0 {
		return "", ""
	}
	if json.Unmarshal(raw, &msg) == nil {
		return msg, ""
	}
	var obj struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Message, obj.Code
	}
	return "", ""
}

func isHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := strings.ToLower(string(body[:min(len(body), 64)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

// htmlText returns an HTML page's <title>, or its text with tags removed.
func htmlText(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if i := indexFold(s, "<title>"); i >= 0 {
		rest := s[i+len("<title>"):]
		if j := indexFold(rest, "</title>"); j >= 0 {
			if t := strings.TrimSpace(rest[:j]); t != "" {
				return t
			}
		}
	}
	var out strings.Builder
	in := false
	for _, c := range s {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
			out.WriteByte(' ')
		case !in:
			out.WriteRune(c)
		}
	}
	return out.String()
}

// indexFold is strings.Index ignoring ASCII case; sub must be lower-case
// ASCII. Offsets are valid in s because only ASCII letters are folded.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		match := true
		for j := 0; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}
