package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// Hostile holds the terminal attacks of issue 10 item 5, one per entry.
var Hostile = []struct{ name, text, want string }{
	{"OSC 52 clipboard", "a\x1b]52;c;ZXZpbA==\x07b", `a\x1b]52;c;ZXZpbA==\x07b`},
	{"OSC 52 with ST", "\x1b]52;c;ZXZpbA==\x1b\\", `\x1b]52;c;ZXZpbA==\x1b\`},
	{"clear screen", "\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
	{"window title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
	{"cursor up over earlier lines", "ok\x1b[5A\rforged", `ok\x1b[5A\x0dforged`},
	{"hidden text (SGR 8)", "\x1b[8msecret\x1b[0m", `\x1b[8msecret\x1b[0m`},
	{"C1 CSI as a rune", "\u009b2J", `\u009b2J`},
	{"C1 CSI as a raw byte", "\x9b2J", `\x9b2J`},
	{"C1 OSC as a rune", "\u009d0;t\u009c", `\u009d0;t\u009c`},
	{"right-to-left override", "abc\u202edef\u202c", `abc\u202edef\u202c`},
	{"bidi isolates and marks", "\u2066\u2067\u2068\u2069\u200e\u200f\u061c", `\u2066\u2067\u2068\u2069\u200e\u200f\u061c`},
	{"line separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
	{"bell, backspace, DEL, NUL", "\a\b\x7f\x00", `\x07\x08\x7f\x00`},
	{"vertical tab, form feed", "a\vb\fc", `a\x0bb\x0cc`},
	{"invalid UTF-8", "\xff\xfe\xc3", `\xff\xfe\xc3`},
	{"newline and tab kept", "a\nb\tc", "a\nb\tc"},
	{"CRLF is a line end", "a\r\nb\r", "a\nb"},
	{"text kept", "naïve 日本語 🔥 👩‍💻 e\u0301 C:\\x1b", "naïve 日本語 🔥 👩‍💻 e\u0301 C:\\x1b"},
}

func TestSanitize(t *testing.T) {
	for _, tt := range Hostile {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.text)
			if got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.text, got, tt.want)
			}
			checkSafe(t, got, true)
			if again := Sanitize(got); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
			line := Line(tt.text)
			checkSafe(t, line, false)
			if want := strings.NewReplacer("\n", " ", "\t", " ").Replace(tt.want); !strings.ContainsAny(tt.text, "\r\v\f") && line != want {
				t.Errorf("Line(%q) = %q, want %q", tt.text, line, want)
			}
		})
	}
	if got := Line("a\r\nb\rc\vd\fe"); got != "a  b c d e" {
		t.Errorf("Line: got %q, want every line break a space", got)
	}
}

// checkSafe fails when s holds a raw control character (newline and tab
// allowed when multiLine), a bidi control or bytes that are not UTF-8.
func checkSafe(t testing.TB, s string, multiLine bool) {
	t.Helper()
	if bad := unsafeAt(s, multiLine); bad >= 0 {
		t.Errorf("raw control at byte %d of %q", bad, s)
	}
}

// unsafeAt is the offset of the first unsafe character of s, or -1.
func unsafeAt(s string, multiLine bool) int {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return i
		case (r == '\n' || r == '\t') && multiLine:
		case r < 0x20 || r == 0x7f || unsafeRune(r):
			return i
		}
	}
	return -1
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three", 8, "one two…"},
		{"one two three", 9, "one two…"}, // the space before the cut goes
		{"日本語のテキスト", 7, "日本語…"},          // 3 wide runes (6) + … (1)
		{"日本語のテキスト", 8, "日本語…"},          // half a wide rune does not fit
		{"ab👩‍💻cd", 4, "ab…"},            // the ZWJ sequence is one glyph, kept whole or not at all
		{"ab👩‍💻cd", 5, "ab👩‍💻…"},
		{"e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301e\u0301"},
		{"e\u0301e\u0301e\u0301", 2, "e\u0301…"}, // the accent stays with its letter
		{"ab\x1b[2Jcd", 5, "ab…"},                // the escape is kept whole or not at all
		{"ab\x1b[2Jcd", 7, `ab\x1b…`},
		{"ab\u202ecd", 9, `ab\u202e…`},
		{"ab\u202ecd", 8, "ab…"},
		{"line\nbreak", 20, "line break"},
		{"anything", 0, ""},
	}
	for _, tt := range tests {
		got := Truncate(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if w := Width(got); w > tt.width {
			t.Errorf("Truncate(%q, %d) is %d columns wide", tt.in, tt.width, w)
		}
	}
}

func TestFprintf(t *testing.T) {
	var b bytes.Buffer
	bold := Color("1", "title \x1b]0;x\x07")
	_, err := Fprintf(&b, "%s|%q|%5d|%-6s|%v|%v|%.2f|%s\n",
		"a\x1b[2Jb", "q\x07", 42, "ab\u202e", []string{"x\x1b[8m"}, errors.New("e\x9b"), 0.875, bold)
	if err != nil {
		t.Fatal(err)
	}
	want := `a\x1b[2Jb|"q\a"|   42|ab\u202e   |[x\x1b[8m]|e\x9b|0.88|` + "\x1b[1mtitle \\x1b]0;x\\x07\x1b[0m\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	// A string shaped like Color's output but not made by it is escaped.
	forged := "\x1b[1mforged\x1b[8m\x1b[0m"
	if got := Sprintf("%s", forged); got != `\x1b[1mforged\x1b[8m\x1b[0m` {
		t.Errorf("forged colour: got %q, want it escaped", got)
	}
}

func TestColor(t *testing.T) {
	if got := Color("31", "a\x1b[8mb"); got != "\x1b[31ma\\x1b[8mb\x1b[0m" {
		t.Errorf("got %q, want the text sanitized inside the colour", got)
	}
	for _, params := range []string{"", "2J", "0;8m\x1b", "31m"} {
		if got := Color(params, "x"); got != "x" {
			t.Errorf("Color(%q): got %q, want no colour for parameters that are not SGR numbers", params, got)
		}
	}
	if got := Width(Color("1;31", "日本")); got != 4 {
		t.Errorf("Width of coloured text: got %d, want 4", got)
	}
}

func TestSafeJSON(t *testing.T) {
	in := map[string]string{}
	for _, h := range Hostile {
		in[h.name] = h.text
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, in); err != nil {
		t.Fatal(err)
	}
	checkSafe(t, b.String(), true)
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, h := range Hostile {
		var want string
		raw, _ := json.Marshal(h.text)
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if back[h.name] != want {
			t.Errorf("%s: round trip got %q, want %q", h.name, back[h.name], want)
		}
	}
}

// FuzzSanitize checks, for any text: no raw control character, bidi
// control or invalid UTF-8 leaves Sanitize, Line, Truncate or Fprintf;
// Sanitize is idempotent and keeps clean text; Truncate is a prefix of Line,
// at most the width asked for, and never cut inside an escape.
func FuzzSanitize(f *testing.F) {
	for _, h := range Hostile {
		f.Add(h.text, 10)
	}
	f.Add("日本語👩‍💻e\u0301\x1b[8m", 5)
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = width%200 + 1
		if width < 1 {
			width = -width + 1
		}
		san := Sanitize(s)
		checkSafe(t, san, true)
		if Sanitize(san) != san {
			t.Errorf("Sanitize not idempotent on %q", s)
		}
		if unsafeAt(s, true) < 0 && san != s {
			t.Errorf("clean text changed: %q -> %q", s, san)
		}
		line := Line(s)
		checkSafe(t, line, false)
		tr := Truncate(s, width)
		checkSafe(t, tr, false)
		if w := Width(tr); w > width {
			t.Errorf("Truncate(%q, %d) is %d wide", s, width, w)
		}
		if tr != line {
			kept := strings.TrimSuffix(tr, Ellipsis)
			if !strings.HasPrefix(line, kept) {
				t.Fatalf("Truncate(%q, %d) = %q is not a prefix of %q", s, width, tr, line)
			}
			// The cut is at a boundary between walk's pieces, or inside
			// a piece of text, never inside an escape.
			pos := 0
			walk(s, true, func(text string, escape bool) {
				if escape && pos < len(kept) && len(kept) < pos+len(text) {
					t.Errorf("Truncate(%q, %d) = %q cuts the escape %q", s, width, tr, text)
				}
				pos += len(text)
			})
		}
		out := Sprintf("%s %q %v %x\n", s, s, []byte(s), s)
		checkSafe(t, out, true)
		var b bytes.Buffer
		tw := NewTable(&b, nil, "a", "b")
		tw.Row(s, s)
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := MarkdownTable(&b, []string{"a"}, [][]string{{s}}); err != nil {
			t.Fatal(err)
		}
		checkSafe(t, b.String(), true)
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		safe := SafeJSON(raw)
		checkSafe(t, string(safe), false)
		var a, b2 string
		if json.Unmarshal(raw, &a) != nil || json.Unmarshal(safe, &b2) != nil || a != b2 {
			t.Errorf("SafeJSON changed the meaning of %s: %s", raw, safe)
		}
	})
}
