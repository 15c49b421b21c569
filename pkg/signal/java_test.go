package signal

import "testing"

// TestJavaPastedForms: the forms Google Play Console and Android's logcat
// paste a JVM trace in read as the plain trace does: the root cause's
// frames first, with their package folders, the platform's not in-app.
func TestJavaPastedForms(t *testing.T) {
	tests := []struct {
		name, input string
		file        string
		line        int
		frames      int
	}{
		{"play console", "Exception java.lang.RuntimeException: \n" +
			"  at android.app.ActivityThread.performLaunchActivity (ActivityThread.java:3827)\n" +
			"  at java.lang.reflect.Method.invoke\n" +
			"  at com.android.internal.os.ZygoteInit.main (ZygoteInit.java:1130)\n" +
			"Caused by java.lang.NullPointerException: \n" +
			"  at com.example.app.StartActivity.onCreate (StartActivity.java:38)\n" +
			"  at android.app.Activity.performCreate (Activity.java:8207)\n",
			"com/example/app/StartActivity.java", 38, 5},
		{"logcat cause indented one more", "E/AndroidRuntime: FATAL EXCEPTION: main\n" +
			"    java.lang.RuntimeException: Unable to start activity\n" +
			"        at android.app.ActivityThread.performLaunchActivity(ActivityThread.java:2325)\n" +
			"        at android.os.Looper.loop(Looper.java:135)\n" +
			"     Caused by: java.lang.NullPointerException: Attempt to read from field\n" +
			"        at com.example.app.ui.MainActivity.onCreate(MainActivity.java:61)\n" +
			"        at android.app.Activity.performCreate(Activity.java:5990)\n",
			"com/example/app/ui/MainActivity.java", 61, 4},
		{"suppressed cause stays after the main chain", "java.io.IOException: close\n" +
			"\tat com.example.app.Store.close(Store.java:10)\n" +
			"\tSuppressed: java.lang.IllegalStateException: flush\n" +
			"\t\tat com.example.app.Store.flush(Store.java:20)\n" +
			"\tCaused by: java.lang.NullPointerException\n" +
			"\t\tat com.example.app.Buffer.drain(Buffer.java:30)\n" +
			"Caused by: java.lang.ArithmeticException: / by zero\n" +
			"\tat com.example.app.Store.size(Store.java:40)\n",
			"com/example/app/Store.java", 40, 4},
		{"a nested suppressed's cause stays with it", "java.io.IOException: close\n" +
			"\tat com.example.app.Store.close(Store.java:10)\n" +
			"\tSuppressed: java.lang.IllegalStateException: s1\n" +
			"\t\tat com.example.app.Store.flush(Store.java:20)\n" +
			"\t\tSuppressed: java.lang.IllegalStateException: s2\n" +
			"\t\t\tat com.example.app.Store.sync(Store.java:30)\n" +
			"\tCaused by: java.lang.NullPointerException\n" +
			"\t\tat com.example.app.Buffer.drain(Buffer.java:40)\n",
			"com/example/app/Store.java", 10, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("trace.txt", []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			s := sigs[0]
			if len(sigs) != 1 || s.Format != FormatJava || len(s.Frames) != tt.frames || s.Frames[0].File != tt.file || s.Frames[0].Line != tt.line || !s.Frames[0].InApp {
				t.Fatalf("got %d signals, the first %s with frames %+v; want one java signal of %d frames crashing in-app at %s:%d", len(sigs), s.Format, s.Frames, tt.frames, tt.file, tt.line)
			}
			for _, f := range s.Frames {
				if f.InApp != (len(f.Module) > 11 && f.Module[:11] == "com.example") {
					t.Errorf("frame %+v: in-app %v", f, f.InApp)
				}
			}
		})
	}
}

// TestJavaProseCausedByIsNoHeader: prose that starts "Caused by" between
// two traces joins neither to the other.
func TestJavaProseCausedByIsNoHeader(t *testing.T) {
	in := "java.lang.IllegalStateException: first failure\n" +
		"\tat com.example.billing.Invoice.total(Invoice.java:40)\n" +
		"Caused by the scheduler retry, see ticket OPS-12.\n" +
		"java.lang.NullPointerException: second failure\n" +
		"\tat com.example.orders.Cart.add(Cart.java:77)\n"
	sigs, err := Parse("trace.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 2 || len(sigs[0].Frames) != 1 || sigs[0].Frames[0].Line != 40 || len(sigs[1].Frames) != 1 || sigs[1].Frames[0].Line != 77 {
		t.Errorf("got %+v, want two signals of one frame each (Invoice.java:40, Cart.java:77)", sigs)
	}
}

// TestJavaACRAReport: ACRA's crash report writes the stack trace as the
// value of its STACK_TRACE field, the exception on the field's line.
func TestJavaACRAReport(t *testing.T) {
	in := "REPORT_ID=4b1c2a3e-0000-4000-8000-123456789abc\nAPP_VERSION_CODE=42\n" +
		"STACK_TRACE=java.lang.NullPointerException: Attempt to invoke virtual method on a null object reference\n" +
		"\tat com.example.shop.CartView.render(CartView.java:92)\n" +
		"\tat com.example.shop.MainActivity.onCreate(MainActivity.java:13)\n" +
		"\tat android.app.Activity.performCreate(Activity.java:8000)\nUSER_CRASH_DATE=2026-12-04T10:31:22.000+01:00\n"
	s := parseOne(t, in, FormatJava, "com/example/shop/CartView.java", 92, 3)
	if want := "java.lang.NullPointerException: Attempt to invoke virtual method on a null object reference"; s.Title != want {
		t.Errorf("title: got %q, want %q", s.Title, want)
	}
}

// TestJavaFrameForms: the frame forms of newer JVMs and of Android read
// as the plain form does: a module in the location (a thread dump's
// "java.base@21.0.2/Thread.java:509"), Android's "Native method", and a
// lambda's hidden class ("Main$$Lambda/0x...run"), named by its class and
// not in-app.
func TestJavaFrameForms(t *testing.T) {
	tests := []struct {
		qual, loc string
		want      Frame
	}{
		{"java.lang.Thread.sleep", "java.base@21.0.2/Thread.java:509",
			Frame{File: "java/lang/Thread.java", Line: 509, Function: "java.lang.Thread.sleep", Module: "java.lang.Thread"}},
		{"com.example.shop.Store.load", "app@1.2/Store.java:88",
			Frame{File: "com/example/shop/Store.java", Line: 88, Function: "com.example.shop.Store.load", Module: "com.example.shop.Store", InApp: true}},
		{"dalvik.system.VMStack.getThreadStackTrace", "Native method",
			Frame{Function: "dalvik.system.VMStack.getThreadStackTrace", Module: "dalvik.system.VMStack"}},
		{"com.example.shop.Main$$Lambda/0x000071b4c8003200.run", "Unknown Source",
			Frame{Function: "com.example.shop.Main$$Lambda.run", Module: "com.example.shop.Main$$Lambda"}},
		{"com.example.shop.Main$$Lambda$14/1234567.run", "Unknown Source",
			Frame{Function: "com.example.shop.Main$$Lambda$14.run", Module: "com.example.shop.Main$$Lambda$14"}},
		{"java.base/java.lang.Thread.run", "Thread.java:1583",
			Frame{File: "java/lang/Thread.java", Line: 1583, Function: "java.lang.Thread.run", Module: "java.lang.Thread"}},
	}
	for _, tt := range tests {
		got, ok := javaFrame(tt.qual, tt.loc)
		if !ok || got != tt.want {
			t.Errorf("javaFrame(%q, %q) = %+v, %v; want %+v", tt.qual, tt.loc, got, ok, tt.want)
		}
	}
}

// TestJavaSourceFileFrames: R8 and ProGuard name every file "SourceFile".
// Such a trace reads as a Java signal whose frames keep their class,
// method and line but no file (nothing on disk is named SourceFile), so
// that analyze can say the trace is obfuscated instead of finding no trace.
func TestJavaSourceFileFrames(t *testing.T) {
	in := "Exception in thread \"main\" java.lang.IllegalStateException: checkout failed\n" +
		"\tat com.shop.d.a(SourceFile:15)\n" +
		"\tat com.shop.Main.main(SourceFile)\n" +
		"Caused by: com.shop.c: no price for pear\n" +
		"\tat com.shop.a.a(SourceFile:1024)\n" +
		"\tat com.shop.d.a(SourceFile:13)\n" +
		"\t... 1 more\n"
	sigs, err := Parse("crash.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s := sigs[0]
	if len(sigs) != 1 || s.Format != FormatJava || s.Title != "java.lang.IllegalStateException: checkout failed" {
		t.Fatalf("got %d signals, the first a %s signal titled %q, want the Java exception", len(sigs), s.Format, s.Title)
	}
	want := []Frame{
		{Function: "com.shop.a.a", Module: "com.shop.a", Line: 1024},
		{Function: "com.shop.d.a", Module: "com.shop.d", Line: 13},
		{Function: "com.shop.d.a", Module: "com.shop.d", Line: 15},
		{Function: "com.shop.Main.main", Module: "com.shop.Main"},
	}
	if len(s.Frames) != len(want) {
		t.Fatalf("got frames %+v, want %d", s.Frames, len(want))
	}
	for i, w := range want {
		f := s.Frames[i]
		if f.File != "" || f.Function != w.Function || f.Module != w.Module || f.Line != w.Line {
			t.Errorf("frame %d: got %+v, want %+v with no file", i, f, w)
		}
	}
}
