package bitbucket

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/apitrace"
)

// Sentinel errors matched by errors.Is against an *APIError of the
// corresponding HTTP status.
var (
	// ErrUnauthorized matches HTTP 401: missing, expired or revoked credential.
	ErrUnauthorized = errors.New("bitbucket: unauthorized")
	// ErrForbidden matches HTTP 403: the credential lacks a scope or permission.
	ErrForbidden = errors.New("bitbucket: forbidden")
	// ErrNotFound matches HTTP 404: missing, or private and not visible.
	ErrNotFound = errors.New("bitbucket: not found")
	// ErrGone matches HTTP 410: the endpoint was removed (CHANGE-2770).
	ErrGone = errors.New("bitbucket: endpoint removed")
	// ErrRateLimited matches HTTP 429 after the retries ran out.
	ErrRateLimited = errors.New("bitbucket: rate limited")
	// ErrServer matches any HTTP 5xx answer, 555 included.
	ErrServer = errors.New("bitbucket: server error")
	// ErrDiffTooLarge is returned when a diff is bigger than
	// Options.MaxDiffBytes; it also matches HTTP 555, Bitbucket's answer when
	// a diff or diffstat took too long to compute. Callers fall back to
	// Diffstat.
	ErrDiffTooLarge = errors.New("bitbucket: diff too large")
)

// StatusDiffTooLarge is Bitbucket's non-standard status for a diff that
// timed out on the server.
const StatusDiffTooLarge = 555

// maxMessageLen caps APIError.Message and the error body shown in traces.
const maxMessageLen = apitrace.MaxText

// APIError is a non-2xx answer from Bitbucket.
type APIError struct {
	// StatusCode is the HTTP status (401, 403, 404, 410, 429, 5xx, 555).
	StatusCode int
	// Method and URL of the request (the URL carries no credential).
	Method, URL string
	// Message is Bitbucket's error.message, or the plain-text body.
	Message string
	// Detail is error.detail verbatim: a string or an object.
	Detail json.RawMessage
	// Required and Granted are the scopes Bitbucket reported on a 403.
	Required, Granted []string
	// Attempts is how many times the request was sent.
	Attempts int
	// Waited is the total time spent backing off between those attempts.
	Waited time.Duration
	// RetryAfter is how long the server asked to wait (Retry-After), when
	// that was longer than sigsentry waits and it stopped at once.
	RetryAfter time.Duration
}

// Error describes the failed request and Bitbucket's message. It never holds
// a request header.
func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	if d := e.detailText(); d != "" && !strings.Contains(msg, d) {
		msg += " (" + d + ")"
	}
	if len(e.Required) > 0 || len(e.Granted) > 0 {
		msg += fmt.Sprintf(" [required: %s; granted: %s]", scopeList(e.Required), scopeList(e.Granted))
	}
	return fmt.Sprintf("bitbucket: %s %s: HTTP %d: %s", e.Method, e.URL, e.StatusCode, msg)
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
	case ErrGone:
		return e.StatusCode == 410
	case ErrRateLimited:
		return e.StatusCode == 429
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrDiffTooLarge:
		return e.StatusCode == StatusDiffTooLarge
	}
	return false
}

// IsAuth reports whether the error means the credential is missing,
// expired or rejected (HTTP 401).
func (e *APIError) IsAuth() bool { return e.StatusCode == 401 }

// Hint is the fix for this kind of failure, in the contract's words.
func (e *APIError) Hint() string { return hintFor(e) }

func hintFor(e *APIError) string {
	switch {
	case e.StatusCode == 401:
		return "the token expired or the App password / API token was revoked " +
			"(App passwords stopped working on 2026-07-28); re-authorize with `" + advice.LoginCommand +
			"` or use an API token (`sigsentry auth api-token`)"
	case e.StatusCode == 403:
		h := "the credential lacks the repository read permission (`repository` scope " +
			"for OAuth and access tokens, `read:repository:bitbucket` for API tokens)"
		// /user and /user/workspaces need other scopes (OpenAPI
		// x-atlassian-oauth2-scopes): name the one this endpoint needs.
		switch endpointPath(e.URL) {
		case "/user":
			h = "the credential lacks the account read permission (`account` scope for OAuth, " +
				"`read:user:bitbucket` for API tokens); access tokens have no user, use `sigsentry auth token --repo`"
		case "/user/workspaces":
			h = "the credential lacks the workspace read permission (`account` scope for OAuth, " +
				"`read:workspace:bitbucket` for API tokens)"
		}
		if len(e.Required) > 0 || len(e.Granted) > 0 {
			h += fmt.Sprintf("; required: %s; granted: %s", scopeList(e.Required), scopeList(e.Granted))
		}
		return h
	case e.StatusCode == 404 && isCommitsPath(endpointPath(e.URL)):
		// The repository was found (its slug is in the path of a listing
		// Bitbucket answered "Commit not found" to): the ref is missing.
		return "the branch or commit does not exist in this repository (a renamed main branch? run `sigsentry repos add` " +
			"for the repository again to refresh it, or pass --ref); or the repo slug is mistyped, or the repo is in a " +
			"different workspace (or private and not visible to this account)"
	case e.StatusCode == 404:
		return "the repo slug is mistyped, or the repo is in a different workspace " +
			"(or private and not visible to this account)"
	case e.StatusCode == 410:
		return "Bitbucket removed this endpoint (CHANGE-2770); upgrade sigsentry"
	case e.StatusCode == 429:
		attempts := "1 attempt"
		if e.Attempts > 1 {
			attempts = fmt.Sprintf("%d attempts", e.Attempts)
		}
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Bitbucket's hourly request limit was hit and Bitbucket asked to wait %s, longer than sigsentry waits; "+
				"rerun after that: cached diffs are reused, so a rerun continues where this one stopped", e.RetryAfter.Round(time.Second))
		}
		return fmt.Sprintf("Bitbucket's hourly request limit was hit; sigsentry waited %s over %s; "+
			"rerun later (the limit is a rolling one-hour window): cached diffs are reused, "+
			"so a rerun continues where this one stopped", e.Waited.Round(time.Millisecond), attempts)
	case e.StatusCode == StatusDiffTooLarge:
		return "the diff is too large for Bitbucket to compute (HTTP 555); sigsentry falls back to the diffstat"
	case e.StatusCode >= 500:
		return "Bitbucket answered with a server error; try again later (see https://bitbucket.status.atlassian.com)"
	}
	return ""
}

// endpointPath is the API path of a request URL after its /2.0 prefix,
// without the query: "/user" for https://api.bitbucket.org/2.0/user?x=1.
func endpointPath(u string) string {
	u, _, _ = strings.Cut(u, "?")
	if i := strings.Index(u, "/2.0/"); i >= 0 {
		return strings.TrimSuffix(u[i+len("/2.0"):], "/")
	}
	return ""
}

// isCommitsPath reports whether an API path is a repository's commits
// listing (/repositories/{ws}/{slug}/commits[/{revision}]).
func isCommitsPath(p string) bool {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	return len(parts) >= 4 && parts[0] == "repositories" && parts[3] == "commits"
}

func scopeList(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

// detailText is Detail when it is a JSON string.
func (e *APIError) detailText() string {
	var s string
	if len(e.Detail) > 0 && json.Unmarshal(e.Detail, &s) == nil {
		return capText(s)
	}
	return ""
}

// parseError builds an APIError from an error response's status and body.
// The body may be Bitbucket's JSON envelope, plain text or an HTML page.
func parseError(status int, contentType string, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var eb errorBody
		if json.Unmarshal(trimmed, &eb) == nil && (eb.Error.Message != "" || len(eb.Error.Detail) > 0) {
			e.Message = capText(eb.Error.Message)
			if d := bytes.TrimSpace(eb.Error.Detail); len(d) > 0 && !bytes.Equal(d, []byte("null")) {
				if len(d) > maxMessageLen*4 {
					d = nil // too large to keep verbatim; scopes below still parsed
				}
				e.Detail = append(json.RawMessage(nil), d...)
				e.Required, e.Granted = scopesFrom(eb.Error.Detail)
			}
			if len(e.Required) == 0 && len(e.Granted) == 0 {
				e.Required, e.Granted = scopesFrom(eb.Error.Data)
			}
			return e
		}
		// OAuth-style {"error":"invalid_grant","error_description":"..."}.
		var oe struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(trimmed, &oe) == nil && oe.Error != "" {
			msg := oe.Error
			if oe.Description != "" {
				msg += ": " + oe.Description
			}
			e.Message = capText(msg)
			return e
		}
	}
	if isHTML(contentType, trimmed) {
		e.Message = capText(htmlText(trimmed))
		return e
	}
	e.Message = capText(string(trimmed))
	return e
}

// scopesFrom extracts {"required":[...],"granted":[...]} from a detail or
// data object; anything else yields nothing.
func scopesFrom(raw json.RawMessage) (required, granted []string) {
	var sc struct {
		Required json.RawMessage `json:"required"`
		Granted  json.RawMessage `json:"granted"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &sc) != nil {
		return nil, nil
	}
	return stringsFrom(sc.Required), stringsFrom(sc.Granted)
}

// stringsFrom accepts a JSON array of strings or one string (comma or space
// separated).
func stringsFrom(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		out := list[:0]
		for _, s := range list {
			if s = capText(s); s != "" {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return splitScopes(s)
	}
	return nil
}

// splitScopes splits a comma and/or space separated scope list.
func splitScopes(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	if len(f) == 0 {
		return nil
	}
	return f
}

func isHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := bytes.ToLower(body[:min(len(body), 64)])
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// htmlText returns an HTML page's <title>, or its text with tags removed.
func htmlText(b []byte) string {
	// ASCII lower-casing keeps every offset valid in b; bytes.ToLower does
	// not (it turns each invalid UTF-8 byte into a 3-byte U+FFFD).
	lower := asciiLower(b)
	if i := bytes.Index(lower, []byte("<title>")); i >= 0 {
		rest := b[i+len("<title>"):]
		if j := bytes.Index(lower[i+len("<title>"):], []byte("</title>")); j >= 0 {
			if t := strings.TrimSpace(string(rest[:j])); t != "" {
				return t
			}
		}
	}
	var out strings.Builder
	in := false
	for _, c := range string(b) {
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

// asciiLower returns a copy of b with A-Z lower-cased and every other byte
// unchanged, so it has b's length.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// ErrSlow matches every failure caused by a server that was too slow: an
// attempt that stalled for Options.IdleTimeout (*StallError) and a request
// whose Options.RequestBudget ran out (*GiveUpError with a Budget).
var ErrSlow = errors.New("bitbucket: the server is too slow")

// ErrNotDiff matches a 200 answer to a diff request that is not a diff: an
// HTML page (maintenance, login), a JSON body, or text that does not start
// with a diff header. Such answers are retried like a transient server
// fault; the error is returned once the attempts or the budget run out.
var ErrNotDiff = errors.New("bitbucket: the answer is not a diff")

// ErrBadPaging matches a listing whose pages cannot be trusted: a next link
// that repeats a page, more than MaxListPages pages, a run of empty pages
// that still link to another, or a page without a values array.
var ErrBadPaging = errors.New("bitbucket: the listing's paging is broken")

// StallError is an attempt abandoned because the server sent no byte for
// Idle: while the client waited for the response headers, or, when Body is
// set, while it read the body after Bytes bytes. It matches ErrSlow.
type StallError struct {
	// URL is the request's URL, redacted.
	URL string
	// Idle is the idle timeout that expired.
	Idle time.Duration
	// Body is set when the headers had arrived and the body stalled.
	Body bool
	// Bytes is how much of the body had arrived.
	Bytes int64
}

func (e *StallError) Error() string {
	if e.Body {
		return fmt.Sprintf("GET %s: reading the body stalled after %d bytes: nothing arrived for %s", e.URL, e.Bytes, e.Idle)
	}
	return fmt.Sprintf("GET %s: waiting for the response headers: nothing arrived for %s", e.URL, e.Idle)
}

// Is makes errors.Is(err, ErrSlow) true.
func (e *StallError) Is(target error) bool { return target == ErrSlow }

// GiveUpError is a request abandoned after Attempts attempts in Elapsed:
// its retries ran out on a transient fault (a transport error, a stall, an
// answer that failed its check), or, when Budget is set, its request budget
// ran out. Err is the last attempt's failure, or, when the budget cut an
// attempt short, the failure of the attempt before it (the last answer the
// server gave).
type GiveUpError struct {
	Method, URL string
	Attempts    int
	Elapsed     time.Duration
	// Budget is Options.RequestBudget when the budget ran out, else zero.
	Budget time.Duration
	Err    error
}

func (e *GiveUpError) Error() string {
	attempts := "1 attempt"
	if e.Attempts != 1 {
		attempts = fmt.Sprintf("%d attempts", e.Attempts)
	}
	why := ""
	if e.Budget > 0 {
		why = fmt.Sprintf(" (the request budget of %s ran out)", e.Budget)
	}
	last := "no attempt was made"
	if e.Err != nil {
		last = e.Err.Error()
	}
	return fmt.Sprintf("%s %s: gave up after %s in %s%s: %s", e.Method, e.URL, attempts,
		e.Elapsed.Round(time.Millisecond), why, last)
}

// Unwrap returns Err.
func (e *GiveUpError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSlow) true when the budget ran out.
func (e *GiveUpError) Is(target error) bool { return target == ErrSlow && e.Budget > 0 }

// NotDiffError is a 200 answer to a diff request that is not a diff. It
// wraps ErrNotDiff.
type NotDiffError struct {
	// URL is the request's URL, redacted.
	URL string
	// ContentType is the answer's Content-Type header.
	ContentType string
	// Reason says what is wrong with it.
	Reason string
	// Head is the start of the body (or an HTML page's title), made safe
	// to print.
	Head string
}

func (e *NotDiffError) Error() string {
	msg := fmt.Sprintf("GET %s: the answer is not a diff: %s", e.URL, e.Reason)
	if e.Head != "" {
		msg += fmt.Sprintf(" (it starts %q)", e.Head)
	}
	return msg
}

// Unwrap returns ErrNotDiff.
func (e *NotDiffError) Unwrap() error { return ErrNotDiff }
