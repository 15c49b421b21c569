package suspect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/history"
)

func TestFixesOf(t *testing.T) {
	a := strings.Repeat("a", 40)
	b := "b1c2d3e4" + strings.Repeat("0", 32)
	bb := "b1c2d3e4" + strings.Repeat("f", 32) // shares b's first 8 digits
	msgs := []struct{ hash, msg string }{
		{a, "first"},
		{b, "second"},
		{bb, "third"},
		{"c" + strings.Repeat("0", 39), "fix a\n\nFixes: aaaaaaaaaaaa (\"first\")\nSigned-off-by: x"},
		{"d" + strings.Repeat("0", 39), "fix b\n\n    fixes: commit B1C2D3E40000\n"},
		{"e" + strings.Repeat("0", 39), "mentions Fixes: aaaaaaa in a sentence, and names none: 1234567"},
		{"f" + strings.Repeat("0", 39), "Fixes: 9999999 (a commit outside the window)"},
		{"1" + strings.Repeat("0", 39), "mi: Build fix\n\nRegression-from: aaaaaaaaaaaa\nFound-by: Tinderbox"},
		{"2" + strings.Repeat("0", 39), "fix b again\n\nBroken-by: b1c2d3e40000\nRegressed-in: b1c2d3e400"},
		{"3" + strings.Repeat("0", 39), "Regression: a crash since 2.4\nBroken-by: none\n"},
		{"4" + strings.Repeat("0", 39), "fix a crash on reload\n\nThe crash was introduced in commit\naaaaaaaaaaaa (\"first\"), which freed it early."},
		{"5" + strings.Repeat("0", 39), "Revert \"first\"\n\nThis reverts commit aaaaaaaaaaaa.\nIt broke the build."},
		{"6" + strings.Repeat("0", 39), "a regression since bug 12345678. Introduced by accident. aaaaaaaa is a string"},
	}
	var cands []Candidate
	for _, m := range msgs {
		cands = append(cands, Candidate{Repo: "r", Commit: history.Commit{Hash: m.hash, Message: m.msg, Date: time.Now()}})
	}
	idx := NewIndex([]RepoHistory{{Repo: "r", Commits: cands}}, Options{})
	got := map[string][]string{}
	for ci, xs := range idx.fixedBy {
		for _, x := range xs {
			got[idx.cands[ci].Commit.Hash[:1]] = append(got[idx.cands[ci].Commit.Hash[:1]], idx.cands[x].Commit.Hash[:1])
		}
	}
	want := map[string][]string{"a": {"c", "1", "4"}, "b": {"d", "2"}}
	if len(got) != len(want) || !slices.Equal(got["a"], want["a"]) || !slices.Equal(got["b"], want["b"]) {
		t.Errorf("fixedBy = %v, want %v (a 12-digit prefix, a case-blind prefix that is b's and not bb's, other trailers naming the cause once each, a sentence naming the cause; no revert, no other sentence)", got, want)
	}
}

// TestFixedRanking: two commits of the window changed the crashing
// function; the newer names the older in a Fixes: trailer. The older was
// found buggy once and its function crashes still: it ranks first, with
// the trailer as evidence. Without the trailer the newer ranks first.
func TestFixedRanking(t *testing.T) {
	for _, trailer := range []bool{true, false} {
		repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), 24*time.Hour)
		fn := func(body ...string) string {
			return "static int send(struct s *p)\n{\n" + strings.Join(body, "\n") + "\n\treturn 0;\n}\n"
		}
		repo.WriteFile("src/smp.c", fn("\tp->a = 1;", "\tp->b = 2;"))
		repo.Commit("smp: first") // before the window
		repo.WriteFile("src/smp.c", fn("\tp->a = 1;", "\tp->b = shorthand(p);"))
		older := repo.Commit("smp: use a shorthand")
		msg := "smp: not in interrupt context"
		if trailer {
			msg += "\n\nFixes: " + older[:12] + " (\"smp: use a shorthand\")"
		}
		repo.WriteFile("src/smp.c", fn("\tp->a = in_irq() ? 0 : 1;", "\tp->b = shorthand(p);"))
		newer := repo.Commit(msg)

		res, _, _ := rankNow(t, repo.Dir, "smp: first", frame("src/smp.c", 0, "send"), "src/smp.c", newer)
		got := hashes(res)
		want := newer
		if trailer {
			want = older
		}
		if len(got) != 2 || got[0] != want {
			t.Errorf("trailer %v: got %v, want %s first of 2", trailer, got, want)
		}
		if k := evidenceKinds(res, older); slices.Contains(k, KindFixed) != trailer {
			t.Errorf("trailer %v: the older commit has evidence %v", trailer, k)
		}
		if k := evidenceKinds(res, newer); slices.Contains(k, KindFixed) {
			t.Errorf("trailer %v: the fixing commit has evidence %v, want no fixed evidence", trailer, k)
		}
	}
}
