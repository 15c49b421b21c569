package harness

import (
	"strings"
	"testing"
)

// FuzzFixesTargets reads arbitrary commit messages: every target is a
// lower-case hash of 7 to 40 digits, named once.
func FuzzFixesTargets(f *testing.F) {
	f.Add("x\n\nFixes: 0123456789ab (\"a: b\")\nFixes: commit abcdef1\n")
	f.Add("Fixes: 0123456 (\"unterminated\n")
	f.Add("This bug was introduced in 2.2-dev3 by commit 9e1758efbd68.\nThis reverts commit DA37CBD24FC0.")
	f.Fuzz(func(t *testing.T, msg string) {
		seen := map[string]bool{}
		for _, tg := range FixesTargets(msg) {
			if len(tg.Hash) < 7 || len(tg.Hash) > 40 || strings.Trim(tg.Hash, "0123456789abcdef") != "" || seen[tg.Hash] {
				t.Fatalf("target %+v", tg)
			}
			seen[tg.Hash] = true
		}
	})
}

// FuzzReadManifest: a manifest either reads, and writes back to the same
// cases, or fails with a message; it never panics.
func FuzzReadManifest(f *testing.F) {
	f.Add(manifestHeader + "\nacme/w\t" + strings.Repeat("a", 40) + "\t" + strings.Repeat("b", 40) + "\tasan\t0\ttune\tnote\n")
	f.Add(oldHeader + "\nacme/w\t" + strings.Repeat("a", 40) + "\t" + strings.Repeat("b", 40) + "\tasan\t0\tnote\twith a tab\n")
	f.Add("# c\n" + manifestHeader + "\n")
	f.Fuzz(func(t *testing.T, text string) {
		cases, err := ReadManifest(strings.NewReader(text))
		if err != nil {
			return
		}
		var b strings.Builder
		if err := WriteManifest(&b, cases); err != nil {
			t.Fatal(err)
		}
		again, err := ReadManifest(strings.NewReader(b.String()))
		if err != nil || len(again) != len(cases) {
			t.Fatalf("written manifest does not read back: %v", err)
		}
	})
}
