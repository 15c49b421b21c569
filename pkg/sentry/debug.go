package sentry

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// sensitiveParams are query parameters whose values are never printed.
var sensitiveParams = map[string]bool{
	"token": true, "access_token": true, "auth_token": true, "api_key": true,
	"key": true, "secret": true, "password": true, "sentry_key": true,
}

// redactURL renders u without user info and with the values of sensitive
// query parameters replaced, keeping the parameters' order.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			k, _, hasVal := strings.Cut(p, "=")
			name, err := url.QueryUnescape(k)
			if err != nil {
				name = k
			}
			if hasVal && sensitiveParams[strings.ToLower(name)] {
				parts[i] = k + "=REDACTED"
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.String()
}

// redactURLString is redactURL for a string that may not parse.
func redactURLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return redactURL(u)
}

// tracedResponseHeaders are the response headers shown by --debug.
var tracedResponseHeaders = []string{
	"Content-Type", "Content-Length", "Location", "Retry-After", "Link",
	"X-Sentry-Rate-Limit-Limit", "X-Sentry-Rate-Limit-Remaining", "X-Sentry-Rate-Limit-Reset",
	"X-Sentry-Rate-Limit-ConcurrentRemaining",
}

// maxTracedBody caps the error body printed by --debug.
const maxTracedBody = 512

// tracer writes one line per request and per response, scrubbed of the
// token.
type tracer struct {
	mu    sync.Mutex
	w     io.Writer
	scrub func(string) string
}

func (t *tracer) printf(format string, a ...any) {
	if t == nil {
		return
	}
	line := t.scrub(fmt.Sprintf(format, a...))
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, line)
}

// traceTransport wraps the HTTP transport so that redirected requests are
// traced too.
type traceTransport struct {
	base http.RoundTripper
	t    *tracer
}

func (tt *traceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s", req.Method, redactURL(req.URL))
	if v := req.Header.Get("Authorization"); v != "" {
		scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
		fmt.Fprintf(&b, " Authorization: %s [redacted]", scheme)
	}
	tt.t.printf("%s\n", b.String())

	start := time.Now()
	resp, err := tt.base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		tt.t.printf("< %s %s error after %s: %v\n", req.Method, redactURL(req.URL), elapsed, cleanTransportErr(err))
		return nil, err
	}
	b.Reset()
	fmt.Fprintf(&b, "< %d %s %s (%s)", resp.StatusCode, req.Method, redactURL(req.URL), elapsed)
	for _, h := range tracedResponseHeaders {
		if v := resp.Header.Get(h); v != "" {
			if h == "Location" {
				v = redactURLString(v)
			}
			fmt.Fprintf(&b, " %s: %s", h, capText(v))
		}
	}
	if resp.StatusCode >= 400 && resp.Body != nil {
		head := make([]byte, maxTracedBody+1)
		n, _ := io.ReadFull(resp.Body, head)
		head = head[:n]
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
		text := capText(string(head[:min(n, maxTracedBody)]))
		if n > maxTracedBody {
			text += " …(truncated)"
		}
		fmt.Fprintf(&b, " body: %s", text)
	}
	tt.t.printf("%s\n", b.String())
	return resp, nil
}
