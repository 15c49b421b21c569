package signal

import (
	"fmt"
	"slices"
	"testing"
)

// TestKernelARMFromLines: a 32-bit ARM kernel's "[<pc>] (callee) from
// [<lr>] (caller+off/len)" lines are a call trace without a "Call trace:"
// line: each function once, innermost first, the WARNING's site on the
// warning function's frame.
func TestKernelARMFromLines(t *testing.T) {
	in := "------------[ cut here ]------------\n" +
		"WARNING: CPU: 0 PID: 12016 at drivers/net/wireless/mt76/mac80211.c:65 mt76_sta_add+0x2a8/0x2bc [mt76]()\n" +
		"Modules linked in: mt76 mac80211 cfg80211\n" +
		"CPU: 0 PID: 12016 Comm: hostapd Tainted: G        W      5.10.11 #781\n" +
		"[<800172bc>] (unwind_backtrace) from [<80012f7c>] (show_stack+0x20/0x24)\n" +
		"[<80012f7c>] (show_stack) from [<80520970>] (dump_stack+0x98/0xd8)\n" +
		"[<80520970>] (dump_stack) from [<7f3a1b20>] (mt76_sta_add+0x2a8/0x2bc [mt76])\n" +
		"[<7f3a1b20>] (mt76_sta_add [mt76]) from [<7f3a2c40>] (mt76_sta_state+0x60/0x1a0 [mt76])\n" +
		"---[ end trace c51e57dbe3d8ca95 ]---\n"
	sigs, got := parseFrames(t, in, func(f Frame) string { return fmt.Sprintf("%s %s:%d %v", f.Function, f.File, f.Line, f.InApp) })
	// The reporting code above the warning stays, not in-app; the
	// WARNING's site is the warning function's frame.
	want := []string{"show_stack :0 false", "dump_stack :0 false", "mt76_sta_add drivers/net/wireless/mt76/mac80211.c:65 true", "mt76_sta_state :0 true"}
	if len(sigs) != 1 || sigs[0].Format != FormatKernel || !slices.Equal(got, want) {
		t.Errorf("got %d signals, the first %s with %q; want one kernel signal with %q", len(sigs), sigs[0].Format, got, want)
	}
}
