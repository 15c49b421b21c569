package signal

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestCleanFunction(t *testing.T) {
	tests := []struct{ in, want string }{
		{"main", "main"},
		{"config_port", "config_port"},
		{"foo.isra.0", "foo"},
		{"wren_parse_options.cold", "wren_parse_options"},
		{"foo.constprop.0.part.1", "foo"},
		{"pthread_create@@GLIBC_2.34", "pthread_create"},
		{"memcpy@GLIBC_2.2.5+0x1b", "memcpy"},
		{"xsk_umem__create@@LIBBPF_0.0.4", "xsk_umem__create@@LIBBPF_0.0.4"},
		{"xsk_umem__create@LIBBPF_0.0.2+0x10", "xsk_umem__create@LIBBPF_0.0.2"},
		{"main+0x1b", "main"},
		// A return type before a name with an ABI tag, or a decltype
		// return type, as libc++'s frames print in Apple and Android
		// crash reports.
		{"void std::__1::__thread_execute[abi:ne200100]<std::__1::unique_ptr<int>, void (*)(int), int>(std::__1::tuple<int>&, std::__1::__tuple_indices<>)", "std::__1::__thread_execute<std::__1::unique_ptr<int>, void (*)(int), int>"},
		{"void* std::__1::__thread_proxy[abi:ne200100]<std::__1::tuple<int>>(void*)", "std::__1::__thread_proxy<std::__1::tuple<int>>"},
		{"decltype(std::declval<void (*)(int)>()(std::declval<int>())) std::__1::__invoke[abi:se180100]<void (*)(int), int>(void (*&&)(int), int&&)", "std::__1::__invoke<void (*)(int), int>"},
		{"decltype(std::declval<Foo>()()) std::__ndk1::__invoke<Foo>(Foo&&)", "std::__ndk1::__invoke<Foo>"},
		{"std::__1::basic_string<char> acme::Name::get[abi:cxx11]() const", "acme::Name::get"},
		{"decltype", "decltype"},
		// Mangled names, as coredumpctl prints a C++ program's frames.
		{"_ZN4base13TaskAnnotator7RunTaskEPKcPNS_11PendingTaskE", "base::TaskAnnotator::RunTask"},
		{"_ZN7logging10LogMessageD2Ev", "logging::LogMessage::~LogMessage"},
		{"_ZN4core6option13expect_failed17h0123456789abcdefE", "core::option::expect_failed"},
		{"_ZSt9terminatev", "std::terminate"},
		{"_Z", "_Z"},
		{"??", ""},
		{"???", ""},
		{"<null>", ""},
		{"io::Buffer::~Buffer()", "io::Buffer::~Buffer"},
		{"io::Buffer::Buffer(unsigned long)", "io::Buffer::Buffer"},
		{"geo::Grid<int>::add_row(std::vector<int, std::allocator<int> > const&)", "geo::Grid<int>::add_row"},
		{"(anonymous namespace)::Summer::operator()(std::vector<int, std::allocator<int> > const&)", "(anonymous namespace)::Summer::operator()"},
		{"(anonymous namespace)::grow_and_sum(geo::Grid<int>&)::$_0::operator()(int) const", "(anonymous namespace)::grow_and_sum::$_0::operator()"},
		{"grow_and_sum(geo::Grid<int>&)::{lambda(int)#1}::operator()(int) const", "grow_and_sum::{lambda(int)#1}::operator()"},
		{"void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int const&)", "std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>"},
		{"operator new(unsigned long)", "operator new"},
		{"operator delete[](void*)", "operator delete[]"},
		{"std::ostream& operator<<(std::ostream&, Point const&)", "operator<<"},
		{"Money::operator bool() const", "Money::operator bool"},
		{"Foo::operator==(Foo const&) const", "Foo::operator=="},
		{"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::size[abi:cxx11]() const", "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::size"},
		{"(below main)", "(below main)"},
		{"<alloc::vec::Vec<T,A> as core::ops::index::Index<I>>::index", "<alloc::vec::Vec<T,A> as core::ops::index::Index<I>>::index"},
		{"parse::config::load::{{closure}}", "parse::config::load::{{closure}}"},
		{"std[e28293b1aa0f68bd]::panicking::begin_panic_handler", "std::panicking::begin_panic_handler"},
		{"myapp::handler::h0123456789abcdef", "myapp::handler"},
	}
	for _, tt := range tests {
		if got := cleanFunction(tt.in); got != tt.want {
			t.Errorf("cleanFunction(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitLocation(t *testing.T) {
	tests := []struct {
		in        string
		file      string
		line, col int
		ok        bool
	}{
		{"/src/uaf.c:3:71", "/src/uaf.c", 3, 71, true},
		{"uaf.c:28", "uaf.c", 28, 0, true},
		{"../lib/ring.c:16", "../lib/ring.c", 16, 0, true},
		{"/src/x.c:12 (discriminator 2)", "/src/x.c", 12, 0, true},
		{`C:\src\app\main.cpp:12:3`, `C:\src\app\main.cpp`, 12, 3, true},
		{`C:\src\app\main.cpp:12`, `C:\src\app\main.cpp`, 12, 0, true},
		{"uaf.c", "", 0, 0, false},
		{"C:12", "", 0, 0, false},
		{":12", "", 0, 0, false},
	}
	for _, tt := range tests {
		file, line, col, ok := splitLocation(tt.in)
		if file != tt.file || line != tt.line || col != tt.col || ok != tt.ok {
			t.Errorf("splitLocation(%q): got %q %d %d %v, want %q %d %d %v", tt.in, file, line, col, ok, tt.file, tt.line, tt.col, tt.ok)
		}
	}
}

// TestNativeFrameLines checks one frame line of each native format: the
// file as printed (without what is not part of the path), line, column,
// function, module and in-app decision.
func TestNativeFrameLines(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (Frame, bool)
		in    string
		want  Frame
	}{
		{"asan", san, "0x55b312eebf06 in session_id /home/ci/app/src/uaf.c:28:12", Frame{File: "/home/ci/app/src/uaf.c", Line: 28, Column: 12, Function: "session_id", InApp: true}},
		{"asan build id", san, "0x55b312e2e300 in _start (/tmp/uaf+0x20300) (BuildId: 5889180299f506d3f01246cf5d500c550bac9532)", Frame{Function: "_start", Module: "/tmp/uaf", Offset: 0x20300, BuildID: "5889180299f506d3f01246cf5d500c550bac9532"}},
		{"asan no symbol", san, "0x4005d6  (/tmp/a.out+0x4005d6)", Frame{Module: "/tmp/a.out", Offset: 0x4005d6}},
		{"asan runtime", san, "0x7f07a34b76a8 in __interceptor_free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52", Frame{File: "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp", Line: 52, Function: "__interceptor_free"}},
		{"asan libc", san, "0x7fdda6d26249 in __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16", Frame{File: "csu/../sysdeps/nptl/libc_start_call_main.h", Line: 58, Column: 16, Function: "__libc_start_call_main"}},
		{"asan header", san, "0x55 in std::vector<int, std::allocator<int> >::begin() const /usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/stl_vector.h:879:16", Frame{File: "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/stl_vector.h", Line: 879, Column: 16, Function: "std::vector<int, std::allocator<int> >::begin"}},
		{"asan windows", san, `0x7ff6a1b2 in main C:\src\app\main.cpp:12`, Frame{File: `C:\src\app\main.cpp`, Line: 12, Function: "main", InApp: true}},
		{"asan windows spaces", san, `0x7ff6f83e7c17 in Ledger::post(__int64) C:\Users\Ann Lee\src\ledger\post.cpp:784`, Frame{File: `C:\Users\Ann Lee\src\ledger\post.cpp`, Line: 784, Function: "Ledger::post", InApp: true}},
		{"asan msvc header", san, `0x7ff6f83e6f45 in std::vector<int>::emplace_back C:\Program Files (x86)\Microsoft Visual Studio\2019\Enterprise\VC\Tools\MSVC\14.29.30133\include\vector:734`, Frame{File: `C:\Program Files (x86)\Microsoft Visual Studio\2019\Enterprise\VC\Tools\MSVC\14.29.30133\include\vector`, Line: 734, Function: "std::vector<int>::emplace_back"}},
		{"asan macos", san, "0x10e5f2f3b in main+0x1b (a.out:x86_64+0x100000f3b)", Frame{Function: "main", Module: "a.out", InApp: true, Offset: 0x100000f3b}},
		{"asan third_party", san, "0x55 in png_read_row /src/third_party/libpng/pngread.c:412:7", Frame{File: "/src/third_party/libpng/pngread.c", Line: 412, Column: 7, Function: "png_read_row"}},
		{"tsan", san, "worker /src/race.c:11:10 (race+0xd01b4) (BuildId: f93d)", Frame{File: "/src/race.c", Line: 11, Column: 10, Function: "worker", Module: "race", InApp: true, Offset: 0xd01b4, BuildID: "f93d"}},
		{"tsan null", san, "pthread_create <null> (race+0x513ad)", Frame{Function: "pthread_create", Module: "race", Offset: 0x513ad}},
		{"asan hwasan build id", san, "0x7a8e4a2f1c (/system/lib64/libshop.so+0x1f1c) (BuildId: AB12cd34)", Frame{Module: "/system/lib64/libshop.so", Offset: 0x1f1c, BuildID: "ab12cd34"}},
		{"asan offset too long", san, "0x1 (/tmp/a.out+0x123456789abcdef012)", Frame{Module: "/tmp/a.out"}},
		{"coredump", san, "0x00007f2c3a058a76 raise (libc.so.6 + 0x3ea76)", Frame{Function: "raise", Module: "libc.so.6", Offset: 0x3ea76}},
		{"backtrace_symbols offset", btF, "/app/bin/server(+0x1a2b)[0x55d4c1a2b]", Frame{Module: "/app/bin/server", Offset: 0x1a2b}},
		{"backtrace_symbols symbol", btF, "./app(handler+0x1d)[0x55d0c1a5b1d6]", Frame{Function: "handler", Module: "./app", InApp: true}},
		{"backtrace_symbols no symbol", btF, "./app [0x55d0c1a5b1d6]", Frame{Module: "./app"}},
		{"gdb", gdbF, "0x0000555555555145 in get (p=0x0) at segv.c:3", Frame{File: "segv.c", Line: 3, Function: "get", InApp: true}},
		{"gdb no address", gdbF, "__pthread_kill_implementation (threadid=<optimized out>, signo=signo@entry=6) at ./nptl/pthread_kill.c:44", Frame{File: "./nptl/pthread_kill.c", Line: 44, Function: "__pthread_kill_implementation"}},
		{"gdb from", gdbF, "0x00007ffff7e4af1f in ?? () from /lib/x86_64-linux-gnu/libc.so.6", Frame{Module: "/lib/x86_64-linux-gnu/libc.so.6"}},
		{"gdb glibc abort", gdbF, "0x00007ffff7dfb472 in __GI_abort () at ./stdlib/abort.c:79", Frame{File: "./stdlib/abort.c", Line: 79, Function: "__GI_abort"}},
		{"gdb args with parens", gdbF, `0x1 in parse (s=0x5555 "a (b", n=2) at ../src/parse.c:40`, Frame{File: "../src/parse.c", Line: 40, Function: "parse", InApp: true}},
		{"gdb lambda", gdbF, "0x1 in main::{lambda(int)#1}::operator()(int) const (__closure=0x7ffe, x=1) at x.cc:30", Frame{File: "x.cc", Line: 30, Function: "main::{lambda(int)#1}::operator()", InApp: true}},
		{"gdb stripped", gdbF, "0x00005555555551d2 in ?? ()", Frame{}},
		{"gdb path with spaces", gdbF, "0x1 in other () at dir with space/renamed ü.c:12", Frame{File: "dir with space/renamed ü.c", Line: 12, Function: "other", InApp: true}},
		{"gdb string arg with at", gdbF, `0x1 in log (msg=0x5555 "look) at me:1") at src/log.c:9`, Frame{File: "src/log.c", Line: 9, Function: "log", InApp: true}},
		{"lldb", lldbF, "0: 0x0000555555555145 segv`get(p=0x0000000000000000) at segv.c:3:39", Frame{File: "segv.c", Line: 3, Column: 39, Function: "get", Module: "segv", InApp: true}},
		{"lldb offset", lldbF, "4: 0x0000555555555071 segv`_start + 33", Frame{Function: "_start", Module: "segv"}},
		{"lldb libc", lldbF, "1: 0x00007ffff7a59fb2 libc.so.6`__GI_raise(sig=6) at raise.c:26:13", Frame{File: "raise.c", Line: 26, Column: 13, Function: "__GI_raise", Module: "libc.so.6"}},
		{"lldb inlined", lldbF, "0: 0x000055555555518a in2`total_weight [inlined] weight(it=0x0000000000000000) at inline_null.c:14:20", Frame{File: "inline_null.c", Line: 14, Column: 20, Function: "weight", Module: "in2", InApp: true}},
		{"lldb operator", lldbF, "0: 0x0000555555555478 gridp`(anonymous namespace)::Summer::operator(this=0x00007fffffffe570, row=size=1)(std::vector<int, std::allocator<int> > const&) at grid.cpp:31:16", Frame{File: "grid.cpp", Line: 31, Column: 16, Function: "(anonymous namespace)::Summer::operator()", Module: "gridp", InApp: true}},
		{"valgrind", vgF, "0x109145: get (segv.c:3)", Frame{File: "segv.c", Line: 3, Function: "get", InApp: true}},
		{"valgrind preload", vgF, "0x484C5D7: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)", Frame{Module: "/usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so"}},
		{"valgrind malloc", vgF, "0x48417B4: malloc (vg_replace_malloc.c:393)", Frame{File: "vg_replace_malloc.c", Line: 393, Function: "malloc"}},
		{"valgrind glibc", vgF, "0x48ED1F4: start_thread (pthread_create.c:442)", Frame{File: "pthread_create.c", Line: 442, Function: "start_thread"}},
		{"valgrind c++", vgF, "0x10922C: io::Buffer::~Buffer() (mismatch.cpp:11)", Frame{File: "mismatch.cpp", Line: 11, Function: "io::Buffer::~Buffer", InApp: true}},
		{"kernel", kernelF, "ringbuf_setup_queues+0x9c/0x150 [ringbuf]", Frame{Function: "ringbuf_setup_queues", Module: "ringbuf", InApp: true}},
		{"kernel unreliable", kernelF, "? ringbuf_attach_queue+0x3b/0x1a0 [ringbuf]", Frame{Function: "ringbuf_attach_queue", Module: "ringbuf"}},
		{"kernel decoded", kernelF, "tern_sock_sendmsg+0x8c4/0x9a0 net/tern/af_tern.c:612", Frame{File: "net/tern/af_tern.c", Line: 612, Function: "tern_sock_sendmsg", InApp: true}},
		{"kernel inline", kernelF, "__dump_stack lib/dump_stack.c:88 [inline]", Frame{File: "lib/dump_stack.c", Line: 88, Function: "__dump_stack"}},
		{"kernel old", kernelF, "[<ffffffff810c2f6e>] handle_irq_event_percpu+0x3e/0x1e0", Frame{Function: "handle_irq_event_percpu", InApp: true}},
		{"kernel machinery", kernelF, "kasan_report+0x142/0x180 mm/kasan/report.c:601", Frame{File: "mm/kasan/report.c", Line: 601, Function: "kasan_report"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.parse(tt.in)
			if !ok {
				t.Fatalf("got no frame from %q", tt.in)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func san(s string) (Frame, bool) { return sanitizerFrame(FormatASan, s) }
func btF(s string) (Frame, bool) { return backtraceSymbolsFrame(s) }
func gdbF(s string) (Frame, bool) {
	f, ok, _ := gdbFrame(s)
	return f, ok
}
func lldbF(s string) (Frame, bool)   { return lldbFrame(s) }
func vgF(s string) (Frame, bool)     { return valgrindFrame(s) }
func kernelF(s string) (Frame, bool) { return kernelFrame(s) }

func TestNativeFrameLinesRejected(t *testing.T) {
	for _, in := range []string{
		"(threshold 0.40)",
		"3 of 10 retries",
		"0x1234 in the morning",
	} {
		if f, ok, _ := gdbFrame(in); ok {
			t.Errorf("gdbFrame(%q): got %+v, want no frame", in, f)
		}
	}
	for _, in := range []string{"processed batch 1234 in 52ms", "RIP: 0033:0x7f3e2b87dda9", "Modules linked in: foo bar"} {
		if f, ok := kernelFrame(in); ok {
			t.Errorf("kernelFrame(%q): got %+v, want no frame", in, f)
		}
	}
}

// TestNativeInLogNoise embeds real reports in application logs, with and
// without a CI time stamp before every line, and checks the crash frame.
func TestNativeInLogNoise(t *testing.T) {
	tests := []struct {
		file, format, crash string
		line                int
	}{
		{"asan/uaf_clang.txt", FormatASan, "session_id", 28},
		{"tsan/race_clang.txt", FormatTSan, "worker", 11},
		{"ubsan/all_clang_stack.txt", FormatUBSan, "add_total", 15},
		{"valgrind/memcheck_uaf.txt", FormatValgrind, "session_id", 28},
		{"gdb/threads_all_bt.txt", FormatGDB, "parse_record", 29},
		{"lldb/null_deref_bt.txt", FormatLLDB, "config_port", 24},
		{"rust/parse_backtrace.txt", FormatRust, "parse::config::parse_port", 4},
		{"kernel/kasan_uaf_syzbot.txt", FormatKernel, "tern_sock_sendmsg", 612},
	}
	noise := "2024-05-14T09:31:05.118Z INFO  [main] starting ledgerd 2.4.1 (pid 4121)\n" +
		"2024-05-14T09:31:06.002Z WARN  [pool] slow query (1204 ms) at shard #3\n"
	for _, tt := range tests {
		for _, prefix := range []string{"", "    ", "2024-05-14T09:31:07.4123456Z ", "2024/05/14 09:31:07 "} {
			// A stamp without a zone is read past, but gives no time.
			stamp := strings.HasPrefix(prefix, "2024-")
			name := tt.file + " prefixed " + strconv.Quote(prefix)
			t.Run(name, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join("testdata", tt.file))
				if err != nil {
					t.Fatal(err)
				}
				in := string(data)
				if prefix != "" {
					// A CI log's time stamps, or the indentation of a
					// report pasted into a commit message.
					var b strings.Builder
					for _, l := range strings.SplitAfter(in, "\n") {
						if l != "" {
							b.WriteString(prefix + l)
						}
					}
					in = b.String()
				}
				in = noise + in + noise
				sigs, err := Parse("ci.log", []byte(in))
				if err != nil {
					t.Fatal(err)
				}
				s := sigs[0]
				if s.Format != tt.format {
					t.Fatalf("format: got %s, want %s", s.Format, tt.format)
				}
				crash := firstInApp(s)
				if crash == nil || crash.Function != tt.crash || crash.Line != tt.line {
					t.Errorf("crash frame: got %+v, want %s line %d", crash, tt.crash, tt.line)
				}
				if stamp && (s.Timestamp == nil || s.Timestamp.Format("15:04:05") != "09:31:07") {
					t.Errorf("timestamp: got %v, want the stamp of the report's lines", s.Timestamp)
				}
			})
		}
	}
}

func firstInApp(s Signal) *Frame {
	for i := range s.Frames {
		if s.Frames[i].InApp {
			return &s.Frames[i]
		}
	}
	return nil
}

// TestNativeReportsInOrder checks that every report of a log is a signal,
// in the order they appear, and that abort messages title the debugger
// report they precede.
func TestNativeReportsInOrder(t *testing.T) {
	var in strings.Builder
	for _, f := range []string{"rust/thread_backtrace.txt", "gdb/assert_bt.txt", "asan/uaf_gcc.txt", "glibc/stack_smashing.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		in.Write(data)
		in.WriteString("\nsome unrelated log line\n")
	}
	sigs, err := Parse("all.log", []byte(in.String()))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ format, title string }{
		{FormatRust, "negative balance: -5"},
		{FormatGDB, "assert.c:14: push: Assertion `s->len < CAP' failed."},
		{FormatASan, "AddressSanitizer: heap-use-after-free on address 0x603000000040"},
		{FormatGlibc, "*** stack smashing detected ***"},
	}
	if len(sigs) != len(want) {
		t.Fatalf("got %d signals, want %d: %+v", len(sigs), len(want), sigs)
	}
	for i, w := range want {
		if sigs[i].Format != w.format || sigs[i].Title != w.title {
			t.Errorf("signal %d: got %s %q, want %s %q", i, sigs[i].Format, sigs[i].Title, w.format, w.title)
		}
	}
	if len(sigs[3].Frames) != 0 || len(sigs[3].Notes) == 0 {
		t.Errorf("stack smashing without a stack: got %d frames and notes %q, want none and a note", len(sigs[3].Frames), sigs[3].Notes)
	}
}

// TestGDBCoreFile reads a gdb session on a core file: the "#0" stop
// location, then "bt" repeating it, is one report.
func TestGDBCoreFile(t *testing.T) {
	in := `Core was generated by ` + "`./ledgerd --config /etc/ledgerd.conf'" + `.
Program terminated with signal SIGSEGV, Segmentation fault.
#0  0x000055d1c2a10a9c in ledger_post (l=0x0, amount=12) at src/ledger.c:214
214	    l->balance += amount;
[Current thread is 1 (Thread 0x7f1a2b2f5740 (LWP 31337))]
(gdb) bt
#0  0x000055d1c2a10a9c in ledger_post (l=0x0, amount=12) at src/ledger.c:214
#1  0x000055d1c2a0c1a7 in main (argc=3, argv=0x7ffe4a1c2e08) at src/main.c:88
(gdb) quit
`
	sigs, err := Parse("core.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 {
		t.Fatalf("got %d signals, want 1", len(sigs))
	}
	s := sigs[0]
	if s.Title != "SIGSEGV, Segmentation fault" || len(s.Frames) != 2 || s.Frames[0].Function != "ledger_post" || s.Frames[1].Line != 88 {
		t.Errorf("got %q with frames %+v", s.Title, s.Frames)
	}
}

// TestGDBWrappedFrames: gdb's frames broken over lines (an argument it
// cannot read ends in a line break and a blank line; "bt full" wraps long
// argument lists) are one frame each, in one gdb report, not extra stacks
// read from their first lines.
func TestGDBWrappedFrames(t *testing.T) {
	in := "Program received signal SIGSEGV, Segmentation fault.\n" +
		"#0  0x08049717 in main (argc=Cannot access memory at address 0xbf5ad784\n" +
		"\n" +
		") at src/ledger.c:141\n" +
		"141\tint main(int argc, char **argv) {\n" +
		"(gdb) thread apply all bt full\n" +
		"\n" +
		"Thread 2 (Thread 0x7fc6744a74c0 (LWP 8069)):\n" +
		"#0  0x00007fc6755b7495 in __pthread_clockjoin_ex (threadid=140489917134400, thread_return=0x0,\n" +
		"    clockid=<optimized out>, abstime=<optimized out>, block=<optimized out>) at pthread_join_common.c:145\n" +
		"        _buffer = {__routine = 0x7fc6755b7360, __arg = 0x7fc6744a2de8}\n" +
		"#1  0x00007fc67577d0d8 in ledger_wait (pool=0x55d1c2a0,\n" +
		"    count=4) at src/pool.c:854\n" +
		"        i = 0\n"
	sigs, err := Parse("gdb.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		for _, f := range s.Frames {
			got = append(got, fmt.Sprintf("%s %s:%d", f.Function, f.File, f.Line))
		}
	}
	want := []string{"main src/ledger.c:141", "__pthread_clockjoin_ex pthread_join_common.c:145", "ledger_wait src/pool.c:854"}
	if len(sigs) != 1 || sigs[0].Format != FormatGDB || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals (first %s) with frames %q, want one gdb report with %q", len(sigs), sigs[0].Format, got, want)
	}
}

// TestGDBWrappedFramesUnindented: a wrapped frame pasted where the
// indentation was lost keeps its location line ("at src/x.c:12" at the
// start of a line) when the frame's own line has none; an "at" line after
// a frame that has its location is not taken.
func TestGDBWrappedFramesUnindented(t *testing.T) {
	in := "#0  0x00005555558bc48a in co_data (c=0x5555561ed428)\n" +
		"at include/haproxy/channel.h:130\n" +
		"#1  0x00005555558c1d69 in sc_conn_send (sc=0x5555561f92d0)\n" +
		"at src/stconn.c:1637\n" +
		"#2  0x00007ffff7829d90 in __libc_start_call_main ()\n" +
		"from /lib/x86_64-linux-gnu/libc.so.6\n" +
		"#3  0x00005555558c2683 in sc_conn_io_cb (t=0x5555561f7f10) at src/stconn.c:1824\n" +
		"at src/other.c:9\n"
	sigs, err := Parse("gdb.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sigs[0].Frames {
		got = append(got, fmt.Sprintf("%s %s:%d %s", f.Function, f.File, f.Line, f.Module))
	}
	want := []string{"co_data include/haproxy/channel.h:130 ", "sc_conn_send src/stconn.c:1637 ",
		"__libc_start_call_main :0 /lib/x86_64-linux-gnu/libc.so.6", "sc_conn_io_cb src/stconn.c:1824 "}
	if len(sigs) != 1 || sigs[0].Format != FormatGDB || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals (first %s) with frames %q, want one gdb report with %q", len(sigs), sigs[0].Format, got, want)
	}
}

// TestNativePastedFragments reads fragments of reports as they are pasted
// into commit messages: sanitizer frames without their headline, Valgrind
// errors without the "==PID==" prefixes.
func TestNativePastedFragments(t *testing.T) {
	tests := []struct {
		name, in, format, title string
		crash                   Frame
		stacks                  int
	}{
		{
			name: "sanitizer frames",
			in: "Fix the use after free in session_id():\n\n" +
				"    #0 0x55d00a6f3038 in session_id /home/ci/app/src/uaf.c:28:12\n" +
				"    #1 0x55d00a6f2ed5 in main /home/ci/app/src/uaf.c:35:17\n\n" +
				"Fixes: 0123456789ab (\"session: cache the id\")\n",
			format: FormatNative, title: "Fix the use after free in session_id()",
			crash: Frame{File: "/home/ci/app/src/uaf.c", Line: 28, Column: 12, Function: "session_id", InApp: true}, stacks: 1,
		},
		{
			name: "valgrind without prefixes",
			in: "  Invalid read of size 4\n" +
				"     at 0x10919C: session_id (uaf.c:28)\n" +
				"     by 0x10920F: main (uaf.c:35)\n" +
				"   Address 0x4a8e040 is 0 bytes inside a block of size 20 free'd\n" +
				"     at 0x484417B: free (vg_replace_malloc.c:872)\n" +
				"     by 0x1091D0: close_session (uaf.c:23)\n",
			format: FormatValgrind, title: "Invalid read of size 4",
			crash: Frame{File: "uaf.c", Line: 28, Function: "session_id", InApp: true}, stacks: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("msg", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			s := sigs[0]
			if s.Format != tt.format || s.Title != tt.title || len(s.Stacks) != tt.stacks {
				t.Errorf("got %s %q with %d stacks, want %s %q with %d", s.Format, s.Title, len(s.Stacks), tt.format, tt.title, tt.stacks)
			}
			if got := firstInApp(s); got == nil || *got != tt.crash {
				t.Errorf("crash frame: got %+v, want %+v", got, tt.crash)
			}
		})
	}
}

// TestNativeStacks checks the Stack numbering and names of a report with
// several stacks.
func TestNativeStacks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "asan", "uaf_clang.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := Parse("uaf", data)
	if err != nil {
		t.Fatal(err)
	}
	s := sigs[0]
	wantNames := []string{"READ of size 4 by thread T0", "freed by thread T0 here", "previously allocated by thread T0 here"}
	if strings.Join(s.Stacks, "|") != strings.Join(wantNames, "|") {
		t.Errorf("stacks: got %q, want %q", s.Stacks, wantNames)
	}
	prev := 0
	for d, f := range s.Frames {
		if f.Depth != d {
			t.Errorf("frame %d: depth %d", d, f.Depth)
		}
		if f.Stack < prev || f.Stack >= len(s.Stacks) {
			t.Errorf("frame %d: stack %d after %d of %d", d, f.Stack, prev, len(s.Stacks))
		}
		prev = f.Stack
	}
}

// TestNativeLongLines feeds long adversarial lines to every native parser;
// a quadratic scan would not finish.
func TestNativeLongLines(t *testing.T) {
	for _, unit := range []string{"(", "<", " a", "#0 ", "== ", "::(x)", "operator", "frame #1: a`", "[<", " at x:1", "+0x1/0x2 "} {
		l := strings.Repeat(unit, (256<<10)/len(unit))
		for _, in := range []string{l, "    #0 0x1 in " + l, "#0  0x1 in " + l + " at x.c:1", "==1== at 0x1: " + l + " (x.c:1)", "WARNING: AddressSanitizer: x\n" + l} {
			if _, err := Parse("long", []byte(in)); err != nil && !strings.Contains(err.Error(), "no stack trace") {
				t.Errorf("Parse: %v", err)
			}
		}
	}
}

// TestSystemModule: the system's and the runtimes' libraries, by folder
// or by name, on Linux, Android and Windows, are system modules; a
// program's own binaries and libraries are not.
func TestSystemModule(t *testing.T) {
	for m, want := range map[string]bool{
		"/lib/x86_64-linux-gnu/libc.so.6": true, "libc.so.6": true, "/usr/lib64/libstdc++.so.6": true,
		"/apex/com.android.runtime/lib64/bionic/libc.so": true, "/system/lib64/libhwui.so": true,
		`C:\Windows\System32\KERNELBASE.dll`: true, "libclang_rt.asan-x86_64.so": true,
		"/srv/shop/bin/shopd": false, "cart_asan": false, "/data/app/~~x==/com.shop-y==/lib/arm64/libshop.so": false,
		`D:\Shop\bin\shop.exe`: false, "": false,
	} {
		if got := SystemModule(m); got != want {
			t.Errorf("SystemModule(%q) = %v, want %v", m, got, want)
		}
	}
}
