package analyze

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/analysis"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
)

// sentryIssue is one --sentry-issue: the pulled event, its signals, and
// where and at which commit to analyze them.
type sentryIssue struct {
	arg    string
	pulled *sentry.Pulled
	// signals are the event's signals (one, usually).
	signals []signal.Signal
	// target is the repository the issue's project maps to, at the
	// release's commit when one is known (Ref), else at the default ref.
	target    analysis.Target
	hasTarget bool
	// release is true when target.Ref is the crashing release's commit.
	release bool
	// note says which release and ref were used, or why not.
	note string
	err  error
	// index is where the issue's signals start among the report's.
	index int
	// file is set for a Sentry event read from a --signal file: it is
	// analyzed at its release when the release names a commit, and never
	// fails the run.
	file bool
	// same is set when the release's commit is the one the main analysis
	// read, at the same time: its ranking there stands.
	same bool
}

// eventRelease is a --signal file that holds a Sentry event naming a
// release, as a sentryIssue to analyze at the release's commit; nil for
// every other signal file.
func eventRelease(name string, data []byte, sigs []signal.Signal) *sentryIssue {
	trimmed := bytes.TrimSpace(data)
	if len(sigs) == 0 || len(trimmed) == 0 || trimmed[0] != '{' {
		return nil
	}
	p, err := sentry.FromEvent(trimmed)
	if err != nil || p.Release == "" {
		return nil
	}
	return &sentryIssue{arg: name, pulled: p, signals: sigs, file: true}
}

// checkSentryIssues refuses, before any work, a --sentry-issue that names
// no issue (not a URL or id, or an id without an organization) and a
// --sentry-event that names no event or comes without an issue: usage
// errors, as a malformed flag is. The configuration being unreadable is left
// to the run, which reports it per issue.
func checkSentryIssues(o *Options) error {
	if o.SentryEvent != "" {
		if len(o.SentryIssues) == 0 {
			return cmdutil.UsageErrorf("--sentry-event picks an event of a --sentry-issue: give the issue too")
		}
		if _, err := sentry.NormalizeEventID(o.SentryEvent); err != nil {
			return cmdutil.UsageErrorf("--sentry-event: %v", err)
		}
	}
	if len(o.SentryIssues) == 0 {
		return nil
	}
	base, org, err := o.Factory.SentryDefaults()
	if err != nil {
		return nil
	}
	for _, arg := range o.SentryIssues {
		ref, err := sentry.ParseIssueRef(arg, org)
		if err == nil {
			_, err = ref.BaseFor(base)
		}
		if err != nil {
			return cmdutil.UsageErrorf("--sentry-issue: %v", err)
		}
	}
	return nil
}

// pullSentry reads every --sentry-issue. A failing issue is kept with its
// error; the others go on.
func pullSentry(ctx context.Context, o *Options) []*sentryIssue {
	if len(o.SentryIssues) == 0 {
		return nil
	}
	f := o.Factory
	base, org, derr := f.SentryDefaults()
	out := make([]*sentryIssue, 0, len(o.SentryIssues))
	for _, arg := range o.SentryIssues {
		si := &sentryIssue{arg: arg}
		out = append(out, si)
		if derr != nil {
			si.err = derr
			continue
		}
		ref, err := sentry.ParseIssueRef(arg, org)
		if err != nil {
			si.err = cmdutil.UsageErrorf("reading --sentry-issue %q: %v", arg, err)
			continue
		}
		url, err := ref.BaseFor(base)
		if err != nil {
			si.err = cmdutil.UsageErrorf("reading --sentry-issue %q: %v", arg, err)
			continue
		}
		client, err := f.Sentry(url)
		if err != nil {
			si.err = err
			continue
		}
		p, err := sentry.Pull(ctx, client, ref, o.SentryEvent)
		if err != nil {
			si.err = fmt.Errorf("reading Sentry issue %s: %w", ref, err)
			continue
		}
		si.pulled = p
		name := "sentry:" + p.Org + "/"
		if p.ShortID != "" {
			name += p.ShortID
		} else {
			name += p.IssueID
		}
		sigs, err := signal.Parse(name, p.Event)
		if err != nil {
			si.err = fmt.Errorf("reading the event %s of Sentry issue %s: %w", p.EventID, ref, err)
			continue
		}
		for i := range sigs {
			if sigs[i].Timestamp == nil && !p.EventTime.IsZero() {
				t := p.EventTime
				sigs[i].Timestamp = &t
			}
		}
		si.signals = sigs
	}
	return out
}

// placeSentry decides, for each pulled issue, which repository to analyze
// and at which commit: the repository its Sentry project maps to (or the
// only one analyzed), at the commit of the release the event names.
func placeSentry(ctx context.Context, o *Options, cfg *config.Config, plan *analysis.Plan, issues []*sentryIssue) {
	for _, si := range issues {
		if si.err != nil {
			continue
		}
		p := si.pulled
		t, err := sentryTarget(o, cfg, plan, p.ProjectSlug)
		if err != nil {
			if si.file {
				// A saved event is analyzed in every repository, as any
				// signal file is; only its release cannot be placed.
				si.note = fmt.Sprintf("release %s: the event's project maps to none of the %d repositories analyzed, so each was analyzed at its default ref (map it under sentry.projects in config.yaml, or name one with --repo)",
					p.Release, len(plan.Targets))
				continue
			}
			si.err = err
			continue
		}
		si.target, si.hasTarget = t, true
		commit, why := releaseCommit(p, t.Source.Repo())
		if l, ok := t.Source.(*source.Local); ok && commit == "" && p.CommitSource == sentry.SourceReleaseCommits {
			// A clone has no Sentry repository name to compare with: of
			// a release of several repositories, take the head commit of
			// the one the clone holds.
			if c := cloneHead(ctx, l, p); c != "" {
				commit = c
			}
		}
		if si.file && p.CommitSource == sentry.SourceLastCommit && p.CommitRepository != "" &&
			t.Source.Kind() != "local" && !strings.EqualFold(p.CommitRepository, t.Source.Repo()) {
			// A release of several repositories: its last commit may be
			// another one's (a clone is checked by resolving the commit).
			commit, why = "", fmt.Sprintf("its last commit %s is of %s", short(p.Commit), p.CommitRepository)
		}
		switch {
		case p.Release == "":
			si.note = "the event names no release: analyzed " + refName(o.Ref, t) + " instead"
			continue
		case commit == "":
			si.note = fmt.Sprintf("release %s: %s; analyzed %s instead", p.Release, why, refName(o.Ref, t))
			continue
		}
		if l, ok := t.Source.(*source.Local); ok {
			full, err := l.Resolve(ctx, commit)
			if err != nil {
				si.note = fmt.Sprintf("release %s names commit %s, which %s does not have; analyzed %s instead", p.Release, short(commit), t.Source.Repo(), refName(o.Ref, t))
				continue
			}
			commit = full
			if si.file {
				main := t.Ref
				if main == "" {
					main = "HEAD"
				}
				if at, err := l.Resolve(ctx, main); err == nil && at == full {
					si.same = true
				}
			}
		}
		si.target.Ref = commit
		si.release = true
		si.note = fmt.Sprintf("release %s: analyzed at its commit %s (%s)", p.Release, short(commit), p.CommitSource)
	}
}

// sentryTarget is the analysis target for a Sentry project.
func sentryTarget(o *Options, cfg *config.Config, plan *analysis.Plan, project string) (analysis.Target, error) {
	if o.Local != "" {
		return plan.Targets[0], nil
	}
	if repo, ok := cfg.SentryRepo(project); ok {
		for _, t := range plan.Targets {
			if strings.EqualFold(t.Source.Repo(), repo) {
				return t, nil
			}
		}
		return analysis.Target{}, fmt.Errorf("the Sentry project %q maps to %s (sentry.projects), which is not being analyzed: register it with `sigsentry repos add %s` or name it with --repo", project, repo, repo)
	}
	if len(plan.Targets) == 1 {
		return plan.Targets[0], nil
	}
	return analysis.Target{}, &cmdutil.ExitError{Code: cmdutil.ExitUsage,
		Err:  fmt.Errorf("the Sentry project %q maps to no repository, and %d are analyzed", project, len(plan.Targets)),
		Hint: fmt.Sprintf("map it in config.yaml:\n  sentry:\n    projects:\n      %s: workspace/repo-slug\nor analyze one repository with --repo", project)}
}

// releaseCommit is the commit of p's release in repo, or "" and why not.
func releaseCommit(p *sentry.Pulled, repo string) (string, string) {
	if p.CommitSource == sentry.SourceVersionHash {
		return p.Commit, ""
	}
	if c := p.HeadCommit(repo); c != "" {
		return c, ""
	}
	if p.Commit != "" {
		single := true
		for _, c := range p.Commits {
			if !strings.EqualFold(c.Repository, p.CommitRepository) {
				single = false
			}
		}
		if single {
			return p.Commit, "" // one repository, under Sentry's own name for it
		}
		return "", fmt.Sprintf("its commits are for other repositories than %s", repo)
	}
	if p.CommitNote != "" {
		return "", p.CommitNote
	}
	if p.ReleaseErr != nil {
		return "", p.ReleaseErr.Error()
	}
	return "", "Sentry knows no commit for it"
}

// cloneHead is, of the head commits of the repositories p's release spans
// (Sentry lists a release's commits newest first), the one clone l has;
// "" when it has none of them.
func cloneHead(ctx context.Context, l *source.Local, p *sentry.Pulled) string {
	seen := map[string]bool{}
	for _, c := range p.Commits {
		repo := strings.ToLower(c.Repository)
		if seen[repo] || c.ID == "" {
			continue
		}
		seen[repo] = true
		if _, err := l.Resolve(ctx, c.ID); err == nil {
			return c.ID
		}
	}
	return ""
}

// refName says what the default ref of t is, for notes.
func refName(ref string, t analysis.Target) string {
	if ref != "" {
		return ref
	}
	if t.Source.Kind() == "local" {
		return "HEAD"
	}
	return "the main branch"
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// sentryGroup is the analysis of one issue at its release.
type sentryGroup struct {
	issue *sentryIssue
	plan  *analysis.Plan
	out   *analysis.Outcome
}

// runReleases analyzes each issue whose release commit is known at that
// commit, with the window ending at the event's time. When that fails
// (the commit is unknown to the repository), the issue keeps the ranking
// of the default analysis and its note says why.
func runReleases(ctx context.Context, o *Options, plan *analysis.Plan, issues []*sentryIssue) ([]*sentryGroup, error) {
	var groups []*sentryGroup
	for _, si := range issues {
		if si.err != nil || !si.release || si.same {
			continue
		}
		at := plan.At
		if si.pulled != nil && !si.pulled.EventTime.IsZero() && !si.file {
			// A pulled issue's window ends at its event; a saved event's
			// at --at (or now), as every signal file's does.
			at = si.pulled.EventTime
		}
		gp := &analysis.Plan{
			Targets:  []analysis.Target{si.target},
			At:       at,
			Signals:  si.signals,
			Top:      plan.Top,
			Mappings: plan.Mappings,
			Keep:     plan.Keep,
		}
		out, err := analysis.Run(ctx, gp)
		if err != nil {
			return nil, err
		}
		if rerr := out.Repos[0].Err; rerr != nil {
			si.release = false
			si.note = fmt.Sprintf("release %s: reading %s at %s failed (%v); analyzed %s instead", si.pulled.Release,
				si.target.Source.Repo(), short(si.target.Ref), rerr, refName(o.Ref, si.target))
			continue
		}
		groups = append(groups, &sentryGroup{issue: si, plan: gp, out: out})
	}
	return groups, nil
}

// sentryReport is what a Sentry signal's report says of where it came from.
func sentryReport(si *sentryIssue) *SentryReport {
	r := &SentryReport{Input: si.arg, Note: si.note, file: si.file}
	if p := si.pulled; p != nil {
		r.Org, r.Issue, r.ShortID, r.Project = p.Org, p.IssueID, p.ShortID, p.ProjectSlug
		r.Event, r.Release, r.CommitSource = p.EventID, p.Release, string(p.CommitSource)
		if !p.EventTime.IsZero() {
			t := p.EventTime.UTC()
			r.EventTime = &t
		}
	}
	if si.hasTarget {
		r.Repo = si.target.Source.Repo()
		if si.release {
			r.Ref = si.target.Ref
		}
	}
	return r
}

// SentryReport says where a signal pulled from Sentry came from and at
// which commit it was analyzed.
type SentryReport struct {
	// Input is the --sentry-issue argument, or the --signal file of a
	// saved event.
	Input     string     `json:"input"`
	Org       string     `json:"org,omitempty"`
	Issue     string     `json:"issue,omitempty"`
	ShortID   string     `json:"short_id,omitempty"`
	Project   string     `json:"project,omitempty"`
	Event     string     `json:"event,omitempty"`
	EventTime *time.Time `json:"event_time,omitempty"`
	Release   string     `json:"release,omitempty"`
	// CommitSource is how the release's commit was found: version-hash,
	// release-commits, release-last-commit (a saved event's release
	// object) or none.
	CommitSource string `json:"commit_source,omitempty"`
	// Repo and Ref are the repository and commit analyzed; Ref is empty
	// when the release's commit was not used (Note says why).
	Repo string `json:"repo,omitempty"`
	Ref  string `json:"ref,omitempty"`
	Note string `json:"note,omitempty"`
	// file is set for an event read from a --signal file.
	file bool
}

// sentryErr classifies the errors of failed issues for the exit code.
func sentryErr(issues []*sentryIssue) (failed int, first error) {
	for _, si := range issues {
		if si.err != nil {
			failed++
			if first == nil {
				first = si.err
			}
		}
	}
	return failed, first
}

// issueHint is what to do about the failure of a Sentry issue read next to
// other signals: the hint it would have had alone (a token to create or
// store, the scope a 403 lacks, how long a rate limit was waited).
func issueHint(err error) string {
	var ee *cmdutil.ExitError
	if errors.As(err, &ee) && ee.Hint != "" {
		return ee.Hint
	}
	var api *sentry.APIError
	if errors.As(err, &api) {
		return api.Hint()
	}
	return ""
}

var errNoSignalsLeft = errors.New("no signal could be read")
