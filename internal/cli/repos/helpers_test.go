package repos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/spf13/cobra"
)

// Test credentials for the fake server (not real secrets).
const (
	testEmail = "dev@example.com"
	testToken = "test-api-token-123"
)

var testNow = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

// harness runs the repos command tree against a config folder and,
// optionally, a fake Bitbucket.
type harness struct {
	dir            string
	env            map[string]string
	in             *bytes.Buffer
	out, errOut    *bytes.Buffer
	io             *iostreams.IOStreams
	f              *cmdutil.Factory
	clientsCreated int
}

func newHarness(t testing.TB, apiURL string) *harness {
	dir := filepath.Join(t.TempDir(), "config")
	env := map[string]string{"SIGSENTRY_CONFIG_DIR": dir}
	if apiURL != "" {
		env["SIGSENTRY_BITBUCKET_API_URL"] = apiURL
		env["SIGSENTRY_BITBUCKET_EMAIL"] = testEmail
		env["SIGSENTRY_BITBUCKET_API_TOKEN"] = testToken
	}
	h := &harness{dir: dir, env: env}
	h.reset()
	return h
}

// reset gives the harness fresh streams and a fresh factory (as a new
// process would have).
func (h *harness) reset() {
	ios, in, out, errOut := iostreams.Test()
	h.io, h.in, h.out, h.errOut = ios, in, out, errOut
	h.clientsCreated = 0
	h.f = testFactory(ios, func(k string) string { return h.env[k] }, func() { h.clientsCreated++ })
}

// testFactory wires a Factory as internal/cli does, from getenv alone.
func testFactory(ios *iostreams.IOStreams, getenv func(string) string, onClient func()) *cmdutil.Factory {
	f := &cmdutil.Factory{IO: ios, Getenv: getenv, Now: func() time.Time { return testNow }}
	f.ConfigStore = func() (*config.Store, error) {
		dir, err := config.Dir(f.Getenv)
		if err != nil {
			return nil, err
		}
		return &config.Store{Dir: dir, Getenv: f.Getenv}, nil
	}
	f.Config = func() (*config.Config, error) {
		s, err := f.ConfigStore()
		if err != nil {
			return nil, err
		}
		return s.Load()
	}
	f.BitbucketWith = func(auth bitbucket.Authenticator) (*bitbucket.Client, error) {
		c, err := f.Config()
		if err != nil {
			return nil, err
		}
		return bitbucket.New(bitbucket.Options{BaseURL: c.Bitbucket.APIURL, Auth: auth, MaxInFlight: c.Bitbucket.MaxInFlight})
	}
	f.Bitbucket = func() (*bitbucket.Client, error) {
		if onClient != nil {
			onClient()
		}
		u, p := f.Getenv("SIGSENTRY_BITBUCKET_EMAIL"), f.Getenv("SIGSENTRY_BITBUCKET_API_TOKEN")
		if u == "" || p == "" {
			return nil, cmdutil.AuthError(errors.New("no Bitbucket credential found"), "run `sigsentry auth login`")
		}
		return f.BitbucketWith(bitbucket.BasicAuth(u, p))
	}
	return f
}

type flagErr struct{ error }

func (e flagErr) Unwrap() error { return e.error }

// runCLI executes `sigsentry repos ARGS` and returns the exit code as
// internal/cli decides it, printing "error: ..." and "hint: ..." to stderr.
func runCLI(f *cmdutil.Factory, args ...string) int {
	root := &cobra.Command{Use: "sigsentry", SilenceErrors: true, SilenceUsage: true}
	root.PersistentFlags().StringP("output", "o", "table", "")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return flagErr{err} })
	root.AddCommand(NewCmd(f))
	root.SetArgs(append([]string{"repos"}, args...))
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(context.Background())
	if err == nil {
		return cmdutil.ExitOK
	}
	fmt.Fprintf(f.IO.ErrOut, "error: %s\n", err)
	code := cmdutil.ExitFailure
	var ee *cmdutil.ExitError
	var api *bitbucket.APIError
	var fe flagErr
	switch {
	case errors.As(err, &ee):
		code = ee.Code
		if ee.Hint != "" {
			fmt.Fprintf(f.IO.ErrOut, "hint: %s\n", ee.Hint)
		}
	case errors.As(err, &fe):
		code = cmdutil.ExitUsage
	case errors.As(err, &api) && api.IsAuth():
		code = cmdutil.ExitAuth
	}
	return code
}

func (h *harness) run(args ...string) int {
	return runCLI(h.f, args...)
}

// saved returns the repositories in the config file.
func (h *harness) saved() []config.Repo {
	s := &config.Store{Dir: h.dir}
	c, err := s.ReadFile()
	if err != nil {
		panic(fmt.Sprintf("reading config: %v", err))
	}
	return c.Bitbucket.Repositories
}

// newGitDir makes a tiny git repository for the fake server to serve.
func newGitDir(t testing.TB) string {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"init", "-q", "-b", "main", dir},
		{"-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", "init"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s (git is required by these tests)", args, err, out)
		}
	}
	return dir
}

// newFake starts a fake Bitbucket with the test user (a member of "acme")
// and the given repositories in acme, served from one git directory.
func newFake(t testing.TB, latency time.Duration, slugs ...string) *bitbuckettest.Server {
	srv := bitbuckettest.NewServer(bitbuckettest.Options{Latency: latency})
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Email: testEmail, Nickname: "dev", Workspaces: []string{"acme"}})
	srv.AddAPIToken(testEmail, testToken, "read:repository:bitbucket", "read:user:bitbucket", "read:workspace:bitbucket")
	if len(slugs) > 0 {
		git := newGitDir(t)
		for _, s := range slugs {
			if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: s, GitDir: git, Private: true, MainBranch: "main"}); err != nil {
				t.Fatalf("AddRepo: %v", err)
			}
		}
	}
	return srv
}
