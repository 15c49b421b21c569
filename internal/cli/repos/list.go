package repos

import (
	"strconv"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/spf13/cobra"
)

// ListOptions are the dependencies and flags of `repos list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)
	Format render.Format
}

// NewCmdList returns `repos list`. runF, if not nil, replaces the run (tests).
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IO, Config: f.Config}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "Show the registered repositories",
		Long: `Show the registered repositories with their main branch, lookback (days of
history analyze looks at) and when each was added.

A main branch of "-" is looked up by analyze (the repository was added
with --no-verify). SIGSENTRY_BITBUCKET_REPOSITORIES, when set, replaces the
registered list.`,
		Example: `  sigsentry repos list
  sigsentry repos list -o json | jq -r '.[].repo'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	return cmd
}

// ListedRepo is one entry of `repos list -o json`.
type ListedRepo struct {
	Repo         string     `json:"repo"`
	MainBranch   string     `json:"main_branch"`
	LookbackDays int        `json:"lookback_days"`
	AddedAt      *time.Time `json:"added_at"`
}

func listRun(opts *ListOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	list := make([]ListedRepo, 0, len(cfg.Bitbucket.Repositories))
	for _, r := range cfg.Bitbucket.Repositories {
		lr := ListedRepo{Repo: r.Name, MainBranch: r.MainBranch, LookbackDays: r.LookbackDays}
		if lr.LookbackDays <= 0 {
			lr.LookbackDays = cfg.Bitbucket.LookbackDays
		}
		if !r.AddedAt.IsZero() {
			at := r.AddedAt
			lr.AddedAt = &at
		}
		list = append(list, lr)
	}
	if len(list) == 0 {
		opts.IO.Infof("No repositories are registered yet. Add some with `sigsentry repos add workspace/repo-slug`.\n")
		if opts.Format == render.JSON {
			return render.WriteJSON(opts.IO.Out, list)
		}
		return nil
	}
	switch opts.Format {
	case render.JSON:
		return render.WriteJSON(opts.IO.Out, list)
	case render.Markdown:
		rows := make([][]string, 0, len(list))
		for _, r := range list {
			rows = append(rows, listRow(r, time.RFC3339))
		}
		return render.MarkdownTable(opts.IO.Out, []string{"Repository", "Main branch", "Lookback days", "Added"}, rows)
	}
	t := render.NewTable(opts.IO.Out, opts.IO.Bold, "repository", "main branch", "lookback days", "added")
	for _, r := range list {
		t.Row(listRow(r, "2006-01-02 15:04")...)
	}
	return t.Flush()
}

func listRow(r ListedRepo, layout string) []string {
	branch := r.MainBranch
	if branch == "" {
		branch = "-"
	}
	added := "-"
	if r.AddedAt != nil {
		at := *r.AddedAt
		if layout != time.RFC3339 {
			at = at.Local()
		}
		added = at.Format(layout)
	}
	return []string{r.Repo, branch, strconv.Itoa(r.LookbackDays), added}
}
