package cli

import (
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// commands lists the top-level commands in the order help shows them.
func commands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{}
}
