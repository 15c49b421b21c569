package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// path:line:in `label': message (Class)  (3.3) or 'label' (3.4)
	rubyHeaderRE = regexp.MustCompile(`^(?:.*?\s)?((?:[A-Za-z]:)?[^\s:][^:]*?):(\d+):in [` + "`" + `']([^']*)': (.*) \(([A-Z][\w:]*)\)\s*$`)
	rubyFrameRE  = regexp.MustCompile(`^\s*(?:from )?((?:[A-Za-z]:)?[^\s:][^:]*?):(\d+):in [` + "`" + `']([^']*)'\s*$`)
	rubyBareRE   = regexp.MustCompile(`^\s*(?:.*?\s)?([A-Z][\w:]*) \((.*)\):?\s*$`)
	// rubyNumberedFromRE: Ruby 2.5 to 2.7 print the frames above the
	// raising one first, outermost first: "\t2: from bin/x:23:in `<main>'".
	rubyNumberedFromRE = regexp.MustCompile(`^\s*\d+: from ((?:[A-Za-z]:)?[^\s:][^:]*?):(\d+):in [` + "`" + `']([^']*)'\s*$`)
)

// rubyCrashHeader starts the frames of a Ruby VM crash report ("[BUG]
// Segmentation fault"), which it prints outermost first.
const rubyCrashHeader = "-- Ruby level backtrace information"

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
	linked := false             // the previous line belonged to the current chain
	var above []Frame           // "N: from" frames waiting for the raising line, outermost first
	crash, crashTitle := -1, "" // the line of a crash report's frames, and its "[BUG]" line
	var crashFrames []Frame
	endCrash := func() {
		if crash >= 0 && len(crashFrames) > 0 {
			flush()
			e := chained{exception: exception{msg: crashTitle}, start: crash}
			for k := len(crashFrames) - 1; k >= 0; k-- {
				e.frames = append(e.frames, crashFrames[k])
			}
			chain = append(chain, e)
			flush()
		}
		crash, crashFrames = -1, nil
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, rubyCrashHeader) {
			endCrash()
			flush()
			crash, crashTitle = i, ""
			for k := i - 1; k >= 0 && k >= i-200; k-- {
				if j := strings.Index(lines[k], "[BUG] "); j >= 0 {
					crashTitle = strings.TrimSpace(lines[k][j+6:])
					break
				}
			}
			continue
		}
		if crash >= 0 {
			if m := matchIf(rubyFrameRE, l, ":in "); m != nil && !strings.HasPrefix(t, "from ") {
				if len(crashFrames) < MaxFrames {
					crashFrames = append(crashFrames, rubyFrame(m[1], m[2], m[3]))
				}
				continue
			}
			endCrash()
		}
		if t == "Traceback (most recent call last):" {
			// Ruby 2.5 to 2.7, before their "N: from" lines: a new error.
			linked, above = false, nil
			continue
		}
		if m := matchIf(rubyNumberedFromRE, l, ": from "); m != nil {
			if len(above) < MaxFrames {
				above = append(above, rubyFrame(m[1], m[2], m[3]))
			}
			continue
		}
		if m := matchIf(rubyHeaderRE, l, ":in "); m != nil {
			if !linked {
				flush()
			}
			e := chained{exception: exception{typ: m[5], msg: strings.TrimSpace(m[4])}, start: i}
			e.frames = append(e.frames, rubyFrame(m[1], m[2], m[3]))
			for k := len(above) - 1; k >= 0; k-- {
				e.frames = append(e.frames, above[k])
			}
			above = nil
			chain = append(chain, e)
			linked = true
			continue
		}
		if t != "" {
			above = nil
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
	endCrash()
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
