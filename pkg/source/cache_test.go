package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// countingSource is a fake Source that counts Change calls.
type countingSource struct {
	calls    atomic.Int64
	fallback string
	fail     error
}

func (s *countingSource) Kind() string                               { return "fake" }
func (s *countingSource) Repo() string                               { return "Acme/App" }
func (s *countingSource) DefaultRef(context.Context) (string, error) { return "main", nil }
func (s *countingSource) Commits(context.Context, string, Window, bool) ([]Commit, error) {
	return nil, nil
}

func (s *countingSource) Change(_ context.Context, c Commit) (*Change, error) {
	s.calls.Add(1)
	if s.fail != nil {
		return nil, s.fail
	}
	return &Change{Hash: c.Hash, Fallback: s.fallback, Files: []diffstat.File{{
		Path: "a.go", Status: diffstat.Modified, LinesAdded: 2, LinesRemoved: 1,
		Hunks: []diffstat.Hunk{{OldStart: 3, OldLines: 1, NewStart: 3, NewLines: 2, Section: "func f()",
			Added:   []diffstat.Line{{N: 3, Text: "x := 1"}, {N: 4, Text: "y := 2"}},
			Removed: []diffstat.Line{{N: 3, Text: "x := 0"}}}},
	}}}, nil
}

const testHash = "0123456789abcdef0123456789abcdef01234567"

func TestCacheHitMiss(t *testing.T) {
	dir := t.TempDir()
	inner := &countingSource{}
	c := NewCache(dir, inner)
	ctx := context.Background()
	first, err := c.Change(ctx, Commit{Hash: testHash})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Change(ctx, Commit{Hash: testHash})
	if err != nil {
		t.Fatal(err)
	}
	if n := inner.calls.Load(); n != 1 {
		t.Errorf("two Change calls: got %d inner calls, want 1", n)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("cached change differs:\ngot  %+v\nwant %+v", second, first)
	}
	if st := c.Stats(); st.Hits != 1 || st.Misses != 1 || st.Writes != 1 {
		t.Errorf("got stats %+v, want 1 hit, 1 miss, 1 write", st)
	}
	// A second cache over the same folder (a rerun) hits too.
	again := NewCache(dir, inner)
	if _, err := again.Change(ctx, Commit{Hash: testHash}); err != nil {
		t.Fatal(err)
	}
	if n := inner.calls.Load(); n != 1 {
		t.Errorf("rerun: got %d inner calls, want 1", n)
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
		damage func(data []byte) []byte
	}{
		{"truncated", func(d []byte) []byte { return d[:len(d)-5] }},
		{"flipped byte", func(d []byte) []byte { d[len(d)-3] ^= 0xff; return d }},
		{"empty", func([]byte) []byte { return nil }},
		{"no header", func(d []byte) []byte { return d[strings.IndexByte(string(d), '\n')+1:] }},
		{"other version", func(d []byte) []byte {
			return []byte(strings.Replace(string(d), "sigsentry-change 1 ", "sigsentry-change 999 ", 1))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			inner := &countingSource{}
			c := NewCache(dir, inner)
			ctx := context.Background()
			want, err := c.Change(ctx, Commit{Hash: testHash})
			if err != nil {
				t.Fatal(err)
			}
			path, _ := c.path(testHash)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.damage(data), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := c.Change(ctx, Commit{Hash: testHash})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after damage: got %+v, want %+v", got, want)
			}
			if n := inner.calls.Load(); n != 2 {
				t.Errorf("got %d inner calls, want 2 (the damaged entry fetched again)", n)
			}
			if st := c.Stats(); st.Damaged != 1 {
				t.Errorf("got %d damaged, want 1", st.Damaged)
			}
			// The entry was rewritten and is good again.
			if _, err := readEntry(path, testHash); err != nil {
				t.Errorf("rewritten entry: %v", err)
			}
		})
	}
}

func TestCacheDoesNotKeepFailuresOrFallbacks(t *testing.T) {
	ctx := context.Background()
	t.Run("fallback", func(t *testing.T) {
		inner := &countingSource{fallback: FallbackDiffstat}
		c := NewCache(t.TempDir(), inner)
		for i := 0; i < 2; i++ {
			ch, err := c.Change(ctx, Commit{Hash: testHash})
			if err != nil {
				t.Fatal(err)
			}
			if ch.Fallback != FallbackDiffstat {
				t.Errorf("got fallback %q, want %q", ch.Fallback, FallbackDiffstat)
			}
		}
		if n := inner.calls.Load(); n != 2 {
			t.Errorf("got %d inner calls, want 2 (fallbacks are not cached)", n)
		}
	})
	t.Run("error", func(t *testing.T) {
		boom := errors.New("boom")
		inner := &countingSource{fail: boom}
		dir := t.TempDir()
		c := NewCache(dir, inner)
		if _, err := c.Change(ctx, Commit{Hash: testHash}); !errors.Is(err, boom) {
			t.Errorf("got %v, want %v", err, boom)
		}
		inner.fail = nil
		if _, err := c.Change(ctx, Commit{Hash: testHash}); err != nil {
			t.Fatal(err)
		}
		if n := inner.calls.Load(); n != 2 {
			t.Errorf("got %d inner calls, want 2 (errors are not cached)", n)
		}
	})
	t.Run("not a hash", func(t *testing.T) {
		inner := &countingSource{}
		dir := t.TempDir()
		c := NewCache(dir, inner)
		for i := 0; i < 2; i++ {
			if _, err := c.Change(ctx, Commit{Hash: "../../etc/passwd"}); err != nil {
				t.Fatal(err)
			}
		}
		if n := inner.calls.Load(); n != 2 {
			t.Errorf("got %d inner calls, want 2 (odd names are not cached)", n)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("got %d entries in the cache folder, want 0", len(entries))
		}
	})
}

// TestCacheConcurrentWriters runs many caches over one folder at once (as
// parallel runs would); every reader gets a whole entry.
func TestCacheConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := NewCache(dir, &countingSource{})
			for j := 0; j < 4; j++ {
				ch, err := c.Change(ctx, Commit{Hash: testHash})
				if err != nil {
					errs <- err
					return
				}
				if len(ch.Files) != 1 || ch.Files[0].LinesAdded != 2 {
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
	dir := t.TempDir()
	c := NewCache(dir, &countingSource{})
	if _, err := c.Change(context.Background(), Commit{Hash: testHash}); err != nil {
		t.Fatal(err)
	}
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
