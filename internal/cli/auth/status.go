package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of `auth status`.
type StatusOptions struct {
	F      *cmdutil.Factory
	Format render.Format
	// CheckSentry also verifies the Sentry token (sentrystatus.go).
	CheckSentry bool
}

// Status is what `auth status -o json` prints.
type Status struct {
	LoggedIn  bool        `json:"logged_in"`
	Method    string      `json:"method,omitempty"`
	Source    string      `json:"source,omitempty"`
	EnvVars   []string    `json:"env_vars,omitempty"`
	User      *StatusUser `json:"user,omitempty"`
	Workspace string      `json:"workspace,omitempty"`
	// ExpiresAt and ExpiresInSeconds describe the OAuth access token.
	ExpiresAt        *time.Time `json:"expires_at,omitempty"`
	ExpiresInSeconds *int64     `json:"expires_in_seconds,omitempty"`
	Refreshable      bool       `json:"refreshable,omitempty"`
	Scopes           []string   `json:"scopes"`
	Check            Check      `json:"check"`
	// Sentry describes the Sentry token (sentrystatus.go).
	Sentry *SentryStatus `json:"sentry,omitempty"`
}

// StatusUser is the user part of Status.
type StatusUser struct {
	DisplayName string `json:"display_name,omitempty"`
	Nickname    string `json:"nickname,omitempty"`
	UUID        string `json:"uuid,omitempty"`
	AccountID   string `json:"account_id,omitempty"`
	Username    string `json:"username,omitempty"`
}

// Check is the live verification's result.
type Check struct {
	OK      bool   `json:"ok"`
	Target  string `json:"target,omitempty"`
	Message string `json:"message"`
}

// NewCmdStatus returns `auth status`.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{F: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show which Bitbucket credential is active and check it",
		Long: `Show the active credential: its method (oauth, api-token, app-password,
token), where it comes from (environment, keychain, file), the user and
workspace, the OAuth token's expiry and time left, the granted scopes when
Bitbucket reports them (X-OAuth-Scopes), and the result of a live check.

An OAuth token close to expiry is refreshed by the check. Exits 4 when no
credential is found, or it is expired beyond refresh or rejected.`,
		Example: `  sigsentry auth status
  sigsentry auth status -o json`,
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
			return statusRun(cmd.Context(), opts)
		},
	}
	addSentryStatusFlags(cmd, opts)
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	f := opts.F
	st := Status{Scopes: []string{}}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	var sentryErr error
	st.Sentry, sentryErr = sentryStatus(ctx, f, opts.CheckSentry)
	chain, err := f.Credentials()
	if err != nil {
		return err
	}
	cred, err := chain.Active()
	var half *credstore.HalfSetError
	switch {
	case errors.As(err, &half):
		st.Check = Check{Message: err.Error()}
		if perr := printStatus(f, opts.Format, &st); perr != nil {
			return perr
		}
		return cmdutil.AuthError(err, credstore.HalfSetHint)
	case errors.Is(err, credstore.ErrNotFound):
		st.Check = Check{Message: "no Bitbucket credential found"}
		if perr := printStatus(f, opts.Format, &st); perr != nil {
			return perr
		}
		return cmdutil.AuthError(errors.New("not logged in to Bitbucket"),
			"run `sigsentry auth login`, or set SIGSENTRY_BITBUCKET_EMAIL and SIGSENTRY_BITBUCKET_API_TOKEN")
	case err != nil:
		err = fmt.Errorf("reading the credential: %w", err)
		if opts.Format == render.JSON {
			// stdout always holds the JSON document, with why nothing
			// could be checked.
			st.Check = Check{Message: err.Error()}
			if perr := printStatus(f, opts.Format, &st); perr != nil {
				return perr
			}
		}
		if errors.Is(err, credstore.ErrUnavailable) {
			// No credential can be read: as good as missing (exit 4).
			return cmdutil.AuthError(err, "")
		}
		return err
	}
	st.LoggedIn = true
	st.Method = string(cred.Method)
	st.Source = string(cred.Source)
	st.EnvVars = cred.EnvVars
	st.Workspace = cfg.Bitbucket.Workspace
	if cred.Source != credstore.SourceEnvironment {
		a := cfg.Bitbucket.Account
		if a.DisplayName != "" || a.Nickname != "" || a.Username != "" || a.UUID != "" {
			st.User = &StatusUser{DisplayName: a.DisplayName, Nickname: a.Nickname, UUID: a.UUID, AccountID: a.AccountID, Username: a.Username}
		}
	} else if cred.Username != "" {
		st.User = &StatusUser{Username: cred.Username}
	}
	if len(cred.Scopes) > 0 {
		st.Scopes = cred.Scopes
	}

	checkErr := liveCheck(ctx, f, cred, &st, cfg.Bitbucket.Repositories)
	if cred.Method == credstore.MethodOAuth {
		// The check may have refreshed: show what is stored now.
		if now, err := chain.Stored.Get(); err == nil {
			cred = now
		}
		if !cred.Expiry.IsZero() {
			exp := cred.Expiry.UTC()
			left := int64(cred.Expiry.Sub(f.Now()).Seconds())
			st.ExpiresAt, st.ExpiresInSeconds = &exp, &left
		}
		st.Refreshable = cred.RefreshToken != ""
	}
	if err := printStatus(f, opts.Format, &st); err != nil {
		return err
	}
	if checkErr != nil {
		var ee *cmdutil.ExitError
		if errors.As(checkErr, &ee) {
			return checkErr
		}
		return cmdutil.AuthError(fmt.Errorf("the credential did not pass the live check: %w", checkErr), "")
	}
	return sentryErr
}

// liveCheck verifies the credential against the API: /2.0/user for user
// credentials, a repository for access tokens (they have no user).
func liveCheck(ctx context.Context, f *cmdutil.Factory, cred *credstore.Credential, st *Status, repos []config.Repo) error {
	client, err := f.Bitbucket()
	if err != nil {
		st.Check = Check{Message: err.Error()}
		return err
	}
	if cred.Method == credstore.MethodToken {
		if len(repos) == 0 {
			st.Check = Check{OK: true, Message: "not checked: an access token has no user; register a repository (`sigsentry repos add`) to check against"}
			return nil
		}
		name := repos[0].Name
		ws, slug, _ := strings.Cut(name, "/")
		st.Check.Target = "/2.0/repositories/" + name
		if _, err := client.Repository(ctx, ws, slug); err != nil {
			st.Check.Message = err.Error()
			return err
		}
		st.Check = Check{OK: true, Target: st.Check.Target, Message: "ok"}
		return nil
	}
	st.Check.Target = "/2.0/user"
	user, id, err := client.CurrentUser(ctx)
	if err != nil {
		st.Check.Message = err.Error()
		return err
	}
	st.Check = Check{OK: true, Target: "/2.0/user", Message: "ok"}
	su := &StatusUser{DisplayName: user.DisplayName, Nickname: user.Nickname, UUID: user.UUID, AccountID: user.AccountID}
	if st.User != nil {
		su.Username = st.User.Username
	}
	st.User = su
	if id != nil && len(id.Scopes) > 0 {
		st.Scopes = id.Scopes
	}
	return nil
}

func printStatus(f *cmdutil.Factory, format render.Format, st *Status) error {
	if format == render.JSON {
		return render.WriteJSON(f.IO.Out, st)
	}
	rows := [][]string{}
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []string{k, v})
		}
	}
	if !st.LoggedIn {
		add("logged in", "no")
	} else {
		add("method", st.Method)
		src := st.Source
		if len(st.EnvVars) > 0 {
			src += " (" + strings.Join(st.EnvVars, ", ") + ")"
		}
		add("source", src)
		if st.User != nil {
			u := st.User.DisplayName
			if st.User.Nickname != "" {
				u = strings.TrimSpace(u + " (" + st.User.Nickname + ")")
			}
			if u == "" {
				u = st.User.Username
			}
			add("user", u)
		}
		add("workspace", st.Workspace)
		if st.ExpiresAt != nil {
			left := time.Duration(*st.ExpiresInSeconds) * time.Second
			exp := st.ExpiresAt.Format(time.RFC3339)
			if left > 0 {
				exp += " (" + left.Round(time.Second).String() + " left)"
			} else {
				exp += " (expired)"
			}
			add("expires", exp)
			if st.Refreshable {
				add("refresh", "automatic (refresh token stored)")
			}
		}
		add("scopes", strings.Join(st.Scopes, " "))
	}
	check := "failed: " + st.Check.Message
	if st.Check.OK {
		check = st.Check.Message
	}
	add("check", check)
	rows = append(rows, sentryRows(st.Sentry)...)
	if format == render.Markdown {
		return render.MarkdownTable(f.IO.Out, []string{"field", "value"}, rows)
	}
	t := render.NewTable(f.IO.Out, nil)
	for _, r := range rows {
		t.Row(r...)
	}
	return t.Flush()
}
