package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Options configures an evaluation run.
type Options struct {
	Clones      string
	Bin         string
	Cases       []Case
	Half        string // tune, held or all
	Windows     []int  // days
	Select      func(Case) bool
	NoText      bool // skip the raw-text runs
	SharedCache bool
	Timeout     time.Duration
	Scratch     string // folder for signal files, config and caches
	Log         io.Writer
	// Variant rewrites each event as another converter might (see
	// Variants); "" keeps this converter's.
	Variant string
}

// BaselineResult is a baseline's ranking for one case and window.
type BaselineResult struct {
	Rank int      `json:"rank"`
	List []string `json:"list,omitempty"`
}

// WindowResult is one case under one window.
type WindowResult struct {
	JSON     Invocation     `json:"json"`
	Text     *Invocation    `json:"text,omitempty"`
	B1       BaselineResult `json:"b1"`
	B2       BaselineResult `json:"b2"`
	B2Window BaselineResult `json:"b2_window"`
	B2Strict bool           `json:"b2_strict_hit"`
}

// CaseResult is everything measured on one case.
type CaseResult struct {
	ID        string   `json:"id"`
	Repo      string   `json:"repo"`
	Fix       string   `json:"fix"`
	Inducers  []string `json:"inducers"`
	Format    string   `json:"format"`
	Half      string   `json:"half"`
	Signal    string   `json:"signal_time"`
	AgeDays   float64  `json:"inducer_age_days"`
	Innermost string   `json:"innermost_in_app_frame,omitempty"`
	// OnStack: an inducer touched an in-app frame's file (Baselines.OnStack).
	OnStack bool                     `json:"inducer_on_stack"`
	Windows map[string]*WindowResult `json:"windows"`
}

// Results is the output of a run.
type Results struct {
	Binary    string        `json:"binary"`
	Version   string        `json:"version"`
	Generated string        `json:"generated"`
	Half      string        `json:"half"`
	Windows   []int         `json:"windows"`
	Command   string        `json:"command"`
	Variant   string        `json:"variant,omitempty"`
	Cases     []*CaseResult `json:"cases"`
}

// CommandTemplate is the analyze command the evaluation runs, for reports.
const CommandTemplate = "sigsentry analyze --local CLONE --ref FIX^ --at SIGNAL_TIME --lookback-days W --signal EVENT.json|TRACE.txt --top 10 -o json"

// Evaluate runs every selected case under every window through the binary.
// Failing analyze runs are recorded; only harness failures (a case that
// cannot be loaded, a binary that cannot be started) return an error.
func Evaluate(ctx context.Context, opt Options) (*Results, error) {
	halves := Split(opt.Cases)
	res := &Results{
		Binary: opt.Bin, Half: opt.Half, Windows: opt.Windows,
		Generated: time.Now().UTC().Format(time.RFC3339), Command: CommandTemplate,
		Version: binaryVersion(ctx, opt.Bin), Variant: opt.Variant,
	}
	runner := &Runner{Bin: opt.Bin, Timeout: opt.Timeout, Scratch: opt.Scratch, SharedCache: opt.SharedCache}
	logf := func(f string, a ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, f+"\n", a...)
		}
	}
	for i, c := range opt.Cases {
		if opt.Select != nil && !opt.Select(c) {
			continue
		}
		half := halves[c.Key()]
		if opt.Half != "" && opt.Half != "all" && half != opt.Half {
			continue
		}
		l, err := Load(ctx, opt.Clones, c)
		if err != nil {
			return res, err
		}
		cr := &CaseResult{
			ID: c.ID(), Repo: c.Repo, Fix: c.Fix, Inducers: c.Inducers, Format: string(l.Report.Format), Half: half,
			Signal: l.Signal.Format(time.RFC3339), Windows: map[string]*WindowResult{},
		}
		if c.Format != "" {
			cr.Format = c.Format
		}
		var newest time.Time
		for _, t := range l.InducerAt {
			if t.After(newest) && !t.After(l.Signal) {
				newest = t
			}
		}
		if !newest.IsZero() {
			cr.AgeDays = l.Signal.Sub(newest).Hours() / 24
		}
		if l.HasFrame {
			cr.Innermost = l.Innermost.Path + ":" + strconv.Itoa(l.Innermost.Frame.Line)
		}
		base, err := ComputeBaselines(ctx, l)
		if err != nil {
			return res, fmt.Errorf("baselines of %s: %w", c.ID(), err)
		}
		cr.OnStack = base.OnStack
		dir := filepath.Join(opt.Scratch, "signals", strings.NewReplacer("/", "+", "@", "-").Replace(c.ID()))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return res, fmt.Errorf("preparing %s: %w", dir, err)
		}
		eventFile := filepath.Join(dir, "event.json")
		textFile := filepath.Join(dir, "trace.txt")
		eb, _ := json.MarshalIndent(l.Event, "", "  ")
		if eb, err = applyVariant(eb, opt.Variant); err != nil {
			return res, fmt.Errorf("the event of %s: %w", c.ID(), err)
		}
		if err := os.WriteFile(eventFile, eb, 0o600); err != nil {
			return res, fmt.Errorf("writing the event of %s: %w", c.ID(), err)
		}
		if err := os.WriteFile(textFile, []byte(l.Text), 0o600); err != nil {
			return res, fmt.Errorf("writing the trace of %s: %w", c.ID(), err)
		}
		for _, w := range opt.Windows {
			if !l.InducerInWindow(w) {
				continue
			}
			since := l.Signal.Add(-time.Duration(w) * 24 * time.Hour)
			wr := &WindowResult{}
			wr.JSON, err = runner.Analyze(ctx, AnalyzeArgs(l.Dir, c.Fix, l.Signal, w, eventFile), c.Inducers)
			if err != nil {
				return res, err
			}
			if !opt.NoText {
				tv, err := runner.Analyze(ctx, AnalyzeArgs(l.Dir, c.Fix, l.Signal, w, textFile), c.Inducers)
				if err != nil {
					return res, err
				}
				wr.Text = &tv
			}
			wr.B1 = BaselineResult{List: top(base.InWindow(base.B1, since, l.Signal), 10)}
			wr.B1.Rank = RankOf(wr.B1.List, c.Inducers, 10)
			wr.B2 = BaselineResult{List: top(base.B2, 10)}
			wr.B2.Rank = RankOf(wr.B2.List, c.Inducers, 10)
			wr.B2Window = BaselineResult{List: top(base.InWindow(base.B2, since, l.Signal), 10)}
			wr.B2Window.Rank = RankOf(wr.B2Window.List, c.Inducers, 10)
			wr.B2Strict = base.B2Strict != "" && RankOf([]string{base.B2Strict}, c.Inducers, 1) == 1
			cr.Windows[strconv.Itoa(w)] = wr
			textNote := ""
			if wr.Text != nil {
				textNote = fmt.Sprintf(" text=%s", describe(*wr.Text))
			}
			logf("[%d/%d] %s %dd: json=%s%s b1=%d b2=%d (%.1fs, %d MB)", i+1, len(opt.Cases), c.ID(), w,
				describe(wr.JSON), textNote, wr.B1.Rank, wr.B2.Rank, wr.JSON.Seconds, wr.JSON.MaxRSSKB/1024)
		}
		res.Cases = append(res.Cases, cr)
	}
	return res, nil
}

func describe(iv Invocation) string {
	switch {
	case iv.Failed():
		return "error"
	case iv.Abstained && iv.Rank == 0:
		return "abstained"
	}
	return strconv.Itoa(iv.Rank)
}

func top(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

// binaryVersion asks the binary for its version line.
func binaryVersion(ctx context.Context, bin string) string {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "version")
	cmd.Env = filteredEnv()
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return firstLine(string(out))
}
