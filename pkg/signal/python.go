package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	pyFrameRE = regexp.MustCompile(`^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$`)
	pyExcRE   = regexp.MustCompile(`^([A-Za-z_][\w.]*)(?::(?: (.*))?)?$`)
	pyGroupRE = regexp.MustCompile(`^( *)\+(-\+)?-* *(?:(\d+)|\.\.\.)? *-*\s*$`)
)

const (
	pyTraceback  = "Traceback (most recent call last):"
	pyCauseSep   = "The above exception was the direct cause of the following exception:"
	pyContextSep = "During handling of the above exception, another exception occurred:"
	pyChildMark  = "\x00child:"
)

// pyNode is the text of one exception-group level: its lines (with the
// "| " prefixes removed) and its member exceptions as child nodes, each
// referenced from lines by a pyChildMark line.
type pyNode struct {
	level    int
	lines    []string
	children []*pyNode
	parent   *pyNode
}

// pyUnit is one step of a printed chain: a traceback block or a group member.
type pyUnit struct {
	exc    exception
	hasExc bool
	child  *pyNode
	linked bool // preceded by "direct cause" / "during handling"
	start  int
}

// parsePythonLines reads Python tracebacks. Within one chain the printed
// order is cause first, so units keep their printed order; exception-group
// members (the "+-+---- 1 ----" blocks) come before the group's own frames.
// A traceback not introduced by a chaining sentence starts a new signal.
func parsePythonLines(lines []string) []Signal {
	root := pyTree(lines)
	units := pyUnits(root, false)
	var sigs []Signal
	var cur []pyUnit
	flush := func() {
		if len(cur) == 0 {
			return
		}
		var chain []exception
		for _, u := range cur {
			chain = append(chain, pyUnitExceptions(u)...)
		}
		outer := pyOuter(cur[len(cur)-1])
		nframes := 0
		for _, e := range chain {
			nframes += len(e.frames)
		}
		if nframes > 0 || outer.typ != "" {
			s := assemble(FormatPython, chain, outer)
			s.Timestamp = textTimestamp(root.lines, cur[0].start)
			if len(root.lines) == len(lines) {
				s.line = cur[0].start + 1 // no group lines taken out: the same numbering
			}
			sigs = append(sigs, s)
		}
		cur = nil
	}
	for _, u := range units {
		if !u.linked {
			flush()
		}
		cur = append(cur, u)
	}
	flush()
	return sigs
}

// pyUnitExceptions flattens a unit into exceptions, members of a group first.
func pyUnitExceptions(u pyUnit) []exception {
	if u.child == nil {
		return []exception{u.exc}
	}
	var out []exception
	units := pyUnits(u.child, true)
	for _, cu := range units {
		if cu.child != nil {
			out = append(out, pyUnitExceptions(cu)...)
		}
	}
	for _, cu := range units {
		if cu.child == nil {
			out = append(out, cu.exc)
		}
	}
	return out
}

// pyOuter is the outermost exception of a unit: a group's own exception.
func pyOuter(u pyUnit) exception {
	if u.child == nil {
		return u.exc
	}
	units := pyUnits(u.child, true)
	for i := len(units) - 1; i >= 0; i-- {
		if units[i].child == nil {
			return units[i].exc
		}
	}
	return exception{}
}

// pyTree splits exception-group drawings into nested nodes; plain lines stay
// in the root node.
func pyTree(lines []string) *pyNode {
	root := &pyNode{level: -1}
	cur := root
	child := func(parent *pyNode, level int) *pyNode {
		n := &pyNode{level: level, parent: parent}
		parent.children = append(parent.children, n)
		parent.lines = append(parent.lines, pyChildMark+strconv.Itoa(len(parent.children)-1))
		return n
	}
	popTo := func(level int) {
		for cur != root && cur.level > level {
			cur = cur.parent
		}
	}
	for _, l := range lines {
		ind := len(l) - len(strings.TrimLeft(l, " "))
		rest := l[ind:]
		switch {
		case strings.HasPrefix(rest, "+ Exception Group Traceback"):
			popTo(ind)
			if cur.level == ind {
				cur = cur.parent
			}
			cur = child(cur, ind)
			cur.lines = append(cur.lines, strings.TrimSpace(rest[2:]))
		case strings.HasPrefix(rest, "+-") && pyGroupRE.MatchString(l):
			m := pyGroupRE.FindStringSubmatch(l)
			if cur == root {
				continue
			}
			popTo(ind)
			if cur.level != ind {
				continue
			}
			if m[2] != "" { // "+-+---- 1 ----": first member, one level in
				cur = child(cur, ind+2)
				continue
			}
			cur = cur.parent
			if m[3] != "" { // "+---- 2 ----": next member
				cur = child(cur, ind)
			}
		case strings.HasPrefix(rest, "|") && cur != root:
			popTo(ind)
			if cur.level != ind {
				cur = root
				root.lines = append(root.lines, l)
				continue
			}
			text := rest[1:]
			text = strings.TrimPrefix(text, " ")
			cur.lines = append(cur.lines, text)
		default:
			if cur != root && strings.TrimSpace(l) == "" {
				continue
			}
			cur = root
			root.lines = append(root.lines, l)
		}
	}
	return root
}

// pyUnits parses the lines of one node into printed units. In a group
// member (member=true) a bare "Type: message" line is an exception without
// a traceback.
func pyUnits(n *pyNode, member bool) []pyUnit {
	lines := n.lines
	var units []pyUnit
	linked := false
	var blk *pyUnit
	var frames []Frame // printed order: outermost first
	source := false    // the line before was a frame's: a source line may follow
	end := func() {
		if blk == nil {
			return
		}
		for i := len(frames) - 1; i >= 0; i-- {
			blk.exc.frames = append(blk.exc.frames, frames[i])
		}
		units = append(units, *blk)
		blk, frames = nil, nil
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, pyChildMark):
			end()
			k, _ := strconv.Atoi(l[len(pyChildMark):])
			if k >= 0 && k < len(n.children) {
				units = append(units, pyUnit{child: n.children[k], linked: linked, start: i})
			}
			linked = false
		case strings.HasSuffix(t, pyTraceback):
			end()
			blk = &pyUnit{linked: linked, start: i}
			linked = false
		case t == pyCauseSep || t == pyContextSep:
			end()
			linked = true
		case strings.Contains(l, "File \"") && pyFrameRE.MatchString(l) && strings.HasPrefix(l, " ") && (blk != nil || !member):
			if blk == nil {
				// Frames pasted without their "Traceback" line: the
				// block starts at its first frame.
				blk = &pyUnit{linked: linked, start: i}
				linked = false
			}
			if len(frames) >= MaxFrames {
				continue
			}
			m := pyFrameRE.FindStringSubmatch(l)
			n, _ := strconv.Atoi(m[2])
			f := Frame{File: m[1], Line: n, Function: m[3]}
			f.InApp = IsInApp(FormatPython, f.File, f.Function, "")
			frames = append(frames, f)
			source = true
		case blk != nil && (t == "" || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")):
			// source line, carets, "[Previous line repeated N more times]"
			if source && t != "" && len(frames) > 0 && !pyCarets(l) && !strings.HasPrefix(t, "[Previous line repeated") {
				// The line as the build that failed held it, stripped.
				frames[len(frames)-1] = frames[len(frames)-1].WithContext(nil, t, nil)
			}
			source = false
		case blk != nil:
			if m := pyExcRE.FindStringSubmatch(t); m != nil {
				blk.exc.typ, blk.exc.msg = m[1], strings.TrimSpace(m[2])
				blk.hasExc = true
			} else if len(frames) > 0 {
				blk.exc.msg = t
			}
			end()
		case member && t != "":
			if m := pyExcRE.FindStringSubmatch(t); m != nil && !strings.HasPrefix(l, " ") {
				units = append(units, pyUnit{exc: exception{typ: m[1], msg: strings.TrimSpace(m[2])}, hasExc: true, linked: linked, start: i})
				linked = false
			}
		}
	}
	end()
	return units
}

// parseFlatPythonLines reads Python tracebacks that lost their
// indentation, as chats, web forms and some issue trackers paste them:
// each "File" line starts at the margin, and so does the source line under
// it. It puts back the indentation (two spaces before a frame, four before
// the source line and carets that follow one), then reads the tracebacks as
// parsePythonLines does. A line under a frame is taken as its source when
// another line follows it; the last line of the block is the exception.
func parseFlatPythonLines(lines []string) []Signal {
	var out []string
	under := false // the line before is a frame's, or its source's
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, `File "`) && pyFrameRE.MatchString(l):
			if out == nil {
				out = append([]string(nil), lines...)
			}
			out[i], under = "  "+l, true
		case under && strings.TrimSpace(l) != "" && !strings.HasPrefix(l, " ") &&
			(pyCarets(l) || i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != ""):
			if out != nil {
				out[i] = "    " + l
			}
		default:
			under = false
		}
	}
	if out == nil {
		return nil
	}
	return parsePythonLines(out)
}

// pyCarets reports a line of Python 3.11's carets under a source line
// ("~~~~^~~~").
func pyCarets(l string) bool {
	t := strings.TrimSpace(l)
	return t != "" && strings.Trim(t, "^~ ") == ""
}
