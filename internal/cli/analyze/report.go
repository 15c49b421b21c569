package analyze

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/analysis"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

// Report is the `analyze -o json` document (see docs: the CLI contract).
type Report struct {
	Window  WindowReport   `json:"window"`
	Repos   []RepoReport   `json:"repos"`
	Commits []CommitReport `json:"commits"`
	Signals []SignalReport `json:"signals"`
	// Notes are caveats also printed on stderr (e.g. counts that came from
	// Bitbucket's diffstat because a diff was too large).
	Notes []string `json:"notes"`
	// fallbacks counts the report's commits (each once, those read at a
	// Sentry issue's release too) by how they were counted, for the notes
	// and the exit status.
	fallbacks [nFallbacks]int
	// incomplete is the first read ranking needed that failed (see
	// addIncomplete); the run then exits 3.
	incomplete error
}

// WindowReport is the time window. With per-repository lookbacks it spans
// the widest one; each repository carries its own since/lookback_days.
type WindowReport struct {
	Since        time.Time `json:"since"`
	Until        time.Time `json:"until"`
	LookbackDays int       `json:"lookback_days"`
}

// RepoReport is one repository's summary.
type RepoReport struct {
	Repo         string `json:"repo"`
	Source       string `json:"source"`
	Ref          string `json:"ref"`
	Commits      int    `json:"commits"`
	FilesChanged int    `json:"files_changed"`
	LinesAdded   int    `json:"lines_added"`
	LinesRemoved int    `json:"lines_removed"`
	// Since and LookbackDays are this repository's window start.
	Since        time.Time `json:"since"`
	LookbackDays int       `json:"lookback_days"`
	// DiffstatFallbacks counts commits whose counts came from Bitbucket's
	// diffstat because the diff was too large.
	DiffstatFallbacks int `json:"diffstat_fallbacks"`
	// Uncounted counts commits Bitbucket could produce neither the diff
	// nor the diffstat of, or whose change a local clone could not give
	// (an object is missing); they show 0 files, and the run exits 3.
	Uncounted int `json:"uncounted_commits"`
	// ShallowEdge counts commits at the edge of a shallow clone: their
	// parents are not in the clone, so they show 0 files, and the window
	// may lack older commits (the run exits 3).
	ShallowEdge int `json:"shallow_edge_commits"`
	// Head is the commit that was the ref's tip at the window's end.
	Head string `json:"head,omitempty"`
	// Signal names the --sentry-issue this repository was analyzed for at
	// its release (empty for the main analysis).
	Signal string     `json:"signal,omitempty"`
	Error  *RepoError `json:"error"`
}

// RepoError says why a repository could not be analyzed.
type RepoError struct {
	// Status is the HTTP status, or 0 when the failure was not an HTTP answer.
	Status  int    `json:"status"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// CommitReport is one commit with its per-file counts.
type CommitReport struct {
	Repo string `json:"repo"`
	Hash string `json:"hash"`
	// Date is the author date when known (Bitbucket's commit date
	// otherwise); Landed is when the commit reached the ref, which is
	// what the window is about.
	Date         time.Time    `json:"date"`
	Landed       time.Time    `json:"landed"`
	Author       string       `json:"author"`
	Summary      string       `json:"summary"`
	Parents      []string     `json:"parents"`
	FilesChanged int          `json:"files_changed"`
	LinesAdded   int          `json:"lines_added"`
	LinesRemoved int          `json:"lines_removed"`
	Fallback     string       `json:"fallback,omitempty"`
	Files        []FileReport `json:"files"`
}

// FileReport is one file entry of a commit's diff.
type FileReport struct {
	Path         string `json:"path"`
	OldPath      string `json:"old_path"`
	Status       string `json:"status"`
	Binary       bool   `json:"binary"`
	LinesAdded   int    `json:"lines_added"`
	LinesRemoved int    `json:"lines_removed"`
}

// SignalReport is one signal with its frames and suspects.
type SignalReport struct {
	Source    string        `json:"source"`
	Format    string        `json:"format"`
	Title     string        `json:"title"`
	Timestamp *time.Time    `json:"timestamp"`
	Frames    []FrameReport `json:"frames"`
	// Stacks names the stacks of a native report (the crash stack first),
	// as Frames' stack field numbers them.
	Stacks    []string        `json:"stacks,omitempty"`
	Abstained bool            `json:"abstained"`
	Reason    string          `json:"reason"`
	Suspects  []SuspectReport `json:"suspects"`
	// Unmapped counts in-app frames that matched no repository path.
	Unmapped int `json:"unmapped_frames"`
	// Sentry says where a signal pulled with --sentry-issue came from and
	// at which commit it was analyzed.
	Sentry *SentryReport `json:"sentry,omitempty"`
	// Error is why the signal could not be read (a Sentry issue).
	Error string `json:"error,omitempty"`
	// Hint is what to do about Error, when something can be done.
	Hint string `json:"hint,omitempty"`
	// Notes are caveats about the signal (unsymbolicated frames) and its
	// ranking (an older build inferred from the frames).
	Notes []string `json:"notes,omitempty"`
}

// FrameReport is one frame and the repository path it was mapped to.
type FrameReport struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Function string `json:"function"`
	InApp    bool   `json:"in_app"`
	Repo     string `json:"repo,omitempty"`
	Path     string `json:"path"`
	// Stack is the report stack the frame belongs to (0: the crash stack;
	// see SignalReport.Stacks).
	Stack int `json:"stack,omitempty"`
}

// SuspectReport is one ranked commit.
type SuspectReport struct {
	Rank     int              `json:"rank"`
	Repo     string           `json:"repo"`
	Hash     string           `json:"hash"`
	Score    float64          `json:"score"`
	Summary  string           `json:"summary"`
	Author   string           `json:"author"`
	Date     time.Time        `json:"date"`
	Evidence []EvidenceReport `json:"evidence"`
}

// EvidenceReport is one reason a commit is suspected.
type EvidenceReport struct {
	// Kind is one of the contract's kinds: line, function, proximity,
	// file, text, recency.
	Kind string `json:"kind"`
	// Rule is the rule that found it, finer than Kind: callee and caller
	// are kinds of function evidence, directory of file evidence, fixed
	// (a later commit names this one as a cause) of text evidence; the
	// other rules are their kind.
	Rule   string `json:"rule"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Hunk   string `json:"hunk,omitempty"`
	Detail string `json:"detail"`
}

// contractKind is the kind of the command-line contract that an evidence
// rule belongs to: scripts written against the contract's six kinds keep
// working as rules are added.
func contractKind(rule string) string {
	switch rule {
	case suspect.KindCallee, suspect.KindCaller:
		return suspect.KindFunction
	case suspect.KindDir:
		return suspect.KindFile
	case suspect.KindFixed:
		return suspect.KindText
	}
	return rule
}

// buildReport turns the outcome into the report.
func buildReport(o *Options, plan *analysis.Plan, out *analysis.Outcome) *Report {
	rep := &Report{
		Window:  WindowReport{Until: o.At.UTC()},
		Repos:   []RepoReport{},
		Commits: []CommitReport{},
		Signals: []SignalReport{},
		Notes:   []string{},
	}
	for _, r := range out.Repos {
		rr := repoReport(r)
		if rep.Window.Since.IsZero() || r.Window.Since.Before(rep.Window.Since) {
			rep.Window.Since = r.Window.Since.UTC()
		}
		if r.LookbackDays > rep.Window.LookbackDays {
			rep.Window.LookbackDays = r.LookbackDays
		}
		if r.Err != nil {
			rr.Error = repoError(r.Err)
			rep.Repos = append(rep.Repos, rr)
			continue
		}
		for i, c := range r.Commits {
			cr := commitReport(c)
			r.Commits[i] = analysis.Commit{} // reported: drop it
			rr.count(cr)
			rep.Commits = append(rep.Commits, cr)
		}
		rep.Repos = append(rep.Repos, rr)
		rep.addIncomplete(r)
	}
	for i, s := range plan.Signals {
		sr := signalReport(s, out.Rankings[i])
		rep.Signals = append(rep.Signals, sr)
		for _, n := range sr.Notes {
			rep.Notes = append(rep.Notes, s.Source+": "+n)
		}
		if n := oldSignalNote(s, out.Rankings[i], rep.Window); n != "" {
			rep.Notes = append(rep.Notes, s.Source+": "+n)
		}
	}
	return rep
}

// oldSignalNote says how to analyze a signal that happened before the
// window began: only commits that had landed by then can be suspects, so
// such a window has none for it.
func oldSignalNote(s signal.Signal, res suspect.Result, w WindowReport) string {
	if (res.Reason != suspect.ReasonEmptyWindow && res.Reason != suspect.ReasonNoCandidates) || s.Timestamp == nil || w.Since.IsZero() || !s.Timestamp.Before(w.Since) {
		return ""
	}
	return fmt.Sprintf("it happened at %s, before the window began (%s): analyze it with --at %s",
		s.Timestamp.UTC().Format(time.RFC3339), w.Since.Format(time.RFC3339), s.Timestamp.UTC().Format(time.RFC3339))
}

// addIncomplete notes the reads ranking needed from r that failed (a rate
// limit, a server fault): the suspects stand, but had less to go on, and
// the run exits 3.
func (rep *Report) addIncomplete(r *analysis.Repo) {
	for _, err := range r.Incomplete {
		n := fmt.Sprintf("%s: ranking had less to go on: %v", r.Source.Repo(), err)
		var api *bitbucket.APIError
		if errors.As(err, &api) && api.Hint() != "" {
			n += " (" + api.Hint() + ")"
		}
		rep.Notes = append(rep.Notes, n)
		if rep.incomplete == nil {
			rep.incomplete = err
		}
	}
}

// addCacheNotes says when what was fetched from Bitbucket could not be
// cached (a full disk, a read-only folder): the run is whole, but a rerun
// fetches it all again, against the hourly limit.
func addCacheNotes(rep *Report, plan *analysis.Plan) {
	for _, t := range plan.Targets {
		bb, ok := t.Source.(*source.Bitbucket)
		if !ok || bb.Cache() == nil {
			continue
		}
		if st := bb.Cache().Stats(); st.WriteErrors > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: %d %s fetched from Bitbucket could not be cached in %s (%v): a rerun fetches %s again",
				t.Source.Repo(), st.WriteErrors, render.Plural(int(st.WriteErrors), "diff or file", "diffs and files"), bb.Cache().Dir(),
				st.FirstWriteError, render.Plural(int(st.WriteErrors), "it", "them")))
		}
	}
}

// How a commit was counted (see CommitReport.Fallback).
const (
	countedFully   = iota
	diffstatCounts // Bitbucket's diffstat (diff too large)
	cutDiff        // the diff came back cut short twice: the diffstat
	failedDiff     // the diff kept failing (a server error): the diffstat
	shallowEdge    // at a shallow clone's edge: not counted
	unreadable     // the local clone lacks an object: not counted
	bitbucketNone  // Bitbucket gave neither diff nor diffstat: not counted
	nFallbacks
)

func fallbackOf(cr CommitReport) int {
	switch f := cr.Fallback; {
	case f == "":
		return countedFully
	case f == source.FallbackNone:
		return bitbucketNone
	case strings.HasPrefix(f, source.FallbackUnreadable):
		return unreadable
	case f == source.FallbackShallow:
		return shallowEdge
	case strings.HasPrefix(f, source.FallbackCut):
		return cutDiff
	case strings.HasPrefix(f, source.FallbackFailed):
		return failedDiff
	default:
		return diffstatCounts
	}
}

// uncounted is how many of the report's commits could not be counted.
func (rep *Report) uncounted() int { return rep.fallbacks[unreadable] + rep.fallbacks[bitbucketNone] }

// count counts commit cr into rr's summary.
func (rr *RepoReport) count(cr CommitReport) {
	rr.Commits++
	rr.FilesChanged += cr.FilesChanged
	rr.LinesAdded += cr.LinesAdded
	rr.LinesRemoved += cr.LinesRemoved
	switch fallbackOf(cr) {
	case unreadable, bitbucketNone:
		rr.Uncounted++
	case shallowEdge:
		rr.ShallowEdge++
	case diffstatCounts, cutDiff, failedDiff:
		rr.DiffstatFallbacks++
	}
}

// addCountNotes puts, ahead of the other notes, what the report's commits
// (each once, those read at a Sentry issue's release too) say of how they
// were counted: from the diffstat, cut short, at a shallow clone's edge,
// unreadable in the local clone, or not at all.
func addCountNotes(rep *Report) {
	rep.fallbacks = [nFallbacks]int{}
	for _, cr := range rep.Commits {
		rep.fallbacks[fallbackOf(cr)]++
	}
	since := rep.Window.Since.AddDate(0, 0, -7).Format("2006-01-02")
	var notes []string
	for _, m := range []struct {
		kind   int
		format string // of the count and "commit(s)"
	}{
		{diffstatCounts, "counts for %d %s came from Bitbucket's diffstat (diff too large, HTTP 555): no hunks, so they can be suspects only by file"},
		{cutDiff, "the diffs of %d %s came back cut short twice (they disagreed with Bitbucket's diffstat): their counts come from the diffstat and were not cached; a rerun fetches them again"},
		{failedDiff, "the diffs of %d %s could not be read (Bitbucket kept answering an error, or something that is no diff; their fallback says which): their counts come from the diffstat, without hunks, and were not cached; a rerun fetches them again"},
		{shallowEdge, "%d %s at the edge of a shallow clone could not be counted (the clone does not hold the parents; 0 files shown), and older commits of the window may be missing: fetch history from before the window with `git fetch --shallow-since=" + since + "` (or `git fetch --unshallow`) and run again"},
		{unreadable, "%d %s could not be read from the local clone (git is missing an object their change needs; they show 0 files, and their fallback says which): `git fsck` lists what is missing, and fetching the repository again restores it"},
		{bitbucketNone, "%d %s could not be counted: Bitbucket answered HTTP 555 (too large) for both the diff and the diffstat; they show 0 files"},
	} {
		if n := rep.fallbacks[m.kind]; n > 0 {
			notes = append(notes, fmt.Sprintf(m.format, n, render.Plural(n, "commit", "commits")))
		}
	}
	if len(notes) > 0 {
		rep.Notes = append(notes, rep.Notes...)
	}
}

// repoReport is the summary line of one repository, before its commits
// are counted in.
func repoReport(r *analysis.Repo) RepoReport {
	rr := RepoReport{
		Repo:         r.Source.Repo(),
		Source:       r.Source.Kind(),
		Ref:          r.Ref,
		Since:        r.Window.Since.UTC(),
		LookbackDays: r.LookbackDays,
	}
	if r.Summary != nil {
		rr.Head = r.Summary.Head
	}
	return rr
}

func commitReport(c analysis.Commit) CommitReport {
	cr := CommitReport{
		Repo:         c.Commit.Repo,
		Hash:         c.Commit.Hash,
		Date:         c.Commit.Shown(),
		Landed:       c.Commit.Landed,
		Author:       c.Commit.Author,
		Summary:      c.Commit.Summary(),
		Parents:      c.Commit.Parents,
		FilesChanged: c.Files,
		LinesAdded:   c.Added,
		LinesRemoved: c.Removed,
		Fallback:     c.Fallback,
		Files:        []FileReport{},
	}
	if cr.Parents == nil {
		cr.Parents = []string{}
	}
	if c.Change == nil {
		return cr
	}
	for _, f := range c.Change.Files {
		fr := FileReport{
			Path: f.Path, OldPath: f.OldPath, Status: string(f.Status), Binary: f.Binary,
			LinesAdded: f.LinesAdded, LinesRemoved: f.LinesRemoved,
		}
		if fr.Binary {
			fr.LinesAdded, fr.LinesRemoved = 0, 0
		}
		cr.Files = append(cr.Files, fr)
	}
	return cr
}

// repoError describes a repository failure for the report.
func repoError(err error) *RepoError {
	var api *bitbucket.APIError
	if errors.As(err, &api) {
		msg := api.Message
		if msg == "" {
			msg = err.Error()
		}
		return &RepoError{Status: api.StatusCode, Message: msg, Hint: api.Hint()}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &RepoError{Message: "timed out: " + err.Error()}
	}
	return &RepoError{Message: err.Error()}
}

// signalReport turns one ranking into its report entry.
func signalReport(s signal.Signal, res suspect.Result) SignalReport {
	sr := SignalReport{
		Source:    s.Source,
		Format:    s.Format,
		Title:     s.Title,
		Timestamp: s.Timestamp,
		Frames:    []FrameReport{},
		Abstained: res.Abstained,
		Reason:    res.Reason,
		Suspects:  []SuspectReport{},
		Stacks:    s.Stacks,
	}
	if len(res.Frames) > 0 {
		for _, f := range res.Frames {
			sr.Frames = append(sr.Frames, FrameReport{
				File: f.File, Line: f.Line, Function: f.Function, InApp: f.InApp,
				Repo: f.Repo, Path: f.Path, Stack: f.Stack,
			})
			if f.InApp && f.Path == "" {
				sr.Unmapped++
			}
		}
	} else {
		for _, f := range s.Frames {
			sr.Frames = append(sr.Frames, FrameReport{File: f.File, Line: f.Line, Function: f.Function, InApp: f.InApp, Stack: f.Stack})
			if f.InApp {
				sr.Unmapped++
			}
		}
	}
	sus := append([]suspect.Suspect(nil), res.Suspects...)
	sort.SliceStable(sus, func(i, j int) bool { return sus[i].Rank < sus[j].Rank })
	for _, su := range sus {
		r := SuspectReport{
			Rank: su.Rank, Repo: su.Repo, Hash: su.Hash, Score: round3(su.Score),
			Summary: su.Commit.Summary(), Author: su.Commit.Author, Date: su.Commit.Shown(),
			Evidence: []EvidenceReport{},
		}
		for _, e := range su.Evidence {
			r.Evidence = append(r.Evidence, EvidenceReport{Kind: contractKind(e.Kind), Rule: e.Kind, File: e.File, Line: e.Line, Hunk: e.Hunk, Detail: e.Detail})
		}
		sr.Suspects = append(sr.Suspects, r)
	}
	sr.Notes = append(append([]string(nil), s.Notes...), res.Notes...)
	if sr.Abstained && sr.Reason == "" {
		sr.Reason = "no candidate commit has structural evidence"
	}
	return sr
}

func round3(f float64) float64 {
	return float64(int64(f*1000+0.5)) / 1000
}
