package signal

import (
	"strings"
	"time"
)

// Frame is one stack frame. Depth 0 is the crashing (innermost) frame.
//
// File is the path as the signal gives it, except that file:// and other
// URLs are reduced to their path, JVM frames get their package's
// directories (com/acme/Foo.java for com.acme.Foo in Foo.java), a Dart
// package's library is its file in the package's folder
// (shop/lib/models/cart.dart for package:shop/models/cart.dart), and native
// locations lose what is not part of the path (":12:3", "(discriminator
// 2)", "+0x1a/0x40"); it is empty for frames without a source location
// (a stripped binary, a shared library, an undecoded kernel trace).
// Function is the name as the runtime prints it (main.(*T).M,
// com.acme.Foo$Bar.run, Order#total, Shop.Orders.OrderService.PlaceAsync,
// new Pool), for C++ and Rust without the parameter list, qualifiers and
// symbol hash (geo::Grid<int>::add_row, app::config::load::{{closure}}).
// Module is the Go package, the JVM or .NET class, the Sentry module, the
// binary or shared library of a native frame, or the kernel module, when
// known. InApp tells application code from the standard library and
// dependencies (see IsInApp, or the Sentry event's own in_app flag when it
// has one). Stack is the stack of a native report the frame belongs to:
// 0 is the crash (or access, leak, race) stack, 1 and on the further stacks
// in report order, named in Signal.Stacks; other formats leave it 0.
type Frame struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Function string `json:"function"`
	Module   string `json:"module,omitempty"`
	InApp    bool   `json:"in_app"`
	Depth    int    `json:"depth"`
	Stack    int    `json:"stack,omitempty"`
	// Offset is a native frame's address within its module (Module), as
	// a report prints it when it could not symbolize the frame: a
	// sanitizer's "(server+0x1234)", a tombstone's "pc 0004b8a4", a
	// macOS report's "0x100a00000 + 1024". With the module's debug
	// information (analyze --symbols) it gives the frame's file and line.
	Offset uint64 `json:"offset,omitempty"`
	// BuildID identifies the module's build when the report names it: a
	// GNU build ID (tombstones' "BuildId: "), a Mach-O image's UUID.
	BuildID string `json:"build_id,omitempty"`
	// AddrKind says what Offset is where the report says so frame by
	// frame (a Sentry event, through its stack's
	// instruction_addr_adjustment); AddrByFormat leaves it to the rule
	// of the report's format.
	AddrKind AddrKind `json:"-"`
	// Context is the source around Line as the build that failed held
	// it, when the report quotes it: a Sentry event's pre_context,
	// context_line and post_context (the REST API's numbered context), a
	// Python traceback's source line, the line Node prints above an
	// uncaught error, the source gdb and lldb print where they stop, the
	// source pytest prints of each entry; its lines are joined by "\n" (see
	// ContextLines), and line ContextAt of them is Line's own. A line
	// Sentry shortened keeps its "{snip}" marks. Ranking compares it with
	// the file's versions to tell which one crashed.
	Context   string `json:"-"`
	ContextAt int    `json:"-"`
}

// MaxContext bounds how many lines of source a frame keeps (Context), and
// MaxContextLine how long each may be: Sentry sends five on each side of
// the frame's line, shortened past 140 characters.
const (
	MaxContext     = 11
	MaxContextLine = 1024
)

// WithContext returns f with the source lines around its line: pre (the
// lines before, oldest first), line and post. Lines beyond the bounds of
// MaxContext are dropped from the far ends; a line longer than
// MaxContextLine is cut and marked as Sentry marks one it shortened. A
// blank line, or a frame without a line number, keeps no context.
func (f Frame) WithContext(pre []string, line string, post []string) Frame {
	if f.Line <= 0 || strings.TrimSpace(line) == "" {
		return f
	}
	side := (MaxContext - 1) / 2
	if len(pre) > side {
		pre = pre[len(pre)-side:]
	}
	if len(post) > side {
		post = post[:side]
	}
	ctx := make([]string, 0, len(pre)+1+len(post))
	ctx = append(append(append(ctx, pre...), line), post...)
	for i, l := range ctx {
		l = strings.TrimRight(strings.ReplaceAll(l, "\n", " "), "\r")
		if len(l) > MaxContextLine {
			l = strings.ToValidUTF8(l[:MaxContextLine], "") + " {snip}"
		}
		ctx[i] = l
	}
	f.Context, f.ContextAt = strings.Join(ctx, "\n"), len(pre)
	return f
}

// ContextLines returns the frame's source lines (Context) and which of
// them is its line; nil when it has none.
func (f Frame) ContextLines() ([]string, int) {
	if f.Context == "" {
		return nil, 0
	}
	lines := strings.Split(f.Context, "\n")
	if f.ContextAt < 0 || f.ContextAt >= len(lines) {
		return nil, 0
	}
	return lines, f.ContextAt
}

// AddrKind is what a frame's Offset points at.
type AddrKind uint8

const (
	// AddrByFormat: the format's rule tells (see analyze's moduleAddress).
	AddrByFormat AddrKind = iota
	// AddrExact: the instruction itself (a faulting one, or a return
	// address already moved back into the call).
	AddrExact
	// AddrReturn: a return address, whose call is the byte before.
	AddrReturn
)

// Signal is one error occurrence: a title, an optional timestamp, the frames
// innermost first, and symptom tokens (exception types, message words,
// identifiers) to match against changed lines. See the package
// documentation for the order of frames in chained exceptions and the
// stacks of native reports. Stacks names each stack of a native report
// ("READ of size 4 by thread T0", "freed by thread T0 here", "Thread 4
// (...)"), indexed by Frame.Stack. Notes are caveats for the user, such as
// frames without file and line and what to do about them.
type Signal struct {
	Source    string     `json:"source"`
	Format    string     `json:"format"` // a Format* constant: sentry, go, python, ..., asan, gdb, kernel, rust
	Title     string     `json:"title"`
	Timestamp *time.Time `json:"timestamp"`
	Frames    []Frame    `json:"frames"`
	Symptoms  []string   `json:"symptoms,omitempty"`
	Stacks    []string   `json:"stacks,omitempty"`
	Notes     []string   `json:"notes,omitempty"`

	// line is the signal's first line in the text its parser read,
	// 1-based (0: not known): the line whose log time is the signal's.
	line int
}
