// Package bitbuckettest is a stateful fake of Bitbucket Cloud: a real HTTP
// server on 127.0.0.1, like net/http/httptest, that serves the REST API 2.0
// and the OAuth 2.0 endpoints from real git directories with Bitbucket's
// JSON shapes, status codes and quirks (opaque commit cursors, 410 for the
// CHANGE-2770 endpoints, plain-text 429, 555 for huge diffs, rotating refresh
// tokens, privilege-scope 403s with an object detail).
//
// It records every request and has latency, fault and rate-limit knobs, so
// tests can assert how many calls a command made and how it handles failures.
// It is used by the project's tests and by `sigsentry demo`; it therefore
// imports neither the client package nor the testing package.
package bitbuckettest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
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
	// status). Secrets are never logged.
	Logf func(format string, args ...any)
	// Now is the server's clock (token and code expiry, the rate-limit
	// window, request times); nil means time.Now.
	Now func() time.Time
	// AutoApprove makes GET /site/oauth2/authorize grant at once with a 302
	// instead of serving the consent page (for non-browser tests).
	AutoApprove bool
	// MaxDiffBytes is the diff size above which /diff and /patch answer 555
	// as Bitbucket does when a diff times out; 0 means 64 MiB.
	MaxDiffBytes int
	// AccessTokenTTL is the lifetime of issued OAuth access tokens; 0 means
	// 7200 s, what Bitbucket returns in expires_in.
	AccessTokenTTL time.Duration
	// CodeTTL is the lifetime of authorization codes; 0 means 5 minutes.
	CodeTTL time.Duration
	// DateIsAuthorTime serves each commit's author time as its date
	// instead of its committer time (what Bitbucket Cloud serves).
	DateIsAuthorTime bool
	// TreeSize, when set, is the size that folder listings of /src report,
	// as a repository with that many files and folders would: a client
	// that will not list so large a tree stops after the first page.
	TreeSize int
}

// Request is one request the server received, as recorded by Requests.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	// AuthKind is "basic", "bearer" or "none" (or the lower-cased scheme of
	// any other Authorization header).
	AuthKind string
	Status   int
	Time     time.Time
}

// Server is a fake Bitbucket Cloud. All methods are safe for concurrent use.
type Server struct {
	opts     Options
	listener net.Listener
	http     *http.Server
	url      string
	secret   []byte // keys cursors and ids

	git *gitCache

	closed    chan struct{} // closed by Close, ends stalled and trickled answers
	closeOnce sync.Once

	mu            sync.Mutex
	latency       time.Duration
	autoApprove   bool
	users         []*userState
	workspaces    map[string]*workspaceState // by lower-case slug
	repos         map[string]*repoState      // by lower-case "ws/slug"
	apiTokens     map[string]apiToken        // by token
	appPasswords  map[string]string          // username -> password
	accessTokens  map[string]AccessToken     // by token
	consumers     map[string]*Consumer       // by key
	pending       map[string]*authRequest    // consent pages by request id
	codes         map[string]*authCode
	oauthAccess   map[string]*oauthToken
	refreshTokens map[string]*refreshToken
	refreshes     int
	requests      []Request
	faults        []*fault
	rateLimit     int
	rateHits      map[string][]time.Time     // principal -> authenticated request times
	tooLarge      map[string]bool            // commit hashes whose diff answers 555
	statTooLarge  map[string]bool            // commit hashes whose diffstat answers 555
	cursors       map[string]cursor          // commit page tokens
	encoded       map[string]json.RawMessage // commit JSON by repo uuid + hash
}

// NewServer starts a Server on 127.0.0.1 on a free port. Call Close when done.
// It panics if it cannot listen, like httptest.NewServer.
func NewServer(opts Options) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("bitbuckettest: listening on 127.0.0.1: %v", err))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxDiffBytes <= 0 {
		opts.MaxDiffBytes = 64 << 20
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = 7200 * time.Second
	}
	if opts.CodeTTL <= 0 {
		opts.CodeTTL = 5 * time.Minute
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic(fmt.Sprintf("bitbuckettest: reading random bytes: %v", err))
	}
	s := &Server{
		opts:          opts,
		listener:      ln,
		url:           "http://" + ln.Addr().String(),
		secret:        secret,
		git:           newGitCache(),
		closed:        make(chan struct{}),
		latency:       opts.Latency,
		autoApprove:   opts.AutoApprove,
		workspaces:    map[string]*workspaceState{},
		repos:         map[string]*repoState{},
		apiTokens:     map[string]apiToken{},
		appPasswords:  map[string]string{},
		accessTokens:  map[string]AccessToken{},
		consumers:     map[string]*Consumer{},
		pending:       map[string]*authRequest{},
		codes:         map[string]*authCode{},
		oauthAccess:   map[string]*oauthToken{},
		refreshTokens: map[string]*refreshToken{},
		rateHits:      map[string][]time.Time{},
		tooLarge:      map[string]bool{},
		statTooLarge:  map[string]bool{},
		cursors:       map[string]cursor{},
		encoded:       map[string]json.RawMessage{},
	}
	s.http = &http.Server{
		Handler:           s.middleware(s.routes()),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = s.http.Serve(ln) }()
	return s
}

// Close stops the server, closing open connections, and waits for nothing
// else; in-flight handlers see their request context end.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	_ = s.http.Close()
}

// URL is the server's base, http://127.0.0.1:PORT (the "bitbucket.org" host).
func (s *Server) URL() string { return s.url }

// APIURL is the REST API base, URL()+"/2.0".
func (s *Server) APIURL() string { return s.url + "/2.0" }

// OAuthURL is the OAuth base, URL()+"/site/oauth2"; /authorize and
// /access_token are below it.
func (s *Server) OAuthURL() string { return s.url + "/site/oauth2" }

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

// CountRequests counts recorded requests whose path matches. Without '*' the
// argument is a path prefix ("/2.0/repositories/acme/api/diff/"); with '*' it
// is a pattern matched against the whole path, where '*' matches any run of
// characters including '/' ("/2.0/repositories/*/diff/*").
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
	return globMatch(pattern, p)
}

// globMatch matches p against pattern where '*' matches any run of bytes.
func globMatch(pattern, p string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(p, parts[0]) {
		return false
	}
	p = p[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(p, mid)
		if i < 0 {
			return false
		}
		p = p[i+len(mid):]
	}
	return strings.HasSuffix(p, last) && len(p) >= len(last)
}

// FailNext makes the next n requests whose path contains pathSubstring fail
// with status: 429 answers Bitbucket's plain-text rate-limit body, any other
// status a JSON error envelope. Faults apply before authentication; n ==
// Forever fails every such request, n == 0 none. On the OAuth token path
// ("/site/oauth2/access_token") FailNext(…, 401, 1) makes the next token
// refresh fail as an expired or revoked login would.
func (s *Server) FailNext(pathSubstring string, status int, n int) {
	s.addFault(pathSubstring, n, func(w *statusWriter, r *http.Request, next http.Handler) {
		writeFault(w, status)
	})
}

// SetRateLimit makes every principal (user, access token, OAuth consumer)
// get 429 after n authenticated requests in the rolling hour; 0 removes the
// limit.
func (s *Server) SetRateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = n
	s.rateHits = map[string][]time.Time{}
}

// SetLatency changes the delay added to every request.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetAutoApprove switches Options.AutoApprove at run time.
func (s *Server) SetAutoApprove(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autoApprove = on
}

// ForceDiffTooLarge makes /diff and /patch of the commit hash (a full hash
// or a prefix of at least 7 characters) answer 555 like a timed-out diff.
// /diffstat still answers, as clients fall back to it; use FailNext to make
// it fail too.
func (s *Server) ForceDiffTooLarge(hash string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tooLarge[strings.ToLower(hash)] = true
}

// ForceDiffstatTooLarge makes /diffstat of the commit hash (a full hash or
// a prefix of at least 7 characters) answer 555 too, as Bitbucket does when
// even the diffstat times out. With ForceDiffTooLarge this is "555 on both
// diff and diffstat": a client has no counts for the commit at all.
func (s *Server) ForceDiffstatTooLarge(hash string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statTooLarge[strings.ToLower(hash)] = true
}

func (s *Server) isTooLarge(hash string) bool { return s.forced(s.tooLarge, hash) }

func (s *Server) isStatTooLarge(hash string) bool { return s.forced(s.statTooLarge, hash) }

func (s *Server) forced(set map[string]bool, hash string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h := range set {
		if len(h) >= 7 && strings.HasPrefix(hash, h) {
			return true
		}
	}
	return false
}

// Refreshes reports how many refresh_token grants succeeded.
func (s *Server) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// ExpireAccessTokens makes every OAuth access token issued so far expired,
// so using one answers 401 until the client refreshes.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.opts.Now().Add(-time.Second)
	for _, t := range s.oauthAccess {
		t.expires = past
	}
}

func (s *Server) now() time.Time { return s.opts.Now() }

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// randomToken returns n random bytes in hex.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("bitbuckettest: reading random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

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

// Unwrap lets http.NewResponseController reach the connection (Flush,
// Hijack) through the recorder.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

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

// middleware applies latency and injected faults, and records the request.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			status := sw.status
			if status == 0 {
				status = 499 // client went away before an answer
			}
			s.mu.Lock()
			s.requests = append(s.requests, Request{
				Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
				AuthKind: authKind(r), Status: status, Time: s.now(),
			})
			s.mu.Unlock()
			s.logf("bitbuckettest: %s %s -> %d", r.Method, r.URL.Path, status)
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
		if f := s.takeFault(r.URL.Path); f != nil {
			f.serve(sw, r, next)
			return
		}
		next.ServeHTTP(sw, r)
	})
}

func writeFault(w http.ResponseWriter, status int) {
	switch {
	case status == http.StatusTooManyRequests:
		writeRateLimited(w)
	case status == 555:
		writeError(w, status, "Timeout: the diff took too long to compute.", nil)
	case status >= 500:
		writeError(w, status, "Something went wrong", nil)
	default:
		writeError(w, status, http.StatusText(status), nil)
	}
}

func writeRateLimited(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte("Rate limit for this resource has been exceeded"))
}

// allowRate records one authenticated request of principal and reports
// whether it is inside the limit.
func (s *Server) allowRate(principal string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimit <= 0 {
		return true
	}
	now := s.now()
	hits := s.rateHits[principal]
	cut := 0
	for cut < len(hits) && now.Sub(hits[cut]) >= time.Hour {
		cut++
	}
	hits = hits[cut:]
	if len(hits) >= s.rateLimit {
		s.rateHits[principal] = hits
		return false
	}
	s.rateHits[principal] = append(hits, now)
	return true
}
