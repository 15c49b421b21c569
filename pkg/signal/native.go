package signal

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A nativeReport is one crash report of a native tool while it is parsed:
// its stacks in report order (the crash stack first), the lines it spans,
// and the texts its symptoms come from.
type nativeReport struct {
	format string
	title  string
	start  int // first line
	end    int // last line
	stacks []nativeStack
	texts  []string // for symptoms, after the title
	notes  []string
	// noise are symptom tokens this kind of report always carries.
	noise map[string]bool
	// titled is set when the title is the tool's own headline, which a
	// glibc message (an assertion, "stack smashing detected") must not
	// replace.
	titled bool
	// headless is set when the report was pasted without its headline
	// and is titled after its first stack ("Call trace").
	headless bool
	// sited is set when the report's frames have no file and line (a
	// backtrace of function names): an assertion message merged into it
	// gives its first frame, the assertion's location.
	sited bool
	// time is the report's own time (an Apple report's Date/Time), which
	// a log line's time does not replace.
	time *time.Time
}

// A nativeStack is one named stack of a report, innermost frame first.
type nativeStack struct {
	name   string
	frames []Frame
}

// addStack appends a stack unless it has no frames.
func (r *nativeReport) addStack(name string, frames []Frame) {
	if len(frames) > 0 {
		r.stacks = append(r.stacks, nativeStack{name: name, frames: frames})
	}
}

// signal flattens the report: frames of every stack in order, each with
// its Stack index, Stacks naming them.
func (r *nativeReport) signal(lines []string) Signal {
	s := Signal{Format: r.format, Title: r.title, Frames: []Frame{}}
	for i, st := range r.stacks {
		s.Stacks = append(s.Stacks, st.name)
		for _, f := range st.frames {
			if len(s.Frames) >= MaxFrames {
				break
			}
			f.Stack = i
			s.Frames = append(s.Frames, f)
		}
	}
	s.Symptoms = dropNoise(Symptoms(append([]string{r.title}, r.texts...)...), r.noise)
	s.stamp(lines, r.start)
	if r.time != nil {
		s.Timestamp = r.time
	}
	s.Notes = append(s.Notes, r.notes...)
	if len(s.Frames) > 0 && len(s.Notes) == 0 {
		located := false
		for _, f := range s.Frames {
			located = located || f.InApp && f.File != ""
		}
		switch {
		case located:
		case r.format == FormatKernel:
			s.Notes = append(s.Notes, "no frame has a source file and line: decode the report with the kernel's scripts/decode_stacktrace.sh (and the vmlinux and modules of that build) so frames can be matched to the code")
		default:
			s.Notes = append(s.Notes, "no frame of the program has a source file and line: build with debug information (-g) or symbolize the report (addr2line, llvm-symbolizer) so frames can be matched to the code")
		}
	}
	return s
}

// nativeParsers are the native report parsers, each run only when the text
// holds one of its markers (a cheap test on the whole input; a marker
// whose first byte is rare in logs is faster to look for: "untime error: "
// rather than "runtime error: ").
var nativeParsers = []struct {
	markers []string
	parse   func(text string, lines []string) []nativeReport
}{
	{[]string{"Sanitizer", "untime error: ", "#0 "}, parseSanitizerReports},
	{[]string{"==", "by 0x"}, parseValgrindReports},
	{[]string{"#0 ", "#1 ", "#2 ", "#3 ", "#4 ", "#5 ", "#6 ", "#7 ", "#8 ", "#9 "}, parseGDBReports},
	{[]string{"frame #"}, parseLLDBReports},
	{[]string{"Call Trace", "Call trace", "call trace", "RIP: ", "KASAN", "KMSAN", "KCSAN", "pc : ", "Assertion '", "Xen BUG", "Xen WARN", ") from [<"}, parseKernelReports},
	{[]string{")[0x", ") [0x", "] [0x"}, parseBacktraceSymbols},
	{[]string{"Raw backtrace: "}, parseDovecotBacktraces},
	{[]string{"+0x"}, parseUnwindBacktraces},
	{[]string{"panicked at", "Stack backtrace:", "Location:", "BACKTRACE"}, parseRustReports},
	{[]string{"stack trace: ***", "received at time="}, parseGlogReports},
	{[]string{"Thread ", "Exception Backtrace", "Application Specific Backtrace"}, parseAppleReports},
	{[]string{"pc 0", "Crash dump:", "Stack Trace:", "/data/app"}, parseTombstones},
	{[]string{"+ 0x", "(crashed)", "|0|"}, parseMinidumpReports},
	{[]string{"Call Site", "ChildEBP", "STACK_TEXT:", "xe!", "ll!"}, parseWinDbgReports},
}

// parseNative reads every native crash report in text: sanitizer, Valgrind,
// gdb, lldb, Linux kernel, glibc backtrace_symbols, Rust and Android reports, in the
// order they appear. A glibc abort message (an assertion, "stack
// smashing detected", a malloc check, an uncaught C++ exception) titles the
// report that follows it or holds it; alone, it is a signal of its own.
func parseNative(text string, lines []string) []Signal {
	orig := lines
	ansi := strings.Contains(text, "\x1b[")
	stamped := timeStamped(lines)
	if ansi || stamped {
		clean := make([]string, len(lines))
		for i, l := range lines {
			if ansi {
				l = stripANSI(l)
			}
			if stamped {
				l = stripTimePrefix(l)
			}
			clean[i] = l
		}
		lines = clean
	}
	// Frames wrapped over several lines are joined for every parser, so
	// that a gdb frame's first line is not read as a stack of its own.
	lines = joinWrappedFrames(lines)
	var reports []nativeReport
	for _, p := range nativeParsers {
		for _, m := range p.markers {
			if strings.Contains(text, m) {
				reports = append(reports, p.parse(text, lines)...)
				break
			}
		}
	}
	reports = mergeGlibcMessages(text, lines, reports)
	sort.SliceStable(reports, func(i, j int) bool { return reports[i].start < reports[j].start })
	reports = mergeUBSanSites(reports)
	var sigs []Signal
	var quotes map[string]dbgQuote
	read := false
	for i := range reports {
		if len(sigs) >= MaxSignals {
			break
		}
		s := reports[i].signal(orig)
		if s.Format == FormatGDB || s.Format == FormatLLDB {
			if !read {
				quotes, read = debuggerQuotes(lines), true
			}
			quoteDebuggerSource(&s, quotes)
		}
		sigs = append(sigs, s)
	}
	return sigs
}

// mergeUBSanSites folds an UndefinedBehaviorSanitizer error printed without
// a stack (one frame: where it happened) into the sanitizer report that
// follows it at once with the stack of the same crash (UBSan's runtime
// error, then AddressSanitizer's DEADLYSIGNAL): one signal, whose symptoms
// include the UBSan message.
func mergeUBSanSites(reports []nativeReport) []nativeReport {
	out := reports[:0]
	for i := 0; i < len(reports); i++ {
		r := reports[i]
		if r.format == FormatUBSan && len(r.stacks) == 1 && len(r.stacks[0].frames) == 1 && i+1 < len(reports) {
			next := &reports[i+1]
			switch next.format {
			case FormatASan, FormatMSan, FormatTSan, FormatNative:
				if next.start-r.end <= 8 && len(next.stacks) > 0 {
					next.texts = append([]string{r.title}, append(r.texts, next.texts...)...)
					next.start = r.start
					continue
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// dropNoise returns words without a report's noise and sanitizer thread
// ids.
func dropNoise(words []string, noise map[string]bool) []string {
	var out []string
	for _, w := range words {
		if !threadIDRE.MatchString(w) && !noise[w] {
			out = append(out, w)
		}
	}
	return out
}

// threadIDRE matches the thread ids of sanitizer reports (T0, T12), which
// are no symptoms.
var threadIDRE = regexp.MustCompile(`^t\d+$`)

// timeStamped reports whether most of the first lines of a log start with
// a date and time (CI logs: "2024-05-14T09:31:07.4123456Z ", "[2024-05-14
// 09:31:07] "), which the native parsers then read past.
func timeStamped(lines []string) bool {
	n, stamped := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n++
		if len(stripTimePrefix(l)) < len(l) {
			stamped++
		}
		if n == 20 {
			break
		}
	}
	return n > 0 && stamped*10 >= n*8
}

// stripTimePrefix removes a leading date and time ("2024-05-14T09:31:07Z",
// "2024-05-14 09:31:07,412", "2024/05/14 09:31:07", optionally in
// brackets) and the space after it.
func stripTimePrefix(l string) string {
	i := 0
	if i < len(l) && l[i] == '[' {
		i++
	}
	if len(l) < i+19 || !allDigits(l[i:i+4]) || (l[i+4] != '-' && l[i+4] != '/') || !allDigits(l[i+5:i+7]) || l[i+7] != l[i+4] ||
		!allDigits(l[i+8:i+10]) || (l[i+10] != 'T' && l[i+10] != ' ') || !allDigits(l[i+11:i+13]) || l[i+13] != ':' {
		return l
	}
	j := i + 14
	for j < len(l) && (l[j] >= '0' && l[j] <= '9' || strings.IndexByte(":.,+-Zz", l[j]) >= 0) {
		j++
	}
	if l[0] == '[' {
		if j >= len(l) || l[j] != ']' {
			return l
		}
		j++
	}
	if j < len(l) && l[j] == ' ' {
		j++
	} else if j < len(l) && l[j] == '|' {
		// Open vSwitch's log: "2023-08-10T12:00:00.123Z|00011|backtrace(monitor)|WARN|".
		if m := vlogFieldsRE.FindString(l[j:]); m != "" {
			j += len(m)
		}
	}
	return l[j:]
}

// vlogFieldsRE matches the fields Open vSwitch's log writes between the
// time and the message: sequence number, module (and thread), level.
var vlogFieldsRE = regexp.MustCompile(`^\|\d+\|[^|]*\|(?:EMER|ERR|WARN|INFO|DBG)\|`)

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// stripANSI removes terminal colour and style sequences.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiRE.ReplaceAllString(s, "")
}

// frameNumber returns the position just after "#N" (and the spaces after
// it) when s holds a frame number at the start of a word, and N.
func frameNumber(s string) (rest string, n int, ok bool) {
	i := strings.IndexByte(s, '#')
	for i >= 0 {
		if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' {
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(s) && (s[j] == ' ' || s[j] == '\t') && j-i <= 7 {
				n, _ = strconv.Atoi(s[i+1 : j])
				return strings.TrimLeft(s[j:], " \t"), n, true
			}
		}
		k := strings.IndexByte(s[i+1:], '#')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return "", 0, false
}

// cutHexPrefix removes a leading "0x..." address and the spaces after it.
func cutHexPrefix(s string) (string, bool) {
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return s, false
	}
	j := 2
	for j < len(s) && isHexDigit(s[j]) {
		j++
	}
	if j == 2 {
		return s, false
	}
	return strings.TrimLeft(s[j:], " \t"), true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// allHex reports whether s is a non-empty run of hexadecimal digits.
func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// splitLocation reads "file:line", "file:line:col" and the same with a
// "(discriminator N)" or "+0x1a/0x40" after it, as debuggers, symbolizers
// and compilers print them. A Windows drive letter stays in the file.
func splitLocation(loc string) (file string, line, col int, ok bool) {
	loc = strings.TrimSpace(loc)
	if i := strings.Index(loc, " (discriminator"); i >= 0 {
		loc = strings.TrimSpace(loc[:i])
	}
	// file:line[:col], from the right.
	nums := []int{}
	rest := loc
	for len(nums) < 2 {
		i := strings.LastIndexByte(rest, ':')
		if i <= 0 || i == len(rest)-1 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil || n < 0 {
			break
		}
		nums = append(nums, n)
		rest = rest[:i]
	}
	if len(nums) == 0 || rest == "" || (len(rest) == 1 && isLetter(rest[0])) {
		return "", 0, 0, false
	}
	if len(nums) == 2 {
		line, col = nums[1], nums[0]
	} else {
		line = nums[0]
	}
	return rest, line, col, true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isIdentStart(c byte) bool { return isLetter(c) || c == '_' || c == '~' || c == '$' }

// cxxName returns the function name at the start of s, the way symbolizers
// and debuggers print it: a C identifier, a demangled C++ name with
// templates, "(anonymous namespace)", "{lambda(int)#1}", operator names
// and function-local qualifiers ("f(int)::$_0::operator()"), or a Rust
// path with "<T as Trait>" segments. A leading return type ("void
// std::vector<...>::push_back", "decltype(x) std::__invoke[abi:ne200100]")
// is skipped. It stops at the parameter or
// argument list, or at a space that ends the name; rest is what follows.
func cxxName(s string) (name, rest string) {
	var b strings.Builder
	i := 0
	depth := 0 // <>, {}, [] and () inside the name
	for i < len(s) {
		c := s[i]
		if depth == 0 && c == 'o' && strings.HasPrefix(s[i:], "operator") && (i == 0 || !isIdentByte(s[i-1])) {
			j := i + len("operator")
			if j == len(s) || !isIdentByte(s[j]) {
				j = operatorEnd(s, j)
				b.WriteString(s[i:j])
				i = j
				continue
			}
		}
		switch c {
		case '<', '{', '[':
			depth++
		case '>', '}', ']':
			if depth > 0 {
				depth--
			}
		case '(':
			if depth > 0 {
				depth++
				break
			}
			if strings.HasPrefix(s[i:], "(anonymous namespace)") {
				b.WriteString("(anonymous namespace)")
				i += len("(anonymous namespace)")
				continue
			}
			if i == 0 && strings.HasPrefix(s, "(below main)") {
				return "(below main)", s[len("(below main)"):]
			}
			if b.String() == "decltype" {
				// A return type "decltype(expr)": part of the word
				// before the name.
				if end := matchParen(s, i); end > 0 {
					b.WriteString(s[i:end])
					i = end
					continue
				}
			}
			// A parameter list; when "::" follows it, it qualifies a
			// function-local name and is dropped.
			end := matchParen(s, i)
			if end > 0 && strings.HasPrefix(s[end:], "::") {
				i = end
				continue
			}
			return b.String(), s[i:]
		case ')':
			if depth > 0 {
				depth--
			}
		case ' ', '\t':
			if depth > 0 {
				break
			}
			next := i + 1
			if next < len(s) && b.Len() > 0 && (isIdentStart(s[next]) || strings.HasPrefix(s[next:], "(anonymous namespace)")) &&
				returnTypeFollows(s[next:]) {
				// "void ns::f(int)": what came before was a return type.
				b.Reset()
				i = next
				continue
			}
			return b.String(), s[i:]
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), ""
}

// returnTypeFollows reports whether s (what follows a space after a name)
// is itself a function name with a parameter list, so that the word before
// the space was a return type ("void ns::f(int)"), and not a location, an
// offset or an argument list.
func returnTypeFollows(s string) bool {
	for _, p := range []string{"at ", "from ", "in ", "const", "volatile", "&", "*", "[", "+"} {
		if strings.HasPrefix(s, p) {
			return false
		}
	}
	if strings.HasPrefix(s, "operator") && (len(s) == 8 || !isIdentByte(s[8])) {
		return true
	}
	s = strings.TrimPrefix(s, "(anonymous namespace)")
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', '{', '[':
			depth++ // templates, lambdas, ABI tags ("f[abi:cxx11]")
		case '>', '}', ']':
			if depth > 0 {
				depth--
			}
		case '(':
			if depth == 0 {
				return i > 0
			}
		case ' ', '/', '\\':
			if depth == 0 {
				return false
			}
		case ':':
			if depth == 0 && !(i+1 < len(s) && s[i+1] == ':') && !(i > 0 && s[i-1] == ':') {
				return false // file:line
			}
		}
	}
	return false
}

// operatorEnd returns the end of an operator name whose "operator" keyword
// ends at j: "()", "[]", symbols, " new[]", " delete", a conversion type.
func operatorEnd(s string, j int) int {
	rest := s[j:]
	switch {
	case strings.HasPrefix(rest, "()"), strings.HasPrefix(rest, "[]"):
		return j + 2
	case strings.HasPrefix(rest, " new[]"), strings.HasPrefix(rest, " delete[]"):
		return j + strings.IndexByte(rest, ']') + 1
	case strings.HasPrefix(rest, " new"), strings.HasPrefix(rest, " delete"):
		k := strings.IndexByte(rest[1:], ' ')
		end := len(rest)
		if p := strings.IndexByte(rest, '('); p > 0 && (k < 0 || p < k+1) {
			end = p
		} else if k >= 0 {
			end = k + 1
		}
		return j + end
	case strings.HasPrefix(rest, `""`):
		k := 2
		for k < len(rest) && isIdentByte(rest[k]) {
			k++
		}
		return j + k
	}
	k := 0
	for k < len(rest) && strings.IndexByte("+-*/%^&|~!=<>,", rest[k]) >= 0 {
		k++
	}
	if k > 0 {
		// "operator<" followed by a template list: "operator< <int>".
		return j + k
	}
	if strings.HasPrefix(rest, " ") {
		// A conversion operator: "operator bool", "operator char const*".
		depth := 0
		for k = 1; k < len(rest); k++ {
			switch rest[k] {
			case '<':
				depth++
			case '>':
				depth--
			case '(':
				if depth == 0 {
					return j + k
				}
			}
		}
		return len(s)
	}
	return j
}

// matchParen returns the index just past the parenthesis closing the one at
// s[i], skipping quoted strings, or -1.
func matchParen(s string, i int) int {
	depth := 0
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k + 1
			}
		case '"':
			for k++; k < len(s) && s[k] != '"'; k++ {
				if s[k] == '\\' {
					k++
				}
			}
		}
	}
	return -1
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

var (
	cloneSuffixRE = regexp.MustCompile(`(?:\.(?:isra|constprop|part|cold|lto_priv|localalias|clone|llvm|specialized)(?:\.\d+)*)+$`)
	abiTagRE      = regexp.MustCompile(`\[abi:[\w.]+\]`)
	rustHashRE    = regexp.MustCompile(`::h[0-9a-f]{16}$`)
	rustCrateRE   = regexp.MustCompile(`\[[0-9a-f]{8,16}\]`)
)

// systemSymbolVersion reports an ELF symbol version of the C and compiler
// runtime libraries ("GLIBC_2.34", "GCC_3.0"), which says nothing of the
// project. Another library's version ("xsk_umem__create@@LIBBPF_0.0.4")
// says which of its functions ran, and is kept for the ranking to read.
func systemSymbolVersion(v string) bool {
	for _, p := range []string{"GLIBC_", "GCC_", "GLIBCXX_", "CXXABI_", "LIBC"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// cleanFunction turns a printed symbol into a frame's function name: no
// parameter list, no const qualifier, no "@@GLIBC_2.34" version (another
// library's version, "@@LIBBPF_0.0.4", stays), no
// "+0x1b" offset, no compiler clone suffix (.isra.0, .constprop.0, .cold),
// no [abi:cxx11] tag, no Rust symbol hash or crate disambiguator; a
// mangled name is read as its qualified name where itaniumName can; "??"
// and "<null>" (unknown) become empty.
func cleanFunction(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "??" || s == "???" || s == "<null>" || s == "<unknown>" || s == "<dropped>" || s == "<unknown-fcn>" {
		// <dropped> and <unknown-fcn>: NetworkManager's release builds
		// strip the function from GLib's assertion messages.
		return ""
	}
	if strings.HasPrefix(s, "_Z") {
		// A mangled C++ (or legacy Rust) symbol, as coredumpctl and old
		// tombstones print them: "_ZN4base13TaskAnnotator7RunTaskEv".
		if n := itaniumName(s); n != "" {
			s = n
		}
	}
	if strings.Contains(s, "[") {
		s = rustCrateRE.ReplaceAllString(s, "")
	}
	name, _ := cxxName(s)
	if name == "" {
		name = s
	}
	if i := strings.LastIndex(name, "+0x"); i > 0 {
		name = name[:i]
	}
	if i := strings.IndexByte(name, '@'); i > 0 && systemSymbolVersion(strings.TrimLeft(name[i:], "@")) {
		name = name[:i]
	}
	if strings.Contains(name, "[abi:") {
		name = abiTagRE.ReplaceAllString(name, "")
	}
	name = rustHashRE.ReplaceAllString(name, "")
	if strings.Contains(name, ".") && !strings.Contains(name, "::") {
		name = cloneSuffixRE.ReplaceAllString(name, "")
	}
	if name == "??" || name == "???" {
		return ""
	}
	return name
}

// itaniumName returns the qualified name of a mangled C++ function, as
// tombstones before Android 7 and coredumpctl print them ("_ZN8Renderer4drawEPK5Frame":
// "Renderer::draw"), without its parameters; "" for a symbol it does not
// read (templates, substitutions, operators).
func itaniumName(s string) string {
	rest, ok := strings.CutPrefix(s, "_Z")
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(rest, "L")
	var parts []string
	name := func() bool {
		n, k := 0, 0
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' && n < 1<<20 {
			n = n*10 + int(rest[k]-'0')
			k++
		}
		if k == 0 || n == 0 || k+n > len(rest) {
			return false
		}
		id := rest[k : k+n]
		if strings.HasPrefix(id, "_GLOBAL__N") {
			id = "(anonymous namespace)"
		}
		parts = append(parts, id)
		rest = rest[k+n:]
		return true
	}
	if r, ok := strings.CutPrefix(rest, "St"); ok {
		parts, rest = append(parts, "std"), r
	}
	if r, nested := strings.CutPrefix(rest, "N"); nested {
		rest = strings.TrimLeft(r, "rVKRO") // the method's qualifiers
		if r, ok := strings.CutPrefix(rest, "St"); ok {
			parts, rest = append(parts, "std"), r
		}
		for rest != "" && rest[0] != 'E' {
			switch {
			case rest[0] >= '0' && rest[0] <= '9':
				if !name() {
					return ""
				}
			case len(rest) > 1 && len(parts) > 0 && (rest[0] == 'C' && rest[1] >= '1' && rest[1] <= '5' || rest[0] == 'D' && rest[1] >= '0' && rest[1] <= '5'):
				class := parts[len(parts)-1]
				if rest[0] == 'D' {
					class = "~" + class
				}
				parts, rest = append(parts, class), rest[2:]
			default:
				return ""
			}
		}
		if rest == "" || len(parts) == 0 {
			return ""
		}
		return strings.Join(parts, "::")
	}
	if !name() {
		return ""
	}
	return strings.Join(parts, "::")
}

// atoi reads a decimal number, 0 when s is not one.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// nativeFrame builds a frame of a native report and decides InApp.
func nativeFrame(format, file string, line, col int, function, module string) Frame {
	f := Frame{File: file, Line: line, Column: col, Function: function, Module: module}
	f.InApp = IsInApp(format, f.File, f.Function, f.Module)
	return f
}

// glibcDirs are the top-level directories of the GNU C library's sources,
// as its debug information names them ("./nptl/pthread_kill.c",
// "../sysdeps/posix/raise.c", "csu/../csu/libc-start.c").
var glibcDirs = map[string]bool{
	"sysdeps": true, "csu": true, "nptl": true, "stdlib": true, "assert": true, "malloc": true,
	"libio": true, "stdio-common": true, "elf": true, "posix": true, "signal": true, "string": true,
	"debug": true, "misc": true, "wcsmbs": true, "iconv": true, "setjmp": true, "dlfcn": true,
	"resolv": true, "nss": true, "login": true, "io": true, "time": true,
}

// glibcBases are base names of C library and Valgrind runtime files that
// tools print without a directory.
var glibcBases = map[string]bool{
	"pthread_create.c": true, "pthread_kill.c": true, "pthread_join_common.c": true, "pthread_cond_wait.c": true,
	"pthread_mutex_lock.c": true, "futex-internal.c": true, "clone.S": true, "clone3.S": true,
	"clone-internal.c": true, "libc-start.c": true, "libc_start_call_main.h": true, "raise.c": true,
	"abort.c": true, "start.S": true, "syscall-template.S": true, "libc_fatal.c": true,
	"fortify_fail.c": true, "stack_chk_fail.c": true, "vg_replace_malloc.c": true,
	"vg_replace_strmem.c": true, "hg_intercepts.c": true, "drd_pthread_intercepts.c": true,
	"strlen-evex.S": true, "strlen-avx2.S": true, "memmove-vec-unaligned-erms.S": true,
	"memset-vec-unaligned-erms.S": true, "strcpy-avx2.S": true, "strcmp-avx2.S": true,
	"sigaction.c": true, "libc_sigaction.c": true,
}

// libcFunctions are C library and runtime entry points: an application
// cannot define them, so a frame naming one is never in-app.
var libcFunctions = map[string]bool{
	"malloc": true, "calloc": true, "realloc": true, "free": true, "strdup": true, "strndup": true,
	"memcpy": true, "memmove": true, "memset": true, "memcmp": true, "strlen": true, "strnlen": true,
	"strcpy": true, "strncpy": true, "strcat": true, "strncat": true, "strcmp": true, "strncmp": true,
	"strchr": true, "strrchr": true, "strstr": true, "printf": true, "fprintf": true, "sprintf": true,
	"snprintf": true, "vfprintf": true, "puts": true, "fputs": true, "fwrite": true, "fread": true,
	"abort": true, "raise": true, "exit": true, "_exit": true, "qsort": true, "bsearch": true,
	"clone": true, "clone3": true, "start_thread": true, "_start": true, "pthread_create": true,
	"pthread_join": true, "pthread_mutex_lock": true, "pthread_mutex_unlock": true,
	"pthread_cond_wait": true, "pthread_kill": true, "posix_memalign": true, "aligned_alloc": true,
	"operator new": true, "operator delete": true, "operator new[]": true, "operator delete[]": true,
	"(below main)": true, "create_thread": true, "__libc_start_main": true,
	"killpg": true, "poll": true, "__poll": true, "gsignal": true,
	// glibc's allocator internals, which report a corrupted heap.
	"malloc_printerr": true, "_int_free": true, "_int_malloc": true, "_int_realloc": true, "unlink_chunk": true,
	// Windows' and macOS's thread and process start.
	"BaseThreadInitThunk": true, "RtlUserThreadStart": true, "RtlInitializeExceptionChain": true,
	"invoke_main": true, "__scrt_common_main_seh": true, "__scrt_common_main": true, "mainCRTStartup": true,
	"_pthread_start": true, "thread_start": true,
}

// runtimePrefixes start the names of C library internals, sanitizer and
// Valgrind runtime functions, and the C++ and Rust standard libraries.
var runtimePrefixes = []string{
	"__libc_", "__GI_", "__GI___", "__pthread_", "___pthread_", "__futex_", "__assert_fail",
	"__interceptor_", "___interceptor_", "__asan_", "__lsan_", "__msan_", "__tsan_", "__ubsan_",
	"__hwasan_", "__sanitizer_", "__sanitizer::", "__asan::", "__lsan::", "__msan::", "__tsan::",
	"__ubsan::", "__interception::", "__cxa_", "__gxx_", "__cxxabiv1::", "__gnu_cxx::", "std::",
	"_Unwind_", "__clone", "__stack_chk_fail", "__fortify_fail", "__chk_fail", "__strlen_",
	"__memmove_", "__memcpy_", "__memset_", "__strcpy_", "__strcmp_", "_dl_", "__restore_rt",
	"core::", "alloc::", "std::", "__rustc::", "__rust_", "rust_begin_unwind", "rust_panic",
	"___lldb_unnamed_symbol", "wrap_", "__libc_message", "_IO_", "__GI__IO", "_rust_begin_unwind", "_rust_panic",
}

// systemLibs are base-name prefixes of shared libraries of the system,
// the compilers' runtimes and Valgrind.
var systemLibs = []string{
	"libc.so", "libc-2.", "libm.so", "libpthread", "libdl.so", "librt.so", "ld-linux", "ld-musl",
	"ld.so", "libstdc++", "libgcc_s", "libc++", "libunwind", "libasan", "libtsan", "liblsan",
	"libubsan", "libhwasan", "libclang_rt", "linux-vdso", "libsystem_", "libdyld", "vgpreload_",
	"libthread_db", "dyld",
}

// systemLibrary reports whether module (a path or a base name, in any
// case) is a shared library of the system: one of systemLibs, or a
// library of Windows (windowsSystemModules).
func systemLibrary(module string) bool {
	m := strings.ToLower(path.Base(strings.ReplaceAll(module, `\`, "/")))
	if hasAnyPrefix(m, systemLibs) {
		return true
	}
	for _, ext := range []string{".dll", ".exe", ".sys"} {
		m = strings.TrimSuffix(m, ext)
	}
	return windowsSystemModules[m] || hasAnyPrefix(m, windowsSystemPrefixes)
}

// SystemModule reports whether module, a native frame's module as a
// report names it (a path or a file name), is a library of the system or
// of the compilers' runtimes: in the system's folders (/usr/lib/, /lib64/,
// an Android device's /system/ and /apex/, C:/Windows/, ...) or named as
// one (libc, libstdc++, the sanitizers' runtimes, Windows' DLLs). Their
// debug files are rarely at hand, and rarely wanted.
func SystemModule(module string) bool {
	m := strings.ReplaceAll(module, `\`, "/")
	return m != "" && (isSystemPath(m) || hasAnyPrefix(m, androidSystemDirs) || systemLibrary(m))
}

// nativeInApp reports whether a native frame is the application's own code:
// not the C library, the compiler runtime (sanitizers, libgcc), the C++
// standard library, system headers, shared libraries of the system, or
// Valgrind's runtime.
func nativeInApp(file, function, module string) bool {
	if libcFunctions[function] || hasAnyPrefix(function, runtimePrefixes) {
		return false
	}
	if file != "" {
		return nativeFileInApp(file)
	}
	if module != "" {
		m := strings.ReplaceAll(module, `\`, "/")
		if isSystemPath(m) || systemLibrary(m) {
			return false
		}
	}
	return function != ""
}

// InstalledFunctionFrame reports whether f names a function, without a
// file, in a program or library installed on the system
// ("/usr/lib/frr/bgpd", "/usr/sbin/ovs-vswitchd"): not in-app by its path,
// yet the code of the project that installed it, unless the module is a
// library of the system or the function the C library's or a runtime's.
func InstalledFunctionFrame(f Frame) bool {
	if f.File != "" || f.Function == "" || !strings.ContainsAny(f.Module, `/\`) {
		return false
	}
	return !systemLibrary(f.Module) && nativeInApp("", f.Function, "")
}

// nativeFileInApp applies the path rules of nativeInApp.
func nativeFileInApp(file string) bool {
	f := strings.ReplaceAll(file, `\`, "/")
	if isSystemPath(f) {
		return false
	}
	clean := path.Clean(f)
	if isSystemPath(clean) {
		return false
	}
	for _, s := range []string{"/libsanitizer/", "compiler-rt/", "/sanitizer_common/", "/libgcc/", "libstdc++-v3/",
		"/include/c++/", "/lib/gcc/", "/lib/clang/", "/glibc-", "/rustc/", "/.cargo/registry/", "/.cargo/git/",
		"/.rustup/", "/library/std/src/", "/library/core/src/", "/library/alloc/src/", "/vctools/crt/", "/crt/src/"} {
		if strings.Contains(f, s) || strings.HasPrefix(f, s[1:]) {
			return false
		}
	}
	base := path.Base(clean)
	if glibcBases[base] && !strings.Contains(strings.TrimPrefix(clean, "/"), "/") {
		return false
	}
	for _, p := range []string{"asan_", "lsan_", "msan_", "tsan_", "ubsan_", "hwasan_", "sanitizer_", "interception_"} {
		if strings.HasPrefix(base, p) && (strings.HasSuffix(base, ".cpp") || strings.HasSuffix(base, ".cc") || strings.HasSuffix(base, ".h") || strings.HasSuffix(base, ".inc")) {
			return false
		}
	}
	// Relative glibc paths: strip "./" and "../" and look at the first
	// directory.
	rel := clean
	for strings.HasPrefix(rel, "../") {
		rel = rel[3:]
	}
	if first, _, ok := strings.Cut(rel, "/"); ok && !strings.HasPrefix(f, "/") && glibcDirs[first] {
		if strings.HasPrefix(f, "./") || strings.HasPrefix(f, "../") || first == "sysdeps" || first == "csu" || first == "nptl" ||
			strings.Contains(f, "/../") || strings.Contains(f, "/./") {
			return false
		}
	}
	return true
}

// isSystemPath reports paths of the system's headers, libraries and
// package-manager sources.
func isSystemPath(p string) bool {
	for _, s := range []string{"/usr/include/", "/usr/lib/", "/usr/lib64/", "/usr/libexec/", "/usr/local/include/",
		"/usr/share/", "/usr/src/debug/", "/lib/", "/lib64/", "/lib32/", "/usr/lib32/", "/build/glibc-",
		"/System/", "/Library/Developer/", "/Applications/Xcode", "/opt/homebrew/", "/usr/local/Cellar/",
		"C:/Windows/", "C:/Program Files"} {
		if strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}
