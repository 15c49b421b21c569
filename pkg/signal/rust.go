package signal

import (
	"regexp"
	"strings"
)

var (
	rustPanicRE = regexp.MustCompile(`thread '([^']*)'(?: \(\d+\))? panicked at (?:'(.*)', )?(\S+?):(\d+)(?::(\d+))?:?\s*$`)
	rustFrameRE = regexp.MustCompile(`^\s*(\d+):\s+(?:0x[0-9a-fA-F]+ - )?(\S.*?)\s*$`)
	rustAtRE    = regexp.MustCompile(`^\s*at (\S.*?):(\d+)(?::(\d+))?\s*$`)
)

// parseRustReports reads Rust panics: "thread 'main' panicked at
// src/x.rs:12:5:" followed by the message (Rust 1.73 and later), or the
// older "thread 'main' panicked at 'message', src/x.rs:12:5", and the
// "stack backtrace:" that RUST_BACKTRACE=1 or =full adds, whose frames
// carry their "at ./src/x.rs:12:5" locations. Without a backtrace the
// panic's location is the one frame.
func parseRustReports(text string, lines []string) []nativeReport {
	var out []nativeReport
	if strings.Contains(text, "Error:") {
		out = parseRustErrorReports(lines)
	}
	for i := 0; i < len(lines); i++ {
		if !strings.Contains(lines[i], "panicked at") {
			continue
		}
		m := rustPanicRE.FindStringSubmatch(lines[i])
		j := i + 1
		if m == nil {
			// Before Rust 1.73 a message of several lines (assert_eq!'s
			// "left:" and "right:") ends with its location:
			// "panicked at 'assertion failed: ...", "  left: `3`,",
			// " right: `5`', src/x.rs:12:5".
			m, j = rustWrappedPanic(lines, i)
			if m == nil {
				continue
			}
		}
		rep := nativeReport{format: FormatRust, start: i, end: j - 1, titled: true}
		msg := m[2]
		if m[2] == "" && !strings.Contains(lines[i], "panicked at '") {
			// The message follows, possibly on several lines.
			var parts []string
			for ; j < len(lines) && len(parts) < 20; j++ {
				t := strings.TrimSpace(lines[j])
				if t == "" || strings.HasPrefix(t, "note: ") || t == "stack backtrace:" || strings.Contains(t, "panicked at") {
					break
				}
				parts = append(parts, t)
			}
			if len(parts) > 0 {
				msg = parts[0]
				rep.texts = append(rep.texts, parts[1:]...)
			}
		}
		if msg == "" {
			msg = "explicit panic"
		}
		rep.title = msg
		name := "thread '" + m[1] + "'"
		// The backtrace, after at most a few lines (notes).
		var frames []Frame
		for k := j; k < len(lines) && k <= j+3; k++ {
			if strings.TrimSpace(lines[k]) != "stack backtrace:" {
				continue
			}
			var end int
			frames, end = rustBacktrace(lines, k+1)
			rep.end = end
			break
		}
		loc := nativeFrame(FormatRust, m[3], atoi(m[4]), atoi(m[5]), "", "")
		switch {
		case len(frames) == 0:
			frames = []Frame{loc}
			rep.notes = append(rep.notes, "the panic has no backtrace: run with RUST_BACKTRACE=1 to get the whole stack")
		case !anyFile(frames):
			// A release build's backtrace names functions only: the
			// panic's location is where it crashed.
			frames = append([]Frame{loc}, frames...)
		}
		rep.addStack(name, frames)
		out = append(out, rep)
	}
	return out
}

// rustErrorRE is the line a Rust program's main prints when it returns an
// error: "Error: message" (anyhow and eyre, through Debug), or "Error: "
// alone when eyre's report lists the causes below it.
var rustErrorRE = regexp.MustCompile(`^Error: ?(.*?)\s*$`)

// rustCauseRE is one cause in color-eyre's or eyre's list: "   0: message".
var rustCauseRE = regexp.MustCompile(`^\s+\d+: (\S.*?)\s*$`)

// parseRustErrorReports reads the reports a Rust program prints when its
// main returns an error with a backtrace (RUST_BACKTRACE=1 or
// RUST_LIB_BACKTRACE=1): anyhow's "Error: message", its "Caused by:" list
// and "Stack backtrace:"; color-eyre's "Error:" with numbered causes, its
// "Location:" (where the error was made) and its BACKTRACE section, whose
// hidden frames ("⋮ 5 frames hidden ⋮") are skipped. A report without a
// backtrace, or whose backtrace names functions only, takes the Location
// as its crash frame; a SPANTRACE's spans are not frames.
func parseRustErrorReports(lines []string) []nativeReport {
	var out []nativeReport
	for i := 0; i < len(lines); i++ {
		m := rustErrorRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		rep := nativeReport{format: FormatRust, start: i, end: i, titled: true, title: m[1]}
		var frames, spanStack []Frame
		var loc *Frame
		j := i + 1
		for ; j < len(lines) && j <= i+200; j++ {
			t := strings.TrimSpace(lines[j])
			switch {
			case t == "" || t == "Caused by:":
			case t == "Location:" && j+1 < len(lines):
				if file, line, col, ok := splitLocation(strings.TrimSpace(lines[j+1])); ok && line > 0 {
					f := nativeFrame(FormatRust, file, line, col, "", "")
					loc = &f
					j++
				}
			case t == "Stack backtrace:" || strings.Contains(t, "BACKTRACE") && strings.Contains(t, "━"):
				k := j + 1
				for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
					k++
				}
				frames, j = rustBacktrace(lines, k)
			case strings.Contains(t, "SPANTRACE") && strings.Contains(t, "━"):
				// tracing's spans, innermost first ("0: shop::load with
				// path=x", "at src/x.rs:30"): a stack of their own.
				k := j + 1
				for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
					k++
				}
				spans, end := rustBacktrace(lines, k)
				for k := range spans {
					fn, _, _ := strings.Cut(spans[k].Function, " with ")
					spans[k].Function = fn
				}
				spanStack, j = spans, end
			case rustCauseRE.MatchString(lines[j]) && len(frames) == 0:
				c := rustCauseRE.FindStringSubmatch(lines[j])[1]
				if rep.title == "" {
					rep.title = c
				} else {
					rep.texts = append(rep.texts, c)
				}
			case strings.HasPrefix(lines[j], "    ") && len(frames) == 0:
				rep.texts = append(rep.texts, t) // an anyhow cause
			default:
				goto done
			}
			rep.end = j
		}
	done:
		// No line read since i can start another report: go on after them.
		next := j - 1
		if len(frames) == 0 && loc == nil {
			i = next
			continue // an "Error:" line of some other program
		}
		if rep.title == "" {
			rep.title = "error"
		}
		switch {
		case len(frames) == 0:
			frames = []Frame{*loc}
			rep.notes = append(rep.notes, "the error has no backtrace: run with RUST_BACKTRACE=1 (or RUST_LIB_BACKTRACE=1) to get the whole stack")
		case loc != nil && !hasLocation(frames, *loc):
			// Where the error was made or wrapped: the innermost place.
			frames = append([]Frame{*loc}, frames...)
		}
		rep.addStack("error", frames)
		rep.addStack("span trace", spanStack)
		out = append(out, rep)
		i = max(next, rep.end)
	}
	return out
}

// rustWrappedPanicEndRE matches the last line of a pre-1.73 panic message
// of several lines: "right: `5`', src/x.rs:12:5".
var (
	rustWrappedPanicEndRE = regexp.MustCompile(`', (\S+?):(\d+)(?::(\d+))?:?\s*$`)
	rustThreadRE          = regexp.MustCompile(`thread '([^']*)'`)
)

// rustWrappedPanic reads a pre-1.73 panic whose message spans lines, from
// its first line i: the submatches rustPanicRE would give (thread,
// message, file, line, column) and the line after it, or nil.
func rustWrappedPanic(lines []string, i int) ([]string, int) {
	head := lines[i]
	k := strings.Index(head, "panicked at '")
	if k < 0 {
		return nil, 0
	}
	th := rustThreadRE.FindStringSubmatch(head[:k])
	if th == nil {
		return nil, 0
	}
	for j := i + 1; j < len(lines) && j <= i+20; j++ {
		if strings.Contains(lines[j], "panicked at") {
			break
		}
		if e := rustWrappedPanicEndRE.FindStringSubmatch(lines[j]); e != nil {
			return []string{"", th[1], strings.TrimSpace(head[k+len("panicked at '"):]), e[1], e[2], e[3]}, j + 1
		}
	}
	return nil, 0
}

// hasLocation reports whether a frame of frames is at loc's file and line.
func hasLocation(frames []Frame, loc Frame) bool {
	for _, f := range frames {
		if f.Line == loc.Line && (f.File == loc.File || strings.HasSuffix(f.File, "/"+strings.TrimPrefix(loc.File, "./"))) {
			return true
		}
	}
	return false
}

// anyFile reports whether a frame has a file.
func anyFile(frames []Frame) bool {
	for _, f := range frames {
		if f.File != "" {
			return true
		}
	}
	return false
}

// rustBacktrace reads "N: function" frames and their "at file:line:col"
// lines from lines[from:]; end is the last line read.
func rustBacktrace(lines []string, from int) (frames []Frame, end int) {
	end = from - 1
	for k := from; k < len(lines); k++ {
		l := lines[k]
		if m := rustAtRE.FindStringSubmatch(l); m != nil && len(frames) > 0 {
			f := &frames[len(frames)-1]
			if f.File == "" {
				f.File, f.Line, f.Column = m[1], atoi(m[2]), atoi(m[3])
				f.InApp = IsInApp(FormatRust, f.File, f.Function, "")
			}
			end = k
			continue
		}
		if strings.Contains(l, "frames hidden") {
			end = k // color-eyre's "⋮ 5 frames hidden ⋮"
			continue
		}
		if m := rustFrameRE.FindStringSubmatch(l); m != nil {
			if len(frames) < MaxFrames {
				fn := cleanFunction(m[2])
				frames = append(frames, Frame{Function: fn, InApp: IsInApp(FormatRust, "", fn, "")})
			}
			end = k
			continue
		}
		break
	}
	return frames, end
}

// oldRustLibs are where Rust before 1.47 printed its libraries' sources.
var oldRustLibs = []string{"src/libstd/", "src/libcore/", "src/liballoc/", "src/libpanic_unwind/", "src/libtest/"}

// rustInApp reports whether a Rust frame is the program's own code: not
// the standard library (/rustc/..., library/std, core, alloc), not a crate
// of the Cargo registry or a git dependency, not the panic machinery.
func rustInApp(file, function string) bool {
	f := strings.ReplaceAll(file, `\`, "/")
	if f != "" {
		for _, s := range []string{"/rustc/", "/library/std/", "/library/core/", "/library/alloc/", "/library/panic_",
			"/.cargo/registry/", "/.cargo/git/", "/.rustup/", "/cargo/registry/"} {
			if strings.Contains(f, s) {
				return false
			}
		}
		if strings.HasPrefix(f, "library/") || strings.HasPrefix(f, "/usr/") || strings.HasPrefix(f, "/lib/") ||
			hasAnyPrefix(f, oldRustLibs) {
			return false
		}
		return true
	}
	fn := strings.TrimLeft(function, "<&")
	fn = strings.TrimPrefix(fn, "mut ")
	switch fn {
	case "main", "_start", "clone", "clone3", "start_thread":
		return false
	}
	if hasAnyPrefix(fn, []string{"std::", "core::", "alloc::", "__rustc::", "__rust_", "rust_begin_unwind", "rust_panic",
		"backtrace::", "panic_unwind::", "__libc_start"}) {
		return false
	}
	return function != ""
}
