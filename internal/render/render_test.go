package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"", Table, false},
		{"table", Table, false},
		{" JSON ", JSON, false},
		{"md", Markdown, false},
		{"markdown", Markdown, false},
		{"yaml", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, map[string]string{"a": "<b>&"}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "{\n  \"a\": \"<b>&\"\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTable(t *testing.T) {
	var b bytes.Buffer
	tw := NewTable(&b, nil, "repo", "commits")
	tw.Row("acme/a", "12")
	tw.Row("acme/long-name", "3\tx\ny")
	if tw.Len() != 2 {
		t.Errorf("got %d rows, want 2", tw.Len())
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "REPO            COMMITS\nacme/a          12\nacme/long-name  3 x y\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestMarkdownTable(t *testing.T) {
	var b bytes.Buffer
	if err := MarkdownTable(&b, []string{"A", "B"}, [][]string{{"x|y", "line\nbreak"}}); err != nil {
		t.Fatal(err)
	}
	want := "| A | B |\n|---|---|\n| x\\|y | line break |\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestProgress(t *testing.T) {
	tests := []struct {
		name    string
		enabled bool
		want    string
	}{
		{"disabled", false, ""},
		{"enabled", true, "2/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			p := NewProgress(&b, tt.enabled, "Fetching", 0)
			p.AddTotal(2)
			p.Inc()
			p.Inc()
			p.Done()
			if tt.want == "" && b.Len() != 0 {
				t.Errorf("got %q, want nothing", b.String())
			}
			if tt.want != "" && (!strings.Contains(b.String(), tt.want) || !strings.HasSuffix(b.String(), "\r\x1b[2K")) {
				t.Errorf("got %q, want %q and a cleared line at the end", b.String(), tt.want)
			}
		})
	}
	var nilP *Progress
	nilP.Inc() // a nil progress draws nothing and does not panic
	nilP.Done()
}

// columnStarts returns the display column at which each cell of line
// starts, given the plain text of the line (no colour) and its cells.
func columnStarts(t *testing.T, line string, cells []string) []int {
	t.Helper()
	var starts []int
	rest, col := line, 0
	for _, c := range cells {
		i := strings.Index(rest, c)
		if i < 0 {
			t.Fatalf("cell %q not found in %q", c, line)
		}
		col += Width(rest[:i])
		starts = append(starts, col)
		col += Width(c)
		rest = rest[i+len(c):]
	}
	return starts
}

// TestTableAlignment prints the same table with colour off and on, with
// wide text (CJK, emoji): every column starts at the same display column on
// every line, header included, and colour changes nothing but the colour.
func TestTableAlignment(t *testing.T) {
	header := []string{"repo", "author", "status"}
	rows := [][]string{
		{"acme/a", "Ada", "ok"},
		{"acme/日本語", "山田太郎", "failed"},
		{"acme/🔥fire", "👩‍💻 dev", "ok"},
		{"acme/naïve-e\u0301", "Zoë", "ok"},
	}
	render := func(color bool) string {
		var b bytes.Buffer
		var bold func(string) string
		if color {
			bold = func(s string) string { return Color("1", s) }
		}
		tw := NewTable(&b, bold, header...)
		for _, r := range rows {
			cells := append([]string(nil), r...)
			if color {
				cells[2] = Color("32", cells[2])
			}
			tw.Row(cells...)
		}
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	plain, colored := render(false), render(true)
	if strings.Contains(plain, "\x1b") {
		t.Errorf("colour off: got escapes in\n%q", plain)
	}
	if !strings.Contains(colored, "\x1b[1mREPO") || !strings.Contains(colored, "\x1b[32mfailed\x1b[0m") {
		t.Errorf("colour on: got no bold header or green cell in\n%q", colored)
	}
	if got := stripSGR(colored); got != plain {
		t.Errorf("colour on, less its colour:\n%s\nwant the colourless table:\n%s", got, plain)
	}
	lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
	want := columnStarts(t, lines[0], []string{"REPO", "AUTHOR", "STATUS"})
	for i, r := range rows {
		if got := columnStarts(t, lines[i+1], r); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("row %d %q: columns start at %v, want %v as the header's\n%s", i, lines[i+1], got, want, plain)
		}
	}
}

func TestTableHostileCells(t *testing.T) {
	var b bytes.Buffer
	tw := NewTable(&b, nil, "a", "b")
	tw.Row("x\x1b]52;c;ZXZpbA==\x07", "\x1b[2J\u009b8m\u202e")
	tw.Row("\x1b[1mforged\x1b[0m", "ok")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	checkSafe(t, b.String(), true)
	if !strings.Contains(b.String(), `x\x1b]52;c;ZXZpbA==\x07`) || !strings.Contains(b.String(), `\x1b[1mforged`) {
		t.Errorf("got %q, want the escapes shown", b.String())
	}
	b.Reset()
	if err := MarkdownTable(&b, []string{"A", "B"}, [][]string{{"\x1b]0;t\x07|x", Color("1", "b")}}); err != nil {
		t.Fatal(err)
	}
	if want := "| A | B |\n|---|---|\n| \\x1b]0;t\\x07\\|x | b |\n"; b.String() != want {
		t.Errorf("markdown: got %q, want %q (escaped, no colour)", b.String(), want)
	}
}

func TestProgressLabel(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, true, "Reading \x1b]0;t\x07", 1)
	p.Inc()
	p.SetLabel("repo \x1b[8m")
	p.Inc()
	p.Done()
	// Only the bar's own "erase line" sequence may remain.
	checkSafe(t, strings.ReplaceAll(b.String(), "\r\x1b[2K", ""), false)
}
