package signal

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	// elixirFrameRE: a line of an Elixir stacktrace as
	// Exception.format_stacktrace writes it: the application and its
	// version when the module belongs to one ("(shop 0.1.0) ", "(plug) "
	// before Elixir 1.4), the place ("lib/shop/cart.ex:42: ", a file
	// alone when the line is not known) and the function, checked apart
	// (elixirCall).
	elixirFrameRE = regexp.MustCompile(`^(?:\(([a-z][\w]*)(?: [^\s()]+)?\) )?(?:(\S.*?):(\d+)(?::\d+)?: |(\S+\.(?:exs?|erl)): )?(\S.*)$`)
	// exunitHeaderRE opens one failure of ExUnit's report: "1) test total
	// sums items (Shop.CartTest)", "2) doctest Shop.Cart.total/1 (1)
	// (Shop.CartTest)".
	exunitHeaderRE = regexp.MustCompile(`^(\d+)\) (.+) \(([A-Z][\w.]*)\)$`)
	// exunitLocRE is the line under a failure's header: the test's place.
	exunitLocRE = regexp.MustCompile(`^(\S+\.exs?):(\d+)$`)
	// elixirPlaceRE: the place a compile or syntax error's message starts
	// with, "lib/shop/cart.ex:12: undefined function", "lib/x.ex:3:7:".
	elixirPlaceRE = regexp.MustCompile(`^(\S+\.(?:exs?|eex|heex)):(\d+)(?::\d+)?:`)
)

// exunitFields are the lines of an ExUnit failure after its message.
var exunitFields = []string{"code:", "left:", "right:", "arguments:", "stacktrace:", "value:", "expected:", "actual:"}

// elixirException is one exception of an Elixir report while it is read:
// the column its "** (" starts at, which tells the exceptions nested in it
// (deeper) from the frames of the ones around it.
type elixirException struct {
	exception
	indent int
}

// elixirSignal is an Elixir report while it is read: its exceptions
// outermost first, as Elixir prints them; unit is set for an ExUnit
// failure, whose test names the "(test)" frame and whose frames follow
// its "stacktrace:" line.
type elixirSignal struct {
	chain   []elixirException
	start   int
	unit    bool
	test    string // the test's function ("test total sums items")
	module  string // the test's module
	loc     Frame  // the test's place, the frame when the failure has no other
	inStack bool   // past an ExUnit failure's "stacktrace:" line
	frames  int
}

// parseElixirLines reads Elixir's and Erlang's errors: an exception as
// mix, iex and elixir print it ("** (ArgumentError) argument error" and
// its stacktrace's lines), with the exceptions nested in an exit's
// message ("** (exit) an exception was raised:", GenServer.call's
// "exited in:"); Logger's error reports around one (a GenServer, Task or
// process terminating, Phoenix's and Plug.Cowboy's request crashes);
// ExUnit's failures, one signal each; and Erlang's: the shell's and
// crash reports' "exception error: ..." with "in function"/"in call from"
// lines, and stacks as Erlang terms ({badarith,[{shop_cart,total,1,
// [{file,"src/shop_cart.erl"},{line,42}]}|...]}) in error reports and
// exit values. An exception nested in another's message is its cause:
// its frames come first, then those of the exit around it. Parse runs
// it on text holding "** (", "(test)", "** exception " or "{line,":
// escript's report of an exception alone holds none of them.
func parseElixirLines(lines []string) []Signal {
	var sigs []Signal
	var cur *elixirSignal
	add := func(s Signal) {
		if n := len(sigs); n > 0 && sameElixirSignal(sigs[n-1], s) {
			return // Logger's report of a crash and the EXIT it caused
		}
		if len(sigs) < MaxSignals {
			sigs = append(sigs, s)
		}
	}
	flush := func() {
		if cur != nil {
			if s, ok := cur.signal(lines); ok {
				add(s)
			}
		}
		cur = nil
	}
	last := -1                         // the last line of the last signal read
	shellMsg := -1                     // the last line of an Erlang exception's message that had no frame
	terms := erlangTerms{lines: lines} // the Erlang terms of lines
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if t == "" {
			if cur != nil && cur.frames > 0 {
				flush()
				last = i
			}
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " \t"))
		if cur != nil && cur.unit && ind == 0 {
			// ExUnit indents a failure's lines: one that is not ends
			// it ("Finished in ...", a log line printed meanwhile).
			flush()
			last = i - 1
		}
		if t[0] >= '0' && t[0] <= '9' && strings.Contains(t, ") ") {
			if m := exunitHeaderRE.FindStringSubmatch(t); m != nil {
				flush()
				cur = &elixirSignal{start: i, unit: true, test: m[2], module: m[3]}
				if i+1 < len(lines) {
					if lm := exunitLocRE.FindStringSubmatch(strings.TrimSpace(lines[i+1])); lm != nil {
						n, _ := strconv.Atoi(lm[2])
						cur.loc = Frame{File: lm[1], Line: n, Function: exunitTestFunction(m[3], m[2]), Module: m[3]}
						cur.loc.InApp = IsInApp(FormatElixir, cur.loc.File, cur.loc.Function, cur.loc.Module)
						i++
					}
				}
				continue
			}
		}
		if k := elixirHeaderAt(l); k >= 0 {
			e, msgEnd := elixirHeader(lines, i, k, cur != nil && cur.unit)
			e.indent = ind
			if cur != nil && (cur.unit || cur.nests(e.indent)) {
				cur.chain = append(cur.chain, e)
			} else {
				flush()
				cur = &elixirSignal{start: elixirStart(lines, i, last), chain: []elixirException{e}}
			}
			i = msgEnd
			continue
		}
		if cur != nil && (!cur.unit || cur.inStack) {
			if f, ok := elixirFrameLine(t, cur); ok {
				cur.addFrame(f, ind)
				continue
			}
		}
		if cur != nil && cur.unit {
			switch {
			case t == "stacktrace:":
				cur.inStack = true
				continue
			case cur.inStack:
				flush() // the end of the failure's stacktrace
				last = i - 1
			case len(cur.chain) == 0 && !hasAnyPrefix(t, exunitFields):
				// An assertion's message ("Assertion with == failed").
				cur.chain = append(cur.chain, elixirException{exception: exception{typ: "ExUnit.AssertionError", msg: t}, indent: ind})
				continue
			default:
				continue // code:, left:, right: and their values
			}
		}
		if i > shellMsg && strings.Contains(t, "exception ") {
			s, end, ok := erlangShellException(lines, i, last)
			if ok {
				flush()
				add(s)
				i, last = end, end
				continue
			}
			shellMsg = end // its message's lines start no other
		}
		if strings.IndexByte(t, '{') >= 0 && terms.near(i, 40) {
			if s, end, ok := erlangTermSignal(&terms, i, last); ok {
				flush()
				add(s)
				i, last = end, end
				continue
			}
		}
		if cur != nil && !cur.unit {
			// Any other line ends a report: Logger's "Last message:",
			// "State:", a Task's "Function:", the next log line.
			flush()
			last = i - 1
		}
	}
	flush()
	return sigs
}

// nests reports whether an exception whose "** (" is at column indent
// belongs to the report being read: it is indented under the report's
// first one, or the last one read is an exit with no frame whose message
// announces it ("an exception was raised:") when a log has lost the
// indentation.
func (s *elixirSignal) nests(indent int) bool {
	if len(s.chain) == 0 {
		return false
	}
	if indent > s.chain[0].indent {
		return true
	}
	e := s.chain[len(s.chain)-1]
	return len(e.frames) == 0 && strings.HasSuffix(e.msg, ":")
}

// addFrame adds a frame at column indent to the innermost exception
// printed above it at a lower column: the exception nested deepest in an
// exit's message has the frames indented the most, the exit the least.
func (s *elixirSignal) addFrame(f Frame, indent int) {
	if s.frames >= MaxFrames {
		return
	}
	if len(s.chain) == 0 {
		s.chain = append(s.chain, elixirException{indent: -1})
	}
	k := len(s.chain) - 1
	for j := k; j >= 0; j-- {
		if s.chain[j].indent < indent {
			k = j
			break
		}
	}
	s.chain[k].frames = append(s.chain[k].frames, f)
	s.frames++
}

// signal builds the report's signal, the innermost exception first; ok is
// false when it has no frame.
func (s *elixirSignal) signal(lines []string) (Signal, bool) {
	if s.frames == 0 && s.unit && s.loc.File != "" && len(s.chain) > 0 {
		// A failure without a stacktrace (a timeout, an exit): the test.
		s.chain[len(s.chain)-1].frames = []Frame{s.loc}
		s.frames = 1
	}
	if s.frames == 0 {
		return Signal{}, false
	}
	chain := make([]chained, 0, len(s.chain))
	for _, e := range s.chain {
		chain = append(chain, chained{exception: e.exception, start: s.start})
	}
	// An exit that only wraps an exception ("** (exit) an exception was
	// raised:") is titled by the exception.
	for len(chain) > 1 && len(chain[0].frames) == 0 && strings.TrimSuffix(chain[0].msg, ":") == "an exception was raised" {
		chain = chain[1:]
	}
	sig, ok := chainSignal(FormatElixir, lines, chain)
	if !ok {
		return Signal{}, false
	}
	sig.Symptoms = Symptoms(append([]string{sig.Title}, elixirTexts(s.chain)...)...) // the wrappers' words last
	return sig, true
}

// elixirTexts are the types and messages of a chain, for its symptoms.
func elixirTexts(chain []elixirException) []string {
	var out []string
	for _, e := range chain {
		out = append(out, e.typ, e.msg)
	}
	return out
}

// sameElixirSignal reports a signal the same as the one before it: its
// title and frames (Logger's report of a GenServer's crash and the EXIT
// that its caller then prints).
func sameElixirSignal(a, b Signal) bool {
	return a.Title == b.Title && slices.Equal(a.Frames, b.Frames)
}

// elixirHeaderAt returns the column of an exception's "** (Type)" on line
// l, -1 when there is none: at the line's start, after its indentation, a
// log's prefix ("12:01:02.123 [error] ") or iex's prompt.
func elixirHeaderAt(l string) int {
	k := strings.Index(l, "** (")
	if k < 0 || !strings.Contains(l[k:], ")") {
		return -1
	}
	before := l[:k]
	if strings.TrimLeft(before, " \t") == "" || strings.HasSuffix(before, "] ") || strings.HasSuffix(before, "> ") || strings.HasSuffix(before, ": ") {
		return k
	}
	return -1
}

// elixirHeader reads the exception whose "** (" is at column k of line i:
// its type (an exception's module, or exit, throw, "EXIT from
// #PID<0.96.0>", stop) and message, which goes on over the lines before
// its first frame ("errors were found at the given arguments:", then
// each argument's line); it returns the message's last line. In an ExUnit
// failure the message ends at its "code:" line.
func elixirHeader(lines []string, i, k int, unit bool) (elixirException, int) {
	rest := lines[i][k+len("** ("):]
	typ, msg, _ := strings.Cut(rest, ")")
	e := elixirException{exception: exception{typ: strings.TrimSpace(typ), msg: strings.TrimSpace(msg)}}
	if m := strings.TrimSpace(msg); strings.HasPrefix(m, "** (") {
		// Plug's wrapper ("** (Plug.Conn.WrapperError) ** (KeyError)
		// ..."): the exception it wraps.
		if t2, m2, ok := strings.Cut(m[len("** ("):], ")"); ok {
			e.typ, e.msg = strings.TrimSpace(t2), strings.TrimSpace(m2)
		}
	}
	end := i
	var more []string
	for j := i + 1; j < len(lines) && j <= i+200; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			continue
		}
		if unit && hasAnyPrefix(t, exunitFields) {
			more = elixirMessage(lines[i+1 : j])
			end = j - 1
			break
		}
		if elixirHeaderAt(lines[j]) >= 0 || elixirLogLine(t) {
			break
		}
		if _, ok := elixirFrameLine(t, nil); ok {
			more = elixirMessage(lines[i+1 : j])
			end = j - 1
			break
		}
	}
	if len(more) > elixirMessageLines {
		more = more[:elixirMessageLines]
	}
	if len(more) > 0 {
		e.msg = strings.Join(append([]string{e.msg}, more...), "\n")
		e.msg = strings.TrimPrefix(e.msg, "\n")
	}
	if f, ok := elixirPlace(e.typ, e.msg); ok {
		e.frames = append(e.frames, f)
	}
	return e, end
}

// elixirMessageLines is the most lines of a message kept after its first.
const elixirMessageLines = 10

// elixirMessage is the non-blank lines of a message, trimmed.
func elixirMessage(lines []string) []string {
	var out []string
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// elixirLogLine reports a line that starts another log record: Logger's
// "[error]" (with the time before it), or an Erlang report's header.
func elixirLogLine(t string) bool {
	if strings.HasPrefix(t, "=") && strings.Contains(t, " REPORT==") {
		return true
	}
	k := strings.IndexByte(t, '[')
	if k < 0 || k > 40 {
		return false
	}
	for _, lvl := range []string{"[error]", "[warning]", "[warn]", "[info]", "[notice]", "[debug]", "[critical]", "[alert]", "[emergency]"} {
		if strings.HasPrefix(t[k:], lvl) {
			return true
		}
	}
	return false
}

// elixirStart is the line a report starting with an exception at line i
// begins at: Logger's line before it ("[error] GenServer Shop.Worker
// terminating", Phoenix's "#PID<...> running ShopWeb.Endpoint ...
// terminated" with its "Server:" and "Request:" lines), or line i.
func elixirStart(lines []string, i, last int) int {
	for k := i - 1; k > last && k >= i-6; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" {
			break
		}
		if elixirLogLine(t) || strings.Contains(t, "terminat") || strings.Contains(t, "raised an exception") {
			return k
		}
	}
	return i
}

// elixirPlace is the place a compile or syntax error's message starts
// with ("** (CompileError) lib/shop/cart.ex:12: undefined function
// foo/0"): the error's own frame, which its stacktrace (the compiler's)
// lacks.
func elixirPlace(typ, msg string) (Frame, bool) {
	switch typ {
	case "CompileError", "SyntaxError", "TokenMissingError", "MismatchedDelimiterError", "Kernel.TypespecError":
	default:
		return Frame{}, false
	}
	m := elixirPlaceRE.FindStringSubmatch(msg)
	if m == nil {
		return Frame{}, false
	}
	n, _ := strconv.Atoi(m[2])
	f := Frame{File: m[1], Line: n}
	f.InApp = IsInApp(FormatElixir, f.File, "", "")
	return f, true
}

// elixirFrameLine reads a stacktrace's line, trimmed: "(shop 0.1.0)
// lib/shop/cart.ex:42: Shop.Cart.total/1". In an ExUnit failure, the
// test's own frame ("test/shop/cart_test.exs:14: (test)") is named after
// the function ExUnit made of the test.
func elixirFrameLine(t string, s *elixirSignal) (Frame, bool) {
	if len(t) < 4 || !strings.ContainsAny(t, "/(") {
		return Frame{}, false
	}
	m := elixirFrameRE.FindStringSubmatch(t)
	if m == nil {
		return Frame{}, false
	}
	app, file, call := m[1], m[2], m[5]
	if file == "" {
		file = m[4]
	}
	fn, module, ok := elixirCall(call)
	if !ok {
		return Frame{}, false
	}
	if app == "" && file == "" && (module == "" || !strings.HasSuffix(call, ")")) {
		// Neither an application nor a place: only a call with its
		// arguments (":erlang.map_get(:total, %{})", a function of
		// the runtime) reads as a frame.
		return Frame{}, false
	}
	f := Frame{File: file, Function: fn, Module: module}
	f.Line, _ = strconv.Atoi(m[3])
	if fn == "(test)" && s != nil && s.unit {
		f.Function, f.Module = exunitTestFunction(s.module, s.test), s.module
	}
	f.InApp = elixirInApp(app, f.File, f.Function, f.Module)
	return f, true
}

// exunitTestFunction is the function ExUnit makes of a test:
// Shop.CartTest."test total sums items"/1.
func exunitTestFunction(module, test string) string {
	return module + "." + strconv.Quote(test) + "/1"
}

// elixirCall reads a stacktrace line's function, as Exception.format_mfa
// writes it: "Shop.Cart.total/1", ":gen_server.try_handle_call/4",
// `Enum."-map/2-lists^map/1-1-"/2`, "anonymous fn/1 in
// Shop.Cart.total/1", a call with its arguments
// (":erlang.map_get(:total, %{})", named by their number instead:
// ":erlang.map_get/2"), or a file's or test's top level ("(file)",
// "(test)"). It returns the function, its module (an Erlang module's
// name without its colon) and whether s reads as one.
func elixirCall(s string) (fn, module string, ok bool) {
	if strings.HasPrefix(s, "(") {
		if strings.HasSuffix(s, ")") && strings.Trim(s[1:len(s)-1], "abcdefghijklmnopqrstuvwxyz_ ") == "" {
			return s, "", true
		}
		return "", "", false
	}
	inner := s
	anon := ""
	if rest, ok := strings.CutPrefix(s, "anonymous fn"); ok {
		k := strings.Index(rest, " in ")
		if k < 0 {
			return "", "", false
		}
		arity := rest[:k]
		if a, ok := elixirArgs(arity); ok {
			arity = "/" + strconv.Itoa(a)
		} else if !elixirArity(arity) {
			return "", "", false
		}
		anon = "anonymous fn" + arity + " in "
		inner = rest[k+len(" in "):]
	}
	module, name, tail, ok := elixirMFA(inner)
	if !ok {
		return "", "", false
	}
	if strings.HasPrefix(tail, "(") {
		n, ok := elixirArgs(tail)
		if !ok {
			return "", "", false
		}
		tail = "/" + strconv.Itoa(n)
	}
	printed := module
	if !strings.HasPrefix(printed, ":") {
		module = strings.TrimPrefix(module, "Elixir.")
	} else {
		module = strings.Trim(module[1:], `"`)
	}
	return anon + printed + "." + name + tail, module, true
}

// elixirMFA splits "Shop.Cart.total/1" into its module as printed
// ("Shop.Cart", ":gen_server", `:"Elixir.X"`), its function's name
// (`"-map/2-lists^map/1-1-"` quoted as printed) and what follows it ("/1"
// or the arguments' "(...)").
func elixirMFA(s string) (module, name, tail string, ok bool) {
	var k int
	switch {
	case strings.HasPrefix(s, `:"`):
		e := strings.Index(s[2:], `"`)
		if e < 0 {
			return "", "", "", false
		}
		k = e + 3
	case strings.HasPrefix(s, ":"):
		k = 1
		for k < len(s) && (isIdentByte(s[k]) || s[k] == '@') {
			k++
		}
		if k == 1 {
			return "", "", "", false
		}
	default:
		// An alias: Shop.Cart, ShopWeb.V1.CartController.
		for {
			if k >= len(s) || s[k] < 'A' || s[k] > 'Z' {
				return "", "", "", false
			}
			for k < len(s) && isIdentByte(s[k]) {
				k++
			}
			if k+1 < len(s) && s[k] == '.' && s[k+1] >= 'A' && s[k+1] <= 'Z' {
				k++
				continue
			}
			break
		}
	}
	if k >= len(s) || s[k] != '.' {
		return "", "", "", false
	}
	module, rest := s[:k], s[k+1:]
	switch {
	case strings.HasPrefix(rest, `"`):
		e := quotedEnd(rest)
		if e < 0 {
			return "", "", "", false
		}
		name, tail = rest[:e+1], rest[e+1:]
	default:
		e := 0
		for e < len(rest) && rest[e] != '/' && rest[e] != '(' && rest[e] != ' ' {
			e++
		}
		if e == 0 && strings.HasPrefix(rest, "/") {
			e = 1 // the division operator, Kernel.//2
		}
		name, tail = rest[:e], rest[e:]
	}
	if name == "" || !(elixirArity(tail) || strings.HasPrefix(tail, "(") && strings.HasSuffix(tail, ")")) {
		return "", "", "", false
	}
	return module, name, tail, true
}

// elixirArity reports s is an arity as printed: "/1".
func elixirArity(s string) bool {
	if len(s) < 2 || s[0] != '/' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// elixirArgs counts the arguments of a call as printed, "(:total, %{})",
// or as Erlang prints them, "(b,[1,2])": its commas outside brackets and
// quotes; ok is false when they do not balance.
func elixirArgs(s string) (int, bool) {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return 0, false
	}
	body := s[1 : len(s)-1]
	if strings.TrimSpace(body) == "" {
		return 0, true
	}
	n, depth := 1, 0
	var quote byte
	for i := 0; i < len(body); i++ {
		c := body[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			quote = c
		case '(', '[', '{', '<', ')', ']', '}', '>':
			if (c == '<' || c == '>') && !(i > 0 && body[i-1] == c || i+1 < len(body) && body[i+1] == c) {
				continue // a comparison, an arrow, a #PID<...>: no binary's << or >>
			}
			if strings.IndexByte("([{<", c) >= 0 {
				depth++
				continue
			}
			depth--
			if depth < 0 {
				return 0, false
			}
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	if quote != 0 || depth != 0 {
		return 0, false
	}
	return n, true
}

// quotedEnd is the index of the quote that closes the one s starts with,
// past backslashed ones; -1 when there is none.
func quotedEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case s[0]:
			return i
		}
	}
	return -1
}

// elixirLibApps are the applications of Erlang/OTP, Elixir and well-known
// libraries, as a stacktrace's line names them ("(stdlib 5.2)",
// "(phoenix 1.7.10)"): their frames are not in-app.
var elixirLibApps = map[string]bool{
	// Elixir and Erlang/OTP
	"elixir": true, "stdlib": true, "kernel": true, "logger": true, "iex": true, "mix": true, "ex_unit": true,
	"eex": true, "compiler": true, "erts": true, "crypto": true, "ssl": true, "public_key": true, "inets": true,
	"sasl": true, "runtime_tools": true, "os_mon": true, "mnesia": true, "asn1": true, "ssh": true, "xmerl": true,
	"tools": true, "syntax_tools": true, "parsetools": true, "observer": true, "eunit": true, "common_test": true,
	// web
	"phoenix": true, "phoenix_live_view": true, "phoenix_html": true, "phoenix_pubsub": true, "phoenix_ecto": true,
	"phoenix_live_dashboard": true, "phoenix_view": true, "phoenix_template": true, "phoenix_live_reload": true,
	"plug": true, "plug_cowboy": true, "plug_crypto": true, "cowboy": true, "cowlib": true, "cowboy_telemetry": true,
	"ranch": true, "bandit": true, "thousand_island": true, "websock": true, "websock_adapter": true,
	"absinthe": true, "absinthe_plug": true, "dataloader": true, "gettext": true, "mime": true, "cors_plug": true,
	// data
	"ecto": true, "ecto_sql": true, "postgrex": true, "myxql": true, "ecto_sqlite3": true, "exqlite": true,
	"db_connection": true, "decimal": true, "jason": true, "poison": true, "redix": true, "cachex": true,
	"nimble_options": true, "nimble_pool": true, "nimble_parsec": true, "nimble_csv": true,
	// HTTP clients
	"finch": true, "mint": true, "tesla": true, "req": true, "hackney": true, "httpoison": true, "gun": true,
	"castore": true, "certifi": true,
	// jobs, pipelines, telemetry
	"oban": true, "broadway": true, "gen_stage": true, "flow": true, "quantum": true, "poolboy": true,
	"telemetry": true, "telemetry_poller": true, "telemetry_metrics": true, "opentelemetry": true,
	"opentelemetry_api": true, "sentry": true, "logger_json": true, "swoosh": true, "commanded": true,
	"ash": true, "timex": true, "tzdata": true, "floki": true, "joken": true, "jose": true, "guardian": true,
	"ueberauth": true, "bcrypt_elixir": true, "argon2_elixir": true, "comeonin": true, "ex_aws": true,
	"rustler": true, "grpc": true, "protobuf": true, "mox": true, "stream_data": true, "ex_machina": true,
	"bypass": true, "wallaby": true, "credo": true, "dialyxir": true, "ex_doc": true, "earmark": true,
}

// elixirLibModules are the first parts of the names of modules of Elixir
// and of well-known libraries (Enum, Phoenix.Router): frames without an
// application's name are not in-app when their module is one.
var elixirLibModules = map[string]bool{
	"Access": true, "Agent": true, "Application": true, "Atom": true, "Base": true, "Behaviour": true, "Bitwise": true,
	"Calendar": true, "Code": true, "Collectable": true, "Config": true, "Date": true, "DateTime": true, "Dict": true,
	"Duration": true, "DynamicSupervisor": true, "EEx": true, "Enum": true, "Enumerable": true, "Exception": true,
	"ExUnit": true, "File": true, "Float": true, "Function": true, "GenEvent": true, "GenServer": true, "IEx": true,
	"IO": true, "Inspect": true, "Integer": true, "JSON": true, "Kernel": true, "Keyword": true, "List": true,
	"Logger": true, "Macro": true, "Map": true, "MapSet": true, "Mix": true, "Module": true, "NaiveDateTime": true,
	"Node": true, "OptionParser": true, "PartitionSupervisor": true, "Path": true, "Port": true, "Process": true,
	"Protocol": true, "Range": true, "Record": true, "Regex": true, "Registry": true, "Stream": true, "String": true,
	"StringIO": true, "Supervisor": true, "System": true, "Task": true, "Time": true, "Tuple": true, "URI": true,
	"Version": true,
	"Phoenix": true, "Plug": true, "Ecto": true, "Postgrex": true, "MyXQL": true, "DBConnection": true,
	"Jason": true, "Poison": true, "Finch": true, "Mint": true, "Tesla": true, "Req": true, "HTTPoison": true,
	"Oban": true, "Absinthe": true, "Broadway": true, "GenStage": true, "Flow": true, "Bandit": true,
	"ThousandIsland": true, "WebSockAdapter": true, "Telemetry": true, "Swoosh": true, "Gettext": true,
	"Cachex": true, "Redix": true, "Sentry": true, "LoggerJSON": true, "Decimal": true, "Floki": true,
	"Mox": true, "NimbleOptions": true, "NimblePool": true, "NimbleParsec": true, "Timex": true,
	"Commanded": true, "Ash": true, "Guardian": true, "Ueberauth": true, "Joken": true, "JOSE": true,
	"ExAws": true, "Rustler": true, "GRPC": true, "Protobuf": true, "StreamData": true, "ExMachina": true,
	"Credo": true, "Quantum": true, "OpenTelemetry": true,
}

// erlangLibModules are modules of Erlang/OTP and of well-known Erlang
// libraries whose frames are not in-app; erlangLibPrefixes are the
// beginnings of the names of their families (erl_eval, cowboy_handler).
var (
	erlangLibModules = map[string]bool{
		"erlang": true, "shell": true, "lists": true, "maps": true, "proplists": true, "dict": true, "orddict": true,
		"sets": true, "ordsets": true, "gb_trees": true, "gb_sets": true, "queue": true, "array": true, "string": true,
		"unicode": true, "binary": true, "re": true, "io": true, "io_lib": true, "file": true, "filename": true,
		"filelib": true, "code": true, "code_server": true, "error_handler": true, "init": true, "escript": true,
		"application": true, "application_master": true, "application_controller": true, "supervisor": true,
		"supervisor_bridge": true, "proc_lib": true, "gen": true, "gen_server": true, "gen_statem": true,
		"gen_event": true, "gen_fsm": true, "gen_tcp": true, "gen_udp": true, "gen_sctp": true, "timer": true,
		"ets": true, "dets": true, "os": true, "calendar": true, "crypto": true, "public_key": true, "rpc": true,
		"erpc": true, "global": true, "net_kernel": true, "pg": true, "pg2": true, "inet": true, "ssl": true,
		"httpc": true, "httpd": true, "logger": true, "error_logger": true, "sys": true, "rand": true, "random": true,
		"math": true, "zlib": true, "base64": true, "uri_string": true, "json": true, "c": true, "user_drv": true,
		"group": true, "edlin": true, "heart": true, "persistent_term": true, "counters": true, "atomics": true,
		"socket": true, "zip": true, "mnesia": true, "eunit": true, "ct": true, "elixir": true, "cowboy": true,
		"ranch": true, "hackney": true, "gun": true, "jsx": true, "jiffy": true, "lager": true, "poolboy": true,
		"telemetry": true, "epgsql": true, "mochiweb": true,
	}
	erlangLibPrefixes = []string{
		"erl_", "erts_", "prim_", "inet_", "ssl_", "tls_", "dtls_", "ssh_", "httpc_", "httpd_", "logger_",
		"mnesia_", "eunit_", "ct_", "elixir_", "cowboy_", "cow_", "ranch_", "hackney_", "gun_", "lager_",
		"telemetry_", "epgsql_", "mochiweb_",
	}
)

// elixirInApp decides whether a frame of an Elixir stacktrace is in-app:
// by the application its line names when it names one (see
// elixirLibApps), else by IsInApp's rules; a file of a dependency
// (deps/) never is, whichever application's code it became.
func elixirInApp(app, file, function, module string) bool {
	f := strings.ReplaceAll(file, `\`, "/")
	if strings.HasPrefix(f, "deps/") || strings.Contains(f, "/deps/") {
		return false
	}
	if app != "" {
		return !elixirLibApps[app]
	}
	return IsInApp(FormatElixir, file, function, module)
}

// elixirModuleInApp is IsInApp for Elixir and Erlang frames, f with
// slashes: dependencies' files (deps/, Erlang's and Elixir's installed
// trees) are not in-app, nor are modules of Elixir, Erlang/OTP and
// well-known libraries (the module is taken from the function when not
// given: Shop.Cart of Shop.Cart.total/1, erlang of :erlang.map_get/2).
func elixirModuleInApp(f, function, module string) bool {
	if strings.HasPrefix(f, "deps/") || strings.Contains(f, "/deps/") || strings.Contains(f, "/lib/erlang/lib/") ||
		strings.Contains(f, "/lib/elixir/lib/") {
		return false
	}
	if module == "" {
		if _, m, ok := elixirCall(function); ok {
			module = m
		} else if m, _, _, ok := erlangMFA(function); ok && strings.Contains(function, ":") {
			module = m
		}
	}
	module = strings.TrimPrefix(strings.TrimPrefix(module, ":"), "Elixir.")
	if module == "" {
		return true
	}
	if c := module[0]; c >= 'A' && c <= 'Z' {
		root, _, _ := strings.Cut(module, ".")
		return !elixirLibModules[root]
	}
	return !erlangLibModules[module] && !hasAnyPrefix(module, erlangLibPrefixes)
}
