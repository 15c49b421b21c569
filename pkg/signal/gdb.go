package signal

import (
	"regexp"
	"strings"
)

var (
	gdbAtRE      = regexp.MustCompile(`\s+at\s+(\S+):(\d+)$`)
	gdbAtTailRE  = regexp.MustCompile(`^(\S.*):(\d+)$`)
	gdbFromRE    = regexp.MustCompile(`\s+from\s+(\S+)$`)
	gdbThreadRE  = regexp.MustCompile(`(?:^|\s)(Thread (\d+) \(.*\)):\s*$`)
	gdbSignalRE  = regexp.MustCompile(`(?:Program|Thread (\d+)(?: "[^"]*")?) (?:received|terminated with) signal (SIG\w+), (.+?)\.?\s*$`)
	gdbCurrentRE = regexp.MustCompile(`\[Current thread is (\d+) `)
)

// gdbKnown start lines gdb prints around and between backtraces.
var gdbKnown = []string{
	"No locals.", "No symbol table info", "Backtrace stopped", "(More stack frames follow", "--Type <RET>",
	"[Switching to", "[Current thread is", "[Inferior", "[New Thread", "[Thread ", "[New LWP", "Quit",
}

// debuggerNoise are the words of a debugger report's default title.
var debuggerNoise = map[string]bool{"gdb": true, "lldb": true, "backtrace": true,
	// "Program received signal SIGSEGV, Segmentation fault."
	"program": true, "received": true, "signal": true}

// gdbThread is one thread's stack of a gdb report.
type gdbThread struct {
	num    string
	name   string
	frames []Frame
}

// parseGDBReports reads gdb backtraces: "#0  0x... in fn (args) at
// file.c:12" frames, frames "from /lib/..." without source, "bt full"
// locals (skipped) and "thread apply all bt", whose threads are all kept,
// the thread that received the signal first. The "Program received signal
// SIGSEGV, Segmentation fault." line before the stack titles the report.
func parseGDBReports(_ string, lines []string) []nativeReport {
	lines = joinWrappedFrames(lines)
	var out []nativeReport
	var threads []gdbThread
	var cur *gdbThread
	start, end, unknown := -1, -1, 0
	sigLine, sigThread, sigTitle, current := -1, "", "", ""
	pendingThread, pendingNum := "", ""
	flush := func() {
		if cur != nil {
			threads = append(threads, *cur)
			cur = nil
		}
		if len(threads) == 0 {
			return
		}
		rep := nativeReport{format: FormatGDB, title: "gdb backtrace", start: start, end: end, noise: debuggerNoise}
		if sigLine >= 0 && start-sigLine <= 40 {
			rep.title = sigTitle
			rep.start = sigLine
		}
		crash := 0
		want := sigThread
		if want == "" {
			want = current
		}
		for k, t := range threads {
			if want != "" && t.num == want {
				crash = k
			}
		}
		order := []gdbThread{threads[crash]}
		for k, t := range threads {
			if k != crash {
				order = append(order, t)
			}
		}
		for _, t := range order {
			rep.addStack(t.name, t.frames)
		}
		out = append(out, rep)
		threads, start, end, unknown = nil, -1, -1, 0
		sigLine, sigThread, current = -1, "", ""
	}
	for i, l := range lines {
		if rest, n, ok := frameNumber(l); ok {
			if f, ok, marker := gdbFrame(rest); ok || marker {
				if cur != nil && n == 0 && pendingThread == "" {
					if len(threads) == 0 && len(cur.frames) == 1 && ok && cur.frames[0] == f {
						// The stop location gdb printed as "#0" (a core
						// file's), then the "bt" that repeats it.
						cur.frames = nil
					} else {
						flush() // a new backtrace
					}
				}
				if pendingThread != "" || cur == nil {
					if cur != nil {
						threads = append(threads, *cur)
					}
					name := pendingThread
					if name == "" {
						name = "backtrace"
					}
					cur = &gdbThread{num: pendingNum, name: name}
					pendingThread, pendingNum = "", ""
				}
				if start < 0 {
					start = i
				}
				if ok && len(cur.frames) < MaxFrames {
					cur.frames = append(cur.frames, f)
				}
				end, unknown = i, 0
				continue
			}
		}
		t := strings.TrimSpace(l)
		if strings.Contains(l, "signal SIG") {
			if m := gdbSignalRE.FindStringSubmatch(l); m != nil {
				if start >= 0 {
					flush()
				}
				sigLine, sigThread, sigTitle = i, m[1], m[2]+", "+m[3]
				continue
			}
		}
		if strings.Contains(l, "Thread ") {
			if m := gdbThreadRE.FindStringSubmatch(l); m != nil {
				pendingThread, pendingNum = m[1], m[2]
				continue
			}
			if m := gdbCurrentRE.FindStringSubmatch(l); m != nil {
				current = m[1]
				continue
			}
		}
		if start < 0 {
			continue
		}
		if t == "" || l[0] == ' ' || l[0] == '\t' || hasAnyPrefix(t, gdbKnown) {
			continue
		}
		unknown++
		if unknown >= 3 {
			flush()
		}
	}
	flush()
	return out
}

// gdbFrame reads what follows "#N" in a gdb backtrace:
//
//	0x0000555555555145 in get (p=0x0) at segv.c:3
//	__pthread_kill_implementation (threadid=..., signo=6) at ./nptl/pthread_kill.c:44
//	0x00007ffff7e4af1f in ?? () from /lib/x86_64-linux-gnu/libc.so.6
//	0x00007ffff7ca8e85 in std::terminate() () from /lib/x86_64-linux-gnu/libstdc++.so.6
//	<signal handler called>
//
// marker is true for "<signal handler called>", which is not a frame.
func gdbFrame(s string) (f Frame, ok, marker bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<signal handler called>") {
		return Frame{}, false, true
	}
	s, hadAddr := cutHexPrefix(s)
	if hadAddr {
		var found bool
		if s, found = strings.CutPrefix(s, "in "); !found {
			return Frame{}, false, false
		}
	}
	file, line, module := "", 0, ""
	if s == "" || !(isIdentStart(s[0]) || s[0] == '(' || s[0] == '?' || s[0] == '<') {
		return Frame{}, false, false // most "#3" of a log are no frames
	}
	if i := strings.LastIndex(s, ") at "); i >= 0 && gdbAtTailRE.MatchString(s[i+len(") at "):]) {
		// After the arguments' closing parenthesis everything up to the
		// line number is the file, spaces included ("at my dir/a.c:3").
		m := gdbAtTailRE.FindStringSubmatch(s[i+len(") at "):])
		file, line = m[1], atoi(m[2])
		s = s[:i+1]
	} else if strings.Contains(s, " at ") {
		if m := gdbAtRE.FindStringSubmatchIndex(s); m != nil {
			file = s[m[2]:m[3]]
			line = atoi(s[m[4]:m[5]])
			s = s[:m[0]]
		}
	} else if strings.Contains(s, " from ") {
		if m := gdbFromRE.FindStringSubmatchIndex(s); m != nil {
			module = s[m[2]:m[3]]
			s = s[:m[0]]
		}
	}
	if !strings.HasSuffix(s, ")") {
		return Frame{}, false, false
	}
	name, rest := cxxName(s)
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, "(") || name == "" && !strings.HasPrefix(s, "??") {
		return Frame{}, false, false
	}
	if strings.Contains(rest, "+0x") && !strings.Contains(rest, "=") && file == "" && module == "" {
		return Frame{}, false, false // a sanitizer's "(module+0x1234)"
	}
	if file == "" && module == "" && strings.Contains(rest, "dart") && dartParenLocation(rest) {
		return Frame{}, false, false // a Dart frame: "#1 CartModel.total (package:shop/cart.dart:42:7)"
	}
	return nativeFrame(FormatGDB, file, line, 0, cleanFunction(name), module), true, false
}

// gdbLocLineRE is a frame's location on a line of its own: "at
// src/x.c:12", "from /lib/x86_64-linux-gnu/libc.so.6".
var gdbLocLineRE = regexp.MustCompile(`^(?:at \S+:\d+|from /\S+)$`)

// joinWrappedFrames joins the lines a frame was wrapped over (its argument
// list spills onto the next lines when a terminal or a mail was narrow) to
// the frame's line, leaving the lines it took empty so positions hold.
func joinWrappedFrames(lines []string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		if _, _, ok := frameNumber(lines[i]); !ok {
			continue
		}
		open := strings.Count(lines[i], "(") - strings.Count(lines[i], ")")
		j := i + 1
		for ; j < len(lines) && j-i <= 6; j++ {
			raw := lines[j]
			next := strings.TrimSpace(raw)
			if next == "" && open > 0 && j+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j+1]), ")") {
				// gdb ends an argument it cannot read with a line
				// break: "main (argc=Cannot access memory at address
				// 0x...", a blank line, then ") at x.c:141".
				continue
			}
			if _, _, ok := frameNumber(raw); ok || next == "" {
				break
			}
			// An unfinished argument list, or gdb's "at file:line" /
			// "from lib" put on a line of its own.
			indented := raw[0] == ' ' || raw[0] == '\t'
			// Pasted where indentation is lost (a chat, a web form),
			// the location line is still one word after "at" or
			// "from", and the frame's line has none.
			cur := lines[i]
			if out != nil {
				cur = out[i]
			}
			bare := !indented && gdbLocLineRE.MatchString(next) && !strings.Contains(cur, " at ") && !strings.Contains(cur, " from ")
			if !(open > 0 || indented && (strings.HasPrefix(next, "at ") || strings.HasPrefix(next, "from ")) || bare) {
				break
			}
			if out == nil {
				out = append([]string(nil), lines...)
			}
			out[i] += " " + next
			out[j] = ""
			open += strings.Count(next, "(") - strings.Count(next, ")")
		}
		i = j - 1
	}
	if out == nil {
		return lines
	}
	return out
}
