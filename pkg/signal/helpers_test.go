package signal

import (
	"fmt"
	"testing"
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
