// Package source is where history comes from: Bitbucket Cloud through
// pkg/bitbucket (with an on-disk cache of immutable per-commit changes), or
// a local git checkout. Every source yields the same thing: the commits of
// a ref that landed inside a window (history.Listing decides which, by one
// rule for both), each with its change against its first parent, as a
// stream.
package source

import (
	"context"

	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/history"
)

// Source yields one repository's history.
type Source interface {
	// Kind is "bitbucket" or "local".
	Kind() string
	// Repo is the repository's name as shown to users (workspace/slug, or
	// a path).
	Repo() string
	// DefaultRef is the ref used when none is given (the main branch, or
	// HEAD for a local checkout).
	DefaultRef(ctx context.Context) (string, error)
	// History lists the commits of ref that landed inside w and calls fn
	// with each one and its change, as changes arrive (not in listing
	// order: Item.Seq gives that order). fn is called from one goroutine
	// at a time. An error from fn stops the stream and is returned.
	History(ctx context.Context, ref string, w history.Window, o Options, fn func(Item) error) (*Summary, error)
}

// Options tune History.
type Options struct {
	// Merges yields merge commits too, diffed against their first parent.
	// Without it they are left out (and cost nothing).
	Merges bool
	// CountOnly drops the text of added and removed lines while parsing,
	// for runs that only count.
	CountOnly bool
	// OnTotal, when not nil, is told how many commits will be yielded once
	// that is known (for progress); it may be called more than once as the
	// number grows.
	OnTotal func(n int)
}

// Item is one commit of the window and its change.
type Item struct {
	// Seq is the commit's position in the listing (newest first,
	// topological); sorting by it gives the listing order.
	Seq    int
	Commit history.Commit
	Change *history.Change
}

// Summary is what History found besides the items.
type Summary struct {
	// Ref is the ref that was listed.
	Ref string
	// Head is the commit that was the ref's tip at the window's end ("" when
	// none of the listed commits had landed by then).
	Head string
	// Listed counts the commits listed; Yielded those in the window that
	// were yielded.
	Listed, Yielded int
	// Fetched counts changes fetched over the network, Cached those read
	// from the cache, Wasted those fetched for commits that turned out to be
	// outside the window (Bitbucket starts diffs before the listing ends).
	Fetched, Cached, Wasted int
}

// FileReader is implemented by sources that can read files at a commit:
// a local checkout, and Bitbucket (one request per file, cached).
type FileReader interface {
	// ReadFiles returns the contents of paths at rev; a path missing at rev
	// is left out of the map. When some files could not be read (a rate
	// limit, a server fault), it returns those that could be together with
	// the first failure.
	ReadFiles(ctx context.Context, rev string, paths []string) (map[string][]byte, error)
}

// Files is implemented by sources that can also list a repository's tree
// at a commit cheaply (a local checkout).
type Files interface {
	FileReader
	// Tree lists every file path at rev. A tree too large to list fails
	// with an error matching ErrTreeTooLarge.
	Tree(ctx context.Context, rev string) ([]string, error)
}

// ErrTreeTooLarge is matched by the error of Tree for a tree too large to
// list: not a failure, a limit (callers look frames' files up instead).
var ErrTreeTooLarge = bitbucket.ErrTreeTooLarge

// Definer is implemented by sources that can find where functions are
// defined (a local checkout), for stack traces that name only functions.
type Definer interface {
	// Definitions maps each of idents to the paths that define it at rev.
	Definitions(ctx context.Context, rev string, idents []string) (map[string][]string, error)
}

// FileDefiner is implemented by sources that cannot search the code but
// can read files (Bitbucket): they tell which of the files they are given
// define which functions. Analysis gives them the few files sharing a
// frame's name (Valgrind's bare "commit.c", with "builtin/commit.c" beside
// it), then, for frames that name only a function, the files the window's
// commits touched.
type FileDefiner interface {
	// DefinitionsIn maps each of idents to those of paths that define it
	// at rev, reading paths in order up to the source's limit.
	DefinitionsIn(ctx context.Context, rev string, idents, paths []string) (map[string][]string, error)
}

// Prober is implemented by sources whose tree may be too large to list
// (Bitbucket): they tell which of the given paths exist at a commit, so
// that frames map to files no commit of the window touched.
type Prober interface {
	// Probe returns those of paths that exist at rev. When some paths
	// could not be settled, it returns those found together with the first
	// failure.
	Probe(ctx context.Context, rev string, paths []string) ([]string, error)
}

// short abbreviates a hash for messages.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
