// Package analysis is what `sigsentry analyze` does, as one function that
// the command, the demo and the evaluation all call: for each repository,
// stream the commits that landed in the window with their changes (from
// pkg/source), count them, and rank the commits against the signals (with
// pkg/suspect). It prints nothing; the command renders its Outcome.
package analysis

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

// Target is one repository to analyze.
type Target struct {
	Source source.Source
	// Ref is the branch or commit to analyze ("" = the source's default).
	Ref string
	// LookbackDays is the window's length, ending at Plan.At.
	LookbackDays int
	// Budget bounds the reading of this repository (0: none); past it the
	// repository fails with ErrBudget and the others go on.
	Budget time.Duration
}

// ErrBudget is wrapped by Repo.Err when a repository took longer than its
// Target.Budget.
var ErrBudget = errors.New("the repository's time budget ran out")

// Keep says how much of each change a run holds on to, so that memory does
// not grow with history more than the output needs.
type Keep int

const (
	// KeepCounts holds per-commit counts only.
	KeepCounts Keep = iota
	// KeepFiles holds per-file entries without hunks.
	KeepFiles
	// KeepAll holds whole changes with line text (needed for ranking).
	KeepAll
)

// Progress is told how many commits there are and when each is done.
type Progress interface {
	AddTotal(n int)
	Inc()
}

// Plan is one analysis.
type Plan struct {
	Targets []Target
	// At is the end of every window.
	At time.Time
	// Signals are ranked against the commits of all targets.
	Signals []signal.Signal
	// IncludeMerges reports merge commits among the counted commits (they
	// are always read when there are signals: blame goes through them).
	IncludeMerges bool
	// Keep is what the output needs of each change without signals
	// (KeepAll is implied with signals).
	Keep Keep
	// Top is the number of suspects per signal.
	Top int
	// Mappings are configured code mappings.
	Mappings []suspect.Mapping
	// Weights replaces the default ranking weights (evaluation only).
	Weights *suspect.Weights
	// Progress, when not nil, follows the commits being read.
	Progress Progress
	// KeepHistory keeps what was read in the Outcome, so Rerank can rank
	// again with other weights (tuning).
	KeepHistory bool
}

// Window is target t's window under p.
func (p *Plan) Window(t Target) history.Window {
	return history.Lookback(p.At, t.LookbackDays)
}

// Commit is one counted commit.
type Commit struct {
	Commit history.Commit
	// Change is what Keep asked to keep of the change (nil for
	// KeepCounts).
	Change *history.Change
	// Counts made before anything was dropped.
	Files, Added, Removed int
	Fallback              string
	seq                   int
}

// Repo is what one repository produced.
type Repo struct {
	Target
	Window history.Window
	// Ref is the ref that was read.
	Ref     string
	Summary *source.Summary
	// Commits are the window's commits in listing order (newest first,
	// topological), merges only when Plan.IncludeMerges.
	Commits []Commit
	// Err is why the repository could not be analyzed (the others go on).
	Err error
	// Incomplete are the reads ranking needed beyond the window's commits
	// (the tree, frames' files, definitions) that failed, a rate limit or
	// a server fault, so the ranking had less to go on than it asked for;
	// one error per kind of read, the first.
	Incomplete []error
	// all are every commit read, merges included, for ranking.
	all  []Commit
	tree []string
	// found are the frames' files that probing found where the tree was
	// too large to list.
	found []string
	// defs and contents keep what ranking read from the source (function
	// definitions, the frames' files).
	defs     map[string][]string
	contents map[suspect.FileRef][]byte
}

// Outcome is the result of Run.
type Outcome struct {
	Repos []*Repo
	// Rankings holds one result per Plan.Signals entry, in order.
	Rankings []suspect.Result
}

// Run analyzes every target of p (concurrently) and ranks the signals. A
// failing repository is reported in its Repo.Err and does not stop the
// others; Run itself fails only when ctx ends.
func Run(ctx context.Context, p *Plan) (*Outcome, error) {
	keep := p.Keep
	if len(p.Signals) > 0 {
		keep = KeepAll
	}
	out := &Outcome{Repos: make([]*Repo, len(p.Targets))}
	var wg sync.WaitGroup
	for i, t := range p.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out.Repos[i] = readRepo(ctx, p, t, keep)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(p.Signals) > 0 {
		out.Rankings = rank(ctx, p, out.Repos)
	}
	if !p.KeepHistory {
		for _, r := range out.Repos {
			r.all, r.tree, r.defs, r.contents = nil, nil, nil, nil
		}
	}
	return out, nil
}

// Rerank ranks p's signals again against what Run kept (Plan.KeepHistory),
// with p's weights as they are now, without reading the sources again: the
// very ranking of Run, for tuning the weights.
func Rerank(ctx context.Context, p *Plan, out *Outcome) []suspect.Result {
	return rank(ctx, p, out.Repos)
}

// readRepo streams one repository's window.
func readRepo(ctx context.Context, p *Plan, t Target, keep Keep) *Repo {
	r := &Repo{Target: t, Window: p.Window(t)}
	ref := t.Ref
	if ref == "" {
		d, err := t.Source.DefaultRef(ctx)
		if err != nil {
			r.Err = err
			return r
		}
		ref = d
	}
	r.Ref = ref
	opts := source.Options{
		Merges:    p.IncludeMerges || len(p.Signals) > 0,
		CountOnly: keep != KeepAll,
	}
	if p.Progress != nil {
		total := 0
		opts.OnTotal = func(n int) {
			p.Progress.AddTotal(n - total)
			total = n
		}
	}
	var mu sync.Mutex
	rctx := ctx
	if t.Budget > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeoutCause(ctx, t.Budget, ErrBudget)
		defer cancel()
	}
	read := 0
	sum, err := t.Source.History(rctx, ref, r.Window, opts, func(it source.Item) error {
		read++
		c := count(it, keep)
		mu.Lock()
		if len(p.Signals) > 0 {
			r.all = append(r.all, c)
		}
		if p.IncludeMerges || !it.Commit.IsMerge() {
			if keep != KeepAll {
				c.Commit.Message = it.Commit.Summary()
			}
			r.Commits = append(r.Commits, c)
		}
		mu.Unlock()
		if p.Progress != nil {
			p.Progress.Inc()
		}
		return nil
	})
	if err != nil {
		if ctx.Err() == nil && errors.Is(context.Cause(rctx), ErrBudget) {
			err = fmt.Errorf("gave up on %s after %s (bitbucket.repo_budget), %d commits read: %w", t.Source.Repo(), t.Budget, read, ErrBudget)
		}
		r.Err = err
		r.Commits, r.all = nil, nil
		return r
	}
	r.Summary = sum
	sort.Slice(r.Commits, func(i, j int) bool { return r.Commits[i].seq < r.Commits[j].seq })
	if len(p.Signals) > 0 && sum.Head != "" {
		if fs, ok := t.Source.(source.Files); ok {
			// The tree lets frames map to files no commit touched; without
			// it mapping falls back to touched paths.
			tree, err := fs.Tree(ctx, sum.Head)
			switch {
			case err == nil:
				r.tree = tree
			case !errors.Is(err, source.ErrTreeTooLarge):
				r.incomplete("listing the repository's files", err)
			}
		}
	}
	return r
}

// incomplete records that a read ranking needed failed (what names it),
// once per kind of read. The context's end is not recorded: Run reports it.
func (r *Repo) incomplete(what string, err error) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	for _, e := range r.Incomplete {
		if strings.HasPrefix(e.Error(), what+": ") {
			return
		}
	}
	r.Incomplete = append(r.Incomplete, fmt.Errorf("%s: %w", what, err))
}

// maxSameNamed is the most files sharing a frame's name that are read to
// find the one defining its function; more say too little.
const maxSameNamed = 8

// definitionCandidates lists, for a source that cannot search the code,
// the files of r to read for the definitions of the frames' functions:
// first the few that share the name of a named frame's file, then, when
// some frame names only a function, the files of the tree the window's
// commits touched, the most touched first. A function defined elsewhere
// gives those frames no evidence anyway.
func definitionCandidates(r *Repo, named []signal.Frame, bare bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range suspect.BestMatches(r.tree, named) {
		if len(list) > 1 && len(list) <= maxSameNamed {
			for _, p := range list {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	if !bare {
		return out
	}
	inTree := make(map[string]bool, len(r.tree))
	for _, p := range r.tree {
		inTree[p] = true
	}
	touches := touchCounts(r)
	touched := make([]string, 0, len(touches))
	for p := range touches {
		if inTree[p] && !seen[p] {
			touched = append(touched, p)
		}
	}
	sort.Slice(touched, func(i, j int) bool {
		if touches[touched[i]] != touches[touched[j]] {
			return touches[touched[i]] > touches[touched[j]]
		}
		return touched[i] < touched[j]
	})
	return append(out, touched...)
}

// maxProbes caps the paths probeFrames asks about for one analysis (one
// request each, cached by commit), and maxProbeDepth the components of a
// frame's path it tries.
const (
	maxProbes     = 64
	maxProbeDepth = 8
)

// suffixes lists the repository paths a frame's file may be, longest
// first: the last components of its path as mapping reads it
// (suspect.FrameComponents), up to maxProbeDepth of them.
func suffixes(f signal.Frame) []string {
	comps := suspect.FrameComponents(f)
	out := make([]string, 0, min(len(comps), maxProbeDepth))
	for i := max(0, len(comps)-maxProbeDepth); i < len(comps); i++ {
		out = append(out, strings.Join(comps[i:], "/"))
	}
	return out
}

// probeFrames finds where the frames' files are in a tree too large to
// list: for each file, its longest path suffix that exists at head, asked
// about in rounds (every file's longest untried suffix at once), maxProbes
// paths in all. A file one of whose suffixes is a known path (touched by
// the window) maps there without asking.
func probeFrames(ctx context.Context, pr source.Prober, head string, frames []signal.Frame, known map[string]int) ([]string, error) {
	var wants [][]string
	seen := map[string]bool{}
	for _, f := range frames {
		cands := suffixes(f)
		if len(cands) == 0 || seen[cands[0]] {
			continue
		}
		seen[cands[0]] = true
		if len(cands) > 0 && !slices.ContainsFunc(cands, func(c string) bool { return known[c] > 0 }) {
			wants = append(wants, cands)
		}
	}
	found := []string{}
	asked, exists := map[string]bool{}, map[string]bool{}
	budget := maxProbes
	for round := 0; budget > 0; round++ {
		var batch []string
		for _, cands := range wants {
			if round >= len(cands) || slices.ContainsFunc(cands[:round], func(c string) bool { return exists[c] }) {
				continue // found already, at a longer suffix
			}
			if c := cands[round]; !asked[c] && len(batch) < budget {
				asked[c] = true
				batch = append(batch, c)
			}
		}
		if len(batch) == 0 {
			if slices.ContainsFunc(wants, func(cands []string) bool { return round < len(cands) }) {
				continue // this round's suffixes were all asked before
			}
			break
		}
		budget -= len(batch)
		got, err := pr.Probe(ctx, head, batch)
		for _, p := range got {
			exists[p] = true
		}
		found = append(found, got...)
		if err != nil {
			return found, err // what was found stands; a rate limit holds for the rest
		}
	}
	return found, nil
}

// touchCounts counts, for each path the window's commits of r changed, the
// commits that changed it.
func touchCounts(r *Repo) map[string]int {
	out := map[string]int{}
	for _, c := range r.all {
		if c.Change != nil {
			for _, f := range c.Change.Files {
				out[f.Path]++
			}
		}
	}
	return out
}

// count counts one item and keeps what keep asks for.
func count(it source.Item, keep Keep) Commit {
	c := Commit{Commit: it.Commit, Fallback: it.Change.Fallback, seq: it.Seq}
	c.Files, c.Added, c.Removed = it.Change.Counts()
	switch keep {
	case KeepAll:
		c.Change = it.Change
	case KeepFiles:
		ch := &history.Change{Hash: it.Change.Hash, Fallback: it.Change.Fallback, Files: it.Change.Files}
		for i := range ch.Files {
			if len(ch.Files[i].Hunks) > 0 {
				ch.Files = append(ch.Files[:0:0], ch.Files...)
				for k := range ch.Files {
					ch.Files[k].Hunks = nil
				}
				break
			}
		}
		c.Change = ch
	}
	return c
}

// rank ranks every signal against the windows of all repositories, with
// the contents of the frames' files where the source can read them.
func rank(ctx context.Context, p *Plan, repos []*Repo) []suspect.Result {
	// Frames that name only a function (kernel call traces) are mapped
	// through where the function is defined.
	// So are frames whose file name several files of the trees share
	// (Valgrind gives base names): among equally good matches, the file
	// defining the function wins.
	var bases map[string]int // counted once, when a frame names a file
	shared := func(file string) bool {
		if bases == nil {
			bases = map[string]int{}
			for _, r := range repos {
				for _, t := range r.tree {
					bases[path.Base(t)]++
				}
			}
		}
		return bases[path.Base(strings.ReplaceAll(file, "\\", "/"))] > 1
	}
	// A signal none of whose frames with a file is in-app has those frames
	// stand in for its in-app ones when ranking, and one with no in-app
	// frame at all its frames of an installed program; their functions
	// are looked up too.
	var idents []string
	var named []signal.Frame      // frames with a file name several files share
	bare := false                 // and frames that name only a function
	var fileFrames []signal.Frame // the frames naming a file
	for _, s := range p.Signals {
		standIn := suspect.NoFileFrameInApp(s.Frames)
		installed := suspect.NoFrameInApp(s.Frames)
		for _, f := range s.Frames {
			if !f.InApp && !(standIn && f.File != "") && !(installed && signal.InstalledFunctionFrame(f)) {
				continue
			}
			if f.File != "" {
				fileFrames = append(fileFrames, f)
			}
			if f.File == "" || shared(f.File) {
				if id := suspect.FunctionName(f.Function); id != "" {
					idents = append(idents, id)
					if f.File != "" {
						named = append(named, f)
					} else {
						bare = true
					}
				}
			}
		}
	}
	var hist []suspect.RepoHistory
	for _, r := range repos {
		if r.Err != nil {
			continue
		}
		h := suspect.RepoHistory{Repo: r.Source.Repo(), Tree: r.tree}
		if r.Summary != nil {
			h.Head = r.Summary.Head
		}
		if pr, ok := r.Source.(source.Prober); ok && r.tree == nil && r.found == nil && h.Head != "" && len(fileFrames) > 0 {
			// A tree too large to list: the frames' files are looked for
			// where their paths say.
			found, err := probeFrames(ctx, pr, h.Head, fileFrames, touchCounts(r))
			r.found = found
			r.incomplete("looking up the frames' files", err)
		}
		if r.tree == nil {
			h.Tree = r.found
		}
		if d, ok := r.Source.(source.Definer); ok && len(idents) > 0 && h.Head != "" && r.defs == nil {
			defs, err := d.Definitions(ctx, h.Head, idents)
			r.defs = defs
			r.incomplete("finding where the frames' functions are defined", err)
		} else if d, ok := r.Source.(source.FileDefiner); ok && len(idents) > 0 && h.Head != "" && r.defs == nil && r.tree != nil {
			// Without code search, files are read to see which define the
			// frames' functions.
			defs, err := d.DefinitionsIn(ctx, h.Head, idents, definitionCandidates(r, named, bare))
			r.defs = defs
			r.incomplete("finding where the frames' functions are defined", err)
		}
		h.Definitions = r.defs
		for _, c := range r.all {
			if c.Change == nil {
				continue
			}
			h.Commits = append(h.Commits, suspect.Candidate{Repo: h.Repo, Commit: c.Commit, Change: c.Change})
		}
		hist = append(hist, h)
	}
	idx := suspect.NewIndex(hist, suspect.Options{Top: p.Top, At: p.At, Mappings: p.Mappings, Weights: p.Weights})
	files := map[string]source.FileReader{}
	kept := map[string]*Repo{}
	for _, r := range repos {
		if fs, ok := r.Source.(source.FileReader); ok && r.Err == nil {
			files[r.Source.Repo()] = fs
			kept[r.Source.Repo()] = r
		}
	}
	out := make([]suspect.Result, len(p.Signals))
	for i, s := range p.Signals {
		// One read per repository and version.
		type at struct{ repo, rev string }
		byRev := map[at][]string{}
		var order []at
		contents := map[suspect.FileRef][]byte{}
		for _, ref := range idx.Needs(s) {
			k := at{ref.Repo, ref.Rev}
			if files[ref.Repo] == nil {
				continue
			}
			if data, ok := kept[ref.Repo].contents[ref]; ok {
				contents[ref] = data
				continue
			}
			if _, ok := byRev[k]; !ok {
				order = append(order, k)
			}
			byRev[k] = append(byRev[k], ref.Path)
		}
		for _, k := range order {
			got, err := files[k.repo].ReadFiles(ctx, k.rev, byRev[k])
			r := kept[k.repo]
			// Without the files it could not read, ranking blames from the
			// failing version.
			r.incomplete("reading the frames' files", err)
			if r.contents == nil {
				r.contents = map[suspect.FileRef][]byte{}
			}
			for p, data := range got {
				ref := suspect.FileRef{Repo: k.repo, Rev: k.rev, Path: p}
				contents[ref] = data
				r.contents[ref] = data
			}
		}
		out[i] = idx.RankWith(s, contents)
	}
	return out
}
