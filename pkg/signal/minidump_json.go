package signal

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// mdJSON is the JSON report of rust-minidump's minidump-stackwalk (its
// --json output, and minidump-processor's; Mozilla's minidump-stackwalk
// wrote the same shape). Every field may be null or absent.
type mdJSON struct {
	CrashInfo *struct {
		Type            string `json:"type"`
		Address         string `json:"address"`
		AdjustedAddress string `json:"adjusted_address"`
		Assertion       string `json:"assertion"`
	} `json:"crash_info"`
	Threads        []mdJSONThread `json:"threads"`
	CrashingThread *struct {
		mdJSONThread
		ThreadsIndex *int `json:"threads_index"`
		ThreadIndex  *int `json:"thread_index"` // before rust-minidump 0.9.6
	} `json:"crashing_thread"`
}

type mdJSONThread struct {
	Name   string        `json:"thread_name"`
	Frames []mdJSONFrame `json:"frames"`
}

type mdJSONFrame struct {
	Module   string `json:"module"`
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Inlines  []struct {
		Function string `json:"function"`
		File     string `json:"file"`
		Line     int    `json:"line"`
	} `json:"inlines"`
}

// parseMinidumpJSON reads minidump-stackwalk's JSON reports (one, or
// several one after another), each as the text report of the same dump
// reads: the crash reason and address its title, the crashing thread's
// stack first, an inlined function's frame before the frame it was
// inlined into, file paths of a source server reduced to the path in the
// repository.
func parseMinidumpJSON(data []byte) []Signal {
	if !bytes.Contains(data, []byte(`"crash_info"`)) || !bytes.Contains(data, []byte(`"frames"`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var sigs []Signal
	for len(sigs) < MaxSignals {
		var d mdJSON
		if err := dec.Decode(&d); err != nil {
			if err != io.EOF && len(sigs) == 0 {
				return nil
			}
			break
		}
		if d.CrashInfo == nil {
			return sigs
		}
		if s, ok := d.signal(); ok {
			sigs = append(sigs, s)
		}
	}
	return sigs
}

// signal builds the report's signal through the text reader's mdReport,
// so both forms of one dump give the same title, stacks and notes.
func (d *mdJSON) signal() (Signal, bool) {
	r := &mdReport{crashed: -1, headed: true}
	r.reason = strings.TrimSpace(d.CrashInfo.Type)
	addr := d.CrashInfo.AdjustedAddress
	if addr == "" {
		addr = d.CrashInfo.Address
	}
	r.address = minidumpAddress(addr)
	r.assertion = strings.TrimSpace(d.CrashInfo.Assertion)
	threads := d.Threads
	if c := d.CrashingThread; c != nil {
		idx := c.ThreadsIndex
		if idx == nil {
			idx = c.ThreadIndex
		}
		switch {
		case idx != nil && *idx >= 0 && *idx < len(threads):
			r.crashed = *idx
		case len(c.Frames) > 0:
			// The crashing thread alone, without the list of threads.
			threads = append([]mdJSONThread{c.mdJSONThread}, threads...)
			r.crashed = 0
		}
	}
	for k, t := range threads {
		// Named as the text report names the thread: "Thread 0 main
		// (crashed)".
		name := strings.TrimSpace("Thread " + strconv.Itoa(k) + " " + strings.TrimSpace(t.Name))
		if k == r.crashed && r.reason != "" {
			name += " (crashed)"
		}
		th := &mdThread{num: k, name: name}
		for _, f := range t.Frames {
			for _, in := range f.Inlines {
				th.add(mdJSONNativeFrame(in.File, in.Line, in.Function, f.Module))
			}
			th.add(mdJSONNativeFrame(f.File, f.Line, f.Function, f.Module))
		}
		r.threads = append(r.threads, th)
	}
	rep, ok := r.report()
	if !ok {
		return Signal{}, false
	}
	return rep.signal(nil), true
}

// mdJSONNativeFrame builds a frame of a JSON report as minidumpFrame
// builds one of the text report: a placeholder name ("<unknown in
// textinputframework.dll>") is no function.
func mdJSONNativeFrame(file string, line int, function, module string) Frame {
	if file != "" {
		file = sourceServerPath(strings.TrimSpace(file))
	}
	if file == "" || line < 0 {
		line = 0
	}
	function = strings.TrimSpace(function)
	if placeholderName(function) {
		function = ""
	}
	return minidumpNativeFrame(file, line, cleanFunction(msvcName(function)), strings.TrimSpace(module))
}
