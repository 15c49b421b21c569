package signal

import (
	"strings"
	"testing"
)

// TestPastedReports covers report shapes seen when developers paste a
// crash into a commit message: a call trace without its header, the Xen
// hypervisor's console, gdb frames wrapped over lines or starting past #0,
// Python frames without their Traceback line, a UBSan error followed by
// the AddressSanitizer stack of the same crash, and a Valgrind error whose
// headline was cut off. The samples are written
// for these tests (fictional code).
func TestPastedReports(t *testing.T) {
	type want struct {
		function, file string
		line           int
	}
	tests := []struct {
		name   string
		text   string
		frames []want // the first frames, in order
		format string
	}{
		{"bare arm64 call trace", `[   12.100000] Call trace:
[   12.100100]  acme_radio_notify+0x180/0x290 [acme_common]
[   12.100200]  wiphy_update_regulatory+0x2bc/0xa08 [cfg80211]
[   12.100300]  acme_init_work+0xdc/0x250 [acme_common]
[   12.100400]  process_one_work+0x148/0x3c0
[   12.100500] ---[ end trace 0000000000000000 ]---`,
			[]want{{"acme_radio_notify", "", 0}, {"wiphy_update_regulatory", "", 0}, {"acme_init_work", "", 0}}, FormatKernel},
		{"xen call trace", `(XEN) Assertion 'widget_locked(w)' failed at arch/x86/mm/widget.c:123
(XEN) Xen call trace:
(XEN)    [<ffff82d0402007f2>] R x86_64/entry.S#restore_all_xen+0x72/0x80
(XEN)    [<ffff82d0402e79f6>] F widget_fix+0x5f/0xc9
(XEN)    [<ffff82d040285228>] F widget.c#widget_init+0x168/0x21c
(XEN)    [<00000a000024c758>] arm_widget_map+0x80/0x90 (PC)`,
			// The assertion's location is a frame of its own, first.
			[]want{{"", "arch/x86/mm/widget.c", 123}, {"restore_all_xen", "x86_64/entry.S", 0}, {"widget_fix", "", 0}, {"widget_init", "widget.c", 0}, {"arm_widget_map", "", 0}}, FormatKernel},
		{"gdb frames wrapped, from #5", `#5  0x00007ffff7de3d10 in acme_write (buf=<optimized out>,
    fp=<optimized out>) at src/write.c:33
#6  0x000000001000c7a0 in acme_flush (ctx=0x100525e0, f=0x7ffff7f718a0 <stdout>)
    at /home/dev/acme/src/flush.c:245
#7  0x000000001000c8a0 in main () at src/main.c:12`,
			[]want{{"acme_write", "src/write.c", 33}, {"acme_flush", "/home/dev/acme/src/flush.c", 245}, {"main", "src/main.c", 12}}, FormatGDB},
		{"ubsan error, then the asan stack of that crash", `../acme/config/output.c:33:21: runtime error: member access within null pointer of type 'struct acme_output'
AddressSanitizer:DEADLYSIGNAL
=================================================================
==7856==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000080 (pc 0x63da8558205c bp 0x7ffdc35881a0 sp 0x7ffdc3588160 T0)
    #0 0x63da8558205c in output_name ../acme/config/output.c:33
    #1 0x63da855865c3 in store_output ../acme/config/output.c:220
    #2 0x63da8548f3fc in main ../acme/main.c:351`,
			[]want{{"output_name", "../acme/config/output.c", 33}, {"store_output", "../acme/config/output.c", 220}}, FormatASan},
		{"python frames without their Traceback line", `While debugging the tests hang:
  File "/home/dev/acme/test/framework.py", line 459, in setUpClass
    cls.quit()
  File "/home/dev/acme/test/framework.py", line 475, in quit
    six.input("press ENTER")
AttributeError: 'module' object has no attribute 'input'`,
			// Innermost first, as with the Traceback line.
			[]want{{"quit", "/home/dev/acme/test/framework.py", 475}, {"setUpClass", "/home/dev/acme/test/framework.py", 459}}, FormatPython},
		{"valgrind stack without its headline", `==104== by 0x0: ignored (before any stack: not a frame of the error)
==104==    at 0x4C309D: acme_timeout (dns.c:2179)
==104==    by 0x49EA95: acme_loop (event.c:1576)
==104==  Address 0x6176ef8 is 40 bytes inside a block of size 342 free'd
==104==    at 0x4C29E90: free (vg_replace_malloc.c:473)
==104==    by 0x4BE8C5: acme_finish (dns.c:702)
==104==    by 0x4C3098: acme_timeout (dns.c:2178)`,
			// The access stack first, then where the block was freed.
			[]want{{"acme_timeout", "dns.c", 2179}, {"acme_loop", "event.c", 1576}, {"free", "vg_replace_malloc.c", 473}, {"acme_finish", "dns.c", 702}}, FormatValgrind},
		// glibc 2.40 and later write "(sym+0x1d) [0x...]" with a space from
		// backtrace_symbols_fd too (glibc ec6ed525f1, bug 31730), as
		// backtrace_symbols always has.
		{"backtrace_symbols, glibc 2.40", `Received signal 11, backtrace:
./acme(crash_handler+0x2d) [0x55d0c1a5b1d6]
/lib/x86_64-linux-gnu/libc.so.6(+0x3c050) [0x7f4e1a6f4050]
./acme(store_record+0x12) [0x55d0c1a5b210]
./acme(main+0x3d) [0x55d0c1a5b295]`,
			[]want{{"crash_handler", "", 0}, {"", "", 0}, {"store_record", "", 0}, {"main", "", 0}}, FormatGlibc},
		{"glibc assertion, then backtrace_symbols", `acme: src/store.c:42: store_record: Assertion ` + "`rec != NULL'" + ` failed.
Aborted, backtrace:
./acme(abort_handler+0x2d) [0x55d0c1a5b1d6]
/lib/x86_64-linux-gnu/libc.so.6(+0x3c050) [0x7f4e1a6f4050]
/lib/x86_64-linux-gnu/libc.so.6(abort+0xd7) [0x7f4e1a6de4b2]
./acme(store_record+0x12) [0x55d0c1a5b210]
./acme(main+0x3d) [0x55d0c1a5b295]`,
			// The backtrace has no lines: the assertion's location is
			// its first frame.
			[]want{{"store_record", "src/store.c", 42}, {"abort_handler", "", 0}}, FormatGlibc},
		// Dovecot logs its backtrace on one line after the panic (the
		// formats of src/lib/backtrace-string.c and failures.c): the
		// failure handling's frames are left out, and the assertion's
		// location takes the place of the asserting function's name.
		{"dovecot panic and raw backtrace (backtrace_symbols)", `Nov 28 07:42:11 mail dovecot: imap(alice)<18233><vO9r3x0Z4tJ/AAAB>: Panic: file mail-index-map.c: line 548 (mail_index_map_lookup_seq_range): assertion failed: (first_uid > 0)
Nov 28 07:42:11 mail dovecot: imap(alice)<18233><vO9r3x0Z4tJ/AAAB>: Error: Raw backtrace: libdovecot.so.0(backtrace_append+0x42) [0x7f3e6c0b1a52] -> libdovecot.so.0(backtrace_get+0x1e) [0x7f3e6c0b1b6e] -> libdovecot.so.0(+0xf3cde) [0x7f3e6c0bccde] -> libdovecot.so.0(+0xf3d81) [0x7f3e6c0bcd81] -> libdovecot.so.0(i_panic+0x8e) [0x7f3e6c00f4f2] -> libdovecot-storage.so.0(mail_index_map_lookup_seq_range+0x1a7) [0x7f3e6c3a5c17] -> libdovecot-storage.so.0(mail_index_lookup_seq_range+0x4b) [0x7f3e6c3aa46b] -> libdovecot-storage.so.0(mailbox_get_seq_range+0x22) [0x7f3e6c2f8e02] -> dovecot/imap(imap_fetch_begin+0x5e) [0x55b1a0e1c0de] -> dovecot/imap(main+0x3a1) [0x55b1a0e0f511]`,
			[]want{{"mail_index_map_lookup_seq_range", "mail-index-map.c", 548}, {"mail_index_lookup_seq_range", "", 0}, {"mailbox_get_seq_range", "", 0}, {"imap_fetch_begin", "", 0}}, FormatGlibc},
		{"dovecot panic and raw backtrace (libunwind)", `Panic: file mdbox-sync.c: line 212 (mdbox_sync_index): unreached
Error: Raw backtrace: #0 test_assert_failed_idx[0x7f9c2a21b3c0] -> #1 backtrace_append[0x7f9c2a20f1a0] -> #2 backtrace_get[0x7f9c2a20f2e0] -> #3 default_fatal_finish[0x7f9c2a21d000] -> #4 fatal_handler_real[0x7f9c2a21d0a0] -> #5 i_panic[0x7f9c2a21d9e0] -> #6 mdbox_sync_index[0x7f9c29f4a100] -> #7 mdbox_sync_begin[0x7f9c29f4a800] -> #8 [unw_get_proc_name() failed: -10]`,
			[]want{{"mdbox_sync_index", "mdbox-sync.c", 212}, {"mdbox_sync_begin", "", 0}}, FormatGlibc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("pasted", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 {
				t.Fatalf("got %d signals, want 1", len(sigs))
			}
			s := sigs[0]
			if s.Format != tt.format {
				t.Errorf("got format %q, want %q", s.Format, tt.format)
			}
			if len(s.Frames) < len(tt.frames) {
				t.Fatalf("got %d frames, want at least %d: %+v", len(s.Frames), len(tt.frames), s.Frames)
			}
			for i, w := range tt.frames {
				f := s.Frames[i]
				if f.Function != w.function || f.File != w.file || f.Line != w.line {
					t.Errorf("frame %d: got %s %s:%d, want %s %s:%d", i, f.Function, f.File, f.Line, w.function, w.file, w.line)
				}
			}
			if tt.format == FormatASan && !strings.Contains(strings.Join(s.Symptoms, " "), "null") {
				t.Errorf("got symptoms %q, want the UBSan message's words too", s.Symptoms)
			}
		})
	}
}

// Xen's own assembly is its code: a fault in entry.S#restore_all_xen is a
// bug there (xen-project/xen@bab839180525), and an assertion's location
// still lands on the frame of its file below it.
func TestXenAssemblyFrameIsInApp(t *testing.T) {
	sigs, err := Parse("xen", []byte(`(XEN) Xen call trace:
(XEN)    [<ffff82d0402007f2>] R x86_64/entry.S#restore_all_xen+0x72/0x80
(XEN)    [<ffff82d0402e79f6>] F nestedhap_fix_p2m+0x5f/0xc9
(XEN)    [<ffff82d0402cd59d>] F hvm_hap_nested_page_fault+0x1b8/0x5d2`))
	if err != nil || len(sigs) != 1 {
		t.Fatalf("got %d signals, %v", len(sigs), err)
	}
	f := sigs[0].Frames[0]
	if f.Function != "restore_all_xen" || f.File != "x86_64/entry.S" || !f.InApp {
		t.Errorf("got %+v, want restore_all_xen in x86_64/entry.S, in-app", f)
	}
}
