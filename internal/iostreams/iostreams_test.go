package iostreams

import (
	"strings"
	"testing"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name         string
		env          map[string]string
		wantColor    bool
		wantProgress bool
	}{
		{"plain terminal", map[string]string{"TERM": "xterm-256color"}, true, true},
		{"NO_COLOR set", map[string]string{"NO_COLOR": "1"}, false, true},
		{"NO_COLOR empty means unset (no-color.org)", map[string]string{"NO_COLOR": ""}, true, true},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := Test()
			s.NoColor = false
			s.SetTTY(true, true, true)
			s.fromEnv(func(k string) string { return tt.env[k] })
			if got := s.ColorEnabled(); got != tt.wantColor {
				t.Errorf("ColorEnabled: got %v, want %v", got, tt.wantColor)
			}
			if got := s.ShowProgress(); got != tt.wantProgress {
				t.Errorf("ShowProgress: got %v, want %v", got, tt.wantProgress)
			}
		})
	}
}

// TestColorsAreSafe: the colour helpers sanitize what they colour, with
// colour on and off, so outside text can be coloured.
func TestColorsAreSafe(t *testing.T) {
	s, _, _, _ := Test()
	s.SetTTY(false, true, true)
	hostile := "x\x1b]52;c;ZXZpbA==\x07\u009b2J"
	for _, noColor := range []bool{true, false} {
		s.NoColor = noColor
		for name, f := range map[string]func(string) string{"Bold": s.Bold, "Red": s.Red, "Green": s.Green, "Yellow": s.Yellow, "Gray": s.Gray} {
			got := f(hostile)
			if !strings.Contains(got, `x\x1b]52;c;ZXZpbA==\x07\u009b2J`) {
				t.Errorf("%s (no colour %v): got %q, want the text escaped", name, noColor, got)
			}
			if noColor && strings.Contains(got, "\x1b") {
				t.Errorf("%s with colour off: got %q, want no escape", name, got)
			}
			if !noColor && !strings.HasPrefix(got, "\x1b[") {
				t.Errorf("%s with colour on: got %q, want colour", name, got)
			}
		}
	}
}

// TestInfofSanitizes: notes on stderr may quote a server; only our own
// colour passes.
func TestInfofSanitizes(t *testing.T) {
	s, _, _, errOut := Test()
	s.SetTTY(false, true, true)
	s.NoColor = false
	s.Infof("%s note: %s (%v)\n", s.Bold("1."), "server said \x1b]0;pwned\x07", true)
	want := "\x1b[1m1.\x1b[0m note: server said \\x1b]0;pwned\\x07 (true)\n"
	if errOut.String() != want {
		t.Errorf("got %q, want %q", errOut.String(), want)
	}
	errOut.Reset()
	s.Quiet = true
	s.Infof("hidden\n")
	if errOut.Len() != 0 {
		t.Errorf("quiet: got %q, want nothing", errOut.String())
	}
}
