package harness

import (
	"crypto/sha256"
	"encoding/binary"
	"sort"
)

// Halves of the case set.
const (
	Tune = "tune"
	Held = "held"
)

func hash64(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}

// Split assigns every case to the tuning or the held-out half. Within each
// repository the cases are ordered by a hash of repository and fix and
// alternate between the halves, so each repository is split evenly; the odd
// case of a repository with an odd count goes to the half that has had fewer
// of them so far, repositories taken in the order of a hash of their name,
// so the halves differ by one case at most. The result depends on the set
// of cases only, not on their order. The map is keyed by Case.Key.
func Split(cases []Case) map[string]string {
	byRepo := map[string][]Case{}
	for _, c := range cases {
		byRepo[c.Repo] = append(byRepo[c.Repo], c)
	}
	repos := make([]string, 0, len(byRepo))
	for r := range byRepo {
		repos = append(repos, r)
	}
	sort.Slice(repos, func(i, j int) bool {
		hi, hj := hash64(repos[i]), hash64(repos[j])
		if hi != hj {
			return hi < hj
		}
		return repos[i] < repos[j]
	})
	out := map[string]string{}
	odd := 0
	for _, repo := range repos {
		cs := byRepo[repo]
		sort.Slice(cs, func(i, j int) bool {
			hi, hj := hash64(repo+"@"+cs[i].Fix), hash64(repo+"@"+cs[j].Fix)
			if hi != hj {
				return hi < hj
			}
			return cs[i].Fix < cs[j].Fix
		})
		for i, c := range cs {
			switch {
			case i == len(cs)-1 && len(cs)%2 == 1:
				if odd%2 == 0 {
					out[c.Key()] = Tune
				} else {
					out[c.Key()] = Held
				}
				odd++
			case i%2 == 0:
				out[c.Key()] = Tune
			default:
				out[c.Key()] = Held
			}
		}
	}
	return out
}
