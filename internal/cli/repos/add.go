package repos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/internal/repoarg"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/spf13/cobra"
)

// Result statuses of `repos add`.
const (
	StatusAdded     = "added"
	StatusUpdated   = "updated"
	StatusExists    = "exists"
	StatusDuplicate = "duplicate"
	StatusInvalid   = "invalid"
	StatusNotFound  = "not found"
	StatusForbidden = "forbidden"
	StatusError     = "error"
)

// RepoGetter is the one API call `repos add` makes per repository;
// *bitbucket.Client implements it.
type RepoGetter interface {
	Repository(ctx context.Context, workspace, slug string) (*bitbucket.Repository, error)
}

// AddOptions are the dependencies and flags of `repos add`.
type AddOptions struct {
	IO          *iostreams.IOStreams
	Config      func() (*config.Config, error)
	ConfigStore func() (*config.Store, error)
	// Client is the authenticated API, used unless NoVerify.
	Client func() (RepoGetter, error)
	Now    func() time.Time

	Args         []string
	FromFile     string
	LookbackDays int
	// LookbackSet is true when --lookback-days was given; re-added
	// repositories keep their lookback otherwise.
	LookbackSet bool
	NoVerify    bool
	Format      render.Format
}

// lookbackValue is the --lookback-days flag: a whole number of days from 1
// to config.MaxLookbackDays.
type lookbackValue struct{ days *int }

// String is empty until the flag is set: the default depends on the
// configuration (bitbucket.lookback_days), so help states it in the usage
// text rather than as a fixed "(default N)".
func (v lookbackValue) String() string {
	if v.days == nil || *v.days == 0 {
		return ""
	}
	return strconv.Itoa(*v.days)
}

func (v lookbackValue) Set(s string) error {
	n, err := ParseLookbackDays(s)
	if err != nil {
		return err
	}
	*v.days = n
	return nil
}

func (v lookbackValue) Type() string { return "days" }

// ParseLookbackDays validates a lookback: a whole number of days from 1 to
// config.MaxLookbackDays.
func ParseLookbackDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > config.MaxLookbackDays {
		return 0, fmt.Errorf("want a whole number of days from 1 to %d, got %q", config.MaxLookbackDays, s)
	}
	return n, nil
}

// NewCmdAdd returns `repos add`. runF, if not nil, replaces the run (tests).
func NewCmdAdd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	opts := &AddOptions{
		IO:          f.IO,
		Config:      f.Config,
		ConfigStore: f.ConfigStore,
		Now:         f.Now,
		Client: func() (RepoGetter, error) {
			c, err := f.Bitbucket()
			if err != nil {
				return nil, err
			}
			return c, nil
		},
	}
	cmd := &cobra.Command{
		Use:   "add [REPO...]",
		Short: "Register repositories, verifying each one on Bitbucket",
		Long: `Register Bitbucket Cloud repositories for analysis.

Repositories come from the arguments, from --from-file FILE (- for standard
input), or, with neither, from standard input when it is not a terminal.
Input is read one repository per line: surrounding space is trimmed, blank
lines and # comments (whole lines, or " # ..." after a name) are skipped.
Each line may be

  workspace/repo-slug                         acme/checkout-api
  repo-slug                                   (in your detected workspace)
  a browser URL                               https://bitbucket.org/acme/checkout-api/src/main/
  an HTTPS or SSH clone URL                   git@bitbucket.org:acme/checkout-api.git

Names are compared case-insensitively, as Bitbucket does, and duplicates are
merged. Anything else (a/b/c, spaces, characters Bitbucket does not allow in
slugs, hosts other than bitbucket.org) is rejected with its line number.

Each repository is checked with one API request (in parallel) and its main
branch remembered for analyze; --no-verify skips the check. Valid
repositories are saved even when others fail. Adding a repository that is
already registered updates its lookback (when --lookback-days is given) and
its main branch.

A result is printed for every line: added, updated, exists, duplicate,
invalid, not found, forbidden or error. The exit code is 0 when every line
succeeded, 3 when some failed (the others are saved), 1 when none succeeded,
4 when the credential was rejected (nothing is saved).`,
		Example: `  # Register two repositories
  sigsentry repos add acme/checkout-api acme/billing

  # Paste URLs; analyze the last 14 days of these
  sigsentry repos add --lookback-days 14 https://bitbucket.org/acme/web/src/main/

  # Onboard a list from a file, or from another tool, as JSON for scripts
  sigsentry repos add --from-file repos.txt -o json
  list-our-repos | sigsentry repos add

  # Register without contacting Bitbucket
  sigsentry repos add --no-verify acme/checkout-api`,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			opts.Args = args
			opts.LookbackSet = cmd.Flags().Changed("lookback-days")
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.FromFile, "from-file", "", "Read repositories from `FILE`, one per line (- for standard input)")
	cmd.Flags().Var(lookbackValue{&opts.LookbackDays}, "lookback-days",
		fmt.Sprintf("Days of history to analyze for these repositories (1 to %d; default %d, or bitbucket.lookback_days)", config.MaxLookbackDays, config.DefaultLookbackDays))
	cmd.Flags().BoolVar(&opts.NoVerify, "no-verify", false, "Do not check the repositories on Bitbucket (the main branch is looked up by analyze)")
	return cmd
}

// AddResult is the outcome of one input line.
type AddResult struct {
	Input string `json:"input"`
	// Line is the line number, or the argument position for arguments.
	Line int `json:"line"`
	// Source is "argument", "file" or "stdin".
	Source     string  `json:"source"`
	Repo       string  `json:"repo"`
	Status     string  `json:"status"`
	MainBranch string  `json:"main_branch"`
	Error      *string `json:"error"`
	// Detail says more about a success (duplicate of which line, what changed).
	Detail string `json:"detail,omitempty"`

	entry repoarg.Entry
}

// AddReport is `repos add -o json`.
type AddReport struct {
	Results   []*AddResult `json:"results"`
	Added     int          `json:"added"`
	Updated   int          `json:"updated"`
	Unchanged int          `json:"unchanged"`
	Failed    int          `json:"failed"`
}

func (r *AddResult) failed() bool {
	switch r.Status {
	case StatusInvalid, StatusNotFound, StatusForbidden, StatusError:
		return true
	}
	return false
}

func (r *AddResult) fail(status, msg string) {
	r.Status = status
	r.Error = &msg
}

// readInputs gathers entries from the arguments, the file and stdin.
func readInputs(opts *AddOptions, workspace string) ([]repoarg.Entry, error) {
	var entries []repoarg.Entry
	if len(opts.Args) > 0 {
		args := repoarg.ParseAll(opts.Args, workspace)
		for i := range args {
			args[i].Source = "argument"
		}
		entries = append(entries, args...)
	}
	var (
		r      io.Reader
		source string
	)
	switch {
	case opts.FromFile == "-":
		r, source = opts.IO.In, "stdin"
	case opts.FromFile != "":
		fh, err := os.Open(opts.FromFile)
		if err != nil {
			return nil, fmt.Errorf("reading repository list: %w", err)
		}
		defer fh.Close()
		r, source = fh, "file"
	case len(opts.Args) == 0 && !opts.IO.IsStdinTTY():
		r, source = opts.IO.In, "stdin"
	case len(opts.Args) == 0:
		return nil, cmdutil.UsageErrorf("no repositories given: pass workspace/repo-slug arguments, --from-file FILE, or a list on standard input")
	}
	if r != nil {
		lines, err := repoarg.ParseLines(r, workspace)
		if err != nil {
			return nil, err
		}
		for i := range lines {
			lines[i].Source = source
		}
		entries = append(entries, lines...)
	}
	if len(entries) == 0 {
		return nil, cmdutil.UsageErrorf("no repositories given: the input holds only blank lines and comments")
	}
	repoarg.MarkDuplicates(entries)
	return entries, nil
}

func addRun(ctx context.Context, opts *AddOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	entries, err := readInputs(opts, cfg.Bitbucket.Workspace)
	if err != nil {
		return err
	}
	lookback := opts.LookbackDays
	if !opts.LookbackSet {
		lookback = config.DefaultLookbackDays
		if d := cfg.Bitbucket.LookbackDays; d >= 1 && d <= config.MaxLookbackDays {
			lookback = d
		}
	}

	results := make([]*AddResult, len(entries))
	var todo []*AddResult
	for i, e := range entries {
		r := &AddResult{Input: e.Input, Line: e.Line, Source: e.Source, entry: e}
		results[i] = r
		switch {
		case e.Err != nil:
			r.fail(StatusInvalid, e.Err.Error())
		case e.DuplicateOf != "":
			r.Repo = e.Name.String()
			r.Status = StatusDuplicate
			r.Detail = "same as " + e.DuplicateOf
		default:
			r.Repo = e.Name.String()
			todo = append(todo, r)
		}
	}

	if !opts.NoVerify && len(todo) > 0 {
		client, err := opts.Client()
		if err != nil {
			return err
		}
		if err := verify(ctx, opts.IO, client, todo); err != nil {
			return err
		}
	}

	// Save the ones that passed, under the config lock, re-reading what is
	// on disk so that a concurrent writer loses nothing.
	var ok []*AddResult
	for _, r := range todo {
		if r.Status == "" {
			ok = append(ok, r)
		}
	}
	if len(ok) > 0 {
		store, err := opts.ConfigStore()
		if err != nil {
			return err
		}
		now := opts.Now().UTC().Truncate(time.Second)
		err = store.Update(func(c *config.Config) error {
			index := make(map[string]int, len(c.Bitbucket.Repositories))
			for i, rr := range c.Bitbucket.Repositories {
				index[strings.ToLower(rr.Name)] = i
			}
			for _, r := range ok {
				key := r.entry.Name.Key()
				i, found := index[key]
				if !found {
					c.Bitbucket.Repositories = append(c.Bitbucket.Repositories, config.Repo{
						Name: r.Repo, MainBranch: r.MainBranch, LookbackDays: lookback, AddedAt: now,
					})
					index[key] = len(c.Bitbucket.Repositories) - 1
					r.Status = StatusAdded
					continue
				}
				existing := &c.Bitbucket.Repositories[i]
				var changed []string
				if opts.LookbackSet && existing.LookbackDays != lookback {
					changed = append(changed, fmt.Sprintf("lookback %d → %d days", existing.LookbackDays, lookback))
					existing.LookbackDays = lookback
				}
				if r.MainBranch != "" && existing.MainBranch != r.MainBranch {
					from := existing.MainBranch
					if from == "" {
						from = "unknown"
					}
					changed = append(changed, fmt.Sprintf("main branch %s → %s", from, r.MainBranch))
					existing.MainBranch = r.MainBranch
				}
				r.Repo = existing.Name
				r.MainBranch = existing.MainBranch
				if len(changed) == 0 {
					r.Status = StatusExists
					r.Detail = "already registered"
				} else {
					r.Status = StatusUpdated
					r.Detail = strings.Join(changed, ", ")
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("saving repositories: %w", err)
		}
	}

	rep := AddReport{Results: results}
	for _, r := range results {
		switch {
		case r.Status == StatusAdded:
			rep.Added++
		case r.Status == StatusUpdated:
			rep.Updated++
		case r.Status == StatusExists:
			rep.Unchanged++
		case r.failed():
			rep.Failed++
		}
	}
	if err := printAdd(opts, rep); err != nil {
		return err
	}
	saved := rep.Added + rep.Updated + rep.Unchanged
	if rep.Failed > 0 && saved == 0 {
		// Nothing was done: a failure (exit 1), not a partial result.
		return fmt.Errorf("no repository was added (%d failed); see the results above", rep.Failed)
	}
	if rep.Failed > 0 {
		return cmdutil.PartialError(fmt.Errorf("%d of %d repositories could not be added (%d saved); see the results above",
			rep.Failed, rep.Failed+saved, saved))
	}
	if opts.Format == render.Table {
		opts.IO.Infof("%s\n", summary(rep))
	}
	return nil
}

func summary(rep AddReport) string {
	var parts []string
	if rep.Added > 0 {
		parts = append(parts, fmt.Sprintf("%d added", rep.Added))
	}
	if rep.Updated > 0 {
		parts = append(parts, fmt.Sprintf("%d updated", rep.Updated))
	}
	if rep.Unchanged > 0 {
		parts = append(parts, fmt.Sprintf("%d already registered", rep.Unchanged))
	}
	if len(parts) == 0 {
		return "Nothing changed."
	}
	return "Repositories: " + strings.Join(parts, ", ") + "."
}

// verify makes one request per repository, all launched at once: the client
// bounds how many are in flight. A 401 cancels the rest and is returned, as
// the whole credential is bad.
func verify(parent context.Context, io *iostreams.IOStreams, client RepoGetter, todo []*AddResult) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	progress := render.NewProgress(io.ErrOut, io.ShowProgress(), "Verifying repositories", len(todo))
	defer progress.Done()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		authErr error
	)
	for _, r := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer progress.Inc()
			repo, err := client.Repository(ctx, r.entry.Name.Workspace, r.entry.Name.Slug)
			if err == nil {
				if repo != nil {
					r.MainBranch = repo.MainBranch.Name
				}
				return
			}
			var api *bitbucket.APIError
			switch {
			case errors.As(err, &api) && api.StatusCode == 401:
				mu.Lock()
				if authErr == nil {
					authErr = err
				}
				mu.Unlock()
				cancel()
				r.fail(StatusError, err.Error())
			case errors.As(err, &api) && api.StatusCode == 404:
				r.fail(StatusNotFound, hintOr(api, "not found: the repo slug is mistyped, or the repo is in a different workspace (or private and not visible to this account)"))
			case errors.As(err, &api) && api.StatusCode == 403:
				r.fail(StatusForbidden, hintOr(api, "forbidden: the credential lacks the repository read permission (`repository` scope for OAuth and access tokens, `read:repository:bitbucket` for API tokens)"))
			case errors.As(err, &api):
				msg := err.Error()
				if h := api.Hint(); h != "" {
					msg += "; " + h
				}
				r.fail(StatusError, msg)
			default:
				r.fail(StatusError, err.Error())
			}
		}()
	}
	wg.Wait()
	if authErr != nil {
		var api *bitbucket.APIError
		hint := ""
		if errors.As(authErr, &api) {
			hint = api.Hint()
		}
		return cmdutil.AuthError(fmt.Errorf("verifying repositories: Bitbucket rejected the credential, nothing was saved: %w", authErr), hint)
	}
	if err := parent.Err(); err != nil {
		// The caller's context ended (Ctrl-C): do not save half a run.
		return fmt.Errorf("verifying repositories: %w", err)
	}
	return nil
}

// hintOr is the contract's message for a 403/404, with the scopes Bitbucket
// reported, preceded by what Bitbucket said.
func hintOr(api *bitbucket.APIError, fallback string) string {
	h := api.Hint()
	if h == "" {
		return fallback
	}
	prefix := "not found"
	if api.StatusCode == 403 {
		prefix = "forbidden"
	}
	return prefix + ": " + h
}

func where(r *AddResult) string {
	if r.Source == "argument" {
		return "arg " + strconv.Itoa(r.Line)
	}
	return strconv.Itoa(r.Line)
}

func detailOf(r *AddResult) string {
	if r.Error != nil {
		return *r.Error
	}
	return r.Detail
}

func printAdd(opts *AddOptions, rep AddReport) error {
	io := opts.IO
	switch opts.Format {
	case render.JSON:
		return render.WriteJSON(io.Out, rep)
	case render.Markdown:
		rows := make([][]string, 0, len(rep.Results))
		for _, r := range rep.Results {
			rows = append(rows, []string{where(r), "`" + r.Input + "`", r.Repo, r.Status, r.MainBranch, detailOf(r)})
		}
		return render.MarkdownTable(io.Out, []string{"Line", "Input", "Repo", "Result", "Main branch", "Detail"}, rows)
	}
	t := render.NewTable(io.Out, io.Bold, "line", "input", "repo", "result", "main branch", "detail")
	for _, r := range rep.Results {
		status := r.Status
		switch {
		case r.failed():
			status = io.Red(status)
		case status == StatusAdded || status == StatusUpdated:
			status = io.Green(status)
		default:
			status = io.Gray(status)
		}
		branch := r.MainBranch
		if branch == "" {
			branch = "-"
		}
		t.Row(where(r), r.Input, r.Repo, status, branch, detailOf(r))
	}
	return t.Flush()
}
