package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// TestRunOnTinyHistory runs the whole evaluation on a history built with
// real git: A adds a file, B plants a bug, C touches the file elsewhere,
// D fixes B's line with a Fixes: trailer, E reverts C.
func TestRunOnTinyHistory(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-20*24*time.Hour).Truncate(time.Second), 24*time.Hour)
	dir := repo.Dir
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = fmt.Sprintf("int v%d = %d;", i, i)
	}
	step := func(msg string, edit func()) string {
		t.Helper()
		edit()
		repo.WriteFile("a.c", strings.Join(lines, "\n")+"\n")
		return repo.Commit(msg)
	}
	step("add a.c", func() {})
	b := step("plant", func() { lines[20] = "int v20 = 1/0;" })
	c := step("touch", func() { lines[35] = "int v35 = 0;" })
	step("fix\n\nFixes: "+b[:12]+" (\"plant\")", func() { lines[20] = "int v20 = 20;" })
	step("Revert \"touch\"\n\nThis reverts commit "+c+".", func() { lines[35] = "int v35 = 35;" })

	rep, err := Run(context.Background(), Config{Dir: dir, Windows: []int{30}})
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

// TestRunSignalsWhenTheParentLanded: the fix's parent was committed by a
// clock behind its own parent's, so it landed (the contract's window) when
// that parent had, not at its own committer time. The signal comes from
// the parent as the tip: the planted commit is in the window and ranks 1.
func TestRunSignalsWhenTheParentLanded(t *testing.T) {
	start := time.Now().Add(-10 * 24 * time.Hour).Truncate(time.Second)
	repo := testenv.NewGitRepo(t, start, 24*time.Hour)
	lines := make([]string, 30)
	for i := range lines {
		lines[i] = fmt.Sprintf("int v%d = %d;", i, i)
	}
	write := func() { repo.WriteFile("a.c", strings.Join(lines, "\n")+"\n") }
	write()
	repo.Commit("add a.c")
	lines[10] = "int v10 = 1/0;"
	write()
	b := repo.Commit("plant")
	// Committed half a day before "plant" was.
	repo.When = repo.When.Add(-36 * time.Hour)
	lines[25] = "int v25 = 0;"
	write()
	repo.Commit("touch")
	repo.When = repo.When.Add(72 * time.Hour)
	lines[10] = "int v10 = 10;"
	write()
	repo.Commit("fix\n\nFixes: " + b[:12])

	rep, err := Run(context.Background(), Config{Dir: repo.Dir, Windows: []int{30}})
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Windows[0].Methods["sigsentry"]
	if got.Cases != 1 || got.Top1 != 1 {
		t.Errorf("got %d cases with the culprit in the window, top-1 %d; want 1 and 1 (skipped: %v)", got.Cases, got.Top1, rep.Skipped)
	}
}
