// Package suspect correlates error signals with commits: it maps stack
// frames to repository paths, blames frame lines through the diffs of the
// commits in the window, scores each commit on the evidence, and ranks them.
// It is pure and deterministic: no I/O.
//
// Path mapping. A frame's path (absolute from a build machine, -trimpath
// module path, Windows path, file:// or other URL, or a Java File.java with
// its package in Module or Function) is matched to the repository path
// sharing the longest suffix of whole path components, among the paths the
// candidates touched (old and new) and Options.RepoFiles. Configured
// Mappings (longest stack root first) apply before that. Ties prefer in-app
// paths (not under vendor/, third_party/, node_modules/...), then the
// shortest path; equal matches in several repositories are all blamed and
// reported in MappedFrame.Note. Frames that match nothing stay in
// Result.Frames with an empty Path.
//
// Windowed blame. Candidates are put in topological order, newest first
// (a commit before its parents; dates only break ties), since rebased
// series carry out-of-order dates. For each in-app mapped frame, the
// commits that touched its file are walked from newest to oldest, skipping
// those after the signal time; the frame's line, given at signal time, is a
// line hit for the first commit whose added lines hold it, and is otherwise
// carried to the parent's version through that commit's hunks (lines below
// a hunk shift by OldLines-NewLines; a context line inside a hunk maps to
// its old-side counterpart), following renames to the old path.
//
// Scoring. Every commit with structural evidence (line, function,
// proximity or file) is scored by Formula; text and recency only add to
// such commits and never make a suspect alone. When no commit has
// structural evidence, the result abstains with a Reason.
//
// The formula:
//
//	raw(c) = P(c) * sum over in-app mapped frames f of w(f) * S(c,f) + T(c) + R(c)
//	w(f)   = 0.7^k, k = the frame's position among in-app frames
//	S(c,f) = 1.0*line + 0.5*function + D(c) * (0.3*proximity + 0.15*file/(1+n))
//	D(c)   = ln 3 / ln(2 + files changed by c)
//	P(c)   = 0.5 merge, 0.2 whitespace-only, 0.1 rename-only (multiplied)
//	T(c)   = 0.15 * idf-weighted share of symptom words found in c
//	R(c)   = 0.05 * 2^(-age/7 days)
//	score  = 1 - exp(-raw)
//
// Formula holds the full text with each feature's definition.
package suspect

import (
	"time"

	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
)

// Candidate is one commit that may have caused a signal, with its change.
type Candidate struct {
	Repo   string
	Commit source.Commit
	Change *source.Change
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
	// RepoFiles optionally lists each repository's tree (repo -> paths), to
	// map frames to files no candidate touched.
	RepoFiles map[string][]string
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
	Penalties []string      `json:"penalties,omitempty"`
	Commit    source.Commit `json:"-"`
}

// Result is the ranking for one signal.
type Result struct {
	Signal    signal.Signal `json:"-"`
	Frames    []MappedFrame `json:"frames"`
	Abstained bool          `json:"abstained"`
	Reason    string        `json:"reason"`
	Suspects  []Suspect     `json:"suspects"`
}
