package signal

import (
	"regexp"
	"slices"
	"strings"
)

var (
	btSymbolsRE  = regexp.MustCompile(`(?:^|\s)(\S+?)\(([^()\s]*)\)\s*\[(0x[0-9a-fA-F]+)\]\s*$`)
	btNoSymbolRE = regexp.MustCompile(`(?:^|\s)(\.?/\S+?)\s*\[(0x[0-9a-fA-F]+)\]\s*$`)
	assertRE     = regexp.MustCompile(`(?:^|\s)(\S+):(\d+): (.+?): Assertion [` + "`" + `'](.*)' failed\.?\s*$`)
	muslAssertRE = regexp.MustCompile(`Assertion failed: (.+) \((\S+): (.+): (\d+)\)\s*$`)
	// btrfs-progs' ASSERT, WARN_ON and BUG_ON (kerncompat.h): "file.c:12:
	// fn: Assertion `x` failed, value 0", "... BUG_ON `x` triggered, value 1".
	// CRIU's BUG_ON ("Error (criu/mem.c:12): BUG at criu/mem.c:12", and
	// "BUG at criu/pie/restorer.c: 12" from its code without a C library).
	bugAtRE       = regexp.MustCompile(`(?:^|\s)BUG at (\S+\.(?:c|h|cc|cpp)): ?(\d+)\s*$`)
	progsAssertRE = regexp.MustCompile("(?:^|\\s)(\\S+):(\\d+): (\\S+): (Assertion|Warning: assertion|BUG_ON) `(.*)` (failed|triggered), value -?\\d+\\s*$")
	// GLib's g_assert family: "[domain:]ERROR:file.c:12:func: assertion
	// failed: (x)", "... code should not be reached".
	glibAssertRE = regexp.MustCompile(`(?:^|\s)(?:[\w.-]+:)?ERROR:(\S+?):(\d+):(?:(.+?):)? ((?:assertion failed|code should not be reached).*?)\s*$`)
	// systemd's assert and assert_not_reached (also in PulseAudio's
	// pa_assert and the systemd code other projects carry): "Assertion 'x'
	// failed at src/x.c:12, function f(). Aborting.", "Code should not be
	// reached 'x' at src/x.c:12, function f(). Aborting." (without 'x' in
	// newer systemd), and assert_return's "... Ignoring.".
	systemdAssertRE = regexp.MustCompile(`(?:^|\s)(Assertion '(.*)' failed|Code should not be reached(?: '(.*)')?) at (\S+?):(\d+), function ([^\s()]+)\(\)`)
	// PipeWire's spa_assert and PulseAudio's client library checks: "'x'
	// failed at ../spa/x.c:12 f()".
	spaAssertRE = regexp.MustCompile(`(?:^|\s)'(.*)' failed at (\S+?):(\d+) ([A-Za-z_]\w*)\(\)\s*$`)
	// GLib's g_warn_if_fail and g_warn_if_reached (g_warn_message), logged
	// as warnings: "(../src/x.c:12):func: runtime check failed: (x)",
	// "(x.c:12):func: code should not be reached".
	glibWarnRE = regexp.MustCompile(`(?:^|\s)\((\S+?):(\d+)\):(?:([\w:~<>]+):)? (runtime check failed: \(.*\)|code should not be reached)\s*$`)
	// GLib's g_return_if_fail and g_return_val_if_fail criticals: "func:
	// assertion 'x' failed" (before GLib 2.40 "assertion `x' failed"), after
	// the log domain's "CRITICAL **: time: ".
	//
	// NetworkManager's release builds put "((file.c:12))" in place of the
	// function, and "<dropped>" in place of the expression.
	glibCriticalRE = regexp.MustCompile("(?:^|\\s)([A-Za-z_][\\w:~<>]*|\\(\\(\\S+?:\\d+\\)\\)): assertion ['`](.*)' failed\\s*$")
	nmSiteRE       = regexp.MustCompile(`^\(\((\S+?):(\d+)\)\)$`)
	// Open vSwitch's (and OVN's) ovs_assert, logged or on stderr: "lib/x.c:12:
	// assertion b->size <= n failed in ofpbuf_use__()".
	ovsAssertRE = regexp.MustCompile(`(?:^|\s)(\S+\.(?:c|h)):(\d+): assertion (.+) failed in (\w+)\(\)\s*$`)
	// FRRouting's assert (lib/zlog.c, "bgpd/x.c:12: fn(): assertion (x)
	// failed[, extra info: ...]"), and Quagga's and FRR's before it
	// ("Assertion `x' failed in file x.c, line 12, function fn").
	frrAssertRE    = regexp.MustCompile(`(?:^|\s)(\S+\.(?:c|h|cc|cpp)):(\d+): (\w+)\(\): [Aa]ssertion \((.*)\) failed(?:,? extra info: .*|\.)?\s*$`)
	quaggaAssertRE = regexp.MustCompile("(?:^|\\s)Assertion `(.*)' failed in file (\\S+), line (\\d+), function (\\S+)\\s*$")
	// DPDK's rte_panic ("PANIC in rte_eal_init():" then its message) and
	// RTE_VERIFY, whose message is "line 783\tassert "x" failed".
	dpdkPanicRE  = regexp.MustCompile(`(?:^|\s)PANIC in (\w+)\(\):\s*$`)
	dpdkVerifyRE = regexp.MustCompile(`^\s*line (\d+)\s+assert "(.*)" failed\s*$`)
	// Dovecot's i_assert and i_unreached, and GLib's before 2.16: "Panic:
	// file x.c: line 12 (func): assertion failed: (x)"; GLib's
	// g_return_if_reached: "file x.c: line 12 (func): should not be reached".
	fileLineAssertRE = regexp.MustCompile(`(?:^|Panic: |\*\*: (?:[\d:.]+: )?)file (\S+): line (\d+)(?: \(([^()]*)\))?: ((?:assertion|unreached|should not be reached).*?)\s*$`)
	fortifyRE        = regexp.MustCompile(`\*\*\* ((?:stack smashing|buffer overflow) detected|longjmp causes uninitialized stack frame) \*\*\*`)
	glibcErrorRE     = regexp.MustCompile("\\*\\*\\* Error in `[^']*': (.+?)(?:: 0x[0-9a-f]+)? \\*\\*\\*")
	mallocCheckRE    = regexp.MustCompile(`^((?:free|malloc|realloc|calloc|munmap_chunk|malloc_consolidate|_int_malloc|_int_free|_int_realloc|tcache_thread_shutdown)\(\): .+|double free or corruption \(.+\)|corrupted size vs\. prev_size.*|corrupted double-linked list.*)$`)
	terminateRE      = regexp.MustCompile(`terminate called after throwing an instance of '(.+)'\s*$`)
	whatRE           = regexp.MustCompile(`^\s*what\(\):\s+(.*)$`)
	terminateOther   = regexp.MustCompile(`(terminate called (?:without an active exception|recursively)|pure virtual method called)\s*$`)
)

// glibcMessage is an abort message of the C or C++ runtime.
type glibcMessage struct {
	line  int
	title string
	texts []string
	frame *Frame // an assertion's location
	notes []string
}

// assertion reads a failed assertion of glibc ("prog: file.c:12: fn:
// Assertion `x' failed."), musl ("Assertion failed: x (file.c: fn: 12)"),
// btrfs-progs, GLib or Dovecot, or CRIU's BUG_ON ("BUG at criu/mem.c:12"). The title leaves out the program's name and the function's
// signature: they are words of the build, not of the failure.
func assertion(l string) (glibcMessage, bool) {
	if m := assertRE.FindStringSubmatch(l); m != nil {
		fn := cleanFunction(m[3])
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, fn, "")
		return glibcMessage{title: m[1] + ":" + m[2] + ": " + fn + ": Assertion `" + m[4] + "' failed.", texts: []string{m[4]}, frame: &f}, true
	}
	if m := progsAssertRE.FindStringSubmatch(l); m != nil {
		fn := cleanFunction(m[3])
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, fn, "")
		return glibcMessage{title: m[1] + ":" + m[2] + ": " + fn + ": " + m[4] + " `" + m[5] + "` " + m[6], texts: []string{m[5]}, frame: &f}, true
	}
	if m := ovsAssertRE.FindStringSubmatch(l); m != nil {
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, m[4], "")
		return glibcMessage{title: m[1] + ":" + m[2] + ": assertion " + m[3] + " failed in " + m[4] + "()", texts: []string{m[3]}, frame: &f}, true
	}
	if m := frrAssertRE.FindStringSubmatch(l); m != nil {
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, m[3], "")
		return glibcMessage{title: m[1] + ":" + m[2] + ": " + m[3] + "(): assertion (" + m[4] + ") failed", texts: []string{m[4]}, frame: &f}, true
	}
	if m := quaggaAssertRE.FindStringSubmatch(l); m != nil {
		fn := m[4]
		if fn == "?" {
			fn = ""
		}
		f := nativeFrame(FormatGlibc, m[2], atoi(m[3]), 0, fn, "")
		return glibcMessage{title: m[2] + ":" + m[3] + ": Assertion `" + m[1] + "' failed", texts: []string{m[1]}, frame: &f}, true
	}
	if m := glogFatalRE.FindStringSubmatch(l); m != nil && strings.Contains(l, "] ") {
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, "", "")
		return glibcMessage{title: m[1] + ":" + m[2] + "] " + m[3], texts: []string{m[3]}, frame: &f}, true
	}
	if m := bugAtRE.FindStringSubmatch(l); m != nil && !strings.Contains(l, "Xen BUG at") && !strings.Contains(l, "kernel BUG at") {
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, "", "")
		return glibcMessage{title: "BUG at " + m[1] + ":" + m[2], frame: &f}, true
	}
	if m := muslAssertRE.FindStringSubmatch(l); m != nil {
		fn := cleanFunction(m[3])
		f := nativeFrame(FormatGlibc, m[2], atoi(m[4]), 0, fn, "")
		return glibcMessage{title: "Assertion failed: " + m[1], texts: []string{m[1]}, frame: &f}, true
	}
	if m := systemdAssertRE.FindStringSubmatch(l); m != nil {
		fn := cleanFunction(m[6])
		f := nativeFrame(FormatGlibc, m[4], atoi(m[5]), 0, fn, "")
		var texts []string
		if x := m[2] + m[3]; x != "" {
			texts = []string{x}
		}
		return glibcMessage{title: m[1] + " at " + m[4] + ":" + m[5] + ", function " + fn + "()", texts: texts, frame: &f}, true
	}
	if m := spaAssertRE.FindStringSubmatch(l); m != nil {
		f := nativeFrame(FormatGlibc, m[2], atoi(m[3]), 0, m[4], "")
		return glibcMessage{title: "'" + m[1] + "' failed at " + m[2] + ":" + m[3] + " " + m[4] + "()", texts: []string{m[1]}, frame: &f}, true
	}
	if m := glibWarnRE.FindStringSubmatch(l); m != nil {
		fn := cleanFunction(m[3])
		f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, fn, "")
		title := "(" + m[1] + ":" + m[2] + "):" + fn + ": " + m[4]
		return glibcMessage{title: title, texts: assertionTexts(m[4]), frame: &f}, true
	}
	if m := glibCriticalRE.FindStringSubmatch(l); m != nil {
		var f Frame
		var texts []string
		if m[2] != "<dropped>" {
			texts = []string{m[2]}
		}
		if site := nmSiteRE.FindStringSubmatch(m[1]); site != nil {
			f = nativeFrame(FormatGlibc, site[1], atoi(site[2]), 0, "", "")
		} else {
			f = nativeFrame(FormatGlibc, "", 0, 0, cleanFunction(m[1]), "")
		}
		title := m[1] + ": assertion '" + m[2] + "' failed"
		if texts == nil {
			title = m[1] + ": assertion failed"
		}
		return glibcMessage{title: title, texts: texts, frame: &f,
			notes: []string{"a GLib critical names where a function refused its arguments, not the caller that passed them, which is often the one to blame: " +
				"run the program with G_DEBUG=fatal-criticals under gdb (bt) to get the whole stack"}}, true
	}
	for _, re := range []*regexp.Regexp{glibAssertRE, fileLineAssertRE} {
		if m := re.FindStringSubmatch(l); m != nil {
			fn := cleanFunction(m[3])
			f := nativeFrame(FormatGlibc, m[1], atoi(m[2]), 0, fn, "")
			title := m[1] + ":" + m[2] + ": " + m[4]
			if fn != "" {
				title = m[1] + ":" + m[2] + ": " + fn + ": " + m[4]
			}
			return glibcMessage{title: title, texts: assertionTexts(m[4]), frame: &f}, true
		}
	}
	return glibcMessage{}, false
}

// assertionTexts is the expression of a GLib or Dovecot assertion's
// message ("assertion failed: (x != NULL)", "assertion failed (a == b):
// (1 == 2)"), for the symptoms.
func assertionTexts(msg string) []string {
	i := strings.IndexByte(msg, '(')
	if i < 0 {
		return nil
	}
	if j := matchParen(msg, i); j > 0 && msg[i+1:j-1] != "<dropped>" {
		return []string{msg[i+1 : j-1]}
	}
	return nil
}

// glibcMarkers are in every message glibcMessages reads (parts of them
// whose first byte is rare in logs, which are faster to look for).
var glibcMarkers = []string{"Assertion", "assertion", "BUG_ON", "BUG at ", "reached", "***", "(): ", "PANIC in ", "corrupt", "minate called", "virtual method called", "check failed", "failed at ", "Check failed"}

// dpdkPanic reads DPDK's rte_panic at lines[i] ("PANIC in fn():") and the
// message on the line after it: the panicking function is the site, with
// the line an RTE_VERIFY message names. It reports how many lines it read.
func dpdkPanic(lines []string, i int) (glibcMessage, int, bool) {
	m := dpdkPanicRE.FindStringSubmatch(lines[i])
	if m == nil {
		return glibcMessage{}, 0, false
	}
	fn := m[1]
	msg := glibcMessage{line: i, title: "PANIC in " + fn + "()"}
	next := ""
	if i+1 < len(lines) {
		next = strings.TrimSpace(lines[i+1])
	}
	line := 0
	read := 1
	if v := dpdkVerifyRE.FindStringSubmatch(next); v != nil {
		line = atoi(v[1])
		msg.title += ": assert \"" + v[2] + "\" failed"
		msg.texts = []string{v[2]}
		read = 2
	} else if next = strings.TrimSpace(strings.TrimPrefix(next, "EAL:")); next != "" && !btSymbolsRE.MatchString(next) && dpdkFrame(next) == nil {
		msg.title += ": " + next
		msg.texts = []string{next}
		read = 2
	}
	f := nativeFrame(FormatGlibc, "", line, 0, fn, "")
	msg.frame = &f
	return msg, read, true
}

// glibcMessages finds the abort messages of the C library and the C++
// runtime: failed assertions ("file.c:12: fn: Assertion `x' failed."),
// "*** stack smashing detected ***", malloc's consistency checks
// ("free(): double free detected in tcache 2") and uncaught C++ exceptions
// ("terminate called after throwing an instance of 'std::out_of_range'"
// with its "what():" line).
func glibcMessages(text string, lines []string) []glibcMessage {
	var markers []string
	for _, m := range glibcMarkers {
		if strings.Contains(text, m) {
			markers = append(markers, m)
		}
	}
	if len(markers) == 0 {
		return nil
	}
	var out []glibcMessage
	skip := -1
	for i, l := range lines {
		if i <= skip {
			continue // the message of a panic read with it
		}
		found := false
		for _, m := range markers {
			if strings.Contains(l, m) {
				found = true
				break
			}
		}
		if !found {
			continue
		}
		if msg, n, ok := dpdkPanic(lines, i); ok {
			out = append(out, msg)
			skip = i + n - 1
			continue
		}
		if msg, ok := assertion(l); ok {
			msg.line = i
			// GLib's test harness repeats the message after "Bail out! ".
			if n := len(out); n > 0 && out[n-1].title == msg.title && i-out[n-1].line <= 2 {
				continue
			}
			out = append(out, msg)
			continue
		}
		if m := fortifyRE.FindStringSubmatch(l); m != nil {
			out = append(out, glibcMessage{line: i, title: "*** " + m[1] + " ***"})
			continue
		}
		if m := glibcErrorRE.FindStringSubmatch(l); m != nil {
			out = append(out, glibcMessage{line: i, title: m[1]})
			continue
		}
		t := strings.TrimSpace(l)
		if m := mallocCheckRE.FindStringSubmatch(t); m != nil {
			out = append(out, glibcMessage{line: i, title: m[1]})
			continue
		}
		if m := terminateRE.FindStringSubmatch(l); m != nil {
			msg := glibcMessage{line: i, title: m[1]}
			if i+1 < len(lines) {
				if w := whatRE.FindStringSubmatch(lines[i+1]); w != nil {
					msg.title += ": " + strings.TrimSpace(w[1])
				}
			}
			out = append(out, msg)
			continue
		}
		if m := terminateOther.FindStringSubmatch(l); m != nil {
			out = append(out, glibcMessage{line: i, title: m[1]})
		}
	}
	return out
}

// mergeGlibcMessages gives each abort message to the report it belongs
// to: the first report starting at most ten lines after it, or holding it.
// A report that has no headline of its own (a debugger's or Valgrind's)
// takes the message as its title. A message that belongs to no report is
// a report of its own: an assertion with its location as the one frame,
// the others without frames.
func mergeGlibcMessages(text string, lines []string, reports []nativeReport) []nativeReport {
	for _, m := range glibcMessages(text, lines) {
		best := -1
		for k := range reports {
			r := &reports[k]
			if m.line <= r.end && m.line >= r.start-10 && (best < 0 || r.start < reports[best].start) {
				best = k
			}
		}
		if best >= 0 {
			r := &reports[best]
			if !r.titled {
				r.texts = append([]string{r.title}, r.texts...)
				r.title = m.title
				r.titled = true
			}
			r.texts = append(r.texts, m.texts...)
			if m.frame != nil && len(r.stacks) > 0 && (r.sited || !slices.ContainsFunc(r.stacks[0].frames, func(f Frame) bool { return f.File != "" })) {
				// The backtrace names functions only: the assertion's
				// location is its innermost frame.
				r.stacks[0].frames = siteFrames(r.stacks[0].frames, *m.frame)
				r.sited = false
			}
			if m.line < r.start {
				r.start = m.line
			}
			continue
		}
		rep := nativeReport{format: FormatGlibc, title: m.title, start: m.line, end: m.line, texts: m.texts, titled: true}
		rep.notes = append(rep.notes, m.notes...)
		if m.frame != nil {
			rep.addStack("assertion", []Frame{*m.frame})
		} else {
			rep.notes = append(rep.notes, "the report has no stack trace: run the program under gdb (bt), Valgrind or a sanitizer to get one")
		}
		reports = append(reports, rep)
	}
	return reports
}

// siteFrames puts an abort message's site into a stack that names
// functions only: in place of the asserting function's frame when that is
// the stack's first frame, or its first in-app one below named frames of
// the C library (systemd-coredump and gdb keep abort's frames above it),
// else as a new innermost frame.
func siteFrames(frames []Frame, site Frame) []Frame {
	if len(frames) > 0 && frames[0].Function == site.Function {
		return append([]Frame{site}, frames[1:]...)
	}
	k := slices.IndexFunc(frames, func(f Frame) bool { return f.InApp })
	if k > 0 && site.Function != "" && frames[k].Function == site.Function &&
		!slices.ContainsFunc(frames[:k], func(f Frame) bool { return f.Function == "" }) {
		out := slices.Clone(frames)
		site.Depth = frames[k].Depth
		out[k] = site
		return out
	}
	return append([]Frame{site}, frames...)
}

// parseBacktraceSymbols reads the output of glibc's backtrace_symbols and
// backtrace_symbols_fd ("./app(handler+0x1d)[0x55d0c1a5b1d6]",
// "/lib/x86_64-linux-gnu/libc.so.6(+0x3c050)[0x7f4e1a6f4050]"), at least
// two lines in a row; the line before them titles the report.
func parseBacktraceSymbols(_ string, lines []string) []nativeReport {
	var out []nativeReport
	var frames []Frame
	start := -1
	flush := func(end int) {
		if len(frames) >= 2 {
			rep := nativeReport{format: FormatGlibc, title: "backtrace", start: start, end: end, noise: debuggerNoise, sited: true}
			for i := start - 1; i >= 0 && i >= start-3; i-- {
				t := strings.TrimSpace(lines[i])
				if t == "" {
					continue
				}
				if m := glibcErrorRE.FindStringSubmatch(t); m != nil {
					rep.title, rep.titled = m[1], true
				} else if !strings.HasPrefix(t, "=") && len(t) < 200 {
					rep.title = strings.TrimSuffix(t, ":")
					if backtraceHeaderRE.MatchString(frrUIDRE.ReplaceAllString(t, "")) {
						rep.title, _ = backtraceTitle(lines, start)
					}
				}
				if !strings.HasPrefix(t, "=") {
					break
				}
			}
			rep.addStack("backtrace", dropHandlerFrames(frames, unwindMachinery, 8))
			rep.notes = append(rep.notes, "backtrace_symbols gives no file and line: resolve the addresses with addr2line -f -e PROGRAM to get them")
			out = append(out, rep)
		}
		frames, start = nil, -1
	}
	for i, l := range lines {
		if !strings.Contains(l, "[0x") {
			if start >= 0 {
				flush(i - 1)
			}
			continue
		}
		f, ok := backtraceSymbolsFrame(l)
		if !ok {
			if start >= 0 {
				flush(i - 1)
			}
			continue
		}
		if start < 0 {
			start = i
		}
		if len(frames) < MaxFrames {
			frames = append(frames, f)
		}
	}
	if start >= 0 {
		flush(len(lines) - 1)
	}
	return out
}

// backtraceSymbolsFrame reads one frame as backtrace_symbols writes it
// ("./app(handler+0x1d) [0x55..]", "/lib/libc.so.6(+0x3c050)[0x7f..]",
// "./app [0x55..]"): the function without its offset, and the module.
func backtraceSymbolsFrame(s string) (Frame, bool) {
	module, sym := "", ""
	if m := btSymbolsRE.FindStringSubmatch(s); m != nil {
		module, sym = m[1], m[2]
	} else if m := btNoSymbolRE.FindStringSubmatch(s); m != nil {
		module = m[1]
	} else {
		return Frame{}, false
	}
	var offset uint64
	if k := strings.Index(sym, "+0x"); k >= 0 {
		if k == 0 {
			// "(+0x1a2b)": the address within the module; "(fn+0x1d)"
			// is relative to the symbol, which only the module's
			// symbol table places.
			offset = symOffsetHex(sym[3:])
		}
		sym = sym[:k]
	}
	return withModuleAddress(nativeFrame(FormatGlibc, "", 0, 0, cleanFunction(sym), module), offset, ""), true
}
