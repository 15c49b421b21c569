// Package history is the model every other layer shares: a commit with its
// parents and the time it landed on the analyzed ref, the change it made
// against its first parent, and the window of time being analyzed.
//
// # The window
//
// A commit belongs to a window when it reached the analyzed ref inside
// [Since, Until], not when it was written: a patch authored weeks ago and
// applied or rebased yesterday is inside a 30-day window. A source gives
// each commit one Date (the committer time of a local commit; Bitbucket
// Cloud's commit `date`), and a commit counts as landed no earlier than the
// newest Date among itself and its ancestors (Landed). That is exact for
// committer times and a safe bound for author times, so a local checkout and
// Bitbucket agree on real histories. Listing computes it for the commits a
// source lists, newest first, and tells the source when to stop listing.
package history

import (
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// Commit is one commit of a repository's history.
type Commit struct {
	// Repo is the repository's name as users see it (workspace/slug, or a
	// path for a local checkout).
	Repo string `json:"repo"`
	Hash string `json:"hash"`
	// Parents are the parent hashes, first parent first (none for a root).
	Parents []string `json:"parents"`
	// Author is "Name <mail>".
	Author string `json:"author"`
	// AuthorTime is when the change was written, when the source knows it
	// (zero otherwise); it is shown to users, never used for the window.
	AuthorTime time.Time `json:"author_time,omitzero"`
	// Date is the one time the source gives: the committer time locally,
	// Bitbucket's commit date remotely.
	Date time.Time `json:"date"`
	// Landed is when the commit reached the ref: the newest Date among the
	// commit and its listed ancestors (set by Listing.Finish).
	Landed time.Time `json:"landed"`
	// Message is the full commit message.
	Message string `json:"message"`
}

// Summary is the first line of the commit message.
func (c *Commit) Summary() string {
	if i := strings.IndexByte(c.Message, '\n'); i >= 0 {
		return c.Message[:i]
	}
	return c.Message
}

// IsMerge reports whether the commit has more than one parent.
func (c *Commit) IsMerge() bool { return len(c.Parents) > 1 }

// Shown is the time to show users for the commit: its author time when
// known, else its date.
func (c *Commit) Shown() time.Time {
	if !c.AuthorTime.IsZero() {
		return c.AuthorTime
	}
	return c.Date
}

// Change is the immutable result of diffing one commit against its first
// parent (a root commit against the empty tree): the files it touched, with
// counts and hunks.
type Change struct {
	Hash  string          `json:"hash"`
	Files []diffstat.File `json:"files"`
	// Fallback says how counts were obtained when the full diff was not
	// available (Bitbucket's diffstat after HTTP 555); empty when the diff
	// was parsed.
	Fallback string `json:"fallback,omitempty"`
}

// Counts returns the files changed and the lines added and removed, as
// `git diff --numstat` counts them (binary files count no lines).
func (ch *Change) Counts() (files, added, removed int) {
	for i := range ch.Files {
		if f := &ch.Files[i]; !f.Binary {
			added += f.LinesAdded
			removed += f.LinesRemoved
		}
	}
	return len(ch.Files), added, removed
}

// Window is the closed time range [Since, Until] of landing times analyzed.
// A zero bound is open.
type Window struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

// Contains reports whether t lies inside w (both ends included, to the
// second, as commit times are).
func (w Window) Contains(t time.Time) bool {
	if !w.Since.IsZero() && t.Unix() < w.Since.Unix() {
		return false
	}
	if !w.Until.IsZero() && t.Unix() > w.Until.Unix() {
		return false
	}
	return true
}

// Lookback is the window of days days ending at until.
func Lookback(until time.Time, days int) Window {
	return Window{Since: until.AddDate(0, 0, -days), Until: until}
}
