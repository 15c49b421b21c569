package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// Git runs git in the repository and returns its trimmed output; a failure
// fails the test.
func (r *GitRepo) Git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	date := r.When.Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
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
