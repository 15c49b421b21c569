package testenv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/gitrun"
)

// GitRepo is a scratch git repository for tests, built with the real git
// and isolated from the user's and system's git configuration. Commits are
// dated When, which each Commit then moves on by Step.
type GitRepo struct {
	t    testing.TB
	Dir  string
	When time.Time
	Step time.Duration
}

// NewGitRepo initialises a repository on branch main in a temporary folder,
// or skips/fails t when git is missing (see Unavailable).
func NewGitRepo(t testing.TB, start time.Time, step time.Duration) *GitRepo {
	t.Helper()
	LookPath(t, "git")
	r := &GitRepo{t: t, Dir: t.TempDir(), When: start, Step: step}
	r.Git("init", "-q", "-b", "main")
	return r
}

// Git runs git in the repository at When and returns its trimmed output; a
// failure fails the test.
func (r *GitRepo) Git(args ...string) string {
	r.t.Helper()
	return Git(r.t, r.Dir, r.When, args...)
}

// Git runs git in dir, isolated from the user's and system's configuration,
// as "Ada Lovelace <ada@example.com>", with author and committer dates set
// to date unless it is zero. It returns the trimmed standard output; a
// failure fails tb with git's standard error.
func Git(tb testing.TB, dir string, date time.Time, args ...string) string {
	tb.Helper()
	return GitDates(tb, dir, date, date, args...)
}

// GitDates is Git with separate author and committer dates (each unset
// when zero), for histories of patches written long before they landed.
func GitDates(tb testing.TB, dir string, author, committer time.Time, args ...string) string {
	tb.Helper()
	r := gitrun.Runner{Dir: dir, Env: []string{"GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_CONFIG_NOSYSTEM=1"}}
	if !author.IsZero() {
		r.Env = append(r.Env, "GIT_AUTHOR_DATE="+author.Format(time.RFC3339))
	}
	if !committer.IsZero() {
		r.Env = append(r.Env, "GIT_COMMITTER_DATE="+committer.Format(time.RFC3339))
	}
	out, err := r.Output(context.Background(), append([]string{"-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com",
		"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	if err != nil {
		tb.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// WriteFile writes a file of the work tree, creating its folders.
func (r *GitRepo) WriteFile(path, content string) {
	r.t.Helper()
	full := filepath.Join(r.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Commit stages everything, commits with msg at When, moves When on by
// Step, and returns the new commit's hash.
func (r *GitRepo) Commit(msg string) string {
	r.t.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "-m", msg)
	r.When = r.When.Add(r.Step)
	return r.Git("rev-parse", "HEAD")
}
