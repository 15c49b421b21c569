package analyze_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

// TestLocalPeakMemory runs `analyze --local` over 3 and 12 months of
// prometheus, each in a fresh child process, and compares the children's own
// peak resident memory (VmHWM; git's memory is its own process's): it must
// not grow with the length of history. Opt-in: SIGSENTRY_REAL_REPOS.
func TestLocalPeakMemory(t *testing.T) {
	root := os.Getenv("SIGSENTRY_REAL_REPOS")
	if root == "" {
		t.Skip("set SIGSENTRY_REAL_REPOS to a folder of bare clones (e.g. /work/.mirror) to run")
	}
	requireGit(t)
	dir := filepath.Join(root, "prometheus+prometheus", "repo")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("prometheus is needed: %v", err)
	}
	last := git(t, dir, time.Time{}, "log", "-1", "--format=%aI", "HEAD")
	peak := map[string]int{}
	for _, days := range []string{"90", "365"} {
		for _, format := range []string{"table", "json"} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPeakMemoryChild$")
			cmd.Env = append(os.Environ(), "SIGSENTRY_MEM_CHILD="+strings.Join([]string{dir, last, days, format}, "\x1f"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child %s days %s: %v\n%s", days, format, err, out)
			}
			kb := 0
			sc := bufio.NewScanner(strings.NewReader(string(out)))
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "PEAK_KB "); ok {
					kb, _ = strconv.Atoi(v)
				}
			}
			if kb == 0 {
				t.Fatalf("child %s days %s printed no peak:\n%s", days, format, out)
			}
			peak[days+"/"+format] = kb
			t.Logf("analyze --local prometheus, %s days, -o %s: sigsentry peak RSS %d KiB", days, format, kb)
		}
	}
	for _, format := range []string{"table", "json"} {
		short, long := peak["90/"+format], peak["365/"+format]
		if float64(long) > 1.5*float64(short) {
			t.Errorf("-o %s: peak grew from %d KiB (90 days) to %d KiB (365 days), want within 1.5x", format, short, long)
		}
	}
}

// TestPeakMemoryChild is the child of TestLocalPeakMemory.
func TestPeakMemoryChild(t *testing.T) {
	spec := os.Getenv("SIGSENTRY_MEM_CHILD")
	if spec == "" {
		t.Skip("run by TestLocalPeakMemory")
	}
	f := strings.Split(spec, "\x1f")
	at, err := time.Parse(time.RFC3339, f[1])
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(t)
	code, out, errOut := r.run("analyze", "--local", f[0], "--at", at.Add(time.Minute).Format(time.RFC3339), "--lookback-days", f[2], "-o", f[3])
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("PEAK_KB %s\n", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	fmt.Printf("OUTPUT_BYTES %d\n", len(out))
}

// TestBigDiffsPeakMemory analyzes, through the Bitbucket double, commits
// whose diffs are 60 MB each (a child process runs analyze; the double runs
// in this one) and reports the child's peak resident memory, which must
// stay under 1 GiB. Opt-in (it builds a 700 MB repository):
//
//	SIGSENTRY_BIG_DIFFS=12 go test ./e2e/analyze -run BigDiffs -v -timeout 60m
func TestBigDiffsPeakMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SIGSENTRY_BIG_DIFFS"))
	if n <= 0 {
		t.Skip("set SIGSENTRY_BIG_DIFFS to the number of 60 MB commits to analyze")
	}
	requireGit(t)
	dir := t.TempDir()
	git(t, dir, time.Time{}, "init", "-q", "-b", "main")
	end := time.Now().Add(-time.Hour).Truncate(time.Second)
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	const size = 60 << 20
	for i := 0; i < n; i++ {
		d := end.Add(time.Duration(i-n) * time.Minute).Unix()
		msg := fmt.Sprintf("generated data %d", i)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Big <big@example.com> %d +0000\ndata %d\n%s\n", i+1, d, len(msg), msg)
		if i > 0 {
			fmt.Fprintf(w, "from :%d\n", i)
		}
		fmt.Fprintf(w, "M 100644 inline data/blob%02d.txt\ndata %d\n", i, size)
		line := fmt.Sprintf("%-63d\n", i) // 64 bytes a line
		for written := 0; written < size; written += len(line) {
			w.WriteString(line)
		}
		w.WriteString("\n")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("git fast-import: %v", err)
	}
	_, r := fakeRepo(t, "big", dir, bitbuckettest.Options{})
	child := exec.Command(os.Args[0], "-test.run=^TestBigDiffsChild$")
	child.Env = os.Environ()
	for k, v := range r.env {
		child.Env = append(child.Env, k+"="+v)
	}
	child.Env = append(child.Env, "SIGSENTRY_BIG_CHILD=1")
	out, err := child.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	kb := 0
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "PEAK_KB "); ok {
			kb, _ = strconv.Atoi(v)
		}
	}
	t.Logf("analyze of %d commits with 60 MB diffs: peak RSS %d MiB", n, kb>>10)
	if kb == 0 || kb > 1<<20 {
		t.Errorf("peak RSS %d KiB, want under 1 GiB\n%s", kb, out)
	}
}

// TestBigDiffsChild is the child of TestBigDiffsPeakMemory: analyze with
// the parent's environment, then the process's peak resident memory.
func TestBigDiffsChild(t *testing.T) {
	if os.Getenv("SIGSENTRY_BIG_CHILD") == "" {
		t.Skip("run by TestBigDiffsPeakMemory")
	}
	debug.SetMemoryLimit(768 << 20) // as cmd/sigsentry does
	r := &runner{env: map[string]string{}, now: time.Now()}
	for _, k := range []string{"SIGSENTRY_CONFIG_DIR", "SIGSENTRY_CACHE_DIR", "SIGSENTRY_CREDENTIAL_STORE",
		"SIGSENTRY_BITBUCKET_API_URL", "SIGSENTRY_BITBUCKET_EMAIL", "SIGSENTRY_BITBUCKET_API_TOKEN"} {
		r.env[k] = os.Getenv(k)
	}
	code, out, errOut := r.run("analyze", "--repo", "acme/big", "--lookback-days", "30", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("PEAK_KB %s\n", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	fmt.Printf("OUTPUT_BYTES %d\n", len(out))
}
