package bitbucket

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/apiretry"
)

func TestRetryByStatus(t *testing.T) {
	tests := []struct {
		status       int
		wantAttempts int // when the server always fails
	}{
		{429, DefaultMaxAttempts},
		{500, DefaultMaxAttempts},
		{502, DefaultMaxAttempts},
		{503, DefaultMaxAttempts},
		{504, DefaultMaxAttempts},
		{555, 1},
		{400, 1},
		{401, 1},
		{403, 1},
		{404, 1},
		{410, 1},
		{501, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			var n atomic.Int32
			c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				if tt.status == 429 {
					w.Header().Set("Content-Type", "text/plain")
					w.WriteHeader(429)
					_, _ = w.Write([]byte("Rate limit for this resource has been exceeded"))
					return
				}
				writeBBError(w, tt.status, "failed")
			}), nil)
			_, err := c.Diff(context.Background(), "acme", "api", "abc")
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status {
				t.Fatalf("got error %v, want an *APIError with status %d", err, tt.status)
			}
			if got := int(n.Load()); got != tt.wantAttempts {
				t.Errorf("got %d attempts, want %d", got, tt.wantAttempts)
			}
			if ae.Attempts != tt.wantAttempts {
				t.Errorf("got APIError.Attempts %d, want %d", ae.Attempts, tt.wantAttempts)
			}
			if ae.Waited != fs.total() {
				t.Errorf("got APIError.Waited %s, want the slept total %s", ae.Waited, fs.total())
			}
			if s := c.Stats(); s.Retries != tt.wantAttempts-1 || s.Backoff != fs.total() {
				t.Errorf("got stats %+v, want %d retries and backoff %s", s, tt.wantAttempts-1, fs.total())
			}
			if tt.status == 429 {
				if ae.Message != "Rate limit for this resource has been exceeded" {
					t.Errorf("got message %q, want the plain-text body", ae.Message)
				}
				if !strings.Contains(ae.Hint(), "waited "+ae.Waited.Round(time.Millisecond).String()) {
					t.Errorf("got hint %q, want it to say how long sigsentry waited (%s)", ae.Hint(), ae.Waited)
				}
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var n atomic.Int32
			c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) < 3 {
					w.WriteHeader(status)
					return
				}
				_, _ = w.Write([]byte(testDiff))
			}), nil)
			raw, err := c.Diff(context.Background(), "acme", "api", "abc")
			if err != nil || string(raw.Body) != testDiff {
				t.Fatalf("got %v, %v; want the diff", raw, err)
			}
			if got := n.Load(); got != 3 {
				t.Errorf("got %d attempts, want 3", got)
			}
			if len(fs.waits) != 2 {
				t.Errorf("got %d waits, want 2", len(fs.waits))
			}
		})
	}
}

func TestRetryTransportError(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close() // connection reset before any response
			}
			return
		}
		_, _ = w.Write([]byte(testDiff))
	}), nil)
	if _, err := c.Diff(context.Background(), "acme", "api", "abc"); err != nil {
		t.Fatalf("Diff: %v", err)
	}
	if s := c.Stats(); s.Requests != 2 || s.TransportErrors != 1 {
		t.Errorf("got stats %+v, want 2 requests and 1 transport error", s)
	}
}

func TestRateLimitSpentFailsFast(t *testing.T) {
	var limited atomic.Bool
	limited.Store(true)
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if limited.Load() {
			w.WriteHeader(429)
			return
		}
		_, _ = w.Write([]byte(testDiff))
	}), nil)
	ctx := context.Background()
	if _, err := c.Diff(ctx, "acme", "api", "a"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("first: got %v, want ErrRateLimited", err)
	}
	n.Store(0)
	if _, err := c.Diff(ctx, "acme", "api", "b"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("second: got %v, want ErrRateLimited", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("second: got %d attempts, want 1 once the hourly limit is known spent", got)
	}
	limited.Store(false)
	if _, err := c.Diff(ctx, "acme", "api", "c"); err != nil {
		t.Fatalf("third: %v", err)
	}
	limited.Store(true)
	n.Store(0)
	_, _ = c.Diff(ctx, "acme", "api", "d")
	if got := int(n.Load()); got != DefaultMaxAttempts {
		t.Errorf("after a success: got %d attempts, want %d", got, DefaultMaxAttempts)
	}
}

func TestContextCancelDuringBackoff(t *testing.T) {
	started := make(chan struct{})
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
	}), func(o *Options) {
		o.Retry = &RetryPolicy{Backoff: func(time.Duration, time.Duration, int, *http.Response) time.Duration { return time.Hour }}
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			close(started)
			return apiretry.Sleep(ctx, d) // the real sleeper
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Diff(ctx, "acme", "api", "abc")
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestDefaultBackoff(t *testing.T) {
	min, max := time.Second, 60*time.Second
	for attempt := 1; attempt <= 10; attempt++ {
		ceil := min << (attempt - 1)
		if ceil > max {
			ceil = max
		}
		for range 50 {
			d := DefaultBackoff(min, max, attempt, nil)
			if d < min/4 || d > ceil {
				t.Fatalf("attempt %d: got %s, want within [%s, %s]", attempt, d, min/4, ceil)
			}
		}
	}
	if d := DefaultBackoff(min, max, 1000, nil); d > max || d < min/4 {
		t.Errorf("attempt 1000: got %s, want within [%s, %s]", d, min/4, max)
	}
}

func TestDefaultBackoffRetryAfter(t *testing.T) {
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"7", 7 * time.Second},
		{"0", 0},
		{"3600", 60 * time.Second},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		resp := &http.Response{Header: http.Header{"Retry-After": {tt.header}}}
		if got := DefaultBackoff(time.Second, 60*time.Second, 1, resp); got != tt.want {
			t.Errorf("Retry-After %q: got %s, want %s", tt.header, got, tt.want)
		}
	}
	future := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	resp := &http.Response{Header: http.Header{"Retry-After": {future}}}
	if got := DefaultBackoff(time.Second, 60*time.Second, 1, resp); got < 28*time.Second || got > 30*time.Second {
		t.Errorf("Retry-After date 30 s ahead: got %s, want about 30s", got)
	}
}

func TestCheckRetryErrors(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"connection reset", ctx, errors.New("read: connection reset by peer"), true},
		{"refused redirect", ctx, errRedirect, false},
		{"diff too large", ctx, ErrDiffTooLarge, false},
		{"context cancelled", cancelled, errors.New("x"), false},
		{"canceled error", ctx, context.Canceled, false},
	}
	for _, tt := range tests {
		if got, _ := DefaultCheckRetry(tt.ctx, nil, tt.err); got != tt.want {
			t.Errorf("%s: got retry=%v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestRetryAfterLongerThanWaitMax: a 429 whose Retry-After is longer than
// sigsentry waits is not retried (every sooner retry would be refused and
// spend the hourly limit), and the hint says how long Bitbucket asked for.
// Retry-After is in seconds: the test runs on the real clock.
func TestRetryAfterLongerThanWaitMax(t *testing.T) {
	var n atomic.Int32
	c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(429)
		_, _ = w.Write([]byte("Rate limit for this resource has been exceeded"))
	}), nil)
	_, err := c.Diff(context.Background(), "acme", "api", "abc")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.RetryAfter != time.Hour {
		t.Fatalf("got %v, want a 429 that records Bitbucket's one-hour wait", err)
	}
	if n.Load() != 1 || fs.total() != 0 {
		t.Errorf("sent %d requests and waited %s, want one request and no wait", n.Load(), fs.total())
	}
	if h := ae.Hint(); !strings.Contains(h, "asked to wait 1h0m0s") {
		t.Errorf("hint %q: want Bitbucket's one-hour wait", h)
	}
}
