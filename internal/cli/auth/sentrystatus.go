package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/spf13/cobra"
)

// SentryStatus is the Sentry part of `auth status -o json`.
type SentryStatus struct {
	// Configured is true when a Sentry token is set or stored.
	Configured bool     `json:"configured"`
	Source     string   `json:"source,omitempty"`
	EnvVars    []string `json:"env_vars,omitempty"`
	// Org and URL are those --sentry-issue uses: the configured ones, else
	// the stored token's.
	Org string `json:"org,omitempty"`
	URL string `json:"url,omitempty"`
	// Check is the live verification's result, with --check-sentry only.
	Check *Check `json:"check,omitempty"`
}

// addSentryStatusFlags adds `auth status --check-sentry`.
func addSentryStatusFlags(cmd *cobra.Command, opts *StatusOptions) {
	cmd.Flags().BoolVar(&opts.CheckSentry, "check-sentry", false,
		"Also check the Sentry token against Sentry (GET /api/0/organizations/{org}/repos/)")
}

// sentryStatus describes the Sentry token and, when check is set, verifies
// it with the same read call `auth sentry` uses. The error is an
// authentication failure to report after the status is printed.
func sentryStatus(ctx context.Context, f *cmdutil.Factory, check bool) (*SentryStatus, error) {
	st := &SentryStatus{}
	chain, err := f.SentryCredentials()
	if err != nil {
		return st, err
	}
	cred, err := chain.Active()
	switch {
	case errors.Is(err, credstore.ErrNotFound):
		if check {
			st.Check = &Check{Message: "no Sentry token found"}
			return st, cmdutil.AuthError(errors.New("no Sentry token found"),
				"set SENTRY_AUTH_TOKEN, or store one with `sigsentry auth sentry --org ORG`")
		}
		return st, nil
	case err != nil:
		if check {
			st.Check = &Check{Message: err.Error()}
			return st, cmdutil.AuthError(fmt.Errorf("reading the Sentry token: %w", err), credstore.SentryUnavailableHint)
		}
		st.Source = "unreadable: " + err.Error()
		return st, nil
	}
	st.Configured, st.Source, st.EnvVars = true, string(cred.Source), cred.EnvVars
	if st.URL, st.Org, err = f.SentryDefaults(); err != nil {
		return st, err
	}
	if !check {
		return st, nil
	}
	if st.Org == "" {
		st.Check = &Check{Message: "not checked: no organization (set SENTRY_ORG or sentry.org)"}
		return st, nil
	}
	target := "/api/0/organizations/" + st.Org + "/repos/"
	client, err := f.Sentry(st.URL)
	if err != nil {
		st.Check = &Check{Target: target, Message: err.Error()}
		return st, err
	}
	if _, err := client.Repos(ctx, st.Org); err != nil {
		st.Check = &Check{Target: target, Message: err.Error()}
		return st, sentryCheckError(st.URL, st.Org, err)
	}
	st.Check = &Check{OK: true, Target: target, Message: "ok"}
	return st, nil
}

// sentryRows are the Sentry lines of the status table.
func sentryRows(st *SentryStatus) [][]string {
	if st == nil {
		return nil
	}
	if !st.Configured {
		if st.Source != "" {
			return [][]string{{"sentry", st.Source}}
		}
		if st.Check != nil {
			return [][]string{{"sentry", "no token"}, {"sentry check", "failed: " + st.Check.Message}}
		}
		return [][]string{{"sentry", "no token (`sigsentry auth sentry` or SENTRY_AUTH_TOKEN)"}}
	}
	src := st.Source
	if len(st.EnvVars) > 0 {
		src += " (" + strings.Join(st.EnvVars, ", ") + ")"
	}
	rows := [][]string{{"sentry", "token from " + src}, {"sentry url", st.URL}}
	if st.Org != "" {
		rows = append(rows, []string{"sentry org", st.Org})
	}
	if st.Check != nil {
		check := "failed: " + st.Check.Message
		if st.Check.OK {
			check = st.Check.Message
		}
		rows = append(rows, []string{"sentry check", check})
	}
	return rows
}
