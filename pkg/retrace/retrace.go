package retrace

import (
	"fmt"
	"sort"
	"strings"
)

// Frame is one original frame: the class, the method, the source file's
// name (Cart.kt, Cart.java) and the line, 0 when not known.
type Frame struct {
	Class  string
	Method string
	File   string
	Line   int
}

// Set is the mappings of one run (one per app or module): a class is
// looked up in each, in order, and the first that names it retraces it.
type Set []*Mapping

// Frame retraces the frame of obfuscated class cls, method name method
// at line (0: none): the original frames innermost first, several when
// methods were inlined. ok is false when no mapping names cls; frames is
// nil and note says why when the mapping names it but cannot tell which
// method the frame is in.
func (s Set) Frame(cls, method string, line int) (frames []Frame, note string, ok bool) {
	if method == "" {
		return nil, "", false // no frame
	}
	for _, m := range s {
		if m == nil {
			continue
		}
		if c := m.classes[cls]; c != nil {
			f, n := m.frame(c, method, line)
			return f, n, true
		}
	}
	return nil, "", false
}

// Class is the original name of obfuscated class cls.
func (s Set) Class(cls string) (string, bool) {
	for _, m := range s {
		if m == nil {
			continue
		}
		if c := m.classes[cls]; c != nil {
			return c.orig, true
		}
	}
	return "", false
}

// Frame retraces a frame with this mapping alone; see Set.Frame.
func (m *Mapping) Frame(cls, method string, line int) ([]Frame, string, bool) {
	return Set{m}.Frame(cls, method, line)
}

func (m *Mapping) frame(c *class, method string, line int) ([]Frame, string) {
	chains := c.methods[method]
	if len(chains) == 0 {
		// The class is renamed, the method is not (or is not listed):
		// the class's name and file, the frame's method and line.
		return []Frame{{Class: c.orig, Method: method, File: m.sourceFile(c, c.orig), Line: line}}, ""
	}
	if line > 0 {
		var hits []chain
		for _, ch := range chains {
			if ch[0].hasRange && ch[0].start <= line && line <= ch[0].end {
				hits = append(hits, ch)
			}
		}
		if len(hits) > 0 {
			first := m.expand(hits[0], line)
			for _, h := range hits[1:] {
				if !sameFrames(first, m.expand(h, line)) {
					return nil, fmt.Sprintf("%s.%s at line %d is ambiguous in the mapping: it may be %s", c.obf, method, line, m.candidates(hits))
				}
			}
			return first, ""
		}
	}
	// No line, or a line outside every range: the frame is in the
	// method whose code the chains are (the last of each), if they are
	// all one method.
	outer := chains[0][len(chains[0])-1]
	for _, ch := range chains[1:] {
		o := ch[len(ch)-1]
		if o.name != outer.name || o.args != outer.args || m.classOf(o) != m.classOf(outer) {
			where := "without a line"
			if line > 0 {
				where = fmt.Sprintf("at line %d, outside its ranges,", line)
			}
			return nil, fmt.Sprintf("%s.%s %s is ambiguous in the mapping: it may be %s", c.obf, method, where, m.candidates(chains))
		}
	}
	// A method with no line information kept its lines; one with ranges
	// that do not hold the line has lost it.
	out := 0
	if line > 0 {
		out = line
		for _, ch := range chains {
			if ch[0].hasRange {
				out = 0
			}
		}
	}
	cls := m.classOf(outer)
	return []Frame{{Class: cls, Method: outer.name, File: m.sourceFile(outer.ownClass, cls), Line: out}}, ""
}

// expand is the frames of an inline chain holding line, innermost first,
// without its synthesized methods unless nothing else is left.
func (m *Mapping) expand(ch chain, line int) []Frame {
	var all, kept []Frame
	for _, mt := range ch {
		cls := m.classOf(mt)
		f := Frame{Class: cls, Method: mt.name, File: m.sourceFile(mt.ownClass, cls), Line: mt.origLine(line)}
		all = append(all, f)
		if !mt.synthesized && !(mt.class == "" && mt.ownClass.synthesized) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return all
	}
	return kept
}

// origLine is the original line of obfuscated line (inside the range).
func (mt *method) origLine(line int) int {
	switch {
	case mt.origStart == 0 && mt.origEnd == 0:
		return line // ProGuard's range of lines it did not move
	case mt.origEnd > mt.origStart:
		n := mt.origStart + (line - mt.start)
		if n > mt.origEnd {
			n = mt.origEnd // a range mapped to a shorter one
		}
		if n < mt.origStart {
			n = mt.origStart
		}
		return n
	}
	return mt.origStart
}

// classOf is the original class of a method line.
func (m *Mapping) classOf(mt *method) string {
	if mt.class != "" {
		return mt.class
	}
	return mt.ownClass.orig
}

// sourceFile is the source file of original class name: the one R8
// recorded for it (or for its outermost class), else the .java file of
// its outermost class.
func (m *Mapping) sourceFile(own *class, name string) string {
	if own != nil && own.orig == name && own.file != "" {
		return own.file
	}
	if c := m.byOrig[name]; c != nil && c.file != "" {
		return c.file
	}
	if i := strings.IndexByte(name, '$'); i > 0 {
		// A nested class is in its outermost class's file.
		if c := m.byOrig[name[:i]]; c != nil && c.file != "" {
			return c.file
		}
	}
	return JavaFile(name)
}

// JavaFile is the .java file a class is in when nothing says otherwise:
// its outermost class's name (com.shop.Cart$Item: Cart.java).
func JavaFile(class string) string {
	simple := class
	if d := strings.LastIndexByte(simple, '.'); d >= 0 {
		simple = simple[d+1:]
	}
	if i := strings.IndexByte(simple, '$'); i > 0 {
		simple = simple[:i]
	}
	return simple + ".java"
}

// candidates names the methods chains may be, for a note.
func (m *Mapping) candidates(chains []chain) string {
	seen := map[string]bool{}
	var names []string
	for _, ch := range chains {
		o := ch[len(ch)-1]
		n := m.classOf(o) + "." + o.name + "(" + o.args + ")"
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > 4 {
		names = append(names[:4], fmt.Sprintf("%d more", len(names)-4))
	}
	return strings.Join(names, ", ")
}

func sameFrames(a, b []Frame) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
