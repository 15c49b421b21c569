package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"
)

// CompleteRepos completes the names of registered repositories, for
// `repos remove` and `analyze --repo`. Names already given as arguments are
// left out.
func CompleteRepos(f *Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
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
