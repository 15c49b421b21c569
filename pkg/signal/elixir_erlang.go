package signal

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// erlangExcRE: an exception as Erlang's shell prints it ("** exception
	// error: bad argument"), escript ("escript: exception error: ...")
	// and a crash report ("    exception error: ...").
	erlangExcRE = regexp.MustCompile(`^(.*?)exception (error|exit|throw):(?: (.*))?$`)
	// erlangCallRE: a frame of those, "in function  shop_cart:total/1
	// (src/shop_cart.erl, line 42)", "in call from init:start_it/1",
	// "in operator  +/2".
	erlangCallRE = regexp.MustCompile(`^in (?:function|call from|operator)\s+(.+?)(?: \((.+), line (\d+)\))?$`)
	// erlangClauseRE: a function_clause's message, which names the
	// function no clause matched and its head's place: "no function
	// clause matching shop_cart:get(b) (src/shop_cart.erl, line 9)".
	erlangClauseRE = regexp.MustCompile(`^no function clause matching\s+(.+?)(\(.*\)) \((.+), line (\d+)\)$`)
)

// erlangShellException reads an exception as Erlang's shell, escript or a
// crash report prints it at line i: its class and message (which goes
// on over the lines indented under it: a term, a function_clause's
// call), then its "in function", "in call from" and "in operator" lines,
// innermost first. A function_clause's message gives the innermost frame,
// the function no clause matched; an exit's message that holds a stack as
// a term ({{badarith,[...]},{gen_server,call,[...]}}) is the exit's
// cause, whose frames come first. It returns the signal and the last line
// read (the message's, when ok is false).
func erlangShellException(lines []string, i, last int) (Signal, int, bool) {
	m := erlangExcRE.FindStringSubmatch(lines[i])
	if m == nil {
		return Signal{}, i, false
	}
	if before := strings.TrimSpace(m[1]); before != "" && !strings.HasSuffix(before, "**") && !strings.HasSuffix(before, ":") {
		return Signal{}, i, false
	}
	class := m[2]
	parts := []string{strings.TrimSpace(m[3])}
	j := i + 1
	for ; j < len(lines) && j <= i+erlangTermLines; j++ {
		l := lines[j]
		t := strings.TrimSpace(l)
		if t == "" || t == l || erlangCallLine(t) || erlangKeyLine(t) {
			break
		}
		parts = append(parts, t)
	}
	msg := strings.TrimSpace(strings.Join(parts, " "))
	outer := exception{typ: class, msg: msg}
	var cause *exception
	if k := strings.IndexByte(msg, '{'); k >= 0 {
		if reason, frames, ok := erlangStackIn(msg, k); ok {
			typ, rmsg := erlangReason(msg, reason)
			cause = &exception{typ: typ, msg: rmsg, frames: erlangFrames(frames)}
			outer.msg = cause.title()
		}
	}
	if cm := erlangClauseRE.FindStringSubmatch(msg); cm != nil {
		if mod, fun, _, ok := erlangMFA(cm[1] + "/0"); ok {
			arity, ok := elixirArgs(cm[2])
			if !ok {
				arity = -1
			}
			n, _ := strconv.Atoi(cm[4])
			outer.frames = append(outer.frames, erlangFrame(mod, fun, arity, cm[3], n))
		}
	}
	frameIndent := -1
	end := j - 1
	for ; j < len(lines); j++ {
		l := lines[j]
		t := strings.TrimSpace(l)
		ind := len(l) - len(strings.TrimLeft(l, " \t"))
		if t == "" {
			break
		}
		if fm := erlangCallRE.FindStringSubmatch(t); fm != nil && strings.HasPrefix(t, "in ") {
			if mod, fun, arity, ok := erlangMFA(strings.TrimSpace(fm[1])); ok {
				n, _ := strconv.Atoi(fm[3])
				if len(outer.frames) < MaxFrames {
					outer.frames = append(outer.frames, erlangFrame(mod, fun, arity, fm[2], n))
				}
				frameIndent, end = ind, j
				continue
			}
		}
		if frameIndent >= 0 && ind > frameIndent {
			end = j // "called as ...", "*** argument 1: ...", and their lines
			continue
		}
		break
	}
	chain := []exception{outer}
	if cause != nil {
		chain = []exception{*cause, outer}
	}
	if len(outer.frames) == 0 && cause == nil {
		return Signal{}, end, false
	}
	s := assemble(FormatElixir, chain, outer)
	s.stamp(lines, erlangStart(lines, i, last))
	return s, end, true
}

// erlangCallLine reports a frame's line of the shell's form.
func erlangCallLine(t string) bool {
	return strings.HasPrefix(t, "in function ") || strings.HasPrefix(t, "in call from ") || strings.HasPrefix(t, "in operator ")
}

// erlangKeyLine reports a crash report's "key: value" line ("ancestors:
// [<0.87.0>]"), or a shell's prompt, which end an exception's message.
func erlangKeyLine(t string) bool {
	k := 0
	for k < len(t) && (t[k] >= 'a' && t[k] <= 'z' || t[k] == '_' || t[k] == ' ' || t[k] >= '0' && t[k] <= '9') {
		k++
	}
	return k > 0 && k < len(t) && (t[k] == ':' && (k+1 == len(t) || t[k+1] == ' ') || t[k] == '>' && strings.Trim(t[:k], "0123456789") == "")
}

// erlangStart is the line a report whose exception or term is at line i
// begins at: its "=ERROR REPORT==== ... ===" or "=CRASH REPORT" header, a
// log line with a time, or line i.
func erlangStart(lines []string, i, last int) int {
	for k := i; k > last && k >= i-10; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" && k < i {
			break
		}
		if strings.HasPrefix(t, "=") && strings.Contains(t, " REPORT==") || leadingTimestamp(lines[k]) != nil || elixirLogLine(t) {
			return k
		}
	}
	return i
}

// erlangTerms reads the Erlang terms of a text's lines: it knows the
// lines that hold a frame's place ({line,42}), the cheap test before a
// term is read, and keeps the lines being read joined, so that the lines
// of a term printed over many are joined once.
type erlangTerms struct {
	lines      []string
	next       []int  // the first line at or after each line that holds a frame's place; len(lines) for none
	start, end int    // the lines joined in text, up to a blank line, the text's end or the cap
	text       string // those lines, joined
	offs       []int  // where each of them starts in text
}

// Caps of the lines of one term: a stack in an error report or an exit
// value takes tens of lines.
const (
	erlangTermLines = 200
	erlangTermBytes = 256 << 10
)

// near reports a line holding a frame's place at most n lines after
// line i (or at line i).
func (x *erlangTerms) near(i, n int) bool {
	if x.next == nil {
		x.next = make([]int, len(x.lines)+1)
		x.next[len(x.lines)] = len(x.lines)
		for k := len(x.lines) - 1; k >= 0; k-- {
			x.next[k] = x.next[k+1]
			if strings.Contains(x.lines[k], "{line,") {
				x.next[k] = k
			}
		}
	}
	return x.next[i] < len(x.lines) && x.next[i]-i <= n
}

// from returns the joined text that holds line i and the lines after it
// up to a blank line (a term has none), and where line i starts in it.
func (x *erlangTerms) from(i int) (string, int) {
	if i < x.start || i >= x.end || x.end-i < erlangTermLines/2 && x.end < len(x.lines) && strings.TrimSpace(x.lines[x.end]) != "" {
		var b strings.Builder
		x.start, x.offs = i, x.offs[:0]
		k := i
		for ; k < len(x.lines) && k < i+erlangTermLines && b.Len() < erlangTermBytes; k++ {
			if k > i && strings.TrimSpace(x.lines[k]) == "" {
				break
			}
			if k > i {
				b.WriteByte('\n')
			}
			x.offs = append(x.offs, b.Len())
			b.WriteString(x.lines[k])
		}
		x.end, x.text = k, b.String()
	}
	return x.text, x.offs[i-x.start]
}

// erlangTermSignal reads a stack held in an Erlang term that starts on
// line i and may go on over the lines up to the next blank one: an error
// report's "** {badarith,[{shop_cart,total,1,[{file,...},{line,42}]}|...]}",
// a process's exit value, {'EXIT',...}, a boot's {"init terminating in
// do_boot",...}. The stack is the list of {Module,Function,Arity,Location}
// of the outermost {Reason,Stack} in the term; the reason titles the
// signal. It returns the signal and the term's last line; ok is false
// when no term there holds a stack.
func erlangTermSignal(x *erlangTerms, i, last int) (Signal, int, bool) {
	text, off := x.from(i)
	lineEnd := off + len(x.lines[i])
	for tries, from := 0, off; tries < 8 && from < lineEnd; tries++ {
		k := strings.IndexByte(text[from:lineEnd], '{')
		if k < 0 {
			break
		}
		k += from
		r := erlReader{s: text, i: k}
		t, ok := r.term()
		if !ok {
			from = k + 1
			continue
		}
		if reason, frames, ok := erlangFindStack(&t, 0); ok {
			typ, msg := erlangReason(text, reason)
			e := exception{typ: typ, msg: msg, frames: erlangFrames(frames)}
			s := assemble(FormatElixir, []exception{e}, e)
			s.stamp(x.lines, erlangStart(x.lines, i, last))
			return s, i + strings.Count(text[off:r.i], "\n"), true
		}
		from = r.i
	}
	return Signal{}, i, false
}

// erlangStackIn reads the term at s[k:] and finds the stack in it.
func erlangStackIn(s string, k int) (*erlTerm, []erlTerm, bool) {
	r := erlReader{s: s, i: k}
	t, ok := r.term()
	if !ok {
		return nil, nil, false
	}
	reason, frames, ok := erlangFindStack(&t, 0)
	if !ok {
		return nil, nil, false
	}
	return reason, frames, true
}

// erlangFindStack finds the outermost {Reason,Stack} in t, Stack a list
// of frames, searching its elements in order.
func erlangFindStack(t *erlTerm, depth int) (*erlTerm, []erlTerm, bool) {
	if depth > 50 {
		return nil, nil, false
	}
	if t.kind == 't' && len(t.elems) == 2 && erlangIsStack(&t.elems[1]) && !erlangNoError(&t.elems[0]) {
		return &t.elems[0], t.elems[1].elems, true
	}
	switch t.kind {
	case 't', 'l', 'm':
		for k := range t.elems {
			if r, f, ok := erlangFindStack(&t.elems[k], depth+1); ok {
				return r, f, true
			}
		}
	}
	return nil, nil, false
}

// erlangNoError reports a stack's tag that is no error's reason: a
// process's stack that process_info gives ({current_stacktrace,[...]}),
// a function's {ok,...}.
func erlangNoError(t *erlTerm) bool {
	return t.kind == 'a' && (t.text == "ok" || t.text == "current_stacktrace")
}

// erlangIsStack reports a list of frames: {M,F,Arity|Args,Location} (or
// {M,F,Arity|Args} before R15), a printout's "..." at its end.
func erlangIsStack(t *erlTerm) bool {
	if t.kind != 'l' || len(t.elems) == 0 {
		return false
	}
	n := 0
	for k := range t.elems {
		e := &t.elems[k]
		if e.kind == 'o' && e.text == "..." {
			continue
		}
		if !erlangIsFrame(e) {
			return false
		}
		n++
	}
	return n > 0
}

func erlangIsFrame(e *erlTerm) bool {
	if e.kind != 't' || len(e.elems) != 3 && len(e.elems) != 4 {
		return false
	}
	if e.elems[0].kind != 'a' || e.elems[1].kind != 'a' || e.elems[2].kind != 'i' && e.elems[2].kind != 'l' {
		return false
	}
	return len(e.elems) == 3 || e.elems[3].kind == 'l'
}

// erlangFrames turns a stack's terms into frames, innermost first as
// Erlang lists them.
func erlangFrames(terms []erlTerm) []Frame {
	var out []Frame
	for k := range terms {
		e := &terms[k]
		if e.kind != 't' || len(out) >= MaxFrames {
			continue
		}
		arity := len(e.elems[2].elems)
		if e.elems[2].kind == 'i' {
			arity, _ = strconv.Atoi(e.elems[2].text)
		}
		file, line := "", 0
		if len(e.elems) == 4 {
			for _, p := range e.elems[3].elems {
				if p.kind != 't' || len(p.elems) != 2 || p.elems[0].kind != 'a' {
					continue
				}
				switch {
				case p.elems[0].text == "file" && (p.elems[1].kind == 's' || p.elems[1].kind == 'b'):
					file = p.elems[1].text
				case p.elems[0].text == "line" && p.elems[1].kind == 'i':
					line, _ = strconv.Atoi(p.elems[1].text)
					line = max(line, 0)
				}
			}
		}
		out = append(out, erlangFrame(e.elems[0].text, e.elems[1].text, arity, file, line))
	}
	return out
}

// erlangReason titles a stack by its reason, read from s: an atom
// (badarith), a tuple's first atom and the rest ({badmatch,3} is
// "badmatch: 3"), an Elixir exception's struct (its module and message).
func erlangReason(s string, r *erlTerm) (typ, msg string) {
	switch r.kind {
	case 'a':
		return r.text, ""
	case 't':
		if len(r.elems) > 0 && r.elems[0].kind == 'a' {
			if len(r.elems) == 1 {
				return r.elems[0].text, ""
			}
			return r.elems[0].text, erlangCompact(s[r.elems[1].start:r.elems[len(r.elems)-1].end])
		}
	case 'm':
		for k := 0; k+1 < len(r.elems); k += 2 {
			key, v := r.elems[k], r.elems[k+1]
			if key.kind != 'a' {
				continue
			}
			switch key.text {
			case "__struct__":
				if v.kind == 'a' {
					typ = strings.TrimPrefix(v.text, "Elixir.")
				}
			case "message":
				if v.kind == 's' || v.kind == 'b' {
					msg = v.text
				}
			}
		}
		if typ != "" {
			return typ, msg
		}
	}
	return "", erlangCompact(s[r.start:r.end])
}

// erlangCompact is a term's text on one line, without the pretty
// printer's line breaks and indentation, cut to 300 bytes.
func erlangCompact(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimSpace(l))
	}
	out := b.String()
	if len(out) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "..."
	}
	return out
}

// erlangFrame builds a frame of Erlang's function mod:fun/arity (arity -1:
// not known). An Elixir module's ('Elixir.Shop.Cart') is named as Elixir
// names it: Shop.Cart.total/1, and its anonymous functions
// ('-total/1-fun-0-') "anonymous fn/2 in Shop.Cart.total/1".
func erlangFrame(mod, fun string, arity int, file string, line int) Frame {
	fn, module := erlangFunction(mod, fun, arity)
	f := Frame{File: file, Line: line, Function: fn, Module: module}
	f.InApp = IsInApp(FormatElixir, file, fn, module)
	return f
}

// erlangAnonRE: the name Erlang's and Elixir's compilers give an
// anonymous function, after the function holding it: -total/1-fun-0-.
var erlangAnonRE = regexp.MustCompile(`^-(.+)/(\d+)-fun-\d+-$`)

func erlangFunction(mod, fun string, arity int) (fn, module string) {
	a := ""
	if arity >= 0 {
		a = "/" + strconv.Itoa(arity)
	}
	if ex, ok := strings.CutPrefix(mod, "Elixir."); ok {
		if m := erlangAnonRE.FindStringSubmatch(fun); m != nil {
			return "anonymous fn" + a + " in " + ex + "." + elixirName(m[1]) + "/" + m[2], ex
		}
		return ex + "." + elixirName(fun) + a, ex
	}
	return erlangAtom(mod) + ":" + erlangAtom(fun) + a, mod
}

// elixirName is a function's name as Elixir prints it, quoted unless it
// is an identifier.
func elixirName(s string) string {
	if s == "" {
		return `""`
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isIdentByte(c) || (c == '?' || c == '!') && i == len(s)-1) || i == 0 && c >= '0' && c <= '9' {
			return strconv.Quote(s)
		}
	}
	return s
}

// erlangAtom is an atom as Erlang prints it, quoted unless it is a
// lowercase name.
func erlangAtom(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		bare := true
		for i := 0; i < len(s); i++ {
			if !isIdentByte(s[i]) && s[i] != '@' {
				bare = false
				break
			}
		}
		if bare {
			return s
		}
	}
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

// erlangMFA reads a function as Erlang prints it: "shop_cart:total/1",
// "shop_cart:'-total/1-fun-0-'/2", "'Elixir.Shop.Cart':total/1", a BIF
// without its module ("binary_to_integer/1", "+/2": erlang's).
func erlangMFA(s string) (mod, fun string, arity int, ok bool) {
	k := strings.LastIndexByte(s, '/')
	if k <= 0 || k == len(s)-1 {
		return "", "", 0, false
	}
	arity, err := strconv.Atoi(s[k+1:])
	if err != nil || arity < 0 {
		return "", "", 0, false
	}
	head := s[:k]
	mod = "erlang"
	if a, n, ok := erlangAtomAt(head); ok && n < len(head) && head[n] == ':' {
		mod, head = a, head[n+1:]
	}
	fun = head
	if a, n, ok := erlangAtomAt(head); ok && n == len(head) {
		fun = a
	}
	if fun == "" || strings.ContainsAny(fun, " \t") && !strings.HasPrefix(head, "'") {
		return "", "", 0, false
	}
	return mod, fun, arity, true
}

// erlangAtomAt reads the atom s starts with, quoted or not; n is its
// printed length.
func erlangAtomAt(s string) (atom string, n int, ok bool) {
	if strings.HasPrefix(s, "'") {
		e := quotedEnd(s)
		if e < 0 {
			return "", 0, false
		}
		return erlangUnescape(s[1:e]), e + 1, true
	}
	for n < len(s) && (isIdentByte(s[n]) || s[n] == '@') {
		n++
	}
	return s[:n], n, n > 0
}

// erlangUnescape undoes a quoted atom's or a string's backslashes.
func erlangUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// erlTerm is an Erlang term as printed: kind 'a' an atom, 'i' an
// integer, 's' a string, 'b' a binary, 't' a tuple, 'l' a list, 'm' a
// map (keys and values in turn), 'o' anything else (a float, a pid, a
// fun, "..."); text is an atom's name, an integer's digits, a string's or
// a binary's text; start and end its place in the text read.
type erlTerm struct {
	kind       byte
	text       string
	elems      []erlTerm
	start, end int
}

// erlReader reads terms from s, from i.
type erlReader struct {
	s     string
	i     int
	depth int
	n     int
}

// erlMaxTerms bounds the terms one read makes.
const erlMaxTerms = 200000

func (r *erlReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// term reads one term; ok is false when s holds none there.
func (r *erlReader) term() (erlTerm, bool) {
	r.space()
	if r.i >= len(r.s) || r.depth > 200 || r.n > erlMaxTerms {
		return erlTerm{}, false
	}
	r.n++
	start := r.i
	c := r.s[r.i]
	t := erlTerm{start: start}
	var ok bool
	switch {
	case c == '{':
		r.i++
		t.kind = 't'
		t.elems, ok = r.seq('}', false)
	case c == '[':
		r.i++
		t.kind = 'l'
		t.elems, ok = r.seq(']', true)
	case c == '#' && strings.HasPrefix(r.s[r.i:], "#{"):
		r.i += 2
		t.kind = 'm'
		t.elems, ok = r.mapPairs()
	case c == '#' || c == '<' && r.i+1 < len(r.s) && r.s[r.i+1] >= '0' && r.s[r.i+1] <= '9':
		// #Fun<erl_eval.6.1>, #Ref<0.1.2.3>, #Port<0.5>, <0.89.0>
		e := strings.IndexByte(r.s[r.i:], '>')
		nl := strings.IndexByte(r.s[r.i:], '\n')
		if e < 0 || nl >= 0 && nl < e {
			return erlTerm{}, false
		}
		r.i += e + 1
		t.kind, ok = 'o', true
	case c == '<' && strings.HasPrefix(r.s[r.i:], "<<"):
		t.kind = 'b'
		t.text, ok = r.binary()
	case c == '"':
		t.kind = 's'
		t.text, ok = r.quoted()
	case c == '\'':
		t.kind = 'a'
		t.text, ok = r.quoted()
	case c == '.' && strings.HasPrefix(r.s[r.i:], "..."):
		r.i += 3
		t.kind, t.text, ok = 'o', "...", true
	case c == '$' && r.i+1 < len(r.s):
		r.i += 2
		if r.s[r.i-1] == '\\' && r.i < len(r.s) {
			r.i++
		}
		t.kind, ok = 'o', true
	case c >= '0' && c <= '9' || c == '-' && r.i+1 < len(r.s) && r.s[r.i+1] >= '0' && r.s[r.i+1] <= '9':
		t.kind, t.text, ok = r.number()
	case c >= 'a' && c <= 'z':
		for r.i < len(r.s) && (isIdentByte(r.s[r.i]) || r.s[r.i] == '@') {
			r.i++
		}
		t.kind, t.text, ok = 'a', r.s[start:r.i], true
	}
	if !ok {
		return erlTerm{}, false
	}
	t.end = r.i
	return t, true
}

// seq reads a tuple's or list's elements up to close; a list's tail
// ("|...", "|T") is read and dropped, but for "...".
func (r *erlReader) seq(close byte, list bool) ([]erlTerm, bool) {
	r.depth++
	defer func() { r.depth-- }()
	var out []erlTerm
	r.space()
	if r.i < len(r.s) && r.s[r.i] == close {
		r.i++
		return out, true
	}
	for {
		e, ok := r.term()
		if !ok {
			return nil, false
		}
		out = append(out, e)
		r.space()
		if r.i >= len(r.s) {
			return nil, false
		}
		switch c := r.s[r.i]; {
		case c == ',':
			r.i++
		case c == '|' && list:
			r.i++
			tail, ok := r.term()
			if !ok {
				return nil, false
			}
			if tail.kind == 'o' && tail.text == "..." {
				out = append(out, tail)
			}
			r.space()
			if r.i >= len(r.s) || r.s[r.i] != close {
				return nil, false
			}
			r.i++
			return out, true
		case c == close:
			r.i++
			return out, true
		default:
			return nil, false
		}
	}
}

// mapPairs reads a map's "K => V" pairs up to its "}".
func (r *erlReader) mapPairs() ([]erlTerm, bool) {
	r.depth++
	defer func() { r.depth-- }()
	var out []erlTerm
	r.space()
	if r.i < len(r.s) && r.s[r.i] == '}' {
		r.i++
		return out, true
	}
	for {
		k, ok := r.term()
		if !ok {
			return nil, false
		}
		r.space()
		if strings.HasPrefix(r.s[r.i:], "=>") || strings.HasPrefix(r.s[r.i:], ":=") {
			r.i += 2
		} else if !(k.kind == 'o' && k.text == "...") {
			return nil, false
		}
		if k.kind == 'o' && k.text == "..." {
			out = append(out, k, k)
		} else {
			v, ok := r.term()
			if !ok {
				return nil, false
			}
			out = append(out, k, v)
		}
		r.space()
		if r.i >= len(r.s) {
			return nil, false
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return out, true
		default:
			return nil, false
		}
	}
}

// quoted reads a string or a quoted atom, without its quotes.
func (r *erlReader) quoted() (string, bool) {
	e := quotedEnd(r.s[r.i:])
	if e < 0 {
		return "", false
	}
	text := erlangUnescape(r.s[r.i+1 : r.i+e])
	r.i += e + 1
	return text, true
}

// binary reads <<...>>; its text is that of a binary of one string
// (<<"boom">>, <<"boom"/utf8>>).
func (r *erlReader) binary() (string, bool) {
	r.i += 2
	start := r.i
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case '"':
			e := quotedEnd(r.s[r.i:])
			if e < 0 {
				return "", false
			}
			r.i += e + 1
		case '>':
			if strings.HasPrefix(r.s[r.i:], ">>") {
				body := strings.TrimSuffix(strings.TrimSpace(r.s[start:r.i]), "/utf8")
				r.i += 2
				if len(body) >= 2 && body[0] == '"' && quotedEnd(body) == len(body)-1 {
					return erlangUnescape(body[1 : len(body)-1]), true
				}
				return "", true
			}
			r.i++
		default:
			r.i++
		}
	}
	return "", false
}

// number reads an integer ("42", "-1", "16#FF") or a float ('o').
func (r *erlReader) number() (byte, string, bool) {
	start := r.i
	if r.s[r.i] == '-' {
		r.i++
	}
	digits := func() {
		for r.i < len(r.s) && (r.s[r.i] >= '0' && r.s[r.i] <= '9' || r.s[r.i] == '_') {
			r.i++
		}
	}
	digits()
	kind := byte('i')
	if r.i < len(r.s) && r.s[r.i] == '#' {
		r.i++
		for r.i < len(r.s) && isIdentByte(r.s[r.i]) {
			r.i++
		}
		kind = 'o'
	} else if r.i+1 < len(r.s) && r.s[r.i] == '.' && r.s[r.i+1] >= '0' && r.s[r.i+1] <= '9' {
		r.i++
		digits()
		if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
			r.i++
			if r.i < len(r.s) && (r.s[r.i] == '-' || r.s[r.i] == '+') {
				r.i++
			}
			digits()
		}
		kind = 'o'
	}
	return kind, r.s[start:r.i], true
}
