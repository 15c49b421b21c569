package signal

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the *.golden.json files in testdata")

// goldenInputs lists every testdata input: testdata/<kind>/*.txt|json
// without the .golden.json files and without testdata/invalid.
func goldenInputs(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"testdata/*/*.txt", "testdata/*/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if strings.HasSuffix(f, ".golden.json") || strings.Contains(f, "invalid") {
				continue
			}
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatal("no testdata inputs found")
	}
	return files
}

func TestParseGolden(t *testing.T) {
	for _, in := range goldenInputs(t) {
		t.Run(in, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			sigs, err := Parse(filepath.Base(in), data)
			if err != nil {
				t.Fatalf("Parse: got error %v, want signals", err)
			}
			got, err := json.MarshalIndent(sigs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(strings.TrimSuffix(in, ".txt"), ".json") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s; got:\n%s", in, golden, got)
			}
		})
	}
}
