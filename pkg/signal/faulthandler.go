package signal

import (
	"regexp"
	"strings"
)

var (
	// pyFaultThreadRE opens a thread's stack in the output of Python's
	// faulthandler: "Current thread 0x00007f3f9c1f4b80 (most recent call
	// first):", "Thread 0x... [name] (most recent call first):", or
	// "Stack (most recent call first):" when it dumps one thread.
	pyFaultThreadRE = regexp.MustCompile(`^(Current thread|Thread) (0x[0-9a-fA-F]+)(?: \[[^\]]*\])? \(most recent call first\):\s*$|^Stack \(most recent call first\):\s*$`)
	// pyFaultFrameRE is one of its frames: `  File "x.py", line 12 in f`
	// (no comma before "in", unlike a traceback's), or without its
	// indentation, as a chat or a web form pastes it.
	pyFaultFrameRE = regexp.MustCompile(`^\s*File "(.+)", line (\d+) in (\S.*?)\s*$`)
	// pyFaultErrorRE is the line that says why: "Fatal Python error:
	// Segmentation fault", or a dump_traceback_later timeout.
	pyFaultErrorRE = regexp.MustCompile(`^(Fatal Python error): (.+?)\s*$|^(Timeout) \((\d+:\d\d:\d\d(?:\.\d+)?)\)!\s*$`)
)

// parsePythonFaultLines reads what Python's faulthandler prints when the
// interpreter crashes (a segmentation fault in an extension, an abort) or
// a timeout expires: "Fatal Python error: Segmentation fault", then each
// thread's stack, innermost frame first. One signal per dump: the current
// thread's stack (the one that crashed) is the crash stack, the other
// threads' stacks follow it as further stacks.
func parsePythonFaultLines(lines []string) []Signal {
	var out []Signal
	for i := 0; i < len(lines) && len(out) < MaxSignals; i++ {
		m := pyFaultThreadRE.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		// The error line is a few lines above the first stack.
		outer := exception{typ: "Fatal Python error"}
		start := i
		for k := i - 1; k >= 0 && k >= i-4; k-- {
			if e := pyFaultErrorRE.FindStringSubmatch(strings.TrimSpace(lines[k])); e != nil {
				if e[1] != "" {
					outer = exception{typ: e[1], msg: e[2]}
				} else {
					outer = exception{typ: "Timeout (" + e[4] + ")"}
				}
				start = k
				break
			}
		}
		type stack struct {
			name    string
			current bool
			frames  []Frame
		}
		var stacks []stack
		j := i
		for ; j < len(lines); j++ {
			t := strings.TrimSpace(lines[j])
			if h := pyFaultThreadRE.FindStringSubmatch(t); h != nil {
				name := "stack"
				if h[1] != "" {
					name = strings.ToLower(h[1]) + " " + h[2]
				}
				stacks = append(stacks, stack{name: name, current: h[1] == "Current thread"})
				continue
			}
			if t == "" && j+1 < len(lines) && pyFaultThreadRE.MatchString(strings.TrimSpace(lines[j+1])) {
				continue // the blank line between two threads
			}
			if t == "<no Python frame>" || t == "..." {
				continue
			}
			f := pyFaultFrameRE.FindStringSubmatch(lines[j])
			if f == nil {
				break
			}
			fr := Frame{File: f[1], Line: atoi(f[2]), Function: f[3]}
			fr.InApp = IsInApp(FormatPython, fr.File, fr.Function, "")
			st := &stacks[len(stacks)-1]
			st.frames = append(st.frames, fr)
		}
		// The current thread first: it is the one that crashed.
		for k := range stacks {
			if stacks[k].current && k > 0 {
				cur := stacks[k]
				copy(stacks[1:k+1], stacks[:k])
				stacks[0] = cur
				break
			}
		}
		s := Signal{Format: FormatPython, Title: outer.title(), Frames: []Frame{}}
		for _, st := range stacks {
			if len(st.frames) == 0 {
				continue
			}
			s.Stacks = append(s.Stacks, st.name)
			for _, f := range st.frames {
				if len(s.Frames) >= MaxFrames {
					break
				}
				f.Stack = len(s.Stacks) - 1
				s.Frames = append(s.Frames, f)
			}
		}
		if len(s.Frames) > 0 {
			if len(s.Stacks) == 1 {
				s.Stacks = nil // one stack needs no name; its frames are stack 0 already
			}
			s.Symptoms = Symptoms(outer.typ, outer.msg)
			s.stamp(lines, start)
			out = append(out, s)
		}
		i = j - 1
	}
	return out
}
