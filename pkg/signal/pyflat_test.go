package signal

import (
	"strings"
	"testing"
)

// TestParsePythonWithoutIndentation: Python tracebacks and faulthandler
// dumps pasted where leading spaces are lost (a chat, a web form) read as
// the indented ones do: the frames, and the exception from the last line.
func TestParsePythonWithoutIndentation(t *testing.T) {
	type frame struct {
		file string
		line int
		fn   string
	}
	tests := []struct {
		name   string
		lines  []string
		title  string
		frames []frame
	}{
		{"with source lines", []string{
			"Traceback (most recent call last):",
			`File "/srv/shop/shop/main.py", line 44, in <module>`,
			"run()",
			`File "/srv/shop/shop/main.py", line 30, in run`,
			"return total(items) / count",
			"ZeroDivisionError: division by zero",
		}, "ZeroDivisionError: division by zero", []frame{{"/srv/shop/shop/main.py", 30, "run"}, {"/srv/shop/shop/main.py", 44, "<module>"}}},
		{"without source lines", []string{
			"Traceback (most recent call last):",
			`File "/srv/shop/shop/main.py", line 44, in <module>`,
			`File "/srv/shop/shop/cart.py", line 12, in load`,
			"KeyError: 'sku'",
		}, "KeyError: 'sku'", []frame{{"/srv/shop/shop/cart.py", 12, "load"}, {"/srv/shop/shop/main.py", 44, "<module>"}}},
		{"3.11 carets", []string{
			"Traceback (most recent call last):",
			`File "/srv/shop/shop/cart.py", line 12, in load`,
			"return rows[0]['sku']",
			"~~~~~~~^^^^^^^",
			"KeyError: 'sku'",
		}, "KeyError: 'sku'", []frame{{"/srv/shop/shop/cart.py", 12, "load"}}},
		{"chained", []string{
			"Traceback (most recent call last):",
			`File "/srv/shop/shop/cart.py", line 12, in load`,
			"return rows[0]",
			"IndexError: list index out of range",
			"",
			"During handling of the above exception, another exception occurred:",
			"",
			"Traceback (most recent call last):",
			`File "/srv/shop/shop/main.py", line 44, in <module>`,
			"load()",
			`File "/srv/shop/shop/cart.py", line 14, in load`,
			"raise LookupError('no rows')",
			"LookupError: no rows",
		}, "LookupError: no rows", []frame{{"/srv/shop/shop/cart.py", 12, "load"}, {"/srv/shop/shop/cart.py", 14, "load"}, {"/srv/shop/shop/main.py", 44, "<module>"}}},
		{"faulthandler", []string{
			"Fatal Python error: Segmentation fault",
			"",
			"Current thread 0x00007f1c2a1b6740 (most recent call first):",
			`File "/srv/shop/shop/native.py", line 12 in call`,
			`File "/srv/shop/shop/main.py", line 30 in run`,
			"",
			"Extension modules: numpy.core._multiarray_umath (total: 1)",
		}, "Fatal Python error: Segmentation fault", []frame{{"/srv/shop/shop/native.py", 12, "call"}, {"/srv/shop/shop/main.py", 30, "run"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("paste", []byte(strings.Join(tt.lines, "\n")+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Format != FormatPython || sigs[0].Title != tt.title {
				t.Fatalf("got %d signals, the first %q (%s), want one %q", len(sigs), sigs[0].Title, sigs[0].Format, tt.title)
			}
			var got []frame
			for _, f := range sigs[0].Frames {
				got = append(got, frame{f.File, f.Line, f.Function})
			}
			if len(got) != len(tt.frames) {
				t.Fatalf("got frames %+v, want %+v", got, tt.frames)
			}
			for i := range got {
				if got[i] != tt.frames[i] {
					t.Fatalf("got frames %+v, want %+v", got, tt.frames)
				}
			}
		})
	}
}
