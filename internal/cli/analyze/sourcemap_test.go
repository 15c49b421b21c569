package analyze

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/sourcemap"
)

// esbuildApp is the app of pkg/sourcemap/testdata/esbuild: its sources,
// its bundle minified to one line with its map (dist/), and the trace Node
// printed when the bundle threw in the arrow function of Cart.total
// (src/cart.js:10, reading item.product.price).
const esbuildApp = "../../../pkg/sourcemap/testdata/esbuild"

func readApp(t *testing.T, name string) string { t.Helper(); return readText(t, esbuildApp, name) }

// jsShopRepo is a repository holding the app's sources: src/cart.js came in
// before the window with line 10 reading item.price, the culprit changed
// that line to the one that throws, and a newer commit changed
// src/checkout.js, a frame further out.
func jsShopRepo(t *testing.T) (r *repo, culprit string) {
	t.Helper()
	r = newRepo(t)
	now := time.Now().UTC()
	cart := readApp(t, "src/cart.js")
	old := strings.Replace(cart, "item.product.price", "item.price", 1)
	if old == cart {
		t.Fatal("src/cart.js no longer reads item.product.price")
	}
	checkout := readApp(t, "src/checkout.js")
	r.commit(now.Add(-60*24*time.Hour), "shop: cart and checkout", map[string]string{
		"src/cart.js":     old,
		"src/checkout.js": strings.Replace(checkout, "prices an order", "prices the order", 1),
		"src/main.js":     readApp(t, "src/main.js"),
		"package.json":    `{"name":"shop","dependencies":{"money":"1.0.0"}}` + "\n",
	})
	culprit = r.commit(now.Add(-6*24*time.Hour), "cart: price items by their product", map[string]string{
		"src/cart.js": cart,
	})
	r.commit(now.Add(-2*24*time.Hour), "checkout: say what the function does", map[string]string{
		"src/checkout.js": checkout,
	})
	return r, culprit
}

// A minified bundle's error read with --sourcemap names the commit that
// wrote the line that threw, its frames are the sources' lines, the
// vendor module's frame is not the app's, and each function is named as
// the map names it at its caller; without --sourcemap nothing maps and a
// note says to give the map.
func TestSignalSourceMap(t *testing.T) {
	r, culprit := jsShopRepo(t)
	trace := filepath.Join(t.TempDir(), "trace.txt")
	if err := os.WriteFile(trace, []byte(readApp(t, "trace.txt")), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, maps := range [][]string{
		{filepath.Join(esbuildApp, "dist")},                      // a folder: the bundle names its map
		{filepath.Join(esbuildApp, "dist/main.W4AOFUKY.js.map")}, // the map itself
		{esbuildApp}, // the whole project: node_modules skipped, dist-lines' map beside
	} {
		t.Run(filepath.Base(maps[0]), func(t *testing.T) {
			e := newEnv(t, "", nil, nil)
			args := []string{"--local", r.dir, "--signal", trace, "-o", "json"}
			for _, m := range maps {
				args = append(args, "--sourcemap", m)
			}
			if code := e.run(t, args...); code != 0 {
				t.Fatalf("got exit %d; stderr %s", code, e.err.String())
			}
			s := e.report(t).Signals[0]
			type fr struct {
				path     string
				line     int
				function string
				inApp    bool
			}
			want := []fr{
				{"src/cart.js", 10, "fn", true},
				{"", 5, "sumBy", false}, // node_modules/money/index.js: not in the repository
				{"src/cart.js", 10, "o.total", true},
				{"src/cart.js", 14, "o.summary", true},
				{"src/checkout.js", 6, "checkout", true},
				{"src/main.js", 5, "placeOrder", true},
			}
			if len(s.Frames) < len(want) {
				t.Fatalf("got frames %+v", s.Frames)
			}
			for i, w := range want {
				f := s.Frames[i]
				if f.Path != w.path || f.Line != w.line || f.Function != w.function || f.InApp != w.inApp {
					t.Errorf("frame %d: got %+v, want %+v", i, f, w)
				}
			}
			if s.Frames[1].File != "node_modules/money/index.js" {
				t.Errorf("frame 1: got file %q, want node_modules/money/index.js", s.Frames[1].File)
			}
			wantFirst(t, s, culprit)
			for _, n := range s.Notes {
				if strings.Contains(n, "sourcemap") {
					t.Errorf("got note %q with the maps given", n)
				}
			}
		})
	}

	// Without the map: no frame is in the repository, the culprit is not
	// named, and the signal says how to read the bundle.
	s := analyzeFile(t, r.dir, trace)
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without the map, got the culprit first: %+v", s.Suspects)
	}
	if !hasNote(s.Notes, "minified bundle (main.W4AOFUKY.js)", "--sourcemap") {
		t.Errorf("got notes %q, want one suggesting --sourcemap", s.Notes)
	}
}

// A Sentry event whose frames Sentry did not resolve (no maps uploaded
// there): abs_path is the bundle's URL, lineno and colno its place, and
// --sourcemap resolves it as it does the pasted trace.
func TestSentryEventSourceMap(t *testing.T) {
	r, culprit := jsShopRepo(t)
	url := "https://shop.example.com/static/js/main.W4AOFUKY.js?v=3"
	var frames []string
	// Outermost first, as Sentry sends them; the places are the trace's.
	for _, f := range []struct {
		fn  string
		col int
	}{{"", 392}, {"s", 323}, {"u", 284}, {"o.summary", 220}, {"o.total", 155}, {"c", 49}, {"", 181}} {
		frames = append(frames, fmt.Sprintf(`{"abs_path":%q,"filename":"/static/js/main.W4AOFUKY.js","function":%q,"lineno":1,"colno":%d,"in_app":true}`, url, f.fn, f.col))
	}
	event := fmt.Sprintf(`{"event_id":"4f0b5d3c2a1e4b6f8d7c9a0b1c2d3e4f","platform":"javascript","timestamp":%d,
"exception":{"values":[{"type":"TypeError","value":"Cannot read properties of undefined (reading 'price')",
"stacktrace":{"frames":[%s]}}]}}`, time.Now().Add(-time.Hour).Unix(), strings.Join(frames, ","))
	sig := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(sig, []byte(event), 0o600); err != nil {
		t.Fatal(err)
	}
	s := analyzeFile(t, r.dir, sig, "--sourcemap", filepath.Join(esbuildApp, "dist"))
	if s.Format != "sentry" || len(s.Frames) < 5 {
		t.Fatalf("got format %q frames %+v", s.Format, s.Frames)
	}
	if f := s.Frames[0]; f.Path != "src/cart.js" || f.Line != 10 || f.Function != "fn" || !f.InApp {
		t.Errorf("frame 0: got %+v, want src/cart.js:10 in fn", f)
	}
	if f := s.Frames[1]; f.File != "node_modules/money/index.js" || f.InApp {
		t.Errorf("frame 1: got %+v, want node_modules/money/index.js, not in-app", f)
	}
	if f := s.Frames[4]; f.Path != "src/checkout.js" || f.Line != 6 || f.Function != "checkout" {
		t.Errorf("frame 4: got %+v, want src/checkout.js:6 in checkout", f)
	}
	wantFirst(t, s, culprit)

	// A map of another bundle only: the frames stay, and a note names
	// the bundle that has none.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "vendor.js.map"), []byte(`{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s = analyzeFile(t, r.dir, sig, "--sourcemap", other)
	if s.Frames[0].File != "/static/js/main.W4AOFUKY.js" || s.Frames[0].Line != 1 {
		t.Errorf("frame 0: got %+v, want it as the event gave it", s.Frames[0])
	}
	if !hasNote(s.Notes, "no source map for main.W4AOFUKY.js: give its .map with --sourcemap") {
		t.Errorf("got notes %q, want the bundle without a map named", s.Notes)
	}
}

// A saved Sentry event whose release names the culprit's commit, read with
// --sourcemap: the bundle's frames are rewritten to the sources and the
// event is analyzed at the release with those frames, so the line the
// culprit wrote is found there although a later commit moved it at HEAD.
func TestSentryEventSourceMapAtRelease(t *testing.T) {
	r, culprit := jsShopRepo(t)
	cart := readApp(t, "src/cart.js")
	r.commit(time.Now().Add(-24*time.Hour), "cart: a header", map[string]string{
		"src/cart.js": "// Cart\n// prices and totals\n\n" + cart,
	})
	url := "https://shop.example.com/static/js/main.W4AOFUKY.js"
	var frames []string
	for _, f := range []struct {
		fn  string
		col int
	}{{"", 392}, {"s", 323}, {"u", 284}, {"o.summary", 220}, {"o.total", 155}, {"c", 49}, {"", 181}} {
		frames = append(frames, fmt.Sprintf(`{"abs_path":%q,"function":%q,"lineno":1,"colno":%d,"in_app":true}`, url, f.fn, f.col))
	}
	release := "shop@2.1.0+" + culprit[:12]
	event := fmt.Sprintf(`{"event_id":"5a0b5d3c2a1e4b6f8d7c9a0b1c2d3e4f","platform":"javascript","timestamp":%d,"release":%q,
"exception":{"values":[{"type":"TypeError","value":"Cannot read properties of undefined (reading 'price')",
"stacktrace":{"frames":[%s]}}]}}`, time.Now().Add(-time.Hour).Unix(), release, strings.Join(frames, ","))
	sig := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(sig, []byte(event), 0o600); err != nil {
		t.Fatal(err)
	}
	s := analyzeFile(t, r.dir, sig, "--sourcemap", filepath.Join(esbuildApp, "dist"))
	if s.Sentry == nil || s.Sentry.Ref != culprit || s.Sentry.Release != release {
		t.Fatalf("got sentry %+v, want the event analyzed at its release's commit %s", s.Sentry, culprit)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != "src/cart.js" || s.Frames[0].Line != 10 {
		t.Fatalf("got frames %+v, want the first at src/cart.js:10", s.Frames)
	}
	wantFirst(t, s, culprit)
	if ev := s.Suspects[0].Evidence; len(ev) == 0 || ev[0].Kind != "line" || ev[0].Line != 10 {
		t.Errorf("got evidence %+v, want a line hit on src/cart.js:10 at the release", ev)
	}
}

// A crash of an older build, read with --sourcemap at a tip where a later
// commit moved the line that threw: the map's sourcesContent is the build's
// own source, so the frame quotes it, and the ranking blames from the
// version that reads so and names the culprit by its line; so does the
// same map as an index map's section, or inline in its bundle. The same map
// without sourcesContent cannot tell: the line number is the tip's, and the
// culprit gets no line hit.
func TestSourceMapQuotesTheBuildsSources(t *testing.T) {
	r, culprit := jsShopRepo(t)
	r.commit(time.Now().Add(-24*time.Hour), "cart: a header", map[string]string{
		"src/cart.js": "// Cart\n// prices and totals\n\n" + readApp(t, "src/cart.js"),
	})
	trace := filepath.Join(t.TempDir(), "trace.txt")
	if err := os.WriteFile(trace, []byte(readApp(t, "trace.txt")), 0o600); err != nil {
		t.Fatal(err)
	}
	bare := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(esbuildApp, "dist/main.W4AOFUKY.js.map"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m["sourcesContent"] == nil {
		t.Fatalf("the map holds no sourcesContent (%v)", err)
	}
	delete(m, "sourcesContent")
	stripped, _ := json.Marshal(m)
	writeUnder(t, bare, "main.W4AOFUKY.js.map", string(stripped))

	s := analyzeFile(t, r.dir, trace, "--sourcemap", filepath.Join(esbuildApp, "dist"))
	if f := s.Frames[0]; f.Path != "src/cart.js" || f.Line != 10 {
		t.Fatalf("frame 0: got %+v, want src/cart.js:10", f)
	}
	wantFirst(t, s, culprit)
	if ev := s.Suspects[0].Evidence; ev[0].Kind != "line" {
		t.Errorf("got evidence %+v, want a line hit first", ev)
	}
	// The newest version reading so is the commit after the culprit's,
	// which changed another file.
	if !hasNote(s.Notes, "fit ", "(checkout: say what the function does)", "blamed from there") {
		t.Errorf("got notes %q, want one saying the build before the header was blamed from", s.Notes)
	}

	// The same map as an index map's one section, and inline in its
	// bundle as a data: URL, quotes the same.
	index, inline := t.TempDir(), t.TempDir()
	writeUnder(t, index, "main.W4AOFUKY.js.map",
		`{"version":3,"file":"main.W4AOFUKY.js","sections":[{"offset":{"line":0,"column":0},"map":`+string(raw)+`}]}`)
	bundle, err := os.ReadFile(filepath.Join(esbuildApp, "dist/main.W4AOFUKY.js"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, _ := strings.Cut(string(bundle), "//# sourceMappingURL=")
	writeUnder(t, inline, "main.W4AOFUKY.js", code+"//# sourceMappingURL=data:application/json;base64,"+base64.StdEncoding.EncodeToString(raw)+"\n")
	for _, arg := range []string{filepath.Join(index, "main.W4AOFUKY.js.map"), inline} {
		s := analyzeFile(t, r.dir, trace, "--sourcemap", arg)
		if f := s.Frames[0]; f.Path != "src/cart.js" || f.Line != 10 {
			t.Fatalf("--sourcemap %s: frame 0: got %+v, want src/cart.js:10", arg, f)
		}
		wantFirst(t, s, culprit)
		if ev := s.Suspects[0].Evidence; ev[0].Kind != "line" {
			t.Errorf("--sourcemap %s: got evidence %+v, want a line hit first", arg, ev)
		}
		if !hasNote(s.Notes, "fit ", "(checkout: say what the function does)", "blamed from there") {
			t.Errorf("--sourcemap %s: got notes %q, want one saying the build before the header was blamed from", arg, s.Notes)
		}
	}

	s = analyzeFile(t, r.dir, trace, "--sourcemap", filepath.Join(bare, "main.W4AOFUKY.js.map"))
	for _, sp := range s.Suspects {
		if sp.Hash == culprit && len(sp.Evidence) > 0 && sp.Evidence[0].Kind == "line" {
			t.Errorf("without sourcesContent: got the culprit by a line hit %+v; the test no longer tells the builds apart", sp.Evidence)
		}
	}
}

// A map that cannot be read is a usage error naming it, before any work;
// so are a --sourcemap that does not exist and an empty one.
func TestSourceMapErrors(t *testing.T) {
	r := newRepo(t)
	r.commit(time.Now().Add(-time.Hour), "first", map[string]string{"a.js": "x\n"})
	trace := filepath.Join(t.TempDir(), "trace.txt")
	if err := os.WriteFile(trace, []byte(readApp(t, "trace.txt")), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "main.W4AOFUKY.js.map") // the trace's bundle
	if err := os.WriteFile(bad, []byte(`{"version":3,"sources":["a.js"],"mappings":"AC"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	inline := filepath.Join(t.TempDir(), "main.W4AOFUKY.js")
	if err := os.WriteFile(inline, []byte("x()\n//# sourceMappingURL=data:application/json;base64,!!!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arg  string
		want []string
	}{
		{bad, []string{bad, "mappings: line 1: a segment of 2 fields"}},
		{dir, []string{bad, "mappings"}},
		{filepath.Join(dir, "missing.map"), []string{"missing.map", "no such file"}},
		{" ", []string{"empty --sourcemap"}},
		{filepath.Dir(inline), []string{"inline in " + inline, "not valid base64"}},
	} {
		e := newEnv(t, "", nil, nil)
		if code := e.run(t, "--local", r.dir, "--signal", trace, "--sourcemap", tc.arg); code != 2 {
			t.Errorf("--sourcemap %q: got exit %d, want 2; stderr %s", tc.arg, code, e.err.String())
			continue
		}
		err := e.runCtx(t.Context(), "--local", r.dir, "--signal", trace, "--sourcemap", tc.arg)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("--sourcemap %q: got %v, want %q in it", tc.arg, err, w)
			}
		}
	}
}

// Maps found by their bundles: a bundle's sourceMappingURL names a map
// of another name, and a bundle may hold its map inline as a data: URL;
// maps of the same base name are told apart by the frame's folders.
func TestSourceMapMatching(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { writeUnder(t, dir, name, text) }
	m := func(src string) string {
		return `{"version":3,"sources":["` + src + `"],"names":[],"mappings":"AAAA"}`
	}
	write("web/static/js/main.js", "a()\n//# sourceMappingURL=maps/web-main.map\n")
	write("web/static/js/maps/web-main.map", m("webpack:///./src/web.ts"))
	write("admin/static/js/main.js.map", m("../../../src/admin.ts"))
	// Inline: {"version":3,"sources":["src/inline.ts"],"names":[],"mappings":"AAAA"}
	write("inline/app.js", "a()\n//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbInNyYy9pbmxpbmUudHMiXSwibmFtZXMiOltdLCJtYXBwaW5ncyI6IkFBQUEifQ==\n")
	write("node_modules/lib/main.js.map", "not a map, and never read")
	ms, err := loadSourceMaps([]string{dir}, "", map[string]bool{"main.js": true, "app.js": true, "other.js": true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{"https://shop.example.com/web/static/js/main.js?v=1#x", "src/web.ts"},
		{"https://shop.example.com/admin/static/js/main.js", "src/admin.ts"},
		{"/srv/inline/app.js", "src/inline.ts"},
		{"https://shop.example.com/other.js", ""},
	} {
		if got := firstSource(ms, tc.file); got != tc.want {
			t.Errorf("match(%q): got %q, want %q", tc.file, got, tc.want)
		}
	}
	if e := ms.match("https://shop.example.com/admin/static/js/main.js"); e == nil || !strings.HasSuffix(e.name, filepath.FromSlash("admin/static/js/main.js.map")) {
		t.Errorf("the admin bundle: got %+v", e)
	}
}

// writeUnder writes text to the slash-separated name under dir.
func writeUnder(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// firstSource is the repository path the map matched for file gives at
// its line 1, column 1 ("" without a map or a mapping there).
func firstSource(ms *mapSet, file string) string {
	e := ms.match(file)
	if e == nil {
		return ""
	}
	p, ok := e.m.Lookup(1, 1)
	if !ok {
		return ""
	}
	got, _ := sourcemap.Normalize(p.Source, e.srcDir)
	return got
}

func hasNote(notes []string, parts ...string) bool {
	for _, n := range notes {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(n, p)
		}
		if all {
			return true
		}
	}
	return false
}

// Of a folder, only the maps of the bundles the frames are in are read: a
// broken map of another bundle stops nothing, and is not read at all; a
// map that names its bundle only in its file field is still found.
func TestSourceMapFolderReadsOnlyWhatFramesNeed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { writeUnder(t, dir, name, text) }
	m := func(file, src string) string {
		return `{"version":3,"file":"` + file + `","sources":["` + src + `"],"names":[],"mappings":"AAAA"}`
	}
	write("static/js/vendor.js.map", `{"version":3,"sources":["a.js"],"mappings":"AC"}`) // broken
	write("static/js/vendor.js", "v()\n//# sourceMappingURL=vendor.js.map\n")
	write("static/js/main.js.map", m("main.js", "webpack:///./src/main.ts"))
	write("maps/renamed.map", m("https://cdn.example.com/static/js/admin.js?v=2", "webpack:///./src/admin.ts"))
	write("maps/unreadable.map", "{not json")
	ms, err := loadSourceMaps([]string{dir}, "", map[string]bool{"main.js": true, "admin.js": true})
	if err != nil {
		t.Fatalf("a broken map of a bundle no frame is in: %v", err)
	}
	for _, tc := range []struct{ file, want string }{
		{"https://shop.example.com/static/js/main.js", "src/main.ts"},
		{"https://shop.example.com/static/js/admin.js", "src/admin.ts"},
	} {
		if got := firstSource(ms, tc.file); got != tc.want {
			t.Errorf("match(%q): got %q, want %q", tc.file, got, tc.want)
		}
	}
	if len(ms.parsed) != 2 {
		t.Errorf("parsed %d maps, want only main's and admin's: %v", len(ms.parsed), ms.parsed)
	}
	// The broken map of a bundle a frame is in is an error, as before.
	if _, err := loadSourceMaps([]string{dir}, "", map[string]bool{"vendor.js": true}); err == nil || !strings.Contains(err.Error(), "vendor.js.map") {
		t.Errorf("the broken map of a bundle in need: got %v, want an error naming it", err)
	}
}

// BenchmarkSourceMapFolder reads a build folder of 60 bundles with 1 MiB
// maps when the trace's frames are in one of them (one) and, as every map
// used to be read, in all of them (all).
func BenchmarkSourceMapFolder(b *testing.B) {
	dir := b.TempDir()
	line := strings.Repeat("AAAA,CAAC,", 13000) + "AAAA"
	mappings := strings.Repeat(line+";", 8)
	all := map[string]bool{}
	for i := range 60 {
		name := fmt.Sprintf("chunk%d.js", i)
		all[name] = true
		data := `{"version":3,"file":"` + name + `","sources":["webpack:///./src/m` + fmt.Sprint(i) + `.ts"],"names":[],"mappings":"` + mappings + `"}`
		if err := os.WriteFile(filepath.Join(dir, name+".map"), []byte(data), 0o600); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x()\n//# sourceMappingURL="+name+".map\n"), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		need map[string]bool
	}{{"one", map[string]bool{"chunk7.js": true}}, {"all", all}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				ms, err := loadSourceMaps([]string{dir}, "", bc.need)
				if err != nil || ms.match("https://x.example/chunk7.js") == nil {
					b.Fatalf("chunk7.js: no map (%v)", err)
				}
			}
		})
	}
}
