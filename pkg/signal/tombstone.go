package signal

import (
	"path"
	"regexp"
	"strings"
)

// Android's native crash reports: the tombstones debuggerd writes
// (/data/tombstones/tombstone_NN, and the same lines in logcat under the
// DEBUG tag, read once logprefix.go has removed the tag), the output of
// the NDK's ndk-stack, which symbolizes them, and of AOSP's "stack"
// script.
var (
	// tombFrameRE is a frame of a tombstone's backtrace, without its
	// indentation: "#00 pc 000000000004fb2c  /data/app/.../libx.so
	// (f(int)+44) (BuildId: ...)", 8 digits on 32-bit ABIs, "#00  pc"
	// before Android 5; the tail is the mapping and its groups.
	tombFrameRE = regexp.MustCompile(`^#(\d{1,4}) +pc +(?:0x)?([0-9a-fA-F]{1,16}) +(\S.*)$`)
	// ndkFrameRE is a frame as ndk-stack prints it: "#00 0x000000000004fb2c
	// /data/app/.../libx.so (f(int)+44)", then the symbolizer's function
	// and location lines.
	ndkFrameRE = regexp.MustCompile(`^#(\d{1,4}) 0x([0-9a-fA-F]{1,16}) (\S.*)$`)
	// tombThreadRE is a thread's header: "pid: 12345, tid: 12377, name:
	// RenderThread  >>> com.example.app <<<"; some crash reporters leave
	// the name out ("pid: 0, tid: 0 >>> com.example.app <<<").
	tombThreadRE = regexp.MustCompile(`^pid: \d+, tid: (\d+)(?:, name: (.*?))? +>>> (.*) <<<`)
	// tombSignalRE is the signal line: "signal 11 (SIGSEGV), code 1
	// (SEGV_MAPERR), fault addr 0x10" ("--------" for none).
	tombSignalRE = regexp.MustCompile(`^signal \d+ \((SIG\w+)\), code -?\d+ \(([^)]*)\)(?:, fault addr (\S+))?`)
	// stackRowRE is a row of AOSP's stack script: "RELADDR FUNCTION
	// FILE:LINE", "v------>" for a function inlined into the next row.
	stackRowRE = regexp.MustCompile(`^(?:v-+>|([0-9a-fA-F]{8,16})) +(\S.*)$`)
	// bionicAssertRE is bionic's failed assert() as the abort message
	// gives it: "renderer.cpp:88: void Renderer::draw(const Frame *):
	// assertion "frame" failed".
	bionicAssertRE = regexp.MustCompile(`^(\S+):(\d+): (.+?): assertion "(.*)" failed$`)
	// symbolOffsetRE is the decimal offset a tombstone puts after a symbol.
	symbolOffsetRE = regexp.MustCompile(`\+\d+$`)
	// tombHeapRE heads the stacks of a memory error's allocation
	// (MTE, GWP-ASan): "deallocated by thread 4566:".
	tombHeapRE = regexp.MustCompile(`^(?:de)?allocated by thread \d+:$`)
	// spacesRE separates the columns of AOSP's stack script.
	spacesRE = regexp.MustCompile(` {2,}`)
)

// tombNoise are the words of every Android native crash's title.
var tombNoise = map[string]bool{"android": true, "native": true, "fault": true, "addr": true}

// Kinds of tombstone stacks.
const (
	tombBacktrace = iota // "#00 pc ..." frames
	tombNDK              // ndk-stack's "#00 0x..." frames and symbolizer lines
	tombRows             // AOSP stack's "RELADDR FUNCTION FILE:LINE" rows
)

// tombParser reads Android native crash reports line by line.
type tombParser struct {
	out []nativeReport
	rep *nativeReport
	ndk bool // the report is ndk-stack's "Crash dump:"
	// bannered is set when the report has its banner: its further
	// backtraces are its other threads', not reports of their own.
	bannered bool
	// What the report's header says; process is what its first thread
	// header names between ">>> <<<".
	sig, code, addr, cause, abort, process string
	// thread names the stack that comes next; pending is set after
	// "--- --- ---", which opens the next thread.
	thread  string
	pending bool
	// The stack being read; headed is set when a "backtrace:" header
	// opened it.
	inStack bool
	headed  bool
	kind    int
	name    string
	frames  []Frame
	lastNum int
	// An ndk-stack frame waiting for its symbolizer lines.
	ndkFrame *ndkFrame
}

// ndkFrame is a frame of ndk-stack's output: the tombstone's module and
// symbol, and the function and location pairs the symbolizer printed
// under it, innermost inlined function first.
type ndkFrame struct {
	module, symbol string
	fns, locs      []string
	fn             string // a function line waiting for its location
	hasFn          bool
	// The tombstone's pc, the module's build ID, and whether the mapping
	// had an "(offset 0x...)" (see tombOffset).
	pc, buildID string
	elfOffset   bool
}

// parseTombstones reads Android native crash reports: tombstones (and
// their lines in logcat), ndk-stack's symbolized "Crash dump:" and the
// "Stack Trace:" of AOSP's stack script. The crashing thread's backtrace
// is the first stack, the other threads' follow. The abort message titles
// the report, else the signal and its cause.
func parseTombstones(_ string, lines []string) []nativeReport {
	p := &tombParser{}
	for i, l := range lines {
		p.line(i, strings.TrimSpace(l))
	}
	p.closeReport()
	return p.out
}

// line reads one line, t, without its indentation.
func (p *tombParser) line(i int, t string) {
	switch {
	case strings.HasPrefix(t, "*** *** ***"):
		p.closeReport()
		p.openReport(i)
		p.bannered = true
		return
	case strings.HasPrefix(t, "**********") && strings.Contains(t, "Crash dump:"):
		p.closeReport()
		p.openReport(i)
		p.ndk, p.bannered = true, true
		return
	case t == "Crash dump is completed" || strings.HasPrefix(t, "Tombstone written to:"):
		if p.rep != nil {
			p.rep.end = i
		}
		p.closeReport()
		return
	}
	if p.frameLine(i, t) {
		return
	}
	if p.rep == nil {
		// A report without its banner (cut from a log, or AOSP's stack
		// script) starts at its first header line.
		if !strings.HasPrefix(t, "Build fingerprint:") && t != "Stack Trace:" && t != "backtrace:" &&
			!(strings.HasPrefix(t, "pid: ") && tombThreadRE.MatchString(t)) && !(strings.HasPrefix(t, "signal ") && tombSignalRE.MatchString(t)) {
			return
		}
		p.openReport(i)
	}
	p.header(i, t)
}

// frameLine reads t when it is a frame, or a line the current stack
// holds, and reports whether it was.
func (p *tombParser) frameLine(i int, t string) bool {
	if p.inStack && p.kind == tombNDK && p.ndkFrame != nil && t != "" && !ndkFrameRE.MatchString(t) &&
		!strings.HasPrefix(t, "WARNING:") && !strings.HasPrefix(t, "ERROR:") && !strings.HasPrefix(t, "Stack frame #") {
		p.ndkFrame.add(t) // a symbolizer line
		p.rep.end = i
		return true
	}
	if p.inStack && p.kind == tombRows {
		if strings.HasPrefix(t, "RELADDR") {
			return true
		}
		if m := stackRowRE.FindStringSubmatch(t); m != nil {
			p.add(i, -1, stackRow(m[1], m[2]))
			return true
		}
		if t == "" && len(p.frames) == 0 {
			return true
		}
		p.endStack()
		return false
	}
	if rest, ok := strings.CutPrefix(t, "Stack frame "); ok {
		// ndk-stack before r21: "Stack frame #00 pc 0000066c  /data/app/
		// .../libx.so (f+54): Routine f at /src/x.c:165".
		m := tombFrameRE.FindStringSubmatch(rest)
		if m == nil {
			return false
		}
		tail, routine, _ := strings.Cut(m[3], ": Routine ")
		f := tombFrame(m[2], tail)
		if fn, loc, ok := strings.Cut(routine, " at "); ok {
			if file, line, col, ok := splitLocation(loc); ok && file != "??" {
				if fn = cleanFunction(fn); fn == "" {
					fn = f.Function
				}
				f = tombOffset(nativeFrame(FormatTombstone, file, line, col, fn, f.Module), m[2], f.BuildID, true)
			}
		}
		p.add(i, atoi(m[1]), []Frame{f})
		return true
	}
	if len(t) < 2 || t[0] != '#' {
		return false
	}
	if strings.Contains(t, " pc ") {
		if m := tombFrameRE.FindStringSubmatch(t); m != nil {
			p.add(i, atoi(m[1]), []Frame{tombFrame(m[2], m[3])})
			return true
		}
	}
	if !p.ndk && !ndkPathFrame(t) {
		return false
	}
	if m := ndkFrameRE.FindStringSubmatch(t); m != nil {
		module, symbol, buildID, elfOffset := tombMapping(m[3])
		p.add(i, atoi(m[1]), nil)
		p.kind = tombNDK
		p.ndkFrame = &ndkFrame{module: module, symbol: symbol, pc: m[2], buildID: buildID, elfOffset: elfOffset}
		return true
	}
	return false
}

// ndkPathFrame reports an ndk-stack frame, "#NN 0x... /path", that
// names a library's path, which gdb's and the sanitizers' "#N 0x..."
// frames do not: it reads without ndk-stack's banner (an excerpt).
func ndkPathFrame(t string) bool {
	i := 1
	for i < len(t) && i <= 4 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 1 || !strings.HasPrefix(t[i:], " 0x") {
		return false
	}
	i += 3
	j := i
	for j < len(t) && j-i < 16 && isHexDigit(t[j]) {
		j++
	}
	return j > i && strings.HasPrefix(t[j:], " /")
}

// add appends frames read on line i, frame number num (-1: not numbered),
// to the current stack; a frame outside a stack, or numbered again from
// 0, starts one (of the next thread, or of a report of its own). The
// frames under a "backtrace:" header are one stack whatever their
// numbers, and so are frames all numbered #00 one after the other, as
// some crash reporters write them.
func (p *tombParser) add(i, num int, frames []Frame) {
	p.flushNDK()
	if p.inStack && !p.headed && num >= 0 && num <= p.lastNum && (num > 0 || p.lastNum > 0) {
		p.endStack()
	}
	if !p.inStack {
		if p.rep == nil || len(p.rep.stacks) > 0 && !p.pending && !p.bannered {
			p.closeReport()
			p.openReport(i)
		}
		p.beginStack(tombBacktrace)
	}
	if num >= 0 {
		p.lastNum = num
	}
	for _, f := range frames {
		if len(p.frames) < MaxFrames {
			p.frames = append(p.frames, f)
		}
	}
	p.rep.end = i
}

// header reads a line of the report that is no frame.
func (p *tombParser) header(i int, t string) {
	r := p.rep
	switch {
	case t == "":
		// A blank line ends a backtrace, and ndk-stack's frames read
		// without its banner.
		if p.inStack && (p.kind == tombBacktrace && len(p.frames) > 0 || p.kind == tombNDK && !p.ndk) {
			p.endStack()
		}
		return
	case t == "backtrace:":
		p.endStack()
		p.beginStack(tombBacktrace)
		p.headed = true
	case t == "Stack Trace:":
		p.endStack()
		p.beginStack(tombRows)
	case strings.HasPrefix(t, "--- --- ---"):
		p.endStack()
		p.pending, p.thread = true, ""
	case tombHeapRE.MatchString(t):
		p.endStack()
		p.pending, p.thread = true, strings.TrimSuffix(t, ":")
	case strings.HasPrefix(t, "Timestamp: "):
		if ts := leadingTimestamp(strings.TrimPrefix(t, "Timestamp: ")); ts != nil && r.time == nil {
			r.time = ts
		}
	case strings.HasPrefix(t, "Abort message: "):
		if p.abort == "" {
			msg := strings.TrimPrefix(t, "Abort message: ")
			if len(msg) >= 2 && msg[0] == '\'' && msg[len(msg)-1] == '\'' {
				msg = msg[1 : len(msg)-1]
			}
			p.abort = strings.TrimPrefix(msg, "'")
		}
	case strings.HasPrefix(t, "Cause: "):
		if p.cause == "" && len(r.stacks) == 0 {
			p.cause = strings.TrimPrefix(t, "Cause: ")
		}
	case strings.HasPrefix(t, "pid: "):
		if m := tombThreadRE.FindStringSubmatch(t); m != nil {
			if m[2] != "" {
				p.thread = m[2] + " (tid " + m[1] + ")"
			}
			if p.process == "" {
				p.process = m[3]
			}
		}
	case strings.HasPrefix(t, "signal "):
		if m := tombSignalRE.FindStringSubmatch(t); m != nil && p.sig == "" {
			p.sig, p.code, p.addr = m[1], m[2], m[3]
		}
	case tombSectionEnd(t):
		p.endStack()
		return
	default:
		return // registers, notes, a log's other lines
	}
	r.end = i
}

// tombSectionEnd reports the headers of the sections that follow a
// thread's backtrace.
func tombSectionEnd(t string) bool {
	for _, s := range []string{"stack:", "memory near ", "memory map", "code around ", "open files:", "log main:",
		"log system:", "log crash:", "Stack Data:", "registers", "Registers", "Tagged addr"} {
		if strings.HasPrefix(t, s) {
			return true
		}
	}
	return false
}

func (p *tombParser) openReport(i int) {
	p.rep = &nativeReport{format: FormatTombstone, start: i, end: i, noise: tombNoise}
	p.ndk, p.bannered = false, false
	p.sig, p.code, p.addr, p.cause, p.abort, p.process = "", "", "", "", "", ""
	p.thread, p.pending = "", false
}

func (p *tombParser) beginStack(kind int) {
	p.inStack, p.headed, p.kind, p.frames, p.lastNum = true, false, kind, nil, -1
	p.name = p.thread
	if p.name == "" {
		p.name = "backtrace"
	}
	p.thread, p.pending = "", false
}

func (p *tombParser) endStack() {
	p.flushNDK()
	if p.inStack && p.rep != nil {
		p.rep.addStack(p.name, p.frames)
	}
	p.inStack, p.frames = false, nil
}

// flushNDK turns the pending ndk-stack frame into frames.
func (p *tombParser) flushNDK() {
	if nf := p.ndkFrame; nf != nil {
		p.ndkFrame = nil
		for _, f := range nf.frames() {
			if len(p.frames) < MaxFrames {
				p.frames = append(p.frames, f)
			}
		}
	}
}

// closeReport ends the report being read; a report with a stack is kept,
// titled by its abort message, else by its signal and cause.
func (p *tombParser) closeReport() {
	p.endStack()
	r := p.rep
	p.rep = nil
	if r == nil || len(r.stacks) == 0 {
		return
	}
	sig := ""
	if p.sig != "" {
		sig = p.sig + " (" + p.code + ")"
		switch addr := shortAddr(p.addr); {
		case p.cause != "":
			sig += ": " + p.cause
		case addr != "":
			sig += ", fault addr " + addr
		}
	}
	switch {
	case p.abort != "":
		r.title = p.abort
		r.texts = append(r.texts, sig)
		if m := bionicAssertRE.FindStringSubmatch(p.abort); m != nil {
			r.texts = append(r.texts, m[4])
			if !hasAppLocation(r.stacks[0].frames) {
				// The stack names functions only: the assertion's site is
				// the frame of the function that asserted.
				site := nativeFrame(FormatTombstone, m[1], atoi(m[2]), 0, cleanFunction(m[3]), "")
				for _, f := range r.stacks[0].frames {
					if f.Function == site.Function && site.Module == "" {
						site.Module = f.Module
					}
				}
				r.stacks[0].frames = siteFrames(r.stacks[0].frames, site)
			}
		}
	case sig != "":
		r.title = sig
	default:
		r.title = "Android native crash"
	}
	r.titled = true
	if appProcess(p.process, r.stacks) {
		for _, st := range r.stacks {
			for k := range st.frames {
				if strings.HasPrefix(st.frames[k].Module, androidLocalTmp) {
					st.frames[k].InApp = false
				}
			}
		}
	}
	if !hasAppLocation(flatFrames(r.stacks)) {
		r.notes = append(r.notes, "no frame of the app has a source file and line: symbolize the report with the NDK's ndk-stack (ndk-stack -sym DIR, DIR holding the unstripped .so files of that build) so frames can be matched to the code")
	}
	p.out = append(p.out, *r)
}

// androidLocalTmp is where adb pushes programs and libraries: the tests
// and tools a developer runs there are theirs, but a library from there in
// an app's process was injected into it (a testing service's hooks, a
// profiler, a debugging tool).
const androidLocalTmp = "/data/local/tmp/"

// appProcess reports whether the crashed process is an app's: its header
// names a package rather than a program's path, or, without a header, a
// frame maps the app's code.
func appProcess(process string, stacks []nativeStack) bool {
	if process != "" {
		return !strings.HasPrefix(process, "/")
	}
	for _, st := range stacks {
		for _, f := range st.frames {
			if strings.HasPrefix(f.Module, "/data/app/") || strings.HasPrefix(f.Module, "/data/app-lib/") {
				return true
			}
		}
	}
	return false
}

// shortAddr returns a fault address without its leading zeros ("0x10"),
// "" for none ("--------").
func shortAddr(a string) string {
	h := strings.TrimPrefix(a, "0x")
	if !allHex(h) {
		return ""
	}
	h = strings.TrimLeft(h, "0")
	if h == "" {
		h = "0"
	}
	return "0x" + h
}

func hasAppLocation(frames []Frame) bool {
	for _, f := range frames {
		if f.InApp && f.File != "" {
			return true
		}
	}
	return false
}

func flatFrames(stacks []nativeStack) []Frame {
	var out []Frame
	for _, s := range stacks {
		out = append(out, s.frames...)
	}
	return out
}

// tombFrame reads a tombstone frame: its pc (hexadecimal), and its tail,
// the mapping, then "(offset 0x1000)", "(symbol+44)", "(BuildId: ...)".
func tombFrame(pc, tail string) Frame {
	module, symbol, buildID, elfOffset := tombMapping(tail)
	return tombOffset(nativeFrame(FormatTombstone, "", 0, 0, tombSymbol(symbol), module), pc, buildID, elfOffset)
}

// tombOffset gives a tombstone's frame its pc as its Offset, and its
// build ID, when the mapping is an ELF file's.
//
// The pc a tombstone prints is libunwindstack's rel_pc (Unwinder's
// FormatFrame): pc - map start + the map's offset into the ELF + the
// ELF's load bias (Elf::GetRelPc), which is the address in the ELF's own
// virtual address space, as its symbol table and DWARF give them: what
// addr2line and llvm-symbolizer take as they are, and what ndk-stack
// hands llvm-symbolizer unchanged with the unstripped .so. Past the first
// frame it is already the return address less the call instruction's
// size (GetPcAdjustment), inside the call. A library loaded from an APK
// ("base.apk!libx.so (offset 0x1000)", "base.apk (offset 0x1000)") is the
// same: the "(offset 0x...)" is where the ELF starts in the APK, which
// finds the library in it, and is not added to the pc. A mapping that is
// no ELF file has a pc that is no such address: anonymous and JIT
// mappings ("[anon:...]", "<anonymous:...>", "/memfd:jit-cache"), an
// unknown one (the absolute pc), and the dex files an interpreted Java
// frame runs from (.jar, .dex, .vdex, an APK without "(offset"), whose pc
// is the dex pc's distance from the map's start. Those keep no Offset.
func tombOffset(f Frame, pc, buildID string, elfOffset bool) Frame {
	m := f.Module
	if m == "" || m[0] == '[' || m[0] == '<' || strings.HasPrefix(m, "/dev/") || strings.HasPrefix(m, "/memfd:") {
		return f
	}
	switch strings.ToLower(path.Ext(m)) {
	case ".jar", ".dex", ".vdex", ".art", ".cdex":
		return f
	case ".apk":
		if !elfOffset {
			return f
		}
	}
	off, ok := parseHexOffset(pc)
	if !ok {
		return f
	}
	return atModuleOffset(f, off, buildID)
}

// tombMapping splits a frame's tail into the mapping's name
// ("/data/app/.../libx.so", "base.apk!libx.so", "[anon:dalvik-...]",
// "<anonymous:7a12340000>") and the symbol, "" when it has none; with
// the build ID of its "(BuildId: ...)", and whether it has an "(offset
// 0x...)".
func tombMapping(tail string) (module, symbol, buildID string, elfOffset bool) {
	tail = strings.TrimSpace(tail)
	end := strings.IndexByte(tail, ' ')
	if end < 0 {
		end = len(tail)
	}
	if tail != "" && (tail[0] == '[' || tail[0] == '<') {
		closer := byte(']')
		if tail[0] == '<' {
			closer = '>'
		}
		if k := strings.IndexByte(tail, closer); k > 0 {
			end = k + 1
		}
	}
	module, rest := tail[:end], tail[end:]
	for {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" || rest[0] != '(' {
			return module, symbol, buildID, elfOffset
		}
		k := matchParen(rest, 0)
		if k < 0 {
			k = strings.LastIndexByte(rest, ')') + 1
		}
		group := ""
		if k >= 2 {
			group, rest = rest[1:k-1], rest[k:]
		} else {
			group, rest = rest[1:], "" // cut short: no closing parenthesis
		}
		switch {
		case strings.HasPrefix(group, "offset 0x"):
			elfOffset = true
		case strings.HasPrefix(group, "BuildId: "):
			buildID = strings.TrimPrefix(group, "BuildId: ")
		case group == "deleted":
		case symbol == "":
			symbol = group
		}
	}
}

// tombSymbol turns a tombstone's symbol ("Renderer::draw(Frame
// const*)+44", "com.example.app.Canvas.onDraw+140") into a function name.
func tombSymbol(s string) string {
	return cleanFunction(symbolOffsetRE.ReplaceAllString(s, ""))
}

// add reads a line the symbolizer printed under an ndk-stack frame: a
// function, or the location of the function before it.
func (nf *ndkFrame) add(t string) {
	if isSymbolizerLocation(t) {
		nf.fns = append(nf.fns, nf.fn)
		nf.locs = append(nf.locs, t)
		nf.fn, nf.hasFn = "", false
		return
	}
	if nf.hasFn {
		// Two functions in a row: the first had no location.
		nf.fns = append(nf.fns, nf.fn)
		nf.locs = append(nf.locs, "")
	}
	nf.fn, nf.hasFn = t, true
}

// isSymbolizerLocation reports llvm-symbolizer's location lines
// ("/src/x.cpp:88:14", "??:0:0").
func isSymbolizerLocation(t string) bool {
	if strings.HasPrefix(t, "??:") {
		return true
	}
	file, _, _, ok := splitLocation(t)
	return ok && !strings.ContainsAny(file, "()") && !strings.Contains(file, " ")
}

// frames returns the frame's inlined functions and itself, innermost
// first, with the locations the symbolizer found; a frame it could not
// resolve keeps the tombstone's symbol.
func (nf *ndkFrame) frames() []Frame {
	if nf.hasFn {
		nf.fns = append(nf.fns, nf.fn)
		nf.locs = append(nf.locs, "")
	}
	fallback := tombSymbol(nf.symbol)
	var out []Frame
	for k, fn := range nf.fns {
		file, line, col, ok := splitLocation(nf.locs[k])
		if !ok || file == "??" {
			file, line, col = "", 0, 0
		}
		if fn = cleanFunction(fn); fn == "" && k == len(nf.fns)-1 {
			fn = fallback
		}
		if fn == "" && file == "" {
			continue
		}
		out = append(out, nf.offset(nativeFrame(FormatTombstone, file, line, col, fn, nf.module)))
	}
	if len(out) == 0 {
		out = append(out, nf.offset(nativeFrame(FormatTombstone, "", 0, 0, fallback, nf.module)))
	}
	return out
}

// offset gives a frame of the tombstone's frame its pc: the functions the
// symbolizer found inlined at that pc share it (see tombOffset).
func (nf *ndkFrame) offset(f Frame) Frame {
	return tombOffset(f, nf.pc, nf.buildID, nf.elfOffset)
}

// stackRow reads a row of AOSP's stack script, its address (the
// tombstone's pc, "" for "v------>") and what follows it:
// "Canvas::stroke(Path const&)+18   vendor/acme/canvas.cpp:212". A row
// whose library is named (the script found no line) keeps the address.
func stackRow(addr, rest string) []Frame {
	fn, loc := rest, ""
	if locs := spacesRE.FindAllStringIndex(rest, -1); len(locs) > 0 {
		last := locs[len(locs)-1]
		fn, loc = rest[:last[0]], rest[last[1]:]
	} else if k := strings.LastIndexByte(rest, ' '); k > 0 {
		if _, _, _, ok := splitLocation(rest[k+1:]); ok {
			fn, loc = rest[:k], rest[k+1:]
		}
	}
	file, line, col, ok := splitLocation(loc)
	module := ""
	if !ok || file == "??" {
		file, line, col = "", 0, 0
		if strings.HasPrefix(loc, "/") && !strings.Contains(loc, " ") {
			module = loc // the library, when the script found no line
		}
	}
	return []Frame{tombOffset(nativeFrame(FormatTombstone, file, line, col, tombSymbol(fn), module), addr, "", false)}
}

// androidSystemDirs hold the system's libraries and code on a device:
// none of them is the app's.
var androidSystemDirs = []string{"/system/", "/apex/", "/vendor/", "/product/", "/system_ext/", "/odm/",
	"/bionic/", "/data/dalvik-cache/", "/data/misc/apexdata/"}

// androidSystemImages are mappings of the system that tombstones name
// without a directory.
var androidSystemImages = map[string]bool{"[vdso]": true, "[vectors]": true, "[sigpage]": true, "[vsyscall]": true,
	"linker": true, "linker64": true, "libart.so": true, "libartbase.so": true, "libbase.so": true, "liblog.so": true,
	"libutils.so": true, "libbinder.so": true, "libhwui.so": true, "libandroid_runtime.so": true,
	"app_process": true, "app_process32": true, "app_process64": true}

// androidPlatformSources are the AOSP and NDK trees the symbolized
// frames of the system's and the toolchain's code come from.
var androidPlatformSources = []string{"bionic/", "external/", "prebuilts/", "toolchain/", "art/runtime/",
	"art/libartbase/", "art/libdexfile/", "libcore/", "frameworks/base/", "frameworks/native/", "frameworks/av/",
	"system/core/", "system/libbase/", "system/logging/", "system/unwinding/"}

// tombstoneInApp decides in-app for Android native crash reports (see
// IsInApp): a frame of a system image (/system/, /apex/, /vendor/,
// /product/, the boot image in /data/dalvik-cache, [vdso], the linker,
// libart.so) is not; neither is a frame of the C or C++ runtime (libc.so,
// libc++_shared.so, std::), a Java method of the framework or a library
// (android., java., androidx., kotlin., ...), nor a source file of AOSP
// (bionic/, external/, frameworks/base/, ...) or of the NDK's toolchain.
// The app's own libraries (/data/app/.../lib/arm64/libx.so, base.apk,
// split_*.apk, /data/data/...) and code it loads from elsewhere are
// in-app when they name a function or a file, but for the libraries of
// /data/local/tmp in an app's process (see appProcess).
func tombstoneInApp(file, function, module string) bool {
	if androidSystemImage(module) || hasAnyPrefix(function, javaLibPrefixes) {
		return false
	}
	if file != "" {
		return nativeInApp(file, function, "") && !vendoredNative(file) && !androidPlatformSource(file)
	}
	return nativeInApp("", function, module)
}

// androidSystemImage reports a mapping of the system: its path, or the
// file an anonymous mapping was made from ("[anon:dalvik-classes.dex
// extracted in memory from /system/framework/x.jar]"), is the system's.
func androidSystemImage(module string) bool {
	if module == "" {
		return false
	}
	if androidSystemImages[module] || androidSystemImages[path.Base(module)] {
		return true
	}
	m := module
	if (m[0] == '[' || m[0] == '<') && strings.Contains(m, " /") {
		m = m[strings.Index(m, " /")+1:]
	}
	if strings.HasPrefix(m, "/data/dalvik-cache/") && strings.Contains(m, "data@app@") {
		return false // an app's code compiled before Android 8
	}
	return hasAnyPrefix(m, androidSystemDirs)
}

// androidPlatformSource reports a source path of AOSP (relative to its
// tree, as the stack script prints it) or of the NDK and its toolchain.
func androidPlatformSource(file string) bool {
	if !strings.HasPrefix(file, "/") && hasAnyPrefix(file, androidPlatformSources) {
		return true
	}
	l := "/" + strings.ToLower(strings.TrimPrefix(file, "/"))
	for _, s := range []string{"/sdk/ndk/", "/ndk-bundle/", "/android-ndk-", "/llvm-project/", "/libcxx/", "/libcxxabi/", "/sysroot/usr/include/"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
