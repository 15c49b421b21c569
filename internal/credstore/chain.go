package credstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Chain applies the contract's precedence over the backends: the
// environment first, then the stored backend chosen by
// SIGSENTRY_CREDENTIAL_STORE.
type Chain struct {
	// Env is the read-only environment backend.
	Env EnvStore
	// Stored is where credentials are written: the keychain (default) or
	// the encrypted file.
	Stored Store
	// Keychain and File are every backend a revoke should clear. Either may
	// be the same value as Stored.
	Keychain *KeychainStore
	File     *FileStore
}

// Open builds the chain for a config folder.
func Open(getenv func(string) string, configDir string) (*Chain, error) {
	c := &Chain{
		Env:      EnvStore{Getenv: getenv},
		Keychain: &KeychainStore{},
		File:     &FileStore{Path: filepath.Join(configDir, FileName), Passphrase: getenv(EnvPassphrase)},
	}
	switch kind := strings.ToLower(strings.TrimSpace(getenv(EnvStoreKind))); kind {
	case "", "keychain", "keyring":
		c.Stored = c.Keychain
	case "file":
		c.Stored = c.File
	default:
		return nil, fmt.Errorf("%s=%q is not a credential store: use keychain or file", EnvStoreKind, kind)
	}
	return c, nil
}

// Active returns the credential in force: the environment's, else the
// stored one. It wraps ErrNotFound when there is none. When nothing can be
// used and the environment holds half a credential pair (a CI secret that
// did not reach the job), the error says which variable is empty instead
// of what the store lacks.
func (c *Chain) Active() (*Credential, error) {
	if cred, err := c.Env.Get(); err == nil {
		return cred, nil
	}
	cred, err := c.Stored.Get()
	if err != nil {
		if half := c.Env.HalfSet(); half != "" {
			return nil, &HalfSetError{Half: half, Stored: err}
		}
	}
	return cred, err
}

// HalfSetError is Chain.Active's error when the environment holds half a
// credential pair and nothing stored can be used instead. It matches
// ErrNotFound.
type HalfSetError struct {
	// Half says which variable is set and which is empty.
	Half string
	// Stored is why no stored credential could be used.
	Stored error
}

func (e *HalfSetError) Error() string {
	switch {
	case e.Stored == nil || errors.Is(e.Stored, ErrNotFound):
		return "no Bitbucket credential: " + e.Half
	case errors.Is(e.Stored, ErrUnavailable):
		// The keychain's own long advice would repeat the pair's.
		return "no Bitbucket credential: " + e.Half + " (and the OS keychain, which may hold one, cannot be reached)"
	}
	return fmt.Sprintf("no Bitbucket credential: %s (and the stored one cannot be used: %v)", e.Half, e.Stored)
}

// Unwrap makes errors.Is(err, ErrNotFound) true, and matches why the
// stored credential could not be used (ErrUnavailable, say).
func (e *HalfSetError) Unwrap() []error { return []error{ErrNotFound, e.Stored} }

// HalfSetHint is what to do about a HalfSetError.
const HalfSetHint = "set both variables of the pair; in CI, check that the secret reaches this job " +
	"(secrets are empty in jobs that may not read them, such as pull requests from forks)"

// EnvActive returns an *EnvActiveError while an environment credential is
// set; commands that store or delete credentials refuse then.
func (c *Chain) EnvActive() error { return c.Env.Active() }

// Set stores cred in the stored backend, refusing while an environment
// credential is set.
func (c *Chain) Set(cred *Credential) error {
	if err := c.EnvActive(); err != nil {
		return err
	}
	return c.Stored.Set(cred)
}

// CheckWritable reports whether Set can succeed, before the user is asked
// for anything.
func (c *Chain) CheckWritable() error {
	if err := c.EnvActive(); err != nil {
		return err
	}
	return c.Stored.CheckWritable()
}

// Removed says what DeleteAll found and removed in one backend.
type Removed struct {
	Source Source
	// Credential is what was stored there (secrets included; never print
	// them), or nil.
	Credential *Credential
	// Err is why the backend could not be cleared, or nil.
	Err error
}

// DeleteAll removes the credential from every backend it can reach (the
// keychain and the encrypted file, whichever is configured) and reports
// each. It refuses while an environment credential is set.
func (c *Chain) DeleteAll() ([]Removed, error) {
	if err := c.EnvActive(); err != nil {
		return nil, err
	}
	return clearAll(c.Stored, c.Keychain, c.File), nil
}

// clearAll deletes from every backend and reports each; a keychain that is
// not the stored backend and cannot be reached is skipped.
func clearAll(stored Store, backends ...Store) []Removed {
	var out []Removed
	for _, s := range backends {
		r := Removed{Source: s.Source()}
		cred, err := s.Get()
		switch {
		case err == nil:
			r.Credential = cred
		case errors.Is(err, ErrNotFound):
		case errors.Is(err, ErrUnavailable) && s != stored:
			// The keychain is not in use and not reachable: nothing to clear.
			continue
		}
		if derr := s.Delete(); derr != nil {
			r.Err = derr
		} else if err != nil && !errors.Is(err, ErrNotFound) && r.Credential == nil {
			// Deleted although it could not be read (for example a file
			// with a lost passphrase): say it was there.
			r.Credential = &Credential{}
		}
		out = append(out, r)
	}
	return out
}
