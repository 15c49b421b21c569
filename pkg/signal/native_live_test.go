package signal

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

var capture = flag.Bool("capture", false, "rebuild and rerun every program of testdata/native/src and rewrite the captured reports in testdata (then run -update and review the goldens)")

// nativeCaptureDir is where -capture builds, so captured paths stay the same
// from one capture to the next.
const nativeCaptureDir = "/tmp/sigsentry-native"

// TestNativeLive rebuilds and reruns the live subset of nativeCases with the
// compilers and tools of this machine and checks the crash frames parsed
// from what they print: file, line (found by its marker in the source) and
// function. Addresses and process ids differ from run to run and are not
// compared. With -capture it runs every case instead and rewrites the
// captures under testdata.
func TestNativeLive(t *testing.T) {
	cases := nativeCases
	dir := t.TempDir()
	if *capture {
		dir = nativeCaptureDir
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	} else {
		cases = nil
		for _, c := range nativeCases {
			if c.live {
				cases = append(cases, c)
			}
		}
	}
	for _, c := range cases {
		for _, tool := range c.tools() {
			if _, err := exec.LookPath(tool); err != nil {
				testenv.Unavailable(t, "%s is not installed (needed by %s/%s)", tool, c.dir, c.name)
			}
		}
	}
	root := newNativeRoot(t, dir)
	runNativeCases(t, root, cases, func(t *testing.T, c nativeCase, out []byte) {
		if *capture {
			path := filepath.Join("testdata", c.dir, c.name+".txt")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		sigs, err := Parse(c.name, out)
		if err != nil {
			t.Fatalf("Parse: %v\n%s", err, out)
		}
		checkWant(t, c, sigs)
	})
}
