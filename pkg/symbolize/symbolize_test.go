package symbolize

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// refCase is one address and the frames llvm-symbolizer gave for it.
type refCase struct {
	addr   uint64
	frames []string // "function file:line:column", innermost first
}

func readRef(t *testing.T, name string) []refCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "ref", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []refCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		addr, err := strconv.ParseUint(strings.TrimPrefix(cols[0], "0x"), 16, 64)
		if err != nil {
			t.Fatalf("%s: %q: %v", name, sc.Text(), err)
		}
		out = append(out, refCase{addr: addr, frames: cols[1:]})
	}
	if len(out) < 50 {
		t.Fatalf("%s: %d addresses", name, len(out))
	}
	return out
}

// same reports a frame equal to llvm-symbolizer's: the same function,
// line and column, and a file whose path ends with ours (llvm-symbolizer
// joins the compilation directory, /build/shop).
func same(ref string, f Frame) bool {
	fn, loc, ok := strings.Cut(ref, " ")
	if !ok {
		return false
	}
	if fn == "??" {
		fn = ""
	}
	want := fmt.Sprintf("%d:%d", f.Line, f.Column)
	file, lc, _ := strings.Cut(loc, ":")
	if file == "??" {
		file = ""
	}
	if fn != f.Function || lc != want {
		return false
	}
	return file == f.File || f.File != "" && strings.HasSuffix(file, "/"+f.File)
}

func show(fs []Frame) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s %s:%d:%d", f.Function, f.File, f.Line, f.Column))
	}
	return strings.Join(parts, " | ")
}

// TestMatchesLLVMSymbolizer resolves every address llvm-symbolizer 14
// resolved (every 5th byte of the programs' functions, and the reports'
// offsets) in gcc 12's and clang 14's builds: DWARF 5 and 4, compressed
// with zlib and zstd, a separate debug file, a non-PIE executable.
func TestMatchesLLVMSymbolizer(t *testing.T) {
	for _, tc := range []struct{ file, ref string }{
		{"debug/cart_asan.debug", "cart_asan.txt"},
		{"bin/cart_asan_nopie", "cart_asan_nopie.txt"},
		{"bin/cart_bt", "cart_bt.txt"},
		{"bin/cart_zstd", "cart_bt.txt"},
		{"bin/cart_gz", "cart_gz.txt"},
		{"bin/cart_dwarf4", "cart_dwarf4.txt"},
		{"bin/cart_clang", "cart_clang.txt"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m, err := ReadModule(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !m.HasDWARF {
				t.Fatal("no DWARF found")
			}
			inlined := 0
			for _, c := range readRef(t, tc.ref) {
				got, err := m.Resolve(c.addr)
				if err != nil {
					t.Fatalf("%#x: %v", c.addr, err)
				}
				ok := len(got) == len(c.frames)
				for i := 0; ok && i < len(got); i++ {
					ok = same(c.frames[i], got[i])
				}
				if !ok {
					t.Errorf("%#x: got %s\nwant %s", c.addr, show(got), strings.Join(c.frames, " | "))
				}
				if len(c.frames) > 1 {
					inlined++
				}
			}
			if inlined == 0 {
				t.Error("no inlined call among the addresses")
			}
		})
	}
}

func TestReadModule(t *testing.T) {
	stripped, err := ReadModule("testdata/stripped/cart_asan")
	if err != nil {
		t.Fatal(err)
	}
	debug, err := ReadModule("testdata/debug/cart_asan.debug")
	if err != nil {
		t.Fatal(err)
	}
	if stripped.HasDWARF || stripped.DebugLink != "cart_asan.debug" || len(stripped.BuildID) != 40 {
		t.Errorf("stripped: %+v", stripped)
	}
	if !debug.HasDWARF || debug.BuildID != stripped.BuildID {
		t.Errorf("debug file: %+v, stripped build ID %s", debug, stripped.BuildID)
	}
	nopie, err := ReadModule("testdata/bin/cart_asan_nopie")
	if err != nil {
		t.Fatal(err)
	}
	if debug.Start != 0 || nopie.Start != 0x400000 {
		t.Errorf("start: PIE %#x, not PIE %#x", debug.Start, nopie.Start)
	}
	if got, err := stripped.Resolve(0x1606); err != nil || len(got) != 0 {
		t.Errorf("stripped resolves %s, %v", show(got), err)
	}
	if _, err := ReadModule("testdata/src/cart.c"); err == nil {
		t.Error("a C file read as ELF")
	}
}

// TestIndex finds the debug file of the report's module by build ID (in a
// .build-id tree), by name (server.debug), and through a stripped file's
// .gnu_debuglink; a debug file of another build is not used.
func TestIndex(t *testing.T) {
	debug, err := ReadModule("testdata/debug/cart_asan.debug")
	if err != nil {
		t.Fatal(err)
	}
	id := debug.BuildID
	data, err := os.ReadFile("testdata/debug/cart_asan.debug")
	if err != nil {
		t.Fatal(err)
	}
	tree := t.TempDir()
	dir := filepath.Join(tree, ".build-id", id[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id[2:]+".debug"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A large file that is not ELF is left after its magic.
	if err := os.WriteFile(filepath.Join(tree, "core.txt"), make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		paths   []string
		module  string
		buildID string
		want    string // the debug file's path suffix, "" for none
		other   bool
	}{
		{"build-id tree", []string{tree}, "/srv/bin/renamed", id, "/.build-id/" + id[:2] + "/" + id[2:] + ".debug", false},
		{"build-id tree, no id in the report", []string{tree}, "/srv/bin/cart_asan", "", "", false},
		{"name.debug", []string{"testdata/debug"}, "/tmp/x/cart_asan", "", "debug/cart_asan.debug", false},
		{"debuglink", []string{"testdata/stripped", "testdata/debug"}, "cart_asan", "", "debug/cart_asan.debug", false},
		{"debuglink by build id", []string{"testdata"}, "cart_asan", strings.ToUpper(id), "debug/cart_asan.debug", false},
		{"other build", []string{"testdata/debug"}, "cart_asan", "0123456789abcdef0123456789abcdef01234567", "", true},
		{"unstripped binary", []string{"testdata/bin/cart_bt"}, "./bin/cart_bt", "", "bin/cart_bt", false},
		{"stripped only", []string{"testdata/stripped"}, "cart_asan", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := NewIndex(tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			m := ix.Lookup(tt.module, tt.buildID)
			got := ""
			if m.Module != nil {
				got = filepath.ToSlash(m.Module.Path)
			}
			if tt.want == "" && got != "" || tt.want != "" && !strings.HasSuffix(got, tt.want) {
				t.Errorf("got %q, want …%q", got, tt.want)
			}
			if (m.Other != "") != tt.other {
				t.Errorf("other build: %q", m.Other)
			}
		})
	}
	if _, err := NewIndex([]string{"testdata/src/cart.c"}); err == nil || !strings.Contains(err.Error(), "not an ELF or Mach-O file") {
		t.Errorf("a C file given: %v", err)
	}
	if _, err := NewIndex([]string{"testdata/missing"}); err == nil {
		t.Error("a missing path given: no error")
	}
}

// TestLoopingDWARF reads cart_clang with four bytes changed (found by
// mutating it), whose DWARF reads as entries out of order and null
// entries without end: reading it must end, with an error.
func TestLoopingDWARF(t *testing.T) {
	b, err := os.ReadFile("testdata/bin/cart_clang")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]int{{0x6f8, 0}, {0x6f9, 0}, {0x1c2a, 0xff}, {0x343d, 0xfb}} {
		b[p[0]] = byte(p[1])
	}
	p := filepath.Join(t.TempDir(), "cart_clang")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadModule(p)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := m.Resolve(0x1249)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "malformed DWARF") {
			t.Errorf("got %v, want malformed DWARF", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Resolve did not end")
	}
}

// TestCorrupt cuts and scribbles over a real debug file: reading it and
// resolving in it may fail, never panic.
func TestCorrupt(t *testing.T) {
	data, err := os.ReadFile("testdata/bin/cart_dwarf4")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := 0; i < 200; i++ {
		b := append([]byte(nil), data...)
		switch i % 3 {
		case 0:
			b = b[:len(b)*i/200]
		default:
			for k := 0; k < 16; k++ {
				b[(i*7919+k*104729)%len(b)] ^= byte(i + k + 1)
			}
		}
		p := filepath.Join(dir, "bin")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := ReadModule(p)
		if err != nil {
			continue
		}
		for _, a := range []uint64{0x1130, 0x1200, 0x1249, 0x12f0, 0x1333, 0x135d} {
			_, _ = m.Resolve(a)
		}
	}
}
