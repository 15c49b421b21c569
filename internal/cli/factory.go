package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/internal/cli/version"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/oauthflow"
	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/sentry"
)

// NewFactory wires sigsentry's dependencies. This is the only place where
// they are built; each is built lazily, at most once, on first use.
func NewFactory(io *iostreams.IOStreams) *cmdutil.Factory {
	// The linker flags' build information, completed from the module's
	// (a `go install ...@v1.2.3` build has no flags but knows its version).
	build := version.Resolve(buildVersion, buildCommit, buildDate)
	f := &cmdutil.Factory{
		IO:      io,
		Version: build.Version,
		Commit:  build.Commit,
		Date:    build.Date,
		Getenv:  os.Getenv,
		Now:     time.Now,
	}

	// ConfigStore depends on Getenv (SIGSENTRY_CONFIG_DIR, XDG_CONFIG_HOME).
	f.ConfigStore = func() (*config.Store, error) {
		dir, err := config.Dir(f.Getenv)
		if err != nil {
			return nil, err
		}
		return &config.Store{Dir: dir, Getenv: f.Getenv}, nil
	}

	// Config depends on ConfigStore; loaded once per run.
	var (
		cfgOnce sync.Once
		cfg     *config.Config
		cfgErr  error
	)
	f.Config = func() (*config.Config, error) {
		cfgOnce.Do(func() {
			s, err := f.ConfigStore()
			if err != nil {
				cfgErr = err
				return
			}
			cfg, cfgErr = s.Load()
		})
		return cfg, cfgErr
	}

	// CacheDir depends on Getenv (SIGSENTRY_CACHE_DIR, XDG_CACHE_HOME).
	f.CacheDir = func() (string, error) { return config.CacheDir(f.Getenv) }

	// BitbucketWith depends on Config (API URL, concurrency, timeouts) and
	// IO (debug).
	f.BitbucketWith = func(auth bitbucket.Authenticator) (*bitbucket.Client, error) {
		c, err := f.Config()
		if err != nil {
			return nil, err
		}
		idle, budget := c.Bitbucket.Timeouts()
		opts := bitbucket.Options{
			BaseURL:       c.Bitbucket.APIURL,
			Auth:          auth,
			MaxInFlight:   c.Bitbucket.MaxInFlight,
			UserAgent:     "sigsentry/" + f.Version,
			IdleTimeout:   idle,
			RequestBudget: budget,
		}
		if f.IO.Debug {
			opts.Debug = f.IO.ErrOut
		}
		return bitbucket.New(opts)
	}

	// Bitbucket depends on BitbucketWith and the active credential.
	f.Bitbucket = func() (*bitbucket.Client, error) {
		auth, err := activeAuth(f)
		if err != nil {
			return nil, err
		}
		return f.BitbucketWith(auth)
	}

	// Browser depends on IO: the opener's output goes to standard error.
	f.Browser = systemBrowser(io.ErrOut)

	// Credentials depends on Getenv and ConfigStore (the encrypted file and
	// the refresh lock live in the config folder).
	f.Credentials = func() (*credstore.Chain, error) { return openCredentials(f) }

	// SentryCredentials depends on Getenv and ConfigStore, like Credentials.
	f.SentryCredentials = func() (*credstore.SentryChain, error) {
		s, err := f.ConfigStore()
		if err != nil {
			return nil, err
		}
		return credstore.OpenSentry(f.Getenv, s.Dir)
	}

	// SentryDefaults depends on Config and SentryCredentials.
	f.SentryDefaults = func() (string, string, error) { return sentryDefaults(f) }

	// SentryWith depends on IO (debug).
	f.SentryWith = func(baseURL, token string) (*sentry.Client, error) {
		opts := sentry.Options{BaseURL: baseURL, Token: token, UserAgent: "sigsentry/" + f.Version}
		if f.IO.Debug {
			opts.Debug = f.IO.ErrOut
		}
		return sentry.New(opts)
	}

	// Sentry depends on SentryCredentials, SentryDefaults and SentryWith.
	f.Sentry = func(baseURL string) (*sentry.Client, error) { return sentryClient(f, baseURL) }
	return f
}

// ErrNoSentryToken means no Sentry auth token is configured anywhere.
var ErrNoSentryToken = errors.New("no Sentry auth token found")

// activeSentry returns the Sentry token in force: SENTRY_AUTH_TOKEN, else
// the stored one.
func activeSentry(f *cmdutil.Factory) (*credstore.Credential, error) {
	chain, err := f.SentryCredentials()
	if err != nil {
		return nil, err
	}
	cred, err := chain.Active()
	switch {
	case errors.Is(err, credstore.ErrNotFound):
		return nil, cmdutil.AuthError(ErrNoSentryToken, "set SENTRY_AUTH_TOKEN, or store a token with `sigsentry auth sentry --org ORG`; "+sentry.TokenHelp)
	case errors.Is(err, credstore.ErrUnavailable):
		return nil, cmdutil.AuthError(fmt.Errorf("reading the stored Sentry token: %w", err), credstore.SentryUnavailableHint)
	case err != nil:
		return nil, fmt.Errorf("reading the stored Sentry token: %w", err)
	}
	return cred, nil
}

// sentryDefaults: the configured URL and organization, completed by the
// stored token's (a missing token is not an error here).
func sentryDefaults(f *cmdutil.Factory) (string, string, error) {
	c, err := f.Config()
	if err != nil {
		return "", "", err
	}
	base, org := c.Sentry.URL, c.Sentry.Org
	if base == "" || org == "" {
		chain, err := f.SentryCredentials()
		if err != nil {
			return "", "", err
		}
		if cred, err := chain.Active(); err == nil {
			if base == "" {
				base = cred.URL
			}
			if org == "" {
				org = cred.Org
			}
		} else if !errors.Is(err, credstore.ErrNotFound) && !errors.Is(err, credstore.ErrUnavailable) {
			return "", "", fmt.Errorf("reading the stored Sentry token: %w", err)
		}
	}
	if base == "" {
		base = sentry.DefaultBaseURL
	}
	return base, org, nil
}

// sentryClient builds a client with the active token. A stored token knows
// the Sentry it was verified against and is sent nowhere else.
func sentryClient(f *cmdutil.Factory, baseURL string) (*sentry.Client, error) {
	cred, err := activeSentry(f)
	if err != nil {
		return nil, err
	}
	if baseURL == "" {
		if baseURL, _, err = f.SentryDefaults(); err != nil {
			return nil, err
		}
	}
	if cred.Source != credstore.SourceEnvironment && cred.URL != "" && !sentry.SameSentry(cred.URL, baseURL) {
		return nil, cmdutil.AuthError(fmt.Errorf("the stored Sentry token is for %s, not %s", cred.URL, baseURL),
			fmt.Sprintf("store a token for it with `sigsentry auth sentry --url %s`, or set SENTRY_AUTH_TOKEN", baseURL))
	}
	return f.SentryWith(baseURL, cred.Secret)
}

// openCredentials builds the credential store chain for the config folder.
func openCredentials(f *cmdutil.Factory) (*credstore.Chain, error) {
	s, err := f.ConfigStore()
	if err != nil {
		return nil, err
	}
	return credstore.Open(f.Getenv, s.Dir)
}

// ErrNoCredential means no credential is configured anywhere.
var ErrNoCredential = errors.New("no Bitbucket credential found")

// activeAuth returns the credential in force, by the contract's precedence:
// the token variable, then a Basic pair from the environment, then what is
// stored (keychain or encrypted file). A stored OAuth credential gets a
// refreshing token source that saves rotated refresh tokens.
func activeAuth(f *cmdutil.Factory) (bitbucket.Authenticator, error) {
	chain, err := f.Credentials()
	if err != nil {
		return nil, err
	}
	cred, err := chain.Active()
	var half *credstore.HalfSetError
	if errors.As(err, &half) {
		return nil, cmdutil.AuthError(err, credstore.HalfSetHint)
	}
	if errors.Is(err, credstore.ErrNotFound) {
		return nil, cmdutil.AuthError(ErrNoCredential, advice.ReloginOrEnv)
	}
	if errors.Is(err, credstore.ErrUnavailable) {
		// The keychain cannot be reached, so no credential can be used: an
		// authentication failure (exit 4); the message says what to do.
		return nil, cmdutil.AuthError(fmt.Errorf("reading the stored Bitbucket credential: %w", err), "")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the stored Bitbucket credential: %w", err)
	}
	return authenticatorFor(f, chain, cred)
}

// authenticatorFor turns a credential into the client's Authenticator.
func authenticatorFor(f *cmdutil.Factory, chain *credstore.Chain, cred *credstore.Credential) (bitbucket.Authenticator, error) {
	switch cred.Method {
	case credstore.MethodToken:
		return bitbucket.BearerAuth(cred.Secret), nil
	case credstore.MethodAPIToken, credstore.MethodAppPassword:
		return bitbucket.BasicAuth(cred.Username, cred.Secret), nil
	case credstore.MethodOAuth:
		ts, err := oauthTokenSource(f, chain, cred)
		if err != nil {
			return nil, err
		}
		return bitbucket.OAuth(ts), nil
	}
	return nil, cmdutil.AuthError(fmt.Errorf("the stored credential has an unknown method %q", cred.Method),
		advice.RevokeAndRelogin)
}

// oauthTokenSource is the refreshing, persisting token source over the
// stored OAuth credential.
func oauthTokenSource(f *cmdutil.Factory, chain *credstore.Chain, cred *credstore.Credential) (*oauthflow.TokenSource, error) {
	cs, err := f.ConfigStore()
	if err != nil {
		return nil, err
	}
	c, err := f.Config()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cs.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the config folder for the refresh lock: %w", err)
	}
	secret := f.Getenv("SIGSENTRY_OAUTH_CLIENT_SECRET")
	if secret == "" {
		secret = oauthflow.DefaultClientSecret
	}
	ts := &oauthflow.TokenSource{
		Store:        chain.Stored,
		LockPath:     filepath.Join(cs.Dir, oauthflow.LockFileName),
		OAuthURL:     c.Bitbucket.OAuthURL,
		ClientSecret: secret,
		Now:          f.Now,
	}
	if f.IO.Debug {
		// A refresh sends the secret stored with the login (typed at its
		// prompt, perhaps), else this one: both are scrubbed from the trace.
		ts.HTTPClient = bitbucket.TracedOAuthClient(f.IO.ErrOut, secret, cred.ClientSecret, cred.RefreshToken, cred.AccessToken)
	}
	return ts, nil
}
