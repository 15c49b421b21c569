package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"golang.org/x/oauth2"
)

// RefreshMargin is how close to expiry a token is refreshed.
const RefreshMargin = 5 * time.Minute

// LockFileName is the cross-process refresh lock's name in the config folder.
const LockFileName = "oauth-refresh.lock"

// ReloginError means the stored OAuth login cannot be used any more and
// only signing in again fixes it: the credential is gone or is not an OAuth
// one, no refresh token is stored, or Bitbucket refused the refresh (an
// expired, revoked or already used refresh token, a withdrawn consumer).
// Commands exit 4 with Hint; errors.As finds it however deeply it is
// wrapped (a bitbucket request, a repository of analyze).
type ReloginError struct {
	Err error
}

func (e *ReloginError) Error() string { return e.Err.Error() }

// Unwrap returns the cause (for a refused refresh, an *oauth2.RetrieveError).
func (e *ReloginError) Unwrap() error { return e.Err }

// Hint is the fix: sign in again.
func (e *ReloginError) Hint() string { return advice.Relogin + " to sign in again" }

func relogin(err error) error { return &ReloginError{Err: err} }

// TokenSource is an oauth2.TokenSource over a stored OAuth credential. It
// refreshes when less than RefreshMargin remains, or once after Invalidate
// (a 401). Bitbucket rotates the refresh token on every use, so a refresh
// runs under a cross-process file lock: lock, re-read the store, refresh
// only if still needed, save the new tokens, unlock, and only then hand out
// the new access token. It is safe for concurrent use.
//
// It also implements bitbucket.Invalidator; wrap it with bitbucket.OAuth.
type TokenSource struct {
	// Store holds the credential (keychain or encrypted file).
	Store credstore.Store
	// LockPath is the lock file (LockFileName in the config folder).
	LockPath string
	// OAuthURL is the OAuth base; the token endpoint is below it.
	OAuthURL string
	// ClientSecret is used when the stored credential has none (env or
	// build default).
	ClientSecret string
	// HTTPClient makes the refresh request; nil uses a default.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// LockTimeout bounds the wait for another process's refresh (30 s if 0).
	LockTimeout time.Duration
	// OnRefresh, when not nil, is called after each refresh this source made.
	OnRefresh func()

	mu          sync.Mutex
	cred        *credstore.Credential
	invalidated string
}

func (s *TokenSource) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *TokenSource) usable(c *credstore.Credential) bool {
	if c == nil || c.AccessToken == "" || c.AccessToken == s.invalidated {
		return false
	}
	return c.Expiry.IsZero() || c.Expiry.Sub(s.now()) > RefreshMargin
}

func toToken(c *credstore.Credential) *oauth2.Token {
	return &oauth2.Token{AccessToken: c.AccessToken, TokenType: "Bearer", RefreshToken: "", Expiry: c.Expiry}
}

// Invalidate marks the access token rejected (the API answered 401 to a
// request carrying it) as unusable: the next Token call refreshes, unless
// another process already has. A rejected token that is no longer the
// current one (a request sent before a refresh) changes nothing, so
// requests rejected together cause one refresh, not one each. An empty
// rejected token means the current one.
func (s *TokenSource) Invalidate(rejected string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cred != nil && (rejected == "" || rejected == s.cred.AccessToken) {
		s.invalidated = s.cred.AccessToken
	}
}

// Token returns a valid access token, refreshing it if needed. The
// returned token carries no refresh token.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable(s.cred) {
		return toToken(s.cred), nil
	}
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout+30*time.Second)
	defer cancel()
	lctx, lcancel := context.WithTimeout(ctx, timeout)
	defer lcancel()
	lock := flock.New(s.LockPath)
	ok, err := lock.TryLockContext(lctx, 20*time.Millisecond)
	if err != nil || !ok {
		return nil, fmt.Errorf("waiting for another sigsentry to finish refreshing the OAuth token (lock %s): %v", s.LockPath, err)
	}
	defer func() { _ = lock.Unlock() }()

	c, err := s.Store.Get()
	if errors.Is(err, credstore.ErrNotFound) {
		return nil, relogin(errors.New("the stored OAuth credential is gone"))
	}
	if err != nil {
		return nil, fmt.Errorf("reading the stored OAuth credential: %w", err)
	}
	if c.Method != credstore.MethodOAuth {
		return nil, relogin(fmt.Errorf("the stored credential is %s, not OAuth", c.Method))
	}
	if s.usable(c) {
		s.cred = c
		return toToken(c), nil
	}
	if c.RefreshToken == "" {
		return nil, relogin(errors.New("the OAuth access token expired and no refresh token is stored"))
	}
	// The refresh sends the consumer secret and the refresh token: never
	// over plain http to anything but loopback.
	base, err := bitbucket.CheckBaseURL("Bitbucket OAuth URL", s.OAuthURL)
	if err != nil {
		return nil, fmt.Errorf("refreshing the OAuth token: %w", err)
	}
	secret := c.ClientSecret
	if secret == "" {
		secret = s.ClientSecret
	}
	conf := &oauth2.Config{ClientID: c.ClientID, ClientSecret: secret, Endpoint: Endpoint(base.String())}
	if s.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, s.HTTPClient)
	}
	// An already-expired token makes x/oauth2 refresh at once.
	tok, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: c.RefreshToken, Expiry: time.Unix(1, 0)}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && !transient(re) {
			why := "the refresh was refused"
			if re.ErrorCode == "invalid_grant" {
				why = "the refresh token is no longer valid (invalid_grant: it expired, was revoked, or was already used)"
			}
			return nil, relogin(fmt.Errorf("refreshing the OAuth token: %s: %w", why, err))
		}
		return nil, fmt.Errorf("refreshing the OAuth token: %w", err)
	}
	next := *c
	next.AccessToken = tok.AccessToken
	if tok.RefreshToken != "" {
		next.RefreshToken = tok.RefreshToken
	}
	next.Expiry = tok.Expiry
	if sc := TokenScopes(tok); len(sc) > 0 {
		next.Scopes = sc
	}
	// Save before use: the old refresh token is already dead.
	if err := s.Store.Set(&next); err != nil {
		return nil, fmt.Errorf("saving the refreshed OAuth token (the previous refresh token is now invalid; if the next run fails, %s): %w", advice.Relogin, err)
	}
	s.cred = &next
	s.invalidated = ""
	if s.OnRefresh != nil {
		s.OnRefresh()
	}
	return toToken(&next), nil
}

// transient reports whether a failed refresh may succeed later (a server
// error or the rate limit): the login is not dead then.
func transient(re *oauth2.RetrieveError) bool {
	if re.Response == nil {
		return false
	}
	code := re.Response.StatusCode
	return code == http.StatusTooManyRequests || code >= 500
}
