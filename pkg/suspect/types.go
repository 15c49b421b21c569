// Package suspect correlates error signals with history: it maps stack
// frames to repository paths, blames frame lines through the diffs of the
// commits in the window, scores each commit on the evidence, and ranks
// them. It depends on the history and signal models only, and does no
// I/O: no network, no processes, no files.
//
// Path mapping. A frame's path (absolute from a build machine, -trimpath
// module path, Windows path, file:// or other URL, or a Java File.java with
// its package in Module or Function) is matched to the repository path
// sharing the longest suffix of whole path components, among the
// repository's tree (RepoHistory.Tree, when the source could read it) and
// the paths the window's commits touched. Configured Mappings (longest
// stack root first) apply before that. Ties prefer in-app paths (not under
// vendor/, third_party/, node_modules/...), then the shortest path; equal
// matches in several repositories are all blamed and reported in
// MappedFrame.Note. Frames that match nothing stay in Result.Frames with an
// empty Path.
//
// Windowed blame. A frame's line is given at the version that failed: the
// tip of the ref at the signal's time (the newest commit of the ref's
// first-parent chain that had landed by then). The walk follows that
// chain back, as `git blame` does: each commit that touched the frame's
// file translates the line to its parent's version through its hunks
// (lines below a hunk shift by OldLines-NewLines; renames move the walk to
// the old path), until a commit's added lines hold it: that commit gets a
// line hit. A merge's diff is taken against its first parent, so a line the
// merge adds came from the merged side branch: the walk then goes into the
// side branch (line for line when the main line left the file alone, so the
// branch's commits, not the merge, get the evidence near the line and in
// its function) and names the side commit that added that line (the newest
// one whose added lines in the file hold its text); only when none does
// (an evil merge, or a side branch older than the window) is the merge
// itself named. Commits that had not reached the failing version (newer
// than it, or on branches merged after it) are never suspects.
//
// Scoring: see Formula.
package suspect

import (
	"time"

	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Candidate is one commit of a repository's window, with its change (nil
// when the source could not produce one: such a commit is never blamed).
type Candidate struct {
	// Repo is the repository; RepoHistory.Repo when empty.
	Repo   string
	Commit history.Commit
	Change *history.Change
}

// RepoHistory is one repository's window of history.
type RepoHistory struct {
	// Repo is the repository's name.
	Repo string
	// Head is the ref's tip at the window's end. Empty: the first commit of
	// Commits in topological order.
	Head string
	// Commits are the commits that landed in the window, merges included,
	// in any order (they are put in topological order).
	Commits []Candidate
	// Tree optionally lists every file path at Head, so frames can be
	// mapped to files no commit of the window touched (which keeps a
	// frame from being mapped to a touched file of the same name
	// elsewhere).
	Tree []string
	// Definitions optionally maps function names to the paths that define
	// them at Head, so frames that name only a function (kernel call
	// traces) map to a file. Without it the window's hunk headers say where
	// the functions they touched are defined.
	Definitions map[string][]string
}

// Mapping maps a stack path prefix to a repository path prefix.
type Mapping struct {
	Repo       string
	StackRoot  string
	SourceRoot string
}

// Options tune ranking.
type Options struct {
	// Top is how many suspects to return (default 5).
	Top int
	// At is the signal's time when it carries none (default: no limit).
	At time.Time
	// Mappings are configured code mappings.
	Mappings []Mapping
	// Weights replaces DefaultWeights (evaluation and tuning).
	Weights *Weights
	// Trace, when not nil, is told each step of every blame walk
	// (developers' tools).
	Trace func(format string, args ...any)
}

// MappedFrame is a signal frame and the repository path it was mapped to.
type MappedFrame struct {
	signal.Frame
	Repo string `json:"repo,omitempty"`
	Path string `json:"path"`
	// Note says how the path was mapped when that is worth knowing: a
	// configured code mapping, or other equally good matches.
	Note string `json:"note,omitempty"`
}

// Evidence is one reason a commit is suspected.
type Evidence struct {
	Kind   string `json:"kind"` // line|function|proximity|file|text|recency
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Hunk   string `json:"hunk,omitempty"`
	Detail string `json:"detail"`
}

// Suspect is one ranked commit.
type Suspect struct {
	Rank     int        `json:"rank"`
	Repo     string     `json:"repo"`
	Hash     string     `json:"hash"`
	Score    float64    `json:"score"`
	Evidence []Evidence `json:"evidence"`
	// Penalties name what lowered the score: "merge commit",
	// "whitespace-only", "rename-only".
	Penalties []string       `json:"penalties,omitempty"`
	Commit    history.Commit `json:"-"`
}

// Result is the ranking for one signal.
type Result struct {
	Signal    signal.Signal `json:"-"`
	Frames    []MappedFrame `json:"frames"`
	Abstained bool          `json:"abstained"`
	Reason    string        `json:"reason"`
	Suspects  []Suspect     `json:"suspects"`
	// Versions names, per repository, the commit whose version the frames'
	// lines were read at (the failing version).
	Versions map[string]string `json:"versions,omitempty"`
	// Notes say how the ranking was made when that is worth knowing (an
	// older build inferred from the frames).
	Notes []string `json:"notes,omitempty"`
}
