package signal

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// everyFrame writes a frame as "function file:line module in-app/-" with
// its stack.
func everyFrame(f Frame) string {
	app := "-"
	if f.InApp {
		app = "app"
	}
	return fmt.Sprintf("%d %s %s:%d %s %s", f.Stack, f.Function, f.File, f.Line, f.Module, app)
}

// TestMinidumpStackwalk: minidump_stackwalk's report is one signal titled
// by the crash reason and the address it touched, the crashed thread's
// stack first, registers and "Found by:" lines skipped, frames of the C
// library and of unknown code not in-app.
func TestMinidumpStackwalk(t *testing.T) {
	in := "Operating system: Linux\n" +
		"                  0.0.0 Linux 6.1.0 #1 SMP x86_64\n" +
		"CPU: amd64\n" +
		"     8 CPUs\n" +
		"\n" +
		"GPU: UNKNOWN\n" +
		"\n" +
		"Crash reason:  SIGSEGV /SEGV_MAPERR\n" +
		"Crash address: 0x10\n" +
		"Process uptime: not available\n" +
		"\n" +
		"Thread 2 (crashed)\n" +
		" 0  quill!Renderer::draw(Frame const*) [renderer.cpp : 88 + 0x4]\n" +
		"    rax = 0x0000000000000000   rdx = 0x00007ffd4d0f0a28\n" +
		"    rip = 0x000055d0c1a5b1d6\n" +
		"    Found by: given as instruction pointer in context\n" +
		" 1  quill!render_loop [loop.cpp : 42 + 0x8]\n" +
		"    Found by: call frame info\n" +
		" 2  libc.so.6 + 0x29d90\n" +
		"    Found by: call frame info\n" +
		" 3  0x7ffd1c2e0b30\n" +
		"    Found by: stack scanning\n" +
		"\n" +
		"Thread 0\n" +
		" 0  libc.so.6!__poll + 0x4d\n" +
		" 1  quill!EventLoop::run() [event_loop.cc : 61 + 0x12]\n" +
		"\n" +
		"Loaded modules:\n" +
		"0x55d0c1a40000 - 0x55d0c1b5ffff  quill  ???  (main)\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		"0 Renderer::draw renderer.cpp:88 quill app",
		"0 render_loop loop.cpp:42 quill app",
		"0  :0 libc.so.6 -",
		"0  :0  -",
		"1 __poll :0 libc.so.6 -",
		"1 EventLoop::run event_loop.cc:61 quill app",
	}
	s := sigs[0]
	if len(sigs) != 1 || s.Format != FormatMinidump || s.Title != "SIGSEGV /SEGV_MAPERR at 0x10" || !slices.Equal(got, want) ||
		!slices.Equal(s.Stacks, []string{"Thread 2 (crashed)", "Thread 0"}) {
		t.Errorf("got %d signals, the first %s %q stacks %q frames\n%q\nwant minidump %q frames\n%q",
			len(sigs), s.Format, s.Title, s.Stacks, got, "SIGSEGV /SEGV_MAPERR at 0x10", want)
	}
}

// TestMinidumpFrameForms: the forms of a frame minidump_stackwalk prints,
// and the file paths of symbol files (Windows paths as printed, the paths
// of source servers reduced to the file in the repository).
func TestMinidumpFrameForms(t *testing.T) {
	tests := []struct {
		body                   string
		function, file, module string
		line                   int
		inApp                  bool
	}{
		{"myapp!Renderer::draw(Frame const*) [renderer.cpp : 88 + 0x4]", "Renderer::draw", "renderer.cpp", "myapp", 88, true},
		{`myapp.exe!main [c:\src\myapp\main.cc : 12 + 0x5]`, "main", `c:\src\myapp\main.cc`, "myapp.exe", 12, true},
		{"xul.dll!nsFrame::Reflow(nsPresContext*) [hg:hg.example.org/central:layout/generic/nsFrame.cpp:0a1b2c3d4e5f : 312 + 0x1a]", "nsFrame::Reflow", "layout/generic/nsFrame.cpp", "xul.dll", 312, true},
		{"app!route(Request&) [git:github.com/owner/repo:src/router/route.cc:4f1c2e9a7b3d5c8e1f0a2b4c6d8e0f1a2b3c4d5e : 77 + 0x0]", "route", "src/router/route.cc", "app", 77, true},
		{"app!route(Request&) [route.cc:4f1c2e9a7b3d : 77 + 0x0]", "route", "route.cc", "app", 77, true},
		{"app!inlined_helper [helper.h : 12]", "inlined_helper", "helper.h", "app", 12, true},
		{"app!Cache::get(Key const&) const + 0x2b", "Cache::get", "", "app", 0, true},
		{"libc.so.6 + 0x29d90", "", "", "libc.so.6", 0, false},
		{"Google Chrome Framework + 0x1a2b3c", "", "", "Google Chrome Framework", 0, false},
		{"0x7ffd1c2e0b30", "", "", "", 0, false},
		{"0x7ffd1c2e0b30 (unloaded plugin.dll@0x1b30)", "", "", "", 0, false},
		{"KERNELBASE.dll!RaiseException + 0x69", "RaiseException", "", "KERNELBASE.dll", 0, false},
		{"ucrtbase.dll!abort() + 0x4e", "abort", "", "ucrtbase.dll", 0, false},
		{"VCRUNTIME140.dll!_CxxThrowException + 0x90", "_CxxThrowException", "", "VCRUNTIME140.dll", 0, false},
		{"libpthread.so.0!start_thread [pthread_create.c : 463 + 0x8]", "start_thread", "pthread_create.c", "libpthread.so.0", 463, false},
		{"linux-gate.so + 0xd09", "", "", "linux-gate.so", 0, false},
		{"myapp.exe!`anonymous namespace'::Worker::run() [worker.cpp : 30 + 0x3]", "(anonymous namespace)::Worker::run", "worker.cpp", "myapp.exe", 30, true},
	}
	for _, tt := range tests {
		f, ok := minidumpFrame(tt.body)
		if !ok || f.Function != tt.function || f.File != tt.file || f.Line != tt.line || f.Module != tt.module || f.InApp != tt.inApp {
			t.Errorf("minidumpFrame(%q): got %v %+v, want %q %q:%d %q in-app %v", tt.body, ok, f, tt.function, tt.file, tt.line, tt.module, tt.inApp)
		}
	}
	for _, bad := range []string{"apples and pears", "a [b] c", "00000012`3456f6a8 00007ff6`12341234     myapp!f+0x2c"} {
		if f, ok := minidumpFrame(bad); ok {
			t.Errorf("minidumpFrame(%q): got %+v, want no frame", bad, f)
		}
	}
}

// TestMinidumpWithoutHeader: frames pasted without the report's header
// or thread line still read, the lone stack titled after the tool; two
// numbered lines of another kind do not.
func TestMinidumpWithoutHeader(t *testing.T) {
	in := "the renderer died:\n" +
		" 0  myapp!Renderer::draw(Frame const*) [renderer.cpp : 88 + 0x4]\n" +
		" 1  myapp!render_loop [loop.cpp : 42 + 0x8]\n" +
		" 2  libc.so.6 + 0x29d90\n" +
		" 3  0x7ffd1c2e0b30\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{"0 Renderer::draw renderer.cpp:88 myapp app", "0 render_loop loop.cpp:42 myapp app", "0  :0 libc.so.6 -", "0  :0  -"}
	if len(sigs) != 1 || sigs[0].Format != FormatMinidump || sigs[0].Title != "minidump stack" || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %s %q frames %q, want minidump \"minidump stack\" %q", len(sigs), sigs[0].Format, sigs[0].Title, got, want)
	}
	in = "Thread 0 (crashed)\n 0  app!Config::load() [config.cc : 40 + 0x2]\n"
	if sigs, err := Parse("t.txt", []byte(in)); err != nil || len(sigs[0].Frames) != 1 || sigs[0].Frames[0].File != "config.cc" {
		t.Errorf("one frame under a crashed thread's header: got %v %+v, want one signal", err, sigs)
	}
	for _, in := range []string{
		"0  apples\n1  pears\n",
		" 0  libc.so.6 + 0x29d90\n 1  libc.so.6 + 0x3a0f1\n", // no function: nothing to rank
		"Thread 3 exited with code 0\n 0  myapp!f [a.c : 1 + 0x0]\n",
	} {
		if r := parseMinidumpReports(in, splitLines(in)); len(r) != 0 {
			t.Errorf("parseMinidumpReports(%q): got %d reports %+v, want none", in, len(r), r)
		}
	}
}

// TestMinidumpTitles: the assertion of a minidump (Windows' invalid
// parameter handler, rust-minidump's) titles the report when it did not
// crash, and goes into the symptoms when it did; a crash address is only
// told for a fault on memory.
func TestMinidumpTitles(t *testing.T) {
	frames := "Thread 0 (requested dump, did not crash)\n 0  app!Config::load() [config.cc : 40 + 0x2]\n 1  app!main [main.cc : 9 + 0x5]\n"
	tests := []struct{ header, title string }{
		{"No crash\nAssertion: Invalid parameter passed to library function\n", "Invalid parameter passed to library function"},
		{"No crash\n", "minidump (no crash)"},
		{"Crash reason:  SIGABRT\nCrash address: 0x3e800001a2b\n", "SIGABRT"},
		{"Crash reason:  EXCEPTION_ACCESS_VIOLATION_WRITE\nCrash address: 0x0000000000000000 **\n    ** Null pointer detected with offset: 0x0\n", "EXCEPTION_ACCESS_VIOLATION_WRITE at 0x0"},
		{"Crash reason:  EXC_BAD_ACCESS / KERN_INVALID_ADDRESS\nCrash address: 0x8\n", "EXC_BAD_ACCESS / KERN_INVALID_ADDRESS at 0x8"},
	}
	for _, tt := range tests {
		sigs, err := Parse("dump.txt", []byte("Operating system: Windows NT\n"+tt.header+"Process uptime: 3 seconds\n\n"+frames))
		if err != nil || len(sigs) != 1 || sigs[0].Title != tt.title || len(sigs[0].Frames) != 2 || sigs[0].Frames[0].File != "config.cc" {
			t.Errorf("header %q: got %v %+v, want one signal titled %q", tt.header, err, sigs, tt.title)
		}
	}
	in := "Crash reason:  EXCEPTION_BREAKPOINT\nCrash address: 0x7ff6a1b2c3d4\nAssertion: Check failed: slots_.empty()\n\n" + strings.Replace(frames, "(requested dump, did not crash)", "(crashed)", 1)
	sigs, err := Parse("dump.txt", []byte(in))
	if err != nil || sigs[0].Title != "EXCEPTION_BREAKPOINT" || !slices.Contains(sigs[0].Symptoms, "slots_") {
		t.Errorf("got %v %+v, want the title EXCEPTION_BREAKPOINT and the assertion's words among the symptoms", err, sigs)
	}
}

// TestMinidumpTwoReports: two reports pasted one after the other are two
// signals.
func TestMinidumpTwoReports(t *testing.T) {
	one := "Crash reason:  SIGSEGV /SEGV_MAPERR\nCrash address: 0x0\n\nThread 0 (crashed)\n 0  app!a() [a.cc : 1 + 0x0]\n    Found by: given as instruction pointer in context\n\n"
	two := "Crash reason:  SIGBUS /BUS_ADRERR\nCrash address: 0x7f00\n\nThread 0 (crashed)\n 0  app!b() [b.cc : 2 + 0x0]\n 1  app!c() [c.cc : 3 + 0x0]\n\nLoaded modules:\n"
	sigs, err := Parse("two.txt", []byte(one+two))
	if err != nil || len(sigs) != 2 || sigs[0].Title != "SIGSEGV /SEGV_MAPERR at 0x0" || sigs[1].Title != "SIGBUS /BUS_ADRERR at 0x7f00" ||
		len(sigs[0].Frames) != 1 || len(sigs[1].Frames) != 2 || sigs[1].Frames[1].File != "c.cc" {
		t.Errorf("got %v %+v, want two signals of 1 and 2 frames", err, sigs)
	}
}

// TestMinidumpMachineReadable: the pipe-delimited form; its Crash line
// names the crashed thread, whose stack comes first.
func TestMinidumpMachineReadable(t *testing.T) {
	in := "OS|Linux|0.0.0 Linux 6.1.0 #1 SMP x86_64\n" +
		"CPU|amd64|family 6 model 158 stepping 10|8\n" +
		"GPU|||\n" +
		"Crash|SIGSEGV /SEGV_MAPERR|0x10|1\n" +
		"Module|myapp||myapp|0A1B2C3D4E5F60718293A4B5C6D7E8F90|0x55d0c1a40000|0x55d0c1b5ffff|1\n" +
		"\n" +
		"1|0|myapp|Renderer::draw(Frame const*)|/src/renderer.cpp|88|0x4\n" +
		"1|1|myapp|render_loop|/src/loop.cpp|42|0x8\n" +
		"1|2|libc.so.6||||0x29d90\n" +
		"1|3|||||0x7ffd1c2e0b30\n" +
		"0|0|libc.so.6|__poll|||0x4d\n" +
		"0|1|myapp|EventLoop::run()|/src/event_loop.cc|61|0x12\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		"0 Renderer::draw /src/renderer.cpp:88 myapp app",
		"0 render_loop /src/loop.cpp:42 myapp app",
		"0  :0 libc.so.6 -",
		"0  :0  -",
		"1 __poll :0 libc.so.6 -",
		"1 EventLoop::run /src/event_loop.cc:61 myapp app",
	}
	if len(sigs) != 1 || sigs[0].Title != "SIGSEGV /SEGV_MAPERR at 0x10" || !slices.Equal(got, want) ||
		!slices.Equal(sigs[0].Stacks, []string{"Thread 1 (crashed)", "Thread 0"}) {
		t.Errorf("got %d signals, the first %q stacks %q frames\n%q\nwant\n%q", len(sigs), sigs[0].Title, sigs[0].Stacks, got, want)
	}
}

func TestSourceServerPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hg:hg.mozilla.org/mozilla-central:dom/base/Element.cpp:0123456789ab", "dom/base/Element.cpp"},
		{"git:github.com/owner/repo:src/file.cc:4f1c2e9a7b3d5c8e1f0a2b4c6d8e0f1a2b3c4d5e", "src/file.cc"},
		{"Element.cpp:0123456789ab", "Element.cpp"},
		{"Element.cpp:", "Element.cpp"},
		{`c:\src\myapp\main.cc`, `c:\src\myapp\main.cc`},
		{"/build/app/src/main.cc", "/build/app/src/main.cc"},
		{"weird:name.cc", "weird:name.cc"},
	}
	for _, tt := range tests {
		if got := sourceServerPath(tt.in); got != tt.want {
			t.Errorf("sourceServerPath(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSystemModuleFrame: the libraries of Windows and its runtimes,
// whatever their case and with or without ".dll", and of Linux and
// macOS, are the system's; the program's own modules are not.
func TestSystemModuleFrame(t *testing.T) {
	for _, m := range []string{"ntdll", "ntdll.dll", "KERNEL32", "KERNEL32.DLL", "KERNELBASE", "kernelbase.dll", "ucrtbase", "ucrtbase.dll",
		"MSVCP140", "msvcp140.dll", "VCRUNTIME140", "vcruntime140_1.dll", "libc.so.6", "libpthread.so.0", "ld-linux-x86-64.so.2",
		"linux-gate.so", "libsystem_kernel.dylib", "libsystem_pthread.dylib", "user32.dll", "api-ms-win-core-synch-l1-2-0.dll"} {
		if !systemModuleFrame("f", m) {
			t.Errorf("systemModuleFrame(f, %q): got false, want true", m)
		}
	}
	for _, m := range []string{"myapp", "myapp.exe", "mapedit", "xul.dll", "Google Chrome Framework", "libmyapp.so", "Qt5Core.dll", ""} {
		if systemModuleFrame("f", m) {
			t.Errorf("systemModuleFrame(f, %q): got true, want false", m)
		}
	}
	if !systemModuleFrame("wWinMainCRTStartup", "myapp.exe") || IsInApp(FormatMinidump, "", "wWinMainCRTStartup", "myapp.exe") {
		t.Error("wWinMainCRTStartup: got the program's code, want the C runtime's")
	}
}

// TestMinidumpFrameGap: a frame number skipped (a frame the poster left
// out, with or without a "[…]" line in its place) does not end the
// stack: the frames after it are kept.
func TestMinidumpFrameGap(t *testing.T) {
	for _, elision := range []string{"", "[…]\n", "...\n"} {
		in := "Thread 0 (crashed)\n" +
			" 0  tiler!main [tiler.c : 3 + 0x0]\n" +
			"    Found by: given as instruction pointer in context\n" +
			" 1  tiler!grow [tiler.c : 9 + 0x0]\n" +
			elision +
			" 3  tiler!shrink [tiler.c : 19 + 0x0]\n" +
			" 4  libc.so.6 + 0x29d90\n"
		_, got := parseFrames(t, in, everyFrame)
		want := []string{"0 main tiler.c:3 tiler app", "0 grow tiler.c:9 tiler app", "0 shrink tiler.c:19 tiler app", "0  :0 libc.so.6 -"}
		if !slices.Equal(got, want) {
			t.Errorf("elision %q: got frames\n%q\nwant\n%q", elision, got, want)
		}
	}
}

// TestMinidumpMidStack: a paste that starts in the middle of a stack
// (its first frame numbered 25) is read when its frames are plainly
// minidump_stackwalk's (a module, a function and a [file : line + 0x..]
// location), with or without the thread's header.
func TestMinidumpMidStack(t *testing.T) {
	frames := "25  Blend!Shell::runLoop() [shell.cpp:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 : 512 + 0xc]\n" +
		"    rbp = 0x00007ffeea75d220   rsp = 0x00007ffeea75d090\n" +
		"    Found by: previous frame's frame pointer\n" +
		"26  Blend!Shell::start(int, char**) [shell.cpp:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 : 640 + 0x7]\n" +
		"27  blend!main [main.cpp:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 : 33 + 0x8c]\n" +
		"28  libdyld.dylib!start + 0x0\n" +
		"\n" +
		"Thread 1\n" +
		" 0  libsystem_kernel.dylib!kevent + 0xa\n"
	want := []string{"0 Shell::runLoop shell.cpp:512 Blend app", "0 Shell::start shell.cpp:640 Blend app", "0 main main.cpp:33 blend app", "0 start :0 libdyld.dylib -", "1 kevent :0 libsystem_kernel.dylib -"}
	for _, head := range []string{"", "Thread 0 (crashed)\n"} {
		sigs, err := Parse("trace.txt", []byte(head+frames))
		if err != nil {
			t.Errorf("header %q: %v", head, err)
			continue
		}
		var got []string
		for _, f := range sigs[0].Frames {
			got = append(got, everyFrame(f))
		}
		if len(sigs) != 1 || sigs[0].Format != FormatMinidump || !slices.Equal(got, want) {
			t.Errorf("header %q: got %d signals, the first %s with frames\n%q\nwant\n%q", head, len(sigs), sigs[0].Format, got, want)
		}
	}
	// Numbered lines of another kind, or frames without a location, do
	// not start a stack in the middle.
	for _, in := range []string{
		"25  libfoo.so + 0x1a2b\n26  libfoo.so + 0x1a3c\n",
		"25  app!f + 0x1\n26  app!g + 0x2\n",
	} {
		if r := parseMinidumpReports(in, splitLines(in)); len(r) != 0 {
			t.Errorf("parseMinidumpReports(%q): got %d reports, want none", in, len(r))
		}
	}
}

// TestMinidumpPlaceholders: Breakpad's "<name omitted>" is no function
// (the frame keeps its file and line), a module a poster replaced by
// "<customer's module>" leaves a frame without a function rather than
// losing the report, and the linker's _init and _fini, a nearest symbol
// stack scanning or a stripped module name, are not the program's code.
func TestMinidumpPlaceholders(t *testing.T) {
	tests := []struct {
		body                   string
		function, file, module string
		line                   int
		inApp                  bool
	}{
		{"libnode.dylib!<name omitted> [api.cc : 321 + 0x8]", "", "api.cc", "libnode.dylib", 321, true},
		{"libnode.dylib!<name omitted> + 0x8", "", "", "libnode.dylib", 0, false},
		{"<customer's module> + 0x355d008", "", "", "<customer's module>", 0, false},
		{"libgizmo.so!_fini + 0x1f2e3", "_fini", "", "libgizmo.so", 0, false},
		{"libgizmo.so!_init + 0x10", "_init", "", "libgizmo.so", 0, false},
		{"app!operator< + 0x10", "operator<", "", "app", 0, true},
	}
	for _, tt := range tests {
		f, ok := minidumpFrame(tt.body)
		if !ok || f.Function != tt.function || f.File != tt.file || f.Line != tt.line || f.Module != tt.module || f.InApp != tt.inApp {
			t.Errorf("minidumpFrame(%q): got %v %+v, want %q %q:%d %q in-app %v", tt.body, ok, f, tt.function, tt.file, tt.line, tt.module, tt.inApp)
		}
	}
	in := "Crash reason:  EXC_BAD_ACCESS / KERN_INVALID_ADDRESS\nCrash address: 0x0\n\n" +
		"Thread 14  (crashed)\n" +
		" 0  <customer's module> + 0x355d008\n" +
		"    Found by: given as instruction pointer in context\n" +
		" 1  <customer's module> + 0x355d004\n" +
		"[…]\n" +
		"23  libsystem_pthread.dylib + 0x74e8\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{"0  :0 <customer's module> -", "0  :0 <customer's module> -", "0  :0 libsystem_pthread.dylib -"}
	if len(sigs) != 1 || sigs[0].Title != "EXC_BAD_ACCESS / KERN_INVALID_ADDRESS at 0x0" || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %q frames\n%q\nwant\n%q", len(sigs), sigs[0].Title, got, want)
	}
	// The machine-readable form: the same placeholders.
	in = "Crash|SIGSEGV|0x0|0\n" +
		"0|0|libgizmo.so|_fini|||0x1f2e3\n" +
		"0|1|libnode.dylib|<name omitted>|api.cc|321|0x8\n" +
		"0|2|app|Widget::paint()|/src/widget.cc|40|0x4\n"
	_, got = parseFrames(t, in, everyFrame)
	want = []string{"0 _fini :0 libgizmo.so -", "0  api.cc:321 libnode.dylib app", "0 Widget::paint /src/widget.cc:40 app app"}
	if !slices.Equal(got, want) {
		t.Errorf("machine-readable: got frames\n%q\nwant\n%q", got, want)
	}
}

// TestMinidumpOffsets: a minidump_stackwalk frame printed as a module and
// an offset ("libc.so.6 + 0x29d90", a machine-readable frame without a
// function) keeps that offset; a symbol's offset, a source line's, a bare
// address and a module the poster would not name give none. The JSON
// report's frames keep their module_offset, functions inlined at it too,
// and, in a Linux or Android dump, their module's code_id (its GNU build
// ID) as their build ID; Windows' code_id, a PE timestamp and size, is
// none.
func TestMinidumpOffsets(t *testing.T) {
	linuxJSON := func(offset string) string {
		return `{"crash_info":{"type":"SIGSEGV /SEGV_MAPERR","address":"0x10"},"system_info":{"os":"Linux"},` +
			`"threads":[{"thread_name":"shopd","frames":[` +
			`{"module":"libshop.so","module_offset":` + offset + `,"function":"Cart::total()","file":"/src/cart.cc","line":42,` +
			`"inlines":[{"function":"Item::price() const","file":"/src/item.h","line":7}]},` +
			`{"module":"shopd","module_offset":"0x0000000000001a2b","function":null},` +
			`{"module":null,"offset":"0x00007ffd1c2e0b30","module_offset":null}]}],` +
			`"crashing_thread":{"threads_index":0},` +
			`"modules":[{"filename":"libshop.so","code_id":"5E1F0C9A7B3D42E8A1C6F09B8D7E2A41C0FFEE00","debug_id":"9A0C1F5E3D7BE842A1C6F09B8D7E2A410"},` +
			`{"filename":"shopd","code_id":null},{"filename":7,"code_id":[]}]}`
	}
	const shop = "5e1f0c9a7b3d42e8a1c6f09b8d7e2a41c0ffee00"
	checkOffsetRows(t, []offsetRow{
		{"text", "testdata/minidump/breakpad_linux_segv.txt", FormatMinidump, []string{
			"Renderer::draw tilemill - -",
			"render_loop tilemill - -",
			"main tilemill - -",
			"- libc.so.6 0x29d90 -",
			"__libc_start_main libc.so.6 - -",
			"_start tilemill - -",
			"- - - -",
		}},
		{"machine-readable", "testdata/minidump/machine_readable.txt", FormatMinidump, []string{
			"__pthread_kill_implementation libc.so.6 - -",
			"raise libc.so.6 - -",
			"abort libc.so.6 - -",
			"TileCache::insert tilemill - -",
			"Loader::finish tilemill - -",
			"Worker::run tilemill - -",
			"- libc.so.6 0x94ac3 -",
			"- libc.so.6 0x91117 -",
			"main tilemill - -",
			"__libc_start_main libc.so.6 - -",
		}},
		{"windows frames", "testdata/minidump/frames_only.txt", FormatMinidump, []string{
			"Renderer::draw mapedit.exe - -",
			"RenderLoop::tick mapedit.exe - -",
			"wWinMain mapedit.exe - -",
			"- mapedit.exe 0x2e2f2 -",
			"- kernel32.dll 0x17034 -",
			"- ntdll.dll 0x52651 -",
		}},
		{"placeholder", "Thread 0 (crashed)\n 0  <customer's module> + 0x355d008\n 1  libshop.so!Cart::total() + 0x10\n 2  libshop.so + 0x1234\n 3  0x7ffd1c2e0b30\n",
			FormatMinidump, []string{
				"- <customer's module> - -",
				"Cart::total libshop.so - -",
				"- libshop.so 0x1234 -",
				"- - - -",
			}},
		{"json windows", "testdata/minidump/rust_minidump_windows_stackwalk.json", FormatMinidump, []string{
			"Layer::visible_bounds mapedit.exe 0x1000 -",
			"Renderer::draw mapedit.exe 0x1000 -",
			"RenderLoop::tick mapedit.exe 0x1000 -",
		}},
		{"json linux", linuxJSON(`"0x000000000004fb2c"`), FormatMinidump, []string{
			"Item::price libshop.so 0x4fb2c " + shop,
			"Cart::total libshop.so 0x4fb2c " + shop,
			"- shopd 0x1a2b -",
			"- - - -",
		}},
		{"json odd offset", linuxJSON(`4242`), FormatMinidump, []string{
			"Item::price libshop.so - " + shop,
			"Cart::total libshop.so - " + shop,
			"- shopd 0x1a2b -",
			"- - - -",
		}},
	})
}
