package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/spf13/cobra"
)

// tokenHow says how `auth token` takes its secret.
const tokenHow = "pass the access token on standard input with --token-stdin, or type it at the prompt on a terminal"

// TokenOptions are the inputs of `auth token`.
type TokenOptions struct {
	F      *cmdutil.Factory
	Format render.Format

	FromStdin bool
	Repos     []string

	// ReadPassword prompts with echo off (tests replace it).
	ReadPassword passwordReader
}

// NewCmdToken returns `auth token`.
func NewCmdToken(f *cmdutil.Factory, runF func(context.Context, *TokenOptions) error) *cobra.Command {
	opts := &TokenOptions{F: f, ReadPassword: ttyPassword(f.IO)}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Store a repository, project or workspace access token",
		Long: `Store a Bitbucket access token (Bearer). Access tokens are created in a
repository's, project's or workspace's settings → Security → Access tokens,
need the Repositories: Read scope, and belong to no user, so the token is
checked against a repository: the ones given with --repo, or the registered
ones.

The token is read with echo off on a terminal, or from standard input with
--token-stdin; it is never a flag value.`,
		Example: `  sigsentry auth token --repo acme/checkout-api
  printf '%s' "$BB_TOKEN" | sigsentry auth token --token-stdin --repo acme/checkout-api`,
		Args: noSecretArgs(tokenHow),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, r := range opts.Repos {
				if ws, slug, ok := strings.Cut(r, "/"); !ok || ws == "" || slug == "" || strings.Contains(slug, "/") {
					return cmdutil.UsageErrorf("--repo %q: want workspace/repo-slug", r)
				}
			}
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return tokenRun(cmd.Context(), opts)
		},
	}
	secretFlagErrors(cmd, tokenHow)
	cmd.Flags().BoolVar(&opts.FromStdin, "token-stdin", false, "Read the access token from standard input")
	cmd.Flags().StringArrayVar(&opts.Repos, "repo", nil, "Repository `workspace/slug` to check the token against (repeatable; default: the registered ones)")
	return cmd
}

func tokenRun(ctx context.Context, opts *TokenOptions) error {
	f := opts.F
	chain, err := f.Credentials()
	if err != nil {
		return err
	}
	if err := chain.CheckWritable(); err != nil {
		return storeError(fmt.Errorf("checking where to store the token: %w", err))
	}
	repos := opts.Repos
	if len(repos) == 0 {
		cfg, err := f.Config()
		if err != nil {
			return err
		}
		for _, r := range cfg.Bitbucket.Repositories {
			repos = append(repos, r.Name)
		}
	}
	if len(repos) == 0 {
		return cmdutil.UsageErrorf("an access token has no user to check it against: pass --repo workspace/slug")
	}
	secret, err := readSecret(f.IO, opts.FromStdin, "--token-stdin", "Access token: ", opts.ReadPassword)
	if err != nil {
		return err
	}
	client, err := f.BitbucketWith(bitbucket.BearerAuth(secret))
	if err != nil {
		return err
	}
	for _, r := range repos {
		ws, slug, _ := strings.Cut(r, "/")
		if _, err := client.Repository(ctx, ws, slug); err != nil {
			if errors.Is(err, bitbucket.ErrUnauthorized) {
				return cmdutil.AuthError(fmt.Errorf("the access token was rejected by Bitbucket on %s: %w", r, err),
					"the token is wrong, expired or revoked: create one in the repository's settings → Security → Access tokens")
			}
			return fmt.Errorf("checking the access token against %s: %w", r, err)
		}
	}
	if err := chain.Set(&credstore.Credential{Method: credstore.MethodToken, Secret: secret}); err != nil {
		return storeError(fmt.Errorf("storing the access token: %w", err))
	}
	cs, err := f.ConfigStore()
	if err != nil {
		return err
	}
	first, _, _ := strings.Cut(repos[0], "/")
	if err := cs.Update(func(c *config.Config) error {
		c.Bitbucket.Account = config.Account{Method: string(credstore.MethodToken)}
		if c.Bitbucket.Workspace == "" {
			c.Bitbucket.Workspace = first
		}
		return nil
	}); err != nil {
		return accountNotSaved(err) // the token is stored already
	}
	fmt.Fprintf(f.IO.ErrOut, "Access token checked against %s and stored in the %s.\n", strings.Join(repos, ", "), storeName(chain.Stored.Source()))
	ws := first
	if cfg, err := f.Config(); err == nil && cfg.Bitbucket.Workspace != "" {
		ws = cfg.Bitbucket.Workspace
	}
	return printStored(f, opts.Format, StoredReport{Method: string(credstore.MethodToken), Source: string(chain.Stored.Source()),
		Workspace: ws, CheckedAgainst: repos})
}
