// Package eval measures suspect ranking on real git history: cases come
// from fixing commits that name their culprit (`Fixes: <sha>` trailers and
// `This reverts commit <sha>`), signals are built from the fix's changed
// lines at its parent with no word of the fix, and sigsentry's ranking is
// compared with two plain-git baselines on the same cases.
package eval

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

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
	// Windows are the lookback windows, each ending at the fix's parent.
	Windows []time.Duration
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
	// CacheFile, when set, keeps the loaded changes between runs (gob).
	CacheFile string
	// Kind keeps only "fixes" or "revert" cases (empty: both).
	Kind string
	// Case, when set, keeps only the fix whose hash starts with it and
	// writes its signal and ranking to Log.
	Case string
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
	Window time.Duration
	// Older counts cases whose culprit is older than the window.
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
	Loaded  int // changes loaded (each once)
}

// Methods in report order.
var Methods = []string{"sigsentry", "B1", "B2"}

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
		cfg.Windows = []time.Duration{30 * 24 * time.Hour, 90 * 24 * time.Hour}
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
	g, err := loadGraph(ctx, cfg.Dir, cfg.Ref)
	if err != nil {
		return nil, err
	}
	commits, err := local.Commits(ctx, cfg.Ref, source.Window{}, true)
	if err != nil {
		return nil, fmt.Errorf("listing commits: %w", err)
	}
	byHash := make(map[string]source.Commit, len(commits))
	for _, c := range commits {
		if n := g.nodes[c.Hash]; n != nil {
			// Committer time: when the commit landed, which is what a
			// deployment (and so an error) comes after.
			c.Date = time.Unix(n.ct, 0).UTC()
		}
		c.Message = ""
		byHash[c.Hash] = c
	}
	rep := &Report{Repo: cfg.Dir, Ref: cfg.Ref, Skipped: map[string]int{}}

	// Cases, newest first.
	var cases []Case
	for _, c := range commits {
		refs, kind := groundTruth(c.Message)
		if kind == "" {
			continue
		}
		rep.Found++
		if cfg.Kind != "" && kind != cfg.Kind {
			rep.Skipped["other kind than -kind"]++
			continue
		}
		if c.IsMerge() || len(c.Parents) == 0 {
			rep.Skipped["fix is a merge or root commit"]++
			continue
		}
		fix := byHash[c.Hash]
		if !cfg.Since.IsZero() && fix.Date.Before(cfg.Since) {
			rep.Skipped["fix before -since"]++
			continue
		}
		if cfg.Case != "" && !strings.HasPrefix(c.Hash, cfg.Case) {
			continue
		}
		cs := Case{Fix: fix, Parent: c.Parents[0], Kind: kind}
		for _, r := range refs {
			full := g.resolve(r)
			if full == "" {
				// Not in this history under a unique prefix: ask git.
				out, err := git(ctx, cfg.Dir, "rev-parse", "-q", "--verify", r+"^{commit}")
				if err == nil {
					full = strings.TrimSpace(string(out))
				}
			}
			if full != "" && full != c.Hash && !contains(cs.Culprits, full) {
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
	maxWin := cfg.Windows[0]
	for _, w := range cfg.Windows {
		maxWin = max(maxWin, w)
	}
	const slack = int64(30 * 24 * 3600)

	// Which commits each case needs, so that every change is loaded once.
	type prepared struct {
		cs  Case
		anc map[string]*node
		pct int64
	}
	var preps []prepared
	need := map[string]bool{}
	for _, cs := range cases {
		pn := g.nodes[cs.Parent]
		if pn == nil {
			rep.Skipped["parent not in history"]++
			continue
		}
		anc := g.ancestorsSince(cs.Parent, pn.ct-int64(maxWin/time.Second), slack)
		var ok []string
		for _, cu := range cs.Culprits {
			if anc[cu] != nil {
				ok = append(ok, cu)
				continue
			}
			if _, err := git(ctx, cfg.Dir, "merge-base", "--is-ancestor", cu, cs.Parent); err == nil {
				ok = append(ok, cu)
			}
		}
		if len(ok) == 0 {
			rep.Skipped["named commit not an ancestor of the fix's parent"]++
			continue
		}
		cs.Culprits = ok
		preps = append(preps, prepared{cs: cs, anc: anc, pct: pn.ct})
		need[cs.Fix.Hash] = true
		for h, n := range anc {
			if len(n.parents) <= 1 {
				need[h] = true
			}
		}
	}
	cached := readCache(cfg.CacheFile)
	missing := map[string]bool{}
	for h := range need {
		if cached[h] == nil {
			missing[h] = true
		}
	}
	changes, err := loadChanges(ctx, local, cfg.Ref, byHash, missing, logf)
	if err != nil {
		return nil, err
	}
	loaded := len(changes)
	for h, ch := range cached {
		changes[h] = ch
	}
	if loaded > 0 && cfg.CacheFile != "" {
		if err := writeCache(cfg.CacheFile, changes); err != nil {
			logf("not caching changes: %v", err)
		}
	}
	rep.Loaded = len(changes)

	for _, w := range cfg.Windows {
		rep.Windows = append(rep.Windows, &WindowReport{Window: w, Methods: map[string]*Metrics{"sigsentry": {}, "B1": {}, "B2": {}}})
	}
	for i, p := range preps {
		fixCh := changes[p.cs.Fix.Hash]
		if fixCh == nil {
			rep.Skipped["fix diff missing"]++
			continue
		}
		sig := BuildSignal(fixCh, time.Unix(p.pct, 0).UTC())
		if len(sig.Frames) == 0 {
			rep.Skipped["fix changes no existing text file"]++
			continue
		}
		var b1, b2 []string
		baselinesDone := false
		for _, wr := range rep.Windows {
			since := p.pct - int64(wr.Window/time.Second)
			var cands []suspect.Candidate
			inWin := false
			for h, n := range p.anc {
				if n.ct < since || len(n.parents) > 1 {
					continue
				}
				if contains(p.cs.Culprits, h) {
					inWin = true
				}
				cands = append(cands, suspect.Candidate{Repo: "r", Commit: byHash[h], Change: changes[h]})
			}
			if !inWin {
				wr.Older++
				continue
			}
			// A deterministic input order; the index orders the commits
			// topologically itself.
			sort.Slice(cands, func(a, b int) bool { return cands[a].Commit.Hash < cands[b].Commit.Hash })
			res := suspect.NewIndex(cands, suspect.Options{Top: cfg.Depth}).Rank(sig)
			rank := 0
			for _, s := range res.Suspects {
				if contains(p.cs.Culprits, s.Hash) {
					rank = s.Rank
					break
				}
			}
			wr.Methods["sigsentry"].add(rank, res.Abstained)
			if cfg.Case != "" {
				logf("window %s, culprits %v, signal frames:", fmtWindow(wr.Window), p.cs.Culprits)
				for _, f := range sig.Frames {
					logf("  %s:%d %q", f.File, f.Line, f.Function)
				}
				for _, s := range res.Suspects {
					logf("#%d %.12s %.4f %s", s.Rank, s.Hash, s.Score, s.Commit.Date.Format(time.RFC3339))
					for _, e := range s.Evidence {
						logf("     %s %s %s", e.Kind, e.Hunk, e.Detail)
					}
				}
			}
			if !baselinesDone {
				b1, b2 = baselines(ctx, cfg.Dir, p.cs.Parent, sig.Frames[0], cfg.Depth)
				baselinesDone = true
			}
			r1, r2 := rankOf(b1, p.cs.Culprits), rankOf(b2, p.cs.Culprits)
			wr.Methods["B1"].add(r1, len(b1) == 0)
			wr.Methods["B2"].add(r2, len(b2) == 0)
			if cfg.Verbose {
				why := ""
				if res.Abstained {
					why = " (" + res.Reason + ")"
				}
				logf("%s window=%s fix=%.12s culprit=%.12s frames=%d cands=%d sigsentry=%d b1=%d b2=%d%s",
					p.cs.Kind, fmtWindow(wr.Window), p.cs.Fix.Hash, p.cs.Culprits[0], len(sig.Frames), len(cands), rank, r1, r2, why)
			}
		}
		if (i+1)%50 == 0 {
			logf("%d/%d cases", i+1, len(preps))
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
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
func baselines(ctx context.Context, dir, parent string, f signal.Frame, depth int) (b1, b2 []string) {
	out, err := git(ctx, dir, "log", fmt.Sprintf("-n%d", depth), "--format=%H", parent, "--", f.File)
	if err == nil {
		b1 = strings.Fields(string(out))
	}
	out, err = git(ctx, dir, "blame", "--porcelain", fmt.Sprintf("-L%d,%d", f.Line, f.Line), parent, "--", f.File)
	if err == nil {
		if fields := strings.Fields(string(out)); len(fields) > 0 && len(fields[0]) == 40 {
			b2 = []string{fields[0]}
		}
	}
	return b1, b2
}

// loadChanges loads the change of every needed commit once: one streaming
// `git log -p` over the range that holds them, then single diffs for any
// commit the stream missed (e.g. its author date lies outside the range).
func loadChanges(ctx context.Context, local *source.Local, ref string, byHash map[string]source.Commit, need map[string]bool, logf func(string, ...any)) (map[string]*source.Change, error) {
	changes := make(map[string]*source.Change, len(need))
	if len(need) == 0 {
		return changes, nil
	}
	var oldest time.Time
	for h := range need {
		if c, ok := byHash[h]; ok && (oldest.IsZero() || c.Date.Before(oldest)) {
			oldest = c.Date
		}
	}
	// Walk filters on author dates, which can be older than committer
	// dates: widen the range, and diff stragglers one by one. A few
	// commits are quicker to diff one by one than to stream for.
	var err error
	if len(need) > 100 {
		since := oldest.Add(-90 * 24 * time.Hour)
		logf("loading %d changes (one git log -p since %s)", len(need), since.Format("2006-01-02"))
		err = local.Walk(ctx, ref, source.Window{Since: since}, source.WalkOptions{}, func(c source.Commit, ch *source.Change) error {
			if need[c.Hash] {
				changes[c.Hash] = ch
			}
			return nil
		})
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A mirror may lack a few objects; the stream stops at the first
		// commit that needs one. Diff the rest one by one.
		logf("streaming stopped (%v); diffing the rest one by one", err)
	}
	var todo []source.Commit
	for h := range need {
		if c, ok := byHash[h]; ok && changes[h] == nil {
			todo = append(todo, c)
		}
	}
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed int
		next   = make(chan source.Commit)
	)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				ch, err := local.Change(ctx, c)
				mu.Lock()
				if err != nil {
					failed++
				} else {
					changes[c.Hash] = ch
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range todo {
		next <- c
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if len(todo) > 0 {
		logf("diffed %d more commits one by one (%d failed: objects missing from the repository)", len(todo), failed)
	}
	return changes, nil
}

// fmtWindow prints a window in days ("30d").
func fmtWindow(d time.Duration) string {
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// Markdown writes the report as Markdown tables, one per window.
func (r *Report) Markdown(w io.Writer, name string) {
	for _, wr := range r.Windows {
		s := wr.Methods["sigsentry"]
		fmt.Fprintf(w, "\n#### %s, %s window (%d cases; %d more with the culprit older than the window)\n\n", name, fmtWindow(wr.Window), s.Cases, wr.Older)
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
	fmt.Fprintf(w, "\n%d commits name a culprit; changes loaded once: %d; took %s.", r.Found, r.Loaded, r.Elapsed.Round(time.Second))
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
