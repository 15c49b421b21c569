package suspect

import (
	"math"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Formula is the scoring formula, quoted by the documentation.
const Formula = `raw(c) = P(c) * (1 + 0.5*fixed) * sum over in-app mapped frames f of w(f) * S(c,f) + T(c) + R(c), for commits with S > 0
  w(f)   = 1/(1 + 0.5*k), k = the frame's position among the mapped in-app frames of its stack (0 = nearest the crash);
           * 0.5 for the further stacks of a report (where memory was freed or allocated, the other thread of a race)
  S(c,f) = 1.0*line + 0.8*call + 0.5*function + 0.2*callee + D(c) * (0.1*caller + 0.3*proximity + 0.15*file/(1+n))
    line      = 1 if c added the frame's line (windowed blame from the failing version, through merges into side branches)
    call      = 1 if c added, inside the frame's function, a call to the function the trace shows it calling (without a line hit)
    function  = 0.25 + 0.75/(1 + d/20) if c added or removed lines inside the frame's function (its extent in the file at c,
                or without the file a hunk header naming it; d = lines from the frame's line to the nearest of them, 0 when
                unknown), or wrote its definition (without a call)
    callee    = 1 if c changed a function (by its hunk header) that the frame's function calls on the 30 lines up to the
                frame's line and that no frame of the trace runs (without line, call or function)
    caller    = 1 if f is the only in-app frame of the crash stack that maps to a file, and c added a call to f's function
                (an indented line, no definition, in a file of the same language; without line, call, function or callee)
    proximity = 1/(1 + d/10), d = lines from the frame's line to c's nearest changed line
                (only for commits at or newer than the line's blamed commit)
    file      = 1 if c touched the frame's file; n = newer candidates that touched it since
    (function, proximity and file count for the 64 newest commits touching the file; line blame walks up to 2000)
  when no commit touched a frame's file (every S would be 0), the frames' folders stand in, for the frames that name a file:
    S(c,f) = 0.15 * D(c) * dir,  dir = (c's changed files in f's folder / c's changed files) / (1 + m)
    for commits that changed files beside f's file and none of the frames' files; m = newer candidates that changed the folder since
  when some commit did touch a frame's file, the same at 0.02 instead of 0.15
  fixed  = 1 if a commit of the failing version names c as a cause: a "Fixes: <hash>" trailer (or Regression-from:, Broken-by:,
           Introduced-by:, ...), or a sentence ("introduced in commit <hash>", "a regression from <hash>"; not a revert)
  D(c)   = ln 3 / ln(2 + files changed by c)      (size damping; 1 for a one-file commit)
  P(c)   = 0.5 if merge, * 0.2 if whitespace-only, * 0.1 if rename-only; a merge whose change to a frame's file its merged
           branch's commits made, line for line, gets no line, proximity, function or file evidence from it (they do)
  T(c)   = 0.15 * sum of idf(t) over symptom words t found in c's message or changed lines / sum of idf(t) over all symptom words,
           idf(t) = ln(1 + N/df(t)) over the N candidates
  R(c)   = 0.05 * 2^(-age/7 days), age = signal time - landing time of c
score(c) = 1 - exp(-raw(c))   (0..1); ties: higher score, then newer commit, then smaller hash`

const (
	// maxWalk bounds how many commits one frame's blame walk visits.
	maxWalk = 2000
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
	KindCallee    = "callee" // changed a function the frame's function calls just before
	KindCaller    = "caller" // added a call to the function of a report's only frame
	KindFile      = "file"
	KindDir       = "directory" // changed files beside a frame's file (weaker when others touched it)
	KindText      = "text"
	KindFixed     = "fixed"
	KindRecency   = "recency"
)

// Abstention reasons. Each reads after "no confident suspect: ".
const (
	ReasonNoFrames     = "the signal has no frames"
	ReasonNoInApp      = "the signal has no in-app frames"
	ReasonEmptyWindow  = "the window holds no commits"
	ReasonNoCandidates = "no commit of the window had landed by the signal's time"
	ReasonNoMapping    = "no frame maps to a repository file"
	ReasonNoTouch      = "no commit of the window touched a frame's file or a file beside it"
	ReasonTextOnly     = "the best evidence is only text or recency (no commit of the window touched a frame's file or a file beside it)"
)

// candInfo is one candidate with what the index precomputes about it.
type candInfo struct {
	*Candidate
	repo    *repoIndex
	unix    int64 // landing time
	damp    float64
	penalty float64
	flags   []string
	// files maps a path the commit touched (new and old path of a rename)
	// to its file entry.
	files map[string]int32
}

// repoIndex is one repository's commits in topological order, newest first.
type repoIndex struct {
	name  string
	cands []int32 // indexes into Index.cands
	head  int32   // -1: none
	pos   map[string]int32

	mu    sync.Mutex
	reach map[int32][]bool // version -> its ancestors in the window
	sides map[int32][]bool // merge -> commits only its second parent reaches
	mains map[int32][]bool // merge -> commits only its first parent reaches
	// carriers memoizes carried: whether a merge's change to a path is
	// all its branch's, the same for every frame and signal.
	carriers map[mergePath]bool
}

// Index holds the windows of one or more repositories, indexed for
// ranking many signals. It is safe for concurrent Rank calls.
type Index struct {
	opts    Options
	w       Weights
	cands   []candInfo
	repos   []*repoIndex
	byName  map[string]*repoIndex
	touches map[fileTarget][]int32 // commits touching a file, newest first
	paths   *pathIndex
	// defs and hunkDefs map a function name to where it is defined: from
	// the sources' definitions, and from the window's hunk headers.
	defs, hunkDefs map[string][]fileTarget
	// hunksOf maps a function name to the window's hunks whose headers
	// name it, per repository in topological order (see calleeEvidence).
	hunksOf map[string][]hunkRef
	// fixedBy maps a commit to the window's commits naming it as a cause
	// (see fixesOf).
	fixedBy map[int32][]int32

	textOnce sync.Once
	text     textIndex
}

// NewIndex indexes repos for ranking.
func NewIndex(repos []RepoHistory, opts Options) *Index {
	if opts.Top <= 0 {
		opts.Top = 5
	}
	idx := &Index{
		opts:    opts,
		w:       DefaultWeights,
		byName:  map[string]*repoIndex{},
		touches: map[fileTarget][]int32{},
		paths:   newPathIndex(opts.Mappings),
		defs:    map[string][]fileTarget{}, hunkDefs: map[string][]fileTarget{}, hunksOf: map[string][]hunkRef{},
	}
	if opts.Weights != nil {
		idx.w = *opts.Weights
	}
	sort.SliceStable(repos, func(i, j int) bool { return repos[i].Repo < repos[j].Repo })
	for ri := range repos {
		r := &repos[ri]
		rx := idx.byName[r.Repo]
		if rx == nil {
			rx = &repoIndex{name: r.Repo, head: -1, pos: map[string]int32{}, reach: map[int32][]bool{}, sides: map[int32][]bool{}, mains: map[int32][]bool{}, carriers: map[mergePath]bool{}}
			idx.byName[r.Repo] = rx
			idx.repos = append(idx.repos, rx)
		}
		for _, oi := range topoOrder(r.Commits) {
			c := &r.Commits[oi]
			if c.Repo == "" {
				c.Repo = r.Repo
			}
			if _, dup := rx.pos[c.Commit.Hash]; dup {
				continue
			}
			ci := int32(len(idx.cands))
			idx.cands = append(idx.cands, idx.info(c, rx))
			rx.pos[c.Commit.Hash] = ci
			rx.cands = append(rx.cands, ci)
		}
		if i, ok := rx.pos[r.Head]; ok && r.Head != "" {
			rx.head = i
		} else if len(rx.cands) > 0 {
			rx.head = rx.cands[0]
		}
		for _, p := range r.Tree {
			idx.paths.add(r.Repo, p)
		}
		for id, paths := range r.Definitions {
			for _, p := range paths {
				idx.defs[id] = appendTarget(idx.defs[id], fileTarget{r.Repo, p})
			}
		}
	}
	idx.fixedBy = fixesOf(idx)
	// Touches in topological order within each repository.
	for _, rx := range idx.repos {
		for _, ci := range rx.cands {
			c := &idx.cands[ci]
			if c.Change == nil {
				continue
			}
			for p := range c.files {
				t := fileTarget{rx.name, p}
				idx.touches[t] = append(idx.touches[t], ci)
			}
			for fi := range c.Change.Files {
				f := &c.Change.Files[fi]
				if extentLang(f.Path) == "" {
					// A hunk of a README or a changelog defines no
					// function, whatever line git put in its header.
					continue
				}
				for hi := range f.Hunks {
					if id := hunkFunction(f.Hunks[hi].Section); id != "" && f.Path != "" {
						idx.hunkDefs[id] = appendTarget(idx.hunkDefs[id], fileTarget{rx.name, f.Path})
						idx.hunksOf[id] = append(idx.hunksOf[id], hunkRef{ci, int32(fi), int32(hi)})
					}
				}
			}
		}
	}
	for t := range idx.touches {
		idx.paths.add(t.repo, t.path)
	}
	return idx
}

// info precomputes what ranking needs about one candidate.
func (idx *Index) info(c *Candidate, rx *repoIndex) candInfo {
	landed := c.Commit.Landed
	if landed.IsZero() {
		landed = c.Commit.Date
	}
	ci := candInfo{Candidate: c, repo: rx, unix: landed.Unix(), penalty: 1}
	nfiles := 0
	if c.Change != nil {
		nfiles = len(c.Change.Files)
		ci.files = make(map[string]int32, nfiles)
		for fi := range c.Change.Files {
			f := &c.Change.Files[fi]
			if f.Path != "" {
				ci.files[f.Path] = int32(fi)
			}
			if f.OldPath != "" && f.OldPath != f.Path {
				if _, ok := ci.files[f.OldPath]; !ok {
					ci.files[f.OldPath] = int32(fi)
				}
			}
		}
	}
	ci.damp = math.Log(3) / math.Log(2+float64(max(nfiles, 1)))
	if c.Commit.IsMerge() {
		ci.penalty *= idx.w.Merge
		ci.flags = append(ci.flags, "merge commit")
	}
	if c.Change != nil && len(c.Change.Files) > 0 {
		if renameOnly(c.Change.Files) {
			ci.penalty *= idx.w.Rename
			ci.flags = append(ci.flags, "rename-only")
		} else if whitespaceOnly(c.Change.Files) {
			ci.penalty *= idx.w.Whitespace
			ci.flags = append(ci.flags, "whitespace-only")
		}
	}
	return ci
}

// appendTarget appends t unless list has it.
func appendTarget(list []fileTarget, t fileTarget) []fileTarget {
	for _, x := range list {
		if x == t {
			return list
		}
	}
	return append(list, t)
}

// maxDefinitions is the most files a function-only frame is blamed in:
// a name defined in more places (per architecture, per driver) says too
// little about where the crash was.
const maxDefinitions = 2

// defined maps a frame that names only a function to the files that
// define it, preferring the sources' definitions to the window's hunk
// headers, and a file whose name the frame gives ("vgic-v3.c#init").
// The caller narrows a long list (nearestDefinitions, maxDefinitions).
func (idx *Index) defined(f signal.Frame) ([]fileTarget, string) {
	ident := funcIdent(f.Function)
	if ident == "" {
		return nil, ""
	}
	list := idx.defs[ident]
	how := "defines " + ident
	if len(list) == 0 {
		list = idx.hunkDefs[ident]
		how = "a hunk of the window names " + ident
	}
	if hint, _, ok := strings.Cut(f.Function, "#"); ok && len(list) > 1 {
		var pick []fileTarget
		for _, t := range list {
			if path.Base(t.path) == path.Base(hint) {
				pick = append(pick, t)
			}
		}
		if len(pick) > 0 {
			list = pick
		}
	}
	return list, how
}

// nearestDefinitions narrows the files defining frame i's function to
// those nearest, in the folder tree, to the files the other frames of its
// stack map to by name: a call from xen/arch/x86/cpu/amd.c reaches the
// x86 identify_cpu, not the Arm one.
func nearestDefinitions(list []fileTarget, frames []signal.Frame, targets [][]fileTarget, byName []bool, i int) []fileTarget {
	if len(list) < 2 {
		return list
	}
	var anchors []fileTarget
	for j, f := range frames {
		if j != i && f.InApp && f.Stack == frames[i].Stack && len(targets[j]) == 1 && !byName[j] {
			anchors = append(anchors, targets[j][0])
		}
	}
	return nearestTo(list, anchors)
}

// nearestTo narrows list to the files nearest, in the folder tree, to any
// of anchors (list itself when all are as near).
func nearestTo(list, anchors []fileTarget) []fileTarget {
	if len(list) < 2 || len(anchors) == 0 {
		return list
	}
	best, worst := -1, math.MaxInt
	near := make([]int, len(list))
	for k, t := range list {
		for _, a := range anchors {
			if a.repo == t.repo {
				near[k] = max(near[k], sharedFolders(a.path, t.path))
			}
		}
		best, worst = max(best, near[k]), min(worst, near[k])
	}
	if best == worst {
		return list
	}
	var out []fileTarget
	for k, t := range list {
		if near[k] == best {
			out = append(out, t)
		}
	}
	return out
}

// notTestDefinitions leaves out of the files defining a function-only
// frame's function the tests' own stand-ins for it (SPDK's unit tests
// define spdk_bdev_io_complete in five of them) when the code under test
// defines it too. A stack nearest to a test's file kept only that one
// (nearestDefinitions).
func notTestDefinitions(list []fileTarget) []fileTarget {
	if len(list) < 2 {
		return list
	}
	var out []fileTarget
	for _, t := range list {
		if !testPath(t.path) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return list
	}
	return out
}

// testPath reports whether a repository path is a test's: under a test
// folder (test/, tests/, testing/, unittest/, testdata/) or named as one
// (x_test.go, test_x.py, x_ut.c, x_unittest.cc, x.test.js).
func testPath(p string) bool {
	dir, base := path.Split(p)
	for _, c := range strings.Split(strings.TrimSuffix(dir, "/"), "/") {
		switch strings.ToLower(c) {
		case "test", "tests", "testing", "unittest", "unittests", "unit-tests", "testdata", "__tests__", "selftests":
			return true
		}
	}
	stem := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
	return strings.HasPrefix(stem, "test_") || strings.HasSuffix(stem, "_test") || strings.HasSuffix(stem, "_ut") ||
		strings.HasSuffix(stem, "_unittest") || strings.HasSuffix(stem, ".test") || strings.HasSuffix(stem, "_tests")
}

// sharedFolders counts the leading folders two slash paths share.
func sharedFolders(a, b string) int {
	da, db := strings.Split(path.Dir(a), "/"), strings.Split(path.Dir(b), "/")
	n := 0
	for n < len(da) && n < len(db) && da[n] == db[n] && da[n] != "." {
		n++
	}
	return n
}

// topoOrder returns the indexes of cands newest first in topological order
// (a commit before its parents, whatever the dates say: rebased series
// carry out-of-order dates), choosing the newest landing time among the
// commits whose children are all placed, then the caller's order.
func topoOrder(cands []Candidate) []int {
	pos := make(map[string]int, len(cands))
	for i := range cands {
		if _, dup := pos[cands[i].Commit.Hash]; !dup {
			pos[cands[i].Commit.Hash] = i
		}
	}
	children := make([]int, len(cands))
	for i := range cands {
		for _, p := range cands[i].Commit.Parents {
			if j, ok := pos[p]; ok && j != i {
				children[j]++
			}
		}
	}
	h := &readyHeap{cands: cands}
	for i := range cands {
		if children[i] == 0 {
			h.push(i)
		}
	}
	out := make([]int, 0, len(cands))
	placed := make([]bool, len(cands))
	for h.len() > 0 {
		i := h.pop()
		out = append(out, i)
		placed[i] = true
		for _, p := range cands[i].Commit.Parents {
			if j, ok := pos[p]; ok && j != i {
				children[j]--
				if children[j] == 0 {
					h.push(j)
				}
			}
		}
	}
	if len(out) < len(cands) {
		// A cycle or duplicate hashes (not a real history): place the rest
		// by date.
		var rest []int
		for i := range cands {
			if !placed[i] {
				rest = append(rest, i)
			}
		}
		sort.SliceStable(rest, func(a, b int) bool { return landedOf(&cands[rest[a]]) > landedOf(&cands[rest[b]]) })
		out = append(out, rest...)
	}
	return out
}

func landedOf(c *Candidate) int64 {
	if !c.Commit.Landed.IsZero() {
		return c.Commit.Landed.Unix()
	}
	return c.Commit.Date.Unix()
}

// readyHeap is a max-heap of candidate indexes by landing time (then lower
// index).
type readyHeap struct {
	cands []Candidate
	items []int
}

func (h *readyHeap) len() int { return len(h.items) }

func (h *readyHeap) less(a, b int) bool {
	da, db := landedOf(&h.cands[a]), landedOf(&h.cands[b])
	if da != db {
		return da > db
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

// Rank is NewIndex for candidates of any repositories (grouped by their
// Repo, each repository's head being its newest commit) and ranks sig.
func Rank(sig signal.Signal, cands []Candidate, opts Options) Result {
	byRepo := map[string]*RepoHistory{}
	var order []string
	for _, c := range cands {
		r := byRepo[c.Repo]
		if r == nil {
			r = &RepoHistory{Repo: c.Repo}
			byRepo[c.Repo] = r
			order = append(order, c.Repo)
		}
		r.Commits = append(r.Commits, c)
	}
	repos := make([]RepoHistory, 0, len(order))
	for _, name := range order {
		repos = append(repos, *byRepo[name])
	}
	return NewIndex(repos, opts).Rank(sig)
}

// firstParent returns the candidate index of c's first parent in the same
// repository's window, or -1.
func (idx *Index) firstParent(ci int32) int32 {
	c := &idx.cands[ci]
	if len(c.Commit.Parents) == 0 {
		return -1
	}
	if j, ok := c.repo.pos[c.Commit.Parents[0]]; ok {
		return j
	}
	return -1
}

// secondParent returns the candidate index of merge c's second parent in
// the same repository's window, or -1.
func (idx *Index) secondParent(ci int32) int32 {
	c := &idx.cands[ci]
	if len(c.Commit.Parents) < 2 {
		return -1
	}
	if j, ok := c.repo.pos[c.Commit.Parents[1]]; ok {
		return j
	}
	return -1
}

// mainSideTouched reports whether a commit that merge m's first parent
// reaches but its other parents do not (the main line's own work since the
// branch forked, within the window) touched path.
func (idx *Index) mainSideTouched(rx *repoIndex, m int32, repo, path string) bool {
	rx.mu.Lock()
	main, ok := rx.mains[m]
	rx.mu.Unlock()
	if !ok {
		main = idx.reachFrom(rx, idx.firstParent(m))
		var others []int32
		for _, p := range idx.cands[m].Commit.Parents[1:] {
			if j, ok := rx.pos[p]; ok {
				others = append(others, j)
			}
		}
		side := idx.reachFrom(rx, others...)
		for i := range main {
			if side[i] {
				main[i] = false
			}
		}
		rx.mu.Lock()
		rx.mains[m] = main
		rx.mu.Unlock()
	}
	for _, c := range idx.touches[fileTarget{repo, path}] {
		if main[c] {
			return true
		}
	}
	return false
}

// mergePath names a merge's change to one path.
type mergePath struct {
	m    int32
	path string
}

// carried reports whether merge m's change to path (its diff against the
// first parent) is all its merged branch's: every line it adds or removes,
// blank ones aside, some commit of the window that only its other parents
// reach added or removed in path too. A merge that resolved a conflict its
// own way, or whose branch began before the window, is no carrier. The
// answer is memoized per merge and path.
func (idx *Index) carried(rx *repoIndex, m int32, repo, path string) bool {
	k := mergePath{m, path}
	rx.mu.Lock()
	v, ok := rx.carriers[k]
	rx.mu.Unlock()
	if !ok {
		v = idx.carriedNow(rx, m, repo, path)
		rx.mu.Lock()
		rx.carriers[k] = v
		rx.mu.Unlock()
	}
	return v
}

// fileOf returns candidate c's change to path, listed under path itself
// (not as the old path of a rename), or nil.
func (idx *Index) fileOf(c int32, path string) *diffstat.File {
	ci := &idx.cands[c]
	fi, ok := ci.files[path]
	if !ok || ci.Change == nil || ci.Change.Files[fi].Path != path {
		return nil
	}
	return &ci.Change.Files[fi]
}

func (idx *Index) carriedNow(rx *repoIndex, m int32, repo, path string) bool {
	file := idx.fileOf(m, path)
	if file == nil || len(file.Hunks) == 0 {
		return false
	}
	side := idx.side(rx, m)
	added, removed := map[string]bool{}, map[string]bool{}
	for _, c := range idx.touches[fileTarget{repo, path}] {
		sf := idx.fileOf(c, path)
		if !side[c] || sf == nil {
			continue
		}
		for _, h := range sf.Hunks {
			for _, l := range h.Added {
				added[strings.TrimSpace(l.Text)] = true
			}
			for _, l := range h.Removed {
				removed[strings.TrimSpace(l.Text)] = true
			}
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return false
	}
	for _, h := range file.Hunks {
		for _, l := range h.Added {
			if t := strings.TrimSpace(l.Text); t != "" && !added[t] {
				return false
			}
		}
		for _, l := range h.Removed {
			if t := strings.TrimSpace(l.Text); t != "" && !removed[t] {
				return false
			}
		}
	}
	return true
}

// version returns the commit of rx's first-parent chain that was the tip at
// limit (unix seconds): the newest one that had landed by then, or -1.
func (idx *Index) version(rx *repoIndex, limit int64) int32 {
	v := rx.head
	for steps := 0; v >= 0 && steps <= len(rx.cands); steps++ {
		if idx.cands[v].unix <= limit {
			return v
		}
		v = idx.firstParent(v)
	}
	return -1
}

// ancestors returns, for each candidate of the index, whether it is
// reachable from start within start's repository window (start included).
// The result is memoized in memo under key.
func (idx *Index) ancestors(rx *repoIndex, memo map[int32][]bool, key int32, starts ...int32) []bool {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	if r, ok := memo[key]; ok {
		return r
	}
	r := idx.reachFrom(rx, starts...)
	memo[key] = r
	return r
}

func (idx *Index) reachFrom(rx *repoIndex, starts ...int32) []bool {
	seen := make([]bool, len(idx.cands))
	stack := make([]int32, 0, 64)
	for _, s := range starts {
		if s >= 0 && !seen[s] {
			seen[s] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		ci := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range idx.cands[ci].Commit.Parents {
			if j, ok := rx.pos[p]; ok && !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return seen
}

// side returns the commits that merge m brought in: reachable from its
// second and further parents but not from its first.
func (idx *Index) side(rx *repoIndex, m int32) []bool {
	rx.mu.Lock()
	if s, ok := rx.sides[m]; ok {
		rx.mu.Unlock()
		return s
	}
	rx.mu.Unlock()
	c := &idx.cands[m]
	var others []int32
	for _, p := range c.Commit.Parents[1:] {
		if j, ok := rx.pos[p]; ok {
			others = append(others, j)
		}
	}
	s := idx.reachFrom(rx, others...)
	if fp := idx.firstParent(m); fp >= 0 {
		main := idx.reachFrom(rx, fp)
		for i := range s {
			if main[i] {
				s[i] = false
			}
		}
	}
	rx.mu.Lock()
	rx.sides[m] = s
	rx.mu.Unlock()
	return s
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
