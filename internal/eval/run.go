// Package eval measures suspect ranking on real git history through the
// very function `sigsentry analyze --local` calls (analysis.Run): cases
// come from fixing commits that name their culprit (`Fixes: <sha>`
// trailers and `This reverts commit <sha>`), signals are synthesized from
// the fix's changed lines at its parent with no word of the fix, and each
// case is analyzed as `analyze --local DIR --ref FIX^ --at <parent's
// commit time> --lookback-days W` would analyze it. sigsentry's rank of the
// culprit is compared with two plain-git baselines on the same cases.
package eval

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/analysis"
	"github.com/sigsentry/sigsentry/pkg/gitrun"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

// Config says what to evaluate.
type Config struct {
	// Dir is the repository (work tree or bare).
	Dir string
	// Ref is the history to read (default HEAD).
	Ref string
	// Windows are the lookback windows in days, each ending at the fix's
	// parent (default 30 and 90).
	Windows []int
	// Since keeps only fixes committed at or after it (zero: all).
	Since time.Time
	// MaxCases keeps only the newest N cases (0: all).
	MaxCases int
	// Depth is how many ranked answers count for MRR (default 10).
	Depth int
	// Log receives progress and per-case lines (nil: none).
	Log io.Writer
	// Verbose writes one line per case and window to Log.
	Verbose bool
	// Kind keeps only "fixes" or "revert" cases (empty: both).
	Kind string
	// Case, when set, keeps only the fix whose hash starts with it and
	// writes its signal and ranking to Log.
	Case string
	// Half keeps only the tuning ("tune") or held-out ("held") half of the
	// cases (empty: all); see HalfOf.
	Half string
	// Weights replaces the default ranking weights (tuning).
	Weights *suspect.Weights
}

// Metrics are the scores of one method on one set of cases.
type Metrics struct {
	Cases     int
	Top1      int
	Top5      int
	RRSum     float64
	Abstained int
}

// add records one case answered at rank (1-based; 0 = not found).
func (m *Metrics) add(rank int, abstained bool) {
	m.Cases++
	if abstained {
		m.Abstained++
	}
	if rank >= 1 {
		m.RRSum += 1 / float64(rank)
		if rank == 1 {
			m.Top1++
		}
		if rank <= 5 {
			m.Top5++
		}
	}
}

// WindowReport is the result for one window.
type WindowReport struct {
	Days int
	// Older counts cases whose culprit did not land inside the window.
	Older int
	// Methods maps "sigsentry", "B1", "B2" to their metrics.
	Methods map[string]*Metrics
}

// Report is the result for one repository.
type Report struct {
	Repo    string
	Ref     string
	Found   int // commits naming a culprit
	Skipped map[string]int
	Windows []*WindowReport
	Elapsed time.Duration
	// Slowest is the longest single analysis (one case, one window).
	Slowest time.Duration
}

// Methods in report order.
var Methods = []string{"sigsentry", "B1", "B2"}

// HalfOf puts a case in the "tune" or the "held" half by a hash of its
// repository name and fix hash, so the split is fixed and even.
func HalfOf(repo, fix string) string {
	sum := sha256.Sum256([]byte(repo + "\x00" + fix))
	if sum[0]&1 == 0 {
		return "tune"
	}
	return "held"
}

// logCommit is one commit of the history as the evaluation reads it.
type logCommit struct {
	hash    string
	parents []string
	ct      int64
	msg     string
	// landed is when the commit reached the history: the newest committer
	// time among itself and its ancestors (the contract's window).
	landed int64
}

// Run evaluates one repository.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	if cfg.Ref == "" {
		cfg.Ref = "HEAD"
	}
	if cfg.Depth <= 0 {
		cfg.Depth = 10
	}
	if len(cfg.Windows) == 0 {
		cfg.Windows = []int{30, 90}
	}
	logf := func(format string, a ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", a...)
		}
	}
	local, err := source.NewLocal(cfg.Dir)
	if err != nil {
		return nil, err
	}
	git := &gitrun.Runner{Dir: cfg.Dir}
	commits, err := readLog(ctx, git, cfg.Ref)
	if err != nil {
		return nil, err
	}
	byHash := make(map[string]*logCommit, len(commits))
	sorted := make([]string, 0, len(commits))
	for _, c := range commits {
		byHash[c.hash] = c
		sorted = append(sorted, c.hash)
	}
	sort.Strings(sorted)
	rep := &Report{Repo: cfg.Dir, Ref: cfg.Ref, Skipped: map[string]int{}}
	for _, d := range cfg.Windows {
		rep.Windows = append(rep.Windows, &WindowReport{Days: d, Methods: map[string]*Metrics{"sigsentry": {}, "B1": {}, "B2": {}}})
	}

	// Cases, newest first.
	var cases []Case
	for _, c := range commits {
		refs, kind := groundTruth(c.msg)
		if kind == "" {
			continue
		}
		rep.Found++
		switch {
		case cfg.Kind != "" && kind != cfg.Kind:
			rep.Skipped["other kind than -kind"]++
			continue
		case len(c.parents) != 1:
			rep.Skipped["fix is a merge or root commit"]++
			continue
		case !cfg.Since.IsZero() && c.ct < cfg.Since.Unix():
			rep.Skipped["fix before -since"]++
			continue
		case cfg.Case != "" && !strings.HasPrefix(c.hash, cfg.Case):
			continue
		case cfg.Half != "" && HalfOf(cfg.Dir, c.hash) != cfg.Half:
			rep.Skipped["other half than -half"]++
			continue
		}
		cs := Case{Fix: c.hash, Parent: c.parents[0], Kind: kind}
		for _, r := range refs {
			full := resolve(sorted, r)
			if full == "" {
				// Not in this history under a unique prefix: ask git.
				if out, err := git.Output(ctx, "rev-parse", "-q", "--verify", r+"^{commit}"); err == nil {
					full = strings.TrimSpace(string(out))
				}
			}
			if full != "" && full != c.hash && !contains(cs.Culprits, full) {
				cs.Culprits = append(cs.Culprits, full)
			}
		}
		if len(cs.Culprits) == 0 {
			rep.Skipped["named commit not found"]++
			continue
		}
		cases = append(cases, cs)
	}
	if cfg.MaxCases > 0 && len(cases) > cfg.MaxCases {
		rep.Skipped["beyond -max-cases"] += len(cases) - cfg.MaxCases
		cases = cases[:cfg.MaxCases]
	}

	for i, cs := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		parent := byHash[cs.Parent]
		if parent == nil {
			rep.Skipped["parent not in history"]++
			continue
		}
		var ok []string
		for _, cu := range cs.Culprits {
			if _, err := git.Output(ctx, "merge-base", "--is-ancestor", cu, cs.Parent); err == nil {
				ok = append(ok, cu)
			}
		}
		if len(ok) == 0 {
			rep.Skipped["named commit not an ancestor of the fix's parent"]++
			continue
		}
		cs.Culprits = ok
		fixCh, err := local.Change(ctx, cs.Fix)
		if err != nil {
			rep.Skipped["fix diff missing"]++
			continue
		}
		// The signal comes from the fix's parent while it was the tip:
		// once it had landed, which a skewed clock can put after its own
		// committer time.
		at := time.Unix(parent.landed, 0).UTC()
		sig := BuildSignal(fixCh, at)
		if len(sig.Frames) == 0 {
			rep.Skipped["fix changes no existing text file"]++
			continue
		}
		var b1, b2 []string
		baselinesDone := false
		for _, wr := range rep.Windows {
			// Exactly what `sigsentry analyze --local DIR --ref PARENT
			// --at AT --lookback-days DAYS` runs.
			plan := &analysis.Plan{
				Targets: []analysis.Target{{Source: local, Ref: cs.Parent, LookbackDays: wr.Days}},
				At:      at,
				Signals: []signal.Signal{sig},
				Top:     cfg.Depth,
				Weights: cfg.Weights,
			}
			t0 := time.Now()
			out, err := analysis.Run(ctx, plan)
			if err != nil {
				return nil, err
			}
			rep.Slowest = max(rep.Slowest, time.Since(t0))
			r := out.Repos[0]
			if r.Err != nil {
				rep.Skipped["analysis failed"]++
				logf("%.12s: %v", cs.Fix, r.Err)
				continue
			}
			inWin := false
			for _, c := range r.Commits {
				if contains(cs.Culprits, c.Commit.Hash) {
					inWin = true
				}
			}
			if !inWin {
				wr.Older++
				continue
			}
			res := out.Rankings[0]
			rank := 0
			for _, s := range res.Suspects {
				if contains(cs.Culprits, s.Hash) {
					rank = s.Rank
					break
				}
			}
			wr.Methods["sigsentry"].add(rank, res.Abstained)
			if cfg.Case != "" {
				logf("window %dd, culprits %v, signal frames:", wr.Days, cs.Culprits)
				for _, f := range sig.Frames {
					logf("  %s:%d %q", f.File, f.Line, f.Function)
				}
				for _, s := range res.Suspects {
					logf("#%d %.12s %.4f %s", s.Rank, s.Hash, s.Score, s.Commit.Landed.Format(time.RFC3339))
					for _, e := range s.Evidence {
						logf("     %s %s %s", e.Kind, e.Hunk, e.Detail)
					}
				}
			}
			if !baselinesDone {
				b1, b2 = baselines(ctx, git, cs.Parent, sig.Frames[0], cfg.Depth)
				baselinesDone = true
			}
			r1, r2 := rankOf(b1, cs.Culprits), rankOf(b2, cs.Culprits)
			wr.Methods["B1"].add(r1, len(b1) == 0)
			wr.Methods["B2"].add(r2, len(b2) == 0)
			if cfg.Verbose {
				why := ""
				if res.Abstained {
					why = " (" + res.Reason + ")"
				}
				logf("%s window=%dd fix=%.12s culprit=%.12s frames=%d cands=%d sigsentry=%d b1=%d b2=%d%s",
					cs.Kind, wr.Days, cs.Fix, cs.Culprits[0], len(sig.Frames), len(r.Commits), rank, r1, r2, why)
			}
		}
		if (i+1)%50 == 0 {
			logf("%d/%d cases", i+1, len(cases))
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// readLog reads every commit reachable from ref with its parents,
// committer time and message.
func readLog(ctx context.Context, git *gitrun.Runner, ref string) ([]*logCommit, error) {
	var out []*logCommit
	args := []string{"log", "--topo-order", "-z", "--format=format:%H%x1f%P%x1f%ct%x1f%B", ref, "--"}
	err := git.Stream(ctx, nil, args, func(r *bufio.Reader) error {
		for {
			rec, err := r.ReadBytes(0)
			rec = bytes.TrimSuffix(rec, []byte{0})
			if len(rec) > 0 {
				f := strings.SplitN(strings.TrimPrefix(string(rec), "\n"), "\x1f", 4)
				if len(f) != 4 {
					return fmt.Errorf("unexpected git log record %.80q", rec)
				}
				ct, perr := strconv.ParseInt(f[2], 10, 64)
				if perr != nil {
					return fmt.Errorf("unexpected commit time in %.80q", rec)
				}
				out = append(out, &logCommit{hash: f[0], parents: strings.Fields(f[1]), ct: ct, msg: f[3]})
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s: %w", ref, err)
	}
	// When each commit landed, as the sources work it out.
	l := history.NewListing(time.Time{})
	for _, c := range out {
		l.Add(history.Commit{Hash: c.hash, Parents: c.parents, Date: time.Unix(c.ct, 0)})
	}
	for i, c := range l.Commits() {
		out[i].landed = c.Landed.Unix()
	}
	return out, nil
}

// resolve expands an abbreviated hash to the one hash of sorted that
// starts with it ("" when none or several do).
func resolve(sorted []string, prefix string) string {
	prefix = strings.ToLower(prefix)
	i := sort.SearchStrings(sorted, prefix)
	if i == len(sorted) || !strings.HasPrefix(sorted[i], prefix) {
		return ""
	}
	if i+1 < len(sorted) && strings.HasPrefix(sorted[i+1], prefix) {
		return ""
	}
	return sorted[i]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func rankOf(list []string, culprits []string) int {
	for i, h := range list {
		if contains(culprits, h) {
			return i + 1
		}
	}
	return 0
}

// baselines computes B1 (the commits that last touched the innermost
// frame's file at the parent, newest first, up to depth) and B2 (git blame
// of the innermost frame's line at the parent).
func baselines(ctx context.Context, git *gitrun.Runner, parent string, f signal.Frame, depth int) (b1, b2 []string) {
	out, err := git.Output(ctx, "log", fmt.Sprintf("-n%d", depth), "--format=%H", parent, "--", f.File)
	if err == nil {
		b1 = strings.Fields(string(out))
	}
	out, err = git.Output(ctx, "blame", "--porcelain", fmt.Sprintf("-L%d,%d", f.Line, f.Line), parent, "--", f.File)
	if err == nil {
		if fields := strings.Fields(string(out)); len(fields) > 0 && len(fields[0]) == 40 {
			b2 = []string{fields[0]}
		}
	}
	return b1, b2
}

// Markdown writes the report as Markdown tables, one per window.
func (r *Report) Markdown(w io.Writer, name string) {
	for _, wr := range r.Windows {
		s := wr.Methods["sigsentry"]
		fmt.Fprintf(w, "\n#### %s, %d-day window (%d cases; %d more with the culprit outside the window)\n\n", name, wr.Days, s.Cases, wr.Older)
		fmt.Fprintln(w, "| method | top-1 | top-5 | MRR | abstained |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, m := range Methods {
			x := wr.Methods[m]
			if x.Cases == 0 {
				fmt.Fprintf(w, "| %s | - | - | - | - |\n", m)
				continue
			}
			n := float64(x.Cases)
			fmt.Fprintf(w, "| %s | %.3f (%d) | %.3f (%d) | %.3f | %.3f (%d) |\n", label(m),
				float64(x.Top1)/n, x.Top1, float64(x.Top5)/n, x.Top5, x.RRSum/n, float64(x.Abstained)/n, x.Abstained)
		}
	}
	var keys []string
	for k := range r.Skipped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "\n%d commits name a culprit; took %s (slowest analysis %s).", r.Found, r.Elapsed.Round(time.Second), r.Slowest.Round(time.Millisecond))
	if len(keys) > 0 {
		fmt.Fprint(w, " Not evaluated:")
		for i, k := range keys {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(w, "%s %s %d", sep, k, r.Skipped[k])
		}
		fmt.Fprint(w, ".")
	}
	fmt.Fprintln(w)
}

func label(m string) string {
	switch m {
	case "B1":
		return "B1 last commit touching the innermost file"
	case "B2":
		return "B2 git blame of the innermost line"
	}
	return m
}
