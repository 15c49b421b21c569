// Package signal turns error signals from outside (Sentry events as JSON,
// stack-trace text from Go, Python, Java/Kotlin, JavaScript, Ruby and .NET,
// Dart and Flutter, PHP's uncaught errors and logged traces (Laravel's,
// Symfony's, Xdebug's stacks),
// Perl's errors and Carp's and Devel::StackTrace's stacks,
// Elixir and Erlang (exceptions, Logger's and ExUnit's reports, Erlang's
// shell's exceptions and stacks as terms), Lua's tracebacks,
// native crash reports of sanitizers, Valgrind, gdb, lldb, the Linux
// kernel, glibc and Rust, Apple's .crash and .ips crash reports, Android
// tombstones, and Java thread dumps: Android ANR traces and the JVM's
// jstack dumps) into frames, a title, a timestamp and symptom tokens.
//
// # Frame order
//
// Frames are listed innermost first: Depth 0 is the frame where the error was
// raised. When an error wraps others (Python's "direct cause" / "during
// handling", Java's "Caused by:", .NET inner exceptions, Node's [cause],
// Ruby causes, Sentry's chained exception values), the frames of the ROOT
// cause (the innermost, oldest exception: the one that actually originated
// the failure) come first, then the frames of each wrapping exception, out to
// the outermost one, with Depth increasing throughout. Exception-group
// members come before the group's own frames. Java "Suppressed:" exceptions
// and the frames Java elides with "... N more" are handled as follows: elided
// frames are never re-created (they are the enclosing exception's frames,
// which follow anyway), and suppressed exceptions come after the whole main
// chain because they did not cause the failure.
//
// The Title is the outermost exception ("Type: message"), the headline the
// runtime or Sentry shows; Symptoms are drawn from every exception in the
// chain.
//
// # Native crash reports
//
// A native report often holds several stacks: AddressSanitizer's access,
// "freed by" and "previously allocated by" stacks, ThreadSanitizer's two
// racing accesses and where their threads were created, Valgrind's
// "Address ... is 16 bytes inside a block ... free'd" and "Block was
// alloc'd at", every thread of gdb's "thread apply all bt", KASAN's
// "Allocated by task" and "Freed by task". All are kept, the crash (or
// access, leak, race) stack first, then the others in report order: each
// frame's Stack says which one it belongs to, Signal.Stacks names them,
// and Depth numbers the frames across all of them. Frames of the C
// library, the compiler runtime, system headers and shared libraries,
// the C++ and Rust standard libraries, and the kernel's own reporting code
// are not in-app; frame paths are kept as printed (normalized later by
// the suspect package). Signal.Notes says when frames lack what matching
// needs (no file and line, no backtrace).
//
// # Thread dumps
//
// A thread dump lists every thread of a process; one dump is one signal
// of the few threads that matter. An Android ANR's first stack is its
// main thread, whatever it was doing; then comes the thread holding the
// lock the main thread waits for, and the one holding that thread's lock
// in turn. A JVM dump with a deadlock section has the deadlocked threads'
// stacks; without one, a thread blocked on a lock another thread holds
// comes first, then its lock's holder. A JVM dump where no thread waits
// for another reads as the Java parser reads it, a trace per thread.
//
// # PHP
//
// A PHP trace's "#N FILE(LINE): App\Cart->total()" line names the
// function called from its place, not the one the place is in: each
// frame pairs a line's place with the function of the line after it (the
// last one "{main}", the script's top level), and the innermost frame is
// the exception's own place ("in FILE:LINE", Monolog's "at FILE:LINE")
// in the function "#0" called. PHP prints previous exceptions first and
// each later one after "Next"; Monolog prints them after the outer one as
// "[previous exception]": either way the root cause comes first. Xdebug's
// stack lists its rows outermost first, each a function and the place it
// was called from: a frame pairs a row's place with the function of the
// row before it, and the error's place is in the last row's function.
//
// # Perl
//
// Perl's stacks are paired as PHP's are: a Carp or Devel::StackTrace line
// "Shop::Cart::total(...) called at lib/Shop/Checkout.pm line 17" names
// the function called from its place, so the message's own place ("boom
// at lib/Shop/Cart.pm line 42.") is in the function of the first such
// line, each line's place in the function of the next, and the last in
// the script's top level, which has no name. A message without a stack is
// a signal of one frame, but for Perl's warnings, which are none.
package signal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sigsentry/sigsentry/pkg/textenc"
)

// Limits that bound the work done on one input.
const (
	// MaxInputBytes is the largest input Parse and ParseReader accept: a
	// whole CI log or core-dump session still fits, and a parse of this
	// size stays well under a second.
	MaxInputBytes = 32 << 20
	// MaxFrames is the most frames kept per signal; further frames are dropped.
	MaxFrames = 10000
	// MaxSignals is the most signals kept per input.
	MaxSignals = 1000
)

// Formats, as stored in Signal.Format.
const (
	FormatSentry     = "sentry"
	FormatGo         = "go"
	FormatPython     = "python"
	FormatJava       = "java"
	FormatJavaScript = "javascript"
	FormatRuby       = "ruby"
	FormatDotNet     = "dotnet"
	FormatDart       = "dart" // Dart VM and Flutter stack traces, package:stack_trace's terse form
	FormatPHP        = "php"
	FormatPerl       = "perl"   // die and Perl's errors, Carp's and Devel::StackTrace's stacks
	FormatElixir     = "elixir" // Elixir's and Erlang's exceptions, Logger's and ExUnit's reports, Erlang's error reports
	FormatLua        = "lua"    // Lua's tracebacks (the interpreter's, LuaJIT's, OpenResty's, Neovim's)
	// Native crash reports.
	FormatASan     = "asan"  // AddressSanitizer (and HWAddressSanitizer)
	FormatLSan     = "lsan"  // LeakSanitizer
	FormatMSan     = "msan"  // MemorySanitizer
	FormatTSan     = "tsan"  // ThreadSanitizer
	FormatUBSan    = "ubsan" // UndefinedBehaviorSanitizer
	FormatValgrind = "valgrind"
	FormatGDB      = "gdb"
	FormatLLDB     = "lldb"
	FormatKernel   = "kernel" // Linux kernel oops, BUG, WARNING, KASAN, ...
	FormatGlibc    = "glibc"  // backtrace_symbols, assertions, abort messages
	FormatRust     = "rust"
	FormatApple    = "apple" // macOS and iOS crash reports (.crash text, .ips JSON)
	// FormatTombstone is an Android native crash report: a tombstone
	// (or its lines in logcat), ndk-stack's or AOSP stack's output.
	FormatTombstone = "tombstone"
	FormatMinidump  = "minidump" // minidump_stackwalk (Breakpad, Crashpad, rust-minidump)
	FormatWinDbg    = "windbg"   // WinDbg and cdb stacks, !analyze -v, Visual Studio's call stack
	// FormatANR is an Android app's "Application Not Responding" report:
	// the threads' dump the runtime writes (/data/anr/traces.txt, a
	// bugreport's "VM TRACES AT LAST ANR") or Google Play Console shows,
	// read as its main thread and the threads holding the lock it waits
	// for. A JVM's thread dump (jstack) is FormatJava.
	FormatANR = "anr"
	// FormatNative is a native stack without a known tool's headline:
	// "#0 0x... in fn file.c:12" frames alone.
	FormatNative = "native"
)

// ErrNoSignal is wrapped by the error Parse returns when the input holds
// neither a stack trace nor a Sentry event.
var ErrNoSignal = errors.New("no stack trace or Sentry event found")

// ErrTooLarge is wrapped by the error Parse returns when the input is larger
// than MaxInputBytes.
var ErrTooLarge = errors.New("input too large")

const lookedFor = "looked for Sentry event JSON, Go panics and race reports, Python tracebacks, faulthandler dumps and pytest failures, Java/Kotlin, JavaScript/Node, Ruby and .NET stack traces, " +
	"PHP errors and traces (PHP's own, getTraceAsString, Xdebug's, Laravel's and Symfony's logs), Dart and Flutter stack traces, " +
	"Perl errors and stacks (die, Carp, Devel::StackTrace, Mojolicious' log), " +
	"Elixir and Erlang errors (mix's and iex's, Logger's and Phoenix's reports, ExUnit failures, the Erlang shell's exceptions and stack terms), " +
	"Lua tracebacks, " +
	"sanitizer, Valgrind, gdb, lldb, Linux kernel, glibc and Apple (.crash, .ips) crash reports, Android tombstones and ANR traces, JVM thread dumps, Rust panics, minidump_stackwalk output (text or JSON) and WinDbg/Visual Studio stacks"

// textParsers are tried on text input, in this order; the one yielding the
// most frames wins, ties going to the earlier one, but for a parser that
// reads the whole input as one report (whole): what it finds wins at once,
// and the parsers after it do not run. Thread dumps come first: the Java
// parser would read a JVM dump's threads as a trace each, and the
// tombstone parser a Play Console ANR's native frames as crashes. Native
// reports come next: a Rust backtrace's "at src/x.rs:1:2" lines also read
// as V8 frames. A parser with markers only runs when the text holds one of
// them: every signal it can find has one, and most logs have none (a
// marker whose first byte is rare in logs is faster to look for).
var textParsers = []struct {
	format  string
	markers []string
	parse   func(text string, lines []string) []Signal
	whole   bool
}{
	// An ANR has its main thread's header ("main" prio=5 tid=1, Play
	// Console's "main" tid=1); a JVM dump is read for a thread waiting for
	// another's lock (<0x...>) or for its deadlock section.
	{FormatANR, []string{`"main" `, "<0x", "Java-level deadlock"}, parseThreadDumps, true},
	{"native", nil, parseNative, false},
	{FormatGo, []string{"goroutine "}, linesOnly(parseGoLines), false},
	{FormatGo, []string{"WARNING: DATA RACE"}, linesOnly(parseGoRaceLines), false},
	{FormatPython, []string{"File \""}, linesOnly(parsePythonLines), false},
	{FormatPython, []string{"\nFile \""}, linesOnly(parseFlatPythonLines), false},
	{FormatPython, []string{"(most recent call first):"}, linesOnly(parsePythonFaultLines), false},
	{FormatPython, []string{"Traceback (most recent call last)"}, linesOnly(parseIPythonLines), false},
	{FormatPython, []string{".py:"}, linesOnly(parsePytestLines), false},
	{FormatJava, nil, linesOnly(parseJavaLines), false},
	{FormatDotNet, nil, linesOnly(parseDotNetLines), false},
	{FormatJavaScript, nil, linesOnly(parseJSLines), false},
	{FormatRuby, []string{":in "}, linesOnly(parseRubyLines), false},
	{FormatDart, []string{"dart"}, linesOnly(parseDartLines), false},
	{FormatPHP, []string{".php", "{main}"}, linesOnly(parsePHPLines), false},
	{FormatPerl, []string{"line "}, linesOnly(parsePerlLines), false}, // "line " and not " line ": a space is too common a first byte
	{FormatElixir, []string{"** (", "(test)", "** exception ", "{line,"}, linesOnly(parseElixirLines), false},
	{FormatLua, []string{"k traceback:"}, linesOnly(parseLuaLines), false}, // stack traceback: "k" is a rarer first byte than "s"
}

func linesOnly(parse func(lines []string) []Signal) func(string, []string) []Signal {
	return func(_ string, lines []string) []Signal { return parse(lines) }
}

// Parse detects the format of data and returns the signals in it. name is
// the file name shown to users (Signal.Source). Input that looks like JSON is
// read as an Apple .ips crash report when it has that shape, else as Sentry
// events (one event, an array of events, or one per line); anything else
// as stack-trace text, possibly surrounded by log lines. It fails with an
// error wrapping ErrNoSignal when nothing is found and with ErrTooLarge
// above MaxInputBytes; it never panics.
func Parse(name string, data []byte) ([]Signal, error) {
	if textenc.IsUTF16(data) && len(data) <= 2*MaxInputBytes+2 {
		data = textenc.Bytes(data) // Windows PowerShell 5.1 saves output as UTF-16
	}
	if len(data) > MaxInputBytes {
		return nil, fmt.Errorf("signal: %s: %w: %d bytes, the limit is %d MiB", name, ErrTooLarge, len(data), MaxInputBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if sigs := parseIPS(trimmed); len(sigs) > 0 {
			return finish(name, sigs), nil
		}
		if sigs := parseMinidumpJSON(trimmed); len(sigs) > 0 {
			return finish(name, sigs), nil
		}
		if sigs, err := parseSentry(trimmed); err == nil && len(sigs) > 0 {
			return finish(name, sigs), nil
		}
	}
	if sigs := parseText(data); len(sigs) > 0 {
		return finish(name, sigs), nil
	}
	return nil, fmt.Errorf("signal: %s: %w (%s)", name, ErrNoSignal, lookedFor)
}

// ParseReader reads at most MaxInputBytes from r and parses them like Parse.
func ParseReader(name string, r io.Reader) ([]Signal, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("signal: reading %s: %w", name, err)
	}
	return Parse(name, data)
}

// parseText runs every text parser and keeps the result with the most
// frames. When lines carry a log's prefixes (a CI runner's or syslog's
// time, journald's "host unit[pid]: ", Android logcat's tag), the text is
// read once more without them, and that reading wins if it finds more
// frames; each of its signals takes the time on the log line it starts at.
func parseText(data []byte) []Signal {
	text := string(data)
	lines := splitLines(text)
	best, n := parseTextLines(text, lines)
	if strings.Contains(text, syslogNewline) {
		// A trace logged through rsyslog, each line's end escaped: read
		// it once more with the line breaks put back.
		if exp, ok := expandSyslogEscapes(lines); ok {
			if alt, m := parseTextLines(strings.Join(exp, "\n"), exp); m > n {
				best = alt
			}
		}
	}
	return best
}

// parseTextLines is parseText on text split into lines, with the number
// of frames found.
func parseTextLines(text string, lines []string) ([]Signal, int) {
	best, n := parseLines(text, lines)
	if bare, ok := stripLogPrefixes(lines); ok {
		if alt, m := parseLines(strings.Join(bare, "\n"), bare); m > n {
			// The prefixes held the times: each signal takes its own
			// line's, from the log as written.
			for i := range alt {
				if alt[i].Timestamp == nil && alt[i].line > 0 {
					alt[i].Timestamp = textTimestamp(lines, alt[i].line-1)
				}
			}
			best, n = alt, m
		}
	}
	return best, n
}

// parseRest runs the text parsers other than those that read the whole
// input (parseLinesOf without them) on what a whole-input parser left of
// a text. It is set by init: textParsers holds those parsers.
var parseRest func(text string, lines []string) []Signal

func init() {
	parseRest = func(text string, lines []string) []Signal {
		sigs, _ := parseLinesOf(text, lines, false)
		return sigs
	}
}

// parseLines runs every text parser on text (split into lines) and keeps
// the result with the most frames, and their number.
func parseLines(text string, lines []string) ([]Signal, int) {
	return parseLinesOf(text, lines, true)
}

// parseLinesOf is parseLines, with the parsers that read the whole input
// as one report (whole) left out unless whole is set.
func parseLinesOf(text string, lines []string, whole bool) ([]Signal, int) {
	var best []Signal
	bestFrames := -1
	for _, p := range textParsers {
		if p.whole && !whole || len(p.markers) > 0 && !containsAny(text, p.markers) {
			continue
		}
		sigs := p.parse(text, lines)
		if len(sigs) == 0 {
			continue
		}
		n := 0
		for _, s := range sigs {
			n += len(s.Frames)
		}
		if p.whole {
			return sigs, n
		}
		if n > bestFrames {
			best, bestFrames = sigs, n
		}
	}
	return best, bestFrames
}

// containsAny reports whether s holds one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// finish sets the source, caps and numbers the frames, and fills symptoms.
func finish(name string, sigs []Signal) []Signal {
	if len(sigs) > MaxSignals {
		sigs = sigs[:MaxSignals]
	}
	for i := range sigs {
		s := &sigs[i]
		s.Source = name
		if len(s.Frames) > MaxFrames {
			s.Frames = s.Frames[:MaxFrames]
		}
		s.Frames = collapseRepeats(s.Frames)
		if s.Frames == nil {
			s.Frames = []Frame{}
		}
		for d := range s.Frames {
			s.Frames[d].Depth = d
		}
	}
	return sigs
}

// collapseRepeats keeps one of two neighbouring frames of a stack that
// name the same function where one of them has no line: a report's
// instruction pointer ("RIP: fn+0x40/0x13e") repeated as the first frame
// of its call trace. The one with more detail stays. Recursion with lines
// stays as it is.
func collapseRepeats(frames []Frame) []Frame {
	out := frames[:0]
	for _, f := range frames {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.Stack == f.Stack && p.Function != "" && p.Function == f.Function && p.InApp == f.InApp &&
				(p.File == "" || f.File == "" || p.File == f.File) && (p.Line == 0 || f.Line == 0) {
				if f.Line > 0 && p.Line == 0 || f.File != "" && p.File == "" {
					*p = f
				}
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// splitLines splits text into lines without their line endings, expanding
// nothing else.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	return lines
}

// matchIf runs re on s only when s contains sub, which every match must:
// most lines of a log match nothing and the substring test is far cheaper.
func matchIf(re *regexp.Regexp, s, sub string) []string {
	if !strings.Contains(s, sub) {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// exception is one exception of a chain while a parser assembles a signal.
type exception struct {
	typ    string
	msg    string
	frames []Frame // innermost first
}

func (e exception) title() string {
	switch {
	case e.typ != "" && e.msg != "":
		return e.typ + ": " + e.msg
	case e.typ != "":
		return e.typ
	default:
		return e.msg
	}
}

// assemble builds a signal from exceptions in output order (root cause
// first), titled after outer, the outermost exception.
// chained is one exception of a printed chain and the line it starts on.
type chained struct {
	exception
	start int
}

// chainSignal turns a chain printed outermost first (JavaScript's and
// Ruby's order) into a signal, innermost cause first; ok is false when no
// exception of the chain has a frame.
func chainSignal(format string, lines []string, chain []chained) (s Signal, ok bool) {
	n := 0
	var ordered []exception
	for i := len(chain) - 1; i >= 0; i-- {
		ordered = append(ordered, chain[i].exception)
		n += len(chain[i].frames)
	}
	if n == 0 {
		return Signal{}, false
	}
	s = assemble(format, ordered, chain[0].exception)
	s.stamp(lines, chain[0].start)
	return s, true
}

func assemble(format string, chain []exception, outer exception) Signal {
	s := Signal{Format: format, Title: outer.title()}
	var texts []string
	texts = append(texts, outer.typ, outer.msg)
	for _, e := range chain {
		for _, f := range e.frames {
			if len(s.Frames) >= MaxFrames {
				break
			}
			s.Frames = append(s.Frames, f)
		}
		texts = append(texts, e.typ, e.msg)
	}
	s.Symptoms = Symptoms(texts...)
	return s
}
