// Package source is where commits and their diffs come from: Bitbucket Cloud
// through pkg/bitbucket, or a local git checkout, with an on-disk cache of
// immutable per-commit results in front of either.
package source

import (
	"context"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// Window is the half-open time range [Since, Until] of commits to look at.
type Window struct {
	Since time.Time
	Until time.Time
}

// Commit is one commit's metadata.
type Commit struct {
	Repo    string    `json:"repo"`
	Hash    string    `json:"hash"`
	Date    time.Time `json:"date"`
	Author  string    `json:"author"`
	Message string    `json:"message"`
	Parents []string  `json:"parents"`
}

// Summary is the first line of the commit message.
func (c Commit) Summary() string {
	for i := 0; i < len(c.Message); i++ {
		if c.Message[i] == '\n' {
			return c.Message[:i]
		}
	}
	return c.Message
}

// IsMerge reports whether the commit has more than one parent.
func (c Commit) IsMerge() bool { return len(c.Parents) > 1 }

// Change is the immutable result of diffing one commit against its first
// parent: the files it touched with counts and hunks.
type Change struct {
	Hash  string          `json:"hash"`
	Files []diffstat.File `json:"files"`
	// Fallback says how counts were obtained when the full diff was not
	// available (e.g. "diffstat" after HTTP 555); empty when parsed locally.
	Fallback string `json:"fallback,omitempty"`
}

// Source lists commits and produces their changes for one repository.
type Source interface {
	// Kind is "bitbucket" or "local".
	Kind() string
	// Repo is the repository's name as shown to users (workspace/slug, or a path).
	Repo() string
	// DefaultRef is the ref used when none is given (main branch, or HEAD).
	DefaultRef(ctx context.Context) (string, error)
	// Commits lists the commits of ref inside w, newest first. Merge commits
	// are left out unless includeMerges.
	Commits(ctx context.Context, ref string, w Window, includeMerges bool) ([]Commit, error)
	// Change returns the diff of c against its first parent.
	Change(ctx context.Context, c Commit) (*Change, error)
}
