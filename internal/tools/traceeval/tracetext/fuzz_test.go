package tracetext

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzExtract feeds arbitrary commit messages through extraction, parsing
// and conversion: nothing may panic, and what comes out must hold together.
func FuzzExtract(f *testing.F) {
	f.Add(asanMsg)
	f.Add("Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n    x()\nValueError: no\n")
	f.Add("#0  f (a=1,\n    b=2) at x.c:3\n#1  0x1 in g () from /lib/libc.so.6\n")
	f.Add("(XEN) Xen call trace:\n(XEN)    [<ffff>] R a.c#f+0x1/0x2\n")
	f.Add("RIP: 0010:f+0x1/0x2 [m]\nCall Trace:\n <TASK>\n ? g+0x1/0x2\n h+0x3/0x4 [m]\n</TASK>\n---[ end trace 0 ]---\n")
	f.Add("Panic: file a.c: line 3 (f): assertion failed: (x)\nERROR:b.c:4:g: code should not be reached\n")
	f.Add("==1== Invalid read of size 4\n==1==    at 0x1: f (a.c:1)\n==1==  Address 0x2 is 0 bytes inside\n==1==    by 0x3: g (in /lib/x.so)\n")
	f.Add("panic: x\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/a/b.go:3 +0x1\n")
	f.Add("thread 'main' panicked at src/a.rs:1:2:\nx\n   0: a::b\n             at ./src/a.rs:1:2\n")
	f.Fuzz(func(t *testing.T, msg string) {
		for _, b := range Extract(msg) {
			if b.Frames < 1 || b.Text == "" || b.FileFrames > b.Frames {
				t.Fatalf("block without frames: %+v", b)
			}
			r := Parse(b.Text)
			if len(r.Stacks) > 0 && (r.Crash < 0 || r.Crash >= len(r.Stacks)) {
				t.Fatalf("crash index %d of %d stacks", r.Crash, len(r.Stacks))
			}
			n := 0
			for _, st := range r.Stacks {
				if len(st.Frames) == 0 {
					t.Fatalf("empty stack kept: %+v", r.Stacks)
				}
				n += len(st.Frames)
			}
			ev := ToEvent(r, time.Unix(1700000000, 0), nil)
			m := 0
			for _, v := range ev.Exception.Values {
				m += len(v.Stacktrace.Frames)
			}
			if m != n || len(ev.Exception.Values) != len(r.Stacks) {
				t.Fatalf("event has %d frames in %d values, report %d in %d stacks", m, len(ev.Exception.Values), n, len(r.Stacks))
			}
			if _, err := json.Marshal(ev); err != nil {
				t.Fatalf("event does not encode: %v", err)
			}
			if !strings.HasSuffix(b.Text, "\n") {
				t.Fatalf("block text does not end a line: %q", b.Text)
			}
		}
	})
}
