// Package apiretry holds the retry mechanics the API clients
// (pkg/bitbucket, pkg/sentry) share: which failures another attempt can
// fix, exponential backoff with jitter, and the server's Retry-After. Each
// client keeps its own policy (attempts, waits, its own errors that are
// never retried).
package apiretry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryableStatus reports whether an answer with this status is worth
// another attempt of an idempotent GET: 429, 500, 502, 503 and 504.
func RetryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// PermanentErr reports whether a transport error cannot be fixed by
// another attempt: a cancelled context, a host name that does not exist
// (a mistyped URL; a DNS server that fails is still retried), a TLS
// certificate error, an unsupported scheme, or too many redirects.
func PermanentErr(err error) bool {
	if errors.Is(err, context.Canceled) {
		return true
	}
	var (
		unknownCA *x509.UnknownAuthorityError
		verify    *tls.CertificateVerificationError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &verify) || errors.As(err, &hostname) || errors.As(err, &invalid) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound && !dns.IsTemporary && !dns.IsTimeout {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "unsupported protocol scheme") || strings.Contains(s, "stopped after")
}

// Jitter is exponential backoff with full jitter: a random wait in
// [min/4, min(max, min*2^(attempt-1))], so a retry never hammers the server.
func Jitter(min, max time.Duration, attempt int) time.Duration {
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

// MaxServerWait bounds what a header can ask for before a client's own cap
// applies, so the arithmetic never overflows.
const MaxServerWait = 24 * time.Hour

// RetryAfter reads a Retry-After value, delay seconds or an HTTP date, as a
// wait from now in [0, MaxServerWait].
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		n = min(n, int64(MaxServerWait/time.Second))
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return Clamp(t.Sub(now), 0, MaxServerWait), true
	}
	return 0, false
}

// Clamp bounds d to [lo, hi].
func Clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }

// Sleep waits d or until ctx is done, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
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
