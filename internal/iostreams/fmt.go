package iostreams

import "github.com/sigsentry/sigsentry/internal/render"

// Bold wraps v in bold when colour is enabled on stdout. Like the colours
// below, it sanitizes v (see render.Sanitize), so outside text may be
// coloured, and the render writers let the result through with its colour.
func (s *IOStreams) Bold(v string) string { return s.color("1", v) }

// Red, Green, Yellow and Gray colour v when colour is enabled on stdout.
func (s *IOStreams) Red(v string) string    { return s.color("31", v) }
func (s *IOStreams) Green(v string) string  { return s.color("32", v) }
func (s *IOStreams) Yellow(v string) string { return s.color("33", v) }
func (s *IOStreams) Gray(v string) string   { return s.color("90", v) }

func (s *IOStreams) color(code, v string) string {
	if !s.ColorEnabled() {
		return render.Sanitize(v)
	}
	return render.Color(code, v)
}
