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

// del deletes item and reports whether it was there; a missing item is
// no error.
func (k *KeychainStore) del(item string) (bool, error) {
	err := k.call("deleting from", func() error { return k.ring().Delete(k.service(), item) })
	if errors.Is(err, keyring.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// meta is the non-secret part, plus where the secrets are: the names of
// the secret items present, how many items each spans when split, and the
// set of items holding them.
type meta struct {
	Credential
	Items  []string       `json:"items,omitempty"`
	Chunks map[string]int `json:"chunks,omitempty"`
	// Slot names the set of items the secrets are in: "" (NAME, NAME#2,
	// ...) or "b" (NAME~b, NAME~b#2, ...). Set writes the set meta does not
	// name, then meta, then removes the old set, so a Set cut short (a
	// failed write, Ctrl-C) leaves the stored credential whole, and a
	// reader never sees pieces of two tokens.
	Slot string `json:"slot,omitempty"`
}

// slots are the two sets of secret items.
var slots = []string{"", "b"}

// pieceName is the name of the k-th item (1-based) of secret item in set
// slot.
func pieceName(item, slot string, k int) string {
	if slot != "" {
		item += "~" + slot
	}
	if k > 1 {
		item += fmt.Sprintf("#%d", k)
	}
	return item
}

// chunks splits v into pieces of at most ChunkSize bytes, on rune
// boundaries where there are any.
func chunks(v string) []string {
	var out []string
	for len(v) > ChunkSize {
		n := ChunkSize
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		if n == 0 {
			n = ChunkSize // no rune starts here: not UTF-8, cut anywhere
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

// readMeta reads the meta item; ok is false when there is none.
func (k *KeychainStore) readMeta() (m meta, ok bool, err error) {
	raw, err := k.get(itemMeta)
	if errors.Is(err, keyring.ErrNotFound) {
		return meta{}, false, nil
	}
	if err != nil {
		return meta{}, false, err
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return meta{}, false, fmt.Errorf("reading the credential from the OS keychain: damaged entry (run `sigsentry revoke` and log in again): %w", err)
	}
	return m, true, nil
}

// Get reads the credential. A piece that went missing while it read (a
// Set in another process switched sets) makes it read meta once more.
func (k *KeychainStore) Get() (*Credential, error) {
	for try := 0; ; try++ {
		c, err := k.getOnce()
		if errors.Is(err, errPieceMissing) && try == 0 {
			continue
		}
		if errors.Is(err, errPieceMissing) {
			return nil, fmt.Errorf("%w: %w", err, ErrNotFound)
		}
		return c, err
	}
}

// errPieceMissing is a secret item meta names that is not there.
var errPieceMissing = errors.New("reading the credential from the OS keychain: an item is missing (run `sigsentry auth login` again)")

func (k *KeychainStore) getOnce() (*Credential, error) {
	m, ok, err := k.readMeta()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	c := m.Credential
	for _, item := range m.Items {
		p := secretField(&c, item)
		if p == nil {
			continue
		}
		n := max(m.Chunks[item], 1)
		if n > maxChunks {
			return nil, fmt.Errorf("reading the credential from the OS keychain: damaged entry: %s in %d pieces (run `sigsentry revoke` and log in again)", item, n)
		}
		var b strings.Builder
		for i := 1; i <= n; i++ {
			v, err := k.get(pieceName(item, m.Slot, i))
			if errors.Is(err, keyring.ErrNotFound) {
				return nil, fmt.Errorf("%w: %q", errPieceMissing, pieceName(item, m.Slot, i))
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

// Set stores c: each secret in items of the set meta does not name (the
// refresh token first), then meta, which switches to them; then the old
// set goes. A Set cut short before meta leaves the old credential whole.
func (k *KeychainStore) Set(c *Credential) error {
	if err := c.Validate(); err != nil {
		return err
	}
	old, known, err := k.readMeta()
	var ke *KeychainError
	if errors.As(err, &ke) {
		return err
	}
	slot := "b"
	if known && old.Slot == "b" {
		slot = ""
	}
	m := meta{Credential: *c, Slot: slot}
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
			if err := k.set(pieceName(item, slot, i+1), part); err != nil {
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
	// The old set, and pieces an earlier Set cut short left in this one
	// beyond what it now holds.
	for _, item := range secretItems {
		used := 0
		if *secretField(c, item) != "" {
			used = max(m.Chunks[item], 1)
		}
		for _, sl := range slots {
			from := 1
			if sl == slot {
				from = used + 1
			}
			if err := k.sweep(item, sl, from); err != nil {
				return err
			}
		}
	}
	return nil
}

// sweep deletes the pieces of item in set slot from the from-th on; pieces
// are written in order, so the first one missing ends them.
func (k *KeychainStore) sweep(item, slot string, from int) error {
	for i := from; i <= maxChunks; i++ {
		if found, err := k.del(pieceName(item, slot, i)); err != nil || !found {
			return err
		}
	}
	return nil
}

// Delete removes every item, in both sets; nothing stored is not an error.
func (k *KeychainStore) Delete() error {
	if _, err := k.del(itemMeta); err != nil {
		return err
	}
	for _, item := range secretItems {
		for _, sl := range slots {
			if err := k.sweep(item, sl, 1); err != nil {
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
	_, err := k.del(itemProbe)
	return err
}

// Source is SourceKeychain.
func (k *KeychainStore) Source() Source { return SourceKeychain }
