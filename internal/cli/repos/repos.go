// Package repos implements `sigsentry repos`.
package repos

import (
	"errors"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `repos` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "repos",
		Short: "Register the Bitbucket repositories to analyze",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("repos: not built yet")
		},
	}
}
