// Package analyze implements `sigsentry analyze`.
package analyze

import (
	"errors"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `analyze` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "analyze",
		Short: "Find the commits that most likely caused an error",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("analyze: not built yet")
		},
	}
}
