package source

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// Local reads commits and diffs from a git repository on disk (a work tree
// or a bare repository) by running git. It needs no credential.
//
// It lists what Bitbucket's commits/{ref} would list (every commit reachable
// from ref, topological order, newest first, filtered on the author date)
// and diffs each commit against its first parent (a root commit against the
// empty tree) with rename detection, exactly as `git diff -M` does.
type Local struct {
	dir  string
	name string
	// Git is the git executable (default "git" from PATH).
	Git string
}

// gitConfig pins the git settings that change diff output, so a user's
// ~/.gitconfig cannot change the counts (no external diff drivers, no
// textconv, standard prefixes, quoted non-ASCII names).
var gitConfig = []string{
	"-c", "core.quotePath=true",
	"-c", "diff.noprefix=false",
	"-c", "diff.mnemonicPrefix=false",
	"-c", "diff.relative=false",
	"-c", "diff.algorithm=myers",
	"-c", "diff.indentHeuristic=true",
	"-c", "log.showSignature=false",
	"-c", "core.pager=cat",
	// Bound git's own memory: without these, `git log -p` over a year of
	// a large repository keeps ~100 MiB of delta bases and pack windows
	// resident, growing with the history walked.
	"-c", "core.deltaBaseCacheLimit=16m",
	"-c", "core.packedGitWindowSize=1m",
	"-c", "core.packedGitLimit=32m",
}

// diffArgs are the `git log -p` options that make its patches equal to
// `git diff -M --no-color --no-ext-diff --no-textconv <first-parent> <hash>`.
var diffArgs = []string{
	"-p", "--root", "--diff-merges=first-parent", "-M",
	"--no-color", "--no-ext-diff", "--no-textconv",
	"--src-prefix=a/", "--dst-prefix=b/",
}

// NewLocal opens the git repository at dir.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening local repository %s: %w", dir, err)
	}
	l := &Local{dir: abs, name: abs, Git: "git"}
	if _, err := l.output(context.Background(), "rev-parse", "--git-dir"); err != nil {
		return nil, fmt.Errorf("opening local repository %s: not a git repository: %w", dir, err)
	}
	return l, nil
}

// Kind is "local".
func (l *Local) Kind() string { return "local" }

// Repo is the repository's absolute path.
func (l *Local) Repo() string { return l.name }

// Dir is the repository's absolute path.
func (l *Local) Dir() string { return l.dir }

// DefaultRef is HEAD.
func (l *Local) DefaultRef(context.Context) (string, error) { return "HEAD", nil }

func (l *Local) command(ctx context.Context, args ...string) *exec.Cmd {
	full := append([]string{"-C", l.dir}, gitConfig...)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, l.Git, full...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_PAGER=cat")
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

func (l *Local) output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := l.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, gitError(args, err, stderr.Bytes())
	}
	return out, nil
}

func gitError(args []string, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		return fmt.Errorf("git %s: %w", args[0], err)
	}
	return fmt.Errorf("git %s: %s: %w", args[0], msg, err)
}

// Commits lists the commits reachable from ref whose author date lies in w
// (both ends included), in topological order, newest first. Merge commits
// are left out unless includeMerges. The whole history is walked (without
// diffs, which is cheap) so that commits are not lost to clock skew between
// author and committer dates.
func (l *Local) Commits(ctx context.Context, ref string, w Window, includeMerges bool) ([]Commit, error) {
	if ref == "" {
		ref = "HEAD"
	}
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("listing commits of %q: a ref cannot start with '-'", ref)
	}
	args := []string{"log", "--topo-order", "-z",
		"--format=format:%H%x1f%P%x1f%at%x1f%aI%x1f%an <%ae>%x1f%B"}
	if !includeMerges {
		args = append(args, "--no-merges")
	}
	args = append(args, ref, "--")
	cmd := l.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("listing commits of %s: %w", ref, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("listing commits of %s: %w", ref, err)
	}
	var out []Commit
	r := bufio.NewReaderSize(stdout, 64<<10)
	var perr error
	for {
		rec, err := r.ReadBytes(0)
		if len(rec) > 0 {
			rec = bytes.TrimSuffix(rec, []byte{0})
			c, unix, ok := parseLogRecord(string(rec))
			if !ok {
				perr = fmt.Errorf("listing commits of %s: unexpected git log record %.80q", ref, rec)
				break
			}
			if (w.Since.IsZero() || unix >= w.Since.Unix()) && (w.Until.IsZero() || unix <= w.Until.Unix()) {
				c.Repo = l.name
				out = append(out, c)
			}
		}
		if err != nil {
			break
		}
	}
	if perr != nil {
		_ = cmd.Process.Kill()
	}
	_, _ = io.Copy(io.Discard, r)
	werr := cmd.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if perr != nil {
		return nil, perr
	}
	if werr != nil {
		return nil, fmt.Errorf("listing commits of %s: %w", ref, gitError(args, werr, stderr.Bytes()))
	}
	return out, nil
}

// parseLogRecord parses one record of the Commits format.
func parseLogRecord(rec string) (Commit, int64, bool) {
	rec = strings.TrimPrefix(rec, "\n")
	f := strings.SplitN(rec, "\x1f", 6)
	if len(f) != 6 || len(f[0]) < 40 {
		return Commit{}, 0, false
	}
	unix, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return Commit{}, 0, false
	}
	date, err := time.Parse(time.RFC3339, f[3])
	if err != nil {
		date = time.Unix(unix, 0).UTC()
	}
	c := Commit{
		Hash:    f[0],
		Date:    date,
		Author:  f[4],
		Message: strings.TrimRight(f[5], "\n"),
		Parents: strings.Fields(f[1]),
	}
	if c.Parents == nil {
		c.Parents = []string{}
	}
	return c, unix, true
}

// Change diffs c against its first parent (the empty tree for a root
// commit), with lines kept for ranking.
func (l *Local) Change(ctx context.Context, c Commit) (*Change, error) {
	var got *Change
	err := l.patches(ctx, []string{c.Hash}, diffstat.Options{}, func(hash string, ch *Change) error {
		got = ch
		return nil
	})
	if err != nil {
		return nil, err
	}
	if got == nil {
		return nil, fmt.Errorf("diffing commit %s: git printed no patch", c.Hash)
	}
	return got, nil
}

// WalkOptions tune Walk.
type WalkOptions struct {
	// IncludeMerges keeps merge commits (diffed against their first parent).
	IncludeMerges bool
	// CountOnly drops the text of added and removed lines while parsing,
	// for runs that only need counts.
	CountOnly bool
	// OnList, when not nil, is told how many commits the walk will visit
	// once they are listed (for progress).
	OnList func(n int)
}

// Walk lists the commits of ref inside w (as Commits does) and calls fn with
// each commit and its change, newest first, while one `git log -p` process
// streams their patches. Each patch is parsed as it arrives and its bytes
// are dropped, so memory does not grow with the length of history. An
// error from fn stops the walk and is returned.
func (l *Local) Walk(ctx context.Context, ref string, w Window, o WalkOptions, fn func(Commit, *Change) error) error {
	commits, err := l.Commits(ctx, ref, w, o.IncludeMerges)
	if err != nil {
		return err
	}
	if o.OnList != nil {
		o.OnList(len(commits))
	}
	if len(commits) == 0 {
		return nil
	}
	hashes := make([]string, len(commits))
	for i, c := range commits {
		hashes[i] = c.Hash
	}
	popts := diffstat.Options{NoLines: o.CountOnly}
	i := 0
	err = l.patches(ctx, hashes, popts, func(hash string, ch *Change) error {
		for i < len(commits) && commits[i].Hash != hash {
			// git printed nothing for this commit; it cannot happen with
			// --no-walk, but keep the pairing honest.
			i++
		}
		if i == len(commits) {
			return fmt.Errorf("walking %s: git printed a patch for unexpected commit %s", ref, hash)
		}
		c := commits[i]
		commits[i] = Commit{} // drop the message early
		i++
		return fn(c, ch)
	})
	return err
}

// commitMarker starts each commit's output in the patch stream. No diff
// line can start with a NUL byte (hunk lines start with ' ', '+', '-' or
// '\\', headers with words), so the marker cannot be confused with content.
const commitMarker = "\x00sigsentry-commit "

// patches streams the first-parent patches of hashes (in that order) from
// one `git log -p --no-walk` process and calls fn with each parsed change.
func (l *Local) patches(parent context.Context, hashes []string, popts diffstat.Options, fn func(hash string, ch *Change) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	args := append([]string{"log"}, diffArgs...)
	args = append(args, "--no-walk=unsorted", "--stdin", "--format=format:%x00sigsentry-commit %H")
	cmd := l.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdin = strings.NewReader(strings.Join(hashes, "\n") + "\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("diffing commits: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("diffing commits: %w", err)
	}
	r := bufio.NewReaderSize(stdout, 256<<10)
	var (
		buf  bytes.Buffer
		hash string
		ferr error
	)
	flush := func() error {
		if hash == "" {
			return nil
		}
		files, err := diffstat.ParseOptions(buf.Bytes(), popts)
		if err != nil {
			return fmt.Errorf("parsing the diff of commit %s: %w", hash, err)
		}
		if buf.Cap() > 4<<20 {
			buf = bytes.Buffer{} // do not keep one huge commit's buffer
		}
		buf.Reset()
		if files == nil {
			files = []diffstat.File{}
		}
		h := hash
		hash = ""
		return fn(h, &Change{Hash: h, Files: files})
	}
	for ferr == nil {
		line, err := readLine(r)
		if len(line) > 0 {
			if line[0] == 0 && bytes.HasPrefix(line, []byte(commitMarker)) {
				if ferr = flush(); ferr != nil {
					break
				}
				hash = strings.TrimSpace(string(line[len(commitMarker):]))
			} else if hash != "" {
				buf.Write(line)
			}
		}
		if err != nil {
			if err != io.EOF {
				ferr = fmt.Errorf("reading git log: %w", err)
			}
			break
		}
	}
	if ferr == nil {
		ferr = flush()
	}
	if ferr != nil {
		cancel() // stop git rather than read the rest of its output
	}
	_, _ = io.Copy(io.Discard, r)
	werr := cmd.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	if ferr != nil {
		return ferr
	}
	if werr != nil {
		return fmt.Errorf("diffing commits: %w", gitError(args, werr, stderr.Bytes()))
	}
	return nil
}

// readLine returns the next line including its newline, however long.
func readLine(r *bufio.Reader) ([]byte, error) {
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
