package analyze_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cli/analyze"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
)

// realRepos are the public repositories checked, by folder name under
// $SIGSENTRY_REAL_REPOS (each holding a bare clone in repo/).
var realRepos = []string{"prometheus+prometheus", "python+mypy", "cilium+tetragon"}

// TestRealRepos compares analyze's per-commit counts over the last year of
// real repositories with `git diff --numstat -M <first-parent> <sha>`, through
// both --local and the Bitbucket path (bitbuckettest serving the same git
// directory). Opt-in: SIGSENTRY_REAL_REPOS=/work/.mirror.
func TestRealRepos(t *testing.T) {
	root := os.Getenv("SIGSENTRY_REAL_REPOS")
	if root == "" {
		t.Skip("set SIGSENTRY_REAL_REPOS to a folder of bare clones (e.g. /work/.mirror) to run")
	}
	requireGit(t)
	for _, name := range realRepos {
		dir := filepath.Join(root, name, "repo")
		if _, err := os.Stat(dir); err != nil {
			t.Logf("%s: not present, skipped", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			// The window is the year before the repository's newest commit,
			// so the check does not depend on when it runs.
			last := git(t, dir, time.Time{}, "log", "-1", "--format=%aI", "HEAD")
			at, err := time.Parse(time.RFC3339, last)
			if err != nil {
				t.Fatal(err)
			}
			at = at.Add(time.Minute)
			r := newRunner(t)
			local := r.report(t, "--local", dir, "--at", at.Format(time.RFC3339), "--lookback-days", "365")

			srv := bitbuckettest.NewServer(bitbuckettest.Options{})
			defer srv.Close()
			if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "real", GitDir: dir}); err != nil {
				t.Fatal(err)
			}
			r.useFake(srv)
			bb := r.report(t, "--repo", "acme/real", "--at", at.Format(time.RFC3339), "--lookback-days", "365", "--no-cache")

			if len(local.Commits) != len(bb.Commits) {
				t.Errorf("local lists %d commits, Bitbucket %d", len(local.Commits), len(bb.Commits))
			}
			for i := range local.Commits {
				if i < len(bb.Commits) && local.Commits[i].Hash != bb.Commits[i].Hash {
					t.Errorf("commit %d: local %s, Bitbucket %s", i, local.Commits[i].Hash, bb.Commits[i].Hash)
					break
				}
			}
			lc, le := compareWithGit(t, dir, local.Commits)
			bc, be := compareWithGit(t, dir, bb.Commits)
			t.Logf("%s, year to %s: --local checked %d commits, %d equal to git; Bitbucket path checked %d, %d equal (diffstat fallbacks: %d)",
				name, at.Format("2006-01-02"), lc, le, bc, be, bb.Repos[0].DiffstatFallbacks)
			if lc == 0 || le != lc || be != bc {
				t.Errorf("%s: local %d/%d and Bitbucket %d/%d commits equal to git, want all", name, le, lc, be, bc)
			}
		})
	}
}

// compareWithGit checks every commit's files against git and returns how
// many commits were checked and how many were equal.
func compareWithGit(t *testing.T, dir string, commits []analyze.CommitReport) (checked, equal int) {
	t.Helper()
	var (
		wg      sync.WaitGroup
		eq      atomic.Int64
		mu      sync.Mutex
		shown   int
		jobs    = make(chan analyze.CommitReport)
		workers = 4
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				want, err := gitEntries(dir, c)
				if err != nil {
					mu.Lock()
					t.Errorf("%s: %v", c.Hash, err)
					mu.Unlock()
					continue
				}
				got := make([]diffstat.File, len(c.Files))
				for i, f := range c.Files {
					got[i] = diffstat.File{Path: f.Path, OldPath: f.OldPath, Status: diffstat.Status(f.Status),
						Binary: f.Binary, LinesAdded: f.LinesAdded, LinesRemoved: f.LinesRemoved}
				}
				d := gitnumstat.Diff(got, want)
				if len(d) == 0 {
					eq.Add(1)
					continue
				}
				mu.Lock()
				if shown < 5 {
					shown++
					t.Errorf("commit %s (%s) differs from git:\n%s", c.Hash, c.Summary, strings.Join(d, "\n"))
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range commits {
		jobs <- c
	}
	close(jobs)
	wg.Wait()
	return len(commits), int(eq.Load())
}

// gitEntries is git's numstat and name-status of c against its first parent.
func gitEntries(dir string, c analyze.CommitReport) ([]gitnumstat.Entry, error) {
	base := "4b825dc642cb6eb9a060e54bf8d69288fbee4904" // the empty tree
	if len(c.Parents) > 0 {
		base = c.Parents[0]
	}
	run := func(kind string) ([]byte, error) {
		return exec.Command("git", "-C", dir, "-c", "core.quotePath=true", "diff", kind, "-z", "-M", base, c.Hash).Output()
	}
	ns, err := run("--numstat")
	if err != nil {
		return nil, err
	}
	st, err := run("--name-status")
	if err != nil {
		return nil, err
	}
	return gitnumstat.Parse(ns, st)
}
