package retrace

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// TextStats says what Text did.
type TextStats struct {
	// Obfuscated is the number of frame lines that look obfuscated
	// (a SourceFile location, a class named like a.b.c), retraced or not.
	Obfuscated int
	// Retraced is the number of frame lines a mapping named the class of.
	Retraced int
	// Notes are the frames a mapping could not tell the method of.
	Notes []string
}

// maxNotes is the most notes Text keeps.
const maxNotes = 20

var (
	// frameRE reads an "at" line from its "at ": the qualified method,
	// the space Google Play Console puts before "(", the location, and
	// what follows (a log's "~[app.jar:?]").
	frameRE = regexp.MustCompile(`^at ([A-Za-z_$][\w$]*(?:\.[\w$<>\-]+)+)(?:( ?)\(([^()]*)\)(.*)|\s*)$`)
	// logcatRE is a logcat line's prefix up to its message: threadtime
	// ("03-17 16:13:47.123  1234  1234 E AndroidRuntime: "), brief
	// ("E/AndroidRuntime( 1234): ") and the tag alone ("E AndroidRuntime: ").
	logcatRE = regexp.MustCompile(`^(?:\d\d-\d\d\s+\d\d:\d\d:\d\d\.\d+\s+\d+\s+\d+\s+[VDIWEF]\s+[^:]*?:\s|[VDIWEF]/[^:(]*(?:\(\s*\d+\))?:\s|[VDIWEF]\s+[\w.$-]+\s*:\s)`)
	// obfNameRE is a class's simple name as an obfuscator makes it.
	obfNameRE = regexp.MustCompile(`^[a-z]{1,3}[0-9]{0,2}$`)
)

// Text rewrites the JVM stack traces in text with the mappings: each
// "at" line of a class a mapping names becomes the frames it was
// (several when methods were inlined), with the original class, method,
// source file and line, and the exception class of a header line ("a.b.e:
// msg", "Caused by: a.b.e", "Exception in thread "main" a.b.e: msg",
// logcat's "E AndroidRuntime: a.b.e: msg") its original name. Other lines
// are kept byte for byte. With no mapping it only counts the frames
// that look obfuscated.
func (s Set) Text(text []byte) ([]byte, TextStats) {
	var st TextStats
	var out []byte // nil while no line has changed: text is returned as it is
	seenNote := map[string]bool{}
	for pos := 0; pos < len(text); {
		raw := text[pos:]
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[:i+1]
		}
		start := pos
		pos += len(raw)
		line, end := raw, []byte(nil)
		if n := len(line); n > 0 && line[n-1] == '\n' {
			line, end = line[:n-1], line[n-1:]
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line, end = line[:n-1], raw[n-1:]
		}
		if len(s) == 0 && !bytes.Contains(line, []byte("at ")) {
			continue // without a mapping only frames are looked at, to count them
		}
		repl, ok := s.rewrite(string(line), &st, seenNote)
		if !ok {
			if out != nil {
				out = append(out, raw...)
			}
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(text)+len(text)/8), text[:start]...)
		}
		for i, r := range repl {
			out = append(out, r...)
			if len(end) > 0 {
				out = append(out, end...)
			} else if i < len(repl)-1 {
				out = append(out, '\n')
			}
		}
	}
	if out == nil {
		return text, st
	}
	return out, st
}

// rewrite is the lines a line becomes, ok false when it stays.
func (s Set) rewrite(line string, st *TextStats, seenNote map[string]bool) ([]string, bool) {
	if len(line) > 4096 {
		return nil, false
	}
	if at, m := frameAt(line); at >= 0 {
		qual, sp, loc, tail := m[1], m[2], m[3], m[4]
		d := strings.LastIndexByte(qual, '.')
		cls, method := qual[:d], qual[d+1:]
		if LooksObfuscated(cls, loc) {
			st.Obfuscated++
		}
		if len(s) == 0 {
			return nil, false
		}
		lineNo := locLine(loc)
		frames, note, ok := s.Frame(cls, method, lineNo)
		if !ok {
			return nil, false
		}
		st.Retraced++
		if frames == nil {
			if note != "" && !seenNote[note] && len(st.Notes) < maxNotes {
				seenNote[note] = true
				st.Notes = append(st.Notes, note)
			}
			return nil, false
		}
		native := strings.EqualFold(strings.TrimSpace(loc), "Native Method")
		out := make([]string, 0, len(frames))
		for _, f := range frames {
			l := f.File
			if f.Line > 0 {
				l += ":" + strconv.Itoa(f.Line)
			}
			if native {
				l = strings.TrimSpace(loc)
			}
			out = append(out, line[:at]+"at "+f.Class+"."+f.Method+sp+"("+l+")"+tail)
		}
		return out, true
	}
	if len(s) == 0 {
		return nil, false
	}
	if r, ok := s.header(line); ok {
		return []string{r}, true
	}
	return nil, false
}

// frameAt is the index of the "at " that starts a frame in line, and
// frameRE's submatches there; -1 when there is none: at the start, or
// after a space or a tab.
func frameAt(line string) (int, []string) {
	from := 0
	for from < len(line) {
		i := strings.Index(line[from:], "at ")
		if i < 0 {
			return -1, nil
		}
		i += from
		if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
			if m := frameRE.FindStringSubmatch(line[i:]); m != nil {
				return i, m
			}
		}
		from = i + 3
	}
	return -1, nil
}

// locLine is the line of a location ("SourceFile:12", "Unknown
// Source:4"), 0 when it has none.
func locLine(loc string) int {
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(loc[i+1:]))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// header renames the exception class of a header line.
func (s Set) header(line string) (string, bool) {
	var starts []int
	for _, p := range []string{"Caused by: ", "Suppressed: ", "Caused by "} {
		if i := strings.Index(line, p); i >= 0 {
			starts = append(starts, i+len(p))
		}
	}
	if i := strings.Index(line, `Exception in thread "`); i >= 0 {
		if j := strings.Index(line[i+21:], `" `); j >= 0 {
			starts = append(starts, i+21+j+2)
		}
	}
	if m := logcatRE.FindStringIndex(line); m != nil {
		starts = append(starts, m[1])
	}
	starts = append(starts, 0)
	for _, p := range starts {
		for p < len(line) && (line[p] == ' ' || line[p] == '\t') {
			p++
		}
		e := p
		for e < len(line) && (isWord(line[e]) || line[e] == '.') {
			e++
		}
		if e == p || line[e-1] == '.' || !(line[p] < '0' || line[p] > '9') {
			continue
		}
		after := strings.TrimRight(line[e:], " \t")
		if after != "" && after[0] != ':' {
			continue
		}
		if orig, ok := s.Class(line[p:e]); ok {
			return line[:p] + orig + line[e:], true
		}
	}
	return "", false
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'
}

// LooksObfuscated reports whether a JVM frame of class cls at location
// loc ("SourceFile:12", "Cart.java:3", a Sentry frame's file name) looks
// obfuscated by R8 or ProGuard: the location R8 and ProGuard write in
// place of the source file ("SourceFile"), or a class whose simple name is
// a short lowercase one (a.b.c, com.shop.ab).
func LooksObfuscated(cls, loc string) bool {
	loc = strings.TrimSpace(loc)
	if loc == "SourceFile" || strings.HasPrefix(loc, "SourceFile:") || strings.HasSuffix(loc, "/SourceFile") {
		return true
	}
	simple := cls
	if d := strings.LastIndexByte(simple, '.'); d >= 0 {
		simple = simple[d+1:]
	}
	if i := strings.IndexByte(simple, '$'); i >= 0 {
		simple = simple[:i]
	}
	return strings.Contains(cls, ".") && obfNameRE.MatchString(simple)
}
