package suspect

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// history: A adds cart.go (50 lines); B plants line 20; C inserts 5 lines
// at the top (so B's line is now 25); D touches the end of the file.
func sample() []Candidate {
	return []Candidate{
		cand("aaaa", 0, addedFile("pkg/cart/cart.go", 50, "")),
		cand("bbbb", 10, modified("pkg/cart/cart.go", hunk(17, 7, 17, 7, "func (c *Cart) Total() int {", []int{20}, []int{20}))),
		cand("cccc", 20, modified("pkg/cart/cart.go", hunk(1, 3, 1, 8, "", seq(2, 6), nil))),
		cand("dddd", 30, modified("pkg/cart/cart.go", hunk(50, 3, 50, 4, "func (c *Cart) Empty() bool {", []int{52}, nil))),
	}
}

func TestRankWindowedBlame(t *testing.T) {
	sig := sigAt(frame("/build/shop/pkg/cart/cart.go", 25, "github.com/acme/shop/pkg/cart.(*Cart).Total"))
	res := rank(sig, sample(), Options{})
	if res.Abstained {
		t.Fatalf("abstained: %s", res.Reason)
	}
	if got := hashes(res); got[0] != "bbbb" {
		t.Fatalf("got ranking %v, want bbbb first", got)
	}
	top := res.Suspects[0]
	want := Evidence{Kind: KindLine, File: "pkg/cart/cart.go", Line: 20,
		Hunk:   "@@ -17,7 +17,7 @@ func (c *Cart) Total() int {",
		Detail: "added line 20, which is line 25 at signal time (the crashing frame, in github.com/acme/shop/pkg/cart.(*Cart).Total)"}
	if !reflect.DeepEqual(top.Evidence[0], want) {
		t.Errorf("got evidence %+v, want %+v", top.Evidence[0], want)
	}
	if top.Evidence[1].Kind != KindFunction {
		t.Errorf("got second evidence kind %q, want %q", top.Evidence[1].Kind, KindFunction)
	}
	if top.Score <= 0 || top.Score > 1 {
		t.Errorf("got score %v, want in (0,1]", top.Score)
	}
	for i := 1; i < len(res.Suspects); i++ {
		if res.Suspects[i].Score > res.Suspects[i-1].Score || res.Suspects[i].Rank != i+1 {
			t.Errorf("suspect %d: rank %d score %v after score %v", i, res.Suspects[i].Rank, res.Suspects[i].Score, res.Suspects[i-1].Score)
		}
	}
	if res.Frames[0].Path != "pkg/cart/cart.go" || res.Frames[0].Repo != "acme/shop" {
		t.Errorf("got frame mapped to %q:%q, want acme/shop:pkg/cart/cart.go", res.Frames[0].Repo, res.Frames[0].Path)
	}
}

func TestRankFollowsRenames(t *testing.T) {
	ren := modified("pkg/cart/total.go", hunk(1, 1, 1, 1, "", []int{1}, []int{1}))
	ren.OldPath, ren.Status = "pkg/cart/cart.go", diffstat.Renamed
	cands := append(sample()[:2], cand("eeee", 40, ren))
	// Line 20 survives the rename (only line 1 changed) and was added by B.
	res := rank(sigAt(frame("pkg/cart/total.go", 20, "Total")), cands, Options{})
	if got := hashes(res); len(got) == 0 || got[0] != "bbbb" {
		t.Fatalf("got ranking %v, want bbbb first", got)
	}
	if ev := res.Suspects[0].Evidence[0]; ev.File != "pkg/cart/cart.go" || ev.Line != 20 {
		t.Errorf("got evidence on %s:%d, want pkg/cart/cart.go:20", ev.File, ev.Line)
	}
}

func TestRankFeatures(t *testing.T) {
	f := "pkg/a.go"
	tests := []struct {
		name  string
		cands []Candidate
		frame signal.Frame
		want  []string
		kind  string // first evidence kind of the top suspect
	}{
		{"line hit beats a newer touch far away",
			[]Candidate{cand("old", 0, modified(f, hunk(10, 2, 10, 3, "", []int{11}, nil))), cand("new", 5, modified(f, hunk(200, 1, 200, 2, "", []int{201}, nil)))},
			frame(f, 11, "x"), []string{"old", "new"}, KindLine},
		{"function hit beats a plain touch",
			[]Candidate{cand("fn", 0, modified(f, hunk(300, 2, 300, 3, "func Total() int {", []int{301}, nil))), cand("touch", 0, modified(f, hunk(500, 2, 500, 3, "func Other() {", []int{501}, nil)))},
			frame(f, 11, "cart.Total"), []string{"fn", "touch"}, KindFunction},
		{"proximity: nearer change first",
			[]Candidate{cand("near", 0, modified(f, hunk(14, 2, 14, 3, "", []int{15}, nil))), cand("far", 0, modified(f, hunk(150, 2, 150, 3, "", []int{151}, nil)))},
			frame(f, 11, ""), []string{"near", "far"}, KindProximity},
		{"file hit: the newer toucher first",
			[]Candidate{cand("older", 0, modified(f, hunk(400, 2, 400, 3, "", []int{401}, nil))), cand("newer", 5, modified(f, hunk(600, 2, 600, 3, "", []int{601}, nil)))},
			frame(f, 0, ""), []string{"newer", "older"}, KindFile},
		{"size damping: a one-file commit before a 40-file one",
			[]Candidate{cand("big", 0, manyFiles(f, 40)...), cand("small", 0, modified(f, hunk(400, 2, 400, 3, "", []int{401}, nil)))},
			frame(f, 11, ""), []string{"small", "big"}, KindProximity},
		{"frames nearer the crash weigh more",
			[]Candidate{cand("deep", 0, modified("pkg/b.go", hunk(10, 2, 10, 3, "", []int{11}, nil))), cand("crash", 0, modified(f, hunk(10, 2, 10, 3, "", []int{11}, nil)))},
			frame(f, 11, ""), []string{"crash", "deep"}, KindLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := sigAt(tt.frame, frame("pkg/b.go", 11, ""))
			res := rank(sig, tt.cands, Options{})
			if got := hashes(res); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got ranking %v, want %v", got, tt.want)
			}
			if got := res.Suspects[0].Evidence[0].Kind; got != tt.kind {
				t.Errorf("got top evidence kind %q, want %q", got, tt.kind)
			}
		})
	}
}

// manyFiles is a change of n files, the first being path with a change near
// line 11.
func manyFiles(path string, n int) []diffstat.File {
	files := []diffstat.File{modified(path, hunk(14, 2, 14, 3, "", []int{15}, nil))}
	for i := 1; i < n; i++ {
		files = append(files, modified("other/"+strings.Repeat("x", i)+".go", hunk(1, 1, 1, 2, "", []int{2}, nil)))
	}
	return files
}

func TestRankPenalties(t *testing.T) {
	f := "pkg/a.go"
	plain := cand("plain", 0, modified(f, hunk(10, 2, 10, 3, "", []int{11}, nil)))
	merge := cand("merge", 0, modified(f, hunk(10, 2, 10, 3, "", []int{11}, nil)))
	merge.Commit.Parents = []string{"p1", "p2"}
	wsHunk := diffstat.Hunk{OldStart: 11, OldLines: 1, NewStart: 11, NewLines: 1,
		Added: []diffstat.Line{{N: 11, Text: "\tx := 1"}}, Removed: []diffstat.Line{{N: 11, Text: "x := 1"}}}
	ws := cand("space", 0, modified(f, wsHunk))
	realHunk := wsHunk
	realHunk.Added = []diffstat.Line{{N: 11, Text: "x := 2"}}
	notWS := cand("real", 0, modified(f, realHunk))
	ren := modified(f)
	ren.OldPath, ren.Status = "pkg/old.go", diffstat.Renamed
	renamed := cand("rename", 0, ren)
	twin := cand("twin", 0, modified(f))
	tests := []struct {
		name        string
		penalized   Candidate
		unpenalized Candidate
		flag        string
		penalty     float64
	}{
		{"merge", merge, plain, "merge commit", DefaultWeights.Merge},
		{"whitespace-only", ws, notWS, "whitespace-only", DefaultWeights.Whitespace},
		{"rename-only", renamed, twin, "rename-only", DefaultWeights.Rename},
	}
	sig := sigAt(frame(f, 11, ""))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rank(sig, []Candidate{tt.penalized}, Options{})
			base := rank(sig, []Candidate{tt.unpenalized}, Options{})
			if len(got.Suspects) != 1 || len(base.Suspects) != 1 {
				t.Fatalf("got %d and %d suspects, want 1 and 1", len(got.Suspects), len(base.Suspects))
			}
			if got.Suspects[0].Score >= base.Suspects[0].Score {
				t.Errorf("got penalized score %v, want below %v", got.Suspects[0].Score, base.Suspects[0].Score)
			}
			if p := got.Suspects[0].Penalties; len(p) != 1 || p[0] != tt.flag {
				t.Errorf("got penalties %q, want [%q]", p, tt.flag)
			}
			if p := base.Suspects[0].Penalties; len(p) != 0 {
				t.Errorf("got penalties %q on the unpenalized twin, want none", p)
			}
			idx := NewIndex([]RepoHistory{{Repo: "acme/shop", Commits: []Candidate{tt.penalized}}}, Options{})
			if p := idx.cands[0].penalty; p != tt.penalty {
				t.Errorf("got penalty %v, want %v", p, tt.penalty)
			}
		})
	}
}

func TestRankText(t *testing.T) {
	f := "pkg/a.go"
	words := cand("words", 0, modified(f, diffstat.Hunk{OldStart: 400, OldLines: 1, NewStart: 400, NewLines: 2,
		Added: []diffstat.Line{{N: 401, Text: "return ErrInsufficientStock"}}}))
	plain := cand("plain", 1, modified("pkg/b.go", hunk(400, 1, 400, 2, "", []int{401}, nil)))
	sig := sigAt(frame(f, 11, ""), frame("pkg/b.go", 11, ""))
	without := rank(sig, []Candidate{plain, words}, Options{})
	sig.Symptoms = []string{"ErrInsufficientStock", "checkout"}
	with := rank(sig, []Candidate{plain, words}, Options{})
	score := func(r Result, h string) float64 {
		for _, s := range r.Suspects {
			if s.Hash == h {
				return s.Score
			}
		}
		return -1
	}
	if a, b := score(with, "words"), score(without, "words"); a <= b {
		t.Errorf("got score %v with symptoms, want above %v without", a, b)
	}
	if a, b := score(with, "plain"), score(without, "plain"); a != b {
		t.Errorf("got plain's score %v with symptoms, want unchanged %v", a, b)
	}
	var text string
	for _, e := range with.Suspects[0].Evidence {
		if e.Kind == KindText {
			text = e.Detail
		}
	}
	if want := "symptom words in the message or changed lines: errinsufficientstock"; text != want {
		t.Errorf("got text evidence %q, want %q", text, want)
	}
}

func TestRecencyIsMild(t *testing.T) {
	f := "pkg/a.go"
	a := cand("a", 0, modified(f, hunk(400, 1, 400, 2, "", []int{401}, nil)))
	b := cand("b", 900, modified("pkg/b.go", hunk(400, 1, 400, 2, "", []int{401}, nil)))
	// b's frame is deeper (weight 2/3) but b is 900 hours newer; the
	// first-frame commit must still lead.
	res := rank(sigAt(frame(f, 11, ""), frame("pkg/b.go", 11, "")), []Candidate{a, b}, Options{})
	if got := hashes(res); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("got ranking %v, want [a b]", got)
	}
	var rec string
	for _, e := range res.Suspects[1].Evidence {
		if e.Kind == KindRecency {
			rec = e.Detail
		}
	}
	if rec != "landed 4 days before the signal" {
		t.Errorf("got recency detail %q, want %q", rec, "landed 4 days before the signal")
	}
}

func TestRankTiesAreDeterministic(t *testing.T) {
	// The same path in three repositories: the frame maps to all three
	// (reported as ambiguous) and each commit gets the same evidence.
	mk := func(repo, h string, hours int) Candidate {
		c := cand(h, hours, modified("q.go", hunk(12, 1, 12, 1, "", []int{12}, []int{12})))
		c.Repo, c.Commit.Repo = repo, repo
		return c
	}
	x, y, z := mk("r1", "zz", 5), mk("r2", "yy", 5), mk("r3", "xx", 4)
	ts := t0.Add(5 * time.Hour) // no recency difference between zz and yy
	sig := signal.Signal{Timestamp: &ts, Frames: []signal.Frame{frame("/src/q.go", 12, "")}}
	for _, order := range [][]Candidate{{x, y, z}, {z, y, x}, {y, z, x}} {
		res := rank(sig, order, Options{})
		if got := hashes(res); !reflect.DeepEqual(got, []string{"yy", "zz", "xx"}) {
			t.Errorf("got ranking %v, want [yy zz xx] (score, then newer, then hash)", got)
		}
		if len(res.Suspects) == 3 && res.Suspects[0].Score != res.Suspects[1].Score {
			t.Errorf("got scores %v and %v, want a tie", res.Suspects[0].Score, res.Suspects[1].Score)
		}
		if !strings.HasPrefix(res.Frames[0].Note, "ambiguous") {
			t.Errorf("got note %q, want an ambiguity note", res.Frames[0].Note)
		}
	}
}

func TestAbstain(t *testing.T) {
	f := "pkg/a.go"
	cands := []Candidate{cand("aa", 0, modified(f, hunk(10, 2, 10, 3, "", []int{11}, nil)))}
	cands[0].Commit.Message = "teach checkout about stock"
	notInApp := frame("/usr/lib/libc.so.6", 0, "abort")
	notInApp.InApp = false
	late := sigAt(frame(f, 11, ""))
	early := t0.Add(-time.Hour)
	late.Timestamp = &early
	// cmd/z.go: no commit touched it, nor a file beside it (pkg/a.go is
	// in another folder).
	textOnly := sigAt(frame("cmd/z.go", 11, ""))
	textOnly.Symptoms = []string{"checkout failed: out of stock"}
	tests := []struct {
		name string
		sig  signal.Signal
		opts Options
		want string
	}{
		{"no frames", sigAt(), Options{}, ReasonNoFrames},
		{"no in-app frames", sigAt(notInApp), Options{}, ReasonNoInApp},
		{"nothing maps", sigAt(frame("/usr/lib/go/src/runtime/panic.go", 11, "")), Options{}, ReasonNoMapping},
		{"no candidate before the signal", late, Options{}, ReasonNoCandidates},
		{"no candidate touched the file", sigAt(frame("cmd/z.go", 11, "")), Options{}, ReasonNoTouch},
		{"text only", textOnly, Options{}, ReasonTextOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := NewIndex([]RepoHistory{{Repo: "acme/shop", Commits: linked(cands), Tree: []string{"cmd/z.go", "pkg/a.go"}}}, tt.opts).Rank(tt.sig)
			if !res.Abstained || res.Reason != tt.want {
				t.Errorf("got abstained %v reason %q, want abstained with %q", res.Abstained, res.Reason, tt.want)
			}
			if len(res.Suspects) != 0 {
				t.Errorf("got %d suspects, want none", len(res.Suspects))
			}
			if len(res.Frames) != len(tt.sig.Frames) {
				t.Errorf("got %d frames reported, want %d", len(res.Frames), len(tt.sig.Frames))
			}
		})
	}
}

func TestOptionsAtAndTop(t *testing.T) {
	f := "pkg/a.go"
	var cands []Candidate
	for i, h := range []string{"c0", "c1", "c2", "c3", "c4", "c5", "c6"} {
		cands = append(cands, cand(h, i, modified(f, hunk(10+i*20, 1, 10+i*20, 2, "", []int{11 + i*20}, nil))))
	}
	sig := signal.Signal{Frames: []signal.Frame{frame(f, 11, "")}}
	res := rank(sig, cands, Options{At: t0.Add(2 * time.Hour), Top: 2})
	if got := hashes(res); !reflect.DeepEqual(got, []string{"c0", "c2"}) && !reflect.DeepEqual(got, []string{"c0", "c1"}) {
		t.Errorf("got ranking %v, want c0 first and only commits at or before At", got)
	}
	for _, s := range res.Suspects {
		if s.Commit.Date.After(t0.Add(2 * time.Hour)) {
			t.Errorf("got suspect %s dated after At", s.Hash)
		}
	}
	if len(res.Suspects) != 2 {
		t.Errorf("got %d suspects, want Top=2", len(res.Suspects))
	}
	if def := rank(sig, cands, Options{}); len(def.Suspects) != 5 {
		t.Errorf("got %d suspects by default, want 5", len(def.Suspects))
	}
}

func TestScoreIsNormalised(t *testing.T) {
	f := "pkg/a.go"
	var frames []signal.Frame
	var files []diffstat.File
	for i := 0; i < 30; i++ {
		p := "pkg/f" + strings.Repeat("x", i) + ".go"
		frames = append(frames, frame(p, 11, "Total"))
		files = append(files, modified(p, hunk(10, 2, 10, 3, "func Total() {", []int{11}, nil)))
	}
	files = append(files, modified(f, hunk(1, 1, 1, 1, "", nil, nil)))
	res := rank(sigAt(frames...), []Candidate{cand("all", 0, files...)}, Options{})
	if len(res.Suspects) != 1 {
		t.Fatalf("got %d suspects, want 1", len(res.Suspects))
	}
	if s := res.Suspects[0].Score; s <= 0.9 || s > 1 || math.IsNaN(s) {
		t.Errorf("got score %v, want in (0.9, 1]", s)
	}
	if n := len(res.Suspects[0].Evidence); n > maxEvidence {
		t.Errorf("got %d evidence items, want at most %d", n, maxEvidence)
	}
}

func TestRankTopologicalOrder(t *testing.T) {
	// A rebased series: B is A's child but carries an older date. Line 20
	// was rewritten by B, so B must be blamed, not A (which added the file).
	a := cand("aaaa", 10, addedFile("pkg/a.go", 50, ""))
	a.Commit.Parents = nil
	b := cand("bbbb", 5, modified("pkg/a.go", hunk(20, 1, 20, 1, "", []int{20}, []int{20})))
	b.Commit.Parents = []string{"aaaa"}
	for _, order := range [][]Candidate{{a, b}, {b, a}} {
		res := rank(sigAt(frame("pkg/a.go", 20, "")), order, Options{})
		if got := hashes(res); len(got) == 0 || got[0] != "bbbb" {
			t.Errorf("got ranking %v, want bbbb first", got)
		}
	}
}

// A function defined in several places maps to the definition nearest the
// stack's other frames: called from arch/x86/cpu/amd.c, identify_cpu is the
// x86 one (xen-project/xen@1e6bb29b0368 mapped it to the Arm one).
func TestFunctionOnlyFrameTakesTheNearestDefinition(t *testing.T) {
	x86 := cand("x86", 10, modified("arch/x86/cpu/common.c", hunk(40, 3, 40, 4, "void identify_cpu(struct cpuinfo_x86 *c)", []int{41}, nil)))
	arm := cand("arm", 20, modified("arch/arm/cpufeature.c", hunk(80, 3, 80, 4, "void identify_cpu(struct cpuinfo_arm *c)", []int{81}, nil)))
	amd := cand("amd", 5, modified("arch/x86/cpu/amd.c", hunk(10, 3, 10, 4, "static void init_amd(struct cpuinfo_x86 *c)", []int{11}, nil)))
	h := RepoHistory{Repo: "acme/shop", Commits: linked([]Candidate{amd, x86, arm}),
		Tree:        []string{"arch/x86/cpu/amd.c", "arch/x86/cpu/common.c", "arch/arm/cpufeature.c"},
		Definitions: map[string][]string{"identify_cpu": {"arch/arm/cpufeature.c", "arch/x86/cpu/common.c"}}}
	sig := sigAt(frame("arch/x86/cpu/amd.c", 0, "init_amd"), frame("", 0, "identify_cpu"))
	res := NewIndex([]RepoHistory{h}, Options{}).Rank(sig)
	if got := res.Frames[1].Path; got != "arch/x86/cpu/common.c" {
		t.Errorf("identify_cpu mapped to %q (%s), want arch/x86/cpu/common.c", got, res.Frames[1].Note)
	}
	for _, s := range res.Suspects {
		if s.Hash == "arm" {
			t.Errorf("the Arm commit is a suspect: %v", hashes(res))
		}
	}
	// Without a frame to be near, both definitions stay.
	res = NewIndex([]RepoHistory{h}, Options{}).Rank(sigAt(frame("", 0, "identify_cpu")))
	if len(res.Suspects) != 2 {
		t.Errorf("got suspects %v, want both definitions' commits", hashes(res))
	}
}

// A commit that added, in frame #1's function, the call to the crashing
// function changed that function: the call counts once, and does not
// outweigh the commit that wrote the crashing line (xen-project/xen@635dd1120a01).
func TestAddedCallCountsOnce(t *testing.T) {
	calls := hunk(817, 7, 817, 7, "int pci_remove_device(u16 seg, u8 bus)", []int{820}, []int{820})
	calls.Added[0].Text = "        vpci_deassign_device(pdev);"
	hooks := cand("hooks", 10,
		modified("drivers/passthrough/pci.c", calls),
		modified("drivers/vpci/vpci.c", hunk(40, 7, 40, 7, "#define NUM_VPCI_INIT 3", []int{43}, []int{43})))
	lock := cand("lock", 5, modified("drivers/vpci/vpci.c", hunk(42, 6, 42, 8, "#define NUM_VPCI_INIT 3", []int{47, 48}, nil)))
	sig := sigAt(frame("drivers/vpci/vpci.c", 47, "vpci_deassign_device"), frame("drivers/passthrough/pci.c", 0, "pci_remove_device"))
	res := rank(sig, []Candidate{lock, hooks}, Options{})
	if got := hashes(res); len(got) < 2 || got[0] != "lock" {
		t.Fatalf("got %v, want the commit that wrote the crashing line first", got)
	}
	var call bool
	for _, e := range res.Suspects[1].Evidence {
		call = call || e.Kind == KindLine && strings.Contains(e.Detail, "a call to vpci_deassign_device")
	}
	if !call {
		t.Errorf("the added call is not among the evidence: %+v", res.Suspects[1].Evidence)
	}
}

// A commit that wrote the frame's function (a new file, code moved in) gets
// function evidence from its added lines, though no hunk header names the
// function (openwrt/mt76@ee6dbcc64f6d: the library file was created by the
// inducing commit; the frame has no line).
func TestWrittenFunctionIsFunctionEvidence(t *testing.T) {
	lib := addedFile("connac/mcu.c", 40, "")
	lib.Hunks[0].Added[9].Text = "int connac_mcu_add_dev(struct phy *phy,"
	lib.Hunks[0].Added[19].Text = "\tconnac_mcu_add_dev(phy, NULL);" // a call, not a definition
	created := cand("created", 5, lib, modified("Makefile", hunk(1, 3, 1, 4, "", []int{2}, nil)))
	other := cand("other", 10, modified("connac/mcu.c", hunk(30, 3, 30, 4, "static int connac_mcu_restart(struct dev *dev)", []int{31}, nil)))
	res := rank(sigAt(frame("connac/mcu.c", 0, "connac_mcu_add_dev")), []Candidate{created, other}, Options{})
	if got := hashes(res); len(got) == 0 || got[0] != "created" {
		t.Fatalf("got %v, want the commit that wrote connac_mcu_add_dev first", got)
	}
	var fn bool
	for _, e := range res.Suspects[0].Evidence {
		fn = fn || e.Kind == KindFunction && e.Line == 10
	}
	if !fn {
		t.Errorf("no function evidence at the definition's line 10: %+v", res.Suspects[0].Evidence)
	}
	for _, tt := range []struct {
		line, lang string
		want       bool
	}{
		{"int connac_mcu_add_dev(struct phy *phy,", "c", true},
		{"static void connac_mcu_add_dev(void)", "c", true},
		{"\tconnac_mcu_add_dev(phy, NULL);", "c", false},
		{"int connac_mcu_add_dev(struct phy *phy);", "c", false},
		{"func (c *Cart) Total() int {", "go", true},
		{"\ttotal := Total()", "go", false},
		{"func Total() int {", "go", true},
		{"    def total(self):", "python", true},
		{"x = total()", "python", false},
	} {
		ident := "connac_mcu_add_dev"
		if tt.lang != "c" {
			ident = map[string]string{"go": "Total", "python": "total"}[tt.lang]
		}
		if got := definesFunc(tt.line, ident, tt.lang); got != tt.want {
			t.Errorf("definesFunc(%q, %q) = %v, want %v", tt.line, ident, got, tt.want)
		}
	}
}

// A path that matches several files equally well (a bare "vpci.c") maps to
// the one nearest the stack's other files, a function-only frame's
// definition included (xen-project/xen@635dd1120a01 with file names cut to
// their base, as Valgrind prints them).
func TestAmbiguousPathTakesTheNearestFile(t *testing.T) {
	drv := cand("drv", 10, modified("xen/drivers/vpci/vpci.c", hunk(45, 3, 45, 4, "void vpci_remove_device(struct pci_dev *pdev)", []int{47}, nil)))
	arm := cand("arm", 20, modified("xen/arch/arm/vpci.c", hunk(45, 3, 45, 4, "static int vpci_mmio_read(struct vcpu *v)", []int{47}, nil)))
	h := RepoHistory{Repo: "acme/shop", Commits: linked([]Candidate{drv, arm}),
		Tree:        []string{"xen/drivers/vpci/vpci.c", "xen/arch/arm/vpci.c", "xen/drivers/passthrough/pci.c"},
		Definitions: map[string][]string{"pci_remove_device": {"xen/drivers/passthrough/pci.c"}}}
	sig := sigAt(frame("", 0, "pci_remove_device"), frame("vpci.c", 47, ""))
	res := NewIndex([]RepoHistory{h}, Options{}).Rank(sig)
	if got := res.Frames[1].Path; got != "xen/drivers/vpci/vpci.c" {
		t.Errorf("vpci.c mapped to %q (%s), want xen/drivers/vpci/vpci.c", got, res.Frames[1].Note)
	}
	if len(res.Suspects) == 0 || res.Suspects[0].Hash != "drv" {
		t.Errorf("got suspects %v, want drv first", hashes(res))
	}
	// Alone, the bare name keeps the shortest path, and says it is ambiguous.
	res = NewIndex([]RepoHistory{h}, Options{}).Rank(sigAt(frame("vpci.c", 47, "")))
	if got := res.Frames[0].Path; got != "xen/arch/arm/vpci.c" || !strings.Contains(res.Frames[0].Note, "ambiguous") {
		t.Errorf("alone, vpci.c mapped to %q (%s), want xen/arch/arm/vpci.c, ambiguous", got, res.Frames[0].Note)
	}
}

// A signal whose frames with files are all marked not in-app (a Sentry
// project without stack trace rules) is ranked by those whose files are
// the repository's, and a note says so; a frame marked in-app keeps the
// marks as they are, unless none of those maps to a repository file.
func TestMappedFramesStandInWhenNoneIsInApp(t *testing.T) {
	f := "pkg/a.go"
	cands := []Candidate{cand("aa", 0, modified(f, hunk(10, 2, 10, 3, "", []int{11}, nil)))}
	h := []RepoHistory{{Repo: "acme/shop", Commits: linked(cands), Tree: []string{"pkg/z.go", "pkg/a.go"}}}
	mark := func(fr signal.Frame, inApp bool) signal.Frame { fr.InApp = inApp; return fr }
	sig := sigAt(mark(frame("/usr/lib/libc.so.6", 0, "abort"), false), mark(frame("/src/pkg/a.go", 11, "handle"), false),
		mark(frame("", 0, "main"), true))
	res := NewIndex(h, Options{}).Rank(sig)
	if res.Abstained || len(res.Suspects) == 0 || res.Suspects[0].Hash != "aa" {
		t.Fatalf("got %v (abstained %v: %s), want aa", hashes(res), res.Abstained, res.Reason)
	}
	if !res.Frames[1].InApp || res.Frames[0].InApp || !strings.Contains(strings.Join(res.Notes, "\n"), "taken as in-app instead, 1 frame with a repository file") {
		t.Errorf("frames %+v, notes %q: want frame 1 taken as in-app, said in a note", res.Frames, res.Notes)
	}
	// Only a Sentry event has marks to fix: a text trace gets no advice.
	if strings.Contains(strings.Join(res.Notes, "\n"), "Sentry project") {
		t.Errorf("notes %q: a signal that is no Sentry event got Sentry advice", res.Notes)
	}
	sentryEvent := sig
	sentryEvent.Format = signal.FormatSentry
	if notes := strings.Join(NewIndex(h, Options{}).Rank(sentryEvent).Notes, "\n"); !strings.Contains(notes, "stack trace rules to the Sentry project") {
		t.Errorf("notes %q: a Sentry event without in-app marks should say how to mark them", notes)
	}
	if sig.Frames[1].InApp {
		t.Error("the caller's signal was changed")
	}
	// With a frame with a file marked in-app, the marks stand.
	sig.Frames[0] = mark(frame("/src/pkg/z.go", 3, "other"), true)
	res = NewIndex(h, Options{}).Rank(sig)
	if res.Frames[1].InApp || len(res.Notes) > 0 {
		t.Errorf("frames %+v, notes %q: want the marks as given", res.Frames, res.Notes)
	}
	// A frame marked in-app whose file is no repository file (a script
	// outside it, running the repository's code installed as a package)
	// leaves the stand-ins their place, and the note says why.
	// Only a file under a package folder does: /src/pkg/a.go is no more
	// the repository's than it was.
	sig.Frames[0] = mark(frame("/usr/bin/shop-script.go", 3, "main"), true)
	res = NewIndex(h, Options{}).Rank(sig)
	if res.Frames[1].InApp || len(res.Suspects) > 0 {
		t.Errorf("got %v, frames %+v: want /src/pkg/a.go left as marked", hashes(res), res.Frames)
	}
	sig.Frames[1] = mark(frame("/root/go/pkg/mod/example.com/shop@v1.2.0/pkg/a.go", 11, "handle"), false)
	res = NewIndex(h, Options{}).Rank(sig)
	if got := hashes(res); !reflect.DeepEqual(got, []string{"aa"}) || !res.Frames[1].InApp || !res.Frames[0].InApp ||
		!strings.Contains(strings.Join(res.Notes, "\n"), "no in-app frame's file is in the repository") {
		t.Errorf("got %v, frames %+v, notes %q: want frame 1 taken as in-app too, said in a note", got, res.Frames, res.Notes)
	}
}

// A file under a package installation folder stands in for the
// repository's only when the match reaches the package's folder: the
// repository installed as a package (site-packages/mkosi/config.py) does,
// another package whose file shares a base name with one of the
// repository's (site-packages/sphinx_x/__init__.py, fish-shell@aab22a453b89)
// does not, and a bare base name (Valgrind) still does. A Go module's files
// follow its root folder ("buildkit@v0.27.1/"): the whole rest must match,
// and a dependency's copy kept under vendor/ never stands in
// (moby/buildkit@9239fc407, whose grpc frames took vendor updates first).
func TestInstalledPackageStandsInByItsFolder(t *testing.T) {
	cands := []Candidate{cand("aa", 0, modified("mkosi/config.py", hunk(10, 2, 10, 3, "", []int{11}, nil)),
		modified("doc/theme/__init__.py", hunk(5, 2, 5, 3, "", []int{6}, nil)),
		modified("solver/history.go", hunk(5, 2, 5, 3, "", []int{6}, nil)),
		modified("frontend/server.go", hunk(5, 2, 5, 3, "", []int{6}, nil)),
		modified("vendor/google.golang.org/grpc/stream.go", hunk(5, 2, 5, 3, "", []int{6}, nil)))}
	h := []RepoHistory{{Repo: "acme/mkosi", Commits: linked(cands), Tree: []string{"mkosi/config.py", "doc/theme/__init__.py",
		"solver/history.go", "frontend/server.go", "vendor/google.golang.org/grpc/stream.go"}}}
	notInApp := func(fr signal.Frame) signal.Frame { fr.InApp = false; return fr }
	for _, tc := range []struct {
		file  string
		line  int
		stand bool
	}{
		{"/usr/lib/python3.11/site-packages/mkosi/config.py", 11, true},
		{"/home/u/.local/lib/python3.12/site-packages/sphinx_x/__init__.py", 6, false},
		{"/usr/lib/node_modules/other/__init__.py", 6, false},
		{"__init__.py", 6, true},
		{"/build/doc/theme/__init__.py", 6, true},
		{"github.com/moby/buildkit@v0.27.1/solver/history.go", 6, true},
		{"/root/go/pkg/mod/github.com/moby/buildkit@v0.0.0-20240101120000-0123456789ab/solver/history.go", 6, true},
		{"google.golang.org/grpc@v1.78.0/server.go", 6, false},
		{"google.golang.org/grpc@v1.78.0/stream.go", 6, false},
		{"/go/src/github.com/docker/docker/vendor/google.golang.org/grpc/stream.go", 6, false},
	} {
		res := NewIndex(h, Options{}).Rank(sigAt(notInApp(frame(tc.file, tc.line, "f"))))
		if got := res.Frames[0].InApp; got != tc.stand {
			t.Errorf("%s: stands in %v, want %v (mapped to %q)", tc.file, got, tc.stand, res.Frames[0].Path)
		}
		if !tc.stand && (!res.Abstained || len(res.Suspects) > 0) {
			t.Errorf("%s: got suspects %v, want an abstention", tc.file, hashes(res))
		}
	}
}

// When no commit touched a frame's file, a commit that changed files beside
// one is a suspect by its folder, weighed by the share of its changes made
// there; a frame mapped only by its function's definition names no folder.
func TestDirEvidence(t *testing.T) {
	w := DefaultWeights
	w.Dir = 0.05
	helper := cand("helper", 10, modified("src/fib/fib_path.c", hunk(40, 3, 40, 4, "", []int{41}, nil)))
	sweep := cand("sweep", 20, modified("src/fib/fib_path.c", hunk(90, 3, 90, 4, "", []int{91}, nil)),
		modified("src/iface.c", hunk(5, 3, 5, 4, "", []int{6}, nil)), modified("src/iface_format.c", hunk(5, 3, 5, 4, "", []int{6}, nil)))
	far := cand("far", 30, modified("src/ip/ip_api.c", hunk(5, 3, 5, 4, "", []int{6}, nil)))
	h := RepoHistory{Repo: "acme/shop", Commits: linked([]Candidate{helper, sweep, far}),
		Tree:        []string{"src/fib/fib_table.c", "src/fib/fib_path.c", "src/iface.c", "src/iface_format.c", "src/ip/ip_api.c"},
		Definitions: map[string][]string{"fib_table_get": {"src/fib/fib_table.c"}}}
	sig := sigAt(frame("/build/src/fib/fib_table.c", 35, "fib_table_get"))
	res := NewIndex([]RepoHistory{h}, Options{Weights: &w}).Rank(sig)
	if got := hashes(res); !reflect.DeepEqual(got, []string{"helper", "sweep"}) {
		t.Fatalf("got %v (abstained %v: %s), want helper, then sweep", got, res.Abstained, res.Reason)
	}
	ev := res.Suspects[0].Evidence[0]
	if ev.Kind != KindDir || ev.File != "src/fib/fib_path.c" || !strings.Contains(ev.Detail, "changed fib_path.c, beside src/fib/fib_table.c") || !strings.Contains(ev.Detail, "1 of its 1 files; 1 newer commit in the folder since") {
		t.Errorf("evidence %+v", ev)
	}
	if a, b := res.Suspects[0].Score, res.Suspects[1].Score; a <= b {
		t.Errorf("helper %.4f, sweep %.4f: the focused change should weigh more", a, b)
	}
	// Off, as at weight 0, nothing touched a frame's file.
	if res := NewIndex([]RepoHistory{h}, Options{}).Rank(sig); DefaultWeights.Dir == 0 && !res.Abstained {
		t.Errorf("with Dir 0: got %v, want an abstention", hashes(res))
	}
	// Once a commit touched a frame's file, the neighbours' changes weigh
	// DirWith, far below it (and at 0 are no suspects beside it).
	own := cand("own", 40, modified("src/fib/fib_table.c", hunk(200, 3, 200, 4, "", []int{201}, nil)),
		modified("src/fib/fib_path.c", hunk(10, 3, 10, 4, "", []int{11}, nil)))
	h2 := h
	h2.Commits = linked([]Candidate{helper, sweep, far, own})
	for _, with := range []float64{0, DefaultWeights.DirWith} {
		w2 := w
		w2.DirWith = with
		res = NewIndex([]RepoHistory{h2}, Options{Weights: &w2}).Rank(sig)
		want := []string{"own"}
		if with > 0 {
			want = []string{"own", "helper", "sweep"}
		}
		if got := hashes(res); !reflect.DeepEqual(got, want) {
			t.Errorf("DirWith %v, a commit touching the frame's file: got %v, want %v", with, got, want)
			continue
		}
		for _, e := range res.Suspects[0].Evidence {
			if e.Kind == KindDir {
				t.Errorf("own: folder evidence %+v", e)
			}
		}
		if with > 0 {
			if ev := res.Suspects[1].Evidence[0]; ev.Kind != KindDir || !strings.Contains(ev.Detail, "2 newer commits in the folder since") {
				t.Errorf("helper beside a touched file: evidence %+v", ev)
			}
			if a, b := res.Suspects[0].Score, res.Suspects[1].Score; a < 3*b {
				t.Errorf("own %.4f, helper %.4f: the change to the frame's file should weigh far more", a, b)
			}
		}
	}
	// A function-only frame maps by definition: no folder of its own.
	res = NewIndex([]RepoHistory{h}, Options{Weights: &w}).Rank(sigAt(frame("", 0, "fib_table_get")))
	if !res.Abstained {
		t.Errorf("function-only frame: got %v, want an abstention", hashes(res))
	}
}

// A function-only frame (DPDK's "PANIC in f():") maps to the code that
// defines its function, not to the unit tests' stand-ins for it: SPDK's
// tests define spdk_bdev_io_complete in five files, which were too many
// files to blame in before.
func TestFunctionOnlyFrameSkipsTestDefinitions(t *testing.T) {
	fix := cand("fix", 10, modified("lib/bdev/bdev.c", hunk(8118, 3, 8118, 4, "", []int{8120}, nil)))
	mock := cand("mock", 20, modified("test/unit/lib/bdev/raid/bdev_raid_ut.c", hunk(340, 3, 340, 4, "", []int{345}, nil)))
	defs := []string{"lib/bdev/bdev.c", "test/unit/lib/bdev/crypto.c/crypto_ut.c", "test/unit/lib/bdev/raid/bdev_raid_ut.c",
		"test/unit/lib/bdev/nvme/bdev_nvme_ut.c"}
	h := RepoHistory{Repo: "spdk/spdk", Commits: linked([]Candidate{fix, mock}), Tree: defs,
		Definitions: map[string][]string{"spdk_bdev_io_complete": defs}}
	res := NewIndex([]RepoHistory{h}, Options{}).Rank(sigAt(frame("", 8120, "spdk_bdev_io_complete")))
	if got := hashes(res); !reflect.DeepEqual(got, []string{"fix"}) {
		t.Fatalf("got %v (abstained %v: %s), want fix alone", got, res.Abstained, res.Reason)
	}
	if res.Frames[0].Path != "lib/bdev/bdev.c" {
		t.Errorf("frame mapped to %q, want lib/bdev/bdev.c", res.Frames[0].Path)
	}
	for p, want := range map[string]bool{"test/unit/lib/bdev/raid/bdev_raid_ut.c": true, "tests/test_config.py": true,
		"pkg/x/x_test.go": true, "src/testament.c": false, "lib/bdev/bdev.c": false, "selftests/net/a.c": true} {
		if got := testPath(p); got != want {
			t.Errorf("testPath(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestProximityDetailNamesBothLines: a change near the frame's line in an
// older version, before lines were inserted above it, says where the line
// is in the trace and where it was in that commit, so a reader can find it.
func TestProximityDetailNamesBothLines(t *testing.T) {
	cands := []Candidate{
		cand("aaaa", 0, addedFile("pkg/cart/cart.go", 50, "")),
		cand("bbbb", 10, modified("pkg/cart/cart.go", hunk(9, 3, 9, 3, "", []int{10}, []int{10}))),
		cand("cccc", 20, modified("pkg/cart/cart.go", hunk(1, 3, 1, 8, "", seq(2, 6), nil))),
	}
	res := rank(sigAt(frame("pkg/cart/cart.go", 25, "Total")), cands, Options{})
	for _, s := range res.Suspects {
		if s.Hash != "bbbb" {
			continue
		}
		for _, e := range s.Evidence {
			if e.Kind == KindProximity {
				if want := "changed line 10, 10 lines from the frame's line, which is line 25 at signal time and line 20 in this commit"; !strings.HasPrefix(e.Detail, want) {
					t.Errorf("got %q, want it to start with %q", e.Detail, want)
				}
				return
			}
		}
	}
	t.Fatalf("no proximity evidence for bbbb in %+v", res.Suspects)
}

// A function-only frame maps by the hunks of the window only to code: a
// README's hunk whose header git took from a line that reads like a call
// ("checkout(cart) returns the order") defines no function. An obfuscated
// JVM frame ("com.shop.a.a(SourceFile:12)") once mapped to a README this
// way and named its commit first.
func TestFunctionOnlyFrameIgnoresHunksOfText(t *testing.T) {
	docs := cand("docs", 30, modified("README.md", hunk(40, 3, 40, 4, "checkout(cart) returns the order", []int{42}, nil)))
	code := cand("code", 10, modified("src/shop.c", hunk(20, 3, 20, 4, "int checkout(struct cart *c)", []int{22}, nil)))
	h := RepoHistory{Repo: "acme/shop", Commits: linked([]Candidate{code, docs}), Tree: []string{"README.md", "src/shop.c"}}
	res := NewIndex([]RepoHistory{h}, Options{}).Rank(sigAt(frame("", 0, "checkout")))
	if got := hashes(res); !reflect.DeepEqual(got, []string{"code"}) {
		t.Fatalf("got %v (abstained %v: %s), want code alone", got, res.Abstained, res.Reason)
	}
	h.Commits = linked([]Candidate{docs})
	res = NewIndex([]RepoHistory{h}, Options{}).Rank(sigAt(frame("", 0, "checkout")))
	if len(res.Suspects) != 0 {
		t.Fatalf("got %v, want an abstention: a README defines no function", hashes(res))
	}
}
