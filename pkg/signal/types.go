package signal

import "time"

// Frame is one stack frame. Depth 0 is the crashing (innermost) frame.
//
// File is the path as the signal gives it, except that file:// and other
// URLs are reduced to their path and JVM frames get their package's
// directories (com/acme/Foo.java for com.acme.Foo in Foo.java); it is empty
// for native or source-less frames. Function is the name as the runtime
// prints it (main.(*T).M, com.acme.Foo$Bar.run, Order#total,
// Shop.Orders.OrderService.PlaceAsync, new Pool). Module is the Go package,
// the JVM or .NET class, or the Sentry module, when known. InApp tells
// application code from the standard library and dependencies (see
// IsInApp, or the Sentry event's own in_app flag when it has one).
type Frame struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Function string `json:"function"`
	Module   string `json:"module,omitempty"`
	InApp    bool   `json:"in_app"`
	Depth    int    `json:"depth"`
	Stack    int    `json:"stack,omitempty"`
}

// Signal is one error occurrence: a title, an optional timestamp, the frames
// innermost first, and symptom tokens (exception types, message words,
// identifiers) to match against changed lines. See the package
// documentation for the order of frames in chained exceptions.
type Signal struct {
	Source    string     `json:"source"`
	Format    string     `json:"format"` // sentry|go|python|java|javascript|ruby|dotnet
	Title     string     `json:"title"`
	Timestamp *time.Time `json:"timestamp"`
	Frames    []Frame    `json:"frames"`
	Symptoms  []string   `json:"symptoms,omitempty"`
	Stacks    []string   `json:"stacks,omitempty"`
	Notes     []string   `json:"notes,omitempty"`
}
