package signal

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An appleCrash is one Apple crash report (the text of a .crash file or
// the JSON of an .ips file) while it is read: what both forms hold.
type appleCrash struct {
	excType   string // "EXC_BAD_ACCESS", or "EXC_BAD_ACCESS (SIGSEGV)" as the text prints it
	excSignal string // "SIGSEGV" (.ips)
	subtype   string // "KERN_INVALID_ADDRESS at 0x0000000000000010"
	message   string // the exception's message, when it has one
	termNS    string // the termination's namespace: SIGNAL, FRONTBOARD, ...
	term      string // the termination reason as printed
	asi       []string
	nsName    string // an uncaught NSException's name
	nsReason  string // and reason
	assertion string // a failed libc++ assertion's message, read from the crash stack
	cut       bool   // the report is cut short (an .ips file read up to where it ends)
	noImages  bool   // and its list of images is lost: frames have no module
	threads   []appleThread
	crashed   int // the crashed thread's number, -1 when not said
	// leb is the Last Exception Backtrace: where an uncaught NSException
	// was raised.
	leb     []appleFrame
	images  map[string]string // image name or file name -> path
	uuids   map[string]string // image name or file name -> its UUID, as printed
	appPath string            // the crashed program's path
	time    *time.Time
	start   int
	end     int
}

// An appleThread is one thread of an Apple crash report.
type appleThread struct {
	num     int
	name    string // its queue or name
	crashed bool
	frames  []appleFrame
}

// An appleFrame is one frame of an Apple crash report as printed: the
// image, the symbol (without its offset), the source location.
type appleFrame struct {
	module string
	path   string // the image's path, when the report says it
	symbol string
	file   string
	line   int
	col    int
	// offset is the frame's address less its image's load address, when
	// the report prints it (hasOffset): the text's "0x100a00000 + 1024",
	// the JSON's imageOffset. For a Mach-O image the load address is
	// where its mach header, the start of __TEXT, is: the address in the
	// file (its symbols', its dSYM's) is __TEXT's vmaddr (0x100000000 for
	// an arm64 or x86_64 program) plus offset, or, as atos takes them,
	// the load address (-l) and the load address plus offset.
	offset    uint64
	hasOffset bool
	uuid      string // the image's UUID, when the JSON names it with the frame
}

// appleNoise are the words every Apple crash report's title and reasons
// carry.
var appleNoise = map[string]bool{
	"namespace": true, "code": true, "signal": true, "terminating": true, "app": true, "due": true,
	"uncaught": true, "reason": true, "called": true, "exc_crash": true, "runtime": true, "failure": true,
}

// appleNSExceptionRE matches the line an uncaught NSException leaves in
// the report: its name and reason.
var appleNSExceptionRE = regexp.MustCompile(`Terminating app due to uncaught exception '([^']+)', reason: '(.*)'\s*$`)

// appleReasonPrefixes start the Application Specific Information lines
// that say why the program stopped: a Swift fatal error or failed
// precondition, a C assertion.
var appleReasonPrefixes = []string{"Fatal error", "Precondition failed", "Assertion failed", "assertion failed"}

// report turns the crash into a native report: the Last Exception
// Backtrace (an uncaught NSException) first when there is one, then the
// crashed thread, then the other threads in report order.
func (c *appleCrash) report() nativeReport {
	r := nativeReport{format: FormatApple, start: c.start, end: c.end, noise: appleNoise, titled: true, time: c.time}
	root := appleAppRoot(c.appPath)
	crash := slices.IndexFunc(c.threads, func(t appleThread) bool { return t.crashed })
	if crash < 0 {
		crash = slices.IndexFunc(c.threads, func(t appleThread) bool { return t.num == c.crashed })
	}
	if crash < 0 && len(c.threads) > 0 {
		crash = 0
	}
	crashFrames := c.leb
	if crash >= 0 {
		crashFrames = append(crashFrames[:len(crashFrames):len(crashFrames)], c.threads[crash].frames...)
	}
	for _, f := range crashFrames {
		if a, ok := appleAssertion(f.symbol); ok {
			c.assertion = a
			break
		}
	}
	frames := func(in []appleFrame) []Frame {
		var out []Frame
		for _, f := range in {
			if len(out) >= MaxFrames {
				break
			}
			if _, ok := appleAssertion(f.symbol); ok {
				continue // a message, not a function
			}
			out = append(out, c.frame(f, root))
		}
		return out
	}
	r.addStack("Last Exception Backtrace", frames(c.leb))
	for _, k := range append([]int{crash}, appleOthers(len(c.threads), crash)...) {
		if k < 0 {
			continue
		}
		t := c.threads[k]
		name := "Thread " + strconv.Itoa(t.num)
		if k == crash {
			name += " Crashed"
		}
		if t.name != "" {
			name += ": " + t.name
		}
		r.addStack(name, frames(t.frames))
	}
	r.title = c.title(r.stacks)
	r.texts = append(r.texts, c.excType, c.excSignal, c.subtype, c.message, c.nsName, c.nsReason, c.assertion, c.term)
	r.texts = append(r.texts, c.asi...)
	if c.cut {
		note := "the report is cut short (posted files often are, at a size limit): what followed the cut is missing"
		if c.noImages {
			note += ", the list of images too, so frames have no module and are told the app's or the system's by their names only"
		}
		r.notes = append(r.notes, note+"; attach the whole .ips file")
	}
	located, symbolized := false, false
	for _, st := range r.stacks {
		for _, f := range st.frames {
			located = located || f.InApp && f.File != ""
			symbolized = symbolized || f.InApp
		}
	}
	switch {
	case located || len(r.stacks) == 0:
	case symbolized:
		r.notes = append(r.notes, "no frame of the app has a source file and line: symbolicate the report with the build's dSYM (open it in Xcode's Organizer, or run atos) so frames can be matched to the code")
	default:
		r.notes = append(r.notes, "the app's frames are not symbolicated (image offsets only): symbolicate the report with the build's dSYM (open it in Xcode's Organizer, or run atos) so frames carry functions, files and lines")
	}
	return r
}

// appleOthers lists 0..n-1 without skip.
func appleOthers(n, skip int) []int {
	var out []int
	for i := 0; i < n; i++ {
		if i != skip {
			out = append(out, i)
		}
	}
	return out
}

// title names the crash: an uncaught NSException by its name and reason;
// otherwise the exception type and signal, with the reason the report
// gives (a Swift runtime failure, a fatal error or assertion, the
// exception subtype, a termination reason other than a signal's).
func (c *appleCrash) title(stacks []nativeStack) string {
	if c.nsName != "" {
		if c.nsReason != "" {
			return c.nsName + ": " + c.nsReason
		}
		return c.nsName
	}
	head := c.excType
	if c.excSignal != "" && !strings.Contains(head, "(") {
		if head == "" {
			head = c.excSignal
		} else {
			head += " (" + c.excSignal + ")"
		}
	}
	reason := ""
	if len(stacks) > 0 {
		for _, f := range stacks[0].frames {
			if strings.HasPrefix(f.Function, "Swift runtime failure: ") {
				reason = f.Function
				break
			}
		}
	}
	if reason == "" {
		reason = c.assertion
	}
	for _, a := range c.asi {
		if reason == "" {
			if i := appleReasonIndex(a); i >= 0 {
				reason = strings.TrimSpace(a[i:])
			}
		}
	}
	for _, s := range []string{c.subtype, c.message} {
		if reason == "" {
			reason = s
		}
	}
	if reason == "" && c.termNS != "" && c.termNS != "SIGNAL" {
		reason = c.term
	}
	switch {
	case head != "" && reason != "":
		return head + ": " + reason
	case head != "":
		return head
	case reason != "":
		return reason
	}
	return "crash report"
}

// appleAssertionRE is the message of a failed assertion of libc++'s
// hardening ("/.../c++/v1/vector:1393: assertion __n < size() failed:
// vector[] index out of bounds"), which the symbolicator can give as the
// symbol of an inline frame: its condition and message.
var appleAssertionRE = regexp.MustCompile(`^.*?:\d+: assertion (.+?) failed:\s*(.*)$`)

// appleAssertion returns the message of a libc++ assertion a frame's
// symbol holds (its condition when it has none).
func appleAssertion(symbol string) (string, bool) {
	if !strings.Contains(symbol, ": assertion ") {
		return "", false
	}
	m := appleAssertionRE.FindStringSubmatch(strings.TrimSpace(symbol))
	if m == nil {
		return "", false
	}
	if msg := strings.TrimSpace(m[2]); msg != "" {
		return msg, true
	}
	return "assertion " + m[1] + " failed", true
}

// appleReasonIndex returns where a line of Application Specific
// Information says why the program stopped, or -1.
func appleReasonIndex(a string) int {
	for _, p := range appleReasonPrefixes {
		if i := strings.Index(a, p); i >= 0 {
			return i
		}
	}
	return -1
}

// readASI reads one line of Application Specific Information: kept for
// symptoms, and the name and reason of an uncaught NSException.
func (c *appleCrash) readASI(l string) {
	l = strings.TrimSpace(l)
	if l == "" || len(c.asi) >= 20 {
		return
	}
	if len(l) > 500 {
		l = l[:500]
	}
	c.asi = append(c.asi, l)
	if m := matchIf(appleNSExceptionRE, l, "uncaught exception '"); m != nil && c.nsName == "" {
		c.nsName, c.nsReason = m[1], m[2]
	}
}

// frame turns a frame as printed into a Frame, deciding InApp from its
// image.
func (c *appleCrash) frame(f appleFrame, root string) Frame {
	file := f.file
	if strings.TrimPrefix(file, "/") == "<compiler-generated>" {
		file = "" // the text's "<compiler-generated>", the JSON's "/<compiler-generated>"
	}
	fn := appleFunction(f.symbol)
	out := Frame{File: file, Line: f.line, Column: f.col, Function: fn, Module: f.module}
	if file == "" {
		out.Line, out.Column = 0, 0
	}
	p := f.path
	if p == "" {
		p = c.images[f.module]
	}
	out.InApp = appleInApp(out.File, out.Function, f.module, p, root)
	if f.module != "???" {
		uuid := f.uuid
		if uuid == "" {
			uuid = c.uuids[f.module]
		}
		var off uint64
		if f.hasOffset {
			off = f.offset
		}
		out = atModuleOffset(out, off, uuid)
	}
	return out
}

// appleFunction cleans a symbol of an Apple crash report: a C or C++ name
// loses its parameter list (cleanFunction); Objective-C methods
// ("-[Cart addItem:]"), blocks and Swift names ("closure #1 in
// CartView.body.getter", "AppDelegate.application(_:didFinishLaunchingWithOptions:)")
// stay as printed.
func appleFunction(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || s == "???" || s == "<unknown>" || s == "<redacted>" || s == "<deduplicated_symbol>":
		// No symbol: the symbolicator found none, or the system's
		// symbols are redacted, or the linker folded identical functions
		// into one.
		return ""
	case strings.HasPrefix(s, "-[") || strings.HasPrefix(s, "+["):
		return s
	case strings.Contains(s, "::"):
		return cleanFunction(s)
	}
	name, args, _ := strings.Cut(s, "(")
	if name != "" && isIdentStart(name[0]) && !strings.Contains(args, ":") {
		ident := true
		for i := 0; i < len(name); i++ {
			ident = ident && isIdentByte(name[i])
		}
		if ident {
			return cleanFunction(s)
		}
	}
	return s
}

// appleSystemPrefixes are where the images of the system live: a frame of
// an image there is never the app's.
var appleSystemPrefixes = []string{"/System/", "/usr/lib/", "/usr/libexec/", "/Library/Apple/", "/private/preboot/",
	"/Applications/Xcode", "/Library/Developer/", "/Developer/"}

// appleSystemImages are base names of images of Apple's systems, which a
// report without its Binary Images names without their path.
var appleSystemImages = map[string]bool{
	"dyld": true, "UIKitCore": true, "UIKit": true, "SwiftUI": true, "SwiftUICore": true, "CoreFoundation": true,
	"Foundation": true, "AppKit": true, "GraphicsServices": true, "QuartzCore": true, "CoreGraphics": true,
	"CoreData": true, "CFNetwork": true, "Combine": true, "Security": true, "WebKit": true, "JavaScriptCore": true,
	"Metal": true, "MetalKit": true, "AVFoundation": true, "CoreText": true, "FrontBoardServices": true,
	"BaseBoard": true, "RunningBoardServices": true, "HIToolbox": true, "IOKit": true, "CoreServices": true,
	"LaunchServices": true, "CoreMedia": true, "AudioToolbox": true, "ImageIO": true, "AttributeGraph": true,
	"UIFoundation": true, "SkyLight": true, "CoreAutoLayout": true, "CoreDisplay": true, "Network": true,
	"CoreLocation": true, "MapKit": true, "StoreKit": true, "SceneKit": true, "SpriteKit": true,
	"AVFAudio": true, "CoreImage": true, "Accelerate": true, "vImage": true, "CoreML": true, "Vision": true,
	"UserNotifications": true, "CloudKit": true, "PhotosUI": true, "Photos": true, "WidgetKit": true,
	"Observation": true, "SwiftData": true, "CoreAnimation": true, "ViewBridge": true, "OpenGL": true,
	"???": true,
}

// appleSystemImagePrefixes start the base names of the system's
// libraries.
var appleSystemImagePrefixes = []string{"libsystem_", "libdyld", "libobjc", "libswift", "libc++", "libdispatch",
	"libxpc", "libicucore", "libsqlite3", "libz.", "libMTL", "libRPAC", "libBacktraceRecording", "libMainThreadChecker",
	"libclang_rt", "libunwind", "libcache", "libxml2", "libnetwork", "libboringssl", "libcorecrypto", "libcommonCrypto",
	"libmacho", "libdyld", "libLLVM", "libGPUCompiler"}

// appleSystemImage reports an image of the system, by its path when
// known, else by its name.
func appleSystemImage(name, p string) bool {
	if p != "" {
		return hasAnyPrefix(p, appleSystemPrefixes) || isSystemPath(p) || strings.Contains(p, "/RuntimeRoot/System/")
	}
	if strings.Contains(name, "/") {
		return hasAnyPrefix(name, appleSystemPrefixes) || isSystemPath(name)
	}
	// A report without its Binary Images may name an image by its bundle
	// identifier: "com.apple.AppKit".
	return appleSystemImages[name] || hasAnyPrefix(name, appleSystemImagePrefixes) || strings.HasPrefix(name, "com.apple.")
}

// appleSystemFunctions start the names of functions of Apple's
// libraries and runtimes (the kernel's calls, pthreads, the Objective-C,
// Swift and C++ runtimes, Grand Central Dispatch, Core Foundation).
var appleSystemFunctions = []string{"objc_", "swift_", "swift::", "dispatch_", "pthread_", "mach_", "semaphore_",
	"kevent", "os_", "xpc_", "dyld", "CF", "CA::", "CG", "GSEvent", "NSApplicationMain", "UIApplicationMain",
	"abort_message", "demangling_terminate_handler", "completeTaskWithClosure", "caulk::", "WTF::", "JSC::",
	"WebCore::", "WebKit::", "start_wqthread", "thread_start", "RunCurrentEventLoopInMode", "ReceiveNextEventCommon"}

// appleSystemClasses start the names of Apple's Objective-C classes.
var appleSystemClasses = []string{"NS", "UI", "CA", "CF", "MTL", "AV", "WK", "BS", "FBS", "RBS", "OS_", "_"}

// appleSystemSymbol reports a function of Apple's libraries by its name,
// for a frame whose image is not known (an .ips report cut before its
// list of images): a C name with a leading underscore (the runtimes'
// internals: "__pthread_kill", "_dispatch_call_block_and_release"), a
// method of one of Apple's classes ("-[NSException raise]"), or a name
// of appleSystemFunctions.
func appleSystemSymbol(fn string) bool {
	if fn == "start" {
		return true
	}
	class := ""
	if i := strings.Index(fn, "[") - 1; i >= 0 && (fn[i] == '-' || fn[i] == '+') {
		class = fn[i+2:] // "-[NSObject doesNotRecognizeSelector:]", a block's "__26-[UIView layout]_block_invoke"
	} else if strings.HasPrefix(fn, "_") {
		return true
	}
	if class != "" {
		return applePrefixed(class, appleSystemClasses)
	}
	return applePrefixed(fn, appleSystemFunctions)
}

// applePrefixed reports whether name starts with one of prefixes; after a
// prefix of capitals ("NS", "CF") comes another capital ("NSView",
// "CFRelease"), not a word's next letter ("NSomething").
func applePrefixed(name string, prefixes []string) bool {
	for _, p := range prefixes {
		if !strings.HasPrefix(name, p) {
			continue
		}
		last := p[len(p)-1]
		if last < 'A' || last > 'Z' || len(name) > len(p) && name[len(p)] >= 'A' && name[len(p)] <= 'Z' {
			return true
		}
	}
	return false
}

// appleAppRoot is the folder holding the app's images: its bundle
// (".../MyApp.app/") for an app, the folder of the program otherwise.
func appleAppRoot(p string) string {
	p = appleCanonPath(p)
	if p == "" || !strings.HasPrefix(p, "/") {
		return ""
	}
	if i := strings.Index(p, ".app/"); i > 0 {
		return p[:i+len(".app/")]
	}
	return path.Dir(p) + "/"
}

// appleCanonPath drops /private from paths of iOS's containers, which
// reports print both with and without it.
func appleCanonPath(p string) string {
	return strings.TrimPrefix(strings.TrimSpace(p), "/private")
}

// appleInApp decides whether a frame is the app's own code: its image is
// the app's (inside the app's bundle, or, for a program outside a bundle,
// its folder) or, when the report lists no images, not one of the
// system's; and its function and file are no runtime's (see nativeInApp).
// A Swift runtime failure ("Swift runtime failure: Index out of range") is
// the trap the compiler inserted, not the app's code.
func appleInApp(file, function, module, imagePath, root string) bool {
	if strings.HasPrefix(function, "Swift runtime failure") {
		return false
	}
	if imagePath != "" {
		p := appleCanonPath(imagePath)
		if appleSystemImage(module, p) || root != "" && !strings.HasPrefix(p, root) {
			return false
		}
	} else if appleSystemImage(module, "") || module == "" && appleSystemSymbol(function) {
		return false
	}
	return nativeInApp(file, function, "") && !vendoredNative(strings.ReplaceAll(file, `\`, "/"))
}

// appleTime reads the time of a report ("2026-11-20 10:31:22.1189
// +0100"), nil when it has no zone.
func appleTime(s string) *time.Time {
	t, err := time.Parse("2006-01-02 15:04:05 -0700", strings.Join(strings.Fields(s), " "))
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

var (
	// appleThreadRE is the header of a thread's stack: "Thread 0
	// Crashed::  Dispatch queue: com.apple.main-thread", "Thread 0
	// Crashed:", "Thread 3:: com.apple.NSEventThread", "Thread 1:", and
	// Mac OS X 10.6's "Thread 0 Crashed:  Dispatch queue: ...". A log's
	// "Thread 3: started" is none.
	appleThreadRE = regexp.MustCompile(`^Thread (\d{1,6})(?:( Crashed):\s*(?::\s*)?(.*)|:(?::\s*(.*)|\s+(Dispatch queue: .*)|\s*))$`)
	// appleThreadNameRE names a thread before its stack (iOS): "Thread 0
	// name:  Dispatch queue: com.apple.main-thread".
	appleThreadNameRE = regexp.MustCompile(`^Thread (\d{1,6}) name:\s*(.*)$`)
	// appleFrameRE is a frame: its number, image, address and symbol.
	// Some reporters print a null address without its 0x ("3   ???
	// 000000000000000000 0 + 0").
	appleFrameRE = regexp.MustCompile(`^(\d{1,6})\s+(\S(?:.*?\S)?)\s+(0x[0-9a-fA-F]+|[0-9a-fA-F]{8,})\s+(\S.*)$`)
	// appleImageRE is one line of the Binary Images: the address range,
	// the image's name (or bundle identifier) and the rest, which ends
	// with its path.
	appleImageRE = regexp.MustCompile(`^(0x[0-9a-fA-F]+)\s*-\s*(?:0x[0-9a-fA-F]+|\?\?\?)\s+\+?(\S+)(.*)$`)
)

// appleHeaders are the header fields of a text report read here.
var appleHeaders = []string{"Incident Identifier", "Process", "Path", "Identifier", "Date/Time", "Exception Type",
	"Exception Subtype", "Exception Codes", "Exception Message", "Exception Reason", "Termination Reason",
	"Crashed Thread", "Triggered by Thread"}

// appleHeader splits a header line ("Exception Type:  EXC_BAD_ACCESS
// (SIGSEGV)") into its field and value.
func appleHeader(t string) (key, value string, ok bool) {
	if t == "" || t[0] < 'C' || t[0] > 'T' {
		return "", "", false
	}
	for _, k := range appleHeaders {
		if strings.HasPrefix(t, k) && len(t) > len(k) && t[len(k)] == ':' {
			return k, strings.TrimSpace(t[len(k)+1:]), true
		}
	}
	return "", "", false
}

// parseAppleReports reads Apple's text crash reports (.crash files, and
// what Xcode's Organizer, Console and macOS's crash dialog show of the
// .ips files of macOS 12 and iOS 15 and later): the header's exception,
// termination reason and time, the Application Specific Information (an
// uncaught NSException's name and reason), the Last Exception Backtrace,
// every thread's stack, and the Binary Images, whose paths tell the app's
// images from the system's.
func parseAppleReports(_ string, lines []string) []nativeReport {
	var out []nativeReport
	var c *appleCrash
	seen := map[string]bool{}
	names := map[int]string{}
	const (
		none = iota
		inThread
		inLEB
		inASI
		inImages
	)
	mode := none
	flush := func() {
		if c == nil {
			return
		}
		n := len(c.leb)
		for _, t := range c.threads {
			n += len(t.frames)
		}
		if n > 0 {
			for k := range c.threads {
				if c.threads[k].name == "" {
					c.threads[k].name = names[c.threads[k].num]
				}
			}
			out = append(out, c.report())
		}
		c, mode = nil, none
		clear(seen)
		clear(names)
	}
	begin := func(i int) {
		if c == nil {
			c = &appleCrash{crashed: -1, images: map[string]string{}, uuids: map[string]string{}, start: i, end: i}
		}
	}
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if t == "" {
			if mode != inImages || c == nil || len(c.images) > 0 {
				mode = none
			}
			continue
		}
		if mode == inThread || mode == inLEB {
			if f, ok := appleFrameLine(t); ok {
				if mode == inLEB {
					c.leb = append(c.leb, f)
				} else {
					th := &c.threads[len(c.threads)-1]
					th.frames = append(th.frames, f)
				}
				c.end = i
				continue
			}
			mode = none
		}
		if mode == inImages {
			if m := matchIf(appleImageRE, t, "0x"); m != nil {
				c.addImage(m[2], m[3])
				c.end = i
				continue
			}
			mode = none
		}
		if mode == inASI {
			if _, _, ok := appleHeader(t); !ok && !strings.HasSuffix(t, ":") && !strings.HasPrefix(t, "Thread ") {
				c.readASI(t)
				c.end = i
				continue
			}
			mode = none
		}
		if k, v, ok := appleHeader(t); ok {
			if c != nil && (k == "Incident Identifier" || k == "Process") && (seen[k] || len(c.threads) > 0 || len(c.leb) > 0) {
				// The next report.
				flush()
			}
			begin(i)
			seen[k] = true
			c.end = i
			c.header(k, v)
			continue
		}
		if m := matchIf(appleThreadRE, t, "Thread "); m != nil {
			begin(i)
			n, _ := strconv.Atoi(m[1])
			c.threads = append(c.threads, appleThread{num: n, crashed: m[2] != "", name: strings.TrimSpace(m[3] + m[4] + m[5])})
			c.end, mode = i, inThread
			continue
		}
		if m := matchIf(appleThreadNameRE, t, " name:"); m != nil {
			n, _ := strconv.Atoi(m[1])
			names[n] = strings.TrimSpace(m[2])
			continue
		}
		switch {
		case t == "Last Exception Backtrace:" || strings.HasPrefix(t, "Application Specific Backtrace ") && strings.HasSuffix(t, ":"):
			begin(i)
			c.end, mode = i, inLEB
		case c != nil && (t == "Application Specific Information:" || t == "Application Specific Signatures:"):
			c.end, mode = i, inASI
		case c != nil && t == "Binary Images:":
			c.end, mode = i, inImages
		}
	}
	flush()
	return out
}

// header reads one header field of a text report.
func (c *appleCrash) header(k, v string) {
	switch k {
	case "Path":
		c.appPath = v
	case "Date/Time":
		c.time = appleTime(v)
	case "Exception Type":
		c.excType = v
	case "Exception Subtype", "Exception Message", "Exception Reason":
		if c.subtype == "" {
			c.subtype = v
		}
	case "Exception Codes":
		// "KERN_INVALID_ADDRESS at 0x10" before macOS 12, the codes as
		// numbers since.
		// PLCrashReporter prints "#0 at 0x39c9adfc": no reason either.
		if v != "" && !strings.HasPrefix(v, "0x") && !strings.HasPrefix(v, "#") && c.subtype == "" {
			c.subtype = v
		}
	case "Termination Reason":
		// "Namespace SIGNAL, Code 11 Segmentation fault: 11", or since
		// iOS 15 "SIGNAL 6 Abort trap: 6", "FRONTBOARD 2343432205 <...>".
		c.term = v
		ns := strings.TrimPrefix(v, "Namespace ")
		if f := strings.FieldsFunc(ns, func(r rune) bool { return r == ' ' || r == ',' }); len(f) > 0 {
			c.termNS = f[0]
		}
	case "Crashed Thread", "Triggered by Thread":
		if f := strings.Fields(v); len(f) > 0 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				c.crashed = n
			}
		}
	}
}

// addImage records an image of the Binary Images by its name and by its
// path's base name (the name frames give it): its path, and its UUID
// ("<1a2b3c4d...>", "<1A2B3C4D-...>" before the path).
func (c *appleCrash) addImage(name, rest string) {
	p, uuid := "", ""
	if i := strings.LastIndex(rest, "> "); i >= 0 {
		p = strings.TrimSpace(rest[i+2:])
		if j := strings.LastIndexByte(rest[:i], '<'); j >= 0 {
			uuid = rest[j+1 : i]
		}
	} else if i := strings.Index(rest, " /"); i >= 0 {
		p = strings.TrimSpace(rest[i+1:])
	}
	if !strings.HasPrefix(p, "/") || len(c.images) >= 5000 {
		return
	}
	if c.appPath == "" && len(c.images) == 0 {
		c.appPath = p // the main program comes first
	}
	for _, k := range []string{path.Base(p), name} {
		if _, dup := c.images[k]; !dup {
			c.images[k] = p
			if uuid != "" && c.uuids != nil {
				c.uuids[k] = uuid
			}
		}
	}
}

// appleFrameLine reads one frame of a text report: "0   MyApp
// 0x0000000102a3c4f8 Renderer::draw(Frame const*) + 44 (renderer.cpp:88)",
// "2   SwiftUI  0x000000018a8d1e0c 0x18a5a3000 + 3334668" (not
// symbolicated), "_pthread_start + 136" (no location), with an "[inlined]"
// mark or atos's "(in MyApp)".
func appleFrameLine(t string) (appleFrame, bool) {
	if t[0] < '0' || t[0] > '9' || !strings.Contains(t, "0x") && !strings.Contains(t, "00000000") {
		return appleFrame{}, false
	}
	m := appleFrameRE.FindStringSubmatch(t)
	if m == nil {
		return appleFrame{}, false
	}
	f := appleFrame{module: m[2]}
	f.symbol, f.file, f.line, f.col, f.offset, f.hasOffset = appleSymbol(m[4])
	return f, true
}

// appleSymbol splits what a text report prints after a frame's address
// into the symbol (without its offset) and the source location; a frame
// not symbolicated ("0x18a5a3000 + 3334668", the image's load address and
// the frame's offset from it in decimal) gives that offset (hasOffset).
func appleSymbol(s string) (symbol, file string, line, col int, offset uint64, hasOffset bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "[inlined]"))
	if strings.HasSuffix(s, ")") {
		if open := openParen(s); open > 0 && s[open-1] == ' ' {
			if f, l, c, ok := splitLocation(s[open+1 : len(s)-1]); ok && !strings.ContainsAny(f, "() ") {
				file, line, col = f, l, c
				s = strings.TrimSpace(s[:open])
			}
		}
	}
	if i := strings.LastIndex(s, " (in "); i > 0 && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[:i])
	}
	plus := ""
	if i := strings.LastIndex(s, " + "); i > 0 && allDigits(strings.TrimSpace(s[i+3:])) {
		s, plus = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+3:])
	}
	if rest, ok := cutHexPrefix(s); ok {
		switch {
		case rest == "":
			s = "" // "0x18a5a3000 + 3334668": an image and an offset
			offset, hasOffset = appleDecimal(plus)
		case strings.HasPrefix(rest, "+ "):
			// "0x1db25b000 + 6024 (mach_msg2_trap + 8)": the image, the
			// offset in it, then the symbol and the offset in it.
			digits := rest[2:]
			rest = strings.TrimLeft(digits, "0123456789")
			offset, hasOffset = appleDecimal(digits[:len(digits)-len(rest)])
			s = ""
			if inner, ok := strings.CutPrefix(strings.TrimSpace(rest), "("); ok && strings.HasSuffix(inner, ")") {
				s = strings.TrimSpace(inner[:len(inner)-1])
				if i := strings.LastIndex(s, " + "); i > 0 && allDigits(strings.TrimSpace(s[i+3:])) {
					s = strings.TrimSpace(s[:i])
				}
			}
		}
	} else if allDigits(s) {
		s = "" // "0 + 0": no image, no symbol
	}
	return s, file, line, col, offset, hasOffset
}

// appleDecimal reads an image offset a text report prints, in decimal.
func appleDecimal(s string) (uint64, bool) {
	if !allDigits(s) || len(s) > 19 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// openParen returns the index of the parenthesis that opens the one
// closing s, or -1.
func openParen(s string) int {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
