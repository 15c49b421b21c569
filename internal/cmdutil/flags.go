package cmdutil

import (
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/spf13/cobra"
)

// OutputFormat returns the validated -o value of cmd (a persistent flag).
func OutputFormat(cmd *cobra.Command) (render.Format, error) {
	v, _ := cmd.Flags().GetString("output")
	f, err := render.ParseFormat(v)
	if err != nil {
		return "", UsageErrorf("%v", err)
	}
	return f, nil
}
