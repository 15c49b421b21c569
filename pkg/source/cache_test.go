package source

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
)

// sampleChange is a small change of hash, as a fetch would produce it.
func sampleChange(hash string) *history.Change {
	return &history.Change{Hash: hash, Files: []diffstat.File{{
		Path: "a.go", Status: diffstat.Modified, LinesAdded: 2, LinesRemoved: 1,
		Hunks: []diffstat.Hunk{{OldStart: 3, OldLines: 1, NewStart: 3, NewLines: 2, Section: "func f()",
			Added:   []diffstat.Line{{N: 3, Text: "x := 1"}, {N: 4, Text: "y := 2"}},
			Removed: []diffstat.Line{{N: 3, Text: "x := 0"}}}},
	}}}
}

// newTestCache is the cache of one repository in dir.
func newTestCache(dir string) *Cache { return NewCache(dir, "fake", "Acme/App") }

const testHash = "0123456789abcdef0123456789abcdef01234567"

func TestCacheHitMiss(t *testing.T) {
	dir := t.TempDir()
	c := newTestCache(dir)
	if _, ok := c.Get(testHash); ok {
		t.Fatal("empty cache: got a hit")
	}
	want := sampleChange(testHash)
	c.Put(want)
	got, ok := c.Get(testHash)
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v (hit %v), want %+v", got, ok, want)
	}
	if st := c.Stats(); st.Hits != 1 || st.Misses != 1 || st.Writes != 1 {
		t.Errorf("got stats %+v, want 1 hit, 1 miss, 1 write", st)
	}
	// A second cache over the same folder (a rerun) hits too.
	if _, ok := newTestCache(dir).Get(testHash); !ok {
		t.Errorf("rerun: got a miss, want a hit")
	}
	// Another repository does not share entries.
	if _, ok := NewCache(dir, "fake", "acme/other").Get(testHash); ok {
		t.Errorf("another repository: got a hit, want a miss")
	}
	path, _ := c.path(testHash)
	for p := path; p != dir; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o700)
		if p == path {
			want = 0o600
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: got mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
}

func TestCacheDamagedEntries(t *testing.T) {
	tests := []struct {
		name   string
		damage func(path string, data []byte) error
	}{
		{"truncated", func(p string, d []byte) error { return os.WriteFile(p, d[:len(d)-5], 0o600) }},
		{"flipped byte", func(p string, d []byte) error { d[len(d)-3] ^= 0xff; return os.WriteFile(p, d, 0o600) }},
		{"empty", func(p string, _ []byte) error { return os.WriteFile(p, nil, 0o600) }},
		{"no header", func(p string, d []byte) error {
			return os.WriteFile(p, d[strings.IndexByte(string(d), '\n')+1:], 0o600)
		}},
		{"other version", func(p string, d []byte) error {
			return os.WriteFile(p, []byte(strings.Replace(string(d), "sigsentry-change 2 ", "sigsentry-change 999 ", 1)), 0o600)
		}},
		{"longer than it says", func(p string, d []byte) error { return os.WriteFile(p, append(d, 0), 0o600) }},
		{"a symbolic link", func(p string, d []byte) error {
			real := p + ".real"
			if err := os.WriteFile(real, d, 0o600); err != nil {
				return err
			}
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Symlink(real, p)
		}},
		{"a folder", func(p string, _ []byte) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Mkdir(p, 0o700)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCache(t.TempDir())
			c.Put(sampleChange(testHash))
			path, _ := c.path(testHash)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.damage(path, data); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(testHash); ok {
				t.Errorf("damaged entry: got a hit %+v, want a miss", got)
			}
			if st := c.Stats(); st.Damaged != 1 {
				t.Errorf("got %d damaged, want 1", st.Damaged)
			}
			// The damaged entry is gone; a new one is good again.
			c.Put(sampleChange(testHash))
			if _, err := readEntry(path, testHash); err != nil && tt.name != "a folder" {
				t.Errorf("rewritten entry: %v", err)
			}
		})
	}
}

func TestCacheDoesNotKeepFallbacksOrOddNames(t *testing.T) {
	dir := t.TempDir()
	c := newTestCache(dir)
	fb := sampleChange(testHash)
	fb.Fallback = FallbackDiffstat
	c.Put(fb)
	if _, ok := c.Get(testHash); ok {
		t.Errorf("fallback: got a hit, want it not cached")
	}
	c.Put(sampleChange("../../etc/passwd"))
	if _, ok := c.Get("../../etc/passwd"); ok {
		t.Errorf("odd name: got a hit, want it not cached")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("got %d entries in the cache folder, want 0", len(entries))
	}
}

// TestCacheConcurrentWriters runs many caches over one folder at once (as
// parallel runs would); every reader gets a whole entry or none.
func TestCacheConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newTestCache(dir)
			for j := 0; j < 4; j++ {
				c.Put(sampleChange(testHash))
				ch, ok := c.Get(testHash)
				if !ok || len(ch.Files) != 1 || ch.Files[0].LinesAdded != 2 {
					errs <- errors.New("incomplete entry")
					return
				}
				if st := c.Stats(); st.Damaged != 0 {
					errs <- errors.New("a reader saw a damaged entry")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "changes", "*", "*", "*", ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("got %d temporary files left, want 0", len(left))
	}
}

func TestRepoKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"acme/app", "acme_app"},
		{"/home/u/src/app", "home_u_src_app"},
	}
	for _, tt := range tests {
		got := RepoKey(tt.a)
		if !strings.HasPrefix(got, tt.b+"-") {
			t.Errorf("RepoKey(%q) = %q, want prefix %q", tt.a, got, tt.b+"-")
		}
	}
	if RepoKey("acme/app") != RepoKey("ACME/App") {
		t.Errorf("RepoKey is case-sensitive: got %q and %q", RepoKey("acme/app"), RepoKey("ACME/App"))
	}
	if RepoKey("a/b_c") == RepoKey("a_b/c") {
		t.Errorf("RepoKey(%q) == RepoKey(%q), want different keys", "a/b_c", "a_b/c")
	}
}

func TestCheckEntry(t *testing.T) {
	c := newTestCache(t.TempDir())
	c.Put(sampleChange(testHash))
	path, _ := c.path(testHash)
	if err := CheckEntry(path); err != nil {
		t.Errorf("good entry: got %v, want nil", err)
	}
	other := filepath.Join(filepath.Dir(path), strings.Repeat("b", 40)+".json.gz")
	if err := os.Rename(path, other); err != nil {
		t.Fatal(err)
	}
	if err := CheckEntry(other); err == nil {
		t.Errorf("entry under another hash's name: got nil, want an error")
	}
}

// TestCacheFiles: a file's contents at a commit round-trip; an entry
// damaged on disk is a miss and is deleted; only full hashes are cached.
func TestCacheFiles(t *testing.T) {
	dir := t.TempDir()
	c := NewCache(dir, "bitbucket", "acme/app")
	rev := strings.Repeat("ab", 20)
	c.PutFile(rev, "src/a.c", []byte("int a;\n"))
	if got, ok := c.GetFile(rev, "src/a.c"); !ok || string(got) != "int a;\n" {
		t.Fatalf("got %q %v, want the contents", got, ok)
	}
	if _, ok := c.GetFile(rev, "src/b.c"); ok {
		t.Error("another path hit the cache")
	}
	if _, ok := c.GetFile(strings.Repeat("cd", 20), "src/a.c"); ok {
		t.Error("another commit hit the cache")
	}
	c.PutFile("abcdef1", "src/a.c", []byte("x"))
	if _, ok := c.GetFile("abcdef1", "src/a.c"); ok {
		t.Error("a short hash was cached")
	}
	at, _ := c.filePath(rev, "src/a.c")
	data, err := os.ReadFile(at)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 0xff
	if err := os.WriteFile(at, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.GetFile(rev, "src/a.c"); ok {
		t.Error("a damaged entry hit the cache")
	}
	if _, err := os.Stat(at); !os.IsNotExist(err) {
		t.Errorf("the damaged entry was not deleted: %v", err)
	}
	if s := c.Stats(); s.Damaged != 1 || s.Hits != 1 {
		t.Errorf("stats %+v, want 1 hit and 1 damaged", s)
	}
}

// TestRemoveCaches removes what a Bitbucket cache holds, diffs and files,
// and nothing else: not another kind's entries, not a file outside, not
// what a symbolic link inside points to.
func TestRemoveCaches(t *testing.T) {
	dir := t.TempDir()
	c := NewCache(dir, "bitbucket", "acme/api")
	c.Put(&history.Change{Hash: strings.Repeat("a", 40)})
	c.PutFile(strings.Repeat("b", 40), "src/x.c", []byte("int x;\n"))
	other := NewCache(dir, "local", "/src/repo")
	other.Put(&history.Change{Hash: strings.Repeat("c", 40)})
	outside := filepath.Join(t.TempDir(), "keep.txt")
	if err := os.WriteFile(outside, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "changes", "bitbucket", "link")); err != nil {
		t.Fatal(err)
	}
	n, err := RemoveCaches(dir, "bitbucket")
	if err != nil || n != 3 {
		t.Fatalf("RemoveCaches = %d, %v; want 3 entries (a diff, a file, the link)", n, err)
	}
	if _, ok := c.Get(strings.Repeat("a", 40)); ok {
		t.Error("the diff is still cached")
	}
	if _, ok := c.GetFile(strings.Repeat("b", 40), "src/x.c"); ok {
		t.Error("the file is still cached")
	}
	if _, ok := other.Get(strings.Repeat("c", 40)); !ok {
		t.Error("another kind's entry was removed")
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("the symbolic link was followed: %v", err)
	}
	if n, err := RemoveCaches(dir, "bitbucket"); n != 0 || err != nil {
		t.Errorf("again: %d, %v; want nothing to remove", n, err)
	}
	if n, err := RemoveCaches(filepath.Join(dir, "missing"), "bitbucket"); n != 0 || err != nil {
		t.Errorf("missing folder: %d, %v", n, err)
	}
}
