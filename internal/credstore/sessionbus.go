package credstore

import (
	"errors"
	"os"
	"path"
	"strconv"
	"strings"
)

// ErrNoSessionBus means the Secret Service cannot be reached because there
// is no D-Bus session bus, and sigsentry never starts one: a bus started
// for one lookup (dbus-launch, and gnome-keyring-daemon activated on it)
// would outlive the command.
var ErrNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus does not exist), " +
	"and sigsentry does not start one")

// busEnv names the session bus address variable that D-Bus clients read.
const busEnv = "DBUS_SESSION_BUS_ADDRESS"

// sessionBus decides, without starting anything, whether the Secret Service
// client can reach a D-Bus session bus on goos. It mirrors how the D-Bus
// client finds the bus, minus its last resort of launching one:
//
//  1. DBUS_SESSION_BUS_ADDRESS, unless it asks for autolaunch;
//  2. $XDG_RUNTIME_DIR/bus (the per-user bus of systemd and others);
//  3. /run/user/UID/bus or /run/user/UID/dbus-session, where the client
//     looks by itself.
//
// When only 2 finds the bus, export is the address to set in
// DBUS_SESSION_BUS_ADDRESS so that the client uses it instead of launching
// a bus. macOS and Windows keychains need no bus.
func sessionBus(goos string, getenv func(string) string, exists func(string) bool, uid int) (export string, err error) {
	if goos == "darwin" || goos == "windows" {
		return "", nil
	}
	addr := strings.TrimSpace(getenv(busEnv))
	if addr != "" && !strings.HasPrefix(addr, "autolaunch:") {
		return "", nil
	}
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" && strings.HasPrefix(dir, "/") {
		if bus := path.Join(dir, "bus"); exists(bus) {
			if addr == "" && bus == path.Join("/run/user", strconv.Itoa(uid), "bus") {
				return "", nil // the client finds this one by itself
			}
			return "unix:path=" + escapeBusValue(bus), nil
		}
	}
	run := path.Join("/run/user", strconv.Itoa(uid))
	if exists(path.Join(run, "bus")) || exists(path.Join(run, "dbus-session")) {
		return "", nil
	}
	return "", ErrNoSessionBus
}

// escapeBusValue escapes a value of a D-Bus address: bytes outside
// [-0-9A-Za-z_/.\*] become %XX.
func escapeBusValue(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z',
			c == '-', c == '_', c == '/', c == '.', c == '\\', c == '*':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// useSessionBus makes sure the Secret Service client of this process will
// talk to an existing session bus and never launch one: it returns
// ErrNoSessionBus when there is none.
func useSessionBus(goos string) error {
	export, err := sessionBus(goos, os.Getenv, fileExists, os.Getuid())
	if err != nil {
		return err
	}
	if export != "" {
		return os.Setenv(busEnv, export)
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// UnlockPromptCanShow reports whether the OS keychain's unlock prompt can
// appear where this command runs, so that someone at the terminal may
// answer it: on Linux and the BSDs a graphical session must be there
// (DISPLAY or WAYLAND_DISPLAY), on macOS the command must not run over SSH
// (the prompt would show on the Mac's own screen, to no one). Windows'
// Credential Manager asks nothing. Without it, a locked keychain fails
// after KeychainTimeout instead of a minute's wait.
func UnlockPromptCanShow(goos string, getenv func(string) string) bool {
	switch goos {
	case "windows":
		return true
	case "darwin":
		return getenv("SSH_CONNECTION") == "" && getenv("SSH_TTY") == ""
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
