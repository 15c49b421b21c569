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
		// Open vSwitch's monitor logs the libunwind backtrace a daemon sent
		// it before dying of SIGSEGV, a frame a log message ("0x%016"PRIxPTR"
		// <%s+0x%"PRIxPTR">\n" in lib/backtrace.c, so a blank line follows
		// each): the log fields are read past, the signal handler and the
		// signal return are left out.
		{"ovs monitor backtrace", `2023-08-10T12:00:00.123Z|00010|backtrace(monitor)|WARN|SIGSEGV detected, backtrace:
2023-08-10T12:00:00.123Z|00011|backtrace(monitor)|WARN|0x0000000000482752 <fatal_signal_handler+0x52>

2023-08-10T12:00:00.123Z|00012|backtrace(monitor)|WARN|0x00007fb4900734b0 <killpg+0x40>

2023-08-10T12:00:00.123Z|00013|backtrace(monitor)|WARN|0x000000000052b348 <xlate_group_action+0x108>

2023-08-10T12:00:00.123Z|00014|backtrace(monitor)|WARN|0x00000000005153ec <do_xlate_actions+0x8c>

2023-08-10T12:00:00.124Z|00015|backtrace(monitor)|WARN|0x000000000040a9f5 <main+0x1b5>
2023-08-10T12:00:00.124Z|00016|daemon_unix(monitor)|ERR|1 crashes: pid 3127 died, killed (Segmentation fault), core dumped, restarting`,
			[]want{{"killpg", "", 0}, {"xlate_group_action", "", 0}, {"do_xlate_actions", "", 0}, {"main", "", 0}}, FormatGlibc},
		// ... and the daemon writes it itself when no monitor runs
		// (lib/fatal-signal.c): no log fields, the address padded.
		{"ovs direct backtrace", `SIGSEGV detected, backtrace:
0x    7f5e1c2a3b4c<fatal_signal_handler+0x9c>
0x    7f5e1bf8a520<__restore_rt+0x0>
0x          4c8a2e<ovsdb_idl_txn_commit+0x3e>
0x          41b7f0<main+0x2b0>`,
			[]want{{"__restore_rt", "", 0}, {"ovsdb_idl_txn_commit", "", 0}, {"main", "", 0}}, FormatGlibc},
		// FRRouting's crash log with libunwind (zlog_backtrace_sigsafe in
		// lib/log.c: "%-30s %16lx %16lx" and " %s (mapped at %p)"): the
		// frames above "---- signal ----" are the handler's.
		{"frr libunwind backtrace", `2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] Received signal 11 at 1705314093 (si_addr 0x0, PC 0x55d4b3a2c1f4); aborting...
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] zlog_signal+0x18c                  7f2d5b4d5f5c     7ffc6a3b8e10 /usr/lib/frr/libfrr.so.0 (mapped at 0x7f2d5b41d000)
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] core_handler+0xe3                  7f2d5b4fa0b3     7ffc6a3b8f50 /usr/lib/frr/libfrr.so.0 (mapped at 0x7f2d5b41d000)
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF]     ---- signal ----
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] ?                                  7f2d5b1c8520     7ffc6a3b9500 /lib/x86_64-linux-gnu/libc.so.6 (mapped at 0x7f2d5b186000)
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] bgp_evpn_path_info_free+0x24      55d4b3a2c1f4     7ffc6a3b9ad0 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] bgp_path_info_free+0x5a           55d4b39d5e3a     7ffc6a3b9af0 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)
2024/01/15 10:21:33 BGP: [HSYZM-HV7HF] main+0x38c                         55d4b39a1b4c     7ffc6a3b9d10 /usr/lib/frr/bgpd (mapped at 0x55d4b38f2000)`,
			[]want{{"", "", 0}, {"bgp_evpn_path_info_free", "", 0}, {"bgp_path_info_free", "", 0}, {"main", "", 0}}, FormatGlibc},
		// ... and with glibc's backtrace_symbols ("[bt %d] %s"): titled by
		// the signal line, not by the "Backtrace for N stack frames:"
		// header, and without the handler's frames.
		{"frr backtrace_symbols", `2019/03/01 10:21:33 BGP: Received signal 11 at 1551435693 (si_addr 0x0, PC 0x55d4b3a2c1f4); aborting...
2019/03/01 10:21:33 BGP: Backtrace for 5 stack frames:
2019/03/01 10:21:33 BGP: [bt 0] /usr/lib/frr/libfrr.so.0(zlog_backtrace_sigsafe+0x67) [0x7f2d5b4d5f5c]
2019/03/01 10:21:33 BGP: [bt 1] /usr/lib/frr/libfrr.so.0(zlog_signal+0x113) [0x7f2d5b4d6a13]
2019/03/01 10:21:33 BGP: [bt 2] /lib/x86_64-linux-gnu/libpthread.so.0(+0x12730) [0x7f2d5b1c8730]
2019/03/01 10:21:33 BGP: [bt 3] /usr/lib/frr/bgpd(bgp_evpn_path_info_free+0x24) [0x55d4b3a2c1f4]
2019/03/01 10:21:33 BGP: [bt 4] /usr/lib/frr/bgpd(main+0x38c) [0x55d4b39a1b4c]`,
			[]want{{"", "", 0}, {"bgp_evpn_path_info_free", "", 0}, {"main", "", 0}}, FormatGlibc},
		// DPDK's rte_dump_stack after a panic (lib/eal/unix/eal_debug.c),
		// written without malloc in newer releases, and before that glibc's
		// lines in brackets numbered from the outermost frame down: the
		// innermost first, without the panic's own frames.
		{"dpdk rte_dump_stack", `EAL: PANIC in rte_mempool_populate_default():
EAL: Cannot allocate memory
0: ./build/app/dpdk-testpmd (rte_dump_stack+0x2b) [55d0c1a5b1d6]
1: ./build/app/dpdk-testpmd (__rte_panic+0xc1) [55d0c1a53a41]
2: ./build/app/dpdk-testpmd (rte_mempool_populate_default+0x1b1) [55d0c1a6c711]
3: ./build/app/dpdk-testpmd (main+0x3d) [55d0c1a5b295]
4: /lib/x86_64-linux-gnu/libc.so.6 (7f4e1a6ac000+0x29d90) [7f4e1a6d5d90]
5: ?? [7ffd1a2b3c4d]`,
			[]want{{"rte_mempool_populate_default", "", 0}, {"main", "", 0}, {"", "", 0}, {"", "", 0}}, FormatGlibc},
		{"dpdk rte_dump_stack, older releases", `EAL: PANIC in rte_mempool_populate_default():
EAL: Cannot allocate memory
5: [./build/app/testpmd(_start+0x29) [0x55d0c1a5a0a9]]
4: [./build/app/testpmd(main+0x3d) [0x55d0c1a5b295]]
3: [./build/app/testpmd(rte_mempool_populate_default+0x1b1) [0x55d0c1a6c711]]
2: [./build/app/testpmd(__rte_panic+0xc1) [0x55d0c1a53a41]]
1: [./build/app/testpmd(rte_dump_stack+0x2b) [0x55d0c1a5b1d6]]`,
			[]want{{"rte_mempool_populate_default", "", 0}, {"main", "", 0}, {"_start", "", 0}}, FormatGlibc},
		// systemd-coredump (coredumpctl info) names modules as
		// "(libc.so.6 + 0x3ea76)" and unknown functions "n/a"; the
		// journal's assertion line gives the asserting function its site.
		{"systemd-coredump", `Mar 06 10:12:13 host NetworkManager[1234]: NetworkManager: src/core/devices/nm-device.c:5123: _nm_device_update_state: Assertion ` + "`priv->ready'" + ` failed.
           PID: 1234 (NetworkManager)
        Signal: 6 (ABRT)

                Stack trace of thread 1234:
                #0  0x00007f2c3a0a8e5c __pthread_kill_implementation (libc.so.6 + 0x8ee5c)
                #1  0x00007f2c3a058a76 raise (libc.so.6 + 0x3ea76)
                #2  0x00007f2c3a0427fc abort (libc.so.6 + 0x287fc)
                #3  0x00007f2c3a051656 __assert_fail (libc.so.6 + 0x37656)
                #4  0x000055d0c1a6c711 _nm_device_update_state (NetworkManager + 0x1b1711)
                #5  0x000055d0c1a6d001 n/a (NetworkManager + 0x1b2001)
                #6  0x000055d0c1a5b295 main (NetworkManager + 0x4b295)`,
			[]want{{"__pthread_kill_implementation", "", 0}, {"raise", "", 0}, {"abort", "", 0}, {"__assert_fail", "", 0},
				{"_nm_device_update_state", "src/core/devices/nm-device.c", 5123}, {"", "", 0}, {"main", "", 0}}, FormatNative},
		{"systemd-coredump alone", `           PID: 1234 (bluetoothd)
        Signal: 11 (SEGV)

                Stack trace of thread 1234:
                #0  0x000055d0c1a6c711 btd_device_get_service (bluetoothd + 0x1b1711)
                #1  0x000055d0c1a5b295 main (bluetoothd + 0x4b295)`,
			[]want{{"btd_device_get_service", "", 0}, {"main", "", 0}}, FormatNative},
		// FRRouting's assert logs its site, then the backtrace (whose
		// frames of the assertion handling are left out); Quagga's older
		// message names file, line and function in words.
		{"FRRouting assertion", `2023/05/10 12:00:01 BGP: [V5EYK-T2WBP] bgpd/bgp_route.c:3456: bgp_process_main_one(): assertion (pi->attr) failed
2023/05/10 12:00:01 BGP: Backtrace for 3 stack frames:
2023/05/10 12:00:01 BGP: [bt 0] /usr/lib/frr/libfrr.so.0(zlog_backtrace+0x3a) [0x7f2d5b4d5f5c]
2023/05/10 12:00:01 BGP: [bt 1] /usr/lib/frr/libfrr.so.0(_zlog_assert_failed+0xe9) [0x7f2d5b4d6a13]
2023/05/10 12:00:01 BGP: [bt 2] /usr/lib/frr/bgpd(bgp_process_main_one+0x24) [0x55d4b3a2c1f4]
2023/05/10 12:00:01 BGP: [bt 3] /usr/lib/frr/bgpd(main+0x38c) [0x55d4b39a1b4c]`,
			[]want{{"bgp_process_main_one", "bgpd/bgp_route.c", 3456}, {"main", "", 0}}, FormatGlibc},
		{"FRRouting assertion with extra info", "zebra/zebra_rib.c:789: rib_process(): assertion (re->nexthop_active_num > 0) failed, extra info: vrf 0",
			[]want{{"rib_process", "zebra/zebra_rib.c", 789}}, FormatGlibc},
		{"quagga assertion", "2017/03/01 10:21:33 BGP: Assertion `peer->status == Established' failed in file bgp_packet.c, line 1234, function bgp_update_receive",
			[]want{{"bgp_update_receive", "bgp_packet.c", 1234}}, FormatGlibc},
		// GLib's g_warn_if_fail names its site; a g_return_if_fail
		// critical names only the function that refused its arguments
		// (before GLib 2.40 with a backquote), and titles a gdb stack of
		// G_DEBUG=fatal-criticals without replacing its frames (GLib's
		// logging frames are left out).
		{"glib runtime check", "(NetworkManager:1234): GLib-WARNING **: 12:34:56.789: (../src/core/nm-device.c:1234):nm_device_set_mtu: runtime check failed: (priv->mtu > 0)",
			[]want{{"nm_device_set_mtu", "../src/core/nm-device.c", 1234}}, FormatGlibc},
		{"glib unreached warning", "** (acme:99): WARNING **: (src/acme-widget.c:56):acme_widget_draw: code should not be reached",
			[]want{{"acme_widget_draw", "src/acme-widget.c", 56}}, FormatGlibc},
		{"glib critical", "(NetworkManager:1234): NetworkManager-CRITICAL **: 12:34:56.789: nm_device_get_iface: assertion 'NM_IS_DEVICE (self)' failed",
			[]want{{"nm_device_get_iface", "", 0}}, FormatGlibc},
		{"glib critical before 2.40", "(acme:99): Acme-CRITICAL **: acme_widget_get_name: assertion `ACME_IS_WIDGET (self)' failed",
			[]want{{"acme_widget_get_name", "", 0}}, FormatGlibc},
		// NetworkManager's release builds name the site instead of the
		// function, and drop the expression.
		{"NetworkManager critical", "NetworkManager[812]: ((src/core/devices/nm-device.c:5432)): assertion '<dropped>' failed",
			[]want{{"", "src/core/devices/nm-device.c", 5432}}, FormatGlibc},
		{"glib return if reached", "(NetworkManager:812): NetworkManager-CRITICAL **: 12:34:56.789: file src/core/nm-manager.c: line 321 (<dropped>): should not be reached",
			[]want{{"", "src/core/nm-manager.c", 321}}, FormatGlibc},
		{"NetworkManager g_assert", "NetworkManager:ERROR:src/core/nm-manager.c:77:<unknown-fcn>: assertion failed: (<dropped>)",
			[]want{{"", "src/core/nm-manager.c", 77}}, FormatGlibc},
		// systemd's assertions, in the journal and on stderr, also as
		// PulseAudio's pa_assert prints them; PipeWire's spa_assert.
		{"systemd assertion", "Dec 04 10:00:00 host systemd-networkd[321]: Assertion 'link->state == LINK_STATE_CONFIGURED' failed at src/network/networkd-link.c:1234, function link_check_ready(). Aborting.",
			[]want{{"link_check_ready", "src/network/networkd-link.c", 1234}}, FormatGlibc},
		{"systemd unreachable", "Code should not be reached at ../src/core/unit.c:77, function unit_start(). Aborting. 💥",
			[]want{{"unit_start", "../src/core/unit.c", 77}}, FormatGlibc},
		{"systemd assert_return", "Assertion 'name' failed at src/libsystemd/sd-bus/bus-message.c:450, function sd_bus_message_new(). Ignoring.",
			[]want{{"sd_bus_message_new", "src/libsystemd/sd-bus/bus-message.c", 450}}, FormatGlibc},
		{"pipewire spa_assert", "'port->n_buffers > 0' failed at ../spa/plugins/audioconvert/audioconvert.c:2345 impl_node_process()",
			[]want{{"impl_node_process", "../spa/plugins/audioconvert/audioconvert.c", 2345}}, FormatGlibc},
		{"glib critical, then gdb", `(acme:99): Acme-CRITICAL **: 12:00:00.000: acme_widget_get_name: assertion 'ACME_IS_WIDGET (self)' failed

Thread 1 "acme" received signal SIGTRAP, Trace/breakpoint trap.
#0  0x00007ffff7e1a6a5 in g_logv () at /lib/x86_64-linux-gnu/libglib-2.0.so.0
#1  0x00007ffff7e1a8c3 in g_log () at /lib/x86_64-linux-gnu/libglib-2.0.so.0
#2  0x0000555555555189 in acme_widget_get_name (self=0x0) at src/acme-widget.c:88
#3  0x00005555555551d0 in acme_window_update (win=0x5555555592a0) at src/acme-window.c:140`,
			[]want{{"acme_widget_get_name", "src/acme-widget.c", 88}, {"acme_window_update", "src/acme-window.c", 140}}, FormatGDB},
		// eu-stack -s (elfutils) writes each frame's source on the line
		// under it.
		{"eu-stack", `PID 1234 - process
TID 1234:
#0  0x00007f2c3a058a76 raise
#1  0x00007f2c3a0427fc abort
#2  0x000055d0c1a6c711 nl_cache_refill
    /src/libnl/lib/cache.c:842:5
#3  0x000055d0c1a5b295 main
    /src/libnl/src/nl-route-list.c:98:2`,
			[]want{{"raise", "", 0}, {"abort", "", 0}, {"nl_cache_refill", "/src/libnl/lib/cache.c", 842}, {"main", "/src/libnl/src/nl-route-list.c", 98}}, FormatNative},
		// DPDK's RTE_VERIFY panics with the line of its assertion: the
		// panicking function at that line is the first frame.
		{"dpdk RTE_VERIFY", `EAL: PANIC in rte_mempool_create_empty():
line 783	assert "mp->size <= RTE_MEMPOOL_MAX" failed
0: ./build/app/dpdk-testpmd (rte_dump_stack+0x2b) [55d0c1a5b1d6]
1: ./build/app/dpdk-testpmd (__rte_panic+0xc1) [55d0c1a53a41]
2: ./build/app/dpdk-testpmd (rte_mempool_create_empty+0x1b1) [55d0c1a6c711]
3: ./build/app/dpdk-testpmd (rte_pktmbuf_pool_create+0x5d) [55d0c1a6d001]`,
			[]want{{"rte_mempool_create_empty", "", 783}, {"rte_pktmbuf_pool_create", "", 0}}, FormatGlibc},
		{"dpdk RTE_VERIFY without a stack", "PANIC in rte_mempool_create_empty():\nline 783\tassert \"mp->size <= RTE_MEMPOOL_MAX\" failed",
			[]want{{"rte_mempool_create_empty", "", 783}}, FormatGlibc},
		// Open vSwitch's ovs_assert (lib/util.c), in its log and on stderr.
		{"ovs assertion logged", "2023-05-10T12:00:01.123Z|00042|util(handler1)|EMER|lib/dp-packet.h:608: assertion pad_size <= dp_packet_size(b) failed in dp_packet_set_l2_pad_size()",
			[]want{{"dp_packet_set_l2_pad_size", "lib/dp-packet.h", 608}}, FormatGlibc},
		{"ovs assertion on stderr", "ovs-vswitchd: ../lib/ofpbuf.c:89: assertion b->size <= b->allocated failed in ofpbuf_use__()",
			[]want{{"ofpbuf_use__", "../lib/ofpbuf.c", 89}}, FormatGlibc},
		// btrfs-progs' ASSERT and BUG_ON (kerncompat.h) print the site,
		// then backtrace_symbols_fd: the site is the first frame.
		{"btrfs-progs assertion", "kernel-shared/extent-tree.c:1234: btrfs_free_extent: Assertion `ret == 0` failed, value 0\n" +
			"btrfs(+0x1a2b3)[0x55d0c1a5b1d6]\nbtrfs(btrfs_free_extent+0x1c4)[0x55d0c1a6c711]\nbtrfs(btrfs_del_csums+0x8e)[0x55d0c1a61f2c]\n" +
			"btrfs(main+0x3d)[0x55d0c1a5b295]\n/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0xf3)[0x7f4e1a6d60b3]",
			[]want{{"btrfs_free_extent", "kernel-shared/extent-tree.c", 1234}, {"", "", 0}, {"btrfs_free_extent", "", 0}, {"btrfs_del_csums", "", 0}}, FormatGlibc},
		{"btrfs-progs BUG_ON", "check/main.c:5678: check_chunks_and_extents: BUG_ON `ret` triggered, value -2\n" +
			"./btrfs(+0x8f9e2)[0x5622c0a1a9e2]\n./btrfs(check_chunks_and_extents+0x2b1)[0x5622c0a1d121]\n./btrfs(cmd_check+0x11c3)[0x5622c0a26d53]\n./btrfs(main+0x8d)[0x5622c0a0b2ad]",
			[]want{{"check_chunks_and_extents", "check/main.c", 5678}, {"", "", 0}, {"check_chunks_and_extents", "", 0}, {"cmd_check", "", 0}}, FormatGlibc},
		// The kernel's btrfs ASSERT() logs the assertion's site before
		// the BUG() in its helper: the site is the crash's place, not
		// messages.c.
		{"btrfs kernel assertion", `[  123.456789] BTRFS critical (device sda1): assertion failed: refcount_read(&eb->refs) == 1, in fs/btrfs/extent_io.c:4567
[  123.456800] ------------[ cut here ]------------
[  123.456801] kernel BUG at fs/btrfs/messages.c:259!
[  123.456900] RIP: 0010:btrfs_assertfail+0x19/0x1b [btrfs]
[  123.457000] Call Trace:
[  123.457001]  <TASK>
[  123.457002]  free_extent_buffer_stale+0x1a2/0x1b0 [btrfs]
[  123.457003]  btrfs_clean_tree_block+0x3c/0x60 [btrfs]
[  123.457004]  </TASK>`,
			[]want{{"", "fs/btrfs/extent_io.c", 4567}, {"btrfs_assertfail", "", 0}, {"free_extent_buffer_stale", "", 0}}, FormatKernel},
		// CRIU's BUG_ON logs its site (criu/include/common/bug.h), in its
		// log or, from code without a C library, as "file.c: 12".
		{"criu BUG_ON", `(00.034567) 1234: Restoring memory
(00.035012) 1234: Error (criu/mem.c:1012): BUG at criu/mem.c:1012`,
			[]want{{"", "criu/mem.c", 1012}}, FormatGlibc},
		{"criu BUG_ON without libc", `pie: 1234: BUG at criu/pie/restorer.c: 1875`,
			[]want{{"", "criu/pie/restorer.c", 1875}}, FormatGlibc},
		// Xen's own BUG line is a kernel report's, not an abort message.
		{"xen BUG", `(XEN) Xen BUG at page_alloc.c:1234
(XEN) ----[ Xen-4.17.0  x86_64  debug=y  Not tainted ]----
(XEN) Xen call trace:
(XEN)    [<ffff82d04022a4b1>] R free_heap_pages+0x2b1/0x5f0
(XEN)    [<ffff82d04022b1c2>] F free_domheap_pages+0x1c2/0x3a0`,
			[]want{{"", "page_alloc.c", 1234}, {"free_heap_pages", "", 0}, {"free_domheap_pages", "", 0}}, FormatKernel},
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
			if tt.name == "eu-stack" && s.Title != "Stack trace of thread 1234" {
				t.Errorf("got title %q, want the thread's", s.Title)
			}
			if tt.name == "systemd-coredump alone" && s.Title != "Signal 11 (SEGV)" {
				t.Errorf("got title %q, want coredumpctl's signal", s.Title)
			}
			if strings.HasPrefix(tt.name, "systemd-coredump") && (s.Frames[0].Module == "" || s.Frames[0].Module[0] == '(' || s.Frames[0].InApp == strings.Contains(s.Frames[0].Module, "libc")) {
				t.Errorf("got first frame %+v, want its module read and in-app unless the C library's", s.Frames[0])
			}
			if strings.Contains(tt.name, "RTE_VERIFY") && s.Title != `PANIC in rte_mempool_create_empty(): assert "mp->size <= RTE_MEMPOOL_MAX" failed` {
				t.Errorf("got title %q, want the panic and its assertion", s.Title)
			}
			if strings.Contains(tt.name, "frr") && !strings.HasPrefix(s.Title, "BGP: Received signal 11") {
				t.Errorf("got title %q, want the signal line", s.Title)
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
