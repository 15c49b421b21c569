package signal

import (
	"slices"
	"strings"
	"time"
)

// Java thread dumps: the traces Android's runtime writes when an app does
// not respond (/data/anr/traces.txt, a bugreport's "VM TRACES AT LAST
// ANR", the text Google Play Console shows for an ANR), and the JVM's
// (jstack, jcmd Thread.print, kill -3). A dump lists every thread of the
// process; what went wrong is in a few of them: an ANR's main thread and
// the threads holding the lock it waits for, a JVM's deadlocked threads, or
// a thread blocked on a monitor and the thread that holds it.

// Limits on what one dump keeps.
const (
	// maxDumpThreads is the most threads read of one dump.
	maxDumpThreads = 4096
	// maxLockChain is the most threads kept of a chain of lock holders
	// (the waiting thread, then who holds its lock, and so on).
	maxLockChain = 4
	// maxDeadlockStacks is the most deadlocked threads kept.
	maxDeadlockStacks = 8
	// maxThreadLocks is the most locks kept that one thread holds (or
	// waits on); a real thread holds a few.
	maxThreadLocks = 64
)

// threadDumpNoise are the words of every thread dump's title, and the
// threads' states.
var threadDumpNoise = map[string]bool{"anr": true, "dump": true, "waiting": true, "lock": true, "held": true,
	"level": true, "java": true, "lang": true, "object": true, "deadlocked": true,
	"blocked": true, "native": true, "runnable": true, "sleeping": true, "timedwaiting": true, "timed_waiting": true,
	"suspended": true, "monitor": true, "new": true, "terminated": true}

// androidIdleFrame is the method the main thread of an app waits for its
// next message in: at the top of its stack, the thread was idle.
const androidIdleFrame = "android.os.MessageQueue.nativePollOnce"

// dumpThread is one thread of a dump.
type dumpThread struct {
	name  string
	id    string // the ANR's thread id ("14"), the JVM's thread number ("#21")
	state string // "Blocked", "BLOCKED"
	// frames, innermost first: native frames, then Java ones.
	frames []Frame
	// wait is the lock ("<0x...>") the thread waits to take (a monitor,
	// or a java.util.concurrent lock it parks on); waitClass is the
	// lock's class; heldBy is the ANR's id of the thread holding it, when
	// the dump says.
	wait, waitClass, heldBy string
	// locked are the locks the thread holds; waitingOn those it released
	// in Object.wait(); maxThreadLocks of each at most.
	locked, waitingOn []string
	// topJava is the function of the innermost Java frame.
	topJava string
	// gap is set after a blank line: the thread's frames are over.
	gap bool
	// syncs is set after "Locked ownable synchronizers:".
	syncs bool
}

// deadlock is one of the JVM's "Found one Java-level deadlock:" sections.
type deadlock struct {
	names  []string          // the threads, as listed
	heldBy map[string]string // whose lock each one waits for
	stacks map[string][]Frame
	// classes are the classes of the locks waited for.
	classes []string
	start   int
}

// threadDump is one process's dump.
type threadDump struct {
	anr   bool // Android's; else the JVM's
	start int  // its first line
	end   int  // the last line of its threads and deadlock sections
	// bannered is set when the dump starts at its banner ("----- pid
	// ...", "Full thread dump"), not at its first thread.
	bannered bool
	process  string
	time     *time.Time
	// lastANR is set for the dump a bugreport names as the last ANR's.
	lastANR   bool
	threads   []*dumpThread
	deadlocks []*deadlock
	// byID and byLock find a thread by its id and a lock it holds (see
	// index).
	byID, byLock map[string]*dumpThread
}

// dumpReader reads the dumps of a text line by line.
type dumpReader struct {
	dumps []*threadDump
	cur   *threadDump
	th    *dumpThread
	dl    *deadlock
	// dlStacks is set in a deadlock's "Java stack information" part;
	// dlThread is the thread whose stack is being read there.
	dlStacks bool
	dlThread string
	lastANR  bool
}

// parseThreadDumps reads the first thread dump of text that says what
// blocked: an Android ANR's main thread (and the threads holding the lock
// it waits for), a JVM's deadlock, or a JVM thread blocked on a lock and
// the thread holding it. It returns that signal, or none: a JVM dump where
// no thread waits for another is left to the Java parser, which reads
// each thread's stack. What the rest of the text holds outside every
// dump (an exception a service logged before someone ran jstack) is read
// by the other parsers, and its signals come in the text's order with the
// dump's.
func parseThreadDumps(_ string, lines []string) []Signal {
	r, dump, ok := readDumps(lines)
	if !ok {
		return nil
	}
	return r.withRest(dump, lines)
}

// readDumps reads the dumps of lines and returns the signal of the first
// that says what blocked.
func readDumps(lines []string) (*dumpReader, Signal, bool) {
	r := &dumpReader{}
	for i, l := range lines {
		r.line(i, strings.TrimSpace(l))
		if r.cur != nil && (r.th != nil || r.dl != nil) {
			r.cur.end = i
		}
	}
	// A bugreport holds the dumps of many processes: the one of the last
	// ANR comes first.
	for pass := 0; pass < 2; pass++ {
		for _, d := range r.dumps {
			if d.lastANR != (pass == 0) {
				continue
			}
			if rep, ok := d.report(); ok {
				return r, rep.signal(lines), true
			}
		}
	}
	return r, Signal{}, false
}

// withRest returns dump with the signals the other parsers find in lines
// outside every dump, in the order of the lines they start at.
func (r *dumpReader) withRest(dump Signal, lines []string) []Signal {
	rest := slices.Clone(lines)
	for _, d := range r.dumps {
		for i := d.start; i <= d.end && i < len(rest); i++ {
			rest[i] = ""
		}
	}
	sigs := parseRest(strings.Join(rest, "\n"), rest)
	if len(sigs) == 0 {
		return []Signal{dump}
	}
	sigs = append(sigs, dump)
	slices.SortStableFunc(sigs, func(a, b Signal) int { return a.line - b.line })
	return sigs
}

// line reads line i, t without its indentation.
func (r *dumpReader) line(i int, t string) {
	if t == "" {
		if r.th != nil {
			r.th.gap = true
		}
		return
	}
	switch t[0] {
	case '"':
		r.quoted(i, t)
		return
	case '-':
		if r.dashes(i, t) {
			return
		}
	case 'F':
		if strings.HasPrefix(t, "Full thread dump ") {
			r.open(i, false, true)
			return
		}
		if strings.HasPrefix(t, "Found one Java-level deadlock") {
			r.endThread()
			if r.cur == nil {
				r.open(i, false, false)
			}
			r.dl = &deadlock{heldBy: map[string]string{}, stacks: map[string][]Frame{}, start: i}
			if len(r.cur.deadlocks) < maxDeadlockStacks {
				r.cur.deadlocks = append(r.cur.deadlocks, r.dl)
			}
			r.dlStacks, r.dlThread = false, ""
			return
		}
		if strings.HasPrefix(t, "Found ") && strings.Contains(t, " deadlock") {
			r.dl = nil // "Found 2 deadlocks."
			return
		}
	case 'C':
		if r.cur != nil && r.cur.anr && r.cur.process == "" && strings.HasPrefix(t, "Cmd line: ") {
			r.cur.process = strings.TrimSpace(t[len("Cmd line: "):])
			return
		}
	}
	if r.dl != nil {
		r.deadlockLine(t)
		return
	}
	if r.th != nil {
		r.threadLine(t)
	}
}

// dashes reads a line of dashes: "----- pid 12345 at 2026-11-30
// 10:15:22.123456789+0100 -----" opens an Android dump, "----- end
// 12345 -----" closes it; a bugreport's "------ VM TRACES AT LAST ANR"
// names the dump that follows. A frame's "- locked <0x...>" is no such line.
func (r *dumpReader) dashes(i int, t string) bool {
	if !strings.HasPrefix(t, "-----") {
		return false
	}
	if strings.Contains(t, "VM TRACES AT LAST ANR") {
		r.close()
		r.lastANR = true
		return true
	}
	rest, ok := strings.CutPrefix(t, "----- ")
	if !ok {
		return false
	}
	rest = strings.TrimSuffix(rest, " -----")
	switch {
	case strings.HasPrefix(rest, "pid "):
		r.open(i, true, true)
		if _, at, ok := strings.Cut(rest, " at "); ok {
			r.cur.time = leadingTimestamp(at)
		}
	default:
		// "----- end 12345 -----", "----- Waiting Channels: pid ...".
		r.close()
	}
	return true
}

// open starts a dump at line i, at its banner or not.
func (r *dumpReader) open(i int, anr, bannered bool) {
	r.close()
	r.cur = &threadDump{anr: anr, start: i, bannered: bannered, lastANR: r.lastANR}
	r.lastANR = false
	r.dumps = append(r.dumps, r.cur)
}

// close ends the dump being read.
func (r *dumpReader) close() {
	r.endThread()
	r.cur, r.dl = nil, nil
}

func (r *dumpReader) endThread() { r.th = nil }

// quoted reads a line that starts with a quote: a thread's header, or a
// thread's name in a deadlock section ("Thread-1":).
func (r *dumpReader) quoted(i int, t string) {
	if r.dl != nil && strings.HasSuffix(t, `":`) && len(t) > 3 {
		name := t[1 : len(t)-2]
		if r.dlStacks {
			r.dlThread = name
			return
		}
		if len(r.dl.names) < maxDeadlockStacks*4 {
			r.dl.names = append(r.dl.names, name)
		}
		r.dlThread = name
		return
	}
	q := strings.LastIndexByte(t, '"')
	if q <= 0 {
		return
	}
	name, rest := t[1:q], t[q+1:]
	// "main" prio=5 tid=1 Blocked (Android), "main" tid=1 Blocked (Play
	// Console), "main" #1 [12346] prio=5 os_prio=0 ... tid=0x... nid=...
	// (the JVM's), "Jit thread pool" prio=5 (not attached).
	k := strings.Index(rest, "tid=")
	if k < 0 && !strings.Contains(rest, "prio=") {
		r.endThread()
		return
	}
	r.dl = nil
	th := &dumpThread{name: name}
	anr := false
	if k >= 0 {
		v, after, _ := strings.Cut(rest[k+4:], " ")
		if allDigits(v) {
			// Android's thread id, then the thread's state.
			anr = true
			th.id = v
			th.state, _, _ = strings.Cut(strings.TrimSpace(after), " ")
		}
	}
	if !anr {
		if j := strings.Index(rest, " #"); j >= 0 {
			n := rest[j+2:]
			if e := strings.IndexByte(n, ' '); e >= 0 {
				n = n[:e]
			}
			if allDigits(n) {
				th.id = "#" + n
			}
		}
		if strings.Contains(rest, "waiting for monitor entry") {
			th.state = "BLOCKED" // before its "java.lang.Thread.State:" line
		}
	}
	switch {
	case r.cur == nil:
		r.open(i, anr, false) // a dump pasted without its banner
	case len(r.cur.threads) == 0 && k >= 0:
		r.cur.anr = anr // the first thread's id says whose dump it is
	}
	if len(r.cur.threads) >= maxDumpThreads {
		r.endThread()
		return
	}
	r.cur.threads = append(r.cur.threads, th)
	r.th = th
}

// threadLine reads a line of a thread's stack.
func (r *dumpReader) threadLine(t string) {
	th := r.th
	switch {
	case strings.HasPrefix(t, "at "):
		if th.gap {
			r.endThread()
			return
		}
		if f, ok := dumpJavaFrame(t); ok && len(th.frames) < MaxFrames {
			if th.topJava == "" {
				th.topJava = f.Function
			}
			th.frames = append(th.frames, f)
		}
	case strings.HasPrefix(t, "- "):
		th.lockLine(t[2:])
	case t[0] == '#' || strings.HasPrefix(t, "native: #"):
		// "native: #00 pc 00000000004f5d24  /apex/.../libart.so
		// (art::DumpNativeStack+108)"; Play Console's "#00  pc 0x...".
		if th.gap {
			r.endThread()
			return
		}
		t = strings.TrimPrefix(t, "native: ")
		if !strings.Contains(t, " pc ") {
			return
		}
		if m := tombFrameRE.FindStringSubmatch(t); m != nil && len(th.frames) < MaxFrames {
			th.frames = append(th.frames, tombFrame(m[2], m[3]))
		}
	case strings.HasPrefix(t, "java.lang.Thread.State: "):
		state := strings.TrimPrefix(t, "java.lang.Thread.State: ")
		th.state, _, _ = strings.Cut(state, " ")
	case t == "Locked ownable synchronizers:":
		th.syncs = true
	case t[0] == '|' || t == "(no managed stack frames)":
	default:
		if th.gap {
			r.endThread() // the dump's other lines (JNI global refs, heap)
		}
	}
}

// lockLine reads what a thread's stack says of a lock, after "- ":
// "waiting to lock <0x0a1b2c3d> (a java.lang.Object) held by thread 14",
// "locked <0x...> (a X)", "parking to wait for  <0x...> (a X)", "waiting
// on <0x...> (a X)", and an ownable synchronizer's "<0x...> (a X)".
func (th *dumpThread) lockLine(t string) {
	addr, class := lockAddr(t)
	if addr == "" {
		return
	}
	switch {
	case th.syncs && strings.HasPrefix(t, "<"), strings.HasPrefix(t, "locked "):
		if len(th.locked) < maxThreadLocks {
			th.locked = append(th.locked, addr)
		}
	case strings.HasPrefix(t, "waiting on "):
		if len(th.waitingOn) < maxThreadLocks {
			th.waitingOn = append(th.waitingOn, addr)
		}
	case th.wait != "":
	case strings.HasPrefix(t, "waiting to lock "), strings.HasPrefix(t, "waiting to re-lock "):
		th.wait, th.waitClass = addr, class
		// Android: "held by thread 14"; before Android 5, "held by
		// tid=14 (DiskIO)".
		if _, by, ok := strings.Cut(t, " held by "); ok {
			by = strings.TrimPrefix(strings.TrimPrefix(by, "thread "), "tid=")
			by, _, _ = strings.Cut(by, " ")
			if allDigits(by) {
				th.heldBy = by
			}
		}
	case strings.HasPrefix(t, "parking to wait for "):
		th.wait, th.waitClass = addr, class
	}
}

// lockAddr returns the "<0x...>" a lock line names and the lock's class
// from "(a java.lang.Object)".
func lockAddr(t string) (addr, class string) {
	i := strings.Index(t, "<0x")
	if i < 0 {
		return "", ""
	}
	j := strings.IndexByte(t[i:], '>')
	if j < 0 || !allHex(t[i+3:i+j]) {
		return "", ""
	}
	addr = strings.ToLower(t[i : i+j+1])
	if _, c, ok := strings.Cut(t[i+j:], "(a "); ok {
		class, _, _ = strings.Cut(c, ")")
	}
	return addr, class
}

// deadlockLine reads a line of a JVM's deadlock section: the threads of
// the cycle ("Thread-1":, then which lock it waits for and "which is held
// by "Thread-0""), then "Java stack information for the threads listed
// above:" and each one's stack again.
func (r *dumpReader) deadlockLine(t string) {
	dl := r.dl
	switch {
	case strings.HasPrefix(t, "Java stack information"):
		r.dlStacks, r.dlThread = true, ""
	case strings.HasPrefix(t, "which is held by "):
		by := strings.TrimPrefix(t, "which is held by ")
		if len(by) > 2 && by[0] == '"' && r.dlThread != "" && !r.dlStacks {
			if q := strings.LastIndexByte(by, '"'); q > 0 {
				dl.heldBy[r.dlThread] = by[1:q]
			}
		}
	case strings.HasPrefix(t, "at "):
		if !r.dlStacks || r.dlThread == "" || len(dl.stacks) > maxDeadlockStacks*4 {
			return
		}
		if f, ok := dumpJavaFrame(t); ok && len(dl.stacks[r.dlThread]) < MaxFrames {
			dl.stacks[r.dlThread] = append(dl.stacks[r.dlThread], f)
		}
	case strings.HasPrefix(t, "waiting "):
		// "waiting to lock monitor 0x... (object 0x..., a X),",
		// "waiting for ownable synchronizer 0x..., (a X),".
		if k := strings.LastIndex(t, "a "); k > 0 && !r.dlStacks && len(dl.classes) < maxDeadlockStacks {
			if c, _, ok := strings.Cut(t[k+2:], ")"); ok && c != "" {
				dl.classes = append(dl.classes, c)
			}
		}
	case t[0] == '=' || t[0] == '-':
	default:
		if r.dlStacks {
			r.dl = nil // the section is over
		}
	}
}

// dumpJavaFrame reads a thread's "at" line: "at pkg.Class.m(File.kt:88)",
// Play Console's "at pkg.Class.m (File.kt:88)", the JVM's "at
// java.lang.Thread.sleep(java.base@21.0.2/Native Method)" and Android's
// "(Native method)" (javaFrame reads the forms of the location).
func dumpJavaFrame(t string) (Frame, bool) {
	m := matchIf(javaFrameRE, t, "at ")
	if m == nil {
		return Frame{}, false
	}
	qual, loc := m[1], m[2]
	if !strings.HasSuffix(m[0], ")") {
		loc = "\x00"
	}
	return javaFrame(qual, loc)
}

// report turns the dump into a report of what blocked, ok false when it
// says nothing blocked (a JVM dump without a deadlock or a thread waiting
// for another) or has no main thread (an ANR).
func (d *threadDump) report() (nativeReport, bool) {
	if d.anr {
		return d.anrReport()
	}
	if rep, ok := d.deadlockReport(); ok {
		return rep, true
	}
	return d.blockedReport()
}

// anrReport reads an Android dump: the main thread, then the threads
// holding the lock it waits for.
func (d *threadDump) anrReport() (nativeReport, bool) {
	var main *dumpThread
	for _, th := range d.threads {
		if th.name == "main" || main == nil && th.id == "1" {
			main = th
			if th.name == "main" {
				break
			}
		}
	}
	if main == nil || !d.bannered && len(main.frames) == 0 {
		// Without the dump's banner, a quoted name and a "tid=1" are
		// not enough to tell a thread from a log line.
		return nativeReport{}, false
	}
	rep := nativeReport{format: FormatANR, start: d.start, end: d.start, time: d.time, noise: dumpNoise(d.process)}
	rep.title = "ANR"
	if d.process != "" {
		rep.title += " in " + d.process
	}
	rep.title += ": main thread"
	if main.state != "" {
		rep.title += " " + main.state
	}
	// The main thread is the ANR's stack even without a frame.
	st := threadName(main, true)
	if main.state != "" {
		st += ", " + main.state
	}
	rep.stacks = append(rep.stacks, nativeStack{name: st, frames: main.frames})
	chain, cycle := d.lockChain(main)
	for k, th := range chain {
		rep.addStack(threadName(th, true)+", which holds the lock "+waiterName(chainWaiter(main, chain, k), true)+" waits for", th.frames)
	}
	switch {
	case cycle && len(chain) > 0:
		rep.title += ", deadlocked with " + quote(chain[0].name)
	case len(chain) > 0:
		rep.title += ", waiting for a lock held by " + quote(chain[0].name)
	case main.heldBy != "" && main.heldBy != main.id:
		rep.notes = append(rep.notes, "the main thread waits for a lock held by thread "+main.heldBy+", which the dump does not list")
	}
	rep.texts = lockTexts(main, chain)
	switch {
	case len(main.frames) == 0:
		rep.notes = append(rep.notes, "the dump holds no frame of the main thread: it was cut short, or the thread was not attached to the runtime")
	case idleMain(main):
		rep.notes = append(rep.notes, "the main thread was idle, waiting for its next message ("+androidIdleFrame+"), when the dump was taken: "+
			"the work that blocked it had finished, or the ANR was a broadcast receiver's or a service's timeout; the dump alone does not show what was slow")
	case !locatedReport(rep):
		rep.notes = append(rep.notes, "no frame of the app's code has a source file and line in the main thread's stack or those of the threads holding its lock")
	}
	return rep, true
}

// deadlockReport reads a JVM dump's deadlock sections: the deadlocked
// threads' stacks, from each section's "Java stack information" or, when
// it was cut off, from the dump.
func (d *threadDump) deadlockReport() (nativeReport, bool) {
	var groups [][]string
	rep := nativeReport{format: FormatJava, noise: threadDumpNoise}
	for _, dl := range d.deadlocks {
		if len(dl.names) < 2 {
			continue
		}
		names := rotateInApp(dl.names, func(name string) []Frame { return d.deadlockFrames(dl, name) })
		for _, name := range names {
			if len(rep.stacks) >= maxDeadlockStacks {
				break
			}
			st := "thread " + quote(name)
			if th := d.thread(name); th != nil && th.id != "" {
				st = threadName(th, false)
			}
			if by := dl.heldBy[name]; by != "" {
				st += ", waiting for a lock held by " + quote(by)
			}
			rep.stacks = append(rep.stacks, nativeStack{name: st, frames: d.deadlockFrames(dl, name)})
		}
		if len(groups) == 0 {
			rep.start, rep.end = dl.start, dl.start
		}
		groups = append(groups, names)
		rep.texts = append(rep.texts, dl.classes...)
	}
	if len(groups) == 0 {
		return nativeReport{}, false
	}
	if len(flatFrames(rep.stacks)) == 0 {
		// The section names the threads but the dump was cut before
		// their stacks: a thread blocked on another's lock says more.
		if b, ok := d.blockedReport(); ok {
			return b, true
		}
		rep.notes = append(rep.notes, "the dump was cut before the deadlocked threads' stacks")
	}
	var parts []string
	for _, g := range groups {
		var q []string
		for _, n := range g {
			q = append(q, quote(n))
		}
		parts = append(parts, joinAnd(q))
	}
	rep.title = "Java-level deadlock: " + strings.Join(parts, "; ")
	if len(groups) > 1 {
		rep.title = "Java-level deadlocks: " + strings.Join(parts, "; ")
	}
	if len(rep.notes) == 0 && !locatedReport(rep) {
		rep.notes = append(rep.notes, "no frame of the program has a source file and line in the deadlocked threads' stacks")
	}
	return rep, true
}

// deadlockFrames returns the stack of a deadlocked thread: the one the
// section repeats, else the thread's in the dump.
func (d *threadDump) deadlockFrames(dl *deadlock, name string) []Frame {
	if fr := dl.stacks[name]; len(fr) > 0 {
		return fr
	}
	if th := d.thread(name); th != nil {
		return th.frames
	}
	return nil
}

// thread returns the dump's thread of that name, nil if it has none.
func (d *threadDump) thread(name string) *dumpThread {
	for _, th := range d.threads {
		if th.name == name {
			return th
		}
	}
	return nil
}

// blockedReport reads a JVM dump without a deadlock section: a thread
// waiting for a lock another thread holds (the main thread if it is one of
// them, else the first of them with a frame of the program), then that
// holder and whose lock it waits for in turn.
func (d *threadDump) blockedReport() (nativeReport, bool) {
	var first, inApp, main *dumpThread
	for _, th := range d.threads {
		if th.wait == "" || d.holder(th) == nil {
			continue
		}
		if first == nil {
			first = th
		}
		if hasInApp(th.frames) {
			if inApp == nil {
				inApp = th
			}
			if th.name == "main" && main == nil {
				main = th
			}
		}
	}
	top := first
	switch {
	case main != nil:
		top = main
	case inApp != nil:
		top = inApp
	}
	if top == nil {
		return nativeReport{}, false
	}
	chain, cycle := d.lockChain(top)
	rep := nativeReport{format: FormatJava, start: d.start, end: d.start, noise: threadDumpNoise}
	rep.title = "Thread dump: " + quote(top.name)
	if top.state != "" {
		rep.title += " " + top.state
	}
	if cycle {
		rep.title += ", deadlocked with " + quote(chain[0].name)
	} else {
		rep.title += ", waiting for a lock held by " + quote(chain[0].name)
	}
	st := threadName(top, false)
	if top.state != "" {
		st += ", " + top.state
	}
	rep.stacks = append(rep.stacks, nativeStack{name: st, frames: top.frames})
	for k, th := range chain {
		rep.addStack(threadName(th, false)+", which holds the lock "+waiterName(chainWaiter(top, chain, k), false)+" waits for", th.frames)
	}
	rep.texts = lockTexts(top, chain)
	if !locatedReport(rep) {
		rep.notes = append(rep.notes, "no frame of the program has a source file and line in the blocked thread's stack or those of the threads holding its lock")
	}
	return rep, true
}

// holder returns the thread holding the lock th waits for: the one the
// dump names (Android's "held by thread 14"), else the one whose stack
// says it locked it and is not waiting on it.
func (d *threadDump) holder(th *dumpThread) *dumpThread {
	if th.wait == "" {
		return nil
	}
	if d.byID == nil {
		d.index()
	}
	h := d.byLock[th.wait]
	if th.heldBy != "" {
		h = d.byID[th.heldBy]
	}
	if h == th {
		return nil
	}
	return h
}

// index maps the threads' ids and the locks they hold to the threads,
// the first one of the dump for each.
func (d *threadDump) index() {
	d.byID, d.byLock = map[string]*dumpThread{}, map[string]*dumpThread{}
	for _, th := range d.threads {
		if _, ok := d.byID[th.id]; !ok && th.id != "" {
			d.byID[th.id] = th
		}
		for _, l := range th.locked {
			if _, ok := d.byLock[l]; !ok && !slices.Contains(th.waitingOn, l) {
				d.byLock[l] = th
			}
		}
	}
}

// lockChain follows the holders of the locks from th: who holds th's,
// who holds that one's, at most maxLockChain-1 threads; cycle is set when
// the chain comes back to th.
func (d *threadDump) lockChain(th *dumpThread) (chain []*dumpThread, cycle bool) {
	seen := map[*dumpThread]bool{th: true}
	for cur := th; len(chain) < maxLockChain-1; {
		h := d.holder(cur)
		if h == nil {
			break
		}
		if seen[h] {
			cycle = h == th
			break
		}
		seen[h] = true
		chain = append(chain, h)
		cur = h
	}
	return chain, cycle
}

// chainWaiter is the thread waiting for the lock chain[k] holds.
func chainWaiter(first *dumpThread, chain []*dumpThread, k int) *dumpThread {
	if k == 0 {
		return first
	}
	return chain[k-1]
}

// threadName names a thread's stack: thread "DiskIO" (tid=14), thread
// "worker-1" (#21).
func threadName(th *dumpThread, anr bool) string {
	s := "thread " + quote(th.name)
	switch {
	case th.id == "":
	case anr:
		s += " (tid=" + th.id + ")"
	default:
		s += " (" + th.id + ")"
	}
	return s
}

// waiterName names the thread waiting for a lock: an ANR's main thread is
// main, other threads are named in quotes.
func waiterName(th *dumpThread, anr bool) string {
	if anr && th.name == "main" {
		return "main"
	}
	return quote(th.name)
}

// lockTexts are the symptom texts of a lock chain: the classes of the
// locks its threads wait for.
func lockTexts(first *dumpThread, chain []*dumpThread) []string {
	var out []string
	for _, th := range append([]*dumpThread{first}, chain...) {
		if th.waitClass != "" {
			out = append(out, th.waitClass)
		}
	}
	return out
}

// idleMain reports a main thread waiting for its next message: its
// innermost Java frame is MessageQueue.nativePollOnce.
func idleMain(th *dumpThread) bool { return th.topJava == androidIdleFrame }

// rotateInApp returns the threads of a deadlock cycle starting at the
// first whose stack has a frame of the program (the main thread if it is
// one of them): a cycle has no first thread of its own.
func rotateInApp(names []string, frames func(string) []Frame) []string {
	start := -1
	for k, n := range names {
		if !hasInApp(frames(n)) {
			continue
		}
		if start < 0 || n == "main" {
			start = k
		}
		if n == "main" {
			break
		}
	}
	if start <= 0 {
		return names
	}
	return append(append([]string{}, names[start:]...), names[:start]...)
}

// dumpNoise is threadDumpNoise with the words of the app's process name
// (com.example.shop), which every ANR of the app carries.
func dumpNoise(process string) map[string]bool {
	if process == "" {
		return threadDumpNoise
	}
	noise := map[string]bool{}
	for w := range threadDumpNoise {
		noise[w] = true
	}
	Words(process, func(w string) { noise[w] = true })
	return noise
}

func hasInApp(frames []Frame) bool {
	return slices.ContainsFunc(frames, func(f Frame) bool { return f.InApp })
}

func quote(s string) string { return `"` + s + `"` }

// joinAnd lists words as prose: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
