// Package tracetext finds crash traces pasted into commit messages and
// converts them into Sentry events. It is the evaluation's reference
// conversion, written apart from pkg/signal on purpose: the evaluation
// compares the product's own text parsing with it.
package tracetext

import (
	"regexp"
	"strconv"
	"strings"
)

// Format names a kind of crash report.
type Format string

// The formats the extractor knows.
const (
	ASan     Format = "asan"
	LSan     Format = "lsan"
	MSan     Format = "msan"
	TSan     Format = "tsan"
	UBSan    Format = "ubsan"
	Valgrind Format = "valgrind"
	GDB      Format = "gdb"
	LLDB     Format = "lldb"
	Python   Format = "python"
	Go       Format = "go"
	Java     Format = "java"
	Rust     Format = "rust"
	Kernel   Format = "kernel"
	Assert   Format = "assert"
	Glibc    Format = "glibc-backtrace"
)

// Frame is one stack frame as the trace names it.
type Frame struct {
	Function string
	File     string // source path as printed, "" when the trace names none
	Line     int
	Column   int
	Module   string // shared object or binary, when printed instead of a file
	// System is true for frames the trace itself marks as outside the
	// application: shared libraries, sanitizer runtimes, interpreter and
	// runtime internals.
	System bool
}

// lineKind classifies one line of a message.
type lineKind int

const (
	kindOther lineKind = iota
	kindFrame
	kindHeader
	kindPart // part of a report that is neither a frame nor a header
)

// classified is one line with what it holds.
type classified struct {
	kind   lineKind
	format Format
	frame  Frame
	// file-only Go location line ("\t/x/y.go:12 +0x1d"); joined to the
	// preceding function line by the parser.
	goLoc bool
	// Go function line ("main.f(...)") waiting for its location line.
	goFunc bool
	// Rust "at src/x.rs:1:2" location line for the preceding numbered frame.
	rustLoc bool
	// A kernel register line (RIP:, PC:, pc :) naming the faulting function;
	// the call trace that follows continues its stack.
	regLine bool
	// A header that also names the crash site (a kernel WARNING's or a Xen
	// assertion's file and line).
	site *Frame
}

var (
	// Prefixes that tools put before every line of a report.
	regPrefixRE = regexp.MustCompile(`^(?:RIP|PC|LR|pc|lr)\s*:`)
	prefixRE    = regexp.MustCompile(`^(?:\(XEN\)\s?|==\d+==\s?|\[\s*\d+\.\d+\]\s?|\[\s*T\d+\]\s?|\[\s*C\d+\]\s?|<\d>)`)

	// #0 0x7f.. in func file.c:12:5   |   #0 0x7f.. in func (lib.so+0x12)   |   #1 0x55.. (bin+0x12)
	buildIDRE  = regexp.MustCompile(`\s+\(BuildId: [0-9a-f]+\)\s*$`)
	gdbLocRE   = regexp.MustCompile(`\s(?:at\s+\S+:\d+|from\s+\S+)\s*$`)
	sanFrameRE = regexp.MustCompile(`^#(\d+)\s+0x[0-9a-fA-F]+\s+(?:in\s+)?(.*)$`)
	// TSan and some MSan frames: #0 func file.c:12:3 (bin+0x12)
	tsanFrameRE = regexp.MustCompile(`^#(\d+)\s+([^\s(][^(]*?|\S+\(.*?\))\s+(\S+?:\d+(?::\d+)?)(?:\s+\(\S+\))?$`)
	// gdb: #0  0x00007f in func (a=1) at file.c:12 | #1  func (...) at file.c:12 | ... from /lib/x.so
	gdbFrameRE = regexp.MustCompile(`^#(\d+)\s+(?:0x[0-9a-fA-F]+\s+in\s+)?(\S+?)\s*(\(.*\))?\s*(?:at\s+(\S+?):(\d+)|from\s+(\S+))?\s*$`)
	// lldb: frame #0: 0x0000 bin`func(args) at file.c:12:3
	lldbFrameRE = regexp.MustCompile("^\\*?\\s*frame\\s+#(\\d+):\\s+0x[0-9a-fA-F]+\\s+(?:(\\S+?)`)?(.*?)(?:\\s+at\\s+(\\S+?):(\\d+)(?::(\\d+))?)?$")
	// valgrind:    at 0x4C2E: func (file.c:12)  |  by 0x4: func (in /lib/x.so)
	vgFrameRE      = regexp.MustCompile(`^(?:at|by)\s+0x[0-9A-Fa-f]+:\s+(.*?)\s+\((?:in\s+(\S+)|(\S+?):(\d+))\)\s*$`)
	vgFrameNoLocRE = regexp.MustCompile(`^(?:at|by)\s+0x[0-9A-Fa-f]+:\s+(\S.*?)\s*$`)
	// Python: File "x.py", line 12, in func
	pyFrameRE = regexp.MustCompile(`^File "(.+?)", line (\d+)(?:, in (.+))?$`)
	// Go location: /path/x.go:12 +0x1d
	goLocRE = regexp.MustCompile(`^(\S+\.(?:go|s)):(\d+)(?:\s+\+0x[0-9a-f]+)?$`)
	// Go function: pkg/path.(*T).Method(0x1, ...) or created by pkg.f in goroutine 7
	goFuncRE = regexp.MustCompile(`^(?:created by\s+)?((?:[\w.\-~]+/)*[\w.\-~]+\.[\w.()*\[\]{},\-$]+?)(?:\(.*\)|\s+in goroutine \d+)?$`)
	// Java: at pkg.Class.method(File.java:12)
	javaFrameRE = regexp.MustCompile(`^at\s+([\w$.<>/\[\]-]+)\.([\w$<>\[\]-]+)\(([^():]*)(?::(\d+))?\)$`)
	// Rust: "  3: crate::module::func" then "at ./src/x.rs:12:5"
	rustFrameRE = regexp.MustCompile(`^(\d+):\s+(?:0x[0-9a-f]+\s+-\s+)?(\S.*)$`)
	// also gdb's wrapped frames: "    at file.c:12" or "    x=1) at file.c:12"
	rustLocRE = regexp.MustCompile(`^(?:.*\)\s+)?at\s+(\S+?):(\d+)(?::(\d+))?$`)
	// gdb frame whose arguments wrap onto the next lines
	gdbOpenRE = regexp.MustCompile(`^#(\d+)\s+(?:0x[0-9a-fA-F]+\s+in\s+)?([A-Za-z_~][^\s(]*)\s*\(`)
	// kernel / Xen: [<ffff>] F file.c#func+0x1a/0x40 | ? func+0x1/0x2 [mod] | func+0x1/0x2 fs/x.c:12 | func (fs/x.c:12)
	kernFrameRE   = regexp.MustCompile(`^(?:(?:RIP|PC|LR|pc|lr)\s*:\s*(?:[0-9a-f]{4}:)?(?:\[<[0-9a-fx.]+>\]\s*)?)?(?:\[<[0-9a-fx.]+>\]\s*)?(?:[RFS]\s+)?(\?\s+)?((?:[\w./-]+#)?[\w.]+)\+0x[0-9a-f]+/0x[0-9a-f]+(?:\s+\[[\w.-]+\])?(?:\s+\(?([\w./-]+\.[chS]):(\d+)\)?)?(?:\s+\((?:PC|LR)\))?\s*$`)
	kernDecodedRE = regexp.MustCompile(`^(\?\s+)?([A-Za-z_][\w.]*)\s+\(([\w./-]+\.[chS]):(\d+)(?::\d+)?\)(?:\s+\[[\w.-]+\])?$`)
	// WARNING: CPU: 0 PID: 1 at drivers/x.c:12 func+0x1/0x2 [mod]
	warnAtRE = regexp.MustCompile(`^WARNING: CPU: \d+ PID: \d+ at (\S+?):(\d+) (?:([\w.]+)\+0x[0-9a-f]+/0x[0-9a-f]+)?`)
	// Xen: Assertion 'x' failed at file.c:12 ; kernel: kernel BUG at file.c:12!
	assertAtRE = regexp.MustCompile(`^(?:Assertion '.*' failed at|kernel BUG at) (\S+?):(\d+)!?$`)
	// UBSan: file.c:12:5: runtime error: ...
	ubsanRE = regexp.MustCompile(`^(\S+?):(\d+):(\d+): runtime error: (.*)$`)
	// glibc assert: prog: file.c:12: func: Assertion `x' failed.
	assertRE = regexp.MustCompile("^(?:\\S+: )?(\\S+?):(\\d+): (\\S.*?): Assertion [`'](.*)' failed\\.?$")
	// GLib g_assert: [domain:]ERROR:file.c:12:func: assertion failed: (x)
	glibAssertRE = regexp.MustCompile(`^(?:Bail out! )?(?:[\w.-]+:)?ERROR:(\S+?):(\d+):(?:(.+?):)? (?:assertion failed|code should not be reached)`)
	// Dovecot i_assert (and GLib before 2.16): file x.c: line 12 (func): assertion failed: (x)
	// after "Panic: " (or "**: ") anywhere in a log line
	fileLineAssertRE = regexp.MustCompile(`(?:^|Panic: |\*\*: )file (\S+): line (\d+)(?: \(([^()]*)\))?: (?:assertion|unreached)`)
	// glibc backtrace_symbols: ./prog(func+0x1a)[0x4005d0]
	glibcBtRE = regexp.MustCompile(`^(\S+?)\(([\w.$@]*)\+0x[0-9a-f]+\)\s*\[0x[0-9a-f]+\]$`)

	// Report headers and the parts between stacks.
	headerRE = regexp.MustCompile(`^(?:` + strings.Join([]string{
		`ERROR: (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer`,
		`WARNING: (?:Address|Leak|Memory|Thread)Sanitizer`,
		`(?:READ|WRITE) of size \d+`,
		`(?:freed|previously allocated|allocated) by (?:thread|main thread)`,
		`(?:Direct|Indirect) leak of \d+`,
		`(?:Previous |Atomic )?(?:[Rr]ead|[Ww]rite) of size \d+ at`,
		`(?:Mutex|Location|Thread) .* (?:created|is)`,
		`Uninitiali[sz]ed value was (?:created|stored)`,
		`SUMMARY: `,
		`Program (?:received|terminated with) signal`,
		`Thread \d+ .*\(.*\):$`,
		`Invalid (?:read|write|free)`,
		`Conditional jump or move`,
		`(?:Use|Syscall param) .* uninitialised`,
		`Address 0x[0-9a-fA-F]+ is`,
		`Block was alloc'd at`,
		`(?:Mismatched free|Source and destination overlap)`,
		`\d+(?:,\d+)* bytes in \d+(?:,\d+)* blocks are`,
		`Process terminating with`,
		`Traceback \(most recent call last\):`,
		`During handling of the above exception`,
		`The above exception was the direct cause`,
		`panic: `,
		`fatal error: `,
		`goroutine \d+ \[`,
		`\[signal SIG`,
		`Exception in thread `,
		`Caused by: `,
		`thread '.*' panicked at`,
		`stack backtrace:`,
		`Call [Tt]race:`,
		`BUG: `,
		`WARNING: CPU: `,
		`Oops: `,
		`general protection fault`,
		`Unable to handle kernel`,
		`Kernel panic`,
		`Xen call trace:`,
		`----\[ Xen-`,
		`Panic on CPU`,
		`\*\*\*\* `,
		`Assertion '.*' failed at`,
		`kernel BUG at`,
		`<TASK>`, `</TASK>`, `<IRQ>`, `</IRQ>`,
		`Hardware name:`,
		`CPU: \d+ .*PID:`,
		`Workqueue: `,
		`\*\*\* (?:stack smashing|buffer overflow|Error in)`,
		`Backtrace:`,
		`Segmentation fault`,
	}, "|") + `)`)
	// Lines that sit inside a report without being frames or headers.
	partRE = regexp.MustCompile(`^(?:` + strings.Join([]string{
		`0x[0-9a-f]+ is located`,
		`Shadow byte`,
		`Shadow bytes around`,
		`=>?0x[0-9a-f]+:`,
		`Addressable:`, `Partially addressable:`, `Heap left redzone:`, `Freed heap region:`,
		`Stack (?:left|mid|right) redzone:`, `Global redzone:`, `Container overflow:`, `Array cookie:`,
		`Intra object redzone:`, `ASan internal:`, `Left alloca redzone:`, `Right alloca redzone:`,
		`The signal is caused by`, `Hint: `, `AddressSanitizer can not`, `ABORTING`,
		`This frame has \d+ object`, `\[\d+, \d+\) '`, `HINT: `,
		`==\d+==`, `-{5,}`, `={5,}`,
		`RSP: `, `RAX: `, `RDX: `, `RBP: `, `R\d+: `, `FS: `, `CS: `, `CR2: `, `Code: `,
		`Modules linked in:`, `Tainted:`, `---\[ end trace`, `CPU:\s+\d+`,
	}, "|") + `)`)
)

// stripPrefix removes tool prefixes such as "(XEN) " or "==123== ".
func stripPrefix(s string) string {
	for i := 0; i < 3; i++ {
		loc := prefixRE.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s = strings.TrimLeft(s[loc[1]:], " \t")
	}
	return s
}

// splitLoc splits "file.c:12:5" into its parts; ok is false when s has no
// line number.
func splitLoc(s string) (file string, line, col int, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return s, 0, 0, false
	}
	// file:line:col or file:line
	n := len(parts)
	if c, err := strconv.Atoi(parts[n-1]); err == nil && n >= 3 {
		if l, err2 := strconv.Atoi(parts[n-2]); err2 == nil {
			return strings.Join(parts[:n-2], ":"), l, c, true
		}
	}
	if l, err := strconv.Atoi(parts[n-1]); err == nil {
		return strings.Join(parts[:n-1], ":"), l, 0, true
	}
	return s, 0, 0, false
}

// sanFrame parses the text after "#N 0x... in" in a sanitizer frame.
func sanFrame(rest string) (Frame, bool) {
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return Frame{}, false
	}
	var f Frame
	// (module+0x123) at the end: no source file.
	if strings.HasSuffix(rest, ")") {
		if i := strings.LastIndex(rest, " ("); i >= 0 || strings.HasPrefix(rest, "(") {
			start := i + 1
			if i < 0 {
				start = 0
			}
			inner := rest[start+1 : len(rest)-1]
			if strings.Contains(inner, "+0x") || strings.HasPrefix(inner, "/") || strings.HasPrefix(inner, "<") {
				mod := inner
				if j := strings.Index(mod, "+0x"); j >= 0 {
					mod = mod[:j]
				}
				f.Module = mod
				f.Function = strings.TrimSpace(rest[:start])
				f.System = true
				return f, true
			}
		}
	}
	i := strings.LastIndexAny(rest, " \t")
	if i < 0 {
		// Only a function, or only a location.
		if file, line, col, ok := splitLoc(rest); ok {
			f.File, f.Line, f.Column = file, line, col
		} else {
			f.Function = rest
		}
		return f, true
	}
	loc := rest[i+1:]
	file, line, col, ok := splitLoc(loc)
	if !ok && !strings.Contains(loc, "/") && !strings.Contains(loc, ".") {
		f.Function = rest
		return f, true
	}
	f.Function = strings.TrimSpace(rest[:i])
	f.File, f.Line, f.Column = file, line, col
	return f, true
}

// classify tells what one line (prefixes stripped, trimmed) holds.
func classify(s string) classified {
	if s == "" {
		return classified{}
	}
	if m := ubsanRE.FindStringSubmatch(s); m != nil {
		l, _ := strconv.Atoi(m[2])
		c, _ := strconv.Atoi(m[3])
		return classified{kind: kindFrame, format: UBSan, frame: Frame{File: m[1], Line: l, Column: c}}
	}
	for _, re := range []*regexp.Regexp{assertRE, glibAssertRE, fileLineAssertRE} {
		if m := re.FindStringSubmatch(s); m != nil {
			l, _ := strconv.Atoi(m[2])
			return classified{kind: kindFrame, format: Assert, frame: Frame{File: m[1], Line: l, Function: m[3]}}
		}
	}
	if strings.HasPrefix(s, "#") {
		s = buildIDRE.ReplaceAllString(s, "")
		gdbLike := gdbLocRE.MatchString(s)
		if !gdbLike {
			if m := sanFrameRE.FindStringSubmatch(s); m != nil {
				if f, ok := sanFrame(m[2]); ok && (f.Line > 0 || f.Module != "") {
					return classified{kind: kindFrame, format: ASan, frame: f}
				}
			}
		}
		if m := gdbFrameRE.FindStringSubmatch(s); m != nil && (m[4] != "" || m[6] != "" || m[3] != "") {
			f := Frame{Function: m[2]}
			if m[4] != "" {
				f.File = m[4]
				f.Line, _ = strconv.Atoi(m[5])
			}
			if m[6] != "" {
				f.Module, f.System = m[6], true
			}
			return classified{kind: kindFrame, format: GDB, frame: f}
		}
		if m := gdbOpenRE.FindStringSubmatch(s); m != nil && !strings.HasSuffix(s, ")") {
			return classified{kind: kindFrame, format: GDB, frame: Frame{Function: m[2]}}
		}
		if m := sanFrameRE.FindStringSubmatch(s); m != nil {
			if f, ok := sanFrame(m[2]); ok {
				return classified{kind: kindFrame, format: ASan, frame: f}
			}
		}
		if m := tsanFrameRE.FindStringSubmatch(s); m != nil {
			file, line, col, _ := splitLoc(m[3])
			return classified{kind: kindFrame, format: TSan, frame: Frame{Function: strings.TrimSpace(m[2]), File: file, Line: line, Column: col}}
		}
		if m := gdbFrameRE.FindStringSubmatch(s); m != nil {
			return classified{kind: kindFrame, format: GDB, frame: Frame{Function: m[2]}}
		}
	}
	if strings.HasPrefix(s, "frame #") || strings.HasPrefix(s, "* frame #") {
		if m := lldbFrameRE.FindStringSubmatch(s); m != nil {
			f := Frame{Module: m[2], Function: strings.TrimSpace(m[3])}
			if m[4] != "" {
				f.File = m[4]
				f.Line, _ = strconv.Atoi(m[5])
				f.Column, _ = strconv.Atoi(m[6])
			}
			return classified{kind: kindFrame, format: LLDB, frame: f}
		}
	}
	if strings.HasPrefix(s, "at 0x") || strings.HasPrefix(s, "by 0x") {
		if m := vgFrameRE.FindStringSubmatch(s); m != nil {
			f := Frame{Function: m[1]}
			if m[2] != "" {
				f.Module, f.System = m[2], true
			} else {
				f.File = m[3]
				f.Line, _ = strconv.Atoi(m[4])
			}
			return classified{kind: kindFrame, format: Valgrind, frame: f}
		}
		if m := vgFrameNoLocRE.FindStringSubmatch(s); m != nil {
			return classified{kind: kindFrame, format: Valgrind, frame: Frame{Function: m[1]}}
		}
	}
	if m := pyFrameRE.FindStringSubmatch(s); m != nil {
		l, _ := strconv.Atoi(m[2])
		return classified{kind: kindFrame, format: Python, frame: Frame{File: m[1], Line: l, Function: m[3]}}
	}
	if m := javaFrameRE.FindStringSubmatch(s); m != nil {
		f := Frame{Function: m[1] + "." + m[2], File: m[3]}
		if m[4] != "" {
			f.Line, _ = strconv.Atoi(m[4])
		}
		if f.File == "Native Method" || f.File == "Unknown Source" {
			f.File = ""
		}
		return classified{kind: kindFrame, format: Java, frame: f}
	}
	if m := goLocRE.FindStringSubmatch(s); m != nil {
		l, _ := strconv.Atoi(m[2])
		return classified{kind: kindFrame, format: Go, frame: Frame{File: m[1], Line: l}, goLoc: true}
	}
	if m := rustLocRE.FindStringSubmatch(s); m != nil {
		l, _ := strconv.Atoi(m[2])
		c, _ := strconv.Atoi(m[3])
		return classified{kind: kindPart, format: Rust, frame: Frame{File: m[1], Line: l, Column: c}, rustLoc: true}
	}
	if m := kernFrameRE.FindStringSubmatch(s); m != nil {
		reg := regPrefixRE.MatchString(s)
		return classified{kind: kindFrame, format: Kernel, frame: kernelFrame(m[2], m[3], m[4], m[1] != ""), regLine: reg}
	}
	if m := kernDecodedRE.FindStringSubmatch(s); m != nil {
		return classified{kind: kindFrame, format: Kernel, frame: kernelFrame(m[2], m[3], m[4], m[1] != "")}
	}
	if m := glibcBtRE.FindStringSubmatch(s); m != nil {
		return classified{kind: kindFrame, format: Glibc, frame: Frame{Module: m[1], Function: m[2]}}
	}
	if m := rustFrameRE.FindStringSubmatch(s); m != nil && looksRustPath(m[2]) {
		return classified{kind: kindFrame, format: Rust, frame: Frame{Function: m[2]}}
	}
	if headerRE.MatchString(s) {
		c := classified{kind: kindHeader, format: headerFormat(s)}
		if m := warnAtRE.FindStringSubmatch(s); m != nil {
			l, _ := strconv.Atoi(m[2])
			c.site = &Frame{File: m[1], Line: l, Function: m[3]}
		} else if m := assertAtRE.FindStringSubmatch(s); m != nil {
			l, _ := strconv.Atoi(m[2])
			c.site = &Frame{File: m[1], Line: l}
		}
		return c
	}
	if partRE.MatchString(s) {
		return classified{kind: kindPart}
	}
	if strings.Contains(s, "(") && strings.HasSuffix(s, ")") || strings.HasPrefix(s, "created by ") {
		if m := goFuncRE.FindStringSubmatch(s); m != nil && strings.Contains(m[1], ".") && !strings.Contains(s, " ") || strings.HasPrefix(s, "created by ") {
			fn := ""
			if m != nil {
				fn = m[1]
			}
			return classified{kind: kindPart, format: Go, frame: Frame{Function: fn}, goFunc: true}
		}
	}
	return classified{}
}

// looksRustPath tells whether s names a Rust function path.
func looksRustPath(s string) bool {
	return strings.Contains(s, "::") && !strings.ContainsAny(s, " \t")
}

// kernelFrame builds a frame from a kernel or Xen symbol such as
// "file.c#func" and an optional decoded location.
func kernelFrame(sym, file, line string, unreliable bool) Frame {
	f := Frame{Function: sym}
	if i := strings.Index(sym, "#"); i >= 0 {
		f.File, f.Function = sym[:i], sym[i+1:]
	}
	if file != "" {
		f.File = file
		f.Line, _ = strconv.Atoi(line)
	}
	// A "? " frame is a stale return address on the stack, not a caller.
	f.System = unreliable
	return f
}

// headerFormat names the format a header line announces ("" when it does not).
func headerFormat(s string) Format {
	switch {
	case strings.Contains(s, "AddressSanitizer"):
		return ASan
	case strings.Contains(s, "LeakSanitizer"), strings.HasPrefix(s, "Direct leak"), strings.HasPrefix(s, "Indirect leak"):
		return LSan
	case strings.Contains(s, "MemorySanitizer"), strings.HasPrefix(s, "Uninitialized value"):
		return MSan
	case strings.Contains(s, "ThreadSanitizer"):
		return TSan
	case strings.Contains(s, "UndefinedBehaviorSanitizer"):
		return UBSan
	case strings.HasPrefix(s, "Traceback"), strings.HasPrefix(s, "During handling"), strings.HasPrefix(s, "The above exception"):
		return Python
	case strings.HasPrefix(s, "panic: "), strings.HasPrefix(s, "goroutine "), strings.HasPrefix(s, "fatal error: "):
		return Go
	case strings.HasPrefix(s, "Exception in thread"), strings.HasPrefix(s, "Caused by: "):
		return Java
	case strings.HasPrefix(s, "thread '"), strings.HasPrefix(s, "stack backtrace:"):
		return Rust
	case strings.HasPrefix(s, "Program received"), strings.HasPrefix(s, "Program terminated"), strings.HasPrefix(s, "Thread "):
		return GDB
	case strings.HasPrefix(s, "Invalid "), strings.HasPrefix(s, "Conditional jump"), strings.HasPrefix(s, "Address 0x"),
		strings.HasPrefix(s, "Block was alloc"), strings.Contains(s, " bytes in "), strings.HasPrefix(s, "Process terminating"):
		return Valgrind
	case strings.HasPrefix(s, "Call "), strings.HasPrefix(s, "BUG: "), strings.HasPrefix(s, "Oops"), strings.Contains(s, "Xen"),
		strings.HasPrefix(s, "WARNING: CPU"), strings.HasPrefix(s, "Kernel panic"), strings.HasPrefix(s, "<"):
		return Kernel
	}
	return ""
}
