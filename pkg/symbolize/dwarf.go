package symbolize

import (
	"debug/dwarf"
	"errors"
	"io"
	"path"
	"sort"
	"strings"
)

// maxRows and maxScopes bound what one compilation unit may decode to.
const (
	maxRows   = 16 << 20
	maxScopes = 4 << 20
	maxDepth  = 256
)

// A unit is one compilation unit (one of its address ranges): decoded on
// first use into its line table's rows and its functions.
type unit struct {
	lo, hi uint64
	entry  *dwarf.Entry
	shared *unit // the unit's first range, which holds the decoded data

	decoded bool
	err     error
	compDir string
	files   []string // the line table's files, by index
	rows    []row    // sorted by addr
	scopes  []*scope // the unit's subprograms, sorted by lo
}

// row is one row of the line table: the place of the code from addr to
// the next row; end marks the end of a sequence (no code there).
type row struct {
	addr uint64
	file int32
	line int32
	col  int32
	end  bool
}

// A scope is a subprogram or an inlined subroutine: its address ranges,
// its name, for an inlined one the place of its call, and what is inlined
// in it.
type scope struct {
	ranges   [][2]uint64
	lo       uint64
	name     string
	callFile int
	callLine int
	callCol  int
	children []*scope
}

func (s *scope) contains(addr uint64) bool {
	for _, r := range s.ranges {
		if addr >= r[0] && addr < r[1] {
			return true
		}
	}
	return false
}

// decode reads the unit's line table and functions.
func (u *unit) decode(d *dwarf.Data, budget int) error {
	u.compDir, _ = u.entry.Val(dwarf.AttrCompDir).(string)
	lr, err := d.LineReader(u.entry)
	if err != nil {
		return err
	}
	if lr != nil {
		for _, f := range lr.Files() {
			name := ""
			if f != nil {
				name = f.Name
			}
			u.files = append(u.files, name)
		}
		var le dwarf.LineEntry
		for {
			err := lr.Next(&le)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			if len(u.rows) >= maxRows {
				return errors.New("line table too large")
			}
			fi := int32(-1)
			if le.File != nil {
				fi = int32(u.fileIndex(le.File.Name))
			}
			u.rows = append(u.rows, row{addr: le.Address, file: fi, line: int32(le.Line), col: int32(le.Column), end: le.EndSequence})
		}
		// Sequences may come in any order; within one, rows ascend. An
		// end of sequence sorts before a row at the same address, which
		// starts the next sequence.
		sort.SliceStable(u.rows, func(i, j int) bool {
			a, b := u.rows[i], u.rows[j]
			if a.addr != b.addr {
				return a.addr < b.addr
			}
			return a.end && !b.end
		})
	}
	return u.readScopes(d, budget)
}

// fileIndex is the index of a file name in u.files, added when missing
// (the line table's own entries come from its file table; a name not
// there was added by a DW_LNE_define_file).
func (u *unit) fileIndex(name string) int {
	for i := len(u.files) - 1; i >= 0; i-- {
		if u.files[i] == name {
			return i
		}
	}
	u.files = append(u.files, name)
	return len(u.files) - 1
}

// readScopes reads the unit's subprograms and inlined subroutines, with
// the names of what they are concrete or inlined instances of.
func (u *unit) readScopes(d *dwarf.Data, budget int) error {
	r := d.Reader()
	r.Seek(u.entry.Offset)
	cu, err := r.Next()
	if err != nil || cu == nil || !cu.Children {
		return err
	}
	names := map[dwarf.Offset]string{}      // a DIE's qualified name
	refs := map[dwarf.Offset]dwarf.Offset{} // abstract_origin or specification
	type open struct {
		prefix string
		scope  *scope // nil: not a scope
	}
	stack := []open{{}}
	var all []*scope
	var named []*scope
	var namedRef []dwarf.Offset
	count := 0
	last := cu.Offset
	for n := 0; len(stack) > 0; n++ {
		if n > budget {
			return errors.New("malformed DWARF: more entries than bytes")
		}
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			break
		}
		if e.Tag == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		// A corrupt DW_AT_sibling or reference can send the reader
		// back: entries must come in order (null entries have no
		// offset).
		if e.Offset <= last {
			return errors.New("malformed DWARF: entries out of order")
		}
		last = e.Offset
		top := stack[len(stack)-1]
		name, _ := e.Val(dwarf.AttrName).(string)
		qual := name
		if name != "" && top.prefix != "" {
			qual = top.prefix + "::" + name
		}
		if name != "" {
			names[e.Offset] = qual
		}
		ref, hasRef := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
		if !hasRef {
			ref, hasRef = e.Val(dwarf.AttrSpecification).(dwarf.Offset)
		}
		if hasRef {
			refs[e.Offset] = ref
		}
		next := open{prefix: top.prefix}
		switch e.Tag {
		case dwarf.TagNamespace, dwarf.TagClassType, dwarf.TagStructType, dwarf.TagUnionType:
			if name == "" && e.Tag == dwarf.TagNamespace {
				next.prefix = joinScope(top.prefix, "(anonymous namespace)")
			} else if name != "" {
				next.prefix = qual
			}
		case dwarf.TagSubprogram, dwarf.TagInlinedSubroutine:
			s := &scope{}
			if rs, err := d.Ranges(e); err == nil {
				for _, rg := range rs {
					if rg[1] > rg[0] {
						s.ranges = append(s.ranges, rg)
					}
				}
			}
			if e.Tag == dwarf.TagInlinedSubroutine {
				s.callFile = intVal(e, dwarf.AttrCallFile)
				s.callLine = intVal(e, dwarf.AttrCallLine)
				s.callCol = intVal(e, dwarf.AttrCallColumn)
			}
			if len(s.ranges) > 0 {
				s.lo = s.ranges[0][0]
				for _, rg := range s.ranges {
					s.lo = min(s.lo, rg[0])
				}
				count++
				if count > maxScopes {
					return errors.New("too many functions")
				}
				if top.scope != nil {
					top.scope.children = append(top.scope.children, s)
				} else {
					all = append(all, s)
				}
				named = append(named, s)
				namedRef = append(namedRef, ref) // 0 without one
				if name != "" {
					s.name = qual
				}
				next.scope = s
			} else {
				next.scope = top.scope // a declaration: what is inside is not code of it
			}
			// Inside a function, nested names (local classes, lambdas)
			// are qualified by it.
			if name != "" {
				next.prefix = qual
			}
		default:
			next.scope = top.scope
		}
		if e.Children {
			if len(stack) >= maxDepth {
				r.SkipChildren()
				continue
			}
			stack = append(stack, next)
		}
	}
	for i, s := range named {
		if s.name != "" {
			continue
		}
		s.name = resolveName(d, namedRef[i], names, refs)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].lo < all[j].lo })
	u.scopes = all
	return nil
}

// resolveName follows abstract origins and specifications to a name: a
// DIE of this unit by the names read, another unit's by reading it.
func resolveName(d *dwarf.Data, off dwarf.Offset, names map[dwarf.Offset]string, refs map[dwarf.Offset]dwarf.Offset) string {
	for range 8 {
		if off == 0 {
			return ""
		}
		if n, ok := names[off]; ok {
			return n
		}
		if next, ok := refs[off]; ok {
			off = next
			continue
		}
		// A DIE in another unit (DW_FORM_ref_addr).
		r := d.Reader()
		r.Seek(off)
		e, err := r.Next()
		if err != nil || e == nil {
			return ""
		}
		if n, ok := e.Val(dwarf.AttrName).(string); ok {
			return n
		}
		next, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
		if !ok {
			next, ok = e.Val(dwarf.AttrSpecification).(dwarf.Offset)
		}
		if !ok || next == off {
			return ""
		}
		off = next
	}
	return ""
}

func joinScope(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "::" + name
}

func intVal(e *dwarf.Entry, a dwarf.Attr) int {
	switch v := e.Val(a).(type) {
	case int64:
		if v >= 0 && v < 1<<31 {
			return int(v)
		}
	case uint64:
		if v < 1<<31 {
			return int(v)
		}
	}
	return 0
}

// frames is the inline chain at addr, innermost first.
func (u *unit) frames(addr uint64) []Frame {
	var chain []*scope
	list := u.scopes
	for depth := 0; depth < maxDepth; depth++ {
		var hit *scope
		// Subprograms are sorted; inlined ones are few per parent.
		if depth == 0 {
			i := sort.Search(len(list), func(i int) bool { return list[i].lo > addr })
			for k := i - 1; k >= 0 && k >= i-64; k-- {
				if list[k].contains(addr) {
					hit = list[k]
					break
				}
			}
		} else {
			for _, s := range list {
				if s.contains(addr) {
					hit = s
					break
				}
			}
		}
		if hit == nil {
			break
		}
		chain = append(chain, hit)
		list = hit.children
	}
	file, line, col, ok := u.lineAt(addr)
	if len(chain) == 0 {
		if !ok {
			return nil
		}
		return []Frame{{File: file, Line: line, Column: col}}
	}
	out := make([]Frame, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		s := chain[i]
		out = append(out, Frame{Function: s.name, File: file, Line: line, Column: col})
		// The caller's place is where s was inlined.
		file, line, col = u.fileName(s.callFile), s.callLine, s.callCol
	}
	return out
}

// lineAt finds the line table's row for addr.
func (u *unit) lineAt(addr uint64) (file string, line, col int, ok bool) {
	i := sort.Search(len(u.rows), func(i int) bool { return u.rows[i].addr > addr })
	if i == 0 {
		return "", 0, 0, false
	}
	r := u.rows[i-1]
	if r.end {
		return "", 0, 0, false
	}
	return u.fileName(int(r.file)), int(r.line), int(r.col), true
}

// fileName is the path of the line table's file i, relative to the
// compilation directory when under it (as the build named it:
// "src/cart.c"), else as the table gives it.
func (u *unit) fileName(i int) string {
	if i < 0 || i >= len(u.files) {
		return ""
	}
	name := u.files[i]
	if u.compDir != "" && strings.HasPrefix(name, u.compDir) {
		rest := strings.TrimPrefix(name[len(u.compDir):], "/")
		if rest != "" && (strings.HasSuffix(u.compDir, "/") || name[len(u.compDir)] == '/') {
			return path.Clean(rest)
		}
	}
	return name
}
