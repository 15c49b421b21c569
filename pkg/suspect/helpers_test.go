package suspect

import (
	"fmt"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// hunk builds a hunk from its ranges and the new-side numbers of added
// lines and old-side numbers of removed lines (text "line N").
func hunk(oldStart, oldLines, newStart, newLines int, section string, added, removed []int) diffstat.Hunk {
	h := diffstat.Hunk{OldStart: oldStart, OldLines: oldLines, NewStart: newStart, NewLines: newLines, Section: section}
	for _, n := range added {
		h.Added = append(h.Added, diffstat.Line{N: n, Text: fmt.Sprintf("added %d", n)})
	}
	for _, n := range removed {
		h.Removed = append(h.Removed, diffstat.Line{N: n, Text: fmt.Sprintf("removed %d", n)})
	}
	return h
}

// seq returns a..b inclusive.
func seq(a, b int) []int {
	var out []int
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}

func modified(path string, hunks ...diffstat.Hunk) diffstat.File {
	f := diffstat.File{Path: path, Status: diffstat.Modified, Hunks: hunks}
	for _, h := range hunks {
		f.LinesAdded += len(h.Added)
		f.LinesRemoved += len(h.Removed)
	}
	return f
}

func addedFile(path string, lines int, section string) diffstat.File {
	f := modified(path, hunk(0, 0, 1, lines, section, seq(1, lines), nil))
	f.Status = diffstat.Added
	return f
}

var t0 = time.Now().Add(-2000 * time.Hour).UTC().Truncate(time.Hour)

// cand builds a candidate committed hoursAfter hours after t0. Its parent
// is a placeholder that rank links to the candidate before it.
func cand(hash string, hoursAfter int, files ...diffstat.File) Candidate {
	return Candidate{
		Repo:   "acme/shop",
		Commit: history.Commit{Repo: "acme/shop", Hash: hash, Date: t0.Add(time.Duration(hoursAfter) * time.Hour), Message: "commit " + hash, Parents: []string{"p" + hash}},
		Change: &history.Change{Hash: hash, Files: files},
	}
}

// linked returns a copy of cands in which every placeholder parent (as
// cand sets it) names the previous candidate of the same repository, so
// the list, oldest first, forms one first-parent chain.
func linked(cands []Candidate) []Candidate {
	out := make([]Candidate, len(cands))
	prev := map[string]string{}
	for i, c := range cands {
		if len(c.Commit.Parents) == 1 && c.Commit.Parents[0] == "p"+c.Commit.Hash {
			c.Commit.Parents = nil
			if p, ok := prev[c.Repo]; ok {
				c.Commit.Parents = []string{p}
			}
		}
		prev[c.Repo] = c.Commit.Hash
		out[i] = c
	}
	return out
}

// rank ranks sig against cands linked into a chain (see linked).
func rank(sig signal.Signal, cands []Candidate, opts Options) Result {
	return Rank(sig, linked(cands), opts)
}

// sigAt is a signal with the given frames at t0 + 1000 hours.
func sigAt(frames ...signal.Frame) signal.Signal {
	ts := t0.Add(1000 * time.Hour)
	for i := range frames {
		frames[i].Depth = i
	}
	return signal.Signal{Title: "boom", Timestamp: &ts, Frames: frames}
}

func frame(file string, line int, fn string) signal.Frame {
	return signal.Frame{File: file, Line: line, Function: fn, InApp: true}
}

func hashes(r Result) []string {
	var out []string
	for _, s := range r.Suspects {
		out = append(out, s.Hash)
	}
	return out
}
