package bitbucket

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestNewValidatesBaseURL(t *testing.T) {
	tests := []struct {
		url     string
		wantErr string // empty: accepted
	}{
		{"", ""},
		{"https://api.bitbucket.org/2.0", ""},
		{"https://api.bitbucket.org/2.0/", ""},
		{"http://127.0.0.1:8080/2.0", ""},
		{"http://127.1.2.3/2.0", ""},
		{"http://[::1]:9000/2.0", ""},
		{"http://localhost:9000/2.0", ""},
		{"http://api.bitbucket.org/2.0", "plain http is allowed only for loopback hosts"},
		{"http://10.0.0.1/2.0", "plain http is allowed only for loopback hosts"},
		{"http://localhost.evil.example/2.0", "plain http is allowed only for loopback hosts"},
		{"ftp://api.bitbucket.org/2.0", "scheme must be https"},
		{"https:///2.0", "has no host"},
		{"api.bitbucket.org/2.0", "has no host"},
		{"https://user:hunter2-secret@api.bitbucket.org/2.0", "credentials in the URL are not allowed"},
		{"https://api.bitbucket.org/2.0?access_token=abc", "must not have a query"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := New(Options{BaseURL: tt.url})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("got no error, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("got error %q, want it to contain %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error %q shows the password", err)
			}
		})
	}
}

type staticTS struct{ tok string }

func (s staticTS) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: s.tok, TokenType: "bearer"}, nil
}

func TestAuthenticators(t *testing.T) {
	tests := []struct {
		name string
		auth Authenticator
		want string
	}{
		{"basic", BasicAuth("me@example.com", "api-token-secret"),
			"Basic " + base64.StdEncoding.EncodeToString([]byte("me@example.com:api-token-secret"))},
		{"bearer", BearerAuth("repo-access-token"), "Bearer repo-access-token"},
		{"oauth", OAuth(staticTS{"oauth-access-token"}), "Bearer oauth-access-token"},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, query, ua string
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, query, ua = r.Header.Get("Authorization"), r.URL.RawQuery, r.UserAgent()
				writeJSON(w, 200, map[string]any{"uuid": "{u}"})
			}), func(o *Options) { o.Auth = tt.auth })
			if _, _, err := c.CurrentUser(context.Background()); err != nil {
				t.Fatalf("CurrentUser: %v", err)
			}
			if got != tt.want {
				t.Errorf("got Authorization %q, want %q", got, tt.want)
			}
			if query != "" {
				t.Errorf("got query %q, want none (tokens never in the query)", query)
			}
			if ua != "sigsentry-test" {
				t.Errorf("got User-Agent %q, want sigsentry-test", ua)
			}
		})
	}
}

// refreshingTS hands out token-1 until invalidated, then token-2.
type refreshingTS struct {
	mu          sync.Mutex
	gen         int
	invalidated int
	rejected    []string
}

func (r *refreshingTS) Token() (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen == 0 {
		r.gen = 1
	}
	return &oauth2.Token{AccessToken: "oauth-token-" + string(rune('0'+r.gen))}, nil
}

func (r *refreshingTS) Invalidate(rejected string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invalidated++
	r.rejected = append(r.rejected, rejected)
	r.gen++
}

func TestOAuthInvalidateRetriesOnceOn401(t *testing.T) {
	tests := []struct {
		name            string
		accept          string // the token the server accepts
		wantRequests    int
		wantInvalidated int
		wantErr         error
	}{
		{"refresh fixes it", "Bearer oauth-token-2", 2, 1, nil},
		{"still rejected after refresh", "Bearer nothing", 2, 1, ErrUnauthorized},
		{"first token fine", "Bearer oauth-token-1", 1, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := &refreshingTS{}
			var n atomic.Int32
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				if r.Header.Get("Authorization") != tt.accept {
					writeBBError(w, 401, "Access token expired.")
					return
				}
				writeJSON(w, 200, map[string]any{"uuid": "{u}"})
			}), func(o *Options) { o.Auth = OAuth(ts) })
			_, _, err := c.CurrentUser(context.Background())
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if got := int(n.Load()); got != tt.wantRequests {
				t.Errorf("got %d requests, want %d", got, tt.wantRequests)
			}
			if ts.invalidated != tt.wantInvalidated {
				t.Errorf("got %d Invalidate calls, want %d", ts.invalidated, tt.wantInvalidated)
			}
			if tt.wantInvalidated > 0 && (len(ts.rejected) == 0 || ts.rejected[0] != "oauth-token-1") {
				t.Errorf("Invalidate got %q, want the rejected request's token oauth-token-1", ts.rejected)
			}
		})
	}
}

func TestNoInvalidateRetryWithoutInvalidator(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeBBError(w, 401, "Invalid credentials")
	}), func(o *Options) { o.Auth = OAuth(staticTS{"static-oauth-token"}) })
	_, _, err := c.CurrentUser(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || !ae.IsAuth() {
		t.Fatalf("got error %v, want an *APIError with IsAuth", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("got %d requests, want 1 (a 401 is not retried without a refreshable token)", got)
	}
}

func TestSameHostRedirectKeepsAuthorization(t *testing.T) {
	var gotAuth string
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/2.0/repositories/acme/api/diff/"):
			http.Redirect(w, r, "/2.0/diff-moved/acme/api:abc", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/2.0/diff-moved/"):
			gotAuth = r.Header.Get("Authorization")
			_, _ = w.Write([]byte("diff --git a/x b/x\n"))
		default:
			http.NotFound(w, r)
		}
	}), nil)
	raw, err := c.Diff(context.Background(), "acme", "api", "abc")
	if err != nil {
		t.Fatalf("Diff: %v", err)
	}
	if string(raw.Body) != "diff --git a/x b/x\n" {
		t.Errorf("got body %q, want the redirected diff", raw.Body)
	}
	if gotAuth != "Bearer test-bearer-token-0123456789" {
		t.Errorf("got Authorization %q after a same-host redirect, want the bearer token kept", gotAuth)
	}
}

func TestRedirectToPlainHTTPRefused(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"https://api.bitbucket.org/x", "http://evil.example/x", false},
		{"https://api.bitbucket.org/x", "https://api.bitbucket.org/y", true},
		{"http://127.0.0.1/x", "http://127.0.0.1/y", true},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("GET", tt.to, nil)
		prev, _ := http.NewRequest("GET", tt.from, nil)
		err := checkRedirect(req, []*http.Request{prev})
		if got := err == nil; got != tt.want {
			t.Errorf("redirect %s -> %s: got allowed=%v (%v), want %v", tt.from, tt.to, got, err, tt.want)
		}
	}
}

func TestMaxInFlightBoundsConcurrency(t *testing.T) {
	const limit, total = 8, 20
	var (
		mu       sync.Mutex
		inFlight int
		peak     int
	)
	arrived := make(chan struct{}, total)
	release := make(chan struct{})
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		arrived <- struct{}{}
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		_, _ = w.Write([]byte(testDiff))
	}), func(o *Options) { o.MaxInFlight = limit })

	var wg sync.WaitGroup
	errs := make(chan error, total)
	for i := range total {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Diff(context.Background(), "acme", "api", "h"+string(rune('a'+i)))
			errs <- err
		}()
	}
	for range limit {
		<-arrived // limit requests are in the handler at once
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Diff: %v", err)
		}
	}
	if peak != limit {
		t.Errorf("got peak concurrency %d, want %d", peak, limit)
	}
	if got := c.Stats().Requests; got != total {
		t.Errorf("got %d requests counted, want %d", got, total)
	}
}

func TestSemaphoreNotHeldDuringBackoff(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	var slowCalls atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/slow") && slowCalls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(testDiff))
	}), func(o *Options) {
		o.MaxInFlight = 1
		o.Sleep = func(ctx context.Context, _ time.Duration) error {
			close(started)
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	done := make(chan error, 1)
	go func() {
		_, err := c.Diff(context.Background(), "acme", "api", "slow")
		done <- err
	}()
	<-started
	// The only slot must be free while "slow" waits to retry.
	if _, err := c.Diff(context.Background(), "acme", "api", "fast"); err != nil {
		t.Fatalf("Diff during another request's backoff: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Diff after backoff: %v", err)
	}
}

func TestStatsCounts(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write([]byte(testDiff))
	}), func(o *Options) {
		o.Retry = &RetryPolicy{Backoff: func(_, _ time.Duration, attempt int, _ *http.Response) time.Duration {
			return time.Duration(attempt) * time.Millisecond
		}}
	})
	if _, err := c.Diff(context.Background(), "acme", "api", "abc"); err != nil {
		t.Fatalf("Diff: %v", err)
	}
	s := c.Stats()
	if s.Requests != 3 || s.Retries != 2 || s.Backoff != 3*time.Millisecond || s.ByStatus[502] != 2 || s.ByStatus[200] != 1 {
		t.Errorf("got stats %+v, want 3 requests, 2 retries, 3ms backoff, 2x502, 1x200", s)
	}
}

type failingTS struct{}

func (failingTS) Token() (*oauth2.Token, error) {
	return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "refresh token revoked"}
}

func TestAuthenticatorErrorKeepsCauseAndIsNotRetried(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
	}), func(o *Options) { o.Auth = OAuth(failingTS{}) })
	_, err := c.Repository(context.Background(), "acme", "api")
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("got error %v, want one wrapping *oauth2.RetrieveError invalid_grant", err)
	}
	if got := n.Load(); got != 0 {
		t.Errorf("got %d requests, want 0", got)
	}
}

func TestCheckNextHost(t *testing.T) {
	c, err := New(Options{BaseURL: "https://api.bitbucket.org/2.0"})
	if err != nil {
		t.Fatal(err)
	}
	cur := "https://api.bitbucket.org/2.0/repositories/a/b/commits/main?pagelen=100"
	tests := []struct {
		next string
		want string // empty: refused
	}{
		{"https://api.bitbucket.org/2.0/repositories/a/b/commits/main?page=dbtR", "https://api.bitbucket.org/2.0/repositories/a/b/commits/main?page=dbtR"},
		{"https://API.bitbucket.org:443/2.0/x?page=2", "https://API.bitbucket.org:443/2.0/x?page=2"},
		{"/2.0/x?page=3", "https://api.bitbucket.org/2.0/x?page=3"},
		// Another origin: read from the base URL's origin, never from there.
		{"http://api.bitbucket.org/2.0/x?page=2", "https://api.bitbucket.org/2.0/x?page=2"},
		{"https://api.bitbucket.org.evil.example/2.0/x", "https://api.bitbucket.org/2.0/x"},
		{"https://api.bitbucket.org:8443/2.0/x?page=2", "https://api.bitbucket.org/2.0/x?page=2"},
		{"http://localhost:8080/2.0", "https://api.bitbucket.org/2.0"},
		// Outside the API's path, or with credentials of its own: refused.
		{"https://evil.example/x/2.0/y", ""},
		{"https://evil.example/2.0x", ""},
		{"https://user:pw@api.bitbucket.org/2.0/x", ""},
		{"https://user:pw@evil.example/2.0/x", ""},
	}
	for _, tt := range tests {
		got, err := c.checkNext(cur, tt.next)
		if tt.want == "" {
			if err == nil {
				t.Errorf("next %q: got %q, want a refusal", tt.next, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("next %q: got %q, %v; want %q", tt.next, got, err, tt.want)
		}
	}
}
