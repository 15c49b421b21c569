package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cli/browser"
	"github.com/sigsentry/sigsentry/internal/cli/version"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/oauthflow"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
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

	// BitbucketWith depends on Config (API URL, concurrency) and IO (debug).
	f.BitbucketWith = func(auth bitbucket.Authenticator) (*bitbucket.Client, error) {
		c, err := f.Config()
		if err != nil {
			return nil, err
		}
		opts := bitbucket.Options{
			BaseURL:     c.Bitbucket.APIURL,
			Auth:        auth,
			MaxInFlight: c.Bitbucket.MaxInFlight,
			UserAgent:   "sigsentry/" + f.Version,
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

	f.Browser = browser.OpenURL

	// Credentials depends on Getenv and ConfigStore (the encrypted file and
	// the refresh lock live in the config folder).
	f.Credentials = func() (*credstore.Chain, error) { return openCredentials(f) }
	return f
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
	if errors.Is(err, credstore.ErrNotFound) {
		return nil, cmdutil.AuthError(ErrNoCredential,
			"run `sigsentry auth login`, or set SIGSENTRY_BITBUCKET_EMAIL and SIGSENTRY_BITBUCKET_API_TOKEN")
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
		ts, err := oauthTokenSource(f, chain)
		if err != nil {
			return nil, err
		}
		return bitbucket.OAuth(ts), nil
	}
	return nil, cmdutil.AuthError(fmt.Errorf("the stored credential has an unknown method %q", cred.Method),
		"run `sigsentry revoke`, then `sigsentry auth login`")
}

// oauthTokenSource is the refreshing, persisting token source over the
// stored OAuth credential.
func oauthTokenSource(f *cmdutil.Factory, chain *credstore.Chain) (*oauthflow.TokenSource, error) {
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
	return &oauthflow.TokenSource{
		Store:        chain.Stored,
		LockPath:     filepath.Join(cs.Dir, oauthflow.LockFileName),
		OAuthURL:     c.Bitbucket.OAuthURL,
		ClientSecret: secret,
		Now:          f.Now,
	}, nil
}
