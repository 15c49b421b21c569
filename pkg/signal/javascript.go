package signal

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

var (
	jsFrameRE  = regexp.MustCompile(`^\s*at (.*?)\s*\{?$`)
	jsHeaderRE = regexp.MustCompile(`^\s*(\[cause\]: )?(?:Uncaught )?([A-Za-z_$][\w$.]*)(?: \[[^\]]*\])?(?:: (.*?))?\s*\{?$`)
	// jsGeckoFrameRE: Firefox's and Safari's "fn@url:line:col".
	jsGeckoFrameRE = regexp.MustCompile(`^([^@\s()]*)@((?:[a-z][\w+.-]*://|/)\S*?:\d+(?::\d+)?)$`)
	jsLocRE        = regexp.MustCompile(`^(.*?):(\d+)(?::(\d+))?$`)
)

// parseJSLines reads V8 stack traces (Node.js, Chrome, Deno, Bun): an
// "Error: message" line and "    at fn (file:line:col)" frames; and
// Firefox's and Safari's "fn@url:line:col" frames. Node prints
// error.cause as a nested "[cause]: Error: ..." block after the outer error;
// the deepest cause is the root and comes first. "... N lines matching cause
// stack trace ..." is skipped (those frames are the cause's). A header
// without "[cause]:" after frames starts a new signal.
func parseJSLines(lines []string) []Signal {
	var sigs []Signal
	var chain []chained // printed order: outermost first
	flush := func() {
		if sig, ok := chainSignal(FormatJavaScript, lines, chain); ok {
			sigs = append(sigs, sig)
		}
		chain = nil
	}
	prev := -1 // index of the last non-empty line that was not a frame
	var arrow *jsArrow
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if a, ok := jsArrowAt(lines, i); ok {
			// Node's "file:line", source line and carets above an
			// uncaught error: the source of the frame at that place.
			arrow = &a
		}
		text := ""
		if m := matchIf(jsFrameRE, l, "at "); m != nil && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
			text = m[1]
		} else if m != nil && jsFlatFrame(m[1]) {
			// A frame that lost its indentation (pasted from a chat or
			// a web form), taken only with a whole location.
			text = m[1]
		} else if m := matchIf(jsGeckoFrameRE, t, "@"); m != nil {
			// Firefox's and Safari's "fn@url:line:col" ("@url:..." when
			// anonymous), written as V8 writes it.
			text = m[2]
			if fn := strings.TrimRight(m[1], "/<*"); fn != "" {
				text = fn + " (" + m[2] + ")"
			}
		}
		if text != "" {
			f, ok := jsFrame(text)
			if !ok {
				continue
			}
			if len(chain) == 0 || prev > chain[len(chain)-1].start {
				// The first frame under a new header.
				e := chained{start: i}
				cause := false
				if prev >= 0 {
					e.start = prev
					if h := jsHeaderRE.FindStringSubmatch(lines[prev]); h != nil {
						e.typ, e.msg, cause = h[2], h[3], h[1] != ""
					} else {
						e.msg = strings.TrimSpace(lines[prev])
					}
				}
				if !cause && len(chain) > 0 {
					flush()
				}
				chain = append(chain, e)
			}
			if arrow != nil && f.File == arrow.file && f.Line == arrow.line {
				f, arrow = f.WithContext(nil, arrow.source, nil), nil
			}
			c := &chain[len(chain)-1]
			if len(c.frames) < MaxFrames {
				c.frames = append(c.frames, f)
			}
			continue
		}
		if strings.HasPrefix(t, "...") && strings.HasSuffix(t, "...") {
			continue
		}
		prev = i
	}
	if len(chain) > 0 {
		flush()
	}
	return sigs
}

// jsArrow is the place and source line Node prints above an uncaught
// error:
//
//	/app/src/sync.js:2
//	  return raw.profile.name.trim();
//	                     ^
type jsArrow struct {
	file, source string
	line         int
}

// jsArrowAt reads the arrow message starting at lines[i]: a "file:line"
// line, the source line, and a line of carets under it.
func jsArrowAt(lines []string, i int) (jsArrow, bool) {
	if i+2 >= len(lines) {
		return jsArrow{}, false
	}
	carets := strings.TrimSpace(lines[i+2])
	if carets == "" || strings.Trim(carets, "^") != "" || strings.TrimSpace(lines[i+1]) == "" {
		return jsArrow{}, false
	}
	f, ok := jsFrame(strings.TrimSpace(lines[i]))
	if !ok || f.Function != "" || f.Line <= 0 || f.Column != 0 {
		return jsArrow{}, false // not a bare "file:line"
	}
	return jsArrow{file: f.File, line: f.Line, source: lines[i+1]}, true
}

// jsFrame parses the text after "at ": "fn (loc)", "async fn (loc)",
// "new Foo (loc)", "loc", where loc is "file:line:col", "native",
// "<anonymous>" or "index N".
func jsFrame(s string) (Frame, bool) {
	fn, loc := "", s
	if strings.HasSuffix(s, ")") {
		if i := strings.Index(s, " ("); i >= 0 {
			fn, loc = s[:i], s[i+2:len(s)-1]
		}
	}
	if strings.HasPrefix(loc, "eval at ") {
		if i := strings.LastIndex(loc, ", "); i >= 0 {
			loc = loc[i+2:]
		}
	}
	fn = strings.TrimPrefix(fn, "async ")
	f := Frame{Function: fn}
	if m := jsLocRE.FindStringSubmatch(loc); m != nil {
		f.File = m[1]
		f.Line, _ = strconv.Atoi(m[2])
		f.Column, _ = strconv.Atoi(m[3])
	} else if fn == "" || strings.ContainsAny(loc, " ") && !strings.HasPrefix(loc, "index ") {
		return Frame{}, false
	} else {
		f.File = loc
	}
	if strings.HasPrefix(f.File, "file://") {
		if u, err := url.Parse(f.File); err == nil && u.Path != "" {
			f.File = u.Path
		}
	}
	if strings.ContainsAny(f.File, " \t") && !strings.HasPrefix(f.File, "index ") {
		return Frame{}, false
	}
	f.InApp = IsInApp(FormatJavaScript, f.File, f.Function, "")
	return f, true
}

// jsFlatFrame reports whether the text after an unindented "at " is a V8
// frame with a whole location, "fn (file:line:col)" or "file:line:col":
// prose that starts with "at " has none.
func jsFlatFrame(text string) bool {
	f, ok := jsFrame(text)
	return ok && f.File != "" && f.Line > 0 && f.Column > 0
}
