package credstore

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sigsentry/sigsentry/internal/testenv"

	"github.com/zalando/go-keyring"
)

var testKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestEnvStorePrecedence(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantMethod Method
		wantUser   string
		wantSecret string
		wantErr    error
	}{
		{"none", nil, "", "", "", ErrNotFound},
		{"token wins", map[string]string{EnvToken: "tok", EnvUsername: "u", EnvAppPassword: "p", EnvEmail: "e", EnvAPIToken: "a"},
			MethodToken, "", "tok", nil},
		{"app password before api token", map[string]string{EnvUsername: "u", EnvAppPassword: "p", EnvEmail: "e", EnvAPIToken: "a"},
			MethodAppPassword, "u", "p", nil},
		{"api token", map[string]string{EnvEmail: "e@x", EnvAPIToken: "a"}, MethodAPIToken, "e@x", "a", nil},
		{"half a pair is nothing", map[string]string{EnvEmail: "e@x"}, "", "", "", ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := EnvStore{Getenv: envFunc(tt.env)}
			c, err := s.Get()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get error: got %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if s.Set(&Credential{}) == nil {
					t.Errorf("Set on the environment: got nil error, want one")
				}
				return
			}
			if c.Method != tt.wantMethod || c.Username != tt.wantUser || c.Secret != tt.wantSecret || c.Source != SourceEnvironment {
				t.Errorf("got %+v, want method %s user %q secret %q from environment", c, tt.wantMethod, tt.wantUser, tt.wantSecret)
			}
			var ea *EnvActiveError
			if err := s.Delete(); !errors.As(err, &ea) || !errors.Is(err, ErrReadOnly) {
				t.Errorf("Delete while env is set: got %v, want *EnvActiveError", err)
			}
			if err := s.Set(&Credential{}); !errors.As(err, &ea) {
				t.Errorf("Set while env is set: got %v, want *EnvActiveError", err)
			}
		})
	}
}

// memKeyring is an in-memory Keyring that can hang or fail.
type memKeyring struct {
	mu    sync.Mutex
	items map[string]string
	err   error
	hang  chan struct{}
}

func (m *memKeyring) wait() error {
	if m.hang != nil {
		<-m.hang
	}
	return m.err
}

// keys lists the items held.
func (m *memKeyring) keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.items))
}

// Set refuses what Windows' Credential Manager refuses, as go-keyring does.
func (m *memKeyring) Set(s, u, p string) error {
	if err := m.wait(); err != nil {
		return err
	}
	if len(p) > MaxItemSize {
		return keyring.ErrSetDataTooBig
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items == nil {
		m.items = map[string]string{}
	}
	m.items[s+"/"+u] = p
	return nil
}

func (m *memKeyring) Get(s, u string) (string, error) {
	if err := m.wait(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.items[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (m *memKeyring) Delete(s, u string) error {
	if err := m.wait(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.items[s+"/"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.items, s+"/"+u)
	return nil
}

var oauthCred = Credential{
	Method: MethodOAuth, AccessToken: "acc-123", RefreshToken: "ref-456",
	Expiry: time.Now().Add(time.Hour).UTC().Truncate(time.Second), Scopes: []string{"account", "repository"},
	ClientID: "client", ClientSecret: "csecret",
}

func testStoreRoundTrip(t *testing.T, s Store) {
	t.Helper()
	if _, err := s.Get(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on empty store: got %v, want ErrNotFound", err)
	}
	if err := s.Delete(); err != nil {
		t.Fatalf("Delete on empty store: got %v, want nil", err)
	}
	if err := s.CheckWritable(); err != nil {
		t.Fatalf("CheckWritable: %v", err)
	}
	in := oauthCred
	if err := s.Set(&in); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err := s.Get()
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.AccessToken != in.AccessToken || got.RefreshToken != in.RefreshToken || !got.Expiry.Equal(in.Expiry) ||
		got.ClientSecret != in.ClientSecret || strings.Join(got.Scopes, " ") != "account repository" || got.Source != s.Source() {
		t.Errorf("round trip: got %+v, want %+v from %s", got, in, s.Source())
	}
	basic := Credential{Method: MethodAPIToken, Username: "me@example.com", Secret: "api-tok"}
	if err := s.Set(&basic); err != nil {
		t.Fatalf("Set basic: %v", err)
	}
	got, err = s.Get()
	if err != nil {
		t.Fatalf("Get basic: %v", err)
	}
	if got.Method != MethodAPIToken || got.Username != basic.Username || got.Secret != basic.Secret || got.AccessToken != "" || got.RefreshToken != "" {
		t.Errorf("replacing oauth with basic: got %+v, want %+v", got, basic)
	}
	if err := s.Delete(); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: got %v, want ErrNotFound", err)
	}
}

func TestKeychainStoreFake(t *testing.T) {
	m := &memKeyring{}
	testStoreRoundTrip(t, &KeychainStore{Keyring: m})
	if len(m.items) != 0 {
		t.Errorf("items left after Delete: got %v, want none", m.items)
	}
}

func TestKeychainStoreKeepsSecretsOutOfMeta(t *testing.T) {
	m := &memKeyring{}
	s := &KeychainStore{Keyring: m}
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	meta := m.items[KeychainService+"/"+itemMeta]
	for _, sec := range c.Secrets() {
		if strings.Contains(meta, sec) {
			t.Errorf("meta item %q holds secret %q", meta, sec)
		}
	}
	for k, v := range m.items {
		if len(v) > MaxItemSize {
			t.Errorf("item %s is %d bytes, want <= %d", k, len(v), MaxItemSize)
		}
	}
}

// TestKeychainStoreSplitsLongTokens: Bitbucket's OAuth tokens since its
// 2026 token change run past 2,500 characters, more than one Windows
// Credential Manager item takes: each is split over items that fit, read
// back whole, and every piece goes when a shorter token replaces it or the
// credential is deleted.
func TestKeychainStoreSplitsLongTokens(t *testing.T) {
	m := &memKeyring{}
	s := &KeychainStore{Keyring: m}
	c := oauthCred
	c.AccessToken = "eyJ" + strings.Repeat("é0123456789", 400) // 4,803 bytes, runes of two bytes among them
	c.RefreshToken = strings.Repeat("r", 2700)
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	for k, v := range m.items {
		if len(v) > ChunkSize || !utf8.ValidString(v) {
			t.Errorf("item %s is %d bytes (valid UTF-8: %v), want at most %d of whole runes", k, len(v), utf8.ValidString(v), ChunkSize)
		}
	}
	got, err := s.Get()
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != c.AccessToken || got.RefreshToken != c.RefreshToken || got.ClientSecret != c.ClientSecret {
		t.Errorf("read back tokens of %d and %d bytes, want %d and %d", len(got.AccessToken), len(got.RefreshToken), len(c.AccessToken), len(c.RefreshToken))
	}
	if n := len(m.items); n != 1+3+2+1 {
		t.Errorf("got %d items, want 7 (meta, 3 access-token pieces, 2 refresh-token pieces, the client secret)", n)
	}

	// A refresh brings shorter tokens: the extra pieces go.
	c.AccessToken, c.RefreshToken = "short-access", "short-refresh"
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	if n := len(m.items); n != 4 {
		t.Errorf("after shorter tokens: items %v, want meta and three secrets", m.keys())
	}
	c.AccessToken = strings.Repeat("b", 4500)
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if len(m.items) != 0 {
		t.Errorf("after Delete: items %v, want none", m.keys())
	}

	// Pieces whose meta was lost are swept by Delete too.
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	m.items[KeychainService+"/"+itemMeta] = "{damaged"
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if len(m.items) != 0 {
		t.Errorf("after Delete with damaged meta: items %v, want none", m.keys())
	}
}

// failingKeyring refuses writes once `after` of them were made, as a
// keychain that fails mid-way (or a process cut short) does.
type failingKeyring struct {
	*memKeyring
	after int
}

func (f *failingKeyring) Set(s, u, p string) error {
	if f.after <= 0 {
		return errors.New("the keychain refused the write")
	}
	f.after--
	return f.memKeyring.Set(s, u, p)
}

// TestKeychainStoreSetCutShort: a Set that fails part way (here after a
// few pieces of a long refresh token) leaves the stored credential as it
// was, whole: its pieces and the new ones are in different sets of items.
func TestKeychainStoreSetCutShort(t *testing.T) {
	mem := &memKeyring{}
	c := oauthCred
	c.RefreshToken = strings.Repeat("o", 4100) // three pieces
	if err := (&KeychainStore{Keyring: mem}).Set(&c); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		after int
	}{{"first piece", 0}, {"second piece", 1}, {"meta", 3}} {
		next := c
		next.RefreshToken = strings.Repeat("n", 2600)
		err := (&KeychainStore{Keyring: &failingKeyring{memKeyring: mem, after: tc.after}}).Set(&next)
		if err == nil {
			t.Fatalf("%s: the write did not fail", tc.name)
		}
		got, err := (&KeychainStore{Keyring: mem}).Get()
		if err != nil || got.RefreshToken != c.RefreshToken {
			n := 0
			if got != nil {
				n = len(got.RefreshToken)
			}
			t.Errorf("%s: after a failed Set got %d bytes, %v; want the stored 4100-byte token", tc.name, n, err)
		}
	}
	if err := (&KeychainStore{Keyring: mem}).Delete(); err != nil {
		t.Fatal(err)
	}
	if keys := mem.keys(); len(keys) != 0 {
		t.Errorf("after Delete: items %v, want none (a cut-short Set's pieces included)", keys)
	}
}

func TestKeychainStoreErrors(t *testing.T) {
	t.Run("unavailable", func(t *testing.T) {
		s := &KeychainStore{Keyring: &memKeyring{err: errors.New("dbus: DBUS_SESSION_BUS_ADDRESS not set")}}
		for name, err := range map[string]error{"Get": func() error { _, e := s.Get(); return e }(), "Set": s.Set(&oauthCred),
			"Delete": s.Delete(), "CheckWritable": s.CheckWritable()} {
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("%s: got %v, want ErrUnavailable", name, err)
				continue
			}
			for _, want := range []string{"SIGSENTRY_BITBUCKET_API_TOKEN", "SIGSENTRY_CREDENTIAL_STORE=file", "SIGSENTRY_CREDENTIAL_PASSPHRASE"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: message %q does not say %s", name, err, want)
				}
			}
		}
	})
	t.Run("unavailable for the Sentry token", func(t *testing.T) {
		// The Sentry token's keychain error gives no Bitbucket advice:
		// its callers add the Sentry hint.
		s := &KeychainStore{Service: SentryKeychainService, Keyring: &memKeyring{err: errors.New("dbus: DBUS_SESSION_BUS_ADDRESS not set")}}
		_, err := s.Get()
		if !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), "SIGSENTRY_BITBUCKET") || !strings.Contains(err.Error(), "keychain is reachable") {
			t.Errorf("got %v, want ErrUnavailable without Bitbucket advice", err)
		}
	})
	t.Run("hangs", func(t *testing.T) {
		old := KeychainTimeout
		KeychainTimeout = 50 * time.Millisecond
		defer func() { KeychainTimeout = old }()
		hang := make(chan struct{})
		defer close(hang)
		s := &KeychainStore{Keyring: &memKeyring{hang: hang}}
		_, err := s.Get()
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no answer within") {
			t.Errorf("hanging keychain: got %v, want a timeout wrapping ErrUnavailable", err)
		}
	})
	t.Run("slow then answers", func(t *testing.T) {
		// At a terminal the keychain may wait for the user to unlock
		// it: past keychainSlowAfter the wait is said once, and the
		// answer that comes before KeychainTimeout is taken.
		oldT, oldS, oldAfter := KeychainTimeout, KeychainSlow, keychainSlowAfter
		defer func() { KeychainTimeout, KeychainSlow, keychainSlowAfter, slowOnce = oldT, oldS, oldAfter, sync.Once{} }()
		KeychainTimeout, keychainSlowAfter, slowOnce = 5*time.Second, 20*time.Millisecond, sync.Once{}
		said := 0
		KeychainSlow = func() { said++ }
		hang := make(chan struct{})
		time.AfterFunc(200*time.Millisecond, func() { close(hang) })
		m := &memKeyring{hang: hang}
		s := &KeychainStore{Keyring: m}
		c := oauthCred
		if err := s.Set(&c); err != nil {
			t.Fatalf("got %v, want the slow keychain's answer", err)
		}
		if said != 1 {
			t.Errorf("the wait was said %d times, want once", said)
		}
	})
	t.Run("too big", func(t *testing.T) {
		s := &KeychainStore{Keyring: &memKeyring{}}
		c := oauthCred
		c.AccessToken = strings.Repeat("a", maxChunks*ChunkSize+1)
		if err := s.Set(&c); err == nil || !strings.Contains(err.Error(), "16000") {
			t.Errorf("oversized secret: got %v, want an error naming the 16000-byte cap", err)
		}
	})
}

// TestKeychainStoreReal runs against the real Secret Service. It needs a
// D-Bus session with an unlocked gnome-keyring: see testdata/with-keyring.sh.
func TestKeychainStoreReal(t *testing.T) {
	if os.Getenv("SIGSENTRY_TEST_KEYRING") != "1" {
		testenv.Unavailable(t, "%s", "the real keychain test needs a Secret Service: run internal/credstore/testdata/with-keyring.sh go test ./internal/credstore/ "+
			"(it sets SIGSENTRY_TEST_KEYRING=1)")
	}
	s := &KeychainStore{Service: "sigsentry-test:" + t.Name()}
	t.Cleanup(func() { _ = s.Delete() })
	testStoreRoundTrip(t, s)

	// Tokens of Bitbucket's 2026 size, split over items.
	c := oauthCred
	c.AccessToken, c.RefreshToken = strings.Repeat("a", 2700), strings.Repeat("r", 5100)
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get()
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != c.AccessToken || got.RefreshToken != c.RefreshToken {
		t.Errorf("read back tokens of %d and %d bytes, want 2700 and 5100", len(got.AccessToken), len(got.RefreshToken))
	}
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(s.Service, pieceName(itemRefreshToken, "b", 3)); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the refresh token's third piece after Delete: got %v, want it gone", err)
	}
}

func newFileStore(t *testing.T) *FileStore {
	t.Helper()
	return &FileStore{Path: filepath.Join(t.TempDir(), "cfg", FileName), Passphrase: "correct horse", KDF: testKDF}
}

func TestFileStoreRoundTrip(t *testing.T) {
	s := newFileStore(t)
	testStoreRoundTrip(t, s)
}

func TestFileStoreNoPlaintext(t *testing.T) {
	s := newFileStore(t)
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range append(c.Secrets(), c.ClientID, "oauth") {
		if strings.Contains(string(data), sec) {
			t.Errorf("file holds %q in plain text", sec)
		}
	}
	fi, _ := os.Stat(s.Path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode: got %04o, want 0600", fi.Mode().Perm())
	}
}

func TestFileStoreWrongPassphrase(t *testing.T) {
	s := newFileStore(t)
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	wrong := &FileStore{Path: s.Path, Passphrase: "wrong horse", KDF: testKDF}
	if _, err := wrong.Get(); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: got %v, want ErrWrongPassphrase", err)
	}
	if err := wrong.CheckWritable(); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("CheckWritable with wrong passphrase: got %v, want ErrWrongPassphrase", err)
	}
	none := &FileStore{Path: s.Path}
	if _, err := none.Get(); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("no passphrase: got %v, want ErrNoPassphrase", err)
	}
}

func TestFileStoreTampering(t *testing.T) {
	s := newFileStore(t)
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	saltAt := len(magic) + 9
	verifierAt := saltAt + saltLen
	nonceAt := verifierAt + verifierLen
	tests := []struct {
		name string
		at   int
		want error
	}{
		{"magic", 0, ErrBadFormat},
		{"kdf time", len(magic) + 3, ErrTampered},
		{"salt", saltAt, ErrTampered},
		{"verifier", verifierAt + 5, ErrTampered},
		{"nonce", nonceAt + 1, ErrTampered},
		{"ciphertext first byte", headerLen, ErrTampered},
		{"ciphertext middle", headerLen + (len(orig)-headerLen)/2, ErrTampered},
		{"tag last byte", len(orig) - checksumLen - 1, ErrTampered},
		{"checksum last byte", len(orig) - 1, ErrTampered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := append([]byte(nil), orig...)
			data[tt.at] ^= 0x01
			if err := os.WriteFile(s.Path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(); !errors.Is(err, tt.want) {
				t.Errorf("flipped byte %d: got %v, want %v", tt.at, err, tt.want)
			}
		})
	}
	t.Run("truncated", func(t *testing.T) {
		if err := os.WriteFile(s.Path, orig[:headerLen], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(); !errors.Is(err, ErrTampered) {
			t.Errorf("truncated: got %v, want ErrTampered (a file cut short is a corrupted one)", err)
		}
	})
}

func TestFileStorePermissions(t *testing.T) {
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o644} {
		s := newFileStore(t)
		c := oauthCred
		if err := s.Set(&c); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(s.Path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := s.Get()
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: got %v, want a refusal telling to chmod 600", mode, err)
		}
	}
	// Where the mode says nothing of access (Windows reports every
	// writable file as 0666), the file is read.
	old := modeBitsMeanAccess
	modeBitsMeanAccess = false
	defer func() { modeBitsMeanAccess = old }()
	s := newFileStore(t)
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Path, 0o666); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(); err != nil || got.AccessToken != c.AccessToken {
		t.Errorf("mode 0666 where modes mean nothing: got %v, %v; want the credential", got, err)
	}
}

// TestChainHalfSetPair: one variable of a pair set and the other empty
// (a CI secret that did not reach the job) is named when nothing stored
// can stand in; a stored credential still can.
func TestChainHalfSetPair(t *testing.T) {
	for _, tc := range []struct{ set, empty string }{
		{EnvEmail, EnvAPIToken}, {EnvAPIToken, EnvEmail}, {EnvUsername, EnvAppPassword},
	} {
		env := map[string]string{EnvStoreKind: "file", EnvPassphrase: "chain passphrase", tc.set: "x"}
		ch, err := Open(envFunc(env), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ch.File.KDF = testKDF
		_, err = ch.Active()
		var half *HalfSetError
		if !errors.As(err, &half) || !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tc.set+" is set but "+tc.empty+" is empty") {
			t.Errorf("%s set: got %v, want a HalfSetError naming %s", tc.set, err, tc.empty)
		}
		c := oauthCred
		if err := ch.Set(&c); err != nil {
			t.Fatal(err)
		}
		if got, err := ch.Active(); err != nil || got.Source != SourceFile {
			t.Errorf("%s set, a stored credential: got %+v, %v; want the stored one", tc.set, got, err)
		}
	}
}

func TestChain(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{EnvStoreKind: "file", EnvPassphrase: "chain passphrase"}
	ch, err := Open(envFunc(env), dir)
	if err != nil {
		t.Fatal(err)
	}
	ch.File.KDF = testKDF
	ch.Keychain.Keyring = &memKeyring{}
	if ch.Stored != Store(ch.File) {
		t.Fatalf("SIGSENTRY_CREDENTIAL_STORE=file: got stored backend %s, want file", ch.Stored.Source())
	}
	c := oauthCred
	if err := ch.Set(&c); err != nil {
		t.Fatal(err)
	}
	got, err := ch.Active()
	if err != nil || got.Source != SourceFile {
		t.Fatalf("Active: got %+v, %v; want the file credential", got, err)
	}
	env[EnvEmail], env[EnvAPIToken] = "ci@example.com", "citok"
	got, err = ch.Active()
	if err != nil || got.Source != SourceEnvironment || got.Secret != "citok" {
		t.Errorf("env beats stored: got %+v, %v", got, err)
	}
	if err := ch.Set(&c); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Set with env credential: got %v, want ErrReadOnly", err)
	}
	if _, err := ch.DeleteAll(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("DeleteAll with env credential: got %v, want ErrReadOnly", err)
	}
	delete(env, EnvEmail)
	delete(env, EnvAPIToken)
	removed, err := ch.DeleteAll()
	if err != nil {
		t.Fatal(err)
	}
	var fromFile bool
	for _, r := range removed {
		if r.Err != nil {
			t.Errorf("removing from %s: %v", r.Source, r.Err)
		}
		if r.Source == SourceFile && r.Credential != nil {
			fromFile = true
		}
	}
	if !fromFile {
		t.Errorf("DeleteAll: got %+v, want the file credential reported removed", removed)
	}
	if _, err := os.Stat(ch.File.Path); !os.IsNotExist(err) {
		t.Errorf("credential file still there after DeleteAll: %v", err)
	}
	again, err := ch.DeleteAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Credential != nil || r.Err != nil {
			t.Errorf("second DeleteAll: got %+v, want nothing removed", r)
		}
	}
	if _, err := Open(envFunc(map[string]string{EnvStoreKind: "vault"}), dir); err == nil {
		t.Errorf("unknown store kind: got nil error")
	}
}

func FuzzOpenFile(f *testing.F) {
	c := oauthCred
	plain, _ := jsonMarshal(&c)
	sealed, err := seal(plain, "pw", testKDF, nil, deriveKeys)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed, "pw")
	f.Add(sealed, "other")
	f.Add(sealed[:len(sealed)-checksumLen], "pw")
	f.Add([]byte("SSCRED\x00\x01"), "pw")
	f.Add([]byte("SSCRED\x00\x02"), "pw")
	f.Add([]byte("SSCRED\x00\x09"), "pw")
	f.Fuzz(func(t *testing.T, data []byte, pass string) {
		plain, err := open(data, pass, []KDFParams{testKDF}, deriveKeys)
		if err == nil && plain == nil {
			t.Errorf("open: got nil plaintext and nil error")
		}
	})
}

// TestChunksNotUTF8: a secret with no rune start in a piece's reach is
// still split (it used to loop for ever).
func TestChunksNotUTF8(t *testing.T) {
	parts := chunks(strings.Repeat("\x80", 4500))
	if len(parts) != 3 || strings.Join(parts, "") != strings.Repeat("\x80", 4500) {
		t.Errorf("got %d pieces, want 3 that join back", len(parts))
	}
}
