// Package retrace turns the frames of a JVM program obfuscated by R8 or
// ProGuard back into the original ones, with the mapping file
// (mapping.txt) the obfuscator wrote: classes, methods, source files and
// lines, inlined methods expanded into the frames they were.
//
// # The mapping file
//
// A class line names a class and its obfuscated name; the member lines
// under it, indented, name its fields and methods:
//
//	com.shop.Cart -> a.b.c:
//	# {"id":"sourceFile","fileName":"Cart.kt"}
//	    java.util.List items -> a
//	    1:4:int total():40:43 -> a
//	    5:5:int priceOf(com.shop.Item):24:24 -> a
//	    5:5:int total():41 -> a
//
// A method line is [start:end:]returnType [class.]name(args)[:origStart
// [:origEnd]] -> obfuscatedName. start:end is the range of lines the
// method's code has in the obfuscated program; origStart:origEnd the
// lines they came from. A range mapped to a range maps line by line
// (origStart + line - start); a range mapped to one line maps every line
// to it; a range without original lines is the original lines themselves
// (ProGuard writes that when it did not move them). Method lines with the
// same obfuscated name and the same range, one after the other, are an
// inline chain: the first is the innermost method, inlined into the next,
// and so on out to the last, the method the code is in; after the first,
// a line's original line is where it called the one before.
//
// R8 adds comments holding JSON: a class's source file
// ({"id":"sourceFile","fileName":"Cart.kt"}, under the class line) and
// what the compiler synthesized ({"id":"com.android.tools.r8.synthesized"}
// under a class or method), whose frames are left out of a retraced chain
// that has others. A class without a source file is in the .java file of
// its outermost class, as R8's retrace assumes. Other R8 metadata
// (rewriteFrame, outline, outlineCallsite, residualsignature, the
// mapping's version) is read as a comment: frames that R8 rewrote or
// outlined are retraced as their line says, without those rules.
//
// # Bounds
//
// A mapping is read in one pass, line by line, with memory in proportion
// to its classes and methods; a file larger than MaxMappingBytes is
// refused, and a line longer than maxLineBytes or that reads as none of
// the lines above is skipped and counted (Mapping.Malformed).
package retrace

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// MaxMappingBytes is the largest mapping file Load and Parse read: the
// mapping of a large Android app is some hundreds of MiB.
const MaxMappingBytes = 512 << 20

// maxLineBytes is the longest line read; a longer one is skipped.
const maxLineBytes = 64 << 10

// maxLine is the largest line number a mapping may name.
const maxLine = 1<<31 - 1

// ErrTooLarge is wrapped by the error of a mapping larger than
// MaxMappingBytes.
var ErrTooLarge = errors.New("mapping file too large")

// Mapping is one mapping file read.
type Mapping struct {
	// Name is the file's name, for messages.
	Name string
	// Classes is the number of classes read; Malformed the number of
	// lines skipped because they read as no mapping line.
	Classes   int
	Malformed int

	classes map[string]*class // by obfuscated name
	byOrig  map[string]*class // by original name
}

// class is one class line and its methods.
type class struct {
	orig, obf   string
	file        string // the source file R8 recorded, if any
	synthesized bool
	// methods are the inline chains by obfuscated method name, in file
	// order; a method without a chain is a chain of one.
	methods map[string][]chain
}

// chain is an inline chain: innermost method first, the method whose
// code it is last.
type chain []*method

// method is one method line.
type method struct {
	start, end         int  // the obfuscated range
	hasRange           bool // start:end was given
	origStart, origEnd int  // the original lines (0: none given)
	// class is the original class when the line names one (an inlined
	// method of another class), else "": the class the line is under.
	class, name, args string
	synthesized       bool
	ownClass          *class
}

// Load reads the mapping file at path.
func Load(path string) (*Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxMappingBytes {
		return nil, fmt.Errorf("%w: %d MiB, more than the %d MiB a mapping may be", ErrTooLarge, st.Size()>>20, MaxMappingBytes>>20)
	}
	m, err := Parse(path, f)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Parse reads a mapping from r, up to MaxMappingBytes.
func Parse(name string, r io.Reader) (*Mapping, error) {
	m := &Mapping{Name: name, classes: map[string]*class{}, byOrig: map[string]*class{}}
	lr := &io.LimitedReader{R: r, N: MaxMappingBytes + 1}
	br := bufio.NewReaderSize(lr, 64<<10)
	p := parser{m: m}
	for {
		line, err := readLine(br)
		if line.tooLong {
			m.Malformed++
			p.last = nil
		} else if line.text != "" || err == nil {
			p.line(line.text)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("%w: more than the %d MiB a mapping may be", ErrTooLarge, MaxMappingBytes>>20)
	}
	return m, nil
}

type rawLine struct {
	text    string
	tooLong bool
}

// readLine reads one line without its end; a line longer than
// maxLineBytes is read to its end and returned as tooLong.
func readLine(br *bufio.Reader) (rawLine, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLineBytes {
			// Skip the rest of the line.
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err == nil {
				return rawLine{tooLong: true}, nil
			}
			return rawLine{tooLong: true}, err
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		s := strings.TrimRight(string(buf), "\r\n")
		return rawLine{text: s}, err
	}
}

// parser is the state of one mapping's read: the class being read and
// the line metadata applies to.
type parser struct {
	m     *Mapping
	cur   *class
	last  *method // the method line read last, for metadata and chains
	lastC bool    // the line read last was the class line
}

var (
	metaIDRE   = regexp.MustCompile(`["']id["']\s*:\s*["']([^"']*)["']`)
	metaFileRE = regexp.MustCompile(`["']fileName["']\s*:\s*["']([^"']*)["']`)
)

func (p *parser) line(l string) {
	t := strings.TrimSpace(l)
	switch {
	case t == "":
		return
	case strings.HasPrefix(t, "#"):
		p.meta(t)
		return
	case l[0] != ' ' && l[0] != '\t':
		p.classLine(t)
		return
	}
	if p.cur == nil {
		p.m.Malformed++
		return
	}
	p.memberLine(t)
}

// meta reads a comment: R8's JSON metadata about the line above.
func (p *parser) meta(t string) {
	body := strings.TrimSpace(strings.TrimPrefix(t, "#"))
	if !strings.HasPrefix(body, "{") {
		return // "# compiler: R8", "# pg_map_id: ..." and other comments
	}
	id := metaIDRE.FindStringSubmatch(body)
	if id == nil {
		return
	}
	switch id[1] {
	case "sourceFile":
		if f := metaFileRE.FindStringSubmatch(body); f != nil && p.cur != nil && p.lastC && validFileName(f[1]) {
			p.cur.file = f[1]
		}
	case "com.android.tools.r8.synthesized":
		switch {
		case p.lastC && p.cur != nil:
			p.cur.synthesized = true
		case p.last != nil:
			p.last.synthesized = true
		}
	}
	// The metadata of a class may come in several comments: the class
	// line stays "last" until a member line.
}

// validFileName is a source file name as a frame may show it.
func validFileName(s string) bool {
	return s != "" && len(s) < 256 && !strings.ContainsAny(s, "()\n\r\t:/\\")
}

// classLine reads "orig -> obf:".
func (p *parser) classLine(t string) {
	p.last, p.lastC = nil, false
	body, ok := strings.CutSuffix(t, ":")
	orig, obf, ok2 := strings.Cut(body, " -> ")
	orig, obf = strings.TrimSpace(orig), strings.TrimSpace(obf)
	if !ok || !ok2 || !className(orig) || !className(obf) {
		p.m.Malformed++
		p.cur = nil
		return
	}
	c := p.m.classes[obf]
	if c == nil || c.orig != orig {
		c = &class{orig: orig, obf: obf, methods: map[string][]chain{}}
		p.m.classes[obf] = c
		p.m.Classes++
	}
	if _, seen := p.m.byOrig[orig]; !seen {
		p.m.byOrig[orig] = c
	}
	p.cur, p.lastC = c, true
}

// className is a JVM class name as a mapping writes it (a.b.C$D, and
// names with characters Java source would not take, which other JVM
// languages make).
func className(s string) bool {
	if s == "" || len(s) > 1024 || strings.ContainsAny(s, " \t()[]:;/,") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return false
	}
	return !strings.Contains(s, "..")
}

// memberLine reads a field or method line of the current class.
func (p *parser) memberLine(t string) {
	lastC := p.lastC
	p.lastC = false
	left, obf, ok := cutLast(t, " -> ")
	obf = strings.TrimSpace(obf)
	if !ok || obf == "" || strings.ContainsAny(obf, " \t():") {
		p.m.Malformed++
		p.last = nil
		return
	}
	left = strings.TrimSpace(left)
	if !strings.Contains(left, "(") {
		// A field: "type name -> obf". Frames have no fields.
		if len(strings.Fields(left)) != 2 {
			p.m.Malformed++
		}
		p.last = nil
		return
	}
	mt, ok := parseMethod(left)
	if !ok {
		p.m.Malformed++
		p.last = nil
		return
	}
	mt.ownClass = p.cur
	chains := p.cur.methods[obf]
	if prev := p.last; !lastC && prev != nil && mt.hasRange && prev.hasRange && prev.start == mt.start && prev.end == mt.end &&
		len(chains) > 0 && chains[len(chains)-1][len(chains[len(chains)-1])-1] == prev {
		// The same range as the method line above, of the same
		// obfuscated name: the line above was inlined into this one.
		chains[len(chains)-1] = append(chains[len(chains)-1], mt)
	} else {
		p.cur.methods[obf] = append(chains, chain{mt})
	}
	p.last = mt
}

// parseMethod reads "[start:end:]type [class.]name(args)[:a[:b]]".
func parseMethod(s string) (*method, bool) {
	mt := &method{}
	if s != "" && isDigit(s[0]) {
		var nums []int
		for len(nums) < 2 && s != "" && isDigit(s[0]) {
			i := strings.IndexByte(s, ':')
			if i < 0 {
				return nil, false
			}
			n, ok := lineNum(s[:i])
			if !ok {
				return nil, false
			}
			nums = append(nums, n)
			s = s[i+1:]
		}
		mt.hasRange = true
		mt.start, mt.end = nums[0], nums[0]
		if len(nums) == 2 {
			mt.end = nums[1]
		}
		if mt.end < mt.start {
			return nil, false
		}
	}
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return nil, false
	}
	head := s[:open]
	sp := strings.LastIndexByte(head, ' ')
	if sp <= 0 || strings.ContainsAny(head[:sp], ": \t") {
		return nil, false // no return type, or "1:x:" before it
	}
	qname := head[sp+1:]
	rest := s[open+1:]
	closeAt := strings.IndexByte(rest, ')')
	if closeAt < 0 || qname == "" {
		return nil, false
	}
	mt.args = rest[:closeAt]
	tail := rest[closeAt+1:]
	if d := strings.LastIndexByte(qname, '.'); d >= 0 {
		mt.class, mt.name = qname[:d], qname[d+1:]
		if !className(mt.class) {
			return nil, false
		}
	} else {
		mt.name = qname
	}
	if mt.name == "" {
		return nil, false
	}
	if tail != "" {
		if tail[0] != ':' {
			return nil, false
		}
		a, b, two := strings.Cut(tail[1:], ":")
		n, ok := lineNum(a)
		if !ok {
			return nil, false
		}
		mt.origStart, mt.origEnd = n, n
		if two {
			if mt.origEnd, ok = lineNum(b); !ok || mt.origEnd < mt.origStart {
				return nil, false
			}
		}
	}
	return mt, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lineNum(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxLine {
		return 0, false
	}
	return n, true
}

// cutLast cuts s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
