package suspect

import (
	"math"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// FuzzRank feeds outside input (frame paths, lines and function names as a
// stack trace gives them, and hunk ranges as a diff gives them) through
// mapping, blame and scoring, and checks the result's invariants.
func FuzzRank(f *testing.F) {
	f.Add("/build/pkg/cart/total.go", 25, "(*Cart).Total", "Cart.java", "com.acme.cart.Cart", 17, 7, 17, 7, 20, "func (c *Cart) Total() int {")
	f.Add(`C:\src\pkg\cart\total.go`, 0, "", "", "", 1, 0, 1, 3, 2, "")
	f.Add("file:///a%2/b", -5, "def f(", "x.kt", "A.b.C", 0, 0, 0, 0, 0, "(((")
	f.Add("webpack:///./../..//total.go", 1<<30, "<module>", "", "", 5, -3, 2, -9, 1<<30, "class X:")
	f.Fuzz(func(t *testing.T, file string, line int, fn, jfile, module string, oldStart, oldLines, newStart, newLines, added int, section string) {
		h := diffstat.Hunk{OldStart: oldStart, OldLines: oldLines, NewStart: newStart, NewLines: newLines, Section: section,
			Added: []diffstat.Line{{N: added, Text: fn}}, Removed: []diffstat.Line{{N: oldStart, Text: file}}}
		ren := diffstat.File{Path: "pkg/cart/total.go", OldPath: "pkg/total.go", Status: diffstat.Renamed, Hunks: []diffstat.Hunk{h}}
		cands := []Candidate{
			cand("a", 0, addedFile("pkg/total.go", 40, section)),
			cand("b", 1, ren),
			cand("c", 2, modified("pkg/cart/total.go", h, h)),
			cand("d", 3, modified("src/main/java/com/acme/cart/Cart.java", h)),
		}
		cands[3].Commit.Parents = []string{"c", "b"}
		sig := sigAt(
			signal.Frame{File: file, Line: line, Function: fn, InApp: true},
			signal.Frame{File: jfile, Module: module, Line: line, Function: fn, InApp: true},
		)
		sig.Symptoms = []string{fn, section}
		res := rank(sig, cands, Options{Mappings: []Mapping{{Repo: "acme/shop", StackRoot: module, SourceRoot: jfile}}})
		if len(res.Frames) != 2 {
			t.Fatalf("got %d frames, want 2", len(res.Frames))
		}
		if res.Abstained != (len(res.Suspects) == 0) || res.Abstained != (res.Reason != "") {
			t.Fatalf("got abstained %v, reason %q, %d suspects", res.Abstained, res.Reason, len(res.Suspects))
		}
		for i, s := range res.Suspects {
			if s.Rank != i+1 || s.Score < 0 || s.Score > 1 || math.IsNaN(s.Score) {
				t.Fatalf("suspect %d: rank %d score %v", i, s.Rank, s.Score)
			}
			if i > 0 && s.Score > res.Suspects[i-1].Score {
				t.Fatalf("suspect %d: score %v above the previous %v", i, s.Score, res.Suspects[i-1].Score)
			}
			if len(s.Evidence) == 0 || s.Evidence[0].Detail == "" {
				t.Fatalf("suspect %d has no evidence detail: %+v", i, s.Evidence)
			}
		}
	})
}

// FuzzFixesOf feeds a commit message (outside input) to the reading of
// the causes it names: each named commit is another commit of the window
// whose hash the message holds, named once.
func FuzzFixesOf(f *testing.F) {
	f.Add("Fixes: aaaaaaaaaaaa (\"first\")\nRegression-from: bbbbbbbb")
	f.Add("introduced in commit aaaaaaaa. broken by\nbbbbbbbbbbbb, caused by 12345678")
	f.Add("This reverts commit aaaaaaaaaaaa.\nRegressed-in: AAAAAAA")
	f.Fuzz(func(t *testing.T, msg string) {
		hashes := []string{strings.Repeat("a", 40), strings.Repeat("b", 40), "c" + strings.Repeat("0", 39)}
		var cands []Candidate
		for i, h := range hashes {
			c := cand(h, i)
			if i == 2 {
				c.Commit.Message = msg
			}
			cands = append(cands, c)
		}
		idx := NewIndex([]RepoHistory{{Repo: "r", Commits: cands}}, Options{})
		for ci, xs := range idx.fixedBy {
			h := idx.cands[ci].Commit.Hash
			if len(xs) != 1 || idx.cands[xs[0]].Commit.Hash != hashes[2] || h == hashes[2] {
				t.Fatalf("%.8s named by %v", h, xs)
			}
			if !strings.Contains(strings.ToLower(msg), h[:7]) {
				t.Fatalf("%.8s named by a message without its hash: %q", h, msg)
			}
		}
	})
}

// FuzzFunctionName checks the naming of a frame's function on any text:
// the name is a part of the text, with no space in it.
func FuzzFunctionName(f *testing.F) {
	for _, s := range []string{
		"CartViewModel.total.getter", "closure #1 in CartView.body.getter", "-[A b:c:]",
		"protocol witness for View.body.getter in conformance CartView", "generic specialization <Int> of f",
		"acme::Cart::total(int) const", "static int foo(struct bar *b)", "main.main.func1", "closure #",
		"nft_do_chain.isra.0+0x1c [nf_tables]", "-[", "+[A ]", "+[ 0 0]",
		"_CartPageState.build.<anonymous closure>", "new CartModel.fromJson", "main.<fn>.<fn>", "<anonymous closure>", "List.[]",
		`App\Cart->total`, `App\Cart::total`, `App\Cart->App\{closure}`, "{main}", `{closure:App\Cart::total():42}`,
		`{closure:{closure:A::b():1}:2}`, "{closure:", "{closure:)}", "{{closure}}",
		"block (2 levels) in Cart#total", "<class:Cart>", "Cart#<=>", "rescue in <top (required)>",
		"in function 'Cart:total'", "in function <cart.lua:12>", "in method ''", "in local 'x",
		"Shop::Cart::total", "main::__ANON__", "Shop::Cart::__ANON__[lib/Shop/Cart.pm:40]", "eval {...}", "require Shop/Cart.pm", "(eval)",
		"Shop.Cart.total/1", "anonymous fn/1 in Shop.Cart.total/1", `Enum."-map/2-lists^map/1-1-"/2`, "shop_cart:total/1",
		"-total/1-fun-0-", "shop_cart:'-total/1-fun-0-'/2", `A."call (overridable 3)"/2`, "(test)", "anonymous fn", "-/1-", `"/1`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, fn string) {
		got := FunctionName(fn)
		if !strings.Contains(fn, got) || strings.ContainsAny(got, " \t\n") {
			t.Fatalf("FunctionName(%q) = %q", fn, got)
		}
	})
}
