package bitbucket

import (
	"encoding/json"
	"fmt"
)

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
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("bitbucket: %s %s: HTTP %d: %s", e.Method, e.URL, e.StatusCode, msg)
}

// IsAuth reports whether the error means the credential is missing,
// expired or rejected (HTTP 401).
func (e *APIError) IsAuth() bool { return e.StatusCode == 401 }

// Hint is the fix for this kind of failure, in the contract's words.
func (e *APIError) Hint() string { return hintFor(e) }

func hintFor(e *APIError) string { return "" }
