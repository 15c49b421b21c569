// Package hostile_test runs the built sigsentry binary against hostile
// servers (bitbuckettest's fault knobs), hostile files (configs, credential
// files) and hostile use (secrets typed as arguments, signals), and checks
// that every bad input is handled cleanly: a clear error and the right exit
// code, no secret shown or handed on, no poisoned cache, no endless run.
//
// Each test names the issue item it covers. At the end the suite prints how
// many bad inputs it tried and how many were handled cleanly:
//
//	go test ./e2e/hostile -v -run . 2>&1 | grep 'bad inputs'
package hostile_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	// The suite runs a binary it builds itself, which go test's cache
	// cannot see: linking the command's code into the test makes a change
	// to it a new test binary, so a stale cached "ok" never hides a
	// regression.
	_ "github.com/sigsentry/sigsentry/internal/cli"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

const (
	apiEmail       = "ada@example.com"
	apiToken       = "ATATT-hostile-api-token-5e4d3c"
	consumerKey    = "hostile-consumer"
	consumerSecret = "hostile-consumer-secret-8a7b6c"
	passphrase     = "hostile suite passphrase"
	// commandGuard stops a command that would run on forever, so a missing
	// fix fails the test instead of hanging the suite.
	commandGuard = 4 * time.Minute
)

var binPath string

// The count of bad inputs tried, and of those handled cleanly.
var tried, handled atomic.Int64

// BinaryEnv names a sigsentry binary to test instead of building this
// tree's, e.g. an older build to check that each test fails without its fix.
const BinaryEnv = "SIGSENTRY_HOSTILE_BINARY"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sigsentry-e2e-hostile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = os.Getenv(BinaryEnv)
	if binPath == "" {
		binPath = filepath.Join(dir, "sigsentry")
		build := exec.Command("go", "build", "-o", binPath, "github.com/sigsentry/sigsentry/cmd/sigsentry")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building sigsentry:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if n := tried.Load(); n > 0 {
		fmt.Printf("hostile: %d bad inputs tried, %d handled cleanly\n", n, handled.Load())
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// badInputs records that t tries n bad inputs; they count as handled when
// t passes.
func badInputs(t *testing.T, n int) {
	t.Helper()
	tried.Add(int64(n))
	t.Cleanup(func() {
		if !t.Failed() && !t.Skipped() {
			handled.Add(int64(n))
		}
	})
}

// world is one test's Bitbucket double, repository, folders and environment.
type world struct {
	t      *testing.T
	srv    *bitbuckettest.Server
	repo   *testenv.GitRepo
	hashes []string // oldest first
	root   string
	cfgDir string
	cache  string
	vars   map[string]string
}

// newWorld serves a repository of six recent commits as acme/api.
func newWorld(t *testing.T) *world {
	t.Helper()
	srv := bitbuckettest.NewServer(bitbuckettest.Options{AutoApprove: true})
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Nickname: "ada", DisplayName: "Ada Lovelace", Email: apiEmail, Workspaces: []string{"acme"}})
	srv.AddAPIToken(apiEmail, apiToken, "read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket")
	srv.AddOAuthConsumer(bitbuckettest.Consumer{Key: consumerKey, Secret: consumerSecret, CallbackURL: "http://127.0.0.1/callback", Name: "sigsentry"})

	repo := testenv.NewGitRepo(t, time.Now().Add(-5*24*time.Hour), time.Hour)
	w := &world{t: t, srv: srv, repo: repo, root: t.TempDir()}
	for i := 0; i < 6; i++ {
		for f := 0; f < 1+i%3; f++ {
			var b strings.Builder
			for l := 0; l < 12; l++ {
				fmt.Fprintf(&b, "line %d of file %d", l, f)
				if l%(2+i) == 0 {
					fmt.Fprintf(&b, " changed in commit %d", i)
				}
				b.WriteString("\n")
			}
			repo.WriteFile(fmt.Sprintf("pkg/f%d.go", f), b.String())
		}
		w.hashes = append(w.hashes, repo.Commit(fmt.Sprintf("change %d", i)))
	}
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "api", GitDir: repo.Dir, Private: true}); err != nil {
		t.Fatal(err)
	}
	w.cfgDir = filepath.Join(w.root, "config")
	w.cache = filepath.Join(w.root, "cache")
	w.vars = map[string]string{
		"SIGSENTRY_CONFIG_DIR":            w.cfgDir,
		"SIGSENTRY_CACHE_DIR":             w.cache,
		"SIGSENTRY_BITBUCKET_API_URL":     srv.APIURL(),
		"SIGSENTRY_BITBUCKET_OAUTH_URL":   srv.OAuthURL(),
		"SIGSENTRY_BITBUCKET_EMAIL":       apiEmail,
		"SIGSENTRY_BITBUCKET_API_TOKEN":   apiToken,
		"SIGSENTRY_CREDENTIAL_STORE":      "file",
		"SIGSENTRY_CREDENTIAL_PASSPHRASE": passphrase,
		"NO_COLOR":                        "1",
		"HOME":                            w.root,
		"PATH":                            os.Getenv("PATH"),
	}
	return w
}

// oauthOnly drops the environment credential, so the stored one is used.
func (w *world) oauthOnly() {
	delete(w.vars, "SIGSENTRY_BITBUCKET_EMAIL")
	delete(w.vars, "SIGSENTRY_BITBUCKET_API_TOKEN")
	w.vars["SIGSENTRY_OAUTH_CLIENT_ID"] = consumerKey
	w.vars["SIGSENTRY_OAUTH_CLIENT_SECRET"] = consumerSecret
}

func (w *world) environ() []string {
	keys := make([]string, 0, len(w.vars))
	for k := range w.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+w.vars[k])
	}
	return out
}

// result is one finished command.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %.1500s\nstderr: %.3000s", r.code, r.stdout, r.stderr)
}

// run runs the binary to its end (or the guard) with stdin.
func (w *world) run(stdin string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = w.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		w.t.Fatalf("sigsentry %v still ran after %s (killed)\nstderr: %.3000s", args, commandGuard, errOut.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatalf("running sigsentry %v: %v", args, err)
	}
	return result{code, out.String(), errOut.String()}
}

// proc is a running binary whose standard error is read line by line.
type proc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	lines []string
	seen  chan struct{} // signalled on every new line
	done  chan struct{}
	code  int
}

// start starts the binary and keeps it until the test ends.
func (w *world) start(args ...string) *proc {
	w.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = w.environ()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		w.t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		w.t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdin: stdin, seen: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
			select {
			case p.seen <- struct{}{}:
			default:
			}
		}
		err := cmd.Wait()
		p.code = 0
		if ee, ok := err.(*exec.ExitError); ok {
			p.code = ee.ExitCode()
		}
		close(p.done)
	}()
	w.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

// waitLine waits for a line of standard error that contains want.
func (p *proc) waitLine(t *testing.T, want string) string {
	t.Helper()
	timer := time.NewTimer(commandGuard)
	defer timer.Stop()
	for {
		p.mu.Lock()
		for _, l := range p.lines {
			if strings.Contains(l, want) {
				p.mu.Unlock()
				return l
			}
		}
		p.mu.Unlock()
		select {
		case <-p.seen:
		case <-p.done:
			t.Fatalf("sigsentry ended (exit %d) without printing %q:\n%s", p.code, want, p.stderr())
		case <-timer.C:
			t.Fatalf("sigsentry never printed %q:\n%s", want, p.stderr())
		}
	}
}

// wait waits for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(commandGuard):
		t.Fatalf("sigsentry did not end:\n%s", p.stderr())
	}
	return -1
}

func (p *proc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// report is the part of `analyze -o json` these tests read (the contract's
// fields).
type report struct {
	Repos []struct {
		Repo    string `json:"repo"`
		Commits int    `json:"commits"`
		Error   *struct {
			Status  int    `json:"status"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"repos"`
	Commits []struct {
		Hash         string `json:"hash"`
		FilesChanged int    `json:"files_changed"`
		LinesAdded   int    `json:"lines_added"`
		LinesRemoved int    `json:"lines_removed"`
	} `json:"commits"`
}

// analyze runs `analyze -o json` on acme/api and decodes the report.
func (w *world) analyze(extra ...string) (result, *report) {
	w.t.Helper()
	r := w.run("", append([]string{"analyze", "--repo", "acme/api", "--lookback-days", "30", "-o", "json"}, extra...)...)
	var rep report
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(&rep); err != nil || dec.More() {
		return r, nil
	}
	return r, &rep
}

// counts are one commit's numbers.
type counts struct{ files, added, removed int }

// gitCounts is `git diff --numstat -M` of hash against its first parent
// (the empty tree for the root commit), as the contract counts.
func (w *world) gitCounts(hash string) counts {
	w.t.Helper()
	base := "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
	if hash != w.hashes[0] {
		base = hash + "^"
	}
	var c counts
	for _, line := range strings.Split(w.repo.Git("diff", "--numstat", "-M", base, hash), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		c.files++
		a, _ := strconv.Atoi(f[0])
		d, _ := strconv.Atoi(f[1])
		c.added += a
		c.removed += d
	}
	return c
}

// checkCounts fails t unless the report has every commit with git's counts.
func (w *world) checkCounts(rep *report, what string) {
	w.t.Helper()
	if rep == nil {
		w.t.Fatalf("%s: no JSON report", what)
	}
	got := map[string]counts{}
	for _, c := range rep.Commits {
		got[c.Hash] = counts{c.FilesChanged, c.LinesAdded, c.LinesRemoved}
	}
	for _, h := range w.hashes {
		g, ok := got[h]
		if want := w.gitCounts(h); !ok || g != want {
			w.t.Errorf("%s: commit %.10s: got %+v (listed: %v), want git's %+v", what, h, g, ok, want)
		}
	}
}

// oauthCredential runs the authorization-code flow against the double (as a
// browser and sigsentry would) and stores the tokens in the world's
// encrypted file, with the access token already expired so the next
// command refreshes.
func (w *world) oauthCredential() {
	w.t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"client_id": {consumerKey}, "response_type": {"code"}, "state": {"s"}, "redirect_uri": {"http://127.0.0.1:1/callback"}}
	resp, err := noRedirect.Get(w.srv.OAuthURL() + "/authorize?" + q.Encode())
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		w.t.Fatalf("authorize: got %d %q, want a redirect with a code", resp.StatusCode, resp.Header.Get("Location"))
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1:1/callback"}}
	req, _ := http.NewRequest(http.MethodPost, w.srv.OAuthURL()+"/access_token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(consumerKey, consumerSecret)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.Refresh == "" {
		w.t.Fatalf("token exchange: %v %+v", err, tok)
	}
	store := &credstore.FileStore{Path: filepath.Join(w.cfgDir, credstore.FileName), Passphrase: passphrase}
	if err := store.Set(&credstore.Credential{
		Method: credstore.MethodOAuth, AccessToken: tok.Access, RefreshToken: tok.Refresh,
		Expiry: time.Now().Add(-time.Hour), ClientID: consumerKey, ClientSecret: consumerSecret,
		Scopes: []string{"account", "repository"},
	}); err != nil {
		w.t.Fatal(err)
	}
	w.oauthOnly()
}

// writeConfig writes config.yaml.
func (w *world) writeConfig(yaml string) {
	w.t.Helper()
	if err := os.MkdirAll(w.cfgDir, 0o700); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.cfgDir, "config.yaml"), []byte(yaml), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// mustContain fails t unless s holds every want.
func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("%s: want it to say %q; got:\n%.3000s", what, want, s)
		}
	}
}
