package eval

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// TestRunOnTinyHistory runs the whole evaluation on a history built with
// real git: A adds a file, B plants a bug, C touches the file elsewhere,
// D fixes B's line with a Fixes: trailer, E reverts C.
func TestRunOnTinyHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Unavailable(t, "%s", "git is required for this test")
	}
	dir := t.TempDir()
	when := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		d := when.Format(time.RFC3339)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+d, "GIT_COMMITTER_DATE="+d,
			"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = fmt.Sprintf("int v%d = %d;", i, i)
	}
	step := func(msg string, edit func()) string {
		t.Helper()
		edit()
		if err := os.WriteFile(filepath.Join(dir, "a.c"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		run("add", "-A")
		run("commit", "-q", "-m", msg)
		when = when.Add(24 * time.Hour)
		return run("rev-parse", "HEAD")
	}
	run("init", "-q", "-b", "main")
	step("add a.c", func() {})
	b := step("plant", func() { lines[20] = "int v20 = 1/0;" })
	c := step("touch", func() { lines[35] = "int v35 = 0;" })
	step("fix\n\nFixes: "+b[:12]+" (\"plant\")", func() { lines[20] = "int v20 = 20;" })
	step("Revert \"touch\"\n\nThis reverts commit "+c+".", func() { lines[35] = "int v35 = 35;" })

	rep, err := Run(context.Background(), Config{Dir: dir, Windows: []time.Duration{30 * 24 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Found != 2 || len(rep.Windows) != 1 {
		t.Fatalf("got %d cases found and %d windows, want 2 and 1", rep.Found, len(rep.Windows))
	}
	// B1 names the newest commit touching a.c, which each time is the
	// commit just before the fix: right at rank 2, never at rank 1.
	want := map[string][2]int{"sigsentry": {2, 2}, "B1": {0, 2}, "B2": {2, 2}}
	for _, m := range Methods {
		got := rep.Windows[0].Methods[m]
		if got.Cases != 2 || got.Top1 != want[m][0] || got.Top5 != want[m][1] {
			t.Errorf("%s: got %d cases, top-1 %d, top-5 %d; want 2, %d, %d", m, got.Cases, got.Top1, got.Top5, want[m][0], want[m][1])
		}
	}
	var out strings.Builder
	rep.Markdown(&out, "tiny")
	if !strings.Contains(out.String(), "| sigsentry | 1.000 (2) | 1.000 (2) | 1.000 | 0.000 (0) |") {
		t.Errorf("got markdown:\n%s\nwant a perfect sigsentry row", out.String())
	}
}
