package signal

import (
	"fmt"
	"reflect"
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
