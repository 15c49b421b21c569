package suspect

import (
	"path"
	"regexp"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Build inference. A stack trace's line numbers are those of the build that
// crashed, which need not be the analyzed version: the reporter's build may
// predate the ref's tip by a few commits. When a frame names its function,
// the line tells which versions the trace can come from: those where that
// line lies inside that function. Given the contents of the frames' files
// at the failing version, Rank reconstructs older versions of each file
// from the window's diffs (reversing their hunks) and, when more frames
// fit an older version than the failing one, blames from that version:
// commits after it were not in the build that crashed. A frame fits every
// version whose file holds its line inside its function, so frames whose
// files did not change count for the older version too; a line between
// functions at the failing version counts for none, nor does one in the
// first lines of the function after the named one (namedAbove).

// FileRef names one file at one commit of a repository.
type FileRef struct {
	Repo, Rev, Path string
}

// maxBuildSteps bounds how many of a file's changes build inference undoes.
const maxBuildSteps = 200

// Needs returns the files whose contents at the failing version help rank
// sig, for RankWith: those of its in-app frames that name a function (the
// function's extent tells which changes were inside it) and, for frames
// with a line, build inference. Sources that can read files cheaply (a
// local checkout) should provide them; without them ranking blames from
// the failing version and knows functions by the hunks' headers.
func (idx *Index) Needs(sig signal.Signal) []FileRef {
	rc := idx.newRankCtx(sig)
	sig, targets, _, _ := idx.mapSignal(sig)
	var out []FileRef
	seen := map[FileRef]bool{}
	n := 0
	for i, f := range sig.Frames {
		quoted := f.Line > 0 && f.Context != "" // build inference reads it by its text
		if !f.InApp || funcIdent(f.Function) == "" && !quoted || len(targets[i]) == 0 {
			continue
		}
		if n++; n > maxExtentFrames && f.Line <= 0 {
			continue
		}
		for _, t := range targets[i] {
			if extentLang(t.path) == "" && !quoted {
				continue
			}
			rx := idx.byName[t.repo]
			v, ok := rc.versions[rx]
			if !ok {
				continue
			}
			ref := FileRef{Repo: t.repo, Rev: idx.cands[v].Commit.Hash, Path: t.path}
			if !seen[ref] {
				seen[ref] = true
				out = append(out, ref)
			}
		}
	}
	return out
}

// buildVersion returns, for one repository, the version to blame from when
// the frames' functions and lines fit an older version better than v, and
// v otherwise. files holds contents at v.
func (rc *rankCtx) buildVersion(rx *repoIndex, v int32, sig *signal.Signal, targets [][]fileTarget, files map[FileRef][]byte) int32 {
	type probe struct {
		path  string
		line  int
		ident string
		lang  string
		lines []string
		// ctx is the source the report quotes around the line (ctx[at]
		// is the line's): such a probe fits the versions whose file
		// reads the same there, and outweighs every probe by function.
		ctx []string
		at  int
	}
	var probes []probe
	for i, f := range sig.Frames {
		ident := funcIdent(f.Function)
		lang := langOf(f.File)
		ctx, at := f.ContextLines()
		if !f.InApp || f.Line <= 0 || (ident == "" || lang == "") && ctx == nil {
			continue
		}
		for _, t := range targets[i] {
			if t.repo != rx.name {
				continue
			}
			data, ok := files[FileRef{Repo: rx.name, Rev: rc.idx.cands[v].Commit.Hash, Path: t.path}]
			if !ok {
				continue
			}
			probes = append(probes, probe{path: t.path, line: f.Line, ident: ident, lang: lang, lines: splitFile(data), ctx: ctx, at: at})
			break
		}
	}
	if len(probes) == 0 {
		return v
	}
	// The versions the crash can come from are those of v's first-parent
	// chain; chain[0] is v. A file's contents, and so whether a probe's
	// function holds its line, change only at the commits touching it:
	// each probe fits over runs of the chain, and fits[i] counts the
	// probes fitting at chain[i] (a frame whose file no commit touched
	// fits everywhere it fits at v).
	idx := rc.idx
	var chain []int32
	for c := v; c >= 0 && len(chain) <= len(idx.cands); c = idx.firstParent(c) {
		chain = append(chain, c)
	}
	diff := make([]int, len(chain)+1)
	add := func(from, to, weight int) {
		if from <= to {
			diff[from] += weight
			diff[to+1] -= weight
		}
	}
	for _, p := range probes {
		lines, pth := p.lines, p.path
		var fit bool
		fits := func(lines []string) bool { return enclosing(lines, p.line, p.lang) == p.ident }
		weight := 1
		switch name, def := enclosingDef(lines, p.line, p.lang); {
		case p.ctx != nil:
			// The frame quotes its source: the versions that read the
			// same there. That outweighs every frame known by its
			// function only, which still tells apart the versions the
			// quoted ones fit alike.
			fits = func(lines []string) bool { return contextFits(lines, p.line, p.ctx, p.at) }
			fit = fits(lines)
			weight = len(probes) + 1
		case name == p.ident:
			fit = true
		case name == "":
			// Between functions where it failed (a synthesized frame
			// named after the function above, a label): no sign of
			// another build either way.
			continue
		case namedAbove(lines, p.line, def, p.ident, p.lang):
			// In the first lines of the function after the named one:
			// the name a hunk header gives a change there, no sign of
			// another build either.
			continue
		}
		from, steps := 0, 0 // lines hold at chain[from] and older, up to the next change
		for i, c := range chain {
			ci := &idx.cands[c]
			fi, ok := ci.files[pth]
			if !ok {
				continue
			}
			if fit {
				add(from, i, weight)
			}
			from = -1
			file := &ci.Change.Files[fi]
			if !undoable(file, pth) || file.Status == diffstat.Added {
				break
			}
			if steps++; steps > maxBuildSteps {
				break
			}
			old, ok := unapply(lines, file)
			if !ok {
				break
			}
			lines = old
			if file.Status == diffstat.Renamed && file.OldPath != "" {
				pth = file.OldPath
			}
			from = i + 1
			fit = fits(lines)
		}
		if from >= 0 && fit {
			add(from, len(chain)-1, weight)
		}
	}
	// More frames fit; at equal counts the newer version (nearer v) wins,
	// so v is kept unless an older version explains more.
	best, bestN, n := 0, 0, 0
	for i := range chain {
		n += diff[i]
		if i == 0 || n > bestN {
			best, bestN = i, n
		}
	}
	return chain[best]
}

// contextFits reports whether lines, a version of a file, read as ctx
// around line n (1-based), ctx[at] being line n's text: every quoted line
// that is not blank equals the file's, leading and trailing blanks aside;
// a line Sentry shortened ("{snip} ... {snip}") needs only its kept part
// to be in the file's. Line n itself must be quoted, not blank.
func contextFits(lines []string, n int, ctx []string, at int) bool {
	if at < 0 || at >= len(ctx) || strings.TrimSpace(ctx[at]) == "" {
		return false
	}
	for j, c := range ctx {
		c = strings.TrimSpace(c)
		if c == "" {
			continue // blank, or a line the report did not know
		}
		k := n - at + j
		if k < 1 || k > len(lines) {
			return false
		}
		l := strings.TrimSpace(lines[k-1])
		cut, pre := strings.CutPrefix(c, "{snip}")
		cut, post := strings.CutSuffix(cut, "{snip}")
		if !pre && !post {
			if l != c {
				return false
			}
			continue
		}
		if cut = strings.TrimSpace(cut); !strings.Contains(l, cut) {
			return false
		}
	}
	return true
}

// splitFile splits file contents into lines (without their endings).
func splitFile(data []byte) []string {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// undoable reports whether file, a commit's entry listed under path p,
// holds its whole change to p as hunks that unapply can undo: a text
// change whose hunks were kept (a birth undoes to nothing).
func undoable(file *diffstat.File, p string) bool {
	return file.Path == p && !file.Binary && (len(file.Hunks) > 0 || file.LinesAdded+file.LinesRemoved == 0)
}

// unapply turns lines (a file after file's change) into the file before
// it, from the change's hunks: added lines go, removed lines come back.
// ok is false when the hunks do not fit the lines.
func unapply(lines []string, file *diffstat.File) ([]string, bool) {
	out := make([]string, 0, len(lines)+file.LinesRemoved-file.LinesAdded)
	next := 1 // the next new-side line to copy, 1-based
	for hi := range file.Hunks {
		h := &file.Hunks[hi]
		ns := h.NewStart
		if h.NewLines == 0 {
			ns = h.NewStart + 1
		}
		if ns < next || ns-1 > len(lines) {
			return nil, false
		}
		out = append(out, lines[next-1:ns-1]...)
		added := make(map[int]bool, len(h.Added))
		for _, a := range h.Added {
			added[a.N] = true
		}
		removed := make(map[int]string, len(h.Removed))
		for _, r := range h.Removed {
			removed[r.N] = r.Text
		}
		os := h.OldStart
		if h.OldLines == 0 {
			os = h.OldStart + 1
		}
		ni := ns
		for on := os; on < os+h.OldLines; on++ {
			if text, ok := removed[on]; ok {
				out = append(out, text)
				continue
			}
			for added[ni] {
				ni++
			}
			if ni < 1 || ni > len(lines) {
				return nil, false
			}
			out = append(out, lines[ni-1])
			ni++
		}
		next = ns + h.NewLines
	}
	if next-1 > len(lines) {
		return nil, false
	}
	return append(out, lines[next-1:]...), true
}

// langOf is the family of languages whose function definitions enclosing
// can find, by file extension ("" for others).
func langOf(file string) string {
	switch strings.ToLower(path.Ext(strings.ReplaceAll(file, "\\", "/"))) {
	case ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".m", ".mm":
		return "c"
	case ".go":
		return "go"
	case ".py":
		return "python"
	}
	return ""
}

var (
	pyDef = regexp.MustCompile(`^(\s*)(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)`)
	goDef = regexp.MustCompile(`^func\s`)
)

// enclosing returns the name of the function whose definition holds line n
// (1-based) of lines, or "" when it cannot tell (the line lies between
// functions, or beyond the file).
func enclosing(lines []string, n int, lang string) string {
	name, _ := enclosingDef(lines, n, lang)
	return name
}

// enclosingDef is enclosing, with the 1-based line where the function's
// definition starts (0 when name is "").
func enclosingDef(lines []string, n int, lang string) (name string, def int) {
	if n < 1 || n > len(lines) {
		return "", 0
	}
	switch lang {
	case "python":
		indent := -1
		for i := n - 1; i >= 0 && i >= n-4000; i-- {
			l := lines[i]
			if strings.TrimSpace(l) == "" {
				continue
			}
			w := len(l) - len(strings.TrimLeft(l, " \t"))
			if indent < 0 {
				indent = w
				if m := pyDef.FindStringSubmatch(l); m != nil && i == n-1 {
					return m[2], i + 1 // the def line itself
				}
				continue
			}
			if w >= indent {
				continue
			}
			if m := pyDef.FindStringSubmatch(l); m != nil {
				return m[2], i + 1
			}
			indent = w
			if w == 0 {
				return "", 0
			}
		}
		return "", 0
	case "go", "c":
		for i := n - 1; i >= 0 && i >= n-4000; i-- {
			l := lines[i]
			if l == "" {
				continue
			}
			c := l[0]
			if c == '}' && i != n-1 {
				return "", 0 // a function ended above the line
			}
			if lang == "c" && strings.HasSuffix(strings.TrimSpace(l), ":") {
				continue // a label, "default:", "public:"
			}
			if id, ok := startsDefinition(l, lang); ok {
				return id, i + 1
			}
		}
	}
	return "", 0
}

// hunkContext is how many unchanged lines git shows around a change, and
// so how far below a function's first line a change can lie while its
// hunk header still names the function above.
const hunkContext = 3

// namedAbove reports whether line n of lines lies in the first lines of a
// function whose definition (at line def) directly follows that of ident:
// where a hunk header names ident for a change at n (git names the
// definition above the hunk's first line, which starts hunkContext lines
// earlier), so a frame built from hunk headers, not another build, would
// put ident with line n.
func namedAbove(lines []string, n, def int, ident, lang string) bool {
	if def <= 0 || n-def > hunkContext {
		return false
	}
	for i := def - 2; i >= 0 && i >= def-4000; i-- {
		if id, ok := startsDefinition(lines[i], lang); ok {
			return id == ident
		}
	}
	return false
}

// startsDefinition reports whether line, a whole source line, has the
// shape of a function definition's first line in a language of langOf, and
// the name it defines: "func (c *Cart) Total() int {" in Go, "def
// total(self):" in Python, "static int foo(struct bar *b)" in C (a line
// starting with a name, holding "(", not a prototype ending with ";").
func startsDefinition(line, lang string) (string, bool) {
	switch lang {
	case "python":
		if m := pyDef.FindStringSubmatch(line); m != nil {
			return m[2], true
		}
	case "go":
		if goDef.MatchString(line) {
			return sectionIdent(line), true
		}
	case "c":
		if name, ok := objcMethodName(line); ok {
			return name, true
		}
		if line == "" || !(line[0] == '_' || line[0] >= 'a' && line[0] <= 'z' || line[0] >= 'A' && line[0] <= 'Z') {
			return "", false
		}
		if t := strings.TrimSpace(line); strings.Contains(t, "(") && !strings.HasSuffix(t, ";") {
			return sectionIdent(t), true
		}
	}
	return "", false
}

// objcMethodName reads an Objective-C method definition's first line, "-
// (BOOL)application:(UIApplication *)app didFinishLaunchingWithOptions:..."
// or "+ (Store *)sharedStore", and names it by its selector's first part,
// as a crash report's "-[AppDelegate application:...]" is named
// (FunctionName). It starts in the first column (a continued expression,
// "\t- (int)len", does not); a declaration, ending with ";", is not a
// definition.
func objcMethodName(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if len(line) < 4 || line[0] != '-' && line[0] != '+' || strings.HasSuffix(t, ";") {
		return "", false
	}
	t = strings.TrimSpace(t[1:])
	if !strings.HasPrefix(t, "(") {
		return "", false
	}
	depth := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				rest := strings.TrimSpace(t[i+1:])
				n := 0
				for n < len(rest) && isIdentByte(rest[n]) {
					n++
				}
				if n == 0 {
					return "", false
				}
				return rest[:n], true
			}
		}
	}
	return "", false
}
