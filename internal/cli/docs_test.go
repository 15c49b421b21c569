package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestDocsUpToDate fails when docs/reference or docs/man differ from what
// the command tree generates. Fix with: go run ./internal/tools/gendocs
func TestDocsUpToDate(t *testing.T) {
	tmp := t.TempDir()
	if err := GenerateDocs(tmp); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"reference", "man"} {
		want := readTree(t, filepath.Join(tmp, sub))
		got := readTree(t, filepath.Join("..", "..", "docs", sub))
		for name, w := range want {
			g, ok := got[name]
			if !ok {
				t.Errorf("docs/%s/%s is missing; run: go run ./internal/tools/gendocs", sub, name)
				continue
			}
			if !bytes.Equal(g, w) {
				t.Errorf("docs/%s/%s is out of date; run: go run ./internal/tools/gendocs", sub, name)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("docs/%s/%s is stale (no such command); run: go run ./internal/tools/gendocs", sub, name)
			}
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = b
	}
	return out
}
