package signal

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	goPanicRE     = regexp.MustCompile(`^(?:.*?\s)?(panic|fatal error|http: panic serving [^ ]+): (.*)$`)
	goGoroutineRE = regexp.MustCompile(`^goroutine (\d+) \[([^\]]*)\]:\s*$`)
	goFileRE      = regexp.MustCompile(`^\s*(\S.*?\.(?:go|s|c)):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=.*)?\s*$`)
)

// parseGoLines reads a Go panic or fatal error: the "panic:" lines (the last
// one, after "[recovered]" re-panics, is the outermost; the first the root
// cause) and the goroutine that was running (the first "[running]" one, or
// else the first goroutine). "created by" ends the stack as its last frame;
// "...additional frames elided..." and "...N frames elided..." are skipped.
func parseGoLines(lines []string) []Signal {
	var panics []string
	start := -1
	gStart := -1
	running := false // the chosen goroutine is the running one
	for i, l := range lines {
		if m := goPanicMatch(l); m != nil && gStart < 0 {
			if start < 0 {
				start = i
			}
			msg := strings.TrimSuffix(strings.TrimSpace(m[2]), " [recovered]")
			msg = strings.TrimSuffix(msg, " [recovered, repanicked]")
			panics = append(panics, m[1]+": "+msg)
			continue
		}
		if m := goGoroutineMatch(l); m != nil {
			if gStart < 0 || (strings.HasPrefix(m[2], "running") && !running) {
				gStart = i
				running = strings.HasPrefix(m[2], "running")
			}
		}
	}
	if gStart < 0 {
		return nil
	}
	if start < 0 {
		start = gStart
	}
	if len(panics) > 0 && strings.HasPrefix(panics[len(panics)-1], "panic: test timed out") {
		// The running goroutine is the test binary's alarm: the stack
		// that matters is the timed-out test's own.
		if g := goTimedOutTest(lines, start); g >= 0 {
			gStart = g
		}
	}
	var frames []Frame
	pendingFn := ""
	createdBy := false // pendingFn came from a "created by" line
	created := -1      // index of the "created by" frame
	for i := gStart + 1; i < len(lines) && len(frames) < MaxFrames; i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if t == "" || goGoroutineMatch(t) != nil {
			break
		}
		if strings.HasPrefix(t, "...") && strings.HasSuffix(t, "elided...") {
			continue
		}
		if m := goFileRE.FindStringSubmatch(l); m != nil && pendingFn != "" {
			n, _ := strconv.Atoi(m[2])
			fn := pendingFn
			pendingFn = ""
			if createdBy {
				created = len(frames)
			}
			f := Frame{File: m[1], Line: n, Function: fn, Module: goPackage(fn)}
			f.InApp = IsInApp(FormatGo, f.File, f.Function, f.Module)
			frames = append(frames, f)
			continue
		}
		if fn, ok := goFuncName(t); ok && !strings.HasPrefix(l, "\t") {
			pendingFn = fn
			createdBy = strings.HasPrefix(t, "created by ")
			continue
		}
		break
	}
	if len(frames) == 0 {
		return nil
	}
	var chain []exception
	outer := exception{typ: "panic"}
	if len(panics) > 0 {
		outer = splitGoPanic(panics[len(panics)-1])
		// Earlier panics were recovered and re-raised: the first is the
		// root cause; the frames belong to the one goroutine stack.
		for _, p := range panics[:len(panics)-1] {
			chain = append(chain, splitGoPanic(p))
		}
	}
	// Frames above a panic() call are deferred functions running while the
	// goroutine panics (a recover handler, net/http's conn.serve.func1, a
	// re-panic): the frames below it lead to where the panic was raised and
	// go first, the handler's frames after them.
	for k, f := range frames {
		if f.Function == "panic" || f.Function == "runtime.gopanic" {
			if k > 0 {
				rest := frames[k+1:]
				var tail []Frame
				if created == len(frames)-1 && created > k {
					rest, tail = frames[k+1:created], frames[created:]
				}
				reordered := append(append([]Frame{}, rest...), frames[:k+1]...)
				frames = append(reordered, tail...)
			}
			break
		}
	}
	chain = append(chain, exception{typ: outer.typ, msg: outer.msg, frames: frames})
	s := assemble(FormatGo, chain, outer)
	s.stamp(lines, start)
	return []Signal{s}
}

// goTimedOutTest returns the line of the goroutine header whose stack runs
// a test that "panic: test timed out" (at lines[start]) names under
// "running tests:", or -1.
func goTimedOutTest(lines []string, start int) int {
	var tests []string
	i := start + 1
	for ; i < len(lines) && goGoroutineMatch(lines[i]) == nil; i++ {
		f := strings.Fields(lines[i])
		if len(f) == 0 || !strings.HasPrefix(lines[i], "\t") && !strings.HasPrefix(lines[i], " ") {
			continue
		}
		name, _, _ := strings.Cut(f[0], "/") // a subtest runs in its test's function
		for _, p := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
			if strings.HasPrefix(name, p) {
				tests = append(tests, name)
				break
			}
		}
	}
	if len(tests) == 0 {
		return -1
	}
	header := -1
	for ; i < len(lines); i++ {
		if goGoroutineMatch(lines[i]) != nil {
			header = i
			continue
		}
		t := strings.TrimSpace(lines[i])
		if header < 0 || strings.HasPrefix(lines[i], "\t") || strings.HasPrefix(t, "created by ") {
			continue
		}
		fn, ok := goFuncName(t)
		if !ok {
			continue
		}
		parts := strings.Split(fn[strings.LastIndexByte(fn, '/')+1:], ".")
		for _, name := range tests {
			if slices.Contains(parts, name) {
				return header
			}
		}
	}
	return -1
}

// goPanicMatch matches a "panic:" line, testing a substring first because
// most log lines have none.
func goPanicMatch(l string) []string {
	if !strings.Contains(l, "panic") && !strings.Contains(l, "fatal error") {
		return nil
	}
	return goPanicRE.FindStringSubmatch(l)
}

// goGoroutineMatch matches a "goroutine N [state]:" line.
func goGoroutineMatch(l string) []string {
	t := strings.TrimSpace(l)
	if !strings.HasPrefix(t, "goroutine ") {
		return nil
	}
	return goGoroutineRE.FindStringSubmatch(t)
}

func splitGoPanic(p string) exception {
	if rest, ok := strings.CutPrefix(p, "http: panic serving "); ok {
		// net/http's recovered handler panic: "http: panic serving ADDR: msg".
		_, msg, _ := strings.Cut(rest, ": ")
		return exception{typ: "panic", msg: msg}
	}
	typ, msg, _ := strings.Cut(p, ": ")
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "panic: ")
	return exception{typ: typ, msg: msg}
}

// goFuncName extracts the function from a goroutine stack line such as
// "main.(*T).M(0x1, {0x2, 0x3})" or "created by main.main in goroutine 1".
func goFuncName(t string) (string, bool) {
	t = strings.TrimPrefix(t, "created by ")
	if i := strings.Index(t, " in goroutine "); i >= 0 {
		t = t[:i]
	}
	if strings.HasSuffix(t, ")") {
		depth := 0
		for i := len(t) - 1; i >= 0; i-- {
			switch t[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				t = t[:i]
				break
			}
		}
	}
	if t == "" || strings.ContainsAny(t, " \t") || strings.HasPrefix(t, "(") {
		return "", false
	}
	return t, true
}
