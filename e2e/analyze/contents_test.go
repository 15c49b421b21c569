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
			kinds = append(kinds, e.Rule)
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
			kinds = append(kinds, e.Rule)
		}
		if s.Hash != older || !slices.Contains(kinds, "fixed") {
			t.Errorf("%v: got %.12s with %v first, want %.12s with fixed evidence", args, s.Hash, kinds, older)
		}
		// The JSON's kind stays among the contract's six; rule is finer.
		for _, e := range s.Evidence {
			if !slices.Contains([]string{"line", "function", "proximity", "file", "text", "recency"}, e.Kind) {
				t.Errorf("%v: evidence kind %q (rule %q) is not one of the contract's", args, e.Kind, e.Rule)
			}
			if e.Rule == "fixed" && e.Kind != "text" {
				t.Errorf("%v: the fixed rule has kind %q, want text", args, e.Kind)
			}
		}
	}
}

// TestBitbucketFindsWhichSameNamedFileDefines: Valgrind names a frame's
// file by its base name, and two files of the tree share it. Locally git
// grep finds the one defining the frame's function; through Bitbucket,
// which cannot search code, both are read (one request each, cached) to
// find it. Both paths then blame builtin/commit.c, whose change to
// prepare_to_commit is the suspect, not the newer change to the other
// commit.c at the same line.
func TestBitbucketFindsWhichSameNamedFileDefines(t *testing.T) {
	requireGit(t)
	dir, writeFile, commit := scratchRepo(t)
	now := time.Now().UTC().Truncate(time.Second)
	write := func(name, fn, stmt string) {
		writeFile(name, "#include \"cache.h\"\n\nint "+fn+"(struct commit *c)\n{\n\t"+stmt+";\n\treturn c->flags;\n}\n")
	}
	write("commit.c", "commit_tree", "c->flags = 0")
	write("builtin/commit.c", "prepare_to_commit", "c->flags = 0")
	commit(now.Add(-60*24*time.Hour), "first")
	write("builtin/commit.c", "prepare_to_commit", "c = lookup(c)")
	inducer := commit(now.Add(-6*24*time.Hour), "commit: look the commit up again")
	write("commit.c", "commit_tree", "c->flags = 1")
	commit(now.Add(-2*24*time.Hour), "commit: mark the tree")

	trace := filepath.Join(t.TempDir(), "valgrind.txt")
	if err := os.WriteFile(trace, []byte("==4242== Invalid read of size 4\n"+
		"==4242==    at 0x1A2B3C: prepare_to_commit (commit.c:6)\n"+
		"==4242==    by 0x1A2C00: main (git.c:20)\n"+
		"==4242==  Address 0x0 is not stack'd, malloc'd or (recently) free'd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, r := fakeRepo(t, "git", dir, bitbuckettest.Options{})
	r.now = now
	// The listing, and each of the two files once; builtin/commit.c is read
	// once for both the definition and the frame's line.
	bothPathsAgree(t, srv, r, "git", dir, trace, 0, "builtin/commit.c", inducer, 3)
}

// TestBitbucketMapsFunctionOnlyFramesLikeLocal: a kernel call trace names
// functions, not files. Locally git grep finds the file defining each;
// through Bitbucket, which cannot search code, the files the window's
// commits touched are read (one request each, cached) to find them. Both
// paths then map mt_usb_probe to drv/usb.c and name the change to that
// file, though no hunk header of the window names the function.
func TestBitbucketMapsFunctionOnlyFramesLikeLocal(t *testing.T) {
	requireGit(t)
	dir, write, commit := scratchRepo(t)
	now := time.Now().UTC().Truncate(time.Second)
	fn := func(name string) string {
		return "int " + name + "(struct usb_interface *intf)\n{\n\tstruct mt_dev *dev = get(intf);\n\n\treturn setup(dev);\n}\n\n"
	}
	write("drv/usb.c", "#include \"mt.h\"\n\n"+fn("mt_usb_probe")+fn("mt_usb_disconnect"))
	write("drv/pci.c", "#include \"mt.h\"\n\n"+fn("mt_pci_probe"))
	write("README", "mt\n")
	commit(now.Add(-60*24*time.Hour), "first")
	// A change to usb.c that no hunk header names mt_usb_probe for: the
	// file's first lines.
	write("drv/usb.c", "#include \"mt.h\"\n#include \"usb.h\"\n\n"+fn("mt_usb_probe")+fn("mt_usb_disconnect"))
	inducer := commit(now.Add(-6*24*time.Hour), "usb: include the usb header")
	write("drv/pci.c", "#include \"mt.h\"\n#include \"pci.h\"\n\n"+fn("mt_pci_probe"))
	commit(now.Add(-3*24*time.Hour), "pci: include the pci header")
	write("README", "mt76\n")
	commit(now.Add(-2*24*time.Hour), "readme")

	trace := filepath.Join(t.TempDir(), "oops.txt")
	if err := os.WriteFile(trace, []byte("WARNING: CPU: 1 PID: 42 at lib/refcount.c:25 refcount_warn_saturate+0x6e/0x110\n"+
		"Call Trace:\n <TASK>\n mt_usb_probe+0x7d/0x180 [mt]\n usb_probe_interface+0x10b/0x2c0\n really_probe+0x1a7/0x3c0\n </TASK>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, r := fakeRepo(t, "mt", dir, bitbuckettest.Options{})
	r.now = now
	// The listing, and the two source files the window touched.
	bothPathsAgree(t, srv, r, "mt", dir, trace, 1, "drv/usb.c", inducer, 3)
}

// TestBitbucketProbesFramesFilesInAHugeTree: a tree too large to list
// (the double reports 200,000 entries). The crashing frame's file,
// svc/cart/total.go, was touched by no commit of the window, so only the
// tree says it exists; without it the frame mapped to nothing and the run
// abstained. Its path's suffixes are asked about instead (longest first,
// one request each), and both paths name the change beside it in
// svc/cart.
func TestBitbucketProbesFramesFilesInAHugeTree(t *testing.T) {
	requireGit(t)
	dir, write, commit := scratchRepo(t)
	now := time.Now().UTC().Truncate(time.Second)
	write("svc/cart/total.go", "package cart\n\nfunc Total(c *Cart) int {\n\treturn c.Sum / c.N\n}\n")
	write("svc/cart/tax.go", "package cart\n\nfunc Tax(c *Cart) int { return 0 }\n")
	write("docs/README", "shop\n")
	commit(now.Add(-60*24*time.Hour), "first")
	write("svc/cart/tax.go", "package cart\n\nfunc Tax(c *Cart) int { c.N = 0; return 0 }\n")
	beside := commit(now.Add(-5*24*time.Hour), "cart: reset the count when taxing")
	write("docs/README", "shop, the cart service\n")
	commit(now.Add(-2*24*time.Hour), "docs")

	trace := filepath.Join(t.TempDir(), "panic.txt")
	if err := os.WriteFile(trace, []byte("panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:\n"+
		"example.com/shop/svc/cart.Total(0xc000010000)\n\t/build/shop/svc/cart/total.go:4 +0x1d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, r := fakeRepo(t, "shop", dir, bitbuckettest.Options{TreeSize: 200000})
	r.now = now
	// The listing's first page (too large: it stops there, and that is
	// cached), then build/shop/svc/cart/total.go, shop/svc/cart/total.go and
	// svc/cart/total.go, which is found; reading it later is free, and the
	// missing paths are cached as missing.
	bothPathsAgree(t, srv, r, "shop", dir, trace, 0, "svc/cart/total.go", beside, 4)
}

// scratchRepo starts an empty git repository of the test's own and returns
// its folder, a function writing a file there (folders made as needed) and
// one committing everything at a time, returning the commit's hash.
func scratchRepo(t *testing.T) (string, func(name, body string), func(at time.Time, msg string) string) {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, time.Time{}, "init", "-q", "-b", "main")
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(at time.Time, msg string) string {
		t.Helper()
		git(t, dir, at, "add", "-A")
		git(t, dir, at, "commit", "-q", "-m", msg)
		return git(t, dir, time.Time{}, "rev-parse", "HEAD")
	}
	return dir, write, commit
}

// bothPathsAgree analyzes the signal in trace over 30 days from the
// checkout dir and from the double serving it as acme/slug: on both the
// signal's frame maps to path and first is the top suspect. Through
// Bitbucket the run makes cold /src requests, and none once cached.
func bothPathsAgree(t *testing.T, srv *bitbuckettest.Server, r *runner, slug, dir, trace string, frame int, path, first string, cold int) {
	t.Helper()
	src := "/2.0/repositories/acme/" + slug + "/src/"
	for _, args := range [][]string{{"--local", dir}, {"--repo", "acme/" + slug}} {
		srv.ResetRequests()
		rep := r.report(t, append(args, "--signal", trace, "--lookback-days", "30")...)
		if len(rep.Signals) != 1 || len(rep.Signals[0].Suspects) == 0 || len(rep.Signals[0].Frames) <= frame {
			t.Fatalf("%v: got %+v, want one signal with suspects", args, rep.Signals)
		}
		if f := rep.Signals[0].Frames[frame]; f.Path != path {
			t.Errorf("%v: frame %d (%s) maps to %q, want %s", args, frame, f.Function, f.Path, path)
		}
		if got := rep.Signals[0].Suspects[0].Hash; got != first {
			t.Errorf("%v: got %.12s first, want %.12s", args, got, first)
		}
		if n := srv.CountRequests(src); args[0] == "--repo" && n != cold {
			t.Errorf("cold: got %d /src requests, want %d", n, cold)
		}
	}
	srv.ResetRequests()
	r.report(t, "--repo", "acme/"+slug, "--signal", trace, "--lookback-days", "30")
	if n := srv.CountRequests(src); n != 0 {
		t.Errorf("warm: got %d /src requests, want 0 (cached by commit)", n)
	}
}
