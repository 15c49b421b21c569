// Package apitrace holds what the API clients (pkg/bitbucket, pkg/sentry)
// share for showing their traffic safely: URLs and Authorization headers
// with credentials redacted, server text capped to one line, and the
// --debug trace of every request and response, redirects included.
package apitrace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Redactor replaces the values of the query parameters it names (lower
// case) when it renders a URL.
type Redactor map[string]bool

// URL renders u without user info and with the values of sensitive query
// parameters replaced by REDACTED, keeping the parameters' order.
func (r Redactor) URL(u *url.URL) string {
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
			if hasVal && r[strings.ToLower(name)] {
				parts[i] = k + "=REDACTED"
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.String()
}

// URLString is URL for a string that may not parse.
func (r Redactor) URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return r.URL(u)
}

// Err returns err with the URL of a *url.Error redacted; other errors are
// returned as they are.
func (r Redactor) Err(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: r.URLString(ue.URL), Err: ue.Err}
	}
	return err
}

// Authorization keeps the scheme of an Authorization header value.
func Authorization(v string) string {
	scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	if scheme == "" {
		return "[redacted]"
	}
	return scheme + " [redacted]"
}

// MaxText is the most runes CapText keeps.
const MaxText = 400

// CapText makes server text fit one line: invalid UTF-8 is replaced, runs
// of spaces and control characters become one space, and the text is cut
// at MaxText runes with an ellipsis.
func CapText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	n := 0 // runes written
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = n > 0
			continue
		}
		need := 1
		if space {
			need = 2
		}
		if n+need > MaxText {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Tracer writes whole lines to w, each passed through scrub first (which
// removes the secrets the client knows of), one writer at a time.
type Tracer struct {
	mu    sync.Mutex
	w     io.Writer
	scrub func(string) string
}

// NewTracer returns a Tracer writing to w; scrub may be nil.
func NewTracer(w io.Writer, scrub func(string) string) *Tracer {
	if scrub == nil {
		scrub = func(s string) string { return s }
	}
	return &Tracer{w: w, scrub: scrub}
}

// Printf writes one formatted, scrubbed piece of text; on a nil Tracer it
// does nothing.
func (t *Tracer) Printf(format string, a ...any) {
	if t == nil {
		return
	}
	line := t.scrub(fmt.Sprintf(format, a...))
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, line)
}

// MaxBody caps the error body a Transport shows.
const MaxBody = 512

// Transport wraps an HTTP transport so that every request it sends,
// redirected ones included, is traced with the Authorization header
// actually sent (its scheme only), and every response with its status,
// time, the headers named, and the start of an error body.
type Transport struct {
	Base     http.RoundTripper
	Tracer   *Tracer
	Redactor Redactor
	// RequestHeaders and ResponseHeaders are shown when present.
	RequestHeaders, ResponseHeaders []string
}

// Client returns a copy of hc whose transport (the default one when hc has
// none) is traced through tt; hc itself is left as it is.
func (tt Transport) Client(hc *http.Client) *http.Client {
	cp := *hc
	tt.Base = cp.Transport
	if tt.Base == nil {
		tt.Base = http.DefaultTransport
	}
	cp.Transport = &tt
	return &cp
}

// RoundTrip implements http.RoundTripper.
func (tt *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s", req.Method, tt.Redactor.URL(req.URL))
	if v := req.Header.Get("Authorization"); v != "" {
		fmt.Fprintf(&b, " Authorization: %s", Authorization(v))
	}
	for _, h := range tt.RequestHeaders {
		if v := req.Header.Get(h); v != "" {
			fmt.Fprintf(&b, " %s: %s", h, CapText(v))
		}
	}
	tt.Tracer.Printf("%s\n", b.String())

	start := time.Now()
	resp, err := tt.Base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		tt.Tracer.Printf("< %s %s error after %s: %v\n", req.Method, tt.Redactor.URL(req.URL), elapsed, tt.Redactor.Err(err))
		return nil, err
	}
	b.Reset()
	fmt.Fprintf(&b, "< %d %s %s (%s)", resp.StatusCode, req.Method, tt.Redactor.URL(req.URL), elapsed)
	for _, h := range tt.ResponseHeaders {
		if v := resp.Header.Get(h); v != "" {
			if h == "Location" {
				v = tt.Redactor.URLString(v)
			}
			fmt.Fprintf(&b, " %s: %s", h, CapText(v))
		}
	}
	if resp.StatusCode >= 400 && resp.Body != nil {
		head := make([]byte, MaxBody+1)
		n, _ := io.ReadFull(resp.Body, head)
		head = head[:n]
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
		text := CapText(string(head[:min(n, MaxBody)]))
		if n > MaxBody {
			text += " …(truncated)"
		}
		fmt.Fprintf(&b, " body: %s", text)
	}
	tt.Tracer.Printf("%s\n", b.String())
	return resp, nil
}
