package symbolize

import (
	"bytes"
	"os"
	"testing"
)

// FuzzSymbolize reads any bytes as an ELF debug file and resolves an
// address in it: neither may panic.
func FuzzSymbolize(f *testing.F) {
	for _, name := range []string{"testdata/bin/cart_dwarf4", "testdata/bin/cart_clang", "testdata/bin/cart_gz"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, uint64(0x1249))
		}
	}
	f.Add([]byte("\x7fELF\x02\x01\x01"), uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, addr uint64) {
		m, err := func() (*Module, error) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("readModule panicked: %v", r)
				}
			}()
			return readModule("fuzz", bytes.NewReader(data))
		}()
		if err != nil {
			return
		}
		m.src = bytes.NewReader(data)
		for _, a := range []uint64{addr, addr &^ 0xfff, 0x1249} {
			if frames, err := m.Resolve(a); err == nil {
				for _, fr := range frames {
					_ = fr.Function + fr.File
				}
			}
		}
		_, _ = m.SymbolAddress("main")
	})
}
