package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/oauthflow"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/spf13/cobra"
)

// How `auth api-token` and `auth app-password` take their secret.
const (
	apiTokenHow    = "pass the API token on standard input with --token-stdin, or type it at the prompt on a terminal"
	appPasswordHow = "pass the App password or API token on standard input with --password-stdin, or type it at the prompt on a terminal"
)

// BasicOptions are the inputs of `auth api-token` and `auth app-password`.
type BasicOptions struct {
	F      *cmdutil.Factory
	Format render.Format

	Method    credstore.Method
	Username  string
	FromStdin bool
	Workspace string

	// ReadPassword prompts with echo off (tests replace it).
	ReadPassword passwordReader
}

// NewCmdAPIToken returns `auth api-token`.
func NewCmdAPIToken(f *cmdutil.Factory, runF func(context.Context, *BasicOptions) error) *cobra.Command {
	opts := &BasicOptions{F: f, Method: credstore.MethodAPIToken, ReadPassword: ttyPassword(f.IO)}
	cmd := &cobra.Command{
		Use:   "api-token",
		Short: "Store an Atlassian account email and API token",
		Long: `Store an Atlassian API token, used as HTTP Basic with your account email.

Create the token at id.atlassian.com → Security → Create API token with
scopes → Bitbucket, with the scopes
  read:user:bitbucket read:workspace:bitbucket read:repository:bitbucket

The token is read with echo off on a terminal, or from standard input with
--token-stdin; it is never a flag value. It is checked against
/2.0/user before it is stored, and your user and workspace are detected.`,
		Example: `  sigsentry auth api-token --email me@example.com
  printf '%s' "$TOKEN" | sigsentry auth api-token --email me@example.com --token-stdin`,
		Args: noSecretArgs(apiTokenHow),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBasic(cmd, opts, runF)
		},
	}
	secretFlagErrors(cmd, apiTokenHow)
	cmd.Flags().StringVar(&opts.Username, "email", "", "Atlassian account email")
	cmd.Flags().BoolVar(&opts.FromStdin, "token-stdin", false, "Read the API token from standard input")
	cmd.Flags().StringVar(&opts.Workspace, "workspace", "", "Workspace slug to use when the account has several")
	return cmd
}

// NewCmdAppPassword returns `auth app-password`.
func NewCmdAppPassword(f *cmdutil.Factory, runF func(context.Context, *BasicOptions) error) *cobra.Command {
	opts := &BasicOptions{F: f, Method: credstore.MethodAppPassword, ReadPassword: ttyPassword(f.IO)}
	cmd := &cobra.Command{
		Use:   "app-password",
		Short: "Store a Bitbucket username and App password (deprecated: use api-token)",
		Long: `Store HTTP Basic credentials: a Bitbucket username and App password.

` + AppPasswordGone + `: prefer ` + "`sigsentry auth api-token`" + `.
This command also accepts an Atlassian account email with an API token.
The password is read with echo off on a terminal, or from standard input
with --password-stdin; it is never a flag value. It is checked against
/2.0/user before it is stored.`,
		Example: `  sigsentry auth app-password --username me@example.com
  printf '%s' "$TOKEN" | sigsentry auth app-password --username me@example.com --password-stdin`,
		Args: noSecretArgs(appPasswordHow),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBasic(cmd, opts, runF)
		},
	}
	secretFlagErrors(cmd, appPasswordHow)
	cmd.Flags().StringVar(&opts.Username, "username", "", "Bitbucket username or Atlassian account email")
	cmd.Flags().BoolVar(&opts.FromStdin, "password-stdin", false, "Read the App password or API token from standard input")
	cmd.Flags().StringVar(&opts.Workspace, "workspace", "", "Workspace slug to use when the account has several")
	return cmd
}

func runBasic(cmd *cobra.Command, opts *BasicOptions, runF func(context.Context, *BasicOptions) error) error {
	format, err := cmdutil.OutputFormat(cmd)
	if err != nil {
		return err
	}
	opts.Format = format
	if runF != nil {
		return runF(cmd.Context(), opts)
	}
	return basicRun(cmd.Context(), opts)
}

func basicRun(ctx context.Context, opts *BasicOptions) error {
	f := opts.F
	userFlag, stdinFlag, what := "--email", "--token-stdin", "API token"
	if opts.Method == credstore.MethodAppPassword {
		userFlag, stdinFlag, what = "--username", "--password-stdin", "App password (or API token)"
		fmt.Fprintf(f.IO.ErrOut, "Warning: %s; `sigsentry auth api-token` stores an API token instead.\n", AppPasswordGone)
	}
	chain, err := f.Credentials()
	if err != nil {
		return err
	}
	if err := chain.CheckWritable(); err != nil {
		return storeError(fmt.Errorf("checking where to store the credential: %w", err))
	}
	user := strings.TrimSpace(opts.Username)
	canAsk := f.IO.CanPrompt() && !opts.FromStdin
	if user == "" {
		if !canAsk {
			return cmdutil.UsageErrorf("%s is required", userFlag)
		}
		fmt.Fprintf(f.IO.ErrOut, "%s: ", strings.TrimPrefix(userFlag, "--"))
		line, err := readLine(f.IO.In)
		if err != nil || strings.TrimSpace(line) == "" {
			return cmdutil.UsageErrorf("%s is required", userFlag)
		}
		user = strings.TrimSpace(line)
	}
	secret, err := readSecret(f.IO, opts.FromStdin, stdinFlag, what+" for "+user+": ", opts.ReadPassword)
	if err != nil {
		return err
	}
	// Only now may a reader own the terminal (a workspace choice).
	var lines <-chan string
	if canAsk {
		lines = oauthflow.LineReader(f.IO.In)
	}
	client, err := f.BitbucketWith(bitbucket.BasicAuth(user, secret))
	if err != nil {
		return err
	}
	u, _, ws, wsMsg, err := detectAccount(ctx, f, client, lines, opts.Workspace)
	if errors.Is(err, bitbucket.ErrUnauthorized) {
		return cmdutil.AuthError(fmt.Errorf("the %s for %s was rejected by Bitbucket: %w", what, user, err),
			"the email or token is wrong, the token expired or was revoked, or it is an App password ("+AppPasswordGone+"). "+
				"Use an API token instead: "+APITokenHelp)
	}
	if errors.Is(err, bitbucket.ErrForbidden) {
		return cmdutil.AuthError(fmt.Errorf("checking the %s for %s: %w", what, user, err),
			"the token lacks a scope: it needs read:user:bitbucket and read:repository:bitbucket (read:workspace:bitbucket too, to detect your workspace); "+APITokenHelp)
	}
	if err != nil {
		return fmt.Errorf("checking the %s for %s: %w", what, user, err)
	}
	method := opts.Method
	if method == credstore.MethodAppPassword && strings.Contains(user, "@") {
		method = credstore.MethodAPIToken // an email means an API token
	}
	if err := chain.Set(&credstore.Credential{Method: method, Username: user, Secret: secret}); err != nil {
		return storeError(fmt.Errorf("storing the credential: %w", err))
	}
	if err := saveAccount(f, method, u, user, ws); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Logged in to Bitbucket as %s.\n", describeUser(u))
	if ws != "" {
		fmt.Fprintf(f.IO.ErrOut, "Workspace: %s\n", ws)
	}
	if wsMsg != "" {
		fmt.Fprintln(f.IO.ErrOut, wsMsg)
	}
	fmt.Fprintf(f.IO.ErrOut, "Credential stored in the %s.\n", storeName(chain.Stored.Source()))
	return printStored(f, opts.Format, StoredReport{Method: string(method), Source: string(chain.Stored.Source()), User: statusUser(u, user), Workspace: ws})
}
