package signal

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// luaTraceback is the line that starts a Lua traceback (luaL_traceback's,
// debug.traceback's).
const luaTraceback = "stack traceback:"

var (
	// luaErrorRE finds the place and message of a Lua error on its line:
	// "lua: cart.lua:12: attempt to ...", "E5108: Error executing lua:
	// /x/init.lua:3: ...", OpenResty's "runtime error: /app/cart.lua:12:
	// ...". The file is the last "x.lua:N: " of the line before the message.
	luaErrorRE = regexp.MustCompile(`(?:^|[\s:"'(\[])((?:[A-Za-z]:)?[^\s:"'(\[]*\.lua):(\d+): (.*)$`)
	// luaFrameRE reads a traceback line: "cart.lua:12: in function
	// 'Cart.total'", "/app/cart.lua: in function <x.lua:3>" (no line),
	// "[C]: in ?", "[string \"chunk\"]:4: in main chunk".
	luaFrameRE = regexp.MustCompile(`^((?:[A-Za-z]:)?[^\s:][^:]*?|\[C\]|\[string "[^"]*"\]|\[string "[^"]*"\]?\.\.\.)(?::(\d+))?: (?:in )?(.*)$`)
)

// luaLibDirs mark the Lua libraries installed on a system, by LuaRocks or
// with OpenResty and Neovim: not the application's code.
var luaLibDirs = []string{
	"/usr/share/lua/", "/usr/local/share/lua/", "/usr/lib/lua/", "/usr/local/lib/lua/",
	"/usr/lib/x86_64-linux-gnu/lua/", "/usr/lib/aarch64-linux-gnu/lua/",
	"/.luarocks/", "lua_modules/", "/openresty/lualib/", "/usr/share/nvim/runtime/",
	"/opt/homebrew/share/lua/", "/opt/homebrew/share/nvim/runtime/",
}

// luaInApp reports whether a Lua frame is the application's code: not a
// C function ("[C]"), a library under luaLibDirs, or OpenResty's resty
// modules.
func luaInApp(file string) bool {
	f := strings.ReplaceAll(file, `\`, "/")
	if f == "" || strings.HasPrefix(f, "[") || strings.HasPrefix(f, "=") {
		// [C], code loaded from a string ([string "..."]), LÖVE's
		// embedded [love "callbacks.lua"].
		return false
	}
	if strings.HasPrefix(f, "lualib/") || strings.Contains(f, "/lualib/resty/") || strings.HasPrefix(f, "resty/") {
		return false
	}
	return !hasAnyPrefix(f, luaLibDirs) && !containsAny(f, luaLibDirs)
}

// parseLuaLines reads Lua's tracebacks: the error's line ("lua:
// cart.lua:12: attempt to perform arithmetic on a nil value (field
// 'price')", or as Neovim, OpenResty and LÖVE print it), then "stack
// traceback:" and its lines, innermost first: "cart.lua:12: in function
// 'Cart.total'" (Lua 5.1 to 5.4's wordings: in function, method, local,
// upvalue, field, global), "in function <cart.lua:10>" for a function
// without a name, "in main chunk", "[C]: in ?" for C functions, and
// "(...tail calls...)" or "..." where Lua left levels out. OpenResty's
// "coroutine 0:" lines are skipped. The error's message titles the
// signal; its place is the innermost frame when the traceback has no
// frame of Lua code there (an error raised through error()).
func parseLuaLines(lines []string) []Signal {
	var sigs []Signal
	for i := 0; i < len(lines) && len(sigs) < MaxSignals; i++ {
		if strings.TrimSpace(lines[i]) != luaTraceback && !strings.HasSuffix(strings.TrimSpace(lines[i]), " "+luaTraceback) {
			continue
		}
		start, msg, file, line := luaError(lines, i)
		var frames []Frame
		j := i + 1
		for ; j < len(lines); j++ {
			raw := lines[j]
			t := strings.TrimSpace(raw)
			if strings.HasPrefix(t, "coroutine ") && strings.HasSuffix(t, ":") {
				continue // OpenResty's "coroutine 0:", unindented
			}
			if t == "" || raw[0] != ' ' && raw[0] != '\t' && !strings.HasPrefix(t, "[C]") {
				break
			}
			if t == "..." || strings.HasPrefix(t, "...\t") || strings.HasPrefix(t, "...") && strings.Contains(t, "skipping") ||
				t == "(...tail calls...)" {
				continue
			}
			m := luaFrameRE.FindStringSubmatch(t)
			if m == nil {
				break
			}
			if len(frames) < MaxFrames {
				frames = append(frames, luaFrame(m[1], m[2], m[3]))
			}
		}
		if file != "" && !slices.ContainsFunc(frames, func(f Frame) bool { return f.Line == line && sameLuaFile(f.File, file) }) {
			// error() raised it: "[C]: in function 'error'" comes first,
			// and the place the message names is the caller's line.
			k := 0
			for k < len(frames) && frames[k].File == "" {
				k++
			}
			f := luaFrame(file, strconv.Itoa(line), "")
			if k < len(frames) && frames[k].Line == 0 && sameLuaFile(frames[k].File, file) {
				frames[k].Line = line // LuaJIT's "x.lua: in function ..." has no line
			} else {
				frames = append(frames[:k], append([]Frame{f}, frames[k:]...)...)
			}
		}
		if !slices.ContainsFunc(frames, func(f Frame) bool { return f.File != "" }) {
			i = j - 1 // C functions alone: nothing to map
			continue
		}
		s := Signal{Format: FormatLua, Title: msg, Frames: frames}
		if s.Title == "" {
			s.Title = "Lua error"
		}
		s.Symptoms = Symptoms(msg)
		s.stamp(lines, start)
		sigs = append(sigs, s)
		i = j - 1
	}
	return sigs
}

// luaError finds the error's line above the traceback at line i: the
// nearest of the 5 lines above with a "file.lua:N: message", or the
// line itself when it holds the message before "stack traceback:"
// (OpenResty's log). It returns that line, the message, and the place.
func luaError(lines []string, i int) (start int, msg, file string, line int) {
	if t := strings.TrimSpace(lines[i]); t != luaTraceback {
		if m := luaErrorRE.FindStringSubmatch(strings.TrimSuffix(t, luaTraceback)); m != nil {
			n, _ := strconv.Atoi(m[2])
			return i, strings.TrimSpace(strings.TrimSuffix(m[3], luaTraceback)), m[1], n
		}
	}
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		l := strings.TrimSpace(lines[k])
		if m := luaErrorRE.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[2])
			msg := m[3]
			// A message of several lines runs to the traceback.
			for _, more := range lines[k+1 : i] {
				if more = strings.TrimSpace(more); more != "" {
					msg += " " + more
				}
			}
			return k, msg, m[1], n
		}
	}
	return i, "", "", 0
}

// luaFrame builds a frame from a traceback line's file, line and what
// follows "in ": the name in quotes ("function 'Cart.total'" is
// Cart.total, "method 'total'" is total), none for a main chunk, a
// function without a name ("function <cart.lua:10>") or "?".
func luaFrame(file, line, what string) Frame {
	n, _ := strconv.Atoi(line)
	if rest, ok := strings.CutPrefix(file, "..."); ok {
		// Lua shortens a long source name to its end: "...e/ann/x.lua".
		// The part before the first "/" is a cut name.
		if k := strings.IndexByte(rest, '/'); k >= 0 {
			rest = rest[k+1:]
		}
		file = rest
	}
	what, _, _ = strings.Cut(what, ", client: ") // OpenResty's request after the last frame
	name := ""
	if q := strings.IndexByte(what, '\''); q >= 0 && strings.HasSuffix(what, "'") && len(what) > q+1 {
		name = what[q+1 : len(what)-1]
		if strings.HasPrefix(what, "metamethod ") {
			name = ""
		}
	}
	if file == "[C]" {
		return Frame{Function: name, InApp: false}
	}
	f := Frame{File: file, Line: n, Function: name}
	f.InApp = IsInApp(FormatLua, f.File, f.Function, "")
	return f
}

// sameLuaFile reports whether two names of a Lua file are one: one ends
// with the other (Lua shortens a long name to its end, "...cart.lua").
func sameLuaFile(a, b string) bool {
	a, b = strings.TrimPrefix(a, "..."), strings.TrimPrefix(b, "...")
	return strings.HasSuffix(a, b) || strings.HasSuffix(b, a)
}
