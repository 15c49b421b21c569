package harness

import (
	"context"
	"fmt"
	"time"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/tracetext"
)

// Loaded is a case read from its repository at run time.
type Loaded struct {
	Case
	Dir       string    // the clone
	Signal    time.Time // the fix's author date
	Text      string    // the trace as pasted
	Report    tracetext.Report
	Event     tracetext.Event
	Files     *PathMap             // files of the fix's parent
	InducerAt map[string]time.Time // inducer -> committer date
	Innermost MappedFrame
	HasFrame  bool
}

// Load reads a case's fix commit from its clone, extracts its trace and
// converts it. Frames are marked in-app when they map to a file of the
// fix's parent (a Sentry project configured for the application would
// mark them so) and are no system frame.
func Load(ctx context.Context, clonesRoot string, c Case) (*Loaded, error) {
	dir, err := FindClone(clonesRoot, c.Repo)
	if err != nil {
		return nil, err
	}
	g := Git{Dir: dir}
	fix, err := g.Show(ctx, c.Fix)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", c.ID(), err)
	}
	blocks := tracetext.Extract(fix.Message)
	if c.Block >= len(blocks) {
		return nil, fmt.Errorf("loading %s: the message holds %d traces, the manifest wants trace %d", c.ID(), len(blocks), c.Block)
	}
	l := &Loaded{Case: c, Dir: dir, Signal: fix.AuthorTime, Text: blocks[c.Block].Text, InducerAt: map[string]time.Time{}}
	for _, h := range c.Inducers {
		ic, err := g.Show(ctx, h)
		if err != nil {
			return nil, fmt.Errorf("loading %s: inducer: %w", c.ID(), err)
		}
		l.InducerAt[h] = ic.CommitTime
	}
	files, err := g.Files(ctx, c.Fix+"^")
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", c.ID(), err)
	}
	l.Files = NewPathMap(files)
	l.Report = tracetext.Parse(l.Text)
	l.Files.Funcs = FuncIndex(ctx, g, c.Fix+"^", l.Report)
	l.Event = tracetext.ToEvent(l.Report, l.Signal, l.InApp)
	l.Innermost, l.HasFrame = InnermostInApp(l.Report, l.Files)
	return l, nil
}

// InApp marks a frame as the application's when it is no system frame and
// its file maps to a repository file (function-only frames of kernel-style
// reports count when the repository defines their function).
func (l *Loaded) InApp(f tracetext.Frame, format tracetext.Format) bool {
	if !tracetext.DefaultInApp(f, format) {
		return false
	}
	if f.File == "" {
		// A function-only frame is the application's when the
		// repository defines the function.
		return l.Files.Funcs[baseSymbol(f.Function)] != ""
	}
	p, n, _ := l.Files.Map(f.File)
	return p != "" && n > 0
}

// InducerInWindow tells whether an inducer landed within days before the
// signal time (and not after it).
func (l *Loaded) InducerInWindow(days int) bool {
	since := l.Signal.Add(-time.Duration(days) * 24 * time.Hour)
	for _, t := range l.InducerAt {
		if !t.Before(since) && !t.After(l.Signal) {
			return true
		}
	}
	return false
}
