package harness

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/tracetext"
)

// fixesRE finds Fixes: trailers naming a commit (kernel style, with or
// without the word "commit" and the quoted subject).
var fixesRE = regexp.MustCompile(`(?im)^[ \t]*Fixes:[ \t]*(?:commit[ \t]+)?([0-9a-f]{7,40})\b`)

// fixesSubjectRE reads the quoted subject of a kernel-style trailer,
// Fixes: 123456789abc ("subject"), which may wrap onto the next line.
var fixesSubjectRE = regexp.MustCompile(`(?is)^[ \t]*Fixes:[ \t]*(?:commit[ \t]+)?[0-9a-f]{7,40}[ \t]*\(\s*"(.+?)"\s*\)`)

// causeRE finds a commit that prose names as the cause: "introduced in
// commit 0123abcd", "Regression from: <sha>", "Regressed-in: <sha>",
// "This patch fixes up commit <sha>", "This reverts commit <sha>" (a revert
// whose message holds the crash its target caused). The verb and the hash
// are in one sentence: a period ends it unless a non-space follows it (a
// version, 2.2-dev3); 8 hex digits at least, so a short word is no hash.
// Such projects write no Fixes: trailer, and the hash must still resolve to
// a commit; every kept case is read by hand.
var causeRE = regexp.MustCompile(`(?i)\b(?:introduced|caused|broke|broken|regress\w*|reverts|fixes)\b(?:[^.]|\.\S){0,80}?\b([0-9a-f]{8,40})\b`)

// Target is one commit a Fixes: trailer names.
type Target struct {
	Hash    string // abbreviated hash as written
	Subject string // quoted subject, "" when the trailer has none
}

// FixesTargets returns the commits a message's Fixes: trailers name, then
// those its prose names as the cause (causeRE).
func FixesTargets(msg string) []Target {
	var out []Target
	seen := map[string]bool{}
	for _, loc := range fixesRE.FindAllStringSubmatchIndex(msg, -1) {
		h := strings.ToLower(msg[loc[2]:loc[3]])
		if seen[h] {
			continue
		}
		seen[h] = true
		t := Target{Hash: h}
		if m := fixesSubjectRE.FindStringSubmatch(msg[loc[0]:]); m != nil {
			t.Subject = strings.Join(strings.Fields(m[1]), " ")
		}
		out = append(out, t)
	}
	for _, m := range causeRE.FindAllStringSubmatch(msg, -1) {
		h := strings.ToLower(m[1])
		if !seen[h] {
			seen[h] = true
			out = append(out, Target{Hash: h})
		}
	}
	return out
}

// Candidate is a fix commit the discovery considered, with the reason it
// was rejected ("" when it is proposed as a case).
type Candidate struct {
	Case
	Reject string
	// Age is how long before the signal time the newest in-window inducer landed.
	Age time.Duration
	// Frame is the innermost in-app frame's repository file and line.
	File string
	Line int
}

// Reject reasons, as counted in the discovery's summary.
const (
	RejectNoTrace     = "no crash trace with a frame in the message"
	RejectUnresolved  = "Fixes: target does not resolve to a commit"
	RejectNotAncestor = "inducer is not an ancestor of the fix's parent"
	RejectTooOld      = "inducer landed more than the window before the signal time"
	RejectAfterSignal = "inducer landed after the fix was written (signal time)"
	RejectNoRepoFrame = "no frame of the trace maps to a file of the repository"
	RejectIsMerge     = "fix is a merge commit"
)

// DiscoverOptions tunes Discover.
type DiscoverOptions struct {
	Repo    string        // owner/name, recorded in each case
	Ref     string        // history to scan (default HEAD)
	MaxAge  time.Duration // inducers must have landed within this before the signal (default 90 days)
	Verbose func(format string, args ...any)
}

// Discover scans the history of one repository for fix commits whose
// message holds a crash trace and a Fixes: trailer naming a commit that
// landed within MaxAge before the fix was written. It returns every fix
// commit with a Fixes: trailer and a trace, proposed or rejected.
func Discover(ctx context.Context, g Git, opt DiscoverOptions) ([]Candidate, error) {
	if opt.Ref == "" {
		opt.Ref = "HEAD"
	}
	if opt.MaxAge == 0 {
		opt.MaxAge = 90 * 24 * time.Hour
	}
	out, err := g.Run(ctx, "log", "--no-merges", "-E", "-i", `--grep=^[[:space:]]*Fixes:[[:space:]]*(commit[[:space:]]+)?[0-9a-f]{7,40}`,
		`--grep=(introduced|caused|broke|regress|reverts|fixes)`, // causeRE's verbs; git ORs the patterns
		"--format=%x1e%H%x1f%at%x1f%ct%x1f%B", opt.Ref, "--")
	if err != nil {
		return nil, fmt.Errorf("scanning the history of %s: %w", opt.Repo, err)
	}
	var cands []Candidate
	for _, c := range parseLog(out) {
		targets := FixesTargets(c.Message)
		if len(targets) == 0 {
			continue
		}
		blocks := tracetext.Extract(c.Message)
		cand := Candidate{Case: Case{Repo: opt.Repo, Fix: c.Hash}}
		bi := pickBlock(blocks)
		if bi < 0 {
			// Not a trace case at all: counted, but not worth a line.
			cand.Reject = RejectNoTrace
			cands = append(cands, cand)
			continue
		}
		cand.Block = bi
		cand.Format = string(blocks[bi].Format)
		cand.Reject = checkCandidate(ctx, g, c, targets, blocks[bi], opt.MaxAge, &cand)
		if opt.Verbose != nil {
			opt.Verbose("%s %s %s: %s", opt.Repo, short(c.Hash), cand.Format, orOK(cand.Reject))
		}
		cands = append(cands, cand)
	}
	return cands, nil
}

func orOK(s string) string {
	if s == "" {
		return "proposed"
	}
	return s
}

// pickBlock chooses the message's trace: the one with the most frames that
// name a source file (then the most frames, then the first).
func pickBlock(bs []tracetext.Block) int {
	best := -1
	for i, b := range bs {
		if b.Frames == 0 {
			continue
		}
		if best < 0 || b.FileFrames > bs[best].FileFrames || b.FileFrames == bs[best].FileFrames && b.Frames > bs[best].Frames {
			best = i
		}
	}
	return best
}

// checkCandidate resolves the Fixes: targets, checks their age and
// ancestry and the trace's frames, and fills cand; it returns the reason
// to reject it, or "".
func checkCandidate(ctx context.Context, g Git, fix Commit, targets []Target, b tracetext.Block, maxAge time.Duration, cand *Candidate) string {
	signal := fix.AuthorTime
	var resolved []string
	tooOld, afterSignal, notAncestor := false, false, false
	var newest time.Time
	for _, t := range targets {
		full, err := g.Run(ctx, "rev-parse", "--verify", "-q", t.Hash+"^{commit}")
		full = strings.TrimSpace(full)
		if err != nil || full == "" {
			// A mirror that rewrote the upstream hashes (a driver or a
			// library synced out of the kernel) still has the commit under
			// its subject.
			full = bySubject(ctx, g, fix.Hash+"^", t.Subject)
			if full == "" {
				continue
			}
			cand.Note = "inducer found by the subject its Fixes: trailer quotes"
		}
		ic, err := g.Show(ctx, full)
		if err != nil {
			continue
		}
		if !g.Ok(ctx, "merge-base", "--is-ancestor", full, fix.Hash+"^") {
			notAncestor = true
			continue
		}
		switch {
		case ic.CommitTime.After(signal):
			afterSignal = true
			continue
		case signal.Sub(ic.CommitTime) > maxAge:
			tooOld = true
			continue
		}
		resolved = append(resolved, full)
		if ic.CommitTime.After(newest) {
			newest = ic.CommitTime
		}
	}
	if len(resolved) == 0 {
		switch {
		case afterSignal:
			return RejectAfterSignal
		case tooOld:
			return RejectTooOld
		case notAncestor:
			return RejectNotAncestor
		}
		return RejectUnresolved
	}
	cand.Inducers = resolved
	cand.Age = signal.Sub(newest)
	files, err := g.Files(ctx, fix.Hash+"^")
	if err != nil {
		return RejectNoRepoFrame
	}
	rep := tracetext.Parse(b.Text)
	pm := NewPathMap(files)
	pm.Funcs = FuncIndex(ctx, g, fix.Hash+"^", rep)
	fr, ok := InnermostInApp(rep, pm)
	if !ok {
		return RejectNoRepoFrame
	}
	cand.File, cand.Line = fr.Path, fr.Frame.Line
	return ""
}

// MappedFrame is a frame of a report with the repository file it maps to.
type MappedFrame struct {
	Frame tracetext.Frame
	Path  string // repository file
	Stack int    // index of its stack in the report
}

// InAppFrames returns the report's frames that map to repository files,
// innermost first: the crash stack's, then the other stacks' in report order.
func InAppFrames(r tracetext.Report, pm *PathMap) []MappedFrame {
	order := []int{}
	if r.Crash >= 0 && r.Crash < len(r.Stacks) {
		order = append(order, r.Crash)
	}
	for i := range r.Stacks {
		if i != r.Crash {
			order = append(order, i)
		}
	}
	var out []MappedFrame
	for _, si := range order {
		for _, f := range r.Stacks[si].Frames {
			if f.System || tracetext.SystemPath(f.File) {
				continue
			}
			var p string
			if f.File == "" {
				if p = pm.Funcs[baseSymbol(f.Function)]; p == "" {
					continue
				}
			} else if q, n, _ := pm.Map(f.File); q != "" && n > 0 {
				p = q
			} else {
				continue
			}
			out = append(out, MappedFrame{Frame: f, Path: p, Stack: si})
		}
	}
	return out
}

// InnermostInApp returns the innermost frame that maps to a repository file.
func InnermostInApp(r tracetext.Report, pm *PathMap) (MappedFrame, bool) {
	fs := InAppFrames(r, pm)
	if len(fs) == 0 {
		return MappedFrame{}, false
	}
	return fs[0], true
}

// SummarizeRejects counts rejections by reason, most frequent first.
func SummarizeRejects(cands []Candidate) []string {
	counts := map[string]int{}
	for _, c := range cands {
		if c.Reject != "" {
			counts[c.Reject]++
		}
	}
	reasons := make([]string, 0, len(counts))
	for r := range counts {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if counts[reasons[i]] != counts[reasons[j]] {
			return counts[reasons[i]] > counts[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = fmt.Sprintf("%d\t%s", counts[r], r)
	}
	return out
}

// bySubject finds the one commit reachable from rev whose subject is
// subject; "" when there is none or more than one.
func bySubject(ctx context.Context, g Git, rev, subject string) string {
	if len(subject) < 10 {
		return ""
	}
	out, err := g.Run(ctx, "log", "--fixed-strings", "--grep="+subject, "--format=%H%x1f%s", rev, "--")
	if err != nil {
		return ""
	}
	found := ""
	for _, l := range strings.Split(out, "\n") {
		h, s, ok := strings.Cut(l, "\x1f")
		if !ok || strings.Join(strings.Fields(s), " ") != subject {
			continue
		}
		if found != "" {
			return ""
		}
		found = h
	}
	return found
}
