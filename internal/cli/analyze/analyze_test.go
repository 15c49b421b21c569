package analyze

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/spf13/cobra"
)

func TestFlags(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		check    func(t *testing.T, o *Options)
	}{
		{"defaults", nil, 0, func(t *testing.T, o *Options) {
			if o.Top != 5 || !o.At.Equal(now) || o.LookbackDays != 0 || o.NoCache || o.IncludeMerges {
				t.Errorf("got top=%d at=%v lookback=%d nocache=%t merges=%t, want 5, %v, 0, false, false",
					o.Top, o.At, o.LookbackDays, o.NoCache, o.IncludeMerges, now)
			}
		}},
		{"all flags", []string{"--repo", "acme/a", "--repo", "acme/b", "--ref", "dev", "--at", "2026-11-27T10:00:00Z",
			"--lookback-days", "90", "--signal", "x.txt", "--signal", "-", "--top", "3", "--include-merges", "--no-cache", "-o", "json"}, 0,
			func(t *testing.T, o *Options) {
				if strings.Join(o.Repos, ",") != "acme/a,acme/b" || o.Ref != "dev" || !o.At.Equal(at) || o.LookbackDays != 90 ||
					strings.Join(o.Signals, ",") != "x.txt,-" || o.Top != 3 || !o.IncludeMerges || !o.NoCache || o.Format != "json" {
					t.Errorf("got %+v", o)
				}
			}},
		{"at on the real clock", []string{"--at", now.Add(-90 * time.Minute).Format(time.RFC3339)}, 0, func(t *testing.T, o *Options) {
			if !o.At.Equal(now.Add(-90 * time.Minute)) {
				t.Errorf("got at %v, want %v", o.At, now.Add(-90*time.Minute))
			}
		}},
		{"local with repo", []string{"--local", ".", "--repo", "acme/a"}, cmdutil.ExitUsage, nil},
		{"bad repo", []string{"--repo", "acme"}, cmdutil.ExitUsage, nil},
		{"lookback 0", []string{"--lookback-days", "0"}, cmdutil.ExitUsage, nil},
		{"lookback 366", []string{"--lookback-days", "366"}, cmdutil.ExitUsage, nil},
		{"bad at", []string{"--at", "yesterday"}, cmdutil.ExitUsage, nil},
		{"top 0", []string{"--top", "0"}, cmdutil.ExitUsage, nil},
		{"stdin twice", []string{"--signal", "-", "--signal", "-"}, cmdutil.ExitUsage, nil},
		{"bad format", []string{"-o", "yaml"}, cmdutil.ExitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "", nil, nil)
			var got *Options
			root := &cobra.Command{Use: "sigsentry", SilenceErrors: true, SilenceUsage: true}
			root.PersistentFlags().StringP("output", "o", "table", "")
			root.AddCommand(NewCmd(e.f, func(o *Options) error { got = o; return nil }))
			root.SetArgs(append([]string{"analyze"}, tt.args...))
			root.SetOut(e.out)
			root.SetErr(e.err)
			code := exitCode(root.Execute())
			if code != tt.wantCode {
				t.Fatalf("got exit %d, want %d", code, tt.wantCode)
			}
			if tt.check != nil {
				if got == nil {
					t.Fatal("run function was not called")
				}
				tt.check(t, got)
			}
		})
	}
}

func TestNoRepositories(t *testing.T) {
	e := newEnv(t, "", nil, nil)
	if code := e.run(t); code != cmdutil.ExitUsage {
		t.Errorf("got exit %d, want %d", code, cmdutil.ExitUsage)
	}
}

// history builds a repository with commits inside and outside a 30-day
// window ending at now, and returns the hashes inside, newest first.
func history(t *testing.T) (*repo, []string) {
	r := newRepo(t)
	day := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	r.commit(day(60), "old root", map[string]string{"app/main.go": numbered("main", 30), "README": "hi\n"})
	var in []string
	in = append(in, r.commit(day(20), "add handler", map[string]string{"app/handler.go": numbered("handler", 12)}))
	in = append(in, r.commit(day(10), "edit main", map[string]string{"app/main.go": strings.Replace(numbered("main", 30), "main 7\n", "seven\n", 1)}))
	r.git(time.Time{}, "mv", "README", "README.md")
	in = append(in, r.commit(day(5), "rename readme, add logo", map[string]string{"logo.png": "\x89PNG\x00\x01\x02"}))
	in = append(in, r.commit(day(1), "remove handler", map[string]string{"app/handler.go": ""}))
	for i, j := 0, len(in)-1; i < j; i, j = i+1, j-1 {
		in[i], in[j] = in[j], in[i]
	}
	return r, in
}

func checkCounts(t *testing.T, rep *Report, dir string, want []string) {
	t.Helper()
	if len(rep.Commits) != len(want) {
		t.Fatalf("got %d commits, want %d", len(rep.Commits), len(want))
	}
	var files, added, removed int
	for i, c := range rep.Commits {
		if c.Hash != want[i] {
			t.Errorf("commit %d: got %s, want %s", i, c.Hash, want[i])
		}
		f, a, d := numstatTotals(t, dir, c.Hash)
		if c.FilesChanged != f || c.LinesAdded != a || c.LinesRemoved != d || len(c.Files) != f {
			t.Errorf("commit %s: got %d files +%d -%d (%d entries), want %d +%d -%d as git counts",
				c.Hash[:7], c.FilesChanged, c.LinesAdded, c.LinesRemoved, len(c.Files), f, a, d)
		}
		files, added, removed = files+f, added+a, removed+d
	}
	r := rep.Repos[0]
	if r.Commits != len(want) || r.FilesChanged != files || r.LinesAdded != added || r.LinesRemoved != removed {
		t.Errorf("repo summary: got %d commits %d files +%d -%d, want %d %d +%d -%d",
			r.Commits, r.FilesChanged, r.LinesAdded, r.LinesRemoved, len(want), files, added, removed)
	}
}

func TestLocalJSON(t *testing.T) {
	r, want := history(t)
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", r.dir, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d, want 0; stderr: %s", code, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Repos) != 1 || rep.Repos[0].Source != "local" || rep.Repos[0].Ref != "HEAD" || rep.Repos[0].Error != nil {
		t.Fatalf("got repos %+v, want one local HEAD repo without error", rep.Repos)
	}
	if rep.Window.LookbackDays != 30 || !rep.Window.Until.Equal(now) || !rep.Window.Since.Equal(now.AddDate(0, 0, -30)) {
		t.Errorf("got window %+v, want 30 days ending %v", rep.Window, now)
	}
	checkCounts(t, rep, r.dir, want)
	if rep.Signals == nil || len(rep.Signals) != 0 {
		t.Errorf("got signals %v, want an empty list", rep.Signals)
	}
	if rep.Notes == nil || len(rep.Notes) != 0 {
		t.Errorf("got notes %#v, want an empty list (not null)", rep.Notes)
	}
	// The rename carries its old path; the binary file counts no lines.
	for _, f := range rep.Commits[1].Files {
		switch f.Path {
		case "README.md":
			if f.Status != "renamed" || f.OldPath != "README" {
				t.Errorf("got %+v, want a rename from README", f)
			}
		case "logo.png":
			if !f.Binary || f.LinesAdded != 0 {
				t.Errorf("got %+v, want binary with 0 lines", f)
			}
		}
	}
}

func TestLocalLookbackAndAt(t *testing.T) {
	r, want := history(t)
	e := newEnv(t, "bitbucket:\n  lookback_days: 7\n", nil, nil)
	if code := e.run(t, "--local", r.dir, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr: %s", code, e.err.String())
	}
	if rep := e.report(t); len(rep.Commits) != 2 || rep.Window.LookbackDays != 7 {
		t.Errorf("configured 7 days: got %d commits over %d days, want 2 over 7", len(rep.Commits), rep.Window.LookbackDays)
	}
	at := now.AddDate(0, 0, -3).Format(time.RFC3339)
	if code := e.run(t, "--local", r.dir, "-o", "json", "--at", at, "--lookback-days", "365"); code != 0 {
		t.Fatalf("got exit %d; stderr: %s", code, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Commits) != 4 {
		t.Errorf("--at 3 days ago over 365 days: got %d commits, want 4", len(rep.Commits))
	}
	if len(rep.Commits) > 0 && rep.Commits[0].Hash != want[1] {
		t.Errorf("--at 3 days ago: got newest %s, want %s", rep.Commits[0].Hash, want[1])
	}
}

func TestLocalTableAndMarkdown(t *testing.T) {
	r, _ := history(t)
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", r.dir); code != 0 {
		t.Fatalf("got exit %d; stderr: %s", code, e.err.String())
	}
	for _, want := range []string{"REPO", "SOURCE", "COMMITS", "+LINES", "-LINES", "STATUS", "local", "HEAD", "ok"} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("table: missing %q in\n%s", want, e.out.String())
		}
	}
	if e.err.Len() != 0 {
		t.Errorf("got stderr %q, want nothing (not a terminal: no progress)", e.err.String())
	}
	if code := e.run(t, "--local", r.dir, "-o", "markdown"); code != 0 {
		t.Fatalf("got exit %d", code)
	}
	for _, want := range []string{"## sigsentry analyze", "| Repository |", "|---|", "| local | HEAD | 4 |"} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("markdown: missing %q in\n%s", want, e.out.String())
		}
	}
}

func TestLocalNotARepository(t *testing.T) {
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", t.TempDir()); code != cmdutil.ExitFailure {
		t.Errorf("got exit %d, want %d", code, cmdutil.ExitFailure)
	}
}

// TestLocalShallowClone: in a clone cut two commits deep, the commit at
// the edge has no parents in the clone. It is reported uncounted, not as
// adding every file it holds, the others count as git counts them, and the
// run says the window may lack history and exits 3.
func TestLocalShallowClone(t *testing.T) {
	r, want := history(t)
	dir := filepath.Join(t.TempDir(), "shallow")
	r.git(time.Time{}, "clone", "-q", "--depth", "2", "file://"+r.dir, dir)
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", dir, "-o", "json"); code != cmdutil.ExitPartial {
		t.Fatalf("got exit %d, want %d; stderr: %s", code, cmdutil.ExitPartial, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Commits) != 2 || rep.Commits[0].Hash != want[0] || rep.Commits[1].Hash != want[1] {
		t.Fatalf("got %d commits, want the newest two of %v", len(rep.Commits), want)
	}
	if f, a, d := numstatTotals(t, r.dir, want[0]); rep.Commits[0].FilesChanged != f || rep.Commits[0].LinesAdded != a || rep.Commits[0].LinesRemoved != d {
		t.Errorf("newest commit: got %d files +%d -%d, want %d +%d -%d as git counts", rep.Commits[0].FilesChanged, rep.Commits[0].LinesAdded, rep.Commits[0].LinesRemoved, f, a, d)
	}
	if c := rep.Commits[1]; c.FilesChanged != 0 || c.Fallback != source.FallbackShallow || rep.Repos[0].ShallowEdge != 1 {
		t.Errorf("edge commit: got %d files, fallback %q, %d shallow-edge commits; want 0, %q, 1",
			c.FilesChanged, c.Fallback, rep.Repos[0].ShallowEdge, source.FallbackShallow)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "1 commit at the edge of a shallow clone") }) ||
		!strings.Contains(e.err.String(), "git fetch --shallow-since=") {
		t.Errorf("got notes %q and stderr %q, want the shallow-clone note with its remedy", rep.Notes, e.err.String())
	}
}

// TestLocalMissingObject: when the clone lacks a blob that one commit's
// change needs, that commit is reported uncounted and the others are
// counted as git counts them; the run says how to repair the clone and
// exits 3.
func TestLocalMissingObject(t *testing.T) {
	r, want := history(t)
	blob := r.git(time.Time{}, "rev-parse", want[2]+":app/main.go") // "edit main" wrote it
	if err := os.Remove(filepath.Join(r.dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", r.dir, "-o", "json"); code != cmdutil.ExitPartial {
		t.Fatalf("got exit %d, want %d; stderr: %s", code, cmdutil.ExitPartial, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Commits) != len(want) || rep.Repos[0].Uncounted != 1 {
		t.Fatalf("got %d commits, %d uncounted; want %d, 1", len(rep.Commits), rep.Repos[0].Uncounted, len(want))
	}
	for i, c := range rep.Commits {
		if i == 2 {
			if c.FilesChanged != 0 || !strings.HasPrefix(c.Fallback, source.FallbackUnreadable) || c.Summary != "edit main" {
				t.Errorf("edit main: got %d files, fallback %q, summary %q", c.FilesChanged, c.Fallback, c.Summary)
			}
			continue
		}
		if f, a, d := numstatTotals(t, r.dir, c.Hash); c.FilesChanged != f || c.LinesAdded != a || c.LinesRemoved != d {
			t.Errorf("commit %s: got %d files +%d -%d, want %d +%d -%d as git counts", c.Hash[:7], c.FilesChanged, c.LinesAdded, c.LinesRemoved, f, a, d)
		}
	}
	if !strings.Contains(e.err.String(), "1 commit could not be read from the local clone") || !strings.Contains(e.err.String(), "git fsck") {
		t.Errorf("stderr %q: want the note on the missing object", e.err.String())
	}
}

// fake serves r as acme/app with a user whose API token reads it.
func fake(t *testing.T, r *repo, opts bitbuckettest.Options) (*bitbuckettest.Server, bitbucket.Authenticator) {
	t.Helper()
	srv := bitbuckettest.NewServer(opts)
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Email: "ada@example.com", Workspaces: []string{"acme"}})
	srv.AddAPIToken("ada@example.com", "tok-123", "read:repository:bitbucket")
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "app", GitDir: r.dir, Private: true}); err != nil {
		t.Fatal(err)
	}
	return srv, bitbucket.BasicAuth("ada@example.com", "tok-123")
}

// TestBitbucketRequestCounts pins the request budget: a cold run of N
// commits costs one repository lookup, the list pages and N diffs; a warm
// rerun makes no diff request; --no-cache makes them again.
func TestBitbucketRequestCounts(t *testing.T) {
	r, want := history(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n", srv, auth)

	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("cold run: got exit %d; stderr: %s", code, e.err.String())
	}
	checkCounts(t, e.report(t), r.dir, want)
	lookups := srv.CountRequests("/2.0/repositories/acme/app") - srv.CountRequests("/2.0/repositories/acme/app/")
	pages := srv.CountRequests("/2.0/repositories/acme/app/commits/")
	diffs := srv.CountRequests("/2.0/repositories/acme/app/diff/")
	total := len(srv.Requests())
	if lookups != 1 || pages != 1 || diffs != len(want) || total != 1+1+len(want) {
		t.Errorf("cold run: got %d lookups, %d list pages, %d diffs, %d requests in all; want 1, 1, %d, %d",
			lookups, pages, diffs, total, len(want), 2+len(want))
	}

	srv.ResetRequests()
	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("warm run: got exit %d", code)
	}
	checkCounts(t, e.report(t), r.dir, want)
	if diffs := srv.CountRequests("/2.0/repositories/acme/app/diff/"); diffs != 0 {
		t.Errorf("warm run: got %d diff requests, want 0", diffs)
	}
	if total := len(srv.Requests()); total != 2 {
		t.Errorf("warm run: got %d requests, want 2 (lookup and one list page)", total)
	}

	srv.ResetRequests()
	entries := countFiles(t, e.cacheDir)
	if code := e.run(t, "-o", "json", "--no-cache"); code != 0 {
		t.Fatalf("--no-cache run: got exit %d", code)
	}
	if diffs := srv.CountRequests("/2.0/repositories/acme/app/diff/"); diffs != len(want) {
		t.Errorf("--no-cache run: got %d diff requests, want %d", diffs, len(want))
	}
	if got := countFiles(t, e.cacheDir); got != entries {
		t.Errorf("--no-cache run: cache went from %d to %d files, want unchanged", entries, got)
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestBitbucketOneRepositoryFails(t *testing.T) {
	r, want := history(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n      main_branch: main\n    - name: acme/missing\n", srv, auth)
	code := e.run(t, "-o", "json")
	if code != cmdutil.ExitPartial {
		t.Fatalf("got exit %d, want %d; stderr: %s", code, cmdutil.ExitPartial, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Repos) != 2 {
		t.Fatalf("got %d repos, want 2", len(rep.Repos))
	}
	if rep.Repos[0].Error != nil || rep.Repos[0].Commits != len(want) {
		t.Errorf("acme/app: got %+v, want %d commits and no error", rep.Repos[0], len(want))
	}
	if er := rep.Repos[1].Error; er == nil || er.Status != 404 || er.Message == "" || er.Hint == "" {
		t.Errorf("acme/missing: got error %+v, want status 404 with a message and a hint", er)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app") - srv.CountRequests("/2.0/repositories/acme/app/"); n != 0 {
		t.Errorf("stored main branch: got %d repository lookups, want 0", n)
	}

	if code := e.run(t); code != cmdutil.ExitPartial {
		t.Fatalf("table: got exit %d, want %d", code, cmdutil.ExitPartial)
	}
	if !strings.Contains(e.out.String(), "failed: HTTP 404") {
		t.Errorf("table: no failed row in\n%s", e.out.String())
	}
}

func TestBitbucketAuthFailure(t *testing.T) {
	r, _ := history(t)
	srv, _ := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n    - name: acme/other\n", srv,
		bitbucket.BasicAuth("ada@example.com", "wrong-token"))
	if code := e.run(t, "-o", "json"); code != cmdutil.ExitAuth {
		t.Fatalf("got exit %d, want %d", code, cmdutil.ExitAuth)
	}
	rep := e.report(t)
	for _, rr := range rep.Repos {
		if rr.Error == nil || rr.Error.Status != 401 {
			t.Errorf("%s: got error %+v, want status 401", rr.Repo, rr.Error)
		}
	}
	if strings.Contains(e.out.String()+e.err.String(), "wrong-token") {
		t.Errorf("the secret appears in the output")
	}

	noCred := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n", nil, nil)
	if code := noCred.run(t); code != cmdutil.ExitAuth {
		t.Errorf("no credential: got exit %d, want %d", code, cmdutil.ExitAuth)
	}
}

func TestBitbucketUnregisteredRepo(t *testing.T) {
	r, want := history(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "", srv, auth)
	if code := e.run(t, "--repo", "acme/app", "-o", "json", "--lookback-days", "30"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	checkCounts(t, e.report(t), r.dir, want)
}

func TestBitbucketDiffTooLarge(t *testing.T) {
	r, want := history(t)
	// Diffs above 150 bytes answer 555; diffstat still answers.
	srv, auth := fake(t, r, bitbuckettest.Options{MaxDiffBytes: 150})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n", srv, auth)
	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	checkCounts(t, rep, r.dir, want)
	if rep.Repos[0].DiffstatFallbacks == 0 || len(rep.Notes) == 0 {
		t.Fatalf("got %d fallbacks and notes %v, want some", rep.Repos[0].DiffstatFallbacks, rep.Notes)
	}
	if !strings.Contains(e.err.String(), fmt.Sprintf("counts for %d %s came from Bitbucket's diffstat", rep.Repos[0].DiffstatFallbacks, render.Plural(rep.Repos[0].DiffstatFallbacks, "commit", "commits"))) {
		t.Errorf("stderr: got %q, want the diffstat note", e.err.String())
	}
	// Fallbacks are not cached: the rerun asks for those diffs again.
	srv.ResetRequests()
	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("rerun: got exit %d", code)
	}
	if got := srv.CountRequests("/2.0/repositories/acme/app/diff/"); got != rep.Repos[0].DiffstatFallbacks {
		t.Errorf("rerun: got %d diff requests, want %d (only the fallbacks)", got, rep.Repos[0].DiffstatFallbacks)
	}
}

const goPanic = `panic: runtime error: index out of range [7] with length 3

goroutine 1 [running]:
example.com/app/app.seven(...)
	/build/src/app/main.go:7 +0x1d
main.main()
	/build/src/app/main.go:25 +0x19
exit status 2
`

func TestSignals(t *testing.T) {
	r, want := history(t)
	sig := filepath.Join(t.TempDir(), "panic.txt")
	if err := os.WriteFile(sig, []byte(goPanic), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", r.dir, "--signal", sig, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Signals) != 1 {
		t.Fatalf("got %d signals, want 1", len(rep.Signals))
	}
	s := rep.Signals[0]
	if s.Source != sig || !strings.Contains(s.Title, "index out of range") {
		t.Errorf("got source %q title %q, want %q and the panic message", s.Source, s.Title, sig)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != "app/main.go" || s.Frames[0].Line != 7 {
		t.Errorf("got frames %+v, want the first mapped to app/main.go:7", s.Frames)
	}
	if s.Abstained || len(s.Suspects) == 0 {
		t.Fatalf("got abstained=%t (%s) with %d suspects, want a suspect", s.Abstained, s.Reason, len(s.Suspects))
	}
	top := s.Suspects[0]
	if top.Rank != 1 || top.Hash != want[2] || top.Summary != "edit main" || len(top.Evidence) == 0 {
		t.Errorf("got top suspect %+v, want rank 1 %s (edit main) with evidence", top, want[2])
	}

	// The same signal from standard input, as a table and as Markdown.
	e.in.WriteString(goPanic)
	if code := e.run(t, "--local", r.dir, "--signal", "-"); code != 0 {
		t.Fatalf("stdin: got exit %d; stderr %s", code, e.err.String())
	}
	for _, w := range []string{"index out of range", "#1 ", want[2][:7], "edit main", "[stdin]"} {
		if !strings.Contains(e.out.String(), w) {
			t.Errorf("table: missing %q in\n%s", w, e.out.String())
		}
	}
	if code := e.run(t, "--local", r.dir, "--signal", sig, "-o", "markdown"); code != 0 {
		t.Fatalf("markdown: got exit %d", code)
	}
	for _, w := range []string{"### ", "1. `" + want[2][:7] + "`", "   - ", "source `" + sig + "` · go"} {
		if !strings.Contains(e.out.String(), w) {
			t.Errorf("markdown: missing %q in\n%s", w, e.out.String())
		}
	}
}

func TestSignalErrors(t *testing.T) {
	r, _ := history(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("nothing that looks like a trace\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, []byte(" \n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file string
		want int
		says string
	}{
		{"missing file", filepath.Join(t.TempDir(), "nope.txt"), cmdutil.ExitFailure, "nope.txt"},
		{"not a signal", bad, cmdutil.ExitUsage, "no stack trace"},
		{"empty", empty, cmdutil.ExitUsage, "it is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "", nil, nil)
			err := e.runCtx(context.Background(), "--local", r.dir, "--signal", tt.file)
			if code := exitCode(err); code != tt.want || err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got exit %d, error %v; want exit %d saying %q", code, err, tt.want, tt.says)
			}
		})
	}
}

func TestWriteJSONMatchesEncoder(t *testing.T) {
	ts := now
	reports := []*Report{
		{Repos: []RepoReport{}, Commits: []CommitReport{}, Signals: []SignalReport{}, Notes: []string{}},
		{
			Window: WindowReport{Since: now.AddDate(0, 0, -30), Until: now, LookbackDays: 30},
			Repos:  []RepoReport{{Repo: "acme/a", Source: "bitbucket", Ref: "main", Error: &RepoError{Status: 404, Message: "<not> & found"}}},
			Commits: []CommitReport{
				{Repo: "acme/a", Hash: "abc", Parents: []string{"p"}, Files: []FileReport{{Path: "a <b>.go", Status: "added", LinesAdded: 1}}},
				{Repo: "acme/a", Hash: "def", Parents: []string{}, Files: []FileReport{}},
			},
			Signals: []SignalReport{{Source: "x", Timestamp: &ts, Frames: []FrameReport{{File: "f"}}, Suspects: []SuspectReport{{Rank: 1, Evidence: []EvidenceReport{{Kind: "line"}}}}}},
			Notes:   []string{"n"},
		},
	}
	for i, rep := range reports {
		var got, want bytes.Buffer
		if err := writeJSON(&got, rep); err != nil {
			t.Fatal(err)
		}
		if err := render.WriteJSON(&want, rep); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("report %d: got\n%s\nwant\n%s", i, got.String(), want.String())
		}
	}
}

// TestCancel cancels a run while diffs are being fetched: it stops with
// context.Canceled, and every cache entry left behind is whole.
func TestCancel(t *testing.T) {
	r, _ := history(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	srv, auth := fake(t, r, bitbuckettest.Options{
		Latency: 50 * time.Millisecond,
		Logf: func(format string, args ...any) {
			if strings.Contains(fmt.Sprintf(format, args...), "/diff/") {
				once.Do(cancel)
			}
		},
	})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n", srv, auth)
	err := e.runCtx(ctx, "-o", "json")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if e.out.Len() != 0 {
		t.Errorf("got stdout %q, want nothing after a cancel", e.out.String())
	}
	_ = filepath.WalkDir(e.cacheDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
			return nil
		}
		if err := source.CheckEntry(p); err != nil {
			t.Errorf("cache entry %s: %v", p, err)
		}
		return nil
	})
	// A rerun after the cancel reads whatever was cached without damage.
	srv.ResetRequests()
	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("rerun: got exit %d; stderr %s", code, e.err.String())
	}
}

// A Sentry project without stack trace rules marks no frame in-app, and
// Valgrind gives base names: the frames whose files are the repository's
// stand in, and a base name two folders share is still resolved to the file
// defining the frame's function (tuning case profanity-im/profanity@07900e961748
// with every frame marked not in-app took the other omemo.c).
func TestSignalNotInAppSharedBaseName(t *testing.T) {
	for _, inApp := range []bool{true, false} {
		t.Run(fmt.Sprintf("in_app=%t", inApp), func(t *testing.T) {
			r := newRepo(t)
			now := time.Now().UTC()
			body := func(name, stmt string) string {
				return "#include <stdio.h>\n\nint " + name + "(int n)\n{\n" + numbered("\t/* step", 6) + "\t" + stmt + "\n" + numbered("\t/* more", 6) + "\treturn n;\n}\n"
			}
			r.commit(now.Add(-20*24*time.Hour), "add both", map[string]string{
				"src/omemo/omemo.c": body("omemo_identity_key", "n += 1;"),
				"src/xmpp/omemo.c":  body("omemo_bundle_publish", "n += 2;"),
			})
			culprit := r.commit(now.Add(-10*24*time.Hour), "serialize the key", map[string]string{
				"src/omemo/omemo.c": body("omemo_identity_key", "n = serialize(n);"),
			})
			r.commit(now.Add(-2*24*time.Hour), "publish changes", map[string]string{
				"src/xmpp/omemo.c": body("omemo_bundle_publish", "n = publish(n);"),
			})
			event := fmt.Sprintf(`{"event_id":"0123456789abcdef0123456789abcdef","platform":"native","timestamp":%q,
"exception":{"values":[{"type":"Invalid read","value":"Invalid read of size 16","stacktrace":{"frames":[
{"function":"main","filename":"main.c","lineno":3,"in_app":%t},
{"function":"omemo_identity_key","filename":"omemo.c","lineno":11,"in_app":%t}]}}]}}`,
				now.Add(-time.Hour).Format(time.RFC3339), inApp, inApp)
			s := localSignal(t, r.dir, "event.json", event)
			if f := s.Frames[0]; f.Path != "src/omemo/omemo.c" {
				t.Errorf("got the crashing frame mapped to %q, want src/omemo/omemo.c (it defines omemo_identity_key)", f.Path)
			}
			if len(s.Suspects) == 0 || s.Suspects[0].Hash != culprit {
				t.Errorf("got suspects %+v, want %s first", s.Suspects, culprit)
			}
		})
	}
}

// A program installed on the system logs a backtrace of function names in
// modules under /usr (FRRouting's bgpd, from a distribution package): no
// frame is in-app by its path, so the frames whose functions a repository
// file defines stand in, and the commit that changed the crashing function
// is named, not "no in-app frames".
func TestSignalInstalledProgramBacktrace(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	body := func(stmt string) string {
		return "#include <stdlib.h>\n\nvoid bgp_evpn_path_info_free(int *p)\n{\n" + numbered("\t/* step", 6) + "\t" + stmt + "\n}\n\n" +
			"void bgp_path_info_free(int *p)\n{\n\tbgp_evpn_path_info_free(p);\n}\n"
	}
	r.commit(now.Add(-200*24*time.Hour), "add bgpd", map[string]string{
		"bgpd/bgp_route.c": body("free(p);"),
		"bgpd/bgp_main.c":  "int main(void)\n{\n\treturn 0;\n}\n",
	})
	culprit := r.commit(now.Add(-10*24*time.Hour), "bgpd: free the evpn extra", map[string]string{
		"bgpd/bgp_route.c": body("free(p + 1);"),
	})
	r.commit(now.Add(-2*24*time.Hour), "bgpd: main", map[string]string{
		"bgpd/bgp_main.c": "int main(void)\n{\n\treturn 1;\n}\n",
	})
	for name, text := range map[string]string{
		"backtrace_symbols": `BGP: Received signal 11 at 1705314093 (si_addr 0x0, PC 0x55d4b3a2c1f4); aborting...
BGP: Backtrace for 5 stack frames:
BGP: [bt 0] /usr/lib/frr/libfrr.so.0(zlog_backtrace_sigsafe+0x67) [0x7f2d5b4d5f5c]
BGP: [bt 1] /usr/lib/frr/libfrr.so.0(zlog_signal+0x113) [0x7f2d5b4d6a13]
BGP: [bt 2] /lib/x86_64-linux-gnu/libpthread.so.0(+0x12730) [0x7f2d5b1c8730]
BGP: [bt 3] /usr/lib/frr/bgpd(bgp_evpn_path_info_free+0x24) [0x55d4b3a2c1f4]
BGP: [bt 4] /usr/lib/frr/bgpd(bgp_path_info_free+0x1a) [0x55d4b3a2c2a0]
BGP: [bt 5] /usr/lib/frr/bgpd(main+0x38c) [0x55d4b39a1b4c]
`,
		"libunwind": `BGP: [HSYZM-HV7HF] Received signal 11 at 1705314093 (si_addr 0x0, PC 0x55d4b3a2c1f4); aborting...
BGP: [HSYZM-HV7HF] zlog_signal+0x18c                  7f2d5b4d5f5c     7ffc6a3b8e10 /usr/lib/frr/libfrr.so.0 (mapped at 0x7f2d5b41d000)
BGP: [HSYZM-HV7HF]     ---- signal ----
BGP: [HSYZM-HV7HF] ?                                  7f2d5b1c8520     7ffc6a3b9500 /lib/x86_64-linux-gnu/libc.so.6 (mapped at 0x7f2d5b186000)
BGP: [HSYZM-HV7HF] bgp_evpn_path_info_free+0x24      55d4b3a2c1f4     7ffc6a3b9ad0 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)
BGP: [HSYZM-HV7HF] bgp_path_info_free+0x1a           55d4b3a2c2a0     7ffc6a3b9af0 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)
BGP: [HSYZM-HV7HF] main+0x38c                         55d4b39a1b4c     7ffc6a3b9d10 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)
`,
	} {
		t.Run(name, func(t *testing.T) {
			s := localSignal(t, r.dir, "bgpd.log", text)
			wantFirst(t, s, culprit)
			if !strings.Contains(strings.Join(s.Notes, "\n"), "installed on the system") {
				t.Errorf("got notes %q, want one saying frames of an installed program were taken as in-app", s.Notes)
			}
		})
	}
}

// TestBitbucketBranchWithASlash analyzes --ref release/1.2: Bitbucket does
// not decode %2F in /commits/{revision} (the double answers 404 as it
// does), so the branch is listed with include=, and the window holds the
// branch's commits, not main's.
func TestBitbucketBranchWithASlash(t *testing.T) {
	r, want := history(t)
	r.git(time.Time{}, "checkout", "-q", "-b", "release/1.2")
	onBranch := r.commit(now.AddDate(0, 0, -1), "branch fix", map[string]string{"app/main.go": numbered("main", 31)})
	r.git(time.Time{}, "checkout", "-q", "main")
	srv, auth := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n      main_branch: main\n", srv, auth)
	if code := e.run(t, "-o", "json", "--ref", "release/1.2"); code != 0 {
		t.Fatalf("got exit %d; stderr: %s", code, e.err.String())
	}
	checkCounts(t, e.report(t), r.dir, append([]string{onBranch}, want...))
	if n := srv.CountRequests("/2.0/repositories/acme/app/commits"); n != 1 {
		t.Errorf("got %d listing requests, want 1", n)
	}
}

// TestBitbucketRateLimitWhileRanking: the window's commits are read, then
// Bitbucket's limit is hit while ranking reads the tree and the frames'
// files. The suspects that could be ranked are printed, a note says what
// ranking went without and why, and the run exits 3, not 0.
func TestBitbucketRateLimitWhileRanking(t *testing.T) {
	r, _ := history(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	srv.FailNext("/src/", 429, bitbuckettest.Forever)
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n      main_branch: main\n", srv, auth)
	e.f.Bitbucket = func() (*bitbucket.Client, error) {
		return bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: auth,
			Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	}
	sig := filepath.Join(t.TempDir(), "panic.txt")
	trace := "panic: boom\n\ngoroutine 1 [running]:\nmain.run()\n\t/src/app/app/main.go:7 +0x1d\nmain.main()\n\t/src/app/app/main.go:3 +0x10\n"
	if err := os.WriteFile(sig, []byte(trace), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := e.run(t, "--signal", sig, "-o", "json"); code != cmdutil.ExitPartial {
		t.Fatalf("got exit %d, want %d; stderr: %s", code, cmdutil.ExitPartial, e.err.String())
	}
	rep := e.report(t)
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, "ranking had less to go on") || !strings.Contains(notes, "hourly request limit") {
		t.Errorf("notes %q: want one saying ranking went without files because of the rate limit", notes)
	}
	if len(rep.Signals) != 1 || len(rep.Signals[0].Suspects) == 0 {
		t.Fatalf("got signals %+v, want the suspects ranked from the touched files", rep.Signals)
	}
	if !strings.Contains(e.err.String(), "note: acme/app: ranking had less to go on") {
		t.Errorf("stderr %q: want the note", e.err.String())
	}
}

// TestOldSignalSaysToUseAt: a signal from before the window has no
// candidates (only commits that had landed by then can be suspects); a
// note says to analyze it with --at its time, and doing so ranks it.
func TestOldSignalSaysToUseAt(t *testing.T) {
	r, _ := history(t)
	when := now.AddDate(0, 0, -45).Format(time.RFC3339)
	event := `{"timestamp":"` + when + `","platform":"go","exception":{"values":[{"type":"panic","value":"boom","stacktrace":{"frames":[` +
		`{"filename":"app/main.go","abs_path":"/src/app/main.go","function":"main.main","lineno":7,"in_app":true}]}}]}}`
	sig := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(sig, []byte(event), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", r.dir, "--signal", sig, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	if notes := strings.Join(rep.Notes, "\n"); !strings.Contains(notes, "before the window began") || !strings.Contains(notes, "--at "+when) {
		t.Errorf("notes %q: want one saying to use --at %s", notes, when)
	}
	if code := e.run(t, "--local", r.dir, "--signal", sig, "--at", when, "--lookback-days", "30", "-o", "json"); code != 0 {
		t.Fatalf("with --at: got exit %d; stderr %s", code, e.err.String())
	}
	if rep := e.report(t); len(rep.Signals) != 1 || len(rep.Signals[0].Suspects) == 0 || strings.Contains(strings.Join(rep.Notes, "\n"), "before the window") {
		t.Errorf("with --at: got %+v, notes %q; want suspects and no such note", rep.Signals, rep.Notes)
	}
}

// TestSuspectShowsWhenItLanded: a patch written before the window began
// and applied inside it shows both days in the table and in Markdown, so
// the date that falls outside the window heading is explained.
func TestSuspectShowsWhenItLanded(t *testing.T) {
	r := newRepo(t)
	r.commit(now.AddDate(0, 0, -90), "root", map[string]string{"app/main.go": numbered("main", 30)})
	if err := os.WriteFile(filepath.Join(r.dir, "app/main.go"), []byte(strings.Replace(numbered("main", 30), "main 7\n", "seven\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	written, landed := now.AddDate(0, 0, -40), now.AddDate(0, 0, -2)
	testenv.GitDates(t, r.dir, written, landed, "commit", "-q", "-am", "old patch, applied late")
	sig := filepath.Join(t.TempDir(), "panic.txt")
	trace := "panic: boom\n\ngoroutine 1 [running]:\nmain.run()\n\t/src/app/app/main.go:7 +0x1d\n"
	if err := os.WriteFile(sig, []byte(trace), 0o600); err != nil {
		t.Fatal(err)
	}
	want := written.UTC().Format("2006-01-02") + ", landed " + landed.UTC().Format("2006-01-02")
	for _, format := range []string{"table", "markdown"} {
		e := newEnv(t, "", nil, nil)
		if code := e.run(t, "--local", r.dir, "--signal", sig, "-o", format); code != 0 {
			t.Fatalf("%s: got exit %d; stderr %s", format, code, e.err.String())
		}
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("%s: want %q in\n%s", format, want, e.out.String())
		}
	}
}

// TestBitbucketCacheNotWritable: when nothing can be cached (the cache
// folder's place is taken by a file, as a full or read-only disk would
// fail), the run is whole and exits 0, and a note says a rerun will fetch
// everything again.
func TestBitbucketCacheNotWritable(t *testing.T) {
	r, want := history(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n      main_branch: main\n", srv, auth)
	if err := os.WriteFile(e.cacheDir, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	checkCounts(t, rep, r.dir, want)
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, fmt.Sprintf("acme/app: %d diffs and files fetched from Bitbucket could not be cached", len(want))) || !strings.Contains(notes, "a rerun fetches them again") {
		t.Errorf("notes %q: want one saying the diffs could not be cached", notes)
	}
}

// TestBitbucketOneDiffKeepsFailing: one commit's diff keeps answering 500
// (the others are fine): that commit is counted from its diffstat and
// says why, the repository is not lost, and a note tells.
func TestBitbucketOneDiffKeepsFailing(t *testing.T) {
	r, want := history(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	srv.FailNext("/diff/"+want[1], 500, bitbuckettest.Forever)
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n      main_branch: main\n", srv, auth)
	e.f.Bitbucket = func() (*bitbucket.Client, error) {
		return bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: auth,
			Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	}
	if code := e.run(t, "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	checkCounts(t, rep, r.dir, want)
	if f := rep.Commits[1].Fallback; !strings.HasPrefix(f, "diffstat: the diff could not be read (HTTP 500") {
		t.Errorf("commit %s: got fallback %q, want the diffstat after HTTP 500", want[1][:7], f)
	}
	if notes := strings.Join(rep.Notes, "\n"); !strings.Contains(notes, "the diffs of 1 commit could not be read") {
		t.Errorf("notes %q: want one about the diff that could not be read", notes)
	}
}
