package signal

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
)

// ipsDoc holds the fields read from the two JSON objects of an .ips crash
// report (macOS 12 and iOS 15 and later): the metadata line ("bug_type",
// "timestamp") and the report's body ("threads", "usedImages", ...). One
// struct reads either, so that a body pasted without its metadata line is
// read too.
type ipsDoc struct {
	BugType   json.RawMessage `json:"bug_type"`
	Timestamp string          `json:"timestamp"`
	// The body.
	ProcPath    string          `json:"procPath"`
	CaptureTime string          `json:"captureTime"`
	Exception   *ipsException   `json:"exception"`
	Termination *ipsTermination `json:"termination"`
	// ASI is the Application Specific Information: for each image, the
	// lines it wrote ("CoreFoundation": ["*** Terminating app due to
	// uncaught exception ..."]).
	ASI            map[string]json.RawMessage `json:"asi"`
	ExceptionNS    *ipsExceptionReason        `json:"exceptionReason"`
	FaultingThread *int                       `json:"faultingThread"`
	Threads        json.RawMessage            `json:"threads"`
	UsedImages     json.RawMessage            `json:"usedImages"`
	LastException  []ipsFrame                 `json:"lastExceptionBacktrace"`
}

type ipsException struct {
	Type    string `json:"type"`
	Signal  string `json:"signal"`
	Subtype string `json:"subtype"`
	Message string `json:"message"`
}

type ipsTermination struct {
	Namespace string          `json:"namespace"`
	Code      json.RawMessage `json:"code"`
	Indicator string          `json:"indicator"`
	Reasons   []string        `json:"reasons"`
}

// ipsExceptionReason is what newer reports say of an uncaught
// NSException.
type ipsExceptionReason struct {
	Name     string `json:"name"`
	Composed string `json:"composed_message"`
	Reason   string `json:"reason"`
}

type ipsThread struct {
	Triggered bool       `json:"triggered"`
	Name      string     `json:"name"`
	Queue     string     `json:"queue"`
	Frames    []ipsFrame `json:"frames"`
}

type ipsFrame struct {
	ImageIndex *int    `json:"imageIndex"`
	Symbol     string  `json:"symbol"`
	SourceFile string  `json:"sourceFile"`
	SourceLine flexInt `json:"sourceLine"`
	// ImageOffset is the frame's address less its image's base (its load
	// address, see appleFrame.offset), which every frame has.
	ImageOffset ipsOffset `json:"imageOffset"`
}

type ipsImage struct {
	Name string `json:"name"`
	Path string `json:"path"`
	UUID string `json:"uuid"` // the Mach-O UUID, "1A2B3C4D-5E6F-..."
}

// ipsOffset is an imageOffset: a JSON number that fits in 64 bits, else
// nothing (an odd value, as anything in a report may be, loses the
// offset and not the report).
type ipsOffset struct {
	v  uint64
	ok bool
}

func (o *ipsOffset) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseUint(string(b), 10, 64)
	*o = ipsOffset{v, err == nil}
	return nil
}

// body reports whether a decoded object is an .ips report's body:
// "threads" and "usedImages" are arrays (a Sentry event's threads are an
// object, its images under "debug_meta").
func (d *ipsDoc) body(afterHeader bool) bool {
	arr := func(r json.RawMessage) bool {
		r = bytes.TrimSpace(r)
		return len(r) > 0 && r[0] == '['
	}
	return arr(d.Threads) && (afterHeader || arr(d.UsedImages))
}

// parseIPS reads the JSON crash reports of macOS 12 and iOS 15 and later
// (.ips files): a metadata line holding "bug_type", then the report, whose
// "threads" and "usedImages" are arrays; or the report alone. A report
// cut short is read up to the cut (see ipsRepair) when it got as far as
// the crashed thread's frames or the Last Exception Backtrace. Anything
// else (a Sentry event, other JSON) gives nothing, so that Parse reads it
// as before.
func parseIPS(data []byte) []Signal {
	if !bytes.Contains(data, []byte(`"threads"`)) || !bytes.Contains(data, []byte(`"usedImages"`)) && !bytes.Contains(data, []byte(`"bug_type"`)) &&
		!bytes.Contains(data, []byte(`"faultingThread"`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var sigs []Signal
	var header *ipsDoc
	for len(sigs) < MaxSignals {
		var d ipsDoc
		start := dec.InputOffset()
		cut := false
		if err := dec.Decode(&d); err != nil {
			if err == io.EOF {
				break
			}
			// A report cut short (posted .ips files often are: a
			// comment's size limit) or damaged: read it up to there.
			fixed, ok := ipsRepair(data[start:])
			d = ipsDoc{}
			if !ok || json.Unmarshal(fixed, &d) != nil {
				break
			}
			cut = true
		}
		switch {
		case d.body(header != nil) || cut && d.cutBody():
			if s, ok := d.signal(header, cut); ok {
				sigs = append(sigs, s)
			}
			header = nil
		case len(d.BugType) > 0 && len(d.Threads) == 0:
			h := d
			header = &h
		default:
			return sigs
		}
		if cut {
			break
		}
	}
	return sigs
}

// cutBody reports whether a report cut short is an .ips report's body
// read up to its threads: "threads" is an array and the report says
// which thread crashed, a key of .ips reports alone.
func (d *ipsDoc) cutBody() bool {
	r := bytes.TrimSpace(d.Threads)
	return len(r) > 0 && r[0] == '[' && d.FaultingThread != nil
}

// signal turns the report into a signal, as the text form of the same
// report reads (see parseAppleReports).
func (d *ipsDoc) signal(header *ipsDoc, cut bool) (Signal, bool) {
	var threads []ipsThread
	var images []ipsImage
	if json.Unmarshal(d.Threads, &threads) != nil {
		return Signal{}, false
	}
	if len(d.UsedImages) > 0 {
		_ = json.Unmarshal(d.UsedImages, &images)
	}
	c := &appleCrash{crashed: -1, appPath: d.ProcPath}
	if c.appPath == "" && len(images) > 0 {
		c.appPath = images[0].Path
	}
	if e := d.Exception; e != nil {
		c.excType, c.excSignal, c.subtype, c.message = e.Type, e.Signal, e.Subtype, e.Message
	}
	if t := d.Termination; t != nil {
		c.termNS = t.Namespace
		code := strings.Trim(string(t.Code), `"`)
		c.term = strings.TrimSpace("Namespace " + t.Namespace + ", Code " + code + " " + t.Indicator)
		c.asi = append(c.asi, t.Reasons...)
	}
	for _, k := range slices.Sorted(maps.Keys(d.ASI)) {
		var lines []string
		if json.Unmarshal(d.ASI[k], &lines) != nil {
			var one string
			if json.Unmarshal(d.ASI[k], &one) != nil {
				continue
			}
			lines = []string{one}
		}
		for _, l := range lines {
			c.readASI(l)
		}
	}
	if r := d.ExceptionNS; r != nil && r.Name != "" && c.nsName == "" {
		c.nsName, c.nsReason = r.Name, r.Composed
		if c.nsReason == "" {
			c.nsReason = r.Reason
		}
	}
	if d.FaultingThread != nil {
		c.crashed = *d.FaultingThread
	}
	frames := func(in []ipsFrame) []appleFrame {
		var out []appleFrame
		for _, f := range in {
			if len(out) >= MaxFrames {
				break
			}
			af := appleFrame{symbol: f.Symbol, file: f.SourceFile, line: max(int(f.SourceLine), 0)}
			if af.file == "" {
				af.line = 0
			}
			if f.ImageIndex != nil && *f.ImageIndex >= 0 && *f.ImageIndex < len(images) {
				im := images[*f.ImageIndex]
				af.module, af.path = im.Name, im.Path
				if af.module == "" && im.Path != "" {
					af.module = path.Base(im.Path)
				}
				af.uuid, af.offset, af.hasOffset = im.UUID, f.ImageOffset.v, f.ImageOffset.ok
			}
			out = append(out, af)
		}
		return out
	}
	c.leb = frames(d.LastException)
	for k, t := range threads {
		name := t.Name
		if t.Queue != "" {
			name = "Dispatch queue: " + t.Queue
		}
		c.threads = append(c.threads, appleThread{num: k, name: name, crashed: t.Triggered, frames: frames(t.Frames)})
	}
	if cut {
		// Without the crashed thread's frames, another thread would
		// pass for the crash: keep only the Last Exception Backtrace.
		crashed := slices.IndexFunc(c.threads, func(t appleThread) bool { return t.crashed || t.num == c.crashed })
		if crashed < 0 || len(c.threads[crashed].frames) == 0 {
			c.threads = nil
		}
		c.cut, c.noImages = true, len(images) == 0
	}
	c.time = appleTime(d.CaptureTime)
	if c.time == nil && header != nil {
		c.time = appleTime(header.Timestamp)
	}
	r := c.report()
	if len(r.stacks) == 0 {
		return Signal{}, false
	}
	return r.signal(nil), true
}
