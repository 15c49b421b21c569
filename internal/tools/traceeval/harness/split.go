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

// Split assigns every case to the tuning or the held-out half. A case that
// records its half (Case.Half) keeps it, so adding cases never moves one
// that weights were already chosen on. The others are placed among
// themselves: within each repository they are ordered by a hash of
// repository and fix and alternate between the halves, starting with the
// half that repository has fewer of, so each repository is split evenly;
// the odd case of a repository with an odd count goes to the smaller half
// overall (the tuning half on a tie), repositories taken in the order of a
// hash of their name, so the halves differ by one case at most. The result
// depends on the set of cases only, not on their order. The map is keyed
// by Case.Key.
func Split(cases []Case) map[string]string {
	out := map[string]string{}
	total := map[string]int{}
	perRepo := map[string]map[string]int{}
	byRepo := map[string][]Case{}
	for _, c := range cases {
		if perRepo[c.Repo] == nil {
			perRepo[c.Repo] = map[string]int{}
		}
		if c.Half != "" {
			out[c.Key()] = c.Half
			total[c.Half]++
			perRepo[c.Repo][c.Half]++
			continue
		}
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
	fewer := func(n map[string]int) (string, string) {
		if n[Held] < n[Tune] {
			return Held, Tune
		}
		return Tune, Held
	}
	for _, repo := range repos {
		cs := byRepo[repo]
		sort.Slice(cs, func(i, j int) bool {
			hi, hj := hash64(repo+"@"+cs[i].Fix), hash64(repo+"@"+cs[j].Fix)
			if hi != hj {
				return hi < hj
			}
			return cs[i].Fix < cs[j].Fix
		})
		first, second := fewer(perRepo[repo])
		for i, c := range cs {
			h := first
			switch {
			case i == len(cs)-1 && len(cs)%2 == 1:
				h, _ = fewer(total)
			case i%2 == 1:
				h = second
			}
			out[c.Key()] = h
			total[h]++
		}
	}
	return out
}
