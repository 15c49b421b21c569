package sourcemap

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

func readMap(t *testing.T, name string) *Map {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return m
}

func traceFrames(t *testing.T, name string) []signal.Frame {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := signal.Parse(name, b)
	if err != nil || len(sigs) != 1 {
		t.Fatalf("reading %s: %d signals, %v", name, len(sigs), err)
	}
	return sigs[0].Frames
}

// origin is where a frame of the esbuild app's trace comes from, checked
// by eye against the sources: the source, line and column, the text at
// that column, and the name the map gives at that position.
type origin struct {
	source       string
	line, column int
	text, name   string
}

// esbuildOrigins are the places of the frames of testdata/esbuild's traces,
// innermost first, as Node's --enable-source-maps reads them too: the
// arrow function reading item.product.price, sumBy calling fn, Cart.total
// calling sumBy, summary calling this.total(), checkout calling
// cart.summary(), placeOrder calling checkout, and the top level calling
// placeOrder.
var esbuildOrigins = []origin{
	{"../src/cart.js", 10, 53, "price * item.quantity", ""},
	{"../node_modules/money/index.js", 5, 12, "fn(x)", "fn"},
	{"../src/cart.js", 10, 12, "sumBy(this.items", "sumBy"},
	{"../src/cart.js", 14, 24, "total()", ""},
	{"../src/checkout.js", 6, 22, "summary()", ""},
	{"../src/main.js", 5, 10, "checkout(order)", "checkout"},
	{"../src/main.js", 8, 13, "placeOrder()", "placeOrder"},
}

// The frames of the trace Node printed for the minified bundle (one line)
// and for the one-statement-a-line bundle resolve to the source lines they
// ran, the same Node finds with --enable-source-maps.
func TestESBuildTrace(t *testing.T) {
	for _, tc := range []struct{ trace, resolved, mapFile string }{
		{"esbuild/trace.txt", "esbuild/trace-resolved.txt", "esbuild/dist/main.W4AOFUKY.js.map"},
		{"esbuild/trace-lines.txt", "esbuild/trace-lines-resolved.txt", "esbuild/dist-lines/main.T3JPWKBS.js.map"},
	} {
		t.Run(tc.trace, func(t *testing.T) {
			m := readMap(t, tc.mapFile)
			frames := traceFrames(t, tc.trace)
			want := traceFrames(t, tc.resolved)
			if len(frames) < len(esbuildOrigins) {
				t.Fatalf("got %d frames, want at least %d", len(frames), len(esbuildOrigins))
			}
			for i, o := range esbuildOrigins {
				f := frames[i]
				if !strings.HasSuffix(f.File, ".js") || !strings.Contains(f.File, "/dist") {
					t.Fatalf("frame %d is in %s, not the bundle", i, f.File)
				}
				p, ok := m.Lookup(f.Line, f.Column)
				if !ok {
					t.Errorf("frame %d (%d:%d): not found", i, f.Line, f.Column)
					continue
				}
				if p.Source != o.source || p.Line != o.line || p.Column != o.column || p.Name != o.name {
					t.Errorf("frame %d (%d:%d): got %+v, want %+v", i, f.Line, f.Column, p, o)
				}
				src, _ := Normalize(p.Source, "")
				code, err := os.ReadFile(filepath.Join("testdata/esbuild", src))
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(string(code), "\n")
				if l := lines[p.Line-1]; !strings.HasPrefix(l[p.Column-1:], o.text) {
					t.Errorf("frame %d: %s:%d:%d is at %q, want %q", i, src, p.Line, p.Column, l[p.Column-1:], o.text)
				}
				// Node's own reading of the map.
				w := want[i]
				if !strings.HasSuffix(w.File, "/"+src) || w.Line != p.Line || w.Column != p.Column {
					t.Errorf("frame %d: got %s:%d:%d, Node has %s:%d:%d", i, src, p.Line, p.Column, w.File, w.Line, w.Column)
				}
			}
		})
	}
}

// Lookups at 1-based positions: the column before a segment's is the
// previous segment's, the segment's own column is its own, and places
// before the first segment of a line, on lines without any, or off the
// map are not found.
func TestLookupBounds(t *testing.T) {
	m := readMap(t, "esbuild/dist/main.W4AOFUKY.js.map")
	// "e+=t(i)": t( is at 0-based 48, the segment of fn.
	if p, ok := m.Lookup(1, 49); !ok || p.Name != "fn" {
		t.Errorf("Lookup(1, 49) = %+v, %v; want fn", p, ok)
	}
	if p, ok := m.Lookup(1, 48); !ok || p.Name == "fn" {
		t.Errorf("Lookup(1, 48) = %+v, %v; want the segment before fn's", p, ok)
	}
	for _, pos := range [][2]int{{0, 1}, {1, 0}, {-1, 5}, {2, 1}, {1 << 40, 1}, {1, 1 << 40}, {3, 3}} {
		if p, ok := m.Lookup(pos[0], pos[1]); ok {
			t.Errorf("Lookup(%d, %d) = %+v; want not found", pos[0], pos[1], p)
		}
	}
	// The whole line: any column past the last segment is the last
	// segment's.
	if _, ok := m.Lookup(1, 1e6); !ok {
		t.Error("Lookup(1, 1e6): want the last segment of line 1")
	}
}

func TestHandWritten(t *testing.T) {
	// Segments: line 1: col 0 -> a.js 1:0 name foo; col 4 -> a.js 2:2;
	// col 10 unmapped. Line 3: col 2 -> b.js 5:2 (1-based).
	base := `{"version":3,"file":"out.js","sources":["a.js","b.js"],"names":["foo"],"mappings":"AAAAA,IACE,M;;ECGD"}`
	for _, tc := range []struct {
		name, data string
		line, col  int
		want       Position
		ok         bool
	}{
		{"first segment", base, 1, 1, Position{Source: "a.js", Line: 1, Column: 1, Name: "foo"}, true},
		{"inside the first", base, 1, 4, Position{Source: "a.js", Line: 1, Column: 1, Name: "foo"}, true},
		{"second segment", base, 1, 5, Position{Source: "a.js", Line: 2, Column: 3}, true},
		{"unmapped segment", base, 1, 11, Position{}, false},
		{"line without segments", base, 2, 1, Position{}, false},
		{"before the line's first", base, 3, 2, Position{}, false},
		{"third line", base, 3, 3, Position{Source: "b.js", Line: 5, Column: 2, SourceIndex: 1}, true},
		{"past the last line", base, 4, 1, Position{}, false},
		{"sourceRoot", `{"version":3,"sourceRoot":"webpack:///","sources":["./src/cart.ts","/abs/x.ts","https://h/y.ts"],"names":[],"mappings":"AAAA"}`,
			1, 1, Position{Source: "webpack:///./src/cart.ts", Line: 1, Column: 1}, true},
		{"sourceRoot without slash", `{"version":3,"sourceRoot":"src","sources":["cart.ts"],"mappings":"AAAA"}`,
			1, 1, Position{Source: "src/cart.ts", Line: 1, Column: 1}, true},
		{"no names field", `{"version":3,"sources":["a.js"],"mappings":"AAAA,CAAC"}`, 1, 2, Position{Source: "a.js", Line: 1, Column: 2}, true},
		{"null source", `{"version":3,"sources":[null],"mappings":"AAAA"}`, 1, 1, Position{Source: "", Line: 1, Column: 1}, true},
		{"ignoreList", `{"version":3,"sources":["a.js","vendor.js"],"ignoreList":[1],"mappings":"AAAA,CCAA"}`, 1, 2,
			Position{Source: "vendor.js", Line: 1, Column: 1, Ignored: true, SourceIndex: 1}, true},
		{"x_google_ignoreList", `{"version":3,"sources":["vendor.js"],"x_google_ignoreList":[0,7],"mappings":"AAAA"}`, 1, 1,
			Position{Source: "vendor.js", Line: 1, Column: 1, Ignored: true}, true},
		{"XSSI prefix", ")]}'\n" + base, 1, 1, Position{Source: "a.js", Line: 1, Column: 1, Name: "foo"}, true},
		{"empty mappings", `{"version":3,"sources":[],"names":[],"mappings":""}`, 1, 1, Position{}, false},
		{"unsorted segments", `{"version":3,"sources":["a.js"],"mappings":"KAAC,FAAC"}`, 1, 4, Position{Source: "a.js", Line: 1, Column: 3}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := m.Lookup(tc.line, tc.col)
			if ok != tc.ok || got != tc.want {
				t.Errorf("Lookup(%d, %d) = %+v, %v; want %+v, %v", tc.line, tc.col, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// An index map: two sections, the second starting at 0-based line 1
// column 10 of the generated file; a position is looked up in the
// section it falls in, relative to that section's start, and its source
// index counts the sections' sources in order.
func TestIndexMap(t *testing.T) {
	data := `{"version":3,"file":"app.js","sections":[
		{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"names":["alpha"],"mappings":"AAAAA;AACA"}},
		{"offset":{"line":1,"column":10},"map":{"version":3,"sourceRoot":"lib/","sources":["b.js"],"names":[],"mappings":"AAKA,EAAE;AACA"}}
	]}`
	m, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if m.File != "app.js" || len(m.Sources) != 2 || m.Sources[1] != "lib/b.js" {
		t.Errorf("got file %q sources %q", m.File, m.Sources)
	}
	for _, tc := range []struct {
		line, col int
		want      Position
		ok        bool
	}{
		{1, 1, Position{Source: "a.js", Line: 1, Column: 1, Name: "alpha", SourceIndex: 0}, true},
		{2, 1, Position{Source: "a.js", Line: 2, Column: 1, SourceIndex: 0}, true},
		{2, 10, Position{Source: "a.js", Line: 2, Column: 1, SourceIndex: 0}, true}, // still the first section
		{2, 11, Position{Source: "lib/b.js", Line: 6, Column: 1, SourceIndex: 1}, true},
		{2, 13, Position{Source: "lib/b.js", Line: 6, Column: 3, SourceIndex: 1}, true},
		{3, 1, Position{Source: "lib/b.js", Line: 7, Column: 3, SourceIndex: 1}, true}, // column not shifted past the offset's line
		{4, 1, Position{}, false},
	} {
		got, ok := m.Lookup(tc.line, tc.col)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Lookup(%d, %d) = %+v, %v; want %+v, %v", tc.line, tc.col, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"not JSON", `{"version":3,`, "not JSON"},
		{"no version", `{"sources":[],"mappings":""}`, "no version"},
		{"version 2", `{"version":2,"sources":[],"mappings":""}`, "version 2"},
		{"no mappings", `{"version":3,"sources":[]}`, "neither mappings nor sections"},
		{"sources not strings", `{"version":3,"sources":[1],"mappings":""}`, "field sources"},
		{"bad digit", `{"version":3,"sources":["a"],"mappings":"AA!A"}`, "not a base64 digit"},
		{"two fields", `{"version":3,"sources":["a"],"mappings":"AA"}`, "2 fields"},
		{"six fields", `{"version":3,"sources":["a"],"names":["n"],"mappings":"AAAAAA"}`, "more than 5 fields"},
		{"source out of range", `{"version":3,"sources":["a"],"mappings":"ACAA"}`, "source 1 of 1"},
		{"negative source", `{"version":3,"sources":["a"],"mappings":"ADAA"}`, "source -1 of 1"},
		{"name out of range", `{"version":3,"sources":["a"],"names":[],"mappings":"AAAAA"}`, "name 0 of 0"},
		{"negative column", `{"version":3,"sources":["a"],"mappings":"D"}`, "generated column -1"},
		{"negative line", `{"version":3,"sources":["a"],"mappings":"AADA"}`, "out of range"},
		{"huge value", `{"version":3,"sources":["a"],"mappings":"gggggggggggE"}`, "larger than 32 bits"},
		{"column overflow", `{"version":3,"sources":["a"],"mappings":"+/////D,+/////D"}`, "out of range"},
		{"unfinished value", `{"version":3,"sources":["a"],"mappings":"AAAg"}`, "ends in the middle"},
		{"section by url", `{"version":3,"sections":[{"offset":{"line":0,"column":0},"url":"a.map"}]}`, "by url"},
		{"section without offset", `{"version":3,"sections":[{"map":{"version":3,"sources":[],"mappings":""}}]}`, "no offset"},
		{"sections out of order", `{"version":3,"sections":[{"offset":{"line":2,"column":0},"map":{"version":3,"sources":[],"mappings":""}},{"offset":{"line":1,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}`, "comes before"},
		{"bad section", `{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a"],"mappings":"AC"}}]}`, "section 0"},
		{"negative offset", `{"version":3,"sections":[{"offset":{"line":-1,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}`, "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse: got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// A map larger than MaxSize, or one whose mappings hold more segments
// than MaxSegments, is refused before it costs more than its size.
func TestParseLimits(t *testing.T) {
	if _, err := Parse(make([]byte, MaxSize+1)); err == nil || !strings.Contains(err.Error(), "more than the 64 MiB") {
		t.Errorf("a map over MaxSize: got %v", err)
	}
	defer func(n int) { segmentBudget = n }(segmentBudget)
	segmentBudget = 1000
	var b strings.Builder
	b.WriteString(`{"version":3,"sources":["a"],"mappings":"`)
	for i := 0; i <= segmentBudget; i++ {
		b.WriteString("CAAA,")
	}
	b.WriteString(`"}`)
	if _, err := Parse([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "more than 1000 segments") {
		t.Errorf("too many segments: got %v", err)
	}
	// Unmapped segments one after another cost one: the first ends the
	// mapping already.
	b.Reset()
	b.WriteString(`{"version":3,"sources":["a"],"mappings":"AAAA`)
	for i := 0; i < 100; i++ {
		b.WriteString(",C")
	}
	b.WriteString(`"}`)
	m, err := Parse([]byte(b.String()))
	if err != nil || len(m.segs) != 2 {
		t.Errorf("got %v and %d segments, want 2", err, len(m.segs))
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		source, dir, want string
		inApp             bool
	}{
		{"webpack:///./src/cart.ts", "", "src/cart.ts", true},
		{"webpack://shop/./src/cart.ts", "", "src/cart.ts", true},
		{"webpack:///src/cart.ts?abcd", "", "src/cart.ts", true},
		{"webpack:///./src/cart.ts?5f1e#frag", "dist", "src/cart.ts", true},
		{"webpack-internal:///./src/cart.ts", "", "src/cart.ts", true},
		{"webpack:///./node_modules/react-dom/cjs/react-dom.production.min.js", "", "node_modules/react-dom/cjs/react-dom.production.min.js", false},
		{"webpack:///webpack/bootstrap", "", "webpack/bootstrap", false},
		{"webpack:///webpack/runtime/define property getters", "", "webpack/runtime/define property getters", false},
		{"webpack:///(webpack)/buildin/global.js", "", "(webpack)/buildin/global.js", false},
		{`webpack:///external "react"`, "", `external "react"`, false},
		{"webpack://shop/external%20%22react%22", "", `external "react"`, false},
		{"../../src/cart.ts", "", "src/cart.ts", true},
		{"../../src/cart.ts", "web/build/static", "web/src/cart.ts", true},
		{"../src/cart.js", "dist", "src/cart.js", true},
		{"../node_modules/money/index.js", "dist", "node_modules/money/index.js", false},
		{"src/cart.ts", "", "src/cart.ts", true},
		{"./cart.ts", "src", "src/cart.ts", true},
		{`src\cart.ts`, "", "src/cart.ts", true},
		{"file:///home/me/shop/src/cart.ts", "dist", "/home/me/shop/src/cart.ts", true},
		{"file:///C:/shop/src/cart.ts", "", "C:/shop/src/cart.ts", true},
		{"/home/me/shop/src/cart.ts", "dist", "/home/me/shop/src/cart.ts", true},
		{"turbopack://[project]/src/cart.ts", "", "src/cart.ts", true},
		{"turbopack:///[project]/src/cart.ts", "", "src/cart.ts", true},
		{"turbopack:///[turbopack]/browser/runtime.ts", "", "[turbopack]/browser/runtime.ts", false},
		{"https://cdn.example.com/src/cart.ts", "", "src/cart.ts", true},
		{"ng:///src/app/cart.component.ts", "", "src/app/cart.component.ts", true},
		{"\x00commonjsHelpers.js", "", "\x00commonjsHelpers.js", false},
		{"", "", "", false},
		{"..", "", "", false},
		{"webpack://", "", "", false},
	} {
		got, inApp := Normalize(tc.source, tc.dir)
		if got != tc.want || inApp != tc.inApp {
			t.Errorf("Normalize(%q, %q) = %q, %v; want %q, %v", tc.source, tc.dir, got, inApp, tc.want, tc.inApp)
		}
	}
}

func TestMappingURL(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"a();\n//# sourceMappingURL=main.js.map\n", "main.js.map"},
		{"a();\n//# sourceMappingURL=main.js.map", "main.js.map"},
		{"a();\n//@ sourceMappingURL=old.js.map\n", "old.js.map"},
		{"//# sourceMappingURL=first.map\na();\n//# sourceMappingURL=last.map\n", "last.map"},
		{"a();\n", ""},
	} {
		if got := MappingURL([]byte(tc.text)); got != tc.want {
			t.Errorf("MappingURL(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	data, ok, err := DataURL("data:application/json;charset=utf-8;base64,eyJ2ZXJzaW9uIjozfQ==")
	if !ok || err != nil || string(data) != `{"version":3}` {
		t.Errorf("DataURL(base64) = %q, %v, %v", data, ok, err)
	}
	data, ok, err = DataURL(`data:application/json,%7B%22version%22%3A3%7D`)
	if !ok || err != nil || string(data) != `{"version":3}` {
		t.Errorf("DataURL(escaped) = %q, %v, %v", data, ok, err)
	}
	if _, ok, _ := DataURL("main.js.map"); ok {
		t.Error("DataURL(main.js.map): want not a data URL")
	}
	if _, ok, err := DataURL("data:application/json;base64,!!!"); !ok || err == nil {
		t.Errorf("DataURL(bad base64): got %v, %v", ok, err)
	}
}

// SourcesContent reads only the wanted members of sourcesContent, from a
// map as tools write it, behind the XSSI prefix or a byte-order mark, and
// gives none for members that are not strings or a map without the field.
func TestSourcesContent(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "esbuild/dist/main.W4AOFUKY.js.map"))
	if err != nil {
		t.Fatal(err)
	}
	got := SourcesContent(bytes.NewReader(b), map[int]bool{1: true})
	if len(got) != 1 || !strings.Contains(got[1], "export class Cart") {
		t.Errorf("got %v, want src/cart.js's source alone", got)
	}
	m := readMap(t, "esbuild/dist/main.W4AOFUKY.js.map")
	if p, ok := m.Lookup(1, 181); !ok || p.SourceIndex < 0 || m.Sources[p.SourceIndex] != p.Source {
		t.Errorf("Lookup gave %+v, %v: want the index of its source", p, ok)
	}
	if !m.HasContent {
		t.Error("the esbuild map: HasContent unset, want it set")
	}
	for _, c := range []string{``, `,"sourcesContent":null`, `,"sourcesContent":[]`, `,"sourcesContent": [ ]`} {
		m, err := Parse([]byte(`{"version":3,"sources":["a.js"],"mappings":"AAAA"` + c + `}`))
		if err != nil || m.HasContent {
			t.Errorf("sources content %q: got HasContent %v (%v), want unset", c, m != nil && m.HasContent, err)
		}
	}
	for _, tc := range []struct {
		name, data string
		want       map[int]string
	}{
		{"xssi", ")]}'\n" + `{"version":3,"sourcesContent":["a",null,7,"d"],"sources":["a","b","c","d"]}`, map[int]string{0: "a", 3: "d"}},
		{"bom", "\xef\xbb\xbf" + `{"sourcesContent":["a"]}`, map[int]string{0: "a"}},
		{"after other fields", `{"mappings":";;A","names":["x"],"sourcesContent":["a","b","c","d"]}`, map[int]string{0: "a", 1: "b", 2: "c", 3: "d"}},
		{"none", `{"version":3,"sources":["a"]}`, map[int]string{}},
		{"not a map", `["sourcesContent"]`, map[int]string{}},
		{"truncated", `{"sourcesContent":["a","b`, map[int]string{0: "a"}},
	} {
		got := SourcesContent(strings.NewReader(tc.data), map[int]bool{0: true, 1: true, 2: true, 3: true})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// An index map's sources are read from its sections, counted in order as
// Lookup counts them; a nested index map's too. A section without
// sourcesContent gives nothing and still counts its sources.
func TestSectionsContent(t *testing.T) {
	data := `{"version":3,"file":"app.js","names":["x"],"sections":[
		{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js","b.js"],"sourcesContent":["A",null],"mappings":"AAAA;ACAA"}},
		{"offset":{"line":2,"column":0},"map":{"version":3,"sources":["c.js"],"mappings":"AAAA"}},
		{"offset":{"line":3,"column":0},"map":{"version":3,"sections":[
			{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["d.js","e.js"],"sourcesContent":["D","E"],"mappings":"AAAA;ACAA"}}]}},
		{"offset":{"line":5,"column":0},"map":{"version":3,"sources":["f.js"],"sourcesContent":["F"],"mappings":"AAAA"}}
	]}`
	m, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasContent {
		t.Error("HasContent unset, want it set: sections hold sourcesContent")
	}
	wantSrc := map[int]string{0: "A", 3: "D", 4: "E", 5: "F"}
	for _, tc := range []struct {
		line int
		src  string
	}{{1, "a.js"}, {2, "b.js"}, {3, "c.js"}, {4, "d.js"}, {5, "e.js"}, {6, "f.js"}} {
		p, ok := m.Lookup(tc.line, 1)
		if !ok || p.Source != tc.src || m.Sources[p.SourceIndex] != tc.src {
			t.Errorf("Lookup(%d, 1) = %+v, %v; want %s at its index", tc.line, p, ok, tc.src)
		}
	}
	all := map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true, 5: true, 6: true}
	for _, r := range []func() map[int]string{
		func() map[int]string { return SectionsContent(strings.NewReader(data), all) },
		func() map[int]string { return m.ReadSourcesContent(strings.NewReader(data), all) },
	} {
		if got := r(); !reflect.DeepEqual(got, wantSrc) {
			t.Errorf("got %v, want %v", got, wantSrc)
		}
	}
	if got := SectionsContent(strings.NewReader(data), map[int]bool{4: true}); !reflect.DeepEqual(got, map[int]string{4: "E"}) {
		t.Errorf("source 4 alone: got %v", got)
	}
	// A regular map's content is not an index map's, nor the other way.
	if got := SourcesContent(strings.NewReader(data), all); len(got) != 0 {
		t.Errorf("SourcesContent of an index map: got %v, want nothing", got)
	}
	if got := SectionsContent(strings.NewReader(`{"sourcesContent":["a"]}`), all); len(got) != 0 {
		t.Errorf("SectionsContent of a regular map: got %v, want nothing", got)
	}
	for _, bad := range []string{`{"sections":3}`, `{"sections":[{"map":7}]}`, `{"sections":[{"map":{"sources":["a"],"sourcesContent":["A"]}},`, `[`} {
		got := SectionsContent(strings.NewReader(bad), all)
		if bad[len(bad)-1] == ',' && !reflect.DeepEqual(got, map[int]string{0: "A"}) || bad[len(bad)-1] != ',' && len(got) != 0 {
			t.Errorf("SectionsContent(%s) = %v", bad, got)
		}
	}
}

// A map's file field is read wherever it stands among the members, and a
// map that is no JSON object, or has no string there, has none; the
// prefixes Parse skips are skipped.
func TestFileField(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"version":3,"file":"main.js","mappings":"AAAA"}`, "main.js"},
		{`{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA;AACA","file":"late.js"}`, "late.js"},
		{`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"file":"inner.js"}}],"file":"outer.js"}`, "outer.js"},
		{`{"version":3,"sections":[{"map":{"file":"inner.js"}}]}`, ""},
		{`{"version":3,"mappings":"AAAA"}`, ""},
		{`{"file":3}`, ""},
		{`["file","main.js"]`, ""},
		{`{"version":3,"mappings":"AAAA"`, ""},
		{``, ""},
		{")]}'\n" + `{"file":"guarded.js"}`, "guarded.js"}, // the prefix Parse skips
		{"\xef\xbb\xbf" + `{"file":"bom.js"}`, "bom.js"},
	} {
		if got := FileField(strings.NewReader(tc.in)); got != tc.want {
			t.Errorf("FileField(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
