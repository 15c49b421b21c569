package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// ipyHeaderRE: "ZeroDivisionError      Traceback (most recent call last)".
	ipyHeaderRE = regexp.MustCompile(`^([A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)\s*$`)
	// ipyFrameRE: IPython 8's "File ~/code/a.py:3, in f()" and "Cell
	// In[3], line 2"; before 8, "/home/u/code/a.py in f()" and
	// "<ipython-input-12-19137f1ad9a8> in <module>()".
	ipyFile8RE  = regexp.MustCompile(`^File (\S.*?):(\d+), in (\S+?)(?:\(.*\))?\s*$`)
	ipyCellRE   = regexp.MustCompile(`^Cell In\s*\[\d*\], line (\d+)`)
	ipyFile7RE  = regexp.MustCompile(`^(\S.*?) in (\S+?)(?:\(.*\))?\s*$`)
	ipyArrowRE  = regexp.MustCompile(`^-*> ?(\d+)\b`)
	ipyExcRE    = regexp.MustCompile(`^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration))(?:: (.*))?$`)
	ipyNumberRE = regexp.MustCompile(`^\s*(?:-*> ?)?\d+(?:\s|$)`)
)

// parseIPythonLines reads tracebacks as IPython and Jupyter print them: a
// header naming the exception beside "Traceback (most recent call last)",
// then each frame's file and function, outermost first, with numbered
// source lines where "---->" marks the frame's line (IPython 8 names the
// line itself: "File ~/a.py:3, in f()"), then "Type: message".
func parseIPythonLines(lines []string) []Signal {
	var sigs []Signal
	for i := 0; i < len(lines); i++ {
		h := ipyHeaderRE.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if h == nil {
			continue
		}
		e := exception{typ: h[1]}
		var frames []Frame // outermost first
		cur := -1          // the frame waiting for its "---->" line
		j := i + 1
		for ; j < len(lines); j++ {
			t := strings.TrimRight(lines[j], " \t")
			tt := strings.TrimSpace(t)
			switch {
			case tt == "" || strings.HasPrefix(tt, "----------"):
				continue
			case ipyHeaderRE.MatchString(tt):
			case ipyNumberRE.MatchString(t):
				if m := ipyArrowRE.FindStringSubmatch(tt); m != nil && cur >= 0 && frames[cur].Line == 0 {
					frames[cur].Line, _ = strconv.Atoi(m[1])
				}
				continue
			}
			if m := ipyExcRE.FindStringSubmatch(tt); m != nil && t == tt {
				// The exception ends the traceback; its message may hold
				// " in " ("3 is not in list"), so it is tried first.
				e.typ, e.msg = m[1], strings.TrimSpace(m[2])
				j++
				break
			}
			if len(frames) >= MaxFrames {
				continue
			}
			if m := ipyFile8RE.FindStringSubmatch(tt); m != nil && t == tt {
				n, _ := strconv.Atoi(m[2])
				frames = append(frames, ipyFrame(m[1], n, m[3]))
				cur = len(frames) - 1
				continue
			}
			if m := ipyCellRE.FindStringSubmatch(tt); m != nil && t == tt {
				n, _ := strconv.Atoi(m[1])
				frames = append(frames, Frame{File: "<cell>", Line: n, Function: "<module>"})
				cur = len(frames) - 1
				continue
			}
			if m := ipyFile7RE.FindStringSubmatch(tt); m != nil && t == tt && !strings.Contains(m[1], "Traceback") {
				frames = append(frames, ipyFrame(m[1], 0, m[2]))
				cur = len(frames) - 1
				continue
			}
			break
		}
		if len(frames) == 0 {
			continue
		}
		for k := len(frames) - 1; k >= 0 && len(e.frames) < MaxFrames; k-- {
			e.frames = append(e.frames, frames[k])
		}
		s := assemble(FormatPython, []exception{e}, e)
		s.stamp(lines, i)
		sigs = append(sigs, s)
		i = j - 1
	}
	return sigs
}

// ipyFrame is a frame of file (IPython's "<ipython-input-...>" names a
// notebook cell, which no repository holds) at line n of fn.
func ipyFrame(file string, n int, fn string) Frame {
	f := Frame{File: file, Line: n, Function: fn}
	f.InApp = IsInApp(FormatPython, file, fn, "")
	return f
}
