package signal

import (
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
// place it was thrown ("in FILE:LINE"), when given, and its trace.
type phpException struct {
	exception
	file   string
	line   int
	hasLoc bool
	calls  []phpCall
	n      int  // the "#N" lines read
	main   bool // the trace ended at "{main}"
}

// phpSignal is a PHP signal while it is read: its chain in printed order,
// which is the root cause first for PHP's own text and outermost first
// for Monolog's; escaped when its lines are inside a JSON string (Laravel's
// log, whose backslashes are doubled).
type phpSignal struct {
	chain     []phpException
	rootFirst bool
	escaped   bool
	start     int
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
// line; and a fatal error without an exception ("Allowed memory size ...
// in FILE on line N"), whose place is its one frame.
//
// A "#N" line names the function called from its place, not the one the
// place is in: each place takes the function of the line after it (the
// last one "{main}", the script's top level), and the function of "#0"
// is the one the exception was thrown in, at "in FILE:LINE". PHP prints
// an exception's previous ones first, each later one after "Next", so its
// chain is printed root cause first; Monolog's "[previous exception]"
// blocks follow the outer exception.
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
	begin := func(e phpException, i int, rootFirst, escaped bool) {
		flush()
		cur = &phpSignal{chain: []phpException{e}, rootFirst: rootFirst, escaped: escaped, start: i}
	}
	for i := 0; i < len(lines); i++ {
		l := phpLine(lines[i])
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if t[0] == '#' && len(t) > 2 && t[1] >= '0' && t[1] <= '9' {
			ft := t
			if cur != nil && cur.escaped {
				ft = phpUnescape(t)
			}
			if c, n, main, ok := phpFrameLine(ft); ok {
				e := cur.last()
				if e == nil || e.main || n != e.n && e.n > 0 {
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
			flush()
			continue
		case strings.HasPrefix(t, `"}`) && cur != nil && cur.escaped:
			flush() // the end of Laravel's context
			continue
		case strings.HasPrefix(t, "Next "):
			if e, ok := phpHeader(t[len("Next "):]); ok {
				if cur == nil || !cur.rootFirst {
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
				flush()
				continue
			}
		}
		// Any other line ends a trace.
		flush()
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

// frames lists the exception's frames, innermost first: the place it was
// thrown in the function "#0" called, then each "#N" line's place in the
// function of the line after it. Without the place it was thrown (a trace
// alone), the first frame is "#0"'s function without a file, in-app only
// when the place it was called from is; so is it, never in-app, when the
// exception's place is "#0"'s (one of PHP's functions threw it).
func (e *phpException) frames() []Frame {
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
	m := phpExcRE.FindStringSubmatch(s)
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
// [pool www] child 7 said into stderr: "..."" and display_errors' HTML.
func phpLine(l string) string {
	if k := strings.Index(l, `said into stderr: "`); k >= 0 {
		l = strings.TrimSuffix(l[k+len(`said into stderr: "`):], `"`)
	}
	if strings.Contains(l, "<b") {
		l = phpHTML.Replace(l)
	}
	return l
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
// title, time and frames.
func samePHPSignal(a, b Signal) bool {
	if a.Title != b.Title || (a.Timestamp == nil) != (b.Timestamp == nil) || a.Timestamp != nil && !a.Timestamp.Equal(*b.Timestamp) {
		return false
	}
	return slices.Equal(a.Frames, b.Frames)
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
