package sourcemap

import (
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
			Normalize(p.Source, "dist")
		}
	})
}
