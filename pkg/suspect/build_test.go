package suspect

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
)

// TestUnapply undoes real git diffs of random edits: the hunks turn the
// new file back into the old one, line for line.
func TestUnapply(t *testing.T) {
	dir := t.TempDir()
	testenv.LookPath(t, "git")
	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 60; round++ {
		old := make([]string, 5+r.IntN(40))
		for i := range old {
			old[i] = fmt.Sprintf("line %d %d", i, r.IntN(3))
		}
		cur := append([]string(nil), old...)
		for e := 0; e < 1+r.IntN(6); e++ {
			i := r.IntN(len(cur) + 1)
			switch r.IntN(3) {
			case 0: // insert
				cur = append(cur[:i], append([]string{fmt.Sprintf("new %d.%d", round, e)}, cur[i:]...)...)
			case 1: // delete
				if i < len(cur) && len(cur) > 1 {
					cur = append(cur[:i], cur[i+1:]...)
				}
			default: // change
				if i < len(cur) {
					cur[i] = fmt.Sprintf("changed %d.%d", round, e)
				}
			}
		}
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		if err := os.WriteFile(a, []byte(strings.Join(old, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(b, []byte(strings.Join(cur, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out := testenvDiff(t, dir)
		files, err := diffstat.Parse([]byte(out))
		if err != nil || len(files) > 1 {
			t.Fatalf("round %d: parsing the diff: %v (%d files)", round, err, len(files))
		}
		if len(files) == 0 {
			continue // no change
		}
		got, ok := unapply(cur, &files[0])
		if !ok || !reflect.DeepEqual(got, old) {
			t.Fatalf("round %d: unapply gave %q (ok %v), want %q\ndiff:\n%s", round, got, ok, old, out)
		}
	}
}

// testenvDiff is `git diff --no-index a b` in dir (exit 1 means "differ").
func testenvDiff(t *testing.T, dir string) string {
	t.Helper()
	cmd := execGit(dir, "diff", "--no-index", "--no-color", "-U1", "a", "b")
	out, err := cmd.Output()
	if err != nil && cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("git diff: %v", err)
	}
	return string(out)
}

func TestEnclosing(t *testing.T) {
	c := strings.Split(`#include <x.h>

static int helper(int a)
{
	return a + 1;
}

int
main(int argc, char **argv)
{
	int x = helper(argc);
out:
	return x;
}`, "\n")
	py := strings.Split(`import os

class Cart:
    def total(self):
        s = 0
        for i in self.items:
            s += i
        return s

def free():
    pass`, "\n")
	gosrc := strings.Split(`package cart

func (c *Cart) Total() int {
	s := 0
	return s
}

var x = 1`, "\n")
	tests := []struct {
		lines []string
		lang  string
		n     int
		want  string
	}{
		{c, "c", 5, "helper"}, {c, "c", 3, "helper"}, {c, "c", 11, "main"}, {c, "c", 13, "main"},
		{c, "c", 7, ""}, {c, "c", 1, ""}, {c, "c", 99, ""},
		{py, "python", 7, "total"}, {py, "python", 4, "total"}, {py, "python", 11, "free"}, {py, "python", 3, ""},
		{gosrc, "go", 4, "Total"}, {gosrc, "go", 8, ""},
	}
	for _, tt := range tests {
		if got := enclosing(tt.lines, tt.n, tt.lang); got != tt.want {
			t.Errorf("%s line %d: got %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// TestBuildInference: the trace's line comes from the build before a
// commit that put a new function above the crashing one. With the file's
// contents the ranking blames from that build and names the bug; without
// them it names the newer commit whose code now sits at that line number.
func TestBuildInference(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	bug, newer := avgAboveSum(repo)
	// The crash: sum() at line 14, in the build before avg() was added.
	frame := frame("/build/proj/src/calc.c", 14, "sum")
	sig := sigAt(frame)
	now := time.Now()
	sig.Timestamp = &now

	h := RepoHistory{Repo: "r", Commits: loadRealHistory(t, repo.Dir)}
	idx := NewIndex([]RepoHistory{h}, Options{})
	with := idx.RankWith(sig, neededFile(t, idx, sig, repo.Dir, "src/calc.c", newer))
	without := idx.Rank(sig)
	wantBlamedFrom(t, "with the file", with, bug)
	if got := hashes(without); len(got) == 0 || got[0] != newer {
		t.Errorf("without the file: got %v, want the newer commit %s first (line 14 is in avg at the tip)", got, newer)
	}
}

// TestBuildInferenceCountsEveryFrame: the crashing frame's line comes from
// the build before avg() was added above sum(); the caller's frame, in a
// file no commit changed, fits that build as well as the tip. Counting it
// for both, the older build explains both frames and the tip only one.
func TestBuildInferenceCountsEveryFrame(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	repo.WriteFile("src/main.c", "int main(void)\n{\n\treturn sum(0);\n}\n")
	bug, newer := avgAboveSum(repo)
	sig := sigAt(frame("/build/proj/src/calc.c", 14, "sum"), frame("/build/proj/src/main.c", 3, "main"))
	now := time.Now()
	sig.Timestamp = &now

	idx := NewIndex([]RepoHistory{{Repo: "r", Commits: loadRealHistory(t, repo.Dir)}}, Options{})
	files := map[FileRef][]byte{}
	for _, ref := range idx.Needs(sig) {
		if ref.Rev != newer {
			t.Fatalf("needs %+v, want files at the tip %s", ref, newer)
		}
		data, err := os.ReadFile(filepath.Join(repo.Dir, ref.Path))
		if err != nil {
			t.Fatal(err)
		}
		files[ref] = data
	}
	if len(files) != 2 {
		t.Fatalf("got %d needed files, want calc.c and main.c", len(files))
	}
	wantBlamedFrom(t, "both frames", idx.RankWith(sig, files), bug)
}

// TestBuildInferenceIgnoresLinesBetweenFunctions: at the tip the frame's
// line lies between two functions (a blank line), inside the named one
// only before a commit shortened it. That is no sign of another build (a
// synthesized frame named after the function above it looks the same),
// so the ranking blames from the tip.
func TestBuildInferenceIgnoresLinesBetweenFunctions(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	body := func(name string, n int) []string { return calcFunc(name, n, false) }
	write := func(parts ...[]string) { writeCalc(repo, parts...) }
	write(body("sum", 20), body("avg", 10))
	repo.Commit("calc: sum and avg")
	write(body("sum", 15), body("avg", 10))
	tip := repo.Commit("calc: shorter sum")
	// sum spans lines 1-20 at the tip; line 21 is the blank line after it.
	res := rankCalc(t, repo, 21, "sum", tip)
	if res.Versions["r"] != tip || len(res.Notes) != 0 {
		t.Errorf("got version %s notes %q, want the tip %s and no note", res.Versions["r"], res.Notes, tip)
	}
}

// TestBuildInferenceIgnoresHunkHeaderNames: a frame naming sum whose line
// lies in the first lines of avg, the function after sum at the tip, is
// what a hunk header gives a change there (git names the function above
// the hunk's context), not a sign of an older build where sum was longer.
// Deeper into avg, the line says the build is older.
func TestBuildInferenceIgnoresHunkHeaderNames(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	body := func(name string, n int) []string { return calcFunc(name, n, false) }
	write := func(parts ...[]string) { writeCalc(repo, parts...) }
	write(body("sum", 25), body("avg", 10))
	old := repo.Commit("calc: sum and avg")
	write(body("sum", 15), body("avg", 10))
	tip := repo.Commit("calc: shorter sum")
	// At the tip sum spans lines 1-20 and avg starts at line 22; in the
	// older build sum spans lines 1-30.
	for _, tt := range []struct {
		line int
		want string
	}{
		{24, tip}, // avg's third line: a hunk header there names sum
		{27, old}, // avg's sixth line: inside sum only in the older build
	} {
		if res := rankCalc(t, repo, tt.line, "sum", tip); res.Versions["r"] != tt.want {
			t.Errorf("line %d: got version %s (notes %q), want %s", tt.line, res.Versions["r"], res.Notes, tt.want)
		}
	}
}

// TestHunkHeaderNameMeansTheNextFunction: a frame naming sum whose line
// opens avg, the function after sum, names the function a hunk header
// would (TestBuildInferenceIgnoresHunkHeaderNames); the function that
// holds the line is avg, so the commit that changed avg elsewhere has the
// function evidence, and the one that changed only sum has none.
func TestHunkHeaderNameMeansTheNextFunction(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	write := func(parts ...[]string) { writeCalc(repo, parts...) }
	write(calcFunc("sum", 15, false), calcFunc("avg", 15, false))
	repo.Commit("calc: sum and avg")
	write(calcFunc("sum", 15, false), calcFunc("avg", 15, true))
	inAvg := repo.Commit("calc: avg follows next")
	write(calcFunc("sum", 15, true), calcFunc("avg", 15, true))
	inSum := repo.Commit("calc: sum follows next")
	// sum spans lines 1-20, avg starts at line 22; its bug at line 35.
	res := rankCalc(t, repo, 24, "sum", inSum)
	kinds := map[string][]string{}
	for _, s := range res.Suspects {
		for _, e := range s.Evidence {
			kinds[s.Hash] = append(kinds[s.Hash], e.Kind)
		}
	}
	if !slices.Contains(kinds[inAvg], KindFunction) || slices.Contains(kinds[inSum], KindFunction) {
		t.Errorf("got evidence %v, want function evidence for %s (avg) and none for %s (sum)", kinds, inAvg, inSum)
	}
	if got := hashes(res); slices.Index(got, inAvg) < 0 || slices.Index(got, inSum) >= 0 && slices.Index(got, inSum) < slices.Index(got, inAvg) {
		t.Errorf("got %v (evidence %v), want %s before %s", got, kinds, inAvg, inSum)
	}
}

// TestBuildInferenceNeedsASuspect: the trace's line fits only a build from
// before the window's one change of the file (a trace from another tree:
// a mirror's lines are offset). Blaming from that build would leave no
// suspect at all, so the ranking blames from the tip.
func TestBuildInferenceNeedsASuspect(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	lines := func(name string, n int) []string { return calcFunc(name, n, false) }
	repo.WriteFile("src/calc.c", strings.Join(lines("sum", 20), "\n"))
	repo.Commit("calc: sum") // before the window
	repo.WriteFile("README", "calc\n")
	repo.Commit("readme")
	repo.WriteFile("src/calc.c", strings.Join(append(lines("avg", 30), lines("sum", 20)...), "\n"))
	change := repo.Commit("calc: avg")
	sig := sigAt(frame("/build/proj/src/calc.c", 14, "sum"))
	now := time.Now()
	sig.Timestamp = &now

	idx := NewIndex([]RepoHistory{{Repo: "r", Commits: historyWithout(t, repo.Dir, "calc: sum")}}, Options{})
	with := idx.RankWith(sig, neededFile(t, idx, sig, repo.Dir, "src/calc.c", ""))
	if with.Versions["r"] != change || len(with.Notes) != 0 {
		t.Errorf("got version %s notes %q, want the tip %s and no note", with.Versions["r"], with.Notes, change)
	}
	if got := hashes(with); len(got) == 0 || got[0] != change {
		t.Errorf("got %v (abstained: %q), want %s first", got, with.Reason, change)
	}
}

// TestBuildInferenceByQuotedSource: the crash's line, 14, lies in sum()
// both in the build that crashed and at the tip, where a newer commit put
// a check at the top of sum and moved the buggy line to 17. The function
// cannot tell the builds apart; the source the report quotes around the
// line (a Sentry event's context, a Python traceback's source line) can:
// with it the ranking blames from the build that reads so and names the
// bug first by its line, with a frame that names no function as well.
// Without it, it blames from the tip.
func TestBuildInferenceByQuotedSource(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	writeCalc(repo, calcFunc("sum", 20, false))
	repo.Commit("calc: sum")
	writeCalc(repo, calcFunc("sum", 20, true))
	bug := repo.Commit("calc: follow next")
	checked := calcFunc("sum", 20, true)
	checked = slices.Insert(checked, 3, "\tif (!p)", "\t\treturn 0;", "\t/* checked */")
	writeCalc(repo, checked)
	tip := repo.Commit("calc: check p")

	for _, fn := range []string{"sum", ""} {
		bare := frame("/build/proj/src/calc.c", 14, fn)
		quoted := bare.WithContext([]string{"\tv += p->f8;", "\tv += p->f9;"}, "\tv += p->next->f10; /* the bug */", []string{"  v += p->f11;"})
		rank := func(f signal.Frame) Result {
			sig := sigAt(f)
			now := time.Now()
			sig.Timestamp = &now
			idx := NewIndex([]RepoHistory{{Repo: "r", Commits: loadRealHistory(t, repo.Dir)}}, Options{})
			return idx.RankWith(sig, neededFile(t, idx, sig, repo.Dir, "src/calc.c", tip))
		}
		res := rank(quoted)
		wantBlamedFrom(t, "quoted, function "+fn, res, bug)
		if k := evidenceKinds(res, bug); len(k) == 0 || k[0] != KindLine {
			t.Errorf("quoted, function %q: got evidence %v for the bug, want a line hit first", fn, k)
		}
		if fn == "" {
			continue // a frame without its function or source gives build inference nothing
		}
		if res := rank(bare); res.Versions["r"] != tip || len(res.Notes) != 0 {
			t.Errorf("without the source: got version %s notes %q, want the tip %s", res.Versions["r"], res.Notes, tip)
		}
	}
}

// TestContextFits compares quoted source with a file's lines.
func TestContextFits(t *testing.T) {
	lines := []string{"a := 1", "", "\tif x {", "\t\treturn veryLongFunctionName(alpha, beta, gamma)", "\t}"}
	for _, tt := range []struct {
		n    int
		ctx  []string
		at   int
		want bool
	}{
		{4, []string{"return veryLongFunctionName(alpha, beta, gamma)"}, 0, true},                // stripped, as Python prints it
		{4, []string{"if x {", "return veryLongFunctionName(alpha, beta, gamma)", "}"}, 1, true}, // with its neighbours
		{4, []string{"a := 1", "", "if x {", "  return veryLongFunctionName(alpha, beta, gamma)"}, 3, true},
		{4, []string{"{snip} FunctionName(alpha, beta {snip}"}, 0, true}, // shortened by Sentry
		{4, []string{"{snip} FunctionName(alpha, delta {snip}"}, 0, false},
		{3, []string{"return veryLongFunctionName(alpha, beta, gamma)"}, 0, false}, // another line
		{4, []string{"if y {", "return veryLongFunctionName(alpha, beta, gamma)"}, 1, false},
		{5, []string{"}", "func next() {"}, 0, false},  // past the end of the file
		{1, []string{"package x", "a := 1"}, 1, false}, // before its start
		{2, []string{""}, 0, false}, // a blank line tells nothing
		{4, []string{"return veryLongFunctionName(alpha, beta, gamma)"}, 1, false},
	} {
		if got := contextFits(lines, tt.n, tt.ctx, tt.at); got != tt.want {
			t.Errorf("line %d, context %q at %d: got %v, want %v", tt.n, tt.ctx, tt.at, got, tt.want)
		}
	}
}

// calcFunc is a C function name(p) summing n fields of p; with bug, its
// eleventh line follows p->next.
func calcFunc(name string, n int, bug bool) []string {
	out := []string{"static int " + name + "(struct s *p)", "{", "\tint v = 0;"}
	for i := 0; i < n; i++ {
		l := fmt.Sprintf("\tv += p->f%d;", i)
		if bug && i == 10 {
			l = "\tv += p->next->f10; /* the bug */"
		}
		out = append(out, l)
	}
	return append(out, "\treturn v;", "}", "")
}

// writeCalc writes src/calc.c of repo from functions' lines, in order.
func writeCalc(repo *testenv.GitRepo, funcs ...[]string) {
	var all []string
	for _, f := range funcs {
		all = append(all, f...)
	}
	repo.WriteFile("src/calc.c", strings.Join(all, "\n"))
}

// avgAboveSum commits sum(), then bug (sum's line 14 follows p->next),
// then newer: avg() added above sum, which moves sum's lines down.
func avgAboveSum(repo *testenv.GitRepo) (bug, newer string) {
	writeCalc(repo, calcFunc("sum", 20, false))
	repo.Commit("calc: sum")
	writeCalc(repo, calcFunc("sum", 20, true))
	bug = repo.Commit("calc: follow next")
	writeCalc(repo, calcFunc("avg", 30, false), calcFunc("sum", 20, true))
	return bug, repo.Commit("calc: avg")
}

// wantBlamedFrom checks that res blamed from the older build bug, with a
// note saying so, and ranks bug first.
func wantBlamedFrom(t *testing.T, what string, res Result, bug string) {
	t.Helper()
	if got := hashes(res); len(got) == 0 || got[0] != bug {
		t.Errorf("%s: got %v, want the bug %s first", what, got, bug)
	}
	if res.Versions["r"] != bug || len(res.Notes) != 1 {
		t.Errorf("%s: got version %s notes %q, want %s and a note", what, res.Versions["r"], res.Notes, bug)
	}
}

// rankCalc ranks, on repo's whole history, a signal of now with one frame
// of src/calc.c at line naming fn, with the file at rev as the failing
// version's.
func rankCalc(t *testing.T, repo *testenv.GitRepo, line int, fn, rev string) Result {
	t.Helper()
	sig := sigAt(frame("/build/proj/src/calc.c", line, fn))
	now := time.Now()
	sig.Timestamp = &now
	idx := NewIndex([]RepoHistory{{Repo: "r", Commits: loadRealHistory(t, repo.Dir)}}, Options{})
	return idx.RankWith(sig, neededFile(t, idx, sig, repo.Dir, "src/calc.c", rev))
}

// execGit is git in dir, isolated from the user's configuration.
func execGit(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	return cmd
}

// loadRealHistory reads every commit of dir's HEAD as analyze does.
func loadRealHistory(t *testing.T, dir string) []Candidate {
	t.Helper()
	src, err := source.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []Candidate
	_, err = src.History(context.Background(), "HEAD", history.Window{}, source.Options{Merges: true}, func(it source.Item) error {
		out = append(out, Candidate{Commit: it.Commit, Change: it.Change})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
