package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/spf13/cobra"
)

// now is the clock of every test run: the real one, to the hour, so that
// nothing here depends on the day it runs.
var now = time.Now().UTC().Truncate(time.Hour)

type testEnv struct {
	f        *cmdutil.Factory
	out, err *bytes.Buffer
	in       *bytes.Buffer
	env      map[string]string
	cacheDir string
}

// newEnv returns a factory with test streams, a config folder holding cfg
// (YAML, may be empty), a cache folder, and, when srv is not nil, a client
// for srv authenticated with auth.
func newEnv(t *testing.T, cfg string, srv *bitbuckettest.Server, auth bitbucket.Authenticator) *testEnv {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	e := &testEnv{out: out, err: errOut, in: in, env: map[string]string{}}
	confDir := t.TempDir()
	e.cacheDir = filepath.Join(t.TempDir(), "cache")
	if cfg != "" {
		if err := os.WriteFile(filepath.Join(confDir, config.FileName), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	e.env["SIGSENTRY_CONFIG_DIR"] = confDir
	e.env["SIGSENTRY_CACHE_DIR"] = e.cacheDir
	f := &cmdutil.Factory{IO: ios, Now: func() time.Time { return now }}
	f.Getenv = func(k string) string { return e.env[k] }
	f.ConfigStore = func() (*config.Store, error) { return &config.Store{Dir: confDir, Getenv: f.Getenv}, nil }
	f.Config = func() (*config.Config, error) {
		s, _ := f.ConfigStore()
		return s.Load()
	}
	f.CacheDir = func() (string, error) { return config.CacheDir(f.Getenv) }
	f.Bitbucket = func() (*bitbucket.Client, error) {
		if srv == nil {
			return nil, cmdutil.AuthError(errors.New("no Bitbucket credential found"), "")
		}
		return bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: auth})
	}
	e.f = f
	return e
}

// run executes `analyze args...` and returns the exit code Run's error maps
// to (0, or the ExitError's code, 1 otherwise).
func (e *testEnv) run(t *testing.T, args ...string) int {
	t.Helper()
	return exitCode(e.runCtx(context.Background(), args...))
}

// runCtx executes `analyze args...` with ctx and returns its error.
func (e *testEnv) runCtx(ctx context.Context, args ...string) error {
	e.out.Reset()
	e.err.Reset()
	root := &cobra.Command{Use: "sigsentry", SilenceErrors: true, SilenceUsage: true}
	root.PersistentFlags().StringP("output", "o", "table", "")
	root.AddCommand(NewCmd(e.f))
	root.SetArgs(append([]string{"analyze"}, args...))
	root.SetOut(e.out)
	root.SetErr(e.err)
	return root.ExecuteContext(ctx)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *cmdutil.ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var api *bitbucket.APIError
	if errors.As(err, &api) && api.IsAuth() {
		return cmdutil.ExitAuth
	}
	return 1
}

func (e *testEnv) report(t *testing.T) *Report {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(e.out.Bytes()))
	dec.DisallowUnknownFields()
	var rep Report
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not the report: %v\n%s", err, e.out.String())
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", e.out.String())
	}
	return &rep
}

// repo is a scratch git repository.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	testenv.LookPath(t, "git")
	r := &repo{t: t, dir: t.TempDir()}
	r.git(time.Time{}, "init", "-q", "-b", "main")
	return r
}

func (r *repo) git(date time.Time, args ...string) string {
	r.t.Helper()
	return testenv.Git(r.t, r.dir, date, args...)
}

func (r *repo) commit(date time.Time, msg string, files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, name)
		if content == "" {
			if err := os.Remove(p); err != nil {
				r.t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git(date, "add", "-A")
	r.git(date, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git(time.Time{}, "rev-parse", "HEAD")
}

// numbered returns n lines "prefix i".
func numbered(prefix string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s %d\n", prefix, i)
	}
	return b.String()
}

// numstatTotals is git's own count of a commit against its first parent.
func numstatTotals(t *testing.T, dir, hash string) (files, added, removed int) {
	t.Helper()
	base := "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
	out, err := exec.Command("git", "-C", dir, "log", "-1", "--format=%P", hash).Output()
	if err != nil {
		t.Fatal(err)
	}
	if p := strings.Fields(string(out)); len(p) > 0 {
		base = p[0]
	}
	ns, err := exec.Command("git", "-C", dir, "diff", "--numstat", "-z", "-M", base, hash).Output()
	if err != nil {
		t.Fatal(err)
	}
	recs := strings.Split(string(ns), "\x00")
	for i := 0; i < len(recs); i++ {
		f := strings.SplitN(recs[i], "\t", 3)
		if len(f) != 3 {
			continue
		}
		files++
		if f[0] != "-" {
			var a, d int
			fmt.Sscan(f[0], &a)
			fmt.Sscan(f[1], &d)
			added += a
			removed += d
		}
		if f[2] == "" { // rename: two more NUL-separated names follow
			i += 2
		}
	}
	return files, added, removed
}

// localSignal writes text to a signal file named name, runs analyze --local
// dir on it with -o json, and returns the report's first signal.
func localSignal(t *testing.T, dir, name, text string) SignalReport {
	t.Helper()
	sig := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(sig, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", dir, "--signal", sig, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Signals) == 0 {
		t.Fatal("got no signal in the report")
	}
	return rep.Signals[0]
}

// classFile is a source file of n lines: head, then lines (by number)
// and filler (a format taking the line's number) elsewhere, then "}".
func classFile(head, filler string, lines map[int]string, n int) string {
	var b strings.Builder
	b.WriteString(head)
	for i := strings.Count(head, "\n") + 1; i < n; i++ {
		if l, ok := lines[i]; ok {
			b.WriteString(l + "\n")
			continue
		}
		fmt.Fprintf(&b, filler+"\n", i)
	}
	b.WriteString("}\n")
	return b.String()
}

// readText reads a test file, the path's parts joined, or fails t.
func readText(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
