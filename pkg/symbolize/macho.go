package symbolize

import (
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Mach-O files (macOS and iOS programs, libraries, and the DWARF file of
// a .dSYM bundle, Shop.app.dSYM/Contents/Resources/DWARF/Shop) are read
// with debug/macho: a thin file, or each slice of a universal (fat) one.
// A slice's build ID is its LC_UUID in lower-case hex without dashes, as
// pkg/signal holds an Apple report's image UUID; its Start is its __TEXT
// segment's vmaddr (0x100000000 for an arm64 or x86_64 program, 0 for a
// library or an object file), the address its image's load address is in
// the file.

// maxFatArches is the most slices a universal file may have for its
// header to be taken as one: 0xcafebabe is also a Java class's magic,
// whose next four bytes (its version, 45 and up) would be the count.
const maxFatArches = 16

// machoKind tells the Mach-O magic r starts with: "thin", "fat", or "".
func machoKind(r io.ReaderAt) string {
	var b [8]byte
	if _, err := r.ReadAt(b[:], 0); err != nil {
		return ""
	}
	switch binary.BigEndian.Uint32(b[:]) {
	case macho.Magic32, macho.Magic64, 0xcefaedfe, 0xcffaedfe:
		return "thin"
	case macho.MagicFat:
		if n := binary.BigEndian.Uint32(b[4:]); n >= 1 && n <= maxFatArches {
			return "fat"
		}
	}
	return ""
}

// IsMachO reports whether r starts with a Mach-O magic (thin, or a
// universal file's with a sane number of slices).
func IsMachO(r io.ReaderAt) bool { return machoKind(r) != "" }

// readMachO reads a Mach-O file's modules: one for a thin file, one for
// each slice of a universal file.
func readMachO(path string, r io.ReaderAt) ([]*Module, error) {
	switch machoKind(r) {
	case "thin":
		mf, err := macho.NewFile(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer mf.Close()
		return []*Module{machoModule(path, mf, 0, 0)}, nil
	case "fat":
		ff, err := macho.NewFatFile(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer ff.Close()
		var out []*Module
		for _, a := range ff.Arches {
			out = append(out, machoModule(path, a.File, int64(a.Offset), int64(a.Size)))
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%s: universal file without slices", path)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: not a Mach-O file", path)
}

// machoModule describes one Mach-O file (a slice at off, size bytes
// long, of a universal file when size > 0).
func machoModule(path string, mf *macho.File, off, size int64) *Module {
	m := &Module{Path: path, macho: true, sliceOff: off, sliceSize: size, Arch: machoArch(mf.Cpu)}
	for _, l := range mf.Loads {
		raw := l.Raw()
		if len(raw) >= 24 && mf.ByteOrder.Uint32(raw) == 0x1b { // LC_UUID
			m.BuildID = hex.EncodeToString(raw[8:24])
			break
		}
	}
	if s := mf.Segment("__TEXT"); s != nil {
		m.Start = s.Addr
	}
	for _, name := range []string{"__debug_info", "__zdebug_info"} {
		if s := mf.Section(name); s != nil && s.Size > 0 && s.Offset != 0 {
			m.HasDWARF = true
		}
	}
	return m
}

// machoArch names a CPU as Apple's reports do.
func machoArch(c macho.Cpu) string {
	switch c {
	case macho.CpuArm64:
		return "arm64"
	case macho.CpuAmd64:
		return "x86_64"
	case macho.Cpu386:
		return "i386"
	case macho.CpuArm:
		return "arm"
	}
	return ""
}

// loadMachO reads the DWARF and the symbol table of the module's Mach-O
// file (its slice of a universal file).
func (m *Module) loadMachO(src io.ReaderAt) error {
	if m.sliceSize > 0 {
		src = io.NewSectionReader(src, m.sliceOff, m.sliceSize)
	}
	mf, err := macho.NewFile(src)
	if err != nil {
		return fmt.Errorf("%s: %w", m.Path, err)
	}
	defer mf.Close()
	var total uint64
	for _, s := range mf.Sections {
		if strings.HasPrefix(s.Name, "__debug_") || strings.HasPrefix(s.Name, "__zdebug_") {
			total += s.Size
		}
	}
	m.readMachOSymbols(mf)
	if !m.HasDWARF {
		return nil
	}
	if total > MaxDWARF {
		return fmt.Errorf("%s: %d MiB of debug information, more than the %d MiB read", m.Path, total>>20, MaxDWARF>>20)
	}
	d, err := mf.DWARF()
	if err != nil {
		return fmt.Errorf("%s: %w", m.Path, err)
	}
	m.budget = 1 << 10
	for _, name := range []string{"__debug_info", "__zdebug_info"} {
		if s := mf.Section(name); s != nil {
			m.budget += int(min(s.Size, 1<<40))
		}
	}
	return m.indexUnits(d)
}

// readMachOSymbols keeps the functions of the symbol table (the symbols
// defined in a section of __TEXT), for addresses the DWARF does not
// cover. Mach-O symbols have no size: each ends where the next starts.
func (m *Module) readMachOSymbols(mf *macho.File) {
	if mf.Symtab == nil {
		return
	}
	text := map[uint8]bool{}
	for i, s := range mf.Sections {
		if s.Seg == "__TEXT" && i < 255 {
			text[uint8(i+1)] = true
		}
	}
	for _, s := range mf.Symtab.Syms {
		// N_STAB entries are debugging notes; N_SECT (0x0e) symbols are
		// defined in a section.
		if s.Type&0xe0 != 0 || s.Type&0x0e != 0x0e || !text[s.Sect] || s.Value == 0 || len(m.syms) >= maxSymbols {
			continue
		}
		name := strings.TrimPrefix(s.Name, "_")
		if name == "" || name == "_mh_execute_header" {
			continue
		}
		m.syms = append(m.syms, symbol{name: name, lo: s.Value})
	}
	sort.SliceStable(m.syms, func(i, j int) bool { return m.syms[i].lo < m.syms[j].lo })
	for i := range m.syms {
		m.syms[i].hi = m.syms[i].lo + 1
		if i+1 < len(m.syms) && m.syms[i+1].lo > m.syms[i].lo {
			m.syms[i].hi = m.syms[i+1].lo
		}
	}
}
