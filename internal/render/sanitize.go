package render

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Outside text (commit messages, author names, file paths, signal titles and
// frames, evidence, a server's error message) may hold terminal control
// sequences: OSC 52 writes the clipboard, CSI moves the cursor or clears the
// screen, SGR 8 hides text, a C1 control (0x9b) starts a CSI on its own, and
// bidi overrides reorder what is shown. Sanitize is the one function that
// makes such text safe; the table, Markdown and Fprintf writers of this
// package pass every cell and argument through it, so that no caller can
// forget.
//
// What is replaced, by a visible escape in Go's notation:
//   - C0 controls and DEL, other than newline and tab: ESC shows as \x1b, BEL
//     as \x07, a lone carriage return as \x0d (a carriage return that ends a
//     line, before a newline or at the end, is dropped);
//   - C1 controls U+0080 to U+009F: CSI shows as \u009b;
//   - bidi controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to
//     U+2069) and the line and paragraph separators U+2028 and U+2029: a
//     right-to-left override shows as \u202e;
//   - bytes that are not UTF-8: shown as \xff.
//
// A backslash in the text is left as it is: the escapes are for a person to
// read, not to be decoded.

// Sanitize returns s with every control character but newline and tab
// replaced by a visible escape (see above). It is idempotent.
func Sanitize(s string) string {
	if clean(s, false) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	walk(s, false, func(text string, _ bool) { b.WriteString(text) })
	return b.String()
}

// Line is Sanitize for one line: newline, tab, vertical tab, form feed and
// carriage return become spaces. Table and Markdown cells go through it.
func Line(s string) string {
	if clean(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	walk(s, true, func(text string, _ bool) { b.WriteString(text) })
	return b.String()
}

// Ellipsis ends text cut by Truncate.
const Ellipsis = "…"

// Truncate returns s as one safe line (see Line) of at most width terminal
// columns. Longer text is cut at the end and ends with an ellipsis; the cut
// never falls inside an escape, a rune or a grapheme cluster (an emoji with
// its modifiers, a letter with its accents).
func Truncate(s string, width int) string {
	out := Line(s)
	if width <= 0 {
		return ""
	}
	if textWidth(out) <= width {
		return out
	}
	budget := width - textWidth(Ellipsis)
	var b strings.Builder
	used, done := 0, false
	walk(s, true, func(text string, escape bool) {
		if done {
			return
		}
		w := textWidth(text)
		if used+w <= budget {
			b.WriteString(text)
			used += w
			return
		}
		done = true
		if !escape {
			b.WriteString(widthCond.Truncate(text, budget-used, ""))
		}
	})
	return strings.TrimRight(b.String(), " ") + Ellipsis
}

// Width is the number of terminal columns s takes once sanitized as one
// line. The colour sequences of text made with Color are not counted.
func Width(s string) int {
	if isColored(s) {
		return textWidth(stripSGR(s))
	}
	return textWidth(Line(s))
}

// clean reports whether s needs no change: printable ASCII only (and
// newline and tab unless oneLine). Anything else takes the slow path.
func clean(s string, oneLine bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if !oneLine && (c == '\n' || c == '\t') {
			continue
		}
		return false
	}
	return true
}

// walk splits s into runs of text to keep and escapes, in order. In one-line
// mode, line breaks and tabs become spaces.
func walk(s string, oneLine bool, emit func(text string, escape bool)) {
	start := 0
	flush := func(i int) {
		if i > start {
			emit(s[start:i], false)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < 0x7f {
				i++
				continue
			}
			flush(i)
			switch {
			case oneLine && (c == '\n' || c == '\t' || c == '\v' || c == '\f' || c == '\r'):
				emit(" ", false)
			case c == '\n' || c == '\t':
				emit(s[i:i+1], false)
			case c == '\r' && (i+1 == len(s) || s[i+1] == '\n'):
				// the end of a line: dropped
			default:
				emit(fmt.Sprintf(`\x%02x`, c), true)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			flush(i)
			emit(fmt.Sprintf(`\x%02x`, c), true)
		case unsafeRune(r):
			flush(i)
			emit(fmt.Sprintf(`\u%04x`, r), true)
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	flush(len(s))
}

// unsafeRune reports the runes above ASCII that Sanitize escapes.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // bidi marks
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// Colour. The table, Markdown and Fprintf writers sanitize every string they
// are given, which would show the escapes of our own colours too. Color marks
// what it made: a string equal to one Color returned is let through as it is.
// That is safe because Color sanitized the text inside, and a string that is
// byte for byte equal to a safe one is safe whoever sent it.

const (
	maxColored    = 1024    // remembered strings; the set is emptied when full
	maxColoredLen = 4 << 10 // longer coloured strings are not remembered
)

var colored = struct {
	sync.Mutex
	m map[string]struct{}
}{m: map[string]struct{}{}}

// Color returns text, sanitized, between the SGR sequence with params (such
// as "1" for bold or "31" for red) and a reset. params may hold only digits
// and semicolons; anything else leaves text uncoloured (and still sanitized).
// Callers decide whether colour is wanted (see iostreams).
func Color(params, text string) string {
	text = Sanitize(text)
	if params == "" || strings.Trim(params, "0123456789;") != "" {
		return text
	}
	s := "\x1b[" + params + "m" + text + "\x1b[0m"
	if len(s) <= maxColoredLen {
		colored.Lock()
		if len(colored.m) >= maxColored {
			clear(colored.m)
		}
		colored.m[s] = struct{}{}
		colored.Unlock()
	}
	return s
}

// isColored reports whether s is a string Color returned.
func isColored(s string) bool {
	if len(s) == 0 || s[0] != 0x1b || len(s) > maxColoredLen {
		return false
	}
	colored.Lock()
	_, ok := colored.m[s]
	colored.Unlock()
	return ok
}

// safeLine is Line, except that text made by Color keeps its colour.
func safeLine(s string) string {
	if isColored(s) {
		return strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	}
	return Line(s)
}

// plainLine is Line with the colour of text made by Color removed.
func plainLine(s string) string {
	if isColored(s) {
		return Line(stripSGR(s))
	}
	return Line(s)
}

// stripSGR removes the "ESC [ params m" sequences of Color's output.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Fprintf is fmt.Fprintf for output that carries outside text: every
// argument is formatted with its verb and then sanitized; text made by Color
// keeps its colour. The format is the caller's own text (go vet checks it
// like fmt's). Fprintf replaces the elements of args with their sanitizing
// wrappers, which print the same safe text if the slice is used again.
func Fprintf(w io.Writer, format string, args ...any) (int, error) {
	wrapArgs(args)
	return fmt.Fprintf(w, format, args...)
}

// Sprintf is Fprintf to a string.
func Sprintf(format string, args ...any) string {
	wrapArgs(args)
	return fmt.Sprintf(format, args...)
}

// wrapArgs wraps every argument but text made by Color in a safeArg.
func wrapArgs(args []any) {
	for i, a := range args {
		switch v := a.(type) {
		case safeArg:
			continue
		case string:
			if isColored(v) {
				continue
			}
		}
		args[i] = safeArg{a}
	}
}

// safeArg formats its value with the caller's verb and flags, then
// sanitizes the result.
type safeArg struct{ v any }

func (a safeArg) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, Sanitize(fmt.Sprintf(fmt.FormatString(f, verb), a.v)))
}
