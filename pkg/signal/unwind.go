package signal

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ovsFrameRE is one frame of the libunwind backtrace Open vSwitch logs
// when a daemon dies of SIGSEGV ("0x00007fb4900734b0 <killpg+0x40>", or
// with the address padded by spaces and no space before "<" when the
// crashing daemon writes it itself): the function.
var ovsFrameRE = regexp.MustCompile(`^0x *[0-9a-fA-F]+ *<([^<>\s]*)\+0x[0-9a-fA-F]+>$`)

// frrFrameRE is one frame of the libunwind backtrace FRRouting logs
// ("bgp_path_info_free+0x5a   55d4b39d5e3a  7ffc6a3b9af0 /usr/lib/frr/bgpd
// (mapped at 0x55d4b38f2000)", "?" when the function has no name): the
// function with its offset, and the module.
var frrFrameRE = regexp.MustCompile(`(?:^|\s)(\?|[A-Za-z_.$][\w.$:~]*\+0x[0-9a-fA-F]+) +[0-9a-fA-F]{4,16} +[0-9a-fA-F]{4,16}(?: +(\S+) \(mapped at 0x[0-9a-fA-F]+\))?$`)

// dpdkFrameRE is one frame of the stack DPDK's rte_dump_stack prints: its
// number, then "./app (func+0x2b) [55d0c1a5b1d6]" (newer releases, written
// without malloc), "?? [55d0c1a5b1d6]", or, before, glibc's
// backtrace_symbols line in brackets ("[./app(func+0x2b) [0x55..]]",
// numbered from the outermost frame down).
var dpdkFrameRE = regexp.MustCompile(`^(\d+): (?:(\S+) \(([^()\s]*)\) \[[0-9a-fA-F]+\]|\?\? \[[0-9a-fA-F]+\]|\[(.*\) ?\[0x[0-9a-fA-F]+\])\])$`)

// unwindMachinery are the functions of the crash handlers of Open vSwitch,
// FRRouting, DPDK and btrfs-progs, which open the backtraces they print:
// none of them is where it failed.
var unwindMachinery = map[string]bool{
	"fatal_signal_handler": true, "send_backtrace_to_monitor": true, "backtrace_capture": true,
	"log_backtrace_at": true, "zlog_signal": true, "core_handler": true, "zlog_backtrace_sigsafe": true,
	"zlog_backtrace": true, "_zlog_assert_failed": true, "_zlog_abort_mt": true,
	"rte_dump_stack": true, "__rte_panic": true, "print_trace": true, "assert_trace": true,
	"bugon_trace": true, "warning_trace": true,
}

// parseUnwindBacktraces reads the backtraces that programs print with
// libunwind, a frame a line, at least two in a row: Open vSwitch's
// "SIGSEGV detected, backtrace:", FRRouting's crash log, and the stack
// DPDK prints when it panics. Their frames
// name functions, not files and lines. When the backtrace marks the
// signal ("---- signal ----"), the frames above the mark are the signal
// handler's and are left out; so are the crash handlers' own functions
// that open it.
func parseUnwindBacktraces(_ string, lines []string) []nativeReport {
	var out []nativeReport
	var frames []Frame
	dpdk := false           // the frames are a DPDK stack
	first, second := -1, -1 // a DPDK stack's first two frame numbers
	start, last := -1, -1
	flush := func() {
		if dpdk && second >= 0 && first > second {
			// Older DPDK releases printed the outermost frame first.
			slices.Reverse(frames)
		}
		frames = dropHandlerFrames(frames, unwindMachinery, 8)
		if len(frames) >= 2 {
			rep := nativeReport{format: FormatGlibc, title: "backtrace", start: start, end: last, noise: debuggerNoise, sited: true}
			if t, ok := backtraceTitle(lines, start); ok {
				rep.title = t
			}
			rep.addStack("backtrace", frames)
			rep.notes = append(rep.notes, "the backtrace names functions, not files and lines: resolve them with gdb's \"info line *(FUNCTION+OFFSET)\" on the binary of that build to get them")
			out = append(out, rep)
		}
		frames, dpdk, first, second, start, last = nil, false, -1, -1, -1, -1
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		f, num, ok := unwindFrame(t)
		switch {
		case ok:
		case start >= 0 && strings.HasSuffix(t, "---- signal ----"):
			frames = frames[:0] // the frames above are the signal handler's
			last = i
			continue
		case start >= 0 && t == "" && i-last == 1:
			continue // a logger's blank line between frames
		default:
			if start >= 0 {
				flush()
			}
			continue
		}
		if start >= 0 && dpdk != (num >= 0) {
			flush() // a DPDK stack right after another backtrace, or the other way round
		}
		if start < 0 {
			start, dpdk = i, num >= 0
		}
		if first < 0 {
			first = num
		} else if second < 0 {
			second = num
		}
		last = i
		if len(frames) < MaxFrames {
			frames = append(frames, f)
		}
	}
	if start >= 0 {
		flush()
	}
	return out
}

// unwindFrame reads one frame line of the backtraces parseUnwindBacktraces
// reads, and its DPDK frame number (-1 for the others).
func unwindFrame(t string) (Frame, int, bool) {
	if m := dpdkFrame(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		switch {
		case m[4] != "":
			f, _ := backtraceSymbolsFrame(m[4])
			return f, n, true
		case m[2] != "":
			return nativeFrame(FormatGlibc, "", 0, 0, cleanFunction(hexOffsetFunction(m[3])), m[2]), n, true
		}
		return nativeFrame(FormatGlibc, "", 0, 0, "", ""), n, true // "?? [addr]"
	}
	if m := ovsFrame(t); m != nil {
		return nativeFrame(FormatGlibc, "", 0, 0, cleanFunction(m[1]), ""), -1, true
	}
	if !mayBeFRRFrame(t) {
		return Frame{}, -1, false
	}
	m := frrFrameRE.FindStringSubmatch(t)
	if m == nil {
		return Frame{}, -1, false
	}
	fn := m[1]
	if fn == "?" {
		fn = ""
	}
	return nativeFrame(FormatGlibc, "", 0, 0, cleanFunction(fn), m[2]), -1, true
}

// backtraceHeaderRE matches the line a program prints just before a
// backtrace ("Backtrace for 6 stack frames:", "SIGSEGV detected,
// backtrace:"), which names no failure of its own.
var backtraceHeaderRE = regexp.MustCompile(`(?i)(^|[\s,:])backtrace( for \d+ stack frames)?:?$`)

// crashHeadlineRE matches a line that says how a program failed, which
// titles a backtrace printed after a header of its own.
var crashHeadlineRE = regexp.MustCompile(`(?i)signal|assert|abort|fault|panic|fatal|crash`)

// frrUIDRE is the unique id FRRouting logs before every message
// ("[HSYZM-HV7HF] ").
var frrUIDRE = regexp.MustCompile(`\[[A-Z0-9]{5}-[A-Z0-9]{5}\] `)

// backtraceTitle returns the title of a backtrace that starts at line
// start: the line before it, or, when that line is only a header
// ("Backtrace for 6 stack frames:"), the crash headline before the header.
func backtraceTitle(lines []string, start int) (string, bool) {
	header := ""
	for i, seen := start-1, 0; i >= 0 && seen < 3; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		seen++
		if strings.HasPrefix(t, "=") {
			continue
		}
		t = frrUIDRE.ReplaceAllString(t, "")
		if header == "" && backtraceHeaderRE.MatchString(t) {
			header = strings.TrimSuffix(t, ":")
			continue
		}
		if len(t) < 200 && (header == "" || crashHeadlineRE.MatchString(t)) {
			return strings.TrimSuffix(t, ":"), true
		}
		break
	}
	if header != "" {
		h := backtraceHeaderRE.ReplaceAllString(header, "")
		if h = strings.TrimRight(h, " ,:"); h != "" {
			return h, true // "SIGSEGV detected"
		}
		return header, true
	}
	return "", false
}

// dropHandlerFrames leaves out the frames of a program's failure handling
// that open its backtraces: every frame up to the last one, among the
// first within, whose function is in machinery.
func dropHandlerFrames(frames []Frame, machinery map[string]bool, within int) []Frame {
	skip := 0
	for k := 0; k < len(frames) && k < within; k++ {
		if machinery[frames[k].Function] {
			skip = k + 1
		}
	}
	return frames[skip:]
}

// hexOffsetFunction returns the function of "func+0x2b", or "" when the
// symbol is an address ("7f4e1a6ac000+0x29d90": a module base, never as
// short as a function named "add" or "beef").
func hexOffsetFunction(sym string) string {
	fn, _, _ := strings.Cut(sym, "+0x")
	if _, err := strconv.ParseUint(fn, 16, 64); err == nil && len(fn) >= 8 {
		return ""
	}
	return fn
}

// dpdkFrame matches dpdkFrameRE on a line that starts with a number and
// ": " (most lines do not: the regular expression is not run on them).
func dpdkFrame(t string) []string {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || !strings.HasPrefix(t[i:], ": ") {
		return nil
	}
	return dpdkFrameRE.FindStringSubmatch(t)
}

// ovsFrame matches ovsFrameRE on a line that starts with "0x".
func ovsFrame(t string) []string {
	if !strings.HasPrefix(t, "0x") || !strings.HasSuffix(t, ">") {
		return nil
	}
	return ovsFrameRE.FindStringSubmatch(t)
}

// mayBeFRRFrame is a quick test for frrFrameRE: an offset ("+0x1a")
// followed by a space, or a "?" padded by spaces. A kernel frame
// ("fn+0x1a/0x40", " ? fn+0x..") or a sanitizer's ("(libc.so.6+0x29d8f)")
// fails it.
func mayBeFRRFrame(t string) bool {
	for rest := t; ; {
		i := strings.Index(rest, "+0x")
		if i < 0 {
			break
		}
		j := i + 3
		for j < len(rest) && isHexDigit(rest[j]) {
			j++
		}
		if j > i+3 && j < len(rest) && rest[j] == ' ' {
			return true
		}
		rest = rest[j:]
	}
	return strings.Contains(t, "?  ")
}
