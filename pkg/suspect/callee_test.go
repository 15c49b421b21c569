package suspect

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// TestCalleeEvidence: a test asserts on what a library function it calls
// returned (GNOME/glib@0ca660315a90: "assertion failed (err == NULL)"
// after g_unix_connection_receive_fd, whose error handling a commit had
// changed). No frame runs the changed function any more, so the commit
// that changed it has no line, function or file evidence: the callee
// evidence names it, ahead of a commit that changed another test of the
// file, 60 lines up. Functions of the trace's own frames, calls below the
// frame's line, and a dependency's copy under vendor/ give none. (A change in a function's first lines is
// headed by the function above it, and is taken for that one's: the
// diff's section is all there is to go by.)
func TestCalleeEvidence(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-20*24*time.Hour).Truncate(time.Second), 24*time.Hour)
	lib := func(ret string) string {
		return "int receive_fd(int s, char **err)\n{\n\tif (s < 0)\n\t\t*err = \"bad\";\n\treturn " + ret + ";\n}\n\n" +
			"int send_fd(int s)\n{\n\tint a = 1;\n\tint b = 2;\n\tint c = 3;\n\tint d = 4;\n\treturn s;\n}\n"
	}
	test := func(other string) string {
		return "static void test_other(void)\n{\n\t" + other + "\n" + strings.Repeat("\tx++;\n", 60) + "}\n\n" +
			"static void test_ancillary(void)\n{\n\tchar *err = 0;\n\tvendored_init();\n\tint fd = receive_fd(3, &err);\n\tassert(err == 0);\n\tsend_fd(fd);\n}\n"
	}
	repo.WriteFile("lib/conn.c", lib("s"))
	repo.WriteFile("tests/socket.c", test("int x = 1;"))
	vendored := func(v string) string {
		return "void vendored_init(void)\n{\n\tint a = 1;\n\tint b = 2;\n\tint c = 3;\n\tinit(" + v + ");\n}\n"
	}
	repo.WriteFile("vendor/dep/dep.c", vendored("1"))
	repo.Commit("first") // before the window
	repo.WriteFile("vendor/dep/dep.c", vendored("2"))
	dep := repo.Commit("vendor: update dep") // a dependency's copy: not the frame's code
	repo.WriteFile("lib/conn.c", lib("s - 1"))
	culprit := repo.Commit("conn: return the fd's predecessor")
	repo.WriteFile("tests/socket.c", test("int x = 2;"))
	other := repo.Commit("tests: another value")
	repo.WriteFile("lib/conn.c", strings.Replace(lib("s - 1"), "return s;\n}", "return s + 0;\n}", 1))
	below := repo.Commit("conn: send_fd returns s + 0") // called below the frame's line

	data, err := os.ReadFile(filepath.Join(repo.Dir, "tests/socket.c"))
	if err != nil {
		t.Fatal(err)
	}
	line := slices.Index(strings.Split(string(data), "\n"), "\tassert(err == 0);") + 1
	sig := sigAt(frame("tests/socket.c", line, "test_ancillary"))
	now := time.Now()
	sig.Timestamp = &now
	history := []RepoHistory{{Repo: "r", Commits: historyWithout(t, repo.Dir, "first")}}
	idx := NewIndex(history, Options{})
	files := neededFile(t, idx, sig, repo.Dir, "tests/socket.c", "")
	res := idx.RankWith(sig, files)
	got := hashes(res)
	if len(got) == 0 || got[0] != culprit {
		t.Fatalf("got %v, want %s (changed receive_fd, called above the assertion) first, then %s", got, culprit, other)
	}
	if k := evidenceKinds(res, culprit); !slices.Equal(k, []string{KindCallee, KindRecency}) {
		t.Errorf("got evidence %v for the culprit, want callee", k)
	}
	if slices.Contains(got, dep) {
		t.Errorf("got %v: %s changed vendored_init only in a dependency's copy under vendor/", got, dep)
	}
	if slices.Contains(got, below) {
		t.Errorf("got %v: %s changed send_fd, called only below the frame's line", got, below)
	}
	// Without callee evidence the culprit is no suspect at all.
	w := DefaultWeights
	w.Callee = 0
	if got := hashes(NewIndex(history, Options{Weights: &w}).RankWith(sig, files)); slices.Contains(got, culprit) {
		t.Errorf("without callee evidence: got %v, want no %s", got, culprit)
	}
	// A frame of the trace running the changed function speaks for it.
	sig2 := sigAt(frame("lib/conn.c", 4, "receive_fd"), frame("tests/socket.c", line, "test_ancillary"))
	sig2.Timestamp = &now
	idx2 := NewIndex(history, Options{})
	res2 := idx2.RankWith(sig2, nil)
	for _, s := range res2.Suspects {
		for _, e := range s.Evidence {
			if e.Kind == KindCallee {
				t.Errorf("got callee evidence %+v on %s, want none when the function has a frame", e, s.Hash)
			}
		}
	}
}

func TestTypeSection(t *testing.T) {
	for s, want := range map[string]bool{
		"class TestSlab(LinuxKernelTestCase):": true,
		"public class Cart {":                  true,
		"struct foo {":                         true,
		"impl Cart {":                          true,
		"static struct foo *make_foo(void)":    false,
		"int receive_fd(int s, char **err)":    false,
		"def fallback_slab_cache_names(prog):": false,
		"func (c *Cart) Total() int {":         false,
		"enum state next_state(enum state s)":  false,
	} {
		if got := typeSection(s); got != want {
			t.Errorf("typeSection(%q) = %t, want %t", s, got, want)
		}
	}
}

// FuzzCalls: the calls read from a file's lines are names the lines hold,
// followed by "(", never a keyword or a skipped name, whatever the text.
func FuzzCalls(f *testing.F) {
	f.Add("\tchar *err = 0;\n\tint fd = receive_fd(3, &err); // close(fd)\n\tassert(err == 0);\n", "c", 1, 3)
	f.Add("class TestSlab(LinuxKernelTestCase):\n    def test(self):\n        x = helper_fn(\"a(\\\"b\")\n", "python", 0, 9)
	f.Add("func (c *Cart) Total() int {\n\treturn c.sumItems()\n}\n", "go", 1, 2)
	f.Fuzz(func(t *testing.T, src, lang string, from, to int) {
		lines := splitFile([]byte(src))
		skip := map[string]bool{"skipped": true}
		for name := range calls(lines, from, to, lang, skip) {
			if notCalls[name] || skip[name] || len(name) < 4 || !strings.Contains(src, name) {
				t.Fatalf("calls gave %q", name)
			}
		}
		typeSection(src)
	})
}
