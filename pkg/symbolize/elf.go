// Package symbolize resolves addresses within a native module (an ELF
// executable or shared library, or a Mach-O program, library or .dSYM
// DWARF file: see macho.go) to the functions, source files and lines
// its DWARF debug information gives, inlined calls included, as
// llvm-symbolizer and addr2line do. It reads the unstripped module itself
// or its separate debug file (objcopy --only-keep-debug, a .build-id tree,
// a .gnu_debuglink target) with the standard library's debug/elf and
// debug/dwarf: DWARF 2 to 5, and debug sections compressed with zlib or
// zstd (SHF_COMPRESSED) or as .zdebug_*.
//
// Index finds the debug file of a module by its GNU build ID or its name.
// A Module opens its file when first asked, and reads its DWARF sections
// then, whole (debug/dwarf needs them in memory): the line table and
// functions of a compilation unit are decoded when an address falls in it.
// Corrupt input is an error, never a panic.
package symbolize

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// A Frame is one function of the inline chain at an address: its name
// and the place within it (for an inlined function's caller, the place of
// the call).
type Frame struct {
	Function string
	File     string
	Line     int
	Column   int
}

// MaxDWARF is the most bytes of debug sections (uncompressed) a module
// may have for its DWARF to be loaded.
const MaxDWARF = 4 << 30

// A Module is one ELF file: its build ID, its .gnu_debuglink, whether it
// holds DWARF, and, once Resolve is called, that DWARF.
type Module struct {
	Path string
	// BuildID is the GNU build ID (NT_GNU_BUILD_ID) in lower-case hex,
	// "" when the file has none.
	BuildID string
	// DebugLink is the file name .gnu_debuglink names ("" when none): a
	// stripped file's separate debug file.
	DebugLink string
	// HasDWARF reports a .debug_info (or .zdebug_info) with contents.
	HasDWARF bool
	// Start is the lowest address of the module's PT_LOAD segments,
	// page-aligned: where its first mapping starts when loaded without
	// a bias.
	//
	// For a Mach-O file, BuildID is its LC_UUID and Start its __TEXT
	// segment's vmaddr (see macho.go).
	Start uint64
	// Arch is a Mach-O file's CPU ("arm64", "x86_64"), "" for ELF.
	Arch string

	macho               bool  // a Mach-O file (a slice of a universal file when sliceSize > 0)
	sliceOff, sliceSize int64 // the slice's place in its universal file
	loaded              bool
	err                 error
	data                *dwarf.Data
	units               []*unit // sorted by lo
	syms                []symbol
	src                 io.ReaderAt // the file's bytes, when not read from Path (tests)
	budget              int         // the most DWARF entries a walk may read
}

// symbol is a function of the symbol table.
type symbol struct {
	name   string
	lo, hi uint64
	sized  bool
}

// ReadModule reads an ELF file's headers, build ID and debuglink, or a
// Mach-O file's UUID and __TEXT address (a universal file's first
// slice). It does not read the DWARF: Resolve does when first called.
func ReadModule(path string) (m *Module, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%s: malformed file (%v)", path, r)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readModule(path, f)
}

// IsELF reports whether r starts with the ELF magic.
func IsELF(r io.ReaderAt) bool {
	var b [4]byte
	_, err := r.ReadAt(b[:], 0)
	return err == nil && string(b[:]) == elf.ELFMAG
}

// readModule reads an ELF or Mach-O file (a universal file's first
// slice).
func readModule(path string, r io.ReaderAt) (*Module, error) {
	ms, err := readModules(path, r)
	if err != nil {
		return nil, err
	}
	return ms[0], nil
}

// readModules reads an ELF file, or a Mach-O file's slices. A panic of
// the standard library's readers is an error.
func readModules(path string, r io.ReaderAt) (ms []*Module, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			ms, err = nil, fmt.Errorf("%s: malformed file (%v)", path, rec)
		}
	}()
	if IsMachO(r) {
		return readMachO(path, r)
	}
	m, err := readELF(path, r)
	if err != nil {
		return nil, err
	}
	return []*Module{m}, nil
}

func readELF(path string, r io.ReaderAt) (*Module, error) {
	ef, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer ef.Close()
	m := &Module{Path: path}
	m.BuildID = buildID(ef)
	if s := ef.Section(".gnu_debuglink"); s != nil && s.Type != elf.SHT_NOBITS && s.Size < 4096 {
		if b, err := s.Data(); err == nil {
			if i := bytes.IndexByte(b, 0); i > 0 {
				m.DebugLink = string(b[:i])
			}
		}
	}
	for _, name := range []string{".debug_info", ".zdebug_info"} {
		if s := ef.Section(name); s != nil && s.Type != elf.SHT_NOBITS && s.Size > 0 {
			m.HasDWARF = true
		}
	}
	first := true
	for _, p := range ef.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		start := p.Vaddr
		if p.Align > 1 && p.Align&(p.Align-1) == 0 {
			start &^= p.Align - 1
		}
		if first || start < m.Start {
			m.Start = start
		}
		first = false
	}
	return m, nil
}

// buildID reads the NT_GNU_BUILD_ID note.
func buildID(ef *elf.File) string {
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_NOTE || s.Size > 1<<16 {
			continue
		}
		b, err := s.Data()
		if err != nil {
			continue
		}
		if id := noteBuildID(b, ef.ByteOrder); id != "" {
			return id
		}
	}
	return ""
}

// noteBuildID finds the GNU build ID in the notes b.
func noteBuildID(b []byte, bo binary.ByteOrder) string {
	for len(b) >= 12 {
		namesz, descsz, typ := bo.Uint32(b), bo.Uint32(b[4:]), bo.Uint32(b[8:])
		b = b[12:]
		nlen, dlen := align4(uint64(namesz)), align4(uint64(descsz))
		if nlen > uint64(len(b)) || nlen+dlen > uint64(len(b)) {
			return ""
		}
		name, desc := b[:namesz], b[nlen:nlen+uint64(descsz)]
		if typ == 3 && string(name) == "GNU\x00" && len(desc) > 0 { // NT_GNU_BUILD_ID
			return hex.EncodeToString(desc)
		}
		b = b[nlen+dlen:]
	}
	return ""
}

func align4(n uint64) uint64 { return (n + 3) &^ 3 }

// Resolve gives the frames at addr, an address of the module's ELF
// (its virtual address: for a sanitizer's "(server+0x1234)", 0x1234),
// innermost inlined function first, its caller last. No frame and no
// error: the DWARF does not cover addr. A corrupt file is an error, for
// this call and every later one.
func (m *Module) Resolve(addr uint64) (frames []Frame, err error) {
	defer func() {
		if r := recover(); r != nil {
			m.err = fmt.Errorf("%s: malformed DWARF (%v)", m.Path, r)
			frames, err = nil, m.err
		}
	}()
	if !m.loaded {
		m.loaded = true
		m.err = m.load()
	}
	if m.err != nil {
		return nil, m.err
	}
	u := m.unitAt(addr)
	if u == nil {
		if name := m.symbolAt(addr); name != "" {
			return []Frame{{Function: name}}, nil
		}
		return nil, nil
	}
	if !u.decoded {
		u.decoded = true
		if err := u.decode(m.data, m.budget); err != nil {
			u.err = fmt.Errorf("%s: %w", m.Path, err)
		}
	}
	if u.err != nil {
		return nil, u.err
	}
	return u.frames(addr), nil
}

// load opens the file and reads its DWARF and the compilation units'
// address ranges.
func (m *Module) load() error {
	var src io.ReaderAt = m.src
	if src == nil {
		f, err := os.Open(m.Path)
		if err != nil {
			return err
		}
		defer f.Close()
		src = f
	}
	if m.macho {
		return m.loadMachO(src)
	}
	ef, err := elf.NewFile(src)
	if err != nil {
		return fmt.Errorf("%s: %w", m.Path, err)
	}
	defer ef.Close()
	var total uint64
	for _, s := range ef.Sections {
		if strings.HasPrefix(s.Name, ".debug_") || strings.HasPrefix(s.Name, ".zdebug_") {
			total += s.Size
		}
	}
	m.readSymbols(ef)
	if !m.HasDWARF {
		return nil
	}
	if total > MaxDWARF {
		return fmt.Errorf("%s: %d MiB of debug information, more than the %d MiB read", m.Path, total>>20, MaxDWARF>>20)
	}
	d, err := ef.DWARF()
	if err != nil {
		return fmt.Errorf("%s: %w", m.Path, err)
	}
	// Each entry takes a byte of .debug_info at least: more entries than
	// bytes means that a corrupt reference sent the reader round.
	m.budget = 1 << 10
	for _, name := range []string{".debug_info", ".zdebug_info"} {
		if s := ef.Section(name); s != nil {
			m.budget += int(min(s.Size, 1<<40))
		}
	}
	return m.indexUnits(d)
}

// indexUnits keeps the DWARF d (of an ELF or a Mach-O file) and the
// address ranges of its compilation units, reading at most m.budget
// entries.
func (m *Module) indexUnits(d *dwarf.Data) error {
	m.data = d
	r := d.Reader()
	last := dwarf.Offset(0)
	for n := 0; ; n++ {
		if n > m.budget {
			return fmt.Errorf("%s: malformed DWARF: more entries than bytes", m.Path)
		}
		e, err := r.Next()
		if err != nil {
			return fmt.Errorf("%s: %w", m.Path, err)
		}
		if e == nil {
			break
		}
		if e.Tag == 0 {
			continue // a null entry, with no offset
		}
		// A corrupt DW_AT_sibling can send the reader back: entries
		// must come in order.
		if n > 0 && e.Offset <= last {
			return fmt.Errorf("%s: malformed DWARF: entries out of order at %#x", m.Path, e.Offset)
		}
		last = e.Offset
		if e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit {
			ranges, err := d.Ranges(e)
			if err == nil {
				for _, rg := range ranges {
					if rg[1] > rg[0] {
						m.units = append(m.units, &unit{lo: rg[0], hi: rg[1], entry: e, shared: nil})
					}
				}
			}
		}
		r.SkipChildren()
	}
	// A unit with several ranges is one unit: they share what decode
	// reads.
	byEntry := map[dwarf.Offset]*unit{}
	for i, u := range m.units {
		if first, ok := byEntry[u.entry.Offset]; ok {
			m.units[i].shared = first
		} else {
			byEntry[u.entry.Offset] = u
		}
	}
	sort.SliceStable(m.units, func(i, j int) bool { return m.units[i].lo < m.units[j].lo })
	return nil
}

// unitAt is the compilation unit whose ranges hold addr.
func (m *Module) unitAt(addr uint64) *unit {
	i := sort.Search(len(m.units), func(i int) bool { return m.units[i].lo > addr })
	// Ranges may nest or overlap (a unit's whole span and another's
	// piece): look back at the few before.
	for k := i - 1; k >= 0 && k >= i-64; k-- {
		u := m.units[k]
		if addr >= u.lo && addr < u.hi {
			if u.shared != nil {
				return u.shared
			}
			return u
		}
	}
	return nil
}

// maxSymbols is the most functions read from a symbol table.
const maxSymbols = 8 << 20

// readSymbols keeps the functions of the symbol table (.symtab, else
// .dynsym), for addresses the DWARF does not cover.
func (m *Module) readSymbols(ef *elf.File) {
	syms, err := ef.Symbols()
	if err != nil || len(syms) == 0 {
		syms, _ = ef.DynamicSymbols()
	}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value == 0 || s.Section == elf.SHN_UNDEF || len(m.syms) >= maxSymbols {
			continue
		}
		name := s.Name
		if i := strings.IndexByte(name, '@'); i > 0 {
			name = name[:i] // a versioned name, "memcpy@@GLIBC_2.14"
		}
		m.syms = append(m.syms, symbol{name: name, lo: s.Value, hi: s.Value + s.Size, sized: s.Size > 0})
	}
	sort.SliceStable(m.syms, func(i, j int) bool { return m.syms[i].lo < m.syms[j].lo })
	for i := range m.syms {
		if !m.syms[i].sized {
			m.syms[i].hi = m.syms[i].lo + 1
			if i+1 < len(m.syms) {
				m.syms[i].hi = m.syms[i+1].lo
			}
		}
	}
}

// symbolAt is the name of the symbol table's function holding addr.
func (m *Module) symbolAt(addr uint64) string {
	i := sort.Search(len(m.syms), func(i int) bool { return m.syms[i].lo > addr })
	for k := i - 1; k >= 0 && k >= i-16; k-- {
		if s := m.syms[k]; addr >= s.lo && addr < s.hi {
			return s.name
		}
	}
	return ""
}

// SymbolAddress is the address of the function name in the module's
// symbol table (for backtrace_symbols' "server(handler+0x1d)"), ok false
// when the table does not hold it once.
func (m *Module) SymbolAddress(name string) (addr uint64, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			m.err = fmt.Errorf("%s: malformed ELF file (%v)", m.Path, r)
			addr, ok = 0, false
		}
	}()
	if !m.loaded {
		m.loaded = true
		m.err = m.load()
	}
	if m.err != nil && len(m.syms) == 0 {
		return 0, false
	}
	n := 0
	for _, s := range m.syms {
		if s.name == name {
			if n > 0 && s.lo != addr {
				return 0, false
			}
			addr = s.lo
			n++
		}
	}
	return addr, n > 0
}
