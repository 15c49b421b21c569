//go:build !windows

package iostreams

import "os"

// enableVT: terminals elsewhere process escape sequences already.
func enableVT(*os.File) bool { return true }
