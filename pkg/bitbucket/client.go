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

	"github.com/sigsentry/sigsentry/pkg/apiretry"
	"github.com/sigsentry/sigsentry/pkg/apitrace"
)

// DefaultAPIURL is the production API base.
const DefaultAPIURL = "https://api.bitbucket.org/2.0"

// DefaultMaxInFlight bounds concurrent requests across all repositories.
const DefaultMaxInFlight = 8

// DefaultMaxDiffBytes caps one raw diff (64 MiB).
const DefaultMaxDiffBytes = 64 << 20

// DefaultIdleTimeout is how long an attempt may go without receiving a byte
// (headers or body) before it is abandoned and retried.
const DefaultIdleTimeout = 30 * time.Second

// DefaultRequestBudget bounds one request with all its retries and waits:
// a server that trickles or stalls cannot hold a run longer than this per
// request (six stalled attempts cost at most 6 x DefaultIdleTimeout plus
// the backoff, well inside it).
const DefaultRequestBudget = 5 * time.Minute

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
	// IdleTimeout fails one attempt when the server sends no byte for this
	// long, while the request waits for the response headers or while it
	// reads the body; the attempt is then retried like a transport error,
	// and the error (a *StallError, matching ErrSlow) says which wait
	// stalled and after how many bytes. Zero means DefaultIdleTimeout; a
	// negative value turns the check off.
	IdleTimeout time.Duration
	// RequestBudget bounds one request, retries and the waits between them
	// included, counted from the moment its first attempt gets a slot of
	// MaxInFlight. When it runs out the request fails with a *GiveUpError
	// (matching ErrSlow) that says how many attempts were made in how long.
	// Zero means DefaultRequestBudget; a negative value means no budget.
	RequestBudget time.Duration
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
	trace        *apitrace.Tracer
	sleep        func(ctx context.Context, d time.Duration) error
	maxDiffBytes int64
	idle         time.Duration // <= 0: no idle check
	budget       time.Duration // <= 0: no budget

	// rateLimitSpent is set once a request has used all its attempts on 429:
	// Bitbucket's window is an hour, so later 429s fail without waiting
	// again. A success clears it.
	rateLimitSpent atomic.Bool
	// noFields is set once a page asked for with fields= came back without
	// its values: later pages are asked for without fields.
	noFields atomic.Bool
	// noDiffstatPagelen is set once a diffstat refused pagelen=500 and was
	// read at the server's default page size: later ones are asked so.
	noDiffstatPagelen atomic.Bool

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
		idle:         opts.IdleTimeout,
		budget:       opts.RequestBudget,
		base:         base,
		sem:          make(chan struct{}, opts.MaxInFlight),
		sleep:        opts.Sleep,
		maxDiffBytes: opts.MaxDiffBytes,
	}
	if c.sleep == nil {
		c.sleep = apiretry.Sleep
	}
	if c.maxDiffBytes <= 0 {
		c.maxDiffBytes = DefaultMaxDiffBytes
	}
	if c.idle == 0 {
		c.idle = DefaultIdleTimeout
	}
	if c.budget == 0 {
		c.budget = DefaultRequestBudget
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
		c.trace = apitrace.NewTracer(opts.Debug, c.scrub)
		hc = traced(hc, c.trace)
	}
	c.hc = hc
	return c, nil
}

func validateBaseURL(raw string) (*url.URL, error) {
	return CheckBaseURL("Bitbucket API URL", raw)
}

// CheckBaseURL checks a base URL that credentials will be sent to (the API
// base, the OAuth base) and returns it parsed, without a trailing slash and
// with a lower-case scheme. what names the URL in errors ("Bitbucket OAuth
// URL"). It must be https, or plain http on a loopback host (127.0.0.0/8,
// ::1, localhost; never 0.0.0.0 or a name that merely resolves to
// loopback), and carry no user info, query or fragment. It sends nothing.
func CheckBaseURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("parsing the %s: %w", what, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("checking the %s %q: it has no host", what, redactURL(u))
	}
	if u.User != nil {
		return nil, fmt.Errorf("checking the %s %q: credentials in the URL are not allowed", what, redactURL(u))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("checking the %s %q: it must not have a query or fragment", what, redactURL(u))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("checking the %s %q: plain http is allowed only for loopback hosts "+
				"(127.0.0.1, ::1, localhost); credentials would travel unencrypted", what, redactURL(u))
		}
	default:
		return nil, fmt.Errorf("checking the %s %q: the scheme must be https", what, redactURL(u))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u, nil
}

// IsLoopbackHost reports whether h (a host name or IP address, without a
// port) is a loopback host that plain http may be used with: "localhost" or
// an address in 127.0.0.0/8 or ::1. The unspecified address 0.0.0.0, which
// some systems connect to locally, is not.
func IsLoopbackHost(h string) bool {
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
	if req.URL.Scheme != "https" && !(req.URL.Scheme == "http" && IsLoopbackHost(req.URL.Hostname())) {
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
	// framed is false when the body's end was the connection's end
	// (HTTP/1.x without Content-Length or chunking): a cut there reads as a
	// complete body.
	framed bool
}

// authError marks a failure of the Authenticator; it is never retried.
type authError struct{ err error }

func (e *authError) Error() string { return "authenticating the request: " + e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// sentToken is the bearer token the request of resp carried, "" if none.
func sentToken(resp *http.Response) string {
	if resp == nil || resp.Request == nil {
		return ""
	}
	h := resp.Request.Header.Get("Authorization")
	if len(h) > len("Bearer ") && strings.EqualFold(h[:len("Bearer ")], "Bearer ") {
		return h[len("Bearer "):]
	}
	return ""
}

// checkFunc validates a 2xx answer. An error makes the attempt count as a
// transient server fault: it is retried like a transport error, and
// returned once the attempts or the budget run out.
type checkFunc func(r *response) error

// errBudget is the cause of a request context whose budget ran out; errIdle
// the cause of an attempt context that saw no byte for the idle timeout.
var (
	errBudget = errors.New("the request budget ran out")
	errIdle   = errors.New("the server sent nothing for the idle timeout")
)

// get sends a GET with retries. limit caps a successful body; over it the
// request fails with tooLarge. check, when not nil, validates a 2xx answer.
// On an HTTP error it returns an *APIError and the response (for its
// headers). Each attempt fails when the server stalls for the idle timeout;
// the whole request, retries included, is bounded by the request budget.
func (c *Client) get(ctx context.Context, rawURL, accept string, limit int64, tooLarge error, check checkFunc) (*response, error) {
	var (
		waited      time.Duration
		invalidated bool
		attempts    int
		start       time.Time
		deadline    time.Time
		rctx        = ctx
		stop        = func() {}
		// prev is the failure of the last attempt that ran to its end:
		// when the budget cuts the next one short, it says more than "the
		// budget ran out" does.
		prev error
	)
	defer func() { stop() }()
	for try := 1; ; try++ {
		attempts++
		if attempts > 1 {
			c.count(func(s *Stats) { s.Retries++ })
		}
		if err := c.acquire(rctx); err != nil {
			if ctx.Err() == nil && context.Cause(rctx) == errBudget {
				return nil, c.giveUp(rawURL, attempts-1, time.Since(start), true, fmt.Errorf("waiting for a free connection slot: %w", errBudget))
			}
			return nil, err
		}
		if start.IsZero() {
			start = time.Now()
			if c.budget > 0 {
				deadline = start.Add(c.budget)
				rctx, stop = withBudget(ctx, deadline) // stopped by the deferred call
			}
		}
		resp, hresp, err := c.attempt(rctx, rawURL, accept, limit, tooLarge)
		c.release()
		if err != nil {
			var ae *authError
			if errors.As(err, &ae) {
				return nil, err
			}
		}
		ok := err == nil && resp.status >= 200 && resp.status <= 299
		if ok && check != nil {
			if cerr := check(resp); cerr != nil {
				ok, err, hresp = false, cerr, nil
			}
		}
		if ok {
			c.rateLimitSpent.Store(false)
			return resp, nil
		}
		if err != nil && ctx.Err() == nil && context.Cause(rctx) == errBudget {
			if prev != nil {
				err = prev
			}
			return nil, c.giveUp(rawURL, attempts, time.Since(start), true, err)
		}
		if err == nil && resp.status == http.StatusUnauthorized && !invalidated {
			if inv, ok := c.opts.Auth.(Invalidator); ok {
				invalidated = true
				inv.Invalidate(sentToken(hresp))
				c.trace.Printf("! HTTP 401: refreshing the credential and retrying once\n")
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
		// A server asking for a longer wait than sigsentry gives answers
		// the same to every retry sent sooner: stop now, and say how long
		// it asked for.
		var asked time.Duration
		if retry && err == nil && hresp != nil {
			if d, ok := apiretry.RetryAfter(hresp.Header.Get("Retry-After"), time.Now()); ok && d > c.retry.WaitMax {
				asked = d
			}
		}
		if !retry || try >= c.retry.MaxAttempts || asked > 0 {
			if err != nil {
				if retry && attempts > 1 {
					return nil, c.giveUp(rawURL, attempts, time.Since(start), false, err)
				}
				return nil, err
			}
			if retry && resp.status == http.StatusTooManyRequests {
				c.rateLimitSpent.Store(true)
			}
			e := c.apiError(rawURL, resp, attempts, waited)
			e.RetryAfter = asked
			return resp, e
		}
		wait := apiretry.Clamp(c.retry.Backoff(c.retry.WaitMin, c.retry.WaitMax, try, hresp), 0, c.retry.WaitMax)
		last := err
		if last == nil {
			last = c.apiError(rawURL, resp, attempts, waited)
		}
		prev = last
		if !deadline.IsZero() && time.Now().Add(wait).After(deadline) {
			// The wait alone would outlast the budget: stop now.
			return nil, c.giveUp(rawURL, attempts, time.Since(start), true, last)
		}
		what := "a transport error"
		if err == nil {
			what = fmt.Sprintf("HTTP %d", resp.status)
		} else if errors.Is(err, ErrNotDiff) || errors.Is(err, ErrSlow) {
			what = capText(err.Error())
		}
		c.trace.Printf("! %s on GET %s: retrying in %s (attempt %d of %d)\n",
			what, redactURLString(rawURL), wait.Round(time.Millisecond), try+1, c.retry.MaxAttempts)
		c.count(func(s *Stats) { s.Backoff += wait })
		if serr := c.sleep(rctx, wait); serr != nil {
			if ctx.Err() == nil && context.Cause(rctx) == errBudget {
				return nil, c.giveUp(rawURL, attempts, time.Since(start), true, last)
			}
			return nil, fmt.Errorf("waiting to retry GET %s: %w", redactURLString(rawURL), serr)
		}
		waited += wait
	}
}

// withBudget is ctx with a deadline whose cause is errBudget.
func withBudget(ctx context.Context, deadline time.Time) (context.Context, func()) {
	return context.WithDeadlineCause(ctx, deadline, errBudget)
}

func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) release() { <-c.sem }

// giveUp wraps the last failure of a request that used up its attempts or
// its budget.
func (c *Client) giveUp(rawURL string, attempts int, elapsed time.Duration, budget bool, last error) error {
	e := &GiveUpError{Method: http.MethodGet, URL: redactURLString(rawURL), Attempts: attempts, Elapsed: elapsed, Err: last}
	if budget {
		e.Budget = c.budget
	}
	return e
}

// progressReader counts the bytes read and calls touch on every read that
// made progress, so the idle timer restarts.
type progressReader struct {
	r     io.Reader
	n     int64
	touch func()
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n += int64(n)
		p.touch()
	}
	return n, err
}

// attempt sends one request (the caller holds a slot of the semaphore) and
// reads the body. hresp is the bare response (no body) for
// CheckRetry/Backoff. When the server sends nothing for the idle timeout,
// while the request waits for headers or reads the body, the attempt fails
// with a *StallError.
func (c *Client) attempt(ctx context.Context, rawURL, accept string, limit int64, tooLarge error) (*response, *http.Response, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	touch := func() {}
	if c.idle > 0 {
		idle := time.AfterFunc(c.idle, func() { cancel(errIdle) })
		defer idle.Stop()
		touch = func() { idle.Reset(c.idle) }
	}
	stalled := func() bool { return context.Cause(actx) == errIdle && ctx.Err() == nil }
	budgetCut := func() bool { return context.Cause(ctx) == errBudget }

	req, err := http.NewRequestWithContext(actx, http.MethodGet, rawURL, nil)
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
		if stalled() {
			return nil, nil, &StallError{URL: redactURLString(rawURL), Idle: c.idle}
		}
		if budgetCut() {
			return nil, nil, fmt.Errorf("GET %s: still waiting for the response headers: %w", redactURLString(rawURL), errBudget)
		}
		return nil, nil, c.cleanTransportErr(err)
	}
	touch()
	defer hresp.Body.Close()
	c.count(func(s *Stats) { s.ByStatus[hresp.StatusCode]++ })
	r := &response{
		status: hresp.StatusCode,
		header: hresp.Header,
		framed: hresp.ProtoMajor >= 2 || hresp.ContentLength >= 0 || len(hresp.TransferEncoding) > 0 || hresp.Uncompressed,
	}
	bare := &http.Response{StatusCode: hresp.StatusCode, Status: hresp.Status, Header: hresp.Header, Request: hresp.Request}
	ok := hresp.StatusCode >= 200 && hresp.StatusCode <= 299
	if !ok {
		limit = maxErrorBytes
	} else if hresp.ContentLength > limit {
		return nil, nil, tooLarge
	}
	pr := &progressReader{r: hresp.Body, touch: touch}
	body, err := io.ReadAll(io.LimitReader(pr, limit+1))
	if err != nil {
		if stalled() {
			return nil, nil, &StallError{URL: redactURLString(rawURL), Idle: c.idle, Body: true, Bytes: pr.n}
		}
		if budgetCut() {
			return nil, nil, fmt.Errorf("GET %s: still reading the body after %d bytes: %w", redactURLString(rawURL), pr.n, errBudget)
		}
		if ok {
			return nil, nil, fmt.Errorf("reading the response of GET %s (%d bytes read): %w", redactURLString(rawURL), pr.n, c.cleanTransportErr(err))
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

// page is Bitbucket's paginated envelope. Values is a pointer so that a
// page without a values array ({} or "values": null) can be told from an
// empty one.
type page[T any] struct {
	Values *[]T   `json:"values"`
	Next   string `json:"next"`
}

// MaxListPages caps the pages of one listing: 1,000 pages hold 100,000
// commits at 100 a page, or 500,000 diffstat entries at 500. A longer
// listing fails with ErrBadPaging instead of running on.
const MaxListPages = 1000

// MaxEmptyPages is how many empty pages in a row, each still linking to
// another, a listing may have before it fails with ErrBadPaging: Bitbucket
// ends a listing by leaving out the next link, so a run of empty pages
// with fresh links is a server fault.
const MaxEmptyPages = 3

// walk GETs first and then each `next` link verbatim, handing every page's
// values to fn until fn returns false or no next link is left. A next link
// to another host or scheme than the base URL is read from the base URL's
// origin when its path lies under the base path and refused otherwise, so
// credentials never leave for somewhere else. A page without a values array is retried
// as a server fault; a repeated link, more than MaxListPages pages or more
// than MaxEmptyPages empty pages in a row end the walk with ErrBadPaging.
func walk[T any](ctx context.Context, c *Client, first string, fn func([]T) (more bool, err error)) error {
	cur := first
	seen := map[string]bool{}
	empty := 0
	for pages := 1; ; pages++ {
		if pages > MaxListPages {
			return fmt.Errorf("paging %s: stopped after %d pages, the most one listing may have: %w",
				redactURLString(first), MaxListPages, ErrBadPaging)
		}
		if seen[cur] {
			return fmt.Errorf("paging %s: the next link repeats a page already read: %w", redactURLString(first), ErrBadPaging)
		}
		seen[cur] = true
		p, err := getPage[T](ctx, c, cur)
		if err != nil {
			return err
		}
		values := *p.Values
		if len(values) == 0 && p.Next != "" {
			empty++
			if empty >= MaxEmptyPages {
				return fmt.Errorf("paging %s: %d empty pages in a row, each linking to another: %w",
					redactURLString(first), empty, ErrBadPaging)
			}
		} else {
			empty = 0
		}
		more, err := fn(values)
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

// getPage reads one page of a listing. Partial responses (`fields=`) are
// documented only in prose, so a server may apply them loosely: when a
// page asked for with fields comes back without its values array, the
// page is asked for again without fields, and so is every later page of
// this client.
func getPage[T any](ctx context.Context, c *Client, u string) (page[T], error) {
	var p page[T]
	if c.noFields.Load() {
		u = withoutFields(u)
	}
	strict := func(u string) func() error {
		return func() error {
			if p.Values == nil {
				return fmt.Errorf("reading the page GET %s: it has no values array: %w", redactURLString(u), ErrBadPaging)
			}
			return nil
		}
	}
	loose := withoutFields(u)
	if loose == u {
		_, err := c.getJSON(ctx, u, &p, strict(u))
		return p, err
	}
	if _, err := c.getJSON(ctx, u, &p, nil); err != nil {
		return p, err
	}
	if p.Values != nil {
		return p, nil
	}
	// getJSON zeroes p before it decodes, so nothing of the first answer
	// (its next link) outlives it.
	_, err := c.getJSON(ctx, loose, &p, strict(loose))
	if err == nil {
		c.noFields.Store(true)
	}
	return p, err
}

// withoutFields is u without its fields query parameters; the rest of the
// query (an opaque cursor among it) is kept byte for byte.
func withoutFields(u string) string {
	pu, err := url.Parse(u)
	if err != nil || pu.RawQuery == "" {
		return u
	}
	parts := strings.Split(pu.RawQuery, "&")
	kept := parts[:0]
	for _, part := range parts {
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil && k == "fields" {
			continue
		}
		kept = append(kept, part)
	}
	if len(kept) == len(parts) {
		return u
	}
	pu.RawQuery = strings.Join(kept, "&")
	return pu.String()
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
	if strings.EqualFold(nu.Scheme, c.base.Scheme) && hostPort(nu) == hostPort(c.base) && nu.User == nil {
		return next, nil
	}
	// A link to another origin is never followed there. A server that
	// writes its links from a public address other than the one it was
	// reached by (a proxy, localhost for 127.0.0.1, http behind TLS
	// termination) still means its own API, so a link whose path lies under
	// the base path is read from the base URL's origin instead.
	base := strings.TrimSuffix(c.base.EscapedPath(), "/")
	if nu.User == nil && (base == "" || nu.EscapedPath() == base || strings.HasPrefix(nu.EscapedPath(), base+"/")) {
		moved := *nu
		moved.Scheme, moved.Host = c.base.Scheme, c.base.Host
		return moved.String(), nil
	}
	return "", fmt.Errorf("following the next page link %s: it leaves %s://%s and the API's path %s, refusing to send credentials there",
		redactURL(nu), c.base.Scheme, c.base.Host, c.base.EscapedPath())
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
