package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	sanHeaderRE  = regexp.MustCompile(`(?:^|[\s=])(ERROR|WARNING): ([A-Za-z]*Sanitizer): (.+)$`)
	sanSummaryRE = regexp.MustCompile(`SUMMARY: ([A-Za-z]*Sanitizer): (.*)$`)
	sanAccessRE  = regexp.MustCompile(`^(READ|WRITE) of size (\d+) at 0x[0-9a-fA-F]+ thread (T\d+)`)
	sanQuotedRE  = regexp.MustCompile(`'([A-Za-z_][\w]*)'`)
	sanCleanRE   = regexp.MustCompile(`\s+(?:at|on) 0x[0-9a-fA-F]+\b|\(tid=\d+, |\(pid=\d+\)|^Address 0x[0-9a-fA-F]+ is `)
)

// sanitizerFormats maps a sanitizer's name to a Format.
var sanitizerFormats = map[string]string{
	"AddressSanitizer":            FormatASan,
	"HWAddressSanitizer":          FormatASan,
	"LeakSanitizer":               FormatLSan,
	"MemorySanitizer":             FormatMSan,
	"ThreadSanitizer":             FormatTSan,
	"UndefinedBehaviorSanitizer":  FormatUBSan,
	"UndefinedBehaviourSanitizer": FormatUBSan,
}

// sanState is a sanitizer report being read.
type sanState struct {
	rep     nativeReport
	ubsan   bool   // a "runtime error:" report: frames follow at once
	kind    string // "heap-use-after-free", "data race", ...
	access  string // "READ memory access" of a SEGV
	pending string // the text line just before the next frames
	frames  []Frame
	name    string // the current stack's name
	idle    int    // lines since the last frame
	loc     *Frame // UBSan's "file:line:col" or the SUMMARY's location
	summary bool
}

// parseSanitizerReports reads AddressSanitizer, LeakSanitizer,
// MemorySanitizer, ThreadSanitizer (and HWAddressSanitizer) reports, from
// their "ERROR:" or "WARNING:" line to their SUMMARY, and
// UndefinedBehaviorSanitizer's "file.c:12:5: runtime error: ..." lines with
// the stack that may follow, and such stacks pasted without any headline. Every stack of a report is kept in order: the
// access (or leak, or race) stack first, then "freed by", "previously
// allocated by", "Uninitialized value was created by", the other racing
// access, where threads were created, ... each named after the line that
// introduces it. A report without a stack gets one frame from its
// location (UBSan's or the SUMMARY's).
func parseSanitizerReports(text string, lines []string) []nativeReport {
	ub := strings.Contains(text, "untime error: ")
	var out []nativeReport
	var st *sanState
	finish := func() {
		if st == nil {
			return
		}
		st.endStack()
		if len(st.rep.stacks) == 0 && st.loc != nil {
			st.rep.addStack(st.defaultName(), []Frame{*st.loc})
		}
		if len(st.rep.stacks) > 0 {
			out = append(out, st.rep)
		}
		st = nil
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.Contains(l, "Sanitizer") {
			if m := sanHeaderRE.FindStringSubmatch(l); m != nil && !strings.HasPrefix(strings.TrimSpace(m[3]), "DEADLYSIGNAL") {
				finish()
				st = newSanState(i, m[2], m[3])
				continue
			}
		}
		if ub && strings.Contains(l, "runtime error: ") {
			if s := newUBSanState(i, l); s != nil {
				finish()
				st = s
				continue
			}
		}
		if st == nil {
			if s := newAnonymousState(lines, i); s != nil {
				st = s
			} else {
				continue
			}
		}
		if st.line(l, i) {
			finish()
		}
	}
	finish()
	return out
}

// anonymousNoise are the words of the default title of a stack without a
// headline.
var anonymousNoise = map[string]bool{"stack": true, "trace": true, "thread": true, "signal": true}

// coredumpSignalRE is the "Signal:" line of coredumpctl info.
var coredumpSignalRE = regexp.MustCompile(`^\s*Signal: (\d+) \((\w+)\)\s*$`)

// newAnonymousState starts a stack of sanitizer-style frames ("#0 0x... in
// fn file.c:12") that no tool's headline introduced, as when only the
// frames of a report were pasted; the line before titles it. gdb's frames
// ("#0  0x... in fn (args) at file.c:12") are gdb's.
func newAnonymousState(lines []string, i int) *sanState {
	rest, n, ok := frameNumber(lines[i])
	if !ok || n != 0 {
		return nil
	}
	if _, ok := sanitizerFrame(FormatNative, rest); !ok {
		return nil
	}
	if _, ok, marker := gdbFrame(rest); ok || marker || strings.Contains(rest, ") at ") || strings.Contains(rest, "frame #") {
		return nil
	}
	title := "stack trace"
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" {
			continue
		}
		if _, _, ok := frameNumber(t); !ok && len(t) < 200 {
			title = strings.TrimSuffix(t, ":")
		}
		break
	}
	if tid, ok := strings.CutPrefix(title, "TID "); ok && allDigits(tid) {
		title = "Stack trace of thread " + tid // eu-stack's "TID 1234:"
	}
	if strings.HasPrefix(title, "Stack trace of thread ") {
		// systemd-coredump (coredumpctl info): its "Signal: 6 (ABRT)"
		// above says more than the thread's number.
		for k := i - 1; k >= 0 && k >= i-30; k-- {
			if m := coredumpSignalRE.FindStringSubmatch(lines[k]); m != nil {
				title = "Signal " + m[1] + " (" + m[2] + ")"
				break
			}
		}
	}
	st := &sanState{ubsan: true, kind: "stack"}
	st.rep = nativeReport{format: FormatNative, title: title, start: i, end: i, noise: anonymousNoise}
	return st
}

// sanitizerKind is a sanitizer's headline without the registers and the
// process ("heap-use-after-free on address 0x... at pc 0x... bp ...").
func sanitizerKind(msg string) string {
	kind := strings.TrimSpace(msg)
	for _, cut := range []string{" at pc 0x", " (pc 0x", " (pid="} {
		if j := strings.Index(kind, cut); j >= 0 {
			kind = strings.TrimSpace(kind[:j])
		}
	}
	return strings.TrimSuffix(kind, ":")
}

func newSanState(i int, sanitizer, msg string) *sanState {
	format := sanitizerFormats[sanitizer]
	if format == "" {
		format = FormatASan
	}
	kind := sanitizerKind(msg)
	st := &sanState{kind: kind}
	st.rep = nativeReport{format: format, title: sanitizer + ": " + kind, start: i, end: i, titled: true}
	return st
}

// newUBSanState reads "file.c:12:5: runtime error: message", or nil.
func newUBSanState(i int, l string) *sanState {
	j := strings.Index(l, ": runtime error: ")
	msg := ""
	var loc *Frame
	if j >= 0 {
		msg = strings.TrimSpace(l[j+len(": runtime error: "):])
		before := strings.Fields(l[:j])
		if len(before) > 0 {
			if file, line, col, ok := splitLocation(before[len(before)-1]); ok {
				f := nativeFrame(FormatUBSan, file, line, col, "", "")
				loc = &f
			}
		}
	} else if k := strings.Index(l, "runtime error: "); k == 0 || k > 0 && l[k-1] == ' ' {
		msg = strings.TrimSpace(l[k+len("runtime error: "):])
	}
	if msg == "" {
		return nil
	}
	st := &sanState{ubsan: true, kind: msg, loc: loc}
	st.rep = nativeReport{format: FormatUBSan, title: "runtime error: " + msg, start: i, end: i, titled: true}
	return st
}

// line reads one line of the report; done is true when the report ends
// with it (its SUMMARY) or before it (a UBSan report followed by other
// output, a long run of lines without frames).
func (st *sanState) line(l string, i int) (done bool) {
	if rest, n, ok := frameNumber(l); ok {
		if f, ok := sanitizerFrame(st.rep.format, rest); ok {
			if len(st.frames) == 0 || st.idle > 0 || n == 0 {
				st.endStack()
				st.name = st.stackName()
			}
			if len(st.frames) < MaxFrames {
				st.frames = append(st.frames, f)
			}
			st.idle = 0
			st.rep.end = i
			return false
		}
	}
	t := strings.TrimSpace(stripPIDPrefix(strings.TrimSpace(l)))
	if st.rep.format == FormatNative && st.idle == 0 && len(st.frames) > 0 && !strings.ContainsAny(t, " \t") {
		// eu-stack -s writes a frame's source on the line under it:
		// "#2  0x000055d0c1a6c711 nl_cache_refill" then "    lib/cache.c:842:5".
		last := &st.frames[len(st.frames)-1]
		if file, ln, col, ok := splitLocation(t); ok && last.File == "" && strings.ContainsAny(file, "/.") && strings.HasPrefix(l, " ") {
			*last = nativeFrame(FormatNative, file, ln, col, last.Function, last.Module)
			st.rep.end = i
			return false
		}
	}
	if m := sanSummaryRE.FindStringSubmatch(t); m != nil {
		st.rep.end = i
		st.summaryLocation(m[2])
		return true
	}
	st.idle++
	if t == "" {
		st.pending = ""
		return false
	}
	if st.ubsan {
		// UBSan prints its stack right after the message; anything else
		// is the program's own output.
		if strings.Contains(t, ": note: ") || strings.Trim(t, "0123456789abcdefABCDEF ^~") == "" {
			return false // a note and the memory dump under it
		}
		return true
	}
	if t == "ABORTING" || strings.HasPrefix(t, "Shadow bytes around the buggy address") ||
		strings.HasPrefix(t, "ThreadSanitizer: reported") || st.idle > 40 {
		return true
	}
	if strings.HasPrefix(t, "The signal is caused by a ") {
		st.access = strings.TrimSuffix(strings.TrimPrefix(t, "The signal is caused by a "), ".")
	}
	for _, m := range sanQuotedRE.FindAllStringSubmatch(t, -1) {
		st.rep.texts = append(st.rep.texts, m[1])
	}
	st.pending = t
	st.rep.end = i
	return false
}

// stackName names the stack starting now after the pending line.
func (st *sanState) stackName() string {
	p := st.pending
	st.pending = ""
	if p == "" || strings.HasPrefix(p, "Hint:") || strings.HasPrefix(p, "The signal is caused by") ||
		strings.HasPrefix(p, "HINT:") || strings.HasPrefix(p, "=") {
		if len(st.rep.stacks) == 0 {
			return st.defaultName()
		}
		return "stack"
	}
	if m := sanAccessRE.FindStringSubmatch(p); m != nil {
		return m[1] + " of size " + m[2] + " by thread " + m[3]
	}
	p = sanCleanRE.ReplaceAllStringFunc(p, func(s string) string {
		if strings.HasPrefix(s, "(tid") {
			return "("
		}
		return ""
	})
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p), ":"))
}

func (st *sanState) defaultName() string {
	if st.access != "" {
		return st.access
	}
	return strings.TrimSpace(sanCleanRE.ReplaceAllString(st.kind, ""))
}

func (st *sanState) endStack() {
	if len(st.frames) > 0 {
		st.rep.addStack(st.name, st.frames)
	}
	st.frames = nil
}

// summaryLocation reads "kind file.c:12:5 in fn" from a SUMMARY line; it
// locates a report that printed no stack.
func (st *sanState) summaryLocation(s string) {
	st.summary = true
	fn := ""
	if i := strings.LastIndex(s, " in "); i >= 0 {
		fn = cleanFunction(s[i+4:])
		s = s[:i]
	} else {
		s = strings.TrimSuffix(s, " in")
	}
	fields := strings.Fields(s)
	if len(fields) < 2 {
		return
	}
	file, line, col, ok := splitLocation(fields[len(fields)-1])
	if !ok {
		return
	}
	if st.loc != nil && fn == "" {
		return
	}
	f := nativeFrame(st.rep.format, file, line, col, fn, "")
	st.loc = &f
}

// stripPIDPrefix removes the "==1234==" that sanitizers put before their
// own lines.
func stripPIDPrefix(s string) string {
	if !strings.HasPrefix(s, "==") {
		return s
	}
	j := 2
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j > 2 && strings.HasPrefix(s[j:], "==") {
		return s[j+2:]
	}
	return s
}

// sanitizerFrame reads what follows "#N " in a sanitizer stack:
//
//	0x55b312eebf06 in main /src/uaf.c:3:71
//	0x7f07a34b76a8 in __interceptor_free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52
//	0x55b312e2e300 in _start (/tmp/uaf+0x20300) (BuildId: 5889...)
//	0x4005d6  (/tmp/a.out+0x4005d6)
//	work /tmp/race.c:4:50 (race+0xd01b4)                (ThreadSanitizer)
//	pthread_create <null> (race+0x513ad)
//	0x10e5f2f3b in main+0x1b (a.out:x86_64+0x100000f3b)  (macOS)
//	0x00007f2c3a058a76 raise (libc.so.6 + 0x3ea76)     (systemd-coredump)
//	0x000055d0c1a6c711 n/a (NetworkManager + 0x1b1711)
//
// winPathStartRE finds a Windows path after a space: " C:\".
var winPathStartRE = regexp.MustCompile(`\s[A-Za-z]:[\\/]`)

// winPathStart is where the last Windows path of s starts (after its
// space), or -1.
func winPathStart(s string) int {
	if !strings.Contains(s, `:\`) && !strings.Contains(s, ":/") {
		return -1
	}
	all := winPathStartRE.FindAllStringIndex(s, -1)
	if len(all) == 0 {
		return -1
	}
	return all[len(all)-1][0] + 1
}

func sanitizerFrame(format, s string) (Frame, bool) {
	s = strings.TrimSpace(s)
	buildID := ""
	if i := strings.Index(s, " (BuildId: "); i >= 0 {
		buildID = symHexDigits(s[i+len(" (BuildId: "):])
		s = strings.TrimSpace(s[:i])
	}
	s, hadAddr := cutHexPrefix(s)
	if hadAddr {
		s = strings.TrimPrefix(s, "in ")
	}
	module := ""
	var offset uint64
	if strings.HasSuffix(s, ")") {
		if k := strings.LastIndexByte(s, '('); k >= 0 && (k == 0 || s[k-1] == ' ') {
			group := s[k+1 : len(s)-1]
			if j := strings.Index(group, " + 0x"); j > 0 {
				group = group[:j] + "+" + group[j+3:] // systemd-coredump's "(libc.so.6 + 0x3ea76)"
			}
			if j := strings.Index(group, "+0x"); j > 0 {
				module = group[:j]
				offset = symOffsetHex(group[j+3:])
				if c := strings.LastIndexByte(module, ':'); c > 0 && !strings.ContainsAny(module[c:], `/\`) {
					module = module[:c] // "a.out:x86_64"
				}
				s = strings.TrimSpace(s[:k])
			}
		}
	}
	fn, file, line, col := s, "", 0, 0
	if k := winPathStart(s); k > 0 {
		// MSVC's paths hold spaces ("C:\Program Files (x86)\...\vector:784"):
		// the location runs from the drive letter to the end.
		if f, ln, c, ok := splitLocation(s[k:]); ok {
			return withModuleAddress(nativeFrame(format, f, ln, c, cleanFunction(strings.TrimSpace(s[:k])), module), offset, buildID), true
		}
	}
	if k := strings.LastIndexAny(s, " \t"); k >= 0 {
		last := s[k+1:]
		if last == "<null>" {
			fn = strings.TrimSpace(s[:k])
		} else if f, ln, c, ok := splitLocation(last); ok {
			file, line, col = f, ln, c
			fn = strings.TrimSpace(s[:k])
		}
	} else if f, ln, c, ok := splitLocation(s); ok && strings.ContainsAny(f, "/.") {
		file, line, col, fn = f, ln, c, ""
	}
	if fn == "n/a" {
		fn = "" // systemd-coredump's unknown function
	}
	fn = cleanFunction(fn)
	if fn == "" && file == "" && module == "" {
		return Frame{}, false
	}
	if !hadAddr && module == "" && file == "" {
		return Frame{}, false // not a sanitizer frame
	}
	return withModuleAddress(nativeFrame(format, file, line, col, fn, module), offset, buildID), true
}

// withModuleAddress sets a frame's address within its module and the module's
// build ID, when the report printed them (a frame without its module
// keeps neither).
func withModuleAddress(f Frame, offset uint64, buildID string) Frame {
	if f.Module != "" {
		f.Offset, f.BuildID = offset, buildID
	}
	return f
}

// symOffsetHex reads the hexadecimal digits s starts with ("1a2b)" is 0x1a2b);
// 0 when there are none or too many.
func symOffsetHex(s string) uint64 {
	n, err := strconv.ParseUint(symHexDigits(s), 16, 64)
	if err != nil {
		return 0
	}
	return n
}

// symHexDigits is the run of hexadecimal digits s starts with, lower-cased
// ("5889ab...)" is "5889ab...").
func symHexDigits(s string) string {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f' || s[i] >= 'A' && s[i] <= 'F') {
		i++
	}
	return strings.ToLower(s[:i])
}
