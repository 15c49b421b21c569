// Package auth_test runs sigsentry's auth commands end to end: in process
// through cli.Run, and as a built binary in separate processes, against
// bitbuckettest.
package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/cli"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

const (
	consumerKey    = "e2e-consumer"
	consumerSecret = "e2e-consumer-secret-9f8e7d"
	apiEmail       = "ada@example.com"
	apiToken       = "ATATT-e2e-api-token-3c2b1a"
	accessToken    = "repo-access-token-77aa55"
	passphrase     = "e2e passphrase"
	sentryToken    = "sntryu_e2e-sentry-token-5d4c3b2a"
)

// binPath is the sigsentry binary built by TestMain.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sigsentry-e2e-auth-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "sigsentry")
	build := exec.Command("go", "build", "-o", binPath, "github.com/sigsentry/sigsentry/cmd/sigsentry")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building sigsentry:", err)
		os.Exit(1)
	}
	// Every program the tests start carries a marker; a keychain daemon
	// still running with it at the end fails the run.
	code := testenv.RunNoDaemons(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is one test's environment: a fake Bitbucket, config and cache dirs.
type env struct {
	t      *testing.T
	srv    *bitbuckettest.Server
	vars   map[string]string
	cfgDir string
	cache  string
}

func newEnv(t *testing.T, auto bool) *env {
	t.Helper()
	srv := bitbuckettest.NewServer(bitbuckettest.Options{AutoApprove: auto})
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Nickname: "ada", DisplayName: "Ada Lovelace", Email: apiEmail, Workspaces: []string{"acme"}})
	srv.AddOAuthConsumer(bitbuckettest.Consumer{Key: consumerKey, Secret: consumerSecret, CallbackURL: "http://127.0.0.1/callback", Name: "sigsentry"})
	srv.AddAPIToken(apiEmail, apiToken, "read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket")
	srv.AddAccessToken(accessToken, bitbuckettest.AccessToken{Repo: "acme/api", Scopes: []string{"repository"}})
	root := t.TempDir()
	gitDir := filepath.Join(root, "repo.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", gitDir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "api", GitDir: gitDir, Private: true}); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, cfgDir: filepath.Join(root, "config"), cache: filepath.Join(root, "cache")}
	e.vars = map[string]string{
		"SIGSENTRY_CONFIG_DIR":            e.cfgDir,
		"SIGSENTRY_CACHE_DIR":             e.cache,
		"SIGSENTRY_BITBUCKET_API_URL":     srv.APIURL(),
		"SIGSENTRY_BITBUCKET_OAUTH_URL":   srv.OAuthURL(),
		"SIGSENTRY_CREDENTIAL_STORE":      "file",
		"SIGSENTRY_CREDENTIAL_PASSPHRASE": passphrase,
		"SIGSENTRY_OAUTH_CLIENT_ID":       consumerKey,
		"SIGSENTRY_OAUTH_CLIENT_SECRET":   consumerSecret,
		"DISPLAY":                         ":0",
		"NO_COLOR":                        "1",
		"HOME":                            root,
	}
	return e
}

// result is one command run.
type result struct {
	code           int
	stdout, stderr string
}

// run runs sigsentry in process with browser as the browser.
func (e *env) run(browser func(string) error, stdin string, args ...string) result {
	e.t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	f := cli.NewFactory(ios)
	f.Getenv = func(k string) string { return e.vars[k] }
	if browser != nil {
		f.Browser = browser
	} else {
		f.Browser = func(string) error { return fmt.Errorf("no browser in this test") }
	}
	code := cli.Run(context.Background(), f, args)
	return result{code, out.String(), errOut.String()}
}

// environ is the process environment for the built binary.
func (e *env) environ() []string {
	out := []string{"PATH=" + os.Getenv("PATH")}
	if m := os.Getenv(testenv.MarkerEnv); m != "" {
		out = append(out, testenv.MarkerEnv+"="+m)
	}
	keys := make([]string, 0, len(e.vars))
	for k := range e.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+e.vars[k])
	}
	return out
}

// exec runs the built binary.
func (e *env) exec(stdin string, args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = e.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("running sigsentry %v: %v", args, err)
	}
	return result{code, out.String(), errOut.String()}
}
