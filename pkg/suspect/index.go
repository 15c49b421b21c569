package suspect

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Formula is the scoring formula, quoted by the documentation.
const Formula = `raw(c) = P(c) * sum over in-app mapped frames f of w(f) * S(c,f) + T(c) + R(c), for commits with S > 0
  w(f)   = 0.7^k, k = the frame's position among in-app frames (0 = nearest the crash)
  S(c,f) = 1.0*line + 0.5*function + D(c) * (0.3*proximity + 0.15*file/(1+n))
    line      = 1 if c added the frame's line (windowed blame through newer commits' hunks)
    function  = 1 if a hunk of c in the frame's file names the frame's function in its header
    proximity = 1/(1 + d/10), d = lines from the frame's line to c's nearest changed line
                (only for commits at or newer than the line's blamed commit)
    file      = 1 if c touched the frame's file; n = newer candidates that touched it since
    (function, proximity and file count for the 64 newest commits touching the file; line blame walks up to 500)
  D(c)   = ln 3 / ln(2 + files changed by c)      (size damping; 1 for a one-file commit)
  P(c)   = 0.5 if merge, * 0.2 if whitespace-only, * 0.1 if rename-only
  T(c)   = 0.15 * sum of idf(t) over symptom words t found in c's message or changed lines / sum of idf(t) over all symptom words,
           idf(t) = ln(1 + N/df(t)) over the N candidates
  R(c)   = 0.05 * 2^(-age/7 days), age = signal time - commit time
score(c) = 1 - exp(-raw(c))   (0..1); ties: higher score, then newer commit, then smaller hash`

// Weights of the formula (see Formula).
const (
	wLine      = 1.0
	wFunction  = 0.5
	wProximity = 0.3
	wFile      = 0.15
	frameDecay = 0.7
	proxScale  = 10.0
	wText      = 0.15
	wRecency   = 0.05
	halfLife   = 7 * 24 * time.Hour

	penaltyMerge      = 0.5
	penaltyWhitespace = 0.2
	penaltyRename     = 0.1

	// maxWalk bounds how many commits one frame's blame walk visits.
	maxWalk = 500
	// maxNear bounds how many of the newest commits touching a frame's file
	// get function, proximity and file evidence; line blame goes on to
	// maxWalk. Older touches weigh less than recency (file/(1+n)).
	maxNear = 64
	// maxEvidence bounds the evidence kept per suspect.
	maxEvidence = 8
)

// Evidence kinds.
const (
	KindLine      = "line"
	KindFunction  = "function"
	KindProximity = "proximity"
	KindFile      = "file"
	KindText      = "text"
	KindRecency   = "recency"
)

// Abstention reasons.
const (
	ReasonNoFrames     = "no confident suspect: the signal has no frames"
	ReasonNoInApp      = "no confident suspect: no in-app frames"
	ReasonNoMapping    = "no confident suspect: no frame maps to a repository file"
	ReasonNoCandidates = "no confident suspect: no candidate commit at or before the signal time"
	ReasonNoTouch      = "no confident suspect: no candidate touched any frame's file"
	ReasonTextOnly     = "no confident suspect: best evidence is only text or recency (no candidate touched any frame's file)"
)

// candInfo is one candidate with what the index precomputes about it.
type candInfo struct {
	*Candidate
	unix    int64
	files   int
	damp    float64
	penalty float64
	flags   []string
}

// touch is one candidate's entry for one file.
type touch struct {
	ci int32 // index into Index.cands (newest first)
	fi int32 // index into the candidate's Change.Files
}

// Index holds candidates indexed by the files they touched, built once and
// used to rank many signals. It is safe for concurrent Rank calls.
type Index struct {
	opts    Options
	cands   []candInfo
	touches map[fileTarget][]touch
	paths   *pathIndex
	newest  int64
	oldest  int64

	// text is built on first use: only signals with symptoms need it.
	textOnce sync.Once
	text     textIndex
}

// NewIndex indexes cands (from one or more repositories) for ranking.
// Candidates without a Change can still be ranked on text and recency but
// never carry structural evidence.
func NewIndex(cands []Candidate, opts Options) *Index {
	if opts.Top <= 0 {
		opts.Top = 5
	}
	idx := &Index{
		opts:    opts,
		touches: map[fileTarget][]touch{},
		paths:   newPathIndex(opts.Mappings),
	}
	order := topoOrder(cands)
	idx.cands = make([]candInfo, len(cands))
	for i, oi := range order {
		c := &cands[oi]
		ci := candInfo{Candidate: c, unix: c.Commit.Date.Unix(), penalty: 1}
		if c.Change != nil {
			ci.files = len(c.Change.Files)
		}
		ci.damp = math.Log(3) / math.Log(2+float64(max(ci.files, 1)))
		if c.Commit.IsMerge() {
			ci.penalty *= penaltyMerge
			ci.flags = append(ci.flags, "merge commit")
		}
		if c.Change != nil && len(c.Change.Files) > 0 {
			if renameOnly(c.Change.Files) {
				ci.penalty *= penaltyRename
				ci.flags = append(ci.flags, "rename-only")
			} else if whitespaceOnly(c.Change.Files) {
				ci.penalty *= penaltyWhitespace
				ci.flags = append(ci.flags, "whitespace-only")
			}
		}
		idx.cands[i] = ci
		if ci.unix < idx.oldest || i == 0 {
			idx.oldest = ci.unix
		}
		if i == 0 || ci.unix > idx.newest {
			idx.newest = ci.unix
		}
		if c.Change != nil {
			for fi := range c.Change.Files {
				f := &c.Change.Files[fi]
				t := touch{ci: int32(i), fi: int32(fi)}
				idx.touches[fileTarget{c.Repo, f.Path}] = append(idx.touches[fileTarget{c.Repo, f.Path}], t)
				idx.paths.add(c.Repo, f.Path)
				if f.OldPath != "" && f.OldPath != f.Path {
					idx.touches[fileTarget{c.Repo, f.OldPath}] = append(idx.touches[fileTarget{c.Repo, f.OldPath}], t)
					idx.paths.add(c.Repo, f.OldPath)
				}
			}
		}
	}
	repos := make([]string, 0, len(opts.RepoFiles))
	for r := range opts.RepoFiles {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	for _, r := range repos {
		for _, p := range opts.RepoFiles[r] {
			idx.paths.add(r, p)
		}
	}
	return idx
}

// topoOrder returns the indexes of cands newest first in topological order
// within each repository (a commit before its parents, whatever the dates
// say: rebased series carry out-of-order dates), choosing the newest date
// among the commits whose children are all placed, then the caller's order.
// Repositories follow each other in name order.
func topoOrder(cands []Candidate) []int {
	byRepo := map[string][]int{}
	var repos []string
	for i := range cands {
		r := cands[i].Repo
		if _, ok := byRepo[r]; !ok {
			repos = append(repos, r)
		}
		byRepo[r] = append(byRepo[r], i)
	}
	sort.Strings(repos)
	out := make([]int, 0, len(cands))
	for _, r := range repos {
		ids := byRepo[r]
		pos := make(map[string]int, len(ids)) // hash -> index into cands
		for _, i := range ids {
			if _, dup := pos[cands[i].Commit.Hash]; !dup {
				pos[cands[i].Commit.Hash] = i
			}
		}
		children := make(map[int]int, len(ids))
		for _, i := range ids {
			for _, p := range cands[i].Commit.Parents {
				if j, ok := pos[p]; ok && j != i {
					children[j]++
				}
			}
		}
		h := &readyHeap{cands: cands}
		for _, i := range ids {
			if children[i] == 0 {
				h.push(i)
			}
		}
		placed := 0
		for h.len() > 0 {
			i := h.pop()
			out = append(out, i)
			placed++
			for _, p := range cands[i].Commit.Parents {
				if j, ok := pos[p]; ok && j != i {
					children[j]--
					if children[j] == 0 {
						h.push(j)
					}
				}
			}
		}
		if placed < len(ids) {
			// A cycle or duplicate hashes (not a real history): place the
			// rest by date.
			seen := make(map[int]bool, len(out))
			for _, i := range out {
				seen[i] = true
			}
			var rest []int
			for _, i := range ids {
				if !seen[i] {
					rest = append(rest, i)
				}
			}
			sort.SliceStable(rest, func(a, b int) bool { return cands[rest[a]].Commit.Date.After(cands[rest[b]].Commit.Date) })
			out = append(out, rest...)
		}
	}
	return out
}

// readyHeap is a max-heap of candidate indexes by date (then lower index).
type readyHeap struct {
	cands []Candidate
	items []int
}

func (h *readyHeap) len() int { return len(h.items) }

func (h *readyHeap) less(a, b int) bool {
	da, db := h.cands[a].Commit.Date, h.cands[b].Commit.Date
	if !da.Equal(db) {
		return da.After(db)
	}
	return a < b
}

func (h *readyHeap) push(i int) {
	h.items = append(h.items, i)
	k := len(h.items) - 1
	for k > 0 {
		p := (k - 1) / 2
		if !h.less(h.items[k], h.items[p]) {
			break
		}
		h.items[k], h.items[p] = h.items[p], h.items[k]
		k = p
	}
}

func (h *readyHeap) pop() int {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	k := 0
	for {
		l, r, m := 2*k+1, 2*k+2, k
		if l < len(h.items) && h.less(h.items[l], h.items[m]) {
			m = l
		}
		if r < len(h.items) && h.less(h.items[r], h.items[m]) {
			m = r
		}
		if m == k {
			return top
		}
		h.items[k], h.items[m] = h.items[m], h.items[k]
		k = m
	}
}

// Rank is NewIndex(cands, opts).Rank(sig), for a single signal.
func Rank(sig signal.Signal, cands []Candidate, opts Options) Result {
	return NewIndex(cands, opts).Rank(sig)
}

// renameOnly reports whether every file was renamed without changed lines.
func renameOnly(files []diffstat.File) bool {
	for i := range files {
		f := &files[i]
		if f.Status != diffstat.Renamed || f.LinesAdded+f.LinesRemoved > 0 {
			return false
		}
	}
	return true
}

// whitespaceOnly reports whether the added and removed lines are the same
// multiset once whitespace is ignored (and something changed).
func whitespaceOnly(files []diffstat.File) bool {
	added, removed := 0, 0
	for i := range files {
		added += files[i].LinesAdded
		removed += files[i].LinesRemoved
	}
	if added != removed || added == 0 {
		return false
	}
	counts := map[string]int{}
	n := 0
	for i := range files {
		f := &files[i]
		if f.Binary || (f.LinesAdded+f.LinesRemoved > 0 && len(f.Hunks) == 0) {
			return false
		}
		for hi := range f.Hunks {
			h := &f.Hunks[hi]
			for _, l := range h.Added {
				counts[stripSpace(l.Text)]++
				n++
			}
			for _, l := range h.Removed {
				counts[stripSpace(l.Text)]--
				n++
			}
		}
	}
	if n == 0 {
		return false
	}
	for _, v := range counts {
		if v != 0 {
			return false
		}
	}
	return true
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n', '\v', '\f':
			return -1
		}
		return r
	}, s)
}

// feat is what one frame says about one commit.
type feat struct {
	line, function bool
	prox           float64
	file           float64
	s              float64
	ev             []scoredEvidence
	w              float64 // the frame's weight
}

// scoredEvidence is one piece of evidence, kept raw while ranking and
// formatted only for the suspects returned.
type scoredEvidence struct {
	kind   string
	weight float64
	frame  *signal.Frame
	path   string         // file in the commit's version
	line   int            // line (of the hit, of the nearest change)
	cur    int            // the frame's line translated to this commit
	hunk   *diffstat.Hunk // the hunk the evidence points at
	n      int            // distance (proximity) or newer commits (file)
	ident  string         // function name (function)
	mapped string         // the frame's repository path at signal time
	detail string         // preformatted (text, recency)
}

// evidence formats e.
func (e *scoredEvidence) evidence() Evidence {
	out := Evidence{Kind: e.kind, File: e.path, Detail: e.detail}
	if e.hunk != nil {
		out.Hunk = hunkHeader(e.hunk)
	}
	var where string
	if e.frame != nil {
		where = frameWhere(*e.frame)
	}
	switch e.kind {
	case KindLine:
		out.Line = e.line
		out.Detail = fmt.Sprintf("added line %d of %s%s", e.line, e.path, where)
		if e.line != e.frame.Line || e.path != e.mapped {
			out.Detail = fmt.Sprintf("added line %d of %s (line %d of %s at signal time)%s", e.line, e.path, e.frame.Line, e.mapped, where)
		}
	case KindProximity:
		out.Line = e.line
		out.Detail = fmt.Sprintf("changed line %d of %s, %d lines from the frame's line %d%s", e.line, e.path, e.n, e.cur, where)
	case KindFunction:
		out.Line = e.line
		out.Detail = fmt.Sprintf("changed %s in %s%s", e.ident, e.path, where)
	case KindFile:
		out.Detail = fmt.Sprintf("touched %s%s", e.path, where)
		if e.n > 0 {
			out.Detail = fmt.Sprintf("touched %s%s; %d newer commits touched it since", e.path, where, e.n)
		}
	}
	return out
}

// acc accumulates one commit's score over frames.
type acc struct {
	structural float64
	feats      []*feat // per frame, evidence weighted by w
	text       float64
	words      []string // symptom words matched
}

// Rank ranks the candidates for one signal.
func (idx *Index) Rank(sig signal.Signal) Result {
	res := Result{Signal: sig, Frames: make([]MappedFrame, len(sig.Frames)), Suspects: []Suspect{}}
	limit := int64(math.MaxInt64)
	at := idx.opts.At
	if sig.Timestamp != nil {
		at = *sig.Timestamp
	}
	if !at.IsZero() {
		limit = at.Unix()
	}
	ref := limit
	if at.IsZero() {
		ref = idx.newest
	}
	targets := make([][]fileTarget, len(sig.Frames))
	inApp, mapped := 0, 0
	for i, f := range sig.Frames {
		mf := MappedFrame{Frame: f}
		t, note := idx.paths.mapFrame(f)
		if len(t) > 0 {
			mf.Repo, mf.Path = t[0].repo, t[0].path
		}
		mf.Note = note
		res.Frames[i] = mf
		targets[i] = t
		if f.InApp {
			inApp++
			if len(t) > 0 {
				mapped++
			}
		}
	}
	switch {
	case len(sig.Frames) == 0:
		return abstain(res, ReasonNoFrames)
	case inApp == 0:
		return abstain(res, ReasonNoInApp)
	case mapped == 0:
		return abstain(res, ReasonNoMapping)
	case len(idx.cands) == 0 || idx.oldest > limit:
		return abstain(res, ReasonNoCandidates)
	}

	accs := map[int32]*acc{}
	type seenKey struct {
		t    fileTarget
		line int
	}
	seen := map[seenKey]bool{}
	k := 0
	for i, f := range sig.Frames {
		if !f.InApp {
			continue
		}
		w := math.Pow(frameDecay, float64(k))
		k++
		ident := funcIdent(f.Function)
		feats := map[int32]*feat{}
		for _, t := range targets[i] {
			sk := seenKey{t, f.Line}
			if seen[sk] {
				continue // recursion: the same line again adds nothing
			}
			seen[sk] = true
			idx.walk(t, &sig.Frames[i], ident, limit, feats)
		}
		for ci, ft := range feats {
			c := &idx.cands[ci]
			ft.s = wLine*b2f(ft.line) + wFunction*b2f(ft.function) + c.damp*(wProximity*ft.prox+wFile*ft.file)
			if ft.s <= 0 {
				continue // visited beyond maxNear without a line hit
			}
			a := accs[ci]
			if a == nil {
				a = &acc{}
				accs[ci] = a
			}
			a.structural += w * ft.s
			ft.w = w
			a.feats = append(a.feats, ft)
		}
	}
	if len(accs) == 0 {
		if idx.textMatches(sig.Symptoms, limit) {
			return abstain(res, ReasonTextOnly)
		}
		return abstain(res, ReasonNoTouch)
	}

	idx.textScores(sig.Symptoms, accs)
	type scored struct {
		ci  int32
		raw float64
	}
	list := make([]scored, 0, len(accs))
	for ci, a := range accs {
		c := &idx.cands[ci]
		raw := c.penalty*a.structural + a.text
		age := time.Duration(ref-c.unix) * time.Second
		if age < 0 {
			age = 0
		}
		r := wRecency * math.Exp2(-float64(age)/float64(halfLife))
		raw += r
		list = append(list, scored{ci, raw})
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.raw != b.raw {
			return a.raw > b.raw
		}
		ca, cb := &idx.cands[a.ci], &idx.cands[b.ci]
		if ca.unix != cb.unix {
			return ca.unix > cb.unix
		}
		if ca.Commit.Hash != cb.Commit.Hash {
			return ca.Commit.Hash < cb.Commit.Hash
		}
		return ca.Repo < cb.Repo
	})
	if len(list) > idx.opts.Top {
		list = list[:idx.opts.Top]
	}
	for i, s := range list {
		c := &idx.cands[s.ci]
		a := accs[s.ci]
		age := time.Duration(ref-c.unix) * time.Second
		var ev []scoredEvidence
		for _, ft := range a.feats {
			for _, e := range ft.ev {
				e.weight *= ft.w
				ev = append(ev, e)
			}
		}
		if a.text > 0 {
			ws := a.words
			if len(ws) > 5 {
				ws = append(ws[:5:5], "...")
			}
			ev = append(ev, scoredEvidence{kind: KindText, weight: a.text, detail: "symptom words in the message or changed lines: " + strings.Join(ws, ", ")})
		}
		ev = append(ev, scoredEvidence{kind: KindRecency, detail: recencyDetail(max(age, 0), !at.IsZero())})
		sort.SliceStable(ev, func(i, j int) bool {
			if kindOrder(ev[i].kind) != kindOrder(ev[j].kind) {
				return kindOrder(ev[i].kind) < kindOrder(ev[j].kind)
			}
			return ev[i].weight > ev[j].weight
		})
		out := make([]Evidence, 0, min(len(ev), maxEvidence))
		for _, e := range ev {
			if len(out) == maxEvidence {
				break
			}
			out = append(out, e.evidence())
		}
		res.Suspects = append(res.Suspects, Suspect{
			Rank:      i + 1,
			Repo:      c.Repo,
			Hash:      c.Commit.Hash,
			Score:     math.Round((1-math.Exp(-s.raw))*1e4) / 1e4,
			Evidence:  out,
			Penalties: c.flags,
			Commit:    c.Commit,
		})
	}
	return res
}

func abstain(res Result, reason string) Result {
	res.Abstained = true
	res.Reason = reason
	return res
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func kindOrder(k string) int {
	switch k {
	case KindLine:
		return 0
	case KindFunction:
		return 1
	case KindProximity:
		return 2
	case KindFile:
		return 3
	case KindText:
		return 4
	case KindRecency:
		return 5
	}
	return 6
}

// walk blames frame f's line in file t through the candidates that touched
// it, newest to oldest, following renames, and records features in feats.
func (idx *Index) walk(t fileTarget, f *signal.Frame, ident string, limit int64, feats map[int32]*feat) {
	list := idx.touches[t]
	pos := 0
	path := t.path
	line := f.Line
	lineDone := line <= 0
	newer := 0
	for steps := 0; pos < len(list) && steps < maxWalk; steps++ {
		tc := list[pos]
		c := &idx.cands[tc.ci]
		file := &c.Change.Files[tc.fi]
		if c.unix > limit {
			// After the signal: not part of the version that failed.
			pos++
			continue
		}
		if file.Path != path {
			// Listed under its old path: the commit renamed path away, so
			// in this walk the file did not exist yet under this name.
			pos++
			continue
		}
		near := newer < maxNear
		if !near && lineDone {
			return
		}
		ft := feats[tc.ci]
		if ft == nil {
			ft = &feat{}
			feats[tc.ci] = ft
		}
		var st lineStep
		if line > 0 {
			st = stepLine(file, line)
		}
		if !lineDone && st.hit {
			lineDone = true
			if !ft.line {
				ft.line = true
				ft.ev = append(ft.ev, scoredEvidence{kind: KindLine, weight: wLine, frame: f, path: path, line: line, hunk: &file.Hunks[st.hitHunk], mapped: t.path})
			}
		} else if near && line > 0 && st.dist >= 0 && !lineDone {
			p := 1 / (1 + float64(st.dist)/proxScale)
			if p > ft.prox {
				ft.prox = p
				ft.ev = appendReplacing(ft.ev, scoredEvidence{kind: KindProximity, weight: wProximity * p * c.damp, frame: f, path: path,
					line: st.nearLine, cur: line, n: st.dist, hunk: &file.Hunks[st.nearHunk]})
			}
		}
		if near && ident != "" && !ft.function {
			for hi := range file.Hunks {
				h := &file.Hunks[hi]
				if strings.Contains(h.Section, ident) && sectionIdent(h.Section) == ident {
					ft.function = true
					ft.ev = append(ft.ev, scoredEvidence{kind: KindFunction, weight: wFunction, frame: f, path: path, line: h.NewStart, hunk: h, ident: ident})
					break
				}
			}
		}
		fv := 1 / (1 + float64(newer))
		if near && fv > ft.file {
			ft.file = fv
			ft.ev = appendReplacing(ft.ev, scoredEvidence{kind: KindFile, weight: wFile * fv * c.damp, frame: f, path: path, n: newer})
		}
		newer++
		if line > 0 {
			line = st.parent
		}
		if file.Status == diffstat.Added {
			return // the file was born here
		}
		if file.Status == diffstat.Renamed && file.OldPath != "" && file.OldPath != path {
			path = file.OldPath
			list = idx.touches[fileTarget{t.repo, path}]
			ci := tc.ci
			pos = sort.Search(len(list), func(i int) bool { return list[i].ci > ci })
			continue
		}
		pos++
	}
}

// appendReplacing appends e, replacing an earlier item of the same kind.
func appendReplacing(ev []scoredEvidence, e scoredEvidence) []scoredEvidence {
	for i := range ev {
		if ev[i].kind == e.kind {
			ev[i] = e
			return ev
		}
	}
	return append(ev, e)
}

// frameWhere describes a frame for evidence details:
// " (the crashing frame, in (*Cart).Total)".
func frameWhere(f signal.Frame) string {
	who := "the crashing frame"
	if f.Depth > 0 {
		who = fmt.Sprintf("frame #%d", f.Depth)
	}
	if f.Function != "" {
		return " (" + who + ", in " + f.Function + ")"
	}
	return " (" + who + ")"
}

func recencyDetail(age time.Duration, haveTime bool) string {
	ref := "the signal"
	if !haveTime {
		ref = "the newest candidate"
	}
	switch {
	case age < time.Hour:
		return fmt.Sprintf("committed %d minutes before %s", int(age.Minutes()), ref)
	case age < 48*time.Hour:
		return fmt.Sprintf("committed %d hours before %s", int(age.Hours()), ref)
	default:
		return fmt.Sprintf("committed %d days before %s", int(age.Hours()/24), ref)
	}
}

// symptomWords tokenizes symptoms into distinct words.
func symptomWords(symptoms []string) []string {
	var words []string
	seen := map[string]bool{}
	for _, s := range symptoms {
		tokens(s, func(w string) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		})
	}
	return words
}

// textIndex builds the inverted word index on first use.
func (idx *Index) textIndex() *textIndex {
	idx.textOnce.Do(func() {
		idx.text.postings = map[string][]int32{}
		for i := range idx.cands {
			idx.text.add(int32(i), idx.cands[i].Candidate)
		}
	})
	return &idx.text
}

// textMatches reports whether any candidate at or before the signal (index
// dated at or before limit) matches a symptom word.
func (idx *Index) textMatches(symptoms []string, limit int64) bool {
	words := symptomWords(symptoms)
	if len(words) == 0 {
		return false
	}
	ti := idx.textIndex()
	for _, w := range words {
		p := ti.postings[w]
		for _, ci := range p {
			if idx.cands[ci].unix <= limit {
				return true
			}
		}
	}
	return false
}

// textScores adds the symptom-text score T(c) to the commits in accs.
func (idx *Index) textScores(symptoms []string, accs map[int32]*acc) {
	words := symptomWords(symptoms)
	if len(words) == 0 {
		return
	}
	ti := idx.textIndex()
	n := float64(len(idx.cands))
	total := 0.0
	idf := make([]float64, len(words))
	for i, w := range words {
		df := float64(len(ti.postings[w]))
		idf[i] = math.Log(1 + n/math.Max(df, 1))
		total += idf[i]
	}
	var keys []int32 // the scored commits, in index order
	for i, w := range words {
		post := ti.postings[w]
		add := wText * idf[i] / total
		if len(post) <= 4*len(accs) {
			for _, ci := range post {
				if a, ok := accs[ci]; ok {
					a.text += add
					a.words = append(a.words, w)
				}
			}
			continue
		}
		// A common word: look the scored commits up in its postings.
		if keys == nil {
			keys = make([]int32, 0, len(accs))
			for ci := range accs {
				keys = append(keys, ci)
			}
			sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		}
		for _, ci := range keys {
			j := sort.Search(len(post), func(k int) bool { return post[k] >= ci })
			if j < len(post) && post[j] == ci {
				a := accs[ci]
				a.text += add
				a.words = append(a.words, w)
			}
		}
	}
}
