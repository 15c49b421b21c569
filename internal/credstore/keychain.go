package credstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/zalando/go-keyring"
)

// KeychainService is the service name under which items are kept.
const KeychainService = "sigsentry:bitbucket"

// MaxItemSize is the largest secret one keychain item may hold: Windows
// caps a credential blob at 2,560 bytes.
const MaxItemSize = 2560

// KeychainTimeout bounds every keychain call: a keychain can hang (a locked
// collection waiting for a prompt nobody sees, a stuck D-Bus).
var KeychainTimeout = 3 * time.Second

// Keyring is the subset of go-keyring the store uses (tests swap it).
type Keyring interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// systemKeyring is the OS keychain through go-keyring. On Linux and the
// BSDs it first makes sure a D-Bus session bus exists (see useSessionBus):
// without one, go-keyring's D-Bus client would launch a bus and a
// gnome-keyring-daemon that outlive the command.
type systemKeyring struct{}

func (systemKeyring) Set(s, u, p string) error {
	if err := useSessionBus(runtime.GOOS); err != nil {
		return err
	}
	return keyring.Set(s, u, p)
}

func (systemKeyring) Get(s, u string) (string, error) {
	if err := useSessionBus(runtime.GOOS); err != nil {
		return "", err
	}
	return keyring.Get(s, u)
}

func (systemKeyring) Delete(s, u string) error {
	if err := useSessionBus(runtime.GOOS); err != nil {
		return err
	}
	return keyring.Delete(s, u)
}

// Item names inside KeychainService. Each secret is its own small item; the
// non-secret rest is a compact JSON "meta" item written last.
const (
	itemMeta         = "meta"
	itemSecret       = "secret"
	itemAccessToken  = "access-token"
	itemRefreshToken = "refresh-token"
	itemClientSecret = "client-secret"
	itemProbe        = "probe"
)

var secretItems = []string{itemRefreshToken, itemAccessToken, itemClientSecret, itemSecret}

// KeychainStore keeps the credential in the OS keychain (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows).
type KeychainStore struct {
	// Keyring is the backend; nil uses the system keychain via go-keyring.
	Keyring Keyring
	// Service overrides KeychainService (tests).
	Service string
}

// KeychainError is a failure to reach the keychain. Its message says what
// to do instead.
type KeychainError struct {
	Op  string
	Err error
	// Service is the keychain service the store uses: the advice differs
	// for the Sentry token's.
	Service string
}

func (e *KeychainError) Error() string {
	hint := UnavailableHint
	if e.Service == SentryKeychainService {
		// The Sentry token's callers give SentryUnavailableHint as a hint.
		hint = "no Secret Service/keychain is reachable"
	}
	return fmt.Sprintf("%s the OS keychain: %v; %s", e.Op, e.Err, hint)
}

// Unwrap makes errors.Is(err, ErrUnavailable) true and keeps the cause.
func (e *KeychainError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

func (k *KeychainStore) ring() Keyring {
	if k.Keyring != nil {
		return k.Keyring
	}
	return systemKeyring{}
}

func (k *KeychainStore) service() string {
	if k.Service != "" {
		return k.Service
	}
	return KeychainService
}

// call runs fn with KeychainTimeout. A call that does not return in time is
// abandoned (its goroutine finishes or dies with the process).
func (k *KeychainStore) call(op string, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, keyring.ErrNotFound) {
			return err
		}
		if errors.Is(err, keyring.ErrSetDataTooBig) {
			return fmt.Errorf("%s the OS keychain: %w", op, err)
		}
		return &KeychainError{Op: op, Err: err, Service: k.service()}
	case <-time.After(KeychainTimeout):
		return &KeychainError{Op: op, Err: fmt.Errorf("no answer within %s", KeychainTimeout), Service: k.service()}
	}
}

func (k *KeychainStore) get(item string) (string, error) {
	var v string
	err := k.call("reading from", func() error {
		var err error
		v, err = k.ring().Get(k.service(), item)
		return err
	})
	return v, err
}

func (k *KeychainStore) set(item, value string) error {
	if len(value) > MaxItemSize {
		return fmt.Errorf("storing %s in the OS keychain: %d bytes is more than the %d a keychain item may hold", item, len(value), MaxItemSize)
	}
	return k.call("writing to", func() error { return k.ring().Set(k.service(), item, value) })
}

func (k *KeychainStore) del(item string) error {
	err := k.call("deleting from", func() error { return k.ring().Delete(k.service(), item) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// meta is the non-secret part, plus the names of the secret items present.
type meta struct {
	Credential
	Items []string `json:"items,omitempty"`
}

func secretField(c *Credential, item string) *string {
	switch item {
	case itemSecret:
		return &c.Secret
	case itemAccessToken:
		return &c.AccessToken
	case itemRefreshToken:
		return &c.RefreshToken
	case itemClientSecret:
		return &c.ClientSecret
	}
	return nil
}

// Get reads the credential.
func (k *KeychainStore) Get() (*Credential, error) {
	raw, err := k.get(itemMeta)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var m meta
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, fmt.Errorf("reading the credential from the OS keychain: damaged entry (run `sigsentry revoke` and log in again): %w", err)
	}
	c := m.Credential
	for _, item := range m.Items {
		p := secretField(&c, item)
		if p == nil {
			continue
		}
		v, err := k.get(item)
		if errors.Is(err, keyring.ErrNotFound) {
			return nil, fmt.Errorf("reading the credential from the OS keychain: item %q is missing (run `sigsentry auth login` again): %w", item, ErrNotFound)
		}
		if err != nil {
			return nil, err
		}
		*p = v
	}
	c.Source = SourceKeychain
	return &c, nil
}

// Set stores c: each secret as its own item (the refresh token first, so a
// rotated one is never lost), then the meta item that points at them.
func (k *KeychainStore) Set(c *Credential) error {
	if err := c.Validate(); err != nil {
		return err
	}
	m := meta{Credential: *c}
	for _, item := range secretItems {
		p := secretField(&m.Credential, item)
		if *p == "" {
			continue
		}
		if err := k.set(item, *p); err != nil {
			return err
		}
		m.Items = append(m.Items, item)
		*p = ""
	}
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding credential: %w", err)
	}
	if err := k.set(itemMeta, string(data)); err != nil {
		return err
	}
	// Clear items the new credential does not use.
	for _, item := range secretItems {
		if *secretField(c, item) == "" {
			if err := k.del(item); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete removes every item; nothing stored is not an error.
func (k *KeychainStore) Delete() error {
	for _, item := range append([]string{itemMeta}, secretItems...) {
		if err := k.del(item); err != nil {
			return err
		}
	}
	return nil
}

// CheckWritable writes and removes a probe item.
func (k *KeychainStore) CheckWritable() error {
	if err := k.set(itemProbe, "ok"); err != nil {
		return err
	}
	return k.del(itemProbe)
}

// Source is SourceKeychain.
func (k *KeychainStore) Source() Source { return SourceKeychain }
