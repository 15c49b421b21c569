package sourcemap

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// member returns a decoder of the map's JSON in r positioned at the value
// of its top-level member key, the members before it skipped without
// being decoded; ok is false when r holds no JSON object or the object
// has no such member. r is read after the byte-order mark and the ")]}'"
// line Parse skips too, at most MaxSize bytes, and only up to the member.
func member(r io.Reader, key string) (dec *json.Decoder, ok bool) {
	br := bufio.NewReader(io.LimitReader(r, MaxSize))
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	if head, _ := br.Peek(4); bytes.Equal(head, []byte(")]}'")) {
		if _, err := br.ReadBytes('\n'); err != nil {
			return nil, false
		}
	}
	dec = json.NewDecoder(br)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		if t == key {
			return dec, true
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return nil, false
		}
	}
	return nil, false
}

// FileField returns the file field of the map in r, read without decoding
// the members before it (bundlers write it before the mappings); "" when
// the map has none, it is not a string, or r holds no JSON object.
func FileField(r io.Reader) string {
	dec, ok := member(r, "file")
	if !ok {
		return ""
	}
	var file string
	if dec.Decode(&file) != nil {
		return ""
	}
	return file
}

// ReadSourcesContent reads, from r, which holds the JSON m was parsed from,
// the sources at the indexes want holds (a Position's SourceIndex) as the
// build held them: SourcesContent for a regular map, SectionsContent for
// an index map.
func (m *Map) ReadSourcesContent(r io.Reader, want map[int]bool) map[int]string {
	if m.sections != nil {
		return SectionsContent(r, want)
	}
	return SourcesContent(r, want)
}

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
	dec, ok := member(r, "sourcesContent")
	if !ok {
		return out
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

// SectionsContent is SourcesContent for an index map: the indexes count
// the sources of its sections in order, as Map.Sources lists them. The
// members before the sections are skipped without being decoded, and so is
// every section past the last source wanted; a section's map is decoded as
// far as its sources and sourcesContent (a nested index map's, section by
// section). What cannot be read is left out, as SourcesContent does.
func SectionsContent(r io.Reader, want map[int]bool) map[int]string {
	out := map[int]string{}
	if len(want) == 0 {
		return out
	}
	last := 0
	for k := range want {
		last = max(last, k)
	}
	if dec, ok := member(r, "sections"); ok {
		sectionsContent(dec, 0, last, want, out, 0)
	}
	return out
}

// sectionsContent reads a sections array from dec, its first source being
// the index map's base-th, into out; n counts the sources it went
// through. It stops past source last, or at what it cannot read (ok
// false).
func sectionsContent(dec *json.Decoder, base, last int, want map[int]bool, out map[int]string, depth int) (n int, ok bool) {
	if t, err := dec.Token(); err != nil || t != json.Delim('[') || depth >= maxDepth {
		return 0, false
	}
	for dec.More() && base+n <= last {
		var s struct {
			Map json.RawMessage `json:"map"`
		}
		if dec.Decode(&s) != nil {
			return n, false
		}
		var m struct {
			Sources  []json.RawMessage `json:"sources"`
			Content  []json.RawMessage `json:"sourcesContent"`
			Sections json.RawMessage   `json:"sections"`
		}
		if json.Unmarshal(s.Map, &m) != nil {
			return n, false
		}
		if len(m.Sections) > 0 && !bytes.Equal(m.Sections, []byte("null")) {
			k, ok := sectionsContent(json.NewDecoder(bytes.NewReader(m.Sections)), base+n, last, want, out, depth+1)
			n += k
			if !ok {
				return n, false
			}
			continue
		}
		for i, raw := range m.Content {
			var src *string
			if i < len(m.Sources) && want[base+n+i] && json.Unmarshal(raw, &src) == nil && src != nil {
				out[base+n+i] = *src
			}
		}
		n += len(m.Sources)
	}
	return n, true
}
