package diffstat

import (
	"errors"
	"testing"
)

func TestCUnquote(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{`"a/caf\303\251.txt"`, "a/caf\u00e9.txt", true},
		{`"tab\there"`, "tab\there", true},
		{`"new\nline"`, "new\nline", true},
		{`"q\"b\\s"`, `q"b\s`, true},
		{`"\a\b\v\f\r"`, "\a\b\v\f\r", true},
		{`"\377"`, "\xff", true},
		{`"plain"`, "plain", true},
		{`plain`, "", false},
		{`"unterminated`, "", false},
		{`"bad\q"`, "", false},
		{`"short\30"`, "", false},
		{`"trailing\"`, "", false},
		{`"inner"quote"`, "", false},
	}
	for _, tt := range tests {
		got, ok := cUnquote(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cUnquote(%s): got %q, %t, want %q, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGitArgs(t *testing.T) {
	tests := []struct {
		in     string
		a, b   string
		wantOK bool
	}{
		{"a/x b/x", "a/x", "b/x", true},
		{"a/old b/new", "a/old", "b/new", true},
		{"a/with space.txt b/with space.txt", "a/with space.txt", "b/with space.txt", true},
		{"a/a b/c b/a b/c", "a/a b/c", "b/a b/c", true},
		{"a/trailing  b/trailing ", "a/trailing ", "b/trailing ", true},
		{`"a/caf\303\251" "b/caf\303\251"`, "a/caf\u00e9", "b/caf\u00e9", true},
		{`"a/q\"x" b/plain`, `a/q"x`, "b/plain", true},
		{`a/plain "b/t\tx"`, "a/plain", "b/t\tx", true},
		{"a/one two b/three four", "", "", false},
		{"single", "", "", false},
		{`"unterminated b/x`, "", "", false},
	}
	for _, tt := range tests {
		a, b, ok := gitArgs(tt.in)
		if a != tt.a || b != tt.b || ok != tt.wantOK {
			t.Errorf("gitArgs(%q): got %q, %q, %t, want %q, %q, %t", tt.in, a, b, ok, tt.a, tt.b, tt.wantOK)
		}
	}
}

func TestParseHunkHeader(t *testing.T) {
	tests := []struct {
		in   string
		want hunkRange
		ok   bool
	}{
		{"@@ -1,3 +1,4 @@ func f() {", hunkRange{1, 3, 1, 4}, true},
		{"@@ -1 +1 @@", hunkRange{1, 1, 1, 1}, true},
		{"@@ -0,0 +1 @@\r", hunkRange{0, 0, 1, 1}, true},
		{"@@ -5,0 +4,2 @@", hunkRange{5, 0, 4, 2}, true},
		{"@@ -1,x +1 @@", hunkRange{}, false},
		{"@@ --1 +1 @@", hunkRange{}, false},
		{"@@ -1 +1 @@x", hunkRange{}, false},
		{"@@ -1 1 @@", hunkRange{}, false},
		{"@@ -99999999999 +1 @@", hunkRange{}, false},
		{"@@ -1", hunkRange{}, false},
	}
	for _, tt := range tests {
		got, ok := parseHunkHeader([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseHunkHeader(%q): got %+v, %t, want %+v, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLineText(t *testing.T) {
	long := make([]byte, MaxLineText+10)
	for i := range long {
		long[i] = 'x'
	}
	// A two-byte rune straddling the cap.
	straddle := append(make([]byte, 0, MaxLineText+2), long[:MaxLineText-1]...)
	straddle = append(straddle, "\u00e9"...)
	tests := []struct {
		name    string
		in      []byte
		wantLen int
	}{
		{"short", []byte("abc"), 3},
		{"crlf", []byte("abc\r"), 3},
		{"capped", long, MaxLineText},
		{"rune kept whole", straddle, MaxLineText - 1},
	}
	for _, tt := range tests {
		if got := len(lineText(tt.in)); got != tt.wantLen {
			t.Errorf("%s: got length %d, want %d", tt.name, got, tt.wantLen)
		}
	}
}

func TestTotals(t *testing.T) {
	files := []File{{LinesAdded: 3, LinesRemoved: 1}, {Binary: true}, {LinesAdded: 2}}
	n, a, r := Totals(files)
	if n != 3 || a != 5 || r != 1 {
		t.Errorf("Totals: got %d, %d, %d, want 3, 5, 1", n, a, r)
	}
}

func TestSyntaxErrorKeepsEarlierFiles(t *testing.T) {
	in := "diff --git a/ok b/ok\n--- a/ok\n+++ b/ok\n@@ -1 +1 @@\n-a\n+b\n" +
		"diff --git a/bad b/bad\n--- a/bad\n+++ b/bad\n@@ -1,2 +1,2 @@\n-a\n"
	files, err := Parse([]byte(in))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got error %v, want a *SyntaxError", err)
	}
	if se.Line != 10 {
		t.Errorf("got error at line %d, want 10 (the hunk's header)", se.Line)
	}
	if len(files) != 1 || files[0].Path != "ok" {
		t.Errorf("got files %+v, want only ok", files)
	}
}

func TestNoLines(t *testing.T) {
	in := "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@ sec\n-a\n+b\n c\n"
	files, err := ParseOptions([]byte(in), Options{NoLines: true})
	if err != nil {
		t.Fatal(err)
	}
	h := files[0].Hunks[0]
	if h.Added != nil || h.Removed != nil || h.Section != "sec" || files[0].LinesAdded != 1 || files[0].LinesRemoved != 1 {
		t.Errorf("got %+v (file %+v), want counts 1/1, section sec and no lines", h, files[0])
	}
}
