// Package repoarg turns what people paste as a repository into a Bitbucket
// Cloud `workspace/slug` name: plain names, bare slugs, browser URLs, clone
// URLs (HTTPS and SSH) and lists of them, one per line.
//
// It is forgiving of the harmless (surrounding space, comments, `.git`
// suffixes, trailing paths of a browser URL, letter case) and strict about
// the wrong (extra path parts, spaces, characters Bitbucket does not allow
// in slugs, hosts other than bitbucket.org), and every rejection says what
// was wrong.
package repoarg

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/textenc"
)

// MaxSlugLen bounds a workspace or repository slug. Bitbucket's own limit is
// lower (names are cut to 62 characters); this only keeps absurd input out.
const MaxSlugLen = 128

// MaxLineLen bounds one input line.
const MaxLineLen = 4096

// Name is a Bitbucket Cloud repository, `workspace/slug`.
type Name struct {
	Workspace string
	Slug      string
}

// String returns "workspace/slug".
func (n Name) String() string { return n.Workspace + "/" + n.Slug }

// Key is the name folded to lower case: Bitbucket compares workspace and
// repository slugs case-insensitively, so two names with the same Key are
// the same repository.
func (n Name) Key() string { return strings.ToLower(n.String()) }

// ErrNoWorkspace is returned for a bare slug when no default workspace is
// known.
var ErrNoWorkspace = errors.New("a bare repository slug needs a workspace")

// Parse normalises one repository reference to a Name. It accepts
//
//	workspace/slug
//	slug                                        (uses defaultWorkspace)
//	https://bitbucket.org/workspace/slug[/src/main/...][?query][#fragment]
//	https://user@bitbucket.org/workspace/slug.git
//	bitbucket.org/workspace/slug
//	git@bitbucket.org:workspace/slug.git
//	ssh://git@bitbucket.org[:port]/workspace/slug.git
//	https://api.bitbucket.org/2.0/repositories/workspace/slug
//
// s must already be trimmed of comments (see Clean). Letter case is kept.
func Parse(s, defaultWorkspace string) (Name, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Name{}, errors.New("empty repository name")
	}
	if len(s) > MaxLineLen {
		return Name{}, fmt.Errorf("too long (%d bytes): a repository reference is at most %d", len(s), MaxLineLen)
	}
	if !utf8.ValidString(s) {
		return Name{}, errors.New("not valid UTF-8 text")
	}
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return Name{}, fmt.Errorf("contains a space at character %d: give one workspace/repo-slug per line, without spaces", utf8.RuneCountInString(s[:i])+1)
	}
	if strings.ContainsRune(s, ',') || strings.ContainsRune(s, ';') {
		return Name{}, errors.New("contains ',' or ';': give one workspace/repo-slug per line (or per argument)")
	}

	var path string
	switch {
	case strings.Contains(s, "://"):
		p, err := fromURL(s)
		if err != nil {
			return Name{}, err
		}
		path = p
	case isSCP(s):
		p, err := fromSCP(s)
		if err != nil {
			return Name{}, err
		}
		path = p
	case hasHostPrefix(s):
		p, err := fromURL("https://" + s)
		if err != nil {
			return Name{}, err
		}
		path = p
	default:
		return plain(s, defaultWorkspace)
	}
	return fromPath(path)
}

// plain handles `workspace/slug` and a bare `slug`.
func plain(s, defaultWorkspace string) (Name, error) {
	parts := strings.Split(s, "/")
	switch len(parts) {
	case 1:
		slug := trimGit(parts[0])
		if err := checkSlug("repository slug", slug); err != nil {
			return Name{}, err
		}
		if defaultWorkspace == "" {
			return Name{}, fmt.Errorf("%w: write it as workspace/%s, or detect your workspace with `%s` (or set SIGSENTRY_BITBUCKET_WORKSPACE)", ErrNoWorkspace, slug, advice.LoginCommand)
		}
		if err := checkSlug("workspace", defaultWorkspace); err != nil {
			return Name{}, fmt.Errorf("default workspace: %w", err)
		}
		return Name{Workspace: defaultWorkspace, Slug: slug}, nil
	case 2:
		return pair(parts[0], parts[1])
	default:
		return Name{}, fmt.Errorf("has %d parts separated by '/': want workspace/repo-slug", len(parts))
	}
}

// fromPath takes the path of a Bitbucket URL: /workspace/slug[/anything].
func fromPath(p string) (Name, error) {
	p = strings.TrimPrefix(p, "/")
	if rest, ok := strings.CutPrefix(p, "2.0/repositories/"); ok {
		p = rest
	}
	parts := strings.Split(strings.TrimSuffix(p, "/"), "/")
	if len(parts) < 2 || parts[0] == "" {
		return Name{}, errors.New("the URL does not name a repository: want https://bitbucket.org/workspace/repo-slug")
	}
	// Anything after workspace/slug (/src/main/..., /commits/..., /pull-requests/...)
	// is a page of that repository.
	return pair(parts[0], parts[1])
}

func pair(ws, slug string) (Name, error) {
	slug = trimGit(slug)
	if err := checkSlug("workspace", ws); err != nil {
		return Name{}, err
	}
	if looksLikeHost(ws) {
		return Name{}, fmt.Errorf("the workspace %q looks like a host name: want workspace/repo-slug on bitbucket.org", ws)
	}
	if err := checkSlug("repository slug", slug); err != nil {
		return Name{}, err
	}
	return Name{Workspace: ws, Slug: slug}, nil
}

// trimGit removes one `.git` suffix, as clone URLs carry it.
func trimGit(s string) string {
	if len(s) > 4 && strings.EqualFold(s[len(s)-4:], ".git") {
		return s[:len(s)-4]
	}
	return s
}

// checkSlug applies Bitbucket's slug rules: ASCII letters, digits, '-', '_'
// and '.', not only dots.
func checkSlug(what, s string) error {
	if s == "" {
		return fmt.Errorf("the %s is empty: want workspace/repo-slug", what)
	}
	if len(s) > MaxSlugLen {
		return fmt.Errorf("the %s is too long (%d characters, at most %d)", what, len(s), MaxSlugLen)
	}
	for _, r := range s {
		if !allowed(r) {
			return fmt.Errorf("the %s %q contains %q: Bitbucket slugs use only ASCII letters, digits, '-', '_' and '.'", what, s, r)
		}
	}
	if strings.Trim(s, ".") == "" {
		return fmt.Errorf("the %s %q is not a name", what, s)
	}
	return nil
}

func allowed(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}

// cloudHost reports whether host is Bitbucket Cloud's web, git or API host.
func cloudHost(host string) bool {
	switch strings.ToLower(host) {
	case "bitbucket.org", "www.bitbucket.org", "api.bitbucket.org", "altssh.bitbucket.org":
		return true
	}
	return false
}

func notCloud(host string) error {
	return fmt.Errorf("host %q is not Bitbucket Cloud: sigsentry works with repositories on bitbucket.org", host)
}

func fromURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("not a valid URL: %w", unwrapURLError(err))
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "http", "ssh", "git+ssh":
	default:
		return "", fmt.Errorf("URL scheme %q is not supported: use https://bitbucket.org/workspace/repo-slug or git@bitbucket.org:workspace/repo-slug.git", u.Scheme)
	}
	if !cloudHost(u.Hostname()) {
		return "", notCloud(u.Hostname())
	}
	return u.Path, nil
}

// unwrapURLError drops url.Error's repetition of the whole input.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// isSCP reports whether s looks like git's scp-like syntax,
// [user@]host:path: a colon before any slash, after a user@ or a dotted host.
func isSCP(s string) bool {
	colon := strings.IndexByte(s, ':')
	slash := strings.IndexByte(s, '/')
	if colon <= 0 || (slash >= 0 && slash < colon) {
		return false
	}
	return strings.IndexByte(s[:colon], '@') > 0 || strings.IndexByte(s[:colon], '.') > 0
}

func fromSCP(s string) (string, error) {
	hostPart, path, _ := strings.Cut(s, ":")
	host := hostPart
	if at := strings.LastIndexByte(hostPart, '@'); at >= 0 {
		host = hostPart[at+1:]
	}
	if !cloudHost(host) {
		return "", notCloud(host)
	}
	return path, nil
}

// hasHostPrefix reports whether s starts with a host name (it has a dot
// before the first slash), as in `bitbucket.org/ws/slug`.
func hasHostPrefix(s string) bool {
	first, _, found := strings.Cut(s, "/")
	if !found {
		return false
	}
	return cloudHost(first) || looksLikeHost(first)
}

// looksLikeHost reports whether s ends in a well-known top-level domain
// ("github.com", "x.org"): such a first part is read as a host, not a
// workspace, so no workspace may look like that either, whatever form it
// came in (otherwise "bitbucket.org:x.org/y" would give a name that does
// not parse back).
func looksLikeHost(s string) bool {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return false
	}
	switch strings.ToLower(s[i+1:]) {
	case "com", "org", "net", "io", "dev", "cloud", "local", "internal", "corp":
		return true
	}
	return false
}

// Clean strips a line of surrounding space and comments: a line starting
// with '#' is all comment, and " # ..." ends a line. It reports false when
// nothing is left.
func Clean(line string) (string, bool) {
	s := strings.TrimSpace(line)
	if strings.HasPrefix(s, "#") {
		return "", false
	}
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			s = strings.TrimSpace(s[:i])
			break
		}
	}
	return s, s != ""
}

// Entry is one line (or argument) of input and what it names.
type Entry struct {
	// Line is the 1-based line number (or argument position).
	Line int
	// Input is the line as given, trimmed of surrounding space.
	Input string
	// Name is the repository, valid when Err is nil.
	Name Name
	// Err says what is wrong with the line.
	Err error
	// Source is where the entry came from: "argument" for command-line
	// arguments, anything else (a file, stdin, "") for lines of a list.
	Source string
	// DuplicateOf is where an earlier entry names the same repository
	// (its Where), or "".
	DuplicateOf string
}

// Where names the entry's place in the input: "line 3" or "argument 2".
func (e Entry) Where() string {
	if e.Source == "argument" {
		return fmt.Sprintf("argument %d", e.Line)
	}
	return fmt.Sprintf("line %d", e.Line)
}

// ParseLines reads one repository reference per line from r, skipping blank
// lines and comments, and returns an Entry for every other line, with
// duplicates (compared case-insensitively) marked. The error is only for
// reading r.
func ParseLines(r io.Reader, defaultWorkspace string) ([]Entry, error) {
	sc := bufio.NewScanner(textenc.NewReader(r, 64<<20)) // a list saved by Windows PowerShell is UTF-16
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading repository list: %w", err)
	}
	return ParseAll(lines, defaultWorkspace), nil
}

// ParseAll parses items as ParseLines does lines; item i has Line i+1.
func ParseAll(items []string, defaultWorkspace string) []Entry {
	var out []Entry
	for i, raw := range items {
		s, ok := Clean(strings.TrimPrefix(raw, "\ufeff"))
		if !ok {
			continue
		}
		e := Entry{Line: i + 1, Input: s}
		e.Name, e.Err = Parse(s, defaultWorkspace)
		out = append(out, e)
	}
	MarkDuplicates(out)
	return out
}

// MarkDuplicates sets DuplicateOf on every valid entry naming a repository
// that an earlier valid entry already names (case-insensitively). Entries
// from several sources can be passed together.
func MarkDuplicates(entries []Entry) {
	seen := make(map[string]string, len(entries))
	for i := range entries {
		e := &entries[i]
		e.DuplicateOf = ""
		if e.Err != nil {
			continue
		}
		if first, ok := seen[e.Name.Key()]; ok {
			e.DuplicateOf = first
			continue
		}
		seen[e.Name.Key()] = e.Where()
	}
}
