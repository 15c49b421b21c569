package sourcemap

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// SourcesContent reads, from the JSON of a regular map in r, the members
// of its sourcesContent at the indexes want holds (a Position's
// SourceIndex), without decoding the others: the sources as the build
// held them. A member that is null or not a string is left out, and so is
// everything when r holds no map or the map has no sourcesContent. It
// reads r up to the end of that field, at most MaxSize bytes.
func SourcesContent(r io.Reader, want map[int]bool) map[int]string {
	out := map[int]string{}
	if len(want) == 0 {
		return out
	}
	br := bufio.NewReader(io.LimitReader(r, MaxSize))
	if head, _ := br.Peek(4); bytes.HasPrefix(head, []byte(")]}'")) {
		if _, err := br.ReadBytes('\n'); err != nil {
			return out
		}
	} else if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	dec := json.NewDecoder(br)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return out
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return out
		}
		if key != "sourcesContent" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return out
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return out
		}
		for i := 0; dec.More(); i++ {
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return out
			}
			var src *string
			if want[i] && json.Unmarshal(raw, &src) == nil && src != nil {
				out[i] = *src
				if len(out) == len(want) {
					return out
				}
			}
		}
		return out
	}
	return out
}
