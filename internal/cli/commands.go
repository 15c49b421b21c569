package cli

import (
	"github.com/sigsentry/sigsentry/internal/cli/analyze"
	"github.com/sigsentry/sigsentry/internal/cli/auth"
	"github.com/sigsentry/sigsentry/internal/cli/demo"
	"github.com/sigsentry/sigsentry/internal/cli/repos"
	"github.com/sigsentry/sigsentry/internal/cli/revoke"
	"github.com/sigsentry/sigsentry/internal/cli/version"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// commands lists the top-level commands in the order help shows them.
func commands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{
		auth.NewCmd(f),
		repos.NewCmd(f),
		analyze.NewCmd(f),
		revoke.NewCmd(f),
		demo.NewCmd(f),
		version.NewCmd(f),
	}
}
