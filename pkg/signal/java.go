package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	javaHeaderRE = regexp.MustCompile(`^((?:[a-zA-Z_$][\w$]*\.)+[A-Za-z_$][\w$]*|[A-Z][\w$]*(?:Exception|Error|Throwable))(?::(?: (.*))?)?$`)
	// javaFrameRE: "at pkg.Class.m(File.java:12)"; Google Play Console
	// writes "at pkg.Class.m (File.java:12)" and "at pkg.Class.m" for a
	// frame without a location.
	javaFrameRE = regexp.MustCompile(`^\s*at ([^\s(]+)(?: ?\(([^)]*)\)|\s*$)`)
	javaLocRE   = regexp.MustCompile(`^([\w$.-]+)(?::(\d+))?$`)
	javaQualRE  = regexp.MustCompile(`^[A-Za-z_$][\w$]*(?:\.[\w$<>]+)+$`)
	javaMoreRE  = regexp.MustCompile(`^\s*\.\.\. \d+ (?:more|common frames omitted)\s*$`)
)

// parseJavaLines reads JVM stack traces (Java, Kotlin, Scala). The main
// chain is the first exception and its unindented "Caused by:" exceptions;
// the last cause is the root and comes first, then each wrapper out to the
// first. Frames elided as "... N more" are the enclosing exception's, which
// follow anyway, so they are not re-created. Indented "Suppressed:"
// exceptions (and their own causes) come after the main chain. A new
// unindented exception line after frames starts a new signal.
func parseJavaLines(lines []string) []Signal {
	type jexc struct {
		exception
		indent int
		main   bool
		start  int
	}
	var sigs []Signal
	var excs []*jexc
	var cur *jexc
	// suppressedAt is the indent of the last "Suppressed:" exception of
	// the signal being read (-1: none): a cause indented as much belongs
	// to it, one less indented to the main chain. Without one every cause
	// is the main chain's, however the log indented it (logcat indents
	// "Caused by:" one space more than the exception).
	suppressedAt := -1
	causeIsMain := func(ind int) bool { return suppressedAt < 0 || ind < suppressedAt }
	flush := func() {
		var chain []exception
		var outer exception
		nframes := 0
		for i := len(excs) - 1; i >= 0; i-- {
			if excs[i].main {
				chain = append(chain, excs[i].exception)
				nframes += len(excs[i].frames)
			}
		}
		for _, e := range excs {
			if !e.main {
				chain = append(chain, e.exception)
				nframes += len(e.frames)
			}
		}
		if nframes > 0 {
			outer = excs[0].exception
			s := assemble(FormatJava, chain, outer)
			s.stamp(lines, excs[0].start)
			sigs = append(sigs, s)
		}
		excs, cur, suppressedAt = nil, nil, -1
	}
	for i, l := range lines {
		ind := len(l) - len(strings.TrimLeft(l, " \t"))
		t := strings.TrimSpace(l)
		if !strings.Contains(l, "at ") && !strings.Contains(l, ".") && !strings.Contains(l, "Exception") && !strings.Contains(l, "Error") {
			continue // cheap filter for log lines
		}
		if m := matchIf(javaFrameRE, l, "at "); m != nil {
			loc := m[2]
			if !strings.HasSuffix(m[0], ")") {
				loc = "\x00" // no location at all, not "()"
			}
			f, ok := javaFrame(m[1], loc)
			if !ok || cur == nil || len(cur.frames) >= MaxFrames {
				continue
			}
			cur.frames = append(cur.frames, f)
			continue
		}
		if strings.Contains(l, "...") && javaMoreRE.MatchString(l) {
			continue
		}
		kind := ""
		rest := t
		for _, p := range []string{"Caused by: ", "Suppressed: ", "Caused by "} {
			if kind == "" && strings.HasPrefix(t, p) {
				kind, rest = strings.TrimSuffix(p, " "), t[len(p):]
			}
		}
		if kind == "Caused by" {
			// Google Play Console's "Caused by java.lang.X:"; prose
			// ("Caused by the scheduler ...") is no header.
			kind = ""
			if plausibleClass(rest) && javaHeaderRE.MatchString(rest) && strings.Contains(rest, ".") {
				kind = "Caused by:"
			} else {
				rest = t
			}
		}
		if r, ok := strings.CutPrefix(rest, "Exception "); ok && kind == "" && !strings.HasPrefix(r, "in thread ") && strings.Contains(r, ".") {
			rest = r // Google Play Console's "Exception java.lang.X:"
		}
		if i := strings.Index(rest, `Exception in thread "`); i >= 0 {
			if j := strings.Index(rest[i+21:], `" `); j >= 0 {
				rest = rest[i+21+j+2:]
			}
		}
		if k := strings.IndexByte(rest, '='); k >= 2 && kind == "" && upperKey(rest[:k]) {
			rest = rest[k+1:] // ACRA's report: "STACK_TRACE=java.lang.X: ..."
		}
		var m []string
		if plausibleClass(rest) {
			m = javaHeaderRE.FindStringSubmatch(rest)
		}
		if m == nil {
			if kind != "" && cur != nil {
				// "Caused by: <message without a class>"; keep the chain going.
				cur = &jexc{exception: exception{msg: rest}, indent: ind, main: kind == "Caused by:" && causeIsMain(ind), start: i}
				excs = append(excs, cur)
			}
			continue
		}
		e := &jexc{exception: exception{typ: m[1], msg: strings.TrimSpace(m[2])}, indent: ind, start: i}
		switch {
		case kind == "" && (cur == nil || len(cur.frames) > 0 || strings.Contains(l, "Exception in thread")):
			if len(excs) > 0 {
				flush()
			}
			e.main = true
		case kind == "":
			// An exception line right after another one without frames:
			// a log message line before the real header; replace it.
			if len(excs) == 1 {
				excs = excs[:0]
			}
			e.main = true
		case kind == "Caused by:":
			e.main = causeIsMain(ind)
		case kind == "Suppressed:" && (suppressedAt < 0 || ind < suppressedAt):
			suppressedAt = ind // the outermost one: a nested one's causes are its too
		}
		if len(excs) == 0 && kind != "" {
			e.main = true
		}
		excs = append(excs, e)
		cur = e
	}
	if len(excs) > 0 {
		flush()
	}
	return sigs
}

// plausibleClass is a cheap test that s starts with a class name followed by
// ": " or the end of the line, run before the header regexp.
func plausibleClass(s string) bool {
	head := s
	if i := strings.Index(s, ": "); i >= 0 {
		head = s[:i]
	}
	if head == "" || strings.ContainsAny(head, " \t[]/()\"'") {
		return false
	}
	c := head[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

// javaFrame builds a frame from "at" text: qual such as
// java.base/java.lang.Thread.run or com.acme.Foo$Bar.baz, loc such as
// "Foo.java:12", "Native Method" or "Unknown Source" ("\x00": the frame
// had no parentheses).
func javaFrame(qual, loc string) (Frame, bool) {
	if i := strings.LastIndexByte(qual, '/'); i >= 0 && i+1 < len(qual) && qual[i+1] >= '0' && qual[i+1] <= '9' {
		// A hidden class's address ("Main$$Lambda/0x0000a1b2.run",
		// "Main$$Lambda$14/1234567.run") is no module: the class is the
		// name before it.
		if dot := strings.IndexByte(qual[i:], '.'); dot > 0 {
			qual = qual[:i] + qual[i+dot:]
		}
	}
	if i := strings.LastIndexByte(qual, '/'); i >= 0 {
		qual = qual[i+1:]
	}
	dot := strings.LastIndexByte(qual, '.')
	if dot <= 0 {
		return Frame{}, false
	}
	class := qual[:dot]
	f := Frame{Function: qual, Module: class}
	loc = strings.TrimSpace(loc)
	if i := strings.LastIndexByte(loc, '/'); i >= 0 && loc != "\x00" {
		// A thread dump names the class's module in the location
		// ("java.base@21.0.2/Thread.java:509").
		loc = loc[i+1:]
	}
	switch {
	case loc == "\x00":
		// "at pkg.Class.m" with no location (Google Play Console): a JVM
		// name, not a V8 frame's "at /x.js:1:2".
		if !javaQualRE.MatchString(qual) {
			return Frame{}, false
		}
	case strings.EqualFold(loc, "Native Method") || loc == "Unknown Source" || strings.HasPrefix(loc, "Unknown Source:"):
		// Android writes "Native method".
	case loc == "SourceFile" || strings.HasPrefix(loc, "SourceFile:"):
		// R8 and ProGuard's builds name every file "SourceFile": the
		// line is kept, the file is not known (--proguard-mapping
		// retraces the text before it is read).
		f.Line, _ = strconv.Atoi(strings.TrimPrefix(loc, "SourceFile:"))
	default:
		m := javaLocRE.FindStringSubmatch(loc)
		if m == nil || !strings.Contains(m[1], ".") {
			return Frame{}, false
		}
		f.Line, _ = strconv.Atoi(m[2])
		f.File = m[1]
		if pd := strings.LastIndexByte(class, '.'); pd > 0 {
			f.File = strings.ReplaceAll(class[:pd], ".", "/") + "/" + m[1]
		}
	}
	// A lambda's hidden class is the runtime's glue, not code of the app.
	f.InApp = IsInApp(FormatJava, f.File, f.Function, f.Module) && !strings.Contains(class, "$$Lambda")
	return f, true
}

// upperKey reports whether s is a key in capitals ("STACK_TRACE"), as
// ACRA's crash reports write a field before its value.
func upperKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// JVMFile reports whether name is a source file of a JVM language a stack
// trace names by its bare name and its class's package (Cart.java,
// Cart.kt, Cart.scala, Cart.groovy).
func JVMFile(name string) bool {
	for _, ext := range []string{".java", ".kt", ".kts", ".scala", ".groovy"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}
