package signal

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// tombstoneApp is the directory of the fictional app the tombstone tests
// crash, as Android 11 and later install it.
const tombstoneApp = "/data/app/~~Qm3xT0aZ1bYw==/com.example.sketchpad-Hk2pL9sVq8Rt==/lib/arm64/libsketch.so"

// tombstone14 is an Android 14 tombstone: the render thread dereferences a
// null pointer in the app's library; another thread follows.
// tombstoneWhen is tombstone14's time: two hours ago, in a zone east of
// UTC, as a crash a user pastes has.
var tombstoneWhen = time.Now().Add(-2 * time.Hour).In(time.FixedZone("", 3600))

var tombstone14 = []string{
	"*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***",
	"Build fingerprint: 'acme/falcon/falcon:14/UQ1A.240105.004/11206848:user/release-keys'",
	"Revision: '0'",
	"ABI: 'arm64'",
	"Timestamp: " + tombstoneWhen.Format("2006-01-02 15:04:05.000000000-0700"),
	"Process uptime: 42s",
	"Cmdline: com.example.sketchpad",
	"pid: 12345, tid: 12377, name: RenderThread  >>> com.example.sketchpad <<<",
	"uid: 10187",
	"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0000000000000010",
	"Cause: null pointer dereference",
	"    x0  0000000000000000  x1  0000007b2c1e4a10  x2  0000000000000004  x3  0000000000000001",
	"    lr  0000007a9f04fb10  sp  0000007a8e3fe6d0  pc  0000007a9f04fb2c  pst 0000000060001000",
	"",
	"5 total frames",
	"backtrace:",
	"      #00 pc 000000000004fb2c  " + tombstoneApp + " (Renderer::draw(Frame const*)+44) (BuildId: 5e1f0c9a7b3d42e8a1c6f09b8d7e2a41)",
	"      #01 pc 000000000004f7e0  " + tombstoneApp + " (RenderLoop::tick()+212) (BuildId: 5e1f0c9a7b3d42e8a1c6f09b8d7e2a41)",
	"      #02 pc 000000000001d0e4  " + tombstoneApp + " (BuildId: 5e1f0c9a7b3d42e8a1c6f09b8d7e2a41)",
	"      #03 pc 00000000000f9a3c  /apex/com.android.runtime/lib64/bionic/libc.so (__pthread_start(void*)+204) (BuildId: 0b3a6c1e2f4d5a6b7c8d9e0f1a2b3c4d)",
	"      #04 pc 000000000008d2f0  /apex/com.android.runtime/lib64/bionic/libc.so (__start_thread+64) (BuildId: 0b3a6c1e2f4d5a6b7c8d9e0f1a2b3c4d)",
	"",
	"memory near x1 ([anon:scudo:primary]):",
	"    0000007b2c1e4a00 0000000000000000 0000000000000000  ................",
	"",
	"memory map (2 entries):",
	"--->Fault address falls at 00000000'00000010 before any mapping",
	"    00000000'12c00000-00000000'2ebfffff rw-         0  1c000000  [anon:dalvik-main space (region space)]",
	"--- --- --- --- --- --- --- --- --- --- --- --- --- --- --- ---",
	"pid: 12345, tid: 12346, name: Signal Catcher  >>> com.example.sketchpad <<<",
	"uid: 10187",
	"    x0  fffffffffffffffc  x1  0000007ff2b1c4c0",
	"backtrace:",
	"      #00 pc 00000000000a1f28  /apex/com.android.runtime/lib64/bionic/libc.so (__rt_sigtimedwait+8) (BuildId: 0b3a6c1e2f4d5a6b7c8d9e0f1a2b3c4d)",
	"      #01 pc 0000000000063e4c  /apex/com.android.runtime/lib64/bionic/libc.so (sigwait+68) (BuildId: 0b3a6c1e2f4d5a6b7c8d9e0f1a2b3c4d)",
}

// tombFrameString writes a frame as "stack function file:line module
// in-app".
func tombFrameString(f Frame) string {
	mod := f.Module
	if i := strings.LastIndexByte(mod, '/'); i >= 0 && !strings.HasPrefix(mod, "[") {
		mod = mod[i+1:]
	}
	return fmt.Sprintf("%d %s %s:%d %s %v", f.Stack, f.Function, f.File, f.Line, mod, f.InApp)
}

func tombFrames(t *testing.T, in string) (Signal, []string) {
	t.Helper()
	sigs, got := parseFrames(t, in, tombFrameString)
	if len(sigs) != 1 {
		t.Fatalf("got %d signals, want 1: %+v", len(sigs), sigs)
	}
	return sigs[0], got
}

// TestTombstone: a tombstone is one signal, titled by its signal and
// cause and timed by its Timestamp; the crashing thread's backtrace comes
// first, the app's frames in-app, libc's not, a nameless frame of the
// app's library not; other threads follow as stacks of their own, and the
// register, memory and map sections give no frames.
func TestTombstone(t *testing.T) {
	s, got := tombFrames(t, strings.Join(tombstone14, "\n"))
	want := []string{
		"0 Renderer::draw :0 libsketch.so true",
		"0 RenderLoop::tick :0 libsketch.so true",
		"0  :0 libsketch.so false",
		"0 __pthread_start :0 libc.so false",
		"0 __start_thread :0 libc.so false",
		"1 __rt_sigtimedwait :0 libc.so false",
		"1 sigwait :0 libc.so false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Format != FormatTombstone || s.Title != "SIGSEGV (SEGV_MAPERR): null pointer dereference" {
		t.Errorf("got format %q, title %q", s.Format, s.Title)
	}
	if s.Frames[0].Module != tombstoneApp {
		t.Errorf("got module %q, want the mapping as printed", s.Frames[0].Module)
	}
	when := tombstoneWhen
	if s.Timestamp == nil || !s.Timestamp.Equal(when) {
		t.Errorf("got time %v, want %v", s.Timestamp, when)
	}
	if want := []string{"RenderThread (tid 12377)", "Signal Catcher (tid 12346)"}; !slices.Equal(s.Stacks, want) {
		t.Errorf("got stacks %q, want %q", s.Stacks, want)
	}
	if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "ndk-stack") {
		t.Errorf("got notes %q, want one saying to symbolize with ndk-stack", s.Notes)
	}
}

// TestTombstoneInLogcat: the tombstone's lines in logcat, in the
// threadtime and brief formats and as Android Studio's logcat window
// copies them (before 2022 and since), read as the bare tombstone, a line
// of another process between its frames notwithstanding.
func TestTombstoneInLogcat(t *testing.T) {
	bare, want := tombFrames(t, strings.Join(tombstone14, "\n"))
	prefixed := func(p func(i int) string) string {
		var b strings.Builder
		b.WriteString("11-20 10:31:22.001 12345 12377 F libc    : Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x10 in tid 12377 (RenderThread), pid 12345 (com.example.sketchpad)\n")
		for i, l := range tombstone14 {
			if i == 18 {
				b.WriteString("11-20 10:31:22.200   888   901 I ActivityManager: Process com.example.sketchpad (pid 12345) has died\n")
			}
			b.WriteString(p(i) + l + "\n")
		}
		return b.String()
	}
	tests := []struct{ name, in string }{
		{"threadtime", prefixed(func(i int) string { return fmt.Sprintf("11-20 10:31:22.%03d  1234  1234 F DEBUG   : ", i) })},
		{"brief", prefixed(func(int) string { return "F/DEBUG   ( 1234): " })},
		{"time", prefixed(func(i int) string { return fmt.Sprintf("11-20 10:31:22.%03d F/DEBUG   ( 1234): ", i) })},
		{"time of day", prefixed(func(int) string { return "10:31:22 A DEBUG : " })},
		{"android studio", prefixed(func(i int) string { return fmt.Sprintf("2026-11-20 10:31:22.%03d 1234-1234/? A/DEBUG: ", i) })},
		{"android studio 2022", prefixed(func(i int) string {
			return fmt.Sprintf("2026-11-20 10:31:22.%03d 1234-1234 DEBUG                   crash_dump64                         A  ", i)
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, got := tombFrames(t, tt.in)
			if !slices.Equal(got, want) || s.Title != bare.Title || !slices.Equal(s.Stacks, bare.Stacks) {
				t.Errorf("got %q with frames\n%s\nwant %q with\n%s", s.Title, strings.Join(got, "\n"), bare.Title, strings.Join(want, "\n"))
			}
			if s.Timestamp == nil || !s.Timestamp.Equal(*bare.Timestamp) {
				t.Errorf("got time %v, want the tombstone's %v", s.Timestamp, bare.Timestamp)
			}
		})
	}
}

// TestTombstoneOldForms: an Android 7 tombstone of a 32-bit app (8-digit
// pcs, no BuildId, a failed assert() as the abort message, the app's code
// mapped from its APK at an offset, a split APK, mangled symbols, the
// dalvik-cache): titled by the abort message, whose site takes the place
// of the asserting function's frame.
func TestTombstoneOldForms(t *testing.T) {
	in := strings.Join([]string{
		"*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***",
		"Build fingerprint: 'acme/kestrel/kestrel:7.0/NRD90M/3125871:user/release-keys'",
		"ABI: 'arm'",
		"pid: 3021, tid: 3044, name: GLThread 112  >>> com.example.sketchpad <<<",
		"signal 6 (SIGABRT), code -6 (SI_TKILL), fault addr --------",
		`Abort message: 'renderer.cpp:88: void Renderer::draw(const Frame *): assertion "frame != nullptr" failed'`,
		"    r0 00000000  r1 00000be4  r2 00000006  r3 00000008",
		"",
		"backtrace:",
		"    #00 pc 0004a2b4  /system/lib/libc.so (tgkill+12)",
		"    #01 pc 00019421  /system/lib/libc.so (abort+4)",
		"    #02 pc 0001b1c3  /system/lib/libc.so (__assert2+18)",
		"    #03 pc 0001a2b3  /data/app/com.example.sketchpad-1/base.apk (offset 0x1f000) (_ZN8Renderer4drawEPK5Frame+120)",
		"    #04 pc 00019f40  /data/app/com.example.sketchpad-1/split_config.armeabi_v7a.apk!lib/armeabi-v7a/libsketch.so (offset 0x4000) (_Z11render_loopPv+76)",
		"    #05 pc 000d2c51  /data/dalvik-cache/arm/data@app@com.example.sketchpad-1@base.apk@classes.dex (offset 0x2a000)",
		"    #06 pc 00009a6d  /data/dalvik-cache/arm/system@framework@boot.oat (offset 0x1000) (android.view.Choreographer.doFrame+300)",
		"",
		"stack:",
		"         b33ff8e0  00000000",
		"    #00  b33ff8f0  b6e7f4b9  /system/lib/libc.so (tgkill+12)",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0 tgkill :0 libc.so false",
		"0 abort :0 libc.so false",
		"0 __assert2 :0 libc.so false",
		"0 Renderer::draw renderer.cpp:88 base.apk true",
		"0 render_loop :0 libsketch.so true",
		"0  :0 data@app@com.example.sketchpad-1@base.apk@classes.dex false",
		"0 android.view.Choreographer.doFrame :0 system@framework@boot.oat false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := `renderer.cpp:88: void Renderer::draw(const Frame *): assertion "frame != nullptr" failed`; s.Title != want || s.Timestamp != nil {
		t.Errorf("got title %q and time %v, want %q and none", s.Title, s.Timestamp, want)
	}
	if !slices.Contains(s.Symptoms, "sigabrt") || !slices.Contains(s.Symptoms, "nullptr") {
		t.Errorf("got symptoms %q, want the signal's and the assertion's words", s.Symptoms)
	}
}

// TestTombstoneARTFrames: in a backtrace that mixes native, ART and Java
// frames, the app's Java methods (compiled in its oat file or by the JIT)
// are in-app by their names; ART, the framework's boot image, a library's
// Java code extracted from the APK, [vdso] and the linker are not.
func TestTombstoneARTFrames(t *testing.T) {
	in := strings.Join([]string{
		"pid: 12345, tid: 12345, name: ample.sketchpad  >>> com.example.sketchpad <<<",
		"signal 11 (SIGSEGV), code 2 (SEGV_ACCERR), fault addr 0x0000007b2c1e4a10",
		"backtrace:",
		"      NOTE: Function names and BuildId information is missing for some frames due",
		"      NOTE: to unreadable libraries.",
		"      #00 pc 000000000004fb2c  " + tombstoneApp + " (Java_com_example_sketchpad_NativeBridge_render+44) (BuildId: 5e1f0c9a)",
		"      #01 pc 000000000013ced4  /apex/com.android.art/lib64/libart.so (art_quick_generic_jni_trampoline+148) (BuildId: 9a8b7c6d)",
		"      #02 pc 00000000001a2f14  /apex/com.android.art/lib64/libart.so (art::ArtMethod::Invoke(art::Thread*, unsigned int*, unsigned int, art::JValue*, char const*)+200)",
		"      #03 pc 000000000020a6c8  /memfd:jit-cache (deleted) (offset 0x2000000) (com.example.sketchpad.CanvasView.onDraw+312)",
		"      #04 pc 00000000003c6a8c  /data/app/~~Qm3xT0aZ1bYw==/com.example.sketchpad-Hk2pL9sVq8Rt==/oat/arm64/base.odex (com.example.sketchpad.CanvasView.redraw+96)",
		"      #05 pc 00000000005f2b10  /system/framework/arm64/boot-framework.oat (android.view.View.draw+1040) (BuildId: 1a2b3c4d)",
		"      #06 pc 0000000000032d9c  [anon:dalvik-classes.dex extracted in memory from /data/app/~~Qm3xT0aZ1bYw==/com.example.sketchpad-Hk2pL9sVq8Rt==/base.apk] (androidx.core.view.ViewCompat.postOnAnimation+12)",
		"      #07 pc 0000000000000ffc  [vdso] (__kernel_rt_sigreturn)",
		"      #08 pc 00000000000d3b18  /system/bin/linker64 (__dl__start+0)",
		"      #09 pc 0000000000001234  <anonymous:7a12340000>",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0 Java_com_example_sketchpad_NativeBridge_render :0 libsketch.so true",
		"0 art_quick_generic_jni_trampoline :0 libart.so false",
		"0 art::ArtMethod::Invoke :0 libart.so false",
		"0 com.example.sketchpad.CanvasView.onDraw :0 memfd:jit-cache true",
		"0 com.example.sketchpad.CanvasView.redraw :0 base.odex true",
		"0 android.view.View.draw :0 boot-framework.oat false",
		"0 androidx.core.view.ViewCompat.postOnAnimation :0 [anon:dalvik-classes.dex extracted in memory from /data/app/~~Qm3xT0aZ1bYw==/com.example.sketchpad-Hk2pL9sVq8Rt==/base.apk] false",
		"0 __kernel_rt_sigreturn :0 [vdso] false",
		"0 __dl__start :0 linker64 false",
		"0  :0 <anonymous:7a12340000> false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Title != "SIGSEGV (SEGV_ACCERR), fault addr 0x7b2c1e4a10" {
		t.Errorf("got title %q", s.Title)
	}
}

// TestTombstoneMemoryError: an MTE report's stacks that freed and
// allocated the memory follow the crash stack in the same signal.
func TestTombstoneMemoryError(t *testing.T) {
	in := strings.Join([]string{
		"*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***",
		"pid: 4566, tid: 4566, name: ample.sketchpad  >>> com.example.sketchpad <<<",
		"signal 11 (SIGSEGV), code 9 (SEGV_MTESERR), fault addr 0x0800007ae92853a0",
		"Cause: [MTE]: Use After Free, 0 bytes into a 32-byte allocation at 0x7ae92853a0",
		"",
		"backtrace:",
		"      #00 pc 0000000000051a40  " + tombstoneApp + " (Layer::name() const+8)",
		"",
		"deallocated by thread 4566:",
		"      #00 pc 0000000000046cd4  /apex/com.android.runtime/lib64/bionic/libc.so (scudo::Allocator<scudo::AndroidConfig, &(scudo_malloc_postinit)>::deallocate(void*, scudo::Chunk::Origin, unsigned long, unsigned long)+496)",
		"      #01 pc 0000000000051d10  " + tombstoneApp + " (Document::removeLayer(int)+120)",
		"",
		"allocated by thread 4566:",
		"      #00 pc 0000000000051b20  " + tombstoneApp + " (Document::addLayer()+36)",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0 Layer::name :0 libsketch.so true",
		"1 scudo::Allocator<scudo::AndroidConfig, &(scudo_malloc_postinit)>::deallocate :0 libc.so false",
		"1 Document::removeLayer :0 libsketch.so true",
		"2 Document::addLayer :0 libsketch.so true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if w := []string{"ample.sketchpad (tid 4566)", "deallocated by thread 4566", "allocated by thread 4566"}; !slices.Equal(s.Stacks, w) {
		t.Errorf("got stacks %q, want %q", s.Stacks, w)
	}
	if s.Title != "SIGSEGV (SEGV_MTESERR): [MTE]: Use After Free, 0 bytes into a 32-byte allocation at 0x7ae92853a0" {
		t.Errorf("got title %q", s.Title)
	}
}

// TestTombstoneBareBacktraces: frames pasted without the tombstone's
// header are a report of their own; a second list numbered from #00
// again is another.
func TestTombstoneBareBacktraces(t *testing.T) {
	in := "the app died again:\n" +
		"    #00 pc 0001a2b3  /data/app/com.example.sketchpad-1/lib/arm/libsketch.so (render_loop+120)\n" +
		"    #01 pc 0004a2b4  /system/lib/libc.so (__pthread_start(void*)+22)\n" +
		"and the day before:\n" +
		"    #00 pc 0001a400  /data/app/com.example.sketchpad-1/lib/arm/libsketch.so (save_document+8)\n"
	sigs, err := Parse("paste.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		for _, f := range s.Frames {
			got = append(got, s.Title+": "+tombFrameString(f))
		}
	}
	want := []string{
		"Android native crash: 0 render_loop :0 libsketch.so true",
		"Android native crash: 0 __pthread_start :0 libc.so false",
		"Android native crash: 0 save_document :0 libsketch.so true",
	}
	if len(sigs) != 2 || !slices.Equal(got, want) {
		t.Errorf("got %d signals with frames\n%s\nwant 2 with\n%s", len(sigs), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNDKStack: ndk-stack's output gives each frame the file and line
// llvm-symbolizer found, and a frame's inlined functions before it; a
// frame the symbolizer could not resolve keeps the tombstone's symbol,
// ndk-stack's warnings are skipped, a Windows path is kept as printed,
// and the NDK's C++ library is not in-app. The abort message titles it.
func TestNDKStack(t *testing.T) {
	pad := strings.Repeat(" ", 60)
	in := strings.Join([]string{
		"$ adb logcat -d | ndk-stack -sym app/build/intermediates/merged_native_libs/release/out/lib/arm64-v8a",
		"********** Crash dump: **********",
		"Build fingerprint: 'acme/falcon/falcon:14/UQ1A.240105.004/11206848:user/release-keys'",
		"Abort message: 'FORTIFY: memcpy: prevented 64-byte write into 32-byte buffer'",
		"#00 0x000000000005f2b4 /apex/com.android.runtime/lib64/bionic/libc.so (abort+172) (BuildId: 0b3a6c1e)",
		"#01 0x000000000004fb2c " + tombstoneApp + " (Renderer::draw(Frame const*)+44) (BuildId: 5e1f0c9a)",
		pad + "Brush::apply(float) const",
		pad + "/home/dev/sketchpad/app/src/main/cpp/brush.h:31:12",
		pad + "Renderer::draw(Frame const*)",
		pad + "/home/dev/sketchpad/app/src/main/cpp/renderer.cpp:88:14",
		"WARNING: Mismatched build id for app/build/intermediates/merged_native_libs/release/out/lib/arm64-v8a/libsketch.so",
		"WARNING:   Expected 5e1f0c9a",
		"WARNING:   Found    5e1f0c9b",
		"#02 0x0000000000013f10 " + tombstoneApp,
		"std::__ndk1::basic_string<char, std::__ndk1::char_traits<char>, std::__ndk1::allocator<char> >::append(char const*)",
		"C:/Users/dev/AppData/Local/Android/Sdk/ndk/26.1.10909125/toolchains/llvm/prebuilt/windows-x86_64/sysroot/usr/include/c++/v1/string:1180:16",
		"Stroke::serialize(Buffer&) const",
		`C:/Users/dev/sketchpad/app/src/main/cpp\stroke.cpp:214:9`,
		"#03 0x0000000000011002 " + tombstoneApp + " (save_document+88)",
		pad + "??",
		pad + "??:0:0",
		"Crash dump is completed",
		"",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0 abort :0 libc.so false",
		"0 Brush::apply /home/dev/sketchpad/app/src/main/cpp/brush.h:31 libsketch.so true",
		"0 Renderer::draw /home/dev/sketchpad/app/src/main/cpp/renderer.cpp:88 libsketch.so true",
		"0 std::__ndk1::basic_string<char, std::__ndk1::char_traits<char>, std::__ndk1::allocator<char> >::append " +
			"C:/Users/dev/AppData/Local/Android/Sdk/ndk/26.1.10909125/toolchains/llvm/prebuilt/windows-x86_64/sysroot/usr/include/c++/v1/string:1180 libsketch.so false",
		`0 Stroke::serialize C:/Users/dev/sketchpad/app/src/main/cpp\stroke.cpp:214 libsketch.so true`,
		"0 save_document :0 libsketch.so true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Title != "FORTIFY: memcpy: prevented 64-byte write into 32-byte buffer" || s.Frames[1].Column != 12 {
		t.Errorf("got title %q, column %d", s.Title, s.Frames[1].Column)
	}
	if len(s.Notes) != 0 {
		t.Errorf("got notes %q, want none: frames have lines", s.Notes)
	}
}

// TestNDKStackBeforeR21: the ndk-stack of older NDKs wrote a frame and
// its routine on one line.
func TestNDKStackBeforeR21(t *testing.T) {
	in := strings.Join([]string{
		"********** Crash dump: **********",
		"Build fingerprint: 'acme/falcon/falcon:8.1.0/OPM1.171019.011/4448085:user/release-keys'",
		"pid: 4121, tid: 4121, name: ample.sketchpad  >>> com.example.sketchpad <<<",
		"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0",
		"Stack frame #00 pc 0000066c  /data/app/com.example.sketchpad-2/lib/arm/libsketch.so (Java_com_example_sketchpad_Native_render+54): Routine Java_com_example_sketchpad_Native_render at /home/dev/sketchpad/app/src/main/cpp/jni.c:165",
		"Stack frame #01 pc 0000a2b4  /data/app/com.example.sketchpad-2/lib/arm/libsketch.so (draw_all+12): Routine ?? at ??:0",
		"Stack frame #02 pc 000020f3  /data/app/com.example.sketchpad-2/oat/arm/base.odex (offset 0x2000)",
		"Crash dump is completed",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0 Java_com_example_sketchpad_Native_render /home/dev/sketchpad/app/src/main/cpp/jni.c:165 libsketch.so true",
		"0 draw_all :0 libsketch.so true",
		"0  :0 base.odex false",
	}
	if !slices.Equal(got, want) || s.Title != "SIGSEGV (SEGV_MAPERR), fault addr 0x0" {
		t.Errorf("got %q with frames\n%s\nwant\n%s", s.Title, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAOSPStackScript: the rows of AOSP's stack script, an inlined
// function ("v------>") first, then the function it was inlined into;
// AOSP's own sources (bionic/) are not in-app.
func TestAOSPStackScript(t *testing.T) {
	in := strings.Join([]string{
		"Reading symbols from /home/dev/aosp/out/target/product/falcon/symbols",
		"pid: 4121, tid: 4133, name: sketchd  >>> /system/bin/sketchd <<<",
		"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0xc",
		"     r0 0000000c  r1 00000000  r2 00000000  r3 00000000",
		"",
		"Stack Trace:",
		"  RELADDR   FUNCTION                         FILE:LINE",
		"  v------>  Stroke::begin                    device/acme/sketchd/stroke.h:40",
		"  0000a93e  Canvas::stroke(Path const&)+18   device/acme/sketchd/canvas.cpp:212",
		"  0000b1a0  handle_request+62                device/acme/sketchd/server.cpp:77 (discriminator 2)",
		"  0000c000  (anonymous namespace)::poll_once()+4  ??:0",
		"  00047317  __pthread_start(void*)+22        bionic/libc/bionic/pthread_create.cpp:347",
		"",
		"Stack Data:",
		"  ADDR      VALUE     FUNCTION                     FILE:LINE",
		"  bec0e9e8  b6f2c4a9  tgkill+12                    bionic/libc/arch-arm/syscalls/tgkill.S:10",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0 Stroke::begin device/acme/sketchd/stroke.h:40  true",
		"0 Canvas::stroke device/acme/sketchd/canvas.cpp:212  true",
		"0 handle_request device/acme/sketchd/server.cpp:77  true",
		"0 (anonymous namespace)::poll_once :0  true",
		"0 __pthread_start bionic/libc/bionic/pthread_create.cpp:347  false",
	}
	if !slices.Equal(got, want) || s.Title != "SIGSEGV (SEGV_MAPERR), fault addr 0xc" {
		t.Errorf("got %q with frames\n%s\nwant\n%s", s.Title, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTombstoneLeavesOtherReports: the "#N" frames of gdb and of the
// sanitizers still read as they did, alone and next to a tombstone.
func TestTombstoneLeavesOtherReports(t *testing.T) {
	gdb := "Program received signal SIGSEGV, Segmentation fault.\n" +
		"0x0000555555555145 in get (p=0x0) at segv.c:3\n" +
		"#0  0x0000555555555145 in get (p=0x0) at segv.c:3\n" +
		"#1  0x0000555555555160 in main () at segv.c:8\n"
	asan := "==4242==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000\n" +
		"    #0 0x55d0c1a5b1d6 in get /src/segv.c:3:10\n" +
		"    #1 0x55d0c1a5b295 in main /src/segv.c:8:3\n"
	for _, tt := range []struct{ name, in, format, first string }{
		{"gdb", gdb, FormatGDB, "get segv.c:3"},
		{"asan", asan, FormatASan, "get /src/segv.c:3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range []string{tt.in, tt.in + "\n" + strings.Join(tombstone14, "\n")} {
				sigs, err := Parse("trace.txt", []byte(in))
				if err != nil {
					t.Fatal(err)
				}
				f := sigs[0].Frames[0]
				if sigs[0].Format != tt.format || fmt.Sprintf("%s %s:%d", f.Function, f.File, f.Line) != tt.first || len(sigs[0].Frames) != 2 {
					t.Errorf("got %s signal with frames %+v, want %s with %s first", sigs[0].Format, sigs[0].Frames, tt.format, tt.first)
				}
				if in != tt.in && (len(sigs) != 2 || sigs[1].Format != FormatTombstone || len(sigs[1].Frames) != 7) {
					t.Errorf("got %d signals, want the tombstone after the %s report", len(sigs), tt.format)
				}
			}
		})
	}
}

// TestTombstoneInApp: which frames of Android's reports are the app's.
func TestTombstoneInApp(t *testing.T) {
	tests := []struct {
		file, function, module string
		want                   bool
	}{
		{"", "Renderer::draw", tombstoneApp, true},
		{"", "render_loop", "/data/app/com.example.sketchpad-1/base.apk", true},
		{"", "render_loop", "/data/app/com.example.sketchpad-1/split_config.arm64_v8a.apk!lib/arm64-v8a/libsketch.so", true},
		{"", "render_loop", "/data/data/com.example.sketchpad/files/libplugin.so", true},
		{"", "render_loop", "/data/app-lib/com.example.sketchpad-1/libsketch.so", true},
		{"", "main", "/data/local/tmp/sketch_test", true},
		{"", "", tombstoneApp, false},
		{"", "memcpy", tombstoneApp, false},
		{"", "std::__ndk1::vector<int>::at", tombstoneApp, false},
		{"", "__cxa_throw", "/data/app/com.example.sketchpad-1/lib/arm64/libc++_shared.so", false},
		{"", "abort", "/apex/com.android.runtime/lib64/bionic/libc.so", false},
		{"", "android::uirenderer::RenderThread::threadLoop", "/system/lib64/libhwui.so", false},
		{"", "eglSwapBuffers", "/vendor/lib64/egl/libEGL_acme.so", false},
		{"", "art_quick_invoke_stub", "libart.so", false},
		{"", "__kernel_rt_sigreturn", "[vdso]", false},
		{"", "com.example.sketchpad.CanvasView.onDraw", "/memfd:jit-cache", true},
		{"", "kotlin.collections.ArraysKt.first", "/data/app/com.example.sketchpad-1/oat/arm64/base.odex", false},
		{"", "com.example.sketchpad.Main.run", "/data/dalvik-cache/arm64/data@app@com.example.sketchpad-1@base.apk@classes.dex", true},
		{"", "android.os.Looper.loop", "/data/dalvik-cache/arm64/system@framework@boot.oat", false},
		{"/home/dev/sketchpad/app/src/main/cpp/renderer.cpp", "Renderer::draw", tombstoneApp, true},
		{"/home/dev/sketchpad/app/src/main/cpp/third_party/stb/stb_image.h", "stbi_load", tombstoneApp, false},
		{"/opt/android-ndk-r26b/toolchains/llvm/prebuilt/linux-x86_64/sysroot/usr/include/c++/v1/vector", "push_back", tombstoneApp, false},
		{"toolchain/llvm-project/libcxx/src/string.cpp", "throw_out_of_range", tombstoneApp, false},
		{"bionic/libc/bionic/pthread_create.cpp", "pthread_start", "", false},
		{"device/acme/sketchd/canvas.cpp", "Canvas::stroke", "", true},
	}
	for _, tt := range tests {
		if got := IsInApp(FormatTombstone, tt.file, tt.function, tt.module); got != tt.want {
			t.Errorf("IsInApp(tombstone, %q, %q, %q) = %v, want %v", tt.file, tt.function, tt.module, got, tt.want)
		}
	}
}

// TestItaniumName: the mangled names of tombstones before Android 7.
func TestItaniumName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"_ZN8Renderer4drawEPK5Frame", "Renderer::draw"},
		{"_Z11render_loopPv", "render_loop"},
		{"_ZNK5Layer4nameEv", "Layer::name"},
		{"_ZN7android6ParcelC2Ev", "android::Parcel::Parcel"},
		{"_ZN7android6ParcelD1Ev", "android::Parcel::~Parcel"},
		{"_ZNSt6vectorIiE9push_backERKi", ""}, // a template: not read
		{"_ZN12_GLOBAL__N_14pollEv", "(anonymous namespace)::poll"},
		{"_ZL9next_workv", "next_work"},
		{"_ZN99short", ""},
		{"render_loop", ""},
	} {
		if got := itaniumName(tt.in); got != tt.want {
			t.Errorf("itaniumName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTombstoneCutShort: a frame cut off inside its symbol keeps what it
// has.
func TestTombstoneCutShort(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"    #00 pc 0001a2b3  /data/app/com.example.sketchpad-1/lib/arm/libsketch.so (render_loop+12", "0 render_loop :0 libsketch.so true"},
		{"#0 pc 0 0 (", "0  :0 0 false"},
	} {
		reports := parseTombstones(tt.in, splitLines(tt.in))
		if len(reports) != 1 || len(reports[0].stacks) != 1 || len(reports[0].stacks[0].frames) != 1 {
			t.Fatalf("parseTombstones(%q) = %+v, want one frame", tt.in, reports)
		}
		if got := tombFrameString(reports[0].stacks[0].frames[0]); got != tt.want {
			t.Errorf("parseTombstones(%q): got frame %q, want %q", tt.in, got, tt.want)
		}
	}
}

// tombstoneZeros is a backtrace whose frames are all numbered #00, as
// some crash-reporting libraries write them.
var tombstoneZeros = []string{
	"  #00  pc 0000000000051a10  /apex/com.android.runtime/lib64/bionic/libc.so (abort+164)",
	"  #00  pc 00000000003c72f4  /apex/com.android.runtime/lib64/libart.so (art::Runtime::Abort(char const*)+1880)",
	"  #00  pc 0000000000009e20  " + tombstoneApp + " (Renderer::draw(Frame const*)+44)",
	"  #00  pc 0000000000009c04  " + tombstoneApp,
	"  #00  pc 00000000000b1a48  /apex/com.android.runtime/lib64/bionic/libc.so (__pthread_start(void*)+40)",
}

// TestTombstoneFramesAllNumberedZero: frames numbered #00 one after
// the other are one stack, under a "backtrace:" header (whatever their
// numbers) and without one.
func TestTombstoneFramesAllNumberedZero(t *testing.T) {
	want := []string{
		"0 abort :0 libc.so false",
		"0 art::Runtime::Abort :0 libart.so false",
		"0 Renderer::draw :0 libsketch.so true",
		"0  :0 libsketch.so false",
		"0 __pthread_start :0 libc.so false",
	}
	for _, tt := range []struct{ name, in, stack string }{
		{"under a header", "pid: 0, tid: 0 >>> com.example.sketchpad <<<\n\nbacktrace:\n" + strings.Join(tombstoneZeros, "\n"), "backtrace"},
		{"under a named thread's header", "pid: 4121, tid: 4133, name: RenderThread  >>> com.example.sketchpad <<<\nbacktrace:\n" + strings.Join(tombstoneZeros, "\n"), "RenderThread (tid 4133)"},
		{"alone", "the app died:\n" + strings.Join(tombstoneZeros, "\n") + "\n", "backtrace"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, got := tombFrames(t, tt.in)
			if !slices.Equal(got, want) || !slices.Equal(s.Stacks, []string{tt.stack}) {
				t.Errorf("got stacks %q with frames\n%s\nwant one, %q, with\n%s", s.Stacks, strings.Join(got, "\n"), tt.stack, strings.Join(want, "\n"))
			}
		})
	}
}

// TestTombstoneTimeOfDayLogcat: a tombstone in logcat lines that start
// with the time of day only, then the level and tag ("12:05:41 A DEBUG :
// ", an empty tag, "12:05:41.250 F/DEBUG ( 901): "), reads as the
// threadtime form does.
func TestTombstoneTimeOfDayLogcat(t *testing.T) {
	in := strings.Join([]string{
		"12:05:41 A libc : Fatal signal 11 (SIGSEGV), code 1, fault addr 0x2c in tid 7310 (ui.worker)",
		"12:05:41 W  : debuggerd: handling request: pid=7288 uid=10212 gid=10212 tid=7310",
		"12:05:41 A DEBUG : *** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***",
		"12:05:41 A DEBUG : Build fingerprint: 'acme/wren/wren:7.1.1/NMF26X/4401937:user/release-keys'",
		"12:05:41 A DEBUG : ABI: 'arm'",
		"12:05:41 A DEBUG : pid: 7288, tid: 7310, name: ui.worker  >>> com.example.sketchpad <<<",
		"12:05:41 A DEBUG : signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x2c",
		"12:05:41 A DEBUG : r0 00000000  r1 0000002c  r2 e1a04c10  r3 00000000",
		"12:05:41 A DEBUG : backtrace:",
		"12:05:41 A DEBUG : #00 pc 0003b1f0  /data/app/com.example.sketchpad-2/lib/arm/libsketch.so (offset 0x21000)",
		"12:05:41.250 F/DEBUG ( 901): #01 pc 0003a0c8  /data/app/com.example.sketchpad-2/lib/arm/libsketch.so (render_loop+12)",
	}, "\n")
	s, got := tombFrames(t, in)
	want := []string{
		"0  :0 libsketch.so false",
		"0 render_loop :0 libsketch.so true",
	}
	if !slices.Equal(got, want) || s.Title != "SIGSEGV (SEGV_MAPERR), fault addr 0x2c" || !slices.Equal(s.Stacks, []string{"ui.worker (tid 7310)"}) {
		t.Errorf("got %q, stacks %q, frames\n%s\nwant %q, one stack, frames\n%s", s.Title, s.Stacks, strings.Join(got, "\n"),
			"SIGSEGV (SEGV_MAPERR), fault addr 0x2c", strings.Join(want, "\n"))
	}
}

// TestNDKStackExcerpt: frames of ndk-stack's output pasted without its
// "Crash dump:" banner, from the middle of the stack, their symbolizer
// lines indented or not, read as under the banner; the function and
// location lines before the first frame belong to a frame cut off.
func TestNDKStackExcerpt(t *testing.T) {
	lines := []string{
		"Worker::run()",
		"/home/dev/sketchpad/app/src/main/cpp/worker.cpp:51:7",
		"#07 0x00000000000a41c0 " + tombstoneApp,
		"std::__ndk1::function<void ()>::operator()() const",
		"/opt/android-ndk-r26b/toolchains/llvm/prebuilt/linux-x86_64/sysroot/usr/include/c++/v1/__functional/function.h:1187:12",
		"TaskQueue::drain(bool)",
		"/home/dev/sketchpad/app/src/main/cpp/task_queue.cpp:96:5",
		"#08 0x00000000000a5e04 " + tombstoneApp,
		"EventLoop::onReadable()",
		"/home/dev/sketchpad/app/src/main/cpp/event_loop.cpp:40:3",
	}
	want := []string{
		"0 std::__ndk1::function<void ()>::operator() /opt/android-ndk-r26b/toolchains/llvm/prebuilt/linux-x86_64/sysroot/usr/include/c++/v1/__functional/function.h:1187 libsketch.so false",
		"0 TaskQueue::drain /home/dev/sketchpad/app/src/main/cpp/task_queue.cpp:96 libsketch.so true",
		"0 EventLoop::onReadable /home/dev/sketchpad/app/src/main/cpp/event_loop.cpp:40 libsketch.so true",
	}
	indented := make([]string, len(lines))
	for i, l := range lines {
		if !strings.HasPrefix(l, "#") {
			l = strings.Repeat(" ", 40) + l
		}
		indented[i] = l
	}
	for _, tt := range []struct{ name, in string }{
		{"flush", strings.Join(lines, "\n")},
		{"indented", strings.Join(indented, "\n")},
		{"then other lines", strings.Join(lines, "\n") + "\n\nthe app restarted at 12:06\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, got := tombFrames(t, tt.in)
			if !slices.Equal(got, want) || s.Format != FormatTombstone {
				t.Errorf("got %s frames\n%s\nwant\n%s", s.Format, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestTombstoneInjectedLibraries: in an app's process, a library loaded
// from /data/local/tmp (a testing service's hooks, a debugging tool) is
// not the app's; a program run from there is its developer's.
func TestTombstoneInjectedLibraries(t *testing.T) {
	hooks := "/data/local/tmp/libprobe.so"
	app := strings.Join([]string{
		"pid: 0, tid: 0 >>> com.example.sketchpad <<<",
		"",
		"backtrace:",
		"  #00  pc 00000000004a10f0  " + tombstoneApp,
		"  #01  pc 0000000000061c2d  " + hooks + " (_Z13probe_collectPv+28)",
		"  #02  pc 0000000000059e11  " + hooks + " (probe_open+130)",
		"  #03  pc 0000000000055b63  " + tombstoneApp + " (Document::open(char const*)+40)",
	}, "\n")
	_, got := tombFrames(t, app)
	want := []string{
		"0  :0 libsketch.so false",
		"0 probe_collect :0 libprobe.so false",
		"0 probe_open :0 libprobe.so false",
		"0 Document::open :0 libsketch.so true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("in an app: got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	tool := strings.Join([]string{
		"pid: 5120, tid: 5120, name: sketch_test  >>> /data/local/tmp/sketch_test <<<",
		"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0",
		"backtrace:",
		"      #00 pc 0000000000012f40  /data/local/tmp/libsketch.so (Renderer::draw(Frame const*)+44)",
		"      #01 pc 0000000000004a10  /data/local/tmp/sketch_test (main+60)",
	}, "\n")
	_, got = tombFrames(t, tool)
	want = []string{
		"0 Renderer::draw :0 libsketch.so true",
		"0 main :0 sketch_test true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("a program of /data/local/tmp: got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTombstoneOffsets: a tombstone frame's pc is its offset in the ELF
// file it names (a library loaded from an APK too), with the build ID the
// frame prints; a frame of no ELF file (a JIT or anonymous mapping, a
// dex file, the vdso, an unknown mapping) has none. ndk-stack's frames
// keep it, each function inlined at the pc with it; so do the old
// "Stack frame" form, logcat's, an ANR's native frames, and AOSP's stack
// script's rows that name a library.
func TestTombstoneOffsets(t *testing.T) {
	const lib = "5e1f0c9a7b3d42e8a1c6f09b8d7e2a41"
	const libc = "0b3a6c1e2f4d5a6b7c8d9e0f1a2b3c4d"
	const art = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
	checkOffsetRows(t, []offsetRow{
		{"mappings", "testdata/tombstone/art_frames.txt", FormatTombstone, []string{
			"Java_com_example_sketchpad_NativeBridge_render libsketch.so 0x4fb2c " + lib,
			"art_quick_generic_jni_trampoline libart.so 0x13ced4 " + art,
			"art_quick_invoke_stub libart.so 0x133564 " + art,
			"art::ArtMethod::Invoke libart.so 0x1a2f14 " + art,
			"com.example.sketchpad.CanvasView.onDraw memfd:jit-cache - -",
			"com.example.sketchpad.CanvasView.redraw base.odex 0x3c6a8c -",
			"android.view.View.draw boot-framework.oat 0x5f2b10 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
			"androidx.core.view.ViewCompat.postOnAnimation base.apk] - -",
			"__kernel_rt_sigreturn [vdso] - -",
			"__dl__start linker64 0xd3b18 00112233445566778899aabbccddeeff",
			"- <anonymous:7a12340000> - -",
		}},
		{"apk", "*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***\n" +
			"pid: 4242, tid: 4242, name: com.shop  >>> com.shop <<<\n" +
			"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0\n" +
			"backtrace:\n" +
			"      #00 pc 000000000004b8a4  /data/app/~~abc==/com.shop-xyz==/base.apk!libshop.so (offset 0x1000) (shop::Cart::total()+36) (BuildId: 5E1F0C9A7B3D42E8A1C6F09B8D7E2A41)\n" +
			"      #01 pc 00cbed9c  /data/app/com.shop-1/base.apk (offset 0x6e32000)\n" +
			"      #02 pc 0002a1b4  /data/app/com.shop-1/base.apk (com.shop.Cart.checkout+20)\n" +
			"      #03 pc 00000000002a1b2c  /apex/com.android.art/javalib/core-oj.jar (java.lang.Thread.run+64)\n" +
			"      #04 pc 0000000000012345  /data/app/com.shop-1/oat/arm64/base.vdex (com.shop.Main.run+8)\n" +
			"      #05 pc 0000000000001000  <unknown>\n" +
			"      #06 pc 00000000000ff3c0  /data/app/~~abc==/com.shop-xyz==/lib/arm64/libshop.so (shop::Cart::total()+36) (BuildId: " + lib + ")\n",
			FormatTombstone, []string{
				"shop::Cart::total base.apk!libshop.so 0x4b8a4 " + lib,
				"- base.apk 0xcbed9c -",
				"com.shop.Cart.checkout base.apk - -",
				"java.lang.Thread.run core-oj.jar - -",
				"com.shop.Main.run base.vdex - -",
				"- <unknown> - -",
				"shop::Cart::total libshop.so 0xff3c0 " + lib,
			}},
		{"ndk-stack", "testdata/tombstone/ndk_stack.txt", FormatTombstone, []string{
			"Brush::apply libsketch.so 0x4fb2c " + lib,
			"Renderer::draw libsketch.so 0x4fb2c " + lib,
			"RenderLoop::tick libsketch.so 0x4f7e0 " + lib,
			"render_thread_main libsketch.so 0x1d0e4 " + lib,
			"__pthread_start libc.so 0xf9a3c " + libc,
		}},
		{"logcat", "testdata/tombstone/logcat_threadtime.txt", FormatTombstone, []string{
			"Renderer::draw libsketch.so 0x4fb2c " + lib,
			"RenderLoop::tick libsketch.so 0x4f7e0 " + lib,
			"- libsketch.so 0x1d0e4 " + lib,
		}},
		{"old ndk-stack", "********** Crash dump: **********\n" +
			"Build fingerprint: 'acme/sketch/sketch:4.4.2/KOT49H/1:user/release-keys'\n" +
			"pid: 1212, tid: 1212, name: com.example.sketchpad  >>> com.example.sketchpad <<<\n" +
			"signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 00000000\n" +
			"Stack frame #00  pc 0000066c  /data/app-lib/com.example.sketchpad-1/libsketch.so (render_loop+54): Routine render_loop at /home/dev/sketchpad/jni/render.c:165\n" +
			"Stack frame #01  pc 00000a3d  /data/app-lib/com.example.sketchpad-1/libsketch.so (Java_com_example_sketchpad_Native_run+20)\n" +
			"Crash dump is completed\n",
			FormatTombstone, []string{
				"render_loop libsketch.so 0x66c -",
				"Java_com_example_sketchpad_Native_run libsketch.so 0xa3d -",
			}},
		{"aosp stack script", "Stack Trace:\n" +
			"  RELADDR   FUNCTION                       FILE:LINE\n" +
			"  0000a93e  Canvas::stroke(Path const&)+18  device/acme/sketchd/canvas.cpp:212\n" +
			"  0001b2c4  Canvas::flush()+6  /system/lib/libsketchd.so\n",
			FormatTombstone, []string{
				"Canvas::stroke - - -",
				"Canvas::flush libsketchd.so 0x1b2c4 -",
			}},
		{"anr native frames", "testdata/anr/play_console.txt", FormatANR, []string{
			"__futex_wait_ex libc.so 0x9bd58 -",
			"pthread_mutex_lock libc.so 0xff2a4 -",
			"shopdb::Store::get libshopdb.so 0x1c3a8 -",
			"Java_com_example_shop_storage_NativeStore_get libshopdb.so 0x19e10 -",
			"com.example.shop.storage.NativeStore.get com.example.shop.storage.NativeStore - -",
		}},
	})
}
