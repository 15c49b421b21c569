package signal

import (
	"regexp"
	"strings"
)

var (
	// glogFrameRE is one frame of the stack glog and Abseil's failure
	// signal handler print: "    @     0x7f57189b9e87 gsignal", "@ 0x21e61d
	// google::LogMessage::Fail()", "(unknown)" for a nameless one.
	// Abseil puts the frame's size between ("@ 0x55d3e0e1c1a4  48
	// ledger::Post()", "(unknown)" for a size it could not tell).
	glogFrameRE = regexp.MustCompile(`^@\s+0x[0-9a-fA-F]+\s+(?:(?:\d+|\(unknown\))\s+(\S.*?)|(.+?))\s*$`)
	// glogFatalRE is glog's (and Abseil's) fatal log line, the failed
	// CHECK: "F20230223 22:31:24.688732  4806 stack_trace.cpp:8] Check
	// failed: x == 1 (2 vs. 1)".
	glogFatalRE = regexp.MustCompile(`(?:^|\s)F\d{4}(?:\d{4})? \d\d:\d\d:\d\d\.\d+\s+\d+ ([^\s:\]]+):(\d+)\] (.+?)\s*$`)
)

// glogMachinery are the functions of glog's and Abseil's logging and
// failure handlers, which open their stacks.
var glogMachinery = []string{"google::LogMessage", "google::logging_fail", "google::LogDestination", "google::(anonymous namespace)::",
	"google::DumpStackTrace", "absl::log_internal::", "absl::internal_log_internal::", "absl::debugging_internal::",
	"absl::AbslFailureSignalHandler", "absl::(anonymous namespace)::"}

// parseGlogReports reads the stacks glog and Abseil print when a CHECK
// fails or a fatal signal arrives ("*** Check failure stack trace: ***",
// "*** SIGSEGV ... stack trace: ***", Abseil's "*** SIGSEGV received at
// time=... ***", then "@ 0x... function" frames, the
// innermost first). Their frames name functions only; the failed CHECK's
// "F... file.cc:12] Check failed: ..." line (an assertion message) gives
// the stack its file and line.
func parseGlogReports(_ string, lines []string) []nativeReport {
	var out []nativeReport
	var frames []Frame
	start, title := -1, ""
	flush := func(end int) {
		if len(frames) > 0 {
			rep := nativeReport{format: FormatGlibc, title: title, start: start, end: end}
			rep.addStack("stack", frames)
			out = append(out, rep)
		}
		frames, start, title = nil, -1, ""
	}
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		if strings.HasPrefix(l, "PC: @") {
			continue
		}
		if m := glogFrameRE.FindStringSubmatch(l); m != nil {
			if start < 0 {
				start = i
			}
			fn := m[1] + m[2]
			if fn == "(unknown)" {
				fn = ""
			}
			fn = cleanFunction(strings.TrimSuffix(fn, "("))
			f := nativeFrame(FormatGlibc, "", 0, 0, fn, "")
			if fn == "" || hasAnyPrefix(fn, glogMachinery) {
				f.InApp = false
			}
			if len(frames) < MaxFrames {
				frames = append(frames, f)
			}
			continue
		}
		if start >= 0 {
			flush(i - 1)
		}
		if strings.HasPrefix(l, "***") && strings.HasSuffix(l, "***") && (strings.Contains(l, "stack trace") || strings.Contains(l, " received at ")) {
			title = strings.TrimSpace(strings.Trim(l, "*"))
		}
	}
	if start >= 0 {
		flush(len(lines) - 1)
	}
	return out
}
