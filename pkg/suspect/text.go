package suspect

import "github.com/sigsentry/sigsentry/pkg/signal"

// tokens calls fn with each word of s, as the signal's symptoms were
// tokenized (one tokenizer for both sides).
func tokens(s string, fn func(string)) { signal.Words(s, fn) }

// textIndex is an inverted index from words to the candidates whose message
// or changed lines contain them.
type textIndex struct {
	postings map[string][]int32
}

func (ti *textIndex) add(ci int32, c *Candidate) {
	addWord := func(w string) {
		p := ti.postings[w]
		if len(p) > 0 && p[len(p)-1] == ci {
			return
		}
		ti.postings[w] = append(p, ci)
	}
	tokens(c.Commit.Message, addWord)
	if c.Change == nil {
		return
	}
	for fi := range c.Change.Files {
		f := &c.Change.Files[fi]
		for hi := range f.Hunks {
			h := &f.Hunks[hi]
			for _, l := range h.Added {
				tokens(l.Text, addWord)
			}
			for _, l := range h.Removed {
				tokens(l.Text, addWord)
			}
		}
	}
}
