package sample

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/gitrun"
)

// Built describes a sample repository on disk.
type Built struct {
	Dir string
	// Hashes are the commit hashes, oldest first, parallel to History().
	Hashes []string
	// Culprit is the hash of the commit that planted the bug.
	Culprit string
}

// Build writes the sample history as a real git repository in dir (which
// must be empty or absent), dating commits relative to now. It needs git on
// PATH and ignores the user's git configuration.
func Build(ctx context.Context, dir string, now time.Time) (*Built, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("the demo needs git on PATH to build its sample repository: install git and try again")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	g := &gitRunner{dir: dir}
	if err := g.run(ctx, nil, "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	out := &Built{Dir: dir}
	for _, c := range History() {
		for _, rn := range c.Renames {
			if err := g.run(ctx, nil, "mv", rn[0], rn[1]); err != nil {
				return nil, err
			}
		}
		paths := make([]string, 0, len(c.Files))
		for p := range c.Files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(full, []byte(c.Files[p]), 0o644); err != nil {
				return nil, err
			}
		}
		if err := g.run(ctx, nil, "add", "-A"); err != nil {
			return nil, err
		}
		when := now.Add(-time.Duration(c.DaysAgo * float64(24*time.Hour))).UTC().Format(time.RFC3339)
		env := []string{
			"GIT_AUTHOR_NAME=" + c.Author.Name, "GIT_AUTHOR_EMAIL=" + c.Author.Email, "GIT_AUTHOR_DATE=" + when,
			"GIT_COMMITTER_NAME=" + c.Author.Name, "GIT_COMMITTER_EMAIL=" + c.Author.Email, "GIT_COMMITTER_DATE=" + when,
		}
		if err := g.run(ctx, env, "commit", "-q", "--no-verify", "-m", c.Message); err != nil {
			return nil, err
		}
		h, err := g.output(ctx, "rev-parse", "HEAD")
		if err != nil {
			return nil, err
		}
		out.Hashes = append(out.Hashes, h)
		if c.Culprit {
			out.Culprit = h
		}
	}
	return out, nil
}

// gitRunner runs git in the sample repository through gitrun, ignoring the
// user's git configuration.
type gitRunner struct{ dir string }

func (g *gitRunner) runner(env []string) *gitrun.Runner {
	return &gitrun.Runner{Dir: g.dir, Env: append([]string{"GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_CONFIG_NOSYSTEM=1"}, env...)}
}

var sampleConfig = []string{"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}

func (g *gitRunner) run(ctx context.Context, env []string, args ...string) error {
	_, err := g.runner(env).Output(ctx, append(sampleConfig, args...)...)
	return err
}

func (g *gitRunner) output(ctx context.Context, args ...string) (string, error) {
	out, err := g.runner(nil).Output(ctx, append(sampleConfig, args...)...)
	return strings.TrimSpace(string(out)), err
}
