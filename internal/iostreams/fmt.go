package iostreams

import "fmt"

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// Bold wraps s in bold when colour is enabled on stdout.
func (s *IOStreams) Bold(v string) string {
	if !s.ColorEnabled() {
		return v
	}
	return "\x1b[1m" + v + "\x1b[0m"
}

// Red, Green, Yellow and Gray colour v when colour is enabled on stdout.
func (s *IOStreams) Red(v string) string    { return s.color("31", v) }
func (s *IOStreams) Green(v string) string  { return s.color("32", v) }
func (s *IOStreams) Yellow(v string) string { return s.color("33", v) }
func (s *IOStreams) Gray(v string) string   { return s.color("90", v) }

func (s *IOStreams) color(code, v string) string {
	if !s.ColorEnabled() {
		return v
	}
	return "\x1b[" + code + "m" + v + "\x1b[0m"
}
