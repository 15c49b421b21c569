// Package suspect correlates error signals with commits: it maps stack
// frames to repository paths, blames frame lines through the diffs of the
// commits in the window, scores each commit on the evidence, and ranks them.
// It is pure and deterministic: no I/O.
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
	Rank     int           `json:"rank"`
	Repo     string        `json:"repo"`
	Hash     string        `json:"hash"`
	Score    float64       `json:"score"`
	Evidence []Evidence    `json:"evidence"`
	Commit   source.Commit `json:"-"`
}

// Result is the ranking for one signal.
type Result struct {
	Signal    signal.Signal `json:"-"`
	Frames    []MappedFrame `json:"frames"`
	Abstained bool          `json:"abstained"`
	Reason    string        `json:"reason"`
	Suspects  []Suspect     `json:"suspects"`
}
