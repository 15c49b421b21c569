package credstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

const sentryTok = "sntryu_0123456789abcdef0123456789abcdef"

func TestSentryChainKeychain(t *testing.T) {
	env := map[string]string{}
	c, err := OpenSentry(envFunc(env), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ring := &memKeyring{}
	c.Keychain.Keyring = ring
	if c.Stored != Store(c.Keychain) {
		t.Fatalf("default store: got %v, want the keychain", c.Stored.Source())
	}
	if _, err := c.Active(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Active with nothing: got %v, want ErrNotFound", err)
	}
	cred := &Credential{Method: MethodSentryToken, Secret: sentryTok, Org: "acme", URL: "https://de.sentry.io"}
	if err := c.Set(cred); err != nil {
		t.Fatal(err)
	}
	got, err := c.Active()
	if err != nil || got.Secret != sentryTok || got.Org != "acme" || got.URL != "https://de.sentry.io" || got.Source != SourceKeychain {
		t.Fatalf("Active: got %+v, %v", got, err)
	}
	meta := ring.items[SentryKeychainService+"/"+itemMeta]
	if strings.Contains(meta, sentryTok) || !strings.Contains(meta, `"org":"acme"`) {
		t.Errorf("meta item %q: want org and URL, not the token", meta)
	}
	for k := range ring.items {
		if !strings.HasPrefix(k, SentryKeychainService+"/") {
			t.Errorf("item %s is outside the Sentry service", k)
		}
	}
	// SENTRY_AUTH_TOKEN wins and makes the store read-only.
	env[EnvSentryToken] = "sntryu_from-env-0123456789"
	got, err = c.Active()
	if err != nil || got.Secret != env[EnvSentryToken] || got.Source != SourceEnvironment || got.EnvVars[0] != EnvSentryToken {
		t.Errorf("Active with the variable: got %+v, %v", got, err)
	}
	var ea *EnvActiveError
	for name, err := range map[string]error{"Set": c.Set(cred), "CheckWritable": c.CheckWritable(),
		"DeleteAll": func() error { _, err := c.DeleteAll(); return err }()} {
		if !errors.As(err, &ea) || ea.Vars[0] != EnvSentryToken {
			t.Errorf("%s while SENTRY_AUTH_TOKEN is set: got %v, want an *EnvActiveError naming it", name, err)
		}
	}
	delete(env, EnvSentryToken)
	removed, err := c.DeleteAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range removed {
		if r.Source == SourceKeychain && r.Credential != nil && r.Credential.Method == MethodSentryToken {
			found = true
		}
	}
	if !found || len(ring.items) != 0 {
		t.Errorf("DeleteAll: got %+v, %d items left; want the keychain token removed", removed, len(ring.items))
	}
	if err := c.Set(&Credential{Method: MethodToken, Secret: "x"}); err == nil {
		t.Error("Set of a Bitbucket credential into the Sentry chain: got no error")
	}
	if err := c.Set(&Credential{Method: MethodSentryToken}); err == nil {
		t.Error("Set without a token: got no error")
	}
}

func TestSentryChainFileApartFromBitbucket(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{EnvStoreKind: "file", EnvPassphrase: "correct horse"}
	bb, err := Open(envFunc(env), dir)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := OpenSentry(envFunc(env), dir)
	if err != nil {
		t.Fatal(err)
	}
	bb.File.KDF, sc.File.KDF = testKDF, testKDF
	if sc.Stored != Store(sc.File) || filepath.Base(sc.File.Path) != SentryFileName {
		t.Fatalf("file store: got %s at %s", sc.Stored.Source(), sc.File.Path)
	}
	if err := bb.Set(&Credential{Method: MethodAPIToken, Username: "me@example.com", Secret: "bb-secret"}); err != nil {
		t.Fatal(err)
	}
	if err := sc.Set(&Credential{Method: MethodSentryToken, Secret: sentryTok, Org: "acme", URL: "https://sentry.io"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(sc.File.Path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), sentryTok) || strings.Contains(string(data), "acme") {
		t.Error("the Sentry file holds the token or the org in plain text")
	}
	if got, err := bb.Active(); err != nil || got.Secret != "bb-secret" {
		t.Errorf("the Bitbucket credential after storing the Sentry token: got %+v, %v", got, err)
	}
	if _, err := sc.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if got, err := bb.Active(); err != nil || got.Secret != "bb-secret" {
		t.Errorf("the Bitbucket credential after removing the Sentry token: got %+v, %v", got, err)
	}
	if _, err := sc.Active(); !errors.Is(err, ErrNotFound) {
		t.Errorf("the Sentry token after DeleteAll: got %v, want ErrNotFound", err)
	}
	// A Bitbucket environment credential does not lock the Sentry store.
	env[EnvAPIToken], env[EnvEmail] = "x", "me@example.com"
	if err := sc.CheckWritable(); err != nil {
		t.Errorf("CheckWritable with a Bitbucket variable set: %v", err)
	}
}

func TestSentryChainUnknownStoreKind(t *testing.T) {
	if _, err := OpenSentry(envFunc(map[string]string{EnvStoreKind: "vault"}), t.TempDir()); err == nil {
		t.Error("OpenSentry with SIGSENTRY_CREDENTIAL_STORE=vault: got no error")
	}
}

// TestSentryKeychainReal stores and removes a Sentry token in the real
// Secret Service (see testdata/with-keyring.sh).
func TestSentryKeychainReal(t *testing.T) {
	if os.Getenv("SIGSENTRY_TEST_KEYRING") != "1" {
		testenv.Unavailable(t, "%s", "the real keychain test needs a Secret Service: run internal/credstore/testdata/with-keyring.sh go test ./internal/credstore/")
	}
	c := &SentryChain{Getenv: envFunc(nil), Keychain: &KeychainStore{Service: "sigsentry-test:sentry:" + t.Name()}}
	c.File = &FileStore{Path: filepath.Join(t.TempDir(), SentryFileName)}
	c.Stored = c.Keychain
	t.Cleanup(func() { _ = c.Keychain.Delete() })
	if err := c.Set(&Credential{Method: MethodSentryToken, Secret: sentryTok, Org: "acme", URL: "https://sentry.io"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Active()
	if err != nil || got.Secret != sentryTok || got.Org != "acme" {
		t.Fatalf("Active: got %+v, %v", got, err)
	}
	if _, err := c.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Active(); !errors.Is(err, ErrNotFound) {
		t.Errorf("after DeleteAll: got %v, want ErrNotFound", err)
	}
}
