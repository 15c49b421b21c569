package symbolize

import (
	"bytes"
	"os"
	"testing"
)

// FuzzSymbolize reads any bytes as an ELF or Mach-O debug file (a
// universal file's slices each) and resolves an address in it: neither
// may panic.
func FuzzSymbolize(f *testing.F) {
	for _, name := range []string{"testdata/bin/cart_dwarf4", "testdata/bin/cart_clang", "testdata/bin/cart_gz"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, uint64(0x1249))
		}
	}
	// Mach-O: a dSYM's DWARF file, an object file, a universal file.
	for _, name := range []string{"testdata/macho/Shop.dSYM/Contents/Resources/DWARF/Shop", "testdata/macho/cart.o", "testdata/macho/Shop_universal"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, uint64(0x100000870))
		}
	}
	f.Add([]byte("\x7fELF\x02\x01\x01"), uint64(0))
	f.Add([]byte("\xcf\xfa\xed\xfe\x0c\x00\x00\x01"), uint64(0))
	f.Add([]byte("\xca\xfe\xba\xbe\x00\x00\x00\x02"), uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, addr uint64) {
		ms, err := func() ([]*Module, error) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("readModule panicked: %v", r)
				}
			}()
			return readModules("fuzz", bytes.NewReader(data))
		}()
		if err != nil {
			return
		}
		for _, m := range ms {
			m.src = bytes.NewReader(data)
			for _, a := range []uint64{addr, addr &^ 0xfff, 0x1249, m.Start + 0x870} {
				if frames, err := m.Resolve(a); err == nil {
					for _, fr := range frames {
						_ = fr.Function + fr.File
					}
				}
			}
			_, _ = m.SymbolAddress("main")
		}
	})
}
