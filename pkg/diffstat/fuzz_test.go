package diffstat_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// FuzzParse feeds any bytes to Parse: it must not panic, and its output
// must stay proportional to its input (kept text and hunk count bounded by
// the input's size), with counts that agree with the kept lines.
func FuzzParse(f *testing.F) {
	paths, err := filepath.Glob("testdata/*.diff")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		files, _ := diffstat.Parse(in)
		text, hunks, lines := 0, 0, 0
		for _, fl := range files {
			text += len(fl.Path) + len(fl.OldPath)
			added, removed := 0, 0
			for _, h := range fl.Hunks {
				hunks++
				added += len(h.Added)
				removed += len(h.Removed)
				for _, l := range h.Added {
					text += len(l.Text)
				}
				for _, l := range h.Removed {
					text += len(l.Text)
				}
			}
			lines += added + removed
			if !fl.Binary && (added != fl.LinesAdded || removed != fl.LinesRemoved) {
				t.Errorf("%q: got counts +%d -%d, want the kept lines' +%d -%d", fl.Path, fl.LinesAdded, fl.LinesRemoved, added, removed)
			}
			if fl.Binary && (fl.LinesAdded != 0 || fl.LinesRemoved != 0) {
				t.Errorf("%q: got binary counts +%d -%d, want 0/0", fl.Path, fl.LinesAdded, fl.LinesRemoved)
			}
		}
		// Paths may be unquoted from the diff --git line and again from
		// ---/+++ or rename lines: at most 4 names per input byte budget.
		if text > 4*len(in) || hunks > len(in) || lines > len(in) {
			t.Errorf("got %d text bytes, %d hunks, %d lines from %d input bytes, want them bounded by the input", text, hunks, lines, len(in))
		}
		counted, _ := diffstat.ParseOptions(in, diffstat.Options{NoLines: true})
		if len(counted) != len(files) {
			t.Fatalf("NoLines: got %d files, want %d", len(counted), len(files))
		}
		for i := range files {
			if counted[i].LinesAdded != files[i].LinesAdded || counted[i].LinesRemoved != files[i].LinesRemoved {
				t.Errorf("NoLines %q: got +%d -%d, want +%d -%d", files[i].Path, counted[i].LinesAdded, counted[i].LinesRemoved, files[i].LinesAdded, files[i].LinesRemoved)
			}
		}
	})
}
