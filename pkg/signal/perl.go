package signal

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// perlFile is what a Perl place names as its file: a path without spaces,
// string eval's "(eval 12)" (with "[lib/X.pm:40]" after it when Perl was
// told where the eval is), a Mojolicious template ("template
// cart/show.html.ep") or a method Moose or Moo generated ("constructor
// Shop::Cart::new (defined at lib/Shop/Cart.pm line 30)").
const perlFile = `(\((?:re_)?eval \d+\)(?:\[[^\]]*\])?|template \S+|[a-z]+ [\w:]+ \(defined at \S+ line \d+\)|\S+)`

var (
	// perlAtRE: a message and its place, "MSG at FILE line N", as die,
	// warn and Carp end it, with what Perl may add: the last line read
	// from a handle (", <STDIN> line 3", ", <$fh> chunk 2"), a syntax
	// error's `, near "..."` or a period. Devel::StackTrace's first line
	// ("Trace begun at FILE line N") has no period.
	perlAtRE = regexp.MustCompile(`^(.*?)\s*\bat ` + perlFile + ` line (\d+)(, <[^>]*> (?:line|chunk) \d+)?(\.|, near .*|, at (?:end of line|EOF))?$`)
	// perlCalledRE: a line of Carp's stack (confess, cluck, croak under
	// Carp::Always or -MCarp=verbose) or Devel::StackTrace's, "\tShop::Cart::total(
	// Shop::Cart=HASH(0x55d0c8), 3) called at lib/Shop/Checkout.pm line 17":
	// the function called from that place, with its arguments.
	perlCalledRE = regexp.MustCompile(`^\s*(\w+(?:::\w+)*(?:\[[^\]]*\])?(?:\(.*\))?|eval \{\.\.\.\}|eval '.*'|require \S+) called at ` + perlFile + ` line (\d+)"?$`)
	// perlBareFrameRE: Devel::StackTrace's line for a call without
	// arguments, which lacks "called": "main::run at bin/shop line 9",
	// "eval {...} at bin/shop line 9".
	perlBareFrameRE = regexp.MustCompile(`^\s*(\w+(?:::\w+)+(?:\[[^\]]*\])?|eval \{\.\.\.\}|require \S+|eval '.*') at ` + perlFile + ` line (\d+)$`)
	// perlMojoFrameRE: a line of Mojo::Exception's verbose traceback,
	// `  File "lib/Shop/Cart.pm", line 42, in "Shop::Cart::total"`, whose
	// function is, as Carp's, the one called from that place.
	perlMojoFrameRE = regexp.MustCompile(`^\s+File "(.+)", line (\d+), in "(.*)"$`)
	// perlGeneratedRE: a method Moose or Moo generated, as its place names
	// it, and where the class defined it.
	perlGeneratedRE = regexp.MustCompile(`^[a-z]+ ([\w:]+) \(defined at (\S+) line (\d+)\)$`)
)

// perlMaxLine bounds the part of a line the expressions read: a place is
// at a line's end, a long call's arguments are dropped, and a longer line
// is no stack line.
const perlMaxLine = 4096

// perlCall is a place in Perl code and the function that was called from
// it (a stack line's), or, for a message's place, the generated method it
// is in.
type perlCall struct {
	file string
	line int
	fn   string
}

// perlSignal is a Perl message while its stack lines are read.
type perlSignal struct {
	title   string
	at      perlCall
	tail    string // what followed the place: ".", ", near ...", or nothing
	calls   []perlCall
	start   int
	mojo    bool // a Mojolicious traceback follows, its first line the message's place
	context bool // Mojolicious' "Context:" lines follow
	near    int  // lines of a syntax error's quoted code still to skip
}

// parsePerlLines reads Perl's errors: a message ending in its place, "boom
// at lib/Shop/Cart.pm line 42." (die, warn, croak, Perl's own errors, with
// what it adds: ", <STDIN> line 3", a syntax error's near "..."), and the
// stack that Carp (confess, cluck, Carp::Always, -MCarp=verbose) or
// Devel::StackTrace (Moose's and Exception::Class's exceptions, "Trace
// begun at ...") prints after it, Mojo::Exception's verbose traceback, in
// Mojolicious', Catalyst's and Dancer's logs and in TAP's "Failed test".
//
// A stack line "Shop::Cart::total(...) called at lib/Shop/Checkout.pm line
// 17" names the function called from its place, not the one the place is
// in: the message's place is in the function of the first stack line, and
// each stack line's place in the function of the line after it (the last
// one in the script's top level, which has no name). A message alone is a
// signal of one frame, unless it is one of Perl's warnings: a warning is
// one only with a stack (cluck's).
func parsePerlLines(lines []string) []Signal {
	var sigs []Signal
	var cur *perlSignal
	flush := func() {
		if cur == nil {
			return
		}
		if s, ok := cur.signal(lines); ok && len(sigs) < MaxSignals {
			sigs = append(sigs, s)
		}
		cur = nil
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if cur != nil {
			if cur.near > 0 {
				// A syntax error quotes the code near it, over
				// several lines up to its closing quote.
				cur.near--
				if strings.HasSuffix(t, `"`) {
					cur.near = 0
				}
				continue
			}
			if cur.stackLine(l, t) {
				continue
			}
		}
		if !strings.Contains(t, " line ") {
			flush()
			continue
		}
		p, ok := perlHeader(lines, i, t)
		if !ok {
			flush()
			continue
		}
		flush()
		cur = p
	}
	flush()
	return sigs
}

// stackLine reads line l (t trimmed) as a line of p's stack, or as one
// that belongs to p without being a frame; it reports whether it did.
func (p *perlSignal) stackLine(l, t string) bool {
	if len(t) > perlMaxLine {
		t = perlDropArgs(t)
		if len(t) > perlMaxLine {
			return false
		}
	}
	if strings.Contains(t, " called at ") {
		if m := perlCalledRE.FindStringSubmatch(t); m != nil {
			p.add(m[2], m[3], perlFunction(m[1]))
			return true
		}
	}
	if p.mojo && strings.HasPrefix(t, `File "`) {
		if m := perlMojoFrameRE.FindStringSubmatch(l); m != nil {
			p.add(m[1], m[2], m[3])
			return true
		}
	}
	switch {
	case t == "Traceback (most recent call first):" && p.tail == ".":
		p.mojo = true
		return true
	case t == "Context:" && p.tail == "." && len(p.calls) == 0:
		p.context = true
		return true
	case p.context && !p.mojo && perlContextLine(t):
		return true
	case strings.HasPrefix(t, "Compilation failed in require at ") || strings.HasPrefix(t, "BEGIN failed--compilation aborted at "):
		return true // what the error above made of the require or use that loaded its file
	}
	if !strings.Contains(t, " line ") || !strings.Contains(t, " at ") && !strings.HasPrefix(t, "at ") {
		return false
	}
	if !strings.HasSuffix(t, ".") {
		if m := perlBareFrameRE.FindStringSubmatch(t); m != nil {
			p.add(m[2], m[3], perlFunction(m[1]))
			return true
		}
	}
	if strings.HasPrefix(t, "at ") && len(p.calls) == 0 {
		// Carp's place after a message that had its own: confess
		// made $SIG{__DIE__}.
		if m := perlAtRE.FindStringSubmatch(t); m != nil && m[1] == "" {
			return true
		}
	}
	return false
}

// perlDropArgs drops the arguments of a long stack line's call.
func perlDropArgs(t string) string {
	i := strings.IndexByte(t, '(')
	k := strings.LastIndex(t, ") called at ")
	if i > 0 && k > i {
		return t[:i+1] + t[k:]
	}
	return t
}

// add appends a stack line's call of fn from file:line.
func (p *perlSignal) add(file, line, fn string) {
	if len(p.calls) >= MaxFrames {
		return
	}
	c := perlPlace(file, line)
	c.fn = fn
	p.calls = append(p.calls, c)
}

// perlContextLine reports a line of the code Mojolicious quotes around an
// error, "42:   $c->render(...)".
func perlContextLine(t string) bool {
	k := 0
	for k < len(t) && t[k] >= '0' && t[k] <= '9' {
		k++
	}
	return k > 0 && k < len(t) && t[k] == ':'
}

// perlHeader reads line i (t trimmed) as a message and its place.
func perlHeader(lines []string, i int, t string) (*perlSignal, bool) {
	if !strings.Contains(t, " at ") && !strings.HasPrefix(t, "at ") {
		return nil, false
	}
	t = perlUnwrap(t)
	if !perlEndsAtLine(t) {
		return nil, false
	}
	cut := max(len(t)-perlMaxLine, 0) // a long message's place is at its end
	m := perlAtRE.FindStringSubmatch(t[cut:])
	if m == nil {
		return nil, false
	}
	m[1] = t[:cut] + m[1]
	p := &perlSignal{at: perlPlace(m[2], m[3]), tail: m[5], start: i}
	if m[4] != "" && m[5] == "" {
		return nil, false // Perl ends the handle's line with a period
	}
	msg := perlMessage(m[1])
	if msg == "" || msg == "Trace begun" {
		// The message is on the line before (die's own ended in a
		// newline, TAP's "Failed test"), or before a blank line
		// (Exception::Class's and Throwable's message, then their
		// Devel::StackTrace).
		for k := i - 1; k >= 0 && k >= i-2; k-- {
			prev := strings.TrimSpace(lines[k])
			if prev == "" {
				if msg == "" {
					break
				}
				continue
			}
			if pm := perlMessage(prev); pm != "" && !strings.Contains(prev, " line ") {
				msg, p.start = pm, k
			}
			break
		}
	}
	if msg != "" && !perlHasLetter(msg) {
		// The last line of a message of several lines, a caret under
		// DBD::Pg's quoted SQL: the message starts where its lines do.
		for k := i - 1; k >= 0 && k >= i-5; k-- {
			prev := strings.TrimSpace(lines[k])
			if prev == "" || strings.Contains(prev, " line ") {
				break
			}
			if pm := perlMessage(prev); pm != "" {
				msg, p.start = pm, k
			}
		}
	}
	p.title = msg
	if strings.HasPrefix(p.tail, `, near "`) && !strings.HasSuffix(p.tail, `"`) || p.tail == `, near "` {
		p.near = 20
	}
	return p, true
}

// perlEndsAtLine reports, cheaply, a line that may end in a place: a
// line number, then a period, the handle's line, a syntax error's quoted
// code or nothing.
func perlEndsAtLine(t string) bool {
	if k := strings.LastIndex(t, ", near "); k > 0 {
		t = t[:k]
	}
	t = strings.TrimSuffix(t, ".")
	if k := strings.LastIndex(t, ", <"); k > 0 {
		t = t[:k]
	}
	t = strings.TrimSuffix(strings.TrimSuffix(t, ", at EOF"), ", at end of line")
	n := len(t)
	for n > 0 && t[n-1] >= '0' && t[n-1] <= '9' {
		n--
	}
	return n < len(t) && strings.HasSuffix(t[:n], " line ")
}

// perlUnwrap drops what a web framework's log wraps a message in:
// Catalyst's quotes ("Caught exception in Shop::Controller::Cart->view
// "boom at ... line 42.""), Dancer's place of the logging call (" in
// /usr/share/perl5/Dancer2/Core/App.pm l. 1505").
func perlUnwrap(t string) string {
	if strings.HasSuffix(t, `."`) && strings.Contains(t, "Caught exception in ") {
		t = t[:len(t)-1]
	}
	if k := strings.LastIndex(t, ". in "); k > 0 && strings.Contains(t[k:], " l. ") {
		t = t[:k+1]
	}
	return t
}

// perlMessage is a message without what a log puts before it: a time or
// syslog's prefix, TAP's "#", Mojolicious' "[pid] [error] [request]" and
// Dancer's "[app:pid] error @time> ", Catalyst's "Caught exception in ...
// "", and without the list of directories "Can't locate X.pm in @INC"
// adds.
func perlMessage(s string) string {
	if r, ok := stripLogPrefix(s); ok {
		s = r
	}
	s = strings.TrimSpace(strings.TrimLeft(s, "#"))
	for n := 0; n < 6 && strings.HasPrefix(s, "[") && strings.Contains(s, "] "); n++ {
		s = strings.TrimSpace(s[strings.Index(s, "] ")+2:])
	}
	if k := strings.Index(s, "> "); k > 0 && strings.Contains(s[:k], " @") && !strings.Contains(s[:strings.Index(s, " @")], " ") {
		s = s[k+2:]
	}
	if rest, ok := strings.CutPrefix(s, "Caught exception in "); ok {
		if k := strings.Index(rest, ` "`); k > 0 {
			s = rest[k+2:]
		}
	}
	if k := strings.Index(s, " (@INC "); k > 0 && strings.HasSuffix(s, ")") {
		s = s[:k]
	}
	return strings.TrimSpace(s)
}

// perlHasLetter reports whether s holds a letter.
func perlHasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// perlPlace reads a place's file and line; a generated method's place is
// where its class defined it, and the method is its fn.
func perlPlace(file, line string) perlCall {
	c := perlCall{file: file}
	c.line, _ = strconv.Atoi(line)
	if rest, ok := strings.CutPrefix(file, "template "); ok {
		c.file = rest
	} else if strings.HasSuffix(file, ")") && strings.Contains(file, " (defined at ") {
		if m := perlGeneratedRE.FindStringSubmatch(file); m != nil {
			c.file, c.fn = m[2], m[1]
			c.line, _ = strconv.Atoi(m[3])
		}
	}
	return c
}

// perlFunction is the function of a stack line's call without its
// arguments: "Shop::Cart::total", "Shop::Cart::__ANON__[lib/Shop/Cart.pm:40]",
// "eval {...}", "require Shop/Cart.pm"; a string eval's code is left out
// ("eval '...'").
func perlFunction(call string) string {
	call = strings.TrimSpace(call)
	switch {
	case strings.HasPrefix(call, "eval '"):
		return "eval '...'"
	case strings.HasPrefix(call, "require "), strings.HasPrefix(call, "eval {"):
		return call
	}
	depth := 0
	for i := 0; i < len(call); i++ {
		switch call[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case '(':
			if depth == 0 && i > 0 {
				return strings.TrimSpace(call[:i])
			}
		}
	}
	return call
}

// perlPackage is the package of a function, "Shop::Cart" of
// "Shop::Cart::total"; none for an eval or a require.
func perlPackage(fn string) string {
	if strings.ContainsAny(fn, " '") {
		return ""
	}
	if k := strings.IndexByte(fn, '['); k >= 0 {
		fn = fn[:k]
	}
	if k := strings.LastIndex(fn, "::"); k > 0 {
		return fn[:k]
	}
	return ""
}

// signal builds the signal; ok is false for a message without a stack
// that may not be Perl's or is a warning.
func (p *perlSignal) signal(lines []string) (Signal, bool) {
	if len(p.calls) == 0 && (p.tail == "" || perlWarning(p.title) || !perlScript(p.at.file)) {
		return Signal{}, false
	}
	e := exception{msg: p.title, frames: p.frames()}
	s := assemble(FormatPerl, []exception{e}, e)
	s.stamp(lines, p.start)
	return s, true
}

// frames lists the signal's frames, innermost first: the message's place
// in the function of the first stack line, then each stack line's place
// in the function of the next. Mojo::Exception's traceback starts at the
// message's place itself, where the exception's throw (or trace) was
// called: that function, whose place it does not print, comes first.
func (p *perlSignal) frames() []Frame {
	places := append([]perlCall{p.at}, p.calls...)
	gen := p.at.fn // the generated method the message's place is in
	var out []Frame
	if p.mojo && len(p.calls) > 0 && p.calls[0].file == p.at.file && p.calls[0].line == p.at.line {
		places, gen = p.calls, ""
		out = append(out, perlFrame("", 0, p.calls[0].fn))
	}
	for k, c := range places {
		fn := ""
		if k+1 < len(places) {
			fn = places[k+1].fn
		}
		if k == 0 && gen != "" {
			fn = gen
		}
		out = append(out, perlFrame(c.file, c.line, fn))
	}
	return out
}

// perlFrame is the frame of function fn at file:line; one without a file
// is not in-app.
func perlFrame(file string, line int, fn string) Frame {
	f := Frame{File: file, Line: line, Function: fn, Module: perlPackage(fn)}
	f.InApp = file != "" && IsInApp(FormatPerl, f.File, f.Function, f.Module)
	return f
}

// perlScriptExts are the extensions of Perl's files (and Mojolicious'
// templates); a script often has none.
var perlScriptExts = map[string]bool{".pm": true, ".pl": true, ".t": true, ".cgi": true, ".psgi": true, ".fcgi": true,
	".plx": true, ".PL": true, ".al": true, ".ep": true}

// perlScript reports a file that may be Perl's: one of its extensions, a
// script without one, "-e" or a string eval.
func perlScript(file string) bool {
	if strings.HasPrefix(file, "(") {
		return true
	}
	base := file[strings.LastIndexAny(file, `/\`)+1:]
	k := strings.LastIndexByte(base, '.')
	return k <= 0 || perlScriptExts[base[k:]]
}

// perlWarnings start (or, with a leading space, hold) the messages of
// Perl's common warnings, which are no error without a stack.
var perlWarnings = []string{"Use of uninitialized value", "Useless use of ", "Name \"", "Scalar value ",
	"Odd number of elements in ", "Deep recursion on ", "Wide character in ", "Possible ", "Found = in conditional",
	"Statement unlikely to be reached", "Exiting subroutine via ", "Exiting eval via ", "Reference found where even-sized list expected",
	"Unquoted string ", "Misplaced _ in number", "Parentheses missing around ", "\"my\" variable ", "\"our\" variable ",
	"Variable \"", "Smartmatch is experimental", "Prototype mismatch", "Ambiguous ", "Unrecognized escape ",
	"Negative repeat count", "substr outside of string", "splice() offset past end of array", "Hexadecimal number > ",
	"Integer overflow in ", "Unsuccessful stat on filename", "Applying pattern match",
	" isn't numeric", " on closed filehandle", " on unopened filehandle", " is deprecated", " is experimental",
	" redefined", " will not stay shared", " masks earlier declaration"}

// perlWarning reports one of Perl's common warnings.
func perlWarning(msg string) bool {
	for _, w := range perlWarnings {
		if w[0] == ' ' && strings.Contains(msg, w) || strings.HasPrefix(msg, w) {
			return true
		}
	}
	return false
}
