package signal

import (
	"regexp"
	"strings"
)

// unwindFrameRE is one frame of a backtrace Dovecot builds with libunwind:
// "#3 mail_index_sync_map[0x7f3e6c1a2b40]".
var unwindFrameRE = regexp.MustCompile(`^#\d+ (.*?)\[0x[0-9a-fA-F]+\]$`)

// dovecotMachinery are the functions of Dovecot's own failure handling,
// which open every backtrace it logs: none of them is where it failed.
var dovecotMachinery = map[string]bool{
	"backtrace_append": true, "backtrace_get": true, "default_fatal_finish": true,
	"fatal_handler_real": true, "default_fatal_handler": true, "i_internal_fatal_handler": true,
	"i_syslog_fatal_handler": true, "i_panic": true, "i_fatal": true, "i_fatal_status": true,
}

// parseDovecotBacktraces reads the backtraces Dovecot logs after a panic or
// a fatal error, one line of frames joined by " -> " ("Error: Raw
// backtrace: libdovecot.so.0(backtrace_append+0x42) [0x7f..] -> ..." from
// backtrace_symbols, or "#0 i_panic[0x7f..] -> #1 ..." from libunwind).
// Its frames name functions, not files and lines; the frames of the
// failure handling that opens every such backtrace are left out, and the
// panic message logged just before (an assertion's file, line and
// function) becomes the first frame when the messages are merged.
func parseDovecotBacktraces(_ string, lines []string) []nativeReport {
	var out []nativeReport
	for i, l := range lines {
		_, rest, ok := strings.Cut(l, "Raw backtrace: ")
		if !ok {
			continue
		}
		var frames []Frame
		for _, part := range strings.Split(strings.TrimSpace(rest), " -> ") {
			part = strings.TrimSpace(part)
			var f Frame
			if m := unwindFrameRE.FindStringSubmatch(part); m != nil {
				fn := m[1]
				if strings.HasPrefix(fn, "[") {
					fn = "" // "[unw_get_proc_name() failed: -10]"
				}
				f = nativeFrame(FormatGlibc, "", 0, 0, cleanFunction(fn), "")
			} else if bf, ok := backtraceSymbolsFrame(part); ok {
				f = bf
			} else if _, ok := cutHexPrefix(part); ok {
				f = nativeFrame(FormatGlibc, "", 0, 0, "", "") // an address alone
			} else {
				continue // not a frame: the line was cut or is something else
			}
			frames = append(frames, f)
			if len(frames) >= MaxFrames {
				break
			}
		}
		frames = dropHandlerFrames(frames, dovecotMachinery, 12)
		if len(frames) == 0 {
			continue
		}
		rep := nativeReport{format: FormatGlibc, title: "backtrace", start: i, end: i, noise: debuggerNoise, sited: true}
		rep.addStack("backtrace", frames)
		out = append(out, rep)
	}
	return out
}
