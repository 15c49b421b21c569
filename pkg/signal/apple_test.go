package signal

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// appleFrames lists frames as "function file:line module in-app stack".
func appleFrames(s Signal) []string {
	var out []string
	for _, f := range s.Frames {
		loc := ""
		if f.File != "" {
			loc = fmt.Sprintf(" %s:%d", f.File, f.Line)
		}
		out = append(out, fmt.Sprintf("%s%s [%s] %v %d", f.Function, loc, f.Module, f.InApp, f.Stack))
	}
	return out
}

func parseAppleFile(t *testing.T, name string) Signal {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "apple", name))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 {
		t.Fatalf("got %d signals, want 1", len(sigs))
	}
	return sigs[0]
}

func appleWantTime(t *testing.T, got *time.Time, want string) {
	t.Helper()
	w, err := time.Parse(time.RFC3339Nano, want)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.Equal(w) {
		t.Errorf("timestamp: got %v, want %v", got, w)
	}
}

// TestAppleMacOSReport reads a macOS crash report as Console shows it: the
// crashed thread first, frames of the app (the main binary and a framework
// inside the bundle) in-app, frames of the system's images not, even when
// they name a function.
func TestAppleMacOSReport(t *testing.T) {
	for _, name := range []string{"macos_bad_access.txt", "macos_bad_access_ips.json"} {
		t.Run(name, func(t *testing.T) {
			s := parseAppleFile(t, name)
			if s.Format != FormatApple {
				t.Errorf("format: got %q, want %q", s.Format, FormatApple)
			}
			if want := "EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS at 0x0000000000000010"; s.Title != want {
				t.Errorf("title: got %q, want %q", s.Title, want)
			}
			appleWantTime(t, s.Timestamp, "2026-11-20T09:31:22.1189Z")
			got := appleFrames(s)
			want := []string{
				"Renderer::draw renderer.cpp:88 [Lumen] true 0",
				"-[CanvasView drawRect:] CanvasView.mm:31 [Lumen] true 0",
				"LKLayerFlush [LumenKit] true 0",
				"_NSViewDrawRect [AppKit] false 0",
			}
			if !reflect.DeepEqual(got[:4], want) {
				t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got[:4], "\n"), strings.Join(want, "\n"))
			}
			for _, w := range []string{
				"CA::Layer::display_if_needed [QuartzCore] false 0",
				"__CFRUNLOOP_IS_CALLING_OUT_TO_AN_OBSERVER_CALLBACK_FUNCTION__ [CoreFoundation] false 0",
				" [HIToolbox] false 0", // not symbolicated
				"main main.mm:12 [Lumen] true 0",
				"start [dyld] false 0",
				"start_wqthread [libsystem_pthread.dylib] false 1",
				"_pthread_start [libsystem_pthread.dylib] false 2",
			} {
				if !slices.Contains(got, w) {
					t.Errorf("frames lack %q; got\n%s", w, strings.Join(got, "\n"))
				}
			}
			wantStacks := []string{"Thread 0 Crashed: Dispatch queue: com.apple.main-thread", "Thread 1", "Thread 2: com.apple.NSEventThread"}
			if !reflect.DeepEqual(s.Stacks, wantStacks) {
				t.Errorf("stacks: got %q, want %q", s.Stacks, wantStacks)
			}
			if len(s.Notes) != 0 {
				t.Errorf("notes: got %q, want none", s.Notes)
			}
			for _, w := range []string{"exc_bad_access", "sigsegv", "kern_invalid_address"} {
				if !slices.Contains(s.Symptoms, w) {
					t.Errorf("symptoms %q lack %q", s.Symptoms, w)
				}
			}
		})
	}
}

// TestAppleUncaughtNSException reads an iOS report of an uncaught
// NSException: the Last Exception Backtrace is the crash stack, the
// exception's name and reason title it, the crashed thread (abort) comes
// next; Swift and Objective-C names stay as printed, and a frame of the app
// that is only an image offset is not in-app.
func TestAppleUncaughtNSException(t *testing.T) {
	s := parseAppleFile(t, "ios_nsexception.txt")
	if want := "NSRangeException: *** -[__NSArrayM objectAtIndexedSubscript:]: index 5 beyond bounds [0 .. 2]"; s.Title != want {
		t.Errorf("title: got %q, want %q", s.Title, want)
	}
	appleWantTime(t, s.Timestamp, "2026-11-20T09:31:22.118Z")
	got := appleFrames(s)
	want := []string{
		"__exceptionPreprocess [CoreFoundation] false 0",
		"objc_exception_throw [libobjc.A.dylib] false 0",
		"-[__NSArrayM objectAtIndexedSubscript:] [CoreFoundation] false 0",
		"-[BKCartController itemAtIndex:] BKCartController.m:77 [Basket] true 0",
		"CartViewModel.total.getter CartViewModel.swift:57 [Basket] true 0",
		"closure #1 in CartView.body.getter CartView.swift:23 [Basket] true 0",
		" [SwiftUI] false 0",
		" [Basket] false 0",
		"-[UIApplication _run] [UIKitCore] false 0",
		"main main.swift:9 [Basket] true 0",
		"start [dyld] false 0",
		"__pthread_kill [libsystem_kernel.dylib] false 1",
		"pthread_kill [libsystem_pthread.dylib] false 1",
		"abort [libsystem_c.dylib] false 1",
		"abort_message [libc++abi.dylib] false 1",
		"demangling_terminate_handler [libc++abi.dylib] false 1",
		"_objc_terminate [libobjc.A.dylib] false 1",
		"std::__terminate [libc++abi.dylib] false 1",
	}
	if !reflect.DeepEqual(got[:len(want)], want) {
		t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got[:len(want)], "\n"), strings.Join(want, "\n"))
	}
	if w := "SyncEngine.poll() SyncEngine.swift:140 [Basket] true 3"; !slices.Contains(got, w) {
		t.Errorf("frames lack %q; got\n%s", w, strings.Join(got, "\n"))
	}
	wantStacks := []string{"Last Exception Backtrace", "Thread 0 Crashed: Dispatch queue: com.apple.main-thread", "Thread 1",
		"Thread 2: Dispatch queue: com.example.basket.sync"}
	if !reflect.DeepEqual(s.Stacks, wantStacks) {
		t.Errorf("stacks: got %q, want %q", s.Stacks, wantStacks)
	}
	for _, w := range []string{"nsrangeexception", "objectatindexedsubscript", "bounds", "sigabrt"} {
		if !slices.Contains(s.Symptoms, w) {
			t.Errorf("symptoms %q lack %q", s.Symptoms, w)
		}
	}
}

// TestAppleFrameLines checks one frame line of each form a text report
// prints.
func TestAppleFrameLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0   MyApp                         \t0x0000000102a3c4f8 Renderer::draw(Frame const*) + 44 (renderer.cpp:88)", "Renderer::draw renderer.cpp:88 [MyApp] true"},
		{"0   MyApp   \t       0x102a3c4f8 Renderer::draw(Frame const*) const + 44 (renderer.cpp:88)", "Renderer::draw renderer.cpp:88 [MyApp] true"},
		{"2   SwiftUI  0x000000018a8d1e0c 0x18a5a3000 + 3334668", " [SwiftUI] false"},
		{"7   MyApp  0x0000000102a34e80 0x102a2c000 + 36480", " [MyApp] false"},
		{"3   libsystem_pthread.dylib       \t0x00000001f0e1c0e8 _pthread_start + 136", "_pthread_start [libsystem_pthread.dylib] false"},
		{"4   MyApp  0x0000000102a3c500 CartViewModel.total.getter + 212 (CartViewModel.swift:57)", "CartViewModel.total.getter CartViewModel.swift:57 [MyApp] true"},
		{"5   MyApp  0x0000000102a3c600 closure #1 in CartView.body.getter + 96 (CartView.swift:23)", "closure #1 in CartView.body.getter CartView.swift:23 [MyApp] true"},
		{"6   MyApp  0x0000000102a3c700 -[AppDelegate application:didFinishLaunchingWithOptions:] + 120 (AppDelegate.m:42)", "-[AppDelegate application:didFinishLaunchingWithOptions:] AppDelegate.m:42 [MyApp] true"},
		{"6   MyApp  0x0000000102a3c700 AppDelegate.application(_:didFinishLaunchingWithOptions:) + 80 (AppDelegate.swift:18)", "AppDelegate.application(_:didFinishLaunchingWithOptions:) AppDelegate.swift:18 [MyApp] true"},
		{"1   MyApp  0x0000000102a3c4f8 Swift runtime failure: Unexpectedly found nil while unwrapping an Optional value + 0 (<compiler-generated>:0) [inlined]", "Swift runtime failure: Unexpectedly found nil while unwrapping an Optional value [MyApp] false"},
		{"8   MyApp  0x0000000102a3c800 @objc CartView.tap() + 28 (<compiler-generated>:0)", "@objc CartView.tap() [MyApp] true"},
		{"9   MyApp  0x0000000102a3c900 draw_frame(frame*) (in MyApp) (draw.c:12)", "draw_frame draw.c:12 [MyApp] true"},
		{"9   MyApp  0x0000000102a3c900 std::__1::vector<int, std::__1::allocator<int>>::at(unsigned long) + 40 (vector:1560)", "std::__1::vector<int, std::__1::allocator<int>>::at vector:1560 [MyApp] false"},
		{"10  MyApp  0x0000000102a3ca00 __40-[Downloader fetch:completion:]_block_invoke + 52 (Downloader.m:90)", "__40-[Downloader fetch:completion:]_block_invoke Downloader.m:90 [MyApp] true"},
		{"11  ???    0x0000000000000000 0x0 + 0", " [???] false"},
		{"12  Alamofire  0x0000000103b0c100 Session.request(_:) + 12", "Session.request(_:) [Alamofire] true"},
		{"13  Foundation  0x000000018b0c1100 -[NSOperation start] + 640", "-[NSOperation start] [Foundation] false"},
		// A bundle identifier of Apple's names a system image (a report
		// without Binary Images).
		{"0   com.apple.AppKit   0x00007fff9c41a44e -[NSApplication _crashOnException:] + 109", "-[NSApplication _crashOnException:] [com.apple.AppKit] false"},
		{"1   com.apple.CoreFoundation  0x00007fff9a2b1c2d __CFRunLoopRun + 1361", "__CFRunLoopRun [com.apple.CoreFoundation] false"},
		{"2   org.example.Lumen  0x0000000104b1c2d0 -[LMCanvas redraw:] + 52", "-[LMCanvas redraw:] [org.example.Lumen] true"},
		// An image and offset, then the symbol and its offset in
		// parentheses (a report symbolicated by a crash reporting service).
		{"0   libsystem_kernel.dylib   0x00000001c2a0c788 0x1c2a0b000 + 6024 (mach_msg2_trap + 8)", "mach_msg2_trap [libsystem_kernel.dylib] false"},
		{"1   Shop   0x0000000100e11230 0x100d28000 + 954928 (-[SHCart invalidate] + 44)", "-[SHCart invalidate] [Shop] true"},
		{"2   Shop   0x0000000100e11230 0x100d28000 + 954928 (Cart.total.getter + 12) (Cart.swift:57)", "Cart.total.getter Cart.swift:57 [Shop] true"},
		{"4   CoreFoundation  0x0000000181baf804 0x181b39000 + 485380 (<redacted> + 160)", " [CoreFoundation] false"},
		// An address printed without its 0x.
		{"3   ???   000000000000000000 0 + 0", " [???] false"},
		// Placeholders of the symbolicator.
		{"0   Shop   0x0000000100a0c4f8 <deduplicated_symbol> + 112", " [Shop] false"},
	}
	for _, tt := range tests {
		f, ok := appleFrameLine(strings.TrimSpace(tt.in))
		if !ok {
			t.Errorf("%q: not read as a frame", tt.in)
			continue
		}
		c := appleCrash{}
		fr := c.frame(f, "")
		loc := ""
		if fr.File != "" {
			loc = fmt.Sprintf(" %s:%d", fr.File, fr.Line)
		}
		if got := fmt.Sprintf("%s%s [%s] %v", fr.Function, loc, fr.Module, fr.InApp); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"Thread 0 crashed with ARM Thread State (64-bit):", "12 apples 0x for sale", "0x1 0x2", "1  foo"} {
		if _, ok := appleFrameLine(in); ok {
			t.Errorf("%q: read as a frame", in)
		}
	}
}

// TestAppleInApp checks the in-app rule: by the image's path when the
// report lists its images (inside the app's bundle or, for a program
// outside one, its folder), else by the image's name.
func TestAppleInApp(t *testing.T) {
	const app = "/private/var/containers/Bundle/Application/4C0B/Shop.app/Shop"
	tests := []struct {
		file, function, module, path, appPath string
		want                                  bool
	}{
		{"Cart.swift", "Cart.total.getter", "Shop", "/var/containers/Bundle/Application/4C0B/Shop.app/Shop", app, true},
		{"", "Cart.total.getter", "ShopKit", "/private/var/containers/Bundle/Application/4C0B/Shop.app/Frameworks/ShopKit.framework/ShopKit", app, true},
		{"", "-[UIApplication _run]", "UIKitCore", "/System/Library/PrivateFrameworks/UIKitCore.framework/UIKitCore", app, false},
		{"", "swift_retain", "libswiftCore.dylib", "/usr/lib/swift/libswiftCore.dylib", app, false},
		{"", "SwiftUI.View.body", "SwiftUI", "/private/preboot/Cryptexes/OS/System/Library/Frameworks/SwiftUI.framework/SwiftUI", app, false},
		{"", "curl_easy_perform", "libcurl.4.dylib", "/opt/homebrew/lib/libcurl.4.dylib", "/Users/dev/tool/build/tool", false},
		{"", "parse_args", "libtoolcore.dylib", "/Users/dev/tool/build/libtoolcore.dylib", "/Users/dev/tool/build/tool", true},
		{"", "Sparkle.update", "Sparkle", "/Library/Frameworks/Sparkle.framework/Sparkle", "/Applications/Lumen.app/Contents/MacOS/Lumen", false},
		{"", "", "Shop", "/private/var/containers/Bundle/Application/4C0B/Shop.app/Shop", app, false}, // not symbolicated
		{"third_party/zlib/inflate.c", "inflate", "Shop", app, app, false},
		// Without Binary Images: by name.
		{"", "CFRunLoopRunSpecific", "CoreFoundation", "", "", false},
		{"", "objc_msgSend", "libobjc.A.dylib", "", "", false},
		{"", "__pthread_kill", "libsystem_kernel.dylib", "", "", false},
		{"", "start", "dyld", "", "", false},
		{"", "Foundation.Data.init", "Foundation", "", "", false},
		{"", "_swift_stdlib_bridgeErrorToNSError", "libswiftCore.dylib", "", "", false},
		{"Cart.swift", "Cart.total.getter", "Shop", "", "", true},
		{"", "-[NSApplication _crashOnException:]", "com.apple.AppKit", "", "", false},
		{"", "RunCurrentEventLoopInMode", "com.apple.HIToolbox", "", "", false},
		{"", "-[LMCanvas redraw:]", "org.example.Lumen", "", "", true},
		// Without the image (an .ips report cut before its list of
		// images): by the function's name.
		{"", "__pthread_kill", "", "", "", false},
		{"", "_dispatch_call_block_and_release", "", "", "", false},
		{"", "objc_msgSend", "", "", "", false},
		{"", "-[NSException raise]", "", "", "", false},
		{"", "__26-[UIView layoutSubviews]_block_invoke", "", "", "", false},
		{"", "CFRunLoopRunSpecific", "", "", "", false},
		{"", "start", "", "", "", false},
		{"", "-[LMCanvas redraw:]", "", "", "", true},
		{"", "__30-[LMCanvas redraw:]_block_invoke", "", "", "", true},
		{"", "CFooParser::parse", "", "", "", true},
		{"", "NSomething.run()", "", "", "", true},
		{"", "Dock.moor(at:)", "", "", "", true},
	}
	for _, tt := range tests {
		if got := appleInApp(tt.file, tt.function, tt.module, tt.path, appleAppRoot(tt.appPath)); got != tt.want {
			t.Errorf("appleInApp(%q, %q, %q, %q, root of %q): got %v, want %v", tt.file, tt.function, tt.module, tt.path, tt.appPath, got, tt.want)
		}
		if tt.path == "" {
			if got := IsInApp(FormatApple, tt.file, tt.function, tt.module); got != tt.want {
				t.Errorf("IsInApp(apple, %q, %q, %q): got %v, want %v", tt.file, tt.function, tt.module, got, tt.want)
			}
		}
	}
}

// TestAppleReportForms reads what else is pasted: a thread's stack alone,
// two reports one after the other, an assertion's message as the reason,
// an iOS watchdog's termination, a report of iOS 14 (a JSON metadata line,
// then the text), an unsymbolicated report (with a note).
func TestAppleReportForms(t *testing.T) {
	t.Run("stack alone", func(t *testing.T) {
		in := "Thread 0 Crashed:\n0   Shop   0x0000000100a0c4f8 Cart.total.getter + 12 (Cart.swift:57)\n1   UIKitCore  0x000000018a0c4f8 -[UIApplication _run] + 816\n"
		sigs, got := parseFrames(t, in, func(f Frame) string { return fmt.Sprintf("%s %s:%d %v", f.Function, f.File, f.Line, f.InApp) })
		if want := []string{"Cart.total.getter Cart.swift:57 true", "-[UIApplication _run] :0 false"}; !reflect.DeepEqual(got, want) {
			t.Errorf("frames: got %q, want %q", got, want)
		}
		if sigs[0].Format != FormatApple || sigs[0].Title != "crash report" || sigs[0].Timestamp != nil {
			t.Errorf("got format %q, title %q, time %v", sigs[0].Format, sigs[0].Title, sigs[0].Timestamp)
		}
	})
	t.Run("two reports", func(t *testing.T) {
		one := "Process:  Shop [1]\nPath:  /Applications/Shop.app/Contents/MacOS/Shop\nDate/Time:  2026-11-20 10:31:22.118 +0100\nException Type:  EXC_BAD_ACCESS (SIGBUS)\n\nThread 0 Crashed:\n0   Shop   0x0000000100a0c4f8 Cart.total.getter + 12 (Cart.swift:57)\n\n"
		two := "Process:  Shop [2]\nPath:  /Applications/Shop.app/Contents/MacOS/Shop\nDate/Time:  2026-11-21 08:00:00 +0000\nException Type:  EXC_CRASH (SIGABRT)\n\nThread 0 Crashed:\n0   Shop   0x0000000100a0c4f8 Cart.add(_:) + 12 (Cart.swift:12)\n"
		sigs, err := Parse("two.crash", []byte(one+two))
		if err != nil {
			t.Fatal(err)
		}
		if len(sigs) != 2 || sigs[0].Title != "EXC_BAD_ACCESS (SIGBUS)" || sigs[1].Title != "EXC_CRASH (SIGABRT)" {
			t.Fatalf("got %d signals: %+v", len(sigs), sigs)
		}
		appleWantTime(t, sigs[1].Timestamp, "2026-11-21T08:00:00Z")
		if f := sigs[1].Frames[0]; f.Function != "Cart.add(_:)" || f.Line != 12 || !f.InApp {
			t.Errorf("second report's frame: got %+v", f)
		}
	})
	t.Run("assertion", func(t *testing.T) {
		in := "Exception Type:  EXC_CRASH (SIGABRT)\nTermination Reason:    Namespace SIGNAL, Code 6 Abort trap: 6\n\nApplication Specific Information:\nAssertion failed: (frame != NULL), function draw, file renderer.cpp, line 88.\n\n" +
			"Thread 0 Crashed::  Dispatch queue: com.apple.main-thread\n0   libsystem_kernel.dylib  0x0000000187e45a60 __pthread_kill + 8\n1   libsystem_c.dylib  0x0000000187d8a9a8 __assert_rtn + 272\n2   Lumen   0x0000000100b1c4f8 Renderer::draw(Frame const*) + 44 (renderer.cpp:88)\n"
		sigs, err := Parse("assert.crash", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if want := "EXC_CRASH (SIGABRT): Assertion failed: (frame != NULL), function draw, file renderer.cpp, line 88."; sigs[0].Title != want {
			t.Errorf("title: got %q, want %q", sigs[0].Title, want)
		}
		if f := sigs[0].Frames[2]; f.Function != "Renderer::draw" || !f.InApp || sigs[0].Frames[1].InApp {
			t.Errorf("frames: got %+v", sigs[0].Frames)
		}
	})
	t.Run("watchdog", func(t *testing.T) {
		in := "Exception Type:  EXC_CRASH (SIGKILL)\nTermination Reason: FRONTBOARD 2343432205 <RBSTerminateContext| domain:10 code:0x8BADF00D explanation:scene-update watchdog transgression>\n\n" +
			"Thread 0 name:   Dispatch queue: com.apple.main-thread\nThread 0 Crashed:\n0   libsystem_kernel.dylib  0x00000001e2a0c4f8 mach_msg2_trap + 8\n1   Shop   0x0000000100a0c4f8 Catalog.load() + 12 (Catalog.swift:40)\n"
		sigs, err := Parse("watchdog.crash", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if want := "EXC_CRASH (SIGKILL): FRONTBOARD 2343432205 <RBSTerminateContext| domain:10 code:0x8BADF00D explanation:scene-update watchdog transgression>"; sigs[0].Title != want {
			t.Errorf("title: got %q, want %q", sigs[0].Title, want)
		}
		if want := []string{"Thread 0 Crashed: Dispatch queue: com.apple.main-thread"}; !reflect.DeepEqual(sigs[0].Stacks, want) {
			t.Errorf("stacks: got %q, want %q", sigs[0].Stacks, want)
		}
	})
	t.Run("iOS 14 metadata line", func(t *testing.T) {
		in := `{"app_name":"Shop","timestamp":"2026-11-20 10:31:22.00 +0100","bug_type":"109","name":"Shop"}` + "\n" +
			"Incident Identifier: 11111111-2222-3333-4444-555555555555\nProcess:  Shop [7]\nPath:  /private/var/containers/Bundle/Application/AB/Shop.app/Shop\nDate/Time:  2026-11-20 10:31:22.118 +0100\n" +
			"Exception Type:  EXC_BAD_ACCESS (SIGSEGV)\nException Subtype: KERN_INVALID_ADDRESS at 0x0000000000000008\n\nThread 0 Crashed:\n" +
			"0   Shop   0x0000000100a0c4f8 Cart.total.getter + 12 (Cart.swift:57)\n\nBinary Images:\n0x100a00000 - 0x100a7ffff Shop arm64  <0a1b2c3d4e5f60718293a4b5c6d7e8f9> /var/containers/Bundle/Application/AB/Shop.app/Shop\n"
		sigs, err := Parse("shop.ips", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if sigs[0].Format != FormatApple || sigs[0].Title != "EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS at 0x0000000000000008" {
			t.Errorf("got format %q, title %q", sigs[0].Format, sigs[0].Title)
		}
		if f := sigs[0].Frames[0]; f.File != "Cart.swift" || f.Line != 57 || !f.InApp {
			t.Errorf("frame: got %+v", f)
		}
	})
	t.Run("unsymbolicated", func(t *testing.T) {
		in := "Path:  /Applications/Shop.app/Contents/MacOS/Shop\nException Type:  EXC_BAD_ACCESS (SIGSEGV)\n\nThread 0 Crashed:\n" +
			"0   Shop   0x0000000100a0c4f8 0x100a00000 + 50424\n1   Shop   0x0000000100a0c5f8 0x100a00000 + 50680\n2   dyld  0x0000000187ae8274 start + 2840\n"
		sigs, err := Parse("raw.crash", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(sigs[0].Frames) != 3 || sigs[0].Frames[0].InApp || len(sigs[0].Notes) != 1 || !strings.Contains(sigs[0].Notes[0], "not symbolicated") {
			t.Errorf("got frames %+v, notes %q", sigs[0].Frames, sigs[0].Notes)
		}
	})
}

// TestAppleThreadHeaders checks which lines start a thread's stack.
func TestAppleThreadHeaders(t *testing.T) {
	tests := []struct {
		in, name string
		crashed  bool
		ok       bool
	}{
		{"Thread 0 Crashed::  Dispatch queue: com.apple.main-thread", "Dispatch queue: com.apple.main-thread", true, true},
		{"Thread 0 Crashed:", "", true, true},
		{"Thread 0 Crashed:  Dispatch queue: com.apple.main-thread", "Dispatch queue: com.apple.main-thread", true, true},
		{"Thread 3:: com.apple.NSEventThread", "com.apple.NSEventThread", false, true},
		{"Thread 1:", "", false, true},
		{"Thread 1:  Dispatch queue: com.apple.libdispatch-manager", "Dispatch queue: com.apple.libdispatch-manager", false, true},
		{"Thread 3: worker started", "", false, false},
		{"Thread 0 crashed with ARM Thread State (64-bit):", "", false, false},
		{"Thread 0 name:  Dispatch queue: com.apple.main-thread", "", false, false},
		{"Thread 2 (Thread 0x7ffff7d89740 (LWP 1234)):", "", false, false},
	}
	for _, tt := range tests {
		m := appleThreadRE.FindStringSubmatch(tt.in)
		if (m != nil) != tt.ok {
			t.Errorf("%q: matched %v, want %v", tt.in, m != nil, tt.ok)
			continue
		}
		if m != nil && (strings.TrimSpace(m[3]+m[4]+m[5]) != tt.name || (m[2] != "") != tt.crashed) {
			t.Errorf("%q: got name %q crashed %v, want %q %v", tt.in, m[3]+m[4]+m[5], m[2] != "", tt.name, tt.crashed)
		}
	}
}

// TestAppleTextPastes reads text reports as they are posted: a frame whose
// address lacks its 0x does not end the thread's stack, and
// PLCrashReporter's "Exception Codes: #0 at 0x..." is no reason.
func TestAppleTextPastes(t *testing.T) {
	t.Run("address without 0x", func(t *testing.T) {
		in := "Exception Type:  EXC_BAD_ACCESS (SIGSEGV)\nException Codes: KERN_INVALID_ADDRESS at 0x0000000000000000\n\nThread 0 Crashed:: Dispatch queue: com.apple.main-thread\n" +
			"0   libsystem_kernel.dylib        \t0x00007fff8a1c4866 __kill + 10\n" +
			"1   org.example.Tiler             \t0x0000000104b2a1f0 0x104b20000 + 41456\n" +
			"2   libsystem_platform.dylib      \t0x00007fff8b2a35aa _sigtramp + 26\n" +
			"3   ???                           \t000000000000000000 0 + 0\n" +
			"4   org.example.Tiler             \t0x0000000104b2bf20 -[TLLayout reflow:] + 96\n" +
			"5   org.example.Tiler             \t0x0000000104b2c010 -[TLWindowManager update] + 40\n" +
			"6   com.apple.AppKit              \t0x00007fff9c41a44e -[NSApplication run] + 595\n"
		sigs, err := Parse("tiler.crash", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		got := appleFrames(sigs[0])
		want := []string{
			"__kill [libsystem_kernel.dylib] false 0",
			" [org.example.Tiler] false 0",
			"_sigtramp [libsystem_platform.dylib] false 0",
			" [???] false 0",
			"-[TLLayout reflow:] [org.example.Tiler] true 0",
			"-[TLWindowManager update] [org.example.Tiler] true 0",
			"-[NSApplication run] [com.apple.AppKit] false 0",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("frames: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("PLCrashReporter codes", func(t *testing.T) {
		in := "Incident Identifier: 0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0\nCrashReporter Key:   TODO\nHardware Model:      iPhone5,2\nProcess:         Shop [1207]\n" +
			"Path:            /var/mobile/Applications/0A1B/Shop.app/Shop\nIdentifier:      com.example.shop\n\nException Type:  SIGABRT\nException Codes: #0 at 0x3a1b2c3d\nCrashed Thread:  0\n\n" +
			"Thread 0 Crashed:\n0   libsystem_kernel.dylib              0x3a1b2c3d __pthread_kill + 8\n1   Shop                                0x000a1b2c -[SHCart checkout] + 40\n"
		sigs, err := Parse("shop.crash", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if sigs[0].Title != "SIGABRT" {
			t.Errorf("title: got %q, want %q", sigs[0].Title, "SIGABRT")
		}
	})
}

// TestAppleReportTimeNow: the time of a report written an hour ago, east
// of UTC, is read from its text form's Date/Time and from an .ips
// report's captureTime (the real clock's twin of the samples' fixed times).
func TestAppleReportTimeNow(t *testing.T) {
	now := time.Now().Add(-time.Hour).Truncate(time.Millisecond).In(time.FixedZone("", 3600))
	text := "Process:  Shop [1]\nPath:  /Applications/Shop.app/Contents/MacOS/Shop\nDate/Time:  " + now.Format("2006-01-02 15:04:05.000 -0700") +
		"\nException Type:  EXC_BAD_ACCESS (SIGBUS)\n\nThread 0 Crashed:\n0   Shop   0x0000000100a0c4f8 Cart.total.getter + 12 (Cart.swift:57)\n"
	ips := `{"app_name":"Shop","bug_type":"309"}` + "\n" + `{"procPath":"/Applications/Shop.app/Contents/MacOS/Shop","captureTime":"` + now.Format("2006-01-02 15:04:05.0000 -0700") +
		`","exception":{"type":"EXC_BAD_ACCESS","signal":"SIGBUS"},"faultingThread":0,"threads":[{"triggered":true,"frames":[{"imageIndex":0,"symbol":"Cart.total.getter","sourceFile":"Cart.swift","sourceLine":57}]}],"usedImages":[{"name":"Shop","path":"/Applications/Shop.app/Contents/MacOS/Shop"}]}`
	for name, in := range map[string]string{"crash": text, "ips": ips} {
		sigs, err := Parse("report", []byte(in))
		if err != nil || len(sigs) != 1 || sigs[0].Format != FormatApple {
			t.Fatalf("%s: got %+v, %v", name, sigs, err)
		}
		if ts := sigs[0].Timestamp; ts == nil || !ts.Equal(now) {
			t.Errorf("%s: got time %v, want %v", name, ts, now)
		}
	}
}

// TestAppleOffsets: a frame of a text report not symbolicated ("0x18a5a3000
// + 3334668") keeps its offset from its image's load address, and every
// frame of an image the Binary Images list keeps its UUID as its build
// ID; a JSON report's frames keep their imageOffset and their image's
// uuid, the same as the text of the same crash. A frame of no image
// ("???") keeps neither.
func TestAppleOffsets(t *testing.T) {
	const basket = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	const swiftUI = "4e5f60718293a4b5c6d7e8f90a1b2c3d"
	const hiToolbox = "HIToolbox 0x66b0c 8293a4b5c6d7e8f90a1b2c3d4e5f6071"
	checkOffsetRows(t, []offsetRow{
		{"crash", "testdata/apple/ios_nsexception.txt", FormatApple, []string{
			"__exceptionPreprocess CoreFoundation - 2c3d4e5f60718293a4b5c6d7e8f90a1b",
			"objc_exception_throw libobjc.A.dylib - 1b2c3d4e5f60718293a4b5c6d7e8f90a",
			"-[__NSArrayM objectAtIndexedSubscript:] CoreFoundation - 2c3d4e5f60718293a4b5c6d7e8f90a1b",
			"-[BKCartController itemAtIndex:] Basket - " + basket,
			"CartViewModel.total.getter Basket - " + basket,
			"closure #1 in CartView.body.getter Basket - " + basket,
			"- SwiftUI 0x32e20c " + swiftUI,
			"- Basket 0x8e80 " + basket,
		}},
		{"ips", "testdata/apple/ios_swift_trap_ips.json", FormatApple, []string{
			"Swift runtime failure: Index out of range Basket 0x25a3c " + basket,
			"CartViewModel.total.getter Basket 0x25a3c " + basket,
			"closure #1 in CartView.body.getter Basket 0x24b2c " + basket,
			"- SwiftUI 0x32e20c " + swiftUI,
			"- Basket 0x8e80 " + basket,
		}},
		{"crash and ips alike", "testdata/apple/macos_bad_access.txt", FormatApple, []string{
			"Renderer::draw Lumen - 9a0b1c2d3e4f5061728394a5b6c7d8e9",
			"-[CanvasView drawRect:] Lumen - 9a0b1c2d3e4f5061728394a5b6c7d8e9",
			"LKLayerFlush LumenKit - 1b2c3d4e5f60718293a4b5c6d7e8f901",
			"_NSViewDrawRect AppKit - 60718293a4b5c6d7e8f90a1b2c3d4e5f",
			"-[NSView(NSInternal) _recursive:displayRectIgnoringOpacity:inContext:stopAtLayerBackedViews:] AppKit - 60718293a4b5c6d7e8f90a1b2c3d4e5f",
			"CA::Layer::display_if_needed QuartzCore - 718293a4b5c6d7e8f90a1b2c3d4e5f60",
			"__CFRUNLOOP_IS_CALLING_OUT_TO_AN_OBSERVER_CALLBACK_FUNCTION__ CoreFoundation - 5f60718293a4b5c6d7e8f90a1b2c3d4e",
			"- " + hiToolbox,
		}},
		{"ips of the same crash", "testdata/apple/macos_bad_access_ips.json", FormatApple, []string{
			"Renderer::draw Lumen 0x104f8 9a0b1c2d3e4f5061728394a5b6c7d8e9",
			"-[CanvasView drawRect:] Lumen 0xf2c0 9a0b1c2d3e4f5061728394a5b6c7d8e9",
			"LKLayerFlush LumenKit 0x4a10 1b2c3d4e5f60718293a4b5c6d7e8f901",
			"_NSViewDrawRect AppKit 0xd103c 60718293a4b5c6d7e8f90a1b2c3d4e5f",
			"CA::Layer::display_if_needed QuartzCore 0x10e0bc 718293a4b5c6d7e8f90a1b2c3d4e5f60",
			"__CFRUNLOOP_IS_CALLING_OUT_TO_AN_OBSERVER_CALLBACK_FUNCTION__ CoreFoundation 0x7d0d8 5f60718293a4b5c6d7e8f90a1b2c3d4e",
			"- " + hiToolbox,
		}},
		{"symbol after the offset, dashed UUIDs", "Process:               Shop [812]\n" +
			"Path:                  /Applications/Shop.app/Contents/MacOS/Shop\n" +
			"Exception Type:        EXC_BAD_ACCESS (SIGSEGV)\n\n" +
			"Thread 0 Crashed::  Dispatch queue: com.apple.main-thread\n" +
			"0   Shop                          \t0x0000000100abc123 0x100a00000 + 770339\n" +
			"1   libsystem_kernel.dylib        \t       0x1db25c788 0x1db25b000 + 6024 (mach_msg2_trap + 8)\n" +
			"2   ???                           \t0x0000000000000000 0x0 + 0\n" +
			"3   Shop                          \t0x0000000100a01234 main + 20\n\n" +
			"Binary Images:\n" +
			"       0x100a00000 -        0x100bfffff Shop (1.0) <1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D> /Applications/Shop.app/Contents/MacOS/Shop\n" +
			"       0x1db25b000 -        0x1db295fff libsystem_kernel.dylib (*) <0B1C2D3E-4F5A-6B7C-8D9E-0F1A2B3C4D5E> /usr/lib/system/libsystem_kernel.dylib\n",
			FormatApple, []string{
				"- Shop 0xbc123 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
				"mach_msg2_trap libsystem_kernel.dylib 0x1788 0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
				"- ??? - -",
				"main Shop - 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
			}},
	})
}
