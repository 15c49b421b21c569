package credstore

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/zalando/go-keyring"
)

// TestMain fails the run if any test left a keychain daemon running.
func TestMain(m *testing.M) { os.Exit(testenv.RunNoDaemons(m)) }

func TestSessionBusNeverAutolaunches(t *testing.T) {
	const uid = 1000
	tests := []struct {
		name       string
		goos       string
		env        map[string]string
		files      []string
		wantExport string
		wantErr    error
	}{
		{"no bus anywhere", "linux", nil, nil, "", ErrNoSessionBus},
		{"freebsd too", "freebsd", nil, nil, "", ErrNoSessionBus},
		{"address set", "linux", map[string]string{busEnv: "unix:path=/tmp/b"}, nil, "", nil},
		{"autolaunch is no bus", "linux", map[string]string{busEnv: "autolaunch:"}, nil, "", ErrNoSessionBus},
		{"runtime dir without a bus", "linux", map[string]string{"XDG_RUNTIME_DIR": "/tmp/rt"}, nil, "", ErrNoSessionBus},
		{"runtime dir bus is exported", "linux", map[string]string{"XDG_RUNTIME_DIR": "/tmp/r t"}, []string{"/tmp/r t/bus"},
			"unix:path=/tmp/r%20t/bus", nil},
		{"runtime dir bus replaces autolaunch", "linux", map[string]string{busEnv: "autolaunch:", "XDG_RUNTIME_DIR": "/tmp/rt"},
			[]string{"/tmp/rt/bus"}, "unix:path=/tmp/rt/bus", nil},
		{"the client finds /run/user itself", "linux", map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"},
			[]string{"/run/user/1000/bus"}, "", nil},
		{"/run/user bus without XDG_RUNTIME_DIR", "linux", nil, []string{"/run/user/1000/bus"}, "", nil},
		{"/run/user dbus-session file", "linux", nil, []string{"/run/user/1000/dbus-session"}, "", nil},
		{"another user's bus does not count", "linux", nil, []string{"/run/user/0/bus"}, "", ErrNoSessionBus},
		{"relative runtime dir is ignored", "linux", map[string]string{"XDG_RUNTIME_DIR": "rt"}, []string{"rt/bus"}, "", ErrNoSessionBus},
		{"macOS needs no bus", "darwin", nil, nil, "", nil},
		{"Windows needs no bus", "windows", nil, nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, f := range tt.files {
					if f == p {
						return true
					}
				}
				return false
			}
			export, err := sessionBus(tt.goos, envFunc(tt.env), exists, uid)
			if !errors.Is(err, tt.wantErr) || export != tt.wantExport {
				t.Errorf("got %q, %v; want %q, %v", export, err, tt.wantExport, tt.wantErr)
			}
		})
	}
}

// noSessionBus clears every way to a session bus for this test, or skips
// it on a machine whose user has a bus at /run/user/UID.
func noSessionBus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join("/run/user", strconv.Itoa(os.Getuid()), "bus")); err == nil {
		t.Skip("this user has a session bus at /run/user/UID/bus, so the no-bus path cannot be reached")
	}
	t.Setenv(busEnv, "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
}

// TestSystemKeychainWithoutBusStartsNothing: with no session bus, the real
// keychain backend fails at once, with the message that names the
// alternatives, and leaves no dbus-daemon or gnome-keyring-daemon behind
// (go-keyring's D-Bus client would otherwise run dbus-launch).
func TestSystemKeychainWithoutBusStartsNothing(t *testing.T) {
	noSessionBus(t)
	marker := testenv.NewMarker()
	k, v, _ := strings.Cut(marker, "=")
	t.Setenv(k, v)
	t.Setenv("HOME", t.TempDir())

	ks := &KeychainStore{Service: "sigsentry-test:no-bus"}
	start := time.Now()
	for name, op := range map[string]func() error{
		"Get":           func() error { _, err := ks.Get(); return err },
		"Set":           func() error { return ks.Set(&Credential{Method: MethodToken, Secret: "s3cret-token"}) },
		"Delete":        ks.Delete,
		"CheckWritable": ks.CheckWritable,
	} {
		err := op()
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrNoSessionBus) {
			t.Errorf("%s: got %v, want ErrUnavailable for want of a session bus", name, err)
			continue
		}
		for _, want := range []string{"D-Bus session bus", "SIGSENTRY_CREDENTIAL_STORE=file", "SIGSENTRY_BITBUCKET_API_TOKEN"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", name, err, want)
			}
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the error shows the secret", name)
		}
	}
	if os.Getenv(busEnv) != "" {
		t.Errorf("%s was set to %q", busEnv, os.Getenv(busEnv))
	}
	if d := time.Since(start); d >= KeychainTimeout {
		t.Errorf("took %s: the keychain should be unavailable at once, not after a time-out", d)
	}
	testenv.NoDaemonsLeft(t, marker, "the keychain without a session bus")
}

// TestFileStoreNeverTouchesKeychain: with SIGSENTRY_CREDENTIAL_STORE=file,
// reading, checking and storing the credential never call the keychain;
// only DeleteAll (revoke) looks there, to clear what an earlier keychain
// login left.
func TestFileStoreNeverTouchesKeychain(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(envFunc(map[string]string{EnvStoreKind: "file", EnvPassphrase: "pass phrase"}), dir)
	if err != nil {
		t.Fatal(err)
	}
	c.File.KDF = testKDF
	ring := &countingKeyring{}
	c.Keychain.Keyring = ring
	if _, err := c.Active(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Active on nothing stored: %v", err)
	}
	if err := c.CheckWritable(); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(&Credential{Method: MethodToken, Secret: "tok"}); err != nil {
		t.Fatal(err)
	}
	if cred, err := c.Active(); err != nil || cred.Source != SourceFile {
		t.Fatalf("Active: %+v, %v; want the file's credential", cred, err)
	}
	if ring.calls != 0 {
		t.Errorf("the file store made %d keychain calls, want 0", ring.calls)
	}
	if _, err := c.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if ring.calls == 0 {
		t.Error("DeleteAll did not look in the keychain")
	}
}

// countingKeyring is an empty keychain that counts calls.
type countingKeyring struct{ calls int }

func (k *countingKeyring) Set(string, string, string) error { k.calls++; return nil }
func (k *countingKeyring) Get(string, string) (string, error) {
	k.calls++
	return "", keyring.ErrNotFound
}
func (k *countingKeyring) Delete(string, string) error { k.calls++; return keyring.ErrNotFound }

// TestUnlockPromptCanShow: a minute's wait for the keychain's unlock prompt
// is only for sessions where the prompt can appear before the user.
func TestUnlockPromptCanShow(t *testing.T) {
	for _, tc := range []struct {
		goos string
		env  map[string]string
		want bool
	}{
		{"linux", map[string]string{"DISPLAY": ":0"}, true},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0", "SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"}, true},
		{"linux", map[string]string{"SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}, false},
		{"linux", nil, false},
		{"freebsd", map[string]string{"DISPLAY": ":1"}, true},
		{"darwin", nil, true},
		{"darwin", map[string]string{"SSH_TTY": "/dev/ttys003"}, false},
		{"darwin", map[string]string{"SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"}, false},
		{"windows", map[string]string{"SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"}, true},
	} {
		if got := UnlockPromptCanShow(tc.goos, func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%s %v: got %v, want %v", tc.goos, tc.env, got, tc.want)
		}
	}
}
