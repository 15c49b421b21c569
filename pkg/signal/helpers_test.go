package signal

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// parseFrames parses in and lists its first signal's frames as show
// writes them, leaving out those it writes as "".
func parseFrames(t *testing.T, in string, show func(Frame) string) ([]Signal, []string) {
	t.Helper()
	sigs, err := Parse("trace.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sigs[0].Frames {
		if s := show(f); s != "" {
			got = append(got, s)
		}
	}
	return sigs, got
}

// parseOne parses in and checks that it holds one signal of format, with
// frames frames, crashing at file:line; it returns that signal.
func parseOne(t *testing.T, in, format, file string, line, frames int) Signal {
	t.Helper()
	sigs, err := Parse("trace.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s := sigs[0]
	if len(sigs) != 1 || s.Format != format || len(s.Frames) != frames || s.Frames[0].File != file || s.Frames[0].Line != line {
		t.Fatalf("got %d signals, the first %s with frames %+v; want one %s signal of %d frames crashing at %s:%d",
			len(sigs), s.Format, s.Frames, format, frames, file, line)
	}
	return s
}

// placeShow writes a frame as the tests of PHP, Perl and their Sentry
// events compare it: "file:line function", with a "*" before an in-app
// frame.
func placeShow(f Frame) string {
	s := fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Function)
	if f.InApp {
		s = "*" + s
	}
	return s
}

// noSignalOf fails t when in parses to a signal of format.
func noSignalOf(t *testing.T, format, in string) {
	t.Helper()
	sigs, _ := Parse("in", []byte(in))
	for _, s := range sigs {
		if s.Format == format {
			t.Errorf("Parse(%q) gave a %s signal %q with frames %+v", in, format, s.Title, s.Frames)
		}
	}
}

// wantOneSignal fails t unless in parses to one signal of format, titled
// title, whose frames show writes as want.
func wantOneSignal(t *testing.T, format, in string, show func(Frame) string, title string, want []string) {
	t.Helper()
	sigs, got := parseFrames(t, in, show)
	if len(sigs) != 1 || sigs[0].Format != format || sigs[0].Title != title || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals, the first %s %q with frames\n%q\nwant one %s signal %q with\n%q", len(sigs), sigs[0].Format, sigs[0].Title, got, format, title, want)
	}
}

// wantSignalTime fails t unless in's first signal is of format and
// timed want (nil: no time).
func wantSignalTime(t *testing.T, format, in string, want *time.Time) {
	t.Helper()
	sigs, err := Parse("log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := sigs[0].Timestamp
	if sigs[0].Format != format || (got == nil) != (want == nil) || got != nil && !got.Equal(*want) {
		t.Errorf("got a %s signal at %v, want a %s signal at %v", sigs[0].Format, got, format, want)
	}
}

// wantCapped fails t unless in, a trace longer than MaxFrames, parses to
// one signal of MaxFrames frames.
func wantCapped(t *testing.T, in string) {
	t.Helper()
	sigs, err := Parse("log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 || len(sigs[0].Frames) != MaxFrames {
		t.Errorf("got %d signals, the first of %d frames; want one of %d", len(sigs), len(sigs[0].Frames), MaxFrames)
	}
}
