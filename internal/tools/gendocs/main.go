// Command gendocs writes sigsentry's command reference (Markdown) and man
// pages from the cobra command tree: `go run ./internal/tools/gendocs`.
// A test in internal/cli fails when the committed files are out of date.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/sigsentry/sigsentry/internal/cli"
)

func main() {
	dir := flag.String("dir", "docs", "the docs folder (reference/ and man/ are written below it)")
	flag.Parse()
	if err := cli.GenerateDocs(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
