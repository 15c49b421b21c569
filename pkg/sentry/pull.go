package sentry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CommitSource says where Pulled.Commit came from.
type CommitSource string

// Where a release's commit can come from.
const (
	// SourceVersionHash: the release version holds a commit hash
	// (app@1.4.2+9f3c2a1, a bare sha); it may be abbreviated.
	SourceVersionHash CommitSource = "version-hash"
	// SourceReleaseCommits: Sentry's commits of the release; Commit is the
	// newest one listed.
	SourceReleaseCommits CommitSource = "release-commits"
	// SourceLastCommit: the release object of an event read from a file
	// names its last commit (release.lastCommit).
	SourceLastCommit CommitSource = "release-last-commit"
	// SourceNone: no commit is known; CommitNote says why.
	SourceNone CommitSource = "none"
)

// Pulled is an issue's event with what is known about the build that sent
// it.
type Pulled struct {
	// Org, IssueID, ShortID: the issue.
	Org, IssueID, ShortID string
	// ProjectSlug and ProjectID: the issue's project (map the slug to a
	// repository with sentry.projects).
	ProjectSlug, ProjectID string
	// Title is the issue's title (or the event's when the issue was not
	// looked up).
	Title string
	// EventID is the event read; Event its JSON exactly as Sentry sent it
	// (REST shape, for signal.Parse).
	EventID string
	Event   []byte
	// EventTime is the event's dateCreated (zero when missing).
	EventTime time.Time
	Platform  string
	// Release is the version the event names, or "".
	Release string
	// Commit is the commit the release was built from, or "" (see
	// CommitSource and CommitNote). From a version it may be abbreviated.
	Commit string
	// CommitRepository is Sentry's name of Commit's repository (release
	// commits only), e.g. acme/checkout-api.
	CommitRepository string
	// Commits are the release's commits, newest first, when they were read.
	Commits []Commit
	// CommitsTruncated is set when more commit pages existed than were read.
	CommitsTruncated bool
	// CommitSource says where Commit came from.
	CommitSource CommitSource
	// CommitNote says, for people, why there is no commit or what to check.
	CommitNote string
	// ReleaseErr is the error of reading the release's commits, when that
	// failed (the pull itself succeeded: the event is usable without them).
	ReleaseErr error
	// Requests is the number of API requests the pull made (pages
	// included, retries not).
	Requests int
}

// HeadCommit returns the newest commit of the release in the named
// repository (Sentry's name, compared without regard to case), or "". An
// empty repo means Commit.
func (p *Pulled) HeadCommit(repo string) string {
	if repo == "" {
		return p.Commit
	}
	for _, c := range p.Commits {
		if strings.EqualFold(c.Repository, repo) {
			return c.ID
		}
	}
	return ""
}

// Pull reads one event of an issue and the commit of the release it names,
// with as few requests as possible:
//
//   - a short id is resolved first (1 request: /shortids/, which also gives
//     the project slug);
//   - the event is read (1 request: /issues/{id}/events/{event}/); event ""
//     means the event the ref names, else recommended;
//   - only when neither the short id lookup, the URL nor the event gave the
//     project slug, the issue is read (1 request: /issues/{id}/); so there is
//     at most one issue or short-id lookup;
//   - only when the release version holds no commit hash, the release's
//     commits are listed (1 request a page, at most Options.MaxCommitPages).
//
// So an issue costs 2 requests, plus the commit pages of a release without
// a hash in its version. Errors reading the issue or the event fail the
// pull; errors reading the release's commits are kept in ReleaseErr.
func Pull(ctx context.Context, c *Client, ref IssueRef, event string) (*Pulled, error) {
	if ref.Org == "" || ref.IssueID == "" && ref.ShortID == "" {
		return nil, errors.New("pulling a Sentry issue: the reference names no organization or no issue")
	}
	if event == "" {
		event = ref.EventID
	}
	if event == "" {
		event = EventRecommended
	}
	ev, err := NormalizeEventID(event)
	if err != nil {
		return nil, fmt.Errorf("pulling Sentry issue %s: %w", ref, err)
	}
	p := &Pulled{Org: ref.Org, IssueID: ref.IssueID, ShortID: ref.ShortID, ProjectSlug: ref.ProjectSlug, ProjectID: ref.ProjectID}
	looked := false
	if p.IssueID == "" {
		p.Requests++
		look, err := c.ResolveShortID(ctx, ref.Org, ref.ShortID)
		if err != nil {
			return nil, err
		}
		looked = true
		p.IssueID, p.ProjectSlug = look.GroupID, look.ProjectSlug
		p.ProjectID, p.Title = look.Issue.Project.ID, look.Issue.Title
		if look.ShortID != "" {
			p.ShortID = look.ShortID
		}
	}
	p.Requests++
	e, err := c.IssueEvent(ctx, ref.Org, p.IssueID, ev)
	if err != nil {
		return nil, err
	}
	p.EventID, p.Event, p.EventTime, p.Platform, p.Release = e.ID, e.Raw, e.DateCreated, e.Platform, e.Release
	if p.ProjectID == "" {
		p.ProjectID = e.ProjectID
	}
	if p.ProjectSlug == "" {
		p.ProjectSlug = e.ProjectSlug
	}
	if p.ProjectSlug == "" && !looked {
		p.Requests++
		is, err := c.Issue(ctx, ref.Org, p.IssueID)
		if err != nil {
			return nil, err
		}
		p.ProjectSlug, p.ProjectID, p.ShortID, p.Title = is.Project.Slug, is.Project.ID, is.ShortID, is.Title
	}
	if p.Title == "" {
		p.Title = e.Title
	}
	resolveCommit(ctx, c, p)
	return p, nil
}

// resolveCommit fills the commit fields from the version, or from the
// release's commits when the version holds no hash.
func resolveCommit(ctx context.Context, c *Client, p *Pulled) {
	p.CommitSource = SourceNone
	if p.Release == "" {
		p.CommitNote = "the event names no release"
		return
	}
	if h := CommitFromVersion(p.Release); h != "" {
		p.Commit, p.CommitSource = h, SourceVersionHash
		return
	}
	commits, read, more, err := c.releaseCommits(ctx, p.Org, p.Release)
	p.Requests += read
	if err != nil {
		p.Requests++ // the page that failed
		p.ReleaseErr = err
		p.CommitNote = fmt.Sprintf("the commits of release %q could not be read", p.Release)
		var ae *APIError
		if errors.As(err, &ae) {
			p.CommitNote += ": " + ae.Hint()
		}
		return
	}
	if len(commits) == 0 {
		p.CommitNote = fmt.Sprintf("Sentry knows no commits for release %q and its version holds no commit hash "+
			"(associate commits with `sentry-cli releases set-commits`, or put the hash in the version, e.g. app@1.2.3+SHA)", p.Release)
		return
	}
	p.Commits, p.CommitsTruncated = commits, more
	p.Commit, p.CommitRepository, p.CommitSource = commits[0].ID, commits[0].Repository, SourceReleaseCommits
}

// FromEvent reads what an event saved to a file (Sentry's REST shape, an
// SDK's payload or the JSON Sentry's web page shows) says of the build that
// sent it, without asking Sentry: the release, and its commit when the
// version holds a hash or the release object names its last commit. A
// release without either keeps its version, with a CommitNote saying why
// no commit is known. Only JSON that is not an object fails.
func FromEvent(raw []byte) (*Pulled, error) {
	e, err := parseEvent(raw)
	if err != nil {
		return nil, err
	}
	p := &Pulled{EventID: e.ID, Event: raw, EventTime: e.DateCreated, Platform: e.Platform, Release: e.Release,
		ProjectSlug: e.ProjectSlug, ProjectID: e.ProjectID, IssueID: e.GroupID, Title: e.Title, CommitSource: SourceNone}
	switch {
	case p.Release == "":
		p.CommitNote = "the event names no release"
	case CommitFromVersion(p.Release) != "":
		p.Commit, p.CommitSource = CommitFromVersion(p.Release), SourceVersionHash
	case e.LastCommit != nil:
		p.Commit, p.CommitRepository, p.CommitSource = e.LastCommit.ID, e.LastCommit.Repository, SourceLastCommit
	default:
		p.CommitNote = "its version holds no commit hash, and a saved event does not say which commits it holds " +
			"(analyze the issue with --sentry-issue, or put the hash in the version, e.g. app@1.2.3+SHA)"
	}
	return p, nil
}
