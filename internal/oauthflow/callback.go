package oauthflow

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Errors of the callback.
var (
	// ErrStateMismatch means a callback did not carry this login's state:
	// it is ignored and the wait goes on.
	ErrStateMismatch = errors.New("the callback's state does not match this login (ignored: it may be an old or forged link)")
	// ErrAccessDenied means the user clicked Cancel on the consent page.
	ErrAccessDenied = errors.New("access was denied on Bitbucket's consent page")
	// ErrNoCode means a callback had the right state but neither a code nor an error.
	ErrNoCode = errors.New("the callback carries no authorization code")
)

// CallbackError is an error= answer from the authorization server.
type CallbackError struct {
	Code, Description string
}

func (e *CallbackError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("authorization failed: %s: %s", e.Code, e.Description)
	}
	return "authorization failed: " + e.Code
}

// Is makes errors.Is(err, ErrAccessDenied) true for error=access_denied.
func (e *CallbackError) Is(target error) bool {
	return target == ErrAccessDenied && e.Code == "access_denied"
}

// stateMatches compares in constant time.
func stateMatches(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// ParseCallbackQuery checks a callback's query against the expected state
// and returns the authorization code. A wrong or missing state gives
// ErrStateMismatch (checked before anything else, so an attacker's error=
// is ignored too); error=... gives a *CallbackError.
func ParseCallbackQuery(q url.Values, state string) (string, error) {
	if !stateMatches(q.Get("state"), state) {
		return "", ErrStateMismatch
	}
	if e := q.Get("error"); e != "" {
		return "", &CallbackError{Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", ErrNoCode
	}
	return code, nil
}

// ParseRedirectURL parses a redirect URL pasted from the browser's address
// bar (the whole URL, or just its query) and checks it like
// ParseCallbackQuery.
func ParseRedirectURL(raw, state string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("empty input: paste the whole address from the browser")
	}
	query := raw
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		u, err := url.Parse(raw)
		if err != nil {
			return "", fmt.Errorf("parsing the pasted URL: %w", err)
		}
		if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
			return "", fmt.Errorf("parsing the pasted URL: unexpected scheme %q", u.Scheme)
		}
		query = raw[i+1:]
	}
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("parsing the pasted URL's query: %w", err)
	}
	return ParseCallbackQuery(q, state)
}
