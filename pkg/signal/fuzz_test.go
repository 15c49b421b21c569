package signal

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// seedFuzz adds every testdata input whose directory is one of kinds.
func seedFuzz(f *testing.F, kinds ...string) {
	f.Helper()
	for _, in := range goldenInputs(f) {
		for _, k := range kinds {
			if strings.HasPrefix(in, "testdata/"+k+"/") {
				data, err := os.ReadFile(in)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
	f.Add([]byte(""))
}

// checkSignals asserts the invariants every parser keeps on any input.
func checkSignals(t *testing.T, sigs []Signal) {
	t.Helper()
	if len(sigs) > MaxSignals {
		t.Fatalf("got %d signals, want at most %d", len(sigs), MaxSignals)
	}
	for _, s := range sigs {
		if len(s.Frames) > MaxFrames {
			t.Fatalf("got %d frames, want at most %d", len(s.Frames), MaxFrames)
		}
		for _, fr := range s.Frames {
			if fr.Line < 0 {
				t.Fatalf("got line %d, want >= 0", fr.Line)
			}
			if fr.Context == "" {
				continue
			}
			lines, at := fr.ContextLines()
			if fr.Line == 0 || len(lines) == 0 || len(lines) > MaxContext || strings.TrimSpace(lines[at]) == "" {
				t.Fatalf("frame %+v: got context %q at %d", fr, lines, at)
			}
			for _, l := range lines {
				if len(l) > MaxContextLine+len(" {snip}") || strings.ContainsAny(l, "\r\n") {
					t.Fatalf("frame %+v: got a context line %d bytes long: %q", fr, len(l), l)
				}
			}
		}
		if len(s.Symptoms) > MaxSymptoms {
			t.Fatalf("got %d symptoms, want at most %d", len(s.Symptoms), MaxSymptoms)
		}
	}
}

func fuzzLines(f *testing.F, parse func([]string) []Signal, kinds ...string) {
	seedFuzz(f, kinds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSignals(t, parse(splitLines(string(data))))
	})
}

func FuzzParseGo(f *testing.F)          { fuzzLines(f, parseGoLines, "go") }
func FuzzParseGoRace(f *testing.F)      { fuzzLines(f, parseGoRaceLines, "go") }
func FuzzParsePython(f *testing.F)      { fuzzLines(f, parsePythonLines, "python") }
func FuzzParsePythonFault(f *testing.F) { fuzzLines(f, parsePythonFaultLines, "python") }
func FuzzParsePytest(f *testing.F)      { fuzzLines(f, parsePytestLines, "python") }
func FuzzParsePythonFlat(f *testing.F)  { fuzzLines(f, parseFlatPythonLines, "python") }
func FuzzParseJava(f *testing.F)        { fuzzLines(f, parseJavaLines, "java", "kotlin") }
func FuzzParseJS(f *testing.F)          { fuzzLines(f, parseJSLines, "javascript") }
func FuzzParseRuby(f *testing.F)        { fuzzLines(f, parseRubyLines, "ruby") }
func FuzzParseDotNet(f *testing.F)      { fuzzLines(f, parseDotNetLines, "dotnet") }
func FuzzParsePHP(f *testing.F)         { fuzzLines(f, parsePHPLines, "php") }
func FuzzParsePerl(f *testing.F)        { fuzzLines(f, parsePerlLines, "perl") }
func FuzzParseElixir(f *testing.F)      { fuzzLines(f, parseElixirLines, "elixir") }

// FuzzParseDart runs the Dart parser on any text: every frame has a
// file (a Dart frame always names its library) and no negative column.
func FuzzParseDart(f *testing.F) {
	f.Add([]byte("#0      a.<anonymous closure> (package:x/y.dart:1:2)\n<asynchronous suspension>\n#1      new B (file:///C:/z%20(1).dart)\n"))
	f.Add([]byte("The following X was thrown building Y(a,\nb):\nm\n\nWhen the exception was thrown, this was the stack:\ndart:async  f\n===== asynchronous gap ===\nx.dart 3:4  g\n"))
	fuzzLines(f, func(lines []string) []Signal {
		sigs := parseDartLines(lines)
		for _, s := range sigs {
			for _, fr := range s.Frames {
				if fr.File == "" || fr.Column < 0 {
					panic(fmt.Sprintf("frame %+v", fr))
				}
			}
		}
		return sigs
	}, "dart")
}

// FuzzParseThreadDump runs the thread-dump parser (Android ANR traces,
// JVM dumps) on any text: it gives one dump's signal at most, every frame
// of it in one of its named stacks, with the signals the other parsers
// find outside the dumps, in the text's order.
func FuzzParseThreadDump(f *testing.F) {
	for _, s := range []string{anrLockHolder, anrPlayConsole, anrIdle, jstackBlocked, jstackDeadlock, jstackParked, jstackIdle} {
		f.Add([]byte(s))
	}
	fuzzLines(f, func(lines []string) []Signal {
		sigs := parseThreadDumps("", lines)
		_, dump, ok := readDumps(lines)
		if ok != (len(sigs) > 0) {
			panic(fmt.Sprintf("got %d signals; a dump's signal: %v", len(sigs), ok))
		}
		for _, fr := range dump.Frames {
			if fr.Stack < 0 || fr.Stack >= len(dump.Stacks) {
				panic(fmt.Sprintf("frame in stack %d of %d", fr.Stack, len(dump.Stacks)))
			}
		}
		dumps := 0
		for k, s := range sigs {
			if k > 0 && s.line < sigs[k-1].line {
				panic(fmt.Sprintf("signal %d starts at line %d, before the line %d of the one before it", k, s.line, sigs[k-1].line))
			}
			if reflect.DeepEqual(s, dump) {
				dumps++
			}
		}
		if ok && dumps != 1 {
			panic(fmt.Sprintf("got %d signals, %d of them the dump's; want it once", len(sigs), dumps))
		}
		return sigs
	}, "anr", "threaddump")
}

func FuzzParseSentry(f *testing.F) {
	seedFuzz(f, "sentry")
	for _, s := range []string{
		`{"platform":"native","exception":{"values":[{"type":"SIGSEGV","stacktrace":{"frames":[{"instruction_addr":"0x10"},{"instruction_addr":"0x5","addr_mode":"rel:1"},{"instruction_addr":"0x30","image_addr":"0x20","package":"/a"}],"registers":{"rip":"0x30"}}}]},"debug_meta":{"images":[{"type":"elf","code_file":"/b","code_id":"AB12AB12AB12AB12","image_addr":"0x8","image_size":"16"},{"type":"macho","code_file":"/c","image_addr":16}]}}`,
		`{"entries":[{"type":"debugmeta","data":{"images":[{"type":"elf","code_file":"x","image_addr":"0x0"},{"type":"elf","code_file":"y","image_addr":"0x0","image_size":-1}]}},{"type":"stacktrace","data":{"frames":[{"instructionAddr":"0x1"}],"instruction_addr_adjustment":"all"}}]}`,
		`{"exception":{"values":[{"type":"E","stacktrace":{"frames":[{"filename":"a.py","lineno":2,"pre_context":["x",null,3],"context_line":"  y = 1\r","post_context":["z"]},{"filename":"b.py","lineno":1,"context_line":" "}]}}]}}`,
		`{"entries":[{"type":"exception","data":{"values":[{"type":"E","stacktrace":{"frames":[{"filename":"a.py","lineNo":7,"context":[[5,"a"],[6,null],[7,"{snip} b {snip}"],[9,"c"],["8","d"]]}]}}]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs, err := parseSentry(data)
		if err != nil && len(sigs) > 0 {
			t.Fatalf("got %d signals and error %v, want one or the other", len(sigs), err)
		}
		checkSignals(t, sigs)
		checkFrameOffsets(t, sigs)
		for _, s := range sigs {
			for _, fr := range s.Frames {
				if fr.AddrKind != AddrByFormat && fr.Offset == 0 {
					t.Fatalf("frame %+v has an address kind and no offset", fr)
				}
			}
		}
	})
}

// nativeKinds are the testdata folders of native reports.
var nativeKinds = []string{"asan", "lsan", "msan", "tsan", "ubsan", "valgrind", "gdb", "lldb", "kernel", "glibc", "rust", "apple", "tombstone", "minidump", "windbg"}

// FuzzParseNative runs the detection and every native report parser
// (sanitizers, Valgrind, gdb, lldb, kernel, glibc, Rust) on any text.
func FuzzParseNative(f *testing.F) {
	seedFuzz(f, nativeKinds...)
	// Backtraces of function names: glibc 2.40's backtrace_symbols_fd and
	// Dovecot's one-line "Raw backtrace" in both of its forms, and the
	// libunwind backtraces of Open vSwitch and FRRouting, and DPDK's stack.
	for _, s := range []string{
		"./acme(crash_handler+0x2d) [0x55d0c1a5b1d6]\n./acme(main+0x3d) [0x55d0c1a5b295]\n",
		"Panic: file a.c: line 5 (f): assertion failed: (x)\nError: Raw backtrace: libdovecot.so.0(i_panic+0x8e) [0x7f3e6c00f4f2] -> libx.so.0(f+0x1) [0x1] -> imap(main+0x3a1) [0x55b1a0e0f511]\n",
		"Error: Raw backtrace: #0 i_panic[0x7f9c2a21d9e0] -> #1 f[0x7f9c29f4a100] -> #2 [unw_get_proc_name() failed: -10] -> 0x7f00\n",
		"2023-08-10T12:00:00.123Z|00010|backtrace(monitor)|WARN|SIGSEGV detected, backtrace:\n2023-08-10T12:00:00.123Z|00011|backtrace(monitor)|WARN|0x0000000000482752 <fatal_signal_handler+0x52>\n\n2023-08-10T12:00:00.123Z|00012|backtrace(monitor)|WARN|0x000000000052b348 <f+0x108>\n0x    41b7f0<main+0x2b0>\n",
		"a.c:12: f: Assertion `x` failed, value 0\nbtrfs(+0x1)[0x2]\nbtrfs(f+0x1)[0x2]\nb.c:3: g: BUG_ON `y` triggered, value -2\n",
		"[    1.0] BTRFS critical (device sda1): assertion failed: x == 1, in fs/btrfs/a.c:45\n[    1.1] kernel BUG at fs/btrfs/messages.c:259!\nCall Trace:\n f+0x1a2/0x1b0 [btrfs]\n",
		"(00.035012) 1234: Error (criu/mem.c:1012): BUG at criu/mem.c:1012\nBUG at criu/pie/restorer.c: 1875\n",
		"EAL: PANIC in f():\nline 783\tassert \"x <= y\" failed\n0: ./app (rte_dump_stack+0x2b) [55d0c1a5b1d6]\n1: ./app (f+0x1b1) [55d0c1a6c711]\nPANIC in g():\n",
		"BGP: [V5EYK-T2WBP] bgpd/a.c:3456: f(): assertion (p->x) failed, extra info: y\nBGP: Assertion `x' failed in file b.c, line 12, function ?\n",
		"(a:1): GLib-WARNING **: 1:2:3.4: (../a.c:12):f: runtime check failed: (x)\n(b:2): B-CRITICAL **: g: assertion 'B_IS (y)' failed\nh: assertion `z' failed\n(c.c:3): code should not be reached\n((d.c:4)): assertion '<dropped>' failed\nA-CRITICAL **: 1:2:3.4: file e.c: line 5 (<dropped>): should not be reached\n",
		"Assertion 'x' failed at a.c:1, function f(). Aborting.\nCode should not be reached 'y' at b.c:2, function g(). Aborting.\n'z' failed at c.c:3 h()\n",
		"TID 1:\n#0  0x00007f2c3a058a76 raise\n#1  0x000055d0c1a6c711 f\n    /src/a.c:842:5\n    b.c:1\n#2  0x1 g\n",
		"   Signal: 6 (ABRT)\n  Stack trace of thread 1:\n  #0  0x00007f2c3a058a76 raise (libc.so.6 + 0x3ea76)\n  #1  0x000055d0c1a6c711 n/a (app + 0x1b1711)\n  #2  0x000055d0c1a6c711 f (app + 0x1)\n",
		"2023-05-10T12:00:01.123Z|00042|util(handler1)|EMER|lib/a.h:608: assertion x <= f(b) failed in g()\novs-vswitchd: ../lib/b.c:89: assertion y failed in h()\n",
		"EAL: PANIC in f():\n0: ./app (rte_dump_stack+0x2b) [55d0c1a5b1d6]\n1: ./app (f+0x1b1) [55d0c1a6c711]\n2: /lib/libc.so.6 (7f4e1a6ac000+0x29d90) [7f4e1a6d5d90]\n3: ?? [7ffd1a2b3c4d]\n2: [./app(main+0x3d) [0x55d0c1a5b295]]\n1: [./app(f+0x1b1) [0x55d0c1a6c711]]\n",
		"Error: x\n\nCaused by:\n    y\n\nStack backtrace:\n   0: a::b\n             at ./src/a.rs:4:9\n   1: a::main\n",
		"Error: \n   0: x\n\nLocation:\n   src/a.rs:4\n\n  ━━ SPANTRACE ━━\n\n   0: a::r with p=1\n      at src/a.rs:3\n\n  ━━ BACKTRACE ━━\n      ⋮ 5 frames hidden ⋮\n   6: a::l::h8a1b2c3d4e5f6a7b\n      at /a/src/c.rs:41\n",
		"#00 pc 0004b8a4  base.apk!libx.so (offset 0x1000) (f+4) (BuildId: AB-CD)\n#01 pc 00000010  <unknown>\n#02 pc 1  [anon:x] (BuildId: zz)\n",
		"0   X  \t0x100abc123 0x100a00000 + 770339\n1   ???  \t0x0 0x0 + 0\nBinary Images:\n 0x100a00000 - 0x100bfffff X (1.0) <1A2B-3C> /X\n",
		"BGP: Received signal 11 at 1 (si_addr 0x0, PC 0x5); aborting...\nBGP: [AAAAA-BBBBB] core_handler+0xe3   7f2d5b4fa0b3     7ffc6a3b8f50 /usr/lib/frr/libfrr.so.0 (mapped at 0x7f2d5b41d000)\n    ---- signal ----\n?    7f2d5b1c8520     7ffc6a3b9500\nf+0x24  55d4b3a2c1f4  7ffc6a3b9ad0 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)\nBGP: Backtrace for 2 stack frames:\nBGP: [bt 0] /usr/lib/frr/bgpd(f+0x24) [0x55d4b3a2c1f4]\nBGP: [bt 1] /usr/lib/frr/bgpd(main+0x38c) [0x55d4b39a1b4c]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := string(data)
		sigs := parseNative(text, splitLines(text))
		checkSignals(t, sigs)
		checkFrameOffsets(t, sigs)
		for _, s := range sigs {
			if s.Frames == nil {
				t.Fatal("got nil frames, want an empty list")
			}
			for _, fr := range s.Frames {
				if fr.Stack < 0 || fr.Stack >= len(s.Stacks) {
					t.Fatalf("frame in stack %d of %d", fr.Stack, len(s.Stacks))
				}
				if fr.Column < 0 {
					t.Fatalf("got column %d", fr.Column)
				}
			}
		}
	})
}

// FuzzCleanFunction checks the C++/Rust symbol scanner on any name.
func FuzzCleanFunction(f *testing.F) {
	for _, s := range []string{"main", "ns::f<int>(int) const", "(anonymous namespace)::g(x)::$_0::operator()(int)",
		"void std::vector<int>::push_back(int const&)", "operator<<", "<T as core::fmt::Display>::fmt", "a(b)::c(d)::e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := cleanFunction(s); len(got) > len(s) {
			t.Fatalf("cleanFunction(%q) = %q, longer than its input", s, got)
		}
	})
}

func FuzzParse(f *testing.F) {
	seedFuzz(f, append([]string{"sentry", "go", "python", "java", "kotlin", "javascript", "ruby", "dotnet", "anr", "threaddump", "dart", "php", "perl", "elixir"}, nativeKinds...)...)
	for _, s := range libraryAssertions {
		f.Add([]byte(s))
	}
	// A trace logged through rsyslog, its line breaks and tabs escaped.
	f.Add([]byte("Dec  5 10:00:00 web1 shop[4121]: Traceback (most recent call last):#012  File \"a.py\", line 4, in f#012    g()#012E: x\n" +
		"2026-12-05T10:00:00+00:00 h u[1]: panic: x#012#012goroutine 1 [running]:#012main.f()#012#011/a.go:3 +0x1d#015\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs, err := Parse("fuzz", data)
		if err != nil {
			if len(sigs) != 0 {
				t.Fatalf("got %d signals with error %v", len(sigs), err)
			}
			return
		}
		if len(sigs) == 0 {
			t.Fatal("got no signals and no error")
		}
		checkSignals(t, sigs)
		for _, s := range sigs {
			for d, fr := range s.Frames {
				if fr.Depth != d {
					t.Fatalf("frame %d has depth %d", d, fr.Depth)
				}
			}
		}
	})
}
