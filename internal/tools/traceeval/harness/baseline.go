package harness

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// maxBlameFrames bounds the git blame calls per case.
const maxBlameFrames = 20

// Baselines holds what plain git tells a person reading the trace.
type Baselines struct {
	// B1 lists the commits touching the innermost in-app frame's file at
	// the fix's parent, newest first (git log FIX^ -- FILE).
	B1 []string
	// B2 lists the blame origins of the in-app frames' lines at the fix's
	// parent (git blame -L N,N FIX^ -- FILE), innermost frame first,
	// without repeats. B2Strict is the blame of the innermost in-app
	// frame's line alone ("" when that frame has no line).
	B2       []string
	B2Strict string
	// Landed maps every listed commit to its committer date, so windows
	// can filter the lists.
	Landed map[string]time.Time
	// OnStack is set when an inducer's change (against its first parent)
	// touched the file of an in-app frame: the crash's cause lies on the
	// stack, where evidence from the frames can reach it. When it is
	// unset the cause is elsewhere (a header, a caller's contract, a
	// build file, another subsystem), and only a frame's folder, the
	// symptoms' words or recency point at it.
	OnStack bool
}

// ComputeBaselines runs git log and git blame for a loaded case.
func ComputeBaselines(ctx context.Context, l *Loaded) (Baselines, error) {
	g := Git{Dir: l.Dir}
	b := Baselines{Landed: map[string]time.Time{}}
	frames := InAppFrames(l.Report, l.Files)
	if len(frames) == 0 {
		return b, nil
	}
	parent := l.Fix + "^"
	b.OnStack = inducerOnStack(ctx, g, l.Inducers, frames)
	out, err := g.Run(ctx, "log", "--format=%H %ct", "-n", "300", parent, "--", frames[0].Path)
	if err != nil {
		return b, err
	}
	for _, ln := range strings.Split(strings.TrimSpace(out), "\n") {
		h, ts, ok := strings.Cut(ln, " ")
		if !ok {
			continue
		}
		b.B1 = append(b.B1, h)
		if n, err := strconv.ParseInt(ts, 10, 64); err == nil {
			b.Landed[h] = time.Unix(n, 0).UTC()
		}
	}
	seen := map[string]bool{}
	calls := 0
	for i, f := range frames {
		if f.Frame.Line <= 0 || calls >= maxBlameFrames {
			continue
		}
		calls++
		h := blameLine(ctx, g, parent, f.Path, f.Frame.Line)
		if i == 0 {
			b.B2Strict = h
		}
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		b.B2 = append(b.B2, h)
		if _, ok := b.Landed[h]; !ok {
			if c, err := g.Show(ctx, h); err == nil {
				b.Landed[h] = c.CommitTime
			}
		}
	}
	return b, nil
}

// inducerOnStack reports whether an inducer's change against its first
// parent (old and new paths of a rename both) touched a frame's file. A
// root commit, which has no parent to diff against, counts as touching
// nothing.
func inducerOnStack(ctx context.Context, g Git, inducers []string, frames []MappedFrame) bool {
	onStack := map[string]bool{}
	for _, f := range frames {
		onStack[f.Path] = true
	}
	for _, h := range inducers {
		out, err := g.Run(ctx, "diff", "--name-only", "--no-renames", h+"^1", h)
		if err != nil {
			continue
		}
		for _, p := range strings.Split(strings.TrimSpace(out), "\n") {
			if onStack[p] {
				return true
			}
		}
	}
	return false
}

// blameLine returns the commit that wrote line n of path at rev ("" when
// the file has no such line).
func blameLine(ctx context.Context, g Git, rev, path string, n int) string {
	ln := strconv.Itoa(n)
	out, err := g.Run(ctx, "blame", "--porcelain", "-L", ln+","+ln, rev, "--", path)
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(out, " ")
	if len(first) != 40 {
		return ""
	}
	return first
}

// InWindow keeps the commits that landed within [since, until].
func (b Baselines) InWindow(list []string, since, until time.Time) []string {
	var out []string
	for _, h := range list {
		t, ok := b.Landed[h]
		if ok && !t.Before(since) && !t.After(until) {
			out = append(out, h)
		}
	}
	return out
}

// RankOf returns the 1-based rank of the first inducer in list, among its
// first top entries, or 0.
func RankOf(list []string, inducers []string, top int) int {
	for i, h := range list {
		if i >= top {
			break
		}
		for _, ind := range inducers {
			if h == ind {
				return i + 1
			}
		}
	}
	return 0
}
