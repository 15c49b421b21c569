package analyze

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/sourcemap"
)

const (
	// maxMapFiles is the most .map files read under the --sourcemap
	// folders; maxMapBytes the most bytes read from them all.
	maxMapFiles = 5000
	maxMapBytes = 512 << 20
	// maxBundles is the most script files whose end is read for a
	// sourceMappingURL comment; bundleTail is how much of each.
	maxBundles = 20000
	bundleTail = 8 << 10
)

// mapEntry is one source map, under the base name of the generated file it
// describes.
type mapEntry struct {
	name string // the map's file (or the bundle holding it inline), for messages
	// dir is the generated file's folder, slash-separated, to tell maps
	// of the same base name apart by the frame's path.
	dir string
	// srcDir is the map's folder relative to the --local checkout ("" when
	// outside it or without --local): relative sources are relative to it.
	srcDir string
	m      *sourcemap.Map
	// file is the map's own file, read again for the sources a frame
	// needs quoted (Map.ReadSourcesContent); "" for an inline map.
	file string
	// script is, for a map inline in its script, that script, read again
	// for the same.
	script string
}

// mapSet holds the --sourcemap maps by the generated file's base name.
type mapSet struct {
	byBase map[string][]*mapEntry
	root   string // the --local checkout, absolute and slash-separated ("" without)
	parsed map[string]*sourcemap.Map
	bytes  int64
	// need holds the base names of the bundles the frames may be in; a
	// folder's maps and scripts of other bundles are not read.
	need map[string]bool
}

// applySourceMaps rewrites the frames of JavaScript signals (pasted traces,
// and Sentry events' frames in scripts) that point into a bundle whose map
// --sourcemap gave, to the original source's path, line, column and
// function; without --sourcemap it notes the signals whose frames look
// minified.
func applySourceMaps(o *Options, all []signal.Signal) error {
	if len(o.SourceMaps) == 0 {
		for i := range all {
			bundleNote(&all[i])
		}
	} else {
		ms, err := loadSourceMaps(o.SourceMaps, o.Local, neededBundles(all))
		if err != nil {
			return err
		}
		for i := range all {
			ms.resolve(&all[i])
		}
	}
	return nil
}

// neededBundles are the base names of the files the signals' frames may
// be bundles of: the only ones whose maps a folder's are read for.
func neededBundles(all []signal.Signal) map[string]bool {
	need := map[string]bool{}
	for _, s := range all {
		if s.Format != signal.FormatJavaScript && s.Format != signal.FormatSentry {
			continue
		}
		for _, f := range s.Frames {
			if jsFrame(s.Format, f) {
				need[path.Base(framePath(f.File))] = true
			}
		}
	}
	return need
}

// loadSourceMaps reads every --sourcemap: a map file, or a folder searched
// for *.map files and for scripts whose last line names their map
// (node_modules and .git are skipped). Of a folder, only the maps of the
// bundles in need are read: a build's output holds hundreds of maps, most
// of bundles no frame is in. A map that cannot be read is a usage error
// naming its file.
func loadSourceMaps(args []string, local string, need map[string]bool) (*mapSet, error) {
	ms := &mapSet{byBase: map[string][]*mapEntry{}, parsed: map[string]*sourcemap.Map{}, need: need}
	if local != "" {
		if abs, err := filepath.Abs(local); err == nil {
			ms.root = filepath.ToSlash(abs)
		}
	}
	for _, arg := range args {
		if strings.TrimSpace(arg) == "" {
			return nil, cmdutil.UsageErrorf("empty --sourcemap: give a .map file or a folder holding them")
		}
		fi, err := os.Stat(arg)
		if err != nil {
			return nil, cmdutil.UsageErrorf("--sourcemap %s: %v", arg, unwrapPath(err))
		}
		if !fi.IsDir() {
			if err := ms.addMapFile(arg, "", ""); err != nil {
				return nil, err
			}
			continue
		}
		if err := ms.addFolder(arg); err != nil {
			return nil, err
		}
	}
	for _, list := range ms.byBase {
		sort.SliceStable(list, func(i, j int) bool { return list[i].name < list[j].name })
	}
	return ms, nil
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (ms *mapSet) addFolder(dir string) error {
	var maps, scripts []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (d.Name() == "node_modules" || d.Name() == ".git") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch ext := strings.ToLower(filepath.Ext(p)); {
		case ext == ".map":
			maps = append(maps, p)
			if len(maps) > maxMapFiles {
				return fmt.Errorf("more than %d .map files: give the build's output folder, or the maps themselves", maxMapFiles)
			}
		case scriptExt(ext) && len(scripts) < maxBundles:
			scripts = append(scripts, p)
		}
		return nil
	})
	if err != nil {
		return cmdutil.UsageErrorf("--sourcemap %s: %v", dir, err)
	}
	// Scripts first: a bundle that names its map says whose it is.
	for _, p := range scripts {
		if !ms.need[filepath.Base(p)] {
			continue
		}
		if err := ms.addScript(p); err != nil {
			return err
		}
	}
	// Then the maps named after a bundle in need (main.js.map, main.map).
	var others []string
	for _, p := range maps {
		if _, ok := ms.parsed[p]; ok {
			continue
		}
		if !ms.need[strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))] {
			others = append(others, p)
			continue
		}
		if err := ms.addMapFile(p, "", ""); err != nil {
			return err
		}
	}
	// A map may name its bundle only in its file field: while a bundle in
	// need has no map, the other maps' file fields are looked at, and a
	// map is read whole only when its field names such a bundle. A map
	// whose field cannot be read is of no bundle in need.
	for _, p := range others {
		if !ms.lacking() {
			break
		}
		if file := mapFileField(p); file != "" && ms.need[path.Base(generatedPath(file))] {
			if err := ms.addMapFile(p, "", ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// lacking reports a script in need (a .js, .mjs or .cjs file) that no map
// was found for yet.
func (ms *mapSet) lacking() bool {
	for b := range ms.need {
		if len(ms.byBase[b]) == 0 && scriptExt(strings.ToLower(path.Ext(b))) {
			return true
		}
	}
	return false
}

// mapFileField is the file field of the map at p ("" when it has none or
// cannot be read), read without decoding its mappings: its top-level
// members are read up to "file", which bundlers write before the mappings.
func mapFileField(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	return sourcemap.FileField(f)
}

func scriptExt(ext string) bool {
	return ext == ".js" || ext == ".mjs" || ext == ".cjs"
}

// addScript reads the end of a bundle for its sourceMappingURL comment and
// adds the map it names (a file beside it, or a data: URL) under the
// bundle's name. URLs of other schemes are not fetched.
func (ms *mapSet) addScript(p string) error {
	url, err := scriptMapURL(p, ms.read)
	if err != nil || url == "" {
		return err
	}
	base := filepath.Base(p)
	if data, ok, err := sourcemap.DataURL(url); ok {
		if err != nil {
			return cmdutil.UsageErrorf("--sourcemap: the map inline in %s: %v", p, err)
		}
		m, err := sourcemap.Parse(data)
		if err != nil {
			return cmdutil.UsageErrorf("--sourcemap: the map inline in %s: %v", p, err)
		}
		ms.add(base, &mapEntry{name: p, dir: absSlash(filepath.Dir(p)), srcDir: ms.rel(filepath.Dir(p)), m: m, script: p})
		return nil
	}
	if strings.Contains(url, "://") || strings.HasPrefix(url, "/") {
		return nil // a URL or a server's path: nothing is fetched
	}
	mp := filepath.Join(filepath.Dir(p), filepath.FromSlash(sourcemapCut(url)))
	if fi, err := os.Stat(mp); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	return ms.addMapFile(mp, base, filepath.Dir(p))
}

// scriptMapURL reads the sourceMappingURL at the end of the script p ("" for
// none, or a script that cannot be read). An inline map longer than the
// tail read first is read with the whole script, through read.
func scriptMapURL(p string, read func(p string, f *os.File, size int64) ([]byte, error)) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", nil // an unreadable script is not a map
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", nil
	}
	off := max(fi.Size()-bundleTail, 0)
	tail := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(tail, off); err != nil && !errors.Is(err, io.EOF) {
		return "", nil
	}
	url := sourcemap.MappingURL(tail)
	if url == "" && off > 0 && cutDataURL(tail) && fi.Size() <= 2*sourcemap.MaxSize {
		whole, err := read(p, f, fi.Size())
		if err != nil {
			return "", err
		}
		url = sourcemap.MappingURL(whole)
	}
	return url, nil
}

// sourcemapCut drops a map URL's query and fragment.
func sourcemapCut(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// cutDataURL reports a tail whose last line is base64 and nothing else: the
// end of an inline map whose comment starts before the tail.
func cutDataURL(tail []byte) bool {
	s := strings.TrimRight(string(tail), " \t\r\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 || len(s) < 64 {
		return false
	}
	return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == ""
}

// addMapFile parses the map at p and adds it under the base name of the
// generated file: bundle (the script that named it), else the map's file
// field, else its own name without .map. bundleDir is the script's folder.
func (ms *mapSet) addMapFile(p, bundle, bundleDir string) error {
	m, ok := ms.parsed[p]
	if !ok {
		f, err := os.Open(p)
		if err != nil {
			return cmdutil.UsageErrorf("--sourcemap %s: %v", p, unwrapPath(err))
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return cmdutil.UsageErrorf("--sourcemap %s: %v", p, unwrapPath(err))
		}
		data, err := ms.read(p, f, fi.Size())
		if err != nil {
			return err
		}
		if m, err = sourcemap.Parse(data); err != nil {
			return cmdutil.UsageErrorf("--sourcemap %s: %v", p, err)
		}
		ms.parsed[p] = m
	}
	mapDir := filepath.Dir(p)
	e := &mapEntry{name: p, srcDir: ms.rel(mapDir), m: m, file: p}
	switch {
	case bundle != "":
		e.dir = absSlash(bundleDir)
		ms.add(bundle, e)
		return nil
	case m.File != "":
		file := generatedPath(m.File)
		if strings.HasPrefix(file, "/") {
			e.dir = path.Dir(file)
		} else {
			e.dir = path.Join(absSlash(mapDir), path.Dir(file))
		}
		if b := path.Base(file); b != "" && b != "." && b != "/" {
			ms.add(b, e)
			return nil
		}
	}
	e.dir = absSlash(mapDir)
	ms.add(strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)), e)
	return nil
}

// generatedPath is a map's file field as a slash-separated path, without a
// URL's scheme and host, its query and fragment.
func generatedPath(field string) string {
	file := sourcemapCut(strings.ReplaceAll(field, `\`, "/"))
	if i := strings.Index(file, "://"); i > 0 {
		file = file[i+3:]
		if j := strings.IndexByte(file, '/'); j >= 0 {
			file = file[j:]
		}
	}
	return file
}

// read reads an open file of size bytes, counted against the total the
// --sourcemap folders may hold.
func (ms *mapSet) read(p string, f *os.File, size int64) ([]byte, error) {
	if size > sourcemap.MaxSize {
		return nil, cmdutil.UsageErrorf("--sourcemap %s: %d MiB, more than the %d MiB a source map may be", p, size>>20, sourcemap.MaxSize>>20)
	}
	if ms.bytes+size > maxMapBytes {
		return nil, cmdutil.UsageErrorf("--sourcemap %s: the maps hold more than %d MiB together: give only the maps of the bundles in the trace", p, maxMapBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, sourcemap.MaxSize+1))
	if err != nil {
		return nil, cmdutil.UsageErrorf("--sourcemap %s: %v", p, unwrapPath(err))
	}
	if len(data) > sourcemap.MaxSize {
		return nil, cmdutil.UsageErrorf("--sourcemap %s: more than the %d MiB a source map may be", p, sourcemap.MaxSize>>20)
	}
	ms.bytes += int64(len(data))
	return data, nil
}

func (ms *mapSet) add(base string, e *mapEntry) {
	for _, o := range ms.byBase[base] {
		if o.m == e.m && o.dir == e.dir {
			return
		}
	}
	ms.byBase[base] = append(ms.byBase[base], e)
}

// absSlash is p made absolute, slash-separated.
func absSlash(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return filepath.ToSlash(p)
}

// rel is the folder dir relative to the --local checkout, "" when outside
// it.
func (ms *mapSet) rel(dir string) string {
	if ms.root == "" {
		return ""
	}
	r, ok := underRoot(ms.root, absSlash(dir))
	if !ok {
		return ""
	}
	return r
}

// underRoot is p (absolute, slash-separated) relative to root, if under it.
func underRoot(root, p string) (string, bool) {
	if p == root {
		return "", true
	}
	r := strings.TrimSuffix(root, "/") + "/"
	if !strings.HasPrefix(p, r) {
		return "", false
	}
	return p[len(r):], true
}

// match finds the map of a frame's file (a URL or a path): by the base name
// of the generated file, its query and fragment dropped; among maps of the
// same name, the one whose folder shares the most trailing folders with
// the frame's path.
func (ms *mapSet) match(file string) *mapEntry {
	p := framePath(file)
	list := ms.byBase[path.Base(p)]
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	dir := splitDirs(path.Dir(p))
	best, score := list[0], -1
	for _, e := range list {
		d := splitDirs(e.dir)
		n := 0
		for n < len(dir) && n < len(d) && dir[len(dir)-1-n] == d[len(d)-1-n] {
			n++
		}
		if n > score {
			best, score = e, n
		}
	}
	return best
}

func splitDirs(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

// framePath is a frame's file without a URL's scheme and host, its query
// and fragment, slash-separated.
func framePath(file string) string {
	p := strings.ReplaceAll(file, `\`, "/")
	if i := strings.Index(p, "://"); i > 0 {
		p = p[i+3:]
		if j := strings.IndexByte(p, '/'); j >= 0 {
			p = p[j:]
		} else {
			p = "/"
		}
	}
	return sourcemapCut(p)
}

// jsFrame reports a frame that may be in a bundle: any frame of a pasted
// JavaScript trace, a Sentry event's frame in a script.
func jsFrame(format string, f signal.Frame) bool {
	if format == signal.FormatJavaScript {
		return f.File != ""
	}
	return format == signal.FormatSentry && scriptExt(strings.ToLower(path.Ext(framePath(f.File))))
}

// resolve rewrites the signal's frames that fall in a map's bundle. A frame
// is named as Sentry names it: by the original name the map gives at its
// caller's position (the next outer frame's, in the same bundle), since
// the name at its own position is the token there, not its function; else
// by its minified name when that is more than one or two letters.
func (ms *mapSet) resolve(s *signal.Signal) {
	if s.Format != signal.FormatJavaScript && s.Format != signal.FormatSentry {
		return
	}
	type hit struct {
		e   *mapEntry
		pos sourcemap.Position
		ok  bool
	}
	hits := make([]hit, len(s.Frames))
	var missing []string
	matched, found := 0, 0
	for i, f := range s.Frames {
		if !jsFrame(s.Format, f) {
			continue
		}
		e := ms.match(f.File)
		if e == nil {
			if f.InApp && scriptExt(strings.ToLower(path.Ext(framePath(f.File)))) {
				missing = appendOnce(missing, path.Base(framePath(f.File)))
			}
			continue
		}
		matched++
		if f.Line < 1 || f.Column < 1 {
			continue // a minified line without its column says nothing
		}
		if pos, ok := e.m.Lookup(f.Line, f.Column); ok && pos.Source != "" {
			hits[i] = hit{e: e, pos: pos, ok: true}
		}
	}
	if matched == 0 {
		if len(missing) > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("no source map for %s: give its .map with --sourcemap", joinFew(missing)))
		}
		return
	}
	frames := append([]signal.Frame(nil), s.Frames...)
	rewritten := make([]bool, len(frames))
	for i := range frames {
		h := hits[i]
		if !h.ok {
			continue
		}
		file, inApp := sourcemap.Normalize(h.pos.Source, h.e.srcDir)
		if file == "" {
			continue
		}
		if ms.root != "" && strings.HasPrefix(file, "/") {
			if r, ok := underRoot(ms.root, file); ok && r != "" {
				file = r
			}
		}
		name := ""
		if i+1 < len(hits) && hits[i+1].ok && hits[i+1].e == h.e {
			name = hits[i+1].pos.Name
		}
		if name == "" {
			name = minifiedName(frames[i].Function)
		}
		f := &frames[i]
		f.File, f.Line, f.Column, f.Function = file, h.pos.Line, h.pos.Column, name
		f.InApp = inApp && !h.pos.Ignored && signal.IsInApp(signal.FormatJavaScript, file, name, "")
		f.Context, f.ContextAt = "", 0
		rewritten[i] = true
		found++
	}
	if found == 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("the source map of %s covers none of its frames' places: is it the map of the build that ran?", joinFew(bundleNames(s, ms))))
		return
	}
	refs := make([]sourceRef, len(frames))
	for i, h := range hits {
		if rewritten[i] && frames[i].InApp {
			refs[i] = sourceRef{e: h.e, index: h.pos.SourceIndex}
		}
	}
	quoteSources(frames, refs)
	s.Frames = frames
}

// sourceRef names the source a map resolved a frame to: its map and the
// source's index there (a nil map for none).
type sourceRef struct {
	e     *mapEntry
	index int
}

// quoteSources gives the frames the lines of source around their line, as
// the sourcesContent of the map refs names for each holds them: the
// build's own sources, which tell build inference which version ran. Each
// map with a sourcesContent (in a section of an index map too) is read
// once more, up to it: from its file, or from its script's data: URL.
func quoteSources(frames []signal.Frame, refs []sourceRef) {
	want := map[*mapEntry]map[int]bool{}
	for _, r := range refs {
		if r.e != nil && r.e.m.HasContent && r.index >= 0 {
			if want[r.e] == nil {
				want[r.e] = map[int]bool{}
			}
			want[r.e][r.index] = true
		}
	}
	sources := map[sourceRef][]string{} // their lines
	for e, ks := range want {
		r, done := e.reread()
		if r == nil {
			continue
		}
		for k, src := range e.m.ReadSourcesContent(r, ks) {
			sources[sourceRef{e, k}] = strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
		}
		done()
	}
	for i, r := range refs {
		lines, ok := sources[r]
		if !ok {
			continue
		}
		if n := frames[i].Line; n >= 1 && n <= len(lines) {
			frames[i] = frames[i].WithContext(lines[:n-1], lines[n-1], lines[n:]) // it keeps five on each side
		}
	}
}

// reread opens the map's JSON again: its file, or the data: URL at the end
// of its script; nil when it can no longer be read. done releases it.
func (e *mapEntry) reread() (r io.Reader, done func()) {
	if e.file != "" {
		f, err := os.Open(e.file)
		if err != nil {
			return nil, nil
		}
		return f, func() { f.Close() }
	}
	read := func(p string, f *os.File, size int64) ([]byte, error) {
		return io.ReadAll(io.LimitReader(f, size))
	}
	url, err := scriptMapURL(e.script, read)
	if err != nil {
		return nil, nil
	}
	data, ok, err := sourcemap.DataURL(url)
	if !ok || err != nil {
		return nil, nil
	}
	return bytes.NewReader(data), func() {}
}

// bundleNames are the base names of the frames' files that have a map.
func bundleNames(s *signal.Signal, ms *mapSet) []string {
	var out []string
	for _, f := range s.Frames {
		if jsFrame(s.Format, f) && ms.match(f.File) != nil {
			out = appendOnce(out, path.Base(framePath(f.File)))
		}
	}
	return out
}

// minifiedName is a frame's function as the trace gives it, kept unless it
// is a minifier's one- or two-letter name (then none is better).
func minifiedName(fn string) string {
	bare := strings.TrimPrefix(strings.TrimPrefix(fn, "new "), "async ")
	if len(bare) <= 2 {
		return ""
	}
	return fn
}

// hashedRE finds a content hash in a bundle's name: main.3f2a1b.js,
// chunk-5QH3RJ2X.js, index-BkVWq6Zr.js, 123.a1b2c3d4.chunk.js.
var hashedRE = regexp.MustCompile(`[.-]([A-Za-z0-9_]{6,32})(?:\.chunk)?\.[mc]?js$`)

// bundled reports a frame in what looks like a minified bundle: a .min.js
// file, a name with a content hash, or a place past column 1000 of line 1.
func bundled(format string, f signal.Frame) bool {
	if !jsFrame(format, f) {
		return false
	}
	base := strings.ToLower(path.Base(framePath(f.File)))
	if !scriptExt(path.Ext(base)) {
		return false
	}
	if strings.HasSuffix(base, ".min.js") || f.Line == 1 && f.Column > 1000 {
		return true
	}
	m := hashedRE.FindStringSubmatch(path.Base(framePath(f.File)))
	return m != nil && strings.ContainsAny(m[1], "0123456789") && strings.IndexFunc(m[1], func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}) >= 0
}

// bundleNote tells, once per signal, that its frames are in a minified
// bundle and how to read them.
func bundleNote(s *signal.Signal) {
	if s.Format != signal.FormatJavaScript && s.Format != signal.FormatSentry {
		return
	}
	var names []string
	for _, f := range s.Frames {
		if f.InApp && bundled(s.Format, f) {
			names = appendOnce(names, path.Base(framePath(f.File)))
		}
	}
	if len(names) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("the frames are in a minified bundle (%s): give its source map with --sourcemap (the .map file or the build's folder) so they point at the source files", joinFew(names)))
	}
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// joinFew joins up to three names, and says how many more there are.
func joinFew(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
}
