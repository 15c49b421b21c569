// Command sigsentry connects Bitbucket Cloud to production error signals and
// names the commits that most likely caused them.
package main

import (
	"os"
	"runtime/debug"

	"github.com/sigsentry/sigsentry/internal/cli"
)

// memoryLimit is the soft limit the Go runtime keeps the heap under
// (unless GOMEMLIMIT says otherwise): large diffs are collected promptly
// instead of letting the heap grow to twice what is live.
const memoryLimit = 768 << 20

func main() {
	noCoreDumps() // before any secret is read
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:]))
}
