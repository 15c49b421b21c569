package signal

import (
	"net/url"
	"regexp"
	"strings"
)

// Dart and Flutter stack traces. The Dart VM prints a stack innermost
// first, a frame a line:
//
//	#0      ListBase.first (dart:collection/list.dart:44:5)
//	#1      CartModel.total (package:shop/models/cart_model.dart:42:7)
//	#2      _CartPageState.build.<anonymous closure> (package:shop/pages/cart_page.dart:17:12)
//	<asynchronous suspension>
//	#3      new CartModel (package:shop/models/cart_model.dart:12)
//	#4      main (file:///home/u/shop/bin/main.dart:5:3)
//
// after "Unhandled exception:" and the error's text (a Dart program), or
// in Flutter's report of an error, between the "══╡ EXCEPTION CAUGHT BY
// ... ╞══" banner, "The following StateError was thrown building
// CartPage(dirty):" and the error's text, and "When the exception was
// thrown, this was the stack:"; or after the engine's "[ERROR:flutter/
// runtime/dart_vm_initializer.cc(41)] Unhandled Exception: Bad state: No
// element" (each line behind logcat's "E/flutter (12345): ", which
// stripLogPrefix removes, or iOS's "flutter: ", removed here).
// package:stack_trace prints the same frames tersely ("package:shop/
// models/cart_model.dart 42:7  CartModel.total"), the frames past an await
// after "===== asynchronous gap =====" lines: they continue the stack
// outward, as frames after "<asynchronous suspension>" do.

var (
	// dartFollowingRE is Flutter's line naming the error it reports: "The
	// following StateError was thrown building CartPage(dirty):", "The
	// following assertion was thrown while handling a gesture:". Flutter
	// wraps it at 100 columns, inside the widget's description.
	dartFollowingRE = regexp.MustCompile(`^The following (\S+) was thrown\b`)
	// dartTerseRE is package:stack_trace's frame: a location (a URI or
	// path of a Dart library, or a core library folded to "dart:async"),
	// its line and column when known, and the member after two spaces or
	// more (the locations are padded to one width).
	dartTerseRE = regexp.MustCompile(`^(dart:[\w/.-]+|\S+\.dart)(?: (\d+)(?::(\d+))?)? {2,}(\S.*)$`)
	// dartLocTailRE is the line and column ending a location.
	dartLocTailRE = regexp.MustCompile(`:(\d+)(?::(\d+))?$`)
)

// dartLibPackages are packages whose frames are not the application's:
// the Flutter SDK's own packages, the Dart team's packages most apps
// depend on, and well-known third-party packages. A conservative list:
// any other package is taken for the application's, since a trace does
// not say which package is the app (the pubspec.yaml does).
var dartLibPackages = map[string]bool{
	// The Flutter SDK.
	"flutter": true, "flutter_test": true, "flutter_driver": true, "flutter_localizations": true,
	"flutter_web_plugins": true, "integration_test": true, "sky_engine": true,
	// The Dart team's.
	"async": true, "stack_trace": true, "collection": true, "meta": true, "path": true, "http": true,
	"http_parser": true, "test": true, "test_api": true, "test_core": true, "matcher": true,
	"fake_async": true, "clock": true, "intl": true, "args": true, "logging": true, "characters": true,
	"typed_data": true, "convert": true, "crypto": true, "stream_channel": true, "source_span": true,
	"string_scanner": true, "shelf": true, "web": true, "js": true, "ffi": true, "vector_math": true,
	// Third-party packages.
	"provider": true, "riverpod": true, "flutter_riverpod": true, "hooks_riverpod": true, "bloc": true,
	"flutter_bloc": true, "get": true, "get_it": true, "mobx": true, "flutter_mobx": true, "dio": true,
	"rxdart": true, "go_router": true, "auto_route": true, "equatable": true, "flutter_hooks": true,
	"shared_preferences": true, "sqflite": true, "hive": true, "drift": true, "firebase_core": true,
	"cloud_firestore": true, "firebase_auth": true, "firebase_messaging": true, "sentry": true,
	"sentry_flutter": true, "url_launcher": true, "path_provider": true, "cached_network_image": true,
	"nested": true, // provider's
}

// dartInApp is IsInApp for Dart frames: file as Frame.File has it (or a
// library's URI), module the frame's package ("shop") or SDK library
// ("dart:async").
func dartInApp(file, module string) bool {
	pkg := module
	if pkg == "" {
		if rest, ok := strings.CutPrefix(file, "package:"); ok {
			pkg, _, _ = strings.Cut(rest, "/")
		}
	}
	if strings.HasPrefix(pkg, "dart:") || strings.HasPrefix(file, "dart:") || strings.HasPrefix(file, "org-dartlang-sdk:") ||
		dartLibPackages[pkg] {
		return false
	}
	// A file: URI of a package in pub's cache (~/.pub-cache, Windows'
	// %LOCALAPPDATA%\Pub\Cache), of the Flutter SDK's tree or of the Dart
	// SDK it carries.
	for _, d := range []string{"/.pub-cache/", "/Pub/Cache/", "/flutter/packages/flutter", "/flutter/bin/cache/", "dart-sdk/lib/"} {
		if strings.Contains(file, d) {
			return false
		}
	}
	return true
}

// dartLocation turns the URI of a Dart library, as a frame names it, into
// a frame's File and Module.
//
// A package's library, package:shop/models/cart_model.dart, is the file
// lib/models/cart_model.dart of package shop: its File is
// "shop/lib/models/cart_model.dart", the package's folder (named after the
// package, by convention, in a repository of several packages) and the
// path inside it, and its Module the package. Frame paths are mapped onto
// a repository's files by the longest common suffix of whole components
// (suspect's pathIndex): "shop/lib/models/cart_model.dart" matches an app's
// lib/models/cart_model.dart by three components whether the app is the
// repository's root or sits in a folder of it, and in a repository of
// several packages it matches packages/shop/lib/models/cart_model.dart
// better than packages/core/lib/models/cart_model.dart. The URI's own path
// ("shop/models/cart_model.dart") would match neither: the lib folder is
// not in it, and the package's name is where lib should be. A trace does
// not tell the app's package from the others', so every package reads the
// same way; which ones are not the app's is IsInApp's business.
//
// An SDK library (dart:async/zone.dart) keeps its URI, which no
// repository path matches, with the library (dart:async) as Module; a
// file: URI becomes its path, other URLs theirs.
func dartLocation(uri string) (file, module string) {
	if rest, ok := strings.CutPrefix(uri, "package:"); ok {
		if name, p, ok := strings.Cut(rest, "/"); ok && name != "" {
			return name + "/lib/" + p, name
		}
		return uri, ""
	}
	if strings.HasPrefix(uri, "dart:") {
		lib, _, _ := strings.Cut(uri, "/")
		return uri, strings.TrimSuffix(lib, "-patch") // dart:core-patch/errors_patch.dart is dart:core's
	}
	if i := strings.Index(uri, "://"); i > 0 && !strings.ContainsAny(uri[:i], "/\\") && !strings.HasPrefix(uri, "org-dartlang-") {
		if u, err := url.Parse(uri); err == nil && u.Path != "" {
			p := u.Path
			if len(p) > 3 && p[0] == '/' && p[2] == ':' && isLetter(p[1]) {
				p = p[1:] // file:///C:/src/app/lib/main.dart
			}
			return p, ""
		}
	}
	return uri, ""
}

// dartFrame builds a frame of the Dart VM's form from the text after its
// number: "CartModel.total (package:shop/models/cart_model.dart:42:7)".
// Its location is the last part in parentheses, which always names a
// Dart library: it holds ".dart" (followed by the line or the closing
// parenthesis) or is one of the SDK's (dart:core-patch/...). A gdb frame
// ("f (x=1)") has no such part.
func dartFrame(s string) (Frame, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ")") {
		return Frame{}, false
	}
	i := dartLocStart(s)
	if i <= 0 {
		return Frame{}, false
	}
	fn := strings.TrimSpace(s[:i])
	if fn == "" {
		return Frame{}, false
	}
	return dartFrameAt(s[i+1:len(s)-1], fn)
}

// dartLocStart returns the index of the parenthesis opening a Dart
// frame's location in s (which ends with its closing one), or -1: the
// first " (" followed by a URI's scheme and a Dart library.
func dartLocStart(s string) int {
	for off := 0; ; {
		k := strings.Index(s[off:], " (")
		if k < 0 {
			return -1
		}
		k += off
		if loc := s[k+2 : len(s)-1]; dartLibraryLoc(loc) {
			return k + 1
		}
		off = k + 2
		if off >= len(s) {
			return -1
		}
	}
}

// dartLibraryLoc reports whether loc (a frame's location without its
// parentheses) names a Dart library: a scheme, and ".dart" before the
// line or at the end, or an SDK library.
func dartLibraryLoc(loc string) bool {
	if strings.HasPrefix(loc, "dart:") {
		return len(loc) > 5 && isLetter(loc[5])
	}
	j := strings.IndexByte(loc, ':')
	if j <= 0 || !uriScheme(loc[:j]) {
		return false
	}
	d := strings.LastIndex(loc, ".dart")
	if d < 0 {
		return false
	}
	tail := loc[d+len(".dart"):]
	return tail == "" || dartLocTailRE.MatchString(tail) && dartLocTailRE.FindString(tail) == tail
}

// uriScheme reports whether s is a URI's scheme.
func uriScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// dartParenLocation reports whether paren, the part in parentheses after
// a name on a "#N" line, is a Dart frame's location: gdb leaves such lines
// to the Dart parser.
func dartParenLocation(paren string) bool {
	paren = strings.TrimSpace(paren)
	if len(paren) < 2 || paren[0] != '(' || paren[len(paren)-1] != ')' {
		return false
	}
	return dartLibraryLoc(paren[1 : len(paren)-1])
}

// dartFrameAt builds a frame of function fn at loc, a library's URI with
// the line and column when known.
func dartFrameAt(loc, fn string) (Frame, bool) {
	f := Frame{Function: fn}
	if m := dartLocTailRE.FindStringSubmatchIndex(loc); m != nil {
		f.Line = atoi(loc[m[2]:m[3]])
		if m[4] >= 0 {
			f.Column = atoi(loc[m[4]:m[5]])
		}
		loc = loc[:m[0]]
	}
	if loc == "" {
		return Frame{}, false
	}
	f.File, f.Module = dartLocation(loc)
	f.InApp = IsInApp(FormatDart, f.File, f.Function, f.Module)
	return f, true
}

// dartTerseFrame reads package:stack_trace's frame, "package:shop/models/
// cart_model.dart 42:7  CartModel.total" or "dart:async  _rootRun".
func dartTerseFrame(t string) (Frame, bool) {
	if !strings.Contains(t, "dart") || !strings.Contains(t, "  ") {
		return Frame{}, false
	}
	m := dartTerseRE.FindStringSubmatch(t)
	if m == nil {
		return Frame{}, false
	}
	loc := m[1]
	if m[2] != "" {
		loc += ":" + m[2]
		if m[3] != "" {
			loc += ":" + m[3]
		}
	}
	return dartFrameAt(loc, strings.TrimSpace(m[4]))
}

// dartStripPrefix removes what iOS puts before a Flutter app's output:
// "flutter: ", at the line's start or after the unified log's
// "Runner[1234:56789] ".
func dartStripPrefix(l string) string {
	i := strings.Index(l, "flutter: ")
	if i < 0 || i > 0 && !strings.HasSuffix(l[:i], "] ") {
		return l
	}
	return l[i+len("flutter: "):]
}

// dartSeparator reports a line that sits among a stack's frames without
// being one: an await's "<asynchronous suspension>", stack_trace's
// "===== asynchronous gap =====", Flutter's "(elided 5 frames from class
// _RawReceivePortImpl, ...)" and "...     Normal element mounting (25
// frames)".
func dartSeparator(t string) bool {
	return t == "<asynchronous suspension>" || strings.HasPrefix(t, "===== asynchronous gap") ||
		strings.HasPrefix(t, "(elided ") && strings.HasSuffix(t, ")") ||
		strings.HasPrefix(t, "...") && strings.HasSuffix(t, "frames)")
}

// dartMaxMessage bounds the lines of an error's text kept for its
// symptoms.
const dartMaxMessage = 20

// parseDartLines reads Dart and Flutter stack traces (see above): each
// error is a signal titled after its text, "StateError: Bad state: No
// element" when Flutter names its type, else as the VM prints it ("Bad
// state: No element"); frames without a header take the line right above
// them for their text.
func parseDartLines(lines []string) []Signal {
	var sigs []Signal
	var cur *exception
	start := 0
	var msg []string
	// reading is what the lines after a header hold: 1 the error's text
	// (until a frame; Flutter's until a blank line), 2 Flutter's other
	// details (until the stack), 3 the rest of Flutter's wrapped "The
	// following ..." line (depth parentheses still open, after wrapped
	// lines), 0 nothing known.
	reading, depth, wrapped := 0, 0, 0
	flutter := false
	stack := false // frames were read and no other line came after them
	flush := func() {
		if cur != nil && len(cur.frames) > 0 {
			if cur.msg == "" && len(msg) > 0 {
				cur.msg = msg[0]
			}
			s := assemble(FormatDart, []exception{*cur}, *cur)
			texts := append([]string{s.Title}, msg...)
			s.Symptoms = Symptoms(texts...)
			s.stamp(lines, start)
			sigs = append(sigs, s)
		}
		cur, msg, reading, flutter, stack = nil, nil, 0, false, false
	}
	open := func(i int) {
		flush()
		cur = &exception{}
		start = i
	}
	for i, raw := range lines {
		l := dartStripPrefix(raw)
		t := strings.TrimSpace(l)
		if t == "" {
			if reading == 1 && flutter && len(msg) > 0 {
				reading = 2
			}
			continue
		}
		if len(sigs) >= MaxSignals {
			break
		}
		var f Frame
		ok := false
		number := -1
		if t[0] == '#' {
			if rest, n, isNum := frameNumber(t); isNum {
				f, ok = dartFrame(rest)
				number = n
			}
		} else if t[0] != '<' && t[0] != '=' {
			f, ok = dartTerseFrame(t)
		}
		if ok {
			if cur == nil || number == 0 && len(cur.frames) > 0 || !stack && len(cur.frames) > 0 {
				// A stack of its own: a new error, its text on the line
				// above unless a header came first.
				open(i)
				if k := i - 1; k >= 0 {
					if prev := strings.TrimSpace(dartStripPrefix(lines[k])); prev != "" && !dartSeparator(prev) {
						if _, isFrame := dartTerseFrame(prev); !isFrame && !strings.HasPrefix(prev, "#") {
							msg = append(msg, prev)
						}
					}
				}
			}
			if len(cur.frames) < MaxFrames {
				cur.frames = append(cur.frames, f)
			}
			stack, reading = true, 0
			continue
		}
		if stack && dartSeparator(t) {
			continue
		}
		switch {
		case strings.HasPrefix(t, "══╡ EXCEPTION CAUGHT BY"):
			open(i)
			flutter, reading = true, 2
			continue
		case strings.HasPrefix(t, "═════") && strings.Trim(t, "═") == "":
			flush() // the end of Flutter's report
			continue
		case t == "Unhandled exception:":
			open(i)
			reading = 1
			continue
		}
		if j := strings.Index(t, "Unhandled Exception: "); j >= 0 {
			// The engine's "[ERROR:flutter/runtime/dart_vm_initializer.cc(41)]
			// Unhandled Exception: Bad state: No element".
			open(i)
			msg = append(msg, strings.TrimSpace(t[j+len("Unhandled Exception: "):]))
			reading = 1
			continue
		}
		if reading == 3 {
			// The rest of a wrapped "The following ..." line.
			depth += strings.Count(t, "(") - strings.Count(t, ")")
			if wrapped++; depth <= 0 || wrapped >= 8 {
				reading = 1
			}
			continue
		}
		if m := matchIf(dartFollowingRE, t, "The following "); m != nil {
			if !flutter || cur == nil || len(cur.frames) > 0 {
				open(i) // a report whose banner was not kept
				flutter = true
			}
			if m[1] != "assertion" && m[1] != "message" && m[1] != "object" {
				cur.typ = m[1]
			}
			msg, reading = nil, 1
			if depth, wrapped = strings.Count(t, "(")-strings.Count(t, ")"), 0; depth > 0 {
				reading = 3
			}
			continue
		}
		if flutter && cur != nil && len(cur.frames) == 0 && strings.HasPrefix(t, "When the exception was thrown, this was the stack") {
			reading = 0
			continue
		}
		stack = false
		if reading == 1 && cur != nil && len(cur.frames) == 0 && len(msg) < dartMaxMessage {
			msg = append(msg, t)
		}
	}
	flush()
	return sigs
}

// dartSentryLocation is dartLocation for a Sentry event's Dart frame:
// file is its path as sentryPath picks it (abs_path, a library's URI,
// else filename), module its module, pkg its package field (the Dart
// package's name, which the SDK sends). The package names the module of a
// frame whose path does not.
func dartSentryLocation(file, module, pkg string) (string, string) {
	if strings.HasPrefix(file, "package:") || strings.HasPrefix(file, "dart:") {
		f, m := dartLocation(file)
		if module == "" {
			module = m
		}
		file = f
	}
	if module == "" && pkg != "" && !strings.ContainsAny(pkg, `/\`) {
		module = pkg
	}
	return file, module
}
