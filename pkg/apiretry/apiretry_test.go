package apiretry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	for _, tt := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"99999999999", MaxServerWait, true},
		{now.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := RetryAfter(tt.v, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %s, %v; want %s, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestJitterBounds(t *testing.T) {
	for attempt := 0; attempt < 80; attempt++ {
		d := Jitter(time.Second, time.Minute, attempt)
		ceil := time.Minute
		if attempt < 7 {
			ceil = min(time.Second<<max(attempt-1, 0), time.Minute)
		}
		if d < time.Second/4 || d > ceil {
			t.Errorf("attempt %d: got %s, want in [250ms, %s]", attempt, d, ceil)
		}
	}
}

func TestPermanentErrAndStatus(t *testing.T) {
	if !PermanentErr(fmt.Errorf("get: %w", context.Canceled)) || !PermanentErr(errors.New(`Get "x": stopped after 10 redirects`)) {
		t.Error("a cancelled context and too many redirects are permanent")
	}
	if PermanentErr(errors.New("connection reset by peer")) {
		t.Error("a reset connection is worth another attempt")
	}
	nx := &url.Error{Op: "Get", URL: "https://api.bitbucket.org.example/2.0/user", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "api.bitbucket.org.example", IsNotFound: true}}}
	if !PermanentErr(nx) {
		t.Error("a host that does not exist is permanent")
	}
	if PermanentErr(&net.DNSError{Err: "server misbehaving", Name: "api.bitbucket.org", IsTemporary: true}) {
		t.Error("a failing DNS server is worth another attempt")
	}
	for status, want := range map[int]bool{429: true, 500: true, 503: true, 404: false, 555: false, 200: false} {
		if RetryableStatus(status) != want {
			t.Errorf("RetryableStatus(%d) = %v", status, !want)
		}
	}
}

func TestSleepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if err := Sleep(context.Background(), 0); err != nil {
		t.Errorf("got %v", err)
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "1e9", ""} {
		f.Add(s)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := RetryAfter(v, now); ok && (d < 0 || d > MaxServerWait) {
			t.Errorf("RetryAfter(%q) = %s", v, d)
		}
	})
}
