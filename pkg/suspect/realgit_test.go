package suspect_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"

	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

// TestRealGitHistory builds a tiny history with real git: A adds a
// function, B plants a bug on line N, C inserts lines above it. A frame at
// the shifted line must blame B.
func TestRealGitHistory(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	dir := repo.Dir
	write := func(lines []string) {
		t.Helper()
		repo.WriteFile("pkg/cart/total.go", text(lines))
	}
	commit := repo.Commit

	// A: a function of 30 lines.
	lines := []string{"package cart", "", "// Total sums the cart.", "func (c *Cart) Total() int {", "\tsum := 0"}
	for i := 0; len(lines) < 29; i++ {
		lines = append(lines, fmt.Sprintf("\tsum += c.Items[%d].Price", i))
	}
	lines = append(lines, "\treturn sum", "}")
	write(lines)
	commit("cart: add Total")

	// B: plant a bug on line 20.
	const bugLine = 20
	lines[bugLine-1] = "\tsum += c.Items[99].Price // out of range"
	write(lines)
	b := commit("cart: tweak Total")

	// C: insert five lines above (a new import block).
	shifted := append([]string{"package cart", "", "import (", "\t\"fmt\"", ")", ""}, lines[1:]...)
	shifted = append(shifted, "", "var _ = fmt.Sprint")
	write(shifted)
	c := commit("cart: import fmt")

	src, err := source.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var cands []suspect.Candidate
	sum, err := src.History(ctx, "HEAD", history.Window{}, source.Options{}, func(it source.Item) error {
		cands = append(cands, suspect.Candidate{Repo: "acme/shop", Commit: it.Commit, Change: it.Change})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 3 || sum.Head != c {
		t.Fatalf("got %d commits, head %s; want 3, head %s", len(cands), sum.Head, c)
	}
	at := repo.When
	sig := signal.Signal{Timestamp: &at, Frames: []signal.Frame{{
		File: "/go/src/github.com/acme/shop/pkg/cart/total.go", Line: bugLine + 5, Function: "github.com/acme/shop/pkg/cart.(*Cart).Total", InApp: true,
	}}}
	res := suspect.Rank(sig, cands, suspect.Options{})
	if res.Abstained || len(res.Suspects) == 0 {
		t.Fatalf("got abstained %v (%s), want suspects", res.Abstained, res.Reason)
	}
	top := res.Suspects[0]
	if top.Hash != b {
		t.Fatalf("got top suspect %s, want B %s (ranking %+v)", top.Hash, b, res.Suspects)
	}
	ev := top.Evidence[0]
	if ev.Kind != suspect.KindLine || ev.Line != bugLine || ev.File != "pkg/cart/total.go" || !strings.HasPrefix(ev.Hunk, "@@ -") {
		t.Errorf("got evidence %+v, want a line hit on pkg/cart/total.go:%d with its hunk header", ev, bugLine)
	}
	if res.Frames[0].Path != "pkg/cart/total.go" {
		t.Errorf("got frame path %q, want pkg/cart/total.go", res.Frames[0].Path)
	}
}

// TestBlameThroughMerges blames lines that arrived through merged side
// branches, as git blame does: line for line when the main line left the
// file alone, by the line's text when both sides changed it.
func TestBlameThroughMerges(t *testing.T) {
	for _, mainTouches := range []bool{false, true} {
		t.Run(fmt.Sprintf("main line touches the file: %v", mainTouches), func(t *testing.T) {
			repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
			lines := make([]string, 30)
			for i := range lines {
				lines[i] = fmt.Sprintf("int v%d = %d;", i, i)
			}
			write := func() { repo.WriteFile("f.c", text(lines)) }
			write()
			repo.Commit("add f.c")
			repo.Git("checkout", "-q", "-b", "side")
			lines[9] = "int v9 = 1/0; /* the bug */"
			write()
			bug := repo.Commit("side: plant the bug")
			lines = append([]string{"/* a", " * header", " */"}, lines...)
			write()
			header := repo.Commit("side: a header")
			repo.Git("checkout", "-q", "main")
			if mainTouches {
				// The main line appends at the end while the branch is out.
				repo.Git("checkout", "-q", "main")
				cur := strings.Split(strings.TrimSpace(repo.Git("show", "main:f.c")), "\n")
				repo.WriteFile("f.c", strings.Join(append(cur, "int tail = 0;"), "\n")+"\n")
			} else {
				repo.WriteFile("g.c", "int g;\n")
			}
			repo.Commit("main: other work")
			repo.Git("merge", "-q", "--no-ff", "-m", "merge side", "side")
			merged := strings.Split(strings.TrimSpace(repo.Git("show", "HEAD:f.c")), "\n")
			repo.WriteFile("f.c", strings.Join(append([]string{"#include <a.h>", "#include <b.h>"}, merged...), "\n")+"\n")
			top := repo.Commit("main: includes")

			src, err := source.NewLocal(repo.Dir)
			if err != nil {
				t.Fatal(err)
			}
			h := suspect.RepoHistory{Repo: "r"}
			sum, err := src.History(context.Background(), "HEAD", history.Window{}, source.Options{Merges: true}, func(it source.Item) error {
				h.Commits = append(h.Commits, suspect.Candidate{Commit: it.Commit, Change: it.Change})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			h.Head = sum.Head
			idx := suspect.NewIndex([]suspect.RepoHistory{h}, suspect.Options{})
			// At HEAD: 2 includes, 3 header lines, then the original 30.
			for _, tc := range []struct {
				line int
				want string
			}{{2 + 3 + 10, bug}, {2 + 2, header}, {1, top}} {
				if got := idx.Blame("r", "f.c", tc.line, time.Time{}); got != tc.want {
					t.Errorf("line %d: got %.12s, want %.12s", tc.line, got, tc.want)
				}
				want := strings.Fields(repo.Git("blame", "--porcelain", "-L", fmt.Sprintf("%d,%d", tc.line, tc.line), "HEAD", "--", "f.c"))[0]
				if want != tc.want {
					t.Errorf("line %d: git blame says %.12s, the test expects %.12s", tc.line, want, tc.want)
				}
			}
		})
	}
}

// TestMergedBranchEvidence: on a main line of merges (every change a merged
// pull request), the lines near a frame's line and its function were
// changed by a commit of a merged branch. The merge's diff shows that
// change too, but the evidence is the branch commit's, as git blame would
// say, and a merge that only brought the branch in is no suspect: whether
// the main line changed other files meanwhile, or the same file elsewhere
// (then the merge's diff against its first parent holds the branch's
// change, line for line, and the walk passes through the merge). A merge
// that wrote a line of its own there (a conflict resolved its own way)
// keeps its evidence.
func TestMergedBranchEvidence(t *testing.T) {
	for _, tt := range []struct{ name, mainFile, resolution string }{
		{"main line changed g.c", "g.c", ""},
		{"main line changed f.c", "f.c", ""},
		{"merge wrote its own line", "f.c", "\tn += n / (n - 4); /* resolved */"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testMergedBranchEvidence(t, tt.mainFile, tt.resolution)
		})
	}
}

func testMergedBranchEvidence(t *testing.T, mainFile, resolution string) {
	start := time.Now().Add(-20 * 24 * time.Hour).Truncate(time.Second)
	repo := testenv.NewGitRepo(t, start, time.Hour)
	lines := cFunc([]string{"int work(int n)", "{"}, "\tn += %d;", 20, "\treturn n;", "}")
	tail := cFunc([]string{"int other(int n)", "{"}, "\tn -= %d;", 20, "\treturn n;", "}")
	write := func() { repo.WriteFile("f.c", text(lines)+text(tail)) }
	write()
	repo.Commit("add work")
	// The window opens after the function was written.
	repo.When = time.Now().Add(-5 * 24 * time.Hour).Truncate(time.Second)
	since := repo.When.Add(-time.Minute)
	repo.Git("checkout", "-q", "-b", "feature")
	was := lines[5]
	lines[5] = "\tn += n / (n - 3); /* the bug */"
	write()
	side := repo.Commit("work: divide")
	repo.Git("checkout", "-q", "main")
	lines[5] = was
	if mainFile == "f.c" {
		tail[10] = "\tn -= 1000;"
		write()
	} else {
		repo.WriteFile("g.c", "int g;\n")
	}
	repo.Commit("other work")
	if resolution == "" {
		repo.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from feature", "feature")
	} else {
		repo.Git("merge", "-q", "--no-ff", "--no-commit", "-s", "ours", "feature")
		lines[5] = resolution
		write()
		repo.Git("commit", "-q", "-a", "-m", "Merge pull request #7 from feature")
	}
	merge := repo.Git("rev-parse", "HEAD")
	repo.When = repo.When.Add(time.Hour)

	src, err := source.NewLocal(repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	h := suspect.RepoHistory{Repo: "r"}
	sum, err := src.History(context.Background(), "HEAD", history.Window{Since: since}, source.Options{Merges: true}, func(it source.Item) error {
		h.Commits = append(h.Commits, suspect.Candidate{Repo: "r", Commit: it.Commit, Change: it.Change})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.Head = sum.Head
	at := repo.When
	// The crash is two lines below the changed one, in work.
	sig := signal.Signal{Timestamp: &at, Frames: []signal.Frame{{File: "f.c", Line: 8, Function: "work", InApp: true}}}
	res := suspect.NewIndex([]suspect.RepoHistory{h}, suspect.Options{}).Rank(sig)
	if resolution != "" {
		for _, s := range res.Suspects {
			for _, ev := range s.Evidence {
				if s.Hash == merge && (ev.Kind == suspect.KindProximity || ev.Kind == suspect.KindFunction) {
					return
				}
			}
		}
		t.Fatalf("got suspects %+v, want the merge %.12s with proximity or function evidence: it wrote line 6", res.Suspects, merge)
	}
	if len(res.Suspects) == 0 || res.Suspects[0].Hash != side {
		t.Fatalf("got suspects %+v, want the branch's commit %.12s first", res.Suspects, side)
	}
	kinds := map[string]bool{}
	for _, ev := range res.Suspects[0].Evidence {
		kinds[ev.Kind] = true
	}
	if !kinds[suspect.KindProximity] && !kinds[suspect.KindFunction] {
		t.Errorf("got evidence %+v, want proximity or function", res.Suspects[0].Evidence)
	}
	for _, s := range res.Suspects {
		if s.Hash == merge {
			t.Errorf("the merge %.12s is a suspect (%+v); it only brought the branch in", merge, s.Evidence)
		}
	}
}

// TestRankSeesThroughReindentation: A plants the bug, B wraps it in a new
// block, re-indenting it. git blame names B, git blame -w names A; with
// SeeWhitespace the ranking gives A the line hit and B the proximity of a
// change near the frame, while Index.Blame still names what git blame
// names.
func TestRankSeesThroughReindentation(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	lines := cFunc([]string{"#include <stddef.h>", "", "int total(const int *p, size_t n)", "{", "\tint sum = 0;"}, "\tsum += p[%d];", 12, "\treturn sum;", "}")
	write := func() { repo.WriteFile("total.c", text(lines)) }
	write()
	repo.Commit("add total")

	const bugAt = 11 // "\tsum += p[5];", 1-based
	lines[bugAt-1] = "\tsum += p[n];"
	write()
	a := repo.Commit("total: use n")

	// B wraps lines 9..13 in "if (p) {", re-indenting them.
	wrapped := append([]string{}, lines[:8]...)
	wrapped = append(wrapped, "\tif (p) {")
	for _, l := range lines[8:13] {
		wrapped = append(wrapped, "\t"+l)
	}
	wrapped = append(wrapped, "\t}")
	wrapped = append(wrapped, lines[13:]...)
	lines = wrapped
	write()
	b := repo.Commit("total: check p")
	const frameLine = bugAt + 1

	if got := strings.Fields(repo.Git("blame", "-l", "-s", "-L", fmt.Sprintf("%d,%d", frameLine, frameLine), "HEAD", "--", "total.c"))[0]; got != b {
		t.Fatalf("git blame names %s, want B %s", got, b)
	}
	if got := strings.Fields(repo.Git("blame", "-w", "-l", "-s", "-L", fmt.Sprintf("%d,%d", frameLine, frameLine), "HEAD", "--", "total.c"))[0]; got != a {
		t.Fatalf("git blame -w names %s, want A %s", got, a)
	}

	cands := localHistory(t, repo.Dir)
	at := repo.When
	sig := signal.Signal{Timestamp: &at, Frames: []signal.Frame{{File: "total.c", Line: frameLine, Function: "total", InApp: true}}}
	res := suspect.Rank(sig, cands, suspect.Options{Weights: seeThrough()})
	if len(res.Suspects) < 2 || res.Suspects[0].Hash != a || res.Suspects[1].Hash != b {
		t.Fatalf("got ranking %+v, want A %s then B %s", res.Suspects, a, b)
	}
	kinds := func(s suspect.Suspect) (out []string) {
		for _, e := range s.Evidence {
			out = append(out, e.Kind)
		}
		return out
	}
	if k := kinds(res.Suspects[0]); k[0] != suspect.KindLine {
		t.Errorf("A's evidence %v, want a line hit first", k)
	}
	for _, k := range kinds(res.Suspects[1]) {
		if k == suspect.KindLine {
			t.Errorf("B's evidence %v holds a line hit, want proximity", kinds(res.Suspects[1]))
		}
	}

	plain := suspect.Rank(sig, cands, suspect.Options{})
	if len(plain.Suspects) == 0 || plain.Suspects[0].Hash != b {
		t.Errorf("with the default weights (no SeeWhitespace), got top %+v, want B %s", plain.Suspects, b)
	}
	idx := suspect.NewIndex([]suspect.RepoHistory{{Repo: "acme/shop", Commits: cands}}, suspect.Options{})
	if got := idx.Blame("acme/shop", "total.c", frameLine, time.Time{}); got != b {
		t.Errorf("Index.Blame names %s, want B %s (what git blame names)", got, b)
	}
}

// TestRankSeesThroughMoves: A plants the bug, B moves its function below
// another in the same file, C moves it to a new file. git blame names C;
// at B, git blame -M names A. With SeeMoves the ranking's line hit goes to
// A, and B and C get the proximity of changes at the frame's line.
func TestRankSeesThroughMoves(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	total := []string{"int total_of_values(const int *values, int count)", "{", "\tint result_total = 0;",
		"\tfor (int i = 0; i < count; i++) result_total += values[i];"}
	other := []string{"int other_function(const int *values, int count)", "{", "\tint other = 0;"}
	for i := 1; i <= 8; i++ {
		total = append(total, fmt.Sprintf("\tresult_total += compute_adjustment_%d(values, count);", i))
		other = append(other, fmt.Sprintf("\tother = other * %d + values[count - %d];", i, i))
	}
	total = append(total, "\treturn result_total;", "}", "")
	other = append(other, "\treturn other;", "}", "")
	write := func(path string, parts ...[]string) {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		repo.WriteFile(path, strings.Join(all, "\n")+"\n")
	}
	write("math.c", total, other)
	repo.Commit("add math.c")
	total[3] = "\tfor (int i = 0; i <= count; i++) result_total += values[i];"
	write("math.c", total, other)
	a := repo.Commit("math: sum to count")
	write("math.c", other, total)
	b := repo.Commit("math: reorder")
	write("math.c", other)
	write("total.c", total)
	c := repo.Commit("math: split total out")

	const frameLine = 4
	blame := func(rev, path string, line int, args ...string) string {
		args = append(append([]string{"blame", "-l", "-s"}, args...), "-L", fmt.Sprintf("%d,%d", line, line), rev, "--", path)
		return strings.Fields(repo.Git(args...))[0]
	}
	if got := blame("HEAD", "total.c", frameLine); got != c {
		t.Fatalf("git blame names %s, want C %s", got, c)
	}
	if got := blame(b, "math.c", len(other)+frameLine, "-M"); got != a {
		t.Fatalf("at B, git blame -M names %s, want A %s", got, a)
	}

	cands := localHistory(t, repo.Dir)
	at := repo.When
	sig := signal.Signal{Timestamp: &at, Frames: []signal.Frame{{File: "total.c", Line: frameLine, Function: "total_of_values", InApp: true}}}
	res := suspect.Rank(sig, cands, suspect.Options{Weights: seeThrough()})
	if len(res.Suspects) == 0 || res.Suspects[0].Hash != a {
		t.Fatalf("got ranking %+v, want A %s first", res.Suspects, a)
	}
	if ev := res.Suspects[0].Evidence[0]; ev.Kind != suspect.KindLine || ev.File != "math.c" || ev.Line != frameLine {
		t.Errorf("A's first evidence %+v, want a line hit on math.c:%d", ev, frameLine)
	}
	for _, s := range res.Suspects {
		for _, e := range s.Evidence {
			if e.Kind == suspect.KindLine && s.Hash != a {
				t.Errorf("%s (B %s, C %s) has a line hit %+v", s.Hash, b, c, e)
			}
		}
	}
	if plain := suspect.Rank(sig, cands, suspect.Options{}); len(plain.Suspects) == 0 || plain.Suspects[0].Hash != c {
		t.Errorf("with the default weights (no SeeMoves), got top %+v, want C %s", plain.Suspects, c)
	}
}

// cFunc is the lines of a C function: head, then n statements made of
// stmt (a format of the statement's number), then tail.
func cFunc(head []string, stmt string, n int, tail ...string) []string {
	lines := append([]string(nil), head...)
	for i := 0; i < n; i++ {
		lines = append(lines, fmt.Sprintf(stmt, i))
	}
	return append(lines, tail...)
}

// text is lines as a file's content.
func text(lines []string) string { return strings.Join(lines, "\n") + "\n" }

// localHistory reads every commit of dir's HEAD with the local source, as
// candidates of acme/shop.
func localHistory(t *testing.T, dir string) []suspect.Candidate {
	t.Helper()
	return localHistoryWith(t, dir, source.Options{})
}

// localHistoryWith is localHistory with the source's options (merges).
func localHistoryWith(t *testing.T, dir string, opts source.Options) []suspect.Candidate {
	t.Helper()
	src, err := source.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cands []suspect.Candidate
	if _, err := src.History(context.Background(), "HEAD", history.Window{}, opts, func(it source.Item) error {
		cands = append(cands, suspect.Candidate{Repo: "acme/shop", Commit: it.Commit, Change: it.Change})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return cands
}

// seeThrough are the default weights with the whitespace and move
// pass-throughs on.
func seeThrough() *suspect.Weights {
	w := suspect.DefaultWeights
	w.SeeWhitespace, w.SeeMoves = true, true
	return &w
}

// TestFolderStandsInOnRealHistory: on real git history in which no commit
// of the window touched the crashing frame's file, the commit that changed
// the file beside it is the suspect, with directory evidence, ahead of a
// newer commit in another folder; with the folder weight at 0 sigsentry
// abstains.
func TestFolderStandsInOnRealHistory(t *testing.T) {
	repo, body, base := fibRepo(t)
	repo.WriteFile("src/fib/fib_path.c", strings.Replace(body("fib_path_create"), "index += 3;", "index += 3; /* drop paths are special */", 1))
	helper := repo.Commit("fib: fix fib_path_create() with drop targets")
	repo.WriteFile("src/ip/ip_api.c", strings.Replace(body("ip_route_add"), "index += 5;", "index += 6;", 1))
	repo.Commit("ip: route add counts one more")

	var window []suspect.Candidate
	for _, c := range localHistory(t, repo.Dir) {
		if c.Commit.Hash != base {
			window = append(window, c)
		}
	}
	h := []suspect.RepoHistory{{Repo: "acme/shop", Commits: window, Tree: []string{"src/fib/fib_table.c", "src/fib/fib_path.c", "src/ip/ip_api.c"}}}
	at := repo.When
	sig := signal.Signal{Timestamp: &at, Frames: []signal.Frame{{File: "/build/src/fib/fib_table.c", Line: 7, Function: "fib_table_get", InApp: true}}}
	on := suspect.DefaultWeights
	if on.Dir == 0 {
		on.Dir = 0.15
	}
	res := suspect.NewIndex(h, suspect.Options{Weights: &on}).Rank(sig)
	if res.Abstained || len(res.Suspects) != 1 || res.Suspects[0].Hash != helper {
		t.Fatalf("got %+v (abstained %v: %s), want %s alone (the ip change is in another folder)", res.Suspects, res.Abstained, res.Reason, helper)
	}
	if ev := res.Suspects[0].Evidence[0]; ev.Kind != suspect.KindDir || ev.File != "src/fib/fib_path.c" || !strings.Contains(ev.Detail, "beside src/fib/fib_table.c") {
		t.Errorf("evidence %+v, want directory evidence on src/fib/fib_path.c beside src/fib/fib_table.c", ev)
	}
	off := on
	off.Dir = 0
	if res := suspect.NewIndex(h, suspect.Options{Weights: &off}).Rank(sig); !res.Abstained || res.Reason != suspect.ReasonNoTouch {
		t.Errorf("with Dir 0: got %+v (abstained %v: %s), want the no-touch abstention", res.Suspects, res.Abstained, res.Reason)
	}
}

// TestFolderEvidenceOfMergedBranches: the change beside the crashing
// frame's file came in by a merged pull request while the main line
// changed another folder. The branch's commit gets the directory
// evidence; the merge, whose diff shows the same change, is no suspect.
func TestFolderEvidenceOfMergedBranches(t *testing.T) {
	repo, body, base := fibRepo(t)
	repo.Git("checkout", "-q", "-b", "feature")
	repo.WriteFile("src/fib/fib_path.c", strings.Replace(body("fib_path_create"), "index += 3;", "index += 3; /* drop paths are special */", 1))
	helper := repo.Commit("fib: fix fib_path_create() with drop targets")
	repo.Git("checkout", "-q", "main")
	repo.WriteFile("src/ip/ip_api.c", strings.Replace(body("ip_route_add"), "index += 5;", "index += 6;", 1))
	repo.Commit("ip: route add counts one more")
	repo.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #9 from feature", "feature")
	merge := repo.Git("rev-parse", "HEAD")
	repo.When = repo.When.Add(time.Hour)

	var window []suspect.Candidate
	for _, c := range localHistoryWith(t, repo.Dir, source.Options{Merges: true}) {
		if c.Commit.Hash != base {
			window = append(window, c)
		}
	}
	h := []suspect.RepoHistory{{Repo: "acme/shop", Commits: window, Tree: []string{"src/fib/fib_table.c", "src/fib/fib_path.c", "src/ip/ip_api.c"}}}
	at := repo.When
	sig := signal.Signal{Timestamp: &at, Frames: []signal.Frame{{File: "/build/src/fib/fib_table.c", Line: 7, Function: "fib_table_get", InApp: true}}}
	res := suspect.NewIndex(h, suspect.Options{}).Rank(sig)
	if res.Abstained || len(res.Suspects) != 1 || res.Suspects[0].Hash != helper {
		t.Fatalf("got %+v (abstained %v: %s), want %.12s alone (not the merge %.12s that brought it in)", res.Suspects, res.Abstained, res.Reason, helper, merge)
	}
	if ev := res.Suspects[0].Evidence[0]; ev.Kind != suspect.KindDir || ev.File != "src/fib/fib_path.c" {
		t.Errorf("evidence %+v, want directory evidence on src/fib/fib_path.c", ev)
	}
}

// fibRepo starts a repository ten days back with three files of one
// function each, two in src/fib and one in src/ip, committed as base; body
// gives such a file's text for a function.
func fibRepo(t *testing.T) (repo *testenv.GitRepo, body func(fn string) string, base string) {
	t.Helper()
	repo = testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	body = func(fn string) string {
		return text(cFunc([]string{"int " + fn + "(int index)", "{"}, "\tindex += %d;", 10, "\treturn index;", "}"))
	}
	repo.WriteFile("src/fib/fib_table.c", body("fib_table_get"))
	repo.WriteFile("src/fib/fib_path.c", body("fib_path_create"))
	repo.WriteFile("src/ip/ip_api.c", body("ip_route_add"))
	return repo, body, repo.Commit("fib: tables, paths and the API")
}
