// Package sourcemap reads Source Map v3 files (ECMA-426) and looks up where
// a position of a generated file (a minified bundle) came from: the original
// source, line, column and name.
//
// Both kinds of map are read: a regular map (version, file, sourceRoot,
// sources, names, mappings of base64 VLQ segments, ignoreList) and an index
// map, whose sections each hold a regular map at an offset of the generated
// file. A section that points at its map by url is refused: nothing is
// fetched. sourcesContent is not read by Parse; SourcesContent reads the
// members of it that are wanted.
//
// Positions given to Lookup are those a stack trace prints, 1-based line and
// 1-based column, as V8, SpiderMonkey and JavaScriptCore write them; the
// map's own are 0-based, and Lookup's answer is 1-based again.
//
// Parse bounds its work: a map larger than MaxSize, with more than
// MaxSegments mappings, or with values out of range is refused with an
// error, never a panic or an allocation out of proportion to its size.
package sourcemap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

const (
	// MaxSize is the largest map Parse reads, in bytes.
	MaxSize = 64 << 20
	// MaxSegments is the most mapping segments one map (all of an index
	// map's sections together) may hold: about 200 MiB once decoded,
	// several times what the largest real bundles need.
	MaxSegments = 8 << 20
	// maxSections is the most sections an index map may have.
	maxSections = 1 << 16
	// maxDepth is how deep index maps may nest.
	maxDepth = 4
	// maxValue is the largest line, column or index a map may name.
	maxValue = math.MaxInt32
)

// segmentBudget is MaxSegments, lowered by tests.
var segmentBudget = MaxSegments

// Position is a place in an original source file.
type Position struct {
	// Source is the map's source with its sourceRoot applied, as the map
	// spells it (webpack:///./src/cart.ts, ../src/cart.js, ...): see
	// Normalize for a path to look for in a repository.
	Source string
	// Line and Column are 1-based.
	Line, Column int
	// Name is the original name the map gives at the position (the token
	// there, an identifier or property name), if any.
	Name string
	// Ignored is set when the map lists the source in its ignoreList
	// (x_google_ignoreList): third-party code by the bundler's word.
	Ignored bool
	// SourceIndex is the source's index in the map's Sources: in a
	// regular map's sources and sourcesContent, in an index map's sections'
	// sources taken in order (see ReadSourcesContent).
	SourceIndex int
}

// Map is a parsed source map.
type Map struct {
	// File is the generated file the map describes, as its file field
	// names it (may be empty).
	File string
	// SourceRoot is the map's sourceRoot field.
	SourceRoot string
	// Sources are the sources with sourceRoot applied; Names the names.
	Sources []string
	Names   []string
	ignored []bool
	// HasContent is set when a regular map, or a section of an index map,
	// has a sourcesContent (see ReadSourcesContent).
	HasContent bool
	// segs are the mapped segments in generated order (line, then
	// column); an unmapped segment (one field) has src -1.
	segs []segment
	// sections are an index map's parts, by offset.
	sections []section
}

type segment struct {
	genLine, genCol int32
	src             int32 // -1: unmapped
	line, col       int32
	name            int32 // -1: none
}

type section struct {
	line, col int // 0-based offset in the generated file
	m         *Map
	base      int // the index in the index map's Sources of m's first source
}

// rawMap is the JSON of a map; sourcesContent is left out on purpose.
type rawMap struct {
	Version      *int             `json:"version"`
	File         string           `json:"file"`
	SourceRoot   string           `json:"sourceRoot"`
	Sources      []*string        `json:"sources"`
	Names        []string         `json:"names"`
	Mappings     *string          `json:"mappings"`
	IgnoreList   []int            `json:"ignoreList"`
	GoogleIgnore []int            `json:"x_google_ignoreList"`
	Sections     []rawSection     `json:"sections"`
	URL          *json.RawMessage `json:"url"`
	// Content notes whether sourcesContent holds anything, without
	// keeping it.
	Content presence `json:"sourcesContent"`
}

// presence is set when a JSON value other than null, [] or "" is decoded
// into it (a long one counts as present whatever it holds); the value
// itself is not kept.
type presence bool

func (p *presence) UnmarshalJSON(b []byte) error {
	*p = true
	if len(b) < 64 {
		t := string(bytes.Join(bytes.Fields(b), nil))
		*p = t != "null" && t != "[]" && t != `""` && t != ""
	}
	return nil
}

type rawSection struct {
	Offset *struct {
		Line   *int `json:"line"`
		Column *int `json:"column"`
	} `json:"offset"`
	Map *json.RawMessage `json:"map"`
	URL *string          `json:"url"`
}

// Parse reads a source map (regular or index). A leading ")]}'" line, which
// some servers put before JSON to stop its use as a script, is skipped.
func Parse(data []byte) (*Map, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("the map is %d MiB, more than the %d MiB a source map may be", len(data)>>20, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte(")]}'")) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		} else {
			data = nil
		}
	}
	budget := segmentBudget
	return parse(data, 0, &budget)
}

func parse(data []byte, depth int, budget *int) (*Map, error) {
	var raw rawMap
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("not JSON: %w", err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("not a source map: field %s is not a %s", te.Field, te.Type)
		}
		return nil, fmt.Errorf("not a source map: %w", err)
	}
	if raw.Version == nil {
		return nil, errors.New("not a source map: it has no version field")
	}
	if *raw.Version != 3 {
		return nil, fmt.Errorf("source map version %d: only version 3 is read", *raw.Version)
	}
	if raw.Sections != nil {
		return parseIndex(&raw, depth, budget)
	}
	if raw.Mappings == nil {
		return nil, errors.New("not a source map: it has neither mappings nor sections")
	}
	m := &Map{File: raw.File, SourceRoot: raw.SourceRoot, Names: raw.Names, HasContent: bool(raw.Content)}
	m.Sources = make([]string, len(raw.Sources))
	for i, s := range raw.Sources {
		if s != nil {
			m.Sources[i] = joinRoot(raw.SourceRoot, *s)
		}
	}
	ignore := raw.IgnoreList
	if ignore == nil {
		ignore = raw.GoogleIgnore
	}
	if len(ignore) > 0 {
		m.ignored = make([]bool, len(m.Sources))
		for _, i := range ignore {
			if i >= 0 && i < len(m.ignored) {
				m.ignored[i] = true
			}
		}
	}
	if err := m.decode(*raw.Mappings, budget); err != nil {
		return nil, fmt.Errorf("mappings: %w", err)
	}
	return m, nil
}

func parseIndex(raw *rawMap, depth int, budget *int) (*Map, error) {
	if depth >= maxDepth {
		return nil, fmt.Errorf("index maps nested more than %d deep", maxDepth)
	}
	if len(raw.Sections) > maxSections {
		return nil, fmt.Errorf("%d sections, more than the %d an index map may have", len(raw.Sections), maxSections)
	}
	m := &Map{File: raw.File}
	for i, s := range raw.Sections {
		if s.Offset == nil || s.Offset.Line == nil || s.Offset.Column == nil {
			return nil, fmt.Errorf("section %d has no offset line and column", i)
		}
		line, col := *s.Offset.Line, *s.Offset.Column
		if line < 0 || col < 0 || line > maxValue || col > maxValue {
			return nil, fmt.Errorf("section %d: offset %d:%d is out of range", i, line, col)
		}
		if n := len(m.sections); n > 0 {
			p := m.sections[n-1]
			if line < p.line || line == p.line && col < p.col {
				return nil, fmt.Errorf("section %d: offset %d:%d comes before the previous section's %d:%d", i, line, col, p.line, p.col)
			}
		}
		if s.Map == nil {
			if s.URL != nil {
				return nil, fmt.Errorf("section %d points at its map by url %q: only maps held in the index map are read", i, *s.URL)
			}
			return nil, fmt.Errorf("section %d has no map", i)
		}
		sub, err := parse(*s.Map, depth+1, budget)
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", i, err)
		}
		m.sections = append(m.sections, section{line: line, col: col, m: sub, base: len(m.Sources)})
		m.Sources = append(m.Sources, sub.Sources...)
		m.HasContent = m.HasContent || sub.HasContent
		m.Names = append(m.Names, sub.Names...)
	}
	return m, nil
}

// joinRoot applies sourceRoot to a source as the specification says: the
// root, a slash when it has none at its end, and the source, unless the
// source is an absolute URL or path.
func joinRoot(root, src string) string {
	if root == "" || isAbsolute(src) {
		return src
	}
	if !strings.HasSuffix(root, "/") {
		root += "/"
	}
	return root + src
}

// isAbsolute reports a URL with a scheme or an absolute path.
func isAbsolute(s string) bool {
	if strings.HasPrefix(s, "/") {
		return true
	}
	i := strings.Index(s, ":")
	if i <= 0 {
		return false
	}
	for k, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || k > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// decode reads the mappings string into m.segs.
func (m *Map) decode(s string, budget *int) error {
	var line, genCol, src, oline, ocol, name int64
	fields := [5]int64{}
	lastMapped := true // whether the line's previous segment was mapped
	for i := 0; i < len(s); {
		switch s[i] {
		case ';':
			line++
			genCol = 0
			lastMapped = true
			i++
			continue
		case ',':
			i++
			continue
		}
		n := 0
		for i < len(s) && s[i] != ',' && s[i] != ';' {
			if n == 5 {
				return fmt.Errorf("line %d: a segment of more than 5 fields", line+1)
			}
			v, next, err := vlq(s, i)
			if err != nil {
				return fmt.Errorf("line %d: %w", line+1, err)
			}
			fields[n] = v
			n++
			i = next
		}
		if n == 2 || n == 3 {
			return fmt.Errorf("line %d: a segment of %d fields (1, 4 or 5 are valid)", line+1, n)
		}
		if line > maxValue {
			return fmt.Errorf("more than %d lines", maxValue)
		}
		genCol += fields[0]
		if genCol < 0 || genCol > maxValue {
			return fmt.Errorf("line %d: generated column %d is out of range", line+1, genCol)
		}
		seg := segment{genLine: int32(line), genCol: int32(genCol), src: -1, name: -1}
		if n >= 4 {
			src += fields[1]
			oline += fields[2]
			ocol += fields[3]
			if src < 0 || src >= int64(len(m.Sources)) {
				return fmt.Errorf("line %d: source %d of %d", line+1, src, len(m.Sources))
			}
			if oline < 0 || oline > maxValue || ocol < 0 || ocol > maxValue {
				return fmt.Errorf("line %d: original position %d:%d is out of range", line+1, oline, ocol)
			}
			seg.src, seg.line, seg.col = int32(src), int32(oline), int32(ocol)
			if n == 5 {
				name += fields[4]
				if name < 0 || name >= int64(len(m.Names)) {
					return fmt.Errorf("line %d: name %d of %d", line+1, name, len(m.Names))
				}
				seg.name = int32(name)
			}
		} else if !lastMapped {
			// An unmapped segment after another changes nothing a
			// lookup can see: the first one already ends the mapping.
			continue
		}
		lastMapped = n >= 4
		if *budget <= 0 {
			return fmt.Errorf("more than %d segments, the most a map may hold", segmentBudget)
		}
		*budget--
		m.segs = append(m.segs, seg)
	}
	// Segments should come in column order on each line; sort the rare
	// map that does not, so a lookup's binary search holds.
	if !sort.SliceIsSorted(m.segs, func(a, b int) bool { return less(m.segs[a], m.segs[b]) }) {
		sort.SliceStable(m.segs, func(a, b int) bool { return less(m.segs[a], m.segs[b]) })
	}
	return nil
}

func less(a, b segment) bool {
	return a.genLine < b.genLine || a.genLine == b.genLine && a.genCol < b.genCol
}

// vlq reads one base64 VLQ value of s at i: its value and where the next
// one starts.
func vlq(s string, i int) (int64, int, error) {
	var v int64
	shift := uint(0)
	for {
		if i >= len(s) || s[i] == ',' || s[i] == ';' {
			return 0, i, errors.New("a value that ends in the middle")
		}
		d := base64Value(s[i])
		if d < 0 {
			return 0, i, fmt.Errorf("%q is not a base64 digit", s[i])
		}
		i++
		v |= int64(d&31) << shift
		if d&32 == 0 {
			break
		}
		shift += 5
		if shift > 30 {
			return 0, i, errors.New("a value larger than 32 bits")
		}
	}
	if v > 1<<32-1 {
		return 0, i, errors.New("a value larger than 32 bits")
	}
	neg := v&1 == 1
	v >>= 1
	if neg {
		v = -v
	}
	return v, i, nil
}

func base64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}

// Lookup returns the original position of the generated position line:col,
// both 1-based as a stack trace prints them. It takes the segment of that
// line with the greatest generated column not after col, as source-map
// libraries do; ok is false when the line has none or it maps to no
// source.
func (m *Map) Lookup(line, col int) (Position, bool) {
	if line < 1 || col < 1 || line > maxValue || col > maxValue {
		return Position{}, false
	}
	return m.lookup(line-1, col-1)
}

func (m *Map) lookup(line, col int) (Position, bool) {
	if m.sections != nil {
		i := sort.Search(len(m.sections), func(i int) bool {
			s := m.sections[i]
			return s.line > line || s.line == line && s.col > col
		}) - 1
		if i < 0 {
			return Position{}, false
		}
		s := m.sections[i]
		if line == s.line {
			col -= s.col
		}
		p, ok := s.m.lookup(line-s.line, col)
		if ok {
			p.SourceIndex += s.base // an index of the section's own map
		}
		return p, ok
	}
	i := sort.Search(len(m.segs), func(i int) bool {
		s := m.segs[i]
		return int(s.genLine) > line || int(s.genLine) == line && int(s.genCol) > col
	}) - 1
	if i < 0 || int(m.segs[i].genLine) != line || m.segs[i].src < 0 {
		return Position{}, false
	}
	s := m.segs[i]
	p := Position{Source: m.Sources[s.src], Line: int(s.line) + 1, Column: int(s.col) + 1, SourceIndex: int(s.src)}
	if s.name >= 0 {
		p.Name = m.Names[s.name]
	}
	if m.ignored != nil {
		p.Ignored = m.ignored[s.src]
	}
	return p, true
}
