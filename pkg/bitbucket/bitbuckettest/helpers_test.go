package bitbuckettest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// requireGit skips without git, or fails when outside tools are required (CI).
func requireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Unavailable(t, "git is not installed: %v", err)
	}
}

// gitOut runs plain git in dir and returns stdout.
func gitOut(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"--git-dir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// fastImport builds the stream for the fixture repository:
//   - main: a root commit, then 279 commits appending to a.txt, with a new
//     file every tenth commit, a rename with edits, a mode change, binary
//     edits, a deletion, odd file names;
//   - feature: 5 commits branched at main~ commit 100, merged at commit 150;
//   - old: 3 commits never merged; tag v1.0 (annotated) at commit 50.
func fastImport() []byte {
	var b bytes.Buffer
	mark := 0
	blob := func(content string) int {
		mark++
		fmt.Fprintf(&b, "blob\nmark :%d\ndata %d\n%s\n", mark, len(content), content)
		return mark
	}
	ts := int64(1_700_000_000)
	zones := []string{"+0000", "+0200", "-0700", "+0530"}
	commit := func(ref string, n int, from, merge int, changes string) int {
		mark++
		ts += 3600
		zone := zones[n%len(zones)]
		author := "Alice <alice@example.com>"
		if n%3 == 1 {
			author = "Bob Builder <bob@example.org>"
		}
		msg := fmt.Sprintf("commit %d on %s\n\nBody of commit %d & <stuff>.\n", n, ref, n)
		fmt.Fprintf(&b, "commit refs/heads/%s\nmark :%d\nauthor %s %d %s\ncommitter Carol <carol@example.net> %d %s\ndata %d\n%s",
			ref, mark, author, ts, zone, ts+60, zone, len(msg), msg)
		if from > 0 {
			fmt.Fprintf(&b, "from :%d\n", from)
		}
		if merge > 0 {
			fmt.Fprintf(&b, "merge :%d\n", merge)
		}
		b.WriteString(changes)
		b.WriteString("\n")
		return mark
	}
	lines := []string{"line 0"}
	binary := "\x00\x01\x02binary\x00"
	c := commit("main", 1, 0, 0, fmt.Sprintf("M 100644 :%d a.txt\nM 100644 :%d b.bin\nM 100644 :%d dir/c.go\nM 100644 :%d run.sh\n",
		blob(strings.Join(lines, "\n")+"\n"), blob(binary), blob("package dir\n\nfunc C() int {\n\treturn 1\n}\n"), blob("#!/bin/sh\necho hi\n")))
	main := c
	var at50, feature int
	for n := 2; n <= 280; n++ {
		lines = append(lines, fmt.Sprintf("line %d", n))
		changes := fmt.Sprintf("M 100644 :%d a.txt\n", blob(strings.Join(lines, "\n")+"\n"))
		switch {
		case n%10 == 0:
			changes += fmt.Sprintf("M 100644 :%d files/f%d.txt\n", blob(fmt.Sprintf("file %d\n", n)), n)
		case n == 33:
			changes += "D files/f20.txt\n"
		case n == 41:
			changes += fmt.Sprintf("R dir/c.go dir/d.go\nM 100644 :%d dir/d.go\n", blob("package dir\n\nfunc C() int {\n\treturn 2\n}\n"))
		case n == 47:
			changes += fmt.Sprintf("M 100755 :%d run.sh\n", blob("#!/bin/sh\necho hi\n"))
		case n == 53:
			changes += fmt.Sprintf("M 100644 :%d b.bin\n", blob(binary+"more\x00"))
		case n == 61:
			changes += fmt.Sprintf("M 100644 :%d \"sp ace/\\303\\274ber.txt\"\n", blob("unicode\n"))
		case n == 77:
			changes += fmt.Sprintf("M 120000 :%d link\n", blob("a.txt"))
		}
		merge := 0
		if n == 150 {
			merge = feature
		}
		main = commit("main", n, main, merge, changes)
		if n == 50 {
			at50 = main
		}
		if n == 100 {
			feature = main
			for k := 1; k <= 5; k++ {
				feature = commit("feature", 1000+k, feature, 0, fmt.Sprintf("M 100644 :%d feat.txt\n", blob(strings.Repeat("feature\n", k))))
			}
		}
	}
	old := at50
	for k := 1; k <= 3; k++ {
		old = commit("old", 2000+k, old, 0, fmt.Sprintf("M 100644 :%d old.txt\n", blob(strings.Repeat("old\n", k))))
	}
	msg := "release 1.0\n"
	fmt.Fprintf(&b, "tag v1.0\nfrom :%d\ntagger Alice <alice@example.com> %d +0000\ndata %d\n%s\n", at50, ts, len(msg), msg)
	return b.Bytes()
}

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// fixtureRepo returns a bare git repository built once per test binary.
func fixtureRepo(t testing.TB) string {
	t.Helper()
	requireGit(t)
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "bitbuckettest-fixture-")
		if err != nil {
			fixtureErr = err
			return
		}
		fixtureDir = filepath.Join(dir, "repo.git")
		for _, args := range [][]string{
			{"init", "-q", "--bare", "-b", "main", fixtureDir},
			{"--git-dir", fixtureDir, "fast-import", "--quiet"},
			{"--git-dir", fixtureDir, "symbolic-ref", "HEAD", "refs/heads/main"},
		} {
			cmd := exec.Command("git", args...)
			cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
			if args[len(args)-2] == "fast-import" {
				cmd.Stdin = bytes.NewReader(fastImport())
			}
			if out, err := cmd.CombinedOutput(); err != nil {
				fixtureErr = fmt.Errorf("git %v: %v: %s", args, err, out)
				return
			}
		}
	})
	if fixtureErr != nil {
		t.Fatalf("building the fixture repository: %v", fixtureErr)
	}
	return fixtureDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		_ = os.RemoveAll(filepath.Dir(fixtureDir))
	}
	os.Exit(code)
}

// fixture is a server with users, credentials and the fixture repository
// served as acme/app (private) and acme/pub (public).
type fixture struct {
	srv    *Server
	gitDir string
	now    time.Time
	mu     sync.Mutex
}

const (
	aliceEmail = "alice@example.com"
	aliceToken = "ATATT-alice-full"
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	// The controllable clock starts at the real time, so nothing depends
	// on the day the tests run.
	f := &fixture{gitDir: fixtureRepo(t), now: time.Now().UTC().Truncate(time.Second)}
	f.srv = NewServer(Options{Now: f.clock})
	t.Cleanup(f.srv.Close)
	f.srv.AddUser(User{Nickname: "alice", DisplayName: "Alice A.", Email: aliceEmail, Workspaces: []string{"acme"}, AdminOf: []string{"alice"}})
	f.srv.AddUser(User{Nickname: "mallory", Email: "mallory@example.com", Workspaces: []string{"evil"}})
	f.srv.AddAPIToken(aliceEmail, aliceToken, "read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket")
	f.srv.AddAPIToken(aliceEmail, "ATATT-alice-repo-only", "read:repository:bitbucket")
	f.srv.AddAPIToken("mallory@example.com", "ATATT-mallory", "read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket")
	f.srv.AddAppPassword("alice", "app-pass")
	f.srv.AddAccessToken("repo-token", AccessToken{Repo: "acme/app", Scopes: []string{"repository"}})
	f.srv.AddAccessToken("pr-token", AccessToken{Repo: "acme/app", Scopes: []string{"pullrequest"}})
	f.srv.AddAccessToken("webhook-token", AccessToken{Repo: "acme/app", Scopes: []string{"webhook"}})
	f.srv.AddOAuthConsumer(Consumer{Key: "ckey", Secret: "csecret", CallbackURL: "http://127.0.0.1/callback", Name: "sigsentry"})
	for _, r := range []Repo{
		{Workspace: "acme", Slug: "app", GitDir: f.gitDir, Private: true},
		{Workspace: "acme", Slug: "pub", GitDir: f.gitDir},
		{Workspace: "evil", Slug: "secret", GitDir: f.gitDir, Private: true},
	} {
		if err := f.srv.AddRepo(r); err != nil {
			t.Fatalf("AddRepo: %v", err)
		}
	}
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// cred sets one kind of credential on a request.
type cred func(*http.Request)

func basic(user, pass string) cred {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func bearer(tok string) cred {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

var alice = basic(aliceEmail, aliceToken)

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
	return m
}

// get fetches url (absolute, or a path below the server) with c.
func get(t testing.TB, srv *Server, u string, c cred) response {
	t.Helper()
	if strings.HasPrefix(u, "/") {
		u = srv.URL() + u
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c != nil {
		c(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", u, err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

// errorMessage returns error.message of an error envelope.
func errorMessage(t testing.TB, r response) string {
	t.Helper()
	m := r.json(t)
	if m["type"] != "error" {
		t.Fatalf("got type %v, want error in %s", m["type"], r.body)
	}
	e, _ := m["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}
