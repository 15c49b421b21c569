// Package gitrun is sigsentry's one way of running git: in one repository,
// with the settings that change diff output pinned (so a user's
// ~/.gitconfig cannot change counts), no pager, no prompts, the C locale,
// and an environment without sigsentry's or Sentry's secrets.
package gitrun

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/childenv"
)

// Pinned are the `-c` settings every git command runs with: standard diff
// prefixes and algorithm, quoted non-ASCII names, no relative diffs, no
// signature checks, no pager, and bounded pack memory (without these,
// `git log -p` over a year of a large repository keeps ~100 MiB of delta
// bases and pack windows resident, growing with the history walked).
var Pinned = []string{
	"-c", "core.quotePath=true",
	"-c", "diff.noprefix=false",
	"-c", "diff.mnemonicPrefix=false",
	"-c", "diff.relative=false",
	"-c", "diff.algorithm=myers",
	"-c", "diff.indentHeuristic=true",
	"-c", "log.showSignature=false",
	"-c", "core.pager=cat",
	"-c", "core.deltaBaseCacheLimit=16m",
	"-c", "core.packedGitWindowSize=1m",
	"-c", "core.packedGitLimit=32m",
}

// Runner runs git in one repository (a work tree or a bare repository).
type Runner struct {
	// Dir is the repository.
	Dir string
	// Git is the executable (default "git" from PATH).
	Git string
	// Env holds extra environment entries (KEY=VALUE), e.g. for tests.
	Env []string
}

// Command returns the command for `git args...` in r.Dir, ready to start.
// It is killed when ctx ends and does not outlive its pipes by more than
// two seconds.
func (r *Runner) Command(ctx context.Context, args ...string) *exec.Cmd {
	git := r.Git
	if git == "" {
		git = "git"
	}
	full := make([]string, 0, 2+len(Pinned)+len(args))
	full = append(full, "-C", r.Dir)
	full = append(full, Pinned...)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, git, full...)
	cmd.Env = append(childenv.Scrub(os.Environ()), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_PAGER=cat", "GIT_OPTIONAL_LOCKS=0")
	cmd.Env = append(cmd.Env, r.Env...)
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// Output runs `git args...` and returns its standard output. On failure the
// error names the subcommand and git's first line of standard error; when
// ctx ended, it is ctx's error.
func (r *Runner) Output(ctx context.Context, args ...string) ([]byte, error) {
	return r.OutputStdin(ctx, nil, args...)
}

// OutputStdin is Output with stdin as git's standard input.
func (r *Runner) OutputStdin(ctx context.Context, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := r.Command(ctx, args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, Error(args, err, stderr.Bytes())
	}
	return out, nil
}

// Stream runs `git args...` with stdin (may be nil) and hands its standard
// output to read. When read returns early (an error, or it has seen
// enough), git is stopped rather than read to the end; read's error is
// returned then. A git failure is reported only when read consumed
// everything.
func (r *Runner) Stream(parent context.Context, stdin io.Reader, args []string, read func(*bufio.Reader) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	cmd := r.Command(ctx, args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("running git %s: %w", args[0], err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("running git %s: %w", args[0], err)
	}
	br := bufio.NewReaderSize(stdout, 256<<10)
	rerr := read(br)
	stopped := false
	if rerr != nil || !atEOF(br) {
		cancel() // stop git rather than read the rest of its output
		stopped = true
	}
	_, _ = io.Copy(io.Discard, br)
	werr := cmd.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	if stopped {
		return nil
	}
	if werr != nil {
		return Error(args, werr, stderr.Bytes())
	}
	return nil
}

// atEOF reports whether br has nothing more to read.
func atEOF(br *bufio.Reader) bool {
	_, err := br.Peek(1)
	return errors.Is(err, io.EOF)
}

// Error describes a failed git command: its subcommand, git's first line of
// standard error, and the cause.
func Error(args []string, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	sub := "git"
	if len(args) > 0 {
		sub = "git " + args[0]
	}
	if msg == "" {
		return fmt.Errorf("%s: %w", sub, err)
	}
	return fmt.Errorf("%s: %s: %w", sub, msg, err)
}

// ReadLine returns the next line of r including its newline, however long.
func ReadLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = r.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}
