package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// MarkerEnv is the variable a test sets to a fresh value (see NewMarker) in
// the environment of what it runs: every process started from there, even
// one that outlives its parent and is re-parented to init (a daemon), still
// carries it, so the test can find what was left running.
const MarkerEnv = "SIGSENTRY_TEST_MARKER"

// KeychainDaemons are the programs a Secret Service lookup starts when it
// is allowed to launch a D-Bus session of its own (dbus-launch starts
// dbus-daemon, which activates gnome-keyring-daemon). Nothing in sigsentry
// or its tests may leave one running.
var KeychainDaemons = []string{"dbus-launch", "dbus-daemon", "gnome-keyring-daemon"}

// Proc is a running process found by MarkedProcesses.
type Proc struct {
	PID  int
	Name string
}

func (p Proc) String() string { return fmt.Sprintf("%s (pid %d)", p.Name, p.PID) }

// NewMarker returns MarkerEnv=<fresh random value>, to add to an
// environment.
func NewMarker() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return MarkerEnv + "=" + hex.EncodeToString(b)
}

// ErrNoProcfs means processes cannot be listed with their environment here
// (not Linux, or /proc is not mounted).
var ErrNoProcfs = errors.New("processes and their environments cannot be read here (needs Linux /proc)")

// MarkedProcesses lists the running processes whose name is one of names
// and whose environment holds marker (a NAME=VALUE string, such as one from
// NewMarker). Processes it may not read are passed over.
func MarkedProcesses(marker string, names ...string) ([]Proc, error) {
	if runtime.GOOS != "linux" {
		return nil, ErrNoProcfs
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoProcfs, err)
	}
	var out []Proc
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		name := procName(pid)
		if !nameIn(name, names) {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if err != nil {
			continue
		}
		for _, kv := range strings.Split(string(env), "\x00") {
			if kv == marker {
				out = append(out, Proc{PID: pid, Name: name})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out, nil
}

// procName is the program name of pid: the base name of its executable
// path, which unlike /proc/PID/comm is not cut at 15 bytes.
func procName(pid int) string {
	cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil || len(cmdline) == 0 {
		return ""
	}
	argv0, _, _ := strings.Cut(string(cmdline), "\x00")
	return filepath.Base(argv0)
}

func nameIn(name string, names []string) bool {
	if name == "" {
		return false
	}
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// Kill ends the processes (SIGTERM, then SIGKILL for those still there
// after a second); they are ones a test found it had left behind.
func Kill(procs []Proc) {
	alive := func(p *os.Process) bool { return p.Signal(syscall.Signal(0)) == nil }
	var ps []*os.Process
	for _, p := range procs {
		if proc, err := os.FindProcess(p.PID); err == nil {
			_ = proc.Signal(syscall.SIGTERM)
			ps = append(ps, proc)
		}
	}
	deadline := time.Now().Add(time.Second)
	for _, p := range ps {
		for alive(p) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(p) {
			_ = p.Kill()
		}
	}
}

// NoDaemonsLeft fails t if a keychain daemon carrying marker is running,
// naming what was left, and ends those processes so that one failure
// leaves nothing behind either. Where processes cannot be listed it skips
// the check (or fails under SIGSENTRY_TEST_REQUIRE_ALL=1).
func NoDaemonsLeft(t testing.TB, marker, after string) {
	t.Helper()
	left, err := MarkedProcesses(marker, KeychainDaemons...)
	if errors.Is(err, ErrNoProcfs) {
		Unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		Kill(left)
		t.Errorf("%s left running: %v", after, left)
	}
}

// RunNoDaemons runs a package's tests (call it from TestMain) with a fresh
// marker in the process environment, so that every program the tests start
// inherits it; when they are done, it fails the run if a keychain daemon
// started by them is still running, and ends it. It returns the exit code.
func RunNoDaemons(m *testing.M) int {
	marker := NewMarker()
	k, v, _ := strings.Cut(marker, "=")
	if err := os.Setenv(k, v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	left, err := MarkedProcesses(marker, KeychainDaemons...)
	if err != nil {
		return code
	}
	if len(left) > 0 {
		Kill(left)
		fmt.Fprintf(os.Stderr, "FAIL: the tests left keychain daemons running (now ended): %v\n", left)
		if code == 0 {
			code = 1
		}
	}
	return code
}
