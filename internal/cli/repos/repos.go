// Package repos implements `sigsentry repos`: registering, listing and
// removing the Bitbucket repositories that `analyze` looks at.
package repos

import (
	"strings"

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

// CompleteRepos completes the names of registered repositories, for
// `repos remove` and `analyze --repo`. Names already given as arguments are
// left out.
func CompleteRepos(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		cfg, err := f.Config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError | cobra.ShellCompDirectiveNoFileComp
		}
		given := make(map[string]bool, len(args))
		for _, a := range args {
			given[strings.ToLower(a)] = true
		}
		if cmd != nil {
			// analyze --repo is repeatable: leave out the values already given.
			if fl := cmd.Flags().Lookup("repo"); fl != nil && fl.Changed {
				if vs, err := cmd.Flags().GetStringArray("repo"); err == nil {
					for _, v := range vs {
						given[strings.ToLower(v)] = true
					}
				} else if vs, err := cmd.Flags().GetStringSlice("repo"); err == nil {
					for _, v := range vs {
						given[strings.ToLower(v)] = true
					}
				}
			}
		}
		var out []string
		for _, r := range cfg.Bitbucket.Repositories {
			if given[strings.ToLower(r.Name)] {
				continue
			}
			if strings.HasPrefix(strings.ToLower(r.Name), strings.ToLower(toComplete)) {
				out = append(out, r.Name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
