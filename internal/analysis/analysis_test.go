package analysis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// TestDefinitionCandidates: the files sharing a named frame's name come
// first, when there are no more than maxSameNamed of them; then, for
// function-only frames, the touched files the tree holds, the most touched
// first.
func TestDefinitionCandidates(t *testing.T) {
	tree := []string{"commit.c", "builtin/commit.c", "commit.h", "src/xmpp/omemo.c", "src/omemo/omemo.c", "xcommit.c", "a.c", "b.c"}
	for i := 0; i <= maxSameNamed; i++ {
		tree = append(tree, fmt.Sprintf("d%d/util.c", i))
	}
	change := func(paths ...string) Commit {
		ch := &history.Change{}
		for _, p := range paths {
			ch.Files = append(ch.Files, diffstat.File{Path: p})
		}
		return Commit{Change: ch}
	}
	r := &Repo{tree: tree, all: []Commit{change("a.c", "b.c", "gone.c"), change("b.c", "builtin/commit.c")}}
	named := []signal.Frame{{File: "/build/git/commit.c"}, {File: "xmpp/omemo.c"}, {File: "util.c"}, {File: "missing.c"}}
	if got := strings.Join(definitionCandidates(r, named, false), ","); got != "commit.c,builtin/commit.c" {
		t.Errorf("named frames: got %q, want the two commit.c (omemo.c is not ambiguous, util.c has too many)", got)
	}
	if got := strings.Join(definitionCandidates(r, named, true), ","); got != "commit.c,builtin/commit.c,b.c,a.c" {
		t.Errorf("with function-only frames: got %q, want the touched files after, b.c (touched twice) first, gone.c left out", got)
	}
}

func TestSuffixes(t *testing.T) {
	for _, tc := range []struct {
		f    signal.Frame
		want string
	}{
		{signal.Frame{File: "/build/app/cart/total.go"}, "build/app/cart/total.go|app/cart/total.go|cart/total.go|total.go"},
		{signal.Frame{File: `C:\src\Shop\Cart.cs`}, `src/Shop/Cart.cs|Shop/Cart.cs|Cart.cs`},
		{signal.Frame{File: "webpack:///./src/x.js"}, "src/x.js|x.js"},
		{signal.Frame{File: "https://cdn.example.com/static/js/app.js?v=2"}, "static/js/app.js|js/app.js|app.js"},
		{signal.Frame{File: "../../lib/a.c"}, "lib/a.c|a.c"},
		{signal.Frame{File: "Cart.java", Module: "com.acme.cart.Cart"}, "com/acme/cart/Cart.java|acme/cart/Cart.java|cart/Cart.java|Cart.java"},
		{signal.Frame{File: "commit.c"}, "commit.c"},
		{signal.Frame{File: "/a/b/c/d/e/f/g/h/i/j.c"}, "c/d/e/f/g/h/i/j.c|d/e/f/g/h/i/j.c|e/f/g/h/i/j.c|f/g/h/i/j.c|g/h/i/j.c|h/i/j.c|i/j.c|j.c"},
		{signal.Frame{}, ""},
	} {
		if got := strings.Join(suffixes(tc.f), "|"); got != tc.want {
			t.Errorf("suffixes(%q): got %q, want %q", tc.f.File, got, tc.want)
		}
	}
}

// fakeProber answers from a set of paths and records each batch; from
// batch failFrom on (when > 0) it fails.
type fakeProber struct {
	paths    map[string]bool
	batches  [][]string
	failFrom int
}

func (f *fakeProber) Probe(_ context.Context, _ string, paths []string) ([]string, error) {
	f.batches = append(f.batches, paths)
	if f.failFrom > 0 && len(f.batches) >= f.failFrom {
		return nil, errors.New("HTTP 429")
	}
	var out []string
	for _, p := range paths {
		if f.paths[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// TestProbeFrames: each frame's file is found at its longest existing
// suffix, in rounds of every frame's longest untried suffix; a path is
// asked about once, a known path is not asked about, and the cap holds.
func TestProbeFrames(t *testing.T) {
	pr := &fakeProber{paths: map[string]bool{"cart/total.go": true, "app/main.go": true, "main.go": true, "pay/charge.go": true}}
	var frames []signal.Frame
	for _, f := range []string{"/srv/app/cart/total.go", "/srv/app/main.go", "/srv/app/cart/total.go", "/srv/app/pay/charge.go", "/srv/x/cart/total.go"} {
		frames = append(frames, signal.Frame{File: f})
	}
	got, err := probeFrames(context.Background(), pr, "h", frames, map[string]int{"pay/charge.go": 1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "app/main.go,cart/total.go" {
		t.Errorf("got %v, want app/main.go then cart/total.go (main.go is shorter than app/main.go; pay/charge.go is known)", got)
	}
	want := [][]string{
		{"srv/app/cart/total.go", "srv/app/main.go", "srv/x/cart/total.go"},
		{"app/cart/total.go", "app/main.go", "x/cart/total.go"},
		{"cart/total.go"},
	}
	if fmt.Sprint(pr.batches) != fmt.Sprint(want) {
		t.Errorf("got batches %v, want %v", pr.batches, want)
	}

	many := &fakeProber{}
	var deep []signal.Frame
	for i := 0; i < 40; i++ {
		deep = append(deep, signal.Frame{File: fmt.Sprintf("/a/b/c%d/x.c", i)})
	}
	if _, err := probeFrames(context.Background(), many, "h", deep, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range many.batches {
		n += len(b)
	}
	if n != maxProbes {
		t.Errorf("asked about %d paths, want the cap %d", n, maxProbes)
	}
}

// TestProbeFramesStopsOnFailure: a failed batch (a rate limit) ends the
// lookup with what was found so far and the error, for the report.
func TestProbeFramesStopsOnFailure(t *testing.T) {
	pr := &fakeProber{paths: map[string]bool{"app/main.go": true}, failFrom: 2}
	frames := []signal.Frame{{File: "/srv/app/main.go"}, {File: "/srv/app/cart/total.go"}}
	got, err := probeFrames(context.Background(), pr, "h", frames, nil)
	if err == nil || len(pr.batches) != 2 || len(got) != 0 {
		t.Errorf("got %v, %v after %d batches; want nothing found, the error, 2 batches", got, err, len(pr.batches))
	}
}

// FuzzSuffixes: a frame's file comes from outside; its suffixes never
// panic, are at most maxProbeDepth, longest first, each ending the next
// longer one.
func FuzzSuffixes(f *testing.F) {
	f.Add("/build/app/cart/total.go", "")
	f.Add(`C:\src\x.cs`, "")
	f.Add("Cart.java", "com.acme.Cart")
	f.Add("webpack:///../%2e%2e/x.js?y#z", "")
	f.Fuzz(func(t *testing.T, file, module string) {
		got := suffixes(signal.Frame{File: file, Module: module})
		if len(got) > maxProbeDepth {
			t.Fatalf("%d suffixes, want at most %d", len(got), maxProbeDepth)
		}
		for i := 1; i < len(got); i++ {
			if len(got[i]) >= len(got[i-1]) || !strings.HasSuffix(got[i-1], "/"+got[i]) {
				t.Fatalf("suffix %q does not end %q", got[i], got[i-1])
			}
		}
	})
}
