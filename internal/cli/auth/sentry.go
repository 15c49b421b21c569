package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"github.com/spf13/cobra"
)

// SentryOptions are the inputs of `auth sentry`.
type SentryOptions struct {
	F      *cmdutil.Factory
	Format render.Format

	FromStdin bool
	// URL and Org are the flags; empty means the configured ones.
	URL, Org string

	// ReadPassword prompts with echo off (tests replace it).
	ReadPassword passwordReader
}

var orgSlugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,99}$`)

// NewCmdSentry returns `auth sentry`.
func NewCmdSentry(f *cmdutil.Factory, runF func(context.Context, *SentryOptions) error) *cobra.Command {
	opts := &SentryOptions{F: f, ReadPassword: ttyPassword(f.IO)}
	cmd := &cobra.Command{
		Use:   "sentry",
		Short: "Store a Sentry auth token for --sentry-issue",
		Long: `Store a Sentry auth token, used by ` + "`analyze --sentry-issue`" + ` to read issues, their
events and the commits of the release that crashed.

Create the token in Sentry → User Settings → Personal Tokens (or use an
internal integration's token) with the read-only scopes event:read,
project:read (or project:releases) and org:read. Organization tokens
(sntrys_…) cannot read issues or events.

Before storing it, sigsentry checks the token with one read call,
GET /api/0/organizations/{org}/repos/: it needs only org:read, it proves that
the token is valid and that its user is a member of the organization, and
it lists the repositories Sentry knows, which is what sentry.projects maps
Sentry projects to. (Sentry has no call that reports a token's scopes;
event:read is checked on the first --sentry-issue.)

The token goes into the same store as the Bitbucket credential: the OS
keychain under its own service, or the encrypted file when
SIGSENTRY_CREDENTIAL_STORE=file; the organization and URL are kept beside it.
The token is read with echo off on a terminal, or from standard input with
--token-stdin; it is never a flag value. While SENTRY_AUTH_TOKEN is set, it
is used instead and this command refuses (exit 1).`,
		Example: `  sigsentry auth sentry --org acme
  printf '%s' "$TOKEN" | sigsentry auth sentry --org acme --token-stdin
  sigsentry auth sentry --org acme --url https://sentry.example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Org != "" && !orgSlugRe.MatchString(opts.Org) {
				return cmdutil.UsageErrorf("--org %q is not a Sentry organization slug (lower-case letters, digits, - and _)", opts.Org)
			}
			if opts.URL != "" {
				if _, err := sentry.ParseBaseURL(opts.URL); err != nil {
					return cmdutil.UsageErrorf("--url: %v", err)
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
			return sentryRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.FromStdin, "token-stdin", false, "Read the auth token from standard input")
	cmd.Flags().StringVar(&opts.URL, "url", "", "Sentry's `URL` (default: SENTRY_URL, sentry.url, or https://sentry.io)")
	cmd.Flags().StringVar(&opts.Org, "org", "", "Organization `slug` to check the token against (default: SENTRY_ORG or sentry.org; required)")
	return cmd
}

func sentryRun(ctx context.Context, opts *SentryOptions) (err error) {
	f := opts.F
	chain, err := f.SentryCredentials()
	if err != nil {
		return err
	}
	if err := chain.CheckWritable(); err != nil {
		return sentryStoreError(fmt.Errorf("checking where to store the Sentry token: %w", err))
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	base := opts.URL
	if base == "" {
		base = cfg.Sentry.URL
	}
	if base == "" {
		base = sentry.DefaultBaseURL
	}
	u, err := sentry.ParseBaseURL(base)
	if err != nil {
		return cmdutil.UsageErrorf("the Sentry URL: %v", err)
	}
	base = u.String()
	org := strings.ToLower(strings.TrimSpace(opts.Org))
	if org == "" {
		org = strings.ToLower(cfg.Sentry.Org)
	}
	if org == "" {
		return cmdutil.UsageErrorf("the token is checked against an organization: pass --org SLUG (or set SENTRY_ORG)")
	}
	if !orgSlugRe.MatchString(org) {
		return cmdutil.UsageErrorf("%q is not a Sentry organization slug", org)
	}
	token, err := readSecret(f.IO, opts.FromStdin, "--token-stdin", "Sentry auth token: ", opts.ReadPassword)
	if err != nil {
		return err
	}
	client, err := f.SentryWith(base, token)
	if err != nil {
		return err
	}
	repos, err := client.Repos(ctx, org)
	if err != nil {
		return sentryCheckError(base, org, err)
	}
	if err := chain.Set(&credstore.Credential{Method: credstore.MethodSentryToken, Secret: token, Org: org, URL: base}); err != nil {
		return sentryStoreError(fmt.Errorf("storing the Sentry token: %w", err))
	}
	fmt.Fprintf(f.IO.ErrOut, "Sentry token checked against organization %s on %s and stored in the %s.\n", org, base, storeName(chain.Stored.Source()))
	defer func() {
		if err == nil {
			err = printStored(f, opts.Format, StoredReport{Method: string(credstore.MethodSentryToken), Source: string(chain.Stored.Source()), Org: org, URL: base})
		}
	}()
	switch n := len(repos); {
	case n == 0:
		fmt.Fprintln(f.IO.ErrOut, "Sentry knows no repositories in this organization: release commits will be empty unless one is connected.")
	default:
		var names []string
		for _, r := range repos[:min(n, 10)] {
			names = append(names, r.Name)
		}
		more := ""
		if n > 10 {
			more = fmt.Sprintf(" and %d more", n-10)
		}
		noun := "repositories"
		if n == 1 {
			noun = "repository"
		}
		fmt.Fprintf(f.IO.ErrOut, "Sentry knows %d %s: %s%s. Map Sentry projects to repositories with sentry.projects in the config.\n",
			n, noun, strings.Join(names, ", "), more)
	}
	return nil
}

// sentryStoreError gives store failures their exit code and fix.
func sentryStoreError(err error) error {
	var ea *credstore.EnvActiveError
	switch {
	case errors.As(err, &ea):
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: err,
			Hint: "unset SENTRY_AUTH_TOKEN to store a token; the variable is used as long as it is set"}
	case errors.Is(err, credstore.ErrUnavailable):
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: err, Hint: credstore.SentryUnavailableHint}
	}
	return err
}

// sentryCheckError turns a failed verification into an exit code: 4 when
// Sentry rejects the token or its access, 1 otherwise, with Sentry's hint.
func sentryCheckError(base, org string, err error) error {
	var ae *sentry.APIError
	if !errors.As(err, &ae) {
		return fmt.Errorf("checking the Sentry token against %s: %w", base, err)
	}
	wrapped := fmt.Errorf("the Sentry token did not pass the check on %s: %w", base, err)
	switch ae.StatusCode {
	case 401:
		return cmdutil.AuthError(wrapped, ae.Hint())
	case 403:
		return cmdutil.AuthError(wrapped, "the token may not read organization "+org+"'s repositories: it needs the org:read scope "+
			"(with event:read and project:read for --sentry-issue), and its user must be a member of "+org)
	}
	return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: wrapped, Hint: ae.Hint()}
}
