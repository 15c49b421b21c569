//go:build unix

package hostile_test

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// Issue 10 risks: SIGTERM is handled like Ctrl-C: the command stops, the
// callback server closes, the exit is 1 with "interrupted", and the config
// file is whole.
func TestTerminationSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			w.oauthOnly()
			w.writeConfig("bitbucket:\n  workspace: acme\n")
			p := w.start("auth", "login", "--no-browser", "--timeout", "3m")
			authURL := strings.TrimSpace(p.waitLine(t, "/authorize?"))
			u, _ := url.Parse(authURL)
			cb, _ := url.Parse(u.Query().Get("redirect_uri"))
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t); code != 1 {
				t.Errorf("after %s: got exit %d, want 1\n%s", sig, code, p.stderr())
			}
			mustContain(t, "stderr", p.stderr(), "interrupted")
			if c, err := net.Dial("tcp", cb.Host); err == nil {
				c.Close()
				t.Errorf("the callback server on %s still accepts connections", cb.Host)
			}
			data, err := os.ReadFile(filepath.Join(w.cfgDir, "config.yaml"))
			if err != nil || string(data) != "bitbucket:\n  workspace: acme\n" {
				t.Errorf("config.yaml after %s: got %q, %v; want it untouched", sig, data, err)
			}
			left, _ := filepath.Glob(filepath.Join(w.cfgDir, ".*.tmp-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

// Issue 10 risks: the process cannot dump core (RLIMIT_CORE 0), even when
// its parent allows it.
func TestNoCoreDumps(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/PID/limits")
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_CORE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Max == 0 {
		testenv.Unavailable(t, "the hard core-file limit is 0 here, so the test cannot tell a fix from the environment")
	}
	old := lim
	lim.Cur = min(lim.Max, 1<<30)
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &lim); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_CORE, &old) })

	badInputs(t, 1)
	w := newWorld(t)
	w.oauthOnly()
	p := w.start("auth", "login", "--no-browser", "--timeout", "3m")
	p.waitLine(t, "/authorize?")
	data, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/limits")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "Max core file size") {
			line = l
		}
	}
	f := strings.Fields(strings.TrimPrefix(line, "Max core file size"))
	if len(f) < 2 || f[0] != "0" || f[1] != "0" {
		t.Errorf("sigsentry's core-file limit: got %q, want soft and hard 0", line)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t)
}
