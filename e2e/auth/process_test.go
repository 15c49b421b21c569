package auth_test

import (
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"

	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		testenv.Unavailable(t, "this test needs %s (apt-get install %s)", name, name)
	}
	return p
}

// terminal is a tmux session running one shell command with e's
// environment (and nothing else), for typing at sigsentry's prompts.
type terminal struct {
	t          *testing.T
	tmux, sock string
}

// newTerminal starts command (sh syntax; "$0" is the sigsentry binary) in
// a real terminal; the session is killed when the test ends.
func newTerminal(t *testing.T, e *env, command string) *terminal {
	t.Helper()
	term := &terminal{t: t, tmux: needTool(t, "tmux"), sock: filepath.Join(t.TempDir(), "tmux.sock")}
	var script strings.Builder
	script.WriteString("exec env -i")
	for _, kv := range e.environ() {
		script.WriteString(" '" + kv + "'")
	}
	script.WriteString(" sh -c '" + command + "' " + binPath)
	term.run("new-session", "-d", "-x", "120", "-y", "30", "sh", "-c", script.String())
	t.Cleanup(func() { _ = exec.Command(term.tmux, "-S", term.sock, "kill-server").Run() })
	return term
}

func (term *terminal) run(args ...string) string {
	term.t.Helper()
	out, err := exec.Command(term.tmux, append([]string{"-S", term.sock}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// keys sends keys as tmux send-keys takes them.
func (term *terminal) keys(keys ...string) { term.run(append([]string{"send-keys"}, keys...)...) }

// waitFor returns the screen once it shows want (30 s at most).
func (term *terminal) waitFor(want string) string {
	term.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		pane := term.run("capture-pane", "-p", "-S", "-100")
		if strings.Contains(pane, want) {
			return pane
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("terminal never showed %q; screen:\n%s", want, pane)
		}
		time.Sleep(50 * time.Millisecond) // polling a screen: there is no event to wait on
	}
}

// TestHiddenPromptTmux types an API token at the echo-off prompt in a real
// terminal (tmux) and checks that the screen never shows it.
func TestHiddenPromptTmux(t *testing.T) {
	e := newEnv(t, true)
	term := newTerminal(t, e, `"$0" auth api-token --email `+apiEmail+`; echo sigsentry-exit=$?; sleep 600`)
	term.waitFor("API token for " + apiEmail + ":")
	term.keys("-l", apiToken)
	term.keys("Enter")
	pane := term.waitFor("sigsentry-exit=")
	if strings.Contains(pane, apiToken) || strings.Contains(pane, apiToken[:10]) {
		t.Errorf("the terminal shows the typed token:\n%s", pane)
	}
	if !strings.Contains(pane, "Logged in to Bitbucket as Ada Lovelace") {
		t.Errorf("screen:\n%s\nwant the login confirmed", pane)
	}
	if !strings.Contains(pane, "sigsentry-exit=0") {
		t.Errorf("screen:\n%s\nwant auth api-token to exit 0", pane)
	}
}

// TestInterruptAtPromptTmux presses Ctrl-C at the echo-off prompt in a
// real terminal: the command blocked reading it still ends, "interrupted",
// exit 1, within the grace period, and the terminal has its echo back.
func TestInterruptAtPromptTmux(t *testing.T) {
	e := newEnv(t, true)
	// After sigsentry: its exit code, then whether the terminal echoes.
	after := filepath.Join(t.TempDir(), "after.sh")
	if err := os.WriteFile(after, []byte(`echo sigsentry-exit=$1
case " $(stty -a | tr ';' ' ') " in *" -echo "*) echo tty-noecho;; *" echo "*) echo tty-echo;; esac
sleep 600
`), 0o700); err != nil {
		t.Fatal(err)
	}
	// The shell traps SIGINT (a handler, reset at exec: sigsentry gets
	// Ctrl-C as usual), so that it outlives the key press to report.
	term := newTerminal(t, e, `trap true INT; "$0" auth api-token --email `+apiEmail+`; sh `+after+` $?`)
	term.waitFor("API token for " + apiEmail + ":")
	term.keys("C-c")
	pane := term.waitFor("tty-")
	if !strings.Contains(pane, "interrupted") || !strings.Contains(pane, "sigsentry-exit=1") {
		t.Errorf("screen:\n%s\nwant \"interrupted\" and exit 1", pane)
	}
	if !strings.Contains(pane, "tty-echo") || strings.Contains(pane, "tty-noecho") {
		t.Errorf("screen:\n%s\nwant the terminal's echo back on", pane)
	}
}

// TestRefreshRaceProcesses starts 8 sigsentry processes at once with an
// OAuth token about to expire; the server rotates refresh tokens.
func TestRefreshRaceProcesses(t *testing.T) {
	e := newEnv(t, true)
	r := e.run(func(u string) error { go follow(t, u); return nil }, "", "auth", "login")
	if r.code != 0 {
		t.Fatalf("auth login: %d %s", r.code, r.stderr)
	}
	fileStore := &credstore.FileStore{Path: filepath.Join(e.cfgDir, credstore.FileName), Passphrase: passphrase}
	c, err := fileStore.Get()
	if err != nil {
		t.Fatal(err)
	}
	c.Expiry = time.Now().Add(time.Minute) // less than 5 minutes left
	if err := fileStore.Set(c); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.exec("", "auth", "status", "-o", "json")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 || !strings.Contains(r.stdout, `"ok": true`) {
			t.Errorf("process %d: exit %d, stdout %s, stderr %s", i, r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "invalid_grant") {
			t.Errorf("process %d saw invalid_grant: %s", i, r.stderr)
		}
	}
	if got := e.srv.Refreshes(); got != 1 {
		t.Errorf("refreshes that reached the server from 8 processes: got %d, want 1", got)
	}
	t.Logf("8 sigsentry processes: %d refresh(es) at the server", e.srv.Refreshes())
}

// TestNoSecretLeaks runs every auth command with --debug and checks that no
// secret, Basic form or token (Bitbucket's or Sentry's) shows up in any
// output or file.
func TestNoSecretLeaks(t *testing.T) {
	e := newEnv(t, true)
	sentrySrv := sentrytest.NewServer(sentrytest.Options{})
	defer sentrySrv.Close()
	sentrySrv.AddToken(sentryToken, sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	sentrySrv.AddOrg("acme")
	e.vars["SENTRY_URL"] = sentrySrv.URL()
	basic := func(u, p string) string { return base64.StdEncoding.EncodeToString([]byte(u + ":" + p)) }
	secrets := []string{consumerSecret, apiToken, accessToken, passphrase,
		basic(apiEmail, apiToken), basic(consumerKey, consumerSecret), basic("ada", "app-pw-secret"), "app-pw-secret",
		sentryToken, "wrong-" + sentryToken}
	e.srv.AddAppPassword("ada", "app-pw-secret")
	var outputs []string
	record := func(name string, r result) {
		outputs = append(outputs, name+" stdout: "+r.stdout, name+" stderr: "+r.stderr)
	}
	// OAuth login in process (it needs the browser), then everything as the binary.
	r := e.run(func(u string) error { go follow(t, u); return nil }, "", "--debug", "auth", "login")
	if r.code != 0 {
		t.Fatalf("auth login: %d %s", r.code, r.stderr)
	}
	record("login", r)
	c, err := (&credstore.FileStore{Path: filepath.Join(e.cfgDir, credstore.FileName), Passphrase: passphrase}).Get()
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, c.AccessToken, c.RefreshToken)
	record("status", e.exec("", "--debug", "auth", "status"))
	e.srv.ExpireAccessTokens() // forces a refresh on the next call
	record("status after expiry", e.exec("", "--debug", "auth", "status", "-o", "json"))
	c2, _ := (&credstore.FileStore{Path: filepath.Join(e.cfgDir, credstore.FileName), Passphrase: passphrase}).Get()
	if c2 != nil {
		secrets = append(secrets, c2.AccessToken, c2.RefreshToken)
	}
	for _, step := range []struct {
		name, stdin string
		args        []string
	}{
		{"api-token", apiToken, []string{"--debug", "auth", "api-token", "--email", apiEmail, "--token-stdin"}},
		{"api-token wrong", "wrong-" + apiToken, []string{"--debug", "auth", "api-token", "--email", apiEmail, "--token-stdin"}},
		{"app-password", "app-pw-secret", []string{"--debug", "auth", "app-password", "--username", "ada", "--password-stdin"}},
		{"token", accessToken, []string{"--debug", "auth", "token", "--token-stdin", "--repo", "acme/api"}},
		{"status token", "", []string{"--debug", "auth", "status"}},
		{"sentry", sentryToken, []string{"--debug", "auth", "sentry", "--org", "acme", "--token-stdin"}},
		{"sentry wrong", "wrong-" + sentryToken, []string{"--debug", "auth", "sentry", "--org", "acme", "--token-stdin"}},
		{"status sentry", "", []string{"--debug", "auth", "status", "--check-sentry", "-o", "json"}},
		{"revoke", "", []string{"--debug", "revoke"}},
		{"revoke again", "", []string{"--debug", "revoke"}},
		{"status revoked", "", []string{"--debug", "auth", "status", "-o", "json"}},
	} {
		record(step.name, e.exec(step.stdin, step.args...))
	}
	// CI-style: secrets in the environment.
	e.vars["SIGSENTRY_BITBUCKET_EMAIL"], e.vars["SIGSENTRY_BITBUCKET_API_TOKEN"] = apiEmail, apiToken
	record("status env", e.exec("", "--debug", "auth", "status"))
	record("revoke env", e.exec("", "--debug", "revoke"))
	e.vars["SENTRY_AUTH_TOKEN"], e.vars["SENTRY_ORG"] = sentryToken, "acme"
	record("status sentry env", e.exec("", "--debug", "auth", "status", "--check-sentry"))
	record("sentry with env", e.exec(sentryToken, "--debug", "auth", "sentry", "--token-stdin"))
	if !strings.Contains(strings.Join(outputs, "\n"), "Removed the stored Sentry token") {
		t.Errorf("revoke never removed a Sentry token: storing it failed, the Sentry steps proved little")
	}
	if n := sentrySrv.CountRequests("/api/0/organizations/acme/repos/"); n < 3 {
		t.Errorf("the Sentry token was checked %d times, want at least 3: the Sentry steps proved nothing", n)
	}

	for _, out := range outputs {
		for _, s := range secrets {
			if s != "" && strings.Contains(out, s) {
				t.Errorf("secret %.6s… appears in %.40q", s, out)
			}
		}
	}
	if !strings.Contains(strings.Join(outputs, "\n"), "GET") {
		t.Errorf("no --debug trace seen at all; the test would prove nothing")
	}
	// The token endpoint is traced too, at login (the code exchange) and at
	// the refresh, with its secrets and tokens kept out (checked above).
	for _, name := range []string{"login stderr: ", "status after expiry stderr: "} {
		i := slices.IndexFunc(outputs, func(o string) bool { return strings.HasPrefix(o, name) })
		if i < 0 || !strings.Contains(outputs[i], "> POST ") || !strings.Contains(outputs[i], "/access_token") ||
			!strings.Contains(outputs[i], "Authorization: Basic [redacted]") {
			t.Errorf("%s: want the token request traced, with its Authorization redacted", name)
		}
	}
	for _, dir := range []string{e.cfgDir, e.cache} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, s := range secrets {
				if s != "" && strings.Contains(string(data), s) {
					t.Errorf("secret %.6s… is in %s", s, p)
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
}
