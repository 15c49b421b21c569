package auth_test

import (
	"os"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

// TestKeychainUnavailableSaysWhatToDo: with no Secret Service reachable, the
// default keychain store fails before anything is asked, naming the fixes.
func TestKeychainUnavailableSaysWhatToDo(t *testing.T) {
	e := newEnv(t, true)
	delete(e.vars, "SIGSENTRY_CREDENTIAL_STORE")
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + t.TempDir() + "/no-bus"
	for _, args := range [][]string{{"auth", "login", "--no-browser"}, {"auth", "api-token", "--email", apiEmail, "--token-stdin"}} {
		r := e.exec(apiToken, args...)
		if r.code == 0 {
			t.Errorf("%v without a keychain: exit 0, want a failure", args)
		}
		for _, want := range []string{"SIGSENTRY_BITBUCKET_EMAIL", "SIGSENTRY_BITBUCKET_API_TOKEN", "SIGSENTRY_CREDENTIAL_STORE=file", "SIGSENTRY_CREDENTIAL_PASSPHRASE"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: stderr %q does not say %s", args, r.stderr, want)
			}
		}
		if strings.Contains(r.stderr, "/site/oauth2/authorize") {
			t.Errorf("%v: the authorize URL was shown before the store was found unusable", args)
		}
	}
}

// TestKeychainBackedCLI runs store, status and revoke against the real
// Secret Service (see internal/credstore/testdata/with-keyring.sh).
func TestKeychainBackedCLI(t *testing.T) {
	if os.Getenv("SIGSENTRY_TEST_KEYRING") != "1" {
		testenv.Unavailable(t, "%s", "needs a Secret Service: run under internal/credstore/testdata/with-keyring.sh (sets SIGSENTRY_TEST_KEYRING=1)")
	}
	e := newEnv(t, true)
	delete(e.vars, "SIGSENTRY_CREDENTIAL_STORE")
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if r := e.exec(apiToken, "auth", "api-token", "--email", apiEmail, "--token-stdin"); r.code != 0 {
		t.Fatalf("api-token into the keychain: exit %d: %s", r.code, r.stderr)
	}
	sentrySrv := sentrytest.NewServer(sentrytest.Options{})
	defer sentrySrv.Close()
	sentrySrv.AddToken(sentryToken, sentrytest.Token{Scopes: []string{"org:read"}})
	sentrySrv.AddOrg("acme")
	e.vars["SENTRY_URL"] = sentrySrv.URL()
	if r := e.exec(sentryToken, "auth", "sentry", "--org", "acme", "--token-stdin"); r.code != 0 || !strings.Contains(r.stderr, "OS keychain") {
		t.Fatalf("auth sentry into the keychain: exit %d: %s", r.code, r.stderr)
	}
	st := e.exec("", "auth", "status", "-o", "json")
	if st.code != 0 || !strings.Contains(st.stdout, `"source": "keychain"`) {
		t.Errorf("status: exit %d, %s %s; want the keychain credential", st.code, st.stdout, st.stderr)
	}
	if !strings.Contains(st.stdout, `"sentry": {`) || strings.Count(st.stdout, `"source": "keychain"`) != 2 {
		t.Errorf("status: %s; want the Sentry token from the keychain too", st.stdout)
	}
	if r := e.exec("", "revoke"); r.code != 0 || !strings.Contains(r.stderr, "OS keychain") ||
		!strings.Contains(r.stderr, "Removed the stored Sentry token from the OS keychain") {
		t.Errorf("revoke: exit %d, %s", r.code, r.stderr)
	}
	if st := e.exec("", "auth", "status"); st.code != 4 {
		t.Errorf("status after revoke: exit %d, want 4", st.code)
	}
}

// TestKeychainUnavailableIsAnAuthFailure: commands that need the stored
// credential exit 4 (authentication) when the keychain cannot be reached,
// and say what to do instead.
func TestKeychainUnavailableIsAnAuthFailure(t *testing.T) {
	e := newEnv(t, true)
	delete(e.vars, "SIGSENTRY_CREDENTIAL_STORE")
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + t.TempDir() + "/no-bus"
	for _, args := range [][]string{{"auth", "status"}, {"repos", "add", "acme/app"}, {"analyze", "--repo", "acme/app"}} {
		r := e.exec("", args...)
		if r.code != 4 {
			t.Errorf("%v without a keychain: got exit %d, want 4; stderr: %s", args, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "SIGSENTRY_CREDENTIAL_STORE=file") {
			t.Errorf("%v: stderr %q does not say what to do instead", args, r.stderr)
		}
	}
}
