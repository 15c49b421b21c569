// Package revoke implements `sigsentry revoke`.
package revoke

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/spf13/cobra"
)

// Options are the inputs of `revoke`.
type Options struct {
	F      *cmdutil.Factory
	Format render.Format
}

// Report is what `revoke -o json` prints on stdout: what was removed, and
// where to finish revoking on Bitbucket's and Sentry's side. The same is
// said in words on stderr.
type Report struct {
	Bitbucket Part `json:"bitbucket"`
	Sentry    Part `json:"sentry"`
	// AccountRemoved is true when the config held detected account data
	// (bitbucket.account, bitbucket.workspace), now removed.
	AccountRemoved bool `json:"account_removed"`
	// CachedRemoved counts the diffs and files cached from Bitbucket that
	// were removed.
	CachedRemoved int `json:"cached_removed"`
	// Errors are what could not be removed (the exit code is then not 0).
	Errors []string `json:"errors"`
}

// Part is one service's credentials removed and where to finish.
type Part struct {
	Removed []Removed `json:"removed"`
	Finish  []string  `json:"finish"`
}

// Removed is one credential removed from one store.
type Removed struct {
	// Store is "keychain" or "file".
	Store  string `json:"store"`
	Method string `json:"method"`
}

func newReport() *Report {
	return &Report{Bitbucket: Part{Removed: []Removed{}, Finish: []string{}},
		Sentry: Part{Removed: []Removed{}, Finish: []string{}}, Errors: []string{}}
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
		Example: `  sigsentry revoke
  sigsentry revoke -o json   # what was removed, and where to finish, as JSON on stdout`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
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
	rep := newReport()
	err := revokeAll(opts.F, rep)
	if opts.Format == render.JSON {
		if werr := render.WriteJSON(opts.F.IO.Out, rep); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// revokeAll removes what is stored, saying so on stderr and in rep. It
// returns before anything is removed when the environment holds a
// Bitbucket credential.
func revokeAll(f *cmdutil.Factory, rep *Report) (err error) {
	defer func() {
		if err != nil {
			rep.Errors = append(rep.Errors, err.Error())
		}
	}()
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
			rep.Bitbucket.Removed = append(rep.Bitbucket.Removed, Removed{Store: string(r.Source), Method: string(r.Credential.Method)})
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
		rep.AccountRemoved = true
		fmt.Fprintln(f.IO.ErrOut, "Removed the detected account and workspace from the config.")
	}
	cached := 0
	if dir, err := f.CacheDir(); err == nil {
		n, err := source.RemoveCaches(dir, "bitbucket")
		if err != nil {
			failed = append(failed, fmt.Errorf("the cache of what was fetched from Bitbucket (%s): %w", dir, err))
		}
		rep.CachedRemoved = n
		if cached = n; n > 0 {
			fmt.Fprintf(f.IO.ErrOut, "Removed %d cached %s fetched from Bitbucket from %s.\n", n, render.Plural(n, "diff or file", "diffs and files"), dir)
		}
	}
	if len(methods) == 0 && !hadAccount && cached == 0 && len(failed) == 0 {
		fmt.Fprintln(f.IO.ErrOut, "Nothing stored for Bitbucket: no credential or account data to remove.")
		return revokeSentry(f, rep)
	}
	if len(methods) > 0 {
		fmt.Fprintln(f.IO.ErrOut, "sigsentry cannot revoke credentials on Bitbucket's side. To finish:")
		for _, m := range []credstore.Method{credstore.MethodOAuth, credstore.MethodAPIToken, credstore.MethodAppPassword, credstore.MethodToken} {
			if methods[m] {
				rep.Bitbucket.Finish = append(rep.Bitbucket.Finish, finish[m])
				fmt.Fprintln(f.IO.ErrOut, "  - "+finish[m])
			}
		}
	}
	sentryErr := revokeSentry(f, rep)
	var bbErr error
	if len(failed) > 0 {
		bbErr = fmt.Errorf("removing stored credentials: %w", errors.Join(failed...))
	}
	if err := keychainUnreachable(bbErr, sentryErr); err != nil {
		return err
	}
	return errors.Join(bbErr, sentryErr)
}

// keychainUnreachable is the one error to give when every failure was the
// OS keychain being out of reach (over SSH, in a container): which of
// sigsentry's items may still be there, and how to remove them. It is nil
// when there was no failure or another kind of failure.
func keychainUnreachable(bbErr, sentryErr error) error {
	var items []string
	var cause error
	for _, c := range []struct {
		err  error
		item string
	}{{bbErr, credstore.KeychainService}, {sentryErr, credstore.SentryKeychainService}} {
		if c.err == nil {
			continue
		}
		var ke *credstore.KeychainError
		if !errors.As(c.err, &ke) || !onlyKeychain(c.err) {
			return nil
		}
		items = append(items, c.item)
		if cause == nil {
			cause = ke.Err
		}
	}
	if len(items) == 0 {
		return nil
	}
	return &cmdutil.ExitError{Code: cmdutil.ExitFailure,
		Err: fmt.Errorf("the OS keychain cannot be reached (%v), so what it may hold for sigsentry (%s) was not removed", cause, strings.Join(items, ", ")),
		Hint: "run `sigsentry revoke` again where the keychain is reachable (your desktop session), or delete those items with " +
			"your keychain tool (Passwords and Keys, Keychain Access, Credential Manager); everything else was removed"}
}

// onlyKeychain reports whether every error err holds (joined or wrapped)
// is a keychain that cannot be reached.
func onlyKeychain(err error) bool {
	if _, ok := err.(*credstore.KeychainError); ok {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if !onlyKeychain(e) {
				return false
			}
		}
		return true
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			return onlyKeychain(inner)
		}
	}
	return false
}

func sourceName(s credstore.Source) string {
	if s == credstore.SourceFile {
		return "encrypted credential file"
	}
	return "OS keychain"
}
