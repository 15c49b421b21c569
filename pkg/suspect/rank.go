package suspect

import (
	"fmt"
	"maps"
	"math"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// feat is what one frame says about one commit.
type feat struct {
	line, function, call bool
	callee               bool    // changed a function the frame's function calls (see calleeEvidence)
	caller               bool    // added a call to the function of the only frame (see callerEvidence)
	lineSpec             float64 // how specific the line hit is (see Weights.Spread)
	fnVal                float64 // what the function evidence is worth (see Weights.FnFloor)
	prox                 float64
	file                 float64
	s                    float64
	ev                   []scoredEvidence
	w                    float64 // the frame's weight
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
	n      int            // distance (proximity), newer commits (file), files changed beside (directory)
	of     int            // files the commit changed (directory)
	since  int            // newer commits that changed the folder (directory)
	ident  string         // function name (function)
	mapped string         // the frame's repository path at signal time
	side   bool           // found in a merged side branch
	call   bool           // a line hit for adding the call to ident
	detail string         // preformatted (text, recency)
}

// acc accumulates one commit's score over frames.
type acc struct {
	structural float64
	feats      []*feat // per frame, evidence weighted by w
	text       float64
	words      []string // symptom words matched
	// fixed is what a later commit naming it as a cause (fixedBy) adds.
	fixed   float64
	fixedBy int32
}

// rankCtx is the state of one Rank call.
type rankCtx struct {
	idx   *Index
	limit int64
	at    time.Time
	// versions and reach, per repository: the failing version and the
	// commits it contains.
	versions map[*repoIndex]int32
	reach    map[*repoIndex][]bool
	// tips are the versions before build inference, at which files holds
	// contents (see RankWith).
	tips  map[*repoIndex]int32
	files map[FileRef][]byte
	// lines holds what linesAt read: the lines of a file at a version
	// (read-only; nil when not known).
	lines map[linesKey][]string
	// seeWS walks a line on past a commit that changed only its
	// whitespace (Weights.SeeWhitespace); Blame leaves it off, to name
	// what `git blame` names.
	seeWS bool
	// seeMoves walks it on past a commit that moved it
	// (Weights.SeeMoves).
	seeMoves bool
}

// Rank ranks the candidates for one signal, blaming from the failing
// version (see RankWith to let the frames' files say which build crashed).
func (idx *Index) Rank(sig signal.Signal) Result { return idx.RankWith(sig, nil) }

// newRankCtx finds, per repository, the failing version of sig: the tip of
// the ref at the signal's time.
func (idx *Index) newRankCtx(sig signal.Signal) *rankCtx {
	limit := int64(math.MaxInt64)
	at := idx.opts.At
	if sig.Timestamp != nil {
		at = *sig.Timestamp
	}
	if !at.IsZero() {
		limit = at.Unix()
	}
	rc := &rankCtx{idx: idx, limit: limit, at: at, versions: map[*repoIndex]int32{}, reach: map[*repoIndex][]bool{}, seeWS: idx.w.SeeWhitespace, seeMoves: idx.w.SeeMoves}
	for _, rx := range idx.repos {
		if v := idx.version(rx, limit); v >= 0 {
			rc.versions[rx] = v
		}
	}
	return rc
}

// touchedBefore reports whether a candidate that version b contains
// touched a file an in-app frame maps to. A build without any of them
// would leave the window no suspect: the lines fit that build by chance (a
// trace from another tree, a mirror), not because the crash ran it.
func (idx *Index) touchedBefore(rx *repoIndex, b int32, sig *signal.Signal, targets [][]fileTarget) bool {
	reach := idx.ancestors(rx, rx.reach, b, b)
	for i, f := range sig.Frames {
		if !f.InApp {
			continue
		}
		for _, t := range targets[i] {
			if t.repo != rx.name {
				continue
			}
			for _, ci := range idx.touches[t] {
				if reach[ci] {
					return true
				}
			}
		}
	}
	return false
}

// mapSignal maps sig's frames (mapFrames). When no frame that names a file
// is in-app (NoFileFrameInApp), or none of those that are maps to a
// repository file (a script outside the repository ran the repository's
// code installed as a package: /usr/lib/python3/dist-packages/drgn/x.py),
// the frames whose file maps to a repository file are taken as in-app
// (standsIn; in the second case only files under a package folder): it
// returns sig with those frames
// marked (a copy of its frames; the caller's signal is left as it is) and
// how many it marked. When no frame at all is in-app, frames that name a
// function of an installed program ("/usr/lib/frr/bgpd(bgp_path_info_free+0x5a)",
// signal.InstalledFunctionFrame) are taken as in-app when a repository
// file defines the function.
func (idx *Index) mapSignal(sig signal.Signal) (signal.Signal, [][]fileTarget, []string, int) {
	targets, notes := idx.mapFrames(sig)
	installedOnly := !NoFileFrameInApp(sig.Frames)
	if installedOnly && inAppFileMapped(sig.Frames, targets) {
		return sig, targets, notes, 0
	}
	var frames []signal.Frame
	n := 0
	for i, f := range sig.Frames {
		if f.File == "" || len(targets[i]) == 0 || !standsIn(f, targets[i][0], installedOnly) {
			continue
		}
		if frames == nil {
			frames = slices.Clone(sig.Frames)
		}
		frames[i].InApp = true
		n++
	}
	if n == 0 {
		return idx.mapInstalled(sig, targets, notes)
	}
	sig.Frames = frames
	targets, notes = idx.mapFrames(sig)
	return sig, targets, notes, n
}

// inAppFileMapped reports whether an in-app frame that names a file maps to
// a repository file.
func inAppFileMapped(frames []signal.Frame, targets [][]fileTarget) bool {
	for i, f := range frames {
		if f.InApp && f.File != "" && len(targets[i]) > 0 {
			return true
		}
	}
	return false
}

// mapInstalled takes as in-app, in a signal with no in-app frame, the
// frames that name a function of an installed program which a repository
// file defines (see mapSignal).
func (idx *Index) mapInstalled(sig signal.Signal, targets [][]fileTarget, notes []string) (signal.Signal, [][]fileTarget, []string, int) {
	if !NoFrameInApp(sig.Frames) || !slices.ContainsFunc(sig.Frames, signal.InstalledFunctionFrame) {
		return sig, targets, notes, 0
	}
	frames := slices.Clone(sig.Frames)
	for i, f := range frames {
		frames[i].InApp = signal.InstalledFunctionFrame(f)
	}
	trial := sig
	trial.Frames = frames
	t2, n2 := idx.mapFrames(trial)
	n := 0
	for i := range frames {
		if frames[i].InApp && len(t2[i]) == 0 {
			frames[i].InApp = false // no repository file defines it
		} else if frames[i].InApp {
			n++
		}
	}
	if n == 0 {
		return sig, targets, notes, 0
	}
	return trial, t2, n2, n
}

// NoFrameInApp reports whether no frame is marked in-app: a backtrace of a
// program installed on the system names its functions in modules under
// /usr, where the frames of the project's own code are not told from the
// system's by their paths.
func NoFrameInApp(frames []signal.Frame) bool {
	return !slices.ContainsFunc(frames, func(f signal.Frame) bool { return f.InApp })
}

// NoFileFrameInApp reports whether no frame that names a file is marked
// in-app: a Sentry project without stack trace rules marks none, or marks
// only the bare function names a native event's converter leaves. Such a
// signal's frames with repository files stand in for its in-app ones.
func NoFileFrameInApp(frames []signal.Frame) bool {
	return !slices.ContainsFunc(frames, func(f signal.Frame) bool { return f.InApp && f.File != "" })
}

// standsIn reports whether frame f, marked not in-app, may stand in for an
// in-app frame on the strength of its mapping to t. A file under a package
// installation folder (site-packages, node_modules, a Go module cache, ...)
// belongs to the package that the folder's next component names: it is the
// repository's only when the match reaches that package's folder too
// (site-packages/mkosi/config.py is mkosi/config.py), not by its base name
// alone (site-packages/other/__init__.py is no __init__.py of the
// repository). With installedOnly (frames were marked in-app, but none
// maps), only a file under such a folder may: a standard library's file
// that shares a name with a repository file is no more the repository's
// than it was.
func standsIn(f signal.Frame, t fileTarget, installedOnly bool) bool {
	tc := splitComponents(t.path)
	if !repoPathInApp(tc) {
		return false // a dependency's copy kept in the tree (vendor/, third_party/, ...)
	}
	comps := frameComponents(f)
	for i := len(comps) - 2; i >= 0; i-- {
		if goModuleRoot(comps[i]) {
			// "github.com/moby/buildkit@v0.27.1/solver/x.go": the module's
			// files follow its root, so the repository file is the whole
			// rest (in a module at the repository's root or in one of its
			// folders), not a file of the same name elsewhere.
			rest := len(comps) - i - 1
			return commonSuffix(comps, tc) >= rest && (rest > 1 || len(tc) == 1)
		}
		if installDir(comps, i) {
			need := min(len(comps)-i-1, 2)
			return commonSuffix(comps, tc) >= need
		}
	}
	return !installedOnly
}

// goModuleRoot reports whether a path component is a Go module's root
// folder as -trimpath builds and the module cache name it: "grpc@v1.78.0",
// "buildkit@v0.0.0-20240101120000-0123456789ab".
func goModuleRoot(c string) bool {
	i := strings.Index(c, "@v")
	return i > 0 && i+2 < len(c) && c[i+2] >= '0' && c[i+2] <= '9'
}

// installDir reports whether comps[i] is a folder packages are installed
// under: Python's site-packages and dist-packages, node_modules, Ruby's
// gems, Go's pkg/mod, Cargo's .cargo/registry.
func installDir(comps []string, i int) bool {
	switch comps[i] {
	case "site-packages", "dist-packages", "node_modules", "gems":
		return true
	case "mod":
		return i > 0 && comps[i-1] == "pkg"
	case "registry":
		return i > 0 && comps[i-1] == ".cargo"
	}
	return false
}

// RankWith ranks the candidates for one signal. files, when not nil, holds
// the contents of the files Needs names at the failing version: when the
// frames' functions and lines fit an older version of them better, the
// blame starts there (Result.Versions and Result.Note say so).
func (idx *Index) RankWith(sig signal.Signal, files map[FileRef][]byte) Result {
	res := Result{Signal: sig, Frames: make([]MappedFrame, len(sig.Frames)), Suspects: []Suspect{}}
	rc := idx.newRankCtx(sig)
	rc.files = files
	rc.tips = maps.Clone(rc.versions)
	limit, at := rc.limit, rc.at
	anyCand := false
	for _, rx := range idx.repos {
		if len(rx.cands) > 0 {
			anyCand = true
		}
	}
	marked := !NoFileFrameInApp(sig.Frames) // some frame with a file was in-app, yet none mapped
	sig, targets, notes, taken := idx.mapSignal(sig)
	switch {
	case taken > 0 && marked:
		res.Signal = sig
		res.Notes = append(res.Notes, fmt.Sprintf("no in-app frame's file is in the repository (its code ran installed, as a package): taken as in-app instead, %s with a repository file",
			plural(taken, "frame", "frames")))
	case taken > 0 && !slices.ContainsFunc(sig.Frames, func(f signal.Frame) bool { return f.InApp && f.File != "" }):
		res.Signal = sig
		res.Notes = append(res.Notes, fmt.Sprintf("no frame was in-app (the program ran installed on the system): taken as in-app instead, %s naming a function a repository file defines",
			plural(taken, "frame", "frames")))
	case taken > 0:
		res.Signal = sig
		advice := "" // a text trace marks nothing: there is nothing to fix
		if sig.Format == signal.FormatSentry {
			advice = " (mark frames in the event, or add stack trace rules to the Sentry project)"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("no frame with a file was marked in-app: taken as in-app instead, %s with a repository file%s",
			plural(taken, "frame", "frames"), advice))
	}
	inApp, mapped := 0, 0
	for i, f := range sig.Frames {
		mf := MappedFrame{Frame: f, Note: notes[i]}
		if t := targets[i]; len(t) > 0 && (f.InApp || outsideMatch(f, t[0])) {
			mf.Repo, mf.Path = t[0].repo, t[0].path
		} else if len(t) > 0 {
			mf.Note = ""
		}
		res.Frames[i] = mf
		if f.InApp {
			inApp++
			if len(targets[i]) > 0 {
				mapped++
			}
		}
	}
	switch {
	case len(sig.Frames) == 0:
		return abstain(res, ReasonNoFrames)
	case inApp == 0:
		return abstain(res, ReasonNoInApp)
	case !anyCand:
		return abstain(res, ReasonEmptyWindow)
	case len(rc.versions) == 0:
		return abstain(res, ReasonNoCandidates)
	case mapped == 0:
		return abstain(res, ReasonNoMapping)
	}

	sig.Frames = rc.bindSymbols(sig.Frames, targets)
	for _, rx := range idx.repos {
		v, ok := rc.versions[rx]
		if !ok {
			continue
		}
		if files != nil && idx.w.Build {
			if b := rc.buildVersion(rx, v, &sig, targets, files); b != v && idx.touchedBefore(rx, b, &sig, targets) {
				res.Notes = append(res.Notes, fmt.Sprintf("the frames' lines fit %.12s (%s) better than %.12s, the tip at the signal's time: blamed from there",
					idx.cands[b].Commit.Hash, idx.cands[b].Commit.Summary(), idx.cands[v].Commit.Hash))
				v = b
				rc.versions[rx] = b
			}
		}
		rc.reach[rx] = idx.ancestors(rx, rx.reach, v, v)
		if res.Versions == nil {
			res.Versions = map[string]string{}
		}
		res.Versions[rx.name] = idx.cands[v].Commit.Hash
	}

	accs := map[int32]*acc{}
	type seenKey struct {
		t    fileTarget
		line int
	}
	seen := map[seenKey]bool{}
	weights := idx.w.frameWeights(sig.Frames, targets)
	onlyFrame := onlyMappedFrame(sig.Frames, targets)
	var stackFns map[string]bool // the functions of the trace's frames
	for i, f := range sig.Frames {
		if !f.InApp || len(targets[i]) == 0 {
			continue
		}
		w := weights[i]
		ident := funcIdent(f.Function)
		feats := map[int32]*feat{}
		callees := calleesOf(sig.Frames, i)
		for _, t := range targets[i] {
			sk := seenKey{t, f.Line}
			if seen[sk] {
				continue // recursion: the same line again adds nothing
			}
			seen[sk] = true
			rc.walk(t, &sig.Frames[i], ident, callees, feats)
		}
		if stackFns == nil {
			stackFns = map[string]bool{}
			for _, g := range sig.Frames {
				stackFns[funcIdent(g.Function)] = true
			}
		}
		rc.calleeEvidence(targets[i][0], &sig.Frames[i], ident, stackFns, feats)
		if onlyFrame == i {
			rc.callerEvidence(targets[i][0], &sig.Frames[i], ident, feats)
		}
		for ci, ft := range feats {
			c := &idx.cands[ci]
			// An added call in the frame's function is a change of that
			// function: it counts once, as the call.
			ft.s = idx.w.Line*ft.lineSpec*b2f(ft.line) + idx.w.Call*b2f(ft.call && !ft.line) + idx.w.Function*ft.fnVal*b2f(ft.function && !ft.call) +
				idx.w.Callee*b2f(ft.callee && !ft.line && !ft.function && !ft.call) +
				b2f(ft.caller && !ft.line && !ft.function && !ft.call && !ft.callee)*idx.w.Caller*c.damp +
				c.damp*(idx.w.Proximity*ft.prox+idx.w.File*ft.file)
			if ft.s <= 0 {
				continue
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
	if idx.w.Dir > 0 && len(accs) == 0 {
		// No commit of the window touched a frame's file: the frames'
		// folders are the next best place to look.
		rc.dirEvidence(sig.Frames, targets, accs, idx.w.Dir)
	} else if idx.w.DirWith > 0 && len(accs) > 0 {
		rc.dirEvidence(sig.Frames, targets, accs, idx.w.DirWith)
	}
	if len(accs) == 0 {
		if rc.textMatches(sig.Symptoms) {
			return abstain(res, ReasonTextOnly)
		}
		return abstain(res, ReasonNoTouch)
	}

	idx.textScores(sig.Symptoms, accs)
	type scored struct {
		ci  int32
		raw float64
	}
	ref := limit
	if at.IsZero() {
		ref = 0
		for _, v := range rc.versions {
			ref = max(ref, idx.cands[v].unix)
		}
	}
	list := make([]scored, 0, len(accs))
	for ci, a := range accs {
		c := &idx.cands[ci]
		raw := c.penalty*a.structural + a.text
		if idx.w.Fixed > 0 && a.structural > 0 {
			if x := rc.fixedIn(ci); x >= 0 {
				a.fixed = idx.w.Fixed * c.penalty * a.structural
				a.fixedBy = x
				raw += a.fixed
			}
		}
		raw += idx.w.recency(max(time.Duration(ref-c.unix)*time.Second, 0))
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
		return ca.repo.name < cb.repo.name
	})
	if len(list) > idx.opts.Top {
		list = list[:idx.opts.Top]
	}
	for i, s := range list {
		c := &idx.cands[s.ci]
		a := accs[s.ci]
		age := max(time.Duration(ref-c.unix)*time.Second, 0)
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
		if a.fixed > 0 {
			x := &idx.cands[a.fixedBy]
			ev = append(ev, scoredEvidence{kind: KindFixed, weight: a.fixed,
				detail: fmt.Sprintf("%.12s (%s), of the failing version, names it as the cause of a bug it fixed: already found buggy once, its area still crashes", x.Commit.Hash, x.Commit.Summary())})
		}
		ev = append(ev, scoredEvidence{kind: KindRecency, detail: recencyDetail(age, !at.IsZero())})
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
			Repo:      c.repo.name,
			Hash:      c.Commit.Hash,
			Score:     math.Round((1-math.Exp(-s.raw))*1e4) / 1e4,
			Evidence:  out,
			Penalties: c.flags,
			Commit:    c.Commit,
		})
	}
	return res
}

// mapFrames maps each frame of sig to the files it may run in, with a note
// on how: by path, or for a function-only frame by the files defining its
// function, nearest to the stack's other files.
func (idx *Index) mapFrames(sig signal.Signal) ([][]fileTarget, []string) {
	targets := make([][]fileTarget, len(sig.Frames))
	byName := make([]bool, len(sig.Frames))
	hows := make([]string, len(sig.Frames))
	ties := make([][]fileTarget, len(sig.Frames))
	for i, f := range sig.Frames {
		var defs []fileTarget
		if f.File != "" {
			defs = idx.defs[funcIdent(f.Function)]
		}
		t, note, tie := idx.paths.mapFrame(f, defs)
		hows[i], ties[i] = note, tie
		if len(t) == 0 && f.InApp && f.File == "" {
			t, hows[i] = idx.defined(f)
			byName[i] = true
		}
		targets[i] = t
	}
	notes := make([]string, len(sig.Frames))
	out := make([][]fileTarget, len(sig.Frames))
	for i := range sig.Frames {
		t := targets[i]
		if !byName[i] {
			out[i], notes[i] = t, hows[i]
			continue
		}
		t = nearestDefinitions(t, sig.Frames, targets, byName, i)
		t = notTestDefinitions(t)
		if len(t) > maxDefinitions {
			t = nil
		}
		if len(t) > 0 {
			notes[i] = "function-only frame: " + t[0].path + " " + hows[i]
		}
		out[i] = t
	}
	// A path that matches several files equally well ("vpci.c" of a
	// Valgrind or assertion frame) is the one nearest to the files the
	// stack's other frames map to.
	for i, f := range sig.Frames {
		if len(ties[i]) == 0 || len(out[i]) == 0 || !f.InApp {
			continue
		}
		list := append([]fileTarget{out[i][0]}, ties[i]...)
		near := nearestTo(list, stackAnchors(sig.Frames, out, ties, i))
		if len(near) == 1 && near[0] != out[i][0] {
			out[i] = append([]fileTarget{near[0]}, out[i][1:]...)
			notes[i] = "ambiguous: nearest to the stack's other files of " + strings.Join(targetPaths(list), ", ")
		}
	}
	return out, notes
}

// stackAnchors are the files that the other in-app frames of frame i's
// stack map to without doubt (one file each, no ties).
func stackAnchors(frames []signal.Frame, out, ties [][]fileTarget, i int) []fileTarget {
	var anchors []fileTarget
	for j, f := range frames {
		if j != i && f.InApp && f.Stack == frames[i].Stack && len(out[j]) == 1 && len(ties[j]) == 0 {
			anchors = append(anchors, out[j][0])
		}
	}
	return anchors
}

func targetPaths(list []fileTarget) []string {
	out := make([]string, 0, len(list))
	for _, t := range list {
		out = append(out, t.path)
	}
	if len(out) > 4 {
		out = append(out[:4], "...")
	}
	return out
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
	case KindProximity, KindCallee, KindCaller:
		return 2
	case KindFile, KindDir:
		return 3
	case KindText:
		return 4
	case KindFixed:
		return 5
	case KindRecency:
		return 6
	}
	return 7
}

// codeTarget returns the repository of t, its failing version and the
// language of t's file, when sigsentry knows where its functions lie
// (extentLang): what callee and caller evidence read calls in.
func (rc *rankCtx) codeTarget(t fileTarget) (*repoIndex, int32, string, bool) {
	rx, v, ok := rc.repoVersion(t)
	lang := extentLang(t.path)
	return rx, v, lang, ok && lang != ""
}

// repoVersion returns the repository of t and its failing version.
func (rc *rankCtx) repoVersion(t fileTarget) (*repoIndex, int32, bool) {
	rx := rc.idx.byName[t.repo]
	if rx == nil {
		return nil, 0, false
	}
	v, ok := rc.versions[rx]
	return rx, v, ok
}

// walk blames frame f's line in file t from the failing version back along
// the first-parent chain (into side branches where a merge added the
// line), and records features in feats: a line hit for the commit that
// added the line, proximity for the newer commits that changed lines near
// it, function and file evidence for the newest commits touching the file.
func (rc *rankCtx) walk(t fileTarget, f *signal.Frame, ident string, callees []string, feats map[int32]*feat) {
	idx := rc.idx
	rx, v, ok := rc.repoVersion(t)
	if !ok {
		return
	}
	reach := rc.reach[rx]
	path := t.path
	line := f.Line
	lineDone := line <= 0
	newer := 0
	visited := map[int32]bool{}
	get := func(ci int32) *feat {
		ft := feats[ci]
		if ft == nil {
			ft = &feat{}
			feats[ci] = ft
		}
		return ft
	}
	w := &idx.w
	onSide := false
	// lines is the file at c (after c's change), while known: it tells
	// where the frame's function lies.
	var lines []string
	var lo, hi int // the function's extent in lines, once haveExtent
	haveExtent := false
	lang := extentLang(path)
	if ident != "" && lang != "" {
		lines = rc.linesAt(rx, path, v)
	}
	if l := langOf(path); lines != nil && line > 0 && l != "" {
		if name, def := enclosingDef(lines, line, l); name != "" && name != ident && namedAbove(lines, line, def, ident, l) {
			// The line opens the function after the named one: the name
			// is a hunk header's for a change there (see namedAbove), and
			// the function that changed is the one holding the line.
			ident = name
		}
	}
	for c, steps, next := v, 0, int32(-1); c >= 0 && steps < maxWalk; c, steps = next, steps+1 {
		next = idx.firstParent(c)
		ci := &idx.cands[c]
		fi, touched := ci.files[path]
		if !touched {
			continue
		}
		if tr := idx.opts.Trace; tr != nil {
			tr("walk %s:%d at %.12s (merge %v, %s)", path, line, ci.Commit.Hash, ci.Commit.IsMerge(), ci.Commit.Summary())
		}
		file := &ci.Change.Files[fi]
		if file.Path != path {
			// Listed under its old path: the commit renamed path away, so
			// in this walk the file did not exist yet under this name.
			break
		}
		near := newer < maxNear
		if !near && lineDone {
			break
		}
		var st lineStep
		if line > 0 {
			st = stepLine(file, line)
		}
		// A commit that only re-indented the line did not write it: the
		// walk goes on from the line it replaced, and the commit counts
		// as one that changed lines near the frame's.
		moved := ""
		if st.hit && !ci.Commit.IsMerge() {
			if ws := rc.reindented(file, st.hitHunk, line); ws > 0 {
				st.hit, st.parent = false, ws
			} else if mp, ml, ok := rc.moved(ci.Change.Files, int(fi), line); ok {
				// Nor did a commit that moved it, here or from another
				// file: the walk goes on where it was.
				st.hit, st.parent = false, ml
				if mp != path {
					moved = mp
				}
			}
		}
		if ci.Commit.IsMerge() {
			if p2 := idx.secondParent(c); p2 >= 0 && !idx.mainSideTouched(rx, c, t.repo, path) {
				// Only the merged branch changed the file: the merge's
				// version of it is the branch's, line for line, so the
				// walk goes on along the branch, whose commits made the
				// changes the merge's diff shows (the line, the lines
				// near it, the function), and the merge is no suspect.
				visited[c] = true
				next, onSide = p2, true
				continue
			}
		}
		visited[c] = true
		// A merge whose change to the file its merged branch's commits
		// made, line for line, wrote none of it: those commits get the
		// evidence (below), as `git blame` names them.
		carrier := near && ci.Commit.IsMerge() && idx.carried(rx, c, t.repo, path)
		if !lineDone && st.hit {
			lineDone = true
			h := &file.Hunks[st.hitHunk]
			origin, oline, opath, ohunk := c, line, path, h
			side := onSide
			if ci.Commit.IsMerge() {
				if s, sl, sp, sh := rc.sideOrigin(rx, c, path, sigOf(h, line), reach); s >= 0 {
					origin, oline, opath, ohunk, side = s, sl, sp, sh, true
				}
			}
			ft := get(origin)
			if !ft.line {
				ft.line = true
				// A line among many the commit added at once (a new file,
				// a new function) says less about the crash than one it
				// changed on its own.
				ft.lineSpec = w.specificity(len(ohunk.Added))
				ft.ev = append(ft.ev, scoredEvidence{kind: KindLine, weight: w.Line * ft.lineSpec, frame: f, path: opath, line: oline, hunk: ohunk, mapped: t.path, side: side})
			}
		} else if near && line > 0 && st.dist >= 0 && !lineDone && !carrier {
			p := w.proximity(st.dist)
			ft := get(c)
			if p > ft.prox {
				ft.prox = p
				ft.ev = appendReplacing(ft.ev, scoredEvidence{kind: KindProximity, weight: w.Proximity * p * ci.damp, frame: f, path: path,
					line: st.nearLine, cur: line, n: st.dist, hunk: &file.Hunks[st.nearHunk]})
			}
		}
		var ext extentVerdict
		if lines != nil && near && moved == "" {
			var old []string
			ok := undoable(file, path)
			if ok && file.Status != diffstat.Added {
				old, ok = unapply(lines, file)
			}
			if ok {
				// The function's extent before this change is its extent
				// after the next older one: each version is read once.
				if !haveExtent {
					lo, hi = funcExtent(lines, ident, lang, line)
				}
				olo, ohi := funcExtent(old, ident, lang, st.parent)
				ext = extentChange(file, lo, hi, olo, ohi)
				lo, hi, haveExtent = olo, ohi, true
			}
			lines = old
		} else {
			lines = nil
		}
		if near && !carrier {
			rc.nearEvidence(c, file, path, f, ident, callees, newer, get(c), ext, line)
		}
		newer++
		if line > 0 {
			line = st.parent
		}
		if moved != "" {
			// The line came from another file: its function's extent
			// there is unknown.
			path, lines, haveExtent = moved, nil, false
			continue
		}
		if file.Status == diffstat.Added {
			break // the file was born here
		}
		if file.Status == diffstat.Renamed && file.OldPath != "" && file.OldPath != path {
			path = file.OldPath
		}
	}
	// Commits on merged side branches that touched the file get function
	// and file evidence too, ordered as the window lists them.
	n := 0
	for _, c := range idx.touches[fileTarget{t.repo, t.path}] {
		if n >= maxNear {
			break
		}
		if !reach[c] {
			continue
		}
		n++
		if visited[c] {
			continue
		}
		ci := &idx.cands[c]
		file := &ci.Change.Files[ci.files[t.path]]
		if file.Path != t.path {
			continue
		}
		rc.nearEvidence(c, file, t.path, f, ident, callees, n-1, get(c), extentVerdict{}, 0)
	}
}

// reindented is wsMatch for line of file's hunk when the walk sees through
// whitespace changes, 0 otherwise.
func (rc *rankCtx) reindented(file *diffstat.File, hunk, line int) int {
	if !rc.seeWS {
		return 0
	}
	return wsMatch(&file.Hunks[hunk], line, indentMatters(file.Path))
}

// moved is movedFrom when the walk sees through moves.
func (rc *rankCtx) moved(files []diffstat.File, fi, n int) (string, int, bool) {
	if !rc.seeMoves {
		return "", 0, false
	}
	return movedFrom(files, fi, n)
}

// nearEvidence records function and file evidence of commit c, whose entry
// for path is file, with newer commits touching the file since.
func (rc *rankCtx) nearEvidence(c int32, file *diffstat.File, path string, f *signal.Frame, ident string, callees []string, newer int, ft *feat, ext extentVerdict, cur int) {
	w := &rc.idx.w
	ci := &rc.idx.cands[c]
	if len(callees) > 0 && !ft.call {
		// The commit added, inside the frame's function, a call to the
		// function the trace shows it calling.
	hunks:
		for hi := range file.Hunks {
			h := &file.Hunks[hi]
			if !ext.known && ident != "" && h.Section != "" && hunkFunction(h.Section) != ident {
				continue
			}
			for _, a := range h.Added {
				if ext.known && !ext.inside(a.N) {
					continue
				}
				for _, callee := range callees {
					if callsFunc(a.Text, callee) {
						ft.call = true
						ft.ev = append(ft.ev, scoredEvidence{kind: KindLine, weight: w.Call, frame: f, path: path, line: a.N, hunk: h, ident: callee, call: true})
						break hunks
					}
				}
			}
		}
	}
	if ext.known && ext.changed && !ft.function {
		ft.function = true
		ft.fnVal = w.fnValue(file, cur, ext)
		ft.ev = append(ft.ev, scoredEvidence{kind: KindFunction, weight: w.Function * ft.fnVal, frame: f, path: path, line: ext.line, hunk: &file.Hunks[ext.hunk], ident: ident})
	}
	if ident != "" && !ft.function && !ext.known {
		for hi := range file.Hunks {
			h := &file.Hunks[hi]
			if strings.Contains(h.Section, ident) && hunkFunction(h.Section) == ident {
				ft.function = true
				ft.fnVal = 1
				ft.ev = append(ft.ev, scoredEvidence{kind: KindFunction, weight: w.Function, frame: f, path: path, line: h.NewStart, hunk: h, ident: ident})
				break
			}
		}
	}
	if ident != "" && !ft.function && !ext.known {
		// The commit wrote the function's definition (a new file, code
		// moved in): no hunk header names it, its added lines do.
		lang := langOf(path)
	defs:
		for hi := range file.Hunks {
			h := &file.Hunks[hi]
			for _, a := range h.Added {
				if definesFunc(a.Text, ident, lang) {
					ft.function = true
					ft.fnVal = 1
					ft.ev = append(ft.ev, scoredEvidence{kind: KindFunction, weight: w.Function, frame: f, path: path, line: a.N, hunk: h, ident: ident})
					break defs
				}
			}
		}
	}
	fv := 1 / (1 + float64(newer))
	if fv > ft.file {
		ft.file = fv
		ft.ev = appendReplacing(ft.ev, scoredEvidence{kind: KindFile, weight: w.File * fv * ci.damp, frame: f, path: path, n: newer})
	}
}

// dirEvidence scores the commits that changed files beside the frames'
// files, in the same folder, and none of the frames' files there: a change
// to the crashing code's neighbours (a helper it relies on, the code that
// sets up its state) that no frame names. A commit weighs the share of its
// changed files that lie in the folder, so a change made there counts more
// than a sweep across the tree, divided by 1 + the commits that changed the
// folder since, as file evidence is; a folder counts once, at the weight of
// its frame nearest the crash. Only frames that name their file count.
// weightDir is Dir when no commit touched a frame's file, else DirWith.
func (rc *rankCtx) dirEvidence(frames []signal.Frame, targets [][]fileTarget, accs map[int32]*acc, weightDir float64) {
	idx := rc.idx
	type folder struct{ repo, dir string }
	framed := map[fileTarget]bool{}
	weight := map[folder]float64{}
	first := map[folder]int{}
	var order []folder
	weights := idx.w.frameWeights(frames, targets)
	for i, f := range frames {
		if !f.InApp || len(targets[i]) == 0 || f.File == "" {
			continue // unmapped, or mapped by where its function is defined: no folder of its own
		}
		w := weights[i]
		for _, t := range targets[i] {
			framed[t] = true
		}
		d := folder{targets[i][0].repo, path.Dir(targets[i][0].path)}
		if _, ok := weight[d]; !ok {
			order = append(order, d)
		}
		if w > weight[d] {
			weight[d], first[d] = w, i
		}
	}
	for _, d := range order {
		rx := idx.byName[d.repo]
		if rx == nil || rc.reach[rx] == nil {
			continue
		}
		reach := rc.reach[rx]
		fi := first[d]
		newer := 0 // commits that changed the folder since, newest first
		for _, ci := range rx.cands {
			if !reach[ci] {
				continue
			}
			c := &idx.cands[ci]
			if c.Change == nil {
				continue
			}
			in, beside, own := 0, "", false
			for _, f := range c.Change.Files {
				if path.Dir(f.Path) != d.dir {
					continue
				}
				if c.Commit.IsMerge() && idx.carried(rx, ci, d.repo, f.Path) {
					continue // its branch's commits changed it, and count here themselves
				}
				if framed[fileTarget{d.repo, f.Path}] {
					own = true
				} else if in++; beside == "" {
					beside = f.Path
				}
			}
			if in == 0 && !own {
				continue
			}
			newer++
			if own {
				continue
			}
			share := float64(in) / float64(len(c.Change.Files))
			s := weightDir * share * c.damp / float64(newer)
			a := accs[ci]
			if a == nil {
				a = &acc{}
				accs[ci] = a
			}
			a.structural += weight[d] * s
			a.feats = append(a.feats, &feat{s: s, w: weight[d], ev: []scoredEvidence{{
				kind: KindDir, weight: s, frame: &frames[fi], path: beside, mapped: targets[fi][0].path,
				n: in, of: len(c.Change.Files), since: newer - 1,
			}}})
		}
	}
}

// calleesOf names the functions frame i of frames calls, as far as the
// trace shows: the next two frames inward of its stack.
func calleesOf(frames []signal.Frame, i int) []string {
	var out []string
	for j := i - 1; j >= 0 && len(out) < 2; j-- {
		if frames[j].Stack != frames[i].Stack {
			break
		}
		if id := funcIdent(frames[j].Function); id != "" && id != funcIdent(frames[i].Function) {
			out = append(out, id)
		}
	}
	return out
}

// callsFunc reports whether a source line calls fn: fn followed by its
// argument list, not as part of a longer name.
func callsFunc(line, fn string) bool {
	for i := strings.Index(line, fn); i >= 0; {
		before := i == 0 || !isIdentByte(line[i-1])
		rest := strings.TrimLeft(line[i+len(fn):], " \t")
		if before && strings.HasPrefix(rest, "(") {
			return true
		}
		j := strings.Index(line[i+1:], fn)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// lineSig is an added line's text with the texts of the added lines just
// above and below it ("" when those are not added lines), to tell one
// added line from another of the same text.
type lineSig struct{ above, text, below string }

// sigOf returns the signature of added line n of h.
func sigOf(h *diffstat.Hunk, n int) lineSig {
	var s lineSig
	for _, a := range h.Added {
		switch a.N {
		case n - 1:
			s.above = a.Text
		case n:
			s.text = a.Text
		case n + 1:
			s.below = a.Text
		}
	}
	return s
}

// match scores how well added line n of h matches s: -1 when its text
// differs, else how many of its neighbours match too (0..2).
func (s lineSig) match(h *diffstat.Hunk, n int) int {
	o := sigOf(h, n)
	if o.text != s.text {
		return -1
	}
	score := 0
	if s.above != "" && o.above == s.above {
		score++
	}
	if s.below != "" && o.below == s.below {
		score++
	}
	return score
}

// sideOrigin finds the commit on merge m's side branches that added the
// line with signature sig to path: the side commit (newest first, in the
// window's topological order) whose added lines in the file hold that text
// with the most matching neighbours, following a nested merge into its own
// side. A blank or brace-only line must match a neighbour too. It returns
// -1 when no side commit of the window did (an evil merge, or a branch
// older than the window).
func (rc *rankCtx) sideOrigin(rx *repoIndex, m int32, path string, sig lineSig, reach []bool) (int32, int, string, *diffstat.Hunk) {
	need := 0
	if len(strings.Trim(sig.text, " \t{}();")) < 2 {
		need = 1 // says too little alone
	}
	idx := rc.idx
	for depth := 0; depth < 8; depth++ {
		side := idx.side(rx, m)
		found, best := int32(-1), need-1
		var (
			fline int
			fpath string
			fhunk *diffstat.Hunk
		)
		for _, c := range rx.cands {
			if !side[c] || !reach[c] {
				continue
			}
			ci := &idx.cands[c]
			fi, ok := ci.files[path]
			if !ok {
				continue
			}
			file := &ci.Change.Files[fi]
			for hi := range file.Hunks {
				h := &file.Hunks[hi]
				for _, a := range h.Added {
					if a.Text != sig.text {
						continue
					}
					if sc := sig.match(h, a.N); sc > best {
						found, best, fline, fpath, fhunk = c, sc, a.N, file.Path, h
					}
				}
			}
			if best == 2 {
				break // the newest perfect match
			}
		}
		if found < 0 {
			return -1, 0, "", nil
		}
		if !idx.cands[found].Commit.IsMerge() {
			return found, fline, fpath, fhunk
		}
		m = found // a merge on the side branch: look into its own side
		sig = sigOf(fhunk, fline)
	}
	return -1, 0, "", nil
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
		if e.call {
			out.Detail = fmt.Sprintf("added line %d, a call to %s, the function the trace shows it calling%s", e.line, e.ident, where)
			break
		}
		out.Detail = fmt.Sprintf("added line %d%s", e.line, where)
		switch {
		case e.path != e.mapped:
			out.Detail = fmt.Sprintf("added line %d of %s, which is line %d of %s at signal time%s", e.line, e.path, e.frame.Line, e.mapped, where)
		case e.line != e.frame.Line:
			out.Detail = fmt.Sprintf("added line %d, which is line %d at signal time%s", e.line, e.frame.Line, where)
		}
		if e.side {
			out.Detail += ", on a merged branch"
		}
	case KindProximity:
		out.Line = e.line
		out.Detail = fmt.Sprintf("changed line %d, %s from the frame's line %d%s", e.line, plural(e.n, "line", "lines"), e.cur, where)
		if e.frame != nil && e.frame.Line > 0 && e.cur != e.frame.Line {
			// The distance is measured in this commit's version, where the
			// frame's line sat elsewhere: say where it is in the trace too.
			out.Detail = fmt.Sprintf("changed line %d, %s from the frame's line, which is line %d at signal time and line %d in this commit%s",
				e.line, plural(e.n, "line", "lines"), e.frame.Line, e.cur, where)
		}
	case KindFunction:
		out.Line = e.line
		out.Detail = fmt.Sprintf("changed %s%s", e.ident, where)
	case KindCallee:
		out.Line = e.line
		out.Detail = fmt.Sprintf("changed %s, which the frame's function calls at or above its line%s", e.ident, where)
	case KindCaller:
		out.Line = e.line
		out.Detail = fmt.Sprintf("added line %d, a call to %s, the only frame's function%s: the report shows no caller", e.line, e.ident, where)
	case KindDir:
		out.Detail = fmt.Sprintf("changed %s, beside %s%s: %d of its %d files; %s in the folder since",
			path.Base(e.path), e.mapped, where, e.n, e.of, plural(e.since, "newer commit", "newer commits"))
	case KindFile:
		out.Detail = fmt.Sprintf("touched the file%s", where)
		if e.n > 0 {
			out.Detail = fmt.Sprintf("touched the file%s; %s touched it since", where, plural(e.n, "newer commit", "newer commits"))
		}
	}
	return out
}

// plural is "1 line" or "n lines".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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
		return fmt.Sprintf("landed %s before %s", plural(int(age.Minutes()), "minute", "minutes"), ref)
	case age < 48*time.Hour:
		return fmt.Sprintf("landed %s before %s", plural(int(age.Hours()), "hour", "hours"), ref)
	default:
		return fmt.Sprintf("landed %s before %s", plural(int(age.Hours()/24), "day", "days"), ref)
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

// textMatches reports whether any candidate of the failing versions
// matches a symptom word.
func (rc *rankCtx) textMatches(symptoms []string) bool {
	words := symptomWords(symptoms)
	if len(words) == 0 {
		return false
	}
	idx := rc.idx
	ti := idx.textIndex()
	for _, w := range words {
		for _, ci := range ti.postings[w] {
			if r := rc.reach[idx.cands[ci].repo]; r != nil && r[ci] {
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
		add := idx.w.Text * idf[i] / total
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

// Blame names the commit of repo's window that added line of path at the
// version that was the ref's tip at time at (zero: the head), as the
// windowed blame of Rank does: "" when the line's origin is not inside the
// window. It exists to measure the walk against `git blame`.
func (idx *Index) Blame(repo, path string, line int, at time.Time) string {
	limit := int64(math.MaxInt64)
	if !at.IsZero() {
		limit = at.Unix()
	}
	rx := idx.byName[repo]
	if rx == nil {
		return ""
	}
	rc := &rankCtx{idx: idx, limit: limit, versions: map[*repoIndex]int32{}, reach: map[*repoIndex][]bool{}}
	v := idx.version(rx, limit)
	if v < 0 {
		return ""
	}
	rc.versions[rx] = v
	rc.reach[rx] = idx.ancestors(rx, rx.reach, v, v)
	feats := map[int32]*feat{}
	rc.walk(fileTarget{repo, path}, &signal.Frame{File: path, Line: line, InApp: true}, "", nil, feats)
	for ci, ft := range feats {
		if ft.line {
			return idx.cands[ci].Commit.Hash
		}
	}
	return ""
}

// definesFunc reports whether line, a whole source line, starts the
// definition of function ident in a language of langOf.
func definesFunc(line, ident, lang string) bool {
	if !strings.Contains(line, ident) {
		return false
	}
	id, ok := startsDefinition(line, lang)
	return ok && id == ident
}

// bindSymbols returns frames with each versioned symbol's function
// ("xsk_umem__create@@LIBBPF_0.0.4") replaced by the function its file
// binds the symbol to at the failing version (symverTarget), so that the
// frame's function is looked for under the name the file defines. frames
// itself is left as it is: the report shows the frames as the signal gave
// them.
func (rc *rankCtx) bindSymbols(frames []signal.Frame, targets [][]fileTarget) []signal.Frame {
	out, cloned := frames, false
	for i, f := range frames {
		if !f.InApp || !strings.Contains(f.Function, "@") || len(targets[i]) == 0 {
			continue
		}
		t := targets[i][0]
		v, ok := rc.versions[rc.idx.byName[t.repo]]
		if !ok {
			continue
		}
		data, ok := rc.files[FileRef{Repo: t.repo, Rev: rc.idx.cands[v].Commit.Hash, Path: t.path}]
		if !ok {
			continue
		}
		if fn := symverTarget(splitFile(data), f.Function); fn != "" {
			if !cloned {
				out, cloned = slices.Clone(frames), true
			}
			out[i].Function = fn
		}
	}
	return out
}
