package signal

import (
	"regexp"
	"strconv"
	"strings"
)

// goRaceStackRE matches the line that opens a stack of a Go race report:
// "Write at 0x00c0001a4010 by goroutine 12:", "Previous read at 0x... by
// main goroutine:", "Goroutine 12 (running) created at:".
var goRaceStackRE = regexp.MustCompile(`^((?:Previous )?(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite)(?: of size \d+)?) at 0x[0-9a-fA-F]+ by ((?:main )?goroutine(?: \d+)?):\s*$|^(Goroutine \d+) \((?:running|finished)\) created at:\s*$`)

// parseGoRaceLines reads the reports of Go's race detector ("WARNING: DATA
// RACE" between lines of "="), one signal each: the access that raced is
// the crash stack, the previous access and the goroutines' creation sites
// are further stacks, in report order.
func parseGoRaceLines(lines []string) []Signal {
	var out []Signal
	for i := 0; i < len(lines) && len(out) < MaxSignals; i++ {
		if strings.TrimSpace(lines[i]) != "WARNING: DATA RACE" {
			continue
		}
		s := Signal{Format: FormatGo, Title: "WARNING: DATA RACE", Frames: []Frame{}}
		texts := []string{"data race"} // the accesses' words (read, write) are in every report
		stack := -1
		pendingFn := ""
		j := i + 1
	report:
		for ; j < len(lines); j++ {
			l := lines[j]
			t := strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(t, "=================="), t == "WARNING: DATA RACE":
				break report
			case t == "":
				pendingFn = ""
				continue
			}
			if m := goRaceStackRE.FindStringSubmatch(t); m != nil && !strings.HasPrefix(l, " ") {
				name := m[3] + " created"
				if m[1] != "" {
					name = strings.ToLower(m[1]) + " by " + m[2]
				}
				s.Stacks = append(s.Stacks, name)
				stack = len(s.Stacks) - 1
				pendingFn = ""
				continue
			}
			if stack < 0 || len(s.Frames) >= MaxFrames {
				continue
			}
			if m := goFileRE.FindStringSubmatch(l); m != nil && pendingFn != "" {
				n, _ := strconv.Atoi(m[2])
				f := Frame{File: m[1], Line: n, Function: pendingFn, Module: goPackage(pendingFn), Stack: stack}
				f.InApp = IsInApp(FormatGo, f.File, f.Function, f.Module)
				s.Frames = append(s.Frames, f)
				pendingFn = ""
				continue
			}
			if fn, ok := goFuncName(t); ok {
				pendingFn = fn
			}
		}
		if len(s.Frames) > 0 {
			s.Symptoms = Symptoms(texts...)
			s.stamp(lines, i)
			out = append(out, s)
		}
		i = j - 1
	}
	return out
}
