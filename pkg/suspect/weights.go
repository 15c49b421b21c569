package suspect

import (
	"math"
	"time"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Weights are the tunable constants of the formula (see Formula). They are
// chosen on the tuning half of the evaluation's cases and reported on the
// other half (internal/eval).
type Weights struct {
	// Line, Call, Function, Proximity and File weigh the structural
	// features (Call: the commit added, in the frame's function, a call to
	// the function the trace shows it calling).
	Line, Call, Function, Proximity, File float64
	// Dir weighs, when no commit of the window touched a frame's file, a
	// commit that changed files beside one (in its folder), by the share
	// of its changed files that lie there (see dirEvidence).
	Dir float64
	// Fixed raises the structural score of a commit that a later commit
	// of the failing version names in a "Fixes:" trailer: a commit already
	// found buggy once, whose area crashes still.
	Fixed float64
	// FrameSlope sets how fast frames away from the crash lose weight:
	// w(k) = 1/(1 + FrameSlope*k) for the k-th in-app frame of a stack.
	FrameSlope float64
	// OtherStack multiplies the weight of frames of a report's further
	// stacks (where memory was freed or allocated, the other thread of a
	// race), which often point at the bug too.
	OtherStack float64
	// ProxScale is the distance in lines at which proximity halves.
	ProxScale float64
	// Spread lowers a line hit by how many lines its hunk added at once:
	// it is worth 1/(1 + Spread*ln(1 + n/10)) for n added lines (0: always 1).
	Spread float64
	// Text and Recency weigh the non-structural features.
	Text, Recency float64
	// HalfLife is recency's half-life.
	HalfLife time.Duration
	// Merge, Whitespace and Rename multiply the structural score of such
	// commits.
	Merge, Whitespace, Rename float64
	// SeeWhitespace walks a frame's line on past commits that changed
	// only its whitespace, as `git blame -w` does: the line hit goes to
	// the commit that wrote the text. Off: on the tuning halves it
	// changed no rank (it fires, but the culprit was already first or
	// out of reach), so it was not adopted.
	SeeWhitespace bool
	// SeeMoves walks it on past commits that moved it, within its file or
	// from another, as `git blame -M -C` does. Off, for the same reason.
	SeeMoves bool
	// Build infers the crashing build from the frames' functions and lines
	// when the files' contents are given (see RankWith).
	Build bool
}

// DefaultWeights are the weights sigsentry ranks with.
var DefaultWeights = Weights{
	Line: 1.0, Call: 0.8, Function: 0.5, Proximity: 0.3, File: 0.15, Dir: 0.15,
	Fixed:      0.5,
	FrameSlope: 0.5, OtherStack: 0.5, ProxScale: 10,
	Text: 0.15, Recency: 0.05, HalfLife: 7 * 24 * time.Hour,
	Merge: 0.5, Whitespace: 0.2, Rename: 0.1,
	Build: true,
}

// frameWeights weighs each frame of a signal: the k-th mapped in-app frame
// of its stack weighs frameWeight(k); the others, 0. Frames of code outside
// the repositories (libraries, the kernel core under a driver) take no
// place in the weighting.
func (w *Weights) frameWeights(frames []signal.Frame, targets [][]fileTarget) []float64 {
	out := make([]float64, len(frames))
	k := map[int]int{} // mapped in-app frames seen so far, per stack
	for i, f := range frames {
		if !f.InApp || len(targets[i]) == 0 {
			continue
		}
		out[i] = w.frameWeight(k[f.Stack], f.Stack > 0)
		k[f.Stack]++
	}
	return out
}

// frameWeight is the weight of the k-th in-app frame of a stack.
func (w *Weights) frameWeight(k int, otherStack bool) float64 {
	v := 1 / (1 + w.FrameSlope*float64(k))
	if otherStack {
		v *= w.OtherStack
	}
	return v
}

// specificity is what a line hit among n lines added at once is worth.
func (w *Weights) specificity(n int) float64 {
	if w.Spread <= 0 {
		return 1
	}
	return 1 / (1 + w.Spread*math.Log(1+float64(n)/10))
}

// proximity is the proximity feature for a change d lines away.
func (w *Weights) proximity(d int) float64 {
	return 1 / (1 + float64(d)/w.ProxScale)
}

// recency is R(c) for a commit age old.
func (w *Weights) recency(age time.Duration) float64 {
	return w.Recency * math.Exp2(-float64(age)/float64(w.HalfLife))
}
