// Command sigsentry connects Bitbucket Cloud to production error signals and
// names the commits that most likely caused them.
package main

import (
	"os"

	"github.com/sigsentry/sigsentry/internal/cli"
)

func main() {
	noCoreDumps() // before any secret is read
	os.Exit(cli.Main(os.Args[1:]))
}
