package signal

import (
	"fmt"
	"slices"
	"testing"
)

// TestGlogCheckFailure: a failed glog CHECK (the fatal "F... file:line]
// Check failed:" line, then the failure handler's "@ 0x... function"
// stack) is one signal titled by the check, whose crash frame is the
// check's file and line, the logging machinery not in-app.
func TestGlogCheckFailure(t *testing.T) {
	in := "F20230223 22:31:24.688732  4806 ledger.cc:88] Check failed: balance >= 0 (-3 vs. 0)\n" +
		"*** Check failure stack trace: ***\n" +
		"*** SIGABRT (@0x12c6) received by PID 4806 (TID 0x7f5719ac6740) from PID 4806; stack trace: ***\n" +
		"PC: @                0x0 (unknown)\n" +
		"    @     0x7f57196bd980 (unknown)\n" +
		"    @     0x7f57189b9e87 gsignal\n" +
		"    @     0x7f57189bb7f1 abort\n" +
		"    @           0x21e61d google::LogMessage::Fail()\n" +
		"    @           0x221ea9 google::LogMessageFatal::~LogMessageFatal()\n" +
		"    @           0x2131a4 ledger::Post()\n" +
		"    @           0x212f10 main\n"
	sigs, got := parseFrames(t, in, inAppFrame)
	want := []string{" ledger.cc:88", "ledger::Post :0", "main :0"}
	if len(sigs) != 1 || sigs[0].Title != "ledger.cc:88] Check failed: balance >= 0 (-3 vs. 0)" || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %q with in-app frames %q; want %q", len(sigs), sigs[0].Title, got, want)
	}
}

// TestAbseilFailureStack: Abseil's failure stack (a frame-size column,
// "(unknown)" for one it could not tell) reads as glog's.
func TestAbseilFailureStack(t *testing.T) {
	in := "F0223 22:31:24.688732    4806 ledger.cc:88] Check failed: balance >= 0 (-3 vs. 0)\n" +
		"*** Check failure stack trace: ***\n" +
		"    @     0x55d3e0e2b8f3         64  absl::log_internal::LogMessage::SendToLog()\n" +
		"    @     0x55d3e0e2bd19         32  absl::log_internal::LogMessageFatal::~LogMessageFatal()\n" +
		"    @     0x55d3e0e1c1a4         48  ledger::Post()\n" +
		"    @     0x7f1a5e229d90  (unknown)  __libc_start_call_main\n"
	sigs, got := parseFrames(t, in, inAppFrame)
	if want := []string{" ledger.cc:88", "ledger::Post :0"}; len(sigs) != 1 || !slices.Equal(got, want) {
		t.Errorf("got %d signals with in-app frames %q, want %q", len(sigs), got, want)
	}
}

// inAppFrame writes an in-app frame as "function file:line" (others as "").
func inAppFrame(f Frame) string {
	if !f.InApp {
		return ""
	}
	return fmt.Sprintf("%s %s:%d", f.Function, f.File, f.Line)
}
