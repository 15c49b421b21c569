package suspect

import (
	"strings"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

// Caller evidence. An assertion reported without a stack (a GLib critical,
// a Dovecot panic, an assert message alone) names only the function that
// checked; what it refused was often passed by a caller the report does not
// show. A commit of the failing version that added a call to that function
// elsewhere is then a suspect, weakly: it is only considered when the
// signal's crash stack has no other in-app frame to point at the callers.

// callerEvidence records caller evidence in feats for frame f, mapped to t,
// whose function is ident.
func (rc *rankCtx) callerEvidence(t fileTarget, f *signal.Frame, ident string, feats map[int32]*feat) {
	idx := rc.idx
	if idx.w.Caller <= 0 || len(ident) < 4 || notCalls[ident] {
		return
	}
	rx, _, lang, ok := rc.codeTarget(t)
	if !ok {
		return
	}
	reach := rc.reach[rx]
	ownCode := repoPathInApp(splitComponents(t.path))
	for _, c := range rx.cands {
		ci := &idx.cands[c]
		if int(c) >= len(reach) || !reach[c] || ci.Commit.IsMerge() || ci.Change == nil {
			continue
		}
		if ft := feats[c]; ft != nil && (ft.line || ft.function || ft.call || ft.callee || ft.caller) {
			continue // it changed the frame's own code: that says more
		}
		if e, ok := addedCall(ci, ident, lang, ownCode); ok {
			ft := feats[c]
			if ft == nil {
				ft = &feat{}
				feats[c] = ft
			}
			ft.caller = true
			e.weight, e.frame = idx.w.Caller*ci.damp, f
			ft.ev = append(ft.ev, e)
		}
	}
}

// addedCall finds a line a candidate's change added that calls ident,
// in a file of lang, outside ident's own definition.
func addedCall(ci *candInfo, ident, lang string, ownCode bool) (scoredEvidence, bool) {
	for fi := range ci.Change.Files {
		file := &ci.Change.Files[fi]
		if extentLang(file.Path) != lang || ownCode && !repoPathInApp(splitComponents(file.Path)) {
			continue
		}
		for hi := range file.Hunks {
			h := &file.Hunks[hi]
			for _, l := range h.Added {
				if callsIdent(l.Text, ident, lang) {
					return scoredEvidence{kind: KindCaller, path: file.Path, line: l.N, hunk: h, ident: ident}, true
				}
			}
		}
	}
	return scoredEvidence{}, false
}

// callsIdent reports whether a source line calls ident: the name, not part
// of a longer one, followed by its argument list, on an indented line (a
// function body's, not a prototype's or a definition's at the margin)
// that is no definition and outside a trailing comment.
func callsIdent(line, ident, lang string) bool {
	if !strings.Contains(line, ident) || line == "" || line[0] != ' ' && line[0] != '\t' {
		return false
	}
	if _, ok := startsDefinition(line, lang); ok {
		return false
	}
	l := stripLineComment(line)
	for from := 0; ; {
		i := strings.Index(l[from:], ident)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(ident)
		from = end
		if i > 0 && isIdentByte(l[i-1]) || end < len(l) && isIdentByte(l[end]) {
			continue
		}
		rest := strings.TrimLeft(l[end:], " \t")
		if strings.HasPrefix(rest, "(") {
			return true
		}
	}
}

// onlyMappedFrame is the index of the crash stack's one in-app frame that
// maps to a file, or -1 when it has none or several.
func onlyMappedFrame(frames []signal.Frame, targets [][]fileTarget) int {
	only := -1
	for i, f := range frames {
		if !f.InApp || f.Stack != 0 || i >= len(targets) || len(targets[i]) == 0 {
			continue
		}
		if only >= 0 {
			return -1
		}
		only = i
	}
	return only
}
