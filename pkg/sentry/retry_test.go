package sentry

import (
	"context"
	"errors"
	"net/http"
	"strconv"
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
		{400, 1},
		{401, 1},
		{403, 1},
		{404, 1},
		{501, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			var n atomic.Int32
			c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				writeDetail(w, tt.status, "failed")
			}), nil)
			_, err := c.Issue(context.Background(), "acme", "42")
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status {
				t.Fatalf("got error %v, want an *APIError with status %d", err, tt.status)
			}
			if got := int(n.Load()); got != tt.wantAttempts || ae.Attempts != tt.wantAttempts {
				t.Errorf("got %d attempts (APIError says %d), want %d", got, ae.Attempts, tt.wantAttempts)
			}
			if ae.Waited != fs.total() {
				t.Errorf("got APIError.Waited %s, want the slept total %s", ae.Waited, fs.total())
			}
			if s := c.Stats(); s.Retries != tt.wantAttempts-1 || s.Backoff != fs.total() || s.ByStatus[tt.status] != tt.wantAttempts {
				t.Errorf("got stats %+v", s)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	var n atomic.Int32
	c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			w.WriteHeader(502)
			return
		}
		writeJSON(w, 200, map[string]any{"id": "42", "shortId": "APP-1", "project": map[string]any{"slug": "app"}})
	}), nil)
	is, err := c.Issue(context.Background(), "acme", "42")
	if err != nil || is.ShortID != "APP-1" {
		t.Fatalf("got %+v, %v", is, err)
	}
	if len(fs.waits) != 2 {
		t.Errorf("got %d waits, want 2", len(fs.waits))
	}
}

// TestRetryAfter: the server's wait wins over backoff (a longer one than
// WaitMax ends the retries: TestRetryAfterLongerThanWaitMax).
func TestRetryAfter(t *testing.T) {
	now := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"date", map[string]string{"Retry-After": now.Add(12 * time.Second).Format(http.TimeFormat)}, 12 * time.Second},
		{"past date", map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}, 0},
		{"reset header", map[string]string{"X-Sentry-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+4, 10)}, 4 * time.Second},
		{"reset with fraction", map[string]string{"X-Sentry-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+2, 10) + ".5"}, 2500 * time.Millisecond},
		{"Retry-After wins", map[string]string{"Retry-After": "3", "X-Sentry-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+9, 10)}, 3 * time.Second},
		{"huge", map[string]string{"Retry-After": "99999999999999999999"}, -1}, // unparsable: backoff
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					writeDetail(w, 429, "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds")
					return
				}
				writeJSON(w, 200, []any{})
			}), func(o *Options) { o.Now = func() time.Time { return now } })
			if _, err := c.Repos(context.Background(), "acme"); err != nil {
				t.Fatal(err)
			}
			if len(fs.waits) != 1 {
				t.Fatalf("got waits %v, want one", fs.waits)
			}
			if tt.want < 0 {
				if fs.waits[0] > DefaultWaitMin {
					t.Errorf("got wait %s, want the first backoff step (<= %s)", fs.waits[0], DefaultWaitMin)
				}
				return
			}
			if fs.waits[0] != tt.want {
				t.Errorf("got wait %s, want %s", fs.waits[0], tt.want)
			}
		})
	}
}

// TestRetryAfterOnRealClock is TestRetryAfter's twin on the real clock (no
// Options.Now): an HTTP date and a reset time a few seconds ahead of now
// give a wait of about that long.
func TestRetryAfterOnRealClock(t *testing.T) {
	for name, header := range map[string]func(time.Time) (string, string){
		"date": func(now time.Time) (string, string) {
			return "Retry-After", now.Add(20 * time.Second).UTC().Format(http.TimeFormat)
		},
		"reset": func(now time.Time) (string, string) {
			return "X-Sentry-Rate-Limit-Reset", strconv.FormatInt(now.Unix()+20, 10)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.Header().Set(header(time.Now()))
					writeDetail(w, 429, "You are attempting to use this endpoint too frequently.")
					return
				}
				writeJSON(w, 200, []any{})
			}), nil)
			if _, err := c.Repos(context.Background(), "acme"); err != nil {
				t.Fatal(err)
			}
			// Whole seconds on the wire: 20 s ahead is 18 to 20 s away.
			if len(fs.waits) != 1 || fs.waits[0] < 18*time.Second || fs.waits[0] > 20*time.Second {
				t.Errorf("got waits %v, want one of about 20s", fs.waits)
			}
		})
	}
}

func TestRateLimitHintSaysHowLongItWaited(t *testing.T) {
	c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		writeDetail(w, 429, "You are attempting to use this endpoint too frequently.")
	}), func(o *Options) { o.Retry = &RetryPolicy{MaxAttempts: 3} })
	_, err := c.Issue(context.Background(), "acme", "42")
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("got %v, want a 429 APIError", err)
	}
	if fs.total() != 4*time.Second || ae.Waited != 4*time.Second {
		t.Errorf("got waits %v (APIError says %s), want 2 s twice", fs.waits, ae.Waited)
	}
	if h := ae.Hint(); !strings.Contains(h, "waited 4s over 3 attempts") {
		t.Errorf("got hint %q, want it to say sigsentry waited 4s over 3 attempts", h)
	}
	if ae.Detail != "You are attempting to use this endpoint too frequently." {
		t.Errorf("got detail %q", ae.Detail)
	}
}

func TestRetryStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		cancel()
		w.WriteHeader(503)
	}), func(o *Options) { o.Sleep = apiretry.Sleep })
	_, err := c.Issue(ctx, "acme", "42")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if n.Load() != 1 {
		t.Errorf("got %d attempts after cancel, want 1", n.Load())
	}
}

func TestRetryTransportError(t *testing.T) {
	var n atomic.Int32
	c, srv, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, 200, []any{})
	}), func(o *Options) { o.Retry = &RetryPolicy{MaxAttempts: 2} })
	srv.Close()
	_, err := c.Repos(context.Background(), "acme")
	if err == nil || len(fs.waits) != 1 {
		t.Fatalf("got %v after %d waits, want a transport error after one retry", err, len(fs.waits))
	}
}

func TestDefaultBackoffBounds(t *testing.T) {
	for attempt := 1; attempt < 80; attempt++ {
		d := DefaultBackoff(DefaultWaitMin, DefaultWaitMax, attempt, nil, time.Now())
		if d < DefaultWaitMin/4 || d > DefaultWaitMax {
			t.Fatalf("attempt %d: wait %s outside [%s, %s]", attempt, d, DefaultWaitMin/4, DefaultWaitMax)
		}
	}
	p := RetryPolicy{WaitMin: time.Minute, WaitMax: time.Second}.withDefaults()
	if p.WaitMax != time.Minute || p.MaxAttempts != DefaultMaxAttempts {
		t.Errorf("withDefaults: got %+v", p)
	}
}

// TestRetryAfterLongerThanWaitMax: a 429 whose Retry-After is longer than
// sigsentry waits is not retried (every retry sent sooner would be
// refused and spend the limit), and the hint says how long Sentry asked
// for. It runs on the real clock: Retry-After is in seconds.
func TestRetryAfterLongerThanWaitMax(t *testing.T) {
	var n atomic.Int32
	c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "120")
		writeDetail(w, 429, "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds")
	}), nil)
	_, err := c.Repos(context.Background(), "acme")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.RetryAfter != 2*time.Minute {
		t.Fatalf("got %v, want a 429 that records Sentry's 2-minute wait", err)
	}
	if n.Load() != 1 || len(fs.waits) != 0 {
		t.Errorf("sent %d requests and waited %v, want one request and no wait", n.Load(), fs.waits)
	}
	if h := ae.Hint(); !strings.Contains(h, "asked to wait 2m0s") || strings.Contains(h, "in a minute") {
		t.Errorf("hint %q: want Sentry's 2-minute wait, not 'in a minute'", h)
	}
}
