package signal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sentryEvent holds the fields read from both the ingest (snake_case) and
// the REST API (camelCase, entries[]) shapes. encoding/json matches keys
// case-insensitively, so lineno/lineNo and colno/colNo share fields.
type sentryEvent struct {
	EventID     string          `json:"event_id"`
	EventIDREST string          `json:"eventID"`
	Platform    string          `json:"platform"`
	Timestamp   json.RawMessage `json:"timestamp"`
	DateCreated json.RawMessage `json:"dateCreated"`
	Title       string          `json:"title"`
	Message     json.RawMessage `json:"message"`
	// Logentry is an SDK payload's log message (message events).
	Logentry json.RawMessage `json:"logentry"`
	Metadata *struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"metadata"`
	Exception  json.RawMessage `json:"exception"`
	Threads    json.RawMessage `json:"threads"`
	Stacktrace *sentryTrace    `json:"stacktrace"`
	// DebugMeta holds the images (executables and libraries) a native
	// event's instruction addresses lie in.
	DebugMeta json.RawMessage `json:"debug_meta"`
	Entries   []struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	} `json:"entries"`
}

type sentryException struct {
	Type       string       `json:"type"`
	Value      string       `json:"value"`
	Module     string       `json:"module"`
	Stacktrace *sentryTrace `json:"stacktrace"`
	// RawStacktrace is only used when Stacktrace is missing.
	RawStacktrace *sentryTrace `json:"raw_stacktrace"`
}

type sentryThread struct {
	Crashed    bool         `json:"crashed"`
	Current    bool         `json:"current"`
	Stacktrace *sentryTrace `json:"stacktrace"`
}

type sentryTrace struct {
	Frames []sentryFrame `json:"frames"`
	// InstructionAddrAdjustment says which frames' instruction_addr are
	// return addresses (see sentryAdjust); Registers the CPU context the
	// stack was walked from.
	InstructionAddrAdjustment      string                     `json:"instruction_addr_adjustment"`
	InstructionAddrAdjustmentCamel string                     `json:"instructionAddrAdjustment"`
	Registers                      map[string]json.RawMessage `json:"registers"`
}

type sentryFrame struct {
	Filename     string  `json:"filename"`
	AbsPath      string  `json:"abs_path"`
	AbsPathCamel string  `json:"absPath"`
	Lineno       flexInt `json:"lineno"`
	Colno        flexInt `json:"colno"`
	Function     string  `json:"function"`
	RawFunction  string  `json:"raw_function"`
	Module       string  `json:"module"`
	Package      string  `json:"package"`
	InApp        *bool   `json:"in_app"`
	InAppCamel   *bool   `json:"inApp"`
	Platform     string  `json:"platform"`
	// ContextLine, PreContext and PostContext are the source around the
	// frame's line that the SDK or Sentry read; the REST API gives them
	// as RESTContext, numbered lines ([[lineNo, text], ...]). All are read
	// leniently (withContext): a malformed one is left out, not the
	// event.
	ContextLine json.RawMessage `json:"context_line"`
	PreContext  json.RawMessage `json:"pre_context"`
	PostContext json.RawMessage `json:"post_context"`
	RESTContext json.RawMessage `json:"context"`
	// InstructionAddr is set on native frames; without a file and line
	// it is all an unsymbolicated frame has.
	InstructionAddr      string `json:"instruction_addr"`
	InstructionAddrCamel string `json:"instructionAddr"`
	// ImageAddr is the start of the frame's image, when the frame gives
	// it; AddrMode "rel:N" makes InstructionAddr relative to the Nth
	// image of debug_meta ("abs", the default, absolute).
	ImageAddr      string `json:"image_addr"`
	ImageAddrCamel string `json:"imageAddr"`
	AddrMode       string `json:"addr_mode"`
	AddrModeCamel  string `json:"addrMode"`
}

// unsymbolicated reports a native frame that has an instruction address
// and nothing else: no function, file or line.
func (sf sentryFrame) unsymbolicated() bool {
	return (sf.InstructionAddr != "" || sf.InstructionAddrCamel != "") && sf.Filename == "" && sf.AbsPath == "" &&
		sf.AbsPathCamel == "" && sf.Lineno <= 0 &&
		(sf.Function == "" || sf.Function == "<unknown>") && sf.RawFunction == ""
}

// unsymbolicatedNote says how many of a stack's frames are only
// addresses, or nothing when none is. When some of them lie in an ELF
// image of the event's debug_meta (and so have a module and an offset),
// analyze --symbols can read them with the debug files here.
func unsymbolicatedNote(st *sentryTrace, ims sentryImages) string {
	if st == nil {
		return ""
	}
	n, placed := 0, 0
	for _, sf := range st.Frames {
		if sf.unsymbolicated() {
			n++
			if _, _, _, ok := ims.frameAt(sf); ok {
				placed++
			}
		}
	}
	if n == 0 {
		return ""
	}
	if placed > 0 {
		return fmt.Sprintf("%d of %d frames are unsymbolicated (only instruction addresses): upload debug files to Sentry, or give them here with --symbols, so frames carry file and line", n, len(st.Frames))
	}
	return fmt.Sprintf("%d of %d frames are unsymbolicated (only instruction addresses): upload debug files to Sentry so frames carry file and line", n, len(st.Frames))
}

// flexInt accepts a JSON number, a numeric string or null.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f > math.MaxInt32 || f < math.MinInt32 {
		return nil
	}
	*n = flexInt(f)
	return nil
}

// errNotSentry reports JSON that holds no event with a stack trace.
var errNotSentry = errors.New("not a Sentry event")

// parseSentry reads one event, a JSON array of events, or a stream of
// events (one per line). Events without any frames are still signals when
// they have an exception type or title.
func parseSentry(data []byte) ([]Signal, error) {
	var raws []json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(raws) == 0 {
				return nil, err
			}
			break // a truncated last line: keep what was read
		}
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '[' {
			var arr []json.RawMessage
			if err := json.Unmarshal(v, &arr); err != nil {
				return nil, err
			}
			raws = append(raws, arr...)
		} else {
			raws = append(raws, v)
		}
		if len(raws) > MaxSignals {
			break
		}
	}
	var sigs []Signal
	for _, r := range raws {
		var ev sentryEvent
		if err := json.Unmarshal(r, &ev); err != nil {
			continue
		}
		if s, ok := sentrySignal(&ev); ok {
			sigs = append(sigs, s)
		} else if ms := messageSignals(&ev); len(ms) > 0 {
			sigs = append(sigs, ms...)
		} else if s, ok := messageOnly(&ev); ok {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return nil, errNotSentry
	}
	return sigs, nil
}

func sentrySignal(ev *sentryEvent) (Signal, bool) {
	var values []sentryException
	var threads []sentryThread
	var top *sentryTrace = ev.Stacktrace
	readValues := func(raw json.RawMessage) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			return
		}
		if raw[0] == '[' {
			_ = json.Unmarshal(raw, &values)
			return
		}
		var w struct {
			Values []sentryException `json:"values"`
		}
		if json.Unmarshal(raw, &w) == nil {
			values = w.Values
		}
	}
	readThreads := func(raw json.RawMessage) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			return
		}
		var w struct {
			Values []sentryThread `json:"values"`
		}
		if json.Unmarshal(raw, &w) == nil {
			threads = w.Values
		}
	}
	readValues(ev.Exception)
	readThreads(ev.Threads)
	metas := []json.RawMessage{ev.DebugMeta}
	for _, e := range ev.Entries {
		switch e.Type {
		case "debugmeta":
			metas = append(metas, e.Data)
		case "exception":
			readValues(e.Data)
		case "threads":
			readThreads(e.Data)
		case "stacktrace":
			var st sentryTrace
			if json.Unmarshal(e.Data, &st) == nil {
				top = &st
			}
		}
	}
	platform := ev.Platform
	ims := readImages(metas...)
	var notes []string
	note := func(st *sentryTrace) {
		if n := unsymbolicatedNote(st, ims); n != "" {
			notes = append(notes, n)
		}
	}
	// Values are listed oldest (root cause) first; each trace crash last.
	var chain []exception
	for _, v := range values {
		st := v.Stacktrace
		if st == nil || len(st.Frames) == 0 {
			st = v.RawStacktrace
		}
		note(st)
		chain = append(chain, exception{typ: v.Type, msg: nativeValue(platform, v.Value), frames: sentryFrames(st, platform, ims)})
	}
	if framesIn(chain) == 0 {
		var st *sentryTrace
		for _, want := range []func(sentryThread) bool{
			func(t sentryThread) bool { return t.Crashed },
			func(t sentryThread) bool { return t.Current },
			func(t sentryThread) bool { return true },
		} {
			for _, t := range threads {
				if st == nil && want(t) && t.Stacktrace != nil && len(t.Stacktrace.Frames) > 0 {
					st = t.Stacktrace
				}
			}
		}
		if st == nil {
			st = top
		}
		if len(notes) == 0 {
			note(st)
		}
		if fr := sentryFrames(st, platform, ims); len(fr) > 0 {
			chain = append(chain, exception{frames: fr})
		}
	}
	if sentryFormat(platform) == "native" && framesIn(chain) == 0 {
		// An abort message without a stack (an event made from a log
		// line): the assertion's location is its one frame, as in a
		// pasted report.
		for i, v := range values {
			if m, ok := assertion(strings.TrimSpace(v.Value)); ok && m.frame != nil {
				chain[i].frames = []Frame{*m.frame}
			}
		}
	}
	var outer exception
	if len(values) > 0 {
		last := values[len(values)-1]
		outer = exception{typ: last.Type, msg: nativeValue(platform, last.Value)}
	}
	native := sentryFormat(platform) == "native" && len(chain) > 1 && len(chain) == len(values)
	if native {
		// A native report's values are its stacks, not a chain of
		// exceptions: the crash stack (the last value, unless that one
		// says it is where memory was freed or allocated, a thread
		// created, ...) comes first, as in the pasted report, and the
		// others follow as further stacks.
		crash := len(chain) - 1
		for crash > 0 && auxStack(chain[crash]) {
			crash--
		}
		if auxStack(chain[crash]) {
			crash = len(chain) - 1
		}
		c := chain[crash]
		outer = exception{typ: c.typ, msg: c.msg}
		ordered := append([]exception{c}, chain[:crash]...)
		chain = append(ordered, chain[crash+1:]...)
		for i := range chain {
			for j := range chain[i].frames {
				chain[i].frames[j].Stack = i
			}
		}
	}
	if ev.Metadata != nil && outer.typ == "" && outer.msg == "" {
		outer = exception{typ: ev.Metadata.Type, msg: ev.Metadata.Value}
	}
	if outer.typ == "" && outer.msg == "" {
		outer.msg = ev.Title
		if outer.msg == "" {
			outer.msg = sentryMessage(ev.Message)
		}
	}
	hasFrames := false
	for _, e := range chain {
		hasFrames = hasFrames || len(e.frames) > 0
	}
	if !hasFrames && outer.typ == "" && (len(notes) == 0 || outer.msg == "") {
		return Signal{}, false
	}
	s := assemble(FormatSentry, chain, outer)
	if native {
		for _, e := range chain {
			s.Stacks = append(s.Stacks, e.title())
		}
	}
	if sentryFormat(platform) == "native" {
		s.Symptoms = dropNoise(s.Symptoms, reportNoise)
	}
	s.Notes = notes
	if ev.Title != "" {
		s.Title = ev.Title
	}
	s.Timestamp = ev.time()
	return s, true
}

// messageSignals reads the signals in the log message of an event that has
// no exception or stack of its own: a logging integration sends a pasted
// traceback or a failed assertion's line as the event's message, which
// reads as the same text pasted into a file would (the event's time kept).
func messageSignals(ev *sentryEvent) []Signal {
	var texts []string
	add := func(raw json.RawMessage) {
		if t := sentryMessage(raw); strings.TrimSpace(t) != "" {
			texts = append(texts, t)
		}
	}
	add(ev.Logentry)
	for _, e := range ev.Entries {
		if e.Type == "message" {
			add(e.Data)
		}
	}
	add(ev.Message)
	for _, t := range texts {
		sigs := parseText([]byte(t))
		if len(sigs) == 0 {
			continue
		}
		ts := ev.time()
		for i := range sigs {
			if sigs[i].Timestamp == nil {
				sigs[i].Timestamp = ts
			}
		}
		return sigs
	}
	return nil
}

// messageOnly is the signal of an event that carries a message and no
// stack (a logged error): there is nothing to correlate, but it is a
// Sentry event, reported as a signal without frames rather than as no
// signal at all. Only JSON that names its event id counts, so other JSON
// with a "message" field is not taken for an event.
func messageOnly(ev *sentryEvent) (Signal, bool) {
	if ev.EventID == "" && ev.EventIDREST == "" {
		return Signal{}, false
	}
	msg := ev.Title
	if msg == "" {
		msg = sentryMessage(ev.Logentry)
	}
	if msg == "" {
		for _, e := range ev.Entries {
			if e.Type == "message" && msg == "" {
				msg = sentryMessage(e.Data)
			}
		}
	}
	if msg == "" {
		msg = sentryMessage(ev.Message)
	}
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return Signal{}, false
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	s := assemble(FormatSentry, nil, exception{msg: msg})
	s.Timestamp = ev.time()
	return s, true
}

func framesIn(chain []exception) int {
	n := 0
	for _, e := range chain {
		n += len(e.frames)
	}
	return n
}

// auxRE matches the names native reports give the stacks that are not the
// crash's: where the memory was freed or allocated (AddressSanitizer,
// Valgrind), the other access of a race and where its threads were
// created (ThreadSanitizer), where an uninitialized value came from
// (MemorySanitizer, Valgrind), the frame whose stack variable was
// overflowed (AddressSanitizer: "located in stack of thread T0 at offset
// 40 in frame"), the threads and locks of a race or a lock order
// inversion (Helgrind: "Thread #3 was created", "followed by a later
// acquisition of lock at", "Required order was established by", "Lock at
// 0x.. was first observed"; ThreadSanitizer: "Mutex M0 acquired here while
// holding mutex M1").
var auxRE = regexp.MustCompile(`(?i)\b(?:freed by|free'd|(?:previously )?allocated by|alloc'd|created by|created at|was created|previous (?:read|write|atomic)|location is|located in stack|value was stored|originat|later acquisition|order was established|first observed|acquired here while holding)`)

// auxStack reports whether a native event's value names a stack other than
// the crash's.
func auxStack(e exception) bool {
	return auxRE.MatchString(e.typ + " " + e.msg)
}

// reportNoise are the words a native crash report carries whatever
// crashed, when it reaches Sentry as an event: the report parsers' own
// noise, since an exception's value is often the report's first line.
var reportNoise = func() map[string]bool {
	m := map[string]bool{}
	for _, set := range []map[string]bool{kernelNoise, debuggerNoise, anonymousNoise} {
		for w := range set {
			m[w] = true
		}
	}
	return m
}()

// nativeValue is a native event's exception value as the report parsers
// read the same line in a pasted report, so that both give the same
// symptoms: a failed assertion loses the program's name and the function's
// signature, a kernel headline its offsets and task, a sanitizer's its
// registers; the banners naming a build or a task ("----[ Xen-4.20 ...",
// "CPU: 1 PID: 2 Comm: ...") are no symptom.
func nativeValue(platform, v string) string {
	if sentryFormat(platform) != "native" {
		return v
	}
	t := strings.TrimSpace(v)
	if m, ok := assertion(t); ok {
		return m.title
	}
	switch {
	case isKernelHeader(t):
		return kernelTitle(t) + "\n" + kernelText(t)
	case strings.HasPrefix(t, "----[ Xen-") || strings.HasPrefix(t, "CPU: "):
		return ""
	case strings.Contains(t, "Sanitizer: "):
		return sanitizerKind(t)
	}
	return v
}

// sentryMessage reads "message" as a string or {"formatted": ...}.
func sentryMessage(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m struct {
		Formatted string `json:"formatted"`
		Message   string `json:"message"`
	}
	if json.Unmarshal(raw, &m) == nil {
		if m.Formatted != "" {
			return m.Formatted
		}
		return m.Message
	}
	return ""
}

// time is the event's timestamp, else its creation date (REST shape).
func (ev *sentryEvent) time() *time.Time {
	if t := sentryTime(ev.Timestamp); t != nil {
		return t
	}
	return sentryTime(ev.DateCreated)
}

// sentryTime reads an RFC 3339 string or a unix time in seconds (a float).
func sentryTime(raw json.RawMessage) *time.Time {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
			if t, err := time.Parse(layout, s); err == nil {
				t = t.UTC()
				return &t
			}
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return unixTime(f)
		}
		return nil
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return unixTime(f)
	}
	return nil
}

func unixTime(f float64) *time.Time {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return nil
	}
	sec, frac := math.Modf(f)
	t := time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC()
	return &t
}

// sentryFrames converts frames (crash last) to ours (crash first). An
// unsymbolicated native frame within an ELF image of the event's
// debug_meta (ims) gets the image's file as its module, its address
// within the image as its offset, and the image's build ID, so that
// analyze --symbols can read it.
func sentryFrames(st *sentryTrace, platform string, ims sentryImages) []Frame {
	if st == nil {
		return nil
	}
	var innermost uint64
	var haveInnermost bool
	if n := len(st.Frames); n > 0 {
		raw := st.Frames[n-1].InstructionAddr
		if raw == "" {
			raw = st.Frames[n-1].InstructionAddrCamel
		}
		innermost, haveInnermost = parseHexOffset(strings.TrimSpace(raw))
		if m := st.Frames[n-1].AddrMode + st.Frames[n-1].AddrModeCamel; strings.HasPrefix(strings.TrimSpace(m), "rel:") {
			haveInnermost = false // not comparable with the registers' absolute address
		}
	}
	adjust := sentryAdjust(st, innermost, haveInnermost)
	var out []Frame
	for i := len(st.Frames) - 1; i >= 0 && len(out) < MaxFrames; i-- {
		sf := st.Frames[i]
		p := sf.Platform
		if p == "" {
			p = platform
		}
		f := Frame{
			File:     sentryPath(sf, p),
			Line:     int(sf.Lineno),
			Column:   int(sf.Colno),
			Function: sf.Function,
			Module:   sf.Module,
		}
		if f.Line < 0 {
			f.Line = 0 // -2 marks a native JVM frame
		}
		f = sf.withContext(f)
		if f.Function == "" {
			f.Function = sf.RawFunction
		}
		if f.Function == "<unknown>" {
			f.Function = ""
		}
		if sf.unsymbolicated() {
			if module, off, id, ok := ims.frameAt(sf); ok {
				f.Module, f.Offset, f.BuildID = module, off, id
				f.AddrKind = AddrExact
				if adjust(len(st.Frames) - 1 - i) {
					f.AddrKind = AddrReturn
				}
			}
		}
		if sentryFormat(p) == "native" {
			f.Function = kernelSymbol(f.Function)
		}
		if f.Function == "" && f.Line == 0 && f.File == "<asynchronous suspension>" {
			continue // the Dart SDK's mark of an await (with no platform), no frame
		}
		if sentryFormat(p) == FormatDart {
			// abs_path is the library's URI (package:shop/models/cart.dart),
			// read as a pasted trace's; package names the frame's package.
			f.File, f.Module = dartSentryLocation(f.File, f.Module, sf.Package)
		}
		if sentryFormat(p) == FormatElixir {
			f.Module = strings.TrimPrefix(f.Module, "Elixir.") // an Elixir module's atom, as the SDK may send it
		}
		if f.File == "" && f.Function == "" && f.Module == "" {
			continue
		}
		switch {
		case sf.InApp != nil:
			f.InApp = *sf.InApp
		case sf.InAppCamel != nil:
			f.InApp = *sf.InAppCamel
		default:
			f.InApp = IsInApp(sentryFormat(p), f.File, f.Function, f.Module)
		}
		if sentryFormat(p) == "native" && f.Function != "" {
			switch {
			case isMachinery(f.Function):
				// A native report's machinery (panic, die, the fault
				// handlers, the allocator) is not where the bug is,
				// whoever marked it: the same rule as for the pasted
				// report.
				f.InApp = false
			case f.File == "" && sf.Package == "":
				// A bare function name (a kernel's call trace, with
				// or without its module) is judged as in a pasted
				// report: the analysis maps it to the repository's
				// definition of that function, if there is one, and
				// leaves it out otherwise.
				f.InApp = true
			}
		}
		out = append(out, f)
	}
	return out
}

// withContext returns f with the source lines the frame quotes around its
// line: context_line with pre_context and post_context, or else the REST
// API's numbered context, of which the lines numbered without a gap
// around the frame's own are kept. Anything else in those fields is
// ignored.
func (sf sentryFrame) withContext(f Frame) Frame {
	if f.Line <= 0 {
		return f
	}
	var line string
	if json.Unmarshal(sf.ContextLine, &line) == nil && strings.TrimSpace(line) != "" {
		return f.WithContext(jsonStrings(sf.PreContext), line, jsonStrings(sf.PostContext))
	}
	var pairs []json.RawMessage
	if json.Unmarshal(sf.RESTContext, &pairs) != nil || len(pairs) > 1000 {
		return f
	}
	numbered := map[int]string{}
	for _, p := range pairs {
		var pair []json.RawMessage
		var n int
		var text string
		if json.Unmarshal(p, &pair) != nil || len(pair) != 2 || json.Unmarshal(pair[0], &n) != nil || json.Unmarshal(pair[1], &text) != nil {
			continue
		}
		numbered[n] = text
	}
	line, ok := numbered[f.Line]
	if !ok {
		return f
	}
	// The run of numbered lines without a gap around the frame's.
	lo, hi := f.Line, f.Line
	for _, ok := numbered[lo-1]; ok && f.Line-lo < MaxContext; _, ok = numbered[lo-1] {
		lo--
	}
	for _, ok := numbered[hi+1]; ok && hi-f.Line < MaxContext; _, ok = numbered[hi+1] {
		hi++
	}
	var pre, post []string
	for n := lo; n < f.Line; n++ {
		pre = append(pre, numbered[n])
	}
	for n := f.Line + 1; n <= hi; n++ {
		post = append(post, numbered[n])
	}
	return f.WithContext(pre, line, post)
}

// jsonStrings reads a JSON array of strings, leaving out what is not a
// string; anything else reads as none.
func jsonStrings(raw json.RawMessage) []string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil || len(items) > 1000 {
		return nil
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		var s string
		if json.Unmarshal(it, &s) != nil {
			s = "" // a null or a number: a line not known
		}
		out = append(out, s)
	}
	return out
}

// kernelSymbol drops what a kernel trace appends to a function, should the
// event's converter have left it in ("mt7921_irq_tasklet+0x54/0x1d8
// [mt7921e]"), so the frame reads as the pasted report's does.
func kernelSymbol(fn string) string {
	loc := kernelOffRE.FindStringIndex(fn)
	if loc == nil || loc[0] == 0 {
		return fn
	}
	rest := strings.TrimSpace(fn[loc[1]:])
	if rest != "" && !(strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]")) {
		return fn
	}
	return fn[:loc[0]]
}

// sentryPath picks the most specific path of a frame: abs_path (without a
// URL's scheme and host), else filename; JVM frames whose filename is a
// bare "Foo.java" get their package's directories from the module.
func sentryPath(sf sentryFrame, platform string) string {
	p := sf.AbsPath
	if p == "" {
		p = sf.AbsPathCamel
	}
	if p == "" {
		p = sf.Filename
	}
	if i := strings.Index(p, "://"); i > 0 && !strings.ContainsAny(p[:i], "/\\") {
		if u, err := url.Parse(p); err == nil {
			p = u.Path
		} else {
			p = p[i+3:]
			if j := strings.IndexByte(p, '/'); j >= 0 {
				p = p[j:]
			}
		}
	}
	p = strings.TrimPrefix(p, "/./") // webpack:///./src/x.js: relative to the project
	if sentryFormat(platform) == FormatJava && p != "" && !strings.ContainsAny(p, `/\`) && sf.Module != "" {
		if d := strings.LastIndexByte(sf.Module, '.'); d > 0 {
			p = strings.ReplaceAll(sf.Module[:d], ".", "/") + "/" + p
		}
	}
	return p
}

// sentryFormat maps a Sentry platform to the in-app rules of a Format.
func sentryFormat(platform string) string {
	switch platform {
	case "go":
		return FormatGo
	case "python":
		return FormatPython
	case "java", "kotlin", "scala", "groovy", "clojure", "android":
		return FormatJava
	case "javascript", "node", "javascript-node":
		return FormatJavaScript
	case "ruby":
		return FormatRuby
	case "csharp", "dotnet":
		return FormatDotNet
	case "rust":
		return FormatRust
	case "dart", "flutter":
		return FormatDart
	case "php":
		return FormatPHP
	case "perl":
		return FormatPerl
	case "elixir", "erlang":
		return FormatElixir
	case "native", "c", "cpp", "objc", "cocoa":
		return "native"
	}
	return platform
}
