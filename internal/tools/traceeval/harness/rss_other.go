//go:build !unix

package harness

import "os"

// maxRSSKB is 0 where the system does not report a process's peak memory
// this way.
func maxRSSKB(*os.ProcessState) int64 { return 0 }
