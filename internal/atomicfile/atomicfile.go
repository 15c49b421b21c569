// Package atomicfile replaces files so that a reader sees the old content
// or the new one, never a torn mix, even on a full disk, a crash or an
// interrupt. The config layer and the encrypted credential file share it;
// it imports nothing of sigsentry.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// WriteFile writes data to path through a temporary file in the same
// folder (created with mode perm), fsyncs it, renames it over path and
// fsyncs the folder. On any failure the temporary file is removed and path
// is left as it was. When path is a symbolic link (a config file kept in
// a dotfiles folder), the file it points to is replaced and the link kept.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("writing %s: following the link: %w", path, err)
		}
		path = target
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		_ = f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// renameBusy reports a rename refused because another process has the
// target open (Windows: ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION; a
// reader, an antivirus or an indexer): such a refusal passes.
var renameBusy = func(err error) bool {
	var en syscall.Errno
	return runtime.GOOS == "windows" && errors.As(err, &en) && (en == 5 || en == 32)
}

// renameWait bounds how long a busy rename is retried.
const renameWait = 2 * time.Second

// osRename is os.Rename (tests swap it).
var osRename = os.Rename

// rename renames from over to, retrying for up to renameWait while the
// target is busy.
func rename(from, to string) error {
	deadline := time.Now().Add(renameWait)
	wait := 5 * time.Millisecond
	for {
		err := osRename(from, to)
		if err == nil || !renameBusy(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
		wait = min(2*wait, 200*time.Millisecond)
	}
}
