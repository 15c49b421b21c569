package sourcemap

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSourceMap parses any bytes as a map and looks up positions in it:
// neither may panic, and what Lookup finds must name a source of the map
// and a 1-based place.
func FuzzSourceMap(f *testing.F) {
	for _, name := range []string{"esbuild/dist/main.W4AOFUKY.js.map", "esbuild/dist-lines/main.T3JPWKBS.js.map"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b, 1, 181)
		}
	}
	f.Add([]byte(`{"version":3,"file":"out.js","sources":["a.js","b.js"],"names":["foo"],"mappings":"AAAAA,IACE,M;;ECGD"}`), 3, 3)
	f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"names":["alpha"],"mappings":"AAAAA;AACA"}},{"offset":{"line":1,"column":10},"map":{"version":3,"sourceRoot":"lib/","sources":["b.js"],"names":[],"mappings":"AAKA,EAAE;AACA"}}]}`), 2, 13)
	f.Add([]byte(`{"version":3,"sources":["a"],"ignoreList":[0,-1,9],"mappings":"+/////D,+/////D"}`), 1, 1)
	f.Fuzz(func(t *testing.T, data []byte, line, col int) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		for _, pos := range [][2]int{{line, col}, {1, 1}, {line, 1}, {1, col}, {line + 1, col - 1}} {
			p, ok := m.Lookup(pos[0], pos[1])
			if !ok {
				continue
			}
			if p.Line < 1 || p.Column < 1 {
				t.Fatalf("Lookup(%d, %d) = %+v: not 1-based", pos[0], pos[1], p)
			}
			if p.SourceIndex < 0 || p.SourceIndex >= len(m.Sources) || m.Sources[p.SourceIndex] != p.Source {
				t.Fatalf("Lookup(%d, %d) = %+v: source index %d of %q", pos[0], pos[1], p, p.SourceIndex, m.Sources)
			}
			Normalize(p.Source, "dist")
		}
	})
}

// FuzzSourcesContent reads the wanted members of any bytes' sourcesContent:
// it may not panic, and what it gives is a wanted member that a full
// decoding of the JSON finds the same.
func FuzzSourcesContent(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "esbuild/dist/main.W4AOFUKY.js.map")); err == nil {
		f.Add(b, 1)
	}
	f.Add([]byte(`)]}'`+"\n"+`{"sources":["a"],"sourcesContent":[null,"x\ny",3,"z"]}`), 3)
	f.Add([]byte("\xef\xbb\xbf"+`{"sourcesContent":["a"]}`), 0)
	f.Fuzz(func(t *testing.T, data []byte, k int) {
		want := map[int]bool{k: true, 0: true}
		got := SourcesContent(bytes.NewReader(data), want)
		for i, src := range got {
			if !want[i] {
				t.Fatalf("got member %d, not wanted", i)
			}
			var whole struct {
				SourcesContent []*string `json:"sourcesContent"`
			}
			if json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &whole) == nil &&
				i < len(whole.SourcesContent) && whole.SourcesContent[i] != nil && *whole.SourcesContent[i] != src {
				t.Fatalf("member %d: got %q, a full decoding %q", i, src, *whole.SourcesContent[i])
			}
		}
	})
}

// FuzzSectionsContent reads the wanted sources of any bytes as an index
// map's: it may not panic, and it gives only wanted members; of a map
// Parse reads, only indexes of its Sources.
func FuzzSectionsContent(f *testing.F) {
	f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js","b.js"],"sourcesContent":["A","B"],"mappings":"AAAA;ACAA"}},{"offset":{"line":2,"column":0},"map":{"version":3,"sources":["c.js"],"sourcesContent":["C"],"mappings":"AAAA"}}]}`), 2)
	f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["d.js"],"sourcesContent":["D"],"mappings":"AAAA"}}]}}]}`), 0)
	f.Add([]byte(`{"sections":[{"map":{"sources":["a"],"sourcesContent":[null,3]}},{"map":null}]}`), 1)
	f.Fuzz(func(t *testing.T, data []byte, k int) {
		want := map[int]bool{k: true, 0: true, k + 1: true}
		got := SectionsContent(bytes.NewReader(data), want)
		m, err := Parse(data)
		for i := range got {
			if !want[i] {
				t.Fatalf("got member %d, not wanted", i)
			}
			if err == nil && (i < 0 || i >= len(m.Sources)) {
				t.Fatalf("got member %d of a map with %d sources", i, len(m.Sources))
			}
		}
		if err == nil {
			m.ReadSourcesContent(bytes.NewReader(data), want)
		}
	})
}

// FuzzFileField reads a map's file field from any bytes: it never panics,
// and from a JSON object with one plain "file" key whose value is a
// string it reads that string, as a whole decode would.
func FuzzFileField(f *testing.F) {
	f.Add([]byte(`{"version":3,"file":"main.js","mappings":"AAAA"}`))
	f.Add([]byte(`{"version":3,"sources":["a.ts"],"mappings":"AAAA","file":"late.js"}`))
	f.Add([]byte(`{"sections":[{"map":{"file":"inner.js"}}],"file":"outer.js"}`))
	f.Add([]byte(`["file"]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := FileField(bytes.NewReader(data))
		if bytes.Count(bytes.ToLower(data), []byte(`"file"`)) != 1 || bytes.Contains(data, []byte(`\`)) {
			return
		}
		var m struct {
			File *string `json:"file"`
		}
		if json.Unmarshal(data, &m) != nil || m.File == nil {
			return
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(data, &top) != nil {
			return
		}
		if _, ok := top["file"]; !ok {
			return // a case-folded key ("File") that Unmarshal matched
		}
		if got != *m.File {
			t.Errorf("FileField(%q) = %q, want %q", data, got, *m.File)
		}
	})
}
