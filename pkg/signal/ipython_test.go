package signal

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestIPythonTracebacks: tracebacks as IPython 7 and 8 (and Jupyter)
// print them read innermost first, each frame at the line its "---->"
// marks or names.
func TestIPythonTracebacks(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{"ipython 7", "---------------------------------------------------------------------------\n" +
			"ZeroDivisionError                         Traceback (most recent call last)\n" +
			"<ipython-input-12-19137f1ad9a8> in <module>\n" +
			"----> 1 report.total([])\n" +
			"\n" +
			"/srv/app/report.py in total(rows)\n" +
			"      1\n" +
			"      2 def total(rows):\n" +
			"----> 3     return sum(rows) / len(rows)\n" +
			"\n" +
			"ZeroDivisionError: division by zero\n",
			[]string{"/srv/app/report.py:3 total true", "<ipython-input-12-19137f1ad9a8>:1 <module> false"}},
		{"ipython 8", "---------------------------------------------------------------------------\n" +
			"ZeroDivisionError                         Traceback (most recent call last)\n" +
			"Cell In[3], line 2\n" +
			"      1 import report\n" +
			"----> 2 report.total([])\n" +
			"\n" +
			"File ~/app/report.py:3, in total(rows)\n" +
			"      2 def total(rows):\n" +
			"----> 3     return sum(rows) / len(rows)\n" +
			"\n" +
			"ZeroDivisionError: division by zero\n",
			[]string{"~/app/report.py:3 total true", "<cell>:2 <module> false"}},
		{"a message holding ' in '", "ZeroDivisionError                         Traceback (most recent call last)\n" +
			"/srv/app/report.py in total(rows)\n" +
			"----> 3     return sum(rows) / len(rows)\n" +
			"\n" +
			"ZeroDivisionError: division by zero in total\n",
			[]string{"/srv/app/report.py:3 total true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, got := parseFrames(t, tt.input, func(f Frame) string { return fmt.Sprintf("%s:%d %s %v", f.File, f.Line, f.Function, f.InApp) })
			if len(sigs) != 1 || sigs[0].Format != FormatPython || !strings.HasPrefix(sigs[0].Title, "ZeroDivisionError: division by zero") || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d signals, the first %s %q with frames %q; want one python signal with %q", len(sigs), sigs[0].Format, sigs[0].Title, got, tt.want)
			}
		})
	}
}
