package signal

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// showDartFrame writes a frame as the Dart tests compare it: file, line,
// column, function, and a * for an in-app frame.
func showDartFrame(f Frame) string {
	s := fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Function)
	if f.InApp {
		s += " *"
	}
	return s
}

// TestDartForms: the Dart VM's and Flutter's stacks, as printed, logged
// and pasted, read innermost first, titled after the error.
func TestDartForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"dart vm", "Unhandled exception:\nBad state: No element\n" +
			"#0      ListBase.first (dart:collection/list.dart:44:5)\n" +
			"#1      CartModel.total (package:shop/models/cart_model.dart:42:7)\n" +
			"#2      main (file:///home/u/shop/bin/main.dart:5:3)\n" +
			"#3      _rootRun (dart:async/zone.dart:1399:13)\n",
			"Bad state: No element",
			[]string{"dart:collection/list.dart:44:5 ListBase.first", "shop/lib/models/cart_model.dart:42:7 CartModel.total *",
				"/home/u/shop/bin/main.dart:5:3 main *", "dart:async/zone.dart:1399:13 _rootRun"}},
		{"flutter's report", "══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══════════════════════════\n" +
			"The following StateError was thrown building CartPage(dirty):\nBad state: No element\n\n" +
			"When the exception was thrown, this was the stack:\n" +
			"#0      ListBase.first (dart:collection/list.dart:44:5)\n" +
			"#1      _CartPageState.build.<anonymous closure> (package:shop/pages/cart_page.dart:17:12)\n" +
			"(elided 5 frames from class _RawReceivePortImpl, class _Timer, dart:async, and dart:async-patch)\n" +
			"════════════════════════════════════════════════════════════════════\n",
			"StateError: Bad state: No element",
			[]string{"dart:collection/list.dart:44:5 ListBase.first", "shop/lib/pages/cart_page.dart:17:12 _CartPageState.build.<anonymous closure> *"}},
		{"flutter's header wrapped inside the widget", "══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══════════════════════════\n" +
			"The following _TypeError was thrown building CartPage(dirty, dependencies:\n[MediaQuery], state:\n_CartPageState#1a2b3):\n" +
			"Null check operator used on a null value\n\nThe relevant error-causing widget was:\n  CartPage\n\n" +
			"When the exception was thrown, this was the stack:\n" +
			"#0      _CartPageState.build (package:shop/pages/cart_page.dart:21:30)\n",
			"_TypeError: Null check operator used on a null value",
			[]string{"shop/lib/pages/cart_page.dart:21:30 _CartPageState.build *"}},
		{"flutter's assertion names no type", "The following assertion was thrown while handling a gesture:\n" +
			"'package:shop/pages/cart_page.dart': Failed assertion: line 40 pos 12: 'items.isNotEmpty': is not true.\n\n" +
			"When the exception was thrown, this was the stack:\n" +
			"#2      _AssertionError._throwNew (dart:core-patch/errors_patch.dart:51:5)\n" +
			"#3      _CartPageState._checkout (package:shop/pages/cart_page.dart:40:12)\n",
			"'package:shop/pages/cart_page.dart': Failed assertion: line 40 pos 12: 'items.isNotEmpty': is not true.",
			[]string{"dart:core-patch/errors_patch.dart:51:5 _AssertionError._throwNew", "shop/lib/pages/cart_page.dart:40:12 _CartPageState._checkout *"}},
		{"logcat", "E/flutter (12345): [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] Unhandled Exception: Bad state: No element\n" +
			"E/flutter (12345): #0      ListBase.first (dart:collection/list.dart:44:5)\n" +
			"E/flutter (12345): #1      CartModel.total (package:shop/models/cart_model.dart:42:7)\n" +
			"E/flutter (12345): <asynchronous suspension>\n" +
			"E/flutter (12345): #2      _CartPageState._checkout (package:shop/pages/cart_page.dart:31:22)\n" +
			"E/flutter (12345): <asynchronous suspension>\n",
			"Bad state: No element",
			[]string{"dart:collection/list.dart:44:5 ListBase.first", "shop/lib/models/cart_model.dart:42:7 CartModel.total *",
				"shop/lib/pages/cart_page.dart:31:22 _CartPageState._checkout *"}},
		{"logcat's threadtime form", "05-14 09:31:07.412  4321  4350 E flutter : [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] Unhandled Exception: RangeError (index): Invalid value: Valid value range is empty: 0\n" +
			"05-14 09:31:07.412  4321  4350 E flutter : #0      List.[] (dart:core-patch/growable_array.dart:264:36)\n" +
			"05-14 09:31:07.412  4321  4350 E flutter : #1      CartModel.first (package:shop/models/cart_model.dart:30:18)\n",
			"RangeError (index): Invalid value: Valid value range is empty: 0",
			[]string{"dart:core-patch/growable_array.dart:264:36 List.[]", "shop/lib/models/cart_model.dart:30:18 CartModel.first *"}},
		{"ios console", "flutter: ══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══════════════════════════\n" +
			"flutter: The following StateError was thrown building CartPage(dirty):\nflutter: Bad state: No element\nflutter:\n" +
			"flutter: When the exception was thrown, this was the stack:\n" +
			"flutter: #0      CartModel.total (package:shop/models/cart_model.dart:42:7)\n" +
			"2024-05-14 09:31:07.412345+0200 Runner[1234:56789] flutter: #1      _CartPageState.build (package:shop/pages/cart_page.dart:17:12)\n",
			"StateError: Bad state: No element",
			[]string{"shop/lib/models/cart_model.dart:42:7 CartModel.total *", "shop/lib/pages/cart_page.dart:17:12 _CartPageState.build *"}},
		{"no column, no line, a constructor", "Unhandled exception:\nException: no cart\n" +
			"#0      new CartModel (package:shop/models/cart_model.dart:12)\n" +
			"#1      _Closure.call (dart:core-patch/function.dart)\n" +
			"#2      main (file:///C:/src/shop/bin/main.dart:5:3)\n",
			"Exception: no cart",
			[]string{"shop/lib/models/cart_model.dart:12:0 new CartModel *", "dart:core-patch/function.dart:0:0 _Closure.call",
				"C:/src/shop/bin/main.dart:5:3 main *"}},
		{"a path with spaces and parentheses", "#0      load (file:///Users/dev/my%20shop%20(2)/lib/load.dart:7:3)\n",
			"", []string{"/Users/dev/my shop (2)/lib/load.dart:7:3 load *"}},
		{"terse chain", "Bad state: No element\n" +
			"dart:collection                           ListBase.first\n" +
			"package:shop/models/cart_model.dart 42:7  CartModel.total\n" +
			"===== asynchronous gap ===========================\n" +
			"dart:async                                _CustomZone.registerUnaryCallback\n" +
			"package:shop/models/cart_model.dart 58    CartModel.load.<fn>\n" +
			"test/cart_test.dart 12:13                 main.<fn>\n",
			"Bad state: No element",
			[]string{"dart:collection:0:0 ListBase.first", "shop/lib/models/cart_model.dart:42:7 CartModel.total *",
				"dart:async:0:0 _CustomZone.registerUnaryCallback", "shop/lib/models/cart_model.dart:58:0 CartModel.load.<fn> *",
				"test/cart_test.dart:12:13 main.<fn> *"}},
		{"third-party packages are not the app's", "Unhandled exception:\nDioException [bad response]\n" +
			"#0      DioMixin.fetch (package:dio/src/dio_mixin.dart:509:7)\n" +
			"#1      Provider.of (package:provider/src/provider.dart:335:7)\n" +
			"#2      CartApi.get (package:shop_api/cart_api.dart:20:5)\n",
			"DioException [bad response]",
			[]string{"dio/lib/src/dio_mixin.dart:509:7 DioMixin.fetch", "provider/lib/src/provider.dart:335:7 Provider.of",
				"shop_api/lib/cart_api.dart:20:5 CartApi.get *"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, got := parseFrames(t, tt.input, showDartFrame)
			if len(sigs) != 1 || sigs[0].Format != FormatDart || sigs[0].Title != tt.title || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d signals, the first %s %q with frames %q; want one dart signal %q with %q", len(sigs), sigs[0].Format, sigs[0].Title, got, tt.title, tt.want)
			}
		})
	}
}

// TestDartSeveralErrors: each "Unhandled exception:", each Flutter report
// and each stack starting again at #0 is an error of its own; lines
// between them that are no frames are not read as frames.
func TestDartSeveralErrors(t *testing.T) {
	in := "Unhandled exception:\nBad state: first\n#0      a (package:shop/a.dart:1:2)\n#1      b (package:shop/b.dart:3:4)\n" +
		"some log line\n" +
		"Exception: second\n#0      c (package:shop/c.dart:5:6)\n" +
		"#0      d (package:shop/d.dart:7:8)\n" +
		"#1      e (package:shop/e.dart:9:10)\n"
	sigs, err := Parse("trace.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		var fns []string
		for _, f := range s.Frames {
			fns = append(fns, f.Function)
		}
		got = append(got, s.Title+": "+strings.Join(fns, ","))
	}
	want := []string{"Bad state: first: a,b", "Exception: second: c", ": d,e"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestDartNotGDB: a Dart VM frame ("#1 CartModel.total (package:...)")
// looks like a gdb frame without a location; the parser of Dart traces
// reads it, and gdb backtraces still read as gdb's, whatever their
// arguments hold.
func TestDartNotGDB(t *testing.T) {
	tests := []struct {
		name, input, format string
		frames              int
	}{
		{"flutter", "══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══════════════════════════\n" +
			"The following StateError was thrown building CartPage(dirty):\nBad state: No element\n\n" +
			"When the exception was thrown, this was the stack:\n" +
			"#0      ListBase.first (dart:collection/list.dart:44:5)\n" +
			"#1      CartModel.total (package:shop/models/cart_model.dart:42:7)\n" +
			"#2      _CartPageState.build (package:shop/pages/cart_page.dart:17:12)\n" +
			"#3      StatefulElement.build (package:flutter/src/widgets/framework.dart:5592:27)\n", FormatDart, 4},
		{"dart frames without lines", "#0      new CartModel (package:shop/models/cart_model.dart)\n#1      _Closure.call (dart:core-patch/function.dart)\n", FormatDart, 2},
		{"gdb", "Program received signal SIGSEGV, Segmentation fault.\n#0  0x0000555555555145 in get (p=0x0) at segv.c:3\n#1  0x0000555555555178 in main () at segv.c:9\n", FormatGDB, 2},
		{"gdb without addresses", "#0  get (p=0x0) at segv.c:3\n#1  main () at segv.c:9\n", FormatGDB, 2},
		{"gdb frames naming a .dart file", "#0  0x0000555555555145 in load (path=0x5555 \"lib/main.dart:3\") at loader.c:12\n" +
			"#1  0x0000555555555178 in run (uri=0x5555 \"dart:core\") at vm.c:40\n#2  0x00007ffff7dd1d90 in ?? () from /lib/x86_64-linux-gnu/libc.so.6\n", FormatGDB, 3},
		{"gdb frames without locations", "#0  0x00007ffff7e4af1f in raise () from /lib/x86_64-linux-gnu/libc.so.6\n#1  0x00007ffff7e35535 in abort () from /lib/x86_64-linux-gnu/libc.so.6\n", FormatGDB, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("trace.txt", []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Format != tt.format || len(sigs[0].Frames) != tt.frames {
				t.Errorf("got %d signals, the first %s with %d frames; want one %s signal of %d frames", len(sigs), sigs[0].Format, len(sigs[0].Frames), tt.format, tt.frames)
			}
		})
	}
}

// TestDartTimestamp: a Dart trace in a CI log takes its time from the
// log's line; the twin's time is relative to the real clock.
func TestDartTimestamp(t *testing.T) {
	recent := time.Now().UTC().Add(-90 * time.Minute).Truncate(time.Millisecond)
	for _, at := range []time.Time{time.Date(2024, 5, 14, 9, 31, 7, 412e6, time.UTC), recent} {
		stamp := at.Format("2006-01-02T15:04:05.000Z") + " "
		in := stamp + "Running the cart's checks\n" +
			stamp + "Unhandled exception:\n" +
			stamp + "Bad state: No element\n" +
			stamp + "#0      CartModel.total (package:shop/models/cart_model.dart:42:7)\n" +
			stamp + "#1      main (file:///home/runner/work/shop/bin/main.dart:5:3)\n"
		s := parseOne(t, in, FormatDart, "shop/lib/models/cart_model.dart", 42, 2)
		if s.Timestamp == nil || !s.Timestamp.Equal(at) || s.Title != "Bad state: No element" {
			t.Errorf("got time %v, title %q; want %v, %q", s.Timestamp, s.Title, at, "Bad state: No element")
		}
	}
}

// TestDartLocation: a library's URI as a frame's File and Module.
func TestDartLocation(t *testing.T) {
	tests := []struct{ uri, file, module string }{
		{"package:shop/models/cart_model.dart", "shop/lib/models/cart_model.dart", "shop"},
		{"package:flutter/src/widgets/framework.dart", "flutter/lib/src/widgets/framework.dart", "flutter"},
		{"dart:async/zone.dart", "dart:async/zone.dart", "dart:async"},
		{"dart:core-patch/errors_patch.dart", "dart:core-patch/errors_patch.dart", "dart:core"},
		{"dart:async", "dart:async", "dart:async"},
		{"file:///home/u/shop/bin/main.dart", "/home/u/shop/bin/main.dart", ""},
		{"file:///C:/src/shop/bin/main.dart", "C:/src/shop/bin/main.dart", ""},
		{"test/cart_test.dart", "test/cart_test.dart", ""},
		{"package:", "package:", ""},
		{"package:/x.dart", "package:/x.dart", ""},
	}
	for _, tt := range tests {
		if file, module := dartLocation(tt.uri); file != tt.file || module != tt.module {
			t.Errorf("dartLocation(%q) = %q, %q; want %q, %q", tt.uri, file, module, tt.file, tt.module)
		}
	}
}
