package signal

import (
	"reflect"
	"testing"
)

// A native crash report converted to a Sentry event gives the symptoms and
// the frames its pasted text gives: the exception value is read as the
// report's first line, the report's machinery is not in-app whoever marked
// it, and a bare function name is judged as in the pasted report.
func TestSentryNativeEventReadsLikeItsReport(t *testing.T) {
	tests := []struct {
		name     string
		event    string
		text     string
		symptoms []string
	}{
		{
			"glibc assertion with the program's name",
			`{"platform":"native","exception":{"values":[{"type":"assertion failed","value":"app: socket.c:147: _nl_socket_used_ports_release_all: Assertion ` + "`0'" + ` failed.","stacktrace":{"frames":[{"filename":"socket.c","function":"_nl_socket_used_ports_release_all","lineno":147,"in_app":true}]}}]}}`,
			"app: socket.c:147: _nl_socket_used_ports_release_all: Assertion `0' failed.\n",
			[]string{"socket", "_nl_socket_used_ports_release_all"},
		},
		{
			"kernel panic after an oops",
			`{"platform":"native","exception":{"values":[{"type":"Kernel panic","value":"Kernel panic - not syncing: Fatal exception in interrupt","stacktrace":{"frames":[{"function":"tasklet_action","in_app":false},{"function":"mt7921_irq_tasklet","module":"mt7921e","in_app":false},{"function":"mt76_mmio_rr","in_app":true}]}}]}}`,
			"[ 1.1] Call trace:\n[ 1.2]  mt76_mmio_rr+0x28/0xf0 [mt76]\n[ 1.3]  mt7921_irq_tasklet+0x54/0x1d8 [mt7921e]\n[ 1.4]  tasklet_action+0x24/0x2c\n[ 1.5] ---[ end trace a24b8e26ffbda3c5 ]---\n[ 1.6] Kernel panic - not syncing: Fatal exception in interrupt\n",
			[]string{"interrupt"},
		},
		{
			"kernel offsets and modules left in the functions",
			`{"platform":"native","exception":{"values":[{"type":"Kernel panic","value":"Kernel panic - not syncing: Fatal exception in interrupt","stacktrace":{"frames":[{"function":"tasklet_action+0x24/0x2c","in_app":false},{"function":"mt7921_irq_tasklet+0x54/0x1d8 [mt7921e]","module":"mt7921e","in_app":false},{"function":"mt76_mmio_rr+0x28/0xf0 [mt76]","in_app":true}]}}]}}`,
			"[ 1.1] Call trace:\n[ 1.2]  mt76_mmio_rr+0x28/0xf0 [mt76]\n[ 1.3]  mt7921_irq_tasklet+0x54/0x1d8 [mt7921e]\n[ 1.4]  tasklet_action+0x24/0x2c\n[ 1.5] ---[ end trace a24b8e26ffbda3c5 ]---\n[ 1.6] Kernel panic - not syncing: Fatal exception in interrupt\n",
			[]string{"interrupt"},
		},
		{
			"Xen banner and call trace",
			`{"platform":"native","exception":{"values":[{"type":"kernel crash","value":"----[ Xen-4.20.0-1-d  x86_64  debug=y  Tainted:     H  ]----","stacktrace":{"frames":[{"function":"do_page_fault","in_app":true},{"function":"_spin_lock","in_app":true}]}}]}}`,
			"(XEN) Xen call trace:\n(XEN)    [<ffff82d08022d6ae>] R _spin_lock+0x34/0x5e\n(XEN)    [<ffff82d080356332>] F do_page_fault+0x420/0x780\n",
			nil,
		},
		{
			"gdb's words",
			`{"platform":"native","exception":{"values":[{"type":"SIGSEGV","value":"Program received signal SIGSEGV, Segmentation fault.","stacktrace":{"frames":[{"filename":"src/main.c","function":"main","lineno":3,"in_app":true},{"filename":"src/x.c","function":"fill","lineno":12,"in_app":true}]}}]}}`,
			"Program received signal SIGSEGV, Segmentation fault.\n0x0000555555555131 in fill (p=0x0) at src/x.c:12\n12\t  *p = 1;\n(gdb) bt\n#0  fill (p=0x0) at src/x.c:12\n#1  0x0000555555555150 in main () at src/main.c:3\n",
			[]string{"sigsegv", "segmentation", "fault"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Parse("event.json", []byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			tx, err := Parse("trace.txt", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if !sameSet(ev[0].Symptoms, tt.symptoms) {
				t.Errorf("event symptoms %q, want %q", ev[0].Symptoms, tt.symptoms)
			}
			if !sameSet(ev[0].Symptoms, tx[0].Symptoms) {
				t.Errorf("event symptoms %q, text symptoms %q", ev[0].Symptoms, tx[0].Symptoms)
			}
			type fr struct {
				fn    string
				inApp bool
			}
			var ef, xf []fr
			for _, f := range ev[0].Frames {
				ef = append(ef, fr{f.Function, f.InApp})
			}
			for _, f := range tx[0].Frames {
				xf = append(xf, fr{f.Function, f.InApp})
			}
			if !reflect.DeepEqual(ef, xf) {
				t.Errorf("event frames %v, text frames %v", ef, xf)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
