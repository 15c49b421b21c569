package analysis

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

func TestSameNamed(t *testing.T) {
	tree := []string{"commit.c", "builtin/commit.c", "commit.h", "src/xmpp/omemo.c", "src/omemo/omemo.c", "xcommit.c"}
	many := []string{}
	for i := 0; i <= maxSameNamed; i++ {
		many = append(many, fmt.Sprintf("d%d/util.c", i))
	}
	for _, tc := range []struct {
		tree []string
		file string
		want string
	}{
		{tree, "commit.c", "commit.c,builtin/commit.c"},
		{tree, "/build/git/commit.c", "commit.c,builtin/commit.c"},
		{tree, `C:\src\builtin\commit.c`, "builtin/commit.c"},
		{tree, "omemo.c", "src/xmpp/omemo.c,src/omemo/omemo.c"},
		{tree, "xmpp/omemo.c", "src/xmpp/omemo.c"},
		{tree, "missing.c", ""},
		{many, "util.c", ""}, // too many to read
		{many[:maxSameNamed], "util.c", strings.Join(many[:maxSameNamed], ",")},
	} {
		if got := strings.Join(sameNamed(tc.tree, tc.file), ","); got != tc.want {
			t.Errorf("sameNamed(%q): got %q, want %q", tc.file, got, tc.want)
		}
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

// fakeProber answers from a set of paths and records each batch.
type fakeProber struct {
	paths   map[string]bool
	batches [][]string
}

func (f *fakeProber) Probe(_ context.Context, _ string, paths []string) ([]string, error) {
	f.batches = append(f.batches, paths)
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
	got := probeFrames(context.Background(), pr, "h", frames, map[string]bool{"pay/charge.go": true})
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
	probeFrames(context.Background(), many, "h", deep, nil)
	n := 0
	for _, b := range many.batches {
		n += len(b)
	}
	if n != maxProbes {
		t.Errorf("asked about %d paths, want the cap %d", n, maxProbes)
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
