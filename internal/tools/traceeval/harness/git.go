// Package harness builds the real-trace case set from git histories and
// measures sigsentry's suspect ranking on it through the analyze command.
package harness

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Git runs git in one repository (a work tree or a bare repository).
type Git struct {
	Dir string
}

// Run returns git's standard output.
func (g Git) Run(ctx context.Context, args ...string) (string, error) {
	full := append([]string{"-C", g.Dir, "-c", "core.quotepath=off"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return "", fmt.Errorf("running git %s in %s: %s: %w", strings.Join(args, " "), g.Dir, msg, err)
	}
	return out.String(), nil
}

// Ok runs git and tells whether it exited 0 (for --is-ancestor and --verify).
func (g Git) Ok(ctx context.Context, args ...string) bool {
	full := append([]string{"-C", g.Dir}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	return cmd.Run() == nil
}

// Commit is what the harness needs of one commit.
type Commit struct {
	Hash       string
	AuthorTime time.Time
	CommitTime time.Time
	Message    string
}

// Show reads one commit.
func (g Git) Show(ctx context.Context, rev string) (Commit, error) {
	out, err := g.Run(ctx, "show", "-s", "--format=%H%x1f%at%x1f%ct%x1f%B", rev+"^{commit}", "--")
	if err != nil {
		return Commit{}, err
	}
	cs := parseLog(out)
	if len(cs) != 1 {
		return Commit{}, fmt.Errorf("reading commit %s: unexpected output", rev)
	}
	return cs[0], nil
}

// parseLog reads records written with --format=%H%x1f%at%x1f%ct%x1f%B,
// optionally preceded by %x1e.
func parseLog(out string) []Commit {
	var cs []Commit
	for _, rec := range strings.Split(out, "\x1e") {
		rec = strings.TrimLeft(rec, "\n")
		if rec == "" {
			continue
		}
		parts := strings.SplitN(rec, "\x1f", 4)
		if len(parts) < 4 {
			continue
		}
		at, err1 := strconv.ParseInt(parts[1], 10, 64)
		ct, err2 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		cs = append(cs, Commit{
			Hash: parts[0], AuthorTime: time.Unix(at, 0).UTC(), CommitTime: time.Unix(ct, 0).UTC(),
			Message: strings.TrimRight(parts[3], "\n"),
		})
	}
	return cs
}

// Files lists the files of a tree (git ls-tree -r).
func (g Git) Files(ctx context.Context, rev string) ([]string, error) {
	out, err := g.Run(ctx, "ls-tree", "-r", "-z", "--name-only", rev)
	if err != nil {
		return nil, err
	}
	var fs []string
	for _, f := range strings.Split(out, "\x00") {
		if f != "" {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

// FindClone finds the clone of owner/name under root: root/owner+name/repo
// (the layout of fetched snapshots), root/owner/name, or root/name (a plain
// "git clone" into root). It returns the path git should use.
func FindClone(root, repo string) (string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok {
		return "", fmt.Errorf("finding the clone of %q: want owner/name", repo)
	}
	for _, p := range []string{
		filepath.Join(root, owner+"+"+name, "repo"),
		filepath.Join(root, owner+"+"+name),
		filepath.Join(root, owner, name),
		filepath.Join(root, name),
	} {
		for _, q := range []string{p, filepath.Join(p, ".git")} {
			if st, err := os.Stat(filepath.Join(q, "HEAD")); err == nil && !st.IsDir() {
				if filepath.Base(q) == ".git" {
					return filepath.Dir(q), nil
				}
				return q, nil
			}
		}
	}
	return "", fmt.Errorf("finding the clone of %s under %s: none of %s+%s/repo, %s/%s or %s is a git repository (clone it with: git clone https://github.com/%s)",
		repo, root, owner, name, owner, name, name, repo)
}
