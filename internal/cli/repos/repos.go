// Package repos implements `sigsentry repos`: registering, listing and
// removing the Bitbucket repositories that `analyze` looks at.
package repos

import (
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `repos` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "repos <command>",
		Short: "Register the Bitbucket repositories to analyze",
		Long: `Register, list and remove the Bitbucket Cloud repositories that
` + "`sigsentry analyze`" + ` looks at. Each registered repository remembers its main
branch and how many days of history to analyze (its lookback).`,
		Example: `  sigsentry repos add acme/checkout-api acme/billing
  sigsentry repos add --from-file repos.txt --lookback-days 14
  sigsentry repos list -o json
  sigsentry repos remove acme/billing`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(NewCmdAdd(f, nil))
	cmd.AddCommand(NewCmdList(f, nil))
	cmd.AddCommand(NewCmdRemove(f, nil))
	return cmd
}
