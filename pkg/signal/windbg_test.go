package signal

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWinDbgStackForms: the stacks of k, kn, kb, kp and kv, x64 and x86,
// with and without frame numbers and source lines, each one stack of
// frames: the program's in-app, Windows' and the C runtime's not.
func TestWinDbgStackForms(t *testing.T) {
	want := []string{
		`0 Renderer::draw C:\src\myapp\src\renderer.cpp:88 myapp app`,
		`0 main C:\src\myapp\src\main.cpp:12 myapp app`,
		"0 BaseThreadInitThunk :0 KERNEL32 -",
		"0 RtlUserThreadStart :0 ntdll -",
	}
	tests := []struct{ name, in string }{
		{"kn x64", "0:000> kn\n" +
			" # Child-SP          RetAddr               Call Site\n" +
			"00 00000012`3456f6a8 00007ff6`12341234     myapp!Renderer::draw+0x2c [C:\\src\\myapp\\src\\renderer.cpp @ 88] \n" +
			"01 00000012`3456f6b0 00007ffd`4b5a7034     myapp!main+0x15 [C:\\src\\myapp\\src\\main.cpp @ 12] \n" +
			"02 00000012`3456f6e0 00007ffd`4c8e2651     KERNEL32!BaseThreadInitThunk+0x14\n" +
			"03 00000012`3456f710 00000000`00000000     ntdll!RtlUserThreadStart+0x21\n"},
		{"k without numbers", "Child-SP          RetAddr           Call Site\n" +
			"00000012`3456f6a8 00007ff6`12341234 myapp!Renderer::draw+0x2c [C:\\src\\myapp\\src\\renderer.cpp @ 88]\n" +
			"00000012`3456f6b0 00007ffd`4b5a7034 myapp!main+0x15 [C:\\src\\myapp\\src\\main.cpp @ 12]\n" +
			"00000012`3456f6e0 00007ffd`4c8e2651 KERNEL32!BaseThreadInitThunk+0x14\n" +
			"00000012`3456f710 00000000`00000000 ntdll!RtlUserThreadStart+0x21\n"},
		{"kb x64", " # RetAddr               : Args to Child                                                           : Call Site\n" +
			"00 00007ff6`12341234     : 00000000`00000000 00000000`00000001 00000000`00000002 00000000`00000003 : myapp!Renderer::draw+0x2c [C:\\src\\myapp\\src\\renderer.cpp @ 88]\n" +
			"01 00007ffd`4b5a7034     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : myapp!main+0x15 [C:\\src\\myapp\\src\\main.cpp @ 12]\n" +
			"02 00007ffd`4c8e2651     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : KERNEL32!BaseThreadInitThunk+0x14\n" +
			"03 00000000`00000000     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : ntdll!RtlUserThreadStart+0x21\n"},
		{"kp x64", " # Child-SP          RetAddr               Call Site\n" +
			"00 00000012`3456f6a8 00007ff6`12341234     myapp!Renderer::draw(class Frame * f = 0x00000000`00000000)+0x2c [C:\\src\\myapp\\src\\renderer.cpp @ 88]\n" +
			"01 00000012`3456f6b0 00007ffd`4b5a7034     myapp!main(int argc = 0n1, char ** argv = 0x000001d2`4c6a1f30)+0x15 [C:\\src\\myapp\\src\\main.cpp @ 12]\n" +
			"02 00000012`3456f6e0 00007ffd`4c8e2651     KERNEL32!BaseThreadInitThunk+0x14\n" +
			"03 00000012`3456f710 00000000`00000000     ntdll!RtlUserThreadStart+0x21\n"},
		{"kv x86", "ChildEBP RetAddr  Args to Child              \n" +
			"0019fe8c 00401234 00000000 00000001 7ffdf000 myapp!Renderer::draw+0x2c (FPO: [Non-Fpo]) (CONV: thiscall) [C:\\src\\myapp\\src\\renderer.cpp @ 88]\n" +
			"0019ff3c 76f3fa29 00000001 00591e40 00592f18 myapp!main+0x15 (FPO: [Non-Fpo]) (CONV: cdecl) [C:\\src\\myapp\\src\\main.cpp @ 12]\n" +
			"0019ff4c 77b87a9e 7ffdf000 5f6e3e4f 00000000 KERNEL32!BaseThreadInitThunk+0x19 (FPO: [Non-Fpo])\n" +
			"0019ff94 77b87a6e ffffffff 77ba8f1b 00000000 ntdll!RtlUserThreadStart+0x2f (FPO: [SEH])\n"},
		{"STACK_TEXT with lines", "STACK_TEXT:  \n" +
			"00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 00000000`00000001 00000000`00000002 00000000`00000003 : myapp!Renderer::draw+0x2c [C:\\src\\myapp\\src\\renderer.cpp @ 88]\n" +
			"00000012`3456f6b0 00007ffd`4b5a7034     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : myapp!main+0x15 [C:\\src\\myapp\\src\\main.cpp @ 12]\n" +
			"00000012`3456f6e0 00007ffd`4c8e2651     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : KERNEL32!BaseThreadInitThunk+0x14\n" +
			"00000012`3456f710 00000000`00000000     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : ntdll!RtlUserThreadStart+0x21\n" +
			"\n\nSYMBOL_NAME:  myapp!Renderer::draw+2c\n"},
	}
	for _, tt := range tests {
		sigs, got := parseFrames(t, tt.in, everyFrame)
		if len(sigs) != 1 || sigs[0].Format != FormatWinDbg || !slices.Equal(got, want) {
			t.Errorf("%s: got %d signals, the first %s with frames\n%q\nwant windbg\n%q", tt.name, len(sigs), sigs[0].Format, got, want)
		}
	}
}

// TestWinDbgAnalyze: !analyze -v's STACK_TEXT (no source lines) is the
// crash stack, titled by the exception and the faulting symbol; the
// faulting frame takes FAULTING_SOURCE_FILE and its line number.
func TestWinDbgAnalyze(t *testing.T) {
	in := "EXCEPTION_CODE_STR:  c0000005\n\n" +
		"STACK_TEXT:  \n" +
		"00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 00000000`00000001 00000000`00000002 00000000`00000003 : myapp!Renderer::draw+0x2c\n" +
		"00000012`3456f6b0 00007ff6`12345678     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : myapp+0x1a2b\n" +
		"00000012`3456f6c0 00007ffd`4b5a7034     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : myapp!main+0x15\n" +
		"00000012`3456f6e0 00007ffd`4c8e2651     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : KERNEL32!BaseThreadInitThunk+0x14\n" +
		"\n\n" +
		"FAULTING_SOURCE_FILE:  C:\\src\\myapp\\src\\renderer.cpp\n\n" +
		"FAULTING_SOURCE_LINE_NUMBER:  88\n\n" +
		"SYMBOL_NAME:  myapp!Renderer::draw+2c\n\n" +
		"FAILURE_BUCKET_ID:  NULL_CLASS_PTR_READ_c0000005_myapp.exe!Renderer::draw\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		`0 Renderer::draw C:\src\myapp\src\renderer.cpp:88 myapp app`,
		"0  :0 myapp -",
		"0 main :0 myapp app",
		"0 BaseThreadInitThunk :0 KERNEL32 -",
	}
	title := "c0000005 (Access violation) in myapp!Renderer::draw+2c"
	if len(sigs) != 1 || sigs[0].Title != title || !slices.Equal(got, want) || !slices.Equal(sigs[0].Stacks, []string{"STACK_TEXT"}) {
		t.Errorf("got %d signals, the first %q stacks %q frames\n%q\nwant %q\n%q", len(sigs), sigs[0].Title, sigs[0].Stacks, got, title, want)
	}
	if !slices.Equal(sigs[0].Symptoms, []string{"access", "violation", "renderer", "draw"}) {
		t.Errorf("got symptoms %q, want the exception's and the function's words", sigs[0].Symptoms)
	}
	// Without an exception code, the bucket titles it.
	in = "STACK_TEXT:  \n00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 : myapp!Renderer::draw+0x2c\n\nFAILURE_BUCKET_ID:  NULL_CLASS_PTR_READ_c0000005_myapp.exe!Renderer::draw\n"
	if sigs, err := Parse("analyze.txt", []byte(in)); err != nil || sigs[0].Title != "NULL_CLASS_PTR_READ_c0000005_myapp.exe!Renderer::draw" {
		t.Errorf("got %v %+v, want the bucket as the title", err, sigs)
	}
	// A SYMBOL_NAME that names no symbol ("module!function") is what
	// !analyze prints when it found none: not the faulting function.
	for _, sym := range []string{"ANALYSIS_INCONCLUSIVE", "unknown!myapp.exe"} {
		in = "EXCEPTION_CODE_STR:  c0000005\n\nSTACK_TEXT:  \n00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 : myapp!Renderer::draw+0x2c\n\nSYMBOL_NAME:  " + sym + "\n"
		if sigs, err := Parse("analyze.txt", []byte(in)); err != nil || sigs[0].Title != "c0000005 (Access violation)" || slices.Contains(sigs[0].Symptoms, "inconclusive") {
			t.Errorf("SYMBOL_NAME %s: got %v %+v, want the exception alone as the title", sym, err, sigs)
		}
	}
}

// TestWinDbgThreads: "~*k" after the debugger stopped on an exception:
// one signal titled by the event, the current thread's stack first,
// inlined frames kept, warnings skipped, a stack printed twice kept once.
func TestWinDbgThreads(t *testing.T) {
	in := "(1cf4.1d08): Access violation - code c0000005 (first chance)\n" +
		"0:002> ~*k\n\n" +
		"   0  Id: 1cf4.1d08 Suspend: 1 Teb: 000000e4`a3376000 Unfrozen\n" +
		" # Child-SP          RetAddr               Call Site\n" +
		"00 000000e4`a33ff8a8 00007ffd`4c8b5a0e     ntdll!NtWaitForMultipleObjects+0x14\n" +
		"01 000000e4`a33ff8b0 00007ff6`a1b2a0c5     myapp!App::wait+0x20 [C:\\src\\app.cpp @ 30]\n\n" +
		".  2  Id: 1cf4.1e40 Suspend: 1 Teb: 000000e4`a337a000 Unfrozen\n" +
		" # Child-SP          RetAddr               Call Site\n" +
		"00 (Inline Function) --------`--------     myapp!Layer::bounds+0x4 [C:\\src\\layer.h @ 54]\n" +
		"01 000000e4`a35ff6f8 00007ffd`4a1d8c3e     myapp!Renderer::draw+0x1c [C:\\src\\renderer.cpp @ 88]\n" +
		"WARNING: Stack unwind information not available. Following frames may be wrong.\n" +
		"02 000000e4`a35ff700 00007ff6`a1b3f1a2     0x7ff6a1b3f1a2\n" +
		"03 000000e4`a35ff7a0 00007ff6`a1b3e0d9     <Unloaded_plugin.dll>+0x1a2b\n" +
		"0:002> k\n" +
		" # Child-SP          RetAddr               Call Site\n" +
		"00 (Inline Function) --------`--------     myapp!Layer::bounds+0x4 [C:\\src\\layer.h @ 54]\n" +
		"01 000000e4`a35ff6f8 00007ffd`4a1d8c3e     myapp!Renderer::draw+0x1c [C:\\src\\renderer.cpp @ 88]\n" +
		"WARNING: Stack unwind information not available. Following frames may be wrong.\n" +
		"02 000000e4`a35ff700 00007ff6`a1b3f1a2     0x7ff6a1b3f1a2\n" +
		"03 000000e4`a35ff7a0 00007ff6`a1b3e0d9     <Unloaded_plugin.dll>+0x1a2b\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		`0 Layer::bounds C:\src\layer.h:54 myapp app`,
		`0 Renderer::draw C:\src\renderer.cpp:88 myapp app`,
		"0  :0  -",
		"0  :0  -",
		"1 NtWaitForMultipleObjects :0 ntdll -",
		`1 App::wait C:\src\app.cpp:30 myapp app`,
	}
	stacks := []string{"thread 2 (Id: 1cf4.1e40)", "thread 0 (Id: 1cf4.1d08)"}
	if len(sigs) != 1 || sigs[0].Title != "Access violation - code c0000005" || !slices.Equal(got, want) || !slices.Equal(sigs[0].Stacks, stacks) {
		t.Errorf("got %d signals, the first %q stacks %q frames\n%q\nwant stacks %q frames\n%q", len(sigs), sigs[0].Title, sigs[0].Stacks, got, stacks, want)
	}
}

// TestWinDbgNotFrames: lines that look like a stack's but are not.
func TestWinDbgNotFrames(t *testing.T) {
	for _, l := range []string{
		"rax=0000000000000000 rbx=000001d24c6a1f30 rcx=0000000000000000",
		"00007ff6`a1b2c3d4 8b4110          mov     eax,dword ptr [rcx+10h] ds:00000000`00000010=????????",
		"00000012`3456f6a8 00007ff6`12341234",
		"00 myapp!main+0x15",
		"0019ff3c 00401234 not a frame at all",
		"00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 myapp!main+0x15",
	} {
		if f, ok := winDbgFrame(l); ok {
			t.Errorf("winDbgFrame(%q): got %+v, want no frame", l, f)
		}
	}
}

// TestVSCallStack: Visual Studio's Call Stack window, copied with tabs or
// pasted with spaces: function-only frames with their lines, the
// program's in-app, Windows' and the C runtime's not; C# frames judged by
// .NET's rules.
func TestVSCallStack(t *testing.T) {
	want := []string{
		"0 Renderer::draw :88 myapp.exe app",
		"0 render_loop :42 myapp.exe app",
		"0 main :12 myapp.exe app",
		"0 invoke_main :79 myapp.exe -",
		"0 BaseThreadInitThunk :0 kernel32.dll -",
	}
	for _, in := range []string{
		">\tmyapp.exe!Renderer::draw(const Frame * f) Line 88\tC++\n" +
			" \tmyapp.exe!render_loop() Line 42\tC++\n" +
			" \tmyapp.exe!main(int argc, char * * argv) Line 12\tC++\n" +
			" \t[External Code]\t\n" +
			" \t[Inline Frame] myapp.exe!invoke_main() Line 79\tC++\n" +
			" \tkernel32.dll!BaseThreadInitThunk()\tUnknown\n",
		"    myapp.exe!Renderer::draw(const Frame * f) Line 88 + 0x1c bytes    C++\n" +
			"    myapp.exe!render_loop() Line 42 + 0x8 bytes    C++\n" +
			"    myapp.exe!main(int argc, char * * argv) Line 12    C++\n" +
			"    myapp.exe!invoke_main() Line 79    C++\n" +
			"    kernel32.dll!BaseThreadInitThunk()\n",
	} {
		sigs, got := parseFrames(t, in, everyFrame)
		if len(sigs) != 1 || sigs[0].Format != FormatWinDbg || sigs[0].Title != "Visual Studio call stack" || !slices.Equal(got, want) {
			t.Errorf("got %d signals, the first %s %q frames\n%q\nwant\n%q", len(sigs), sigs[0].Format, sigs[0].Title, got, want)
		}
	}
	in := "Unhandled exception at 0x00007FFC1A2B3C4D (KernelBase.dll) in Shop.exe: 0xE0434352 (parameters: 0x0).\n" +
		">\tShop.dll!Shop.Orders.OrderService.Place(Shop.Orders.Order order) Line 57\tC#\n" +
		" \tSystem.Private.CoreLib.dll!System.Threading.Tasks.Task.InnerInvoke()\tC#\n" +
		" \tShop.dll!Shop.Program.Main(string[] args) Line 12\tC#\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want = []string{
		"0 Shop.Orders.OrderService.Place :57 Shop.dll app",
		"0 System.Threading.Tasks.Task.InnerInvoke :0 System.Private.CoreLib.dll -",
		"0 Shop.Program.Main :12 Shop.dll app",
	}
	if len(sigs) != 1 || sigs[0].Title != "0xE0434352 (parameters: 0x0)" || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %q frames\n%q\nwant\n%q", len(sigs), sigs[0].Title, got, want)
	}
	// A module!function without a parameter list or a line is no Visual
	// Studio frame (WinDbg's "KERNELBASE!RaiseException+0x58" is not).
	for _, in := range []string{"myapp.exe!main+0x15\nmyapp.exe!f+0x2\n", "see myapp.exe!main() and x.dll!f() Line 2\n"} {
		if r := parseVSCallStacks(splitLines(in)); len(r) != 0 {
			t.Errorf("parseVSCallStacks(%q): got %+v, want nothing", in, r)
		}
	}
}

// TestWinDbgPlaceholderSymbols: WinDbg's "unknown" module (a stack it
// could not place in any image) and a DLL's export by ordinal
// ("Ordinal488", the nearest export, no function of its code) name no
// function.
func TestWinDbgPlaceholderSymbols(t *testing.T) {
	tests := []struct {
		site, function, module string
	}{
		{"unknown!quarry-dbg-32.exe+0x0", "", ""},
		{"dbgeng!Ordinal488+0xe6b1d", "", "dbgeng"},
		{"quarry!OrdinalSet::add+0x10", "OrdinalSet::add", "quarry"},
	}
	for _, tt := range tests {
		f, ok := winDbgCallSite(tt.site)
		if !ok || f.Function != tt.function || f.Module != tt.module || f.InApp != (tt.function != "") {
			t.Errorf("winDbgCallSite(%q): got %v %+v, want function %q module %q", tt.site, ok, f, tt.function, tt.module)
		}
	}
}

// TestWinDbgSessionTime: the "Debug session time:" cdb and WinDbg print
// on opening a dump is the signal's time, its zone applied.
func TestWinDbgSessionTime(t *testing.T) {
	stack := "STACK_TEXT:  \n00000012`3456f6a8 00007ff6`12341234     : 00000000`00000000 00000000`00000001 : myapp!Renderer::draw+0x2c\n"
	tests := []struct{ line, want string }{
		{"Debug session time: Wed Mar  4 17:58:22.000 2020 (UTC - 7:00)", "2020-03-05T00:58:22Z"},
		{"Debug session time: Sun Oct 11 09:05:07.123 2015 (UTC + 5:30)", "2015-10-11T03:35:07.123Z"},
		{"Debug session time: Thu Feb 11 13:53:12 2010 (GMT-8)", "2010-02-11T21:53:12Z"},
		{"Debug session time: Mon Jan  6 08:00:00.000 2025 (UTC + 0:00)", "2025-01-06T08:00:00Z"},
	}
	for _, tt := range tests {
		sigs, err := Parse("cdb.txt", []byte("Microsoft (R) Windows Debugger Version 10.0.22621.2428 AMD64\n"+tt.line+"\nSystem Uptime: not available\n\n"+stack))
		if err != nil || len(sigs) != 1 || sigs[0].Timestamp == nil || sigs[0].Timestamp.Format(time.RFC3339Nano) != tt.want {
			t.Errorf("%q: got %v %+v, want the time %s", tt.line, err, sigs, tt.want)
		}
	}
	// The same on the real clock: a dump opened an hour ago, east of UTC.
	now := time.Now().Add(-time.Hour).Truncate(time.Millisecond).In(time.FixedZone("", 2*3600))
	line := "Debug session time: " + now.Format("Mon Jan _2 15:04:05.000 2006") + " (UTC + 2:00)"
	if sigs, err := Parse("cdb.txt", []byte(line+"\n\n"+stack)); err != nil || sigs[0].Timestamp == nil || !sigs[0].Timestamp.Equal(now) {
		t.Errorf("%q: got %v %+v, want the time %v", line, err, sigs, now)
	}
	for _, bad := range []string{"Debug session time: not available", "Debug session time: Wed Mar  4 17:58:22.000 2020 (UTC - 99:00)"} {
		if sigs, err := Parse("cdb.txt", []byte(bad+"\n"+stack)); err != nil || sigs[0].Timestamp != nil {
			t.Errorf("%q: got %v %+v, want no time", bad, err, sigs)
		}
	}
}

// TestWinDbgAnalyzeThenSources: !analyze's STACK_TEXT names no source
// lines; the same stack printed after it by ".ecxr; kn" does, with the
// inlined frames between: that one is the crash stack, printed once.
func TestWinDbgAnalyzeThenSources(t *testing.T) {
	in := "EXCEPTION_CODE_STR:  c0000005\n\n" +
		"STACK_TEXT:  \n" +
		"000000a1`2b3fc0f0 00007ff7`1dd5c95e : 00000000`00000000 00000000`00000001 : quarry!Heap::isMarked+0x1b\n" +
		"000000a1`2b3fc130 00007ff7`1e73123e : 00000000`00000000 00000000`00000001 : quarry!Cell::arena+0xe\n" +
		"000000a1`2b3fc170 00007ff7`1e71ae69 : 00000000`00000000 00000000`00000001 : quarry!Tracer::move+0x8e\n" +
		"000000a1`2b3fc1c0 00007ffd`4b5a7034 : 00000000`00000000 00000000`00000001 : KERNEL32!BaseThreadInitThunk+0x14\n" +
		"\n\n" +
		"FAULTING_SOURCE_FILE:  c:\\src\\quarry\\heap.h\n\n" +
		"FAULTING_SOURCE_LINE_NUMBER:  338\n\n" +
		"SYMBOL_NAME:  quarry!Heap::isMarked+1b\n\n" +
		"0:000> .ecxr\n" +
		"0:000> kn 50\n" +
		" # Child-SP          RetAddr               Call Site\n" +
		"00 000000a1`2b3fc0f0 00007ff7`1dd5c95e     quarry!Heap::isMarked+0x1b [c:\\src\\quarry\\heap.h @ 338]\n" +
		"01 (Inline Function) --------`--------     quarry!Cell::isTenured+0x5 [c:\\src\\quarry\\cell.h @ 251]\n" +
		"02 000000a1`2b3fc130 00007ff7`1e73123e     quarry!Cell::arena+0xe [c:\\src\\quarry\\cell.h @ 1242]\n" +
		"03 000000a1`2b3fc170 00007ff7`1e71ae69     quarry!Tracer::move+0x8e [c:\\src\\quarry\\tracer.cpp @ 2393]\n" +
		"04 000000a1`2b3fc1c0 00007ffd`4b5a7034     KERNEL32!BaseThreadInitThunk+0x14\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		`0 Heap::isMarked c:\src\quarry\heap.h:338 quarry app`,
		`0 Cell::isTenured c:\src\quarry\cell.h:251 quarry app`,
		`0 Cell::arena c:\src\quarry\cell.h:1242 quarry app`,
		`0 Tracer::move c:\src\quarry\tracer.cpp:2393 quarry app`,
		"0 BaseThreadInitThunk :0 KERNEL32 -",
	}
	if len(sigs) != 1 || !slices.Equal(got, want) || len(sigs[0].Stacks) != 1 {
		t.Errorf("got %d signals, the first stacks %q frames\n%q\nwant one stack\n%q", len(sigs), sigs[0].Stacks, got, want)
	}
	// Another thread's stack (other functions) is no copy of the crash
	// stack: both are kept, the crash stack first.
	other := strings.Replace(in, "quarry!Tracer::move+0x8e [c:\\src\\quarry\\tracer.cpp @ 2393]", "quarry!Tracer::other+0x8e [c:\\src\\quarry\\tracer.cpp @ 2400]", 1)
	sigs, _ = parseFrames(t, other, everyFrame)
	if len(sigs) != 1 || len(sigs[0].Stacks) != 2 || sigs[0].Stacks[0] != "STACK_TEXT" || sigs[0].Frames[1].File != "" {
		t.Errorf("another stack: got %+v, want STACK_TEXT first and the other stack kept", sigs)
	}
}

// TestSOSClrStack: SOS's "!clrstack -f": managed frames with their
// sources ("[file @ line]"), native ones with theirs (" at file:line"),
// decimal offsets, and the runtime's transition frames
// ("[HelperMethodFrame: ...]") skipped; managed frames judged by .NET's
// rules.
func TestSOSClrStack(t *testing.T) {
	in := "0:000> !clrstack -f\n" +
		"OS Thread Id: 0x1a2b (0)\n" +
		"        Child SP               IP Call Site\n" +
		"000000a11fbccbb0 00007ffb6c401f28 KERNELBASE!RaiseException + 104\n" +
		"000000a11fbccfb0 00007ffb27762c26 CoreCLR!IL_Throw + 1126 at c:\\build\\coreclr\\src\\vm\\jithelpers.cpp:5378\n" +
		"000000a11fbcd1a8                  [HelperMethodFrame: 000000a11fbcd1a8] \n" +
		"000000a11fbcd4b0 00007ffac8ae2fc5 Ledger.exe!Ledger.Book.Post(Ledger.Entry) + 133 [c:\\src\\Ledger\\Book.cs @ 56]\n" +
		"000000a11fbcd500 00007ffac8ae2f21 System.Private.CoreLib.dll!System.Threading.Tasks.Task.InnerInvoke() + 49\n" +
		"000000a11fbcd5a0 00007ffac8ae04b7 Ledger.exe!Ledger.Program.Main(System.String[]) + 55 [c:\\src\\Ledger\\Program.cs @ 12]\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		"0 RaiseException :0 KERNELBASE -",
		`0 IL_Throw c:\build\coreclr\src\vm\jithelpers.cpp:5378 CoreCLR -`,
		`0 Ledger.Book.Post c:\src\Ledger\Book.cs:56 Ledger.exe app`,
		"0 System.Threading.Tasks.Task.InnerInvoke :0 System.Private.CoreLib.dll -",
		`0 Ledger.Program.Main c:\src\Ledger\Program.cs:12 Ledger.exe app`,
	}
	if len(sigs) != 1 || sigs[0].Format != FormatWinDbg || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %s frames\n%q\nwant\n%q", len(sigs), sigs[0].Format, got, want)
	}
}

// TestVSCodeCallStack: the call stack VS Code's C++ debugger (cppvsdbg)
// copies: "module!function() (file:line)", "(Unknown Source:0)" where it
// has no source; a thread a run of its own. x86 decorations
// ("_TppWorkerThread@4", "@BaseThreadInitThunk@12") are dropped.
func TestVSCodeCallStack(t *testing.T) {
	in := "mapedit.exe!Renderer::draw(const Frame * f) (c:\\src\\mapedit\\renderer.cpp:88)\n" +
		"mapedit.exe!RenderLoop::tick() (d:\\work (x86)\\mapedit\\src\\loop.cpp:42)\n" +
		"mapedit.exe!thread_start<unsigned int (__stdcall*)(void *),1>() (Unknown Source:0)\n" +
		"kernel32.dll!@BaseThreadInitThunk@12() (Unknown Source:0)\n" +
		"ntdll.dll!__RtlUserThreadStart@8() (Unknown Source:0)\n" +
		"\n" +
		"ntdll.dll!_NtWaitForWorkViaWorkerFactory@20() (Unknown Source:0)\n" +
		"ntdll.dll!_TppWorkerThread@4() (Unknown Source:0)\n"
	sigs, got := parseFrames(t, in, everyFrame)
	want := []string{
		`0 Renderer::draw c:\src\mapedit\renderer.cpp:88 mapedit.exe app`,
		`0 RenderLoop::tick d:\work (x86)\mapedit\src\loop.cpp:42 mapedit.exe app`,
		"0 thread_start<unsigned int (__stdcall*)(void *),1> :0 mapedit.exe -",
		"0 BaseThreadInitThunk :0 kernel32.dll -",
		"0 _RtlUserThreadStart :0 ntdll.dll -",
	}
	if len(sigs) != 2 || sigs[0].Format != FormatWinDbg || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %s frames\n%q\nwant 2 signals, the first\n%q", len(sigs), sigs[0].Format, got, want)
	}
	if len(sigs) == 2 && (len(sigs[1].Frames) != 2 || sigs[1].Frames[1].Function != "TppWorkerThread" || len(sigs[1].Notes) != 1 || !strings.Contains(sigs[1].Notes[0], "Unknown Source")) {
		t.Errorf("second thread: got %+v, want NtWaitForWorkViaWorkerFactory, TppWorkerThread and a note on the missing sources", sigs[1])
	}
}

// TestWinDbgOffsets: a WinDbg frame in a module without symbols
// ("myapp+0x1a2b") keeps the offset from the module's base; a symbol's
// offset, an ordinal's, "unknown!..." and a bare address give none.
func TestWinDbgOffsets(t *testing.T) {
	checkOffsetRows(t, []offsetRow{
		{"kn", " # Child-SP          RetAddr               Call Site\n" +
			"00 00000012`3456f6a8 00007ff6`12341234     myapp!Renderer::draw+0x2c [C:\\src\\renderer.cpp @ 88]\n" +
			"01 00000012`3456f6b0 00007ff6`12345678     myapp+0x1a2b\n" +
			"02 00000012`3456f6c0 00007ffd`4b5a7034     dbgeng!Ordinal488+0xe6b1d\n" +
			"03 00000012`3456f6d0 00007ffd`4b5a7034     unknown!myapp.exe+0x0\n" +
			"04 00000012`3456f6e0 00007ffd`4c8e2651     0x7ffd4c8e2651\n" +
			"05 00000012`3456f6f0 00007ffd`4c8e2651     ntdll+0x52651\n",
			FormatWinDbg, []string{
				"Renderer::draw myapp - -",
				"- myapp 0x1a2b -",
				"- dbgeng - -",
				"- - - -",
				"- - - -",
				"- ntdll 0x52651 -",
			}},
	})
}
