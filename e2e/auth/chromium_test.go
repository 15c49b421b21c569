//go:build linux

package auth_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// chromium drives a real headless Chromium over the DevTools protocol on
// --remote-debugging-pipe (fd 3: commands in, fd 4: answers out, each
// message NUL-terminated).
type chromium struct {
	cmd    *exec.Cmd
	in     *os.File
	mu     sync.Mutex
	nextID int
	waits  map[int]chan cdpMsg
	events chan cdpMsg
}

type cdpMsg struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

const chromiumPath = "/usr/bin/chromium"

func startChromium(t *testing.T) *chromium {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testenv.Unavailable(t, "this test needs Debian's chromium at %s (apt-get install chromium): %v", chromiumPath, err)
	}
	cmdIn, toChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromChrome, cmdOut, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// The profile is removed only after every Chromium process has exited:
	// its helpers keep writing there for a moment after the browser quits,
	// which t.TempDir's cleanup would race with.
	profile, err := os.MkdirTemp("", "sigsentry-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromiumPath, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
		"--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	cmd.Env = chromiumEnv(t, profile)
	cmd.ExtraFiles = []*os.File{cmdIn, cmdOut}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	cmdIn.Close()
	cmdOut.Close()
	c := &chromium{cmd: cmd, in: toChrome, waits: map[int]chan cdpMsg{}, events: make(chan cdpMsg, 256)}
	go c.readLoop(fromChrome)
	t.Cleanup(func() {
		// Ask the browser to quit, then make sure its whole process group
		// is gone before the profile is removed.
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		if c.call("", "Browser.close", map[string]any{}, nil) == nil {
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
			}
		}
		toChrome.Close()
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		var err error
		for i := 0; i < 50; i++ {
			if err = os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Errorf("removing the Chromium profile %s: %v", profile, err)
	})
	return c
}

// chromiumEnv is Chromium's environment: its HOME and XDG folders are
// inside the profile folder, so that nothing it writes (its config, dconf,
// crash reports, keyrings) lands in the real HOME, and without a session
// bus it gets an address that leads nowhere instead of launching a bus.
func chromiumEnv(t *testing.T, profile string) []string {
	// NO_AT_BRIDGE: no accessibility bus to activate either.
	env := []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "NO_AT_BRIDGE=1"}
	if m := os.Getenv(testenv.MarkerEnv); m != "" {
		env = append(env, testenv.MarkerEnv+"="+m)
	}
	for _, d := range []struct{ name, dir string }{
		{"HOME", "home"}, {"XDG_CONFIG_HOME", "config"}, {"XDG_CACHE_HOME", "cache"},
		{"XDG_DATA_HOME", "data"}, {"XDG_RUNTIME_DIR", "run"},
	} {
		p := filepath.Join(profile, "env", d.dir)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		env = append(env, d.name+"="+p)
	}
	if bus := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); bus != "" {
		env = append(env, "DBUS_SESSION_BUS_ADDRESS="+bus)
	} else {
		env = append(env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(profile, "env", "no-bus"))
	}
	return env
}

func (c *chromium) readLoop(r *os.File) {
	br := bufio.NewReader(r)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			close(c.events)
			return
		}
		var m cdpMsg
		if json.Unmarshal(raw[:len(raw)-1], &m) != nil {
			continue
		}
		if m.ID != 0 {
			c.mu.Lock()
			ch := c.waits[m.ID]
			delete(c.waits, m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		select {
		case c.events <- m:
		default:
		}
	}
}

// call sends one command and waits for its answer.
func (c *chromium) call(session, method string, params any, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMsg, 1)
	c.waits[id] = ch
	c.mu.Unlock()
	p, _ := json.Marshal(params)
	msg, _ := json.Marshal(map[string]any{"id": id, "method": method, "params": json.RawMessage(p), "sessionId": session})
	if session == "" {
		msg, _ = json.Marshal(map[string]any{"id": id, "method": method, "params": json.RawMessage(p)})
	}
	if _, err := c.in.Write(append(msg, 0)); err != nil {
		return fmt.Errorf("sending %s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("%s: no answer from chromium", method)
	}
}

// waitEvent waits for an event of the session.
func (c *chromium) waitEvent(session, method string) error {
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-c.events:
			if !ok {
				return fmt.Errorf("chromium exited while waiting for %s", method)
			}
			if m.Method == method && m.SessionID == session {
				return nil
			}
		case <-timeout:
			return fmt.Errorf("no %s from chromium", method)
		}
	}
}

// eval evaluates a JavaScript expression in the page and returns its string value.
func (c *chromium) eval(session, expr string) (string, error) {
	var res struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	if err := c.call(session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res); err != nil {
		return "", err
	}
	return fmt.Sprint(res.Result.Value), nil
}

// TestLoginRealChromium has a real headless Chromium load the authorize URL,
// click "Grant access" on the consent page, and follow the redirect to the
// loopback callback; `auth login` then finishes.
func TestLoginRealChromium(t *testing.T) {
	e := newEnv(t, false)
	c := startChromium(t)
	var final string
	var browserErr error
	done := make(chan struct{})
	r := e.run(func(authURL string) error {
		go func() {
			defer close(done)
			browserErr = func() error {
				var target struct{ TargetID string }
				if err := c.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
					return err
				}
				var att struct{ SessionID string }
				if err := c.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
					return err
				}
				s := att.SessionID
				if err := c.call(s, "Page.enable", map[string]any{}, nil); err != nil {
					return err
				}
				if err := c.call(s, "Page.navigate", map[string]any{"url": authURL}, nil); err != nil {
					return err
				}
				if err := c.waitEvent(s, "Page.loadEventFired"); err != nil {
					return err
				}
				title, err := c.eval(s, "document.title")
				if err != nil {
					return err
				}
				if !strings.Contains(title, "Authorize") {
					return fmt.Errorf("consent page title %q", title)
				}
				if _, err := c.eval(s, `document.getElementById("grant").click(); "clicked"`); err != nil {
					return err
				}
				// The form POST answers 302 to http://127.0.0.1:PORT/callback.
				if err := c.waitEvent(s, "Page.loadEventFired"); err != nil {
					return err
				}
				loc, err := c.eval(s, "location.href")
				if err != nil {
					return err
				}
				if !strings.HasPrefix(loc, "http://127.0.0.1:") || !strings.Contains(loc, "/callback?code=") {
					return fmt.Errorf("chromium ended on %q, want the loopback callback", loc)
				}
				final, err = c.eval(s, `document.getElementById("result").textContent`)
				return err
			}()
		}()
		return nil
	}, "", "auth", "login", "--timeout", "2m")
	<-done
	if browserErr != nil {
		t.Fatalf("driving chromium: %v", browserErr)
	}
	if r.code != 0 {
		t.Fatalf("auth login with chromium: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if final != "sigsentry is authorized" {
		t.Errorf("page chromium shows after the redirect: got %q, want %q", final, "sigsentry is authorized")
	}
	if !strings.Contains(r.stderr, "Logged in to Bitbucket as Ada Lovelace (ada)") {
		t.Errorf("stderr %q: want who logged in", r.stderr)
	}
}
