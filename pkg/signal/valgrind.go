package signal

import (
	"regexp"
	"strings"
)

var (
	vgThreadRE     = regexp.MustCompile(`^Thread #(\d+) (?:was created|is the program's root thread)`)
	vgThreadRefRE  = regexp.MustCompile(`thread #(\d+)`)
	vgLeakRE       = regexp.MustCompile(`bytes in [\d,]+ blocks are (definitely|indirectly|possibly) lost`)
	vgLossRecordRE = regexp.MustCompile(`\s+in loss record [\d,]+ of [\d,]+$`)
	vgAddressRE    = regexp.MustCompile(`^Address 0x[0-9a-fA-F]+ is `)
)

// vgContinuations start lines that continue a Valgrind error even after a
// blank line or at the error's own indentation.
var vgContinuations = []string{
	"This conflicts with", "Locks held", "Required order", "Observed (incorrect) order", "followed by",
	"Lock at ", "Address ", "Block was", "Uninitialised value was", "Lock was",
}

// vgBlock is one error, thread announcement or leak record of a Valgrind
// run.
type vgBlock struct {
	start, end int
	texts      []string // the header first
	stacks     []nativeStack
	name       string // the name of the stack being read
	frames     []Frame
}

func (b *vgBlock) endStack() {
	if len(b.frames) > 0 {
		b.stacks = append(b.stacks, nativeStack{name: b.name, frames: b.frames})
	}
	b.frames = nil
}

// vgRun is the output of one Valgrind process (one ==PID==).
type vgRun struct {
	cur       *vgBlock
	blocks    []*vgBlock
	sepMode   bool // Helgrind: errors are separated by "-----" lines
	afterSep  bool
	prevBlank bool
}

func (r *vgRun) close() {
	if r.cur != nil {
		r.cur.endStack()
		r.blocks = append(r.blocks, r.cur)
		r.cur = nil
	}
}

// parseValgrindReports reads the errors of Valgrind's tools (Memcheck,
// Helgrind, DRD) from the lines of each "==PID==" process: an error is its
// header line ("Invalid read of size 4", "Possible data race during write
// of size 4 ...") with its stack, and the further stacks its continuation
// lines introduce ("Address ... is 4 bytes inside a block of size 16
// free'd", "Block was alloc'd at", "This conflicts with a previous write
// ...", "Uninitialised value was created by a heap allocation"). Helgrind's
// thread announcements are appended to the errors naming their threads.
// Leak records of a process form one signal, definite leaks first. Errors
// pasted without the "==PID==" prefixes are read too, and so is a stack
// pasted without its error's headline: it is the error's crash stack.
func parseValgrindReports(text string, lines []string) []nativeReport {
	runs := map[string]*vgRun{}
	var order []string
	for i, l := range lines {
		if !strings.Contains(l, "==") {
			continue
		}
		pid, body, ok := valgrindPrefix(l)
		if !ok {
			continue
		}
		r := runs[pid]
		if r == nil {
			r = &vgRun{}
			runs[pid] = r
			order = append(order, pid)
		}
		r.line(i, body)
	}
	var out []nativeReport
	for _, pid := range order {
		r := runs[pid]
		r.close()
		out = append(out, r.reports()...)
	}
	if len(out) == 0 && strings.Contains(text, "by 0x") {
		out = parseBareValgrind(lines)
	}
	return out
}

// parseBareValgrind reads Valgrind errors pasted without their "==PID=="
// prefixes: "at 0x...: fn (file.c:12)" and "by 0x..." frames, the lines
// that introduce them, and "Address 0x... is ..." lines.
func parseBareValgrind(lines []string) []nativeReport {
	r := &vgRun{}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			r.line(i, "")
		case vgBareFrame(t):
			r.line(i, "    "+t)
		case strings.HasPrefix(t, "Address 0x") || i+1 < len(lines) && vgBareFrame(strings.TrimSpace(lines[i+1])):
			r.line(i, " "+t)
		}
	}
	r.close()
	return r.reports()
}

func vgBareFrame(t string) bool {
	if !strings.HasPrefix(t, "at 0x") && !strings.HasPrefix(t, "by 0x") {
		return false
	}
	_, ok := valgrindFrame(t[3:])
	return ok
}

// valgrindPrefix finds "==PID==" in l and returns what follows it.
func valgrindPrefix(l string) (pid, body string, ok bool) {
	for off := 0; ; {
		i := strings.Index(l[off:], "==")
		if i < 0 {
			return "", "", false
		}
		i += off
		j := i + 2
		for j < len(l) && l[j] >= '0' && l[j] <= '9' {
			j++
		}
		if j > i+2 && strings.HasPrefix(l[j:], "==") {
			return l[i+2 : j], l[j+2:], true
		}
		off = i + 2
	}
}

func (r *vgRun) line(i int, body string) {
	t := strings.TrimSpace(body)
	switch {
	case t == "":
		if r.cur != nil {
			r.cur.endStack()
		}
		r.prevBlank = true
		return
	case strings.HasPrefix(t, "----") || strings.HasPrefix(t, "---Thread-Announcement"):
		r.close()
		r.sepMode, r.afterSep, r.prevBlank = true, true, false
		return
	case strings.HasPrefix(t, "at 0x") || strings.HasPrefix(t, "by 0x"):
		f, ok := valgrindFrame(t[3:])
		if r.cur == nil {
			if !ok || !strings.HasPrefix(t, "at 0x") {
				return
			}
			// A stack pasted without its error's headline (cut off, or
			// behind a test runner's output on the same line): the
			// crash stack all the same, the error's first.
			r.cur = &vgBlock{start: i, end: i}
		}
		if ok && len(r.cur.frames) < MaxFrames {
			r.cur.frames = append(r.cur.frames, f)
			r.cur.end = i
		}
		r.prevBlank = false
		return
	}
	indent := len(body) - len(strings.TrimLeft(body, " "))
	newBlock := r.cur == nil || r.afterSep || (r.prevBlank && indent <= 1 && !hasAnyPrefix(t, vgContinuations))
	if newBlock {
		r.close()
		r.cur = &vgBlock{start: i, end: i}
	} else {
		r.cur.endStack()
	}
	r.cur.texts = append(r.cur.texts, t)
	if !strings.HasPrefix(t, "Locks held") {
		r.cur.name = t
	}
	r.prevBlank, r.afterSep = false, false
}

// reports turns a run's blocks into reports.
func (r *vgRun) reports() []nativeReport {
	announced := map[string]nativeStack{}
	var out []nativeReport
	var leaks []*vgBlock
	for _, b := range r.blocks {
		if len(b.stacks) == 0 {
			continue
		}
		head := "Valgrind error" // a stack whose headline was not pasted
		if len(b.texts) > 0 {
			head = b.texts[0]
		}
		if m := vgThreadRE.FindStringSubmatch(head); m != nil {
			announced[m[1]] = nativeStack{name: head, frames: b.stacks[0].frames}
			continue
		}
		if m := vgLeakRE.FindStringSubmatch(head); m != nil {
			leaks = append(leaks, b)
			continue
		}
		if strings.Contains(head, "still reachable") {
			continue
		}
		if strings.HasPrefix(head, "Process terminating") && len(out) > 0 && sameFirstFrame(out[len(out)-1].stacks[0].frames, b.stacks[0].frames) {
			continue // the error just reported killed the process
		}
		rep := nativeReport{format: FormatValgrind, title: head, start: b.start, end: b.end}
		for _, st := range b.stacks {
			rep.addStack(vgStackName(st.name), st.frames)
		}
		var threads []string
		for _, t := range b.texts {
			if !strings.HasPrefix(t, "Locks held") {
				rep.texts = append(rep.texts, t)
			}
			for _, m := range vgThreadRefRE.FindAllStringSubmatch(t, -1) {
				threads = append(threads, m[1])
			}
		}
		seen := map[string]bool{}
		for _, n := range threads {
			if a, ok := announced[n]; ok && !seen[n] {
				seen[n] = true
				rep.addStack(a.name, a.frames)
			}
		}
		out = append(out, rep)
	}
	if len(leaks) > 0 {
		out = append(out, valgrindLeaks(leaks))
	}
	return out
}

// valgrindLeaks gathers a process's leak records into one report: definite
// leaks first, then indirect and possible ones, each in printed order.
func valgrindLeaks(leaks []*vgBlock) nativeReport {
	rep := nativeReport{format: FormatValgrind, start: leaks[0].start, end: leaks[len(leaks)-1].end}
	for _, kind := range []string{"definitely", "indirectly", "possibly"} {
		for _, b := range leaks {
			if vgLeakRE.FindStringSubmatch(b.texts[0])[1] != kind {
				continue
			}
			name := vgLossRecordRE.ReplaceAllString(b.texts[0], "")
			if rep.title == "" {
				rep.title = name
			}
			rep.addStack(name, b.stacks[0].frames)
		}
	}
	rep.start = leaks[0].start
	return rep
}

func vgStackName(s string) string {
	return vgAddressRE.ReplaceAllString(s, "")
}

func sameFirstFrame(a, b []Frame) bool {
	return len(a) > 0 && len(b) > 0 && a[0].File == b[0].File && a[0].Line == b[0].Line && a[0].Function == b[0].Function
}

// valgrindFrame reads what follows "at " or "by " in a Valgrind stack:
// "0x109145: get (segv.c:3)", "0x484417B: free (vg_replace_malloc.c:872)",
// "0x484C5D7: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)",
// "0x4005D6: main (in /tmp/a.out)".
func valgrindFrame(s string) (Frame, bool) {
	s, ok := cutHexPrefix(s)
	if !ok || !strings.HasPrefix(s, ":") {
		return Frame{}, false
	}
	s = strings.TrimSpace(s[1:])
	fn, file, module := s, "", ""
	line := 0
	if strings.HasSuffix(s, ")") {
		if k := strings.LastIndex(s, " ("); k >= 0 {
			loc := s[k+2 : len(s)-1]
			fn = s[:k]
			if m, ok := strings.CutPrefix(loc, "in "); ok {
				module = m
			} else if f, ln, _, ok := splitLocation(loc); ok {
				file, line = f, ln
			}
		}
	}
	fn = cleanFunction(fn)
	if fn == "" && file == "" && module == "" {
		return Frame{}, false
	}
	return nativeFrame(FormatValgrind, file, line, 0, fn, module), true
}
