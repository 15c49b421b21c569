package source

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadEntry feeds arbitrary bytes to the cache reader: it must reject or
// accept them without panicking, and never accept an entry for another hash.
func FuzzReadEntry(f *testing.F) {
	dir := f.TempDir()
	good := filepath.Join(dir, "seed")
	if err := writeEntry(good, sampleChange(testHash)); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("sigsentry-change 1 00\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeEntry(data, testHash)
		if err == nil && got.Hash != testHash {
			t.Errorf("accepted an entry for %q, want only %q", got.Hash, testHash)
		}
	})
}

// FuzzParseLogRecord feeds arbitrary records to the git log parser.
func FuzzParseLogRecord(f *testing.F) {
	f.Add("0123456789abcdef0123456789abcdef01234567\x1fabc def\x1f1700000000\x1f1690000000\x1fA <a@b>")
	f.Add("\x1f\x1f\x1f\x1f\x1f")
	f.Fuzz(func(t *testing.T, rec string) {
		c, ok := parseLogRecord(rec)
		if ok && len(c.Hash) < 40 {
			t.Errorf("accepted hash %q shorter than 40", c.Hash)
		}
	})
}

// FuzzDefinedIn: a file read from Bitbucket is outside input; whatever it
// holds, definitions are found without a panic, only among the names
// asked for, and a line that defines a name still does with other lines
// around it.
func FuzzDefinedIn(f *testing.F) {
	f.Add("x.c", "static int f(int a)\n{\n\treturn a;\n}\n")
	f.Add("x.go", "package x\n\nfunc (r *R) f() {}\n")
	f.Add("x.py", "class A:\n    async def f(self):\n        pass\n")
	f.Add("x.S", "SYM_FUNC_START(f)\nf:\n")
	f.Add("x.rs", "pub fn f<T>(t: T) {}\n")
	f.Add("x.c", "DEFUN (f, f_cmd,\n\xff\x00\r\n")
	f.Fuzz(func(t *testing.T, path, data string) {
		want := map[string]bool{"f": true, "g_2": true}
		got := definedIn(path, []byte(data), want)
		for id := range got {
			if !want[id] {
				t.Fatalf("found %q, which was not asked for", id)
			}
		}
		if got["f"] {
			if again := definedIn(path, []byte("int zz;\n"+data+"\n"), want); !again["f"] {
				t.Fatalf("f is defined in %q but not with lines around it", data)
			}
		}
	})
}
