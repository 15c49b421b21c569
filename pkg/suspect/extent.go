package suspect

import (
	"path"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// Function extents. A hunk's header names the line git found above the
// hunk, which is not always the function the hunk changes: a change to a
// function's first lines is headed by the function before it, a Python
// method's hunk by its class, an assembly routine's by whatever macro or
// label came last. When the frame's file is known at the failing version,
// the blame walk carries it back commit by commit (undoing each change)
// and asks of every version where the frame's function lies, and whether
// the commit's added or removed lines fall inside it.

// maxExtentFrames bounds how many in-app frames without a line have their
// files read for their functions' extents (frames with a line always do,
// for build inference too).
const maxExtentFrames = 8

// maxExtent bounds how far below its first line a function is looked for
// its end.
const maxExtent = 4000

// extentLang is the family of languages whose function extents funcExtent
// finds, by file extension: those of langOf, "asm" for assembly, "brace"
// for languages whose methods sit indented in a class and whose bodies are
// braces (Java, Kotlin, JavaScript, TypeScript, C#, Rust, Swift, Scala,
// PHP, Dart; C++ and Objective-C outside the first column), the languages
// whose bodies close with the word end ("ruby" for Ruby and Crystal,
// "elixir", "lua"), "erlang" and "perl".
func extentLang(file string) string {
	if l := langOf(file); l != "" {
		return l
	}
	file = strings.ReplaceAll(file, "\\", "/")
	switch strings.ToLower(path.Ext(file)) {
	case ".s":
		return "asm"
	case ".java", ".kt", ".kts", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".cs", ".rs", ".swift", ".scala", ".php", ".dart", ".groovy":
		return "brace"
	case ".rb", ".rake", ".gemspec", ".ru", ".cr":
		return "ruby"
	case ".ex", ".exs":
		return "elixir"
	case ".lua":
		return "lua"
	case ".erl":
		return "erlang"
	case ".pl", ".pm", ".t":
		return "perl"
	}
	switch path.Base(file) {
	case "Rakefile", "Gemfile", "Vagrantfile", "Guardfile":
		return "ruby"
	}
	return ""
}

// braceKeywords start statements whose parentheses are not a definition's.
var braceKeywords = map[string]bool{
	"if": true, "for": true, "foreach": true, "while": true, "switch": true, "catch": true, "return": true,
	"new": true, "throw": true, "await": true, "yield": true, "case": true, "else": true, "do": true,
	"synchronized": true, "using": true, "lock": true, "match": true, "when": true, "typeof": true,
	"sizeof": true, "delete": true, "assert": true, "println": true, "print": true,
}

// definesBrace reports whether line starts the definition of ident in a
// brace language: the name followed by its parameters ("public int
// total(List<Item> items) {", "fun total(items: List<Item>): Int {", "fn
// total(&self) -> u32 {", "async total(items) {", "total = (items) => {",
// "Map<String, dynamic> toJson() {", "public function total(): float {"), not a
// call ("return total(x);", "x.total(y)", "int n = total(x);", a PHP chain's
// "->total($x)"). Dart's definitions are found too: a
// getter ("double get total {", "double get total => ...;"), a body after
// an arrow ("Widget build(BuildContext context) => ...;", as C#'s), a
// named constructor ("CartModel.fromJson(Map<String, dynamic> json) {",
// "factory CartModel.fromJson(...)") and a constructor without a body,
// whose code is its initializer list or its parameters' fields
// ("CartModel(this.items) : total = 0;", "const CartModel(this.items);"):
// of lines ending with ";", only these are definitions.
func definesBrace(line, ident string) bool {
	t := strings.TrimSpace(line)
	if ident == "" || t == "" || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "*") || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "#") {
		return false
	}
	semi := strings.HasSuffix(t, ";")
	if semi && !strings.Contains(t, "=>") && !strings.Contains(t, ":") && !strings.Contains(t, "this.") && !strings.Contains(t, "super.") {
		return false // a statement or a declaration without a body
	}
	for from := 0; ; {
		i := strings.Index(t[from:], ident)
		if i < 0 {
			return false
		}
		i += from
		from = i + len(ident)
		if from < len(t) && isIdentByte(t[from]) || i > 0 && (isIdentByte(t[i-1]) || t[i-1] == '$') {
			continue
		}
		named := false
		if i > 0 && t[i-1] == '.' {
			if !dartNamedConstructor(t[:i-1]) {
				continue
			}
			named = true
		}
		rest := strings.TrimLeft(t[from:], " \t")
		if strings.HasPrefix(rest, "<") { // generic parameters: total<T>(...)
			if e := strings.IndexByte(rest, '>'); e > 0 {
				rest = strings.TrimLeft(rest[e+1:], " \t")
			}
		}
		before := strings.TrimSpace(t[:i])
		if strings.HasSuffix(before, "->") {
			continue // a method called on an object: PHP's $x->total(), ?->total(), a chain's ->total(
		}
		if named {
			before = ""
		}
		if swiftProperty(before, rest, t) {
			return true
		}
		if before == "get" || strings.HasSuffix(before, " get") {
			// A Dart getter: "double get total {", "... get total =>".
			r := dartModifiers(rest)
			return strings.HasPrefix(r, "=>") || !semi && strings.HasPrefix(r, "{")
		}
		arrow := false
		if strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") || strings.HasPrefix(rest, ":") && (strings.Contains(rest, "function") || strings.Contains(rest, "=>")) {
			// total = (items) => {, total = function (items) {, total: function(items) {
			arrow = strings.Contains(rest, "=>") || strings.Contains(rest, "function")
			if !arrow {
				return false
			}
		} else if !strings.HasPrefix(rest, "(") {
			continue
		}
		if strings.ContainsAny(withoutTypeArgs(before), "=(,") && !arrow {
			return false // an assignment or an argument: a call
		}
		first := before
		if j := strings.IndexAny(first, " \t"); j >= 0 {
			first = first[:j]
		}
		if braceKeywords[first] || braceKeywords[before] {
			return false
		}
		return !semi || bodiless(rest, ident, before, named)
	}
}

// withoutTypeArgs returns s without what its angle brackets hold (the
// commas of a return type "Map<String, dynamic>").
func withoutTypeArgs(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			depth++
		case c == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dartNamedConstructor reports whether s, what precedes ".name(" on a
// line, is the class of a Dart named constructor being defined: a
// capitalized name alone, or after "factory" or "const".
func dartNamedConstructor(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "const "), "factory ")
	return capitalized(s) && strings.IndexFunc(s, func(r rune) bool { return r > 127 || !isIdentByte(byte(r)) }) < 0
}

// capitalized reports a name spelled as a class's: an upper-case
// letter first, after Dart's privacy underscore if any.
func capitalized(s string) bool {
	s = strings.TrimLeft(s, "_")
	return s != "" && s[0] >= 'A' && s[0] <= 'Z'
}

// dartModifiers returns s without the modifier of a Dart function's body
// it starts with (async, async*, sync*).
func dartModifiers(s string) string {
	for _, m := range []string{"async*", "async", "sync*"} {
		if r, ok := strings.CutPrefix(s, m); ok && (r == "" || !isIdentByte(r[0])) {
			return strings.TrimLeft(r, " \t")
		}
	}
	return s
}

// bodiless reports whether a definition's line that ends with ";" defines
// ident after all: rest is what follows the name, from its parameters on.
// Its body follows an arrow ("(x) => x * 2;", "() async => load();"), or
// it is a Dart constructor (named after its class, or named) whose code
// is its initializer list ("(this.items) : total = 0;") or its
// parameters' fields ("({required this.items});"). An abstract method
// ("int total(List<Item> items);") and a call ("total(x);") are not.
func bodiless(rest, ident, before string, named bool) bool {
	if !strings.HasPrefix(rest, "(") {
		return false
	}
	end := closingParen(rest)
	if end < 0 {
		return false
	}
	after := dartModifiers(strings.TrimSpace(rest[end+1:]))
	if strings.HasPrefix(after, "=>") {
		return true
	}
	if !named && !(capitalized(ident) && (before == "" || before == "const")) {
		return false
	}
	params := rest[1:end]
	return strings.HasPrefix(after, ":") || after == ";" && (strings.Contains(params, "this.") || strings.Contains(params, "super."))
}

// closingParen returns the index of the parenthesis closing the one s
// starts with, or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// defines returns the name a source line starts the definition of, in a
// language of extentLang, and its indentation (for Python and the
// languages whose bodies close with end). For "brace" and the languages
// after it here it says only whether the line defines ident.
func defines(line, lang, ident string) (string, int, bool) {
	switch lang {
	case "brace":
		if definesBrace(line, ident) {
			return ident, 0, true
		}
		return "", 0, false
	case "ruby", "elixir", "lua", "erlang", "perl":
		ok := false
		switch lang {
		case "ruby":
			ok = definesRuby(line, ident)
		case "elixir":
			ok = definesElixir(line, ident)
		case "lua":
			ok = definesLua(line, ident)
		case "erlang":
			ok = definesErlang(line, ident)
		case "perl":
			ok = definesPerl(line, ident)
		}
		if !ok {
			return "", 0, false
		}
		return ident, indentOf(line), true
	case "asm":
		name, ok := diffstat.AsmDefinition(line)
		return name, 0, ok
	case "python":
		if m := pyDef.FindStringSubmatch(line); m != nil {
			return m[2], len(m[1]), true
		}
		return "", 0, false
	}
	name, ok := startsDefinition(line, lang)
	return name, 0, ok
}

// funcExtent returns the first and last line (1-based) of the definition
// of function ident in lines: the one holding line near when there are
// several, else the last one above it, else the first. lo is 0 when lines
// define no such function. An Erlang or Elixir function's clauses make
// one definition (see extentEnd): a clause inside one found is not
// another.
func funcExtent(lines []string, ident, lang string, near int) (lo, hi int) {
	if ident == "" {
		return 0, 0
	}
	clauses := lang == "erlang" || lang == "elixir"
	for i, l := range lines {
		if !strings.Contains(l, ident) || clauses && lo > 0 && i < hi {
			continue
		}
		name, indent, ok := defines(l, lang, ident)
		if !ok || name != ident {
			continue
		}
		end := extentEnd(lines, i, indent, lang)
		if end < 0 {
			continue // a prototype, not a definition
		}
		a, b := i+1, end+1
		if lo == 0 {
			lo, hi = a, b
		}
		if near <= 0 {
			break
		}
		if a <= near {
			lo, hi = a, b
		}
		if a > near || near <= b {
			break
		}
	}
	return lo, hi
}

// extentEnd returns the index of the last line of the function whose
// definition starts at lines[i], or -1 when no body follows.
func extentEnd(lines []string, i, indent int, lang string) int {
	last := min(len(lines)-1, i+maxExtent)
	switch lang {
	case "python":
		end := i
		for j := i + 1; j <= last; j++ {
			t := strings.TrimSpace(lines[j])
			if t == "" {
				continue
			}
			w := len(lines[j]) - len(strings.TrimLeft(lines[j], " \t"))
			if w <= indent && !strings.HasPrefix(t, ")") {
				break
			}
			end = j
		}
		return end
	case "asm":
		for j := i + 1; j <= last; j++ {
			t := strings.TrimSpace(lines[j])
			for _, p := range []string{"END(", "ENDPROC(", "SYM_FUNC_END", "SYM_CODE_END", ".size"} {
				if strings.HasPrefix(t, p) {
					return j
				}
			}
			if _, ok := diffstat.AsmDefinition(t); ok {
				return j - 1
			}
		}
		return last
	}
	switch lang {
	case "brace":
		if end, ok := bodilessEnd(lines, i, last); ok {
			return end
		}
		return braceEnd(lines, i, last)
	case "ruby":
		if _, endless, _ := rubyDef(lines[i]); endless {
			return continuedEnd(lines, i, last)
		}
		return endEnd(lines, i, last, indent, lang)
	case "lua":
		return endEnd(lines, i, last, indent, lang)
	case "elixir":
		return elixirEnd(lines, i, last, indent)
	case "erlang":
		return erlangEnd(lines, i, last)
	case "perl":
		return perlEnd(lines, i, last)
	}
	// C and Go: the body opens within a few lines and closes with a brace
	// in the first column.
	open := false
	for j := i; j <= last; j++ {
		l := lines[j]
		if !open {
			if strings.Contains(l, "{") {
				open = true
				if j == i && strings.HasSuffix(strings.TrimSpace(l), "}") {
					return j // a one-line function
				}
			} else if j > i+10 || strings.HasSuffix(strings.TrimSpace(l), ";") {
				return -1
			}
		}
		if open && j > i && strings.HasPrefix(l, "}") {
			return j
		}
	}
	return -1
}

// extentChange tells what file's change did to a function that spans
// lines lo-hi after it and olo-ohi before it (funcExtent of each version):
// whether it added or removed lines inside it. known is false when neither
// version defines the function.
func extentChange(file *diffstat.File, lo, hi, olo, ohi int) extentVerdict {
	v := extentVerdict{lo: lo, hi: hi}
	if v.lo == 0 && olo == 0 {
		return extentVerdict{}
	}
	v.known = true
	for hi := range file.Hunks {
		h := &file.Hunks[hi]
		if v.lo > 0 {
			for _, a := range h.Added {
				if v.inside(a.N) {
					v.changed, v.line, v.hunk = true, a.N, hi
					return v
				}
			}
		}
		if olo > 0 {
			for _, r := range h.Removed {
				if r.N >= olo && r.N <= ohi {
					v.changed, v.line, v.hunk = true, h.NewStart, hi
					return v
				}
			}
		}
	}
	return v
}

// extentVerdict is what the frame's function's extent says of one commit:
// whether it changed lines inside the function (when known), the first
// such line and its hunk, and the function's lines after the commit (lo is
// 0 when the commit removed it).
type extentVerdict struct {
	known, changed bool
	line, hunk     int
	lo, hi         int
}

// inside reports whether new-side line n lies in the function.
func (v extentVerdict) inside(n int) bool { return v.lo > 0 && n >= v.lo && n <= v.hi }

// linesAt returns the lines of path at version v, from its contents at
// version tip (a descendant of v on the first-parent chain) in files,
// undoing the changes between them; nil when not known.
func (rc *rankCtx) linesAt(rx *repoIndex, p string, v int32) []string {
	key := linesKey{rx, p, v}
	if lines, ok := rc.lines[key]; ok {
		return lines // the blame walk and callee evidence ask for the same
	}
	lines := rc.readLinesAt(rx, p, v)
	if rc.lines == nil {
		rc.lines = map[linesKey][]string{}
	}
	rc.lines[key] = lines
	return lines
}

// linesKey names a file at a version, for rankCtx.lines.
type linesKey struct {
	rx *repoIndex
	p  string
	v  int32
}

// readLinesAt is linesAt without its memory.
func (rc *rankCtx) readLinesAt(rx *repoIndex, p string, v int32) []string {
	tip, ok := rc.tips[rx]
	if !ok || rc.files == nil {
		return nil
	}
	idx := rc.idx
	data, ok := rc.files[FileRef{Repo: rx.name, Rev: idx.cands[tip].Commit.Hash, Path: p}]
	if !ok {
		return nil
	}
	lines := splitFile(data)
	for c := tip; c != v; c = idx.firstParent(c) {
		if c < 0 {
			return nil
		}
		ci := &idx.cands[c]
		fi, ok := ci.files[p]
		if !ok {
			continue
		}
		file := &ci.Change.Files[fi]
		if !undoable(file, p) || file.Status == diffstat.Added || file.Status == diffstat.Renamed {
			return nil
		}
		if lines, ok = unapply(lines, file); !ok {
			return nil
		}
	}
	return lines
}

// bodilessEnd returns the index of the line ending a definition without
// a body in braces, which starts at lines[i]: a body after an arrow
// ("Widget build(BuildContext context) => Scaffold(...);", over as many
// lines as it takes) or a constructor's initializer list, both ending
// with a ";" outside parentheses and brackets. ok is false when a brace
// opens first, outside them: the body is a block, for braceEnd.
func bodilessEnd(lines []string, i, last int) (end int, ok bool) {
	depth, arrow := 0, false
	for j := i; j <= last; j++ {
		if !arrow && j > i+10 {
			return 0, false
		}
		l := lines[j]
		done := false
		eachCode(l, func(k int, c byte) bool {
			switch {
			case c == '(' || c == '[':
				depth++
			case c == ')' || c == ']':
				if depth--; depth < 0 {
					end, ok, done = -1, true, true // the end of what holds it: no definition
				}
			case depth > 0:
			case c == '{':
				end, ok, done = 0, false, true
			case c == ';':
				end, ok, done = j, true, true
			case c == '=' && k+1 < len(l) && l[k+1] == '>':
				arrow = true
			}
			return !done
		})
		if done {
			return end, ok
		}
	}
	return 0, false
}

// eachCode calls f with each byte of l outside quoted strings and a line
// comment, and its index, until f returns false.
func eachCode(l string, f func(k int, c byte) bool) {
	var quote byte
	for k := 0; k < len(l); k++ {
		c := l[k]
		switch {
		case quote != 0:
			if c == '\\' {
				k++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '/' && k+1 < len(l) && l[k+1] == '/':
			return
		case !f(k, c):
			return
		}
	}
}

// braceEnd returns the index of the line closing the body that opens at or
// a few lines after lines[i] (braces counted outside strings and line
// comments), or -1 when no body opens.
func braceEnd(lines []string, i, last int) int {
	depth, open := 0, false
	for j := i; j <= last; j++ {
		l := lines[j]
		if !open && j > i {
			// The body opens on the signature's last lines, not in a
			// statement after a call that had no semicolon.
			t := strings.TrimSpace(l)
			first := t
			if k := strings.IndexAny(first, " \t("); k >= 0 {
				first = first[:k]
			}
			if braceKeywords[first] {
				return -1
			}
		}
		closed := false
		eachCode(l, func(_ int, c byte) bool {
			switch c {
			case '{':
				depth++
				open = true
			case '}':
				depth--
				closed = open && depth == 0
			}
			return !closed
		})
		if closed {
			return j
		}
		if !open && (j > i+10 || j > i && strings.HasSuffix(strings.TrimSpace(l), ";")) {
			return -1
		}
	}
	return -1
}

// swiftProperty reports a Swift computed property's first line, "var
// total: Decimal {" (with modifiers before it), whose accessors an Apple
// crash report names "Cart.total.getter": before is what precedes the
// name, rest what follows it, t the whole line.
func swiftProperty(before, rest, t string) bool {
	if !strings.HasPrefix(rest, ":") || !strings.HasSuffix(t, "{") {
		return false
	}
	return before == "var" || strings.HasSuffix(before, " var")
}
