package analyze

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzFileField reads a map's file field from any bytes: it never panics,
// and from a JSON object with one plain "file" key whose value is a
// string it reads that string, as a whole decode would.
func FuzzFileField(f *testing.F) {
	f.Add([]byte(`{"version":3,"file":"main.js","mappings":"AAAA"}`))
	f.Add([]byte(`{"version":3,"sources":["a.ts"],"mappings":"AAAA","file":"late.js"}`))
	f.Add([]byte(`{"sections":[{"map":{"file":"inner.js"}}],"file":"outer.js"}`))
	f.Add([]byte(`["file"]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := fileField(bytes.NewReader(data))
		if bytes.Count(bytes.ToLower(data), []byte(`"file"`)) != 1 || bytes.Contains(data, []byte(`\`)) {
			return
		}
		var m struct {
			File *string `json:"file"`
		}
		if json.Unmarshal(data, &m) != nil || m.File == nil {
			return
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(data, &top) != nil {
			return
		}
		if _, ok := top["file"]; !ok {
			return // a case-folded key ("File") that Unmarshal matched
		}
		if got != *m.File {
			t.Errorf("fileField(%q) = %q, want %q", data, got, *m.File)
		}
	})
}
