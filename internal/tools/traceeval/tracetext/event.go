package tracetext

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Event is a Sentry event in the ingest shape, as an SDK would send it.
type Event struct {
	EventID   string    `json:"event_id"`
	Timestamp string    `json:"timestamp"`
	Platform  string    `json:"platform"`
	Exception Exception `json:"exception"`
}

// Exception holds the event's exception values, the crash last.
type Exception struct {
	Values []ExceptionValue `json:"values"`
}

// ExceptionValue is one exception with its stack.
type ExceptionValue struct {
	Type       string     `json:"type"`
	Value      string     `json:"value"`
	Stacktrace Stacktrace `json:"stacktrace"`
}

// Stacktrace lists frames oldest first, the crashing frame last.
type Stacktrace struct {
	Frames []EventFrame `json:"frames"`
}

// EventFrame is one frame of a Sentry event.
type EventFrame struct {
	Filename string `json:"filename,omitempty"`
	AbsPath  string `json:"abs_path,omitempty"`
	Function string `json:"function,omitempty"`
	Package  string `json:"package,omitempty"`
	Lineno   int    `json:"lineno,omitempty"`
	Colno    int    `json:"colno,omitempty"`
	InApp    bool   `json:"in_app"`
}

// InAppFunc decides whether a frame is the application's own code, as a
// Sentry project configured for the application would mark it.
type InAppFunc func(f Frame, format Format) bool

// DefaultInApp marks frames with a source file outside the usual system
// locations, and the function-only frames of kernel-style reports (whose
// frames are all the program's own), as the application's.
func DefaultInApp(f Frame, format Format) bool {
	if f.System {
		return false
	}
	if f.File == "" {
		return format == Kernel && f.Function != ""
	}
	return !SystemPath(f.File)
}

// SystemPath tells whether a source path belongs to the toolchain, the C
// library, an interpreter's standard library or a sanitizer runtime.
func SystemPath(p string) bool {
	for _, pre := range []string{"/usr/include/", "/usr/lib/gcc/", "/usr/src/debug/glibc", "/rustc/", "<frozen ", "<string>", "<built-in>"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	for _, part := range []string{"/compiler-rt/", "/libsanitizer/", "/sanitizer_common/", "/glibc-", "/libio/", "/stdlib/", "/malloc/malloc.c",
		"/nptl/", "/sysdeps/", "/string/", "/csu/", "/.cargo/registry/", "/go/src/runtime/", "/usr/local/go/src/", "/usr/lib/go", "/lib/python3", "/lib64/python3", "/libpython"} {
		if strings.Contains(p, part) && !strings.Contains(p, "-packages/") {
			return true
		}
	}
	return strings.HasPrefix(p, "../sysdeps/") || strings.HasPrefix(p, "./nptl/") || strings.HasPrefix(p, "runtime/")
}

// Platform is the Sentry platform of a format.
func Platform(f Format) string {
	switch f {
	case Python:
		return "python"
	case Go:
		return "go"
	case Java:
		return "java"
	}
	return "native"
}

// ToEvent converts a report into a Sentry event stamped at signal time.
// Several stacks become several exception values; the crash stack is the
// last value. inApp may be nil (DefaultInApp).
func ToEvent(r Report, signal time.Time, inApp InAppFunc) Event {
	if inApp == nil {
		inApp = DefaultInApp
	}
	sum := sha256.Sum256([]byte(string(r.Format) + r.Type + r.Value + signal.UTC().Format(time.RFC3339)))
	ev := Event{
		EventID:   hex.EncodeToString(sum[:16]),
		Timestamp: signal.UTC().Format(time.RFC3339),
		Platform:  Platform(r.Format),
	}
	order := make([]int, 0, len(r.Stacks))
	for i := range r.Stacks {
		if i != r.Crash {
			order = append(order, i)
		}
	}
	if r.Crash >= 0 && r.Crash < len(r.Stacks) {
		order = append(order, r.Crash)
	}
	for _, i := range order {
		st := r.Stacks[i]
		v := ExceptionValue{Type: r.Type, Value: r.Value}
		if i != r.Crash {
			v.Type = stackType(st.Name, r.Type)
			v.Value = st.Name
		}
		for k := len(st.Frames) - 1; k >= 0; k-- {
			f := st.Frames[k]
			v.Stacktrace.Frames = append(v.Stacktrace.Frames, EventFrame{
				Filename: f.File,
				AbsPath:  f.File,
				Function: f.Function,
				Package:  f.Module,
				Lineno:   f.Line,
				Colno:    f.Column,
				InApp:    inApp(f, r.Format),
			})
		}
		ev.Exception.Values = append(ev.Exception.Values, v)
	}
	return ev
}

// stackType names a secondary stack ("freed by thread T0 here:" becomes
// "freed by thread T0").
func stackType(name, fallback string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ":")
	name = strings.TrimSuffix(name, " here")
	if name == "" {
		return fallback
	}
	if len(name) > 80 {
		name = name[:80]
	}
	return name
}
