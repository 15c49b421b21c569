package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.yaml")
	for _, content := range []string{"one\n", "two\n", ""} {
		if err := WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatalf("WriteFile: %v", err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("got %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("got %d files in the folder, want 1 (no temporary files left)", len(entries))
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("got mode %04o, want 0600", fi.Mode().Perm())
		}
	}
}

func TestWriteFileFailureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "missing", "f"), nil, 0o600); err == nil {
		t.Errorf("got nil error writing into a missing folder, want one")
	}
	// A folder in the way of the rename: the write fails, nothing is left.
	p := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(p, "child"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new"), 0o600); err == nil {
		t.Errorf("got nil error replacing a non-empty folder, want one")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("got %d entries, want 1 (the temporary file removed)", len(entries))
	}
}

// TestWriteFileKeepsASymlink: a config file that is a link into a dotfiles
// folder stays a link; the file it points to gets the new content.
func TestWriteFileKeepsASymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dots, conf := t.TempDir(), t.TempDir()
	target := filepath.Join(dots, "sigsentry.yaml")
	if err := os.WriteFile(target, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(conf, "config.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new\n"), 0o600); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file (%v)", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new\n" {
		t.Errorf("the link's target holds %q, want the new content", got)
	}
	for _, d := range []string{dots, conf} {
		if entries, _ := os.ReadDir(d); len(entries) != 1 {
			t.Errorf("%s holds %d entries, want 1 (no temporary files left)", d, len(entries))
		}
	}
}

// TestWriteFileRetriesABusyTarget: a rename refused while another process
// has the target open (Windows' sharing violation) is tried again, and
// the write lands once the target is free; any other refusal is final.
func TestWriteFileRetriesABusyTarget(t *testing.T) {
	busy := errors.New("the target is open elsewhere")
	oldBusy, oldRename := renameBusy, osRename
	t.Cleanup(func() { renameBusy, osRename = oldBusy, oldRename })
	renameBusy = func(err error) bool { return errors.Is(err, busy) }
	refusals := 3
	osRename = func(from, to string) error {
		if refusals > 0 {
			refusals--
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: busy}
		}
		return os.Rename(from, to)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := WriteFile(path, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatalf("got %v, want the write to land after the target was busy", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a: 1\n" {
		t.Errorf("got %q", got)
	}

	refusals = 1
	renameBusy = func(error) bool { return false }
	if err := WriteFile(path, []byte("a: 2\n"), 0o600); err == nil {
		t.Error("a refusal that is not a busy target: got nil, want the error")
	}
	if got, _ := os.ReadFile(path); string(got) != "a: 1\n" {
		t.Errorf("after a failed write: got %q, want the old content", got)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".config.yaml.tmp-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
