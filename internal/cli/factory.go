package cli

import (
	"errors"
	"os"
	"sync"
	"time"

	"github.com/cli/browser"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
)

// NewFactory wires sigsentry's dependencies. This is the only place where
// they are built; each is built lazily, at most once, on first use.
func NewFactory(io *iostreams.IOStreams) *cmdutil.Factory {
	f := &cmdutil.Factory{
		IO:      io,
		Version: buildVersion,
		Commit:  buildCommit,
		Date:    buildDate,
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
			UserAgent:   "sigsentry/" + buildVersion,
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
	return f
}

// ErrNoCredential means no credential is configured anywhere.
var ErrNoCredential = errors.New("no Bitbucket credential found")

// activeAuth returns the credential in force, by the contract's precedence:
// the token variable, then a Basic pair from the environment, then what is
// stored.
func activeAuth(f *cmdutil.Factory) (bitbucket.Authenticator, error) {
	if t := f.Getenv("SIGSENTRY_BITBUCKET_TOKEN"); t != "" {
		return bitbucket.BearerAuth(t), nil
	}
	if u, p := f.Getenv("SIGSENTRY_BITBUCKET_USERNAME"), f.Getenv("SIGSENTRY_BITBUCKET_APP_PASSWORD"); u != "" && p != "" {
		return bitbucket.BasicAuth(u, p), nil
	}
	if u, p := f.Getenv("SIGSENTRY_BITBUCKET_EMAIL"), f.Getenv("SIGSENTRY_BITBUCKET_API_TOKEN"); u != "" && p != "" {
		return bitbucket.BasicAuth(u, p), nil
	}
	return nil, cmdutil.AuthError(ErrNoCredential,
		"run `sigsentry auth login`, or set SIGSENTRY_BITBUCKET_EMAIL and SIGSENTRY_BITBUCKET_API_TOKEN")
}
