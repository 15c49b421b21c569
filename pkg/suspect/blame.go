package suspect

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// lineStep is what one commit's diff of one file says about a frame line L
// given on that commit's new side.
type lineStep struct {
	// hit is set when L is one of the commit's added lines.
	hit     bool
	hitHunk int
	// parent is L translated to the parent's version (for an added line:
	// the position it was inserted at).
	parent int
	// dist is the distance from L to the nearest changed line (-1: the
	// file has no hunks), near the hunk holding it.
	dist     int
	nearHunk int
	nearLine int
}

// stepLine translates line l (new side of f) through f's hunks.
// Hunks are expected in file order, as git prints them.
func stepLine(f *diffstat.File, l int) lineStep {
	st := lineStep{parent: l, dist: -1, hitHunk: -1, nearHunk: -1}
	shift := 0 // sum of (OldLines - NewLines) over hunks above l
	done := false
	for i := range f.Hunks {
		h := &f.Hunks[i]
		nearest(h, i, l, &st)
		if done {
			continue
		}
		if h.NewLines == 0 {
			// Pure deletion after new line NewStart.
			if l <= h.NewStart {
				st.parent = l + shift
				done = true
				continue
			}
			shift += h.OldLines
			continue
		}
		end := h.NewStart + h.NewLines - 1
		if l < h.NewStart {
			st.parent = l + shift
			done = true
			continue
		}
		if l > end {
			shift += h.OldLines - h.NewLines
			continue
		}
		// Inside the hunk.
		addedBefore := 0
		for _, a := range h.Added {
			if a.N == l {
				st.hit = true
				st.hitHunk = i
			}
			if a.N < l {
				addedBefore++
			}
		}
		ctx := (l - h.NewStart) - addedBefore
		o := h.OldStart + ctx
		if h.OldLines == 0 {
			// Pure insertion: OldStart is the line before it.
			o = h.OldStart + 1
		} else {
			for _, r := range h.Removed {
				if r.N <= o {
					o++
				} else {
					break
				}
			}
		}
		if o < 1 {
			o = 1
		}
		st.parent = o
		done = true
	}
	if !done {
		st.parent = l + shift
	}
	if st.parent < 1 {
		st.parent = 1
	}
	return st
}

// wsMatch returns the old-side line of hunk h that its added line n
// replaced with only whitespace changed, or 0. Removed and added lines are
// paired as a diff ignoring all whitespace pairs them (their longest
// common subsequence, like `git blame -w`); lines whose text was cut
// (diffstat.MaxLineText) pair with nothing.
func wsMatch(h *diffstat.Hunk, n int, indent bool) int {
	ra, aa := h.Removed, h.Added
	if len(ra) == 0 || len(ra)*len(aa) > maxWSPairs {
		return 0
	}
	norm := func(ls []diffstat.Line) []string {
		out := make([]string, len(ls))
		for i, x := range ls {
			var ok bool
			if out[i], ok = normLine(x, indent); !ok {
				out[i] = "\x00" + strconv.Itoa(i) // unique: pairs with nothing
			}
		}
		return out
	}
	r, a := norm(ra), norm(aa)
	target := -1
	for j, x := range aa {
		if x.N == n {
			target = j
		}
	}
	if target < 0 {
		return 0
	}
	// lcs[i][j]: the longest common subsequence of r[i:] and a[j:].
	lcs := make([][]int, len(r)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(a)+1)
	}
	for i := len(r) - 1; i >= 0; i-- {
		for j := len(a) - 1; j >= 0; j-- {
			switch {
			case r[i] == a[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	for i, j := 0, 0; i < len(r) && j < len(a); {
		switch {
		case r[i] == a[j]:
			if j == target {
				if ra[i].Text == aa[j].Text {
					// The same text, which git's diff left unpaired:
					// moved, not re-indented (see movedFrom).
					return 0
				}
				return ra[i].N
			}
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			if j == target {
				return 0
			}
			j++
		}
	}
	return 0
}

// normLine is a line's text without its whitespace, but for the
// indentation when indent is set (see indentMatters); false when the text
// was cut (diffstat.MaxLineText), so it compares with nothing.
func normLine(l diffstat.Line, indent bool) (string, bool) {
	if len(l.Text) >= diffstat.MaxLineText {
		return "", false
	}
	lead := ""
	if indent {
		lead = l.Text[:len(l.Text)-len(strings.TrimLeft(l.Text, " \t"))]
	}
	return lead + strings.Join(strings.Fields(l.Text), ""), true
}

// indentMatters reports whether a file's language gives indentation a
// meaning (Python, YAML, Makefiles, ...): re-indenting a line there
// changes what it does, so it is no change of whitespace only.
func indentMatters(file string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(file, "\\", "/")))
	switch path.Ext(base) {
	case ".py", ".pyi", ".pyx", ".yaml", ".yml", ".coffee", ".nim", ".hs", ".fs", ".fsx", ".sass", ".haml", ".slim", ".pug", ".mk", ".mak":
		return true
	}
	return base == "makefile" || base == "gnumakefile"
}

// movedFrom finds where a commit moved its added line n of files[fi] from
// (`git blame -M -C`): the one line the commit removed, in that file or
// another, whose text is the same but for whitespace and long enough to
// say so (minMovedAlnum letters and digits). It returns that line's path
// before the commit and its old-side number.
func movedFrom(files []diffstat.File, fi, n int) (string, int, bool) {
	indent := indentMatters(files[fi].Path)
	added := map[int]string{} // the file's added lines, normalized
	for _, h := range files[fi].Hunks {
		for _, a := range h.Added {
			if t, ok := normLine(a, indent); ok {
				added[a.N] = t
			}
		}
	}
	want, ok := added[n]
	if !ok {
		return "", 0, false
	}
	alnum := 0
	for _, r := range want {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum++
		}
	}
	if alnum < minMovedAlnum {
		return "", 0, false
	}
	var from *diffstat.File
	line, found := 0, 0
	for i := range files {
		f := &files[i]
		if indentMatters(f.Path) != indent {
			continue
		}
		for _, h := range f.Hunks {
			for _, r := range h.Removed {
				if t, ok := normLine(r, indent); ok && t == want {
					found++
					from, line = f, r.N
				}
			}
		}
	}
	if found != 1 {
		return "", 0, false
	}
	// A line moves with its neighbours (a function, a block): one line
	// of a rewrite that happens to equal a line removed elsewhere is no
	// move.
	removed := map[int]string{}
	for _, h := range from.Hunks {
		for _, r := range h.Removed {
			if t, ok := normLine(r, indent); ok {
				removed[r.N] = t
			}
		}
	}
	run := 1
	for _, dir := range []int{-1, 1} {
		for k := 1; ; k++ {
			a, okA := added[n+dir*k]
			r, okR := removed[line+dir*k]
			if !okA || !okR || a != r {
				break
			}
			run++
		}
	}
	if run < minMovedRun {
		return "", 0, false
	}
	path := from.Path
	if from.OldPath != "" {
		path = from.OldPath
	}
	return path, line, true
}

// minMovedRun is how many lines, the moved one and its neighbours, must
// have moved together.
const minMovedRun = 3

// minMovedAlnum is how many letters and digits a line needs for movedFrom
// to take it as moved (git blame -M and -C ask as much of a moved block).
const minMovedAlnum = 20

// maxWSPairs bounds the work wsMatch does on one hunk.
const maxWSPairs = 1 << 16

// nearest updates st with the distance from new-side line l to hunk h's
// changed lines. Removed lines are placed on the new side at their
// position in the hunk and are never closer than one line (the frame's own line was not
// removed: it exists at signal time).
func nearest(h *diffstat.Hunk, i, l int, st *lineStep) {
	for _, a := range h.Added {
		d := abs(a.N - l)
		if st.dist < 0 || d < st.dist {
			st.dist, st.nearHunk, st.nearLine = d, i, a.N
		}
	}
	for k, r := range h.Removed {
		// Removed lines take no new-side line: place each after the
		// new-side lines that precede it (assuming additions follow).
		pos := h.NewStart + (r.N - h.OldStart) - k
		pos = min(max(pos, h.NewStart), h.NewStart+h.NewLines)
		d := abs(pos - l)
		if d < 1 {
			d = 1
		}
		if st.dist < 0 || d < st.dist {
			st.dist, st.nearHunk, st.nearLine = d, i, pos
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// hunkHeader formats h as git prints it: "@@ -a,b +c,d @@ section".
func hunkHeader(h *diffstat.Hunk) string {
	s := fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
	if h.Section != "" {
		s += " " + h.Section
	}
	return s
}

// funcIdent returns the identifier that names a frame's function: the last
// identifier component, with Go closure suffixes (.func1, .gowrap2) and
// argument lists removed. "(*Server).handle" -> "handle",
// "com.acme.Cart.total" -> "total", "Cart#total" -> "total",
// "Ns.Class.Method(Int32 x)" -> "Method", "App\Cart->total" and
// "App\Cart::total" -> "total".
func funcIdent(fn string) string { return FunctionName(fn) }

// FunctionName is the identifier that names a frame's function, as hunk
// headers and definitions spell it (see funcIdent's examples).
func FunctionName(fn string) string {
	fn = strings.TrimSpace(fn)
	if id, ok := objcIdent(fn); ok {
		return id
	}
	if id, ok := swiftIdent(fn); ok {
		return id
	}
	if id, ok := phpIdent(fn); ok {
		return id
	}
	if id, ok := rubyLuaIdent(fn); ok {
		return id
	}
	if perlNameless(fn) {
		return ""
	}
	if id, ok := beamIdent(fn); ok {
		return id
	}
	if strings.Contains(fn, "<") {
		if fn = dartClosures(fn); fn == "" {
			return ""
		}
	}
	if name, args, ok := strings.Cut(fn, " ("); ok && name != "" && !strings.ContainsAny(name, " \t(") && strings.HasSuffix(args, ")") {
		fn = name // gdb's "fill (p=0x0)": the arguments' values
	}
	fn = stripCloneSuffix(stripKernelOffset(fn))
	if i := strings.Index(fn, "@"); i > 0 && symbolVersion.MatchString(fn[i:]) {
		fn = fn[:i] // an ELF symbol version: xsk_umem__create@@LIBBPF_0.0.4
	}
	if strings.Contains(fn, "::") {
		return cxxIdent(fn)
	}
	if i := strings.IndexByte(fn, '('); i > 0 && strings.ContainsAny(fn[:i], " \t") && !strings.HasPrefix(fn, "block ") {
		// A declaration ("static int foo(void)", "def foo(self):"), as a
		// hunk header shows it.
		return sectionIdent(fn)
	}
	if strings.HasSuffix(fn, ")") {
		// "Method(Int32 x)": drop an argument list that follows a name.
		if i := strings.IndexByte(fn, '('); i > 0 && isIdentByte(fn[i-1]) {
			fn = fn[:i]
		}
	}
	if i := strings.LastIndexAny(fn, ".#"); i >= 0 && i+1 < len(fn) && strings.Trim(fn[i+1:], "[]=+-*/%<>~^|&!@") == "" {
		return "" // a Dart or Ruby operator ("List.[]", "Money.==", "Cart#[]", "Money#-@"), which no name defines
	}
	parts := strings.FieldsFunc(fn, func(r rune) bool {
		return !(r < 128 && isIdentByte(byte(r)) || r > 127)
	})
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if isClosureSuffix(p) || p[0] >= '0' && p[0] <= '9' {
			continue
		}
		switch p {
		case "lambda", "anonymous", "module", "listcomp", "genexpr", "dictcomp", "setcomp", "top", "operator", "closure", "invoke", "call_once":
			return "" // a generic name that no hunk header defines
		}
		return p
	}
	return ""
}

// dartClosures drops the closures' parts of a Dart frame's function,
// as the VM prints them ("_CartPageState.build.<anonymous closure>") and
// package:stack_trace ("main.<fn>.<fn>", "CartModel.load.<async>"): a
// closure is named after the function holding it; one alone names
// nothing ("").
func dartClosures(fn string) string {
	if !strings.Contains(fn, "<anonymous closure>") && !strings.Contains(fn, "<fn>") && !strings.Contains(fn, "<async>") {
		return fn
	}
	var keep []string
	for _, p := range strings.Split(fn, ".") {
		if p != "<anonymous closure>" && p != "<fn>" && p != "<async>" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ".")
}

// phpIdent names a PHP frame's closure or script: "{closure}",
// "App\{closure}", "App\Cart->App\{closure}" and "App\Cart::{closure}"
// name no function a definition spells, nor do "{main}" (a script's top
// level) and "{require_once}", "{include}", ... (the top level of a file
// a script included, as pkg/signal names it); PHP 8.4's
// "{closure:App\Cart::total():42}" is named after the function holding it
// ("total"), "{closure:/src/x.php:12}" (a script's) and Xdebug's
// "{closure:/src/x.php:12-15}" after none. ok is false for other names
// (Rust's "{{closure}}" too).
func phpIdent(fn string) (string, bool) {
	switch fn {
	case "{main}", "{include}", "{include_once}", "{require}", "{require_once}":
		return "", true
	}
	i := strings.LastIndex(fn, "{closure")
	if i < 0 || i > 0 && fn[i-1] == '{' {
		return "", false
	}
	rest := fn[i+len("{closure"):]
	if !strings.HasPrefix(rest, ":") {
		return "", true
	}
	scope := rest[1:]
	if j := strings.IndexByte(scope, '}'); j >= 0 {
		scope = scope[:j]
	}
	if j := strings.LastIndexByte(scope, ':'); j >= 0 {
		scope = scope[:j] // the closure's line
	}
	if !strings.HasSuffix(scope, "()") {
		return "", true
	}
	return FunctionName(strings.TrimSuffix(scope, "()")), true
}

// rubyLuaIdent names the Ruby and Lua frames that no definition names:
// Ruby's top level and a class's or module's body ("<main>", "block in
// <main>", "<top (required)>", "<class:Cart>", "<module:Shop>"), Lua's
// main chunk ("in main chunk"), a Lua function without a name ("in
// function <cart.lua:12>") and "in ?"; and Lua's named ones ("in function
// 'Cart:total'", "in method 'total'", "in local 'total'", "in field
// 'total'", "in upvalue 'total'") by the name in quotes, named as usual
// ("total"), but for a metamethod's ("in metamethod 'add'"). ok is false
// for other names.
func rubyLuaIdent(fn string) (string, bool) {
	r := strings.TrimPrefix(fn, "in ")
	if r == "main chunk" || fn == "in ?" || strings.HasPrefix(r, "function <") && strings.HasSuffix(r, ">") {
		return "", true
	}
	for _, kind := range []string{"function", "method", "local", "upvalue", "field", "global", "metamethod"} {
		q, ok := cutWord(r, kind)
		if !ok || len(q) < 3 || q[0] != '\'' || q[len(q)-1] != '\'' {
			continue
		}
		if kind == "metamethod" {
			return "", true
		}
		return FunctionName(q[1 : len(q)-1]), true
	}
	// Ruby's blocks, rescue and ensure clauses are named after what holds
	// them: "block (2 levels) in <main>", "rescue in block in Cart#total".
	for {
		i := strings.Index(fn, " in ")
		if i < 0 || !strings.HasPrefix(fn, "block ") && !strings.HasPrefix(fn, "rescue ") && !strings.HasPrefix(fn, "ensure ") {
			break
		}
		fn = fn[i+len(" in "):]
	}
	switch {
	case fn == "<main>", fn == "<top (required)>", fn == "<singleton class>",
		(strings.HasPrefix(fn, "<class:") || strings.HasPrefix(fn, "<module:")) && strings.HasSuffix(fn, ">"):
		return "", true
	}
	return "", false
}

// perlNameless reports a Perl frame's function that no definition names:
// an anonymous sub ("main::__ANON__", and "Shop::Cart::__ANON__[lib/Shop/Cart.pm:40]"
// as the debugger names it), an eval ("(eval)", "eval {...}", "eval
// '...'") or the top level of a file a require loads ("require
// Shop/Cart.pm"). A named sub ("Shop::Cart::total") is named as C++'s are.
func perlNameless(fn string) bool {
	if fn == "(eval)" || strings.HasPrefix(fn, "eval {") || strings.HasPrefix(fn, "eval '") || strings.HasPrefix(fn, "require ") {
		return true
	}
	i := strings.Index(fn, "__ANON__")
	return i == 0 || i > 1 && fn[i-2:i] == "::"
}

// beamIdent names an Elixir or Erlang frame's function, whose name ends
// in its arity: "Shop.Cart.total/1", ":gen_server.call/3" and Erlang's
// "shop_cart:total/1" are "total" and "call"; an anonymous function
// ("anonymous fn/1 in Shop.Cart.total/1") and a name the compiler made
// after the function holding it ("-total/1-fun-0-",
// `Enum."-map/2-lists^map/1-1-"/2`, "'-each/1-lc$^0/1-0-'") are named
// after that function, Phoenix's "call (overridable 3)" after call; a
// name ending in ? or ! is named without it (valid? is "valid"). A test
// ("test total sums items"), a template ("app.html"), an operator
// (Kernel.+/2) and a file's or test's top level ("(file)", "(test)")
// name no function a definition spells (""). ok is false for other
// names.
func beamIdent(fn string) (string, bool) {
	if len(fn) > 2 && fn[0] == '(' && fn[len(fn)-1] == ')' && strings.Trim(fn[1:len(fn)-1], "abcdefghijklmnopqrstuvwxyz_ ") == "" {
		return "", true
	}
	if strings.HasPrefix(fn, "-") && strings.HasSuffix(fn, "-") && strings.Contains(fn, "/") {
		return beamName(fn), true
	}
	for {
		rest, ok := strings.CutPrefix(fn, "anonymous fn")
		if !ok {
			break
		}
		_, inner, ok := strings.Cut(rest, " in ")
		if !ok {
			return "", false
		}
		fn = inner
	}
	slash := strings.LastIndexByte(fn, '/')
	if slash <= 0 || slash == len(fn)-1 || strings.Trim(fn[slash+1:], "0123456789") != "" {
		return "", false
	}
	head := fn[:slash]
	var name string
	if q := head[len(head)-1]; q == '"' || q == '\'' {
		open := strings.LastIndexByte(head[:len(head)-1], q)
		if open <= 0 {
			return "", false
		}
		name, head = head[open+1:len(head)-1], head[:open]
	} else {
		sep := strings.LastIndexAny(head, ".:")
		if sep < 0 {
			return "", false
		}
		name, head = head[sep+1:], head[:sep+1]
	}
	// What comes before the name is a module and its separator:
	// Shop.Cart., :gen_server., shop_cart:, 'Elixir.Shop.Cart':.
	if len(head) < 2 || head[len(head)-1] != '.' && head[len(head)-1] != ':' {
		return "", false
	}
	for i := 0; i < len(head); i++ {
		if c := head[i]; !(isIdentByte(c) || c == '.' || c == ':' || c == '@' || c == '"' || c == '\'') {
			return "", false
		}
	}
	return beamName(name), true
}

// beamName is the identifier of an Elixir or Erlang function's name:
// itself, less a trailing ? or !; the function a compiler-made name was
// made in ("-total/1-fun-0-" is total's); "" for a name that is no
// identifier.
func beamName(name string) string {
	for strings.HasPrefix(name, "-") {
		// -total/1-fun-0-, -map/2-lists^map/1-1-, -each/1-lc$^0/1-0-
		inner := name[1:]
		slash := strings.IndexByte(inner, '/')
		if slash <= 0 {
			return ""
		}
		name = strings.Trim(inner[:slash], `'"`)
	}
	if base, ok := strings.CutSuffix(name, ")"); ok {
		// Phoenix's overridable plugs: "call (overridable 3)".
		if k := strings.Index(base, " (overridable "); k > 0 {
			name = base[:k]
		}
	}
	name = strings.TrimRight(name, "?!")
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(isIdentByte(c) && c != '$' || c > 127) || i == 0 && c >= '0' && c <= '9' {
			return ""
		}
	}
	return name
}

// stripKernelOffset drops what a kernel trace appends to a function, should
// a converter leave it in: "mt7921_irq_tasklet+0x30/0x90 [mt7921e]" ->
// "mt7921_irq_tasklet", "dump_stack_lvl+0x48" -> "dump_stack_lvl".
func stripKernelOffset(fn string) string {
	if i := strings.LastIndex(fn, " ["); i > 0 && strings.HasSuffix(fn, "]") {
		fn = strings.TrimSpace(fn[:i])
	}
	if i := strings.Index(fn, "+0x"); i > 0 {
		fn = fn[:i]
	}
	return fn
}

// symbolVersion is the version an ELF symbol carries after @ or @@.
var symbolVersion = regexp.MustCompile(`^@@?[A-Za-z_][A-Za-z0-9_.]*$`)

// cxxIdent names the function of a demangled C++ or Rust frame
// ("ns::Cart::total(int) const" -> "total"); a lambda or closure is named
// after the function that holds it ("Parser::run()::{lambda()#1}::operator()()"
// -> "run"), as hunk headers name it.
func cxxIdent(fn string) string {
	for _, q := range []string{" const", " volatile", " noexcept", " &&", " &"} {
		fn = strings.TrimSuffix(fn, q)
	}
	parts := splitTop(fn, "::")
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		p = strings.TrimSuffix(p, "()")
		if j := strings.IndexAny(p, "(<"); j > 0 {
			p = p[:j] // arguments or template arguments
		}
		if p == "" || p[0] == '{' || p[0] == '(' || strings.HasPrefix(p, "operator") || strings.HasPrefix(p, "_{{") {
			continue // a lambda, a closure, an operator, an anonymous namespace
		}
		if strings.HasPrefix(p, "h") && len(p) == 17 && allHex(p[1:]) {
			continue // a Rust symbol hash (h1234abcd5678ef90)
		}
		id := strings.FieldsFunc(p, func(r rune) bool { return !(r < 128 && isIdentByte(byte(r))) })
		if len(id) == 0 {
			continue
		}
		return id[len(id)-1]
	}
	return ""
}

// splitTop splits s at sep outside parentheses and angle brackets.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '<', '{':
			depth++
		case ')', '>', '}':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return s != ""
}

// stripCloneSuffix drops the suffixes compilers give copies of a function
// ("foo.isra.0", "foo.constprop.3", "foo.part.1", "foo.cold",
// "foo.lto_priv.0", "foo.llvm.123"), which no source line defines.
func stripCloneSuffix(fn string) string {
	for {
		i := strings.LastIndexByte(fn, '.')
		if i <= 0 {
			return fn
		}
		tail := fn[i+1:]
		if allDigits(tail) {
			j := strings.LastIndexByte(fn[:i], '.')
			if j <= 0 {
				return fn
			}
			tail, i = fn[j+1:i], j
		}
		switch tail {
		case "isra", "constprop", "part", "cold", "lto_priv", "llvm", "clone", "localalias", "specialized":
			fn = fn[:i]
		default:
			return fn
		}
	}
}

func isClosureSuffix(p string) bool {
	for _, pre := range []string{"func", "gowrap", "deferwrap"} {
		if strings.HasPrefix(p, pre) && len(p) > len(pre) && allDigits(p[len(pre):]) {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hunkFunction is the function a hunk is in, by its header's section: ""
// when the section is a prototype ("void vmx_asm_do_vmentry(void);" in a
// header), which a change below it is not inside.
func hunkFunction(section string) string {
	if strings.HasSuffix(strings.TrimSpace(section), ";") {
		return ""
	}
	return sectionIdent(section)
}

// sectionIdent returns the name defined by a hunk header's section (the
// line git found above the hunk): "func (s *Server) handle(w ...) {" ->
// "handle", "static int foo(struct bar *b)" -> "foo", "def total(self):" ->
// "total", "class Cart:" -> "Cart".
func sectionIdent(s string) string {
	if name, ok := diffstat.AsmDefinition(s); ok {
		return name
	}
	if name, ok := diffstat.MacroDefinition(s); ok {
		return name
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '(' {
			continue
		}
		j := i
		for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
			j--
		}
		k := j
		for k > 0 && isIdentByte(s[k-1]) {
			k--
		}
		id := s[k:j]
		switch id {
		case "", "func", "fn", "def", "if", "for", "while", "switch", "return", "sizeof", "catch", "function", "async", "typeof", "__attribute__":
			continue
		}
		if id[0] >= '0' && id[0] <= '9' {
			continue
		}
		return id
	}
	// No call shape: the last identifier before ':' or '{' ("class Cart:",
	// "struct foo {", "module Shop").
	end := len(s)
	if i := strings.IndexAny(s, ":{=<"); i >= 0 {
		end = i
	}
	fields := strings.FieldsFunc(s[:end], func(r rune) bool { return !(r < 128 && isIdentByte(byte(r))) })
	for i := len(fields) - 1; i >= 0; i-- {
		if f := fields[i]; f != "" && !(f[0] >= '0' && f[0] <= '9') {
			return f
		}
	}
	return ""
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// objcIdent names the method of an Objective-C frame by its selector's
// first part, as its definition starts: "-[AppDelegate
// application:didFinishLaunchingWithOptions:]" -> "application" ("-
// (BOOL)application:(UIApplication *)app didFinishLaunchingWithOptions:").
func objcIdent(fn string) (string, bool) {
	if len(fn) < 5 || fn[0] != '-' && fn[0] != '+' || fn[1] != '[' || !strings.HasSuffix(fn, "]") {
		return "", false
	}
	class, sel, ok := strings.Cut(fn[2:len(fn)-1], " ")
	if !ok || class == "" {
		return "", false
	}
	sel, _, _ = strings.Cut(strings.TrimSpace(sel), ":")
	for i := 0; i < len(sel); i++ {
		if !isIdentByte(sel[i]) {
			return "", true // no selector: "+[A 0 0]"
		}
	}
	return sel, true
}

// swiftWrappers open the names Swift's demangler gives code the compiler
// made from a function: the function is what follows.
var swiftWrappers = []string{
	"specialized ", "merged ", "partial apply for ", "partial apply forwarder for ", "@objc ",
	"dispatch thunk of ", "protocol witness for ", "resume partial function for ",
	"await resume partial function for ", "suspend resume partial function for ",
	"(1) suspend resume partial function for ", "(2) suspend resume partial function for ",
	"implicit closure #", "closure #", "function signature specialization ",
	"generic specialization ", "@nonobjc ",
}

// swiftAccessors end the names of a Swift property's accessors, after
// the property's own name.
var swiftAccessors = map[string]bool{
	"getter": true, "setter": true, "modify": true, "read": true, "didset": true, "willset": true,
	"unsafeAddressor": true, "unsafeMutableAddressor": true, "materializeForSet": true,
}

// swiftIdent names the function of a demangled Swift frame as its
// definition names it: "CartViewModel.total.getter" -> "total" (the
// property), "closure #1 in CartView.body.getter" -> "body",
// "specialized Cart.add(item:quantity:)" -> "add", "protocol witness for
// View.body.getter in conformance CartView" -> "body". Thunks and
// outlined copies, which no source line defines, name nothing.
func swiftIdent(fn string) (string, bool) {
	swift := false
	for changed := true; changed; {
		changed = false
		for _, w := range swiftWrappers {
			if !strings.HasPrefix(fn, w) {
				continue
			}
			rest := fn[len(w):]
			switch {
			case strings.HasSuffix(w, "#"):
				// "closure #1 in f", "implicit closure #2 in f"
				_, after, ok := strings.Cut(rest, " in ")
				if !ok {
					return "", false
				}
				rest = after
			case strings.HasSuffix(w, "specialization "):
				// "generic specialization <Int> of f"
				_, after, ok := strings.Cut(rest, " of ")
				if !ok {
					return "", false
				}
				rest = after
			}
			fn, swift, changed = strings.TrimSpace(rest), true, true
		}
	}
	if strings.HasPrefix(fn, "thunk for ") || strings.HasPrefix(fn, "reabstraction thunk") || strings.HasPrefix(fn, "outlined ") ||
		strings.HasPrefix(fn, "type metadata ") || strings.HasPrefix(fn, "value witness") {
		return "", true
	}
	if w, _, ok := strings.Cut(fn, " in conformance "); ok {
		fn, swift = w, true
	}
	if i := strings.Index(fn, " -> "); i > 0 {
		fn = fn[:i]
	}
	parts := splitTop(fn, ".")
	n := len(parts)
	if n >= 2 && swiftAccessors[parts[n-1]] {
		parts, swift = parts[:n-1], true
	}
	if !swift {
		return "", false
	}
	last := strings.TrimSpace(parts[len(parts)-1])
	if i := strings.IndexByte(last, '('); i > 0 {
		last = last[:i] // the argument labels: add(item:quantity:)
	}
	if i := strings.IndexByte(last, '<'); i > 0 {
		last = last[:i]
	}
	for i := 0; i < len(last); i++ {
		if last[i] < 128 && !isIdentByte(last[i]) {
			return "", true
		}
	}
	return last, true
}
