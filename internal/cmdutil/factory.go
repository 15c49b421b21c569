package cmdutil

import (
	"time"

	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/sentry"
)

// Factory holds every dependency a command may need. Fallible ones are
// built lazily by func fields, wired in one place (internal/cli/factory.go),
// and replaced by fakes in tests.
type Factory struct {
	IO *iostreams.IOStreams
	// Version, Commit and Date describe the build.
	Version, Commit, Date string

	// Getenv reads the environment (tests replace it).
	Getenv func(string) string
	// Now is the clock.
	Now func() time.Time

	// ConfigStore is the config folder's reader/writer.
	ConfigStore func() (*config.Store, error)
	// Config is the effective configuration (file + environment).
	Config func() (*config.Config, error)
	// CacheDir is the cache folder.
	CacheDir func() (string, error)
	// Bitbucket is an authenticated API client built from the active credential.
	Bitbucket func() (*bitbucket.Client, error)
	// BitbucketWith builds a client with the given authenticator (nil: none),
	// for verifying a credential before it is stored.
	BitbucketWith func(auth bitbucket.Authenticator) (*bitbucket.Client, error)
	// Browser opens a URL in the user's browser.
	Browser func(url string) error
	// Credentials is the credential store chain: the environment, then the
	// keychain or encrypted file chosen by SIGSENTRY_CREDENTIAL_STORE.
	Credentials func() (*credstore.Chain, error)

	// SentryCredentials is the Sentry token's chain: SENTRY_AUTH_TOKEN, then
	// the keychain or encrypted file (its own items).
	SentryCredentials func() (*credstore.SentryChain, error)
	// SentryDefaults is the configured Sentry and organization: sentry.url
	// (SIGSENTRY_SENTRY_URL, SENTRY_URL) else the stored token's URL else
	// https://sentry.io; sentry.org (SIGSENTRY_SENTRY_ORG, SENTRY_ORG) else
	// the stored token's organization, possibly "".
	SentryDefaults func() (baseURL, org string, err error)
	// Sentry is a client with the active Sentry token for baseURL ("" means
	// SentryDefaults' URL). A stored token is only sent to the Sentry it
	// was verified against.
	Sentry func(baseURL string) (*sentry.Client, error)
	// SentryWith builds a client for baseURL with token, for verifying a
	// token before it is stored.
	SentryWith func(baseURL, token string) (*sentry.Client, error)
}
