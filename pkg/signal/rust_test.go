package signal

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestRustPanicForms: a pre-1.73 panic whose message spans lines
// (assert_eq!'s left and right) and a release build's backtrace, whose
// frames have no "at" lines, keep the panic's location as the crash frame;
// Rust's libraries before 1.47 (src/libstd/...) are not in-app.
func TestRustPanicForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"assert_eq before 1.73", "thread 'main' panicked at 'assertion failed: `(left == right)`\n" +
			"  left: `3`,\n" +
			" right: `5`', src/ledger.rs:469:9\n" +
			"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
			"assertion failed: `(left == right)`", []string{"src/ledger.rs:469 true"}},
		{"release backtrace", "thread 'main' panicked at src/main.rs:75:48:\n" +
			"called `Option::unwrap()` on a `None` value\n" +
			"stack backtrace:\n" +
			"   0: rust_begin_unwind\n" +
			"   1: core::panicking::panic_fmt\n" +
			"   2: ledger::generate_html\n" +
			"   3: ledger::main\n",
			"called `Option::unwrap()` on a `None` value", []string{"src/main.rs:75 true", ":0 false", ":0 false", ":0 true", ":0 true"}},
		{"old library paths", "thread 'main' panicked at 'boom', src/ledger.rs:12:5\n" +
			"stack backtrace:\n" +
			"   0: std::sys_common::backtrace::_print_fmt\n" +
			"             at src/libstd/sys_common/backtrace.rs:76\n" +
			"   1: <std::sys_common::backtrace::_print::DisplayBacktrace as core::fmt::Display>::fmt\n" +
			"             at src/libstd/sys_common/backtrace.rs:60\n" +
			"   2: ledger::run\n" +
			"             at src/ledger.rs:12\n",
			"boom", []string{"src/libstd/sys_common/backtrace.rs:76 false", "src/libstd/sys_common/backtrace.rs:60 false", "src/ledger.rs:12 true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, got := parseFrames(t, tt.input, func(f Frame) string { return fmt.Sprintf("%s:%d %v", f.File, f.Line, f.InApp) })
			if len(sigs) != 1 || sigs[0].Format != FormatRust || sigs[0].Title != tt.title || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d signals, the first %s %q with frames %q; want one rust signal %q with %q", len(sigs), sigs[0].Format, sigs[0].Title, got, tt.title, tt.want)
			}
		})
	}
}

// TestRustErrorReports: what a Rust program prints when main returns an
// error: anyhow's "Stack backtrace:", color-eyre's report (hidden frames,
// a span trace that holds no frames), and eyre's Location when there is
// no backtrace.
func TestRustErrorReports(t *testing.T) {
	anyhow := `Error: Unable to read config

Caused by:
    No such file or directory (os error 2)

Stack backtrace:
   0: anyhow::error::<impl anyhow::Error>::msg
             at /home/dev/.cargo/registry/src/index.crates.io-6f17d22bba15001f/anyhow-1.0.75/src/error.rs:83:36
   1: shop::config::load
             at ./src/config.rs:41:9
   2: shop::main
             at ./src/main.rs:12:5
   3: core::ops::function::FnOnce::call_once
             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/ops/function.rs:250:5
`
	eyre := `Error: 
   0: Unable to read config
   1: No such file or directory (os error 2)

Location:
   src/config.rs:44

  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ SPANTRACE ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━

   0: shop::config::read with path="shop.toml"
      at src/config.rs:30

  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ BACKTRACE ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
                                ⋮ 5 frames hidden ⋮
   6: shop::config::load::h8a1b2c3d4e5f6a7b
      at /home/dev/shop/src/config.rs:41
   7: shop::main::h1a2b3c4d5e6f7a8b
      at /home/dev/shop/src/main.rs:12

Run with COLORBT_SHOW_HIDDEN=1 environment variable to disable frame filtering.
`
	located := "Error: \n   0: Unable to read config\n\nLocation:\n   src/config.rs:44\n\nBacktrace omitted. Run with RUST_BACKTRACE=1 environment variable to display it.\n"
	release := "Error: Unable to read config\n\nLocation:\n    src/config.rs:44:10\n\nStack backtrace:\n   0: shop::config::load\n   1: shop::main\n"
	tests := []struct {
		name, in, title string
		files           []string // in-app frames' files, innermost first
		lines           []int
		note            bool
	}{
		{"anyhow", anyhow, "Unable to read config", []string{"./src/config.rs", "./src/main.rs"}, []int{41, 12}, false},
		// The Location (where the error was wrapped) comes first, then
		// the backtrace; the span trace is a further stack.
		{"color-eyre", eyre, "Unable to read config", []string{"src/config.rs", "/home/dev/shop/src/config.rs", "/home/dev/shop/src/main.rs", "src/config.rs"}, []int{44, 41, 12, 30}, false},
		{"eyre without a backtrace", located, "Unable to read config", []string{"src/config.rs"}, []int{44}, true},
		{"release backtrace", release, "Unable to read config", []string{"src/config.rs", "", ""}, []int{44, 0, 0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("err", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			s := sigs[0]
			if len(sigs) != 1 || s.Format != FormatRust || s.Title != tt.title {
				t.Fatalf("got %d signals, the first %q (%s)", len(sigs), s.Title, s.Format)
			}
			var files []string
			var lines []int
			for _, f := range s.Frames {
				if f.InApp {
					files, lines = append(files, f.File), append(lines, f.Line)
				}
			}
			if strings.Join(files, ",") != strings.Join(tt.files, ",") || fmt.Sprint(lines) != fmt.Sprint(tt.lines) {
				t.Fatalf("got in-app frames %q %v, want %q %v (all: %+v)", files, lines, tt.files, tt.lines, s.Frames)
			}
			if (len(s.Notes) > 0) != tt.note {
				t.Errorf("got notes %q", s.Notes)
			}
		})
	}
	// A JavaScript error is no Rust report.
	js := "Error: boom\n    at total (/srv/shop/src/cart.js:41:12)\n    at main (/srv/shop/src/main.js:3:1)\n"
	if sigs, err := Parse("js", []byte(js)); err != nil || sigs[0].Format != FormatJavaScript {
		t.Fatalf("got %+v, %v; want a JavaScript signal", sigs, err)
	}
}
