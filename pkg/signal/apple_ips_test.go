package signal

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestAppleSwiftTrapIPS reads an iOS .ips report of a Swift runtime
// failure: the triggered thread (not the first) is the crash stack, the
// failure titles the report and is no frame of the app.
func TestAppleSwiftTrapIPS(t *testing.T) {
	s := parseAppleFile(t, "ios_swift_trap_ips.json")
	if want := "EXC_BREAKPOINT (SIGTRAP): Swift runtime failure: Index out of range"; s.Title != want {
		t.Errorf("title: got %q, want %q", s.Title, want)
	}
	appleWantTime(t, s.Timestamp, "2026-11-20T09:31:22.1189Z")
	got := appleFrames(s)
	want := []string{
		"Swift runtime failure: Index out of range CartViewModel.swift:0 [Basket] false 0",
		"CartViewModel.total.getter CartViewModel.swift:57 [Basket] true 0",
		"closure #1 in CartView.body.getter CartView.swift:23 [Basket] true 0",
		" [SwiftUI] false 0",
		" [Basket] false 0",
		"-[UIApplication _run] [UIKitCore] false 0",
		"main main.swift:9 [Basket] true 0",
		"start [dyld] false 0",
		"start_wqthread [libsystem_pthread.dylib] false 1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := []string{"Thread 1 Crashed: Dispatch queue: com.apple.main-thread", "Thread 0"}; !reflect.DeepEqual(s.Stacks, want) {
		t.Errorf("stacks: got %q, want %q", s.Stacks, want)
	}
}

// TestParseIPSShape checks that only the shape of an .ips report is read
// as one: its body alone is, its metadata line alone is not, and no
// Sentry event is (nor is an .ips report read as a Sentry event).
func TestParseIPSShape(t *testing.T) {
	data, err := os.ReadFile("testdata/apple/macos_bad_access_ips.json")
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(data), "\n")
	sigs := parseIPS([]byte(body))
	if len(sigs) != 1 || sigs[0].Frames[0].Function != "Renderer::draw" {
		t.Fatalf("body alone: got %+v", sigs)
	}
	appleWantTime(t, sigs[0].Timestamp, "2026-11-20T09:31:22.1189Z")
	if _, err := Parse("header.ips", []byte(header)); !errors.Is(err, ErrNoSignal) {
		t.Errorf("metadata line alone: got error %v, want ErrNoSignal", err)
	}
	// Two reports in one file.
	if sigs := parseIPS(append(append([]byte{}, data...), data...)); len(sigs) != 2 {
		t.Errorf("two reports: got %d signals, want 2", len(sigs))
	}
	// Sentry events, with threads and images of their own, are not .ips.
	events, _ := filepath.Glob("testdata/sentry/*.json")
	for _, in := range events {
		ev, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		if sigs := parseIPS(ev); len(sigs) != 0 {
			t.Errorf("%s: read as an .ips report", in)
		}
	}
	sentry := `{"event_id":"0123","platform":"cocoa","bug_type":"x","usedImages":[],"exception":{"values":[{"type":"EXC_BAD_ACCESS","stacktrace":{"frames":[{"function":"main","filename":"main.m","lineno":3,"in_app":true}]}}]},` +
		`"threads":{"values":[{"crashed":true,"stacktrace":{"frames":[{"function":"main","filename":"main.m","lineno":3}]}}]},"debug_meta":{"images":[{"code_file":"/Applications/Shop.app/Contents/MacOS/Shop"}]}}`
	sigs, err = Parse("event.json", []byte(sentry))
	if err != nil || sigs[0].Format != FormatSentry {
		t.Errorf("Sentry event: got %+v, %v, want a sentry signal", sigs, err)
	}
	for _, name := range []string{"macos_bad_access_ips.json", "ios_swift_trap_ips.json"} {
		ips, err := os.ReadFile(filepath.Join("testdata", "apple", name))
		if err != nil {
			t.Fatal(err)
		}
		if sigs, err := parseSentry(ips); err == nil {
			t.Errorf("%s: read as a Sentry event: %+v", name, sigs)
		}
	}
}

// TestParseIPSExceptionForms reads an uncaught NSException as newer .ips
// reports give it (exceptionReason, and the asi's line), its Last
// Exception Backtrace first, and a report whose app frames are only image
// offsets (a note).
func TestParseIPSExceptionForms(t *testing.T) {
	frame := `{"imageOffset":100,"symbol":"-[BKCart itemAt:]","symbolLocation":8,"imageIndex":0,"sourceFile":"BKCart.m","sourceLine":77}`
	sys := `{"imageOffset":200,"symbol":"__exceptionPreprocess","symbolLocation":164,"imageIndex":1}`
	images := `"usedImages":[{"path":"/private/var/containers/Bundle/Application/AB/Basket.app/Basket","name":"Basket"},{"path":"/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation","name":"CoreFoundation"}]`
	for _, reason := range []string{
		`"exceptionReason":{"name":"NSInvalidArgumentException","composed_message":"-[NSNull length]: unrecognized selector sent to instance 0x1f2e3d4c","type":"objc-exception"}`,
		`"asi":{"libsystem_c.dylib":["abort() called"],"CoreFoundation":["*** Terminating app due to uncaught exception 'NSInvalidArgumentException', reason: '-[NSNull length]: unrecognized selector sent to instance 0x1f2e3d4c'"]}`,
	} {
		in := `{"bug_type":"309","timestamp":"2026-11-20 10:31:22.00 +0100"}` + "\n" +
			`{"procPath":"/private/var/containers/Bundle/Application/AB/Basket.app/Basket","exception":{"type":"EXC_CRASH","signal":"SIGABRT"},` + reason + `,` +
			`"lastExceptionBacktrace":[` + sys + `,` + frame + `],"faultingThread":0,"threads":[{"triggered":true,"frames":[` + sys + `]}],` + images + `}`
		sigs, err := Parse("ns.ips", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		s := sigs[0]
		if want := "NSInvalidArgumentException: -[NSNull length]: unrecognized selector sent to instance 0x1f2e3d4c"; s.Title != want {
			t.Errorf("title: got %q, want %q", s.Title, want)
		}
		appleWantTime(t, s.Timestamp, "2026-11-20T09:31:22Z") // the metadata's, without captureTime
		got := appleFrames(s)
		want := []string{"__exceptionPreprocess [CoreFoundation] false 0", "-[BKCart itemAt:] BKCart.m:77 [Basket] true 0", "__exceptionPreprocess [CoreFoundation] false 1"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("frames: got %q, want %q", got, want)
		}
		if want := []string{"Last Exception Backtrace", "Thread 0 Crashed"}; !reflect.DeepEqual(s.Stacks, want) {
			t.Errorf("stacks: got %q, want %q", s.Stacks, want)
		}
	}
	in := `{"procPath":"/Applications/Shop.app/Contents/MacOS/Shop","exception":{"type":"EXC_BAD_ACCESS","signal":"SIGSEGV","subtype":"KERN_INVALID_ADDRESS at 0x8"},` +
		`"threads":[{"triggered":true,"frames":[{"imageOffset":50424,"imageIndex":0},{"imageOffset":25204,"symbol":"start","symbolLocation":2840,"imageIndex":1}]}],` +
		`"usedImages":[{"path":"/Applications/Shop.app/Contents/MacOS/Shop","name":"Shop"},{"path":"/usr/lib/dyld","name":"dyld"}]}`
	sigs, err := Parse("raw.ips", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if s := sigs[0]; s.Title != "EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS at 0x8" || s.Timestamp != nil || len(s.Frames) != 2 ||
		s.Frames[0].Module != "Shop" || s.Frames[0].InApp || len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "not symbolicated") {
		t.Errorf("unsymbolicated: got %+v", s)
	}
}

// TestParseIPSFrameForms reads what the symbolicator writes into an .ips
// report's frames: libc++'s hardening assertion, as an inline frame's
// symbol, is the crash's reason and no frame; "<deduplicated_symbol>" is
// no function and "/<compiler-generated>" no file.
func TestParseIPSFrameForms(t *testing.T) {
	images := `"usedImages":[{"path":"/private/var/containers/Bundle/Application/C3/Metro.app/Metro.debug.dylib","name":"Metro.debug.dylib"},` +
		`{"path":"/usr/lib/system/libsystem_pthread.dylib","name":"libsystem_pthread.dylib"}]`
	t.Run("libc++ assertion", func(t *testing.T) {
		in := `{"procPath":"/private/var/containers/Bundle/Application/C3/Metro.app/Metro","exception":{"type":"EXC_BREAKPOINT","signal":"SIGTRAP"},` +
			`"termination":{"namespace":"SIGNAL","code":5,"indicator":"Trace/BPT trap: 5"},"faultingThread":1,"threads":[` +
			`{"frames":[{"imageOffset":10,"symbol":"start_wqthread","imageIndex":1}]},{"triggered":true,"frames":[` +
			`{"imageOffset":4811,"sourceFile":"vector","symbol":"*\/Xcode-16.1.0.app\/Contents\/Developer\/Platforms\/iPhoneOS.platform\/Developer\/SDKs\/iPhoneOS18.1.sdk\/usr\/include\/c++\/v1\/vector:1432: assertion __n < size() failed: vector[] index out of bounds\n","imageIndex":0,"symbolLocation":0,"inline":true},` +
			`{"imageOffset":4811,"sourceLine":1432,"sourceFile":"vector","symbol":"std::__1::vector<metro::Stop, std::__1::allocator<metro::Stop>>::operator[][abi:ne180100](unsigned long)","imageIndex":0,"symbolLocation":40},` +
			`{"imageOffset":4700,"sourceLine":61,"sourceFile":"Route.cpp","symbol":"metro::Route::stopAt(unsigned long)","imageIndex":0,"symbolLocation":88},` +
			`{"imageOffset":20,"symbol":"_pthread_start","imageIndex":1,"symbolLocation":136}]}],` + images + `}`
		sigs, err := Parse("metro.ips", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		s := sigs[0]
		if want := "EXC_BREAKPOINT (SIGTRAP): vector[] index out of bounds"; s.Title != want {
			t.Errorf("title: got %q, want %q", s.Title, want)
		}
		got := appleFrames(s)
		want := []string{
			"std::__1::vector<metro::Stop, std::__1::allocator<metro::Stop>>::operator[] vector:1432 [Metro.debug.dylib] false 0",
			"metro::Route::stopAt Route.cpp:61 [Metro.debug.dylib] true 0",
			"_pthread_start [libsystem_pthread.dylib] false 0",
			"start_wqthread [libsystem_pthread.dylib] false 1",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !slices.Contains(s.Symptoms, "bounds") {
			t.Errorf("symptoms %q lack %q", s.Symptoms, "bounds")
		}
	})
	t.Run("placeholders", func(t *testing.T) {
		in := `{"procPath":"/private/var/containers/Bundle/Application/C3/Metro.app/Metro","exception":{"type":"EXC_BAD_ACCESS","signal":"SIGSEGV","subtype":"KERN_INVALID_ADDRESS at 0x8"},` +
			`"faultingThread":0,"threads":[{"triggered":true,"frames":[` +
			`{"imageOffset":1927,"symbol":"<deduplicated_symbol>","symbolLocation":112,"imageIndex":0},` +
			`{"imageOffset":1875,"sourceFile":"\/<compiler-generated>","symbol":"specialized NSLocking.withLock<A>(_:)","imageIndex":0,"symbolLocation":40,"inline":true},` +
			`{"imageOffset":1880,"sourceLine":12,"sourceFile":"Board.swift","symbol":"Board.refresh()","imageIndex":0,"symbolLocation":8},` +
			`{"imageOffset":5369,"sourceFile":"\/<compiler-generated>","symbol":"static MetroApp.$main()","imageIndex":0,"symbolLocation":20,"inline":true}]}],` + images + `}`
		sigs, err := Parse("metro.ips", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		got := appleFrames(sigs[0])
		want := []string{
			" [Metro.debug.dylib] false 0",
			"specialized NSLocking.withLock<A>(_:) [Metro.debug.dylib] true 0",
			"Board.refresh() Board.swift:12 [Metro.debug.dylib] true 0",
			"static MetroApp.$main() [Metro.debug.dylib] true 0",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// ipsCutReport is an .ips report as macOS writes it, for the tests of
// reports cut short.
const ipsCutReport = `{"app_name":"Ferry","timestamp":"2026-03-02 08:15:00.00 +0100","bug_type":"309","name":"Ferry"}
{
  "uptime" : 52000,
  "captureTime" : "2026-03-02 08:14:58.5120 +0100",
  "procPath" : "\/Applications\/Ferry.app\/Contents\/MacOS\/Ferry",
  "exception" : {"codes":"0x0000000000000001, 0x0000000000000008","rawCodes":[1,8],"type":"EXC_BAD_ACCESS","signal":"SIGSEGV","subtype":"KERN_INVALID_ADDRESS at 0x0000000000000008"},
  "termination" : {"flags":0,"code":11,"namespace":"SIGNAL","indicator":"Segmentation fault: 11"},
  "faultingThread" : 1,
  "threads" : [{"id":7001,"threadState":{"x":[{"value":0},{"value":1}]},"queue":"com.apple.main-thread","frames":[{"imageOffset":4000,"symbol":"mach_msg2_trap","symbolLocation":8,"imageIndex":2},{"imageOffset":900,"symbol":"main","symbolLocation":20,"imageIndex":0,"sourceFile":"main.swift","sourceLine":4}]},` +
	`{"triggered":true,"id":7002,"threadState":{"x":[{"value":0},{"value":8}],"far":{"value":8}},"frames":[` +
	`{"imageOffset":5120,"symbol":"objc_msgSend","symbolLocation":32,"imageIndex":1},` +
	`{"imageOffset":1200,"symbol":"Dock.moor(at:)","symbolLocation":44,"imageIndex":0,"sourceFile":"Dock.swift","sourceLine":31},` +
	`{"imageOffset":1300,"symbol":"Harbor.arrive(_:)","symbolLocation":12,"imageIndex":0,"sourceFile":"Harbor.swift","sourceLine":88},` +
	`{"imageOffset":7000,"symbol":"_dispatch_call_block_and_release","symbolLocation":32,"imageIndex":3}]},` +
	`{"id":7003,"frames":[{"imageOffset":7100,"symbol":"start_wqthread","symbolLocation":8,"imageIndex":3}]}],
  "usedImages" : [
  {"source":"P","arch":"arm64","base":4294967296,"size":65536,"path":"\/Applications\/Ferry.app\/Contents\/MacOS\/Ferry","name":"Ferry"},
  {"source":"P","arch":"arm64e","base":6442450944,"size":65536,"path":"\/usr\/lib\/libobjc.A.dylib","name":"libobjc.A.dylib"},
  {"source":"P","arch":"arm64e","base":6443499520,"size":65536,"path":"\/usr\/lib\/system\/libsystem_kernel.dylib","name":"libsystem_kernel.dylib"},
  {"source":"P","arch":"arm64e","base":6444548096,"size":65536,"path":"\/usr\/lib\/system\/libdispatch.dylib","name":"libdispatch.dylib"}
],
  "vmSummary" : "ReadOnly portion of Libraries: Total=1.0G"
}`

// TestParseIPSCut reads .ips reports cut short, as posted ones often are
// (a comment's size limit): the exception titles the report and the
// crashed thread's frames read whole are its crash stack; frames without
// the list of images have no module and are told the app's by their
// names. A report cut before the crashed thread's first frame gives
// nothing, and no cut makes the reader fail.
func TestParseIPSCut(t *testing.T) {
	const title = "EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS at 0x0000000000000008"
	at := func(s string) int {
		i := strings.Index(ipsCutReport, s)
		if i < 0 {
			t.Fatalf("%q not in the report", s)
		}
		return i
	}
	t.Run("in the crashed thread", func(t *testing.T) {
		cut := ipsCutReport[:at(`"symbol":"Harbor.arrive(_:)"`)+10]
		sigs, err := Parse("ferry.ips", []byte(cut))
		if err != nil {
			t.Fatal(err)
		}
		s := sigs[0]
		if s.Format != FormatApple || s.Title != title {
			t.Errorf("got format %q, title %q", s.Format, s.Title)
		}
		appleWantTime(t, s.Timestamp, "2026-03-02T07:14:58.512Z")
		got := appleFrames(s)
		want := []string{
			"objc_msgSend [] false 0",
			"Dock.moor(at:) Dock.swift:31 [] true 0",
			"mach_msg2_trap [] false 1",
			"main main.swift:4 [] true 1",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if want := []string{"Thread 1 Crashed", "Thread 0: Dispatch queue: com.apple.main-thread"}; !reflect.DeepEqual(s.Stacks, want) {
			t.Errorf("stacks: got %q, want %q", s.Stacks, want)
		}
		if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "cut short") || !strings.Contains(s.Notes[0], "no module") {
			t.Errorf("notes: got %q", s.Notes)
		}
	})
	t.Run("in the images", func(t *testing.T) {
		cut := ipsCutReport[:at(`"name":"libsystem_kernel.dylib"`)]
		sigs, err := Parse("ferry.ips", []byte(cut))
		if err != nil {
			t.Fatal(err)
		}
		got := appleFrames(sigs[0])
		want := []string{
			"objc_msgSend [libobjc.A.dylib] false 0",
			"Dock.moor(at:) Dock.swift:31 [Ferry] true 0",
			"Harbor.arrive(_:) Harbor.swift:88 [Ferry] true 0",
			"_dispatch_call_block_and_release [] false 0",
		}
		if !reflect.DeepEqual(got[:4], want) {
			t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got[:4], "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("body alone", func(t *testing.T) {
		_, body, _ := strings.Cut(ipsCutReport, "\n")
		cut := body[:strings.Index(body, `"symbol":"Harbor.arrive(_:)"`)]
		sigs := parseIPS([]byte(cut))
		if len(sigs) != 1 || sigs[0].Title != title || len(sigs[0].Frames) != 4 {
			t.Errorf("got %+v", sigs)
		}
	})
	t.Run("every cut", func(t *testing.T) {
		first := at(`,{"imageOffset":1200`) // the crashed thread's first frame read whole
		app := at(`,{"imageOffset":1300`)   // and the app's
		for n := 0; n < len(ipsCutReport); n++ {
			sigs := parseIPS([]byte(ipsCutReport[:n]))
			checkSignals(t, sigs)
			if n < first {
				if len(sigs) != 0 {
					t.Fatalf("cut at %d, before the crashed thread's frames: got %+v", n, sigs)
				}
				continue
			}
			if len(sigs) != 1 || sigs[0].Title != title || sigs[0].Stacks[0] != "Thread 1 Crashed" {
				t.Fatalf("cut at %d: got %+v", n, sigs)
			}
			if n >= app {
				if f := sigs[0].Frames[1]; f.Function != "Dock.moor(at:)" || !f.InApp || sigs[0].Frames[0].InApp {
					t.Fatalf("cut at %d: frames %+v", n, sigs[0].Frames)
				}
			}
		}
	})
}

// TestIPSRepair checks how JSON cut short is closed: after the last
// element of an array read whole, after the last member of an object near
// the top, never inside a frame.
func TestIPSRepair(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1,"b":[1,2,3`, `{"a":1,"b":[1,2]}`},
		{`{"a":{"x":"y","z":12`, `{"a":{"x":"y"}}`},
		{`{"t":[{"f":[{"s":"a"},{"s":"b"},{"s":"c`, `{"t":[{"f":[{"s":"a"},{"s":"b"}]}]}`},
		{`{"t":[{"id":1,"f":[`, `{"t":[{"id":1,"f":[]}]}`},
		{`{"a":"x\"y","b":[-1.5e3, 0, true, null]`, `{"a":"x\"y","b":[-1.5e3, 0, true, null]}`},
		{`{"a":true,"b":"\u00`, `{"a":true}`},
		{`{"a":1, "b" 2, "c":[3]}`, `{"a":1}`}, // damaged: read up to the damage
		{`{"a":[1,2,]}`, `{"a":[1,2]}`},
		{`{"a":[01]}`, `{"a":[]}`},
		{`{"a":1}`, `{"a":1}`},
	}
	for _, tt := range tests {
		got, ok := ipsRepair([]byte(tt.in))
		if !ok || string(got) != tt.want {
			t.Errorf("ipsRepair(%s): got %s %v, want %s", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{``, `x`, `"abc`, `[`[:0]} {
		if got, ok := ipsRepair([]byte(in)); ok {
			t.Errorf("ipsRepair(%q): got %s", in, got)
		}
	}
}

// FuzzParseIPS runs the .ips reader on any input: it never panics, keeps
// the limits, and every frame belongs to a named stack.
func FuzzParseIPS(f *testing.F) {
	seedFuzz(f, "apple", "sentry")
	for _, s := range []string{
		`{"bug_type":"309"}` + "\n" + `{"threads":[{"frames":[{"imageIndex":0,"symbol":"f","sourceFile":"a.swift","sourceLine":1}]}]}`,
		`{"threads":[{"triggered":true,"frames":[{"imageIndex":-1},{"imageIndex":9}]}],"usedImages":[{"path":"/a.app/a"}],"faultingThread":7,"asi":{"x":"one","y":[1]}}`,
		`{"threads":[],"usedImages":[],"lastExceptionBacktrace":[{"symbol":"g","sourceLine":-4}],"exception":{"type":"EXC_CRASH"},"termination":{"code":"0x8badf00d"}}`,
		ipsCutReport[:len(ipsCutReport)/2],
		`{"faultingThread":0,"threads":[{"triggered":true,"frames":[{"symbol":"f"},{"symbol":"g","imageIndex":3},{"sym`,
		`{"threads":[{"triggered":true,"frames":[{"imageIndex":0,"imageOffset":-1},{"imageIndex":1,"imageOffset":1e3},{"imageOffset":7},{"imageIndex":0,"imageOffset":"x"}]}],"usedImages":[{"name":"a","uuid":"1A2B-3C"},{"uuid":7}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs := parseIPS(data)
		checkSignals(t, sigs)
		checkFrameOffsets(t, sigs)
		for _, s := range sigs {
			if s.Format != FormatApple || s.Frames == nil {
				t.Fatalf("got format %q, frames %v", s.Format, s.Frames)
			}
			for _, fr := range s.Frames {
				if fr.Stack < 0 || fr.Stack >= len(s.Stacks) {
					t.Fatalf("frame in stack %d of %d", fr.Stack, len(s.Stacks))
				}
			}
		}
	})
}

// FuzzIPSRepair checks that what ipsRepair gives is JSON, and the input
// up to the cut.
func FuzzIPSRepair(f *testing.F) {
	for _, s := range []string{ipsCutReport, ipsCutReport[:700], `{"a":[1,{"b":"\u00e9"}],"c":{"d":[`, `[1,2`, `{"a":1, "b" 2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, ok := ipsRepair(data)
		if !ok {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("ipsRepair(%q) = %q: not JSON", data, out)
		}
		body := strings.TrimRight(string(out), "]}")
		if !strings.HasPrefix(string(data), body) {
			t.Fatalf("ipsRepair(%q) = %q: not the input's start", data, out)
		}
	})
}
