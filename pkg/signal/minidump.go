package signal

import (
	"fmt"
	"strconv"
	"strings"
)

// minidumpNoise are the words of a minidump report's default title.
var minidumpNoise = map[string]bool{"minidump": true, "stack": true, "stackwalk": true, "minidump_stackwalk": true}

// mdThread is one thread's stack of a minidump_stackwalk report.
type mdThread struct {
	num     int
	name    string
	crashed bool
	next    int // the frame number the next frame line must carry
	frames  []Frame
}

// mdReport is a minidump_stackwalk report while it is read.
type mdReport struct {
	start, end int
	last       int // the last line read as part of the report
	reason     string
	address    string
	assertion  string
	noCrash    bool
	crashed    int // the crashed (or requesting) thread of the machine-readable form, -1 if not known
	headed     bool
	threads    []*mdThread
	cur        *mdThread
}

// parseMinidumpReports reads the text minidump_stackwalk prints (Google
// Breakpad's, and rust-minidump's minidump-stackwalk in its human
// form): the "Operating system:", "Crash reason:", "Crash address:" and
// "Assertion:" header, then "Thread 0 (crashed)" and the other threads,
// each frame " 0  module!function [file : line + 0xoffset]", "module!
// function + 0xoffset", "module + 0xoffset" or a bare address, followed
// by its registers and "Found by:" line. It also reads the
// pipe-delimited --machine-readable form ("Crash|SIGSEGV|0x10|0", then
// "thread|frame|module|function|file|line|offset" lines). The crashed
// thread's stack comes first.
func parseMinidumpReports(text string, lines []string) []nativeReport {
	var out []nativeReport
	var rep *mdReport
	flush := func() {
		if rep != nil {
			if r, ok := rep.report(); ok {
				out = append(out, r)
			}
		}
		rep = nil
	}
	open := func(i int) {
		flush()
		rep = &mdReport{start: i, end: i, last: i, crashed: -1}
	}
	machine := strings.Contains(text, "|")
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if machine && strings.IndexByte(t, '|') > 0 {
			if minidumpMachineLine(t, i, &rep, open) {
				continue
			}
		}
		switch {
		case strings.HasPrefix(t, "Operating system:"):
			open(i)
			rep.headed = true
			continue
		case strings.HasPrefix(t, "Crash reason:"):
			if rep == nil || len(rep.threads) > 0 || rep.reason != "" {
				open(i)
			}
			rep.reason, rep.headed, rep.last = strings.TrimSpace(strings.TrimPrefix(t, "Crash reason:")), true, i
			continue
		case rep != nil && len(rep.threads) == 0 && strings.HasPrefix(t, "Crash address:"):
			rep.address, rep.last = minidumpAddress(strings.TrimPrefix(t, "Crash address:")), i
			continue
		case rep != nil && len(rep.threads) == 0 && strings.HasPrefix(t, "Assertion:"):
			rep.assertion, rep.last = strings.TrimSpace(strings.TrimPrefix(t, "Assertion:")), i
			continue
		case rep != nil && len(rep.threads) == 0 && t == "No crash":
			rep.noCrash, rep.last = true, i
			continue
		case t == "Loaded modules:" || t == "Unloaded modules:":
			flush()
			continue
		}
		if th, ok := minidumpThreadHeader(t); ok {
			if rep == nil {
				open(i)
			}
			rep.threads = append(rep.threads, th)
			rep.cur, rep.last = th, i
			rep.headed = rep.headed || th.crashed // "Thread 0 (crashed)" says what this is
			continue
		}
		if n, body, ok := minidumpFrameLine(t); ok {
			f, fok := minidumpFrame(body)
			if fok && rep != nil && rep.cur != nil && n >= rep.cur.next {
				// The next frame, or one after frames the poster left
				// out; under a thread's header, the first frame may be
				// any (a paste that starts in the middle of the stack).
				rep.cur.next = n
				rep.cur.add(f)
				rep.end, rep.last = i, i
				continue
			}
			if fok && (n == 0 || f.File != "" && f.Module != "" && strings.HasSuffix(body, "]")) {
				// A stack without a thread header: the first of a report
				// whose header came before, or a report of its own. One
				// whose first frame is not numbered 0 was pasted from the
				// middle of a stack: its first frame must be plainly
				// minidump_stackwalk's ("module!function [file : line +
				// 0x..]").
				if rep == nil || rep.cur != nil {
					open(i)
				}
				th := &mdThread{num: -1, name: "stack", next: n}
				rep.threads = append(rep.threads, th)
				rep.cur = th
				th.add(f)
				rep.end, rep.last = i, i
				continue
			}
		}
		if rep == nil {
			continue
		}
		// Within a thread: registers, "Found by:", stack contents and
		// recovered arguments go on until the next frame.
		if rep.cur != nil && (t == "" || raw[0] == ' ' || raw[0] == '\t' || minidumpFrameDetail(t) || elisionLine(t)) {
			continue
		}
		if len(rep.threads) == 0 {
			// The header goes on (CPU, GPU, crashing instruction, process
			// uptime) until the first thread, within reason.
			if i-rep.last > 40 {
				rep = nil
			}
			continue
		}
		if t == "" {
			continue
		}
		flush()
	}
	flush()
	return out
}

// add appends a frame to the thread's stack.
func (th *mdThread) add(f Frame) {
	th.next++
	if len(th.frames) < MaxFrames {
		th.frames = append(th.frames, f)
	}
}

// report turns what was read into a native report, the crashed thread's
// stack first; ok is false when it has no frame, or, without a header,
// is a lone stack of fewer than two frames or of no function.
func (r *mdReport) report() (nativeReport, bool) {
	n, named := 0, false
	for _, th := range r.threads {
		n += len(th.frames)
		for _, f := range th.frames {
			named = named || f.Function != ""
		}
	}
	if n == 0 || !r.headed && (n < 2 || !named) {
		return nativeReport{}, false
	}
	rep := nativeReport{format: FormatMinidump, title: "minidump stack", start: r.start, end: r.end, noise: minidumpNoise}
	switch {
	case r.reason != "":
		rep.title, rep.titled = r.reason, true
		if r.address != "" && memoryFault(r.reason) {
			rep.title += " at " + r.address
		}
		if r.assertion != "" {
			rep.texts = append(rep.texts, r.assertion)
		}
	case r.assertion != "":
		rep.title, rep.titled = r.assertion, true
	case r.noCrash:
		rep.title = "minidump (no crash)"
	}
	crash := 0
	for k, th := range r.threads {
		if th.crashed || r.crashed >= 0 && th.num == r.crashed {
			crash = k
			break
		}
	}
	rep.addStack(r.threads[crash].name, r.threads[crash].frames)
	for k, th := range r.threads {
		if k != crash {
			rep.addStack(th.name, th.frames)
		}
	}
	if !locatedReport(rep) {
		rep.notes = append(rep.notes, "no frame of the program has a source file and line: run minidump_stackwalk with the symbol files of that build (Breakpad .sym files made by dump_syms, or the PDB or debug files) so frames can be matched to the code")
	}
	return rep, true
}

// locatedReport reports whether an in-app frame of r has a file.
func locatedReport(r nativeReport) bool {
	for _, st := range r.stacks {
		for _, f := range st.frames {
			if f.InApp && f.File != "" {
				return true
			}
		}
	}
	return false
}

// memoryFault reports a crash reason whose address is the memory the
// program touched (rather than where it stopped): SIGSEGV, SIGBUS,
// EXCEPTION_ACCESS_VIOLATION_READ, EXC_BAD_ACCESS, ...
func memoryFault(reason string) bool {
	for _, s := range []string{"SIGSEGV", "SIGBUS", "ACCESS_VIOLATION", "EXC_BAD_ACCESS", "IN_PAGE_ERROR"} {
		if strings.Contains(reason, s) {
			return true
		}
	}
	return false
}

// minidumpThreadHeader reads a thread's header: Breakpad's "Thread 0
// (crashed)", "Thread 0 (requested dump, did not crash)" and "Thread 3",
// rust-minidump's "Thread 0 main (crashed) - tid: 4242" and "Thread 2
// Chrome_IOThread - tid: 4250".
func minidumpThreadHeader(t string) (*mdThread, bool) {
	if !strings.HasPrefix(t, "Thread ") {
		return nil, false
	}
	rest := t[len("Thread "):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j == 0 || j > 6 || j < len(rest) && rest[j] != ' ' {
		return nil, false
	}
	attrs := rest[j:]
	if k := strings.LastIndex(attrs, " - tid: "); k >= 0 && allDigits(strings.TrimSpace(attrs[k+len(" - tid: "):])) {
		attrs = attrs[:k]
	} else if attrs != "" && !strings.HasSuffix(attrs, ")") {
		return nil, false // "Thread 3 exited with code 0"
	}
	num, _ := strconv.Atoi(rest[:j])
	name := strings.Join(strings.Fields(t[:len("Thread ")+j]+attrs), " ")
	return &mdThread{num: num, name: name, crashed: strings.HasSuffix(attrs, "(crashed)") || strings.HasSuffix(attrs, "did not crash)")}, true
}

// minidumpFrameLine splits a frame line ("0  myapp!main [main.cc : 12 +
// 0x5]", its leading spaces trimmed) into its number and what follows.
func minidumpFrameLine(t string) (int, string, bool) {
	j := 0
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	// Breakpad prints the number right-aligned in two columns, then two
	// spaces: "%2d  ".
	if j == 0 || j > 5 || !strings.HasPrefix(t[j:], "  ") {
		return 0, "", false
	}
	n, _ := strconv.Atoi(t[:j])
	body := strings.TrimLeft(t[j:], " ")
	if body == "" {
		return 0, "", false
	}
	return n, body, true
}

// minidumpFrameDetail reports the lines minidump_stackwalk prints under a
// frame, should they have lost their indentation: registers ("rax =
// 0x..."), "Found by: ...", stack contents, recovered arguments.
func minidumpFrameDetail(t string) bool {
	if strings.HasPrefix(t, "Found by:") || strings.HasPrefix(t, "Stack contents:") || strings.HasPrefix(t, "Possible instruction pointers:") ||
		strings.HasPrefix(t, "Arguments (") || strings.HasPrefix(t, "arg ") {
		return true
	}
	// registers: "rax = 0x0000000000000000   rdx = 0x00007ffd4d0f0a28"
	name, val, ok := strings.Cut(t, " = 0x")
	return ok && name != "" && !strings.ContainsAny(name, " \t") && val != "" && isHexDigit(val[0])
}

// minidumpFrame reads what follows a frame's number:
//
//	myapp!Renderer::draw(Frame const*) [renderer.cpp : 88 + 0x4]
//	myapp!render_loop + 0x8
//	libc.so.6 + 0x29d90
//	0x7ffd1c2e0b30
//	myapp!inlined_helper [helper.h : 12]                 (rust-minidump's inlined frame)
//	xul.dll!nsFoo::Bar() [hg:hg.mozilla.org/mozilla-central:dom/base/nsFoo.cpp:0123456789ab : 88 + 0x4]
func minidumpFrame(body string) (Frame, bool) {
	if strings.HasPrefix(body, "0x") {
		rest, ok := cutHexPrefix(body)
		if !ok || rest != "" && !strings.HasPrefix(rest, "(unloaded ") {
			return Frame{}, false
		}
		return nativeFrame(FormatMinidump, "", 0, 0, "", ""), true
	}
	bang := strings.IndexByte(body, '!')
	if placeholderName(body[:max(bang, 0)]) {
		bang = -1 // "<customer's module>!..." is no module and function
	}
	if bang < 0 {
		// "libc.so.6 + 0x29d90": a module without symbols; "<customer's
		// module> + 0x355d008": a module the poster would not name.
		m, off, ok := strings.Cut(body, " + 0x")
		if !ok || !minidumpModule(m) && !placeholderName(m) || !allHex(off) {
			return Frame{}, false
		}
		return minidumpModuleOffset(nativeFrame(FormatMinidump, "", 0, 0, "", m), off), true
	}
	module, fn := body[:bang], body[bang+1:]
	if module != "" && !minidumpModule(module) || fn == "" {
		return Frame{}, false
	}
	file, line := "", 0
	if strings.HasSuffix(fn, "]") {
		k := strings.LastIndex(fn, " [")
		if k < 0 {
			return Frame{}, false
		}
		f, l, ok := minidumpLocation(fn[k+2 : len(fn)-1])
		if !ok {
			return Frame{}, false
		}
		file, line, fn = f, l, fn[:k]
	} else if k := strings.LastIndex(fn, " + 0x"); k >= 0 && allHex(fn[k+len(" + 0x"):]) {
		fn = fn[:k]
	}
	if placeholderName(fn) {
		// Breakpad's "<name omitted>": a symbol it would not print.
		return minidumpNativeFrame(file, line, "", module), true
	}
	name := cleanFunction(msvcName(fn))
	if name == "" {
		return Frame{}, false
	}
	return minidumpNativeFrame(file, line, name, module), true
}

// minidumpModuleOffset gives a frame printed as a module and an offset
// ("libc.so.6 + 0x29d90", the machine-readable form's frame without a
// function) that offset, hexadecimal: Breakpad's and rust-minidump's
// stackwalkers print the frame's address less the module's base address
// (where its first byte is loaded) when they know no function in it;
// past the first frame the address is the return address (Breakpad's
// ReturnAddress), after the call. A symbol's offset ("module!f + 0x10")
// or a source line's ("[f.cc : 12 + 0x4]") is none, and neither is a
// module the poster would not name ("<customer's module> + 0x...").
func minidumpModuleOffset(f Frame, off string) Frame {
	if placeholderName(f.Module) {
		return f
	}
	if v, ok := parseHexOffset(off); ok {
		return atModuleOffset(f, v, "")
	}
	return f
}

// minidumpLinkerSymbols are symbols the linker puts at the edges of an
// image's sections: stack scanning, or a module stripped of its other
// symbols, names them for whatever code lies near, which is no frame of
// the program's.
var minidumpLinkerSymbols = map[string]bool{
	"_init": true, "_fini": true, "_start": true, "_end": true, "_edata": true, "_etext": true,
	"__bss_start": true, "__data_start": true, "_DYNAMIC": true, "_GLOBAL_OFFSET_TABLE_": true,
}

// minidumpNativeFrame builds a frame of a minidump report; a linker's
// symbol without a file is not in-app.
func minidumpNativeFrame(file string, line int, function, module string) Frame {
	f := nativeFrame(FormatMinidump, file, line, 0, function, module)
	if file == "" && minidumpLinkerSymbols[function] {
		f.InApp = false
	}
	return f
}

// placeholderName reports a name a tool or a poster put in place of a
// symbol or a module, wrapped whole in angle brackets: "<name omitted>"
// (Breakpad), "<customer's module>". "<T as Trait>::f" and "operator<"
// are names.
func placeholderName(s string) bool {
	if len(s) < 3 || len(s) > 100 || s[0] != '<' || s[len(s)-1] != '>' || strings.ContainsAny(s, "|[]\t") {
		return false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			depth++
		case '>':
			depth--
			if depth == 0 && i < len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// elisionLine reports a line a poster put in place of lines left out:
// "...", "…", "[…]", "[...]", "(...)".
func elisionLine(t string) bool {
	t = strings.TrimSpace(t)
	if len(t) > 2 && (t[0] == '[' && t[len(t)-1] == ']' || t[0] == '(' && t[len(t)-1] == ')') {
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	return t == "…" || len(t) >= 3 && strings.Trim(t, ".") == ""
}

// msvcName writes the anonymous namespace of a name the Microsoft
// compiler's way ("`anonymous namespace'::Worker::run") as other
// compilers do ("(anonymous namespace)::Worker::run").
func msvcName(s string) string {
	if !strings.Contains(s, "`anonymous namespace'") {
		return s
	}
	return strings.ReplaceAll(s, "`anonymous namespace'", "(anonymous namespace)")
}

// minidumpModule reports a module name as minidump_stackwalk prints it:
// the base name of the image ("libc.so.6", "myapp.exe", "Google Chrome
// Framework").
func minidumpModule(m string) bool {
	return m != "" && len(m) <= 200 && !strings.ContainsAny(m, "[]()<>:|`\t") && m[0] != ' ' && m[len(m)-1] != ' ' && !strings.Contains(m, "  ")
}

// minidumpLocation reads "renderer.cpp : 88 + 0x4" (and rust-minidump's
// "helper.h : 12" of an inlined frame).
func minidumpLocation(loc string) (string, int, bool) {
	k := strings.LastIndex(loc, " : ")
	if k <= 0 {
		return "", 0, false
	}
	num := loc[k+3:]
	if j := strings.Index(num, " + 0x"); j >= 0 {
		if !allHex(num[j+len(" + 0x"):]) {
			return "", 0, false
		}
		num = num[:j]
	}
	if !allDigits(num) {
		return "", 0, false
	}
	file := sourceServerPath(strings.TrimSpace(loc[:k]))
	if file == "" {
		return "", 0, false
	}
	return file, atoi(num), true
}

// sourceServerPath returns the path in the repository of a source file
// named the way symbol files of a source server name it
// ("hg:hg.mozilla.org/mozilla-central:dom/base/nsFoo.cpp:0123456789ab",
// "git:github.com/owner/repo:src/file.cc:abcdef0"), or, when
// minidump_stackwalk kept only the part after the last slash
// ("nsFoo.cpp:0123456789ab"), that file without the revision. Other
// paths are returned as they are.
func sourceServerPath(file string) string {
	for _, p := range []string{"hg:", "git:", "svn:", "s3:"} {
		if strings.HasPrefix(file, p) {
			parts := strings.Split(file, ":")
			if len(parts) >= 3 && parts[2] != "" {
				return parts[2]
			}
			return file
		}
	}
	k := strings.LastIndexByte(file, ':')
	if k <= 0 || strings.ContainsAny(file[:k], `:/\`) {
		return file
	}
	if rev := file[k+1:]; rev == "" || len(rev) >= 7 && allHex(rev) {
		return file[:k]
	}
	return file
}

// minidumpAddress tidies a crash address: "0x0000000000000010 **" (rust-
// minidump marks an adjusted address so) becomes "0x10".
func minidumpAddress(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "**"))
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		if v, err := strconv.ParseUint(h, 16, 64); err == nil {
			return fmt.Sprintf("0x%x", v)
		}
	}
	return s
}

// minidumpMachineLine reads one line of minidump_stackwalk's
// --machine-readable output: "OS|...", "CPU|...", "GPU|...",
// "Module|...", "Crash|reason|address|thread", and frames
// "thread|frame|module|function|file|line|offset". It reports whether
// the line was one of them; open starts a new report.
func minidumpMachineLine(t string, i int, rep **mdReport, open func(int)) bool {
	fields := strings.Split(t, "|")
	switch fields[0] {
	case "OS":
		if len(fields) == 3 {
			open(i)
			(*rep).headed = true
			return true
		}
		return false
	case "CPU", "GPU", "Module":
		if *rep != nil && len((*rep).threads) == 0 {
			(*rep).last = i
			return true
		}
		return false
	case "Crash":
		if len(fields) != 4 {
			return false
		}
		if *rep == nil || len((*rep).threads) > 0 || (*rep).reason != "" {
			open(i)
		}
		r := *rep
		r.headed, r.last = true, i
		if fields[1] == "No crash" && fields[2] == "" {
			r.noCrash = true
		} else if fields[2] == "" {
			r.assertion = fields[1] // an assertion, in place of a crash reason
		} else {
			r.reason, r.address = fields[1], minidumpAddress(fields[2])
		}
		if n, err := strconv.Atoi(fields[3]); err == nil {
			r.crashed = n
		}
		return true
	}
	if len(fields) != 7 || !allDigits(fields[0]) || !allDigits(fields[1]) || len(fields[0]) > 6 || len(fields[1]) > 6 {
		return false
	}
	th, fr := atoi(fields[0]), atoi(fields[1])
	module, fn, file, line := fields[2], fields[3], fields[4], fields[5]
	if !strings.HasPrefix(fields[6], "0x") || !allHex(fields[6][2:]) || line != "" && !allDigits(line) || module != "" && !minidumpModule(module) && !placeholderName(module) {
		return false
	}
	r := *rep
	switch {
	case r != nil && r.cur != nil && r.cur.num == th:
		if fr != r.cur.next {
			return false
		}
	case fr != 0:
		return false
	default:
		if r == nil {
			open(i)
			r = *rep
		}
		name := "Thread " + fields[0]
		if th == r.crashed {
			name += " (crashed)"
		}
		r.cur = &mdThread{num: th, name: name}
		r.threads = append(r.threads, r.cur)
	}
	if file != "" {
		file = sourceServerPath(file)
	}
	if placeholderName(fn) {
		fn = ""
	}
	if file == "" {
		line = ""
	}
	f := minidumpNativeFrame(file, atoi(line), cleanFunction(msvcName(fn)), module)
	if fields[3] == "" && fields[4] == "" {
		// Without a function, the offset is the module's; with one, the
		// function's or its line's.
		f = minidumpModuleOffset(f, fields[6])
	}
	r.cur.add(f)
	r.end, r.last = i, i
	return true
}

// windowsSystemModules are the libraries of Windows (and of its C and C++
// runtimes), lower-cased and without ".dll", as minidump_stackwalk,
// WinDbg and Visual Studio name them; windowsSystemPrefixes start
// families of them.
var windowsSystemModules = map[string]bool{
	"ntdll": true, "kernel32": true, "kernelbase": true, "ucrtbase": true, "ucrtbased": true, "msvcrt": true,
	"user32": true, "win32u": true, "gdi32": true, "gdi32full": true, "combase": true, "ole32": true, "oleaut32": true,
	"rpcrt4": true, "sechost": true, "advapi32": true, "ws2_32": true, "mswsock": true, "shell32": true, "shlwapi": true,
	"shcore": true, "windows.storage": true, "comctl32": true, "uxtheme": true, "dwmapi": true, "imm32": true,
	"bcrypt": true, "bcryptprimitives": true, "crypt32": true, "cryptbase": true, "wow64": true, "wow64cpu": true,
	"wow64win": true, "d3d11": true, "d3d12": true, "dxgi": true, "d3d9": true, "opengl32": true, "dbghelp": true,
	"dbgcore": true, "version": true, "winmm": true, "psapi": true, "clr": true, "coreclr": true, "mscorwks": true,
	"nt": true, "hal": true, "ntoskrnl": true, "ntkrnlmp": true, "win32k": true, "win32kbase": true, "win32kfull": true,
	// macOS and Linux libraries minidump_stackwalk names without a
	// prefix the native rules know.
	"linux-gate.so": true, "libobjc.a.dylib": true, "corefoundation": true, "foundation": true, "appkit": true,
	"libdispatch.dylib": true, "libxpc.dylib": true,
}

var windowsSystemPrefixes = []string{"msvcp1", "msvcr1", "vcruntime1", "api-ms-win-", "ext-ms-win-", "concrt1", "vccorlib1"}

// windowsRuntimeFunctions are entry points and exception machinery of
// Windows and of the Microsoft C runtime linked into a program.
var windowsRuntimeFunctions = map[string]bool{
	"wmainCRTStartup": true, "WinMainCRTStartup": true, "wWinMainCRTStartup": true, "__tmainCRTStartup": true,
	"_CxxThrowException": true, "RaiseException": true, "RtlRaiseException": true, "KiUserExceptionDispatcher": true,
	"RtlDispatchException": true, "__report_gsfailure": true, "_invoke_watson": true, "_invalid_parameter": true,
	"_invalid_parameter_noinfo": true, "_purecall": true, "_callnewh": true, "__CxxFrameHandler3": true,
	"__CxxFrameHandler4": true, "__C_specific_handler": true, "_CallSettingFrame": true,
	"thread_start": true, // the C runtime's, a template: thread_start<unsigned int (__stdcall*)(void *),1>
}

// systemModuleFrame reports a frame of minidump_stackwalk, WinDbg or
// Visual Studio in a library of the system (ntdll, KERNEL32,
// ucrtbase.dll, VCRUNTIME140, linux-gate.so, ...: the case, and a
// ".dll" or ".exe" suffix, do not matter) or a function of the Windows
// runtime, neither of which is the program's code.
func systemModuleFrame(function, module string) bool {
	base, _, _ := strings.Cut(function, "<")
	if windowsRuntimeFunctions[base] {
		return true
	}
	if module == "" {
		return false
	}
	return systemLibrary(module)
}
