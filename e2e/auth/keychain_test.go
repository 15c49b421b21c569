package auth_test

import (
	"encoding/json"
	"fmt"
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

// realKeychainEnv is an environment whose credentials go to the real
// Secret Service of the session the test runs in; the test is skipped
// outside internal/credstore/testdata/with-keyring.sh.
func realKeychainEnv(t *testing.T) *env {
	t.Helper()
	if os.Getenv("SIGSENTRY_TEST_KEYRING") != "1" {
		testenv.Unavailable(t, "%s", "needs a Secret Service: run under internal/credstore/testdata/with-keyring.sh (sets SIGSENTRY_TEST_KEYRING=1)")
	}
	e := newEnv(t, true)
	delete(e.vars, "SIGSENTRY_CREDENTIAL_STORE")
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	return e
}

// TestKeychainBackedCLI runs store, status and revoke against the real
// Secret Service (see internal/credstore/testdata/with-keyring.sh).
func TestKeychainBackedCLI(t *testing.T) {
	e := realKeychainEnv(t)
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

// TestNoDaemonsWithoutSessionBus runs the commands that read the stored
// credential, as separate processes with no D-Bus session bus, with the
// keychain store and with the file store: none may start a dbus-daemon or a
// gnome-keyring-daemon (go-keyring's D-Bus client would launch a bus that
// outlives the command), nor write keyring or dconf files into HOME.
func TestNoDaemonsWithoutSessionBus(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this user has a session bus at /run/user/UID/bus, so the no-bus path cannot be reached")
	}
	for _, store := range []string{"keychain", "file"} {
		t.Run(store, func(t *testing.T) {
			e := newEnv(t, true)
			e.vars["SIGSENTRY_CREDENTIAL_STORE"] = store
			e.vars["XDG_RUNTIME_DIR"] = t.TempDir()
			marker := testenv.NewMarker()
			k, v, _ := strings.Cut(marker, "=")
			e.vars[k] = v
			home := e.vars["HOME"]
			if store == "file" {
				if r := e.exec(apiToken, "auth", "api-token", "--email", apiEmail, "--token-stdin"); r.code != 0 {
					t.Fatalf("api-token into the file: exit %d: %s", r.code, r.stderr)
				}
			}
			for _, args := range [][]string{
				{"auth", "status"},
				{"repos", "add", "acme/api"},
				{"analyze", "--repo", "acme/api"},
				{"revoke"},
			} {
				r := e.exec("", args...)
				if store == "keychain" && args[0] != "revoke" && (r.code != 4 || !strings.Contains(r.stderr, "D-Bus session bus")) {
					t.Errorf("%v with the keychain and no bus: exit %d, stderr %q; want 4 and why", args, r.code, r.stderr)
				}
				if store == "keychain" && args[0] == "revoke" && (r.code != 1 || strings.Count(r.stderr, "D-Bus session bus") != 1 ||
					!strings.Contains(r.stderr, "sigsentry:bitbucket, sigsentry:sentry") || !strings.Contains(r.stderr, "keychain tool")) {
					t.Errorf("revoke with the keychain and no bus: exit %d, stderr %q; want 1, one message naming both items and how to remove them", r.code, r.stderr)
				}
				if store == "file" && args[0] != "analyze" && r.code != 0 {
					t.Errorf("%v with the file store: exit %d, stderr %q; want 0", args, r.code, r.stderr)
				}
				testenv.NoDaemonsLeft(t, marker, fmt.Sprintf("sigsentry %s (%s store)", strings.Join(args, " "), store))
			}
			entries, err := os.ReadDir(home)
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range entries {
				switch en.Name() {
				case "repo.git", "config", "cache":
				default:
					t.Errorf("HOME holds %s after the commands, want only what the test made", en.Name())
				}
			}
		})
	}
}

// TestStatusJSONWhenCredentialUnreadable: `auth status -o json` prints its
// JSON document, with the reason in check.message, when the credential
// cannot be read at all (no keychain reachable, a file with another
// passphrase): stdout is never empty with -o json.
func TestStatusJSONWhenCredentialUnreadable(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(e *env)
		wantCode int
		wantMsg  string
	}{
		{"keychain with a dead bus", func(e *env) {
			delete(e.vars, "SIGSENTRY_CREDENTIAL_STORE")
			e.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + t.TempDir() + "/no-bus"
		}, 4, "SIGSENTRY_CREDENTIAL_STORE=file"},
		{"keychain without a bus", func(e *env) {
			delete(e.vars, "SIGSENTRY_CREDENTIAL_STORE")
			e.vars["XDG_RUNTIME_DIR"] = t.TempDir()
		}, 4, "D-Bus session bus"},
		{"file with another passphrase", func(e *env) {
			if r := e.exec(apiToken, "auth", "api-token", "--email", apiEmail, "--token-stdin"); r.code != 0 {
				t.Fatalf("api-token into the file: exit %d: %s", r.code, r.stderr)
			}
			e.vars["SIGSENTRY_CREDENTIAL_PASSPHRASE"] = "not the passphrase"
		}, 1, "reading the credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, true)
			tt.setup(e)
			r := e.exec("", "auth", "status", "-o", "json")
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %s", r.code, tt.wantCode, r.stderr)
			}
			var st struct {
				LoggedIn bool `json:"logged_in"`
				Check    struct {
					OK      bool   `json:"ok"`
					Message string `json:"message"`
				} `json:"check"`
			}
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			if err := dec.Decode(&st); err != nil || dec.More() {
				t.Fatalf("stdout is not one JSON document (%v): %q", err, r.stdout)
			}
			if st.LoggedIn || st.Check.OK || !strings.Contains(st.Check.Message, tt.wantMsg) {
				t.Errorf("got %+v, want not logged in, check failed saying %q", st, tt.wantMsg)
			}
			if strings.Contains(r.stdout, apiToken) || strings.Contains(r.stderr, apiToken) {
				t.Error("the token appears in the output")
			}
		})
	}
}

// TestLoginIntoRealKeychain: `auth login` stores Bitbucket's 2026-size
// OAuth tokens (about 2,600 characters each, more than one Windows
// Credential Manager item holds) in the real keychain, and the next
// command reads them back whole: the API accepts the access token.
func TestLoginIntoRealKeychain(t *testing.T) {
	e := realKeychainEnv(t)
	if r, _ := e.login(t); r.code != 0 {
		t.Fatalf("auth login into the keychain: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	st := e.exec("", "auth", "status", "-o", "json")
	if st.code != 0 || !strings.Contains(st.stdout, `"source": "keychain"`) || !strings.Contains(st.stdout, `"ok": true`) {
		t.Errorf("status: exit %d, %s %s; want the keychain's OAuth login, checked", st.code, st.stdout, st.stderr)
	}
	if r := e.exec("", "revoke"); r.code != 0 {
		t.Errorf("revoke: exit %d, %s", r.code, r.stderr)
	}
}
