// Package version implements `sigsentry version`.
package version

import (
	"errors"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `version` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show sigsentry's version",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("version: not built yet")
		},
	}
}
