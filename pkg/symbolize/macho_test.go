package symbolize

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const (
	dsymDir  = "testdata/macho/Shop.dSYM"
	dsymFile = "testdata/macho/Shop.dSYM/Contents/Resources/DWARF/Shop"
)

// readMachORef reads testdata/macho/ref.txt: an address, then
// llvm-symbolizer's function and location lines, a blank line after.
func readMachORef(t *testing.T) []refCase {
	t.Helper()
	b, err := os.ReadFile("testdata/macho/ref.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []refCase
	for _, block := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
		lines := strings.Split(block, "\n")
		addr, err := strconv.ParseUint(strings.TrimPrefix(lines[0], "0x"), 16, 64)
		if err != nil {
			t.Fatalf("ref.txt: %q: %v", lines[0], err)
		}
		c := refCase{addr: addr}
		for i := 1; i+1 < len(lines); i += 2 {
			c.frames = append(c.frames, lines[i]+" "+lines[i+1])
		}
		out = append(out, c)
	}
	if len(out) < 5 {
		t.Fatalf("ref.txt: %d addresses", len(out))
	}
	return out
}

// A .dSYM's DWARF file, read as a Mach-O module, gives the frames
// llvm-symbolizer gives, item_price inlined into cart_total included;
// its build ID is its UUID and its Start __TEXT's vmaddr.
func TestMachODSYM(t *testing.T) {
	m, err := ReadModule(dsymFile)
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasDWARF || m.Start != 0x100000000 || m.Arch != "arm64" || len(m.BuildID) != 32 || strings.ToLower(m.BuildID) != m.BuildID {
		t.Fatalf("got %+v", m)
	}
	inlined := false
	for _, c := range readMachORef(t) {
		frames, err := m.Resolve(c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != len(c.frames) {
			t.Errorf("%#x: got %+v, want %q", c.addr, frames, c.frames)
			continue
		}
		for i, f := range frames {
			if !same(c.frames[i], f) {
				t.Errorf("%#x frame %d: got %+v, want %q", c.addr, i, f, c.frames[i])
			}
		}
		inlined = inlined || len(frames) > 1 && frames[0].Function == "item_price"
	}
	if !inlined {
		t.Error("no address of the reference is in the inlined item_price")
	}
}

// The index finds a .dSYM bundle given as a folder by its UUID and by
// its program's name, and a universal file's slices by theirs.
func TestMachOIndex(t *testing.T) {
	dsym, err := ReadModule(dsymFile)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex([]string{dsymDir, "testdata/macho/Shop_universal"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct{ module, id string }{
		{"/Applications/Shop.app/Contents/MacOS/Shop", dsym.BuildID},
		{"Shop", strings.ToUpper(dsym.BuildID)},
		{"Shop", ""},
		{"Other", dsym.BuildID},
	} {
		got := ix.Lookup(q.module, q.id)
		if got.Module == nil || got.Module.Path != filepath.FromSlash(dsymFile) {
			t.Errorf("Lookup(%q, %q) = %+v, want the dSYM", q.module, q.id, got)
		}
	}
	var arches []string
	for _, m := range ix.Modules {
		if m.Path == "testdata/macho/Shop_universal" {
			arches = append(arches, m.Arch)
			if m.HasDWARF || len(m.BuildID) != 32 || m.Start != 0x100000000 {
				t.Errorf("slice %+v", m)
			}
			if m.Arch == "arm64" && m.BuildID != dsym.BuildID {
				t.Errorf("arm64 slice's UUID %s, the dSYM's %s", m.BuildID, dsym.BuildID)
			}
			// The program has no DWARF (the dSYM has it), but its symbols.
			if addr, ok := m.SymbolAddress("cart_total"); !ok || m.Arch == "arm64" && addr != 0x10000084c {
				t.Errorf("%s: cart_total at %#x, %v", m.Arch, addr, ok)
			}
		}
	}
	if strings.Join(arches, " ") != "x86_64 arm64" {
		t.Errorf("slices %q", arches)
	}
	// A universal file's slice alone: not the dSYM's build.
	ix2, err := NewIndex([]string{"testdata/macho/Shop_universal"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ix2.Lookup("Shop_universal", dsym.BuildID); got.Module != nil || got.Stripped == "" {
		t.Errorf("got %+v, want the stripped slice", got)
	}
	if got := ix2.Lookup("Shop_universal", strings.Repeat("ab", 16)); got.Module != nil || got.Other == "" {
		t.Errorf("got %+v, want a file of another build", got)
	}
}

// An object file holds its DWARF at vmaddr 0, as llvm-symbolizer reads
// it (llvm-symbolizer --obj=cart.o 0x19c).
func TestMachOObject(t *testing.T) {
	m, err := ReadModule("testdata/macho/cart.o")
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasDWARF || m.Start != 0 {
		t.Fatalf("got %+v", m)
	}
	frames, err := m.Resolve(0x19c)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 2 || !same("item_price /build/shop/src/cart.c:24:6", frames[0]) || !same("cart_total /build/shop/src/cart.c:33:12", frames[1]) {
		t.Errorf("got %+v", frames)
	}
}

// A Java class (0xcafebabe and a version of 45 and up) is not a
// universal file; a cut or corrupt Mach-O file is an error, no panic.
func TestMachOMagic(t *testing.T) {
	class := []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0}
	if IsMachO(bytes.NewReader(class)) {
		t.Error("a Java class taken for a universal file")
	}
	b, err := os.ReadFile(dsymFile)
	if err != nil {
		t.Fatal(err)
	}
	if !IsMachO(bytes.NewReader(b)) {
		t.Fatal("the dSYM is not Mach-O")
	}
	for _, n := range []int{8, 32, 100, len(b) / 2} {
		if m, err := readModule("cut", bytes.NewReader(b[:n])); err == nil {
			m.src = bytes.NewReader(b[:n])
			_, _ = m.Resolve(0x100000870)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "Hello.class")
	if err := os.WriteFile(p, class, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewIndex([]string{p}); err == nil || !strings.Contains(err.Error(), "not an ELF or Mach-O file") {
		t.Errorf("got %v", err)
	}
}
