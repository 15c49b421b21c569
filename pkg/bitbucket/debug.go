package bitbucket

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/apitrace"
)

// redactor names the query parameters whose values are never printed.
var redactor = apitrace.Redactor{
	"token": true, "access_token": true, "code": true, "refresh_token": true,
	"client_secret": true, "password": true, "secret": true, "jwt": true,
	"id_token": true, "api_token": true,
}

// redactURL renders u without user info and with the values of sensitive
// query parameters replaced, keeping the parameters' order.
func redactURL(u *url.URL) string { return redactor.URL(u) }

// redactURLString is redactURL for a string that may not parse.
func redactURLString(s string) string { return redactor.URLString(s) }

// capText makes server text fit one line (apitrace.CapText).
func capText(s string) string { return apitrace.CapText(s) }

// traced returns a copy of hc that traces every request, redirects
// included.
func traced(hc *http.Client, t *apitrace.Tracer) *http.Client {
	return apitrace.Transport{Tracer: t, Redactor: redactor,
		RequestHeaders: []string{"Accept"},
		ResponseHeaders: []string{
			"Content-Type", "Content-Length", "Location", "Retry-After",
			"X-Credential-Type", "X-OAuth-Scopes", "X-Accepted-OAuth-Scopes",
			"X-RateLimit-Limit", "X-RateLimit-Resource", "X-RateLimit-NearLimit",
			"X-Request-Id",
		}}.Client(hc)
}

// TracedOAuthClient returns an HTTP client for the OAuth token endpoint
// (code exchange and refresh) that traces each request and answer on w as
// the API client's --debug trace does: the Authorization header by its
// scheme only, an error answer's body with secrets (the client secret and
// any other given) replaced, a successful answer's body (the tokens) never.
func TracedOAuthClient(w io.Writer, secrets ...string) *http.Client {
	scrub := func(s string) string {
		for _, sec := range secrets {
			if len(sec) >= 4 {
				s = strings.ReplaceAll(s, sec, "[redacted]")
			}
		}
		return s
	}
	return traced(&http.Client{}, apitrace.NewTracer(w, scrub))
}
