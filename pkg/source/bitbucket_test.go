package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
	"github.com/sigsentry/sigsentry/pkg/history"
)

// fakeBitbucket serves r as acme/app and returns an authenticated client.
func fakeBitbucket(t *testing.T, r *gitRepo, opts ...bitbuckettest.Options) (*bitbuckettest.Server, *bitbucket.Client) {
	t.Helper()
	var o bitbuckettest.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	srv := bitbuckettest.NewServer(o)
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Email: "ada@example.com", Workspaces: []string{"acme"}})
	srv.AddAPIToken("ada@example.com", "test-token", "read:repository:bitbucket")
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "app", GitDir: r.dir, Private: true}); err != nil {
		t.Fatal(err)
	}
	c, err := bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: bitbucket.BasicAuth("ada@example.com", "test-token"),
		// Retries without waiting: the tests are about what is retried.
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestBitbucketMatchesGit(t *testing.T) {
	r, w, h := sample(t)
	srv, client := fakeBitbucket(t, r)
	cacheDir := t.TempDir()
	b := NewBitbucket(client, "acme", "app", "", NewCache(cacheDir, "bitbucket", "acme/app"))
	ctx := context.Background()

	ref, err := b.DefaultRef(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ref != "main" {
		t.Errorf("DefaultRef: got %q, want %q", ref, "main")
	}
	if _, err := b.DefaultRef(ctx); err != nil {
		t.Fatal(err)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app"); n != 1 {
		// CountRequests counts by prefix, and nothing else was asked yet.
		t.Errorf("two DefaultRef calls: got %d requests, want 1", n)
	}

	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, merges := range []bool{false, true} {
		srv.ResetRequests()
		got, gsum := collect(t, b, ref, w, Options{Merges: merges})
		want, wsum := collect(t, l, ref, w, Options{Merges: merges})
		if g, w := hashesOf(got), hashesOf(want); strings.Join(g, ",") != strings.Join(w, ",") {
			t.Fatalf("merges=%t: got %v, want %v as local git lists them", merges, names(h, g), names(h, w))
		}
		if gsum.Head != wsum.Head {
			t.Errorf("merges=%t: got head %s, want %s", merges, gsum.Head, wsum.Head)
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.Commit.Repo != "acme/app" || g.Commit.Summary() != w.Commit.Summary() || !g.Commit.Landed.Equal(w.Commit.Landed) {
				t.Errorf("merges=%t commit %d: got %q landed %v (%s), want %q landed %v", merges, i,
					g.Commit.Summary(), g.Commit.Landed, g.Commit.Repo, w.Commit.Summary(), w.Commit.Landed)
			}
			if d := gitnumstat.Diff(g.Change.Files, gitNumstat(t, r, g.Commit.Hash)); len(d) > 0 {
				t.Errorf("Bitbucket change of %s differs from git:\n%s", names(h, []string{g.Commit.Hash}), strings.Join(d, "\n"))
			}
		}
		// One listing page, one diff per commit not yet cached.
		if n := srv.CountRequests("/2.0/repositories/acme/app/commits/"); n != 1 {
			t.Errorf("merges=%t: got %d listing requests, want 1", merges, n)
		}
		diffs := srv.CountRequests("/2.0/repositories/acme/app/diff/")
		if wantDiffs := gsum.Fetched; diffs != wantDiffs || gsum.Fetched+gsum.Cached != len(got) {
			t.Errorf("merges=%t: got %d diff requests, %d fetched and %d cached of %d", merges, diffs, gsum.Fetched, gsum.Cached, len(got))
		}
	}
	// A warm rerun makes no diff request at all.
	srv.ResetRequests()
	_, sum := collect(t, b, ref, w, Options{Merges: true})
	if n := srv.CountRequests("/2.0/repositories/acme/app/diff/"); n != 0 || sum.Fetched != 0 {
		t.Errorf("warm rerun: got %d diff requests (%d fetched), want 0", n, sum.Fetched)
	}
}

// TestBitbucketLandingWindow checks that the Bitbucket path, whose dates
// are author dates, agrees with the local one on a patch written long
// before it was applied, and drops the commits it fetched early that
// turned out to have landed after the window.
func TestBitbucketLandingWindow(t *testing.T) {
	r := newGitRepo(t)
	base := time.Now().Add(-100 * 24 * time.Hour).Truncate(time.Second).UTC()
	w := history.Window{Since: base.Add(40 * 24 * time.Hour), Until: base.Add(70 * 24 * time.Hour)}
	commitAt := func(author, committer time.Time, msg string) string {
		t.Helper()
		r.write("f.txt", msg+"\n")
		r.git(time.Time{}, "add", "-A")
		testenv.GitDates(t, r.dir, author, committer, "commit", "-q", "-m", msg)
		return r.git(time.Time{}, "rev-parse", "HEAD")
	}
	commitAt(base, base, "old base")
	landed := commitAt(w.Since.Add(24*time.Hour), w.Since.Add(24*time.Hour), "in the window")
	applied := commitAt(base.Add(time.Hour), w.Since.Add(25*time.Hour), "written early, applied in the window")
	commitAt(w.Until.Add(time.Hour), w.Until.Add(time.Hour), "after the window")
	srv, client := fakeBitbucket(t, r)
	b := NewBitbucket(client, "acme", "app", "main", nil)
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := collect(t, b, "main", w, Options{})
	want, _ := collect(t, l, "main", w, Options{})
	if g, w := hashesOf(got), hashesOf(want); strings.Join(g, ",") != strings.Join(w, ",") || len(g) != 2 || g[0] != applied || g[1] != landed {
		t.Errorf("got %v, want %v (local) = [applied landed]", g, w)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app/diff/"); n != 2 {
		t.Errorf("got %d diff requests, want 2", n)
	}
}

func TestBitbucketDiffTooLarge(t *testing.T) {
	r, _, h := sample(t)
	// Every diff is "too large" (555); diffstat still answers.
	_, client := fakeBitbucket(t, r, bitbuckettest.Options{MaxDiffBytes: 1})
	cacheDir := t.TempDir()
	b := NewBitbucket(client, "acme", "app", "main", NewCache(cacheDir, "bitbucket", "acme/app"))
	items, _ := collect(t, b, "main", history.Window{}, Options{Merges: true})
	byHash := map[string]*history.Change{}
	for _, it := range items {
		byHash[it.Commit.Hash] = it.Change
	}
	for _, name := range []string{"rename-edit", "delete", "binary", "mode"} {
		t.Run(name, func(t *testing.T) {
			ch := byHash[h[name]]
			if ch == nil {
				t.Fatalf("no change for %s", name)
			}
			if ch.Fallback != FallbackDiffstat {
				t.Errorf("got fallback %q, want %q", ch.Fallback, FallbackDiffstat)
			}
			want := gitNumstat(t, r, h[name])
			got := gitnumstat.FromFiles(ch.Files)
			if len(got) != len(want) {
				t.Fatalf("got %d files, want %d", len(got), len(want))
			}
			var added, removed, wantAdded, wantRemoved int
			for i := range got {
				added += got[i].Added
				removed += got[i].Removed
				wantAdded += want[i].Added
				wantRemoved += want[i].Removed
			}
			if added != wantAdded || removed != wantRemoved {
				t.Errorf("got +%d -%d, want +%d -%d", added, removed, wantAdded, wantRemoved)
			}
		})
	}
	// Fallbacks are not cached: a later run may get the full diff. Only
	// the empty commit, whose diff is empty, had a full one.
	full := 0
	for _, it := range items {
		if it.Change.Fallback == "" {
			full++
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(cacheDir, "changes", "*", "*", "*", "*.json.gz")); len(entries) != full || full != 1 {
		t.Errorf("got %d cache entries for %d full diffs, want 1 and 1 (none for fallbacks)", len(entries), full)
	}
}

func TestBitbucketDiffAndDiffstatTooLarge(t *testing.T) {
	r, _, h := sample(t)
	srv, client := fakeBitbucket(t, r, bitbuckettest.Options{MaxDiffBytes: 1})
	b := NewBitbucket(client, "acme", "app", "main", nil)
	srv.FailNext("/diffstat/", 555, 1000)
	items, _ := collect(t, b, "main", history.Window{}, Options{})
	for _, it := range items {
		if it.Commit.Hash != h["delete"] {
			continue
		}
		if it.Change.Fallback != FallbackNone || len(it.Change.Files) != 0 {
			t.Errorf("got fallback %q with %d files, want %q with none", it.Change.Fallback, len(it.Change.Files), FallbackNone)
		}
		return
	}
	t.Errorf("the delete commit was not yielded")
}

func TestBitbucketErrors(t *testing.T) {
	r, w, _ := sample(t)
	srv, client := fakeBitbucket(t, r)
	ctx := context.Background()
	b := NewBitbucket(client, "acme", "missing", "", nil)
	_, err := b.DefaultRef(ctx)
	var api *bitbucket.APIError
	if !errors.As(err, &api) || api.StatusCode != 404 {
		t.Errorf("DefaultRef of a missing repository: got %v, want an HTTP 404 APIError", err)
	}
	_, err = b.History(ctx, "main", w, Options{}, func(Item) error { return nil })
	if !errors.As(err, &api) || api.StatusCode != 404 {
		t.Errorf("History of a missing repository: got %v, want an HTTP 404 APIError", err)
	}
	// A diff that keeps failing fails the stream, without leaving workers.
	srv.FailNext("/diff/", 403, 1000)
	_, err = NewBitbucket(client, "acme", "app", "main", nil).History(ctx, "main", w, Options{}, func(Item) error { return nil })
	if !errors.As(err, &api) || api.StatusCode != 403 {
		t.Errorf("History whose diffs are refused: got %v, want an HTTP 403 APIError", err)
	}
	stop := errors.New("stop")
	_, client = fakeBitbucket(t, r)
	_, err = NewBitbucket(client, "acme", "app", "main", nil).History(ctx, "main", w, Options{}, func(Item) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("History whose callback fails: got %v, want %v", err, stop)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewBitbucket(client, "acme", "app", "main", nil).History(cctx, "main", w, Options{}, func(Item) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("History with a cancelled context: got %v, want context.Canceled", err)
	}
}

// TestBitbucketCancelMidStream cancels while diffs are in flight, at every
// point of the stream: History returns context.Canceled and leaves no
// goroutine waiting.
func TestBitbucketCancelMidStream(t *testing.T) {
	r, w, _ := sample(t)
	_, client := fakeBitbucket(t, r)
	for stopAfter := 0; stopAfter < 8; stopAfter++ {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		done := make(chan error, 1)
		go func() {
			_, err := NewBitbucket(client, "acme", "app", "main", nil).History(ctx, "main", w, Options{Merges: true}, func(Item) error {
				n++
				if n > stopAfter {
					cancel()
				}
				return nil
			})
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("stop after %d: got %v, want nil or context.Canceled", stopAfter, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("stop after %d: History did not return after its context was cancelled", stopAfter)
		}
		cancel()
	}
}

// TestBitbucketUnverifiedDiffs: a 200 that is not a diff, every time, or a
// server error, every time, counts that commit from its diffstat (never
// cached), and fails the run only when the diffstat fails too; an empty diff for a commit that changed files, or a
// close-delimited diff cut at a file boundary, is checked against the
// diffstat and never counted or cached wrong. After every fault a clean
// rerun's counts equal git's.
func TestBitbucketUnverifiedDiffs(t *testing.T) {
	r, w, h := sample(t)
	target := h["delete"] // a commit of three files
	tests := []struct {
		name    string
		fault   func(srv *bitbuckettest.Server)
		wantErr bool
		// fallback is the fallback prefix the target gets ("" = exact).
		fallback string
	}{
		{"an HTML maintenance page", func(s *bitbuckettest.Server) {
			s.RespondNext("/diff/"+target, bitbuckettest.Forever, 200, "text/html; charset=utf-8", bitbuckettest.MaintenancePage)
		}, false, FallbackFailed + " (the answer was not a diff)"},
		{"a JSON error with status 200", func(s *bitbuckettest.Server) {
			s.RespondNext("/diff/"+target, bitbuckettest.Forever, 200, "application/json", []byte(`{"type":"error","error":{"message":"try later"}}`))
		}, false, FallbackFailed + " (the answer was not a diff)"},
		{"a server error, every time", func(s *bitbuckettest.Server) {
			s.FailNext("/diff/"+target, 502, bitbuckettest.Forever)
		}, false, FallbackFailed + " (HTTP 502)"},
		{"a server error on the diff and the diffstat", func(s *bitbuckettest.Server) {
			s.FailNext("/diff/"+target, 502, bitbuckettest.Forever)
			s.FailNext("/diffstat/"+target, 502, bitbuckettest.Forever)
		}, true, ""},
		{"an empty body, every time", func(s *bitbuckettest.Server) {
			s.RespondNext("/diff/"+target, bitbuckettest.Forever, 200, "text/plain", nil)
		}, false, FallbackCut},
		{"an empty body, once", func(s *bitbuckettest.Server) {
			s.RespondNext("/diff/"+target, 1, 200, "text/plain", nil)
		}, false, ""},
		{"cut at a file boundary, connection closed", func(s *bitbuckettest.Server) {
			s.CutNext("/diff/"+target, 1, 1, bitbuckettest.CloseDelimited)
		}, false, ""},
		{"cut at a file boundary every time", func(s *bitbuckettest.Server) {
			s.CutNext("/diff/"+target, bitbuckettest.Forever, 1, bitbuckettest.CloseDelimited)
		}, false, FallbackCut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := fakeBitbucket(t, r)
			cacheDir := t.TempDir()
			b := NewBitbucket(client, "acme", "app", "main", NewCache(cacheDir, "bitbucket", "acme/app"))
			tt.fault(srv)
			var got *history.Change
			_, err := b.History(context.Background(), "main", w, Options{Merges: true}, func(it Item) error {
				if it.Commit.Hash == target {
					got = it.Change
				}
				return nil
			})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got no error, want one")
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(got.Fallback, tt.fallback) || (tt.fallback == "") != (got.Fallback == "") {
					t.Errorf("got fallback %q, want %q", got.Fallback, tt.fallback)
				}
				if tt.fallback == "" || strings.HasPrefix(tt.fallback, FallbackFailed) {
					if d := gitnumstat.Diff(got.Files, gitNumstat(t, r, target)); len(d) > 0 {
						t.Errorf("counted differently from git:\n%s", strings.Join(d, "\n"))
					}
				}
			}
			// A clean rerun from the same cache counts exactly.
			srv.ClearFaults()
			items, _ := collect(t, b, "main", w, Options{Merges: true})
			for _, it := range items {
				if it.Change.Fallback != "" {
					t.Errorf("clean rerun: %s still has fallback %q", names(h, []string{it.Commit.Hash}), it.Change.Fallback)
				}
				if d := gitnumstat.Diff(it.Change.Files, gitNumstat(t, r, it.Commit.Hash)); len(d) > 0 {
					t.Errorf("clean rerun: %s differs from git:\n%s", names(h, []string{it.Commit.Hash}), strings.Join(d, "\n"))
				}
			}
		})
	}
}

// TestBitbucketReadFiles: files at a commit come from /src, the same bytes
// as git holds; a missing path is left out; a second read is served from
// the cache without a request.
// bothSources serves r as acme/app and returns the double, a cached
// Bitbucket source of it and the local source of the same checkout.
func bothSources(t *testing.T, r *gitRepo) (*bitbuckettest.Server, *Bitbucket, *Local) {
	t.Helper()
	srv, client := fakeBitbucket(t, r)
	b := NewBitbucket(client, "acme", "app", "main", NewCache(t.TempDir(), "bitbucket", "acme/app"))
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	return srv, b, l
}

func TestBitbucketReadFiles(t *testing.T) {
	r := newGitRepo(t)
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	r.write("src/a.c", "int a(void)\n{\n\treturn 1;\n}\n")
	r.write("dir with space/b ü.py", "def b():\n    return 2\n")
	first := r.commit(at, "first")
	r.write("src/a.c", "int a(void)\n{\n\treturn 3;\n}\n")
	r.commit(at.Add(time.Minute), "second")
	srv, b, l := bothSources(t, r)
	ctx := context.Background()
	paths := []string{"src/a.c", "dir with space/b ü.py", "src/missing.c"}
	want, err := l.ReadFiles(ctx, first, paths)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.ReadFiles(ctx, first, paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(want) != 2 {
		t.Fatalf("got %d files from Bitbucket and %d from git, want 2 (the missing one left out)", len(got), len(want))
	}
	for p, w := range want {
		if string(got[p]) != string(w) {
			t.Errorf("%s: got %q, want %q", p, got[p], w)
		}
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != 3 {
		t.Errorf("got %d /src requests, want 3 (one per file)", n)
	}
	srv.ResetRequests()
	again, err := b.ReadFiles(ctx, first, paths)
	if err != nil {
		t.Fatal(err)
	}
	if string(again["src/a.c"]) != string(want["src/a.c"]) {
		t.Errorf("cached: got %q", again["src/a.c"])
	}
	// The missing file is asked again (a 404 is not cached); the others
	// are not.
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != 1 {
		t.Errorf("second read: got %d /src requests, want 1", n)
	}
}

// TestBitbucketDefinitionsIn: of the files given, those defining each
// function are kept, by the rules of Local.Definitions (a prototype, a call
// or a header beside a source file define nothing), and each source file
// is read once.
func TestBitbucketDefinitionsIn(t *testing.T) {
	r := newGitRepo(t)
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	r.write("commit.c", "int commit_tree(void)\n{\n\treturn prepare_to_commit(0);\n}\n")
	r.write("builtin/commit.c", "static int prepare_to_commit(int n)\n{\n\treturn n;\n}\n")
	r.write("builtin/commit.h", "int prepare_to_commit(int n,\n\tint m);\n")
	r.write("inline/commit.h", "static inline int only_here(int n)\n{\n\treturn n;\n}\n")
	r.write("docs/commit.txt", "prepare_to_commit(n)\n")
	head := r.commit(at, "first")
	srv, b, l := bothSources(t, r)
	ctx := context.Background()
	idents := []string{"prepare_to_commit", "only_here", "commit_tree", "nowhere", "not an ident"}
	paths := []string{"commit.c", "builtin/commit.c", "builtin/commit.h", "inline/commit.h", "docs/commit.txt", "gone.c"}
	got, err := b.DefinitionsIn(ctx, head, idents, paths)
	if err != nil {
		t.Fatal(err)
	}
	want, err := l.Definitions(ctx, head, idents)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v through Bitbucket, want %v as git grep finds", got, want)
	}
	if fmt.Sprint(got) != "map[commit_tree:[commit.c] only_here:[inline/commit.h] prepare_to_commit:[builtin/commit.c]]" {
		t.Errorf("got %v", got)
	}
	// The four source files and the missing one; not the text file, which
	// no definition search reads.
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != 5 {
		t.Errorf("got %d /src requests, want 5 (each source file once)", n)
	}
	srv.ResetRequests()
	if _, err := b.DefinitionsIn(ctx, head, idents, paths); err != nil {
		t.Fatal(err)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != 1 {
		t.Errorf("again: got %d /src requests, want 1 (the missing file; the others cached by commit)", n)
	}
}

// TestBitbucketDefinitionsInCap: at most MaxDefinitionReads files are
// read, the first ones given, however many there are.
func TestBitbucketDefinitionsInCap(t *testing.T) {
	r := newGitRepo(t)
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	var list []string
	for i := 0; i < MaxDefinitionReads+5; i++ {
		p := fmt.Sprintf("d%03d/x.c", i)
		r.write(p, "int f(void)\n{\n\treturn 0;\n}\n")
		list = append(list, p)
	}
	head := r.commit(at, "first")
	srv, client := fakeBitbucket(t, r)
	b := NewBitbucket(client, "acme", "app", "main", nil)
	got, err := b.DefinitionsIn(context.Background(), head, []string{"f"}, list)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != MaxDefinitionReads {
		t.Errorf("got %d /src requests, want %d", n, MaxDefinitionReads)
	}
	if len(got["f"]) != MaxDefinitionReads || got["f"][0] != list[0] || got["f"][MaxDefinitionReads-1] != list[MaxDefinitionReads-1] {
		t.Errorf("got %d definitions, want the first %d files given", len(got["f"]), MaxDefinitionReads)
	}
}

// TestBitbucketProbe: of the paths asked about, those that exist at the
// commit are returned, each asked once: a file read is cached for
// ReadFiles, a missing path is remembered as missing.
func TestBitbucketProbe(t *testing.T) {
	r := newGitRepo(t)
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	r.write("app/cart/total.go", "package cart\n")
	r.write("app/main.go", "package main\n")
	head := r.commit(at, "first")
	srv, client := fakeBitbucket(t, r)
	b := NewBitbucket(client, "acme", "app", "main", NewCache(t.TempDir(), "bitbucket", "acme/app"))
	ctx := context.Background()
	paths := []string{"srv/app/cart/total.go", "app/cart/total.go", "app/main.go", "main.go", "app"}
	got, err := b.Probe(ctx, head, paths)
	if err != nil {
		t.Fatal(err)
	}
	// A folder's path answers its listing: it is no file, but exists; the
	// analysis only asks about paths ending in a file name.
	if strings.Join(got, ",") != "app/cart/total.go,app/main.go,app" {
		t.Errorf("got %v", got)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != len(paths) {
		t.Errorf("got %d /src requests, want %d", n, len(paths))
	}
	srv.ResetRequests()
	again, err := b.Probe(ctx, head, paths)
	if err != nil {
		t.Fatal(err)
	}
	files, err := b.ReadFiles(ctx, head, []string{"app/main.go"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(again, ",") != strings.Join(got, ",") || string(files["app/main.go"]) != "package main\n" {
		t.Errorf("again: got %v and %q", again, files["app/main.go"])
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app/src/"); n != 0 {
		t.Errorf("again: got %d /src requests, want 0 (found and missing paths are both known by commit)", n)
	}
}

// TestBitbucketPartialReadFailures: when one file cannot be read (the rate
// limit) and another can, ReadFiles, Probe and DefinitionsIn return what
// they could together with the failure, so ranking both uses the rest and
// reports that it had less to go on.
func TestBitbucketPartialReadFailures(t *testing.T) {
	r := newGitRepo(t)
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	r.write("app/good.c", "int good(void)\n{\n\treturn 1;\n}\n")
	r.write("app/limited.c", "int limited(void)\n{\n\treturn 2;\n}\n")
	head := r.commit(at, "first")
	srv, client := fakeBitbucket(t, r)
	srv.FailNext("/limited.c", 429, bitbuckettest.Forever)
	b := NewBitbucket(client, "acme", "app", "main", nil)
	ctx := context.Background()
	paths := []string{"app/good.c", "app/limited.c"}

	files, err := b.ReadFiles(ctx, head, paths)
	if !errors.Is(err, bitbucket.ErrRateLimited) || len(files) != 1 || files["app/good.c"] == nil {
		t.Errorf("ReadFiles: got %d files, %v; want app/good.c and the rate limit", len(files), err)
	}
	found, err := b.Probe(ctx, head, paths)
	if !errors.Is(err, bitbucket.ErrRateLimited) || strings.Join(found, ",") != "app/good.c" {
		t.Errorf("Probe: got %v, %v; want app/good.c and the rate limit", found, err)
	}
	defs, err := b.DefinitionsIn(ctx, head, []string{"good", "limited"}, paths)
	if !errors.Is(err, bitbucket.ErrRateLimited) || strings.Join(defs["good"], ",") != "app/good.c" || len(defs["limited"]) != 0 {
		t.Errorf("DefinitionsIn: got %v, %v; want good in app/good.c and the rate limit", defs, err)
	}
}
