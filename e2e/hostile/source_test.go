package hostile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

// Issue 10 item 3: a close-delimited diff cut at a file boundary parses as
// a whole diff, so the source checks it against the diffstat: cut once, it
// is fetched again; cut every time, it is counted from the diffstat and not
// cached. Either way a clean rerun counts right.
func TestCloseDelimitedCutDiff(t *testing.T) {
	for _, n := range []int{1, bitbuckettest.Forever} {
		name := "once"
		if n == bitbuckettest.Forever {
			name = "every time"
		}
		t.Run(name, func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			victim := w.hashes[5] // three files
			w.srv.CutNext("/diff/"+victim, n, 1, bitbuckettest.CloseDelimited)
			r, rep := w.analyze()
			if r.code != 0 {
				t.Fatalf("analyze: %s", r)
			}
			if n == 1 {
				w.checkCounts(rep, "first run")
			} else if !strings.Contains(r.stderr, "cut short") {
				t.Errorf("stderr does not say the diff came back cut short:\n%s", r.stderr)
			}
			w.srv.ClearFaults()
			w.srv.ResetRequests()
			_, rep = w.analyze()
			w.checkCounts(rep, "clean rerun")
		})
	}
}

// Issue 10 item 2: an empty 200 for a commit that changed files is checked
// against the diffstat and never counted as "no changes".
func TestEmptyDiffForACommitWithChanges(t *testing.T) {
	badInputs(t, 1)
	w := newWorld(t)
	w.srv.RespondNext("/diff/"+w.hashes[4], bitbuckettest.Forever, 200, "text/plain", nil)
	r, rep := w.analyze()
	if r.code != 0 {
		t.Fatalf("analyze: %s", r)
	}
	if rep == nil {
		t.Fatal("no report")
	}
	for _, c := range rep.Commits {
		if c.Hash == w.hashes[4] && c.FilesChanged == 0 {
			t.Errorf("an empty answer was counted as a commit without changes")
		}
	}
	w.srv.ClearFaults()
	_, rep = w.analyze()
	w.checkCounts(rep, "clean rerun")
}

// Issue 10 risks: 555 on both the diff and the diffstat is a partial
// result (exit 3) that says which commit could not be counted.
func TestDiffAndDiffstatTooLargeIsPartial(t *testing.T) {
	badInputs(t, 1)
	w := newWorld(t)
	w.srv.ForceDiffTooLarge(w.hashes[3])
	w.srv.ForceDiffstatTooLarge(w.hashes[3])
	r, rep := w.analyze()
	if r.code != 3 {
		t.Fatalf("analyze: %s\nwant exit 3", r)
	}
	mustContain(t, "stderr", r.stderr, "could not be counted")
	if rep == nil {
		t.Fatal("no report")
	}
}

// Issue 10 risks: cache entries are read only as regular files of the size
// they say (a symbolic link to /dev/zero, a huge file, a FIFO are dropped
// and fetched again), and the counts stay right.
func TestHostileCacheEntries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		plant  func(path string) error
		inputs int
	}{
		{"a symbolic link to /dev/zero", func(p string) error { return os.Symlink("/dev/zero", p) }, 1},
		{"a file bigger than an entry may be", func(p string) error {
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return f.Truncate(1 << 30) // sparse: no disk used
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			badInputs(t, tc.inputs)
			w := newWorld(t)
			if r, _ := w.analyze(); r.code != 0 {
				t.Fatalf("first run: %s", r)
			}
			entries, _ := filepath.Glob(filepath.Join(w.cache, "changes", "*", "*", "*", "*.json.gz"))
			if len(entries) == 0 {
				t.Fatal("no cache entries written")
			}
			for _, e := range entries {
				if err := os.Remove(e); err != nil {
					t.Fatal(err)
				}
				if err := tc.plant(e); err != nil {
					t.Fatal(err)
				}
			}
			r, rep := w.analyze()
			if r.code != 0 {
				t.Fatalf("rerun over a hostile cache: %s", r)
			}
			w.checkCounts(rep, "rerun over a hostile cache")
		})
	}
}
