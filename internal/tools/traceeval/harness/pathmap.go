package harness

import (
	"path"
	"sort"
	"strings"
)

// PathMap maps the source paths of stack frames to repository files by the
// longest path-component suffix match, as a person reading the trace next to
// `git ls-tree -r` would.
type PathMap struct {
	byBase map[string][]string
	// Funcs maps function names to the one file defining them, for frames
	// that name only a function (kernel-style reports).
	Funcs map[string]string
}

// NewPathMap indexes the files of one tree.
func NewPathMap(files []string) *PathMap {
	m := &PathMap{byBase: map[string][]string{}}
	for _, f := range files {
		b := path.Base(f)
		m.byBase[b] = append(m.byBase[b], f)
	}
	for _, v := range m.byBase {
		sort.Strings(v)
	}
	return m
}

// components splits a frame path into its cleaned components: "./", "../",
// drive letters and leading slashes carry no information.
func components(p string) []string {
	p = strings.ReplaceAll(p, "\\", "/")
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c == "" || c == "." || c == ".." {
			continue
		}
		out = append(out, c)
	}
	return out
}

// Map returns the repository file a frame path names, how many trailing
// components matched, and whether another file matched as many (the pick is
// then the shortest path, then the first in order). It returns "" when no
// file has the frame's base name.
func (m *PathMap) Map(framePath string) (file string, matched int, ambiguous bool) {
	comps := components(framePath)
	if len(comps) == 0 {
		return "", 0, false
	}
	cands := m.byBase[comps[len(comps)-1]]
	best, bestN, tie := "", 0, false
	for _, c := range cands {
		n := suffixLen(comps, strings.Split(c, "/"))
		switch {
		case n > bestN:
			best, bestN, tie = c, n, false
		case n == bestN && n > 0:
			tie = true
			if len(c) < len(best) {
				best = c
			}
		}
	}
	return best, bestN, tie
}

// suffixLen counts the equal trailing components of a and b.
func suffixLen(a, b []string) int {
	n := 0
	for i, j := len(a)-1, len(b)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if a[i] != b[j] {
			break
		}
		n++
	}
	return n
}
