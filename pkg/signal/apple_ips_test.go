package signal

import (
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

// FuzzParseIPS runs the .ips reader on any input: it never panics, keeps
// the limits, and every frame belongs to a named stack.
func FuzzParseIPS(f *testing.F) {
	seedFuzz(f, "apple", "sentry")
	for _, s := range []string{
		`{"bug_type":"309"}` + "\n" + `{"threads":[{"frames":[{"imageIndex":0,"symbol":"f","sourceFile":"a.swift","sourceLine":1}]}]}`,
		`{"threads":[{"triggered":true,"frames":[{"imageIndex":-1},{"imageIndex":9}]}],"usedImages":[{"path":"/a.app/a"}],"faultingThread":7,"asi":{"x":"one","y":[1]}}`,
		`{"threads":[],"usedImages":[],"lastExceptionBacktrace":[{"symbol":"g","sourceLine":-4}],"exception":{"type":"EXC_CRASH"},"termination":{"code":"0x8badf00d"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs := parseIPS(data)
		checkSignals(t, sigs)
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
