//go:build unix

package harness

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSSKB is the peak resident memory of a finished process, in KiB
// (ru_maxrss is in KiB on Linux and the BSDs, in bytes on macOS).
func maxRSSKB(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) / 1024
	}
	return int64(ru.Maxrss)
}
