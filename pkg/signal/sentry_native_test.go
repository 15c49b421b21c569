package signal

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
			// An event made from a log line: no stack, the assertion's
			// location is the one frame, as in the text.
			"glibc assertion without a stack",
			`{"platform":"native","exception":{"values":[{"type":"assertion failed","value":"app: socket.c:147: _nl_socket_used_ports_release_all: Assertion ` + "`0'" + ` failed."}]}}`,
			"app: socket.c:147: _nl_socket_used_ports_release_all: Assertion `0' failed.\n",
			[]string{"socket", "_nl_socket_used_ports_release_all"},
		},
		{
			"dovecot panic without a stack",
			`{"platform":"c","exception":{"values":[{"type":"Panic","value":"Panic: file array.c: line 10 (array_idx_modifiable_i): assertion failed: (idx < count)"}]}}`,
			"Panic: file array.c: line 10 (array_idx_modifiable_i): assertion failed: (idx < count)\n",
			[]string{"array", "array_idx_modifiable_i", "idx", "count"},
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

// A native report's stacks reach Sentry as exception values, the crash
// stack last by Sentry's convention, or first as some converters write
// them: either way the event reads like the pasted report, the crash stack
// first and the others after it (where memory was freed and allocated,
// the frame whose stack variable overflowed, the race's other access and
// where its threads were created, where an uninitialized value came from).
func TestSentryNativeStacksReadLikeTheReport(t *testing.T) {
	for _, tc := range []struct {
		file, typ, value, title string
	}{
		{"asan/double_free_gcc.txt", "AddressSanitizer", "attempting double-free on 0x602000000010 in thread T0", "double-free"},
		// The second stack is one frame: "Address 0x.. is located in
		// stack of thread T0 at offset 40 in frame".
		{"asan/stack_overflow_gcc.txt", "stack-buffer-overflow", "AddressSanitizer: stack-buffer-overflow on address 0x7ffef4b1c608", "stack-buffer-overflow"},
		{"asan/use_after_return_clang.txt", "stack-use-after-return", "AddressSanitizer: stack-use-after-return on address 0x7f598e100020", "stack-use-after-return"},
		{"tsan/race_clang.txt", "data race", "ThreadSanitizer: data race", "data race"},
		{"msan/uninit_clang.txt", "use-of-uninitialized-value", "MemorySanitizer: use-of-uninitialized-value", "use-of-uninitialized-value"},
		{"tsan/lockorder_clang.txt", "lock-order-inversion", "ThreadSanitizer: lock-order-inversion (potential deadlock)", "lock-order-inversion"},
		{"valgrind/memcheck_uaf.txt", "Memcheck", "Invalid read of size 4", "Invalid read"},
		{"valgrind/helgrind_race.txt", "Helgrind", "Possible data race during read of size 4 at 0x10C02C by thread #3", "data race"},
		{"valgrind/helgrind_lockorder.txt", "Helgrind", `Thread #1: lock order "0x10C060 before 0x10C0A0" violated`, "lock order"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			tx, err := Parse("trace.txt", text)
			if err != nil {
				t.Fatal(err)
			}
			want := tx[0]
			if len(want.Stacks) < 2 {
				t.Fatalf("the report has stacks %q, want 2 or more", want.Stacks)
			}
			type value struct {
				Type       string `json:"type"`
				Value      string `json:"value"`
				Stacktrace struct {
					Frames []map[string]any `json:"frames"`
				} `json:"stacktrace"`
			}
			values := make([]value, len(want.Stacks))
			for i, name := range want.Stacks {
				values[i].Type = name
			}
			values[0].Type, values[0].Value = tc.typ, tc.value
			for _, f := range want.Frames {
				fr := map[string]any{"filename": f.File, "function": f.Function, "lineno": f.Line, "in_app": f.InApp}
				v := &values[f.Stack]
				v.Stacktrace.Frames = append([]map[string]any{fr}, v.Stacktrace.Frames...) // oldest first
			}
			type fr struct {
				fn    string
				line  int
				stack int
			}
			frames := func(s Signal) (out []fr) {
				for _, f := range s.Frames {
					if f.Function == "" && f.File == "" {
						continue // an address alone: the event here does not carry it
					}
					out = append(out, fr{f.Function, f.Line, f.Stack})
				}
				return out
			}
			for name, order := range map[string][]value{
				"crash last":  append(append([]value{}, values[1:]...), values[0]),
				"crash first": values,
			} {
				ev, err := json.Marshal(map[string]any{"platform": "native", "exception": map[string]any{"values": order}})
				if err != nil {
					t.Fatal(err)
				}
				got, err := Parse("event.json", ev)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := frames(got[0]), frames(want); !reflect.DeepEqual(g, w) {
					t.Errorf("%s: event frames %v, text frames %v", name, g, w)
				}
				if len(got[0].Stacks) != len(want.Stacks) || !strings.Contains(got[0].Title, tc.title) {
					t.Errorf("%s: title %q, stacks %q; want the crash's title and %d stacks", name, got[0].Title, got[0].Stacks, len(want.Stacks))
				}
			}
		})
	}
}
