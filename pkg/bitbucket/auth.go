package bitbucket

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"

	"golang.org/x/oauth2"
)

// Invalidator is implemented by authenticators whose credential can be
// refreshed: on a 401 the client calls Invalidate with the access token the
// rejected request carried and retries the request exactly once, so a
// token revoked or expired early triggers one refresh. Concurrent requests
// rejected with the same token name the same token: once it has been
// replaced, their Invalidate calls must not invalidate its replacement.
type Invalidator interface {
	Invalidate(rejected string)
}

// secretHolder is implemented by this package's authenticators so the
// client can scrub their secrets from anything it prints, even when a server
// echoes them back.
type secretHolder interface {
	secrets() []string
}

type basicAuth struct{ user, secret string }

// BasicAuth authenticates with a username (or Atlassian account email) and a
// secret (API token; formerly App password).
func BasicAuth(user, secret string) Authenticator { return basicAuth{user, secret} }

func (b basicAuth) Authenticate(r *http.Request) error {
	r.SetBasicAuth(b.user, b.secret)
	return nil
}

func (b basicAuth) secrets() []string {
	return []string{b.secret, base64.StdEncoding.EncodeToString([]byte(b.user + ":" + b.secret))}
}

// String never shows the secret.
func (b basicAuth) String() string { return "BasicAuth(" + b.user + ", [redacted])" }

// GoString never shows the secret, even under %#v.
func (b basicAuth) GoString() string { return b.String() }

type bearerAuth struct{ token string }

// BearerAuth authenticates with an access token.
func BearerAuth(token string) Authenticator { return bearerAuth{token} }

func (b bearerAuth) Authenticate(r *http.Request) error {
	r.Header.Set("Authorization", "Bearer "+b.token)
	return nil
}

func (b bearerAuth) secrets() []string { return []string{b.token} }

// String never shows the token.
func (b bearerAuth) String() string { return "BearerAuth([redacted])" }

// GoString never shows the token, even under %#v.
func (b bearerAuth) GoString() string { return b.String() }

// OAuth authenticates with the access token from ts as
// `Authorization: Bearer`. If ts also implements Invalidator (a refreshing
// wrapper), the returned Authenticator does too, and the client refreshes
// once on a 401.
func OAuth(ts oauth2.TokenSource) Authenticator {
	a := &oauthAuth{ts: ts}
	if inv, ok := ts.(Invalidator); ok {
		return &invalidatingOAuth{oauthAuth: a, inv: inv}
	}
	return a
}

type oauthAuth struct {
	ts oauth2.TokenSource

	mu   sync.Mutex
	seen []string // access tokens handed out, for scrubbing
}

func (o *oauthAuth) Authenticate(r *http.Request) error {
	tok, err := o.ts.Token()
	if err != nil {
		return fmt.Errorf("getting an OAuth access token: %w", err)
	}
	if tok.AccessToken == "" {
		return fmt.Errorf("getting an OAuth access token: the token source returned an empty token")
	}
	o.mu.Lock()
	if len(o.seen) == 0 || o.seen[len(o.seen)-1] != tok.AccessToken {
		o.seen = append(o.seen, tok.AccessToken)
		if len(o.seen) > 8 {
			o.seen = o.seen[len(o.seen)-8:]
		}
	}
	o.mu.Unlock()
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return nil
}

func (o *oauthAuth) secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.seen...)
}

// String never shows the token.
func (o *oauthAuth) String() string { return "OAuth([redacted])" }

// GoString never shows the token, even under %#v.
func (o *oauthAuth) GoString() string { return o.String() }

type invalidatingOAuth struct {
	*oauthAuth
	inv Invalidator
}

// Invalidate forwards to the token source so its next Token call refreshes.
func (o *invalidatingOAuth) Invalidate(rejected string) { o.inv.Invalidate(rejected) }
