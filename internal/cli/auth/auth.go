// Package auth implements `sigsentry auth`.
package auth

import (
	"errors"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `auth` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "auth",
		Short: "Connect sigsentry to Bitbucket Cloud",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("auth: not built yet")
		},
	}
}
