package suspect

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Callee evidence. An assertion or a NULL dereference often trips on a
// value the failing function got, a few lines above, from a function it
// called: a commit that changed that function's body is a suspect even
// though no frame of the trace runs it any more (dovecot/core@f976c38f07e6:
// "assertion failed: (str != NULL)" after a change to
// index_sort_get_string, which the asserting function calls).

// calleeSpan is how many lines above the frame's line (and the line
// itself) are read for calls.
const calleeSpan = 30

// callRE matches a call: a name followed by its argument list.
var callRE = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*)\s*\(`)

// notCalls are the keywords and operators that look like calls in the
// languages whose extents are known.
var notCalls = map[string]bool{
	"if": true, "for": true, "while": true, "switch": true, "return": true, "sizeof": true, "typeof": true,
	"defined": true, "elif": true, "print": true, "len": true, "int": true, "str": true, "func": true,
	"catch": true, "alignof": true, "offsetof": true, "__attribute__": true, "__builtin_expect": true,
	"likely": true, "unlikely": true, "assert": true, "def": true, "not": true, "and": true, "or": true,
}

// calls returns the functions called on lines from..to (1-based) of
// lines, outside comments and definitions, except skip's.
func calls(lines []string, from, to int, lang string, skip map[string]bool) map[string]bool {
	out := map[string]bool{}
	for n := max(from, 1); n <= to && n <= len(lines); n++ {
		l := lines[n-1]
		if _, ok := startsDefinition(l, lang); ok || typeSection(l) {
			continue // a definition's parameters, a class's bases: no calls
		}
		for _, m := range callRE.FindAllStringSubmatch(stripLineComment(l), -1) {
			name := m[1]
			if len(name) < 4 || notCalls[name] || skip[name] {
				continue
			}
			out[name] = true
		}
	}
	return out
}

// stripLineComment drops a trailing "//" or "#" comment and a "/* */" one
// on the same line, roughly: enough that words of a comment are not read
// as calls.
func stripLineComment(l string) string {
	for _, c := range []string{"//", "/*", " # "} {
		if i := indexOutsideQuotes(l, c); i >= 0 {
			l = l[:i]
		}
	}
	return l
}

// indexOutsideQuotes is the index of sub in l outside double quotes, or -1.
func indexOutsideQuotes(l, sub string) int {
	in := false
	for i := 0; i+len(sub) <= len(l); i++ {
		switch {
		case l[i] == '\\' && in:
			i++
		case l[i] == '"':
			in = !in
		case !in && l[i:i+len(sub)] == sub:
			return i
		}
	}
	return -1
}

// calleeEvidence records, for frame f mapped to t, callee evidence in
// feats for the window commits of the failing version that changed the
// body of a function f's function calls on the lines up to f's (functions
// of the trace's own frames left out: their frames speak for them).
func (rc *rankCtx) calleeEvidence(t fileTarget, f *signal.Frame, ident string, skip map[string]bool, feats map[int32]*feat) {
	idx := rc.idx
	if idx.w.Callee <= 0 || f.Line <= 0 || ident == "" {
		return
	}
	rx, v, lang, ok := rc.codeTarget(t)
	if !ok {
		return
	}
	lines := rc.linesAt(rx, t.path, v)
	lo, _ := funcExtent(lines, ident, lang, f.Line)
	if lo <= 0 || f.Line < lo {
		return
	}
	names := calls(lines, max(lo, f.Line-calleeSpan), f.Line, lang, skip)
	delete(names, ident)
	if len(names) == 0 {
		return
	}
	reach := rc.reach[rx]
	ownCode := repoPathInApp(splitComponents(t.path))
	for _, name := range slices.Sorted(maps.Keys(names)) {
		for _, r := range idx.hunksOf[name] {
			c := r.cand
			ci := &idx.cands[c]
			if ci.repo != rx || int(c) >= len(reach) || !reach[c] || ci.Commit.IsMerge() {
				continue
			}
			if ft := feats[c]; ft != nil && (ft.line || ft.function || ft.call || ft.callee) {
				continue // one piece of callee evidence per commit and frame
			}
			file := &ci.Change.Files[r.file]
			h := &file.Hunks[r.hunk]
			if extentLang(file.Path) != lang || len(h.Added) == 0 && len(h.Removed) == 0 || typeSection(h.Section) ||
				!idx.calleeFile(rx.name, name, file.Path, t.path) {
				continue // a translation's, a document's or a class's section is no function
			}
			if ownCode && !repoPathInApp(splitComponents(file.Path)) {
				continue // a dependency's copy (vendor/...) is not what the frame's code calls by that name
			}
			ft := feats[c]
			if ft == nil {
				ft = &feat{}
				feats[c] = ft
			}
			ft.callee = true
			line := h.NewStart
			if len(h.Added) > 0 {
				line = h.Added[0].N
			}
			ft.ev = append(ft.ev, scoredEvidence{kind: KindCallee, weight: idx.w.Callee, frame: f, path: file.Path, line: line, hunk: h, ident: name})
		}
	}
}

// A hunkRef is one hunk of a candidate's change.
type hunkRef struct{ cand, file, hunk int32 }

// calleeFile reports whether a hunk of path headed by function name is a
// change to the function a frame in file from calls: the window's hunks
// name it in that one file, or in several of which it is from (a static
// function of the frame's own file shares its name with others).
func (idx *Index) calleeFile(repo, name, path, from string) bool {
	files := idx.hunkDefs[name]
	n, own := 0, false
	for _, t := range files {
		if t.repo != repo {
			continue
		}
		n++
		own = own || t.path == from
	}
	return n <= 1 || own && path == from
}

// typeSection reports whether a hunk header's section (or a source line)
// opens a type rather than a function: "class TestSlab(LinuxKernelTestCase):",
// "public class Cart {", "struct foo {". A change under it may be in any of
// its methods.
func typeSection(section string) bool {
	t := strings.TrimSpace(section)
	for _, kw := range []string{"class ", "struct ", "interface ", "enum ", "impl ", "module ", "namespace ", "union ", "trait ", "object "} {
		// "class X(Base):" opens a type; "static struct foo *make(void)"
		// a function returning one.
		if strings.HasPrefix(t, kw) && (kw == "class " || !strings.Contains(t, "(")) ||
			strings.Contains(t, " "+kw) && !strings.Contains(t, "(") {
			return true
		}
	}
	return false
}
