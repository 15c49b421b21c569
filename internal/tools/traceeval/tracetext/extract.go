package tracetext

import (
	"regexp"
	"strings"
)

// Block is one crash trace found in a commit message.
type Block struct {
	// Text is the trace as pasted: its lines from the message, with the
	// indentation common to all of them removed.
	Text string
	// Format is the report's kind, from its header or its frames.
	Format Format
	// Frames counts the frame lines in the block.
	Frames int
	// FileFrames counts the frames that name a source file.
	FileFrames int
	// StartLine is the block's first line in the message (0-based).
	StartLine int
}

// maxGap is how many lines that are no part of a report may sit between two
// parts of one report (blank lines between an ASan report's stacks, a
// developer's "[...]").
const maxGap = 2

// maxMessage bounds the input: commit messages are small, and a huge input
// must not make the regular expressions run long.
const maxMessage = 1 << 20

var (
	pyExcRE   = regexp.MustCompile(`^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Failure|Fault|Iteration)\b(?::.*)?$|^[A-Za-z_][\w.]*\.[A-Za-z_]\w*: .*$|^[A-Z]\w+: .*$`)
	javaExcRE = regexp.MustCompile(`^(?:Exception in thread "[^"]*" )?[\w$.]+(?:Exception|Error|Throwable)\b(?::.*)?$`)
	gdbVarRE  = regexp.MustCompile(`^(?:[\w.$\[\]]+ = |No locals\.|No symbol table info)`)
	leadWS    = regexp.MustCompile(`^[ \t]*`)
)

// line is one message line with its classification.
type line struct {
	raw    string
	indent string
	c      classified
	trace  bool // part of a report
}

// Extract returns the crash traces pasted into a commit message, in the
// order they appear. Only blocks with at least one frame are returned.
func Extract(message string) []Block {
	if len(message) > maxMessage {
		message = message[:maxMessage]
	}
	message = strings.ReplaceAll(message, "\r\n", "\n")
	raw := strings.Split(message, "\n")
	lines := make([]line, len(raw))
	prevPy := -1  // index of the last Python frame or source line, while more may follow
	pyFrame := -1 // index of the last Python frame line
	prevGDB := false
	for i, r := range raw {
		r = strings.TrimRight(r, " \t\r")
		ind := leadWS.FindString(r)
		content := stripPrefix(strings.TrimLeft(r, " \t"))
		c := classify(content)
		l := line{raw: r, indent: ind, c: c, trace: c.kind != kindOther}
		// Python: the source line printed under a frame, and the exception
		// line that ends the traceback.
		if c.kind == kindOther && prevPy >= 0 && content != "" {
			if len(ind) > len(lines[pyFrame].indent) && i == prevPy+1 {
				l.c = classified{kind: kindPart, format: Python}
				l.trace = true
			} else if pyExcRE.MatchString(content) || javaExcRE.MatchString(content) {
				l.c = classified{kind: kindHeader, format: Python}
				l.trace = true
			}
		}
		// gdb "bt full": locals under each frame.
		if c.kind == kindOther && prevGDB && gdbVarRE.MatchString(content) {
			l.c = classified{kind: kindPart, format: GDB}
			l.trace = true
		}
		switch {
		case l.c.kind == kindFrame && l.c.format == Python:
			prevPy, pyFrame = i, i
		case l.c.kind == kindPart && l.c.format == Python:
			// the source line, or the carets under it
			prevPy = i
		case content == "":
		default:
			prevPy = -1
		}
		if l.c.kind == kindFrame {
			prevGDB = l.c.format == GDB
		}
		lines[i] = l
	}

	var blocks []Block
	for i := 0; i < len(lines); {
		if !lines[i].trace || lines[i].c.kind == kindPart && !lines[i].c.goFunc {
			i++
			continue
		}
		start, end := i, i
		gap := 0
		for j := i + 1; j < len(lines); j++ {
			if lines[j].trace {
				end, gap = j, 0
				continue
			}
			gap++
			if gap > maxGap {
				break
			}
		}
		// A header that opens a stack but ends the block (the start of a
		// second report after a blank line) belongs to no frame here.
		for end > start && lines[end].c.kind == kindHeader && opensNext(stripPrefix(strings.TrimSpace(lines[end].raw))) {
			end--
			for end > start && strings.TrimSpace(lines[end].raw) == "" {
				end--
			}
		}
		frames, fileFrames := 0, 0
		counts := map[Format]int{}
		var hdr Format
		for k := start; k <= end; k++ {
			c := lines[k].c
			if c.kind == kindFrame {
				frames++
				if c.frame.File != "" {
					fileFrames++
				}
				counts[c.format]++
			}
			if c.kind == kindHeader && hdr == "" && c.format != "" && c.format != Python {
				hdr = c.format
			}
		}
		if frames == 0 {
			i = end + 1
			continue
		}
		// A Java or Python exception line just above the first frame.
		if start > 0 && !lines[start-1].trace {
			prev := stripPrefix(strings.TrimSpace(lines[start-1].raw))
			if lines[start].c.format == Java && javaExcRE.MatchString(prev) {
				start--
			}
		}
		blocks = append(blocks, Block{
			Text:       dedent(lines[start : end+1]),
			Format:     blockFormat(hdr, counts),
			Frames:     frames,
			FileFrames: fileFrames,
			StartLine:  start,
		})
		i = end + 1
	}
	return blocks
}

// blockFormat picks the report's format: the header's when it names one
// (an ASan report's frames look like any sanitizer's), else the most
// frequent frame format.
func blockFormat(hdr Format, counts map[Format]int) Format {
	best, n := Format(""), -1
	for _, f := range []Format{ASan, GDB, Valgrind, Python, Go, Java, Rust, Kernel, LLDB, TSan, UBSan, Assert, Glibc} {
		if counts[f] > n {
			best, n = f, counts[f]
		}
	}
	if hdr != "" {
		// Sanitizer frames are classified as ASan; the header tells which.
		switch hdr {
		case LSan, MSan, TSan, UBSan:
			if counts[ASan] > 0 || counts[TSan] > 0 || counts[UBSan] > 0 {
				return hdr
			}
		case ASan, Valgrind, GDB, Python, Go, Java, Rust, Kernel:
			if counts[hdr] > 0 || hdr == Kernel && counts[Kernel] > 0 {
				return hdr
			}
		}
	}
	if best == TSan {
		return TSan
	}
	if best == ASan && counts[UBSan] > 0 {
		return UBSan
	}
	return best
}

// dedent joins lines, removing the leading whitespace they all share.
func dedent(ls []line) string {
	common := ""
	first := true
	for _, l := range ls {
		if strings.TrimSpace(l.raw) == "" {
			continue
		}
		if first {
			common, first = l.indent, false
			continue
		}
		common = sharedPrefix(common, l.indent)
	}
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimPrefix(l.raw, common))
	}
	b.WriteByte('\n')
	return b.String()
}

func sharedPrefix(a, b string) string {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return a[:i]
}

// opensNext tells whether a header line starts a report or a stack (and
// so cannot end one).
func opensNext(s string) bool {
	return opensStack(s) || strings.HasPrefix(s, "Traceback") || strings.HasPrefix(s, "ERROR: ") ||
		strings.HasPrefix(s, "WARNING: ") || strings.HasPrefix(s, "BUG: ") || strings.HasPrefix(s, "Program received")
}
