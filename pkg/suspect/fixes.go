package suspect

import (
	"regexp"
	"slices"
	"strings"
)

// fixesTrailer is a trailer naming the commit a fix repairs: "Fixes:
// <hash>", as the Linux kernel and many C projects write it ("Fixes:
// 5500d265a2a8 ('x86/smp: ...')"), and the trailers other projects use for
// the same ("Regression-from: <hash>" in X.Org, "Regressed-in:",
// "Broken-by:", "Introduced-by:").
var fixesTrailer = regexp.MustCompile(`(?im)^[ \t]*(?:Fixes|Regression[- ]from|Regressed[- ](?:in|by)|Broken[- ]by|Introduced[- ](?:in|by)|Caused[- ]by)[ \t]*:[ \t]*(?:commit[ \t]+)?([0-9a-f]{7,40})\b`)

// causeProse names the cause in a sentence, as projects that write no
// trailer do: "introduced in commit <hash>", "caused by <hash>", "a
// regression from <hash>", "broken by <hash>"; the verb and the hash in one
// sentence (a period ends it unless a non-space follows, as in "v2.1").
// A revert is not read: the code it names is gone from the failing version.
// A hash of digits only is not read either (a bug number, a date).
var causeProse = regexp.MustCompile(`(?i)\b(?:introduced|caused|broke|broken|regress\w*)\b(?:[^.]|\.\S){0,80}?\b([0-9a-f]{8,40})\b`)

// fixesMarkers are the words a message naming a cause contains, tested
// before the expressions run.
var fixesMarkers = []string{"ixes:", "IXES:", "egress", "EGRESS", "roken", "ROKEN", "ntroduced", "NTRODUCED", "aused", "AUSED"}

// fixesOf maps each commit of the window that another commit names as the
// cause of what it fixes (a trailer or a sentence, as above) to the commits
// naming it, each once.
func fixesOf(idx *Index) map[int32][]int32 {
	out := map[int32][]int32{}
	for _, rx := range idx.repos {
		var byPrefix map[string][]int32
		for _, ci := range rx.cands {
			msg := idx.cands[ci].Commit.Message
			if !slices.ContainsFunc(fixesMarkers, func(w string) bool { return strings.Contains(msg, w) }) {
				continue
			}
			ms := fixesTrailer.FindAllStringSubmatch(msg, -1)
			for _, m := range causeProse.FindAllStringSubmatch(msg, -1) {
				if strings.ContainsAny(strings.ToLower(m[1]), "abcdef") {
					ms = append(ms, m)
				}
			}
			for _, m := range ms {
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
					if cj != ci && strings.HasPrefix(strings.ToLower(idx.cands[cj].Commit.Hash), want) && !slices.Contains(out[cj], ci) {
						out[cj] = append(out[cj], ci)
					}
				}
			}
		}
	}
	return out
}

// fixedIn returns a commit of the failing version (reach) that names
// commit ci as a cause, or -1.
func (rc *rankCtx) fixedIn(ci int32) int32 {
	reach := rc.reach[rc.idx.cands[ci].repo]
	for _, x := range rc.idx.fixedBy[ci] {
		if reach == nil || reach[x] {
			return x
		}
	}
	return -1
}
