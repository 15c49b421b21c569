package diffstat_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// benchDiff is a large diff: the patches of the last 300 first-parent
// commits of prometheus when SIGSENTRY_REAL_REPOS points at the mirrors,
// else a synthetic one of about 8 MB.
func benchDiff(b *testing.B) (name string, diff []byte) {
	b.Helper()
	if root := os.Getenv("SIGSENTRY_REAL_REPOS"); root != "" {
		requireGit(b)
		repo := filepath.Join(root, "prometheus+prometheus", "repo")
		cmd := exec.Command("git", "-C", repo, "log", "-p", "-M", "--first-parent", "-n", "300",
			"--format=", "--no-color", "--no-ext-diff", "HEAD")
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("making the benchmark diff from %s: %v", repo, err)
		}
		return "prometheus-300", out
	}
	return "synthetic", syntheticDiff(2000, 8)
}

// syntheticDiff makes a diff of files files with hunks hunks each, mixing
// Go-like code, CRLF files, binaries and renames.
func syntheticDiff(files, hunks int) []byte {
	var b bytes.Buffer
	for f := range files {
		name := fmt.Sprintf("pkg/mod%03d/file_%d.go", f%97, f)
		switch f % 50 {
		case 7:
			fmt.Fprintf(&b, "diff --git a/%s b/%s\nindex 1111111..2222222 100644\nBinary files a/%s and b/%s differ\n", name, name, name, name)
			continue
		case 9:
			fmt.Fprintf(&b, "diff --git a/%s b/%s.old\nsimilarity index 100%%\nrename from %s\nrename to %s.old\n", name, name, name, name)
			continue
		}
		eol := "\n"
		if f%13 == 0 {
			eol = "\r\n"
		}
		fmt.Fprintf(&b, "diff --git a/%s b/%s\nindex 1111111..2222222 100644\n--- a/%s\n+++ b/%s\n", name, name, name, name)
		for h := range hunks {
			start := 1 + h*40
			fmt.Fprintf(&b, "@@ -%d,10 +%d,11 @@ func handler%d(w http.ResponseWriter, r *http.Request) {%s", start, start, h, eol)
			for i := range 3 {
				fmt.Fprintf(&b, " \tctx := r.Context() // %d%s", i, eol)
			}
			fmt.Fprintf(&b, "-\tif err := do(ctx, %q); err != nil {%s", strings.Repeat("x", 20), eol)
			fmt.Fprintf(&b, "-\t\treturn err%s", eol)
			fmt.Fprintf(&b, "+\tif err := doBetter(ctx, %q, opts); err != nil {%s", strings.Repeat("y", 20), eol)
			fmt.Fprintf(&b, "+\t\treturn fmt.Errorf(\"doing: %%w\", err)%s", eol)
			fmt.Fprintf(&b, "+\t\t// -- a comment%s", eol)
			for i := range 5 {
				fmt.Fprintf(&b, " \tlog.Printf(\"step %d\")%s", i, eol)
			}
		}
	}
	return b.Bytes()
}

// BenchmarkParse reports MB/s of Parse (lines kept) and of count-only
// parsing on a large diff.
func BenchmarkParse(b *testing.B) {
	name, diff := benchDiff(b)
	if _, err := diffstat.Parse(diff); err != nil {
		b.Fatalf("parsing the benchmark diff: %v", err)
	}
	for _, mode := range []struct {
		name string
		opts diffstat.Options
	}{{"lines", diffstat.Options{}}, {"counts", diffstat.Options{NoLines: true}}} {
		b.Run(name+"/"+mode.name, func(b *testing.B) {
			b.SetBytes(int64(len(diff)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := diffstat.ParseOptions(diff, mode.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSyntheticDiffCounts checks the benchmark's synthetic diff parses to
// what it was made of, so the benchmark measures real work.
func TestSyntheticDiffCounts(t *testing.T) {
	files, err := diffstat.Parse(syntheticDiff(100, 3))
	if err != nil {
		t.Fatal(err)
	}
	n, added, removed := diffstat.Totals(files)
	// 100 files, 2 binaries and 2 renames; 96 text files of 3 hunks.
	if n != 100 || added != 96*3*3 || removed != 96*3*2 {
		t.Errorf("got %d files +%d -%d, want 100 files +%d -%d", n, added, removed, 96*3*3, 96*3*2)
	}
}
