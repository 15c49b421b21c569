// Package render prints results as a table, JSON or Markdown, and draws
// progress on stderr when it is a terminal.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
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
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// TableWriter collects rows and prints them aligned in columns.
type TableWriter struct {
	w      io.Writer
	header []string
	rows   [][]string
	bold   func(string) string
}

// NewTable returns a table with the given column headers. bold, if not nil,
// decorates the header (colour on a terminal).
func NewTable(w io.Writer, bold func(string) string, header ...string) *TableWriter {
	return &TableWriter{w: w, header: header, bold: bold}
}

// Row appends one row.
func (t *TableWriter) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Len reports how many rows were added.
func (t *TableWriter) Len() int { return len(t.rows) }

// Flush prints the table.
func (t *TableWriter) Flush() error {
	tw := tabwriter.NewWriter(t.w, 0, 4, 2, ' ', 0)
	if len(t.header) > 0 {
		h := make([]string, len(t.header))
		for i, c := range t.header {
			h[i] = strings.ToUpper(c)
		}
		line := strings.Join(h, "\t")
		if t.bold != nil {
			line = t.bold(line)
		}
		fmt.Fprintln(tw, line)
	}
	for _, r := range t.rows {
		clean := make([]string, len(r))
		for i, c := range r {
			clean[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
		}
		fmt.Fprintln(tw, strings.Join(clean, "\t"))
	}
	return tw.Flush()
}

// MarkdownTable prints a GitHub-flavoured Markdown table.
func MarkdownTable(w io.Writer, header []string, rows [][]string) error {
	esc := strings.NewReplacer("|", `\|`, "\n", " ")
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	b.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = esc.Replace(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
