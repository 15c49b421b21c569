package repos

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/internal/repoarg"
	"github.com/spf13/cobra"
)

// Result statuses of `repos remove`.
const (
	StatusRemoved       = "removed"
	StatusNotRegistered = "not registered"
)

// RemoveOptions are the dependencies and arguments of `repos remove`.
type RemoveOptions struct {
	IO          *iostreams.IOStreams
	Config      func() (*config.Config, error)
	ConfigStore func() (*config.Store, error)
	Args        []string
	Format      render.Format
}

// NewCmdRemove returns `repos remove`. runF, if not nil, replaces the run
// (tests).
func NewCmdRemove(f *cmdutil.Factory, runF func(*RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{IO: f.IO, Config: f.Config, ConfigStore: f.ConfigStore}
	cmd := &cobra.Command{
		Use:     "remove REPO...",
		Aliases: []string{"rm"},
		Short:   "Stop analyzing repositories",
		Long: `Remove registered repositories. Each REPO may be written in any form
` + "`repos add`" + ` accepts (workspace/repo-slug, a bare slug in your workspace, a
bitbucket.org URL); names are compared case-insensitively.

Names that are not registered are listed and the exit code is 3; the others
are removed all the same. When none could be removed, the exit code is 1.`,
		Example: `  sigsentry repos remove acme/billing
  sigsentry repos remove https://bitbucket.org/acme/web acme/old-api`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.UsageErrorf("name at least one repository to remove (see `sigsentry repos list`)")
			}
			return nil
		},
		ValidArgsFunction: cmdutil.CompleteRepos(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			opts.Args = args
			if runF != nil {
				return runF(opts)
			}
			return removeRun(opts)
		},
	}
	return cmd
}

// RemoveResult is the outcome for one argument.
type RemoveResult struct {
	Input  string  `json:"input"`
	Arg    int     `json:"arg"`
	Repo   string  `json:"repo"`
	Status string  `json:"status"`
	Error  *string `json:"error"`
}

// RemoveReport is `repos remove -o json`.
type RemoveReport struct {
	Results []*RemoveResult `json:"results"`
	Removed int             `json:"removed"`
	Failed  int             `json:"failed"`
}

func removeRun(opts *RemoveOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	entries := repoarg.ParseAll(opts.Args, cfg.Bitbucket.Workspace)
	results := make([]*RemoveResult, 0, len(opts.Args))
	byKey := map[string][]*RemoveResult{}
	for _, e := range entries {
		r := &RemoveResult{Input: e.Input, Arg: e.Line}
		results = append(results, r)
		if e.Err != nil {
			msg := e.Err.Error()
			r.Status, r.Error = StatusInvalid, &msg
			continue
		}
		r.Repo = e.Name.String()
		byKey[e.Name.Key()] = append(byKey[e.Name.Key()], r)
	}
	if len(byKey) > 0 {
		store, err := opts.ConfigStore()
		if err != nil {
			return err
		}
		err = store.Update(func(c *config.Config) error {
			for _, rs := range byKey {
				for _, r := range rs {
					r.Status = ""
				}
			}
			kept := c.Bitbucket.Repositories[:0]
			for _, repo := range c.Bitbucket.Repositories {
				rs, hit := byKey[strings.ToLower(repo.Name)]
				if !hit {
					kept = append(kept, repo)
					continue
				}
				for _, r := range rs {
					r.Status, r.Repo = StatusRemoved, repo.Name
				}
			}
			c.Bitbucket.Repositories = kept
			return nil
		})
		if err != nil {
			return fmt.Errorf("removing repositories: %w", err)
		}
		for _, rs := range byKey {
			for _, r := range rs {
				if r.Status == "" {
					msg := fmt.Sprintf("%s is not registered (see `sigsentry repos list`)", r.Repo)
					r.Status, r.Error = StatusNotRegistered, &msg
				}
			}
		}
	}
	rep := RemoveReport{Results: results}
	for _, r := range results {
		if r.Status == StatusRemoved {
			rep.Removed++
		} else {
			rep.Failed++
		}
	}
	if err := printRemove(opts, rep); err != nil {
		return err
	}
	if rep.Failed > 0 && rep.Removed == 0 {
		// Nothing was done: a failure (exit 1), not a partial result.
		return fmt.Errorf("no repository was removed (%d failed); see the results above", rep.Failed)
	}
	if rep.Failed > 0 {
		return cmdutil.PartialError(fmt.Errorf("%d of %d repositories could not be removed", rep.Failed, len(results)))
	}
	return nil
}

func printRemove(opts *RemoveOptions, rep RemoveReport) error {
	io := opts.IO
	rows := make([][]string, 0, len(rep.Results))
	for _, r := range rep.Results {
		detail := ""
		if r.Error != nil {
			detail = *r.Error
		}
		rows = append(rows, []string{strconv.Itoa(r.Arg), r.Input, r.Repo, r.Status, detail})
	}
	switch opts.Format {
	case render.JSON:
		return render.WriteJSON(io.Out, rep)
	case render.Markdown:
		return render.MarkdownTable(io.Out, []string{"Arg", "Input", "Repo", "Result", "Detail"}, rows)
	}
	t := render.NewTable(io.Out, io.Bold, "arg", "input", "repo", "result", "detail")
	for i, row := range rows {
		if rep.Results[i].Status == StatusRemoved {
			row[3] = io.Green(row[3])
		} else {
			row[3] = io.Red(row[3])
		}
		t.Row(row...)
	}
	return t.Flush()
}
