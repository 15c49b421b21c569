// Package revoke implements `sigsentry revoke`.
package revoke

import (
	"context"
	"errors"
	"fmt"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/spf13/cobra"
)

// Options are the inputs of `revoke`.
type Options struct {
	F *cmdutil.Factory
}

// NewCmd returns the `revoke` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command { return NewCmdRevoke(f, nil) }

// NewCmdRevoke returns the `revoke` command; runF replaces the work (tests).
func NewCmdRevoke(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	return &cobra.Command{
		Use:   "revoke",
		Short: "Remove every stored Bitbucket credential, Sentry token and cached Bitbucket data from this machine",
		Long: `Remove every stored Bitbucket credential and Sentry auth token from this
machine (the OS keychain and the encrypted credential files), the
detected account data in the config (bitbucket.account,
bitbucket.workspace), and the diffs and files cached from Bitbucket (they
may hold a private repository's code). Registered repositories and the
sentry section are kept. Running it again does nothing.

Bitbucket offers no documented way to revoke a token from the API, so
sigsentry does not pretend to: it prints, for each kind of credential it
removed, where to finish revoking it on Bitbucket.

While SIGSENTRY_BITBUCKET_TOKEN or a Basic pair is set in the environment,
revoke refuses (exit 1): unset the variables first. While SENTRY_AUTH_TOKEN
is set, the stored Sentry token is left in place (the Bitbucket credential
is still removed) and revoke exits 1.`,
		Example: `  sigsentry revoke`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return revokeRun(cmd.Context(), opts)
		},
	}
}

// Where to finish revoking, per method.
var finish = map[credstore.Method]string{
	credstore.MethodOAuth: "OAuth: revoke sigsentry's access in Bitbucket → Personal Bitbucket settings → App authorizations " +
		"(or remove the consumer in Workspace settings → OAuth consumers).",
	credstore.MethodAPIToken: "API token: revoke it at id.atlassian.com → Security → API tokens.",
	credstore.MethodAppPassword: "App password: App passwords stopped working on 2026-07-28; if it was an API token, " +
		"revoke it at id.atlassian.com → Security → API tokens.",
	credstore.MethodToken: "Access token: revoke it in the repository's (or project's, workspace's) settings → Security → Access tokens.",
}

func revokeRun(_ context.Context, opts *Options) error {
	f := opts.F
	chain, err := f.Credentials()
	if err != nil {
		return err
	}
	removed, err := chain.DeleteAll()
	var ea *credstore.EnvActiveError
	if errors.As(err, &ea) {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: fmt.Errorf("not revoking: %w", err),
			Hint: "the environment credential is not stored by sigsentry; unset the variables (and revoke that token on Bitbucket if it is no longer needed)"}
	}
	if err != nil {
		return err
	}
	methods := map[credstore.Method]bool{}
	var failed []error
	for _, r := range removed {
		if r.Err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", r.Source, r.Err))
			continue
		}
		if r.Credential != nil {
			methods[r.Credential.Method] = true
			fmt.Fprintf(f.IO.ErrOut, "Removed the stored credential from the %s.\n", sourceName(r.Source))
		}
	}
	cs, err := f.ConfigStore()
	if err != nil {
		return err
	}
	var hadAccount bool
	if err := cs.Update(func(c *config.Config) error {
		if c.Bitbucket.Account != (config.Account{}) || c.Bitbucket.Workspace != "" {
			hadAccount = true
			if c.Bitbucket.Account.Method != "" {
				methods[credstore.Method(c.Bitbucket.Account.Method)] = true
			}
		}
		c.Bitbucket.Account = config.Account{}
		c.Bitbucket.Workspace = ""
		return nil
	}); err != nil {
		return fmt.Errorf("removing the account data from the config: %w", err)
	}
	if hadAccount {
		fmt.Fprintln(f.IO.ErrOut, "Removed the detected account and workspace from the config.")
	}
	cached := 0
	if dir, err := f.CacheDir(); err == nil {
		n, err := source.RemoveCaches(dir, "bitbucket")
		if err != nil {
			failed = append(failed, fmt.Errorf("the cache of what was fetched from Bitbucket (%s): %w", dir, err))
		}
		if cached = n; n > 0 {
			fmt.Fprintf(f.IO.ErrOut, "Removed %d cached %s fetched from Bitbucket from %s.\n", n, render.Plural(n, "diff or file", "diffs and files"), dir)
		}
	}
	if len(methods) == 0 && !hadAccount && cached == 0 && len(failed) == 0 {
		fmt.Fprintln(f.IO.ErrOut, "Nothing stored for Bitbucket: no credential or account data to remove.")
		return revokeSentry(f)
	}
	if len(methods) > 0 {
		fmt.Fprintln(f.IO.ErrOut, "sigsentry cannot revoke credentials on Bitbucket's side. To finish:")
		for _, m := range []credstore.Method{credstore.MethodOAuth, credstore.MethodAPIToken, credstore.MethodAppPassword, credstore.MethodToken} {
			if methods[m] {
				fmt.Fprintln(f.IO.ErrOut, "  - "+finish[m])
			}
		}
	}
	sentryErr := revokeSentry(f)
	if len(failed) > 0 {
		return errors.Join(fmt.Errorf("removing stored credentials: %w", errors.Join(failed...)), sentryErr)
	}
	return sentryErr
}

func sourceName(s credstore.Source) string {
	if s == credstore.SourceFile {
		return "encrypted credential file"
	}
	return "OS keychain"
}
