package suspect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

func TestFuncExtent(t *testing.T) {
	for _, tc := range []struct {
		name, lang, src, ident string
		near                   int
		lo, hi                 int
	}{
		{"c", "c", "static int a(void)\n{\n\treturn 1;\n}\n\nstatic int b(int x)\n{\n\tif (x) {\n\t\treturn 2;\n\t}\n\treturn 3;\n}\n", "b", 0, 6, 12},
		{"c prototype is not a definition", "c", "int b(int x);\n\nint b(int x)\n{\n\treturn x;\n}\n", "b", 0, 3, 6},
		{"c multi-line prototype", "c", "int b(int x,\n      int y);\nint b(int x,\n      int y)\n{\n}\n", "b", 0, 3, 6},
		{"c K&R return type on its own line", "c", "static int\nb(int x)\n{\n\treturn x;\n}\n", "b", 0, 2, 5},
		{"c the definition nearest the line", "c", "#ifdef A\nint b(void)\n{\n\treturn 1;\n}\n#else\nint b(void)\n{\n\treturn 2;\n}\n#endif\n", "b", 9, 7, 10},
		{"go one-liner", "go", "package p\n\nfunc a() int { return 1 }\n\nfunc (s *S) b() {\n\ts.x++\n}\n", "a", 0, 3, 3},
		{"go method", "go", "package p\n\nfunc a() int { return 1 }\n\nfunc (s *S) b() {\n\ts.x++\n}\n", "b", 0, 5, 7},
		{"python method", "python", "class C:\n    def a(self):\n        return 1\n\n    def b(\n        self,\n    ):\n        x = 1\n\n        return x\n\n    def c(self):\n        pass\n", "b", 0, 5, 10},
		{"python last function", "python", "def a():\n    pass\n\ndef b():\n    return 2\n", "b", 0, 4, 5},
		{"asm", "asm", "FUNC(a)\n        ret\nEND(a)\n\nFUNC_LOCAL(b)\n        pop %rax\n        iretq\nEND(b)\n", "b", 0, 5, 8},
		{"asm without END", "asm", "ENTRY(a)\n        ret\nENTRY(b)\n        nop\n", "a", 0, 1, 2},
		{"absent", "c", "int a(void)\n{\n}\n", "b", 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := funcExtent(splitFile([]byte(tc.src)), tc.ident, tc.lang, tc.near)
			if lo != tc.lo || hi != tc.hi {
				t.Errorf("got %d-%d, want %d-%d", lo, hi, tc.lo, tc.hi)
			}
		})
	}
}

// TestFunctionByExtent: hunk headers misname the function a change is in.
// A change to the first lines of parse() is headed by the function above
// it, and a new function added below parse() is headed by parse(). With
// the file's contents the walk knows parse()'s extent at every version
// and credits the commit that changed it, not the one that added code
// after it.
func TestFunctionByExtent(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	fn := func(name string, body ...string) string {
		return "static int " + name + "(struct s *p)\n{\n" + strings.Join(body, "\n") + "\n\treturn 0;\n}\n\n"
	}
	filler := []string{"\tp->a = 1;", "\tp->b = 2;", "\tp->c = 3;", "\tp->d = 4;", "\tp->e = 5;", "\tp->f = 6;", "\tp->g = 7;", "\tp->h = 8;"}
	parse := func(first string) string {
		return fn("parse", append([]string{first}, filler...)...)
	}
	repo.WriteFile("src/parse.c", fn("init", filler...)+parse("\tint n = 0;"))
	repo.Commit("parse: first") // before the window
	repo.WriteFile("src/parse.c", fn("init", filler...)+parse("\tint n = p->len;"))
	inside := repo.Commit("parse: start from the length")
	repo.WriteFile("src/parse.c", fn("init", filler...)+parse("\tint n = p->len;")+fn("after", "\tp->z = 0;"))
	below := repo.Commit("parse: add after()")

	// The frame names parse() without a line, as a kernel trace does.
	f := frame("src/parse.c", 0, "parse")
	sig := sigAt(f)
	now := time.Now()
	sig.Timestamp = &now
	all := loadRealHistory(t, repo.Dir)
	var window []Candidate
	for _, c := range all {
		if c.Commit.Summary() != "parse: first" {
			window = append(window, c)
		}
	}
	idx := NewIndex([]RepoHistory{{Repo: "r", Commits: window}}, Options{})
	needs := idx.Needs(sig)
	if len(needs) != 1 || needs[0].Path != "src/parse.c" || needs[0].Rev != below {
		t.Fatalf("got needs %+v, want src/parse.c at %s", needs, below)
	}
	data, err := os.ReadFile(filepath.Join(repo.Dir, "src/parse.c"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(r Result, hash string) []string {
		for _, s := range r.Suspects {
			if s.Hash == hash {
				var out []string
				for _, e := range s.Evidence {
					out = append(out, e.Kind)
				}
				return out
			}
		}
		return nil
	}
	has := func(list []string, k string) bool {
		for _, x := range list {
			if x == k {
				return true
			}
		}
		return false
	}
	with := idx.RankWith(sig, map[FileRef][]byte{needs[0]: data})
	if got := hashes(with); len(got) == 0 || got[0] != inside {
		t.Errorf("with the file: got %v, want %s (it changed parse) first", got, inside)
	}
	if k := kinds(with, inside); !has(k, KindFunction) {
		t.Errorf("with the file: the commit changing parse has evidence %v, want function evidence", k)
	}
	if k := kinds(with, below); has(k, KindFunction) {
		t.Errorf("with the file: the commit adding after() has evidence %v, want no function evidence", k)
	}
	// The hunks' headers alone get both wrong, which is why the contents
	// are asked for.
	without := idx.Rank(sig)
	if k := kinds(without, below); !has(k, KindFunction) {
		t.Errorf("without the file: the commit adding after() has evidence %v; the header names parse, expected function evidence", k)
	}
}

// FuzzFuncExtent feeds file contents as a repository holds them through
// the extent reader and checks that an extent found lies in the file and
// starts at a definition of the function.
func FuzzFuncExtent(f *testing.F) {
	f.Add("static int b(int x)\n{\n\treturn x;\n}\n", "b", "c", 0)
	f.Add("class C:\n    def b(self):\n        pass\n", "b", "python", 2)
	f.Add("FUNC_LOCAL(b)\n  ret\nEND(b)\n", "b", "asm", 1)
	f.Add("func b() {}\nfunc b() {\n", "b", "go", -3)
	f.Fuzz(func(t *testing.T, src, ident, lang string, near int) {
		lines := splitFile([]byte(src))
		lo, hi := funcExtent(lines, ident, lang, near)
		if lo == 0 {
			if hi != 0 {
				t.Fatalf("no extent but hi %d", hi)
			}
			return
		}
		if lo < 1 || hi < lo || hi > len(lines) {
			t.Fatalf("extent %d-%d outside 1-%d", lo, hi, len(lines))
		}
		if name, _, ok := defines(lines[lo-1], lang); !ok || name != ident {
			t.Fatalf("extent starts at %q, not a definition of %q", lines[lo-1], ident)
		}
	})
}
