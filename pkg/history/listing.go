package history

import "time"

// PageSize is how many commits make one page of a listing: Bitbucket
// Cloud's largest page of commits. Local listings count in pages of the
// same size, so both stop at the same commit.
const PageSize = 100

// Listing collects the commits of one ref as a source lists them, newest
// first in topological order (every commit before its parents, as both
// Bitbucket's commit listing and `git log --topo-order` give them), decides
// when to stop listing, and works out when each commit landed.
//
// Listing stops after a whole page whose commits are all dated before the
// window: an old branch merged late puts old commits between new ones, so a
// single old commit says nothing, but a page of them says the rest of the
// history is older still. Both sources stop by this one rule.
type Listing struct {
	since   time.Time
	commits []Commit
	pos     map[string]int
	// old counts the commits of the current page dated before since.
	old      int
	stopped  bool
	finished bool
}

// NewListing starts a listing for a window beginning at since (zero: list
// the whole history).
func NewListing(since time.Time) *Listing {
	return &Listing{since: since, pos: map[string]int{}}
}

// Add records the next listed commit and reports whether listing should go
// on. A commit listed twice is ignored.
func (l *Listing) Add(c Commit) (more bool) {
	if l.stopped {
		return false
	}
	if _, dup := l.pos[c.Hash]; dup {
		return true
	}
	l.pos[c.Hash] = len(l.commits)
	l.commits = append(l.commits, c)
	if !l.since.IsZero() && c.Date.Unix() < l.since.Unix() {
		l.old++
	}
	if len(l.commits)%PageSize == 0 {
		if !l.since.IsZero() && l.old == PageSize {
			l.stopped = true
		}
		l.old = 0
	}
	return !l.stopped
}

// Len is the number of commits listed so far.
func (l *Listing) Len() int { return len(l.commits) }

// Finish sets every commit's Landed time: the newest Date among the commit
// and its listed ancestors. Parents that were not listed (older than the
// listing's end) count as older than the window. It is idempotent.
func (l *Listing) Finish() {
	if l.finished {
		return
	}
	l.finished = true
	for i := len(l.commits) - 1; i >= 0; i-- {
		c := &l.commits[i]
		landed := c.Date
		for _, p := range c.Parents {
			if j, ok := l.pos[p]; ok && j > i && l.commits[j].Landed.After(landed) {
				landed = l.commits[j].Landed
			}
		}
		c.Landed = landed
	}
}

// Commits returns every listed commit, in listing order, with Landed set.
func (l *Listing) Commits() []Commit {
	l.Finish()
	return l.commits
}

// InWindow returns the listed commits that landed inside w, in listing
// order.
func (l *Listing) InWindow(w Window) []Commit {
	l.Finish()
	var out []Commit
	for _, c := range l.commits {
		if w.Contains(c.Landed) {
			out = append(out, c)
		}
	}
	return out
}

// Head returns the commit that was the tip of the ref at time at: the
// newest commit of the first listed commit's first-parent chain that had
// landed by then (the first listed commit when at is zero). It is "" when
// no listed commit of that chain had.
func (l *Listing) Head(at time.Time) string {
	l.Finish()
	if len(l.commits) == 0 {
		return ""
	}
	if at.IsZero() {
		return l.commits[0].Hash
	}
	i := 0
	for steps := 0; steps <= len(l.commits); steps++ {
		c := &l.commits[i]
		if c.Landed.Unix() <= at.Unix() {
			return c.Hash
		}
		if len(c.Parents) == 0 {
			return ""
		}
		j, ok := l.pos[c.Parents[0]]
		if !ok {
			return ""
		}
		i = j
	}
	return ""
}
