// Package bitbucket is sigsentry's client for the Bitbucket Cloud REST API 2.0:
// authentication transports, paging that follows opaque `next` links, retries
// with backoff on 429 and 5xx, bounded concurrency, typed errors and a
// redacted debug trace.
package bitbucket

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
	"sync/atomic"
	"time"
)

// DefaultAPIURL is the production API base.
const DefaultAPIURL = "https://api.bitbucket.org/2.0"

// DefaultMaxInFlight bounds concurrent requests across all repositories.
const DefaultMaxInFlight = 8

// DefaultMaxDiffBytes caps one raw diff (64 MiB).
const DefaultMaxDiffBytes = 64 << 20

// maxJSONBytes caps one JSON page; maxErrorBytes caps an error body read.
const (
	maxJSONBytes  = 32 << 20
	maxErrorBytes = 64 << 10
)

// Options configure a Client.
type Options struct {
	// BaseURL is the API base, e.g. https://api.bitbucket.org/2.0. Plain
	// http:// is accepted only for loopback hosts. Empty means DefaultAPIURL.
	BaseURL string
	// Auth authenticates each request; nil sends none.
	Auth Authenticator
	// HTTPClient is the underlying client; nil uses NewHTTPClient.
	HTTPClient *http.Client
	// MaxInFlight bounds concurrent requests (default DefaultMaxInFlight).
	MaxInFlight int
	// Debug, when not nil, receives a redacted trace of requests/responses.
	Debug io.Writer
	// UserAgent is sent on every request.
	UserAgent string
	// MaxDiffBytes caps a raw diff (default DefaultMaxDiffBytes); a bigger
	// diff fails with ErrDiffTooLarge.
	MaxDiffBytes int64
	// Retry is the retry policy; nil means DefaultRetryPolicy().
	Retry *RetryPolicy
	// Sleep waits between attempts; it must return early with ctx.Err()
	// when ctx is done. Nil uses a timer. Tests inject a fake.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Authenticator adds credentials to a request.
type Authenticator interface {
	// Authenticate sets the Authorization header (or similar) on req.
	Authenticate(req *http.Request) error
}

// Client talks to Bitbucket Cloud. It is safe for concurrent use; all
// goroutines using one Client share its MaxInFlight bound.
type Client struct {
	opts         Options
	base         *url.URL
	hc           *http.Client
	retry        RetryPolicy
	sem          chan struct{}
	trace        *tracer
	sleep        func(ctx context.Context, d time.Duration) error
	maxDiffBytes int64

	// rateLimitSpent is set once a request has used all its attempts on 429:
	// Bitbucket's window is an hour, so later 429s fail without waiting
	// again. A success clears it.
	rateLimitSpent atomic.Bool

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
	// TransportErrors counts attempts that got no HTTP response.
	TransportErrors int
	// ByStatus counts responses by HTTP status.
	ByStatus map[int]int
}

// ErrNotImplemented is returned by parts that are not built yet.
//
// Deprecated: every method is implemented; kept for callers that compared
// against it.
var ErrNotImplemented = errors.New("not implemented")

// New returns a Client, or an error when BaseURL is unusable: it must be
// https, or plain http on a loopback host, and carry no user info.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultAPIURL
	}
	base, err := validateBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = DefaultMaxInFlight
	}
	c := &Client{
		opts:         opts,
		base:         base,
		sem:          make(chan struct{}, opts.MaxInFlight),
		sleep:        opts.Sleep,
		maxDiffBytes: opts.MaxDiffBytes,
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.maxDiffBytes <= 0 {
		c.maxDiffBytes = DefaultMaxDiffBytes
	}
	if opts.Retry != nil {
		c.retry = opts.Retry.withDefaults()
	} else {
		c.retry = DefaultRetryPolicy()
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = NewHTTPClient(opts.MaxInFlight)
	}
	if opts.Debug != nil {
		c.trace = &tracer{w: opts.Debug, scrub: c.scrub}
		cp := *hc
		rt := cp.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		cp.Transport = &traceTransport{base: rt, t: c.trace}
		hc = &cp
	}
	c.hc = hc
	return c, nil
}

func validateBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("parsing the Bitbucket API URL: %w", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("checking the Bitbucket API URL %q: it has no host", redactURL(u))
	}
	if u.User != nil {
		return nil, fmt.Errorf("checking the Bitbucket API URL %q: credentials in the URL are not allowed", redactURL(u))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("checking the Bitbucket API URL %q: it must not have a query or fragment", redactURL(u))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("checking the Bitbucket API URL %q: plain http is allowed only for loopback hosts "+
				"(127.0.0.1, ::1, localhost); credentials would travel unencrypted", redactURL(u))
		}
	default:
		return nil, fmt.Errorf("checking the Bitbucket API URL %q: the scheme must be https", redactURL(u))
	}
	u.Scheme = strings.ToLower(u.Scheme)
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
// TLS handshake, 60 s for response headers, 5 min for a whole request (a
// large diff can take long), enough idle connections per host for
// maxInFlight concurrent requests, and a redirect policy that keeps
// Authorization on same-host redirects (Bitbucket 302s some diff endpoints)
// but refuses to follow one to plain http on a non-loopback host.
func NewHTTPClient(maxInFlight int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = max(maxInFlight, 2)
	return &http.Client{
		Transport:     t,
		Timeout:       5 * time.Minute,
		CheckRedirect: checkRedirect,
	}
}

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

// scrub removes every secret the authenticator holds from s.
func (c *Client) scrub(s string) string {
	sh, ok := c.opts.Auth.(secretHolder)
	if !ok {
		return s
	}
	for _, sec := range sh.secrets() {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// endpoint joins the base URL with path segments, each escaped, and a
// query given as alternating keys and values (commas kept readable).
func (c *Client) endpoint(segments []string, query ...string) string {
	var b strings.Builder
	b.WriteString(c.base.String())
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	for i := 0; i+1 < len(query); i += 2 {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(query[i]))
		b.WriteByte('=')
		b.WriteString(strings.ReplaceAll(url.QueryEscape(query[i+1]), "%2C", ","))
	}
	return b.String()
}

// response is one completed HTTP exchange with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// authError marks a failure of the Authenticator; it is never retried.
type authError struct{ err error }

func (e *authError) Error() string { return "authenticating the request: " + e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// get sends a GET with retries. limit caps a successful body; over it the
// request fails with tooLarge. On an HTTP error it returns an *APIError and
// the response (for its headers).
func (c *Client) get(ctx context.Context, rawURL, accept string, limit int64, tooLarge error) (*response, error) {
	var (
		waited      time.Duration
		invalidated bool
		attempts    int
	)
	for try := 1; ; try++ {
		attempts++
		if attempts > 1 {
			c.count(func(s *Stats) { s.Retries++ })
		}
		resp, hresp, err := c.attempt(ctx, rawURL, accept, limit, tooLarge)
		if err != nil {
			var ae *authError
			if errors.As(err, &ae) {
				return nil, err
			}
		}
		if err == nil && resp.status >= 200 && resp.status <= 299 {
			c.rateLimitSpent.Store(false)
			return resp, nil
		}
		if err == nil && resp.status == http.StatusUnauthorized && !invalidated {
			if inv, ok := c.opts.Auth.(Invalidator); ok {
				invalidated = true
				inv.Invalidate()
				c.trace.printf("! HTTP 401: refreshing the credential and retrying once\n")
				try-- // a refresh is not a backoff attempt
				continue
			}
		}
		retry, cerr := c.retry.CheckRetry(ctx, hresp, err)
		if cerr != nil {
			err = cerr
			retry = false
		}
		if retry && err == nil && resp.status == http.StatusTooManyRequests && c.rateLimitSpent.Load() {
			retry = false
		}
		if !retry || try >= c.retry.MaxAttempts {
			if err != nil {
				return nil, err
			}
			if retry && resp.status == http.StatusTooManyRequests {
				c.rateLimitSpent.Store(true)
			}
			return resp, c.apiError(rawURL, resp, attempts, waited)
		}
		wait := clampDur(c.retry.Backoff(c.retry.WaitMin, c.retry.WaitMax, try, hresp), 0, c.retry.WaitMax)
		what := "a transport error"
		if err == nil {
			what = fmt.Sprintf("HTTP %d", resp.status)
		}
		c.trace.printf("! %s on GET %s: retrying in %s (attempt %d of %d)\n",
			what, redactURLString(rawURL), wait.Round(time.Millisecond), try+1, c.retry.MaxAttempts)
		c.count(func(s *Stats) { s.Backoff += wait })
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("waiting to retry GET %s: %w", redactURLString(rawURL), serr)
		}
		waited += wait
	}
}

// attempt sends one request while holding a slot of the semaphore and reads
// the body. hresp is the bare response (no body) for CheckRetry/Backoff.
func (c *Client) attempt(ctx context.Context, rawURL, accept string, limit int64, tooLarge error) (*response, *http.Response, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-c.sem }()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, &authError{fmt.Errorf("building the request: %w", err)}
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	if c.opts.Auth != nil {
		if err := c.opts.Auth.Authenticate(req); err != nil {
			return nil, nil, &authError{err} // keeps e.g. *oauth2.RetrieveError for errors.As
		}
	}
	c.count(func(s *Stats) { s.Requests++ })
	hresp, err := c.hc.Do(req)
	if err != nil {
		c.count(func(s *Stats) { s.TransportErrors++ })
		return nil, nil, c.cleanTransportErr(err)
	}
	defer hresp.Body.Close()
	c.count(func(s *Stats) { s.ByStatus[hresp.StatusCode]++ })
	r := &response{status: hresp.StatusCode, header: hresp.Header}
	bare := &http.Response{StatusCode: hresp.StatusCode, Status: hresp.Status, Header: hresp.Header, Request: hresp.Request}
	ok := hresp.StatusCode >= 200 && hresp.StatusCode <= 299
	if !ok {
		limit = maxErrorBytes
	} else if hresp.ContentLength > limit {
		return nil, nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(hresp.Body, limit+1))
	if err != nil {
		if ok {
			return nil, nil, fmt.Errorf("reading the response of GET %s: %w", redactURLString(rawURL), c.cleanTransportErr(err))
		}
		// An error answer cut short still says what went wrong.
	}
	if int64(len(body)) > limit {
		if ok {
			return nil, nil, tooLarge
		}
		body = body[:limit]
	}
	r.body = body
	return r, bare, nil
}

// cleanTransportErr redacts the URL inside a *url.Error and any secret.
func (c *Client) cleanTransportErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: redactURLString(ue.URL), Err: ue.Err}
	}
	return err
}

func (c *Client) apiError(rawURL string, r *response, attempts int, waited time.Duration) *APIError {
	e := parseError(r.status, r.header.Get("Content-Type"), r.body)
	e.Method = http.MethodGet
	e.URL = redactURLString(rawURL)
	e.Message = c.scrub(e.Message)
	if len(e.Detail) > 0 {
		e.Detail = []byte(c.scrub(string(e.Detail)))
	}
	e.Attempts = attempts
	e.Waited = waited
	if len(e.Required) == 0 && r.status == http.StatusForbidden {
		// Bitbucket names accepted scopes in a header on some 403s.
		e.Required = splitScopes(r.header.Get("X-Accepted-OAuth-Scopes"))
		if len(e.Required) > 0 {
			e.Granted = splitScopes(r.header.Get("X-OAuth-Scopes"))
		}
	}
	return e
}

// page is Bitbucket's paginated envelope.
type page[T any] struct {
	Values []T    `json:"values"`
	Next   string `json:"next"`
}

// walk GETs first and then each `next` link verbatim, handing every page's
// values to fn until fn returns false or no next link is left. A next link
// to another host or scheme than the base URL is refused, so credentials
// never leave for somewhere else.
func walk[T any](ctx context.Context, c *Client, first string, fn func([]T) (more bool, err error)) error {
	cur := first
	seen := map[string]bool{}
	for {
		if seen[cur] {
			return fmt.Errorf("paging %s: the next link repeats a page already read", redactURLString(first))
		}
		seen[cur] = true
		var p page[T]
		if _, err := c.getJSON(ctx, cur, &p); err != nil {
			return err
		}
		more, err := fn(p.Values)
		if err != nil || !more || p.Next == "" {
			return err
		}
		next, err := c.checkNext(cur, p.Next)
		if err != nil {
			return err
		}
		cur = next
	}
}

func (c *Client) checkNext(cur, next string) (string, error) {
	nu, err := url.Parse(next)
	if err != nil {
		return "", fmt.Errorf("following the next page link: %w", err)
	}
	if !nu.IsAbs() {
		cu, err := url.Parse(cur)
		if err != nil {
			return "", fmt.Errorf("following the next page link: %w", err)
		}
		nu = cu.ResolveReference(nu)
		next = nu.String()
	}
	if !strings.EqualFold(nu.Scheme, c.base.Scheme) || hostPort(nu) != hostPort(c.base) || nu.User != nil {
		return "", fmt.Errorf("following the next page link %s: it leaves %s://%s, refusing to send credentials there",
			redactURL(nu), c.base.Scheme, c.base.Host)
	}
	return next, nil
}

// hostPort is u's lower-case host with the scheme's default port made
// explicit, so api.bitbucket.org and api.bitbucket.org:443 compare equal.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return net.JoinHostPort(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), port)
}
