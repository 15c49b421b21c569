package signal

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// winDbgNoise are the words of a WinDbg or Visual Studio report's default
// title.
var winDbgNoise = map[string]bool{"windbg": true, "stack": true, "visual": true, "studio": true, "call": true, "code": true, "vs": true,
	"chance": true, "first": true, "second": true}

var (
	// winDbgEventRE is the event the debugger prints when the program
	// raises an exception: "(1d8c.2a4c): Access violation - code c0000005
	// (first chance)".
	winDbgEventRE = regexp.MustCompile(`^\([0-9a-fA-F]+\.[0-9a-fA-F]+\): (.+? - code [0-9a-fA-F]{8}) \((?:first|!!! second) chance(?: !!!)?\)`)
	// winDbgThreadRE is a thread's header of "~*k": ".  0  Id: 1d8c.2a4c
	// Suspend: 1 Teb: 000000c1`2f3e5000 Unfrozen", "#" marking the thread
	// of the exception, "." the current one.
	winDbgThreadRE = regexp.MustCompile(`^([.#]?)\s*(\d+)\s+Id: ([0-9a-fA-F]+\.[0-9a-fA-F]+)`)
	// vsFrameRE is one frame of Visual Studio's Call Stack window as it
	// copies it: ">\tmyapp.exe!Renderer::draw(const Frame * f) Line 88\tC++"
	// (">" marks the current frame; "[Inline Frame] " an inlined one;
	// " + 0x5 bytes" follows the line with byte offsets shown).
	vsFrameRE = regexp.MustCompile(`^(?:>\s*)?(\[Inline Frame\]\s*)?([\w.$+\-]+\.(?i:exe|dll))!(.+?)(?:\s+Line\s+(\d+)(?:\s*\+\s*0x[0-9a-fA-F]+\s+bytes)?)?(?:\s+(C\+\+|C|C#|F#|Basic|Unknown|Native|Managed|Rust|Assembly))?$`)
	// vsCodeFrameRE is one frame of VS Code's call stack (its C++
	// debugger for Windows, cppvsdbg), copied: "myapp.exe!Renderer::draw(
	// const Frame * f) (c:\src\renderer.cpp:88)", "(Unknown Source:0)"
	// where it has no source.
	vsCodeFrameRE = regexp.MustCompile(`^([\w.$+\-]+\.(?i:exe|dll)!.+?\))\s+\((Unknown Source:0|.+:\d+)\)$`)
	// x86DecoratedRE is a name of 32-bit Windows decorated with its
	// calling convention: "_TppWorkerThread@4" (__stdcall),
	// "@BaseThreadInitThunk@12" (__fastcall).
	x86DecoratedRE = regexp.MustCompile(`^[_@]([A-Za-z_]\w*)@\d{1,3}$`)
	// vsExceptionRE is Visual Studio's report of an exception: "Exception
	// thrown at 0x00007FF6A1B2C3D4 in myapp.exe: 0xC0000005: Access
	// violation reading location 0x0000000000000010."
	vsExceptionRE = regexp.MustCompile(`(?:Exception thrown|Unhandled exception) at 0x[0-9A-Fa-f]+ (?:\([^)]*\) )?in [^:]+: (.+?)\.?$`)
)

// winDbgStack is one stack of a WinDbg session.
type winDbgStack struct {
	name   string
	mark   byte // 'S' for !analyze's STACK_TEXT, '#' the exception's thread, '.' the current one
	frames []Frame
	inline []bool // by frame: an inlined function's ("(Inline Function)")
	sos    bool   // SOS's !clrstack
}

// ntStatusNames are the NTSTATUS codes that end programs most often.
var ntStatusNames = map[string]string{
	"c0000005": "Access violation", "c0000409": "Stack buffer overrun", "c00000fd": "Stack overflow",
	"c0000374": "Heap corruption", "80000003": "Break instruction exception", "e06d7363": "C++ EH exception",
	"c0000094": "Integer divide-by-zero", "c000001d": "Illegal instruction", "c0000602": "Fail fast exception",
	"c0000420": "Assertion failure", "c0000008": "Invalid handle", "c0000006": "In-page I/O error",
}

// parseWinDbgReports reads the stacks of Windows debuggers: WinDbg's and
// cdb's k, kn, kb, kp, kv ("00 00000012`3456f6a8 00007ff6`12341234
// myapp!Renderer::draw+0x2c [C:\src\renderer.cpp @ 88]", with or
// without the frame number, x86's "ChildEBP RetAddr" form), "~*k" with
// its thread headers, and !analyze -v's STACK_TEXT, titled by the
// exception (ExceptionCode, EXCEPTION_CODE_STR, the debugger's "Access
// violation - code c0000005" event), SYMBOL_NAME and FAILURE_BUCKET_ID;
// and the Call Stack window of Visual Studio, copied.
func parseWinDbgReports(text string, lines []string) []nativeReport {
	var out []nativeReport
	if strings.Contains(text, "Call Site") || strings.Contains(text, "ChildEBP") || strings.Contains(text, "STACK_TEXT:") {
		out = append(out, parseWinDbgStacks(lines)...)
	}
	return append(out, parseVSCallStacks(lines)...)
}

// parseWinDbgStacks reads the stacks of one WinDbg session: one report,
// the stack of the exception first.
func parseWinDbgStacks(lines []string) []nativeReport {
	var stacks []*winDbgStack
	var cur *winDbgStack
	first, end := -1, -1
	seen := func(i int) {
		if first < 0 {
			first = i
		}
	}
	threadName, threadMark := "", byte(0)
	var exc, event, symbol, placeholder, bucket, faultFile string
	faultLine := 0
	var session *time.Time
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if cur != nil {
			joined, last := t, i
			if open := strings.Count(t, "(") - strings.Count(t, ")"); open > 0 {
				// kP puts each argument on a line of its own.
				for j := i + 1; j < len(lines) && j <= i+32 && open > 0; j++ {
					next := strings.TrimSpace(lines[j])
					open += strings.Count(next, "(") - strings.Count(next, ")")
					joined += " " + next
					last = j
				}
				if open > 0 {
					joined, last = t, i
				}
			}
			if cur.sos && sosTransitionFrame(t) {
				continue
			}
			frame := winDbgFrame
			if cur.sos {
				frame = sosFrame
			}
			if f, ok := frame(joined); ok {
				if len(cur.frames) < MaxFrames {
					cur.frames = append(cur.frames, f)
					cur.inline = append(cur.inline, strings.Contains(joined, "(Inline Function)"))
				}
				i = last
				end = i
				continue
			}
			if t == "" && len(cur.frames) == 0 || strings.HasPrefix(t, "WARNING: ") || strings.HasPrefix(t, "*** WARNING") || strings.HasPrefix(t, "*** ERROR") {
				continue
			}
			cur = nil
		}
		if winDbgStackHeader(t) {
			seen(i)
			cur = &winDbgStack{name: "stack"}
			if strings.HasPrefix(t, "STACK_TEXT:") {
				cur.name, cur.mark = "STACK_TEXT", 'S'
			} else if cur.sos = strings.HasPrefix(t, "Child SP"); cur.sos {
				cur.name = "clrstack"
			} else if threadName != "" {
				cur.name, cur.mark = threadName, threadMark
				threadName, threadMark = "", 0
			}
			stacks = append(stacks, cur)
			continue
		}
		if m := winDbgThreadRE.FindStringSubmatch(t); m != nil {
			threadName = "thread " + m[2] + " (Id: " + m[3] + ")"
			threadMark = 0
			if m[1] != "" {
				threadMark = m[1][0]
			}
			continue
		}
		if v, ok := strings.CutPrefix(t, "Debug session time:"); ok {
			if ts := winDbgSessionTime(v); ts != nil {
				session = ts
			}
			continue
		}
		if m := matchIf(winDbgEventRE, t, " - code "); m != nil {
			seen(i)
			event = m[1]
			continue
		}
		key, val, ok := strings.Cut(t, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "ExceptionCode":
			// ".exr -1": "ExceptionCode: c0000005 (Access violation)"
			exc = val
		case "EXCEPTION_CODE_STR":
			if exc == "" && allHex(val) {
				exc = strings.ToLower(val)
				if n := ntStatusNames[exc]; n != "" {
					exc += " (" + n + ")"
				}
			}
		case "SYMBOL_NAME":
			if strings.Contains(val, "!") && !strings.HasPrefix(strings.ToLower(val), "unknown!") {
				symbol = val
			} else if placeholder == "" {
				// "ANALYSIS_INCONCLUSIVE", "unknown!app.exe": what
				// !analyze says when it found no faulting symbol.
				placeholder = val
			}
		case "FAILURE_BUCKET_ID":
			bucket = val
		case "FAULTING_SOURCE_FILE":
			faultFile = val
		case "FAULTING_SOURCE_LINE":
			if faultFile == "" {
				faultFile = val // older releases name the file so
			}
		case "FAULTING_SOURCE_LINE_NUMBER":
			faultLine = atoi(val)
		default:
			continue
		}
		seen(i)
	}
	stacks = slices.DeleteFunc(stacks, func(s *winDbgStack) bool { return len(s.frames) == 0 })
	if len(stacks) == 0 {
		return nil
	}
	// The crash stack first: !analyze's, then the exception's thread,
	// then the current thread; a stack printed twice is kept once.
	rank := func(s *winDbgStack) int {
		if k := strings.IndexByte("S#.", s.mark); k >= 0 && s.mark != 0 {
			return k
		}
		return 3
	}
	slices.SortStableFunc(stacks, func(a, b *winDbgStack) int { return rank(a) - rank(b) })
	stacks = winDbgSourcedStackText(stacks)
	rep := nativeReport{format: FormatWinDbg, title: "WinDbg stack", start: first, end: end, noise: winDbgNoise, time: session}
	var kept []*winDbgStack
	for _, s := range stacks {
		dup := false
		for k, o := range kept {
			switch {
			case len(s.frames) <= len(o.frames) && slices.Equal(o.frames[:len(s.frames)], s.frames):
				dup = true // the same stack, or its first frames ("k 3")
			case len(s.frames) > len(o.frames) && slices.Equal(s.frames[:len(o.frames)], o.frames):
				kept[k].frames, dup = s.frames, true
			}
			if dup {
				break
			}
		}
		if !dup {
			kept = append(kept, s)
		}
	}
	for _, s := range kept {
		rep.addStack(s.name, s.frames)
	}
	if faultFile != "" && faultLine > 0 && symbol != "" {
		// !analyze names the faulting frame's source apart from its stack.
		want, _, _ := strings.Cut(symbol, "+")
		for k := range rep.stacks[0].frames {
			f := &rep.stacks[0].frames[k]
			if f.File == "" && f.Module+"!"+f.Function == want {
				*f = nativeFrame(FormatWinDbg, faultFile, faultLine, 0, f.Function, f.Module)
				break
			}
		}
	}
	switch {
	case exc != "":
		rep.title = exc
	case event != "":
		rep.title = event
	case bucket != "":
		rep.title = bucket
	case symbol != "":
		rep.title = symbol
	case placeholder != "":
		rep.title = placeholder
	}
	rep.titled = rep.title != "WinDbg stack"
	if symbol != "" && (exc != "" || event != "") {
		rep.title += " in " + symbol
	}
	if event != "" && !strings.Contains(rep.title, event) {
		rep.texts = append(rep.texts, event)
	}
	if symbol != "" {
		// The symbol's module, and the image's suffix in the bucket,
		// are no symptoms.
		rep.noise = map[string]bool{"exe": true, "dll": true}
		for w := range winDbgNoise {
			rep.noise[w] = true
		}
		module, _, _ := strings.Cut(symbol, "!")
		rep.noise[strings.ToLower(module)] = true
	}
	if !locatedReport(rep) {
		rep.notes = append(rep.notes, "no frame of the program has a source file and line: load the symbols (PDB files) of that build and turn source lines on (.lines) before printing the stack so frames can be matched to the code")
	}
	return []nativeReport{rep}
}

// winDbgSourcedStackText replaces each of !analyze's STACK_TEXT (first
// in stacks), which names no source lines ("quarry!Cell::arena+0xe"),
// by the same stack printed later with its sources (".ecxr; kn":
// "quarry!Cell::arena+0xe [c:\src\cell.h @ 1242]", and the inlined
// frames between), which is then no longer a stack of its own. The same
// stack is the same functions in the same order, the inlined frames
// aside, over the whole of the shorter one.
func winDbgSourcedStackText(stacks []*winDbgStack) []*winDbgStack {
	for i := 0; i < len(stacks) && stacks[i].mark == 'S'; i++ {
		st := stacks[i]
		for k := i + 1; k < len(stacks); k++ {
			if o := stacks[k]; o.mark != 'S' {
				if frames, ok := winDbgSameWithSources(st, o); ok {
					st.frames, st.inline = frames, nil
					stacks = slices.Delete(stacks, k, k+1)
					break
				}
			}
		}
	}
	return stacks
}

// winDbgSameWithSources reports whether o is st printed again with more
// source lines, and returns its frames (and those of st past the end of
// o, when o was cut short).
func winDbgSameWithSources(st, o *winDbgStack) ([]Frame, bool) {
	files := func(fs []Frame) int {
		n := 0
		for _, f := range fs {
			if f.File != "" {
				n++
			}
		}
		return n
	}
	if files(o.frames) <= files(st.frames) {
		return nil, false
	}
	j, m := 0, 0 // frames of o, and of st, matched
	for ; j < len(o.frames) && m < len(st.frames); j++ {
		if o.inline[j] {
			continue
		}
		a, b := o.frames[j], st.frames[m]
		if a.Function != b.Function || a.Module != b.Module {
			break
		}
		m++
	}
	if m < len(st.frames) && j < len(o.frames) || m < 3 && (m != len(st.frames) || j != len(o.frames)) {
		return nil, false // not the same stack (a short one must match whole)
	}
	frames := slices.Clone(o.frames)
	if m < len(st.frames) {
		frames = append(frames, st.frames[m:]...) // the k listing was cut short
	}
	if len(frames) > MaxFrames {
		frames = frames[:MaxFrames]
	}
	return frames, true
}

// winDbgSessionTime reads the time of "Debug session time: Tue Sep 20
// 17:58:22.000 2016 (UTC - 7:00)" (older debuggers: "Thu Feb 11 13:53:12
// 2010 (GMT-8)"), in UTC.
func winDbgSessionTime(s string) *time.Time {
	f := strings.Fields(s)
	if len(f) < 6 {
		return nil
	}
	zone := strings.Join(f[5:], "")
	zone, ok := strings.CutPrefix(zone, "(")
	if !ok || !strings.HasSuffix(zone, ")") {
		return nil
	}
	zone = strings.TrimSuffix(zone, ")")
	if z, ok := strings.CutPrefix(zone, "UTC"); ok {
		zone = z
	} else if z, ok := strings.CutPrefix(zone, "GMT"); ok {
		zone = z
	} else {
		return nil
	}
	offset := 0
	if zone != "" {
		sign := 1
		switch zone[0] {
		case '-':
			sign = -1
		case '+':
		default:
			return nil
		}
		hs, ms, _ := strings.Cut(zone[1:], ":")
		h, err1 := strconv.Atoi(hs)
		mi, err2 := 0, error(nil)
		if ms != "" {
			mi, err2 = strconv.Atoi(ms)
		}
		if err1 != nil || err2 != nil || h > 14 || mi >= 60 || len(hs) > 2 {
			return nil
		}
		offset = sign * (h*3600 + mi*60)
	}
	// The input's fractional seconds are read though the layout has none.
	t, err := time.ParseInLocation("Jan 2 15:04:05 2006", strings.Join(f[1:5], " "), time.FixedZone("", offset))
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// winDbgStackHeader reports the line that opens a WinDbg stack: the
// header of k and its variants (" # Child-SP RetAddr Call Site",
// "ChildEBP RetAddr", " # RetAddr : Args to Child : Call Site") or
// !analyze's "STACK_TEXT:".
func winDbgStackHeader(t string) bool {
	if strings.HasPrefix(t, "STACK_TEXT:") {
		return true
	}
	if strings.HasPrefix(t, "Child SP") && strings.HasSuffix(t, "Call Site") {
		return true // SOS's !clrstack: "Child SP               IP Call Site"
	}
	return strings.Contains(t, "RetAddr") && (strings.Contains(t, "Call Site") || strings.Contains(t, "ChildEBP") || strings.Contains(t, "Child-SP"))
}

// winDbgFrame reads one frame line of a WinDbg stack:
//
//	00 00000012`3456f6a8 00007ff6`12341234     myapp!Renderer::draw+0x2c [C:\src\renderer.cpp @ 88]
//	00000012`3456f6b0 00007ffd`4b5a7034     KERNEL32!BaseThreadInitThunk+0x14
//	01 (Inline Function) --------`--------     myapp!Renderer::prepare+0x10 [C:\src\renderer.cpp @ 40]
//	0019ff3c 00401234 myapp!main+0x15 [c:\src\main.cpp @ 12]
//	00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 00000000`00000001 : myapp!Renderer::draw+0x2c
//	0019ff3c 00401234 00000000 00000001 7ffdf000 myapp!main+0x15 (FPO: [Non-Fpo]) (CONV: cdecl) [c:\src\main.cpp @ 12]
func winDbgFrame(t string) (Frame, bool) {
	var site string
	if j := strings.Index(t, " : "); j >= 0 {
		// kb and !analyze's STACK_TEXT: addresses : arguments : call site.
		k := strings.LastIndex(t, " : ")
		if k == j {
			return Frame{}, false
		}
		rest, ok := winDbgCutAddrs(t[:j])
		if !ok || strings.TrimSpace(rest) != "" {
			return Frame{}, false
		}
		site = t[k+3:]
	} else {
		rest, ok := winDbgCutAddrs(t)
		if !ok {
			return Frame{}, false
		}
		site = rest
	}
	return winDbgCallSite(strings.TrimSpace(site))
}

// winDbgCutAddrs removes the frame number and the address columns
// (Child-SP, RetAddr, x86's arguments) that open a frame line, and
// returns what follows; ok is false when there is no address.
func winDbgCutAddrs(t string) (string, bool) {
	pos, n := 0, 0
	for k := 0; ; k++ {
		for pos < len(t) && (t[pos] == ' ' || t[pos] == '\t') {
			pos++
		}
		end := pos
		for end < len(t) && t[end] != ' ' && t[end] != '\t' {
			end++
		}
		tok := t[pos:end]
		switch {
		case tok == "":
			return "", n > 0
		case winDbgAddr(tok):
			n++
		case k == 0 && len(tok) >= 2 && len(tok) <= 4 && allHex(tok):
			// the frame number (hexadecimal)
		case tok == "(Inline" && strings.HasPrefix(t[end:], " Function)"):
			end += len(" Function)")
			n++
		default:
			return t[pos:], n > 0
		}
		pos = end
	}
}

// winDbgAddr reports an address column: 8 or 16 hexadecimal digits, the
// 64-bit form split by a backquote ("00007ff6`12341234"), or the dashes
// of an inlined frame.
func winDbgAddr(tok string) bool {
	switch len(tok) {
	case 8, 16:
		return allHex(tok) || tok == "--------"
	case 17:
		return tok[8] == '`' && (allHex(tok[:8]) && allHex(tok[9:]) || tok == "--------`--------")
	}
	return false
}

// winDbgCallSite reads a frame's call site: "myapp!Renderer::draw+0x2c
// [C:\src\renderer.cpp @ 88]", "myapp!Renderer::draw(class Frame * f =
// 0x00000000`00000000)+0x2c" (kp), "myapp+0x1a2b" (no symbols),
// "0x7ff6a1b2c3d4" (no module).
func winDbgCallSite(site string) (Frame, bool) {
	for _, p := range []string{" (FPO: ", " (CONV: "} {
		if k := strings.Index(site, p); k >= 0 {
			if e := strings.IndexByte(site[k+len(p):], ')'); e >= 0 {
				site = site[:k] + site[k+len(p)+e+1:]
			}
		}
	}
	file, line := "", 0
	if strings.HasSuffix(site, "]") {
		if k := strings.LastIndex(site, " ["); k >= 0 {
			loc := site[k+2 : len(site)-1]
			if a := strings.LastIndex(loc, " @ "); a > 0 && allDigits(strings.TrimSpace(loc[a+3:])) {
				file, line = strings.TrimSpace(loc[:a]), atoi(strings.TrimSpace(loc[a+3:]))
				site = strings.TrimSpace(site[:k])
			}
		}
	}
	if site == "" {
		return Frame{}, false
	}
	if strings.HasPrefix(site, "0x") || strings.HasPrefix(site, "<Unloaded_") {
		if rest, ok := cutHexPrefix(site); ok && rest != "" {
			return Frame{}, false
		}
		return nativeFrame(FormatWinDbg, "", 0, 0, "", ""), true
	}
	bang := strings.IndexByte(site, '!')
	if bang < 0 {
		m, off, ok := strings.Cut(site, "+0x")
		if !ok || !winDbgModule(m) || !allHex(off) {
			return Frame{}, false
		}
		f := nativeFrame(FormatWinDbg, file, line, 0, "", m)
		if v, ok := parseHexOffset(off); ok {
			// "myapp+0x1a2b", a module without symbols: the offset is
			// from the module's base, where the debugger found it loaded
			// (an RVA: the image's preferred ImageBase plus it is the
			// address in the PE file's own address space). A symbol's
			// offset ("myapp!f+0x2c") is none.
			f = atModuleOffset(f, v, "")
		}
		return f, true
	}
	module, sym := site[:bang], site[bang+1:]
	if !winDbgModule(module) {
		return Frame{}, false
	}
	if k := strings.LastIndex(sym, "+0x"); k > 0 && allHex(sym[k+3:]) {
		sym = sym[:k]
	}
	if module == "unknown" {
		// "unknown!myapp.exe+0x0": a stack the debugger could not place
		// in any image.
		return nativeFrame(FormatWinDbg, file, line, 0, "", ""), true
	}
	if winDbgOrdinal(sym) {
		return nativeFrame(FormatWinDbg, file, line, 0, "", module), true
	}
	fn := cleanFunction(msvcName(sym))
	if fn == "" {
		return Frame{}, false
	}
	return nativeFrame(FormatWinDbg, file, line, 0, fn, module), true
}

// sosTransitionFrame reports a frame of the runtime's that SOS's
// !clrstack prints between the others: "000000d11fbcd1a8
// [HelperMethodFrame: 000000d11fbcd1a8]", "[InlinedCallFrame: ...]".
func sosTransitionFrame(t string) bool {
	rest, ok := winDbgCutAddrs(t)
	rest = strings.TrimSpace(rest)
	return ok && strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") && strings.Contains(rest, "Frame: ")
}

// sosFrame reads one frame of SOS's !clrstack (-f adds the native frames):
//
//	000000d11fbcd4b0 00007ffac8ae2fc5 Ledger.exe!Ledger.Book.Post(Ledger.Entry) + 133 [c:\src\Ledger\Book.cs @ 56]
//	000000d11fbcd4b0 00007ffac8ae2fc5 Ledger.Book.Post(Ledger.Entry) [c:\src\Ledger\Book.cs @ 56]
//	000000d11fbccfb0 00007ffb27762c26 CoreCLR!IL_Throw + 1126 at c:\build\coreclr\src\vm\jithelpers.cpp:5378
//	000000d11fbccbb0 00007ffb6c401f28 KERNELBASE!RaiseException + 104
//
// Managed frames (a .NET source file, a module named with its
// extension, a dotted name) are judged by .NET's rules.
func sosFrame(t string) (Frame, bool) {
	site, ok := winDbgCutAddrs(t)
	site = strings.TrimSpace(site)
	if !ok || site == "" {
		return Frame{}, false
	}
	file, line := "", 0
	if strings.HasSuffix(site, "]") {
		k := strings.LastIndex(site, " [")
		if k < 0 {
			return Frame{}, false
		}
		loc := site[k+2 : len(site)-1]
		a := strings.LastIndex(loc, " @ ")
		if a <= 0 || !allDigits(strings.TrimSpace(loc[a+3:])) {
			return Frame{}, false
		}
		file, line, site = strings.TrimSpace(loc[:a]), atoi(strings.TrimSpace(loc[a+3:])), strings.TrimSpace(site[:k])
	} else if k := strings.LastIndex(site, " at "); k > 0 {
		loc := site[k+4:]
		c := strings.LastIndexByte(loc, ':')
		if c <= 0 || !allDigits(loc[c+1:]) {
			return Frame{}, false
		}
		file, line, site = loc[:c], atoi(loc[c+1:]), strings.TrimSpace(site[:k])
	}
	if k := strings.LastIndex(site, " + "); k > 0 && allDigits(site[k+3:]) {
		site = site[:k]
	}
	if strings.HasPrefix(site, "0x") || allHex(site) {
		return nativeFrame(FormatWinDbg, "", 0, 0, "", ""), true
	}
	module, sym := "", site
	if bang := strings.IndexByte(site, '!'); bang >= 0 {
		module, sym = site[:bang], site[bang+1:]
		if !winDbgModule(module) {
			return Frame{}, false
		}
	} else if !strings.Contains(site, "(") {
		return Frame{}, false // a managed frame without a module has its parameters
	}
	fn := cleanFunction(msvcName(sym))
	if fn == "" || strings.ContainsAny(fn, " \t") && !strings.Contains(fn, "<") {
		return Frame{}, false
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(file, `\`, "/")))
	mext := strings.ToLower(path.Ext(module))
	if ext == ".cs" || ext == ".vb" || ext == ".fs" || file == "" && (module == "" || mext == ".dll" || mext == ".exe") && strings.Contains(fn, ".") && !strings.Contains(fn, "::") {
		return Frame{File: file, Line: line, Function: fn, Module: module, InApp: IsInApp(FormatDotNet, file, fn, "")}, true
	}
	return nativeFrame(FormatWinDbg, file, line, 0, fn, module), true
}

// winDbgOrdinal reports an export the debugger knows by its ordinal
// only ("Ordinal488"): the nearest export of a DLL without symbols, which
// says nothing of the function that ran.
func winDbgOrdinal(sym string) bool {
	n, ok := strings.CutPrefix(sym, "Ordinal")
	return ok && allDigits(n) && len(n) <= 6
}

// winDbgModule reports a module name as WinDbg prints it: letters,
// digits, "_", "." and "-" ("myapp", "KERNEL32", "VCRUNTIME140",
// "Qt5Core").
func winDbgModule(m string) bool {
	if m == "" || len(m) > 128 {
		return false
	}
	for i := 0; i < len(m); i++ {
		if !isIdentByte(m[i]) && m[i] != '.' && m[i] != '-' && m[i] != '$' {
			return false
		}
	}
	return true
}

// parseVSCallStacks reads the Call Stack window of Visual Studio copied as
// text, a frame a line ("myapp.exe!Renderer::draw(const Frame * f) Line
// 88\tC++"), "[External Code]" between. Its frames name a module, a
// function and its line, but no file: the ranking finds the file by the
// function. A run needs two frames, one of them with a line.
func parseVSCallStacks(lines []string) []nativeReport {
	var out []nativeReport
	var frames []Frame
	start, end, withLine, vscode, withFile := -1, -1, false, 0, false
	flush := func() {
		if len(frames) >= 2 && (withLine || vscode >= 2) {
			title := "Visual Studio call stack"
			if vscode > 0 {
				title = "VS Code call stack"
			}
			rep := nativeReport{format: FormatWinDbg, title: title, start: start, end: end, noise: winDbgNoise, sited: !withFile}
			for k := start - 1; k >= 0 && k >= start-20; k-- {
				if m := matchIf(vsExceptionRE, lines[k], " at 0x"); m != nil {
					rep.title, rep.titled = m[1], true
					break
				}
			}
			rep.addStack("call stack", frames)
			switch {
			case !withFile && withLine:
				rep.notes = append(rep.notes, "Visual Studio's call stack names functions and lines but not files: its frames are matched to the files that define their functions")
			case !withFile:
				rep.notes = append(rep.notes, "no frame has a source file and line (\"Unknown Source\"): load the symbols (PDB files) of that build in the debugger so frames can be matched to the code")
			}
			out = append(out, rep)
		}
		frames, start, end, withLine, vscode, withFile = nil, -1, -1, false, 0, false
	}
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if start >= 0 && (strings.HasPrefix(t, "[External Code]") || strings.HasPrefix(t, "[Frames below may be incorrect")) {
			continue
		}
		var m []string
		file, vline, isCode := "", 0, false
		if strings.IndexByte(t, '!') > 0 {
			if c := matchIf(vsCodeFrameRE, t, ") ("); c != nil {
				// VS Code's "module!function() (file:line)"
				t, isCode = c[1], true
				if c[2] != "Unknown Source:0" {
					k := strings.LastIndexByte(c[2], ':')
					file, vline = c[2][:k], atoi(c[2][k+1:])
				}
			}
			m = vsFrameRE.FindStringSubmatch(t)
		}
		if m == nil || m[4] == "" && !strings.Contains(m[3], "(") {
			if start >= 0 {
				flush()
			}
			continue
		}
		if start < 0 {
			start = i
		}
		end = i
		line := atoi(m[4])
		if isCode {
			line = vline
			vscode++
		}
		withLine = withLine || line > 0
		withFile = withFile || file != ""
		fn := cleanFunction(msvcName(m[3]))
		if allHex(fn) {
			fn = "" // "KernelBase.dll!00007ffc1234abcd()": no symbol
		}
		if d := x86DecoratedRE.FindStringSubmatch(fn); d != nil {
			fn = d[1] // "_TppWorkerThread@4", "@BaseThreadInitThunk@12"
		}
		var f Frame
		switch ext := strings.ToLower(path.Ext(strings.ReplaceAll(file, `\`, "/"))); {
		case m[5] == "C#" || m[5] == "F#" || m[5] == "Basic" || ext == ".cs" || ext == ".fs" || ext == ".vb":
			f = Frame{File: file, Line: line, Function: fn, Module: m[2], InApp: fn != "" && IsInApp(FormatDotNet, file, fn, "")}
		default:
			f = nativeFrame(FormatWinDbg, file, line, 0, fn, m[2])
		}
		if len(frames) < MaxFrames {
			frames = append(frames, f)
		}
	}
	if start >= 0 {
		flush()
	}
	return out
}
