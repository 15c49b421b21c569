package signal

import "time"

// Frame is one stack frame. Depth 0 is the crashing (innermost) frame.
type Frame struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Function string `json:"function"`
	Module   string `json:"module,omitempty"`
	InApp    bool   `json:"in_app"`
	Depth    int    `json:"depth"`
}

// Signal is one error occurrence: a title, an optional timestamp, the frames
// innermost first, and symptom tokens (exception types, message words,
// identifiers) to match against changed lines.
type Signal struct {
	Source    string     `json:"source"`
	Format    string     `json:"format"` // sentry|go|python|java|javascript|ruby|dotnet
	Title     string     `json:"title"`
	Timestamp *time.Time `json:"timestamp"`
	Frames    []Frame    `json:"frames"`
	Symptoms  []string   `json:"symptoms,omitempty"`
}
