package analyze

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

// maxSignalBytes bounds one signal file.
const maxSignalBytes = 32 << 20

func readFileLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSignalBytes+1))
}

// target is one repository to analyze.
type target struct {
	src          source.Source
	local        *source.Local
	lookbackDays int
	window       source.Window
}

// repoResult is what one repository produced.
type repoResult struct {
	target
	ref     string
	commits []commitResult
	err     error
}

type commitResult struct {
	commit source.Commit
	// change is what was kept of the commit's change (see keep).
	change *source.Change
	// counts are made before anything is dropped.
	files, added, removed int
	fallback              string
}

// keep says how much of each change a run holds on to, so that memory does
// not grow with history more than the output needs.
type keep int

const (
	// keepCounts holds per-commit counts only (table or Markdown, no signals).
	keepCounts keep = iota
	// keepFiles holds per-file entries without hunks (JSON, no signals).
	keepFiles
	// keepAll holds whole changes with line text (signals are ranked).
	keepAll
)

// result counts ch and keeps what k asks for.
func result(c source.Commit, ch *source.Change, k keep) commitResult {
	r := commitResult{commit: c, fallback: ch.Fallback}
	for _, f := range ch.Files {
		r.files++
		if !f.Binary {
			r.added += f.LinesAdded
			r.removed += f.LinesRemoved
		}
	}
	switch k {
	case keepAll:
		r.change = ch
	case keepFiles:
		r.change = countOnly(ch)
		r.commit.Message = c.Summary()
	default:
		r.commit.Message = c.Summary()
	}
	return r
}

// Run performs one analyze run and writes the report.
func Run(ctx context.Context, o *Options) error {
	f := o.Factory
	sigs, err := loadSignals(o, f)
	if err != nil {
		return err
	}
	cfg, err := f.Config()
	if err != nil {
		return fmt.Errorf("loading the configuration: %w", err)
	}
	targets, err := buildTargets(o, cfg)
	if err != nil {
		return err
	}

	k := keepCounts
	switch {
	case len(sigs) > 0:
		k = keepAll
	case o.Format == render.JSON:
		k = keepFiles
	}
	progress := render.NewProgress(f.IO.ErrOut, f.IO.ShowProgress(), "Reading commits", 0)
	results := make([]*repoResult, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = analyzeRepo(ctx, o, t, k, progress)
		}()
	}
	wg.Wait()
	progress.Done()
	if err := ctx.Err(); err != nil {
		return err
	}

	rep := buildReport(o, results, k)
	if len(sigs) > 0 {
		rankSignals(o, cfg, rep, results, sigs)
	}
	for _, n := range rep.Notes {
		f.IO.Infof("note: %s\n", n)
	}
	if err := writeReport(f.IO, o.Format, rep, o.Top); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return exitStatus(results)
}

// loadSignals reads and parses every --signal file.
func loadSignals(o *Options, f *cmdutil.Factory) ([]signal.Signal, error) {
	var out []signal.Signal
	for _, name := range o.Signals {
		data, err := readSignal(name, f.IO.In)
		if err != nil {
			return nil, fmt.Errorf("reading signal %s: %w", name, err)
		}
		if len(data) > maxSignalBytes {
			return nil, cmdutil.UsageErrorf("reading signal %s: larger than %d MiB", name, maxSignalBytes>>20)
		}
		display := name
		if name == "-" {
			display = "stdin"
		}
		sigs, err := signal.Parse(display, data)
		if err != nil {
			return nil, cmdutil.UsageErrorf("reading signal %s: %v", display, err)
		}
		if len(sigs) == 0 {
			return nil, cmdutil.UsageErrorf("reading signal %s: no stack trace or event found", display)
		}
		out = append(out, sigs...)
	}
	return out, nil
}

// buildTargets decides which repositories to analyze and their windows.
func buildTargets(o *Options, cfg *config.Config) ([]target, error) {
	f := o.Factory
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
	window := func(d int) source.Window {
		return source.Window{Since: o.At.AddDate(0, 0, -d), Until: o.At}
	}
	if o.Local != "" {
		l, err := source.NewLocal(o.Local)
		if err != nil {
			return nil, err
		}
		d := days(0)
		return []target{{src: l, local: l, lookbackDays: d, window: window(d)}}, nil
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
	out := make([]target, 0, len(list))
	for _, n := range list {
		var src source.Source = source.NewBitbucket(client, n.ws, n.slug, n.main)
		if cacheDir != "" {
			src = source.NewCache(cacheDir, src)
		}
		d := days(n.days)
		out = append(out, target{src: src, lookbackDays: d, window: window(d)})
	}
	return out, nil
}

// analyzeRepo lists one repository's commits and gets their changes.
func analyzeRepo(ctx context.Context, o *Options, t target, k keep, progress *render.Progress) *repoResult {
	res := &repoResult{target: t}
	ref := o.Ref
	if ref == "" {
		r, err := t.src.DefaultRef(ctx)
		if err != nil {
			res.err = err
			return res
		}
		ref = r
	}
	res.ref = ref
	if t.local != nil {
		res.err = t.local.Walk(ctx, ref, t.window, source.WalkOptions{
			IncludeMerges: o.IncludeMerges,
			CountOnly:     k != keepAll,
			OnList:        progress.AddTotal,
		}, func(c source.Commit, ch *source.Change) error {
			res.commits = append(res.commits, result(c, ch, k))
			progress.Inc()
			return nil
		})
		return res
	}

	commits, err := t.src.Commits(ctx, ref, t.window, o.IncludeMerges)
	if err != nil {
		res.err = err
		return res
	}
	progress.AddTotal(len(commits))
	res.commits = make([]commitResult, len(commits))
	workers := o.Workers
	if workers <= 0 {
		workers = 16
	}
	if workers > len(commits) {
		workers = len(commits)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				c := commits[i]
				ch, err := t.src.Change(ctx, c)
				if err != nil {
					errOnce.Do(func() { res.err = err; cancel() })
					continue
				}
				res.commits[i] = result(c, ch, k)
				progress.Inc()
			}
		}()
	}
feed:
	for i := range commits {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if res.err == nil && ctx.Err() != nil {
		res.err = ctx.Err()
	}
	if res.err != nil {
		res.commits = nil
	}
	return res
}

// countOnly returns ch without hunks (their line text is what costs
// memory); the counts stay.
func countOnly(ch *source.Change) *source.Change {
	out := &source.Change{Hash: ch.Hash, Fallback: ch.Fallback, Files: make([]diffstat.File, len(ch.Files))}
	copy(out.Files, ch.Files)
	for i := range out.Files {
		out.Files[i].Hunks = nil
	}
	return out
}

// exitStatus decides the exit code after the report was printed: 3 when
// some repositories failed, 4 when every one failed on authentication.
func exitStatus(results []*repoResult) error {
	failed, auth := 0, 0
	var first error
	for _, r := range results {
		if r.err == nil {
			continue
		}
		failed++
		if first == nil {
			first = r.err
		}
		var api *bitbucket.APIError
		if errors.As(r.err, &api) && api.IsAuth() {
			auth++
		}
	}
	switch {
	case failed == 0:
		return nil
	case auth == len(results):
		hint := ""
		var api *bitbucket.APIError
		if errors.As(first, &api) {
			hint = api.Hint()
		}
		return cmdutil.AuthError(fmt.Errorf("analyzing: Bitbucket rejected the credential: %w", first), hint)
	case len(results) == 1:
		return cmdutil.PartialError(fmt.Errorf("analyzing %s: %w", results[0].src.Repo(), first))
	}
	return cmdutil.PartialError(fmt.Errorf("%d of %d repositories failed; the others were analyzed", failed, len(results)))
}

// rankSignals ranks every signal against the candidates of all repositories.
func rankSignals(o *Options, cfg *config.Config, rep *Report, results []*repoResult, sigs []signal.Signal) {
	var cands []suspect.Candidate
	for _, r := range results {
		for _, c := range r.commits {
			if c.change == nil {
				continue
			}
			cands = append(cands, suspect.Candidate{Repo: c.commit.Repo, Commit: c.commit, Change: c.change})
		}
	}
	var maps []suspect.Mapping
	for _, m := range cfg.CodeMappings {
		maps = append(maps, suspect.Mapping{Repo: m.Repo, StackRoot: m.StackRoot, SourceRoot: m.SourceRoot})
	}
	if o.Local != "" && len(results) == 1 {
		// Code mappings name Bitbucket repositories; for a local checkout
		// the ones without a repository apply, and so do those naming it.
		for i := range maps {
			if maps[i].Repo == "" {
				maps[i].Repo = results[0].src.Repo()
			}
		}
	}
	idx := suspect.NewIndex(cands, suspect.Options{Top: o.Top, At: o.At, Mappings: maps})
	for _, s := range sigs {
		res := idx.Rank(s)
		rep.Signals = append(rep.Signals, signalReport(s, res))
	}
}
