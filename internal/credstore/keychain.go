package credstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// KeychainService is the service name under which items are kept.
const KeychainService = "sigsentry:bitbucket"

// MaxItemSize is the largest secret one keychain item may hold: Windows
// caps a credential blob at 2,560 bytes.
const MaxItemSize = 2560

// ChunkSize is the most of a secret one keychain item holds: Bitbucket's
// OAuth tokens since its 2026 token change regularly exceed 2,500
// characters, more than Windows' Credential Manager takes in one item
// (2,560 bytes) and macOS's keychain through go-keyring (about 3,000: the
// secret, base64-encoded, must fit a 4,096-byte command line). A longer
// secret is split over items "NAME", "NAME#2", ... (meta records how many).
const ChunkSize = 2000

// maxChunks bounds the items of one secret (16,000 bytes), and what
// Delete sweeps when meta cannot be read.
const maxChunks = 8

// KeychainTimeout bounds every keychain call: a keychain can hang (a locked
// collection waiting for a prompt nobody sees, a stuck D-Bus). At a
// terminal, where an unlock prompt has someone to answer it, the command
// line raises it to InteractiveKeychainTimeout.
var KeychainTimeout = 3 * time.Second

// InteractiveKeychainTimeout bounds a keychain call when someone at a
// terminal may be unlocking the keychain.
const InteractiveKeychainTimeout = 60 * time.Second

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
	timeout := time.NewTimer(KeychainTimeout)
	defer timeout.Stop()
	var slow <-chan time.Time
	if KeychainSlow != nil && KeychainTimeout > keychainSlowAfter {
		t := time.NewTimer(keychainSlowAfter)
		defer t.Stop()
		slow = t.C
	}
	for {
		select {
		case err := <-done:
			if err == nil || errors.Is(err, keyring.ErrNotFound) {
				return err
			}
			if errors.Is(err, keyring.ErrSetDataTooBig) {
				return fmt.Errorf("%s the OS keychain: %w", op, err)
			}
			return &KeychainError{Op: op, Err: err, Service: k.service()}
		case <-slow:
			slowOnce.Do(KeychainSlow)
			slow = nil
		case <-timeout.C:
			return &KeychainError{Op: op, Err: fmt.Errorf("no answer within %s", KeychainTimeout), Service: k.service()}
		}
	}
}

// KeychainSlow, when set, is called once per process when a keychain call
// has not answered within keychainSlowAfter: a keychain asking to be
// unlocked waits for the user (the command line sets it, with a longer
// KeychainTimeout, when someone at a terminal can answer).
var KeychainSlow func()

// keychainSlowAfter is when a keychain call counts as slow.
var keychainSlowAfter = 2 * time.Second

var slowOnce sync.Once

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

// meta is the non-secret part, plus the names of the secret items present
// and, for a secret split over several items, how many.
type meta struct {
	Credential
	Items  []string       `json:"items,omitempty"`
	Chunks map[string]int `json:"chunks,omitempty"`
}

// chunkItem is the name of the k-th item (1-based) of secret item.
func chunkItem(item string, k int) string {
	if k == 1 {
		return item
	}
	return fmt.Sprintf("%s#%d", item, k)
}

// chunks splits v into pieces of at most ChunkSize bytes, on rune
// boundaries.
func chunks(v string) []string {
	var out []string
	for len(v) > ChunkSize {
		n := ChunkSize
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		out = append(out, v[:n])
		v = v[n:]
	}
	return append(out, v)
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
		n := max(m.Chunks[item], 1)
		var b strings.Builder
		for i := 1; i <= n && i <= maxChunks; i++ {
			v, err := k.get(chunkItem(item, i))
			if errors.Is(err, keyring.ErrNotFound) {
				return nil, fmt.Errorf("reading the credential from the OS keychain: item %q is missing (run `sigsentry auth login` again): %w", chunkItem(item, i), ErrNotFound)
			}
			if err != nil {
				return nil, err
			}
			b.WriteString(v)
		}
		*p = b.String()
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
	old := k.storedChunks()
	m := meta{Credential: *c}
	for _, item := range secretItems {
		p := secretField(&m.Credential, item)
		if *p == "" {
			continue
		}
		parts := chunks(*p)
		if len(parts) > maxChunks {
			return fmt.Errorf("storing %s in the OS keychain: %d bytes is more than the %d sigsentry keeps for one secret", item, len(*p), maxChunks*ChunkSize)
		}
		for i, part := range parts {
			if err := k.set(chunkItem(item, i+1), part); err != nil {
				return err
			}
		}
		m.Items = append(m.Items, item)
		if len(parts) > 1 {
			if m.Chunks == nil {
				m.Chunks = map[string]int{}
			}
			m.Chunks[item] = len(parts)
		}
		*p = ""
	}
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding credential: %w", err)
	}
	if err := k.set(itemMeta, string(data)); err != nil {
		return err
	}
	// Clear items the new credential does not use, and the pieces a
	// longer secret before it left beyond the new one's.
	for _, item := range secretItems {
		from := max(m.Chunks[item], 1) + 1
		if *secretField(c, item) == "" {
			from = 1
		}
		for i := from; i <= old[item]; i++ {
			if err := k.del(chunkItem(item, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedChunks is, for each secret item, how many items it spans now (0:
// none); when meta cannot be read, every item that may exist.
func (k *KeychainStore) storedChunks() map[string]int {
	out := map[string]int{}
	raw, err := k.get(itemMeta)
	var m meta
	if err == nil && json.Unmarshal([]byte(raw), &m) == nil {
		for _, item := range m.Items {
			out[item] = min(max(m.Chunks[item], 1), maxChunks)
		}
		for _, item := range secretItems {
			if out[item] == 0 {
				out[item] = 1 // an item meta does not list may be left over
			}
		}
		return out
	}
	if !errors.Is(err, keyring.ErrNotFound) {
		// Unreadable or damaged: sweep every piece there may be.
		for _, item := range secretItems {
			out[item] = maxChunks
		}
		return out
	}
	for _, item := range secretItems {
		out[item] = 1
	}
	return out
}

// Delete removes every item; nothing stored is not an error.
func (k *KeychainStore) Delete() error {
	stored := k.storedChunks()
	if err := k.del(itemMeta); err != nil {
		return err
	}
	for _, item := range secretItems {
		for i := 1; i <= stored[item]; i++ {
			if err := k.del(chunkItem(item, i)); err != nil {
				return err
			}
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
