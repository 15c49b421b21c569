package tracetext

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The inputs below are written for these tests: made-up programs, paths
// and addresses in the shapes the tools print.

const asanMsg = `widget: fix use after free in frob_list

Running the fuzzer gives:

    ==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x55d0 bp 0x7ffd sp 0x7ffc
    READ of size 8 at 0x602000000010 thread T0
        #0 0x55d0aa in frob_next /build/widget/src/frob.c:88:12
        #1 0x55d0bb in frob_list /build/widget/src/frob.c:120:5
        #2 0x7f0011 in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x29d90) (BuildId: 0a1b2c3d)

    0x602000000010 is located 0 bytes inside of 16-byte region [0x602000000010,0x602000000020)
    freed by thread T0 here:
        #0 0x7f00aa in free (/usr/lib/libasan.so.8+0xd7cc)
        #1 0x55d0cc in frob_drop /build/widget/src/frob.c:61:3

    previously allocated by thread T0 here:
        #0 0x7f00bb in malloc (/usr/lib/libasan.so.8+0xd9cc)
        #1 0x55d0dd in frob_new /build/widget/src/frob.c:40:10

    SUMMARY: AddressSanitizer: heap-use-after-free /build/widget/src/frob.c:88:12 in frob_next

Fixes: 0123456789ab ("widget: cache frob entries")
Signed-off-by: A Developer <dev@example.org>
`

func TestExtractASan(t *testing.T) {
	bs := Extract(asanMsg)
	if len(bs) != 1 {
		t.Fatalf("got %d blocks, want 1: %+v", len(bs), bs)
	}
	b := bs[0]
	if b.Format != ASan {
		t.Errorf("format %q, want asan", b.Format)
	}
	if !strings.HasPrefix(b.Text, "==4242==ERROR: AddressSanitizer") {
		t.Errorf("block does not start at the report (indentation kept?):\n%s", b.Text)
	}
	if !strings.Contains(b.Text, "\n    #1 0x55d0bb in frob_list") {
		t.Errorf("frame lines lost their relative indentation:\n%s", b.Text)
	}
	if strings.Contains(b.Text, "Fixes:") || strings.Contains(b.Text, "Running the fuzzer") {
		t.Errorf("block holds message text around the report:\n%s", b.Text)
	}
	if !strings.Contains(b.Text, "SUMMARY: AddressSanitizer") {
		t.Errorf("block lost the summary line:\n%s", b.Text)
	}
	if b.Frames != 7 || b.FileFrames != 4 {
		t.Errorf("frames %d (with file %d), want 7 (4)", b.Frames, b.FileFrames)
	}

	r := Parse(b.Text)
	if r.Format != ASan || r.Type != "heap-use-after-free" {
		t.Errorf("format %q type %q", r.Format, r.Type)
	}
	if len(r.Stacks) != 3 {
		t.Fatalf("got %d stacks, want access, freed by, allocated by: %+v", len(r.Stacks), r.Stacks)
	}
	if r.Crash != 0 {
		t.Errorf("crash stack %d, want 0", r.Crash)
	}
	top := r.Stacks[0].Frames[0]
	if top.Function != "frob_next" || top.File != "/build/widget/src/frob.c" || top.Line != 88 || top.Column != 12 {
		t.Errorf("innermost frame %+v", top)
	}
	libc := r.Stacks[0].Frames[2]
	if !libc.System || libc.Module != "/lib/x86_64-linux-gnu/libc.so.6" || libc.Function != "__libc_start_main" {
		t.Errorf("libc frame %+v", libc)
	}
	if !strings.HasPrefix(r.Stacks[1].Name, "freed by thread T0") {
		t.Errorf("second stack %q", r.Stacks[1].Name)
	}
}

func TestToEventOrder(t *testing.T) {
	r := Parse(Extract(asanMsg)[0].Text)
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	ev := ToEvent(r, at, nil)
	if ev.Timestamp != "2024-03-01T12:00:00Z" || ev.Platform != "native" || len(ev.EventID) != 32 {
		t.Errorf("event head %+v", ev)
	}
	today := time.Now().Truncate(time.Second)
	if got, want := ToEvent(r, today, nil).Timestamp, today.UTC().Format(time.RFC3339); got != want {
		t.Errorf("real clock: timestamp %q, want %q", got, want)
	}
	vs := ev.Exception.Values
	if len(vs) != 3 {
		t.Fatalf("values %d, want 3", len(vs))
	}
	crash := vs[len(vs)-1]
	if crash.Type != "heap-use-after-free" {
		t.Errorf("last value is not the crash: %+v", crash.Type)
	}
	fr := crash.Stacktrace.Frames
	last := fr[len(fr)-1]
	if last.Function != "frob_next" || last.Lineno != 88 || !last.InApp {
		t.Errorf("crashing frame is not last: %+v", last)
	}
	if fr[0].InApp || fr[0].Package == "" {
		t.Errorf("libc frame marked in-app or without package: %+v", fr[0])
	}
	if vs[0].Type != "freed by thread T0" {
		t.Errorf("first value type %q", vs[0].Type)
	}
	// The ingest shape's keys.
	b, _ := json.Marshal(ev)
	for _, k := range []string{`"event_id"`, `"timestamp"`, `"exception":{"values":[`, `"stacktrace":{"frames":[`, `"abs_path"`, `"lineno"`, `"in_app"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("event JSON lacks %s: %s", k, b)
		}
	}
}

func TestPythonTraceback(t *testing.T) {
	msg := "tool: handle missing keys\n\n" +
		"  $ tool run\n" +
		"  Traceback (most recent call last):\n" +
		"    File \"/opt/tool/tool/cli.py\", line 12, in main\n" +
		"      return run(args)\n" +
		"             ^^^^^^^^^\n" +
		"    File \"/opt/tool/tool/run.py\", line 40, in run\n" +
		"      value = table[key]\n" +
		"  KeyError: 'speed'\n" +
		"\nFixes: abcdef123456\n"
	bs := Extract(msg)
	if len(bs) != 1 {
		t.Fatalf("blocks %+v", bs)
	}
	if !strings.HasPrefix(bs[0].Text, "Traceback") || !strings.HasSuffix(bs[0].Text, "KeyError: 'speed'\n") {
		t.Errorf("block:\n%s", bs[0].Text)
	}
	r := Parse(bs[0].Text)
	if r.Format != Python || r.Type != "KeyError" || r.Value != "'speed'" {
		t.Errorf("report %q %q %q", r.Format, r.Type, r.Value)
	}
	// innermost first inside the report; oldest first in the event
	if f := r.Stacks[0].Frames[0]; f.Function != "run" || f.Line != 40 {
		t.Errorf("innermost %+v", f)
	}
	ev := ToEvent(r, time.Unix(0, 0), nil)
	fr := ev.Exception.Values[0].Stacktrace.Frames
	if fr[0].Function != "main" || fr[1].Function != "run" || ev.Platform != "python" {
		t.Errorf("event frames %+v", fr)
	}
}

func TestGoPanic(t *testing.T) {
	text := "panic: runtime error: index out of range [3] with length 3\n\n" +
		"goroutine 7 [running]:\n" +
		"example.org/shop/cart.(*Cart).Total(0xc000010000)\n" +
		"\t/home/dev/shop/cart/cart.go:57 +0x1d\n" +
		"example.org/shop/api.handle(...)\n" +
		"\t/home/dev/shop/api/api.go:21\n" +
		"runtime.goexit()\n" +
		"\t/usr/local/go/src/runtime/asm_amd64.s:1700 +0x1\n"
	bs := Extract("x\n\n" + text + "\nFixes: 1234567\n")
	if len(bs) != 1 || bs[0].Format != Go {
		t.Fatalf("blocks %+v", bs)
	}
	r := Parse(bs[0].Text)
	if r.Type != "panic" || !strings.HasPrefix(r.Value, "runtime error: index out of range") {
		t.Errorf("title %q %q", r.Type, r.Value)
	}
	fs := r.Stacks[0].Frames
	if len(fs) != 3 || fs[0].Function != "example.org/shop/cart.(*Cart).Total" || fs[0].Line != 57 || !fs[2].System {
		t.Errorf("frames %+v", fs)
	}
}

func TestValgrindAndGDB(t *testing.T) {
	vg := "==77== Invalid write of size 4\n" +
		"==77==    at 0x4011A2: put_item (store.c:31)\n" +
		"==77==    by 0x4012B0: main (main.c:9)\n" +
		"==77==  Address 0x4a8b048 is 0 bytes after a block of size 8 alloc'd\n" +
		"==77==    at 0x483B7F3: malloc (in /usr/lib/valgrind/vgpreload_memcheck.so)\n" +
		"==77==    by 0x401190: new_store (store.c:12)\n"
	r := Parse(Extract(vg)[0].Text)
	if r.Format != Valgrind || len(r.Stacks) != 2 || r.Type != "Invalid write" {
		t.Fatalf("valgrind report %+v", r)
	}
	if f := r.Stacks[0].Frames[0]; f.Function != "put_item" || f.File != "store.c" || f.Line != 31 {
		t.Errorf("valgrind frame %+v", f)
	}
	if f := r.Stacks[1].Frames[0]; !f.System || f.Module == "" {
		t.Errorf("valgrind library frame %+v", f)
	}

	// Valgrind spells "Uninitialised" the British way; the origin of the
	// value is a stack of its own, not the crash stack's outermost frame.
	uninit := "==31275== Conditional jump or move depends on uninitialised value(s)\n" +
		"==31275==    at 0x43C63F: prepare_to_commit (commit.c:1058)\n" +
		"==31275==    by 0x510839: main (common-main.c:56)\n" +
		"==31275==  Uninitialised value was created by a stack allocation\n" +
		"==31275==    at 0x43B344: prepare_to_commit (commit.c:719)\n"
	r = Parse(Extract(uninit)[0].Text)
	if len(r.Stacks) != 2 || len(r.Stacks[0].Frames) != 2 || r.Stacks[1].Frames[0].Line != 719 {
		t.Errorf("valgrind origin stack %+v", r.Stacks)
	}

	gdb := "Program received signal SIGSEGV, Segmentation fault.\n" +
		"#0  0x000055555555a1b2 in parse_opt (p=0x0,\n" +
		"    flags=3) at ../src/opts.c:77\n" +
		"#1  0x00007ffff7a2d083 in start_thread () from /lib/x86_64-linux-gnu/libpthread.so.0\n" +
		"#2  main (argc=1, argv=0x7fffffffe5c8) at ../src/main.c:15\n"
	r = Parse(Extract(gdb)[0].Text)
	if r.Format != GDB || r.Type != "SIGSEGV" {
		t.Errorf("gdb report %q %q", r.Format, r.Type)
	}
	fs := r.Stacks[0].Frames
	if len(fs) != 3 || fs[0].Function != "parse_opt" || fs[0].File != "../src/opts.c" || fs[0].Line != 77 {
		t.Fatalf("gdb frames %+v", fs)
	}
	if !fs[1].System || fs[2].Line != 15 {
		t.Errorf("gdb frames %+v", fs)
	}
}

func TestKernelReport(t *testing.T) {
	text := "[  12.000001] WARNING: CPU: 1 PID: 9 at drivers/net/foo/core.c:210 foo_tx+0x40/0x90 [foo]\n" +
		"[  12.000002] RIP: 0010:foo_tx+0x40/0x90 [foo]\n" +
		"[  12.000003] RSP: 0018:ffffc900 EFLAGS: 00010246\n" +
		"[  12.000004] Call Trace:\n" +
		"[  12.000005]  <TASK>\n" +
		"[  12.000006]  ? report_bug+0x10/0x20\n" +
		"[  12.000007]  foo_xmit+0x11/0x30 [foo]\n" +
		"[  12.000008]  dev_queue+0x5/0x9\n" +
		"[  12.000009]  </TASK>\n"
	bs := Extract(text)
	if len(bs) != 1 || bs[0].Format != Kernel {
		t.Fatalf("blocks %+v", bs)
	}
	r := Parse(bs[0].Text)
	if len(r.Stacks) != 1 {
		t.Fatalf("the call trace must continue the RIP's stack: %+v", r.Stacks)
	}
	fs := r.Stacks[0].Frames
	if fs[0].File != "drivers/net/foo/core.c" || fs[0].Line != 210 || fs[1].Function != "foo_tx" {
		t.Errorf("WARN site and RIP frames %+v", fs[:2])
	}
	if !fs[2].System || fs[2].Function != "report_bug" {
		t.Errorf("unreliable frame %+v", fs[2])
	}
	if r.Type != "WARNING" {
		t.Errorf("type %q", r.Type)
	}
	xen := "(XEN) Xen call trace:\n(XEN)    [<ffff82d040291081>] R arch/x86/foo.c#do_foo+0x37f/0x993\n(XEN)    [<ffff82d040291fbe>] F bar_start+0x2d4/0x4db\n"
	r = Parse(Extract(xen)[0].Text)
	if f := r.Stacks[0].Frames[0]; f.File != "arch/x86/foo.c" || f.Function != "do_foo" {
		t.Errorf("xen frame %+v", f)
	}
}

func TestSmallFormats(t *testing.T) {
	cases := []struct {
		in   string
		fmt  Format
		file string
		line int
	}{
		{"src/a.c:12:5: runtime error: signed integer overflow\n", UBSan, "src/a.c", 12},
		{"prog: util.c:99: check: Assertion `n > 0' failed.\n", Assert, "util.c", 99},
		{"**\nGLib-GIO:ERROR:../gio/gdbus.c:120:g_dbus_foo: assertion failed: (x != NULL)\n", Assert, "../gio/gdbus.c", 120},
		{"Bail out! ERROR:tests/t.c:7:test_main: code should not be reached\n", Assert, "tests/t.c", 7},
		{"Panic: file array.c: line 10 (array_idx_modifiable_i): assertion failed: (idx < count)\n", Assert, "array.c", 10},
		{"Jun 01 12:00:00 imap(u)<1>: Panic: file index.c: line 3: unreached\n", Assert, "index.c", 3},
		{"thread 'main' panicked at src/lib.rs:4:9:\nboom\nstack backtrace:\n   0: app::run\n             at ./src/lib.rs:4:9\n   1: app::main\n             at ./src/main.rs:2:5\n", Rust, "./src/lib.rs", 4},
		{"Exception in thread \"main\" java.lang.IllegalStateException: bad\n\tat org.acme.Shop.pay(Shop.java:42)\n\tat org.acme.Main.main(Main.java:7)\n", Java, "Shop.java", 42},
		{"* frame #0: 0x0000000100003f64 app`divide(a=1, b=0) at calc.c:5:12\n  frame #1: 0x0000000100003f9c app`main at calc.c:10:3\n", LLDB, "calc.c", 5},
	}
	for _, c := range cases {
		bs := Extract(c.in)
		if len(bs) != 1 {
			t.Errorf("%q: blocks %+v", c.in, bs)
			continue
		}
		r := Parse(bs[0].Text)
		if bs[0].Format != c.fmt || len(r.Stacks) == 0 {
			t.Errorf("%q: format %q, stacks %d", c.in, bs[0].Format, len(r.Stacks))
			continue
		}
		f := r.Stacks[r.Crash].Frames[0]
		if f.File != c.file || f.Line != c.line {
			t.Errorf("%q: innermost frame %+v", c.in, f)
		}
	}
}

func TestExtractNothing(t *testing.T) {
	for _, msg := range []string{
		"",
		"docs: fix a typo\n\nFixes: 0123456789ab\n",
		"build: bump version\n\nSee #12 and http://example.org/a:1\n",
		strings.Repeat("#", 1000),
	} {
		if bs := Extract(msg); len(bs) != 0 {
			t.Errorf("%q: found %+v", msg, bs)
		}
	}
}

func TestExtractTwoReports(t *testing.T) {
	msg := "before:\n\n  #0  a_fn () at a.c:1\n  #1  b_fn () at b.c:2\n\nlater, with the fix, another one:\n\n" +
		"  #0  c_fn () at c.c:3\n  #1  d_fn () at d.c:4\n  #2  e_fn () at e.c:5\n"
	bs := Extract(msg)
	if len(bs) != 2 || bs[1].Frames != 3 || bs[0].StartLine != 2 {
		t.Fatalf("blocks %+v", bs)
	}
	if bs[0].Text != "#0  a_fn () at a.c:1\n#1  b_fn () at b.c:2\n" {
		t.Errorf("first block %q", bs[0].Text)
	}
}

func TestSystemPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/usr/include/c++/12/bits/vector.h":          true,
		"/usr/lib/python3.12/re/__init__.py":         true,
		"/usr/lib/python3/dist-packages/tool/cli.py": false,
		"/usr/local/go/src/runtime/panic.go":         true,
		"../src/opts.c":                              false,
		"/home/dev/.cargo/registry/src/x/lib.rs":     true,
		"/build/glibc-abc/stdlib/abort.c":            true,
		"src/widget/frob.c":                          false,
	} {
		if got := SystemPath(p); got != want {
			t.Errorf("SystemPath(%q) = %v, want %v", p, got, want)
		}
	}
}
