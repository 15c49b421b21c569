package analyze_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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
