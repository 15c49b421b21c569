package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// path:line:in `label': message (Class)  (3.3) or 'label' (3.4)
	rubyHeaderRE = regexp.MustCompile(`^(?:.*?\s)?([^\s:][^:]*?):(\d+):in [` + "`" + `']([^']*)': (.*) \(([A-Z][\w:]*)\)\s*$`)
	rubyFrameRE  = regexp.MustCompile(`^\s*(?:from )?([^\s:][^:]*?):(\d+):in [` + "`" + `']([^']*)'\s*$`)
	rubyBareRE   = regexp.MustCompile(`^\s*(?:.*?\s)?([A-Z][\w:]*) \((.*)\):?\s*$`)
)

// parseRubyLines reads Ruby backtraces in the 3.3 style
// (file:12:in `method') and the 3.4 style (file:12:in 'Klass#method'): the
// first line holds the raising frame, the message and the class; "from"
// lines follow. Ruby prints an exception's cause after it, with its own
// first line: consecutive blocks form one chain whose last block (the root
// cause) comes first. Rails-style logs ("NoMethodError (message):" and bare
// backtrace lines) are read too. "... N levels..." is skipped.
func parseRubyLines(lines []string) []Signal {
	var sigs []Signal
	var chain []chained
	flush := func() {
		if sig, ok := chainSignal(FormatRuby, lines, chain); ok {
			sigs = append(sigs, sig)
		}
		chain = nil
	}
	linked := false // the previous line belonged to the current chain
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if m := matchIf(rubyHeaderRE, l, ":in "); m != nil {
			if !linked {
				flush()
			}
			e := chained{exception: exception{typ: m[5], msg: strings.TrimSpace(m[4])}, start: i}
			e.frames = append(e.frames, rubyFrame(m[1], m[2], m[3]))
			chain = append(chain, e)
			linked = true
			continue
		}
		if m := matchIf(rubyFrameRE, l, ":in "); m != nil {
			from := strings.HasPrefix(t, "from ")
			if len(chain) == 0 || !linked && !from {
				flush()
				chain = append(chain, chained{start: i})
			}
			c := &chain[len(chain)-1]
			if len(c.frames) < MaxFrames {
				c.frames = append(c.frames, rubyFrame(m[1], m[2], m[3]))
			}
			linked = true
			continue
		}
		if strings.HasPrefix(t, "...") && strings.HasSuffix(t, "levels...") {
			continue
		}
		if m := rubyBare(l, t); m != nil {
			flush()
			chain = append(chain, chained{exception: exception{typ: m[1], msg: m[2]}, start: i})
			linked = true
			continue
		}
		if t == "" && len(chain) > 0 && len(chain[len(chain)-1].frames) == 0 {
			continue // Rails puts a blank line between the message and the backtrace
		}
		linked = false
	}
	flush()
	return sigs
}

// rubyBare matches a Rails-style "Class (message):" line; the regexp runs
// only on lines that end the way it needs and hold a capitalized word
// right before a " (".
func rubyBare(l, trimmed string) []string {
	if !strings.HasSuffix(trimmed, ")") && !strings.HasSuffix(trimmed, "):") {
		return nil
	}
	for off := 0; ; {
		k := strings.Index(l[off:], " (")
		if k < 0 {
			return nil
		}
		k += off
		j := k
		for j > 0 && (isIdentByte(l[j-1]) || l[j-1] == ':') {
			j--
		}
		if j < k && l[j] >= 'A' && l[j] <= 'Z' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t' || l[j-1] == '\n' || l[j-1] == '\v' || l[j-1] == '\f' || l[j-1] == '\r') {
			return rubyBareRE.FindStringSubmatch(l)
		}
		off = k + 2
	}
}

func rubyFrame(file, line, label string) Frame {
	n, _ := strconv.Atoi(line)
	f := Frame{File: file, Line: n, Function: label}
	f.InApp = IsInApp(FormatRuby, f.File, f.Function, "")
	return f
}
