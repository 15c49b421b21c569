package analyze

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/retrace"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// This file retraces Java and Android signals obfuscated by R8 or
// ProGuard with the --proguard-mapping files: a trace's text before it is
// parsed (so the Java parser reads the original frames), a Sentry event's
// frames after. A signal whose frames look obfuscated gets a note saying
// what to do.

// maxRetraceNotes is the most notes of ambiguous frames a signal gets.
const maxRetraceNotes = 3

// suggestMapping is the note of an obfuscated signal analyzed without a
// mapping.
const suggestMapping = "its frames look obfuscated by R8 or ProGuard (classes like a.b.c, \"SourceFile\" for the file): give the build's mapping.txt with --proguard-mapping so they can be matched to the code"

// loadMappings reads every --proguard-mapping file into o.mappings.
func loadMappings(o *Options) error {
	for _, p := range o.ProguardMappings {
		if strings.TrimSpace(p) == "" {
			return cmdutil.UsageErrorf("empty --proguard-mapping: give the mapping.txt R8 or ProGuard wrote")
		}
		m, err := retrace.Load(p)
		if err != nil {
			return cmdutil.UsageErrorf("reading --proguard-mapping %s: %v", p, err)
		}
		if m.Classes == 0 {
			return cmdutil.UsageErrorf("reading --proguard-mapping %s: it maps no class: give the mapping.txt R8 or ProGuard wrote", p)
		}
		if m.Malformed > 0 {
			o.Factory.IO.Infof("note: --proguard-mapping %s: %d %s that read as no mapping line skipped\n", p, m.Malformed, render.Plural(m.Malformed, "line", "lines"))
		}
		o.mappings = append(o.mappings, m)
	}
	return nil
}

// textRetrace is what retracing one --signal file's text did, to note on
// its signals once they are parsed.
type textRetrace struct {
	set   retrace.Set
	st    retrace.TextStats
	event bool   // the file is JSON: a Sentry event, retraced frame by frame
	data  []byte // the event's JSON, for its platform
}

// retraceText retraces a --signal file's text with the mappings; JSON (a
// Sentry event) is left to finish.
func retraceText(o *Options, data []byte) ([]byte, *textRetrace) {
	rt := &textRetrace{set: o.mappings}
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(t) > 0 && (t[0] == '{' || t[0] == '[' && json.Valid(t)) {
		rt.event, rt.data = true, t
		return data, rt
	}
	out, st := rt.set.Text(data)
	rt.st = st
	return out, rt
}

// explain adds to a parse error that the text's frames looked obfuscated.
func (rt *textRetrace) explain(err error) error {
	if err == nil || rt.event || rt.st.Obfuscated == 0 {
		return err
	}
	if len(rt.set) == 0 {
		return fmt.Errorf("%w (%s)", err, strings.Replace(suggestMapping, "its frames", "the text's frames", 1))
	}
	if rt.st.Retraced == 0 {
		return fmt.Errorf("%w (the text's frames look obfuscated, and no --proguard-mapping names their classes)", err)
	}
	return err
}

// finish retraces the Sentry events' frames of a --signal file and notes
// what retracing did, or that it is needed, on its signals.
func (rt *textRetrace) finish(sigs []signal.Signal) {
	platform := ""
	if rt.event {
		platform = eventPlatform(rt.data)
	}
	for i := range sigs {
		s := &sigs[i]
		if s.Format == signal.FormatSentry {
			retraceSignal(rt.set, s, platform)
			continue
		}
		var obf bool
		switch s.Format {
		case signal.FormatJava, signal.FormatANR:
			obf = rt.st.Obfuscated > 0 || obfuscatedFrames(s) > 0
		case signal.FormatDotNet:
			// Obfuscated JVM frames ("at a.b.c.a(SourceFile:12)") the
			// Java parser does not take read as .NET's.
			obf = rt.st.Obfuscated > 0
		default:
			continue
		}
		switch {
		case !obf:
		case len(rt.set) == 0:
			s.Notes = append(s.Notes, suggestMapping)
		case rt.st.Retraced == 0:
			s.Notes = append(s.Notes, noneRetraced(rt.set))
		}
		s.Notes = append(s.Notes, capNotes(rt.st.Notes)...)
	}
}

// retracePulled retraces the frames of the events pulled from Sentry.
func retracePulled(o *Options, issues []*sentryIssue) {
	for _, si := range issues {
		if si.err != nil || si.pulled == nil {
			continue
		}
		platform := eventPlatform(si.pulled.Event)
		for i := range si.signals {
			if si.signals[i].Format == signal.FormatSentry {
				retraceSignal(o.mappings, &si.signals[i], platform)
			}
		}
	}
}

// eventPlatform is the platform a Sentry event (or the first of a list or
// stream of them) names.
func eventPlatform(data []byte) string {
	var ev struct {
		Platform string `json:"platform"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var first json.RawMessage
	if dec.Decode(&first) != nil {
		return ""
	}
	first = bytes.TrimSpace(first)
	if len(first) > 0 && first[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(first, &list) != nil || len(list) == 0 {
			return ""
		}
		first = list[0]
	}
	if json.Unmarshal(first, &ev) != nil {
		return ""
	}
	return ev.Platform
}

// jvmPlatforms are the Sentry platforms of JVM events.
var jvmPlatforms = map[string]bool{"java": true, "android": true, "kotlin": true, "scala": true, "groovy": true, "clojure": true}

// retraceSignal retraces a Sentry signal's frames of classes a mapping
// names, when the event is a JVM one (its platform, or frames with JVM
// files), and notes what it did.
func retraceSignal(set retrace.Set, s *signal.Signal, platform string) {
	if !jvmPlatforms[platform] && !jvmFrames(s) {
		return
	}
	obf := obfuscatedFrames(s)
	if len(set) == 0 {
		if obf > 0 {
			s.Notes = append(s.Notes, suggestMapping)
		}
		return
	}
	var out []signal.Frame
	var notes []string
	retraced := 0
	for _, f := range s.Frames {
		if f.Module == "" || len(out) >= signal.MaxFrames {
			out = append(out, f)
			continue
		}
		method, qualified := strings.CutPrefix(f.Function, f.Module+".")
		frames, note, ok := set.Frame(f.Module, method, f.Line)
		if !ok {
			out = append(out, f)
			continue
		}
		retraced++
		if frames == nil {
			notes = append(notes, note)
			out = append(out, f)
			continue
		}
		for _, rf := range frames {
			nf := f
			nf.Module, nf.Function, nf.Line, nf.Column = rf.Class, rf.Method, rf.Line, 0
			if qualified {
				nf.Function = rf.Class + "." + rf.Method
			}
			nf.File = rf.File
			if d := strings.LastIndexByte(rf.Class, '.'); d > 0 {
				nf.File = path.Join(strings.ReplaceAll(rf.Class[:d], ".", "/"), rf.File)
			}
			nf.InApp = f.InApp || signal.IsInApp(signal.FormatJava, nf.File, nf.Function, nf.Module)
			out = append(out, nf)
		}
	}
	if len(out) > signal.MaxFrames {
		out = out[:signal.MaxFrames]
	}
	for i := range out {
		out[i].Depth = i
	}
	s.Frames = out
	if t, ok := retraceTitle(set, s.Title); ok {
		s.Title = t
		s.Symptoms = signal.Symptoms(append([]string{t}, s.Symptoms...)...)
	}
	if obf > 0 && retraced == 0 {
		s.Notes = append(s.Notes, noneRetraced(set))
	}
	s.Notes = append(s.Notes, capNotes(notes)...)
}

// retraceTitle renames the obfuscated exception class a title starts with
// ("a.b.e: no price").
func retraceTitle(set retrace.Set, title string) (string, bool) {
	cls, rest, _ := strings.Cut(title, ":")
	if cls == "" || strings.ContainsAny(cls, " \t") {
		return "", false
	}
	orig, ok := set.Class(cls)
	if !ok || orig == cls {
		return "", false
	}
	if rest != "" || strings.HasSuffix(title, ":") {
		return orig + ":" + rest, true
	}
	return orig, true
}

// jvmFrames reports whether a signal has frames of a JVM file.
func jvmFrames(s *signal.Signal) bool {
	for _, f := range s.Frames {
		b := path.Base(f.File)
		if b == "SourceFile" || b == "Unknown Source" || signal.JVMFile(b) || strings.HasSuffix(b, ".clj") {
			return true
		}
	}
	return false
}

// obfuscatedFrames counts a signal's frames that look obfuscated.
func obfuscatedFrames(s *signal.Signal) int {
	n := 0
	for _, f := range s.Frames {
		cls := f.Module
		if cls == "" {
			if d := strings.LastIndexByte(f.Function, '.'); d > 0 {
				cls = f.Function[:d]
			}
		}
		if cls != "" && retrace.LooksObfuscated(cls, f.File) {
			n++
		}
	}
	return n
}

// noneRetraced is the note of an obfuscated signal no mapping retraced.
func noneRetraced(set retrace.Set) string {
	var names []string
	for _, m := range set {
		names = append(names, m.Name)
	}
	return fmt.Sprintf("its frames look obfuscated, but no frame was retraced: the --proguard-mapping given (%s) names none of their classes; give the mapping.txt of the build that crashed", strings.Join(names, ", "))
}

// capNotes keeps the first maxRetraceNotes notes and counts the rest.
func capNotes(notes []string) []string {
	if len(notes) <= maxRetraceNotes {
		return notes
	}
	out := append([]string(nil), notes[:maxRetraceNotes]...)
	return append(out, fmt.Sprintf("%d more frames are ambiguous in the mapping and were left obfuscated", len(notes)-maxRetraceNotes))
}
