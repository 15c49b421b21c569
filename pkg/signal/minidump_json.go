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
	Threads []mdJSONThread `json:"threads"`
	// SystemInfo and Modules are read apart (see buildIDs), so that what
	// they hold never keeps the report from being read.
	SystemInfo     json.RawMessage `json:"system_info"`
	Modules        json.RawMessage `json:"modules"`
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
	// ModuleOffset is the frame's address less its module's base
	// ("0x000000000004fb2c"), which the JSON gives with or without
	// symbols; read apart, as SystemInfo.
	ModuleOffset json.RawMessage `json:"module_offset"`
	Inlines      []struct {
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
	ids := d.buildIDs()
	for k, t := range threads {
		// Named as the text report names the thread: "Thread 0 main
		// (crashed)".
		name := strings.TrimSpace("Thread " + strconv.Itoa(k) + " " + strings.TrimSpace(t.Name))
		if k == r.crashed && r.reason != "" {
			name += " (crashed)"
		}
		th := &mdThread{num: k, name: name}
		for _, f := range t.Frames {
			// The functions inlined at the frame's address share its
			// offset.
			var off string
			_ = json.Unmarshal(f.ModuleOffset, &off)
			id := ids[strings.TrimSpace(f.Module)]
			for _, in := range f.Inlines {
				th.add(mdJSONOffset(mdJSONNativeFrame(in.File, in.Line, in.Function, f.Module), off, id))
			}
			th.add(mdJSONOffset(mdJSONNativeFrame(f.File, f.Line, f.Function, f.Module), off, id))
		}
		r.threads = append(r.threads, th)
	}
	rep, ok := r.report()
	if !ok {
		return Signal{}, false
	}
	return rep.signal(nil), true
}

// mdJSONOffset gives a frame of a JSON report its module_offset, and its
// module's build ID.
func mdJSONOffset(f Frame, off, buildID string) Frame {
	if v, ok := parseHexOffset(strings.TrimSpace(off)); ok {
		return atModuleOffset(f, v, buildID)
	}
	if buildID != "" {
		return atModuleOffset(f, 0, buildID)
	}
	return f
}

// buildIDs maps the modules of a Linux or Android dump (by filename, the
// name frames give them) to their GNU build IDs: rust-minidump's code_id
// of an ELF module is its build ID in hexadecimal, whole, while its
// debug_id is Breakpad's, the build ID's first 16 bytes turned into a
// GUID (byte-swapped) and an age. The code_id of a Windows module is its
// PE timestamp and size, of a macOS one the UUID as a GUID: neither is a
// build ID, and frames of those keep none.
func (d *mdJSON) buildIDs() map[string]string {
	var sys struct {
		OS any `json:"os"`
	}
	_ = json.Unmarshal(d.SystemInfo, &sys)
	if name, _ := sys.OS.(string); name != "Linux" && name != "Android" {
		return nil
	}
	var mods []struct {
		Filename any `json:"filename"`
		CodeID   any `json:"code_id"`
	}
	_ = json.Unmarshal(d.Modules, &mods)
	ids := map[string]string{}
	for _, m := range mods {
		name, _ := m.Filename.(string)
		id, _ := m.CodeID.(string)
		if name = strings.TrimSpace(name); name != "" && normalBuildID(id) != "" {
			ids[name] = id
		}
	}
	return ids
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
