package analyze_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cli/analyze"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

// TestBitbucketReadsFramesFilesLikeLocal: ranking reads the frames' files
// at the failing version on both paths (git locally, /src on Bitbucket, one
// request per file and one per 100 entries of the tree's listing, none once
// cached), so both name the same suspect
// with the same evidence. Here the crash is in Cart.total, a Python method:
// the hunk headers of both recent commits name only the class, and only
// the method's extent in the file tells that the older commit changed
// total and the newer one added code after it.
func TestBitbucketReadsFramesFilesLikeLocal(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	now := time.Now().UTC().Truncate(time.Second)
	git(t, dir, time.Time{}, "init", "-q", "-b", "main")
	method := func(name string, first string, n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "    def %s(self):\n        %s\n", name, first)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "        self.v%d = %d\n", i, i)
		}
		b.WriteString("        return sum(self.items) / self.count\n\n")
		return b.String()
	}
	write := func(body string) {
		if err := os.MkdirAll(filepath.Join(dir, "shop"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "shop", "cart.py"), []byte("class Cart:\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(at time.Time, msg string) string {
		git(t, dir, at, "add", "-A")
		git(t, dir, at, "commit", "-q", "-m", msg)
		return git(t, dir, time.Time{}, "rev-parse", "HEAD")
	}
	write(method("setup", "self.items = []", 2) + method("total", "self.count = 1", 12))
	commit(now.Add(-60*24*time.Hour), "cart: first")
	write(method("setup", "self.items = []", 2) + method("total", "self.count = len(self.items)", 12))
	inside := commit(now.Add(-5*24*time.Hour), "cart: count the items")
	write(method("setup", "self.items = []", 2) + method("total", "self.count = len(self.items)", 12) + method("tax", "self.rate = 0", 1))
	commit(now.Add(-2*24*time.Hour), "cart: add tax")

	// The division at the end of total: line 2 + 4 (setup) + 1 + 1 + 12 + 1.
	trace := filepath.Join(t.TempDir(), "trace.txt")
	if err := os.WriteFile(trace, []byte("Traceback (most recent call last):\n"+
		"  File \"/srv/app/shop/cart.py\", line 21, in total\n"+
		"    return sum(self.items) / self.count\n"+
		"ZeroDivisionError: division by zero\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	srv, r := fakeRepo(t, "shop", dir, bitbuckettest.Options{})
	r.now = now

	top := func(rep *analyze.Report) (string, []string) {
		t.Helper()
		if len(rep.Signals) != 1 || len(rep.Signals[0].Suspects) == 0 {
			t.Fatalf("got %+v, want one signal with suspects", rep.Signals)
		}
		s := rep.Signals[0].Suspects[0]
		var kinds []string
		for _, e := range s.Evidence {
			kinds = append(kinds, e.Kind)
		}
		return s.Hash, kinds
	}
	local := r.report(t, "--local", dir, "--signal", trace, "--lookback-days", "30")
	lh, lk := top(local)
	if lh != inside || !slices.Contains(lk, "function") {
		t.Fatalf("--local: got %.12s with %v, want %.12s with function evidence", lh, lk, inside)
	}
	srv.ResetRequests()
	remote := r.report(t, "--repo", "acme/shop", "--signal", trace, "--lookback-days", "30")
	rh, rk := top(remote)
	if rh != lh || strings.Join(rk, ",") != strings.Join(lk, ",") {
		t.Errorf("Bitbucket: got %.12s with %v, want %.12s with %v as --local", rh, rk, lh, lk)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/shop/src/"); n != 2 {
		t.Errorf("cold: got %d /src requests, want 2 (the tree's listing, one page, and the frame's one file)", n)
	}
	srv.ResetRequests()
	again := r.report(t, "--repo", "acme/shop", "--signal", trace, "--lookback-days", "30")
	if h, _ := top(again); h != lh {
		t.Errorf("warm: got %.12s, want %.12s", h, lh)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/shop/src/"); n != 0 {
		t.Errorf("warm: got %d /src requests, want 0 (cached by commit)", n)
	}
}

// TestFixesTrailerOverBitbucketLikeLocal: two commits of the window change
// the crashing function, and the newer names the older in a Fixes:
// trailer. Both paths rank the older first with the trailer as evidence:
// Bitbucket's commit listing carries the whole message, as git log does.
func TestFixesTrailerOverBitbucketLikeLocal(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	now := time.Now().UTC().Truncate(time.Second)
	git(t, dir, time.Time{}, "init", "-q", "-b", "main")
	write := func(first, second string) {
		src := "package smp\n\nfunc Send(p *P) int {\n\t" + first + "\n\t" + second + "\n\treturn p.a / p.b\n}\n"
		if err := os.WriteFile(filepath.Join(dir, "smp.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(at time.Time, msg string) string {
		git(t, dir, at, "add", "-A")
		git(t, dir, at, "commit", "-q", "-m", msg)
		return git(t, dir, time.Time{}, "rev-parse", "HEAD")
	}
	write("p.a = 1", "p.b = 2")
	commit(now.Add(-60*24*time.Hour), "smp: first")
	write("p.a = 1", "p.b = shorthand(p)")
	older := commit(now.Add(-9*24*time.Hour), "smp: use a shorthand")
	write("p.a = inIRQ(p)", "p.b = shorthand(p)")
	commit(now.Add(-2*24*time.Hour), "smp: not in interrupt context\n\nFixes: "+older[:12]+" (\"smp: use a shorthand\")")

	trace := filepath.Join(t.TempDir(), "panic.txt")
	if err := os.WriteFile(trace, []byte("panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:\n"+
		"example.com/smp.Send(0xc000010000)\n\t/build/smp/smp.go:6 +0x1d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r := fakeRepo(t, "smp", dir, bitbuckettest.Options{})
	r.now = now
	for _, args := range [][]string{{"--local", dir}, {"--repo", "acme/smp"}} {
		rep := r.report(t, append(args, "--signal", trace, "--lookback-days", "30")...)
		if len(rep.Signals) != 1 || len(rep.Signals[0].Suspects) < 2 {
			t.Fatalf("%v: got %+v, want two suspects", args, rep.Signals)
		}
		s := rep.Signals[0].Suspects[0]
		var kinds []string
		for _, e := range s.Evidence {
			kinds = append(kinds, e.Kind)
		}
		if s.Hash != older || !slices.Contains(kinds, "fixed") {
			t.Errorf("%v: got %.12s with %v first, want %.12s with fixed evidence", args, s.Hash, kinds, older)
		}
	}
}
