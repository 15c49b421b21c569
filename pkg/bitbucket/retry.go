package bitbucket

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/sigsentry/sigsentry/pkg/apiretry"
)

// RetryPolicy decides which failed attempts are sent again and how long to
// wait before each, in the manner of hashicorp/go-retryablehttp. The zero
// value of any field means its default.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts per request, the first
	// included (default 6). Bitbucket's rate-limit window is an hour, so a
	// larger number only spins.
	MaxAttempts int
	// WaitMin and WaitMax bound each wait (defaults 1 s and 60 s).
	WaitMin, WaitMax time.Duration
	// CheckRetry reports whether an attempt should be retried. resp is nil
	// when err is a transport error; its body has already been read and
	// closed. Default DefaultCheckRetry.
	CheckRetry func(ctx context.Context, resp *http.Response, err error) (bool, error)
	// Backoff returns the wait before the next attempt; attempt counts from
	// 1 (the wait after the first failure). Default DefaultBackoff.
	Backoff func(min, max time.Duration, attempt int, resp *http.Response) time.Duration
}

// Default retry bounds.
const (
	DefaultMaxAttempts = 6
	DefaultWaitMin     = 1 * time.Second
	DefaultWaitMax     = 60 * time.Second
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
	if p.WaitMax < p.WaitMin {
		p.WaitMax = p.WaitMin
	}
	if p.CheckRetry == nil {
		p.CheckRetry = d.CheckRetry
	}
	if p.Backoff == nil {
		p.Backoff = d.Backoff
	}
	return p
}

// errRedirect marks a redirect the client refused; never retried.
var errRedirect = errors.New("redirect refused")

// DefaultCheckRetry retries HTTP 429, 500, 502, 503 and 504, and transient
// transport errors (all of sigsentry's requests are idempotent GETs). It
// never retries 555 (the diff will not get smaller), other 4xx, TLS
// certificate errors, refused redirects, or a cancelled context.
func DefaultCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, errRedirect) || errors.Is(err, ErrDiffTooLarge) || apiretry.PermanentErr(err) {
			return false, err
		}
		return true, nil
	}
	return resp != nil && apiretry.RetryableStatus(resp.StatusCode), nil
}

// DefaultBackoff is exponential backoff with full jitter
// (apiretry.Jitter). A Retry-After header (seconds or HTTP date), which
// Bitbucket does not send today, wins, capped at max.
func DefaultBackoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := apiretry.RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return apiretry.Clamp(d, 0, max)
		}
	}
	return apiretry.Jitter(min, max, attempt)
}
