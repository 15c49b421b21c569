package diffstat_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
)

// emptyTree is git's well-known empty tree, the "parent" of a root commit.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// requireGit fails the test when git is missing, unless skips are allowed.
func requireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Unavailable(t, "git is required for this test (install git): %v", err)
	}
}

// gitRepo is a scratch repository with a fixed identity and no user config.
type gitRepo struct {
	t   testing.TB
	dir string
	env []string
}

func newGitRepo(t testing.TB) *gitRepo {
	t.Helper()
	requireGit(t)
	dir := t.TempDir()
	home := t.TempDir()
	r := &gitRepo{t: t, dir: dir, env: append(os.Environ(),
		"HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z", "LC_ALL=C",
	)}
	r.git("init", "-q", "-b", "main")
	r.git("config", "core.autocrlf", "false")
	return r
}

func (r *gitRepo) git(args ...string) []byte {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "core.quotePath=true"}, args...)...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func (r *gitRepo) write(name string, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) remove(name string) {
	r.t.Helper()
	if err := os.Remove(filepath.Join(r.dir, name)); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A", "--", ".", ":(exclude)sub")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
}

func numbered(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%s %d\n", prefix, i)
	}
	return b.String()
}

const binA = "\x00\x01\x02PNG binary\x00data\n"
const binB = "\x00\x01\x03PNG binary\x00other data\x00\n"

// buildCaseRepo makes one commit per case of the package doc.
func buildCaseRepo(t testing.TB) *gitRepo {
	r := newGitRepo(t)
	// Root commit: text, binary, empty, spaced and non-ASCII names.
	r.write("main.go", "package main\n\nfunc main() {\n"+numbered("\tprintln(", 1, 30)+"}\n\nfunc other() {\n"+numbered("\tx :=", 1, 30)+"}\n")
	r.write("img.png", binA)
	r.write("empty.txt", "")
	r.write("with space.txt", "one\ntwo\n")
	r.write("caf\u00e9.txt", "caf\n")
	r.write("rename-me.txt", numbered("line", 1, 20))
	r.write("rename-edit.txt", numbered("row", 1, 20))
	r.write("mode.sh", "echo hi\n")
	r.write("bin-mode.bin", binA)
	r.write("bin-mode2.bin", binA)
	r.write("nonl.txt", "a\nb")
	r.write("dashes.txt", "-- x\nkeep\n- y\n-- \n")
	r.write("crlf.txt", "one\r\ntwo\r\nthree\r\n")
	r.write("latin1.txt", "caf\xe9\n")
	r.write("typechange", "was a file\n")
	r.write("copy-src.txt", numbered("copy", 1, 40))
	r.write("del-bin.bin", binB)
	r.write("del-empty.txt", "")
	r.commit("root")

	// Function-section hunks in two places.
	c := "package main\n\nfunc main() {\n" + numbered("\tprintln(", 1, 30) + "}\n\nfunc other() {\n" + numbered("\tx :=", 1, 30) + "}\n"
	c = strings.Replace(c, "\tprintln( 15\n", "\tprintln( 15 changed\n\tadded()\n", 1)
	c = strings.Replace(c, "\tx := 20\n", "", 1)
	r.write("main.go", c)
	r.commit("modify text")

	r.write("img.png", binB)
	r.commit("modify binary")

	r.write("new.png", binA)
	r.remove("del-bin.bin")
	r.commit("add and delete binary")

	r.git("mv", "rename-me.txt", "renamed.txt")
	r.commit("pure rename")

	if err := os.MkdirAll(filepath.Join(r.dir, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("mv", "rename-edit.txt", "dir/renamed edit.txt")
	r.write("dir/renamed edit.txt", strings.Replace(numbered("row", 1, 20), "row 10\n", "row ten\n", 1))
	r.commit("rename with edits")

	if err := os.Chmod(filepath.Join(r.dir, "mode.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.commit("mode only")

	if err := os.Chmod(filepath.Join(r.dir, "bin-mode.bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.write("bin-mode2.bin", binB)
	if err := os.Chmod(filepath.Join(r.dir, "bin-mode2.bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.commit("mode change on binary files")

	r.write("new-empty.txt", "")
	r.remove("with space.txt")
	r.commit("new empty file, deleted text file")
	r.remove("del-empty.txt")
	r.commit("deleted empty file")
	r.write("with space.txt", "one\ntwo\n")
	r.commit("restore")

	r.write("nonl.txt", "a\nb\nc")
	r.write("nonl2.txt", "x")
	r.commit("no newline at end")
	r.write("nonl.txt", "a\nb\nc\n")
	r.write("nonl2.txt", "y")
	r.commit("newline added")

	// Removed lines starting with "--" and added ones with "++", at the
	// end of the file so that no context follows.
	r.write("dashes.txt", "-- x\nkeep\n- y\n++ z\n++ \n--- w\n")
	r.commit("dash lines")
	r.write("dashes.txt", "++ x\nkeep\n-- a/dashes.txt\n+++ b/dashes.txt\n@@ -1 +1 @@\n")
	r.commit("header-looking lines")

	r.write("crlf.txt", "one\r\n2\r\nthree\r\nfour\r\n")
	r.commit("crlf")

	r.write("latin1.txt", "na\xefve\nfa\xe7ade\n")
	r.commit("non-utf8")

	r.write("with space.txt", "one\ntwo\nthree\n")
	r.write("trailing space ", "x\n")
	r.write("a b/c b/d", "odd\n")
	r.write("caf\u00e9.txt", "caf\u00e9\n")
	r.write("tab\there.txt", "t\n")
	r.write("quote\"back\\slash.txt", "q\n")
	r.write("new\nline.txt", "n\n")
	r.commit("special names")

	r.git("mv", "caf\u00e9.txt", "th\u00e9 \u00e0 \"la\".txt")
	r.commit("rename quoted")

	r.git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,sub")
	r.git("commit", "-q", "-m", "add submodule")
	r.git("update-index", "--cacheinfo", "160000,2222222222222222222222222222222222222222,sub")
	r.git("commit", "-q", "-m", "update submodule")

	if err := os.Symlink("main.go", filepath.Join(r.dir, "link")); err != nil {
		t.Fatal(err)
	}
	r.commit("add symlink")
	r.remove("link")
	if err := os.Symlink("img.png", filepath.Join(r.dir, "link")); err != nil {
		t.Fatal(err)
	}
	r.remove("typechange")
	if err := os.Symlink("main.go", filepath.Join(r.dir, "typechange")); err != nil {
		t.Fatal(err)
	}
	r.commit("retarget symlink, file becomes symlink")

	r.write("copy-dst.txt", strings.Replace(numbered("copy", 1, 40), "copy 5\n", "copy five\n", 1))
	r.write("copy-src.txt", strings.Replace(numbered("copy", 1, 40), "copy 30\n", "copy thirty\n", 1))
	r.commit("copy with edits")

	r.git("rm", "-q", "--cached", "sub")
	r.commit("remove submodule")

	// A merge with changes on both sides.
	r.git("checkout", "-q", "-b", "side")
	r.write("side.txt", "side\n")
	r.write("main.go", strings.Replace(c, "\tprintln( 2\n", "\tprintln( two\n", 1))
	r.commit("side change")
	r.git("checkout", "-q", "main")
	r.write("mainline.txt", "main\n")
	r.commit("main change")
	r.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	return r
}

// TestMatchesGit diffs every commit of a repository built with one commit
// per case against its first parent, and compares Parse with git's own
// numstat and name-status.
func TestMatchesGit(t *testing.T) {
	r := buildCaseRepo(t)
	lines := strings.Split(strings.TrimSpace(string(r.git("rev-list", "--reverse", "--parents", "HEAD"))), "\n")
	if len(lines) < 20 {
		t.Fatalf("got %d commits, want at least 20", len(lines))
	}
	sawMerge := false
	for _, l := range lines {
		f := strings.Fields(l)
		commit, parent := f[0], emptyTree
		if len(f) > 1 {
			parent = f[1]
		}
		sawMerge = sawMerge || len(f) > 2
		subject := strings.TrimSpace(string(r.git("log", "-1", "--format=%s", commit)))
		for _, mode := range [][]string{{"-M"}, {"-M", "--binary"}, {"-M", "-C"}, {"-M", "-C", "--binary"}} {
			name := subject + " " + strings.Join(mode, " ")
			t.Run(name, func(t *testing.T) {
				diffArgs := append([]string{"diff", "--no-color", "--no-ext-diff"}, mode...)
				raw := r.git(append(diffArgs, parent, commit)...)
				stat := []string{"diff", "--no-color", "-z", "-M"}
				if len(mode) > 1 && mode[1] == "-C" {
					stat = append(stat, "-C")
				}
				numstat := r.git(append(append(stat, "--numstat"), parent, commit)...)
				names := r.git(append(append(stat, "--name-status"), parent, commit)...)
				want, err := gitnumstat.Parse(numstat, names)
				if err != nil {
					t.Fatalf("reading git's numstat: %v", err)
				}
				got, err := diffstat.Parse(raw)
				if err != nil {
					t.Fatalf("Parse: got error %v, want none; diff:\n%s", err, raw)
				}
				if len(want) == 0 && subject != "merge side" {
					t.Fatalf("git shows no files for %q: the case builds nothing", subject)
				}
				for _, d := range gitnumstat.Diff(got, want) {
					t.Errorf("%s\ndiff:\n%s", d, raw)
				}
				counted, _ := diffstat.ParseOptions(raw, diffstat.Options{NoLines: true})
				for _, d := range gitnumstat.Diff(counted, want) {
					t.Errorf("NoLines: %s", d)
				}
			})
		}
	}
	if !sawMerge {
		t.Errorf("got no merge commit, want one")
	}
}
