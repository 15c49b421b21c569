package suspect

// This file finds the extents of functions in the languages whose bodies
// close with the word end: Ruby (and Crystal, which reads as Ruby here),
// Elixir and Lua; and in Erlang and Perl. A definition is found by its
// first line (definesRuby, definesElixir, definesLua, definesErlang,
// definesPerl) and its body's end by counting the blocks its code opens
// and closes (endScanner reads the code, endCounter counts), checked
// against the layout (endEnd).

import (
	"strings"
)

// indentOf is the width of line's leading spaces and tabs (a tab counts
// one).
func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " \t")) }

// isWordByte reports a byte of a word in the languages read by
// endScanner: a letter, a digit, "_", or part of a character beyond ASCII.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// cutWord returns what follows the word w that s starts with, after the
// spaces that must separate them; ok is false when s does not start so.
func cutWord(s, w string) (string, bool) {
	r, ok := strings.CutPrefix(s, w)
	if !ok || r == "" || r[0] != ' ' && r[0] != '\t' {
		return "", false
	}
	return strings.TrimLeft(r, " \t"), true
}

// startsWord reports whether s starts with the word w ("end", "end)",
// "end.sum", not "ending").
func startsWord(s, w string) bool {
	return strings.HasPrefix(s, w) && (len(s) == len(w) || !isWordByte(s[len(w)]))
}

// definesRuby reports whether line starts the definition of method ident
// in Ruby or Crystal (see rubyDef): "def total", "def self.total(x)",
// "def Cart.total", "def total?", "def total=(v)", "private def total",
// "def total = expr", "define_method(:total) do |x|". A frame names
// Cart#total and Cart.total both "total" (FunctionName): either def
// matches, the frame's line tells which.
func definesRuby(line, ident string) bool {
	if ident == "" || !strings.Contains(line, ident) {
		return false
	}
	name, _, ok := rubyDef(line)
	return ok && name == ident
}

// rubyDef reads a line of Ruby or Crystal that starts a method's
// definition, after the modifiers before it ("private def total",
// "private_class_method def self.build", "memoize def total"): the name
// it defines, without a trailing "?", "!" or "=", and whether it is an
// endless method ("def total = items.sum(&:price)"), whose body is its
// line. Crystal's abstract methods have no body: not definitions.
func rubyDef(line string) (name string, endless, ok bool) {
	t := strings.TrimSpace(line)
	for range 4 {
		if r, ok := cutWord(t, "def"); ok {
			return rubyDefName(r)
		}
		if name, ok := rubyDefineMethod(t); ok {
			return name, false, true
		}
		n := 0
		for n < len(t) && isWordByte(t[n]) {
			n++
		}
		if n == 0 || n == len(t) || t[n] != ' ' && t[n] != '\t' || t[:n] == "abstract" {
			return "", false, false
		}
		t = strings.TrimLeft(t[n:], " \t")
	}
	return "", false, false
}

// rubyDefName reads what follows "def ": the method's name after its
// receiver ("self.total", "Cart.total"), and whether an "=" follows its
// parameters: an endless method. A setter's "=" is its name's
// ("total=(v)").
func rubyDefName(r string) (name string, endless, ok bool) {
	end := strings.IndexAny(r, " \t(;")
	if end < 0 {
		end = len(r)
	}
	tok := r[:end]
	if i := strings.LastIndexByte(tok, '.'); i >= 0 {
		tok = tok[i+1:]
	}
	name = strings.TrimRight(tok, "?!=")
	if name == "" {
		return "", false, false
	}
	rest := strings.TrimLeft(r[end:], " \t")
	if strings.HasPrefix(rest, "(") {
		if c := closingParen(rest); c >= 0 {
			rest = strings.TrimLeft(rest[c+1:], " \t")
		} else {
			rest = ""
		}
	}
	endless = !strings.HasSuffix(tok, "=") && strings.HasPrefix(rest, "=") &&
		!strings.HasPrefix(rest, "==") && !strings.HasPrefix(rest, "=~") && !strings.HasPrefix(rest, "=>")
	return name, endless, true
}

// rubyDefineMethod reads a method defined by a block, "define_method(:total)
// do |x|", "define_method :total do", "define_singleton_method(\"total\")
// {", with a receiver too ("klass.define_method"): the name it defines.
func rubyDefineMethod(t string) (string, bool) {
	for _, kw := range []string{"define_method", "define_singleton_method"} {
		i := strings.Index(t, kw)
		if i < 0 || i > 0 && t[i-1] != '.' {
			continue
		}
		r := t[i+len(kw):]
		if r == "" || r[0] != '(' && r[0] != ' ' && r[0] != '\t' {
			continue
		}
		r = strings.TrimLeft(r, " \t(")
		r = strings.TrimPrefix(r, ":")
		r = strings.TrimLeft(r, `"'`)
		n := 0
		for n < len(r) && isWordByte(r[n]) {
			n++
		}
		if n > 0 {
			return r[:n], true
		}
	}
	return "", false
}

// elixirDefs are the words that define an Elixir function, a macro or a
// guard, public or private (defn: Nx's numerical functions).
var elixirDefs = map[string]bool{
	"def": true, "defp": true, "defmacro": true, "defmacrop": true,
	"defguard": true, "defguardp": true, "defn": true, "defnp": true,
}

// elixirDefName returns the name an Elixir line defines ("def
// total(items) do", "defp total(items), do: ...", "def total do", "def
// valid?(x)"), or "".
func elixirDefName(line string) string {
	t := strings.TrimLeft(line, " \t")
	n := 0
	for n < len(t) && isWordByte(t[n]) {
		n++
	}
	if !elixirDefs[t[:n]] {
		return ""
	}
	r, ok := cutWord(t[n:], "")
	if !ok {
		return ""
	}
	m := 0
	for m < len(r) && isWordByte(r[m]) {
		m++
	}
	if m < len(r) && (r[m] == '?' || r[m] == '!') {
		m++
	}
	if m == 0 || m < len(r) && r[m] != '(' && r[m] != ' ' && r[m] != '\t' && r[m] != ',' {
		return ""
	}
	return r[:m]
}

// definesElixir reports whether line starts a clause of Elixir function
// ident (with or without its name's trailing "?" or "!").
func definesElixir(line, ident string) bool {
	if ident == "" || !strings.Contains(line, ident) {
		return false
	}
	name := elixirDefName(line)
	return name != "" && (name == ident || strings.TrimRight(name, "?!") == ident)
}

// definesLua reports whether line starts the definition of Lua function
// ident: "function M.total(x)", "local function total(x)", "function
// Cart:total()", "M.total = function(x)", "local total = function(x)",
// a table's "total = function(x)".
func definesLua(line, ident string) bool {
	if ident == "" || !strings.Contains(line, ident) {
		return false
	}
	t := strings.TrimSpace(line)
	if r, ok := cutWord(t, "local"); ok {
		t = r
	}
	if r, ok := cutWord(t, "function"); ok {
		end := strings.IndexByte(r, '(')
		return end >= 0 && luaName(strings.TrimSpace(r[:end])) == ident
	}
	lhs, rhs, ok := strings.Cut(t, "=")
	if !ok || strings.HasPrefix(rhs, "=") {
		return false
	}
	rhs = strings.TrimLeft(rhs, " \t")
	if !strings.HasPrefix(rhs, "function") || len(rhs) > 8 && isWordByte(rhs[8]) {
		return false
	}
	return luaName(strings.TrimSpace(lhs)) == ident
}

// luaName is the last part of a Lua function's name ("M.sub.total",
// "Cart:total" -> "total"), or "" when s is no such name.
func luaName(s string) string {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) && s[i] != '.' && s[i] != ':' {
			return ""
		}
	}
	return s[strings.LastIndexAny(s, ".:")+1:]
}

// definesErlang reports whether line starts a clause of Erlang function
// ident: the name, or the name quoted, at the margin followed by its
// arguments ("total([H | T]) ->"). Function clauses start at the margin;
// calls sit indented in bodies, and attributes ("-spec total(...)") start
// with "-".
func definesErlang(line, ident string) bool {
	if ident == "" {
		return false
	}
	r, ok := strings.CutPrefix(line, ident)
	if !ok {
		if r, ok = strings.CutPrefix(line, "'"+ident+"'"); !ok {
			return false
		}
	}
	return strings.HasPrefix(strings.TrimLeft(r, " \t"), "(")
}

// definesPerl reports whether line starts the definition of Perl
// subroutine ident: "sub total {", "sub total", its brace on the next
// line, "sub Cart::total {", "sub total($x) {", "sub total :lvalue {", a
// lexical "my sub total {" and a class's "method total {" (5.38).
func definesPerl(line, ident string) bool {
	if ident == "" || !strings.Contains(line, ident) {
		return false
	}
	t := strings.TrimSpace(line)
	for _, w := range []string{"my", "our", "state"} {
		if r, ok := cutWord(t, w); ok {
			t = r
			break
		}
	}
	r, ok := cutWord(t, "sub")
	if !ok {
		if r, ok = cutWord(t, "method"); !ok {
			return false
		}
	}
	n := 0
	for n < len(r) && (isWordByte(r[n]) || r[n] == '\'' || r[n] == ':' && n+1 < len(r) && r[n+1] == ':') {
		if r[n] == ':' {
			n++
		}
		n++
	}
	name := r[:n]
	if i := strings.LastIndexAny(name, ":'"); i >= 0 {
		name = name[i+1:]
	}
	return name == ident
}

// endScanner reads code line by line, for counting its blocks, in Ruby
// (and Crystal), Elixir, Lua and Perl. It passes each token of a line's
// code to a function: a word (Ruby's and Elixir's with a trailing "?" or
// "!"), `"` for a literal (a string, a regexp, a %w[] list, a sigil, a
// character, a special variable), or one byte of punctuation; with its
// index and whether space separates it from the token before. Comments
// are skipped (#, Lua's --). Strings are read within their line (one
// left open ends with it); what spans lines is skipped whole: a heredoc's
// body (Ruby's and Perl's <<~ID, <<-ID, <<ID, <<"ID"), Ruby's =begin ...
// =end, Perl's POD (=head1 ... =cut), what follows __END__, Elixir's
// triple-quoted strings, Lua's long strings and comments ([[ ]], --[==[
// ]==]). What it does not know (a keyword inside a string's
// interpolation, a string over several lines) the layout corrects
// (endEnd).
type endScanner struct {
	lang     string
	heredocs []string // terminators of the heredocs whose bodies follow the line read
	until    string   // what ends the text being skipped
	prefix   bool     // until starts the line ending it (=end, =cut, """), rather than being all of it (a heredoc's terminator)
	long     bool     // until closes a Lua long bracket, anywhere on a line
	done     bool     // past __END__
}

// line reads one line, calling tok with each token of its code, and
// reports whether it holds code.
func (s *endScanner) line(l string, tok func(k int, t string, gap bool)) (code bool) {
	if s.done {
		return false
	}
	k := 0
	ruby, elixir, lua, perl := s.lang == "ruby", s.lang == "elixir", s.lang == "lua", s.lang == "perl"
	switch {
	case s.until != "" && !s.long:
		if t := strings.TrimSpace(l); t == s.until || s.prefix && strings.HasPrefix(t, s.until) {
			s.until, s.prefix = "", false
			s.nextHeredoc()
		}
		return false
	case s.until != "":
		e := strings.Index(l, s.until)
		if e < 0 {
			return false
		}
		k = e + len(s.until)
		s.until, s.long = "", false
	case (ruby || perl) && l == "__END__" || perl && l == "__DATA__":
		s.done = true
		return false
	case ruby && strings.HasPrefix(l, "=begin"):
		s.until, s.prefix = "=end", true
		return false
	case perl && len(l) > 1 && l[0] == '=' && isLetter(l[1]):
		s.until, s.prefix = "=cut", true
		return false
	}
	gap, last := true, ""
	emit := func(at int, t string) {
		tok(at, t, gap)
		last, gap, code = t, false, true
	}
scan:
	for k < len(l) {
		c := l[k]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			gap = true
			k++
		case isWordByte(c):
			j := k + 1
			for j < len(l) && isWordByte(l[j]) {
				j++
			}
			if (ruby || elixir) && j < len(l) && (l[j] == '?' || l[j] == '!') && (j+1 == len(l) || l[j+1] != '=') {
				j++
			}
			if perl && (gap || last == "" || !strings.Contains("$@%&*->", last)) { // not $s, -s $file, ->y
				if e := perlQuoteLike(l, k, j); e > 0 {
					emit(k, `"`)
					k = e
					continue
				}
			}
			emit(k, l[k:j])
			k = j
		case (ruby || perl) && c == '$' && k+1 < len(l) && !isWordByte(l[k+1]) && l[k+1] != '{' && l[k+1] != '$':
			emit(k, `"`) // a special variable: $', $", $/, Perl's $#array
			k += 2
		case (ruby || elixir || perl) && c == '#':
			break scan
		case perl && c == '\\':
			k += 2
		case lua && c == '-' && k+1 < len(l) && l[k+1] == '-':
			if end, n := luaLong(l[k+2:]); n > 0 {
				if e := strings.Index(l[k+2+n:], end); e >= 0 {
					k += 2 + n + e + len(end)
					continue
				}
				s.until, s.long = end, true
			}
			break scan
		case lua && c == '[':
			end, n := luaLong(l[k:])
			if n == 0 {
				emit(k, "[")
				k++
				continue
			}
			emit(k, `"`)
			e := strings.Index(l[k+n:], end)
			if e < 0 {
				s.until, s.long = end, true
				break scan
			}
			k += n + e + len(end)
		case elixir && (strings.HasPrefix(l[k:], `"""`) || strings.HasPrefix(l[k:], `'''`)):
			emit(k, `"`)
			s.until, s.prefix = l[k:k+3], true
			break scan
		case c == '"' || c == '\'' || c == '`' && (ruby || perl):
			emit(k, `"`)
			k = skipQuoted(l, k+1, c)
		case elixir && c == '~' && k+1 < len(l) && isLetter(l[k+1]):
			j := k + 1
			for j < len(l) && isLetter(l[j]) {
				j++
			}
			switch {
			case strings.HasPrefix(l[j:], `"""`) || strings.HasPrefix(l[j:], `'''`):
				emit(k, `"`)
				s.until, s.prefix = l[j:j+3], true
				break scan
			case j < len(l) && strings.IndexByte(`/|"'([{<`, l[j]) >= 0:
				emit(k, `"`)
				k = skipDelimited(l, j)
			default:
				emit(k, "~")
				k++
			}
		case elixir && c == '?' && k+1 < len(l):
			emit(k, `"`) // a character: ?a, ?#, ?\n
			k += 2
			if l[k-1] == '\\' {
				k++
			}
		case ruby && c == '?' && k+1 < len(l) && l[k+1] != ' ' && l[k+1] != '\t' && (k+2 == len(l) || !isWordByte(l[k+2])) && !isValue(last):
			emit(k, `"`) // a character: ?a, ?#
			k += 2
		case ruby && c == '%' && k+1 < len(l) && rubyPercent(l, k, last, gap) > 0:
			e := rubyPercent(l, k, last, gap)
			emit(k, `"`)
			k = e
		case (ruby || perl) && c == '/' && regexStart(l, k, last, gap):
			emit(k, `"`)
			k = skipQuoted(l, k+1, '/')
		case (ruby || perl) && c == '<' && k+1 < len(l) && l[k+1] == '<':
			if id, e := heredocStart(l, k+2, ruby); e > 0 {
				s.heredocs = append(s.heredocs, id)
				emit(k, `"`)
				k = e
				continue
			}
			emit(k, "<")
			k++
		default:
			emit(k, l[k:k+1])
			k++
		}
	}
	if s.until == "" {
		s.nextHeredoc()
	}
	return code
}

// nextHeredoc makes the next heredoc waiting the text being skipped.
func (s *endScanner) nextHeredoc() {
	if len(s.heredocs) > 0 {
		s.until, s.prefix = s.heredocs[0], false
		s.heredocs = s.heredocs[1:]
	}
}

// isValue reports whether a token ends a value, after which a Ruby "if"
// is a modifier and a "/" divides: a word, a literal, a closing bracket.
func isValue(t string) bool {
	return t != "" && (isWordByte(t[0]) || t == `"` || t == ")" || t == "]" || t == "}")
}

// skipQuoted returns the index after the quote q closing what starts at
// l[k] (backslashes escape), or len(l) when the line does not close it.
func skipQuoted(l string, k int, q byte) int {
	for k < len(l) {
		switch l[k] {
		case '\\':
			k++
		case q:
			return k + 1
		}
		k++
	}
	return len(l)
}

// skipDelimited returns the index after the delimiter closing the one at
// l[j]: the matching bracket, nested ones counted, or the same byte.
func skipDelimited(l string, j int) int {
	open := l[j]
	i := strings.IndexByte("([{<", open)
	if i < 0 {
		return skipQuoted(l, j+1, open)
	}
	closing := ")]}>"[i]
	depth := 0
	for k := j; k < len(l); k++ {
		switch l[k] {
		case '\\':
			k++
		case open:
			depth++
		case closing:
			if depth--; depth == 0 {
				return k + 1
			}
		}
	}
	return len(l)
}

// rubyPercent returns the index after a Ruby percent literal starting at
// l[k] ("%w[a b]", "%i(x)", "%q{...}", "%r{...}", "%(...)"), or 0 when the
// "%" is the operator: a bare one ("%(") only in an operand's place,
// after no value; one with a letter unless it follows a value closely
// ("x%w").
func rubyPercent(l string, k int, last string, gap bool) int {
	j := k + 1
	if strings.IndexByte("qQwWiIrsx", l[j]) >= 0 && j+1 < len(l) && !isWordByte(l[j+1]) && l[j+1] != ' ' && l[j+1] != '\t' && l[j+1] != '=' {
		if isValue(last) && !gap {
			return 0
		}
		return skipDelimited(l, j+1)
	}
	if isValue(last) || strings.IndexByte("([{<|!/^", l[j]) < 0 {
		return 0
	}
	return skipDelimited(l, j)
}

// operandWords are the words after which a "/" starts a regexp.
var operandWords = map[string]bool{
	"if": true, "unless": true, "elsif": true, "while": true, "until": true, "when": true, "and": true,
	"or": true, "not": true, "return": true, "split": true, "grep": true,
}

// regexStart reports whether the "/" at l[k] starts a regexp in Ruby or
// Perl: at the start of the code, after an operator, a bracket opening or
// a comma, after a keyword, or after a name and a space when no space
// follows ("split /,/"); a "/" after a value is a division.
func regexStart(l string, k int, last string, gap bool) bool {
	switch {
	case last == "" || operandWords[last]:
		return true
	case !isValue(last):
		return true
	case !isWordByte(last[0]) || last[0] >= '0' && last[0] <= '9':
		return false
	}
	return gap && k+1 < len(l) && l[k+1] != ' ' && l[k+1] != '\t' && l[k+1] != '='
}

// heredocStart reads a heredoc's start after "<<" at l[j]: "~ID", "-ID"
// (Ruby's), "ID" (capitalized, not "class << self" or "x << y"), and
// those with the ID quoted. It returns the ID and the index after it, 0
// when there is none.
func heredocStart(l string, j int, ruby bool) (string, int) {
	squiggly := false
	if j < len(l) && (l[j] == '~' || ruby && l[j] == '-') {
		j++
		squiggly = true
	}
	if j < len(l) && (l[j] == '"' || l[j] == '\'' || l[j] == '`') {
		e := strings.IndexByte(l[j+1:], l[j])
		if e <= 0 {
			return "", 0
		}
		return l[j+1 : j+1+e], j + 2 + e
	}
	n := j
	for n < len(l) && isWordByte(l[n]) {
		n++
	}
	if n == j || !squiggly && !(l[j] >= 'A' && l[j] <= 'Z' || l[j] == '_') {
		return "", 0
	}
	return l[j:n], n
}

// luaLong reads the opening of a Lua long bracket that s starts with
// ("[[", "[==["): its closing ("]]", "]==]") and its length, 0 when s
// starts none.
func luaLong(s string) (string, int) {
	if s == "" || s[0] != '[' {
		return "", 0
	}
	n := 1
	for n < len(s) && s[n] == '=' {
		n++
	}
	if n == len(s) || s[n] != '[' {
		return "", 0
	}
	return "]" + strings.Repeat("=", n-1) + "]", n + 1
}

// perlQuoteLike returns the index after a Perl quote-like operator whose
// word is l[k:j] (q, qq, qw, qr, m, s, tr, y) and whose delimiters follow
// ("s{a}{b}", "qw(a b)", "m/x/", "tr/a-z/A-Z/"), or 0 when the word is no
// such operator (a hash's key "{s}", "y => 1").
func perlQuoteLike(l string, k, j int) int {
	parts := 0
	switch l[k:j] {
	case "q", "qq", "qw", "qr", "m":
		parts = 1
	case "s", "tr", "y":
		parts = 2
	default:
		return 0
	}
	p := j
	for p < len(l) && (l[p] == ' ' || l[p] == '\t') {
		p++
	}
	if p == len(l) || isWordByte(l[p]) || strings.IndexByte(" \t=,;)]}>", l[p]) >= 0 || p > j && l[p] == '#' {
		return 0
	}
	e := skipDelimited(l, p)
	if parts == 2 {
		if strings.IndexByte("([{<", l[p]) < 0 {
			return skipQuoted(l, e, l[p])
		}
		for e < len(l) && (l[e] == ' ' || l[e] == '\t') {
			e++
		}
		if e < len(l) {
			e = skipDelimited(l, e)
		}
	}
	return e
}

// endCounter counts the blocks that the words of a Ruby, Elixir or Lua
// definition open and close, fed endScanner's tokens line by line:
//
//   - Ruby: def (not an endless one), class, module, begin, case, for
//     and do open a block; if, unless, while and until do where a
//     statement starts (at the start of the line, after an operator, a
//     bracket, a comma, "then", "else", "do"...), not as a modifier after
//     a value ("return if x", "x += 1 while y"); a while's, until's or
//     for's "do" on its line opens nothing more. Braces are counted
//     apart, for a define_method's body in braces.
//   - Elixir: do (not the keyword "do:") and fn open; a one-line "def
//     total(x), do: x * 2" opens nothing.
//   - Lua: function, do, if and repeat open; end and until close (a
//     while's or for's block opens with its do, an if's with its if, not
//     its then, which elseif repeats).
//
// end closes, in all three. A word after "." (a method called: x.end),
// or right after ":" (a symbol), "@" or "$", or before ":" (a hash's key:
// "if: :valid?", Elixir's "do:") is no keyword.
type endCounter struct {
	lang    string
	l       string // the line being read
	depth   int    // blocks open
	braces  int    // Ruby: braces open
	opened  bool   // a block opened
	braced  bool   // Ruby: a brace opened
	loop    bool   // Ruby: the line's while, until or for, whose do opens nothing
	prev    string // the token before
	lastTok string // the line's last token
}

// startLine starts reading line l.
func (bc *endCounter) startLine(l string) { bc.l, bc.prev, bc.loop, bc.lastTok = l, "", false, "" }

// tok takes one token of the line's code (endScanner.line's).
func (bc *endCounter) tok(k int, t string, gap bool) {
	prev := bc.prev
	bc.prev, bc.lastTok = t, t
	if !isWordByte(t[0]) {
		if bc.lang == "ruby" {
			switch t {
			case "{":
				bc.braces++
				bc.braced = true
			case "}":
				if bc.braces--; !bc.braced && bc.braces < 0 {
					bc.braces = 0
				}
			}
		}
		return
	}
	after := k + len(t)
	if prev == "." || !gap && (prev == ":" || prev == "@" || prev == "$") ||
		after < len(bc.l) && bc.l[after] == ':' && (after+1 == len(bc.l) || bc.l[after+1] != ':') {
		return
	}
	d := 0
	switch bc.lang {
	case "ruby":
		if prev == "def" {
			return // a method named after a keyword
		}
		switch t {
		case "def":
			if _, endless, _ := rubyDefName(strings.TrimLeft(bc.l[after:], " \t")); !endless {
				d = 1
			}
		case "class", "module", "begin", "case":
			d = 1
		case "for":
			d, bc.loop = 1, true
		case "if", "unless", "while", "until":
			if rubyStatement(prev) {
				d = 1
				bc.loop = t == "while" || t == "until"
			}
		case "do":
			if bc.loop {
				bc.loop = false
			} else {
				d = 1
			}
		case "end":
			d = -1
		}
	case "elixir":
		switch t {
		case "do", "fn":
			d = 1
		case "end":
			d = -1
		}
	case "lua":
		switch t {
		case "function", "do", "if", "repeat":
			d = 1
		case "end", "until":
			d = -1
		}
	}
	bc.depth += d
	switch {
	case bc.depth > 0:
		bc.opened = true
	case !bc.opened && bc.depth < 0:
		bc.depth = 0 // an end before the definition, on its line
	}
}

// rubyStatement reports whether a Ruby if, unless, while or until after
// token prev starts a statement (or an expression: "x = if y") rather than
// modifying one ("return if x", "x += 1 while y", "foo(x) if y").
func rubyStatement(prev string) bool {
	switch prev {
	case "then", "else", "do", "begin", "and", "or", "not", "ensure":
		return true
	}
	return !isValue(prev)
}

// bodyClause reports whether a line (trimmed) at a definition's
// indentation goes on with its body rather than leaving it: Ruby's
// rescue, else and ensure of a def, Elixir's rescue, catch, after and
// else of a def, a closing bracket.
func bodyClause(t string) bool {
	for _, w := range []string{"rescue", "ensure", "else", "catch", "after"} {
		if startsWord(t, w) {
			return true
		}
	}
	return t != "" && strings.IndexByte(")]}", t[0]) >= 0
}

// endEnd returns the index of the line that ends the body of the
// definition at lines[i], indented ind, in Ruby, Elixir or Lua, or -1
// when no body follows. Two rules find it:
//
//   - counting: from the definition's line, the blocks its code opens and
//     closes (endCounter), until all are closed;
//   - the layout: the end at the definition's indentation, before the
//     first line of code that leaves the definition (one indented less, or
//     as much but no end, no clause of the body such as rescue, no
//     closing bracket).
//
// Counting answers when the line it ends at is such an end of the layout
// (the usual case, and nested code that is not indented) or when the
// body opens and closes on the definition's line ("def total; 0; end",
// "function M.f() return 1 end"); else the layout answers, with the last
// end at the definition's indentation before the code leaves it (what the
// counter misread, a keyword in a string's interpolation, a string over
// several lines, ends the count early or late, and code laid out as the
// languages' formatters do puts the end there); else, when the layout
// finds none (code laid out otherwise), counting does.
//
// An Elixir definition's head may go on over more indented lines (a
// guard, "do:" on the next line); when code at its indentation or less
// follows before a block opens, the definition has no block: a keyword
// body ("def total(x), do: x * 2") or a head of default arguments, which
// ends with its last line. A Ruby define_method's body in braces ends
// with its closing brace.
func endEnd(lines []string, i, last, ind int, lang string) int {
	s := endScanner{lang: lang}
	bc := endCounter{lang: lang}
	head, opened, count, layout := i, -1, -1, -1
	left, braces := false, false
	for j := i; j <= last; j++ {
		l := lines[j]
		bc.startLine(l)
		wasOpen := bc.opened || braces
		code := s.line(l, bc.tok)
		if !wasOpen {
			if j > i && code && indentOf(l) <= ind {
				return head
			}
			if code {
				head = j
			}
			switch {
			case bc.opened:
			case lang == "ruby" && j == i && bc.braced:
				braces = true // define_method(:total) { |x| ... }
				if bc.braces <= 0 {
					return j
				}
				continue
			case lang == "elixir":
				continue
			default:
				return -1
			}
			opened = j
		}
		if braces {
			if bc.braces <= 0 {
				return j
			}
			continue
		}
		if count < 0 && bc.depth <= 0 {
			count = j
			if j == opened {
				return j // a body on one line
			}
		}
		if !code || j == opened || left {
			if left && count >= 0 {
				return count
			}
			continue
		}
		w, t := indentOf(l), strings.TrimSpace(l)
		switch {
		case w == ind && startsWord(t, "end"):
			if count == j {
				return j
			}
			layout = j
		case w > ind || w == ind && bodyClause(t):
		default:
			left = true
			if layout >= 0 {
				return layout
			}
			if count >= 0 {
				return count
			}
		}
	}
	if layout >= 0 {
		return layout
	}
	return count
}

// elixirEnd returns the index of the last line of the Elixir function
// whose definition starts at lines[i], indented ind: of its last clause.
// An Elixir function is all its clauses ("def total([]), do: 0" then "def
// total([h | t]) do ... end"), which must sit together: a line in one of
// them is in the function, and a commit that changed another clause (its
// pattern, which decides which clause runs) changed the function. The
// clauses of one name and different arities are read as one too.
func elixirEnd(lines []string, i, last, ind int) int {
	name := elixirDefName(lines[i])
	end := endEnd(lines, i, last, ind, "elixir")
	for end >= 0 {
		k := end + 1
		for k <= last {
			if t := strings.TrimSpace(lines[k]); t != "" && t[0] != '#' {
				break
			}
			k++
		}
		if k > last || indentOf(lines[k]) != ind || elixirDefName(lines[k]) != name {
			break
		}
		e := endEnd(lines, k, last, ind, "elixir")
		if e < 0 {
			break
		}
		end = e
	}
	return end
}

// continuedEnd returns the index of the last line of a Ruby endless
// method ("def total = items.sum(&:price)"): its line and those its
// expression goes on to: while a block, a parenthesis or a bracket it
// opened is open, after a line ending with an operator, a comma or a
// backslash, before a line starting with a method's call (".map").
func continuedEnd(lines []string, i, last int) int {
	s := endScanner{lang: "ruby"}
	bc := endCounter{lang: "ruby"}
	brackets := 0
	for j := i; j <= last && j <= i+100; j++ {
		bc.startLine(lines[j])
		s.line(lines[j], func(k int, t string, gap bool) {
			bc.tok(k, t, gap)
			switch t {
			case "(", "[":
				brackets++
			case ")", "]":
				brackets--
			}
		})
		if bc.depth > 0 || brackets > 0 || bc.braces > 0 || bc.lastTok != "" && strings.Contains(`\,=+-*/&|.<>?:`, bc.lastTok) {
			continue
		}
		if j < last {
			if t := strings.TrimSpace(lines[j+1]); strings.HasPrefix(t, ".") || strings.HasPrefix(t, "&.") {
				continue
			}
		}
		return j
	}
	return i
}

// erlangEnd returns the index of the line ending the Erlang function
// whose first clause starts at lines[i]: the full stop after its last
// clause (clauses are separated by ";"), or -1.
func erlangEnd(lines []string, i, last int) int {
	for j := i; j <= last; j++ {
		if erlangDot(lines[j]) {
			return j
		}
	}
	return -1
}

// erlangDot reports whether a line of Erlang ends a form: its code,
// outside strings, quoted atoms, characters ($x, $\n) and a comment (%),
// ends with a full stop.
func erlangDot(l string) bool {
	var end byte
	for k := 0; k < len(l); k++ {
		switch c := l[k]; c {
		case '%':
			return end == '.'
		case '"', '\'':
			k = skipQuoted(l, k+1, c) - 1
			end = c
		case '$':
			if k++; k < len(l) && l[k] == '\\' {
				k++
			}
			end = '$'
		case ' ', '\t', '\r':
		default:
			end = c
		}
	}
	return end == '.'
}

// perlEnd returns the index of the line closing the body in braces of the
// Perl subroutine whose definition starts at lines[i] (braces counted in
// code, see endScanner), or -1 when none opens: a declaration ("sub
// total;").
func perlEnd(lines []string, i, last int) int {
	s := endScanner{lang: "perl"}
	depth, open := 0, false
	for j := i; j <= last; j++ {
		closed, semi := false, false
		s.line(lines[j], func(_ int, t string, _ bool) {
			switch {
			case closed:
			case t == "{":
				depth++
				open = true
			case t == "}":
				depth--
				if !open && depth < 0 {
					depth = 0
				}
				closed = open && depth <= 0
			case t == ";" && !open:
				semi = true
			}
		})
		if closed {
			return j
		}
		if !open && (semi || j > i+10) {
			return -1
		}
	}
	return -1
}
