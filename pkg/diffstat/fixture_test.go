package diffstat_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
)

var (
	update = flag.Bool("update", false, "rewrite testdata/*.golden from the current parser")
	regen  = flag.Bool("regen-git-fixtures", false, "rewrite the git-made testdata/*.diff, *.numstat and *.name-status from a fresh case repository")
)

// golden is what a fixture parses to.
type golden struct {
	Files []diffstat.File `json:"files"`
	Error string          `json:"error,omitempty"`
}

// TestFixtures parses every testdata/*.diff and compares with its
// .golden file. Fixtures made by git also carry git's own numstat and
// name-status (-z), which the result must match.
func TestFixtures(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.diff")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 20 {
		t.Fatalf("got %d fixtures, want at least 20", len(paths))
	}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".diff")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files, perr := diffstat.Parse(raw)
			g := golden{Files: files}
			if perr != nil {
				g.Error = perr.Error()
			}
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			gp := strings.TrimSuffix(p, ".diff") + ".golden"
			if *update {
				if err := os.WriteFile(gp, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}

			ns, err1 := os.ReadFile(strings.TrimSuffix(p, ".diff") + ".numstat")
			st, err2 := os.ReadFile(strings.TrimSuffix(p, ".diff") + ".name-status")
			if err1 == nil && err2 == nil {
				if perr != nil {
					t.Errorf("Parse: got error %v on a git-made diff, want none", perr)
				}
				want, err := gitnumstat.Parse(ns, st)
				if err != nil {
					t.Fatalf("reading git's numstat: %v", err)
				}
				for _, d := range gitnumstat.Diff(files, want) {
					t.Error(d)
				}
			}
		})
	}
}

// gitFixtures names the commits of buildCaseRepo (by subject) that become
// fixtures, with the extra diff options to use.
var gitFixtures = []struct {
	name, subject string
	opts          []string
}{
	{"root", "root", nil},
	{"sections", "modify text", nil},
	{"binary-modified", "modify binary", nil},
	{"binary-added-deleted", "add and delete binary", nil},
	{"binary-patch", "add and delete binary", []string{"--binary"}},
	{"binary-patch-modified", "modify binary", []string{"--binary"}},
	{"rename-pure", "pure rename", nil},
	{"rename-edit", "rename with edits", nil},
	{"mode-only", "mode only", nil},
	{"mode-binary", "mode change on binary files", nil},
	{"empty-new", "new empty file, deleted text file", nil},
	{"empty-deleted", "deleted empty file", nil},
	{"no-newline", "no newline at end", nil},
	{"newline-added", "newline added", nil},
	{"dash-lines", "dash lines", nil},
	{"header-lines", "header-looking lines", nil},
	{"header-lines-u0", "header-looking lines", []string{"-U0"}},
	{"crlf", "crlf", nil},
	{"non-utf8", "non-utf8", nil},
	{"special-names", "special names", nil},
	{"rename-quoted", "rename quoted", nil},
	{"submodule-added", "add submodule", nil},
	{"submodule-updated", "update submodule", nil},
	{"submodule-removed", "remove submodule", nil},
	{"symlink-added", "add symlink", nil},
	{"symlink-typechange", "retarget symlink, file becomes symlink", nil},
	{"copy", "copy with edits", []string{"-C"}},
	{"merge", "merge side", nil},
}

// TestRegenerateGitFixtures rewrites the git-made fixtures; it runs only
// with -regen-git-fixtures.
func TestRegenerateGitFixtures(t *testing.T) {
	if !*regen {
		t.Skip("run with -regen-git-fixtures to rewrite the git-made fixtures")
	}
	r := buildCaseRepo(t)
	for _, fx := range gitFixtures {
		commit := strings.TrimSpace(string(r.git("log", "-1", "--format=%H", "--grep=^"+fx.subject+"$", "--all")))
		if commit == "" {
			t.Fatalf("no commit %q", fx.subject)
		}
		parent := emptyTree
		if ps := strings.Fields(string(r.git("log", "-1", "--format=%P", commit))); len(ps) > 0 {
			parent = ps[0]
		}
		args := append([]string{"diff", "--no-color", "--no-ext-diff", "-M"}, fx.opts...)
		diff := r.git(append(args, parent, commit)...)
		stat := []string{"diff", "--no-color", "-z", "-M"}
		for _, o := range fx.opts {
			if o == "-C" {
				stat = append(stat, o)
			}
		}
		ns := r.git(append(append(stat, "--numstat"), parent, commit)...)
		st := r.git(append(append(stat, "--name-status"), parent, commit)...)
		base := filepath.Join("testdata", fx.name)
		for ext, b := range map[string][]byte{".diff": diff, ".numstat": ns, ".name-status": st} {
			if err := os.WriteFile(base+ext, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
