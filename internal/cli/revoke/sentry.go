package revoke

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/pkg/sentry"
)

// revokeSentry removes the stored Sentry token and says where to finish
// revoking it. It refuses while SENTRY_AUTH_TOKEN is set.
func revokeSentry(f *cmdutil.Factory, rep *Report) error {
	chain, err := f.SentryCredentials()
	if err != nil {
		return err
	}
	removed, err := chain.DeleteAll()
	var ea *credstore.EnvActiveError
	if errors.As(err, &ea) {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: fmt.Errorf("not removing the stored Sentry token: %w", err),
			Hint: "SENTRY_AUTH_TOKEN is not stored by sigsentry; unset it (and revoke that token in Sentry if it is no longer needed)"}
	}
	if err != nil {
		return err
	}
	var failed []error
	var where []string
	for _, r := range removed {
		if r.Err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", r.Source, r.Err))
			continue
		}
		if r.Credential != nil {
			rep.Sentry.Removed = append(rep.Sentry.Removed, Removed{Store: string(r.Source), Method: string(r.Credential.Method)})
			fmt.Fprintf(f.IO.ErrOut, "Removed the stored Sentry token from the %s.\n", sourceName(r.Source))
			where = append(where, tokenPages(r.Credential.URL, r.Credential.Org))
		}
	}
	if len(where) > 0 {
		fmt.Fprintln(f.IO.ErrOut, "sigsentry cannot revoke tokens on Sentry's side. To finish:")
		seen := map[string]bool{}
		for _, w := range where {
			if !seen[w] {
				seen[w] = true
				rep.Sentry.Finish = append(rep.Sentry.Finish, w)
				fmt.Fprintln(f.IO.ErrOut, "  - "+w)
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("removing the stored Sentry token: %w", errors.Join(failed...))
	}
	return nil
}

// tokenPages says where a Sentry token is revoked.
func tokenPages(base, org string) string {
	if base == "" {
		base = sentry.DefaultBaseURL
	}
	base = strings.TrimRight(base, "/")
	s := "Sentry token: revoke it in Sentry → User Settings → Personal Tokens (" + base + "/settings/account/api/auth-tokens/)"
	if org != "" {
		s += "; an organization token in Settings → Organization Tokens (" + base + "/settings/" + org + "/auth-tokens/); " +
			"an internal integration's token in Settings → Developer Settings (" + base + "/settings/" + org + "/developer-settings/)"
	}
	return s + "."
}
