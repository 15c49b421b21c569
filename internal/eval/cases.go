package eval

import (
	"regexp"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Case is one fixing commit with the commits it names as the cause.
type Case struct {
	Fix      string
	Parent   string
	Culprits []string // full hashes, ancestors of Parent
	Kind     string   // "fixes" or "revert"
}

var (
	fixesRe  = regexp.MustCompile(`(?mi)^[ \t]*Fixes:[ \t]*(?:commit[ \t]+)?([0-9a-f]{7,40})\b`)
	revertRe = regexp.MustCompile(`(?i)This reverts commit ([0-9a-f]{7,40})`)
)

// groundTruth returns the (possibly abbreviated) hashes a commit message
// names as fixed or reverted, and the kind of case.
func groundTruth(msg string) ([]string, string) {
	var out []string
	for _, m := range fixesRe.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	if len(out) > 0 {
		return out, "fixes"
	}
	for _, m := range revertRe.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	if len(out) > 0 {
		return out, "revert"
	}
	return nil, ""
}

// MaxFrames caps the frames of one evaluation signal.
const MaxFrames = 20

// BuildSignal turns the fixing commit's change into a signal, as if the bug
// had been reported by a stack trace at the fix's parent:
//
//   - one frame per changed file, in the fix's diff order (git's path
//     order), the first file being the innermost frame (depth 0), at most
//     MaxFrames;
//   - the frame's file is the path in the parent (the old path of a rename);
//     files the fix added have no parent version and give no frame;
//   - the line is the first removed line of the file's first hunk on the old
//     side, or for a pure insertion the line just before the insertion point
//     (line 1 at the top of a file);
//   - the function is that hunk's header section; every frame is in-app;
//   - the timestamp is at; the signal has no title and no symptoms: no word
//     of the fixing commit reaches the ranking.
func BuildSignal(ch *history.Change, at time.Time) signal.Signal {
	t := at
	sig := signal.Signal{Source: "eval", Format: "eval", Timestamp: &t}
	for i := range ch.Files {
		f := &ch.Files[i]
		if f.Status == diffstat.Added || f.Binary || len(f.Hunks) == 0 {
			continue
		}
		path := f.Path
		if f.OldPath != "" {
			path = f.OldPath
		}
		h := &f.Hunks[0]
		line := 0
		switch {
		case len(h.Removed) > 0:
			line = h.Removed[0].N
		case len(h.Added) > 0:
			if h.OldLines == 0 {
				line = h.OldStart
			} else {
				line = h.OldStart + (h.Added[0].N - h.NewStart) - 1
			}
		}
		if line < 1 {
			line = 1
		}
		sig.Frames = append(sig.Frames, signal.Frame{
			File:     path,
			Line:     line,
			Function: h.Section,
			InApp:    true,
			Depth:    len(sig.Frames),
		})
		if len(sig.Frames) == MaxFrames {
			break
		}
	}
	return sig
}
