// Package sentry is sigsentry's client for the part of Sentry's REST API that
// turns an issue into a signal: the issue (or its short id), one of its
// events as raw JSON, the release the event names and that release's
// commits. It authenticates with a Bearer auth token, refuses plain HTTP
// except on loopback hosts, retries 429 and 5xx answers honouring
// Retry-After, returns typed errors that say what to do, and can write a
// redacted trace of every request.
//
// Pull is the high-level entry point: it makes the fewest requests that
// give a signal and the commit of the release that crashed.
package sentry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/pkg/apiretry"
	"github.com/sigsentry/sigsentry/pkg/apitrace"
)

// DefaultBaseURL is sentry.io; organisations in a data region also answer at
// https://us.sentry.io or https://de.sentry.io.
const DefaultBaseURL = "https://sentry.io"

// apiPrefix is where the REST API lives below the base URL.
const apiPrefix = "/api/0"

// Body caps: one JSON answer (a large event with many frames and
// breadcrumbs stays well below it), and an error body.
const (
	maxJSONBytes  = 32 << 20
	maxErrorBytes = 64 << 10
)

// Options configure a Client.
type Options struct {
	// BaseURL is Sentry's address: https://sentry.io (default), a region
	// such as https://de.sentry.io, or a self-hosted Sentry (possibly below
	// a path, https://example.com/sentry). A trailing /api/0 is accepted.
	// Plain http:// is accepted only for loopback hosts.
	BaseURL string
	// Token is the auth token sent as `Authorization: Bearer`; empty sends
	// none.
	Token string
	// HTTPClient is the underlying client; nil uses NewHTTPClient.
	HTTPClient *http.Client
	// Debug, when not nil, receives a redacted trace of requests and
	// responses (the token never appears in it).
	Debug io.Writer
	// UserAgent is sent on every request.
	UserAgent string
	// Retry is the retry policy; nil means DefaultRetryPolicy().
	Retry *RetryPolicy
	// Sleep waits between attempts; it must return early with ctx.Err()
	// when ctx is done. Nil uses a timer. Tests inject a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to read an HTTP-date Retry-After or Sentry's
	// X-Sentry-Rate-Limit-Reset; nil means time.Now.
	Now func() time.Time
	// MaxCommitPages bounds the pages of release commits read by
	// ReleaseCommits (default DefaultMaxCommitPages).
	MaxCommitPages int
}

// Client talks to one Sentry deployment with one token. It is safe for
// concurrent use.
type Client struct {
	opts  Options
	base  *url.URL
	hc    *http.Client
	retry RetryPolicy
	trace *apitrace.Tracer
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time

	mu    sync.Mutex
	stats Stats
}

// Stats counts what a Client has sent; see Client.Stats.
type Stats struct {
	// Requests is the number of HTTP attempts sent, retries included.
	Requests int
	// Retries is the number of attempts that were repeats.
	Retries int
	// Backoff is the total time spent waiting between attempts.
	Backoff time.Duration
	// ByStatus counts responses by HTTP status.
	ByStatus map[int]int
}

// New returns a Client, or an error when BaseURL is unusable: it must be
// https, or plain http on a loopback host, and carry no user info, query or
// fragment. Nothing is sent before the URL has been checked.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	base, err := ParseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(opts.Token, "\r\n") {
		return nil, errors.New("checking the Sentry auth token: it spans several lines")
	}
	c := &Client{opts: opts, base: base, sleep: opts.Sleep, now: opts.Now}
	if c.sleep == nil {
		c.sleep = apiretry.Sleep
	}
	if c.now == nil {
		c.now = time.Now
	}
	if opts.Retry != nil {
		c.retry = opts.Retry.withDefaults()
	} else {
		c.retry = DefaultRetryPolicy()
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = NewHTTPClient()
	}
	if opts.Debug != nil {
		c.trace = apitrace.NewTracer(opts.Debug, c.scrub)
		hc = traced(hc, c.trace)
	}
	c.hc = hc
	return c, nil
}

// BaseURL is the normalized base the client sends to, without /api/0.
func (c *Client) BaseURL() string { return c.base.String() }

// ParseBaseURL checks and normalizes a Sentry base URL: https (or http on a
// loopback host), a host, no credentials, query or fragment; a trailing
// slash or /api/0 is dropped and the scheme and host are lower-cased.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing the Sentry URL: %w", err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("checking the Sentry URL %q: it has no host (want e.g. https://sentry.io)", redactURL(u))
	}
	if u.User != nil {
		return nil, fmt.Errorf("checking the Sentry URL %q: credentials in the URL are not allowed", redactURL(u))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, fmt.Errorf("checking the Sentry URL %q: it must not have a query or fragment", redactURL(u))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("checking the Sentry URL %q: plain http is allowed only for loopback hosts "+
				"(127.0.0.1, ::1, localhost); the auth token would travel unencrypted", redactURL(u))
		}
	default:
		return nil, fmt.Errorf("checking the Sentry URL %q: the scheme must be https", redactURL(u))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, apiPrefix)
	u.Path = strings.TrimRight(p, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopbackHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// NewHTTPClient returns the default HTTP client: 10 s to connect and for the
// TLS handshake, 60 s for response headers, 2 min for a whole request, and
// a redirect policy that never follows to plain http on a non-loopback host
// and drops the Authorization header when a redirect leaves the host (as
// net/http does).
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: t, Timeout: 2 * time.Minute, CheckRedirect: checkRedirect}
}

// errRedirect marks a redirect the client refused; it is never retried.
var errRedirect = errors.New("redirect refused")

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("stopped after 10 redirects: %w", errRedirect)
	}
	if req.URL.Scheme != "https" && !(req.URL.Scheme == "http" && isLoopbackHost(req.URL.Hostname())) {
		return fmt.Errorf("refusing a redirect to %s: %w", redactURL(req.URL), errRedirect)
	}
	return nil
}

// Stats returns a snapshot of the counters of every request made so far.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.ByStatus = make(map[int]int, len(c.stats.ByStatus))
	for k, v := range c.stats.ByStatus {
		s.ByStatus[k] = v
	}
	return s
}

func (c *Client) count(f func(s *Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stats.ByStatus == nil {
		c.stats.ByStatus = map[int]int{}
	}
	f(&c.stats)
}

// scrub removes the token from s, in case a server echoes it back.
func (c *Client) scrub(s string) string {
	if len(c.opts.Token) >= 4 {
		s = strings.ReplaceAll(s, c.opts.Token, "[redacted]")
	}
	return s
}

// endpoint is the API URL of path segments (each escaped) below /api/0/,
// with Sentry's trailing slash, and an optional query of alternating keys
// and values.
func (c *Client) endpoint(segments []string, query ...string) string {
	var b strings.Builder
	b.WriteString(c.base.String())
	b.WriteString(apiPrefix)
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	b.WriteByte('/')
	for i := 0; i+1 < len(query); i += 2 {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(query[i]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(query[i+1]))
	}
	return b.String()
}

// escapeSegment percent-encodes everything but RFC 3986's unreserved
// characters, so a release version's '@' and '+' reach Sentry unchanged
// whatever the server's path decoding.
func escapeSegment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || ch == '-' || ch == '.' || ch == '_' || ch == '~' {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[ch>>4])
		b.WriteByte(hex[ch&15])
	}
	return b.String()
}

// response is one completed HTTP exchange with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// target is what a request is after, for the error's hint.
type target struct {
	res       Resource
	org, name string
}

// get sends a GET with retries and returns a 2xx answer, or an *APIError
// (with the response, for its headers) for any other status.
func (c *Client) get(ctx context.Context, rawURL string, what target) (*response, error) {
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			c.count(func(s *Stats) { s.Retries++ })
		}
		resp, hresp, err := c.attempt(ctx, rawURL)
		if err == nil && resp.status >= 200 && resp.status <= 299 {
			return resp, nil
		}
		retry, cerr := c.retry.CheckRetry(ctx, hresp, err)
		if cerr != nil {
			err, retry = cerr, false
		}
		// A server that asks for a longer wait than sigsentry would give
		// it answers the same to every retry sent sooner: stop now and
		// say how long it asked for.
		var asked time.Duration
		if err == nil && hresp != nil {
			if d, ok := serverWait(hresp, c.now()); ok && d > c.retry.WaitMax {
				asked, retry = d, false
			}
		}
		if !retry || attempt >= c.retry.MaxAttempts {
			if err != nil {
				return nil, err
			}
			e := c.apiError(rawURL, what, resp, attempt, waited)
			e.RetryAfter = asked
			return resp, e
		}
		wait := apiretry.Clamp(c.retry.Backoff(c.retry.WaitMin, c.retry.WaitMax, attempt, hresp, c.now()), 0, c.retry.WaitMax)
		why := "a transport error"
		if err == nil {
			why = fmt.Sprintf("HTTP %d", resp.status)
		}
		c.trace.Printf("! %s on GET %s: retrying in %s (attempt %d of %d)\n",
			why, redactURLString(rawURL), wait.Round(time.Millisecond), attempt+1, c.retry.MaxAttempts)
		c.count(func(s *Stats) { s.Backoff += wait })
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("waiting to retry GET %s: %w", redactURLString(rawURL), serr)
		}
		waited += wait
	}
}

// attempt sends one request and reads the body. hresp is the bare response
// (no body) for CheckRetry and Backoff.
func (c *Client) attempt(ctx context.Context, rawURL string) (*response, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("building the request: %w", errors.Join(err, errNoRetry))
	}
	req.Header.Set("Accept", "application/json")
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	if c.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	}
	c.count(func(s *Stats) { s.Requests++ })
	hresp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, redactor.Err(err)
	}
	defer hresp.Body.Close()
	c.count(func(s *Stats) { s.ByStatus[hresp.StatusCode]++ })
	bare := &http.Response{StatusCode: hresp.StatusCode, Status: hresp.Status, Header: hresp.Header, Request: hresp.Request}
	ok := hresp.StatusCode >= 200 && hresp.StatusCode <= 299
	limit := int64(maxJSONBytes)
	if !ok {
		limit = maxErrorBytes
	} else if hresp.ContentLength > limit {
		return nil, nil, fmt.Errorf("reading GET %s: the answer is larger than %d MiB: %w", redactURLString(rawURL), limit>>20, errNoRetry)
	}
	body, err := io.ReadAll(io.LimitReader(hresp.Body, limit+1))
	if err != nil && ok {
		return nil, nil, fmt.Errorf("reading the answer of GET %s: %w", redactURLString(rawURL), redactor.Err(err))
	}
	if int64(len(body)) > limit {
		if ok {
			return nil, nil, fmt.Errorf("reading GET %s: the answer is larger than %d MiB: %w", redactURLString(rawURL), limit>>20, errNoRetry)
		}
		body = body[:limit] // an error answer cut short still says what went wrong
	}
	return &response{status: hresp.StatusCode, header: hresp.Header, body: body}, bare, nil
}

func (c *Client) apiError(rawURL string, what target, r *response, attempts int, waited time.Duration) *APIError {
	e := parseError(r.status, r.header.Get("Content-Type"), r.body)
	e.Method = http.MethodGet
	e.URL = redactURLString(rawURL)
	e.Resource, e.Org, e.Name = what.res, what.org, what.name
	e.OrgToken = strings.HasPrefix(c.opts.Token, "sntrys_")
	e.Detail = c.scrub(e.Detail)
	e.Code = c.scrub(e.Code)
	e.Attempts = attempts
	e.Waited = waited
	return e
}
