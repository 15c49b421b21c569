package render

import (
	"bytes"
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
