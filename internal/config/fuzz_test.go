package config

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that decoding any config file never panics, and that a
// syntax error names a line that exists in the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"bitbucket:\n  workspace: acme\n  repositories:\n    - name: acme/api\n      lookback_days: 30\n",
		"bitbucket:\n  repositories:\n    - name: acme/api\n   lookback_days: 30\n",
		"bitbucket:\n\tworkspace: acme\n",
		"bitbucket: [\n",
		"a: \"x\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parse("config.yaml", data)
		if err == nil {
			return
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("got %T, want *ParseError", err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		if pe.Line < 0 || pe.Line > lines {
			t.Fatalf("got line %d, want 0..%d", pe.Line, lines)
		}
		if pe.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}
