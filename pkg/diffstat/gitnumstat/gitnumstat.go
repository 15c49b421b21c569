// Package gitnumstat reads `git diff --numstat -z` and `git diff
// --name-status -z` output and compares it with diffstat.Parse results. It
// is the oracle of diffstat's tests and of internal/tools/numstatcheck.
package gitnumstat

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// Entry is one file as git's numstat and name-status describe it.
type Entry struct {
	Path    string
	OldPath string
	Status  diffstat.Status
	Binary  bool
	Added   int
	Removed int
}

// String renders e on one line.
func (e Entry) String() string {
	p := strconv.Quote(e.Path)
	if e.OldPath != "" {
		p = strconv.Quote(e.OldPath) + " -> " + p
	}
	return fmt.Sprintf("%s %s binary=%t +%d -%d", e.Status, p, e.Binary, e.Added, e.Removed)
}

// FromFiles turns parse results into entries.
func FromFiles(files []diffstat.File) []Entry {
	out := make([]Entry, len(files))
	for i, f := range files {
		out[i] = Entry{Path: f.Path, OldPath: f.OldPath, Status: f.Status, Binary: f.Binary,
			Added: f.LinesAdded, Removed: f.LinesRemoved}
	}
	return out
}

// Parse reads the NUL-separated outputs of `git diff --numstat -z` and
// `git diff --name-status -z` of the same diff. Status letters map to
// diffstat's: A added, D removed, M and T (type change) modified, R
// renamed, C (copy) added with OldPath, as diffstat.Parse reports copies.
func Parse(numstat, nameStatus []byte) ([]Entry, error) {
	ns := splitZ(numstat)
	var out []Entry
	for i := 0; i < len(ns); i++ {
		fields := strings.SplitN(ns[i], "\t", 3)
		if len(fields) != 3 {
			return nil, fmt.Errorf("reading numstat record %q: want 3 tab-separated fields", ns[i])
		}
		var e Entry
		if fields[0] == "-" && fields[1] == "-" {
			e.Binary = true
		} else {
			a, err1 := strconv.Atoi(fields[0])
			r, err2 := strconv.Atoi(fields[1])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("reading numstat counts %q", ns[i])
			}
			e.Added, e.Removed = a, r
		}
		if fields[2] != "" {
			e.Path = fields[2]
		} else {
			if i+2 >= len(ns) {
				return nil, fmt.Errorf("reading numstat rename record: paths missing")
			}
			e.OldPath, e.Path = ns[i+1], ns[i+2]
			i += 2
		}
		out = append(out, e)
	}

	st := splitZ(nameStatus)
	k := 0
	for i := 0; i < len(st); i++ {
		code := st[i]
		if code == "" || i+1 >= len(st) {
			return nil, fmt.Errorf("reading name-status record %q", code)
		}
		var status diffstat.Status
		var oldPath, path string
		switch code[0] {
		case 'A':
			status = diffstat.Added
		case 'D':
			status = diffstat.Removed
		case 'M', 'T':
			status = diffstat.Modified
		case 'R', 'C':
			status = diffstat.Renamed
			if code[0] == 'C' {
				status = diffstat.Added
			}
			if i+2 >= len(st) {
				return nil, fmt.Errorf("reading name-status record %q: paths missing", code)
			}
			oldPath = st[i+1]
			i++
		default:
			return nil, fmt.Errorf("reading name-status: unknown status %q", code)
		}
		path = st[i+1]
		i++
		if k >= len(out) {
			return nil, fmt.Errorf("name-status has more entries than numstat (%d)", len(out))
		}
		if out[k].Path != path || out[k].OldPath != oldPath {
			return nil, fmt.Errorf("name-status entry %d is %q -> %q, numstat's is %q -> %q",
				k, oldPath, path, out[k].OldPath, out[k].Path)
		}
		out[k].Status = status
		k++
	}
	if k != len(out) {
		return nil, fmt.Errorf("name-status has %d entries, numstat %d", k, len(out))
	}
	return out, nil
}

func splitZ(b []byte) []string {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) == 0 {
		return nil
	}
	parts := bytes.Split(b, []byte{0})
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = string(p)
	}
	return out
}

// Diff compares parse results with git's entries, in order, and describes
// each difference; nil means equal. Binary files compare by their flag (git
// prints no counts for them). One thing a diff cannot tell is whether a
// file without content changes (a pure rename, a mode-only change) is
// binary: git writes no "Binary files" line then, while numstat still
// prints "-". Such an entry (no hunks, 0/0) compares equal whatever git's
// binary flag.
func Diff(got []diffstat.File, want []Entry) []string {
	g := FromFiles(got)
	for i := range min(len(g), len(want)) {
		if want[i].Binary && !g[i].Binary && len(got[i].Hunks) == 0 && g[i].Added == 0 && g[i].Removed == 0 {
			g[i].Binary = true
		}
	}
	var diffs []string
	n := max(len(g), len(want))
	for i := range n {
		switch {
		case i >= len(g):
			diffs = append(diffs, fmt.Sprintf("entry %d: missing, want %s", i, want[i]))
		case i >= len(want):
			diffs = append(diffs, fmt.Sprintf("entry %d: got extra %s", i, g[i]))
		case g[i] != want[i]:
			diffs = append(diffs, fmt.Sprintf("entry %d: got %s, want %s", i, g[i], want[i]))
		}
	}
	return diffs
}
