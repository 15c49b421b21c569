package signal

import (
	"regexp"
	"strings"
)

var (
	// pytestHeaderRE opens one failure of pytest's report:
	// "______ test_first_hop ______", "____ ERROR at setup of test_x ____".
	pytestHeaderRE = regexp.MustCompile(`^_{3,} (.+?) _{3,}\s*$`)
	// pytestLocRE ends one entry of a failure: "routes.py:14: in
	// first_hop" (short entries), "tests/test_routes.py:8: " (long ones,
	// whose function is the "def" above), "routes.py:9: KeyError" (the
	// last one, with the exception's type).
	pytestLocRE = regexp.MustCompile(`^(\S+\.py):(\d+): ?(?:in (\S+)|([A-Za-z_][\w.]*))?\s*$`)
	// pytestLineRE is a failure of --tb=line: "/src/routes.py:9: KeyError:
	// '10.0.0.0/24'".
	pytestLineRE = regexp.MustCompile(`^(\S+\.py):(\d+): ([A-Za-z_][\w.]*(?:Error|Exception|Exit|Failed|Interrupt)): (.*)$`)
	pytestDefRE  = regexp.MustCompile(`^>?\s*(?:async\s+)?def (\w+)\(`)
	pytestErrRE  = regexp.MustCompile(`^E {1,}(\S.*?)\s*$`)
)

// parsePytestLines reads the failures of a pytest report, in its long
// (the default's first and last entries), short and line forms: one
// signal per failure, its entries innermost first. The "E" lines give the
// exception's message, the last entry's location line its type.
func parsePytestLines(lines []string) []Signal {
	var out []Signal
	var frames []Frame
	var errs []string
	excType, lastDef := "", ""
	start := -1
	flush := func() {
		if len(frames) > 0 && (len(errs) > 0 || excType != "") && len(out) < MaxSignals {
			out = append(out, pytestSignal(lines, start, frames, errs, excType))
		}
		frames, errs, excType, lastDef, start = nil, nil, "", "", -1
	}
	// The source pytest prints of an entry (long form): its lines, four
	// columns in, the entry's own line marked ">".
	var block []string
	mark := -1
	for i, l := range lines {
		t := strings.TrimRight(l, " \t\r")
		switch {
		case strings.HasPrefix(t, "___") && pytestHeaderRE.MatchString(t):
			flush()
			start = i
			block, mark = nil, -1
			continue
		case strings.HasPrefix(t, "===") && strings.HasSuffix(t, "==="):
			flush()
			block, mark = nil, -1
			continue
		case strings.HasPrefix(t, "_ _"):
			block, mark = nil, -1
			continue
		case pytestSource(t):
			side := (MaxContext - 1) / 2
			switch {
			case strings.HasPrefix(t, ">") && mark < 0:
				mark = len(block)
			case mark < 0 && len(block) == side:
				block = block[1:] // only the lines nearest the marked one count
			case mark >= 0 && len(block)-mark > side:
				continue
			}
			block = append(block, strings.TrimRight(l, "\r")[4:])
		}
		if strings.HasPrefix(t, "E ") {
			if m := pytestErrRE.FindStringSubmatch(t); m != nil {
				errs = append(errs, m[1])
				continue
			}
		}
		if strings.Contains(t, "def ") {
			if m := pytestDefRE.FindStringSubmatch(t); m != nil && (strings.HasPrefix(t, " ") || strings.HasPrefix(t, ">")) {
				lastDef = m[1]
				continue
			}
		}
		if !strings.Contains(t, ".py:") {
			continue
		}
		if m := pytestLineRE.FindStringSubmatch(t); m != nil && len(frames) == 0 {
			f := Frame{File: m[1], Line: atoi(m[2])}
			f.InApp = IsInApp(FormatPython, f.File, "", "")
			if len(out) < MaxSignals {
				out = append(out, pytestSignal(lines, i, []Frame{f}, []string{m[3] + ": " + m[4]}, m[3]))
			}
			continue
		}
		m := pytestLocRE.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		if start < 0 {
			start = i
		}
		fn := m[3]
		if fn == "" {
			fn = lastDef
		}
		f := Frame{File: m[1], Line: atoi(m[2]), Function: fn}
		f.InApp = IsInApp(FormatPython, f.File, f.Function, "")
		switch {
		case mark >= 0:
			f = f.WithContext(block[:mark], block[mark], block[mark+1:])
		case i+1 < len(lines) && pytestSource(strings.TrimRight(lines[i+1], " \t\r")) && !strings.HasPrefix(lines[i+1], ">"):
			// The short form: the entry's line under its location.
			f = f.WithContext(nil, lines[i+1][4:], nil)
		}
		block, mark = nil, -1
		if len(frames) < MaxFrames {
			frames = append(frames, f)
		}
		lastDef = ""
		if m[4] != "" {
			excType = m[4]
			flush() // the last entry of a long failure
		}
	}
	flush()
	return out
}

// pytestSource reports a line of source as pytest prints it, four columns
// in: "    code", or ">   code" for the entry's own line.
func pytestSource(t string) bool {
	return len(t) > 4 && (strings.HasPrefix(t, "    ") || strings.HasPrefix(t, ">   ")) && strings.TrimSpace(t) != ">"
}

// pytestSignal builds the signal of one failure from its entries
// (outermost first, as pytest prints them).
func pytestSignal(lines []string, start int, entries []Frame, errs []string, excType string) Signal {
	frames := make([]Frame, len(entries))
	for k, f := range entries {
		frames[len(entries)-1-k] = f
	}
	msg := ""
	if len(errs) > 0 {
		msg = errs[0]
	}
	if excType == "" {
		// A short failure: "E   KeyError: '10.0.0.0/24'".
		if head, rest, ok := strings.Cut(msg, ": "); ok && pyExcRE.MatchString(head) && !strings.Contains(head, " ") {
			excType, msg = head, rest
		}
	} else {
		msg = strings.TrimPrefix(msg, excType+": ")
		if msg == excType {
			msg = ""
		}
	}
	outer := exception{typ: excType, msg: msg}
	s := Signal{Format: FormatPython, Title: outer.title(), Frames: frames}
	s.Symptoms = Symptoms(excType, msg)
	s.stamp(lines, max(start, 0))
	return s
}
