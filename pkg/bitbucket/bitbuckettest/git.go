package bitbuckettest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// emptyTree is git's empty tree (SHA-1), the base of a root commit's diff.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// gitTimeout bounds one git invocation.
const gitTimeout = 2 * time.Minute

// errNotFound means a revision or object does not exist.
var errNotFound = errors.New("not found")

// resolveGitDir returns the git directory of dir (bare or with a work tree).
func resolveGitDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	if fi, err := os.Stat(filepath.Join(abs, ".git")); err == nil && fi.IsDir() {
		abs = filepath.Join(abs, ".git")
	}
	out, err := exec.Command("git", gitArgs(abs, "rev-parse", "--git-dir")...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s is not a git repository: %s", dir, strings.TrimSpace(string(out)))
	}
	return abs, nil
}

// gitArgs builds a git command line that ignores the caller's git config
// quirks that would change the output (prefixes, colour, quoting, renames).
func gitArgs(gitDir string, args ...string) []string {
	base := []string{
		"--git-dir", gitDir,
		"-c", "safe.directory=*",
		"-c", "core.quotepath=true",
		"-c", "color.ui=false",
		"-c", "diff.noprefix=false",
		"-c", "diff.mnemonicprefix=false",
		"-c", "diff.relative=false",
		"-c", "diff.external=",
		"-c", "log.showsignature=false",
		"--no-pager",
	}
	return append(base, args...)
}

// runGit runs git in gitDir with stdin and returns stdout.
func runGit(gitDir string, stdin []byte, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", gitArgs(gitDir, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C", "GIT_TERMINAL_PROMPT=0")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// commitInfo is one commit's metadata, immutable once read.
type commitInfo struct {
	Hash           string
	Parents        []string
	AuthorName     string
	AuthorEmail    string
	AuthorDate     time.Time
	CommitterName  string
	CommitterEmail string
	CommitterDate  time.Time
	Message        string
}

// logFormat is parsed by parseLog; fields end with \x1f, records with \x00 (-z).
const logFormat = "%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%B"

func parseLog(out []byte) ([]*commitInfo, error) {
	var res []*commitInfo
	for _, rec := range bytes.Split(out, []byte{0}) {
		rec = bytes.TrimLeft(rec, "\n")
		if len(rec) == 0 {
			continue
		}
		f := strings.SplitN(string(rec), "\x1f", 9)
		if len(f) != 9 {
			return nil, fmt.Errorf("parsing git log: unexpected record %q", rec)
		}
		ad, err := time.Parse(time.RFC3339, f[4])
		if err != nil {
			return nil, fmt.Errorf("parsing git log author date %q: %w", f[4], err)
		}
		cd, err := time.Parse(time.RFC3339, f[7])
		if err != nil {
			return nil, fmt.Errorf("parsing git log committer date %q: %w", f[7], err)
		}
		res = append(res, &commitInfo{
			Hash: f[0], Parents: strings.Fields(f[1]),
			AuthorName: f[2], AuthorEmail: f[3], AuthorDate: ad,
			CommitterName: f[5], CommitterEmail: f[6], CommitterDate: cd,
			Message: f[8],
		})
	}
	return res, nil
}

// once is a cache entry computed by the first caller; later callers wait.
type once struct {
	done chan struct{}
	val  any
	err  error
}

// gitCache memoises git output. Commits are immutable, so results keyed by
// resolved hashes never go stale; revision names are resolved per request.
type gitCache struct {
	mu      sync.Mutex
	entries map[string]*once
	commits map[string]*commitInfo // gitDir + "\x00" + hash
	bytes   int
}

// maxCachedBytes bounds the memory held by cached diffs.
const maxCachedBytes = 256 << 20

func newGitCache() *gitCache {
	return &gitCache{entries: map[string]*once{}, commits: map[string]*commitInfo{}}
}

// do returns the cached value of key, computing it with f once. Errors are
// not cached. size reports a value's memory cost for the byte budget.
func (c *gitCache) do(key string, f func() (any, int, error)) (any, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.mu.Unlock()
		<-e.done
		return e.val, e.err
	}
	e := &once{done: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()

	val, size, err := f()
	e.val, e.err = val, err
	c.mu.Lock()
	if err != nil || c.bytes+size > maxCachedBytes {
		delete(c.entries, key)
	} else {
		c.bytes += size
	}
	c.mu.Unlock()
	close(e.done)
	return val, err
}

func (c *gitCache) remember(gitDir string, infos []*commitInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ci := range infos {
		c.commits[gitDir+"\x00"+ci.Hash] = ci
	}
}

func (c *gitCache) lookup(gitDir, hash string) *commitInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.commits[gitDir+"\x00"+hash]
}

// resolve turns revisions (names, short or full hashes) into commit hashes
// with one git call; a revision that names no commit gives errNotFound.
func (c *gitCache) resolve(gitDir string, revs []string) ([]string, error) {
	res := make([]string, len(revs))
	var input bytes.Buffer
	var idx []int
	for i, r := range revs {
		if len(r) == 40 && isHex(r) && c.lookup(gitDir, strings.ToLower(r)) != nil {
			res[i] = strings.ToLower(r)
			continue
		}
		if r == "" || strings.ContainsAny(r, "\n\x00") {
			return nil, fmt.Errorf("revision %q: %w", r, errNotFound)
		}
		input.WriteString(r + "^{commit}\n")
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return res, nil
	}
	out, err := runGit(gitDir, input.Bytes(), "cat-file", "--batch-check=%(objectname) %(objecttype)")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != len(idx) {
		return nil, fmt.Errorf("resolving revisions: got %d answers, want %d", len(lines), len(idx))
	}
	for j, line := range lines {
		f := strings.Fields(line)
		if len(f) != 2 || f[1] != "commit" {
			return nil, fmt.Errorf("revision %q: %w", revs[idx[j]], errNotFound)
		}
		res[idx[j]] = f[0]
	}
	return res, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// commit returns one commit's metadata.
func (c *gitCache) commit(gitDir, hash string) (*commitInfo, error) {
	if ci := c.lookup(gitDir, hash); ci != nil {
		return ci, nil
	}
	v, err := c.do("commit\x00"+gitDir+"\x00"+hash, func() (any, int, error) {
		out, err := runGit(gitDir, nil, "log", "-z", "--no-walk", "--format="+logFormat, "--end-of-options", hash)
		if err != nil {
			return nil, 0, err
		}
		infos, err := parseLog(out)
		if err != nil {
			return nil, 0, err
		}
		if len(infos) != 1 {
			return nil, 0, fmt.Errorf("commit %s: %w", hash, errNotFound)
		}
		c.remember(gitDir, infos)
		return infos[0], 0, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*commitInfo), nil
}

// listing is a topologically ordered commit list for resolved tips.
type listing struct {
	key     string
	commits []*commitInfo
}

// refTips returns the commits that branches and tags point to (what
// `git log --branches --tags` starts from), sorted and deduplicated.
func (c *gitCache) refTips(gitDir string) ([]string, error) {
	out, err := runGit(gitDir, nil, "for-each-ref",
		"--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)", "refs/heads", "refs/tags")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var tips []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		var h string
		switch {
		case len(f) == 2 && f[0] == "commit":
			h = f[1]
		case len(f) == 4 && f[2] == "commit":
			h = f[3]
		}
		if h != "" && !seen[h] {
			seen[h] = true
			tips = append(tips, h)
		}
	}
	sort.Strings(tips)
	return tips, nil
}

// log lists commits like `git log --topo-order include ^exclude -- paths`.
// include and exclude are resolved commit hashes, so the result for one
// key never changes; when a ref moves the caller asks with new hashes.
func (c *gitCache) log(gitDir string, include, exclude, paths []string) (*listing, error) {
	h := sha256.Sum256([]byte(gitDir + "\x00" + strings.Join(include, ",") + "\x00" + strings.Join(exclude, ",") + "\x00" + strings.Join(paths, "\x01")))
	key := "log\x00" + hex.EncodeToString(h[:])
	v, err := c.do(key, func() (any, int, error) {
		if len(include) == 0 {
			return &listing{key: key}, 0, nil
		}
		args := []string{"log", "-z", "--topo-order", "--format=" + logFormat}
		args = append(args, "--end-of-options")
		args = append(args, include...)
		for _, e := range exclude {
			args = append(args, "^"+e)
		}
		if len(paths) > 0 {
			args = append(args, "--")
			for _, p := range paths {
				args = append(args, ":(literal)"+p)
			}
		}
		out, err := runGit(gitDir, nil, args...)
		if err != nil {
			return nil, 0, err
		}
		infos, err := parseLog(out)
		if err != nil {
			return nil, 0, err
		}
		c.remember(gitDir, infos)
		return &listing{key: key, commits: infos}, len(out), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*listing), nil
}

// diffOptions are Bitbucket's diff/diffstat query parameters.
type diffOptions struct {
	context          int // -1 = git default
	paths            []string
	ignoreWhitespace bool
	binary           bool
	renames          bool
}

func (o diffOptions) key() string {
	return fmt.Sprintf("%d|%v|%v|%v|%s", o.context, o.ignoreWhitespace, o.binary, o.renames, strings.Join(o.paths, "\x01"))
}

func (o diffOptions) args() []string {
	var a []string
	if o.renames {
		a = append(a, "-M")
	} else {
		a = append(a, "--no-renames")
	}
	if o.context >= 0 {
		a = append(a, "-U"+strconv.Itoa(o.context))
	}
	if o.ignoreWhitespace {
		a = append(a, "-w")
	}
	return a
}

func pathspec(paths []string) []string {
	if len(paths) == 0 {
		return nil
	}
	a := []string{"--"}
	for _, p := range paths {
		a = append(a, ":(literal)"+p)
	}
	return a
}

// diff returns `git diff base head` with Bitbucket's options.
func (c *gitCache) diff(gitDir, base, head string, o diffOptions) ([]byte, error) {
	key := "diff\x00" + gitDir + "\x00" + base + "\x00" + head + "\x00" + o.key()
	v, err := c.do(key, func() (any, int, error) {
		args := append([]string{"diff", "--no-color", "--no-ext-diff", "--no-textconv"}, o.args()...)
		args = append(args, base, head)
		args = append(args, pathspec(o.paths)...)
		out, err := runGit(gitDir, nil, args...)
		if err != nil {
			return nil, 0, err
		}
		if !o.binary {
			out = dropBinary(out)
		}
		return out, len(out), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// dropBinary removes the file sections of a diff that are binary.
func dropBinary(d []byte) []byte {
	var out bytes.Buffer
	for _, sec := range splitSections(d) {
		if isBinarySection(sec) {
			continue
		}
		out.Write(sec)
	}
	return out.Bytes()
}

// splitSections cuts a diff at each "diff --git " line.
func splitSections(d []byte) [][]byte {
	var secs [][]byte
	start := 0
	for i := 0; i < len(d); {
		j := bytes.IndexByte(d[i:], '\n')
		end := len(d)
		if j >= 0 {
			end = i + j + 1
		}
		if i > start && bytes.HasPrefix(d[i:], []byte("diff --git ")) {
			secs = append(secs, d[start:i])
			start = i
		}
		i = end
	}
	if start < len(d) {
		secs = append(secs, d[start:])
	}
	return secs
}

func isBinarySection(sec []byte) bool {
	for _, line := range bytes.Split(sec, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("@@")) {
			return false
		}
		if bytes.HasPrefix(line, []byte("Binary files ")) || bytes.Equal(line, []byte("GIT binary patch")) {
			return true
		}
	}
	return false
}

// patch returns `git format-patch --stdout` of base..head (or one root commit).
func (c *gitCache) patch(gitDir, base, head string) ([]byte, error) {
	key := "patch\x00" + gitDir + "\x00" + base + "\x00" + head
	v, err := c.do(key, func() (any, int, error) {
		args := []string{"format-patch", "--stdout", "--no-color", "--no-signature", "-M"}
		if base == emptyTree {
			args = append(args, "--root", head)
		} else {
			args = append(args, base+".."+head)
		}
		out, err := runGit(gitDir, nil, args...)
		if err != nil {
			return nil, 0, err
		}
		return out, len(out), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// fileStat is one file of a diffstat.
type fileStat struct {
	status       string // added|removed|modified|renamed
	oldPath      string
	newPath      string
	oldMode      string
	newMode      string
	linesAdded   int
	linesRemoved int
	binary       bool
}

// diffstat returns per-file statistics of `git diff base head`.
func (c *gitCache) diffstat(gitDir, base, head string, o diffOptions) ([]fileStat, error) {
	key := "diffstat\x00" + gitDir + "\x00" + base + "\x00" + head + "\x00" + o.key()
	v, err := c.do(key, func() (any, int, error) {
		args := append([]string{"diff", "--no-color", "--no-ext-diff", "--no-textconv", "--raw", "--numstat", "-z"}, o.args()...)
		args = append(args, base, head)
		args = append(args, pathspec(o.paths)...)
		out, err := runGit(gitDir, nil, args...)
		if err != nil {
			return nil, 0, err
		}
		stats, err := parseRawNumstat(out)
		if err != nil {
			return nil, 0, err
		}
		return stats, len(out), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]fileStat), nil
}

// parseRawNumstat parses `git diff --raw --numstat -z`: first one raw record
// per file, then one numstat record per file in the same order.
func parseRawNumstat(out []byte) ([]fileStat, error) {
	fields := strings.Split(string(out), "\x00")
	var stats []fileStat
	i := 0
	for i < len(fields) && strings.HasPrefix(fields[i], ":") {
		meta := strings.Fields(fields[i][1:])
		if len(meta) != 5 || i+1 >= len(fields) {
			return nil, fmt.Errorf("parsing git diff --raw: unexpected record %q", fields[i])
		}
		st := fileStat{oldMode: meta[0], newMode: meta[1]}
		letter := meta[4][:1]
		i++
		switch letter {
		case "R", "C":
			if i+1 >= len(fields) {
				return nil, fmt.Errorf("parsing git diff --raw: rename without paths")
			}
			st.oldPath, st.newPath = fields[i], fields[i+1]
			i += 2
			st.status = "renamed"
			if letter == "C" {
				st.status, st.oldPath = "added", ""
			}
		default:
			st.oldPath, st.newPath = fields[i], fields[i]
			i++
			switch letter {
			case "A":
				st.status, st.oldPath = "added", ""
			case "D":
				st.status, st.newPath = "removed", ""
			default:
				st.status = "modified"
			}
		}
		stats = append(stats, st)
	}
	for n := range stats {
		if i >= len(fields) {
			return nil, fmt.Errorf("parsing git diff --numstat: %d records, want %d", n, len(stats))
		}
		rec := fields[i]
		parts := strings.SplitN(rec, "\t", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("parsing git diff --numstat: unexpected record %q", rec)
		}
		i++
		if parts[2] == "" { // rename: two more path fields
			i += 2
		}
		if parts[0] == "-" && parts[1] == "-" {
			stats[n].binary = true
			continue
		}
		a, err1 := strconv.Atoi(parts[0])
		r, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("parsing git diff --numstat: bad counts in %q", rec)
		}
		stats[n].linesAdded, stats[n].linesRemoved = a, r
	}
	return stats, nil
}

// quotePath is git's C-style quoting of a path (core.quotepath=true), the
// form it takes in a diff header; paths needing none are returned as is.
func quotePath(p string) string {
	need := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			need = true
			break
		}
	}
	if !need {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// mergeBase returns the best common ancestor of a and b, or errNotFound.
func (c *gitCache) mergeBase(gitDir, a, b string) (string, error) {
	v, err := c.do("merge-base\x00"+gitDir+"\x00"+a+"\x00"+b, func() (any, int, error) {
		out, err := runGit(gitDir, nil, "merge-base", a, b)
		if err != nil {
			return "", 0, fmt.Errorf("merge base of %s and %s: %w", a, b, errNotFound)
		}
		return strings.TrimSpace(string(out)), 0, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}
