package sentry

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/apiretry"
)

// RetryPolicy decides which failed attempts are sent again and how long to
// wait before each. The zero value of any field means its default.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts per request, the first
	// included (default 5). Sentry's rate-limit windows are seconds long,
	// so a few attempts are enough.
	MaxAttempts int
	// WaitMin and WaitMax bound each wait (defaults 500 ms and 30 s); a
	// longer Retry-After is capped at WaitMax.
	WaitMin, WaitMax time.Duration
	// CheckRetry reports whether an attempt should be retried. resp is nil
	// when err is a transport error; its body has already been read.
	// Default DefaultCheckRetry.
	CheckRetry func(ctx context.Context, resp *http.Response, err error) (bool, error)
	// Backoff returns the wait before the next attempt; attempt counts from
	// 1 (the wait after the first failure). Default DefaultBackoff.
	Backoff func(min, max time.Duration, attempt int, resp *http.Response, now time.Time) time.Duration
}

// Default retry bounds.
const (
	DefaultMaxAttempts = 5
	DefaultWaitMin     = 500 * time.Millisecond
	DefaultWaitMax     = 30 * time.Second
)

// DefaultRetryPolicy returns the policy New uses when Options.Retry is nil.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: DefaultMaxAttempts,
		WaitMin:     DefaultWaitMin,
		WaitMax:     DefaultWaitMax,
		CheckRetry:  DefaultCheckRetry,
		Backoff:     DefaultBackoff,
	}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.WaitMin <= 0 {
		p.WaitMin = d.WaitMin
	}
	if p.WaitMax <= 0 {
		p.WaitMax = d.WaitMax
	}
	p.WaitMax = max(p.WaitMax, p.WaitMin)
	if p.CheckRetry == nil {
		p.CheckRetry = d.CheckRetry
	}
	if p.Backoff == nil {
		p.Backoff = d.Backoff
	}
	return p
}

// errNoRetry marks a local failure that another attempt cannot fix.
var errNoRetry = errors.New("not retried")

// DefaultCheckRetry retries HTTP 429, 500, 502, 503 and 504 and transient
// transport errors (every request is an idempotent GET). It never retries
// other statuses, TLS certificate errors, refused redirects, oversized
// answers, or a cancelled context.
func DefaultCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, errRedirect) || errors.Is(err, errNoRetry) || apiretry.PermanentErr(err) {
			return false, err
		}
		return true, nil
	}
	return resp != nil && apiretry.RetryableStatus(resp.StatusCode), nil
}

// DefaultBackoff honours the server first: Retry-After (seconds or an HTTP
// date), else on a 429 Sentry's X-Sentry-Rate-Limit-Reset (when the window
// resets, in seconds since the epoch), each capped at max. Without either it
// is exponential backoff with full jitter (apiretry.Jitter).
func DefaultBackoff(min, max time.Duration, attempt int, resp *http.Response, now time.Time) time.Duration {
	if resp != nil {
		if d, ok := serverWait(resp, now); ok {
			return apiretry.Clamp(d, 0, max)
		}
	}
	return apiretry.Jitter(min, max, attempt)
}

// serverWait is how long the server asked the client to wait.
func serverWait(resp *http.Response, now time.Time) (time.Duration, bool) {
	if d, ok := apiretry.RetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return rateLimitReset(resp.Header.Get("X-Sentry-Rate-Limit-Reset"), now)
	}
	return 0, false
}

// rateLimitReset reads X-Sentry-Rate-Limit-Reset: seconds since the epoch,
// possibly with a fraction.
func rateLimitReset(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return 0, false
	}
	sec := math.Floor(f)
	at := time.Unix(int64(sec), int64((f-sec)*float64(time.Second)))
	return apiretry.Clamp(at.Sub(now), 0, apiretry.MaxServerWait), true
}
