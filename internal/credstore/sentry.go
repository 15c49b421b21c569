package credstore

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// The Sentry credential's environment variable and places.
const (
	// EnvSentryToken carries a Sentry auth token; it wins over a stored one.
	EnvSentryToken = "SENTRY_AUTH_TOKEN"
	// SentryKeychainService is the keychain service of the Sentry token,
	// apart from the Bitbucket credential's.
	SentryKeychainService = "sigsentry:sentry"
	// SentryFileName is the encrypted file of the Sentry token in the config
	// folder (same format and passphrase as FileName).
	SentryFileName = "sentry-credentials.enc"
)

// SentryUnavailableHint is what to do when the keychain cannot hold the
// Sentry token.
const SentryUnavailableHint = "for CI set SENTRY_AUTH_TOKEN; on a headless machine set SIGSENTRY_CREDENTIAL_STORE=file and " +
	"SIGSENTRY_CREDENTIAL_PASSPHRASE to keep an encrypted file instead"

// SentryChain is the Sentry auth token's precedence: SENTRY_AUTH_TOKEN, then
// the stored token, kept in the backend SIGSENTRY_CREDENTIAL_STORE chooses
// (like the Bitbucket credential) but under its own keychain service or
// file, so storing or removing one never touches the other.
type SentryChain struct {
	// Getenv reads SENTRY_AUTH_TOKEN.
	Getenv func(string) string
	// Stored is where the token is written: Keychain (default) or File.
	Stored Store
	// Keychain and File are every backend a revoke clears.
	Keychain *KeychainStore
	File     *FileStore
}

// OpenSentry builds the Sentry chain for a config folder.
func OpenSentry(getenv func(string) string, configDir string) (*SentryChain, error) {
	bb, err := Open(getenv, configDir)
	if err != nil {
		return nil, err
	}
	c := &SentryChain{
		Getenv:   getenv,
		Keychain: &KeychainStore{Service: SentryKeychainService},
		File:     &FileStore{Path: filepath.Join(configDir, SentryFileName), Passphrase: getenv(EnvPassphrase)},
	}
	c.Stored = c.Keychain
	if bb.Stored == Store(bb.File) {
		c.Stored = c.File
	}
	return c, nil
}

// Env returns the token from SENTRY_AUTH_TOKEN, or ErrNotFound.
func (c *SentryChain) Env() (*Credential, error) {
	t := strings.TrimSpace(c.Getenv(EnvSentryToken))
	if t == "" {
		return nil, ErrNotFound
	}
	return &Credential{Method: MethodSentryToken, Secret: t, Source: SourceEnvironment, EnvVars: []string{EnvSentryToken}}, nil
}

// Active returns the token in force: SENTRY_AUTH_TOKEN, else the stored
// one. It wraps ErrNotFound when there is none.
func (c *SentryChain) Active() (*Credential, error) {
	if cred, err := c.Env(); err == nil {
		return cred, nil
	}
	cred, err := c.Stored.Get()
	if err != nil {
		return nil, err
	}
	if cred.Method != MethodSentryToken || cred.Secret == "" {
		return nil, fmt.Errorf("reading the stored Sentry token: the %s holds no Sentry token (run `sigsentry auth sentry` again)", cred.Source)
	}
	return cred, nil
}

// EnvActive returns an *EnvActiveError while SENTRY_AUTH_TOKEN is set.
func (c *SentryChain) EnvActive() error {
	if _, err := c.Env(); err == nil {
		return &EnvActiveError{Vars: []string{EnvSentryToken}}
	}
	return nil
}

// CheckWritable reports whether Set can succeed, before the user is asked
// for anything.
func (c *SentryChain) CheckWritable() error {
	if err := c.EnvActive(); err != nil {
		return err
	}
	return c.Stored.CheckWritable()
}

// Set stores a Sentry token with its organization and URL, refusing while
// SENTRY_AUTH_TOKEN is set.
func (c *SentryChain) Set(cred *Credential) error {
	if err := c.EnvActive(); err != nil {
		return err
	}
	if cred.Method != MethodSentryToken {
		return fmt.Errorf("storing a Sentry token: the credential is a %q one", cred.Method)
	}
	if cred.URL != "" {
		if u, err := url.Parse(cred.URL); err != nil || u.User != nil {
			return fmt.Errorf("storing a Sentry token: the URL %q is not a plain base URL", cred.URL)
		}
	}
	return c.Stored.Set(cred)
}

// DeleteAll removes the Sentry token from every backend it can reach and
// reports each. It refuses while SENTRY_AUTH_TOKEN is set.
func (c *SentryChain) DeleteAll() ([]Removed, error) {
	if err := c.EnvActive(); err != nil {
		return nil, err
	}
	return clearAll(c.Stored, c.Keychain, c.File), nil
}
