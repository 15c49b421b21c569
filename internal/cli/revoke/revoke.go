// Package revoke implements `sigsentry revoke`.
package revoke

import (
	"errors"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `revoke` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke",
		Short: "Remove every stored Bitbucket credential from this machine",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("revoke: not built yet")
		},
	}
}
