package suspect

import (
	"regexp"
	"strings"
)

// fixesTrailer is a "Fixes: <hash>" trailer, as the Linux kernel and many
// C projects write it ("Fixes: 5500d265a2a8 ('x86/smp: ...')").
var fixesTrailer = regexp.MustCompile(`(?im)^[ \t]*Fixes:[ \t]*(?:commit[ \t]+)?([0-9a-f]{7,40})\b`)

// fixesOf maps each commit of the window that another commit's "Fixes:"
// trailer names to the commits naming it.
func fixesOf(idx *Index) map[int32][]int32 {
	out := map[int32][]int32{}
	for _, rx := range idx.repos {
		var byPrefix map[string][]int32
		for _, ci := range rx.cands {
			msg := idx.cands[ci].Commit.Message
			if !strings.Contains(msg, "ixes:") && !strings.Contains(msg, "IXES:") {
				continue
			}
			for _, m := range fixesTrailer.FindAllStringSubmatch(msg, -1) {
				if byPrefix == nil {
					byPrefix = map[string][]int32{}
					for _, cj := range rx.cands {
						h := strings.ToLower(idx.cands[cj].Commit.Hash)
						if len(h) >= 7 {
							byPrefix[h[:7]] = append(byPrefix[h[:7]], cj)
						}
					}
				}
				want := strings.ToLower(m[1])
				for _, cj := range byPrefix[want[:7]] {
					if cj != ci && strings.HasPrefix(strings.ToLower(idx.cands[cj].Commit.Hash), want) {
						out[cj] = append(out[cj], ci)
					}
				}
			}
		}
	}
	return out
}

// fixedIn returns a commit of the failing version (reach) whose "Fixes:"
// trailer names commit ci, or -1.
func (rc *rankCtx) fixedIn(ci int32) int32 {
	reach := rc.reach[rc.idx.cands[ci].repo]
	for _, x := range rc.idx.fixedBy[ci] {
		if reach == nil || reach[x] {
			return x
		}
	}
	return -1
}
