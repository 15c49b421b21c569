package harness

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sha(n int) string { return fmt.Sprintf("%040x", n) }

func TestManifestRoundTrip(t *testing.T) {
	in := []Case{
		{Repo: "acme/widget", Fix: sha(1), Inducers: []string{sha(2)}, Format: "asan", Block: 0, Half: Held, Note: "age 3d"},
		{Repo: "acme/gadget", Fix: sha(3), Inducers: []string{sha(4), sha(5)}, Format: "gdb", Block: 1, Note: "two\ttabs\nand a newline"},
	}
	var b strings.Builder
	if err := WriteManifest(&b, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadManifest(strings.NewReader("# a comment\n\n" + b.String()))
	if err != nil {
		t.Fatal(err)
	}
	in[1].Note = "two tabs and a newline"
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
	// A manifest written before halves were recorded still reads: no half,
	// every field after the block is the note.
	old, err := ReadManifest(strings.NewReader(oldHeader + "\nacme/w\t" + sha(1) + "\t" + sha(2) + "\tasan\t0\ttune\tage 3d\n"))
	if err != nil || len(old) != 1 || old[0].Half != "" || old[0].Note != "tune age 3d" {
		t.Errorf("old manifest: %+v, %v", old, err)
	}
}

func TestManifestErrors(t *testing.T) {
	for name, text := range map[string]string{
		"empty":      "",
		"no header":  "acme/w\t" + sha(1) + "\t" + sha(2) + "\tasan\t0\t\n",
		"short hash": manifestHeader + "\nacme/w\tabc123\t" + sha(2) + "\tasan\t0\t\n",
		"bad repo":   manifestHeader + "\nwidget\t" + sha(1) + "\t" + sha(2) + "\tasan\t0\t\n",
		"bad block":  manifestHeader + "\nacme/w\t" + sha(1) + "\t" + sha(2) + "\tasan\tx\t\n",
		"few fields": manifestHeader + "\nacme/w\t" + sha(1) + "\n",
		"bad half":   manifestHeader + "\nacme/w\t" + sha(1) + "\t" + sha(2) + "\tasan\t0\tlater\t\n",
		"twice":      manifestHeader + "\nacme/w\t" + sha(1) + "\t" + sha(2) + "\tasan\t0\t\nacme/w\t" + sha(1) + "\t" + sha(2) + "\tasan\t0\t\n",
	} {
		if _, err := ReadManifest(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.HasPrefix(err.Error(), "reading the manifest") {
			t.Errorf("%s: message %q", name, err)
		}
	}
}

func TestSplitKeepsRecordedHalves(t *testing.T) {
	var cases []Case
	for i := 0; i < 5; i++ {
		cases = append(cases, Case{Repo: "acme/big", Fix: sha(100 + i)})
	}
	for i := 0; i < 3; i++ {
		cases = append(cases, Case{Repo: fmt.Sprintf("acme/one%d", i), Fix: sha(200 + i)})
	}
	before := Split(cases)
	recorded := append([]Case(nil), cases...)
	for i := range recorded {
		recorded[i].Half = before[recorded[i].Key()]
	}
	// The old split itself: recording the halves changes nothing.
	if again := Split(recorded); !reflect.DeepEqual(before, again) {
		t.Fatalf("recorded halves changed the split: %v, then %v", before, again)
	}
	// One more single-case repository and two more cases of acme/big: with
	// the halves recorded, no earlier case moves; without, some do (which
	// is why they are recorded).
	more := []Case{{Repo: "acme/zzz", Fix: sha(300)}, {Repo: "acme/big", Fix: sha(301)}, {Repo: "acme/big", Fix: sha(302)}}
	after := Split(append(recorded, more...))
	for _, c := range cases {
		if after[c.Key()] != before[c.Key()] {
			t.Errorf("%s moved from %s to %s", c.ID(), before[c.Key()], after[c.Key()])
		}
	}
	n := map[string]int{}
	for _, h := range after {
		n[h]++
	}
	if d := n[Tune] - n[Held]; d < -1 || d > 1 {
		t.Errorf("halves %d and %d", n[Tune], n[Held])
	}
	// acme/big had 3 tune and 2 held (or the reverse): its two new cases
	// split one each way.
	big := map[string]int{}
	for _, c := range more[1:] {
		big[after[c.Key()]]++
	}
	if big[Tune] != 1 || big[Held] != 1 {
		t.Errorf("acme/big's new cases went %v", big)
	}
	moved := 0
	unrecorded := Split(append(append([]Case(nil), cases...), more...))
	for _, c := range cases {
		if unrecorded[c.Key()] != before[c.Key()] {
			moved++
		}
	}
	t.Logf("without recorded halves, %d of %d earlier cases move", moved, len(cases))
}

func TestSplit(t *testing.T) {
	var cases []Case
	for i := 0; i < 9; i++ {
		cases = append(cases, Case{Repo: "acme/big", Fix: sha(100 + i)})
	}
	for i := 0; i < 4; i++ {
		cases = append(cases, Case{Repo: "acme/small", Fix: sha(200 + i)})
	}
	cases = append(cases, Case{Repo: "acme/one", Fix: sha(300)})
	a := Split(cases)
	// the same cases in another order split the same way
	rev := append([]Case(nil), cases...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if b := Split(rev); !reflect.DeepEqual(a, b) {
		t.Errorf("split depends on order")
	}
	count := map[string]map[string]int{}
	for _, c := range cases {
		h := a[c.Key()]
		if h != Tune && h != Held {
			t.Fatalf("%s: half %q", c.ID(), h)
		}
		if count[c.Repo] == nil {
			count[c.Repo] = map[string]int{}
		}
		count[c.Repo][h]++
	}
	total := 0
	for repo, n := range count {
		if d := n[Tune] - n[Held]; d > 1 || d < -1 {
			t.Errorf("%s split unevenly: %v", repo, n)
		}
		total += n[Tune] - n[Held]
	}
	if total > 1 || total < -1 {
		t.Errorf("halves differ by %d cases: %v", total, count)
	}
}

func TestPathMap(t *testing.T) {
	pm := NewPathMap([]string{
		"src/net/core.c", "lib/core.c", "tools/net/core.c", "src/util.c", "vendor/x/src/util.c", "README",
	})
	for _, c := range []struct {
		in        string
		want      string
		n         int
		ambiguous bool
	}{
		{"/build/proj/src/net/core.c", "src/net/core.c", 3, false},
		{"../src/util.c", "src/util.c", 2, true}, // vendor/x/src/util.c matches as much; the shorter wins
		{"net/core.c", "src/net/core.c", 2, true},
		{"core.c", "lib/core.c", 1, true},
		{"/usr/include/stdio.h", "", 0, false},
		{"", "", 0, false},
		{"C:\\work\\proj\\lib\\core.c", "lib/core.c", 2, false},
	} {
		got, n, amb := pm.Map(c.in)
		if got != c.want || n != c.n || amb != c.ambiguous {
			t.Errorf("Map(%q) = %q, %d, %v; want %q, %d, %v", c.in, got, n, amb, c.want, c.n, c.ambiguous)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSummarize(t *testing.T) {
	s := Summarize([]Ranked{
		{Rank: 1},
		{Rank: 2},
		{Rank: 0, Abstained: true},
		{Rank: 0, Failed: true},
		{Rank: 6},
	})
	if s.N != 5 || !near(s.Top1, 0.2) || !near(s.Top5, 0.4) {
		t.Errorf("top-k %+v", s)
	}
	if !near(s.MRR, (1+0.5+1.0/6)/5) {
		t.Errorf("MRR %v", s.MRR)
	}
	if !near(s.Abstained, 0.4) || s.Answered != 3 || !near(s.Precision, 1.0/3) || s.Failed != 1 {
		t.Errorf("abstention %+v", s)
	}
	if z := Summarize(nil); z.N != 0 || z.MRR != 0 {
		t.Errorf("empty %+v", z)
	}
	if m := Median([]float64{3, 1, 2, 10}); m != 2.5 {
		t.Errorf("median %v", m)
	}
}

func TestFixesTargets(t *testing.T) {
	msg := "x: fix y\n\nFixes: 0123456789ab (\"x: add y\")\n" +
		"Fixes: commit fedcba9876543210 (\"x: a subject that\n  wraps\")\n" +
		"  fixes: ABCDEF1\nFixes: #123\nNot Fixes: 1234567\nFixes: 0123456789ab (\"x: add y\")\n"
	got := FixesTargets(msg)
	want := []Target{
		{Hash: "0123456789ab", Subject: "x: add y"},
		{Hash: "fedcba9876543210", Subject: "x: a subject that wraps"},
		{Hash: "abcdef1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	// Prose that names the cause, as projects without trailers write it.
	for _, tc := range []struct{ msg, want string }{
		{"This bug was introduced in commit 0123456789abcdef0123456789abcdef01234567,\nwhich must be backported.", "0123456789abcdef0123456789abcdef01234567"},
		{"The bug was introduced in 2.2-dev3 with commit 9e1758ef (\"MINOR: x\").", "9e1758ef"},
		{"Regression from: 9fb08310b51b46736f3ca8dbc04efdf502420403", "9fb08310b51b46736f3ca8dbc04efdf502420403"},
		{"Regressed-in: 8f1edf4bd3a1f050ce9eeb5eac45dd1a8f7a6d5e", "8f1edf4bd3a1f050ce9eeb5eac45dd1a8f7a6d5e"},
		{"This partially reverts commit da37cbd24fc0073f3f00a3b7aac7807d2185b829.", "da37cbd24fc0073f3f00a3b7aac7807d2185b829"},
		{"This patch fixes up commit 9E1758EFBD68 which added it", "9e1758efbd68"},
		{"This fixes issue #681. Seen at deadbeef in the log.", ""},
		{"introduced by 1234567 (seven digits is too short in prose)", ""},
		{"Fixed a crash. See 0123456789abcdef for details.", ""},
	} {
		got := FixesTargets(tc.msg)
		switch {
		case tc.want == "" && len(got) != 0:
			t.Errorf("%q: got %+v, want none", tc.msg, got)
		case tc.want != "" && (len(got) != 1 || got[0].Hash != tc.want):
			t.Errorf("%q: got %+v, want %s", tc.msg, got, tc.want)
		}
	}
}

func TestRankAndWindow(t *testing.T) {
	list := []string{"a", "b", "c", "d"}
	if r := RankOf(list, []string{"x", "c"}, 10); r != 3 {
		t.Errorf("rank %d", r)
	}
	if r := RankOf(list, []string{"d"}, 3); r != 0 {
		t.Errorf("rank beyond top: %d", r)
	}
	now := time.Now()
	b := Baselines{Landed: map[string]time.Time{"a": now.Add(-time.Hour), "b": now.Add(-40 * 24 * time.Hour), "c": now.Add(time.Hour)}}
	if got := b.InWindow(list, now.Add(-30*24*time.Hour), now); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("in window %v", got)
	}
}
