package tracetext

import (
	"regexp"
	"strings"
)

// Stack is one stack of a report, innermost frame first.
type Stack struct {
	// Name is the header line that opened the stack ("freed by thread T0
	// here:", "Caused by: ..."), or "" for the report's first stack.
	Name   string
	Frames []Frame
}

// Report is a parsed crash trace.
type Report struct {
	Format Format
	Type   string // exception type as a Sentry event would carry it
	Value  string // exception message
	// Stacks in the order the report prints them.
	Stacks []Stack
	// Crash is the index in Stacks of the stack that crashed.
	Crash int
}

var (
	sanErrRE    = regexp.MustCompile(`(?:ERROR|WARNING): (\w+Sanitizer): ([\w-]+)(.*)$`)
	gdbSigRE    = regexp.MustCompile(`Program (?:received|terminated with) signal (\w+)`)
	goPanicRE   = regexp.MustCompile(`^(panic|fatal error): (.*)$`)
	rustPanicRE = regexp.MustCompile(`^thread '([^']*)' panicked at (.*)$`)
	kernTitleRE = regexp.MustCompile(`^(WARNING|BUG|Oops|Kernel panic|general protection fault|Unable to handle kernel[a-zA-Z ]*|kernel BUG|Assertion|Panic on CPU \d+|FATAL [A-Z ]+)\b`)
	frameNumRE  = regexp.MustCompile(`^(?:\*?\s*frame\s+)?#(\d+)`)
	rustNumRE   = regexp.MustCompile(`^(\d+):`)
)

// Parse reads one trace block (as Extract returns it) into stacks.
func Parse(text string) Report {
	if len(text) > maxMessage {
		text = text[:maxMessage]
	}
	var r Report
	var cur *Stack
	lastNum := -1
	var headers []string
	var pyExc []string // Python exception lines, one per chained traceback
	var firstHeader string
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	newStack := func(name string) {
		if cur != nil && len(cur.Frames) == 0 {
			if cur.Name == "" {
				cur.Name = name
			}
			return
		}
		r.Stacks = append(r.Stacks, Stack{Name: name})
		cur = &r.Stacks[len(r.Stacks)-1]
		lastNum = -1
	}
	pendingGoFunc := ""
	// regOnly: the current stack holds only the frames of register lines
	// (RIP:, PC:) or a WARN site, which the call trace continues.
	regOnly := false
	continuesRegs := func(st *Stack) bool { return st != nil && len(st.Frames) > 0 && regOnly }
	inPython := false
	for _, raw := range lines {
		s := stripPrefix(strings.TrimSpace(raw))
		if s == "" {
			continue
		}
		c := classify(s)
		if inPython && c.kind == kindOther && (pyExcRE.MatchString(s) || javaExcRE.MatchString(s)) {
			pyExc = append(pyExc, s)
			inPython = false
			continue
		}
		switch c.kind {
		case kindHeader:
			if firstHeader == "" {
				firstHeader = s
			}
			headers = append(headers, s)
			if opensStack(s) && !(continuesRegs(cur) && isCallTrace(s)) {
				newStack(s)
			}
			if c.site != nil {
				// The WARN or assertion site is the innermost frame.
				if cur == nil || len(cur.Frames) > 0 {
					newStack(s)
				}
				cur.Frames = append(cur.Frames, *c.site)
				regOnly = true
				if r.Format == "" {
					r.Format = Kernel
				}
			}
			if strings.HasPrefix(s, "Traceback") {
				inPython = true
				if cur == nil || len(cur.Frames) > 0 {
					newStack(s)
				}
			}
			continue
		case kindPart:
			if strings.HasPrefix(s, "---[ end trace") {
				// What follows the end marker repeats the registers.
				newStack("")
				regOnly = false
			}
			if c.goFunc {
				pendingGoFunc = c.frame.Function
			}
			if c.rustLoc && cur != nil && len(cur.Frames) > 0 {
				f := &cur.Frames[len(cur.Frames)-1]
				if f.File == "" && f.Module == "" {
					f.File, f.Line, f.Column = c.frame.File, c.frame.Line, c.frame.Column
				}
			}
			continue
		case kindFrame:
		default:
			if javaExcRE.MatchString(s) && firstHeader == "" {
				firstHeader = s
			}
			continue
		}
		// Numbered frames: a number that does not grow starts a new stack.
		num := -1
		if m := frameNumRE.FindStringSubmatch(s); m != nil {
			num = atoi(m[1])
		} else if c.format == Rust {
			if m := rustNumRE.FindStringSubmatch(s); m != nil {
				num = atoi(m[1])
			}
		}
		if cur == nil || num >= 0 && lastNum >= 0 && num <= lastNum {
			newStack("")
		}
		if num >= 0 {
			lastNum = num
		}
		if len(cur.Frames) == 0 {
			regOnly = c.regLine
		} else if !c.regLine {
			regOnly = false
		}
		f := c.frame
		if c.goLoc {
			f.Function = pendingGoFunc
			pendingGoFunc = ""
			if isGoRuntime(f) {
				f.System = true
			}
		}
		if f.Function == "" && f.File == "" && f.Module == "" {
			continue
		}
		if (c.format == UBSan || c.format == Assert) && firstHeader == "" {
			firstHeader = s
		}
		// A sanitizer's "#0" repeating the location its message line named.
		if n := len(cur.Frames); n > 0 && f.File != "" && cur.Frames[n-1].File == f.File && cur.Frames[n-1].Line == f.Line && cur.Frames[n-1].Function == "" {
			cur.Frames[n-1] = f
			continue
		}
		if c.format == Python {
			inPython = true
		}
		cur.Frames = append(cur.Frames, f)
		if r.Format == "" {
			r.Format = c.format
		}
	}
	// Drop stacks that hold no frame.
	kept := r.Stacks[:0]
	for _, st := range r.Stacks {
		if len(st.Frames) > 0 {
			kept = append(kept, st)
		}
	}
	r.Stacks = kept
	// Python prints the outermost frame first; every stack here is
	// innermost first.
	isPy := false
	for _, st := range r.Stacks {
		for _, f := range st.Frames {
			if strings.HasSuffix(f.File, ".py") {
				isPy = true
			}
		}
	}
	if isPy {
		for i := range r.Stacks {
			reverse(r.Stacks[i].Frames)
		}
		r.Format = Python
	}
	r.Format = refineFormat(r.Format, headers)
	r.Type, r.Value = title(r.Format, firstHeader, headers, pyExc)
	// The crash stack: the last traceback of a Python chain (the exception
	// that was raised last), the first stack of everything else.
	if isPy && len(r.Stacks) > 0 {
		r.Crash = len(r.Stacks) - 1
	}
	return r
}

// opensStack tells whether a header line starts a new stack.
func opensStack(s string) bool {
	for _, p := range []string{
		"freed by", "previously allocated", "allocated by", "Direct leak", "Indirect leak",
		"Previous ", "Atomic ", "Mutex ", "Thread ", "Location is", "Uninitialized value", "Uninitialised value",
		"Address 0x", "Block was alloc", "Caused by: ", "During handling", "The above exception",
		"goroutine ", "Call Trace", "Call trace", "Xen call trace",
		"READ of size", "WRITE of size", "Read of size", "Write of size", "Invalid ", "Conditional jump",
	} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// refineFormat lets a header name the sanitizer whose frames look alike.
func refineFormat(f Format, headers []string) Format {
	for _, h := range headers {
		if hf := headerFormat(h); hf != "" {
			switch {
			case f == ASan && (hf == LSan || hf == MSan || hf == TSan || hf == UBSan):
				return hf
			case f == TSan && hf == TSan:
				return TSan
			}
		}
	}
	return f
}

// title gives the exception type and value a Sentry event would show.
func title(f Format, first string, headers, pyExc []string) (typ, val string) {
	for _, h := range headers {
		if m := sanErrRE.FindStringSubmatch(h); m != nil {
			if m[1] == "LeakSanitizer" {
				return "memory leak", strings.TrimSpace(m[1] + ": " + m[2] + m[3])
			}
			return m[2], strings.TrimSpace(m[1] + ": " + m[2] + m[3])
		}
	}
	switch f {
	case Python:
		if len(pyExc) > 0 {
			last := pyExc[len(pyExc)-1]
			if t, v, ok := strings.Cut(last, ": "); ok {
				return t, v
			}
			return last, ""
		}
	case Go:
		for _, h := range headers {
			if m := goPanicRE.FindStringSubmatch(h); m != nil {
				return m[1], m[2]
			}
		}
	case Rust:
		for _, h := range headers {
			if m := rustPanicRE.FindStringSubmatch(h); m != nil {
				return "panic", m[2]
			}
		}
	case GDB:
		for _, h := range headers {
			if m := gdbSigRE.FindStringSubmatch(h); m != nil {
				return m[1], h
			}
		}
	case Java:
		if first != "" {
			s := strings.TrimPrefix(first, "Caused by: ")
			if i := strings.Index(s, "\" "); strings.HasPrefix(s, "Exception in thread") && i >= 0 {
				s = s[i+2:]
			}
			if t, v, ok := strings.Cut(s, ": "); ok {
				return t, v
			}
			return s, ""
		}
	case Kernel:
		for _, h := range headers {
			if m := kernTitleRE.FindStringSubmatch(h); m != nil {
				return m[1], h
			}
		}
		return "kernel crash", first
	case UBSan:
		return "runtime error", first
	case Assert:
		return "assertion failed", first
	}
	if first != "" {
		t := first
		if i := strings.Index(t, " of size"); i > 0 {
			t = t[:i]
		}
		if len(t) > 80 {
			t = t[:80]
		}
		return t, first
	}
	return string(f) + " crash", ""
}

// isGoRuntime tells whether a Go frame is the runtime's or the standard
// library's.
func isGoRuntime(f Frame) bool {
	return strings.Contains(f.File, "/src/runtime/") || strings.HasPrefix(f.Function, "runtime.") ||
		strings.Contains(f.File, "/go/src/") && !strings.Contains(f.File, "/go/src/github.com/")
}

func reverse(fs []Frame) {
	for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
		fs[i], fs[j] = fs[j], fs[i]
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<20 {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func isCallTrace(s string) bool {
	return strings.HasPrefix(s, "Call Trace") || strings.HasPrefix(s, "Call trace") || strings.HasPrefix(s, "Xen call trace")
}
