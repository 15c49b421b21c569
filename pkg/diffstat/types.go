package diffstat

// Status is how a file changed, in Bitbucket's diffstat words.
type Status string

// The statuses, matching `git diff --name-status` A, D, M and R.
const (
	Added    Status = "added"
	Removed  Status = "removed"
	Modified Status = "modified"
	Renamed  Status = "renamed"
)

// File is one file entry of a unified diff.
type File struct {
	// Path is the new path (the old one for a removed file).
	Path string `json:"path"`
	// OldPath is the old path when the file was renamed, else empty.
	OldPath string `json:"old_path,omitempty"`
	Status  Status `json:"status"`
	Binary  bool   `json:"binary"`
	// OldMode and NewMode are set when the diff carries them (e.g. 100644).
	OldMode string `json:"old_mode,omitempty"`
	NewMode string `json:"new_mode,omitempty"`

	LinesAdded   int    `json:"lines_added"`
	LinesRemoved int    `json:"lines_removed"`
	Hunks        []Hunk `json:"hunks,omitempty"`
}

// Hunk is one @@ block: its ranges, the function name git put after the
// second @@ (the "section"), and the added and removed lines with their line
// numbers. Context lines are implied by the ranges and are not kept.
type Hunk struct {
	OldStart int    `json:"old_start"`
	OldLines int    `json:"old_lines"`
	NewStart int    `json:"new_start"`
	NewLines int    `json:"new_lines"`
	Section  string `json:"section,omitempty"`
	// Added holds new-side line numbers and text of '+' lines.
	Added []Line `json:"added,omitempty"`
	// Removed holds old-side line numbers and text of '-' lines.
	Removed []Line `json:"removed,omitempty"`
}

// Line is one added or removed line. Text is capped at MaxLineText bytes.
type Line struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// MaxLineText caps the text kept for one line.
const MaxLineText = 256
