// Package diffstat turns unified diff bytes (as `git diff`, `git show` and
// Bitbucket's GET /diff/{spec} produce them) into per-file results: status,
// paths, modes, binary flag, added and removed line counts, and hunks with
// their added and removed lines. Its counts equal `git diff --numstat` and
// its statuses and paths equal `git diff --name-status` (rename detection
// on), except that binary files count 0/0 where numstat prints "-".
//
// It is the project's only importer of github.com/sourcegraph/go-diff.
//
// # How the work is split with go-diff
//
// go-diff reads the file headers ("--- "/"+++ " names, with their quoting,
// tab terminators and timestamps) and the hunk headers (ranges and the
// section after the second "@@"). This package finds where each file and
// each hunk starts and ends, because go-diff delimits them by line prefix
// heuristics that are wrong for real diffs: it takes a removed line starting
// with "-- " that is followed by an added "++ " line and a hunk header for
// the next file's header, it cannot end a file's last hunk before trailing
// non-diff text (a format-patch signature, the next commit of `git log
// -p`), it glues lines together around "\ No newline at end of file"
// markers in unusual orders, and it has no notion of git's header-only
// entries (binary files, pure renames, mode changes, empty new or deleted
// files; its own guesses return empty names for a mode change on a binary
// file). Hunk bodies are therefore walked here by the counts in their hunk
// headers, never by line prefix, and git's extended headers ("new file
// mode", "rename from", "Binary files ... differ", ...) are read here.
package diffstat

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	godiff "github.com/sourcegraph/go-diff/diff"
)

// Options tunes ParseOptions.
type Options struct {
	// NoLines drops the Added and Removed line slices of every hunk and
	// keeps only the counts, the hunk ranges and sections. Use it for
	// count-only runs: memory then stays proportional to the number of
	// files and hunks instead of the size of the diff.
	NoLines bool
}

// SyntaxError reports a malformed part of a diff: the 1-based line number
// in the input where it was found and what was wrong.
type SyntaxError struct {
	// Line is the 1-based line number in the input.
	Line int
	// Msg says what was wrong.
	Msg string
	// Err is the underlying go-diff error, if any.
	Err error
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("parsing diff: line %d: %s: %v", e.Line, e.Msg, e.Err)
	}
	return fmt.Sprintf("parsing diff: line %d: %s", e.Line, e.Msg)
}

// Unwrap returns the underlying go-diff error, if any.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Parse parses a whole diff and keeps the added and removed lines of every
// hunk. See ParseOptions.
func Parse(diff []byte) ([]File, error) {
	return ParseOptions(diff, Options{})
}

// ParseOptions parses a whole diff: one File per file entry, in diff order.
//
// Input is bytes, not necessarily UTF-8; CRLF line endings are accepted
// (the "\r" is not part of a kept line's Text). Text before the first file
// and between files that cannot be part of a diff (a commit header from
// `git show`, a format-patch signature) is skipped, as `git apply` does.
//
// Statuses: "new file mode" or "--- /dev/null" is Added, "deleted file
// mode" or "+++ /dev/null" is Removed (Path is then the old path), "rename
// from/to" is Renamed with OldPath. A copy ("copy from/to", only written
// with copy detection) is reported as Added of the new path with OldPath
// set to the source; its counts are against the source, as numstat's. A
// type change (git writes a deletion and an addition of the same path, e.g.
// a file becoming a symlink; name-status says T) is merged back into one
// Modified entry with both modes and the summed counts, as numstat does.
// Binary files, pure renames and mode-only changes have no hunks and count
// 0/0.
//
// Combined diffs ("diff --cc", what `git show` prints for a merge) are
// rejected as malformed: diff a merge against its first parent, as
// Bitbucket's /diff/{sha} does.
//
// On malformed input ParseOptions never panics. It leaves out the file
// entry in which the problem was found, resumes at the next "diff --git"
// line, and returns every well-formed file together with a *SyntaxError for
// the first problem.
func ParseOptions(diff []byte, o Options) ([]File, error) {
	p := &parser{src: diff, opts: o}
	var files []File
	var firstErr error
	for p.skipToFileStart() {
		start := p.pos
		f, err := p.parseFile()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			// Resume at the next git file header, after the bad line.
			if p.pos == start {
				p.advance()
			}
			p.skipToGitHeader()
			continue
		}
		files = append(files, f)
	}
	return mergeTypeChanges(files), firstErr
}

// Totals sums a parse result: the number of file entries (binary files,
// pure renames and mode-only changes included) and the added and removed
// line counts.
func Totals(files []File) (filesChanged, added, removed int) {
	for _, f := range files {
		added += f.LinesAdded
		removed += f.LinesRemoved
	}
	return len(files), added, removed
}

// parser walks the input line by line. pos is the offset of the current
// line, line its 1-based number.
type parser struct {
	src  []byte
	pos  int
	line int
	opts Options

	skel    bytes.Buffer // file and hunk headers handed to go-diff
	skelAt  []int        // input line number of each skeleton line
	ranges  []hunkRange
	scratch []Hunk
}

type hunkRange struct{ oldStart, oldLines, newStart, newLines int }

// peek returns the current line without its "\n", and whether there is one.
func (p *parser) peek() ([]byte, bool) {
	l, _, ok := p.lineAt(p.pos)
	return l, ok
}

// peek2 returns the line after the current one.
func (p *parser) peek2() ([]byte, bool) {
	_, next, ok := p.lineAt(p.pos)
	if !ok {
		return nil, false
	}
	l, _, ok := p.lineAt(next)
	return l, ok
}

func (p *parser) lineAt(pos int) (line []byte, next int, ok bool) {
	if pos >= len(p.src) {
		return nil, pos, false
	}
	rest := p.src[pos:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		return rest[:i], pos + i + 1, true
	}
	return rest, len(p.src), true
}

// advance moves past the current line.
func (p *parser) advance() {
	if p.line == 0 {
		p.line = 1
	}
	_, next, ok := p.lineAt(p.pos)
	if ok {
		p.pos = next
		p.line++
	}
}

// lineNo is the 1-based number of the current line.
func (p *parser) lineNo() int {
	if p.line == 0 {
		return 1
	}
	return p.line
}

var (
	pfxGit   = []byte("diff --git ")
	pfxMinus = []byte("--- ")
	pfxPlus  = []byte("+++ ")
	pfxHunk  = []byte("@@ ")

	pfxCombined = []byte("diff --combined ")
	pfxCC       = []byte("diff --cc ")
)

// atPlainHeader reports whether the current line starts a "--- "/"+++ "
// file header pair.
func (p *parser) atPlainHeader() bool {
	l, ok := p.peek()
	if !ok || !bytes.HasPrefix(l, pfxMinus) {
		return false
	}
	l2, ok := p.peek2()
	return ok && bytes.HasPrefix(l2, pfxPlus)
}

// skipToFileStart skips lines that cannot start a file entry and reports
// whether one starts at the current line.
func (p *parser) skipToFileStart() bool {
	for {
		l, ok := p.peek()
		if !ok {
			return false
		}
		if bytes.HasPrefix(l, pfxGit) || bytes.HasPrefix(l, pfxCombined) || bytes.HasPrefix(l, pfxCC) || p.atPlainHeader() {
			return true
		}
		p.advance()
	}
}

// skipToGitHeader skips to the next "diff --git" line (or the end).
func (p *parser) skipToGitHeader() {
	for {
		l, ok := p.peek()
		if !ok || bytes.HasPrefix(l, pfxGit) {
			return
		}
		p.advance()
	}
}

func (p *parser) errorf(line int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// header is what the lines before the hunks say about one file.
type header struct {
	gitOld, gitNew   string // from the "diff --git" line, prefixes kept
	gitOK            bool
	isGit            bool
	renameFrom       string
	renameTo         string
	copyFrom, copyTo string
	newFile, deleted bool
	binary           bool
	oldMode, newMode string
	indexMode        string
}

// parseFile parses one file entry starting at the current line.
func (p *parser) parseFile() (File, error) {
	var h header
	start := p.lineNo()
	l, _ := p.peek()
	if bytes.HasPrefix(l, pfxCombined) || bytes.HasPrefix(l, pfxCC) {
		return File{}, p.errorf(start, "combined diff of a merge (%q) is not supported: diff against the first parent instead", clip(l))
	}
	if bytes.HasPrefix(l, pfxGit) {
		h.isGit = true
		h.gitOld, h.gitNew, h.gitOK = gitArgs(string(trimCR(l[len(pfxGit):])))
		p.advance()
		if err := p.parseExtended(&h); err != nil {
			return File{}, err
		}
	}
	f := File{Binary: h.binary}

	p.skel.Reset()
	p.skelAt = p.skelAt[:0]
	p.ranges = p.ranges[:0]
	p.scratch = p.scratch[:0]
	hasHunks := false
	if !h.binary && p.atPlainHeader() {
		for range 2 {
			l, _ := p.peek()
			p.addSkel(l)
			p.advance()
		}
		for {
			l, ok := p.peek()
			if !ok || !bytes.HasPrefix(l, pfxHunk) {
				break
			}
			hasHunks = true
			if err := p.parseHunk(&f); err != nil {
				return File{}, err
			}
		}
		if err := p.checkAfterHunks(); err != nil {
			return File{}, err
		}
	} else if l, ok := p.peek(); ok && bytes.HasPrefix(l, pfxHunk) && !h.binary {
		return File{}, p.errorf(p.lineNo(), "hunk without a ---/+++ file header")
	}

	var minusName, plusName string
	if p.skel.Len() > 0 {
		fd, err := godiff.ParseFileDiff(p.skel.Bytes())
		if err != nil {
			return File{}, p.goDiffError(start, err)
		}
		if len(fd.Hunks) != len(p.ranges) {
			return File{}, p.errorf(start, "go-diff read %d hunks, want %d", len(fd.Hunks), len(p.ranges))
		}
		for i, gh := range fd.Hunks {
			r := p.ranges[i]
			if int(gh.OrigStartLine) != r.oldStart || int(gh.OrigLines) != r.oldLines ||
				int(gh.NewStartLine) != r.newStart || int(gh.NewLines) != r.newLines {
				return File{}, p.errorf(start, "go-diff read hunk %d as -%d,%d +%d,%d, want -%d,%d +%d,%d",
					i+1, gh.OrigStartLine, gh.OrigLines, gh.NewStartLine, gh.NewLines,
					r.oldStart, r.oldLines, r.newStart, r.newLines)
			}
			p.scratch[i].Section = gh.Section
		}
		minusName, plusName = unquotePath(fd.OrigName), unquotePath(fd.NewName)
	}
	if hasHunks {
		f.Hunks = append([]Hunk(nil), p.scratch...)
	}

	// Paths. The exact sources first: rename/copy headers (no prefixes),
	// then an unambiguous "diff --git" line, then the ---/+++ names.
	const devNull = "/dev/null"
	oldPath, newPath := "", ""
	switch {
	case h.isGit && h.gitOK:
		oldPath, newPath = stripPrefix(h.gitOld, "a/"), stripPrefix(h.gitNew, "b/")
	case minusName != "" || plusName != "":
		oldPath, newPath = stripPrefix(minusName, "a/"), stripPrefix(plusName, "b/")
	}
	if minusName == devNull {
		h.newFile = true
	}
	if plusName == devNull {
		h.deleted = true
	}
	if h.renameFrom != "" || h.renameTo != "" {
		oldPath, newPath = nonEmpty(h.renameFrom, oldPath), nonEmpty(h.renameTo, newPath)
	}
	if h.copyFrom != "" || h.copyTo != "" {
		oldPath, newPath = nonEmpty(h.copyFrom, oldPath), nonEmpty(h.copyTo, newPath)
	}

	switch {
	case h.copyFrom != "" || h.copyTo != "":
		f.Status, f.Path, f.OldPath = Added, newPath, oldPath
	case h.renameFrom != "" || h.renameTo != "":
		f.Status, f.Path, f.OldPath = Renamed, newPath, oldPath
	case h.newFile:
		f.Status, f.Path = Added, newPath
		if f.Path == devNull {
			f.Path = oldPath
		}
	case h.deleted:
		f.Status, f.Path = Removed, oldPath
		if f.Path == devNull {
			f.Path = newPath
		}
	default:
		f.Status, f.Path = Modified, newPath
	}
	if f.Path == "" {
		return File{}, p.errorf(start, "file entry without a readable path")
	}
	f.OldMode, f.NewMode = h.oldMode, h.newMode
	if h.indexMode != "" {
		if f.OldMode == "" && f.Status != Added {
			f.OldMode = h.indexMode
		}
		if f.NewMode == "" && f.Status != Removed {
			f.NewMode = h.indexMode
		}
	}
	if f.Binary {
		f.LinesAdded, f.LinesRemoved = 0, 0
	}
	return f, nil
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// goDiffError wraps a go-diff error with the input line it refers to.
func (p *parser) goDiffError(start int, err error) error {
	line := start
	var pe *godiff.ParseError
	if errors.As(err, &pe) && pe.Line >= 1 && pe.Line <= len(p.skelAt) {
		line = p.skelAt[pe.Line-1]
	}
	return &SyntaxError{Line: line, Msg: "reading file or hunk header", Err: err}
}

func (p *parser) addSkel(l []byte) {
	p.skel.Write(l)
	p.skel.WriteByte('\n')
	p.skelAt = append(p.skelAt, p.lineNo())
}

// parseExtended reads git's extended header lines after "diff --git", up
// to the ---/+++ pair, the next file, or the end.
func (p *parser) parseExtended(h *header) error {
	for {
		raw, ok := p.peek()
		if !ok || bytes.HasPrefix(raw, pfxGit) || bytes.HasPrefix(raw, pfxHunk) || p.atPlainHeader() {
			return nil
		}
		l := string(trimCR(raw))
		switch {
		case strings.HasPrefix(l, "old mode "):
			h.oldMode = l[len("old mode "):]
		case strings.HasPrefix(l, "new mode "):
			h.newMode = l[len("new mode "):]
		case strings.HasPrefix(l, "new file mode "):
			h.newFile = true
			h.newMode = l[len("new file mode "):]
		case strings.HasPrefix(l, "deleted file mode "):
			h.deleted = true
			h.oldMode = l[len("deleted file mode "):]
		case strings.HasPrefix(l, "rename from "):
			h.renameFrom = unquotePath(l[len("rename from "):])
		case strings.HasPrefix(l, "rename to "):
			h.renameTo = unquotePath(l[len("rename to "):])
		case strings.HasPrefix(l, "copy from "):
			h.copyFrom = unquotePath(l[len("copy from "):])
		case strings.HasPrefix(l, "copy to "):
			h.copyTo = unquotePath(l[len("copy to "):])
		case strings.HasPrefix(l, "index "):
			// "index abc..def 100644": the mode of an unchanged-mode file.
			if i := strings.LastIndexByte(l, ' '); i > len("index ") {
				h.indexMode = l[i+1:]
			}
		case strings.HasPrefix(l, "Binary files ") && strings.HasSuffix(l, " differ"):
			h.binary = true
		case l == "GIT binary patch":
			h.binary = true
			p.advance()
			// The base85 payload: it never contains a line that starts a
			// file, since "diff --git " has a space, which base85 lacks.
			p.skipToGitHeader()
			return nil
		}
		// Other lines ("similarity index 90%", "dissimilarity index",
		// anything unknown) carry nothing we report.
		p.advance()
	}
}

// parseHunkHeader reads "@@ -a[,b] +c[,d] @@[ section]" strictly: the
// counts delimit the hunk body.
func parseHunkHeader(l []byte) (hunkRange, bool) {
	var r hunkRange
	s := string(trimCR(l))
	if !strings.HasPrefix(s, "@@ -") {
		return r, false
	}
	s = s[len("@@ -"):]
	end := strings.Index(s, " @@")
	if end < 0 {
		return r, false
	}
	if rest := s[end+3:]; rest != "" && rest[0] != ' ' {
		return r, false
	}
	s = s[:end]
	sp := strings.IndexByte(s, ' ')
	if sp < 0 || sp+1 >= len(s) || s[sp+1] != '+' {
		return r, false
	}
	var ok1, ok2 bool
	r.oldStart, r.oldLines, ok1 = parseRange(s[:sp])
	r.newStart, r.newLines, ok2 = parseRange(s[sp+2:])
	return r, ok1 && ok2
}

// maxCount bounds a hunk range number: go-diff stores them as int32.
const maxCount = 1<<31 - 1

func parseRange(s string) (start, n int, ok bool) {
	a, b, has := strings.Cut(s, ",")
	start, ok = parseCount(a)
	if !ok {
		return 0, 0, false
	}
	n = 1
	if has {
		if n, ok = parseCount(b); !ok {
			return 0, 0, false
		}
	}
	return start, n, true
}

func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxCount {
		return 0, false
	}
	return n, true
}

// parseHunk reads one hunk at the current line, by its counts.
func (p *parser) parseHunk(f *File) error {
	hl, _ := p.peek()
	at := p.lineNo()
	r, ok := parseHunkHeader(hl)
	if !ok {
		return p.errorf(at, "malformed hunk header %q", clip(hl))
	}
	p.addSkel(hl)
	p.ranges = append(p.ranges, r)
	p.advance()

	hk := Hunk{OldStart: r.oldStart, OldLines: r.oldLines, NewStart: r.newStart, NewLines: r.newLines}
	oldLeft, newLeft := r.oldLines, r.newLines
	oldN, newN := r.oldStart, r.newStart
	for oldLeft > 0 || newLeft > 0 {
		l, ok := p.peek()
		if !ok {
			return p.errorf(at, "diff ends inside this hunk: %d old and %d new lines missing", oldLeft, newLeft)
		}
		var c byte
		if len(l) > 0 {
			c = l[0]
		}
		if len(l) == 0 || (len(l) == 1 && l[0] == '\r') {
			// An empty context line: what remains of " " after a mail
			// client or editor stripped trailing space. git apply takes it.
			c = ' '
		}
		switch c {
		case ' ':
			if oldLeft == 0 || newLeft == 0 {
				return p.errorf(p.lineNo(), "context line beyond the ranges of the hunk at line %d", at)
			}
			oldLeft--
			newLeft--
			oldN++
			newN++
		case '-':
			if oldLeft == 0 {
				return p.errorf(p.lineNo(), "more removed lines than the hunk at line %d counts", at)
			}
			oldLeft--
			f.LinesRemoved++
			if !p.opts.NoLines {
				hk.Removed = append(hk.Removed, Line{N: oldN, Text: lineText(l[1:])})
			}
			oldN++
		case '+':
			if newLeft == 0 {
				return p.errorf(p.lineNo(), "more added lines than the hunk at line %d counts", at)
			}
			newLeft--
			f.LinesAdded++
			if !p.opts.NoLines {
				hk.Added = append(hk.Added, Line{N: newN, Text: lineText(l[1:])})
			}
			newN++
		case '\\':
			// "\ No newline at end of file" (in any language).
		default:
			if bytes.HasPrefix(l, pfxGit) || bytes.HasPrefix(l, pfxHunk) {
				return p.errorf(p.lineNo(), "hunk at line %d ends early: %d old and %d new lines missing", at, oldLeft, newLeft)
			}
			return p.errorf(p.lineNo(), "line %q inside the hunk at line %d does not start with ' ', '-', '+' or '\\'", clip(l), at)
		}
		p.advance()
	}
	// A no-newline marker after the hunk's last line.
	for {
		l, ok := p.peek()
		if !ok || len(l) == 0 || l[0] != '\\' {
			break
		}
		p.advance()
	}
	p.scratch = append(p.scratch, hk)
	return nil
}

// checkAfterHunks rejects a hunk line right after a file's last hunk: the
// hunk header then undercounts its lines.
func (p *parser) checkAfterHunks() error {
	l, ok := p.peek()
	if !ok || len(l) == 0 {
		return nil
	}
	switch l[0] {
	case '+', '-', ' ':
		if p.atPlainHeader() || string(trimCR(l)) == "-- " {
			// Next plain file header, or a format-patch signature.
			return nil
		}
		return p.errorf(p.lineNo(), "hunk line %q after the last hunk's counted lines", clip(l))
	}
	return nil
}

// lineText is the kept text of a hunk line: without its "\r" of a CRLF
// ending, capped at MaxLineText bytes (not splitting a UTF-8 sequence).
func lineText(b []byte) string {
	b = trimCR(b)
	if len(b) > MaxLineText {
		n := MaxLineText
		for k := 0; k < 3 && n > 0 && b[n]&0xC0 == 0x80; k++ {
			n--
		}
		b = b[:n]
	}
	return string(b)
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// clip shortens a line quoted in an error message.
func clip(b []byte) string {
	const n = 60
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// mergeTypeChanges joins git's deletion + addition of the same path (a
// type change, e.g. file to symlink) into one Modified entry, as numstat
// shows it.
func mergeTypeChanges(files []File) []File {
	out := files[:0]
	for i := 0; i < len(files); i++ {
		f := files[i]
		if i+1 < len(files) {
			g := files[i+1]
			if f.Status == Removed && g.Status == Added && f.OldPath == "" && g.OldPath == "" && f.Path == g.Path {
				f.Status = Modified
				f.NewMode = g.NewMode
				f.Binary = f.Binary || g.Binary
				f.LinesAdded += g.LinesAdded
				f.LinesRemoved += g.LinesRemoved
				f.Hunks = append(f.Hunks, g.Hunks...)
				if f.Binary {
					f.LinesAdded, f.LinesRemoved = 0, 0
				}
				i++
			}
		}
		out = append(out, f)
	}
	return out
}
