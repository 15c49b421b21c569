package bitbucket

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
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
		if errors.Is(err, context.Canceled) {
			return false, err
		}
		if errors.Is(err, errRedirect) || errors.Is(err, ErrDiffTooLarge) {
			return false, err
		}
		var ue *url.Error
		if errors.As(err, &ue) && strings.Contains(ue.Err.Error(), "stopped after") {
			return false, err // too many redirects
		}
		var (
			unknownCA *x509.UnknownAuthorityError
			verify    *tls.CertificateVerificationError
			hostname  x509.HostnameError
			invalid   x509.CertificateInvalidError
		)
		if errors.As(err, &unknownCA) || errors.As(err, &verify) || errors.As(err, &hostname) || errors.As(err, &invalid) {
			return false, err
		}
		if strings.Contains(err.Error(), "unsupported protocol scheme") {
			return false, err
		}
		return true, nil
	}
	if resp == nil {
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// DefaultBackoff is exponential backoff with full jitter: a random wait in
// [0, min(max, min*2^(attempt-1))], but never below min/4 so a retry does
// not hammer the server. A Retry-After header (seconds or HTTP date), which
// Bitbucket does not send today, wins, capped at max.
func DefaultBackoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return clampDur(d, 0, max)
		}
	}
	if attempt < 1 {
		attempt = 1
	}
	ceil := float64(min) * math.Pow(2, float64(attempt-1))
	if ceil > float64(max) || math.IsInf(ceil, 0) {
		ceil = float64(max)
	}
	floor := float64(min) / 4
	if ceil <= floor {
		return time.Duration(ceil)
	}
	return time.Duration(floor + rand.Float64()*(ceil-floor))
}

func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func clampDur(d, lo, hi time.Duration) time.Duration {
	return min(max(d, lo), hi)
}

// sleepCtx waits d or until ctx is done, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
