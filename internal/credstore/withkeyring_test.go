package credstore

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// TestWithKeyringLeavesNothing runs the test suite's own keyring helper
// (testdata/with-keyring.sh, which CI wraps `go test` in) around a store
// and lookup through the Secret Service: the command keeps its HOME, the
// helper writes nothing there, and no bus or keyring daemon outlives it.
func TestWithKeyringLeavesNothing(t *testing.T) {
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon", "dbus-send", "secret-tool"} {
		testenv.LookPath(t, tool)
	}
	home := t.TempDir()
	marker := testenv.NewMarker()
	script := `set -e
test "$SIGSENTRY_TEST_KEYRING" = 1
test "$HOME" = "$WANT_HOME"
test -z "${XDG_RUNTIME_DIR+set}"
printf probe-value | secret-tool store --label=sigsentry-test sigsentry-test with-keyring
test "$(secret-tool lookup sigsentry-test with-keyring)" = probe-value
secret-tool clear sigsentry-test with-keyring
echo inside-ok`
	cmd := exec.Command("testdata/with-keyring.sh", "sh", "-c", script)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "WANT_HOME=" + home, marker}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "inside-ok") {
		t.Fatalf("with-keyring.sh: %v\n%s", err, out)
	}
	testenv.NoDaemonsLeft(t, marker, "with-keyring.sh")
	entries, err := os.ReadDir(home)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("with-keyring.sh wrote %s into HOME", e.Name())
	}
}
