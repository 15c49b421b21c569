package repos

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
)

// helperEnv switches the test binary into a helper process that runs
// `repos add` (see helperMain).
const helperEnv = "SIGSENTRY_REPOS_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helperMain(mode))
	}
	os.Exit(m.Run())
}

// helperMain waits for one byte on stdin (the start signal, so that both
// processes begin at the same moment), then adds repositories with
// --no-verify into SIGSENTRY_CONFIG_DIR: in mode "file" with one
// `repos add --from-file` run, in mode "batches" with one run per
// HELPER_BATCH repositories (many short runs contending for the lock).
func helperMain(mode string) int {
	var b [1]byte
	if _, err := io.ReadFull(os.Stdin, b[:]); err != nil {
		fmt.Fprintf(os.Stderr, "helper: waiting for the start signal: %v\n", err)
		return 1
	}
	prefix := os.Getenv("HELPER_PREFIX")
	n, _ := strconv.Atoi(os.Getenv("HELPER_N"))
	run := func(args ...string) int {
		ios, _, _, errOut := iostreams.Test()
		ios.Out = io.Discard
		code := runCLI(testFactory(ios, os.Getenv, nil), args...)
		if code != 0 {
			fmt.Fprintf(os.Stderr, "helper: repos %v: exit %d: %s\n", args, code, errOut)
		}
		return code
	}
	switch mode {
	case "file":
		return run("add", "--no-verify", "--from-file", os.Getenv("HELPER_FILE"))
	case "batches":
		batch, _ := strconv.Atoi(os.Getenv("HELPER_BATCH"))
		for i := 0; i < n; i += batch {
			args := []string{"add", "--no-verify"}
			for j := i; j < min(i+batch, n); j++ {
				args = append(args, fmt.Sprintf("%s/repo-%03d", prefix, j))
			}
			if code := run(args...); code != 0 {
				return code
			}
		}
		return 0
	}
	fmt.Fprintf(os.Stderr, "helper: unknown mode %q\n", mode)
	return 1
}

// TestTwoProcessesAddAtOnce runs two real OS processes that each add 200
// different repositories at the same moment into one config folder: all 400
// must be there afterwards.
func TestTwoProcessesAddAtOnce(t *testing.T) {
	const perProcess = 200
	// "batches" is 20 runs of 10 per process (40 runs contending for the
	// lock); one run per repository is right too but slow under -race.
	modes := []string{"file", "batches"}
	if testing.Short() {
		modes = modes[:1]
	}
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "config")
			type proc struct {
				cmd    *exec.Cmd
				start  io.WriteCloser
				stderr bytes.Buffer
			}
			var procs []*proc
			for _, prefix := range []string{"team-a", "team-b"} {
				file := filepath.Join(t.TempDir(), prefix+".txt")
				var list strings.Builder
				for i := range perProcess {
					fmt.Fprintf(&list, "%s/repo-%03d\n", prefix, i)
				}
				if err := os.WriteFile(file, []byte(list.String()), 0o600); err != nil {
					t.Fatal(err)
				}
				p := &proc{cmd: exec.Command(os.Args[0], "-test.run=^$")}
				p.cmd.Env = append(os.Environ(),
					helperEnv+"="+mode,
					"SIGSENTRY_CONFIG_DIR="+dir,
					"HELPER_PREFIX="+prefix,
					"HELPER_N="+strconv.Itoa(perProcess),
					"HELPER_FILE="+file,
					"HELPER_BATCH=10",
				)
				p.cmd.Stderr = &p.stderr
				w, err := p.cmd.StdinPipe()
				if err != nil {
					t.Fatal(err)
				}
				p.start = w
				if err := p.cmd.Start(); err != nil {
					t.Fatalf("starting helper: %v", err)
				}
				procs = append(procs, p)
			}
			// Both are running and waiting: release them together.
			for _, p := range procs {
				if _, err := p.start.Write([]byte{1}); err != nil {
					t.Fatalf("starting helper: %v", err)
				}
				p.start.Close()
			}
			for _, p := range procs {
				if err := p.cmd.Wait(); err != nil {
					t.Errorf("helper failed: %v\n%s", err, p.stderr.String())
				}
			}
			c, err := (&config.Store{Dir: dir}).ReadFile()
			if err != nil {
				t.Fatalf("reading the config: %v", err)
			}
			seen := map[string]bool{}
			for _, r := range c.Bitbucket.Repositories {
				if seen[r.Name] {
					t.Errorf("got %s twice", r.Name)
				}
				seen[r.Name] = true
			}
			for _, prefix := range []string{"team-a", "team-b"} {
				for i := range perProcess {
					if name := fmt.Sprintf("%s/repo-%03d", prefix, i); !seen[name] {
						t.Errorf("got no %s, want all %d repositories saved", name, 2*perProcess)
					}
				}
			}
			if got, want := len(c.Bitbucket.Repositories), 2*perProcess; got != want {
				t.Errorf("got %d repositories, want %d", got, want)
			} else {
				t.Logf("%s: %d repositories present after two concurrent processes", mode, got)
			}
		})
	}
}
