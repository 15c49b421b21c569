package signal

import (
	"regexp"
	"strings"
)

var (
	lldbAtRE      = regexp.MustCompile(`\s+at\s+(\S+?):(\d+)(?::(\d+))?$`)
	lldbFlagsRE   = regexp.MustCompile(`(?:\s+\[(?:opt|artificial|inlined)\])+$`)
	lldbThreadRE  = regexp.MustCompile(`^(\*\s*)?thread #(\d+)(.*)$`)
	lldbProcessRE = regexp.MustCompile(`^Process (\d+) (?:stopped|launched)`)
)

// lldbThread is one thread's stack of an lldb report.
type lldbThread struct {
	num      string
	name     string
	reason   string
	selected bool
	frames   []Frame
}

// parseLLDBReports reads lldb backtraces ("bt", "thread backtrace all"):
// "* thread #1, name = 'app', stop reason = signal SIGSEGV: ..." headers
// and "frame #0: 0x... app`fn(args) at file.c:12:3" frames. The stop
// printed by "run" and the later "bt" show the same thread: the longer
// stack is kept. The selected thread (marked "*") comes first; the stop
// reason titles the report. Each process is one report.
func parseLLDBReports(_ string, lines []string) []nativeReport {
	var out []nativeReport
	var threads []*lldbThread
	var cur *lldbThread
	start, end := -1, -1
	flush := func() {
		if len(threads) == 0 {
			return
		}
		rep := nativeReport{format: FormatLLDB, title: "lldb backtrace", start: start, end: end, noise: debuggerNoise}
		crash := 0
		for k, t := range threads {
			if t.selected && (threads[crash].reason == "" || t.reason != "") {
				crash = k
			}
		}
		for k, t := range threads {
			if t.reason != "" && threads[crash].reason == "" {
				crash = k
			}
		}
		if r := threads[crash].reason; r != "" {
			rep.title = strings.TrimPrefix(r, "signal ")
		}
		rep.addStack(threads[crash].name, threads[crash].frames)
		for k, t := range threads {
			if k != crash {
				rep.addStack(t.name, t.frames)
			}
		}
		if len(rep.stacks) > 0 {
			out = append(out, rep)
		}
		threads, cur, start, end = nil, nil, -1, -1
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "Process ") {
			// A new process is a new report; the one that printed the
			// stop goes on.
			if m := lldbProcessRE.FindStringSubmatch(t); m != nil && strings.Contains(t, "stopped") && len(threads) > 0 && !lldbSameProcess(lines, start, m[1]) {
				flush()
			}
			continue
		}
		if strings.Contains(t, "thread #") {
			if m := lldbThreadRE.FindStringSubmatch(t); m != nil {
				th := &lldbThread{num: m[2], selected: m[1] != ""}
				attrs := m[3]
				if k := strings.Index(attrs, ", stop reason = "); k >= 0 {
					th.reason = strings.TrimSpace(attrs[k+len(", stop reason = "):])
					attrs = attrs[:k]
				}
				th.name = "thread #" + m[2] + attrs
				// The same thread again (run's stop, then bt): replace it.
				kept := threads[:0]
				for _, o := range threads {
					if o.num != th.num {
						kept = append(kept, o)
					} else if th.reason == "" {
						th.reason = o.reason
					}
				}
				threads = append(kept, th)
				cur = th
				if start < 0 {
					start = i
				}
				continue
			}
		}
		k := strings.Index(t, "frame #")
		if k < 0 {
			continue
		}
		f, ok := lldbFrame(t[k+len("frame #"):])
		if !ok {
			continue
		}
		if cur == nil {
			cur = &lldbThread{name: "backtrace"}
			threads = append(threads, cur)
		}
		if start < 0 {
			start = i
		}
		if len(cur.frames) < MaxFrames {
			cur.frames = append(cur.frames, f)
		}
		end = i
	}
	flush()
	return out
}

// lldbSameProcess reports whether the report that began at start belongs
// to process pid (its "Process N" lines name it).
func lldbSameProcess(lines []string, start int, pid string) bool {
	for i := start - 1; i >= 0 && i >= start-20; i-- {
		if m := lldbProcessRE.FindStringSubmatch(strings.TrimSpace(lines[i])); m != nil {
			return m[1] == pid
		}
	}
	return true
}

// lldbFrame reads what follows "frame #" in lldb's output:
//
//	0: 0x0000555555555145 segv`get(p=0x0000000000000000) at segv.c:3:39
//	4: 0x0000555555555071 segv`_start + 33
//	0: 0x000055555555518a in2`total_weight [inlined] weight(it=0x0) at inline_null.c:14:20
//	3: 0x00007ffff7c9d919 libstdc++.so.6`___lldb_unnamed_symbol7233 + 96
func lldbFrame(s string) (Frame, bool) {
	c := strings.IndexByte(s, ':')
	if c <= 0 || !allDigits(s[:c]) {
		return Frame{}, false
	}
	s = strings.TrimSpace(s[c+1:])
	s, _ = cutHexPrefix(s)
	module := ""
	if bt := strings.IndexByte(s, '`'); bt >= 0 {
		module, s = s[:bt], s[bt+1:]
	}
	if strings.HasSuffix(s, "]") {
		s = lldbFlagsRE.ReplaceAllString(s, "")
	}
	file, line, col := "", 0, 0
	if !strings.Contains(s, " at ") {
		// no location
	} else if m := lldbAtRE.FindStringSubmatchIndex(s); m != nil {
		file = s[m[2]:m[3]]
		line = atoi(s[m[4]:m[5]])
		if m[6] >= 0 {
			col = atoi(s[m[6]:m[7]])
		}
		s = s[:m[0]]
	}
	if k := strings.Index(s, " [inlined] "); k >= 0 {
		s = s[k+len(" [inlined] "):]
	}
	name, rest := cxxName(s)
	if strings.HasSuffix(name, "operator") && strings.HasPrefix(rest, "(") {
		name += "()" // lldb prints operator() with its arguments inside
	}
	fn := cleanFunction(name)
	if strings.HasPrefix(fn, "___lldb_unnamed_symbol") {
		fn = ""
	}
	if fn == "" && file == "" && module == "" {
		return Frame{}, false
	}
	return nativeFrame(FormatLLDB, file, line, col, fn, module), true
}
