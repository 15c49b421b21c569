package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
	"github.com/sigsentry/sigsentry/pkg/history"
)

// requireGit skips the test without git, or fails it when outside tools are
// required (SIGSENTRY_TEST_REQUIRE_ALL=1, as in CI).
func requireGit(t testing.TB) {
	t.Helper()
	testenv.LookPath(t, "git")
}

// gitRepo is a scratch repository for tests.
type gitRepo struct {
	t   testing.TB
	dir string
}

func newGitRepo(t testing.TB) *gitRepo {
	requireGit(t)
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git(time.Time{}, "init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(date time.Time, args ...string) string {
	r.t.Helper()
	return testenv.Git(r.t, r.dir, date, args...)
}

func (r *gitRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(date time.Time, msg string) string {
	r.t.Helper()
	r.git(date, "add", "-A")
	r.git(date, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git(time.Time{}, "rev-parse", "HEAD")
}

func lines(prefix string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s line %d\n", prefix, i)
	}
	return b.String()
}

// sample builds a history with a root commit, edits, a rename with edits, a
// pure rename, a binary file, a mode change, a deletion, an empty commit, a
// side branch merged back, and commits dated exactly at a window's edges.
// It returns the repository and the window.
func sample(t testing.TB) (*gitRepo, history.Window, map[string]string) {
	r := newGitRepo(t)
	base := time.Now().AddDate(0, -2, 0).UTC().Truncate(time.Hour)
	w := history.Window{Since: base.Add(24 * time.Hour), Until: base.Add(10 * 24 * time.Hour)}
	h := map[string]string{}
	r.write("README.md", "hello\n")
	r.write("src/app.go", lines("app", 40))
	h["root"] = r.commit(base, "root commit")
	r.write("src/app.go", strings.Replace(lines("app", 40), "app line 7\n", "changed 7\n", 1)+"tail\n")
	h["before"] = r.commit(w.Since.Add(-time.Second), "just before the window")
	r.write("src/app.go", lines("app", 41))
	h["since"] = r.commit(w.Since, "exactly at since")
	r.git(time.Time{}, "mv", "src/app.go", "src/main.go")
	r.write("src/main.go", lines("app", 41)+"one more\n")
	h["rename-edit"] = r.commit(w.Since.Add(time.Hour), "rename with an edit")
	if err := os.Mkdir(filepath.Join(r.dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git(time.Time{}, "mv", "README.md", "docs/README.md")
	h["rename"] = r.commit(w.Since.Add(2*time.Hour), "pure rename")
	r.write("logo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00binary")
	h["binary"] = r.commit(w.Since.Add(3*time.Hour), "binary file")
	if err := os.Chmod(filepath.Join(r.dir, "src/main.go"), 0o755); err != nil {
		t.Fatal(err)
	}
	h["mode"] = r.commit(w.Since.Add(4*time.Hour), "mode change")
	h["empty"] = r.commit(w.Since.Add(5*time.Hour), "empty commit")
	r.git(time.Time{}, "checkout", "-q", "-b", "side")
	r.write("side.txt", lines("side", 3))
	h["side"] = r.commit(w.Since.Add(6*time.Hour), "side branch work")
	r.git(time.Time{}, "checkout", "-q", "main")
	r.write("main.txt", "main\n")
	h["main2"] = r.commit(w.Since.Add(7*time.Hour), "main work")
	r.git(w.Since.Add(8*time.Hour), "merge", "-q", "--no-ff", "-m", "merge side", "side")
	h["merge"] = r.git(time.Time{}, "rev-parse", "HEAD")
	if err := os.Remove(filepath.Join(r.dir, "side.txt")); err != nil {
		t.Fatal(err)
	}
	r.write("spaced name.txt", "a\r\nb\r\n")
	r.write("naïve.txt", "x\n")
	h["delete"] = r.commit(w.Since.Add(9*time.Hour), "delete and odd names")
	r.write("main.txt", "main\nmore\n")
	h["until"] = r.commit(w.Until, "exactly at until")
	r.write("main.txt", "main\nmore\nafter\n")
	h["after"] = r.commit(w.Until.Add(time.Second), "just after the window")
	return r, w, h
}

// gitNumstat is git's own answer for commit hash against its first parent.
func gitNumstat(t testing.TB, r *gitRepo, hash string) []gitnumstat.Entry {
	t.Helper()
	base := "4b825dc642cb6eb9a060e54bf8d69288fbee4904" // the empty tree
	parents := strings.Fields(r.git(time.Time{}, "log", "-1", "--format=%P", hash))
	if len(parents) > 0 {
		base = parents[0]
	}
	ns := r.git(time.Time{}, "-c", "core.quotePath=true", "diff", "--numstat", "-z", "-M", base, hash)
	st := r.git(time.Time{}, "-c", "core.quotePath=true", "diff", "--name-status", "-z", "-M", base, hash)
	want, err := gitnumstat.Parse([]byte(ns), []byte(st))
	if err != nil {
		t.Fatalf("parsing git's numstat of %s: %v", hash, err)
	}
	return want
}

// collect runs History and returns its items in listing order.
func collect(t testing.TB, src Source, ref string, w history.Window, o Options) ([]Item, *Summary) {
	t.Helper()
	var items []Item
	sum, err := src.History(context.Background(), ref, w, o, func(it Item) error {
		if it.Commit.Hash != it.Change.Hash {
			t.Errorf("History paired commit %s with change %s", it.Commit.Hash, it.Change.Hash)
		}
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Seq < items[j].Seq })
	return items, sum
}

func hashesOf(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Commit.Hash)
	}
	return out
}

func TestLocalHistoryWindow(t *testing.T) {
	r, w, h := sample(t)
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		merges bool
		want   []string
	}{
		{"no merges", false, []string{"until", "delete", "main2", "side", "empty", "mode", "binary", "rename", "rename-edit", "since"}},
		{"with merges", true, []string{"until", "delete", "merge", "main2", "side", "empty", "mode", "binary", "rename", "rename-edit", "since"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, sum := collect(t, l, "HEAD", w, Options{Merges: tt.merges})
			// git's --topo-order decides the order of side and main2;
			// compare as git lists them.
			order := strings.Fields(r.git(time.Time{}, "log", "--topo-order", "--format=%H", "HEAD"))
			wantSet := map[string]bool{}
			for _, k := range tt.want {
				wantSet[h[k]] = true
			}
			var want []string
			for _, hash := range order {
				if wantSet[hash] {
					want = append(want, hash)
				}
			}
			if got := hashesOf(items); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got commits\n%v\nwant\n%v", names(h, got), names(h, want))
			}
			if sum.Head != h["until"] {
				t.Errorf("got head %s, want the commit at until %s", names(h, []string{sum.Head}), h["until"])
			}
			if sum.Yielded != len(want) {
				t.Errorf("got %d yielded, want %d", sum.Yielded, len(want))
			}
		})
	}
}

// TestLocalLandingTime checks the window is on landing time: a patch
// written long before the window but committed inside it is in; a commit
// authored inside the window but landed after it is out; a commit whose
// own date is old but sits on a newer base landed with that base.
func TestLocalLandingTime(t *testing.T) {
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
	old := commitAt(base, base, "old base")
	applied := commitAt(base.Add(time.Hour), w.Since.Add(24*time.Hour), "written early, applied in the window")
	skewed := commitAt(base.Add(2*time.Hour), base.Add(2*time.Hour), "dated before the window, on a base that landed in it")
	late := commitAt(w.Since.Add(48*time.Hour), w.Until.Add(24*time.Hour), "written in the window, landed after it")
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	items, sum := collect(t, l, "HEAD", w, Options{})
	got := hashesOf(items)
	want := []string{skewed, applied}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want [skewed applied] %v (old %s, late %s)", got, want, old, late)
	}
	if sum.Head != skewed {
		t.Errorf("got head %s, want %s (the tip at the window's end)", sum.Head, skewed)
	}
	for _, it := range items {
		if it.Commit.Hash == applied && !it.Commit.AuthorTime.Equal(base.Add(time.Hour)) {
			t.Errorf("applied: got author time %v, want %v", it.Commit.AuthorTime, base.Add(time.Hour))
		}
		if it.Commit.Hash == skewed && !it.Commit.Landed.Equal(w.Since.Add(24*time.Hour)) {
			t.Errorf("skewed: got landed %v, want its base's %v", it.Commit.Landed, w.Since.Add(24*time.Hour))
		}
	}
}

func names(h map[string]string, hashes []string) []string {
	rev := map[string]string{}
	for k, v := range h {
		rev[v] = k
	}
	out := make([]string, len(hashes))
	for i, x := range hashes {
		out[i] = rev[x]
	}
	return out
}

func TestLocalCommitMetadata(t *testing.T) {
	r, w, h := sample(t)
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := collect(t, l, "", w, Options{Merges: true})
	seen := 0
	for _, it := range items {
		c := it.Commit
		if c.Hash == h["merge"] {
			seen++
			if len(c.Parents) != 2 || !c.IsMerge() {
				t.Errorf("merge commit: got parents %v, want 2", c.Parents)
			}
			if c.Summary() != "merge side" {
				t.Errorf("merge commit: got summary %q, want %q", c.Summary(), "merge side")
			}
		}
		if c.Hash == h["since"] {
			seen++
			if !c.Date.Equal(w.Since) || !c.Landed.Equal(w.Since) || !c.AuthorTime.Equal(w.Since) {
				t.Errorf("since commit: got date %v landed %v author time %v, want %v", c.Date, c.Landed, c.AuthorTime, w.Since)
			}
			if c.Author != "Ada Lovelace <ada@example.com>" {
				t.Errorf("since commit: got author %q, want %q", c.Author, "Ada Lovelace <ada@example.com>")
			}
			if c.Repo != l.Repo() {
				t.Errorf("since commit: got repo %q, want %q", c.Repo, l.Repo())
			}
			if c.Message != "exactly at since" {
				t.Errorf("since commit: got message %q", c.Message)
			}
		}
	}
	if seen != 2 {
		t.Errorf("saw %d of the merge and since commits, want 2", seen)
	}
}

// TestLocalChangesMatchGit compares every commit's change, from Change and
// from History, with `git diff --numstat -M` and `--name-status -M`.
func TestLocalChangesMatchGit(t *testing.T) {
	r, _, h := sample(t)
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	walked := map[string]*history.Change{}
	for _, countOnly := range []bool{false, true} {
		items, _ := collect(t, l, "HEAD", history.Window{}, Options{Merges: true, CountOnly: countOnly})
		for _, it := range items {
			if countOnly {
				for _, f := range it.Change.Files {
					for _, hk := range f.Hunks {
						if len(hk.Added)+len(hk.Removed) > 0 {
							t.Errorf("count-only history of %s kept line text in %s", it.Commit.Hash, f.Path)
						}
					}
				}
			} else {
				walked[it.Commit.Hash] = it.Change
			}
		}
	}
	if len(walked) != len(h) {
		t.Errorf("history yielded %d commits, want %d", len(walked), len(h))
	}
	for name, hash := range h {
		t.Run(name, func(t *testing.T) {
			want := gitNumstat(t, r, hash)
			ch, err := l.Change(ctx, hash)
			if err != nil {
				t.Fatal(err)
			}
			if d := gitnumstat.Diff(ch.Files, want); len(d) > 0 {
				t.Errorf("Change differs from git:\n%s", strings.Join(d, "\n"))
			}
			if d := gitnumstat.Diff(walked[hash].Files, want); len(d) > 0 {
				t.Errorf("History differs from git:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}

func TestLocalErrors(t *testing.T) {
	requireGit(t)
	if _, err := NewLocal(t.TempDir()); err == nil {
		t.Errorf("NewLocal on an empty folder: got no error, want one")
	}
	r, w, _ := sample(t)
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	noop := func(Item) error { return nil }
	if _, err := l.History(context.Background(), "no-such-branch", w, Options{}, noop); err == nil {
		t.Errorf("History of a missing ref: got no error, want one")
	}
	if _, err := l.History(context.Background(), "--all", w, Options{}, noop); err == nil {
		t.Errorf("History of an option-like ref: got no error, want one")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.History(ctx, "HEAD", history.Window{}, Options{}, noop); !errors.Is(err, context.Canceled) {
		t.Errorf("History with a cancelled context: got %v, want context.Canceled", err)
	}
	stop := fmt.Errorf("stop")
	n := 0
	_, err = l.History(context.Background(), "HEAD", history.Window{}, Options{}, func(Item) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("History whose callback fails: got %v after %d calls, want %v after 1", err, n, stop)
	}
	// A repository without commits says so, not git's "bad revision".
	empty := newGitRepo(t)
	le, err := NewLocal(empty.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := le.History(context.Background(), "HEAD", w, Options{}, noop); err == nil || !strings.Contains(err.Error(), "no commits yet") {
		t.Errorf("History of an empty repository: got %v, want it to say it has no commits yet", err)
	}
}

func TestLocalBare(t *testing.T) {
	r, w, _ := sample(t)
	bare := filepath.Join(t.TempDir(), "bare.git")
	r.git(time.Time{}, "clone", "-q", "--bare", r.dir, bare)
	l, err := NewLocal(bare)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := collect(t, l, "HEAD", w, Options{})
	if len(items) != 10 {
		t.Errorf("bare clone: got %d commits, want 10", len(items))
	}
	tree, err := l.Tree(context.Background(), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	files, err := l.ReadFiles(context.Background(), "HEAD", append(tree, "no/such/file"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tree) || string(files["main.txt"]) != "main\nmore\nafter\n" {
		t.Errorf("got %d files of %d (main.txt %q)", len(files), len(tree), files["main.txt"])
	}
}

// TestLocalShallowClone: git lists a shallow clone's edge commits without
// parents, and diffing one against the empty tree would count every file
// it holds as added. They are yielded uncounted (FallbackShallow) with
// their messages; the other commits count as in the complete repository.
func TestLocalShallowClone(t *testing.T) {
	r := newGitRepo(t)
	now := time.Now().UTC().Truncate(time.Second)
	for i := 8; i > 0; i-- {
		r.write("a.txt", lines("a", 10-i))
		r.write(fmt.Sprintf("f%d.txt", i), lines("f", i))
		r.commit(now.AddDate(0, 0, -i), fmt.Sprintf("change %d\n\nbody %d", i, i))
	}
	w := history.Window{Since: now.AddDate(0, 0, -30), Until: now}
	full, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	fullItems, _ := collect(t, full, "HEAD", w, Options{})
	want := map[string]Item{}
	for _, it := range fullItems {
		want[it.Commit.Hash] = it
	}
	for _, bare := range []bool{false, true} {
		t.Run(fmt.Sprintf("bare=%v", bare), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "shallow")
			args := []string{"clone", "-q", "--depth", "4"}
			if bare {
				args = append(args, "--bare")
			}
			r.git(time.Time{}, append(args, "file://"+r.dir, dir)...)
			gitDir := filepath.Join(dir, ".git")
			if bare {
				gitDir = dir
			}
			data, err := os.ReadFile(filepath.Join(gitDir, "shallow"))
			if err != nil {
				t.Fatal(err)
			}
			edges := strings.Fields(string(data))
			l, err := NewLocal(dir)
			if err != nil {
				t.Fatal(err)
			}
			items, sum := collect(t, l, "HEAD", w, Options{})
			if sum.Yielded != len(items) {
				t.Errorf("got %d yielded, want %d", sum.Yielded, len(items))
			}
			seen := 0
			for _, it := range items {
				wit, ok := want[it.Commit.Hash]
				if !ok {
					t.Errorf("commit %s is not in the complete repository's window", it.Commit.Hash)
					continue
				}
				if slices.Contains(edges, it.Commit.Hash) {
					seen++
					if it.Change.Fallback != FallbackShallow || len(it.Change.Files) != 0 || it.Commit.Message != wit.Commit.Message {
						t.Errorf("edge %s: got fallback %q, %d files, message %q; want %q, none, %q",
							it.Commit.Hash, it.Change.Fallback, len(it.Change.Files), it.Commit.Message, FallbackShallow, wit.Commit.Message)
					}
					continue
				}
				if it.Change.Fallback != "" || !reflect.DeepEqual(it.Change.Files, wit.Change.Files) {
					t.Errorf("commit %s: got fallback %q and files %+v, want those of the complete repository %+v",
						it.Commit.Hash, it.Change.Fallback, it.Change.Files, wit.Change.Files)
				}
			}
			if seen != 1 || len(items) != 4 {
				t.Errorf("got %d commits with %d edges of %v: the test needs an edge inside the window", len(items), seen, edges)
			}
		})
	}
}

// TestLocalMissingObject: a clone that lacks an object (damaged, or a
// partial clone cut off from its remote) cannot give the change of the
// commits that need it. Each of them is yielded with no files and
// FallbackUnreadable, never in part, and the commits after it are diffed
// as before.
func TestLocalMissingObject(t *testing.T) {
	for _, tt := range []struct {
		name    string
		missing int // the commit, newest first, whose new file goes missing
	}{
		{"newest commit", 0},
		{"middle commit", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newGitRepo(t)
			now := time.Now().UTC().Truncate(time.Second)
			var hashes []string
			for i := 5; i > 0; i-- {
				r.write("a.txt", lines("a", 10-i))
				r.write(fmt.Sprintf("only%d.txt", i), lines(fmt.Sprintf("only %d", i), 3))
				hashes = append([]string{r.commit(now.AddDate(0, 0, -i), fmt.Sprintf("change %d", i))}, hashes...)
			}
			w := history.Window{Since: now.AddDate(0, 0, -30), Until: now}
			l, err := NewLocal(r.dir)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := collect(t, l, "HEAD", w, Options{})
			if len(want) != 5 {
				t.Fatalf("got %d commits, want 5", len(want))
			}
			// The new file of that commit is a blob no other commit has.
			blob := r.git(time.Time{}, "rev-parse", hashes[tt.missing]+":"+fmt.Sprintf("only%d.txt", tt.missing+1))
			if err := os.Remove(filepath.Join(r.dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
				t.Fatal(err)
			}
			got, _ := collect(t, l, "HEAD", w, Options{})
			if len(got) != len(want) {
				t.Fatalf("got %d commits, want %d", len(got), len(want))
			}
			for i, it := range got {
				if i == tt.missing {
					if !strings.HasPrefix(it.Change.Fallback, FallbackUnreadable) || !strings.Contains(it.Change.Fallback, blob) ||
						len(it.Change.Files) != 0 || it.Commit.Message != want[i].Commit.Message {
						t.Errorf("commit %d: got fallback %q, %d files, message %q; want %q naming %s, none, %q",
							i, it.Change.Fallback, len(it.Change.Files), it.Commit.Message, FallbackUnreadable, blob, want[i].Commit.Message)
					}
					continue
				}
				if it.Change.Fallback != "" || !reflect.DeepEqual(it.Change.Files, want[i].Change.Files) {
					t.Errorf("commit %d: got fallback %q and files %+v, want %+v", i, it.Change.Fallback, it.Change.Files, want[i].Change.Files)
				}
			}
		})
	}
}

// TestLocalMissingObjectBeforeRename: git reads both sides of a rename
// with edits before it announces the commit, so a missing object stops it
// after the newer commit's complete patch, not inside the commit that needs
// it. That newer commit is counted; the rename and the commit that added
// the file are left uncounted.
func TestLocalMissingObjectBeforeRename(t *testing.T) {
	r := newGitRepo(t)
	now := time.Now().UTC().Truncate(time.Second)
	r.write("big.txt", lines("big", 50))
	r.write("other.txt", "o\n")
	added := r.commit(now.AddDate(0, 0, -3), "add big")
	r.git(time.Time{}, "mv", "big.txt", "moved.txt")
	r.write("moved.txt", lines("big", 51))
	renamed := r.commit(now.AddDate(0, 0, -2), "move big")
	r.write("other.txt", "o\np\n")
	newest := r.commit(now.AddDate(0, 0, -1), "edit other")
	blob := r.git(time.Time{}, "rev-parse", added+":big.txt")
	if err := os.Remove(filepath.Join(r.dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := collect(t, l, "HEAD", history.Window{Since: now.AddDate(0, 0, -30), Until: now}, Options{})
	if got := hashesOf(items); !slices.Equal(got, []string{newest, renamed, added}) {
		t.Fatalf("got commits %v, want %v", got, []string{newest, renamed, added})
	}
	if ch := items[0].Change; ch.Fallback != "" || len(ch.Files) != 1 || ch.Files[0].Path != "other.txt" || ch.Files[0].LinesAdded != 1 {
		t.Errorf("edit other: got fallback %q, files %+v; want other.txt +1", ch.Fallback, ch.Files)
	}
	for _, it := range items[1:] {
		if !strings.HasPrefix(it.Change.Fallback, FallbackUnreadable) || len(it.Change.Files) != 0 || it.Commit.Message == "" {
			t.Errorf("%s: got fallback %q, %d files, message %q; want %q, none, its message",
				it.Commit.Hash, it.Change.Fallback, len(it.Change.Files), it.Commit.Message, FallbackUnreadable)
		}
	}
}

// TestLocalMessageWithoutNewline: commits made through hosting APIs (bots)
// may end their message without a newline; the patch that follows must
// not be read as message text.
func TestLocalMessageWithoutNewline(t *testing.T) {
	r := newGitRepo(t)
	when := time.Now().Add(-time.Hour).Truncate(time.Second)
	r.write("a.txt", lines("a", 5))
	r.commit(when, "root")
	r.write("a.txt", lines("a", 6))
	msg := filepath.Join(t.TempDir(), "msg")
	if err := os.WriteFile(msg, []byte("bump: a to 6\n\n| from | to |\n| 5 | 6 |"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.git(when, "add", "-A")
	r.git(when, "commit", "-q", "--cleanup=verbatim", "-F", msg)
	hash := r.git(time.Time{}, "rev-parse", "HEAD")
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := collect(t, l, "HEAD", history.Window{}, Options{})
	if len(items) != 2 || items[0].Commit.Hash != hash {
		t.Fatalf("got %d items, want 2 with %s first", len(items), hash)
	}
	it := items[0]
	if it.Commit.Message != "bump: a to 6\n\n| from | to |\n| 5 | 6 |" {
		t.Errorf("got message %q", it.Commit.Message)
	}
	if len(it.Change.Files) != 1 || it.Change.Files[0].LinesAdded != 1 {
		t.Errorf("got files %+v, want a.txt with one added line", it.Change.Files)
	}
}

// TestLocalDefinitions: a function-only frame maps to the files that define
// the function, in C (not a header's prototype, even one whose first line
// looks like a definition; a macro such as FRRouting's DEFUN), Go, Python and assembly
// (a label, or a macro such as ENTRY(fn)), never to a file that only calls
// it.
func TestLocalDefinitions(t *testing.T) {
	r := newGitRepo(t)
	r.write("xen/arch/x86/hvm/vmx/entry.S", "#include <asm/asm_defns.h>\n\nENTRY(vmx_asm_do_vmentry)\n        call vmx_intr_assist\nhandle_exception_saved:\n        ret\n")
	r.write("xen/include/asm-x86/hvm/vmx/vmx.h", "void vmx_asm_do_vmentry(void);\nvoid vmx_intr_assist(void);\n")
	r.write("xen/arch/x86/hvm/vmx/intr.c", "void vmx_intr_assist(void)\n{\n    vmx_asm_do_vmentry();\n}\n")
	r.write("tools/run.py", "def vmx_intr_assist():\n    pass\n")
	r.write("cmd/main.go", "package main\n\nfunc handle_exception_saved() {}\n")
	// A prototype over two lines, and a function only a header defines.
	r.write("mt76.h", "int mt76_register_device(struct mt76_dev *dev, bool vht,\n\t\t\t struct ieee80211_rate *rates);\nstatic inline int mt76_rx_ok(void)\n{\n\treturn 1;\n}\n")
	r.write("mac80211.c", "int mt76_register_device(struct mt76_dev *dev, bool vht,\n\t\t\t struct ieee80211_rate *rates)\n{\n\treturn mt76_rx_ok();\n}\n")
	// A function a macro defines, and a macro's use inside a function.
	r.write("bgpd/bgp_vty.c", "DEFUN (show_bgp, show_bgp_cmd,\n       \"show bgp\")\n{\n\tLIST_ADD(show_bgp_list, 1);\n\treturn 0;\n}\n")
	r.commit(time.Now(), "initial")
	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Definitions(context.Background(), "HEAD", []string{"vmx_asm_do_vmentry", "vmx_intr_assist", "handle_exception_saved", "missing_fn", "mt76_register_device", "mt76_rx_ok", "show_bgp", "show_bgp_list"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		sort.Strings(s)
	}
	want := map[string][]string{
		"vmx_asm_do_vmentry":     {"xen/arch/x86/hvm/vmx/entry.S"},
		"vmx_intr_assist":        {"tools/run.py", "xen/arch/x86/hvm/vmx/intr.c"},
		"handle_exception_saved": {"cmd/main.go", "xen/arch/x86/hvm/vmx/entry.S"},
		"mt76_register_device":   {"mac80211.c"},
		"mt76_rx_ok":             {"mt76.h"},
		"show_bgp":               {"bgpd/bgp_vty.c"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Definitions = %v, want %v", got, want)
	}
}
