package suspect

import (
	"math"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
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
	// DirWith weighs the same evidence when commits of the window did
	// touch a frame's file: a change beside the crashing file still counts
	// when other commits changed the stack's files. Chosen on the tune
	// halves: 0 -> .02 moved the real-trace tune half's 90-day MRR from
	// .754 to .758 (FDio/vpp@e95687b0d6f6, not ranked -> 4: the culprit
	// changed fib_path.c beside the frame's fib_table.c; no case worse;
	// .05 to .15 gave rank 3 and moved nothing else, .3 moved three cases
	// down) and the synthesized tune halves of 12 repositories 1
	// case-window up (drgn, not ranked -> 3), none down; .05 moved two
	// more drgn case-windows down (5 -> 7).
	DirWith float64
	// Fixed raises the structural score of a commit that a later commit
	// of the failing version names as a cause (see fixesOf): a commit already
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
	// FnFloor and FnScale weigh function evidence by how far the change
	// lies from the frame's line inside the function: it is worth
	// FnFloor + (1-FnFloor)/(1 + d/FnScale) for the changed line nearest
	// the frame's, d lines away (FnFloor 1: distance does not matter). A
	// change far up a long function says less than one beside the line
	// that crashed. Chosen on the tune halves: FnFloor from 1 to .25 moved
	// the real-trace tune half's MRR from .723 to .729 (lvm2@7cfe5ab9bc27
	// at 90 days, 2 -> 1; no case worse; .1 and 0 gave the same) and the
	// synthesized tune halves of 12 repositories 3 case-windows up (drgn
	// 3 -> 2 twice, LXC 3 -> 2) and 1 down (Tetragon 2 -> 3).
	FnFloor, FnScale float64
	// Callee weighs a change to a function the frame's function calls on
	// the lines up to the frame's (see calleeEvidence), when the commit
	// changed nothing of the frame's own function. Chosen on the tune
	// halves: 0 -> .2 moved the real-trace tune half's MRR from .729 to
	// .753 (GNOME/glib@0ca660315a90, a test asserting on what a changed
	// library call returned: not ranked -> 1 at both windows; no case
	// worse; .1 and .3 the same, .5 moved a case 1 -> 2), and the
	// synthesized tune halves of 12 repositories 2 case-windows up, none
	// down (MRR .946 -> .949 at 30 days, .923 -> .924 at 90).
	Callee float64
	// Caller weighs, for a report whose crash stack has one in-app frame,
	// a commit that added a call to that frame's function (see
	// callerEvidence), damped by the commit's size like proximity. Chosen
	// on the tune halves: 0 -> .1 moved no case of the real-trace tune half
	// and the synthesized tune halves of 12 repositories 1 case-window up
	// (drgn, 2 -> 1) and 2 down (a GLib revert, 4 -> 5 at both windows):
	// MRR .949 -> .949 at 30 days, .924 -> .925 at 90; .2 moved the same.
	Caller float64
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
	Line: 1.0, Call: 0.8, Function: 0.5, Proximity: 0.3, File: 0.15, Dir: 0.15, DirWith: 0.02,
	Fixed:      0.5,
	FrameSlope: 0.5, OtherStack: 0.5, ProxScale: 10, FnFloor: 0.25, FnScale: 20,
	Callee: 0.2, Caller: 0.1,
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

// fnValue is what function evidence of a change to file is worth, for the
// frame's line cur (0: unknown) and the function's extent ext.
func (w *Weights) fnValue(file *diffstat.File, cur int, ext extentVerdict) float64 {
	if w.FnFloor >= 1 || cur <= 0 || w.FnScale <= 0 {
		return 1
	}
	d := -1
	near := func(n int) {
		if n <= 0 {
			return
		}
		x := n - cur
		if x < 0 {
			x = -x
		}
		if d < 0 || x < d {
			d = x
		}
	}
	for hi := range file.Hunks {
		h := &file.Hunks[hi]
		for _, a := range h.Added {
			if ext.inside(a.N) {
				near(a.N)
			}
		}
		if len(h.Removed) > 0 && ext.inside(h.NewStart) {
			near(h.NewStart)
		}
	}
	if d < 0 {
		return 1
	}
	return w.FnFloor + (1-w.FnFloor)/(1+float64(d)/w.FnScale)
}
