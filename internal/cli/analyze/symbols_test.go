package analyze

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/symbolize"
)

// cartApp is the C program of pkg/symbolize/testdata: its sources, its
// builds and debug files, and the reports they printed unsymbolized (an
// AddressSanitizer heap-use-after-free read at src/cart.c:24 in the
// inlined item_price, and glibc's backtrace_symbols from fatal(), called
// at src/cart.c:25).
const cartApp = "../../../pkg/symbolize/testdata"

func readCart(t *testing.T, name string) string { t.Helper(); return readText(t, cartApp, name) }

// placed is a frame as a symbolizer names it.
type placed struct {
	path     string
	line     int
	function string
}

// cartFrames are the crash's frames in the AddressSanitizer build, as its
// AddressSanitizer printed them symbolized (reports/asan_symbolized.txt).
var cartFrames = []placed{
	{"src/cart.c", 24, "item_price"},
	{"src/cart.c", 33, "cart_total"},
	{"src/main.c", 16, "checkout"},
	{"src/main.c", 24, "main"},
}

// wantPlaced fails t unless frames start with want, in-app too when
// inApp.
func wantPlaced(t *testing.T, frames []FrameReport, want []placed, inApp bool) {
	t.Helper()
	if len(frames) < len(want) {
		t.Fatalf("got frames %+v, want %d at least", frames, len(want))
	}
	for i, w := range want {
		f := frames[i]
		if f.Path != w.path || f.Line != w.line || f.Function != w.function || inApp && !f.InApp {
			t.Errorf("frame %d: got %+v, want %+v", i, f, w)
		}
	}
}

// cartRepo is a repository holding the program's sources at the paths
// its debug information names (src/cart.c, relative to the build's
// folder): src/cart.c came in before the window with line `line` reading
// old, the culprit changed that line to what the build has, and a newer
// commit changed a comment of src/main.c.
func cartRepo(t *testing.T, line int, old string) (r *repo, culprit string) {
	t.Helper()
	cart := readCart(t, "src/cart.c")
	lines := strings.Split(cart, "\n")
	if line > len(lines) || lines[line-1] == old {
		t.Fatalf("src/cart.c line %d is not what the test changes", line)
	}
	before := append([]string(nil), lines...)
	before[line-1] = old
	files := map[string]string{"src/cart.c": strings.Join(before, "\n")}
	for _, n := range []string{"src/cart.h", "src/fatal.c", "src/fatal.h", "src/main.c"} {
		files[n] = readCart(t, n)
	}
	main := files["src/main.c"]
	files["src/main.c"] = strings.Replace(main, "totals a cart", "adds up a cart", 1)
	r = newRepo(t)
	now := time.Now().UTC()
	r.commit(now.Add(-60*24*time.Hour), "shop: carts and checkout", files)
	culprit = r.commit(now.Add(-6*24*time.Hour), "cart: change how an item is priced", map[string]string{"src/cart.c": cart})
	r.commit(now.Add(-2*24*time.Hour), "main: say what checkout does", map[string]string{"src/main.c": main})
	return r, culprit
}

// An unsymbolized AddressSanitizer report read with --symbols (the debug
// file, a folder with the stripped binary and its debug file, a
// .build-id tree) names the commit that changed the line that read freed
// memory, in the inlined item_price; without --symbols it does not, and a
// note says to give the debug file.
func TestSignalSymbols(t *testing.T) {
	r, culprit := cartRepo(t, 24, "\treturn it->qty * it->price;")
	report := filepath.Join(t.TempDir(), "asan.txt")
	if err := os.WriteFile(report, []byte(readCart(t, "reports/asan.txt")), 0o600); err != nil {
		t.Fatal(err)
	}
	debug := filepath.Join(cartApp, "debug/cart_asan.debug")
	tree := t.TempDir()
	data, err := os.ReadFile(debug)
	if err != nil {
		t.Fatal(err)
	}
	id := buildIDOf(t, debug)
	if err := os.MkdirAll(filepath.Join(tree, ".build-id", id[:2]), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, ".build-id", id[:2], id[2:]+".debug"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The report as newer sanitizers print it, with the build ID, read
	// with a .build-id tree where the file's name says nothing.
	withID := filepath.Join(t.TempDir(), "asan-buildid.txt")
	text := strings.ReplaceAll(readCart(t, "reports/asan.txt"), "/tmp/symscratch/cart_asan+0x", "/srv/shop/bin/shopd+0x")
	text = replaceModuleEnds(text, "/srv/shop/bin/shopd+0x", " (BuildId: "+id+")")
	if err := os.WriteFile(withID, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, signal string
		symbols      []string
	}{
		{"debug file", report, []string{debug}},
		{"stripped binary and debug folder", report, []string{filepath.Join(cartApp, "stripped"), filepath.Join(cartApp, "debug")}},
		{"whole testdata", report, []string{cartApp}},
		{"build-id tree", withID, []string{tree}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "", nil, nil)
			args := []string{"--local", r.dir, "--signal", tc.signal, "-o", "json"}
			for _, s := range tc.symbols {
				args = append(args, "--symbols", s)
			}
			if code := e.run(t, args...); code != 0 {
				t.Fatalf("got exit %d; stderr %s", code, e.err.String())
			}
			s := e.report(t).Signals[0]
			wantPlaced(t, s.Frames, cartFrames, true)
			wantFirst(t, s, culprit)
			for _, n := range s.Notes {
				if strings.Contains(n, "--symbols") || strings.Contains(n, "no frame") {
					t.Errorf("got note %q with the debug file given", n)
				}
			}
		})
	}

	// Without the debug file: no frame has a line, the culprit is not
	// named first, and a note says to give the debug file.
	s := analyzeFile(t, r.dir, report)
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without the debug file, got the culprit first: %+v", s.Suspects)
	}
	if !hasNote(s.Notes, "no frame of the program has a source file and line", "cart_asan", "--symbols") || hasNote(s.Notes, "libc.so.6") {
		t.Errorf("got notes %q, want one suggesting --symbols for cart_asan", s.Notes)
	}

	// Debug files of another program only: the frames stay, and a note
	// names the module that has none.
	s = analyzeFile(t, r.dir, withID, "--symbols", filepath.Join(cartApp, "bin"))
	if !hasNote(s.Notes, "no debug information for shopd (build ID "+id[:12], "--symbols") {
		t.Errorf("got notes %q, want one naming shopd", s.Notes)
	}
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without the debug file, got the culprit first: %+v", s.Suspects)
	}
}

// buildIDOf reads an ELF file's GNU build ID.
func buildIDOf(t *testing.T, path string) string {
	t.Helper()
	m, err := symbolize.ReadModule(path)
	if err != nil || len(m.BuildID) < 8 {
		t.Fatalf("%s: build ID %q, %v", path, m.BuildID, err)
	}
	return m.BuildID
}

// replaceModuleEnds appends suffix after each "(prefix…)" group.
func replaceModuleEnds(text, prefix, suffix string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, prefix)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		j := strings.IndexByte(text[i:], ')')
		if j < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i+j+1])
		b.WriteString(suffix)
		text = text[i+j+1:]
	}
}

// glibc's backtrace_symbols, "./bin/cart_bt(+0x1334)[0x…]": return
// addresses, each read at the call before it; the culprit changed the line
// calling fatal() in the inlined item_price.
func TestSignalSymbolsBacktrace(t *testing.T) {
	r, culprit := cartRepo(t, 25, "\t\tfatal(\"quantity below zero\");")
	report := filepath.Join(t.TempDir(), "bt.txt")
	if err := os.WriteFile(report, []byte(readCart(t, "reports/bt.txt")), 0o600); err != nil {
		t.Fatal(err)
	}
	s := analyzeFile(t, r.dir, report, "--symbols", filepath.Join(cartApp, "bin/cart_bt"))
	wantPlaced(t, s.Frames, []placed{
		{"src/fatal.c", 10, "fatal"},
		{"src/cart.c", 25, "item_price"},
		{"src/cart.c", 33, "cart_total"},
		{"src/main.c", 16, "checkout"},
		{"src/main.c", 24, "main"},
	}, false)
	wantFirst(t, s, culprit)

	s = analyzeFile(t, r.dir, report)
	if !hasNote(s.Notes, "backtrace_symbols gives no file and line", "cart_bt", "--symbols") {
		t.Errorf("got notes %q, want one suggesting --symbols", s.Notes)
	}
}

// A --symbols path that cannot be read, or a file that is not ELF, is a
// usage error naming it.
func TestSymbolsUsage(t *testing.T) {
	r, _ := cartRepo(t, 24, "\treturn it->qty * it->price;")
	report := filepath.Join(t.TempDir(), "asan.txt")
	if err := os.WriteFile(report, []byte(readCart(t, "reports/asan.txt")), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nowhere.debug")
	garbled := filepath.Join(t.TempDir(), "shopd.debug")
	if err := os.WriteFile(garbled, []byte("\x7fELF\x02\x01\x01\x00garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ arg, want string }{
		{missing, "no such file"},
		{filepath.Join(cartApp, "src/cart.c"), "not an ELF or Mach-O file"},
		{garbled, "shopd.debug"},
		{" ", "empty --symbols"},
	} {
		e := newEnv(t, "", nil, nil)
		args := []string{"--local", r.dir, "--signal", report, "--symbols", tc.arg, "-o", "json"}
		if code := e.run(t, args...); code != 2 {
			t.Errorf("--symbols %q: got exit %d, want 2; stderr %s", tc.arg, code, e.err.String())
			continue
		}
		err := e.runCtx(t.Context(), args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || tc.arg != " " && !strings.Contains(err.Error(), tc.arg) {
			t.Errorf("--symbols %q: got %v, want it named with %q", tc.arg, err, tc.want)
		}
	}
}

// TestModuleAddress: each format's offset becomes an address in the ELF
// or Mach-O file as that format measures it; a minidump's and an Apple
// report's caller frames are looked
// up at the byte before their return address, inside the call, and its
// crashing frame at its own address.
func TestModuleAddress(t *testing.T) {
	m := &symbolize.Module{Start: 0x400000}
	tests := []struct {
		format string
		caller bool
		want   uint64
		ok     bool
	}{
		{signal.FormatASan, true, 0x1234, true},
		{signal.FormatTombstone, true, 0x1234, true},
		{signal.FormatGlibc, false, 0x1233, true},
		{signal.FormatNative, true, 0x401234, true},
		{signal.FormatMinidump, false, 0x401234, true},
		{signal.FormatMinidump, true, 0x401233, true},
		{signal.FormatApple, false, 0x401234, true},
		{signal.FormatApple, true, 0x401233, true},
		{signal.FormatWinDbg, false, 0, false},
	}
	for _, tt := range tests {
		got, ok := moduleAddress(tt.format, signal.Frame{Module: "server", Offset: 0x1234}, m, tt.caller)
		if got != tt.want || ok != tt.ok {
			t.Errorf("moduleAddress(%s, caller %v) = %#x, %v; want %#x, %v", tt.format, tt.caller, got, ok, tt.want, tt.ok)
		}
	}
	// A Sentry event's frames: a caller's return address at the byte
	// before, unless the event says what each frame's address is.
	for _, tt := range []struct {
		kind   signal.AddrKind
		caller bool
		want   uint64
	}{
		{signal.AddrByFormat, false, 0x401234},
		{signal.AddrByFormat, true, 0x401233},
		{signal.AddrExact, true, 0x401234},
		{signal.AddrReturn, false, 0x401233},
	} {
		got, ok := moduleAddress(signal.FormatSentry, signal.Frame{Module: "server", Offset: 0x1234, AddrKind: tt.kind}, m, tt.caller)
		if got != tt.want || !ok {
			t.Errorf("moduleAddress(sentry, kind %v, caller %v) = %#x, %v; want %#x", tt.kind, tt.caller, got, ok, tt.want)
		}
	}
}

// An unsymbolized Android tombstone read with --symbols names the commit
// that changed the line that crashed: a tombstone's pc is already an
// address of the ELF file it names (libunwindstack's rel_pc), moved back
// into the call for the callers, as a sanitizer's offsets are, so the
// same offsets in the same build read as the same lines. Without
// --symbols its note says to run ndk-stack or give the .so files here.
func TestSignalSymbolsTombstone(t *testing.T) {
	r, culprit := cartRepo(t, 24, "\treturn it->qty * it->price;")
	const lib = "/data/app/~~Ab12==/com.shop-Cd34==/lib/x86_64/cart_asan"
	tomb := "*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***\n" +
		"Build fingerprint: 'google/shop/shop:14/UQ1A.240105.004/11206848:user/release-keys'\n" +
		"ABI: 'x86_64'\n" +
		"pid: 4321, tid: 4321, name: com.shop  >>> com.shop <<<\n" +
		"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0000000000000008\n" +
		"backtrace:\n" +
		"      #00 pc 0000000000001606  " + lib + "\n" +
		"      #01 pc 00000000000013ec  " + lib + "\n" +
		"      #02 pc 00000000000011fa  " + lib + "\n" +
		"      #03 pc 0000000000052a2c  /apex/com.android.runtime/lib64/bionic/libc.so (__libc_init+92)\n"
	report := filepath.Join(t.TempDir(), "tombstone.txt")
	if err := os.WriteFile(report, []byte(tomb), 0o600); err != nil {
		t.Fatal(err)
	}
	s := analyzeFile(t, r.dir, report, "--symbols", filepath.Join(cartApp, "debug"))
	wantPlaced(t, s.Frames, cartFrames, true)
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != culprit {
		t.Fatalf("got suspects %+v, want %s first", s.Suspects, culprit)
	}
	for _, n := range s.Notes {
		if strings.Contains(n, "no frame of the app") {
			t.Errorf("the note that no frame has a file and line stayed: %q", n)
		}
	}
	s = analyzeFile(t, r.dir, report)
	if !hasNote(s.Notes, "ndk-stack", "cart_asan", "--symbols") {
		t.Errorf("without --symbols: notes %q, want one naming ndk-stack, cart_asan and --symbols", s.Notes)
	}
}

// The notes of reports whose modules --symbols cannot read keep their own
// advice: a WinDbg stack's PDB files (its "myapp+0x1a2b" frames have an
// offset, but in a Windows module).
func TestSymbolsNoteKeepsWinDbgAdvice(t *testing.T) {
	s := signal.Signal{Format: signal.FormatWinDbg, Frames: []signal.Frame{{Module: "myapp", Offset: 0x1a2b}},
		Notes: []string{unlocatedNote + ": load the symbols (PDB files) of that build"}}
	symbolsNote(&s)
	if !strings.Contains(s.Notes[0], "PDB") || strings.Contains(s.Notes[0], "--symbols") {
		t.Errorf("got note %q, want the PDB advice kept", s.Notes[0])
	}
}

// sentryCartEvent is a Sentry event of the AddressSanitizer crash of
// reports/asan.txt as sentry-native would send it unsymbolicated: the
// crashed thread's frames outermost first, as Sentry orders them, each
// only an instruction address, the callers' their return addresses (the
// report's, which the sanitizer had moved back into the call, plus one),
// and the images in debug_meta, the program's code_id its GNU build ID.
// adjustment is the stack's instruction_addr_adjustment ("" for none
// given); with "none", the callers' addresses are the report's.
func sentryCartEvent(buildID, adjustment string) string {
	const base = 0x5607b8fce000
	ret := uint64(1)
	if adjustment == "none" {
		ret = 0
	}
	addr := func(a uint64) string { return fmt.Sprintf(`{"instruction_addr":"%#x"}`, a) }
	frames := []string{
		addr(base + 0x12a0 + ret), // _start
		addr(0x7fbb17a1e000 + 0x27304 + ret),
		addr(0x7fbb17a1e000 + 0x27249 + ret),
		addr(base + 0x11fa + ret), // main, calling checkout
		addr(base + 0x13ec + ret), // checkout, calling cart_total
		addr(base + 0x1606),       // item_price inlined in cart_total: the read
	}
	trace := `"frames":[` + strings.Join(frames, ",") + `]`
	if adjustment != "" {
		trace += `,"instruction_addr_adjustment":"` + adjustment + `"`
	}
	return `{"event_id":"8c2d0e5f1a3b4c6d9e7f0a1b2c3d4e5f","platform":"native","level":"fatal","timestamp":` +
		fmt.Sprint(time.Now().Add(-time.Hour).Unix()) + `,
	"exception":{"values":[{"type":"SIGSEGV","value":"Segfault","mechanism":{"type":"signalhandler","handled":false}}]},
	"threads":{"values":[{"id":4440,"crashed":true,"current":true,"stacktrace":{` + trace + `}}]},
	"debug_meta":{"images":[
		{"type":"elf","code_file":"/srv/shop/bin/cart_asan","code_id":"` + buildID + `","image_addr":"0x5607b8fce000","image_size":20480,"arch":"x86_64"},
		{"type":"elf","code_file":"/lib/x86_64-linux-gnu/libc.so.6","code_id":"c289da5071a3399de893d2af81d6a30c62646e1e","image_addr":"0x7fbb17a1e000","image_size":1654784,"arch":"x86_64"}]}}`
}

// An unsymbolicated native Sentry event read with --symbols names the
// commit that changed the line that crashed: each frame's instruction
// address, less its image's start (debug_meta), is an address of the
// ELF file, the callers' return addresses looked up at the byte before,
// as Sentry's symbolicator does, or as they are when the event says it
// adjusted them already. Without --symbols its note says to give the
// debug files here.
func TestSignalSymbolsSentryNative(t *testing.T) {
	r, culprit := cartRepo(t, 24, "\treturn it->qty * it->price;")
	id := buildIDOf(t, filepath.Join(cartApp, "debug/cart_asan.debug"))
	for _, tc := range []struct{ name, adjustment, id string }{
		{"return addresses", "", id},
		{"all_but_first", "all_but_first", strings.ToUpper(id)},
		{"adjusted already", "none", id},
	} {
		t.Run(tc.name, func(t *testing.T) {
			event := filepath.Join(t.TempDir(), "event.json")
			if err := os.WriteFile(event, []byte(sentryCartEvent(tc.id, tc.adjustment)), 0o600); err != nil {
				t.Fatal(err)
			}
			s := analyzeFile(t, r.dir, event, "--symbols", filepath.Join(cartApp, "debug"))
			wantPlaced(t, s.Frames, cartFrames, true)
			wantFirst(t, s, culprit)
			for _, n := range s.Notes {
				if strings.Contains(n, "unsymbolicated") || strings.Contains(n, "--symbols") {
					t.Errorf("got note %q with the debug file given", n)
				}
			}
		})
	}

	// An event that says its addresses were adjusted when they were not
	// is read as it says: checkout's return address is the line after
	// the call.
	event := filepath.Join(t.TempDir(), "event.json")
	text := strings.Replace(sentryCartEvent(id, ""), `"frames":`, `"instruction_addr_adjustment":"none","frames":`, 1)
	if err := os.WriteFile(event, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, "--local", r.dir, "--signal", event, "--symbols", filepath.Join(cartApp, "debug"), "-o", "json"); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	if s := e.report(t).Signals[0]; len(s.Frames) < 3 || s.Frames[2].Path != "src/main.c" || s.Frames[2].Line != 17 {
		t.Errorf("\"none\" with return addresses: got frames %+v, want checkout at src/main.c:17", s.Frames)
	}

	if err := os.WriteFile(event, []byte(sentryCartEvent(id, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	s := analyzeFile(t, r.dir, event)
	if !hasNote(s.Notes, "6 of 6 frames are unsymbolicated", "upload debug files to Sentry", "--symbols") {
		t.Errorf("without --symbols: notes %q, want the unsymbolicated note naming --symbols", s.Notes)
	}
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without --symbols, got the culprit first: %+v", s.Suspects)
	}

	// Debug files of another program only: the frames stay addresses,
	// and a note names the module without debug file.
	s = analyzeFile(t, r.dir, event, "--symbols", filepath.Join(cartApp, "bin/cart_bt"))
	if !hasNote(s.Notes, "no debug information for cart_asan (build ID "+id[:12], "--symbols") || hasNote(s.Notes, "libc.so.6") {
		t.Errorf("other debug files: notes %q, want one naming cart_asan alone", s.Notes)
	}
}

// appleCartCrash is an Apple crash report of the arm64 build of the cart
// program (pkg/symbolize/testdata/macho) written by hand, unsymbolicated:
// its time now (<TIME>), its image loaded at 0x104a00000, the crashed thread reading at
// src/cart.c:24 in the inlined item_price (0x100000870 in the dSYM) and
// its caller's return address in main (0x1000006a8), another thread's
// caller returning to 0x1000008ac, right after the call to fatal that
// ends cart_total (at the byte before: item_price, src/cart.c:25; at the
// address itself: fatal).
const appleCartCrash = `Process:               Shop [4821]
Path:                  /Applications/Shop.app/Contents/MacOS/Shop
Identifier:            org.example.shop
Version:               1.0 (1)
Code Type:             ARM-64 (Native)
Parent Process:        launchd [1]

Date/Time:             <TIME>
OS Version:            macOS 15.1 (24B83)
Report Version:        12

Crashed Thread:        0  Dispatch queue: com.apple.main-thread

Exception Type:        EXC_BAD_ACCESS (SIGSEGV)
Exception Codes:       KERN_INVALID_ADDRESS at 0x0000000000000010

Termination Reason:    Namespace SIGNAL, Code 11 Segmentation fault: 11

Thread 0 Crashed::  Dispatch queue: com.apple.main-thread
0   Shop                          	       0x104a00870 0x104a00000 + 2160
1   Shop                          	       0x104a006a8 0x104a00000 + 1704
2   dyld                          	       0x187ae8274 start + 2840

Thread 1:
0   libsystem_kernel.dylib        	       0x187e3cf54 __pthread_kill + 8
1   Shop                          	       0x104a008ac 0x104a00000 + 2220

Binary Images:
       0x104a00000 -        0x104a03fff org.example.shop (1.0) <UUID> /Applications/Shop.app/Contents/MacOS/Shop
       0x187ae2000 -        0x187b7dfff dyld (*) <2c3d4e5f-6071-8293-a4b5-c6d7e8f90a1b> /usr/lib/dyld
       0x187e34000 -        0x187e6ffff libsystem_kernel.dylib (*) <3d4e5f60-7182-93a4-b5c6-d7e8f90a1b2c> /usr/lib/system/libsystem_kernel.dylib
`

// An unsymbolicated Apple crash report read with --symbols and the
// build's .dSYM (the bundle, or its DWARF file) places the crash in the
// inlined item_price at src/cart.c:24 and names the culprit first, its
// callers looked up at the byte before their return addresses; without
// --symbols its note names the dSYM, atos and --symbols.
func TestSignalSymbolsAppleDSYM(t *testing.T) {
	r, culprit := cartRepo(t, 24, "\treturn it->qty * it->price;")
	dsym := filepath.Join(cartApp, "macho/Shop.dSYM")
	m, err := symbolize.ReadModule(filepath.Join(dsym, "Contents/Resources/DWARF/Shop"))
	if err != nil {
		t.Fatal(err)
	}
	uuid := strings.ToUpper(m.BuildID[:8] + "-" + m.BuildID[8:12] + "-" + m.BuildID[12:16] + "-" + m.BuildID[16:20] + "-" + m.BuildID[20:])
	report := filepath.Join(t.TempDir(), "Shop.crash")
	if err := os.WriteFile(report, []byte(strings.NewReplacer("<UUID>", "<"+uuid+">", "<TIME>", time.Now().Format("2006-01-02 15:04:05.0000 -0700")).Replace(appleCartCrash)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, symbols := range []string{dsym, filepath.Join(dsym, "Contents/Resources/DWARF/Shop")} {
		s := analyzeFile(t, r.dir, report, "--symbols", symbols)
		wantPlaced(t, s.Frames, cartFrames, true)
		wantFirst(t, s, culprit)
		found := false
		for _, f := range s.Frames {
			if f.Stack == 1 && f.Function == "item_price" && f.Path == "src/cart.c" && f.Line == 25 {
				found = true
			}
			if f.Function == "fatal" {
				t.Errorf("a caller looked up at its return address: %+v", f)
			}
		}
		if !found {
			t.Errorf("got frames %+v, want thread 1's caller in item_price at src/cart.c:25", s.Frames)
		}
		for _, n := range s.Notes {
			if strings.Contains(n, "--symbols") || strings.Contains(n, "not symbolicated") || strings.Contains(n, "no frame") {
				t.Errorf("got note %q with the dSYM given", n)
			}
		}
	}

	s := analyzeFile(t, r.dir, report)
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without the dSYM, got the culprit first: %+v", s.Suspects)
	}
	if !hasNote(s.Notes, "dSYM", "atos", "or give the .dSYM with --symbols") {
		t.Errorf("got notes %q, want one naming the dSYM, atos and --symbols", s.Notes)
	}
}

// An unsymbolicated Sentry event of the arm64 build (an iOS or macOS app
// whose dSYM never reached Sentry) read with --symbols and the .dSYM:
// its Mach-O image's debug_id is the dSYM's UUID, each frame's address
// less the image's start is an offset from __TEXT, and the callers'
// return addresses are looked up at the byte before, as for Apple's own
// reports (the addresses of appleCartCrash).
func TestSignalSymbolsSentryMachO(t *testing.T) {
	r, culprit := cartRepo(t, 24, "\treturn it->qty * it->price;")
	dsym := filepath.Join(cartApp, "macho/Shop.dSYM")
	m, err := symbolize.ReadModule(filepath.Join(dsym, "Contents/Resources/DWARF/Shop"))
	if err != nil {
		t.Fatal(err)
	}
	id := m.BuildID
	uuid := id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
	event := `{"event_id":"9d3e1f6a2b4c5d7e8f9a0b1c2d3e4f5a","platform":"cocoa","level":"fatal","timestamp":` +
		fmt.Sprint(time.Now().Add(-time.Hour).Unix()) + `,
	"exception":{"values":[{"type":"EXC_BAD_ACCESS","value":"KERN_INVALID_ADDRESS at 0x10","mechanism":{"type":"mach","handled":false}}]},
	"threads":{"values":[{"id":0,"crashed":true,"current":true,"stacktrace":{"frames":[
		{"instruction_addr":"0x187ae8274","package":"/usr/lib/dyld"},
		{"instruction_addr":"0x104a006a8","package":"/Applications/Shop.app/Contents/MacOS/Shop"},
		{"instruction_addr":"0x104a00870","package":"/Applications/Shop.app/Contents/MacOS/Shop"}]}}]},
	"debug_meta":{"images":[
		{"type":"macho","code_file":"/Applications/Shop.app/Contents/MacOS/Shop","debug_id":"` + uuid + `","image_addr":"0x104a00000","image_size":16384,"arch":"arm64"},
		{"type":"macho","code_file":"/usr/lib/dyld","debug_id":"2c3d4e5f-6071-8293-a4b5-c6d7e8f90a1b","image_addr":"0x187ae2000","image_size":630784,"arch":"arm64e"}]}}`
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte(event), 0o600); err != nil {
		t.Fatal(err)
	}
	s := analyzeFile(t, r.dir, path, "--symbols", dsym)
	wantPlaced(t, s.Frames, cartFrames, true)
	wantFirst(t, s, culprit)
}
