// Package sentrytest is a stateful fake of Sentry's REST API: a real HTTP
// server on 127.0.0.1, like net/http/httptest, serving the calls sigsentry
// makes (issues, short ids, issue events with recommended/latest/oldest,
// event ids, releases, release commits with Link cursors, repositories)
// with Sentry's JSON shapes, status codes and headers: Bearer tokens with
// scopes, 401/403/404 with {"detail": ...}, 429 with Retry-After and
// X-Sentry-Rate-Limit-* headers.
//
// It records every request and has latency, fault and rate-limit knobs, so
// tests can assert how many calls a command made and how it handles
// failures. Its answers are checked against Sentry's published OpenAPI
// schemas in its tests. It imports neither the client package nor the
// testing package, so `sigsentry demo` can use it.
package sentrytest

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Latency is added to every request before it is handled; a request
	// whose context ends first is dropped.
	Latency time.Duration
	// Logf, when not nil, receives one line per request (method, path,
	// status). Tokens are never logged.
	Logf func(format string, args ...any)
	// Now is the server's clock (event defaults, rate-limit windows,
	// Retry-After dates); nil means time.Now.
	Now func() time.Time
	// PageSize is the number of release commits and repositories a page
	// holds; 0 means 100, Sentry's.
	PageSize int
}

// Request is one request the server received, as recorded by Requests.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	// Auth is "bearer", "none", or the lower-cased scheme of any other
	// Authorization header.
	Auth   string
	Status int
	Time   time.Time
}

// RetryAfterStyle is how a 429 answer says when to come back.
type RetryAfterStyle int

// The ways a 429 can say when to come back.
const (
	// RetryAfterSeconds sends Retry-After in seconds and
	// X-Sentry-Rate-Limit-Reset.
	RetryAfterSeconds RetryAfterStyle = iota
	// RetryAfterDate sends Retry-After as an HTTP date.
	RetryAfterDate
	// RetryAfterResetOnly sends only X-Sentry-Rate-Limit-Reset, as most
	// of Sentry's endpoints do.
	RetryAfterResetOnly
	// RetryAfterNone sends neither.
	RetryAfterNone
)

type fault struct {
	substr string
	status int
	left   int
}

// Server is a fake Sentry. All methods are safe for concurrent use.
type Server struct {
	opts     Options
	listener net.Listener
	http     *http.Server
	url      string

	mu         sync.Mutex
	latency    time.Duration
	orgs       map[string]*orgState
	tokens     map[string]Token
	seq        int
	issueSeq   int
	requests   []Request
	faults     []*fault
	faultWait  time.Duration
	style      RetryAfterStyle
	rateLimit  int
	rateWindow time.Duration
	rateHits   map[string][]time.Time
}

// NewServer starts a Server on 127.0.0.1 on a free port. Call Close when
// done. It panics if it cannot listen, like httptest.NewServer.
func NewServer(opts Options) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("sentrytest: listening on 127.0.0.1: %v", err))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	s := &Server{
		opts:      opts,
		listener:  ln,
		url:       "http://" + ln.Addr().String(),
		latency:   opts.Latency,
		orgs:      map[string]*orgState{},
		tokens:    map[string]Token{},
		faultWait: time.Second,
		rateHits:  map[string][]time.Time{},
	}
	s.http = &http.Server{Handler: s.middleware(s.routes()), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s
}

// Close stops the server and closes open connections.
func (s *Server) Close() { _ = s.http.Close() }

// URL is the server's base, http://127.0.0.1:PORT (the "sentry.io"); the
// API is below URL()+"/api/0".
func (s *Server) URL() string { return s.url }

// Requests returns a copy of the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// CountRequests counts recorded requests whose path matches. Without '*'
// the argument is a path prefix; with '*' it is a pattern matched against
// the whole path, where '*' matches any run of characters including '/'
// ("/api/0/organizations/*/releases/*/commits/").
func (s *Server) CountRequests(pathPrefixOrPattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if pathMatches(pathPrefixOrPattern, r.Path) {
			n++
		}
	}
	return n
}

func pathMatches(pattern, p string) bool {
	if !strings.Contains(pattern, "*") {
		return strings.HasPrefix(p, pattern)
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(p, parts[0]) {
		return false
	}
	p = p[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(p, mid)
		if i < 0 {
			return false
		}
		p = p[i+len(mid):]
	}
	last := parts[len(parts)-1]
	return strings.HasSuffix(p, last)
}

// FailNext makes the next n requests whose path contains pathSubstring fail
// with status: 429 answers Sentry's rate-limit body with the headers of
// SetRetryAfterStyle asking for a 1-second wait, 5xx {"detail": "Internal
// Error"}, any other status its text. Faults apply before authentication.
func (s *Server) FailNext(pathSubstring string, status, n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{substr: pathSubstring, status: status, left: n})
}

// SetRetryAfterStyle sets how 429 answers say when to come back.
func (s *Server) SetRetryAfterStyle(style RetryAfterStyle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.style = style
}

// SetFaultWait sets the wait a faulted 429 asks for (default 1 s).
func (s *Server) SetFaultWait(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultWait = d
}

// SetRateLimit lets each token make n requests per window (fixed windows
// aligned to the epoch, as Sentry's are); further requests get 429 until
// the window ends. n = 0 removes the limit. Every answer then carries
// X-Sentry-Rate-Limit-Limit, -Remaining and -Reset.
func (s *Server) SetRateLimit(n int, window time.Duration) {
	if window <= 0 {
		window = time.Second
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.rateWindow = n, window
	s.rateHits = map[string][]time.Time{}
}

// SetLatency changes the delay added to every request.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) now() time.Time { return s.opts.Now() }

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func authKind(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "none"
	}
	scheme, _, _ := strings.Cut(h, " ")
	return strings.ToLower(scheme)
}

// middleware applies latency, faults and the rate limit, and records the
// request.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			status := sw.status
			if status == 0 {
				status = 499 // the client went away before an answer
			}
			s.mu.Lock()
			s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
				Auth: authKind(r), Status: status, Time: s.now()})
			s.mu.Unlock()
			if s.opts.Logf != nil {
				s.opts.Logf("sentrytest: %s %s -> %d", r.Method, r.URL.Path, status)
			}
		}()
		s.mu.Lock()
		d := s.latency
		s.mu.Unlock()
		if d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if status, wait := s.takeFault(r.URL.Path); status != 0 {
			if status == http.StatusTooManyRequests {
				s.writeRateLimited(sw, wait, 0)
			} else {
				writeStatus(sw, status)
			}
			return
		}
		if limited, wait, remaining := s.checkRate(r); limited {
			s.writeRateLimited(sw, wait, 0)
			return
		} else if remaining >= 0 {
			s.rateHeaders(sw, wait, remaining)
		}
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) takeFault(p string) (int, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if strings.Contains(p, f.substr) {
			f.left--
			if f.left <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f.status, s.faultWait
		}
	}
	return 0, 0
}

// checkRate counts the request against its token's window. wait is the
// time to the window's end; remaining is -1 when no limit is set.
func (s *Server) checkRate(r *http.Request) (limited bool, wait time.Duration, remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimit <= 0 {
		return false, 0, -1
	}
	key := r.Header.Get("Authorization")
	now := s.now()
	start := now.Truncate(s.rateWindow)
	wait = start.Add(s.rateWindow).Sub(now)
	hits := s.rateHits[key]
	for len(hits) > 0 && hits[0].Before(start) {
		hits = hits[1:]
	}
	if len(hits) >= s.rateLimit {
		s.rateHits[key] = hits
		return true, wait, 0
	}
	s.rateHits[key] = append(hits, now)
	return false, wait, s.rateLimit - len(hits) - 1
}

func (s *Server) rateHeaders(w http.ResponseWriter, wait time.Duration, remaining int) {
	s.mu.Lock()
	limit := s.rateLimit
	s.mu.Unlock()
	if limit <= 0 {
		limit = 40
	}
	reset := float64(s.now().Add(wait).UnixNano()) / 1e9
	w.Header().Set("X-Sentry-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Sentry-Rate-Limit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-Sentry-Rate-Limit-Reset", strconv.FormatFloat(math.Ceil(reset), 'f', 0, 64))
	w.Header().Set("X-Sentry-Rate-Limit-ConcurrentLimit", "25")
	w.Header().Set("X-Sentry-Rate-Limit-ConcurrentRemaining", "24")
}

// writeRateLimited answers 429 as Sentry does, saying when to come back
// in the configured style.
func (s *Server) writeRateLimited(w http.ResponseWriter, wait time.Duration, remaining int) {
	s.mu.Lock()
	style, limit := s.style, s.rateLimit
	window := s.rateWindow
	s.mu.Unlock()
	if limit <= 0 {
		limit, window = 40, time.Second
	}
	switch style {
	case RetryAfterSeconds:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.rateHeaders(w, wait, remaining)
	case RetryAfterDate:
		w.Header().Set("Retry-After", s.now().Add(wait).UTC().Format(http.TimeFormat))
	case RetryAfterResetOnly:
		s.rateHeaders(w, wait, remaining)
	}
	writeDetail(w, http.StatusTooManyRequests, fmt.Sprintf(
		"You are attempting to use this endpoint too frequently. Limit is %d requests in %d seconds", limit, max(int(window.Seconds()), 1)))
}

func writeStatus(w http.ResponseWriter, status int) {
	switch {
	case status >= 500:
		writeJSON(w, status, map[string]any{"detail": "Internal Error", "errorId": hexOf("error", strconv.Itoa(status))})
	case status == http.StatusUnauthorized:
		writeDetail(w, status, msgInvalidToken)
	case status == http.StatusForbidden:
		writeDetail(w, status, msgForbidden)
	case status == http.StatusNotFound:
		writeDetail(w, status, msgNotFound)
	default:
		writeDetail(w, status, http.StatusText(status))
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]any{"detail": detail})
}
