package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

func TestParseSince(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"365d", 365 * 24 * time.Hour, true},
		{"0d", 0, true},
		{"36h", 36 * time.Hour, true},
		{"xd", 0, false},
		{"-1d", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSince(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSince(%q): got %v, %v, want %v, ok=%t", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestRunSmallRepo checks a two-commit repository with a merge: every
// commit must compare equal.
func TestRunSmallRepo(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Unavailable(t, "git is required for this test: %v", err)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "HOME="+t.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	sh := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sh("init", "-q", "-b", "main")
	write("a.txt", "one\ntwo\n")
	sh("add", "-A")
	sh("commit", "-q", "-m", "root")
	sh("checkout", "-q", "-b", "side")
	write("b.bin", "\x00bin\n")
	sh("add", "-A")
	sh("commit", "-q", "-m", "side")
	sh("checkout", "-q", "main")
	sh("mv", "a.txt", "c.txt")
	sh("commit", "-q", "-m", "rename")
	sh("merge", "-q", "--no-ff", "-m", "merge", "side")

	var out bytes.Buffer
	differ, err := run(context.Background(), options{repo: dir, ref: "HEAD", since: 24 * time.Hour, show: 5, binary: true, workers: 2}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if differ != 0 || !strings.Contains(out.String(), "checked 4 commits, 4 equal, 0 differ") {
		t.Errorf("got %d differing, output:\n%s\nwant 4 commits checked, all equal", differ, out.String())
	}
}
