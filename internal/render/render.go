// Package render prints results as a table, JSON or Markdown, and draws
// progress on stderr when it is a terminal.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Format is an output format chosen with -o.
type Format string

// The output formats every result-printing command accepts.
const (
	Table    Format = "table"
	JSON     Format = "json"
	Markdown Format = "markdown"
)

// Formats lists the accepted -o values, for help text and completion.
var Formats = []string{string(Table), string(JSON), string(Markdown)}

// ParseFormat validates an -o value; the empty string means table.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "table":
		return Table, nil
	case "json":
		return JSON, nil
	case "markdown", "md":
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown output format %q: use one of %s", s, strings.Join(Formats, ", "))
}

// WriteJSON writes v as one indented JSON document followed by a newline.
// Strings are escaped by encoding/json, and the C1 and bidi controls it
// leaves raw are escaped too (see SafeJSON).
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(SafeJSON(buf.Bytes()))
	return err
}

// SafeJSON returns the JSON text b with DEL and the runes Sanitize escapes
// above ASCII (C1 controls, bidi controls) written as \u escapes:
// encoding/json escapes the other C0 controls, U+2028 and U+2029, but
// leaves those raw, and a terminal may act on them. They can only stand
// inside strings, so the document means the same. b must hold whole JSON
// values, as encoders write them.
func SafeJSON(b []byte) []byte {
	// Every such rune but DEL is encoded with a lead byte 0xc2, 0xd8 or 0xe2.
	if bytes.IndexByte(b, 0x7f) < 0 && bytes.IndexByte(b, 0xc2) < 0 && bytes.IndexByte(b, 0xd8) < 0 && bytes.IndexByte(b, 0xe2) < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || size > 1 && unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// Style decorates text that is already safe, such as a colour on a
// terminal (iostreams' Bold). A nil Style leaves text as it is.
type Style func(string) string

// TableWriter collects rows and prints them aligned in columns. Every cell
// is outside text: it is sanitized to one line (see Line), and columns are
// aligned by display width, so wide characters (CJK, emoji) and colours
// keep them straight.
type TableWriter struct {
	w      io.Writer
	header []string
	rows   [][]string
	bold   Style
}

// NewTable returns a table with the given column headers. bold, if not nil,
// decorates the header (colour on a terminal).
func NewTable(w io.Writer, bold func(string) string, header ...string) *TableWriter {
	return &TableWriter{w: w, header: header, bold: bold}
}

// Row appends one row. A cell may be text made by Color (such as
// iostreams' Red): it keeps its colour, which takes no width.
func (t *TableWriter) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Len reports how many rows were added.
func (t *TableWriter) Len() int { return len(t.rows) }

// tableGap is the space between two columns.
const tableGap = 2

// Flush prints the table: each cell but the last of a line is padded to
// its column's width plus a gap of two spaces.
func (t *TableWriter) Flush() error {
	lines := make([][]string, 0, len(t.rows)+1)
	if len(t.header) > 0 {
		h := make([]string, len(t.header))
		for i, c := range t.header {
			h[i] = Line(strings.ToUpper(c))
		}
		lines = append(lines, h)
	}
	for _, r := range t.rows {
		clean := make([]string, len(r))
		for i, c := range r {
			clean[i] = safeLine(c)
		}
		lines = append(lines, clean)
	}
	var widths []int
	for _, l := range lines {
		for i := 0; i < len(l)-1; i++ {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(l[i]))
		}
	}
	var b strings.Builder
	for n, l := range lines {
		var lb strings.Builder
		for i, c := range l {
			lb.WriteString(c)
			if i < len(l)-1 {
				lb.WriteString(strings.Repeat(" ", widths[i]-Width(c)+tableGap))
			}
		}
		line := lb.String()
		if n == 0 && len(t.header) > 0 && t.bold != nil {
			line = t.bold(line)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// MarkdownTable prints a GitHub-flavoured Markdown table. Every cell is
// outside text: it is sanitized to one line (see Line) without colour, and
// its pipes are escaped.
func MarkdownTable(w io.Writer, header []string, rows [][]string) error {
	cell := func(c string) string { return strings.ReplaceAll(plainLine(c), "|", `\|`) }
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + cell(c) + " |")
		}
		b.WriteString("\n")
	}
	row(header)
	b.WriteString("|" + strings.Repeat("---|", len(header)) + "\n")
	for _, r := range rows {
		row(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Plural picks one or many by n, for messages: "1 commit", "3 commits".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
