package analyze

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sigsentry/sigsentry/internal/analysis"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
	"github.com/sigsentry/sigsentry/pkg/textenc"
)

// Run performs one analyze run and writes the report: options in, one call
// to analysis.Run (plus one per Sentry issue analyzed at its release), the
// report out.
func Run(ctx context.Context, o *Options) error {
	f := o.Factory
	if err := checkSentryIssues(o); err != nil {
		return err
	}
	if err := loadMappings(o); err != nil {
		return err
	}
	sigs, events, err := loadSignals(o)
	if err != nil {
		return err
	}
	cfg, err := f.Config()
	if err != nil {
		return fmt.Errorf("loading the configuration: %w", err)
	}
	pulled := pullSentry(ctx, o)
	retracePulled(o, pulled)
	if err := ctx.Err(); err != nil {
		return err
	}
	// Sentry signals are ranked in the default analysis too, so that an
	// issue whose release cannot be analyzed still gets suspects.
	all := append([]signal.Signal(nil), sigs...)
	for _, si := range pulled {
		si.index = len(all)
		all = append(all, si.signals...)
	}
	issues := append(events, pulled...)
	if err := applySourceMaps(o, all); err != nil {
		return err
	}
	if err := applySymbols(o, all); err != nil {
		return err
	}
	// The Sentry issues' own copies of their signals (analyzed again at
	// their release) get the frames both passes rewrote.
	for _, si := range issues {
		if si.err == nil && si.index >= 0 && si.index+len(si.signals) <= len(all) {
			copy(si.signals, all[si.index:si.index+len(si.signals)])
		}
	}
	plan, err := buildPlan(o, cfg, all)
	if err != nil {
		return err
	}
	placeSentry(ctx, o, cfg, plan, issues)
	progress := render.NewProgress(f.IO.ErrOut, f.IO.ShowProgress(), "Reading commits", 0)
	plan.Progress = progress
	out, err := analysis.Run(ctx, plan)
	if err == nil {
		var groups []*sentryGroup
		groups, err = runReleases(ctx, o, plan, issues)
		if err == nil {
			progress.Done()
			rep := buildReport(o, plan, out)
			addSentry(rep, issues, groups)
			addCountNotes(rep)
			addCacheNotes(rep, plan)
			for _, n := range rep.Notes {
				f.IO.Infof("note: %s\n", n)
			}
			if err := writeReport(f.IO, o.Format, rep, o.Top); err != nil {
				return fmt.Errorf("writing the report: %w", err)
			}
			return exitStatus(out.Repos, rep, issues, len(sigs))
		}
	}
	progress.Done()
	return err
}

// addSentry puts what is known of each Sentry issue into the report: the
// ranking at the release when it was analyzed there, where it came from,
// and the issues that could not be read.
func addSentry(rep *Report, issues []*sentryIssue, groups []*sentryGroup) {
	byIssue := map[*sentryIssue]*sentryGroup{}
	for _, g := range groups {
		byIssue[g.issue] = g
		for _, r := range g.out.Repos {
			rr := repoReport(r)
			rr.Signal = g.issue.arg
			seen := map[string]bool{}
			for _, c := range rep.Commits {
				seen[c.Repo+"\x00"+c.Hash] = true
			}
			for _, c := range r.Commits {
				cr := commitReport(c)
				rr.count(cr)
				if !seen[c.Commit.Repo+"\x00"+c.Commit.Hash] {
					rep.Commits = append(rep.Commits, cr)
				}
			}
			rep.Repos = append(rep.Repos, rr)
			rep.addIncomplete(r)
		}
	}
	var failed []SignalReport
	for _, si := range issues {
		sr := sentryReport(si)
		if si.err != nil {
			hint := issueHint(si.err)
			failed = append(failed, SignalReport{Source: si.arg, Format: "sentry", Frames: []FrameReport{}, Suspects: []SuspectReport{},
				Abstained: true, Reason: "the issue could not be read", Error: si.err.Error(), Hint: hint, Sentry: sr})
			n := fmt.Sprintf("%s: %v", si.arg, si.err)
			if hint != "" {
				n += " (" + hint + ")"
			}
			rep.Notes = append(rep.Notes, n)
			continue
		}
		g := byIssue[si]
		for k := range si.signals {
			if si.index+k >= len(rep.Signals) {
				break
			}
			if g != nil {
				rep.Signals[si.index+k] = signalReport(g.plan.Signals[k], g.out.Rankings[k])
			}
			rep.Signals[si.index+k].Sentry = sr
		}
		if si.note != "" {
			rep.Notes = append(rep.Notes, si.arg+": "+si.note)
		}
	}
	rep.Signals = append(rep.Signals, failed...)
}

// loadSignals reads and parses every --signal file. A Sentry event that
// names a release also comes back as a sentryIssue, so that it is analyzed
// at the release's commit as a pulled issue is (see eventRelease).
func loadSignals(o *Options) ([]signal.Signal, []*sentryIssue, error) {
	var out []signal.Signal
	var events []*sentryIssue
	for _, name := range o.Signals {
		display := name
		if name == "-" {
			display = "stdin"
		}
		data, err := readSignal(name, o.Factory.IO.In)
		if err != nil {
			return nil, nil, fmt.Errorf("reading signal %s: %w", display, err)
		}
		data = textenc.Bytes(data) // Windows PowerShell 5.1 saves `2> crash.txt` as UTF-16
		if len(data) > signal.MaxInputBytes {
			return nil, nil, cmdutil.UsageErrorf("reading signal %s: larger than %d MiB, the most a signal may be", display, signal.MaxInputBytes>>20)
		}
		if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0 {
			return nil, nil, cmdutil.UsageErrorf("reading signal %s: it is empty: give a stack trace, a crash report or a Sentry event", display)
		}
		data, rt := retraceText(o, data)
		sigs, err := signal.Parse(display, data)
		err = rt.explain(err)
		if err != nil {
			return nil, nil, cmdutil.UsageErrorf("reading signal %s: %v", display, err)
		}
		rt.finish(sigs)
		if si := eventRelease(display, data, sigs); si != nil {
			si.index = len(out)
			events = append(events, si)
		}
		out = append(out, sigs...)
	}
	return out, events, nil
}

// readSignal reads a signal file, or standard input for "-", up to one
// byte more than a signal may hold.
func readSignal(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	// Up to twice the limit: a UTF-16 file is about twice its text.
	return io.ReadAll(io.LimitReader(r, 2*signal.MaxInputBytes+3))
}

// buildPlan decides which repositories to analyze, their windows, and how
// much of each change the output needs.
func buildPlan(o *Options, cfg *config.Config, sigs []signal.Signal) (*analysis.Plan, error) {
	plan := &analysis.Plan{
		At:            o.At,
		Signals:       sigs,
		IncludeMerges: o.IncludeMerges,
		Top:           o.Top,
	}
	if o.Format == render.JSON {
		plan.Keep = analysis.KeepFiles
	}
	for _, m := range cfg.CodeMappings {
		plan.Mappings = append(plan.Mappings, suspect.Mapping{Repo: m.Repo, StackRoot: m.StackRoot, SourceRoot: m.SourceRoot})
	}
	global := cfg.Bitbucket.LookbackDays
	if global <= 0 {
		global = config.DefaultLookbackDays
	}
	days := func(repoDays int) int {
		switch {
		case o.LookbackDays > 0:
			return o.LookbackDays
		case repoDays > 0:
			return repoDays
		}
		return global
	}
	if o.Local != "" {
		l, err := source.NewLocal(o.Local)
		if err != nil {
			return nil, err
		}
		// Code mappings name Bitbucket repositories; for a local checkout
		// the ones without a repository apply.
		for i := range plan.Mappings {
			if plan.Mappings[i].Repo == "" {
				plan.Mappings[i].Repo = l.Repo()
			}
		}
		plan.Targets = []analysis.Target{{Source: l, Ref: o.Ref, LookbackDays: days(0)}}
		return plan, nil
	}

	type named struct {
		ws, slug, main string
		days           int
	}
	var list []named
	if len(o.Repos) > 0 {
		seen := map[string]bool{}
		for _, r := range o.Repos {
			ws, slug, _ := splitRepo(r)
			key := ws + "/" + slug
			if seen[strings.ToLower(key)] {
				continue
			}
			seen[strings.ToLower(key)] = true
			n := named{ws: ws, slug: slug}
			if reg, ok := cfg.Repo(key); ok {
				n.main, n.days = reg.MainBranch, reg.LookbackDays
			}
			list = append(list, n)
		}
	} else {
		for _, r := range cfg.Bitbucket.Repositories {
			ws, slug, err := splitRepo(r.Name)
			if err != nil {
				return nil, fmt.Errorf("registered repository %q is not workspace/slug: fix it with `sigsentry repos remove` and `repos add`", r.Name)
			}
			list = append(list, named{ws: ws, slug: slug, main: r.MainBranch, days: r.LookbackDays})
		}
	}
	if len(list) == 0 {
		return nil, &cmdutil.ExitError{
			Code: cmdutil.ExitUsage,
			Err:  errors.New("no repositories to analyze"),
			Hint: "register some with `sigsentry repos add workspace/repo-slug`, name one with --repo, or analyze a local checkout with --local PATH",
		}
	}
	f := o.Factory
	client, err := f.Bitbucket()
	if err != nil {
		return nil, err
	}
	var cacheDir string
	if !o.NoCache {
		if d, err := f.CacheDir(); err == nil {
			cacheDir = d
		} else {
			f.IO.Infof("note: not caching diffs: %v\n", err)
		}
	}
	for _, n := range list {
		var cache *source.Cache
		if cacheDir != "" {
			cache = source.NewCache(cacheDir, "bitbucket", n.ws+"/"+n.slug)
		}
		src := source.NewBitbucket(client, n.ws, n.slug, n.main, cache)
		plan.Targets = append(plan.Targets, analysis.Target{Source: src, Ref: o.Ref, LookbackDays: days(n.days),
			Budget: cfg.Bitbucket.RepoBudgetOrDefault()})
	}
	return plan, nil
}

// exitStatus decides the exit code after the report was printed: 3 when
// some repositories or Sentry issues failed or some commits could not be
// counted while the rest was done, 4 when authentication failed for
// everything, the failure's own code when nothing was done.
func exitStatus(repos []*analysis.Repo, rep *Report, issues []*sentryIssue, fileSignals int) error {
	failed, auth := 0, 0
	var first error
	uncounted, shallow := rep.uncounted(), rep.fallbacks[shallowEdge]
	for _, r := range repos {
		if r.Err == nil {
			continue
		}
		failed++
		if first == nil {
			first = r.Err
		}
		var api *bitbucket.APIError
		if errors.As(r.Err, &api) && api.IsAuth() {
			auth++
		}
	}
	sfailed, sfirst := sentryErr(issues)
	switch {
	case failed == 0 && uncounted == 0 && shallow == 0 && sfailed == 0 && rep.incomplete == nil:
		return nil
	case failed == 0 && uncounted == 0 && shallow == 0 && sfailed == 0:
		return cmdutil.PartialError(fmt.Errorf("ranking could not read all it needed, so the suspects had less to go on: %w", rep.incomplete))
	case failed == 0 && sfailed == 0 && uncounted == 0:
		return cmdutil.PartialError(fmt.Errorf("the clone is shallow: %d %s at its edge could not be counted, and older commits of the window may be missing", shallow, render.Plural(shallow, "commit", "commits")))
	case failed == 0 && sfailed == 0:
		why := "Bitbucket produced neither the diff nor the diffstat, or the local clone lacks an object"
		switch rep.fallbacks[unreadable] {
		case 0:
			why = "Bitbucket produced neither the diff nor the diffstat"
		case uncounted:
			why = "the local clone lacks an object their change needs"
		}
		return cmdutil.PartialError(fmt.Errorf("%d %s could not be counted: %s", uncounted, render.Plural(uncounted, "commit", "commits"), why))
	case failed == 0 && sfailed == len(issues) && fileSignals == 0:
		// Every signal came from Sentry and none could be read: the run
		// answered nothing it was asked; exit as that failure says.
		var ee *cmdutil.ExitError
		if errors.As(sfirst, &ee) {
			return sfirst
		}
		return fmt.Errorf("%w: %w", errNoSignalsLeft, sfirst)
	case failed == 0:
		return &cmdutil.ExitError{Code: cmdutil.ExitPartial, Err: fmt.Errorf("%d of %d Sentry issues could not be read; the rest was analyzed", sfailed, len(issues)),
			Hint: issueHint(sfirst)}
	case auth == len(repos):
		hint := ""
		var api *bitbucket.APIError
		if errors.As(first, &api) {
			hint = api.Hint()
		}
		return cmdutil.AuthError(fmt.Errorf("analyzing: Bitbucket rejected the credential: %w", first), hint)
	case len(repos) == 1:
		return cmdutil.PartialError(fmt.Errorf("analyzing %s: %w", repos[0].Source.Repo(), first))
	}
	return cmdutil.PartialError(fmt.Errorf("%d of %d repositories failed; the others were analyzed", failed, len(repos)))
}
