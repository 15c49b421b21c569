package signal

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	dotnetHeaderRE = regexp.MustCompile(`^((?:[A-Za-z_][\w` + "`" + `+]*\.)+[A-Za-z_][\w` + "`" + `+]*|[A-Z]\w*Exception)(?:: (.*))?$`)
	dotnetFrameRE  = regexp.MustCompile(`^\s*at (.+?)(?: in (.+?):line (\d+))?\s*$`)
)

// parseDotNetLines reads .NET exception text (Exception.ToString()). The
// header names the outer exception and, after " ---> ", each inner one;
// the innermost exception's frames are printed first and every "--- End of
// inner exception stack trace ---" moves to the next exception out, so the
// printed order already puts the root cause first. "--- End of stack trace
// from previous location ---" (async rethrow) only separates frames.
// AggregateException's "---> (Inner Exception #N)" blocks come after the
// main chain.
func parseDotNetLines(lines []string) []Signal {
	var sigs []Signal
	var chain []exception // outermost first, as in the header
	var extra []exception
	idx := 0 // index from the innermost exception whose frames are read
	inExtra := false
	start := 0
	flush := func() {
		if len(chain) == 0 {
			return
		}
		var ordered []exception
		n := 0
		for i := len(chain) - 1; i >= 0; i-- {
			ordered = append(ordered, chain[i])
			n += len(chain[i].frames)
		}
		for _, e := range extra {
			ordered = append(ordered, e)
			n += len(e.frames)
		}
		if n > 0 {
			s := assemble(FormatDotNet, ordered, chain[0])
			s.stamp(lines, start)
			sigs = append(sigs, s)
		}
		chain, extra, idx, inExtra = nil, nil, 0, false
	}
	target := func() *exception {
		if inExtra && len(extra) > 0 {
			return &extra[len(extra)-1]
		}
		if len(chain) == 0 {
			return nil
		}
		i := len(chain) - 1 - idx
		if i < 0 {
			i = 0
		}
		return &chain[i]
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "--- End of inner exception stack trace ---") {
			if !inExtra {
				idx++
			}
			continue
		}
		if strings.HasPrefix(t, "--- End of stack trace from previous location") || t == "<---" {
			continue
		}
		if m := matchIf(dotnetFrameRE, l, "at "); m != nil {
			f, ok := dotnetFrame(m[1], m[2], m[3])
			if ok && l[0] != ' ' && l[0] != '\t' && m[2] == "" && !strings.Contains(f.Function, ".") {
				// Without its indentation (pasted from a chat), only a
				// frame with a location or a qualified method is one.
				ok = false
			}
			e := target()
			if ok && e != nil && len(e.frames) < MaxFrames {
				e.frames = append(e.frames, f)
			}
			continue
		}
		if strings.HasPrefix(t, "---> (Inner Exception #") && len(chain) > 0 {
			if m := dotnetHeader(t); m != nil {
				parts := dotnetSplit(t)
				inExtra = true
				// A nested inner chain inside the block is flattened
				// innermost first.
				for j := len(parts) - 1; j >= 0; j-- {
					extra = append(extra, parts[j])
				}
			}
			continue
		}
		if strings.HasPrefix(t, "---> ") && len(chain) > 0 && idx == 0 && len(target().frames) == 0 {
			// .NET Core prints each inner exception on its own line.
			chain = append(chain, dotnetSplit(t[len("---> "):])...)
			continue
		}
		if m := dotnetHeader(t); m != nil && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
			e := target()
			if e != nil && len(e.frames) == 0 && len(chain) == 1 && idx == 0 {
				chain = nil // a log line that only looked like a header
			}
			flush()
			chain = dotnetSplit(t)
			start = i
		}
	}
	flush()
	return sigs
}

// dotnetHeader matches an exception line, after dropping the prefixes
// "Unhandled exception. ", "---> " and "(Inner Exception #N) ".
func dotnetHeader(t string) []string {
	for _, p := range []string{"Unhandled exception. ", "Unhandled Exception: "} {
		if i := strings.Index(t, p); i >= 0 {
			t = t[i+len(p):]
		}
	}
	t = strings.TrimPrefix(t, "---> ")
	if strings.HasPrefix(t, "(Inner Exception #") {
		if i := strings.Index(t, ") "); i >= 0 {
			t = t[i+2:]
		}
	}
	if !plausibleClass(t) {
		return nil
	}
	return dotnetHeaderRE.FindStringSubmatch(t)
}

// dotnetSplit splits "A: m ---> B: m2" into exceptions, outermost first.
func dotnetSplit(header string) []exception {
	var out []exception
	for _, part := range strings.Split(header, " ---> ") {
		m := dotnetHeader(strings.TrimSpace(part))
		if m == nil {
			if len(out) > 0 {
				out[len(out)-1].msg += " ---> " + part
			}
			continue
		}
		out = append(out, exception{typ: m[1], msg: strings.TrimSpace(m[2])})
	}
	if len(out) == 0 {
		out = append(out, exception{msg: header})
	}
	return out
}

// dotnetFrame builds a frame from "Ns.Class.Method(Args)" and the optional
// " in File:line N" part.
func dotnetFrame(sig, file, line string) (Frame, bool) {
	fn := sig
	if i := strings.IndexByte(fn, '('); i >= 0 {
		args := strings.TrimSuffix(fn[i+1:], ")")
		if javaLocRE.MatchString(args) && strings.Contains(args, ".") || args == "Native Method" || args == "Unknown Source" {
			return Frame{}, false // a JVM frame
		}
		fn = fn[:i]
	} else if file == "" {
		return Frame{}, false
	}
	if fn == "" || strings.ContainsAny(fn, " \t") && !strings.Contains(fn, "<") {
		return Frame{}, false
	}
	f := Frame{Function: fn, File: file}
	f.Line, _ = strconv.Atoi(line)
	if i := strings.LastIndexByte(fn, '.'); i > 0 {
		f.Module = fn[:i]
	}
	f.InApp = IsInApp(FormatDotNet, f.File, f.Function, f.Module)
	return f, true
}
