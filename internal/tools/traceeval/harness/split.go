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
// alternate between the halves, starting on a side chosen by a hash of the
// repository, so each repository is split evenly and a repository's odd
// case falls on either side. The result depends on the manifest's content
// only, not on its order.
func Split(cases []Case) map[string]string { // keyed by Case.Key
	byRepo := map[string][]Case{}
	for _, c := range cases {
		byRepo[c.Repo] = append(byRepo[c.Repo], c)
	}
	out := map[string]string{}
	for repo, cs := range byRepo {
		sort.Slice(cs, func(i, j int) bool {
			hi, hj := hash64(repo+"@"+cs[i].Fix), hash64(repo+"@"+cs[j].Fix)
			if hi != hj {
				return hi < hj
			}
			return cs[i].Fix < cs[j].Fix
		})
		off := int(hash64(repo) % 2)
		for i, c := range cs {
			if (i+off)%2 == 0 {
				out[c.Key()] = Tune
			} else {
				out[c.Key()] = Held
			}
		}
	}
	return out
}
