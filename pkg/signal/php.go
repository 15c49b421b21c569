package signal

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

var (
	// phpExcRE: an exception as PHP prints it, "Exception: message in
	// /src/Cart.php:42" (PHP 7 and later; "Exception in FILE:LINE" without
	// a message) or PHP 5's "exception 'Exception' with message 'message'
	// in /src/Cart.php:42" ("exception 'Exception' in ..." without one).
	// The message is greedy: the location follows the last " in ". The
	// class's last part starts in upper case, which tells it from a log
	// line's words.
	phpExcRE = regexp.MustCompile(`(?s)(?:^|\s)(?:exception '([^']+)'(?: with message '(.*)')?|(\\?(?:\w+\\)*[A-Z]\w*)(?:: (.*))?) in (.+):(\d+)$`)
	// phpXdebugExcRE: an exception as Xdebug writes it, its place "in FILE
	// on line N": the line it prints before an exception's "Call Stack:"
	// ("App\Ex: message in /src/Cart.php on line 42"), and the rest of the
	// "Uncaught" error whose text it cuts at the place (Xdebug 3 drops
	// PHP's "Stack trace:" from the error it displays).
	phpXdebugExcRE = regexp.MustCompile(`(?s)^(?:exception '([^']+)'(?: with message '(.*)')?|(\\?(?:\w+\\)*[A-Z]\w*)(?:: (.*))?) in (.+) on line (\d+)$`)
	// phpObjectRE: an exception as Monolog writes it into a log line's
	// context: "[object] (App\Ex(code: 0): message at /src/Cart.php:42)".
	phpObjectRE = regexp.MustCompile(`(?s)\[object\] \((\\?(?:\w+\\)*\w+)\(code: [^)]*\): (.*) at (.+?):(\d+)\)`)
	// phpSymfonyRE: Symfony's log line for an exception nothing caught,
	// "Uncaught PHP Exception App\Ex: "message" at /src/Cart.php line 42".
	phpSymfonyRE = regexp.MustCompile(`Uncaught PHP Exception (\\?(?:\w+\\)*\w+): "(.*?)" at (.+?) line (\d+)`)
	// phpFatalRE: an error PHP stops at without an exception ("Allowed
	// memory size ... exhausted", a parse error), "in FILE on line N".
	phpFatalRE = regexp.MustCompile(`(?:^|\s)(?:PHP )?(Fatal error|Parse error|Recoverable fatal error|Compile error|Core error):\s+(.*) in (.+) on line (\d+)$`)
	// phpFrameRE: a line of getTraceAsString(), "#2 /src/Checkout.php(17):
	// App\Cart->total()", "#0 [internal function]: App\Cart->{closure}()"
	// or code that eval() ran, "#1 /src/x.php(4) : eval()'d code(2): f()"
	// (the eval's own line is the place).
	phpFrameRE = regexp.MustCompile(`^#(\d+) (?:\[internal function\]|(.+?)\((\d+)\)(?: : eval\(\)'d code\(\d+\))?): (.+)$`)
	// phpEvalRE: the place of code eval() ran, "/src/x.php(4) : eval()'d
	// code", as an exception's place names it.
	phpEvalRE = regexp.MustCompile(`^(.+)\((\d+)\) : eval\(\)'d code$`)
	// phpLogTimeRE: the time error_log writes before a message, "[30-Nov-2026
	// 10:15:22 UTC]" (date.timezone's name; php-fpm's own lines have none).
	phpLogTimeRE = regexp.MustCompile(`^\s*\[(\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}) ([A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+-]+)*)\]`)
)

// phpHTML drops the markup of display_errors' HTML ("<b>Fatal error</b>:
// ... on line <b>42</b><br />").
var phpHTML = strings.NewReplacer("<b>", "", "</b>", "", "<br />", "", "<br>", "")

// phpCall is a "#N" line of a PHP trace: the place a call was made from (no
// file for PHP's "[internal function]") and the function it called.
type phpCall struct {
	file     string
	line     int
	internal bool
	fn       string
}

// phpException is one exception of a PHP chain: its type, message and the
// place it was thrown ("in FILE:LINE"), when given, its trace and Xdebug's
// stack of it.
type phpException struct {
	exception
	file   string
	line   int
	hasLoc bool
	calls  []phpCall
	n      int  // the "#N" lines read
	main   bool // the trace ended at "{main}"
	// xdebug is Xdebug's stack, outermost first: each row's function
	// and the place it was called from ("{main}" at line 0 first).
	xdebug []phpCall
}

// phpSignal is a PHP signal while it is read: its chain in printed order,
// which is the root cause first for PHP's own text and outermost first
// for Monolog's; escaped when its lines are inside a JSON string (Laravel's
// log, whose backslashes are doubled). done: its report has ended
// ("thrown in", a fatal error's line) and only Xdebug's stack may follow;
// target is the exception of the chain Xdebug last named, whose stack its
// next one is, -1 for the outermost; nested: Xdebug's "Nested
// Exceptions:" are being read.
type phpSignal struct {
	chain     []phpException
	rootFirst bool
	escaped   bool
	start     int
	done      bool
	target    int
	nested    bool
}

// parsePHPLines reads PHP's stack traces: an uncaught exception as PHP
// reports it ("PHP Fatal error:  Uncaught Exception: msg in FILE:LINE",
// "Stack trace:", "#0 FILE(LINE): App\Cart->total()" lines up to "#N
// {main}", "  thrown in FILE on line N"), with or without error_log's time
// and "PHP " prefix, in display_errors' HTML or php-fpm's "child N said
// into stderr" lines; an exception's own text (its __toString) and its
// getTraceAsString() alone; Monolog's "[object] (Ex(code: 0): msg at
// FILE:LINE)" with "[stacktrace]" (Laravel's log) or several on one line
// after "[previous exception]", and Symfony's "Uncaught PHP Exception"
// line; a fatal error without an exception ("Allowed memory size ... in
// FILE on line N"), whose place is its one frame; and Xdebug's stack after
// an error: "PHP Stack trace:" and "PHP   1. {main}() FILE:0" lines in a
// log, "Call Stack:" and rows after the time and memory displayed (as text,
// in colour or as an HTML table), with Xdebug's "Nested Exceptions:".
//
// A "#N" line names the function called from its place, not the one the
// place is in: each place takes the function of the line after it (the
// last one "{main}", the script's top level), and the function of "#0"
// is the one the exception was thrown in, at "in FILE:LINE". PHP prints
// an exception's previous ones first, each later one after "Next", so its
// chain is printed root cause first; Monolog's "[previous exception]"
// blocks follow the outer exception. Xdebug's stack is read in reverse
// (see xdebugFrames); when an exception has both PHP's trace and Xdebug's
// stack, its frames come from one of them (see frames), never both. The
// stack Xdebug appends to a warning, a notice or a deprecation is no
// signal, as these are none.
func parsePHPLines(lines []string) []Signal {
	var sigs []Signal
	var cur *phpSignal
	flush := func() {
		if cur == nil {
			return
		}
		if s, ok := cur.signal(lines); ok {
			if n := len(sigs); n > 0 && samePHPSignal(sigs[n-1], s) {
				// PHP's CLI both logs and displays an error by
				// default: the same report twice in a row.
			} else {
				sigs = append(sigs, s)
			}
		}
		cur = nil
	}
	quiet := false // the last message was a warning, a notice or a deprecation
	begin := func(e phpException, i int, rootFirst, escaped bool) {
		flush()
		cur = &phpSignal{chain: []phpException{e}, rootFirst: rootFirst, escaped: escaped, start: i, target: -1}
		quiet = false
	}
	// Xdebug's stack being read: its rows go to stack, or nowhere when
	// skipping (a warning's).
	var stack *phpException
	skipping := false
	for i := 0; i < len(lines); i++ {
		if stack != nil || skipping {
			if c, ok := xdebugRow(lines[i]); ok {
				if stack != nil && len(stack.xdebug) < MaxFrames {
					stack.xdebug = append(stack.xdebug, c)
				}
				continue
			}
		}
		l := phpLine(lines[i])
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if stack != nil || skipping {
			if t == "The stack is empty or not available" {
				continue
			}
			stack, skipping = nil, false
		}
		if xdebugStackStart(t) {
			switch {
			case cur != nil:
				stack = cur.xdebugTarget()
			case quiet:
				skipping = true
			default:
				// Xdebug's stack alone.
				begin(phpException{}, i, true, false)
				stack = cur.last()
			}
			continue
		}
		if t[0] == '#' && len(t) > 2 && t[1] >= '0' && t[1] <= '9' {
			ft := t
			if cur != nil && cur.escaped {
				ft = phpUnescape(t)
			}
			if c, n, main, ok := phpFrameLine(ft); ok {
				e := cur.last()
				if e == nil || cur.done || e.main || n != e.n && e.n > 0 {
					// A trace without its exception (getTraceAsString()
					// alone), or a new one after a whole trace.
					begin(phpException{}, i, true, cur != nil && cur.escaped)
					e = cur.last()
				}
				e.n = n + 1 // a trace may be pasted from its middle
				if main {
					e.main = true
				} else if len(e.calls) < MaxFrames {
					e.calls = append(e.calls, c)
				}
				continue
			}
		}
		switch {
		case t == "Stack trace:" || t == "[stacktrace]":
			continue
		case strings.HasPrefix(t, "thrown in ") && cur != nil:
			cur.done = true
			continue
		case strings.HasPrefix(t, `"}`) && cur != nil && cur.escaped:
			flush() // the end of Laravel's context
			continue
		case (t == "Nested Exceptions:" || t == "Nested Exceptions") && cur != nil:
			cur.nested = true
			continue
		case strings.HasPrefix(t, "Next "):
			e, ok := phpHeader(t[len("Next "):])
			if !ok {
				e, ok = phpXdebugHeader(t[len("Next "):])
			}
			if ok {
				if cur == nil || !cur.rootFirst || cur.done {
					begin(e, i, true, false)
				} else {
					cur.chain = append(cur.chain, e)
				}
				continue
			}
		}
		if k := strings.Index(l, "Uncaught "); k >= 0 {
			if m := matchIf(phpSymfonyRE, l, "Uncaught PHP Exception "); m != nil {
				e := phpException{exception: exception{typ: m[1], msg: m[2]}, file: m[3], hasLoc: true}
				e.line, _ = strconv.Atoi(m[4])
				escaped := strings.Contains(t, `"[object] (`)
				begin(e, i, false, escaped)
				if prev := phpObjects(t, escaped); len(prev) > 1 {
					// The exception again, then its previous ones.
					cur.chain = append(cur.chain, prev[1:]...)
				}
				continue
			}
			if e, j, ok := phpUncaught(lines, i, k); ok {
				begin(e, i, true, false)
				i = j
				continue
			}
			if e, ok := phpXdebugHeader(strings.TrimSpace(l[k+len("Uncaught "):])); ok {
				// As Xdebug displays it, without PHP's trace.
				begin(e, i, true, false)
				continue
			}
		}
		if strings.Contains(t, "[object] (") {
			escaped := strings.Contains(t, `"[object] (`)
			prev := strings.HasPrefix(t, "[previous exception] ") && cur != nil && !cur.rootFirst
			if prev {
				escaped = cur.escaped
			}
			if es := phpObjects(t, escaped); len(es) > 0 && (prev || !phpQuiet(t)) {
				if prev {
					cur.chain = append(cur.chain, es...)
				} else {
					begin(es[0], i, false, escaped)
					cur.chain = append(cur.chain, es[1:]...)
				}
				continue
			}
		}
		if i+1 < len(lines) && strings.Contains(lines[i+1], "Stack trace:") && strings.TrimSpace(phpLine(lines[i+1])) == "Stack trace:" {
			// An exception's own text: "Exception: msg in FILE:LINE".
			if e, ok := phpHeader(t); ok {
				begin(e, i, true, false)
				continue
			}
		}
		if strings.Contains(t, "error:") {
			if m := phpFatalRE.FindStringSubmatch(t); m != nil {
				e := phpException{exception: exception{typ: m[1], msg: strings.TrimSpace(m[2])}, file: m[3], hasLoc: true}
				e.line, _ = strconv.Atoi(m[4])
				begin(e, i, true, false)
				cur.done = true
				continue
			}
		}
		if strings.Contains(t, " on line ") {
			// Xdebug's line before an exception's stack: "App\Ex: msg
			// in FILE on line N", of the exception being read (or of
			// one of its previous ones, under "Nested Exceptions:"),
			// else of one of its own (xdebug.show_exception_trace).
			if e, ok := phpXdebugHeader(t); ok {
				if cur != nil && cur.xdebugOf(e) {
					continue
				}
				if xdebugStackNext(lines, i) {
					begin(e, i, true, false)
					continue
				}
			}
		}
		// Any other line ends a trace.
		flush()
		quiet = phpLevelQuiet(t) || quiet && strings.Contains(t, " on line ")
	}
	flush()
	return sigs
}

// last is the exception whose lines are being read, nil when none is.
func (p *phpSignal) last() *phpException {
	if p == nil || len(p.chain) == 0 {
		return nil
	}
	return &p.chain[len(p.chain)-1]
}

// signal builds the signal, root cause first, titled by the outermost
// exception and timed by its first line; ok is false when it has no frame.
func (p *phpSignal) signal(lines []string) (Signal, bool) {
	var ordered []exception
	n := 0
	for k := range p.chain {
		e := p.chain[k]
		if !p.rootFirst {
			e = p.chain[len(p.chain)-1-k]
		}
		x := e.exception
		x.frames = e.frames()
		n += len(x.frames)
		ordered = append(ordered, x)
	}
	if n == 0 {
		return Signal{}, false
	}
	s := assemble(FormatPHP, ordered, ordered[len(ordered)-1])
	s.stamp(lines, p.start)
	if t := phpLogTime(lines[p.start]); t != nil {
		s.Timestamp = t
	}
	return s, true
}

// xdebugTarget is the exception of the chain Xdebug's stack that starts
// now is of: the one Xdebug's line before it named, else the outermost.
func (p *phpSignal) xdebugTarget() *phpException {
	k := p.target
	if k < 0 || k >= len(p.chain) {
		k = 0
		if p.rootFirst {
			k = len(p.chain) - 1
		}
	}
	return &p.chain[k]
}

// phpMaxXdebugChain bounds the exceptions of a chain Xdebug's lines are
// looked for in and added to: far more than a chain has, few enough that
// a text of such lines is read in linear time.
const phpMaxXdebugChain = 64

// xdebugOf reports whether e, an exception as Xdebug names it before its
// stack, is one of the chain being read, and makes it the target of that
// stack: the outermost (Xdebug repeats the error it displays) or, under
// "Nested Exceptions:", one of its previous ones, which Xdebug lists from
// the outermost in; one not in the chain is put before the last named.
func (p *phpSignal) xdebugOf(e phpException) bool {
	for k := len(p.chain) - 1; k >= 0 && k >= len(p.chain)-phpMaxXdebugChain; k-- {
		c := p.chain[k]
		if c.typ == e.typ && c.hasLoc && c.file == e.file && c.line == e.line {
			p.target = k
			return true
		}
	}
	if !p.nested || !p.rootFirst || len(p.chain) >= phpMaxXdebugChain {
		return false
	}
	k := p.target
	if k < 0 || k >= len(p.chain) {
		k = len(p.chain) - 1
	}
	p.chain = slices.Insert(p.chain, k, e)
	p.target = k
	return true
}

// frames lists the exception's frames, innermost first: those of PHP's
// "#N" trace (traceFrames), unless Xdebug's stack has more, or as many
// and PHP's trace does not reach "{main}": it is missing (Xdebug 3
// displays its stack instead) or cut (error_log cut a message at
// log_errors_max_len, 1024 bytes, before PHP 8.1). Both are of the same
// calls, and only one is kept; PHP's comes first as Xdebug's stack in a
// log is the one when PHP reported the error, which for an uncaught
// exception may be shorter than where it was thrown.
func (e *phpException) frames() []Frame {
	p := e.traceFrames()
	if len(e.xdebug) > 0 {
		if x := e.xdebugFrames(); len(x) > len(p) || len(x) == len(p) && !e.main {
			return x
		}
	}
	return p
}

// xdebugFrames lists the frames of Xdebug's stack, innermost first. Its
// rows go from "{main}" in, each naming a function and the place it was
// called from, which is in the function of the row before: a frame pairs
// each row's place with the function of the row before it, and the
// innermost frame is the error's place ("in FILE:LINE", "on line N") in
// the last row's function. A row called from the same place as the row
// before it was called back by that row's function, one of PHP's own
// (array_map): the frame of that function has no place, as in PHP's trace
// ("[internal function]"); nor has the last row's, never in-app, when the
// error's place is where that row was called (one of PHP's functions
// raised the error: trigger_error, PDO->__construct). Without the error's place (a stack
// alone), the first frame is the last row's function without a file.
func (e *phpException) xdebugFrames() []Frame {
	rows := e.xdebug
	last := rows[len(rows)-1]
	var out []Frame
	switch {
	case e.hasLoc && last.line > 0 && last.file == e.file && last.line == e.line:
		out = append(out, phpFrame("", 0, last.fn, true))
	case e.hasLoc:
		out = append(out, phpFrame(e.file, e.line, last.fn, false))
	default:
		f := phpFrame("", 0, last.fn, false)
		f.InApp = f.InApp && IsInApp(FormatPHP, last.file, "", "")
		out = append(out, f)
	}
	for k := len(rows) - 1; k >= 1 && len(out) < MaxFrames; k-- {
		r, caller := rows[k], rows[k-1]
		if r.line > 0 && r.file == caller.file && r.line == caller.line {
			out = append(out, phpFrame("", 0, caller.fn, true))
		} else {
			out = append(out, phpFrame(r.file, r.line, caller.fn, false))
		}
	}
	return out
}

// traceFrames lists the frames of PHP's "#N" trace, innermost first: the
// place the exception was thrown in the function "#0" called, then each
// "#N" line's place in the function of the line after it. Without the
// place it was thrown (a trace alone), the first frame is "#0"'s function
// without a file, in-app only when the place it was called from is; so is
// it, never in-app, when the exception's place is "#0"'s (one of PHP's
// functions threw it).
func (e *phpException) traceFrames() []Frame {
	fnAt := func(k int) string { // the function holding the place of line k (-1: the throw)
		if k+1 < len(e.calls) {
			return e.calls[k+1].fn
		}
		if e.main {
			return "{main}"
		}
		return ""
	}
	var out []Frame
	switch {
	case e.hasLoc && len(e.calls) > 0 && !e.calls[0].internal && e.calls[0].file == e.file && e.calls[0].line == e.line:
		// Thrown by one of PHP's own functions ("PDO->prepare()"),
		// which has no place: the exception's is where it was called,
		// "#0"'s.
		out = append(out, phpFrame("", 0, e.calls[0].fn, true))
	case e.hasLoc:
		out = append(out, phpFrame(e.file, e.line, fnAt(-1), false))
	case len(e.calls) > 0:
		f := phpFrame("", 0, e.calls[0].fn, false)
		c := e.calls[0]
		f.InApp = f.InApp && !c.internal && IsInApp(FormatPHP, c.file, "", "")
		out = append(out, f)
	}
	for k, c := range e.calls {
		if len(out) >= MaxFrames {
			break
		}
		out = append(out, phpFrame(c.file, c.line, fnAt(k), c.internal))
	}
	return out
}

// phpFrame builds a frame of function fn at file:line; its Module is the
// class of a method ("App\Cart" of "App\Cart->total").
func phpFrame(file string, line int, fn string, internal bool) Frame {
	f := Frame{File: file, Line: line, Function: fn}
	if i := strings.Index(fn, "->"); i > 0 && !strings.Contains(fn[:i], "{") {
		f.Module = fn[:i]
	} else if i := strings.Index(fn, "::"); i > 0 && !strings.Contains(fn[:i], "{") {
		f.Module = fn[:i]
	}
	f.InApp = !internal && IsInApp(FormatPHP, file, fn, "")
	return f
}

// phpFrameLine reads a "#N" line: the call, its number, and whether it is
// the trace's "{main}" end.
func phpFrameLine(t string) (c phpCall, n int, main, ok bool) {
	if k := strings.IndexByte(t, ' '); k > 1 && strings.TrimSpace(t[k:]) == "{main}" {
		n, err := strconv.Atoi(t[1:k])
		return phpCall{}, n, true, err == nil
	}
	if !strings.Contains(t, "): ") && !strings.Contains(t, "[internal function]: ") {
		return phpCall{}, 0, false, false
	}
	m := phpFrameRE.FindStringSubmatch(t)
	if m == nil {
		return phpCall{}, 0, false, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return phpCall{}, 0, false, false
	}
	c = phpCall{file: m[2], fn: phpFunction(m[4]), internal: m[2] == ""}
	c.line, _ = strconv.Atoi(m[3])
	return c, n, false, true
}

// phpFunction is the function of a call, "App\Cart->total(Array, 'x')"
// without its arguments; the braces of a closure's name ("{closure}",
// PHP 8.4's "{closure:App\Cart::total():42}") hold no argument list. A
// file's code that include or require ran, "require_once('/src/boot.php')",
// is named as "{main}" is, in braces ("{require_once}"): no function of
// that name holds it.
func phpFunction(call string) string {
	name := strings.TrimSpace(call)
	depth := 0
	for i := 0; i < len(call); i++ {
		switch call[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case '(':
			if depth == 0 {
				name = strings.TrimSpace(call[:i])
				i = len(call)
			}
		}
	}
	switch name {
	case "include", "include_once", "require", "require_once":
		return "{" + name + "}"
	}
	return name
}

// phpHeader reads an exception's line: "Exception: msg in FILE:LINE".
func phpHeader(s string) (phpException, bool) {
	return phpHeaderBy(phpExcRE, s)
}

// phpXdebugHeader reads an exception's line as Xdebug writes it:
// "Exception: msg in FILE on line N". PHP's levels of errors that are no
// exceptions ("Warning: msg in FILE on line N") and Xdebug's own lines
// ("Xdebug: user triggered in ...") are not.
func phpXdebugHeader(s string) (phpException, bool) {
	e, ok := phpHeaderBy(phpXdebugExcRE, s)
	if ok && (phpLevelQuiet(e.typ+":") || e.typ == "Xdebug") {
		return phpException{}, false
	}
	return e, ok
}

// phpHeaderBy reads an exception's line with re, phpExcRE or
// phpXdebugExcRE.
func phpHeaderBy(re *regexp.Regexp, s string) (phpException, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return phpException{}, false
	}
	e := phpException{file: m[5], hasLoc: true}
	e.typ, e.msg = m[1], m[2]
	if e.typ == "" {
		e.typ, e.msg = m[3], m[4]
	}
	e.msg = strings.TrimSpace(e.msg)
	e.line, _ = strconv.Atoi(m[6])
	if m := phpEvalRE.FindStringSubmatch(e.file); m != nil {
		// Thrown in code eval() ran: its place is the eval's.
		e.file = m[1]
		e.line, _ = strconv.Atoi(m[2])
	}
	return e, true
}

// phpUncaught reads the exception of line i, whose "Uncaught " starts at
// k; a message of several lines goes on to the line before "Stack
// trace:". It returns the last line read.
func phpUncaught(lines []string, i, k int) (phpException, int, bool) {
	head := phpLine(lines[i])
	rest := strings.TrimSpace(head[k+len("Uncaught "):])
	if e, ok := phpHeader(rest); ok {
		return e, i, true
	}
	for j := i + 1; j < len(lines) && j <= i+20; j++ {
		if strings.TrimSpace(phpLine(lines[j])) != "Stack trace:" {
			continue
		}
		text := rest
		for _, l := range lines[i+1 : j] {
			text += "\n" + phpLine(l)
		}
		if e, ok := phpHeader(strings.TrimSpace(text)); ok {
			return e, j - 1, true
		}
		break
	}
	return phpException{}, i, false
}

// phpObjects reads Monolog's "[object] (Ex(code: 0): msg at FILE:LINE)"
// in t, its backslashes doubled when escaped, and the previous exceptions
// that follow it on the line ("\n[previous exception] [object] (...)" when
// Monolog keeps no line breaks), outermost first.
func phpObjects(t string, escaped bool) []phpException {
	if escaped {
		t = phpUnescape(t)
	}
	const prev = "[previous exception] "
	var out []phpException
	for t != "" {
		seg := t
		t = ""
		if k := strings.Index(seg, prev+"[object] ("); k >= 0 {
			seg, t = seg[:k], seg[k+len(prev):]
		}
		m := phpObjectRE.FindStringSubmatch(seg)
		if m == nil {
			continue
		}
		e := phpException{exception: exception{typ: m[1], msg: strings.TrimSpace(m[2])}, file: m[3], hasLoc: true}
		e.line, _ = strconv.Atoi(m[4])
		out = append(out, e)
	}
	return out
}

// phpLine is a line without what wraps it: php-fpm's "[date] WARNING:
// [pool www] child 7 said into stderr: "..."", display_errors' HTML,
// Xdebug's HTML table (xdebugHTMLText) and its colours.
func phpLine(l string) string {
	if k := strings.Index(l, `said into stderr: "`); k >= 0 {
		l = strings.TrimSuffix(l[k+len(`said into stderr: "`):], `"`)
	}
	if strings.Contains(l, "<th") || strings.Contains(l, "</th>") || strings.Contains(l, "<table") || strings.Contains(l, "table>") {
		l = xdebugHTMLText(l)
	}
	if strings.Contains(l, "<b") {
		l = phpHTML.Replace(l)
	}
	return stripANSI(l)
}

// phpUnescape undoes the escapes of a JSON string that Monolog keeps
// when it writes line breaks as they are: App\\Cart, \".
func phpUnescape(t string) string {
	if !strings.Contains(t, `\`) {
		return t
	}
	return phpJSONEscapes.Replace(t)
}

var phpJSONEscapes = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\/`, `/`)

// phpLogTime is the time error_log wrote before a message, "[30-Nov-2026
// 10:15:22 UTC]", in the zone named there; nil when the line has none or
// its zone is not known here.
func phpLogTime(l string) *time.Time {
	m := phpLogTimeRE.FindStringSubmatch(l)
	if m == nil {
		return nil
	}
	loc := time.UTC
	if m[2] != "UTC" && m[2] != "GMT" && m[2] != "Z" {
		var err error
		if loc, err = time.LoadLocation(m[2]); err != nil {
			return nil
		}
	}
	t, err := time.ParseInLocation("02-Jan-2006 15:04:05", m[1], loc)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// samePHPSignal reports a signal the same as the one before it: its
// title, time and frames' places. The functions may differ: PHP's trace
// names a closure "{closure}", Xdebug's stack of the same error
// "{closure:/src/x.php:15-32}".
func samePHPSignal(a, b Signal) bool {
	if a.Title != b.Title || (a.Timestamp == nil) != (b.Timestamp == nil) || a.Timestamp != nil && !a.Timestamp.Equal(*b.Timestamp) {
		return false
	}
	return slices.EqualFunc(a.Frames, b.Frames, func(x, y Frame) bool { return x.File == y.File && x.Line == y.Line })
}

// phpQuiet reports a Monolog line whose level is below a warning
// ("php.INFO: User Deprecated: ..."): the exception in its context is no
// failure.
func phpQuiet(t string) bool {
	end := strings.Index(t, "[object] (")
	for _, lvl := range []string{".DEBUG: ", ".INFO: ", ".NOTICE: "} {
		if k := strings.Index(t, lvl); k >= 0 && k < end {
			return true
		}
	}
	return false
}

// phpLevelQuiet reports a PHP message of a level that is no failure
// ("Warning: ...", "PHP Notice:  ...", "Deprecated: ..."): the stack
// Xdebug appends to it is no signal; so is xdebug_print_function_stack()'s
// ("Xdebug: user triggered in ...").
func phpLevelQuiet(t string) bool {
	return strings.Contains(t, "Warning:") || strings.Contains(t, "Notice:") || strings.Contains(t, "Deprecated:") ||
		strings.Contains(t, "Strict Standards:") || strings.HasPrefix(t, "Xdebug: ")
}

// xdebugStackStart reports the line before Xdebug's stack: "PHP Stack
// trace:" in a log (after error_log's time or nginx's "PHP message: "),
// "Call Stack:" displayed, "Call Stack" in its HTML table.
func xdebugStackStart(t string) bool {
	return t == "Call Stack:" || t == "Call Stack" || strings.HasSuffix(t, "PHP Stack trace:")
}

// xdebugStackNext reports whether Xdebug's stack starts on one of the
// few lines after line i, blank lines between.
func xdebugStackNext(lines []string, i int) bool {
	for j := i + 1; j < len(lines) && j <= i+3; j++ {
		if t := strings.TrimSpace(phpLine(lines[j])); t != "" {
			return xdebugStackStart(t)
		}
	}
	return false
}

// xdebugRow reads a row of Xdebug's stack: its function and the place it
// was called from. As text, "PHP   3. App\Cart->total() /src/Kernel.php:55"
// in a log, "    0.0012     402728   3. App\Cart->total() /src/Kernel.php:55"
// displayed (the time and the memory first), the arguments' values in
// the parentheses; in HTML, a row of five cells (number, time, memory,
// function, place), the place's title its whole path.
func xdebugRow(l string) (phpCall, bool) {
	if strings.Contains(l, "<td") {
		return xdebugHTMLRow(l)
	}
	t := strings.TrimSpace(phpLine(l))
	if k := strings.Index(t, `" while `); k >= 0 {
		t = t[:k] // the end of what nginx quotes of php-fpm's output
	}
	if t == "" {
		return phpCall{}, false
	}
	if t[0] >= '0' && t[0] <= '9' {
		// The time and the memory, displayed.
		rest, ok := skipNumber(t, true)
		if ok {
			rest, ok = skipNumber(rest, false)
		}
		if ok {
			if c, ok := xdebugCall(rest); ok {
				return c, true
			}
		}
	}
	// "PHP   3. ", maybe after error_log's time or nginx's "PHP message: "
	// (the first "PHP " or the second).
	for off, try := 0, 0; try < 2; try++ {
		k := strings.Index(t[off:], "PHP ")
		if k < 0 {
			return phpCall{}, false
		}
		off += k + len("PHP ")
		if c, ok := xdebugCall(strings.TrimLeft(t[off:], " ")); ok {
			return c, true
		}
	}
	return phpCall{}, false
}

// xdebugCall reads a row's text after the time and memory: "3.
// App\Cart->total($x = 1) /src/Kernel.php:55". The place follows the
// last ") ", the end of the arguments.
func xdebugCall(t string) (phpCall, bool) {
	j := 0
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == 0 || !strings.HasPrefix(t[j:], ". ") {
		return phpCall{}, false
	}
	rest := t[j+2:]
	k := strings.LastIndex(rest, ") ")
	if k <= 0 {
		return phpCall{}, false
	}
	file, line, ok := xdebugPlace(rest[k+2:])
	if !ok {
		return phpCall{}, false
	}
	return phpCall{file: file, line: line, fn: phpFunction(rest[:k+1])}, true
}

// xdebugPlace reads "FILE:LINE".
func xdebugPlace(s string) (string, int, bool) {
	c := strings.LastIndexByte(s, ':')
	if c <= 0 {
		return "", 0, false
	}
	line, err := strconv.Atoi(s[c+1:])
	if err != nil || line < 0 {
		return "", 0, false
	}
	return s[:c], line, true
}

// skipNumber skips a number ("402728", with frac "0.0012") and the spaces
// after it, of which there must be one.
func skipNumber(s string, frac bool) (string, bool) {
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if frac && j > 0 && j < len(s) && s[j] == '.' {
		j++
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
	}
	if j == 0 || j == len(s) || s[j] != ' ' {
		return "", false
	}
	return strings.TrimLeft(s[j:], " "), true
}

// xdebugHTMLRow reads a row of Xdebug's HTML "Call Stack" table:
// "<tr><td ...>3</td><td ...>0.0012</td><td ...>402728</td><td
// ...>App\Cart->total(  )</td><td title='/src/Kernel.php'
// ...>.../Kernel.php<b>:</b>55</td></tr>", the function maybe a link to
// PHP's manual, the place maybe one to an editor. The cell shows the
// path's end after "..." (xdebug.filename_format), the title all of it.
func xdebugHTMLRow(l string) (phpCall, bool) {
	cells := strings.Split(l, "</td>")
	if len(cells) < 4 {
		return phpCall{}, false
	}
	place, fn := cells[len(cells)-2], cells[len(cells)-3]
	k := strings.LastIndex(place, "<b>:</b>")
	if k < 0 || !strings.Contains(cells[0], "<td") {
		return phpCall{}, false
	}
	if _, err := strconv.Atoi(strings.TrimSpace(htmlText(cells[0]))); err != nil {
		return phpCall{}, false // "Variables in local scope"
	}
	line, err := strconv.Atoi(strings.TrimSpace(htmlText(place[k+len("<b>:</b>"):])))
	if err != nil || line < 0 {
		return phpCall{}, false
	}
	file := ""
	if a := strings.Index(place, "title='"); a >= 0 {
		if b := strings.IndexByte(place[a+len("title='"):], '\''); b >= 0 {
			file = html.UnescapeString(place[a+len("title='") : a+len("title='")+b])
		}
	}
	if file == "" {
		file = strings.TrimPrefix(strings.TrimSpace(htmlText(place[:k])), "...")
	}
	return phpCall{file: file, line: line, fn: phpFunction(strings.TrimSpace(htmlText(fn)))}, true
}

// xdebugHTMLText is the text of a line of Xdebug's HTML table, without
// the "( ! )" its error's rows start with: "Fatal error: Uncaught ... in
// /src/Cart.php on line 42", "Call Stack", "Nested Exceptions"; "" for the
// row that names the stack's columns and for the table's own tags.
func xdebugHTMLText(l string) string {
	if strings.Contains(l, ">#</th>") {
		return ""
	}
	t := strings.TrimSpace(htmlText(l))
	return strings.TrimSpace(strings.TrimPrefix(t, "( ! )"))
}

// htmlText is s without its tags, its entities decoded.
func htmlText(s string) string {
	if !strings.Contains(s, "<") && !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	tag := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			tag = true
		case c == '>' && tag:
			tag = false
		case !tag:
			b.WriteByte(c)
		}
	}
	return html.UnescapeString(b.String())
}
