package suspect

import "strings"

// tokens splits text into lower-case identifier-like words of at least three
// characters, calling fn once per occurrence.
func tokens(s string, fn func(string)) {
	start := -1
	for i := 0; i <= len(s); i++ {
		word := i < len(s) && (s[i] < 128 && isIdentByte(s[i]) || s[i] >= 128)
		if word {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 3 {
			w := s[start:i]
			if !allDigits(w) {
				fn(strings.ToLower(w))
			}
		}
		start = -1
	}
}

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
