package signal

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func TestParseDetectsFormat(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"sentry ingest", `{"exception":{"values":[{"type":"E","stacktrace":{"frames":[{"filename":"a.py","lineno":1}]}}]}}`, FormatSentry},
		{"sentry api", `{"entries":[{"type":"exception","data":{"values":[{"type":"E","stacktrace":{"frames":[{"absPath":"a.js","lineNo":3}]}}]}}]}`, FormatSentry},
		{"sentry array", `[{"exception":{"values":[{"type":"E"}]}}]`, FormatSentry},
		{"go", "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n", FormatGo},
		{"python", "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n    g()\nValueError: bad\n", FormatPython},
		{"java", "java.lang.IllegalStateException: x\n\tat com.acme.A.b(A.java:3)\n", FormatJava},
		{"kotlin", "Exception in thread \"main\" kotlin.NotImplementedError\n\tat com.acme.MainKt.main(Main.kt:3)\n", FormatJava},
		{"dotnet", "System.Exception: x\n   at Acme.A.B() in /src/A.cs:line 3\n", FormatDotNet},
		{"dotnet without pdb", "System.Exception: x\n   at Acme.A.B(String s)\n", FormatDotNet},
		{"javascript", "TypeError: x\n    at f (/app/x.js:1:2)\n", FormatJavaScript},
		{"javascript anonymous", "Error: x\n    at /app/x.js:1:2\n", FormatJavaScript},
		{"firefox", "TypeError: cart is undefined\ntotal@https://shop.example.com/static/js/cart.js:70:11\n@https://shop.example.com/static/js/app.js:8:2\n", FormatJavaScript},
		{"ruby 3.3", "app/a.rb:3:in `b': boom (RuntimeError)\n\tfrom app/c.rb:4:in `d'\n", FormatRuby},
		{"ruby 3.4", "app/a.rb:3:in 'A#b': boom (RuntimeError)\n\tfrom app/c.rb:4:in 'C#d'\n", FormatRuby},
		{"json-looking log line", "[INFO] starting\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nKeyError: 'a'\n", FormatPython},
		{"asan", "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x1 at pc 0x2 bp 0x3 sp 0x4\nREAD of size 4 at 0x1 thread T0\n    #0 0x5 in f /src/a.c:3:5\n", FormatASan},
		{"asan pasted without addresses", "    ERROR: AddressSanitizer: SEGV on unknown address\n        #0 f src/a.c:3\n", FormatASan},
		{"lsan", "==1==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak of 8 byte(s) in 1 object(s) allocated from:\n    #0 0x1 in malloc (/a.out+0x1)\n    #1 0x2 in f /src/a.c:3:5\n", FormatLSan},
		{"msan", "==1==WARNING: MemorySanitizer: use-of-uninitialized-value\n    #0 0x1 in f /src/a.c:3:5\n", FormatMSan},
		{"tsan", "WARNING: ThreadSanitizer: data race (pid=1)\n  Write of size 4 at 0x1 by thread T1:\n    #0 f /src/a.c:3:5 (a.out+0x1)\n", FormatTSan},
		{"ubsan", "a.c:3:5: runtime error: division by zero\n", FormatUBSan},
		{"ubsan stack", "a.c:3:5: runtime error: division by zero\n    #0 0x1 in f /src/a.c:3:5\n", FormatUBSan},
		{"valgrind", "==12== Invalid read of size 4\n==12==    at 0x1: f (a.c:3)\n", FormatValgrind},
		{"gdb", "#0  0x1 in f (x=1) at a.c:3\n#1  0x2 in main () at a.c:9\n", FormatGDB},
		{"lldb", "* thread #1, stop reason = signal SIGSEGV\n  * frame #0: 0x1 a.out`f at a.c:3:5\n", FormatLLDB},
		{"kernel", "BUG: kernel NULL pointer dereference, address: 0000000000000008\nRIP: 0010:f+0x1/0x2\nCall Trace:\n g+0x1/0x2\n", FormatKernel},
		{"backtrace_symbols", "./app(f+0x1)[0x1]\n./app(main+0x2)[0x2]\n", FormatGlibc},
		{"assertion", "app: a.c:3: f: Assertion `x' failed.\n", FormatGlibc},
		{"glib assertion", "**\nGLib-GIO:ERROR:../gio/gdbus.c:120:g_dbus_foo: assertion failed: (x != NULL)\nBail out! GLib-GIO:ERROR:../gio/gdbus.c:120:g_dbus_foo: assertion failed: (x != NULL)\n", FormatGlibc},
		{"dovecot panic", "Jun 01 12:00:00 imap(u)<1>: Panic: file array.c: line 10 (array_idx_modifiable_i): assertion failed: (idx < count)\n", FormatGlibc},
		{"rust", "thread 'main' panicked at src/main.rs:2:5:\nboom\n", FormatRust},
		{"native frames alone", "Crash in worker:\n    #0 0x4f5e2a in ledger_post src/ledger.c:214:17\n    #1 0x4f1234 in main src/main.c:88\n", FormatNative},
		{"valgrind without prefixes", "Invalid read of size 4\n   at 0x109145: get (segv.c:3)\n   by 0x109178: main (segv.c:4)\n Address 0x0 is not stack'd, malloc'd or (recently) free'd\n", FormatValgrind},
		{"rust before 1.73", "thread 'main' panicked at 'boom', src/main.rs:2:5\n", FormatRust},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("in", []byte(tt.input))
			if err != nil {
				t.Fatalf("Parse: got error %v, want format %s", err, tt.want)
			}
			if got := sigs[0].Format; got != tt.want {
				t.Errorf("format: got %s, want %s", got, tt.want)
			}
			if got := sigs[0].Source; got != "in" {
				t.Errorf("source: got %q, want %q", got, "in")
			}
		})
	}
}

func TestParseRejectsNonSignals(t *testing.T) {
	tests := []struct{ name, input string }{
		{"empty", ""},
		{"prose", "the deploy went fine\nnothing to see here\n"},
		{"json without event", `{"hello": "world"}`},
		{"json with a message but no event id", `{"message": "deployed", "title": "release 1.2"}`},
		{"json array of numbers", `[1, 2, 3]`},
		{"broken json", `{"exception": {"values": [`},
		{"header only", "java.lang.IllegalStateException: x\n"},
		{"log with native-looking words", "WARNING: disk almost full (92%)\n== summary ==\n#1 item in cart\nframe #3 dropped\nCall Trace: none\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("x.log", []byte(tt.input))
			if err == nil {
				t.Fatalf("Parse: got %d signals, want an error", len(sigs))
			}
			if !errors.Is(err, ErrNoSignal) {
				t.Errorf("got error %v, want it to wrap ErrNoSignal", err)
			}
			if want := "signal: x.log: no stack trace or Sentry event found (looked for"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got message %q, want prefix %q", err, want)
			}
		})
	}
}

// TestParseMessageOnlyEvent: a Sentry event with a message and no stack
// (a logged error), in either shape, is a signal without frames (nothing
// to correlate), not "no Sentry event found".
func TestParseMessageOnlyEvent(t *testing.T) {
	when := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	for name, input := range map[string]string{
		"rest":   `{"id":"1","eventID":"9fac2ceed9344f2bbfdd1fdacb0ed9b1","title":"Something bad happened","dateCreated":"` + when + `","entries":[{"type":"message","data":{"formatted":"Something bad happened"}}]}`,
		"ingest": `{"event_id":"9fac2ceed9344f2bbfdd1fdacb0ed9b1","timestamp":"` + when + `","logentry":{"formatted":"Something bad happened\nmore"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			sigs, err := Parse("event.json", []byte(input))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Format != FormatSentry || len(sigs[0].Frames) != 0 || sigs[0].Title != "Something bad happened" || sigs[0].Timestamp == nil {
				t.Errorf("got %+v, want one framesless Sentry signal titled by its message, with its time", sigs)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse("big", make([]byte, MaxInputBytes+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got error %v, want ErrTooLarge", err)
	}
}

func TestParseTruncatedTraceKeepsFrames(t *testing.T) {
	data, err := os.ReadFile("testdata/java/caused_suppressed.txt")
	if err != nil {
		t.Fatal(err)
	}
	cut := data[:len(data)/2]
	sigs, err := Parse("cut", cut)
	if err != nil {
		t.Fatalf("Parse of a truncated trace: got error %v, want frames", err)
	}
	if got := len(sigs[0].Frames); got == 0 {
		t.Errorf("got 0 frames, want the frames before the cut")
	}
}

func TestParseCapsFrames(t *testing.T) {
	var b strings.Builder
	b.WriteString("java.lang.StackOverflowError\n")
	for i := 0; i < MaxFrames+50; i++ {
		b.WriteString("\tat com.acme.A.f(A.java:3)\n")
	}
	sigs, err := Parse("so", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(sigs[0].Frames); got != MaxFrames {
		t.Errorf("got %d frames, want the cap %d", got, MaxFrames)
	}
	if got := sigs[0].Frames[MaxFrames-1].Depth; got != MaxFrames-1 {
		t.Errorf("last depth: got %d, want %d", got, MaxFrames-1)
	}
}

func TestParseTextTimestamp(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"rfc3339 on the line before", "2024-01-01T00:00:00Z ERROR request failed\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\nKeyError: 'k'\n", "2024-01-01T00:00:00Z"},
		{"offset and fraction", "2024-05-14 12:00:01.5+02:00 fail\njava.lang.Error: x\n\tat a.B.c(B.java:1)\n", "2024-05-14T10:00:01.5Z"},
		{"no zone is not rfc3339", "2024-05-14 12:00:01 fail\njava.lang.Error: x\n\tat a.B.c(B.java:1)\n", ""},
		{"none", "java.lang.Error: x\n\tat a.B.c(B.java:1)\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("t", []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if ts := sigs[0].Timestamp; ts != nil {
				got = ts.Format("2006-01-02T15:04:05.999999999Z07:00")
			}
			if got != tt.want {
				t.Errorf("timestamp: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseMultipleSignals(t *testing.T) {
	in := "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nKeyError: 'a'\n" +
		"some log line\n" +
		"Traceback (most recent call last):\n  File \"b.py\", line 2, in g\nValueError: b\n"
	sigs, err := Parse("two", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 2 {
		t.Fatalf("got %d signals, want 2", len(sigs))
	}
	if sigs[1].Title != "ValueError: b" {
		t.Errorf("second title: got %q, want %q", sigs[1].Title, "ValueError: b")
	}
}

func TestSymptoms(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"KeyError", "'user_id'"}, "keyerror user_id"},
		{[]string{"", "nil pointer dereference"}, "nil pointer dereference"},
		{[]string{"java.lang.NullPointerException", "Cannot invoke \"getName()\""}, "java lang nullpointerexception invoke getname"},
		{[]string{"panic", "runtime error: index out of range [3] with length 3"}, "runtime index out range length"},
		{[]string{"Error", "Error: the error of errors"}, "errors"},
		{[]string{"x", "0x1f 12345 abc123456"}, ""},
	}
	for _, tt := range tests {
		got := strings.Join(Symptoms(tt.in...), " ")
		if got != tt.want {
			t.Errorf("Symptoms(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// libraryAssertions are messages of GLib's g_assert family (the format of
// g_assertion_message in glib/gtestutils.c: "[domain:]ERROR:file:line:func:
// message", repeated after "Bail out! " under the test harness) and of
// Dovecot's i_assert and i_unreached (src/lib/macros.h, failures.c), also
// seeds of FuzzParse.
var libraryAssertions = []string{
	"**\nGLib-GIO:ERROR:../gio/gdbus.c:120:g_dbus_foo: assertion failed: (conn != NULL)\nBail out! GLib-GIO:ERROR:../gio/gdbus.c:120:g_dbus_foo: assertion failed: (conn != NULL)\n",
	"ERROR:tests/queue.c:7:test_pop: assertion failed (len == 2): (1 == 2)\n",
	"ERROR:src/state.c:44:state_next: code should not be reached\n",
	"Jun 01 12:00:00 imap(u)<1>: Panic: file array.c: line 10 (array_idx_modifiable_i): assertion failed: (idx < array->buffer->used)\n",
	"Panic: file index-sync.c: line 88: unreached\n",
}

// GLib's g_assert and Dovecot's i_assert print the assertion's location in
// forms of their own; each gives one signal whose one frame is that
// location, and whose symptoms hold the expression's words.
func TestLibraryAssertions(t *testing.T) {
	tests := []struct {
		name, input    string
		file, function string
		line           int
		title, symptom string
	}{
		{"glib, repeated by the test harness",
			libraryAssertions[0],
			"../gio/gdbus.c", "g_dbus_foo", 120, "../gio/gdbus.c:120: g_dbus_foo: assertion failed: (conn != NULL)", "conn"},
		{"glib comparison",
			libraryAssertions[1],
			"tests/queue.c", "test_pop", 7, "tests/queue.c:7: test_pop: assertion failed (len == 2): (1 == 2)", "len"},
		{"glib unreachable",
			libraryAssertions[2],
			"src/state.c", "state_next", 44, "src/state.c:44: state_next: code should not be reached", ""},
		{"dovecot panic in a log line",
			libraryAssertions[3],
			"array.c", "array_idx_modifiable_i", 10, "array.c:10: array_idx_modifiable_i: assertion failed: (idx < array->buffer->used)", "buffer"},
		{"dovecot unreached",
			libraryAssertions[4],
			"index-sync.c", "", 88, "index-sync.c:88: unreached", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("in", []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 {
				t.Fatalf("got %d signals, want 1: %+v", len(sigs), sigs)
			}
			s := sigs[0]
			if s.Title != tt.title {
				t.Errorf("title %q, want %q", s.Title, tt.title)
			}
			if len(s.Frames) != 1 || s.Frames[0].File != tt.file || s.Frames[0].Line != tt.line || s.Frames[0].Function != tt.function {
				t.Errorf("frames %+v, want %s:%d in %q", s.Frames, tt.file, tt.line, tt.function)
			}
			if tt.symptom != "" && !slices.Contains(s.Symptoms, tt.symptom) {
				t.Errorf("symptoms %q lack %q", s.Symptoms, tt.symptom)
			}
		})
	}
}

// TestParseUTF16: a trace Windows PowerShell 5.1 saved (`app.exe 2>
// crash.txt`: UTF-16LE with a byte-order mark, CRLF) reads as the same
// trace in UTF-8.
func TestParseUTF16(t *testing.T) {
	text := "Traceback (most recent call last):\r\n  File \"C:\\srv\\app\\report.py\", line 3, in total\r\n    return a / b\r\nZeroDivisionError: division by zero\r\n"
	data := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		data = append(data, byte(u), byte(u>>8))
	}
	sigs, err := Parse("crash.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 || sigs[0].Format != FormatPython || len(sigs[0].Frames) != 1 || sigs[0].Frames[0].File != `C:\srv\app\report.py` || sigs[0].Frames[0].Line != 3 {
		t.Errorf("got %+v, want the Python traceback at report.py:3", sigs)
	}
}

// TestParseFirefoxStack: Firefox's and Safari's "fn@url:line:col" frames
// read as V8's do.
func TestParseFirefoxStack(t *testing.T) {
	in := "TypeError: cart is undefined\n" +
		"total@https://shop.example.com/static/js/cart.js:70:11\n" +
		"render/<@https://shop.example.com/static/js/view.js:12:5\n" +
		"@https://shop.example.com/static/js/app.js:8:2\n"
	sigs, err := Parse("ff.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sigs[0].Frames {
		got = append(got, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Function))
	}
	want := []string{"https://shop.example.com/static/js/cart.js:70:11 total", "https://shop.example.com/static/js/view.js:12:5 render", "https://shop.example.com/static/js/app.js:8:2 "}
	if len(sigs) != 1 || sigs[0].Title != "TypeError: cart is undefined" || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %q with %q; want %q", len(sigs), sigs[0].Title, got, want)
	}
}
