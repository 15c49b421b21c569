package suspect

import (
	"fmt"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
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

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// cand builds a candidate committed hoursAfter hours after t0.
func cand(hash string, hoursAfter int, files ...diffstat.File) Candidate {
	return Candidate{
		Repo:   "acme/shop",
		Commit: source.Commit{Repo: "acme/shop", Hash: hash, Date: t0.Add(time.Duration(hoursAfter) * time.Hour), Message: "commit " + hash, Parents: []string{"p" + hash}},
		Change: &source.Change{Hash: hash, Files: files},
	}
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
