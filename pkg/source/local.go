package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/gitrun"
	"github.com/sigsentry/sigsentry/pkg/history"
)

// Local reads history from a git repository on disk (a work tree or a bare
// repository) by running git. It needs no credential.
//
// It lists what Bitbucket's commits/{ref} lists (every commit reachable
// from ref, topological order, newest first), dated by committer time, and
// diffs each commit against its first parent (a root commit against the
// empty tree) with rename detection, exactly as `git diff -M` does. One
// `git log` lists, one `git log -p` streams the patches of the commits in
// the window; each patch is parsed as it arrives and its bytes dropped, so
// memory does not grow with the length of history.
type Local struct {
	git  gitrun.Runner
	name string
}

// diffArgs are the `git log` options that make its patches equal to
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
	l := &Local{git: gitrun.Runner{Dir: abs}, name: abs}
	if _, err := l.git.Output(context.Background(), "rev-parse", "--git-dir"); err != nil {
		return nil, fmt.Errorf("opening local repository %s: not a git repository: %w", dir, err)
	}
	return l, nil
}

// Kind is "local".
func (l *Local) Kind() string { return "local" }

// Repo is the repository's absolute path.
func (l *Local) Repo() string { return l.name }

// Dir is the repository's absolute path.
func (l *Local) Dir() string { return l.git.Dir }

// Resolve returns the full hash of the commit rev names (an abbreviated
// hash, a branch), or an error when the repository has no such commit.
func (l *Local) Resolve(ctx context.Context, rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("resolving %q: not a revision", rev)
	}
	out, err := l.git.Output(ctx, "rev-parse", "-q", "--verify", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("resolving %s: no such commit in %s", rev, l.name)
	}
	return strings.TrimSpace(string(out)), nil
}

// DefaultRef is HEAD.
func (l *Local) DefaultRef(context.Context) (string, error) { return "HEAD", nil }

// History lists the commits reachable from ref that landed inside w and
// streams their changes, in listing order.
func (l *Local) History(ctx context.Context, ref string, w history.Window, o Options, fn func(Item) error) (*Summary, error) {
	if ref == "" {
		ref = "HEAD"
	}
	lst, err := l.List(ctx, ref, w.Since)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Ref: ref, Head: lst.Head(w.Until), Listed: lst.Len()}
	var (
		sel  []history.Commit
		seqs []int
	)
	for i, c := range lst.Commits() {
		if !w.Contains(c.Landed) || c.IsMerge() && !o.Merges {
			continue
		}
		sel = append(sel, c)
		seqs = append(seqs, i)
	}
	if o.OnTotal != nil {
		o.OnTotal(len(sel))
	}
	if len(sel) == 0 {
		return sum, nil
	}
	sel, seqs, err = l.shallowEdges(ctx, sel, seqs, func(it Item) error {
		sum.Yielded++
		return fn(it)
	})
	if err != nil || len(sel) == 0 {
		return sum, err
	}
	i := 0
	yield := func(msg string, ch *history.Change) error {
		for i < len(sel) && sel[i].Hash != ch.Hash {
			i++ // git printed nothing for this commit; keep the pairing honest
		}
		if i == len(sel) {
			return fmt.Errorf("reading history of %s: git printed a patch for unexpected commit %s", ref, ch.Hash)
		}
		c := sel[i]
		sel[i] = history.Commit{} // drop it early
		c.Message = msg
		sum.Yielded++
		it := Item{Seq: seqs[i], Commit: c, Change: ch}
		i++
		return fn(it)
	}
	popts := diffstat.Options{NoLines: o.CountOnly}
	for rest := sel; len(rest) > 0; {
		if err = l.patches(ctx, rest, popts, yield); err == nil {
			break
		}
		var (
			ue *unreadableError
			se *stoppedError
		)
		k := 0 // rest[k] is the commit that cannot be read
		switch {
		case errors.As(err, &ue):
			k = slices.IndexFunc(rest, func(c history.Commit) bool { return c.Hash == ue.hash })
		case errors.As(err, &se) && se.last != "":
			// git stopped on that commit's patch or on the next one's:
			// alone, it tells which.
			k = slices.IndexFunc(rest, func(c history.Commit) bool { return c.Hash == se.last })
			if k < 0 {
				return nil, err
			}
			err = l.patches(ctx, rest[k:k+1], popts, yield)
			if err == nil {
				rest = rest[k+1:]
				continue
			}
			if !errors.As(err, &se) && !errors.As(err, &ue) {
				return nil, err
			}
		case errors.As(err, &se):
		default:
			return nil, err // a failure of fn or of the context
		}
		if k < 0 {
			return nil, err
		}
		// Its change needs an object the clone lacks (or did not parse):
		// it shows no files, and git goes on with the commits after it.
		c := rest[k]
		m, merr := l.message(ctx, c.Hash)
		if merr != nil {
			return nil, merr
		}
		fb := FallbackUnreadable + " (" + oneLineErr(err) + ")"
		if err = yield(m, &history.Change{Hash: c.Hash, Files: []diffstat.File{}, Fallback: fb}); err != nil {
			return nil, err
		}
		rest = rest[k+1:]
	}
	return sum, nil
}

// FallbackUnreadable starts Change.Fallback for a commit whose change could
// not be read from the clone: git could not produce its patch (an object
// is missing: a damaged or partial clone), or the patch did not parse. It
// shows no files; the reason follows in parentheses.
const FallbackUnreadable = "none: the commit's change could not be read from the clone"

// oneLineErr is err's message on one line, at most 200 bytes.
func oneLineErr(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// FallbackShallow is Change.Fallback for a commit at the edge of a shallow
// clone: its parents are not in the clone, so its change is unknown (git
// would diff it against the empty tree, as if it added every file).
const FallbackShallow = "none: at the edge of a shallow clone (its parents are not in the clone)"

// shallowEdges yields, with no files and FallbackShallow, the commits of
// sel that are the edge of a shallow clone (git lists them without
// parents), and returns the others with their listing positions.
func (l *Local) shallowEdges(ctx context.Context, sel []history.Commit, seqs []int, fn func(Item) error) ([]history.Commit, []int, error) {
	if !slices.ContainsFunc(sel, func(c history.Commit) bool { return len(c.Parents) == 0 }) {
		return sel, seqs, nil
	}
	edges, err := l.shallowCommits(ctx)
	if err != nil || len(edges) == 0 {
		return sel, seqs, err
	}
	keep, kseqs := sel[:0:0], seqs[:0:0]
	for i, c := range sel {
		if len(c.Parents) > 0 || !edges[c.Hash] {
			keep, kseqs = append(keep, c), append(kseqs, seqs[i])
			continue
		}
		msg, err := l.message(ctx, c.Hash)
		if err != nil {
			return nil, nil, err
		}
		c.Message = msg
		ch := &history.Change{Hash: c.Hash, Files: []diffstat.File{}, Fallback: FallbackShallow}
		if err := fn(Item{Seq: seqs[i], Commit: c, Change: ch}); err != nil {
			return nil, nil, err
		}
	}
	return keep, kseqs, nil
}

// message returns the message of commit hash.
func (l *Local) message(ctx context.Context, hash string) (string, error) {
	out, err := l.git.Output(ctx, "log", "-1", "--format=%B", hash, "--")
	if err != nil {
		return "", fmt.Errorf("reading the message of %s: %w", hash, err)
	}
	return strings.TrimRight(string(out), "\n"), nil
}

// shallowCommits returns the commits at the edge of a shallow clone (none
// for a complete one), as git records them.
func (l *Local) shallowCommits(ctx context.Context) (map[string]bool, error) {
	out, err := l.git.Output(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return nil, nil // an older git knows no shallow clones worth reading
	}
	out, err = l.git.Output(ctx, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return nil, fmt.Errorf("finding the shallow clone's edge: %w", err)
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.git.Dir, p) // relative to where git ran
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading the shallow clone's edge: %w", err)
	}
	edges := map[string]bool{}
	for _, h := range strings.Fields(string(data)) {
		edges[h] = true
	}
	return edges, nil
}

// listFormat is one listing record: hash, parents, committer and author
// times, author.
const listFormat = "--format=format:%H%x1f%P%x1f%ct%x1f%at%x1f%an <%ae>"

// List lists the commits reachable from ref, newest first in topological
// order, until history.Listing says the rest is older than since.
func (l *Local) List(ctx context.Context, ref string, since time.Time) (*history.Listing, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("listing commits of %q: a ref cannot start with '-'", ref)
	}
	lst := history.NewListing(since)
	args := []string{"log", "--topo-order", "-z", listFormat, ref, "--"}
	err := l.git.Stream(ctx, nil, args, func(r *bufio.Reader) error {
		for {
			rec, err := r.ReadBytes(0)
			rec = bytes.TrimSuffix(rec, []byte{0})
			if len(rec) > 0 {
				c, ok := parseLogRecord(string(rec))
				if !ok {
					return fmt.Errorf("unexpected git log record %.80q", rec)
				}
				c.Repo = l.name
				if !lst.Add(c) {
					return nil
				}
			}
			if err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
		}
	})
	if err != nil {
		if _, herr := l.git.Output(ctx, "rev-parse", "--verify", "--quiet", "HEAD"); ref == "HEAD" && herr != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("listing commits of %s: the repository has no commits yet (or its HEAD names a branch that does not exist)", ref)
		}
		return nil, fmt.Errorf("listing commits of %s: %w", ref, err)
	}
	lst.Finish()
	return lst, nil
}

// parseLogRecord parses one record of listFormat.
func parseLogRecord(rec string) (history.Commit, bool) {
	rec = strings.TrimPrefix(rec, "\n")
	f := strings.SplitN(rec, "\x1f", 5)
	if len(f) != 5 || len(f[0]) < 40 || !isHex(f[0]) {
		return history.Commit{}, false
	}
	ct, err1 := strconv.ParseInt(f[2], 10, 64)
	at, err2 := strconv.ParseInt(f[3], 10, 64)
	if err1 != nil || err2 != nil {
		return history.Commit{}, false
	}
	parents := strings.Fields(f[1])
	if parents == nil {
		parents = []string{}
	}
	return history.Commit{
		Hash:       f[0],
		Parents:    parents,
		Date:       time.Unix(ct, 0).UTC(),
		AuthorTime: time.Unix(at, 0).UTC(),
		Author:     f[4],
	}, true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// Change diffs one commit against its first parent (the empty tree for a
// root commit), with lines kept for ranking.
func (l *Local) Change(ctx context.Context, hash string) (*history.Change, error) {
	var got *history.Change
	err := l.patches(ctx, []history.Commit{{Hash: hash}}, diffstat.Options{}, func(_ string, ch *history.Change) error {
		got = ch
		return nil
	})
	if err != nil {
		return nil, err
	}
	if got == nil {
		return nil, fmt.Errorf("diffing commit %s: git printed no patch", hash)
	}
	return got, nil
}

// commitMarker starts each commit's output in the patch stream. No diff
// line can start with a NUL byte (hunk lines start with ' ', '+', '-' or
// '\\', headers with words), so the marker cannot be confused with content;
// a commit message cannot hold a NUL either, so a NUL ends the message.
const commitMarker = "\x00sigsentry-commit "

// patches streams the messages and first-parent patches of commits (in
// that order) from one `git log -p --no-walk` process and calls fn with
// each parsed change. A change is passed on only once git has gone on to
// the next commit or exited cleanly, so a commit whose patch git could not
// finish (a missing object) is never passed on in part: patches returns a
// *stoppedError, and fn has seen exactly the commits before the last one
// git announced. A patch that does not parse ends it with an
// *unreadableError naming its commit.
func (l *Local) patches(ctx context.Context, commits []history.Commit, popts diffstat.Options, fn func(msg string, ch *history.Change) error) error {
	args := append([]string{"log"}, diffArgs...)
	args = append(args, "--no-walk=unsorted", "--stdin", "--format=format:%x00sigsentry-commit %H%n%B%x00")
	var in strings.Builder
	for _, c := range commits {
		in.WriteString(c.Hash)
		in.WriteByte('\n')
	}
	var (
		buf   bytes.Buffer
		msg   strings.Builder
		inMsg bool
		hash  string
		fnErr error
	)
	// flush parses the patch of commit hash, now complete, and passes it on.
	flush := func() error {
		if hash == "" {
			return nil
		}
		files, err := diffstat.ParseOptions(buf.Bytes(), popts)
		if err != nil {
			return &unreadableError{hash: hash, err: fmt.Errorf("parsing its diff: %w", err)}
		}
		if buf.Cap() > 4<<20 {
			buf = bytes.Buffer{} // do not keep one huge commit's buffer
		}
		buf.Reset()
		if files == nil {
			files = []diffstat.File{}
		}
		h, m := hash, strings.TrimRight(msg.String(), "\n")
		hash = ""
		msg.Reset()
		if err := fn(m, &history.Change{Hash: h, Files: files}); err != nil {
			fnErr = err
			return err
		}
		return nil
	}
	err := l.git.Stream(ctx, strings.NewReader(in.String()), args, func(r *bufio.Reader) error {
		for {
			line, err := gitrun.ReadLine(r)
			if len(line) > 0 {
				switch {
				case line[0] == 0 && bytes.HasPrefix(line, []byte(commitMarker)):
					if ferr := flush(); ferr != nil {
						return ferr
					}
					hash = strings.TrimSpace(string(line[len(commitMarker):]))
					inMsg = true
				case inMsg:
					// The message ends at a NUL, at the start of a line or,
					// when the message has no final newline, inside one.
					if i := bytes.IndexByte(line, 0); i >= 0 {
						msg.Write(line[:i])
						inMsg = false
					} else {
						msg.Write(line)
					}
				case hash != "":
					buf.Write(line)
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil // the last patch is complete once git exits cleanly
				}
				return fmt.Errorf("reading git log: %w", err)
			}
		}
	})
	var ue *unreadableError
	switch {
	case err == nil:
		return flush()
	case ctx.Err() != nil:
		return ctx.Err()
	case fnErr != nil:
		return fnErr
	case errors.As(err, &ue):
		return ue
	}
	// git stopped: on the patch of the last commit it announced (hash), or
	// before announcing the next one (rename detection reads the files
	// first), or before any ("" : on commits[0]).
	return &stoppedError{last: hash, err: fmt.Errorf("diffing commits: %w", err)}
}

// stoppedError is git failing part way through patches' commits: last is
// the last commit it announced, whose patch may or may not be complete
// ("" when it announced none since the last complete one).
type stoppedError struct {
	last string
	err  error
}

func (e *stoppedError) Error() string { return e.err.Error() }

func (e *stoppedError) Unwrap() error { return e.err }

// unreadableError is a commit whose patch did not parse.
type unreadableError struct {
	hash string
	err  error
}

func (e *unreadableError) Error() string {
	return fmt.Sprintf("diffing commit %s: %v", e.hash, e.err)
}

func (e *unreadableError) Unwrap() error { return e.err }

// Tree lists every file path at rev (`git ls-tree -r`).
func (l *Local) Tree(ctx context.Context, rev string) ([]string, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("listing the tree of %q: a revision cannot start with '-'", rev)
	}
	out, err := l.git.Output(ctx, "ls-tree", "-r", "-z", "--name-only", rev, "--")
	if err != nil {
		return nil, fmt.Errorf("listing the tree of %s: %w", rev, err)
	}
	var paths []string
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			paths = append(paths, string(p))
		}
	}
	return paths, nil
}

// ReadFiles returns the contents of paths at rev, read through one
// `git cat-file --batch`. Paths missing at rev are left out.
func (l *Local) ReadFiles(ctx context.Context, rev string, paths []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	if len(paths) == 0 {
		return out, nil
	}
	if strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, " \n:") {
		return nil, fmt.Errorf("reading files at %q: not a revision", rev)
	}
	var (
		in    strings.Builder
		asked []string
	)
	for _, p := range paths {
		if p == "" || strings.ContainsAny(p, "\n") {
			continue
		}
		asked = append(asked, p)
		in.WriteString(rev + ":" + p + "\n")
	}
	paths = asked
	err := l.git.Stream(ctx, strings.NewReader(in.String()), []string{"cat-file", "--batch"}, func(r *bufio.Reader) error {
		for i := 0; i < len(paths); i++ {
			hdr, err := r.ReadString('\n')
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			f := strings.Fields(hdr)
			if len(f) == 3 && f[1] == "blob" {
				n, err := strconv.Atoi(f[2])
				if err != nil || n < 0 {
					return fmt.Errorf("unexpected cat-file header %q", hdr)
				}
				data := make([]byte, n+1)
				if _, err := io.ReadFull(r, data); err != nil {
					return err
				}
				out[paths[i]] = data[:n]
				continue
			}
			if len(f) == 3 {
				// Not a blob (a tree, a submodule): skip its body.
				n, _ := strconv.Atoi(f[2])
				if _, err := io.CopyN(io.Discard, r, int64(n)+1); err != nil {
					return err
				}
			}
			// "<name> missing": nothing follows.
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading files at %s: %w", rev, err)
	}
	return out, nil
}

// Definitions finds, at rev, the files that define each of the functions
// named in idents (C and C++, Go, Python and Rust definitions, found by
// `git grep`): ident -> paths. A stack trace that names only functions (a
// kernel call trace) maps its frames through it.
func (l *Local) Definitions(ctx context.Context, rev string, idents []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(idents) == 0 {
		return out, nil
	}
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("finding definitions at %q: not a revision", rev)
	}
	want := map[string]bool{}
	args := []string{"grep", "-n", "-w", "-F", "-I", "--null", "--no-color"}
	for _, id := range idents {
		if id == "" || want[id] || !isIdent(id) {
			continue
		}
		want[id] = true
		args = append(args, "-e", id)
	}
	if len(want) == 0 {
		return out, nil
	}
	args = append(args, rev, "--")
	for _, ext := range definitionExts {
		args = append(args, "*"+ext)
	}
	seen := map[string]bool{}
	err := l.git.Stream(ctx, nil, args, func(r *bufio.Reader) error {
		for {
			line, err := gitrun.ReadLine(r)
			if len(line) > 0 {
				// rev:path NUL lineno NUL text
				parts := bytes.SplitN(bytes.TrimRight(line, "\n"), []byte{0}, 3)
				if len(parts) == 3 {
					p := string(parts[0])
					if i := strings.IndexByte(p, ':'); i >= 0 {
						p = p[i+1:]
					}
					if id := definedIdent(p, string(parts[2]), want); id != "" && !seen[id+"\x00"+p] {
						seen[id+"\x00"+p] = true
						out[id] = append(out[id], p)
					}
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
		}
	})
	if err != nil {
		var ee interface{ ExitCode() int }
		if errors.As(err, &ee) && ee.ExitCode() == 1 {
			return out, nil // nothing found
		}
		return nil, fmt.Errorf("finding definitions at %s: %w", rev, err)
	}
	for id, paths := range out {
		out[id] = dropHeaders(paths)
	}
	return out, nil
}

// definitionExts are the extensions of the files whose definitions
// Definitions and Bitbucket.DefinitionsIn find.
var definitionExts = []string{".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".m", ".mm", ".go", ".py", ".rs", ".S"}

// definitionFile reports whether p has one of definitionExts.
func definitionFile(p string) bool {
	return slices.Contains(definitionExts, filepath.Ext(p))
}

// dropHeaders leaves out the C and C++ headers of paths when a source file
// is among them: a line in a header that looks like a definition is most
// often the first line of a prototype that goes on below ("int
// mt76_register_device(struct mt76_dev *dev, bool vht," in mt76.h), and a
// header that truly defines a function (static inline) does not share its
// name with a source file's function. A name defined only in headers keeps
// them.
func dropHeaders(paths []string) []string {
	isHeader := func(p string) bool {
		switch strings.ToLower(filepath.Ext(p)) {
		case ".h", ".hh", ".hpp", ".hxx":
			return true
		}
		return false
	}
	if !slices.ContainsFunc(paths, func(p string) bool { return !isHeader(p) }) {
		return paths
	}
	return slices.DeleteFunc(paths, isHeader)
}

// definedIdent returns which of want the line text of file path defines
// ("" for none): a function definition starting a line in C and C++ (not a
// prototype ending with ';'), `func` in Go, `def` in Python, `fn` in Rust,
// a label or a macro such as ENTRY(fn) in assembly.
func definedIdent(path, text string, want map[string]bool) string {
	t := strings.TrimRight(text, " \t\r")
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".go":
		if !strings.HasPrefix(t, "func ") {
			return ""
		}
	case ".py":
		s := strings.TrimLeft(t, " \t")
		if !strings.HasPrefix(s, "def ") && !strings.HasPrefix(s, "async def ") {
			return ""
		}
	case ".rs":
		if !strings.Contains(t, "fn ") {
			return ""
		}
	case ".s":
		// "ENTRY(fn)", "SYM_FUNC_START(fn)", or a label "fn:".
		if name, ok := diffstat.AsmDefinition(t); ok {
			if want[name] {
				return name
			}
			return ""
		}
		if name, ok := strings.CutSuffix(t, ":"); ok && want[name] {
			return name
		}
		return ""
	default:
		if t == "" || t[0] == ' ' || t[0] == '\t' || t[0] == '#' || t[0] == '/' || t[0] == '*' ||
			strings.HasSuffix(t, ";") || strings.HasSuffix(t, ",") && !strings.Contains(t, "(") {
			return ""
		}
	}
	if name, ok := diffstat.MacroDefinition(t); ok && want[name] {
		return name // DEFUN (show_ip_bgp, show_ip_bgp_cmd,
	}
	// The identifier must be followed by its argument list.
	for id := range want {
		i := strings.Index(t, id)
		for i >= 0 {
			before := i == 0 || !isIdentChar(t[i-1])
			rest := strings.TrimLeft(t[i+len(id):], " \t")
			if before && (strings.HasPrefix(rest, "(") || ext == ".rs" && strings.HasPrefix(rest, "<")) {
				return id
			}
			j := strings.Index(t[i+1:], id)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return ""
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return s != "" && !(s[0] >= '0' && s[0] <= '9')
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
