package signal

import (
	"path"
	"regexp"
	"strings"
)

var (
	kernelSyslogRE = regexp.MustCompile(`^(?:\S+\s+){3,5}kernel: (?:\[\s*\d+\.\d+\])?`)
	kernelFrameRE  = regexp.MustCompile(`^(?:\[<[0-9a-fA-F]+>\]\s+)?(?:[RFS] )?(\? )?((?:(?:[\w.-]+/)*[\w.-]+#)?[A-Za-z_.$][\w.$]*)(?:\+(0x[0-9a-fA-F]+)/(0x[0-9a-fA-F]+))?(?: \[([\w-]+)\])?(?: ((?:[\w.-]+/)*[\w.-]+\.[chS]):(\d+)(?::\d+)?)?( \[inline\])?(?: \((?:PC|LR)\))?$`)
	kernelIPRE     = regexp.MustCompile(`^(?:RIP|EIP|IP|pc|PC is at|NIP)\s*:?\s*(?:[0-9a-fA-F]{4}:)?(?:\[<?[0-9a-fA-F]+>?\]\s*)*([A-Za-z_.$][\w.$]*)\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+(?: \[([\w-]+)\])?(?: ((?:[\w.-]+/)*[\w.-]+\.[chS]):(\d+))?`)
	kernelOffRE    = regexp.MustCompile(`\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+`)
	// kernelArmFromRE: a 32-bit ARM kernel's frame line, "[<800172bc>]
	// (unwind_backtrace) from [<80012f7c>] (show_stack+0x20/0x24)".
	kernelArmFromRE = regexp.MustCompile(`^\[<[0-9a-fA-F]+>\] \(([^()]+)\) from \[<[0-9a-fA-F]+>\] \(([^()]+)\)\s*$`)
	kernelWarnRE    = regexp.MustCompile(`^WARNING: (?:CPU: \d+ PID: \d+ )?at ((?:[\w.-]+/)*[\w.-]+\.[chS]):(\d+) ([A-Za-z_.$][\w.$]*)(?:\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+)?(?: \[([\w-]+)\])?`)
	kernelBugAtRE   = regexp.MustCompile(`(?:kernel BUG at|Xen BUG at|Xen WARN at|' failed at|assertion failed: .*, in) ((?:[\w.-]+/)*[\w.-]+\.[chS]):(\d+)`)
	kernelUBSanRE   = regexp.MustCompile(`^UBSAN: .+ in ((?:[\w.-]+/)*[\w.-]+\.[chS]):(\d+)(?::(\d+))?`)
	kernelTailRE    = regexp.MustCompile(`(?::\s*[0-9a-f]{4,16})?\s*\[#\d+\].*$`)
	kernelAddrRE    = regexp.MustCompile(`\s+(?:to|at addr|at) (?:0x)?[0-9a-f]{8,16}\b`)
)

// kernelNoise are words of every kernel report, no symptoms.
var kernelNoise = map[string]bool{
	"bug": true, "cpu": true, "pid": true, "task": true, "smp": true, "preempt": true, "nopti": true, "pti": true,
	"oops": true, "kernel": true, "addr": true, "syz": true, "executor": true, "comm": true, "tainted": true,
	"internal": true, "kasan": true, "kmsan": true, "kcsan": true, "ubsan": true, "warning": true,
	// "Call Trace:", "stack backtrace:", "Kernel panic - not syncing:",
	// and Xen's "Xen call trace:", the "kernel" of a Xen report.
	"call": true, "trace": true, "stack": true, "syncing": true, "xen": true,
}

// kernelHeaders start the first line of a kernel report.
var kernelHeaders = []string{
	"BUG: ", "WARNING: ", "Oops", "general protection fault", "kernel BUG at", "UBSAN: ", "Unable to handle kernel",
	"INFO: task ", "Kernel panic", "watchdog: BUG", "INFO: rcu_", "Internal error: ", "list_add corruption",
	"list_del corruption", "refcount_t: ", "divide error", "stack segment",
	"Assertion '", "Xen BUG at ", "Xen WARN at ", "FATAL TRAP", "FATAL PAGE FAULT", "BTRFS critical ",
}

// kernelMachinery are functions of the kernel's error reporting, sanitizer,
// allocator, exception and entry code: never the bug's place.
var kernelMachinery = []string{
	"dump_stack", "__dump_stack", "show_stack", "print_address_description", "print_report", "kasan_",
	"__kasan_", "____kasan_", "__asan_", "kmsan_", "__msan_", "__kmsan", "kcsan_", "__kcsan", "__tsan_",
	"ubsan_", "__ubsan_", "report_bug", "handle_bug", "exc_", "asm_exc_", "asm_sysvec_", "sysvec_", "__warn",
	"warn_slowpath", "panic", "die", "__die", "oops_", "no_context", "page_fault_oops", "do_user_addr_fault",
	"__bad_area", "bad_area", "do_page_fault", "do_kern_addr_fault", "entry_SYSCALL", "do_syscall_64",
	"do_syscall_x64", "x64_sys_call", "ret_from_fork", "kthread", "check_stack_object", "kmem_cache_alloc",
	"kmem_cache_free", "__kmem_cache", "kmalloc", "__kmalloc", "kzalloc", "kfree", "kvfree", "kvmalloc",
	"__kvmalloc", "slab_", "__slab_", "___slab_", "slab_free", "poison_slab_object", "kmalloc_trace",
	"rcu_do_batch", "rcu_core", "handle_softirqs", "__do_softirq", "irq_exit_rcu", "__irq_exit_rcu",
	"run_ksoftirqd", "smpboot_thread_fn", "lockdep_", "__lock_acquire", "lock_acquire", "print_circular_bug",
	"check_noncircular", "validate_chain", "__might_resched", "__might_sleep", "___might_sleep",
	"stack_trace_save", "save_stack", "kfence_", "el1_", "el0_", "el1h_", "el0t_", "do_mem_abort",
	"__do_kernel_fault", "die_kernel_fault", "do_translation_fault", "do_error_trap", "do_trap",
	"invoke_syscall", "__invoke_syscall", "__arm64_sys_", "__x64_sys_", "__se_sys_", "__do_sys_",
	"__alloc_skb", "alloc_skb", "__netdev_alloc_skb", "kmalloc_reserve", "__kmem_cache_alloc",
	"btrfs_assertfail", "assertfail",
}

// kernelMachineryFiles are source files and folders of that code.
var kernelMachineryFiles = []string{
	"mm/kasan/", "mm/kmsan/", "mm/kfence/", "kernel/kcsan/", "lib/dump_stack.c", "arch/x86/entry/",
	"arch/arm64/kernel/entry", "mm/slub.c", "mm/slab.c", "mm/slab_common.c", "kernel/panic.c", "lib/bug.c",
	"arch/x86/kernel/traps.c", "arch/x86/mm/fault.c", "lib/ubsan.c", "kernel/rcu/", "kernel/softirq.c",
	"kernel/locking/lockdep", "kernel/kthread.c", "arch/x86/kernel/dumpstack.c", "arch/arm64/mm/fault.c",
}

// isMachinery reports whether a function reports a crash, allocates, or
// enters the kernel (kernelMachinery): "panic" and "die" only by their
// own name.
func isMachinery(function string) bool {
	for _, p := range kernelMachinery {
		if strings.HasPrefix(function, p) && (function == p || p != "panic" && p != "die") {
			return true
		}
	}
	return false
}

// kernelInApp reports whether a kernel frame is code where a bug can be,
// not the machinery that reports it, allocates, or enters the kernel.
func kernelInApp(file, function string) bool {
	if isMachinery(function) {
		return false
	}
	for _, p := range kernelMachineryFiles {
		if strings.HasPrefix(file, p) {
			return false
		}
	}
	return function != "" || file != ""
}

// kernelStrip removes the log-level, time and caller prefixes dmesg,
// syslog and syzbot put before kernel lines ("<4>", "[  123.456789]",
// "[ T1234]", "Jan  1 00:00:00 host kernel: ").
func kernelStrip(l string) string {
	if l == "" {
		return l
	}
	if strings.HasPrefix(l, "(XEN)") {
		return strings.TrimPrefix(l, "(XEN)") // the Xen hypervisor's console
	}
	switch c := l[0]; {
	case c == '<' || c == '[':
		return kernelStripPrefix(l)
	case isLetter(c) && strings.Contains(l, "kernel: "):
		if loc := kernelSyslogRE.FindStringIndex(l); loc != nil {
			return l[loc[1]:]
		}
	}
	return l
}

// kernelStripPrefix removes "<4>", "[  123.456789]" and "[ T1234]" from
// the start of l.
func kernelStripPrefix(l string) string {
	i := 0
	if len(l) >= 3 && l[0] == '<' && l[1] >= '0' && l[1] <= '9' && l[2] == '>' {
		i = 3
	}
	// [  123.456789]
	if j := i; j < len(l) && l[j] == '[' {
		j++
		for j < len(l) && l[j] == ' ' {
			j++
		}
		d := j
		for j < len(l) && l[j] >= '0' && l[j] <= '9' {
			j++
		}
		if j > d && j < len(l) && l[j] == '.' {
			j++
			f := j
			for j < len(l) && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j > f && j < len(l) && l[j] == ']' {
				i = j + 1
			}
		}
	}
	// [ T1234] or [  C1]
	if j := i; j < len(l) && l[j] == '[' {
		j++
		for j < len(l) && l[j] == ' ' {
			j++
		}
		if j < len(l) && (l[j] == 'T' || l[j] == 'C') {
			j++
			d := j
			for j < len(l) && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j > d && j < len(l) && l[j] == ']' {
				i = j + 1
			}
		}
	}
	return l[i:]
}

// kernelState is a kernel report being read.
type kernelState struct {
	rep     nativeReport
	crash   *Frame // from the instruction pointer (RIP:) line or the header
	site    *Frame // an assertion's or a BUG()'s location, from the header
	frames  []Frame
	name    string
	pending string
	idle    int
	details int // text lines kept after the header
}

// parseKernelReports reads Linux kernel reports: oopses, BUG:, WARNING:,
// KASAN, KMSAN, KCSAN, UBSAN, lockdep and hung-task reports as dmesg,
// syslog or syzbot print them. The crash stack is the "Call Trace:" (or a
// KMSAN stack that follows the header), led by the function of the
// instruction pointer ("RIP: 0010:fn+0x1a/0x40") or of the WARNING line
// when the trace does not start with it; frames "? fn+0x1/0x2" are
// unreliable and never in-app; <IRQ> and <TASK> markers are skipped;
// decoded locations ("fn+0x1a/0x40 drivers/x/y.c:123") give file and line.
// Each further stack ("Allocated by task 1:", "Freed by task 1:", KCSAN's
// racing accesses, "Uninit was created at:") is kept in order.
func parseKernelReports(_ string, lines []string) []nativeReport {
	var out []nativeReport
	var st *kernelState
	finish := func() {
		if st == nil {
			return
		}
		st.endStack()
		st.placeCrash()
		switch {
		case len(st.rep.stacks) > 0:
			out = append(out, st.rep)
		case len(out) > 0 && strings.HasPrefix(st.rep.title, "Kernel panic") && st.rep.start-out[len(out)-1].end <= 3:
			// "Kernel panic - not syncing: Fatal exception" right after
			// an oops is how that oops ended: its words are the oops's,
			// and it titles a trace pasted without its header.
			prev := &out[len(out)-1]
			prev.texts = append(prev.texts, st.rep.texts...)
			prev.end = st.rep.start
			if prev.headless {
				prev.title, prev.headless = st.rep.title, false
			}
		}
		st = nil
	}
	for i, raw := range lines {
		l := strings.TrimSpace(kernelStrip(raw))
		if l == "" {
			if st != nil {
				st.idle++
			}
			continue
		}
		if isKernelHeader(l) {
			if st != nil && (st.hasFrames() || i-st.rep.start > 40) {
				finish()
			}
			if st == nil {
				st = newKernelState(i, l)
				continue
			}
			st.header(l)
			continue
		}
		if st == nil {
			if !isCallTrace(l) && !kernelArmFromRE.MatchString(l) {
				continue
			}
			// A call trace pasted without the header above it.
			st = &kernelState{rep: nativeReport{format: FormatKernel, start: i, end: i, titled: true, headless: true, noise: kernelNoise}}
			st.rep.title = strings.TrimSuffix(l, ":")
		}
		if st.line(i, l) {
			finish()
		}
	}
	finish()
	return out
}

// isCallTrace reports whether l starts a kernel (or Xen) call trace.
func isCallTrace(l string) bool {
	return strings.HasPrefix(l, "Call Trace:") || strings.HasPrefix(l, "Call trace:") || l == "Backtrace:" || l == "Xen call trace:"
}

func isKernelHeader(l string) bool {
	if l == "" || strings.IndexByte("BWOgkUIKlrdsAXF", l[0]) < 0 {
		return false
	}
	for _, h := range kernelHeaders {
		if strings.HasPrefix(l, h) {
			if h == "WARNING: " && !strings.Contains(l, " at ") && !strings.Contains(l, "possible") && !strings.Contains(l, "suspicious") {
				return false
			}
			if h == "BTRFS critical " && !strings.Contains(l, "assertion failed: ") {
				return false // btrfs's ASSERT() opens a report; its other messages do not
			}
			return true
		}
	}
	return false
}

func newKernelState(i int, l string) *kernelState {
	st := &kernelState{rep: nativeReport{format: FormatKernel, start: i, end: i, titled: true, noise: kernelNoise}}
	st.rep.title = kernelTitle(l)
	st.header(l)
	return st
}

// header reads a header line (the first one or a later one such as
// "Oops: 0000 [#1] SMP" before any stack).
func (st *kernelState) header(l string) {
	st.rep.texts = append(st.rep.texts, kernelText(l))
	if m := kernelWarnRE.FindStringSubmatch(l); m != nil {
		st.setCrash(m[3], m[4], m[1], atoi(m[2]))
	} else if m := kernelBugAtRE.FindStringSubmatch(l); m != nil {
		if st.site == nil {
			st.site = &Frame{File: m[1], Line: atoi(m[2])}
		}
	} else if m := kernelUBSanRE.FindStringSubmatch(l); m != nil {
		st.setCrash("", "", m[1], atoi(m[2]))
	}
	st.details = 0
	if strings.Contains(l, "KASAN") || strings.Contains(l, "KCSAN") || strings.Contains(l, "KMSAN") || strings.HasPrefix(l, "UBSAN") {
		st.details = 1
	}
}

// setCrash records the crash location of a header or instruction pointer.
func (st *kernelState) setCrash(fn, module, file string, line int) {
	if st.crash == nil {
		st.crash = &Frame{}
	}
	c := st.crash
	if fn != "" && c.Function == "" {
		c.Function, c.Module = cleanFunction(fn), module
	}
	if file != "" && c.File == "" {
		c.File, c.Line = file, line
	}
}

// kernelText is a header or detail line without offsets, addresses, the
// "[#1] SMP" tail and the task that ran ("by task syz-executor/123").
func kernelText(l string) string {
	l = kernelOffRE.ReplaceAllString(l, "")
	l = kernelTailRE.ReplaceAllString(l, "")
	l = kernelAddrRE.ReplaceAllString(l, "")
	if i := strings.Index(l, " by task "); i >= 0 {
		l = l[:i]
	}
	if i := strings.Index(l, "CPU: "); i >= 0 {
		l = l[:i]
	}
	return l
}

// kernelTitle shortens a header: offsets and the "[#1] SMP PTI" tail go;
// a WARNING becomes "WARNING in fn (file.c:123)".
func kernelTitle(l string) string {
	if m := kernelWarnRE.FindStringSubmatch(l); m != nil {
		return "WARNING in " + cleanFunction(m[3]) + " (" + m[1] + ":" + m[2] + ")"
	}
	t := kernelOffRE.ReplaceAllString(l, "")
	t = kernelTailRE.ReplaceAllString(t, "")
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(t), ":"))
}

func (st *kernelState) hasFrames() bool {
	return len(st.frames) > 0 || len(st.rep.stacks) > 0
}

// line reads one line of a report; done is true when the report ended.
func (st *kernelState) line(i int, l string) (done bool) {
	switch {
	case l == "<TASK>" || l == "</TASK>" || l == "<IRQ>" || l == "</IRQ>" || l == "<NMI>" || l == "</NMI>" ||
		l == "<EOI>" || l == "<SOFTIRQ>" || l == "</SOFTIRQ>" || strings.HasPrefix(l, "<EOI> "):
		return false
	case isCallTrace(l):
		st.endStack()
		st.name = "Call Trace"
		st.pending = ""
		st.idle = 0
		return false
	case strings.HasPrefix(l, "---[ end ") || strings.HasPrefix(l, "Kernel Offset:") ||
		strings.HasPrefix(l, "Memory state around the buggy address") ||
		strings.HasPrefix(l, "=====") && st.hasFrames():
		st.rep.end = i
		return true
	}
	if m := kernelIPRE.FindStringSubmatch(l); m != nil {
		if st.crash == nil || st.crash.Function == "" {
			st.setCrash(m[1], m[2], m[3], atoi(m[4]))
		}
		st.rep.end = i
		return false
	}
	if m := kernelArmFromRE.FindStringSubmatch(l); m != nil {
		// ARM's "[<pc>] (callee) from [<lr>] (caller+0x20/0x24)": the
		// callee is the last line's caller, but on the first line.
		for k, text := range m[1:] {
			f, ok := kernelFrame(text)
			if !ok || k == 0 && len(st.frames) > 0 && st.frames[len(st.frames)-1].Function == f.Function {
				continue
			}
			if len(st.frames) < MaxFrames {
				st.frames = append(st.frames, f)
			}
		}
		st.pending, st.idle = "", 0
		st.rep.end = i
		return false
	}
	if f, ok := kernelFrame(l); ok {
		header := strings.HasSuffix(st.pending, ":") && !strings.HasPrefix(st.pending, "Modules linked in")
		if len(st.frames) == 0 && st.name == "" || st.idle > 0 && header {
			name := st.name
			if header {
				name = strings.TrimSuffix(kernelAddrRE.ReplaceAllString(kernelOffRE.ReplaceAllString(st.pending, ""), ""), ":")
			}
			st.endStack()
			st.name = name
		}
		if len(st.frames) < MaxFrames {
			st.frames = append(st.frames, f)
		}
		st.pending, st.idle = "", 0
		st.rep.end = i
		return false
	}
	if st.details > 0 && !st.hasFrames() && !strings.HasPrefix(l, "CPU:") {
		st.rep.texts = append(st.rep.texts, kernelText(l))
		st.details--
	}
	st.pending = l
	st.idle++
	return st.idle > 80
}

func (st *kernelState) endStack() {
	if len(st.frames) > 0 {
		name := st.name
		if name == "" {
			name = "Call Trace"
		}
		st.rep.addStack(name, st.frames)
	}
	st.frames, st.name = nil, ""
}

// placeCrash puts the crash location in front of the crash stack: it
// completes the first in-app frame when that is the crashing function, and
// is prepended otherwise.
func (st *kernelState) placeCrash() {
	if len(st.rep.stacks) == 0 {
		return
	}
	defer st.placeSite()
	c := st.crash
	if c == nil {
		return
	}
	frames := st.rep.stacks[0].frames
	for k := range frames {
		f := &frames[k]
		if !f.InApp {
			continue
		}
		if c.Function == "" && f.File != "" && c.File != "" && path.Base(f.File) != path.Base(c.File) {
			// A location without a function (UBSAN: ... in x.c:12) is
			// not in a frame of another file.
			continue
		}
		if c.Function == "" || f.Function == c.Function {
			switch {
			case f.File == "" && c.File != "":
				f.File, f.Line = c.File, c.Line
			case f.Line == 0 && c.Line > 0 && path.Base(f.File) == path.Base(c.File):
				f.Line = c.Line
				if len(c.File) > len(f.File) {
					f.File = c.File
				}
			}
			return
		}
		break
	}
	if c.Function == "" {
		return
	}
	crash := Frame{File: c.File, Line: c.Line, Function: c.Function, Module: c.Module}
	crash.InApp = IsInApp(FormatKernel, crash.File, crash.Function, crash.Module)
	st.rep.stacks[0].frames = append([]Frame{crash}, frames...)
}

// placeSite puts the location of an assertion or a BUG() ("Assertion 'x'
// failed at ../drivers/vpci/vpci.c:47", "kernel BUG at mm/slub.c:12!") in
// front of the crash stack as a frame of its own, unless the stack starts
// there already: the function around that line may have been inlined into
// the one the instruction pointer names.
func (st *kernelState) placeSite() {
	s := st.site
	if s == nil || s.File == "" || s.Line == 0 {
		return
	}
	frames := st.rep.stacks[0].frames
	if len(frames) > 0 && frames[0].Line == s.Line && path.Base(frames[0].File) == path.Base(s.File) {
		return
	}
	site := Frame{File: s.File, Line: s.Line}
	site.InApp = IsInApp(FormatKernel, site.File, "", "")
	st.rep.stacks[0].frames = append([]Frame{site}, frames...)
}

// kernelFrame reads one line of a kernel stack: "fn+0x1a/0x40 [module]",
// "? fn+0x1a/0x40", "fn+0x1a/0x40 drivers/x/y.c:123",
// "__dump_stack lib/dump_stack.c:88 [inline]" or the older
// "[<ffffffff8106e3f8>] fn+0x78/0xb0".
func kernelFrame(l string) (Frame, bool) {
	if !strings.Contains(l, "+0x") && !strings.Contains(l, "[inline]") && !strings.Contains(l, ".c:") {
		return Frame{}, false
	}
	m := kernelFrameRE.FindStringSubmatch(l)
	if m == nil || m[3] == "" && m[6] == "" && m[8] == "" {
		return Frame{}, false
	}
	f := Frame{File: m[6], Line: atoi(m[7]), Function: cleanFunction(m[2]), Module: m[5]}
	f.InApp = m[1] == "" && IsInApp(FormatKernel, f.File, f.Function, f.Module)
	if file, fn, ok := strings.Cut(f.Function, "#"); ok && f.File == "" && fn != "" {
		// Xen names a file's static functions "path/file.c#fn".
		f.File, f.Function = file, fn
		// Its assembly (entry.S#restore_all_xen) is its own code too:
		// a fault there is a bug there.
		f.InApp = m[1] == "" && IsInApp(FormatKernel, f.File, f.Function, f.Module)
	}
	return f, true
}
