package suspect

import (
	"sort"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

// knownFile is one repository path that frames can map to.
type knownFile struct {
	repo  string
	path  string
	comps []string
	inApp bool
}

// fileTarget is one (repository, path) a frame was mapped to.
type fileTarget struct {
	repo string
	path string
}

// pathIndex maps frame paths to repository paths by the longest common
// suffix of whole path components.
type pathIndex struct {
	files  []knownFile
	byBase map[string][]int32
	// byFoldedBase is byBase by lower-cased base name, for frames from
	// Windows, whose file systems ignore case.
	byFoldedBase map[string][]int32
	seen         map[fileTarget]struct{}
	maps         []normMapping
}

// normMapping is a configured code mapping with both roots split into
// components.
type normMapping struct {
	repo       string
	stackRoot  []string
	sourceRoot []string
}

func newPathIndex(mappings []Mapping) *pathIndex {
	pi := &pathIndex{byBase: map[string][]int32{}, byFoldedBase: map[string][]int32{}, seen: map[fileTarget]struct{}{}}
	for _, m := range mappings {
		pi.maps = append(pi.maps, normMapping{
			repo:       m.Repo,
			stackRoot:  splitComponents(normalizePath(m.StackRoot)),
			sourceRoot: splitComponents(normalizePath(m.SourceRoot)),
		})
	}
	// Longest stack root first, so the most specific mapping wins.
	sort.SliceStable(pi.maps, func(i, j int) bool {
		return len(pi.maps[i].stackRoot) > len(pi.maps[j].stackRoot)
	})
	return pi
}

func (pi *pathIndex) add(repo, path string) {
	if path == "" {
		return
	}
	k := fileTarget{repo, path}
	if _, ok := pi.seen[k]; ok {
		return
	}
	pi.seen[k] = struct{}{}
	comps := splitComponents(path)
	if len(comps) == 0 {
		return
	}
	pi.files = append(pi.files, knownFile{repo: repo, path: path, comps: comps, inApp: repoPathInApp(comps)})
	base := comps[len(comps)-1]
	pi.byBase[base] = append(pi.byBase[base], int32(len(pi.files)-1))
	folded := strings.ToLower(base)
	pi.byFoldedBase[folded] = append(pi.byFoldedBase[folded], int32(len(pi.files)-1))
}

// repoPathInApp reports whether a repository path is the project's own code
// rather than vendored or third-party code kept in the tree.
func repoPathInApp(comps []string) bool {
	for _, c := range comps[:len(comps)-1] {
		switch c {
		case "vendor", "third_party", "third-party", "thirdparty", "node_modules", "site-packages", "external", "deps":
			return false
		}
	}
	return true
}

// mapFrame maps one frame to repository paths. It returns the chosen
// targets (more than one only when equally good matches exist in several
// repositories) and a note on ambiguity or the mapping used. Among equally
// good matches the files in defs (those defining the frame's function)
// come first: "output.c" of a Valgrind frame in output_get_identifier is
// sway/config/output.c, not sway/tree/output.c. It also returns the files
// of the chosen target's repository that match as well as it (ties), for
// the caller to choose among by the stack's other frames.
func (pi *pathIndex) mapFrame(f signal.Frame, defs []fileTarget) ([]fileTarget, string, []fileTarget) {
	comps := frameComponents(f)
	if len(comps) == 0 {
		return nil, "", nil
	}
	for _, m := range pi.maps {
		if len(m.stackRoot) == 0 || !hasPrefix(comps, m.stackRoot) {
			continue
		}
		rest := comps[len(m.stackRoot):]
		p := strings.Join(append(append([]string(nil), m.sourceRoot...), rest...), "/")
		return []fileTarget{{m.repo, p}}, "code mapping " + strings.Join(m.stackRoot, "/") + " -> " + strings.Join(m.sourceRoot, "/"), nil
	}
	best := pi.best(comps)
	if len(best) == 0 && windowsPath(f.File) {
		// A Windows build's path may differ in case from git's
		// (...\Lib\service.cs for lib/Service.cs).
		best = pi.bestBy(comps, pi.byFoldedBase[strings.ToLower(comps[len(comps)-1])], strings.EqualFold)
	}
	if len(best) == 0 {
		return nil, "", nil
	}
	chose := ""
	if len(best) > 1 && len(defs) > 0 {
		defines := func(kf *knownFile) bool {
			for _, d := range defs {
				if d.repo == kf.repo && d.path == kf.path {
					return true
				}
			}
			return false
		}
		n := 0
		for _, m := range best {
			if defines(m.kf) {
				n++
			}
		}
		if n > 0 && n < len(best) {
			sort.SliceStable(best, func(i, j int) bool { return defines(best[i].kf) && !defines(best[j].kf) })
			best = best[:n]
			chose = "the file defining " + FunctionName(f.Function)
		}
	}
	first := best[0].kf
	targets := []fileTarget{{first.repo, first.path}}
	var others []string
	var ties []fileTarget
	for _, m := range best[1:] {
		kf := m.kf
		if kf.inApp != first.inApp || len(kf.comps) != len(first.comps) {
			break
		}
		if kf.repo != first.repo {
			// Equally good in another repository: blame in both, report it.
			dup := false
			for _, t := range targets {
				if t.repo == kf.repo {
					dup = true
				}
			}
			if !dup {
				targets = append(targets, fileTarget{kf.repo, kf.path})
			}
		} else {
			ties = append(ties, fileTarget{kf.repo, kf.path})
		}
		others = append(others, kf.repo+":"+kf.path)
	}
	note := ""
	if len(others) > 0 {
		if len(others) > 3 {
			others = append(others[:3], "...")
		}
		note = "ambiguous: also matches " + strings.Join(others, ", ")
	}
	if chose != "" {
		note = strings.TrimPrefix(note+"; ", "; ") + chose
	}
	return targets, note, ties
}

// match is a known file and how many of a frame's last path components it
// shares.
type match struct {
	kf *knownFile
	n  int
}

// best returns the known files sharing the most trailing components with
// comps, in the order mapping prefers them: in-app files first, then the
// shortest repository path, then the path and repository in byte order
// (deterministic).
func (pi *pathIndex) best(comps []string) []match {
	if len(comps) == 0 {
		return nil
	}
	return pi.bestBy(comps, pi.byBase[comps[len(comps)-1]], func(a, b string) bool { return a == b })
}

// bestBy is best among the known files ids, components compared by eq.
func (pi *pathIndex) bestBy(comps []string, ids []int32, eq func(a, b string) bool) []match {
	var best []match
	bestN := 0
	for _, id := range ids {
		kf := &pi.files[id]
		n := commonSuffixBy(comps, kf.comps, eq)
		if n > bestN {
			bestN = n
			best = best[:0]
		}
		if n == bestN {
			best = append(best, match{kf, n})
		}
	}
	sort.Slice(best, func(i, j int) bool {
		a, b := best[i].kf, best[j].kf
		if a.inApp != b.inApp {
			return a.inApp
		}
		if len(a.comps) != len(b.comps) {
			return len(a.comps) < len(b.comps)
		}
		if len(a.path) != len(b.path) {
			return len(a.path) < len(b.path)
		}
		if a.path != b.path {
			return a.path < b.path
		}
		return a.repo < b.repo
	})
	return best
}

// BestMatches lists, for each frame, the files of tree that match its path
// equally well and best, as frame mapping weighs them before it chooses by
// the function's definition; nil for a frame no file matches.
func BestMatches(tree []string, frames []signal.Frame) [][]string {
	pi := newPathIndex(nil)
	for _, p := range tree {
		pi.add("", p)
	}
	out := make([][]string, len(frames))
	for i, f := range frames {
		for _, m := range pi.best(frameComponents(f)) {
			out[i] = append(out[i], m.kf.path)
		}
	}
	return out
}

func hasPrefix(comps, prefix []string) bool {
	if len(prefix) > len(comps) {
		return false
	}
	for i := range prefix {
		if comps[i] != prefix[i] {
			return false
		}
	}
	return true
}

func commonSuffix(a, b []string) int {
	return commonSuffixBy(a, b, func(x, y string) bool { return x == y })
}

func commonSuffixBy(a, b []string, eq func(x, y string) bool) int {
	n := 0
	for i, j := len(a)-1, len(b)-1; i >= 0 && j >= 0 && eq(a[i], b[j]); i, j = i-1, j-1 {
		n++
	}
	return n
}

// windowsPath reports a path written on Windows: a drive letter, or
// backslashes.
func windowsPath(p string) bool {
	return strings.Contains(p, `\`) || len(p) > 2 && p[1] == ':' && isLetter(p[0])
}

// outsideMatch reports whether a frame that is not in-app names repository
// file t by more than its base name: a vendored copy
// (vendor/github.com/x/y/z.go) is the repository's, the standard library's
// /usr/local/go/src/net/http/server.go is no daemon/server/server.go.
func outsideMatch(f signal.Frame, t fileTarget) bool {
	comps := frameComponents(f)
	return commonSuffix(comps, splitComponents(t.path)) >= min(2, len(comps))
}

// FrameComponents are the path components of a frame's file as mapping
// reads them: URL schemes and hosts, drive letters, "." and ".." resolved
// away; a JVM file name with its package's folders.
func FrameComponents(f signal.Frame) []string { return frameComponents(f) }

// frameComponents returns the path components of a frame's file, with Java
// style frames (a bare File.java plus a dotted package in Module or
// Function) expanded to their package directory.
func frameComponents(f signal.Frame) []string {
	comps := splitComponents(normalizePath(f.File))
	if len(comps) != 1 || !signal.JVMFile(comps[0]) {
		return comps
	}
	pkg, fromFunction := f.Module, false
	if pkg == "" || !strings.Contains(pkg, ".") {
		pkg, fromFunction = f.Function, true
	}
	var dirs []string
	for _, p := range strings.Split(pkg, ".") {
		if p == "" || p[0] < 'a' || p[0] > 'z' {
			break // the class (upper case) or anything odd ends the package
		}
		dirs = append(dirs, p)
	}
	if fromFunction && len(dirs) == len(strings.Split(pkg, ".")) && len(dirs) > 0 {
		// All lower case: the last part is the method; keep the rest.
		dirs = dirs[:len(dirs)-1]
	}
	return append(dirs, comps[0])
}

// normalizePath turns a frame path as a stack trace prints it (absolute
// POSIX or Windows path, file:// or other URL, -trimpath module path) into
// a slash-separated relative path.
func normalizePath(p string) string {
	p = strings.TrimSpace(p)
	if i := strings.Index(p, "://"); i > 0 && isScheme(p[:i]) {
		scheme := strings.ToLower(p[:i])
		p = p[i+3:]
		if j := strings.IndexAny(p, "?#"); j >= 0 {
			p = p[:j]
		}
		if scheme != "file" && scheme != "webpack" && scheme != "app" {
			// http(s)://host/path: drop the host.
			if j := strings.IndexByte(p, '/'); j >= 0 {
				p = p[j:]
			}
		}
		p = unescapePercent(p)
	}
	p = strings.ReplaceAll(p, "\\", "/")
	if len(p) >= 2 && p[1] == ':' && isLetter(p[0]) {
		p = p[2:]
	} else if len(p) >= 3 && p[0] == '/' && p[2] == ':' && isLetter(p[1]) {
		p = p[3:] // file:///C:/...
	}
	return p
}

func isScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func unescapePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// splitComponents splits a slash path into components, dropping empty and
// "." components and resolving "..".
func splitComponents(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		switch c {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, c)
		}
	}
	return out
}
