package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// APITokenHelp says how to create an API token with the scopes sigsentry needs.
const APITokenHelp = "create an API token at id.atlassian.com → Security → Create API token with scopes → Bitbucket, " +
	"with the scopes read:user:bitbucket read:workspace:bitbucket read:repository:bitbucket, " +
	"then run `sigsentry auth api-token --email <your Atlassian account email>`"

// AppPasswordGone explains the App password retirement.
const AppPasswordGone = "Bitbucket App passwords stopped working on 2026-07-28"

// storeError turns credential-store errors into exit codes: a set
// environment credential refuses with exit 1 and says which variables to
// unset.
func storeError(err error) error {
	var ea *credstore.EnvActiveError
	if errors.As(err, &ea) {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: err,
			Hint: "unset " + strings.Join(ea.Vars, " and ") + " to manage stored credentials; the environment credential is used as long as it is set"}
	}
	return err
}

// passwordReader reads a secret from the terminal with echo off.
type passwordReader func(prompt string) (string, error)

// ttyPassword reads from the terminal behind ios.In with echo off.
func ttyPassword(ios *iostreams.IOStreams) passwordReader {
	return func(prompt string) (string, error) {
		f, ok := ios.In.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", errors.New("standard input is not a terminal")
		}
		fmt.Fprint(ios.ErrOut, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(ios.ErrOut)
		if err != nil {
			return "", fmt.Errorf("reading from the terminal: %w", err)
		}
		return string(b), nil
	}
}

// readSecret reads a secret from standard input (fromStdin) or prompts for
// it with echo off on a terminal. A secret is never a flag value.
func readSecret(ios *iostreams.IOStreams, fromStdin bool, stdinFlag, prompt string, read passwordReader) (string, error) {
	var s string
	switch {
	case fromStdin:
		b, err := io.ReadAll(io.LimitReader(ios.In, 64<<10))
		if err != nil {
			return "", fmt.Errorf("reading the secret from standard input: %w", err)
		}
		s = string(b)
	case ios.CanPrompt():
		v, err := read(prompt)
		if err != nil {
			return "", err
		}
		s = v
	default:
		return "", cmdutil.UsageErrorf("no terminal to prompt on: pipe the secret into %s", stdinFlag)
	}
	// No token, API token, App password or Sentry token holds white
	// space: what surrounds one is a paste's or an echo's, not the secret's.
	s = strings.TrimSpace(s)
	if s == "" {
		return "", cmdutil.UsageErrorf("the secret is empty")
	}
	if strings.ContainsAny(s, "\r\n") {
		return "", cmdutil.UsageErrorf("the secret spans several lines: give one secret")
	}
	return s, nil
}

// chooseWorkspace picks the workspace to store: --workspace if given (it
// must be one of the user's), the only one, or the user's choice on a
// terminal. ok is false when none could be chosen; msg then says why.
func chooseWorkspace(ios *iostreams.IOStreams, lines <-chan string, list []bitbucket.Workspace, flag string) (ws string, msg string, err error) {
	if flag != "" {
		for _, w := range list {
			if strings.EqualFold(w.Slug, flag) {
				return w.Slug, "", nil
			}
		}
		if len(list) == 0 {
			return flag, "", nil
		}
		return "", "", cmdutil.UsageErrorf("workspace %q is not one of yours (%s)", flag, slugs(list))
	}
	switch len(list) {
	case 0:
		return "", "No workspace was found for this account; set one with `sigsentry auth login --workspace SLUG` or SIGSENTRY_BITBUCKET_WORKSPACE.", nil
	case 1:
		return list[0].Slug, "", nil
	}
	if !ios.CanPrompt() || lines == nil {
		return "", fmt.Sprintf("This account has %d workspaces (%s); none was stored. Choose one with --workspace SLUG or SIGSENTRY_BITBUCKET_WORKSPACE.",
			len(list), slugs(list)), nil
	}
	fmt.Fprintln(ios.ErrOut, "This account has several workspaces:")
	for i, w := range list {
		fmt.Fprintf(ios.ErrOut, "  %d) %s\n", i+1, w.Slug)
	}
	for {
		fmt.Fprintf(ios.ErrOut, "Which one should sigsentry use? [1-%d]: ", len(list))
		line, ok := <-lines
		if !ok {
			return "", "", cmdutil.ErrCancel
		}
		line = strings.TrimSpace(line)
		var n int
		if _, err := fmt.Sscanf(line, "%d", &n); err == nil && n >= 1 && n <= len(list) {
			return list[n-1].Slug, "", nil
		}
		for _, w := range list {
			if strings.EqualFold(w.Slug, line) {
				return w.Slug, "", nil
			}
		}
	}
}

func slugs(list []bitbucket.Workspace) string {
	var s []string
	for _, w := range list {
		s = append(s, w.Slug)
	}
	return strings.Join(s, ", ")
}

// detectAccount reads the user and their workspaces with client and picks
// the workspace; msg says why none was picked.
func detectAccount(ctx context.Context, f *cmdutil.Factory, client *bitbucket.Client, lines <-chan string, wsFlag string) (*bitbucket.User, *bitbucket.Identity, string, string, error) {
	user, id, err := client.CurrentUser(ctx)
	if err != nil {
		return nil, nil, "", "", err
	}
	list, err := client.UserWorkspaces(ctx)
	if errors.Is(err, bitbucket.ErrForbidden) {
		// The credential works but may not list workspaces (an API token
		// without read:workspace:bitbucket): analysis needs only
		// repository read, so the login stands and the workspace comes
		// from --workspace, or is left unset.
		var api *bitbucket.APIError
		errors.As(err, &api)
		if wsFlag != "" {
			return user, id, wsFlag, "", nil
		}
		if cfg, err := f.Config(); err == nil && cfg.Bitbucket.Workspace != "" {
			// Said, and reported, rather than kept silently.
			return user, id, cfg.Bitbucket.Workspace, fmt.Sprintf("Could not list your workspaces (%s); kept the configured workspace %s (change it with --workspace SLUG).",
				api.Hint(), cfg.Bitbucket.Workspace), nil
		}
		msg := fmt.Sprintf("Could not list your workspaces: %s. Set one with --workspace SLUG or SIGSENTRY_BITBUCKET_WORKSPACE, or name repositories as workspace/slug.", api.Hint())
		return user, id, "", msg, nil
	}
	if err != nil {
		return nil, nil, "", "", fmt.Errorf("listing your workspaces: %w", err)
	}
	ws, msg, err := chooseWorkspace(f.IO, lines, list, wsFlag)
	if err != nil {
		return nil, nil, "", "", err
	}
	return user, id, ws, msg, nil
}

// saveAccount writes the non-secret account data to config. It runs after
// the credential was stored, so its error says that the credential is in
// place (a full disk, a read-only config folder) and what was not saved.
func saveAccount(f *cmdutil.Factory, method credstore.Method, user *bitbucket.User, username, ws string) (err error) {
	defer func() {
		if err != nil {
			err = accountNotSaved(err)
		}
	}()
	cs, err := f.ConfigStore()
	if err != nil {
		return err
	}
	return cs.Update(func(c *config.Config) error {
		c.Bitbucket.Account = config.Account{Method: string(method), Username: username}
		if user != nil {
			c.Bitbucket.Account.UUID = user.UUID
			c.Bitbucket.Account.AccountID = user.AccountID
			c.Bitbucket.Account.DisplayName = user.DisplayName
			c.Bitbucket.Account.Nickname = user.Nickname
		}
		if ws != "" {
			c.Bitbucket.Workspace = ws
		}
		return nil
	})
}

// StoredReport is what the commands that store a credential print on
// stdout with -o json; the same is said in words on stderr. It carries no
// secret.
type StoredReport struct {
	Stored    bool        `json:"stored"`
	Method    string      `json:"method"`
	Source    string      `json:"source"`
	User      *StatusUser `json:"user,omitempty"`
	Workspace string      `json:"workspace,omitempty"`
	Scopes    []string    `json:"scopes,omitempty"`
	// CheckedAgainst are the repositories an access token was checked on.
	CheckedAgainst []string `json:"checked_against,omitempty"`
	// Org and URL are the Sentry organization and server (auth sentry).
	Org string `json:"org,omitempty"`
	URL string `json:"url,omitempty"`
}

// printStored writes rep as JSON on stdout when the format is JSON; the
// table and Markdown formats have said everything on stderr already.
func printStored(f *cmdutil.Factory, format render.Format, rep StoredReport) error {
	if format != render.JSON {
		return nil
	}
	rep.Stored = true
	return render.WriteJSON(f.IO.Out, rep)
}

// statusUser is the account detected from Bitbucket, or only the login
// name given, or nil.
func statusUser(u *bitbucket.User, login string) *StatusUser {
	if u == nil {
		if login == "" {
			return nil
		}
		return &StatusUser{Username: login}
	}
	return &StatusUser{DisplayName: u.DisplayName, Nickname: u.Nickname, UUID: u.UUID, AccountID: u.AccountID, Username: login}
}

// accountNotSaved says that the credential was stored but the account
// details (user, workspace) could not be written to the config.
func accountNotSaved(err error) error {
	return fmt.Errorf("the credential was stored and works, but the account details (user, workspace) could not be saved to the config: %w", err)
}

// describeUser names the account for a terminal: the names come from the
// server, so control characters are shown as escapes (render.Sanitize).
func describeUser(u *bitbucket.User) string {
	if u == nil {
		return ""
	}
	switch {
	case u.DisplayName != "" && u.Nickname != "":
		return render.Sanitize(fmt.Sprintf("%s (%s)", u.DisplayName, u.Nickname))
	case u.DisplayName != "":
		return render.Sanitize(u.DisplayName)
	}
	return render.Sanitize(u.Nickname)
}

// readLine reads one line from r byte by byte, so nothing after it is
// consumed (a password prompt may read the terminal next).
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return strings.TrimRight(b.String(), "\r"), nil
			}
			b.WriteByte(buf[0])
			if b.Len() > 4096 {
				return "", errors.New("line too long")
			}
		}
		if err != nil {
			if err == io.EOF && b.Len() > 0 {
				return b.String(), nil
			}
			return "", err
		}
	}
}

// noSecretArgs is the Args check of the commands that take a secret: any
// positional argument may be the secret itself, pasted in the wrong place,
// so none is ever shown; the error says how to pass the secret instead.
func noSecretArgs(how string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		what := "an argument"
		if len(args) > 1 {
			what = fmt.Sprintf("%d arguments", len(args))
		}
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage,
			Err:  fmt.Errorf("`%s` takes no arguments, got %s (not shown: it may be a secret)", cmd.CommandPath(), what),
			Hint: how + "; a secret is never an argument or a flag value"}
	}
}

// secretFlagErrors makes flag errors of a command that takes a secret
// name the flag but never repeat what was typed: pflag quotes the value
// ("invalid argument \"…\"") or the whole group of short flags ("in -x…").
func secretFlagErrors(cmd *cobra.Command, how string) {
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage,
			Err:  fmt.Errorf("`%s`: %s", c.CommandPath(), redactFlagError(err.Error())),
			Hint: how + "; run '" + c.CommandPath() + " --help' for usage"}
	})
}

var flagNameRe = regexp.MustCompile(`for "(-[^"]*)" flag`)

// redactFlagError keeps the kind of a pflag error and the flag's name.
func redactFlagError(msg string) string {
	switch {
	case strings.HasPrefix(msg, "invalid argument "):
		if m := flagNameRe.FindStringSubmatch(msg); m != nil {
			return "invalid value for the " + m[1] + " flag (not shown)"
		}
		return "invalid flag value (not shown)"
	case strings.HasPrefix(msg, "unknown shorthand flag: "), strings.HasPrefix(msg, "flag needs an argument: '"):
		if i := strings.Index(msg, " in -"); i >= 0 {
			return msg[:i]
		}
	case strings.HasPrefix(msg, "unknown flag: --"), strings.HasPrefix(msg, "flag needs an argument: --"):
		return msg
	}
	kind, _, _ := strings.Cut(msg, ":")
	return kind + " (not shown)"
}
