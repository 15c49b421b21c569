//go:build windows

package iostreams

import (
	"os"

	"golang.org/x/sys/windows"
)

// enableVT turns on escape-sequence processing for a Windows console, so
// colour and progress are drawn rather than printed as "←[2K"; false when
// the console cannot (a legacy console host), which is then treated as a
// dumb terminal.
func enableVT(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
