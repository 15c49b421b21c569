package signal

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Debuggers print the source of the frame they stop at: gdb the line
// under its stop line ("0x... in f (...) at x.c:24", then "24\t<source>"),
// lldb the lines around it under its frame line ("frame #0: ... at
// x.c:24:12", then "   23  \t<source>", "-> 24  \t<source>", ...). That is
// the source of the build that crashed, which build inference compares
// with the repository's versions.
var (
	dbgAtRE      = regexp.MustCompile(` at (\S+?):(\d+)(?::\d+)?\s*$`)
	gdbSourceRE  = regexp.MustCompile(`^(\d+)\t(.*)$`)
	lldbSourceRE = regexp.MustCompile(`^(->|\s)\s*(\d+) +\t(.*)$`)
)

// dbgQuote is the source a debugger printed at one place.
type dbgQuote struct {
	pre, post []string
	line      string
}

// debuggerQuotes collects the source lines gdb and lldb printed, by the
// place's file base name and line.
func debuggerQuotes(lines []string) map[string]dbgQuote {
	var out map[string]dbgQuote
	put := func(file string, n int, q dbgQuote) {
		if out == nil {
			out = map[string]dbgQuote{}
		}
		k := path.Base(file) + ":" + strconv.Itoa(n)
		if _, ok := out[k]; !ok && strings.TrimSpace(q.line) != "" {
			out[k] = q
		}
	}
	for i := 0; i+1 < len(lines); i++ {
		at := dbgAtRE.FindStringSubmatch(lines[i])
		if at == nil {
			continue
		}
		n, err := strconv.Atoi(at[2])
		if err != nil || n <= 0 {
			continue
		}
		if m := gdbSourceRE.FindStringSubmatch(lines[i+1]); m != nil && m[1] == at[2] {
			if !strings.HasSuffix(m[2], ": No such file or directory.") {
				put(at[1], n, dbgQuote{line: m[2]})
			}
			continue
		}
		// lldb: numbered lines, the frame's marked "->", carets between.
		var q dbgQuote
		found := false
		for j := i + 1; j < len(lines) && j <= i+1+2*(MaxContext+1); j++ {
			m := lldbSourceRE.FindStringSubmatch(lines[j])
			if m == nil {
				if t := strings.TrimSpace(lines[j]); t != "" && strings.Trim(t, "^~ \t") == "" {
					continue // the column's caret
				}
				break
			}
			switch {
			case m[1] == "->" && m[2] == at[2]:
				q.line, found = m[3], true
			case found:
				q.post = append(q.post, m[3])
			default:
				q.pre = append(q.pre, m[3])
			}
		}
		if found {
			put(at[1], n, q)
		}
	}
	return out
}

// quoteDebuggerSource gives each frame of s at a place whose source a
// debugger printed that source, unless the frame quotes some already.
func quoteDebuggerSource(s *Signal, quotes map[string]dbgQuote) {
	if len(quotes) == 0 {
		return
	}
	for i, f := range s.Frames {
		if f.Context != "" || f.Line <= 0 || f.File == "" {
			continue
		}
		if q, ok := quotes[path.Base(f.File)+":"+strconv.Itoa(f.Line)]; ok {
			s.Frames[i] = f.WithContext(q.pre, q.line, q.post)
		}
	}
}
