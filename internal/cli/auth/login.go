package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/oauthflow"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/spf13/cobra"
	"golang.org/x/oauth2"
)

// loginHow says how `auth login` takes the consumer secret.
const loginHow = "set the OAuth consumer secret in SIGSENTRY_OAUTH_CLIENT_SECRET, or type it at the prompt on a terminal"

// LoginOptions are the inputs of `auth login`.
type LoginOptions struct {
	F      *cmdutil.Factory
	Format render.Format

	ClientID     string
	NoBrowser    bool
	CallbackPort int
	Timeout      time.Duration
	Workspace    string

	// ReadPassword prompts with echo off (tests replace it).
	ReadPassword passwordReader
}

// NewCmdLogin returns `auth login`.
func NewCmdLogin(f *cmdutil.Factory, runF func(context.Context, *LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{F: f, ReadPassword: ttyPassword(f.IO)}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to Bitbucket Cloud with OAuth in the browser",
		Long: `Sign in to Bitbucket Cloud with OAuth 2.0 (authorization code with PKCE).

sigsentry listens on 127.0.0.1 only, prints the authorize URL on standard
error on a line of its own and opens the browser (unless --no-browser, or
there is no display). After you click "Grant access", Bitbucket redirects
the browser to http://127.0.0.1:PORT/callback, sigsentry exchanges the code,
stores the tokens in the keychain (or the encrypted file), and detects your
user and workspace.

The OAuth consumer (Workspace settings → OAuth consumers) needs the
permissions Account: Read and Repositories: Read, and the Callback URL
http://127.0.0.1/callback (without a port: any --callback-port then works).
If Bitbucket insists on an exact port, register http://127.0.0.1:PORT/callback
and always pass --callback-port PORT.

The consumer key comes from --client-id, SIGSENTRY_OAUTH_CLIENT_ID, the
config's oauth.client_id, or the build's default; its secret from
SIGSENTRY_OAUTH_CLIENT_SECRET, a prompt on a terminal, or the build's
default, never from a flag.

On a machine the browser cannot reach (SSH, containers), use --no-browser,
open the URL elsewhere, and paste the address the browser ends on (it starts
with http://127.0.0.1) back into the terminal.

Tokens are refreshed automatically (Bitbucket rotates refresh tokens on every
use); access denied or an expired login exits with status 4.`,
		Example: `  sigsentry auth login
  sigsentry auth login --no-browser --callback-port 8765
  SIGSENTRY_OAUTH_CLIENT_SECRET=... sigsentry auth login --client-id KEY --workspace acme`,
		Args: noSecretArgs(loginHow),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Timeout <= 0 {
				return cmdutil.UsageErrorf("--timeout must be positive")
			}
			if opts.CallbackPort < 0 || opts.CallbackPort > 65535 {
				return cmdutil.UsageErrorf("--callback-port must be between 0 and 65535")
			}
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	secretFlagErrors(cmd, loginHow)
	fl := cmd.Flags()
	fl.StringVar(&opts.ClientID, "client-id", "", "OAuth consumer key (default: SIGSENTRY_OAUTH_CLIENT_ID, oauth.client_id, or the built-in one)")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "Print the authorize URL but do not open a browser; accept a pasted redirect URL")
	fl.IntVar(&opts.CallbackPort, "callback-port", 0, "Loopback port for the redirect (0 = oauth.callback_port from the config, else any free port)")
	fl.DurationVar(&opts.Timeout, "timeout", oauthflow.DefaultTimeout, "How long to wait for the browser")
	fl.StringVar(&opts.Workspace, "workspace", "", "Workspace slug to use when the account has several")
	return cmd
}

// hasDisplay reports whether a browser can be shown (on Linux and BSDs:
// DISPLAY or WAYLAND_DISPLAY is set).
func hasDisplay(getenv func(string) string) bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	f := opts.F
	chain, err := f.Credentials()
	if err != nil {
		return err
	}
	// Before anything is asked of the user: can we store the result?
	if err := chain.CheckWritable(); err != nil {
		return storeError(fmt.Errorf("checking where to store the login: %w", err))
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	clientID := opts.ClientID
	if clientID == "" {
		clientID = cfg.OAuth.ClientID // includes SIGSENTRY_OAUTH_CLIENT_ID
	}
	if clientID == "" {
		clientID = oauthflow.DefaultClientID
	}
	if clientID == "" {
		return cmdutil.UsageErrorf("no OAuth consumer key: pass --client-id, or set SIGSENTRY_OAUTH_CLIENT_ID (and SIGSENTRY_OAUTH_CLIENT_SECRET); " +
			"or use an API token with `sigsentry auth api-token`")
	}
	secret := f.Getenv("SIGSENTRY_OAUTH_CLIENT_SECRET")
	if secret == "" && clientID == oauthflow.DefaultClientID {
		secret = oauthflow.DefaultClientSecret
	}
	if secret == "" {
		if !f.IO.CanPrompt() {
			return cmdutil.UsageErrorf("no OAuth consumer secret: set SIGSENTRY_OAUTH_CLIENT_SECRET")
		}
		if secret, err = opts.ReadPassword("OAuth consumer secret for " + clientID + ": "); err != nil {
			return err
		}
	}

	port := opts.CallbackPort
	if port == 0 && cfg.OAuth.CallbackPort > 0 {
		port = cfg.OAuth.CallbackPort // config oauth.callback_port or SIGSENTRY_OAUTH_CALLBACK_PORT
	}

	var lines <-chan string
	if f.IO.CanPrompt() {
		lines = oauthflow.LineReader(f.IO.In)
	}
	lo := oauthflow.LoginOptions{
		OAuthURL:     cfg.Bitbucket.OAuthURL,
		ClientID:     clientID,
		ClientSecret: secret,
		CallbackPort: port,
		Timeout:      opts.Timeout,
		Messages:     f.IO.ErrOut,
	}
	if f.IO.Debug {
		lo.HTTPClient = bitbucket.TracedOAuthClient(f.IO.ErrOut, secret)
	}
	if !opts.NoBrowser && hasDisplay(f.Getenv) {
		lo.OpenBrowser = f.Browser
	} else {
		lo.Pasted = lines
	}
	res, err := oauthflow.Login(ctx, lo)
	if err != nil {
		return loginError(err)
	}

	client, err := f.BitbucketWith(bitbucket.BearerAuth(res.Token.AccessToken))
	if err != nil {
		return err
	}
	user, id, ws, wsMsg, err := detectAccount(ctx, f, client, lines, opts.Workspace)
	if err != nil {
		return fmt.Errorf("checking the new login: %w", err)
	}
	scopes := res.Scopes
	if id != nil && len(id.Scopes) > 0 {
		scopes = id.Scopes
	}
	cred := &credstore.Credential{
		Method:       credstore.MethodOAuth,
		AccessToken:  res.Token.AccessToken,
		RefreshToken: res.Token.RefreshToken,
		Expiry:       res.Token.Expiry,
		Scopes:       scopes,
		ClientID:     clientID,
		ClientSecret: secret,
	}
	if err := chain.Set(cred); err != nil {
		return storeError(fmt.Errorf("storing the login: %w", err))
	}
	if err := saveAccount(f, credstore.MethodOAuth, user, "", ws); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Logged in to Bitbucket as %s.\n", describeUser(user))
	if ws != "" {
		fmt.Fprintf(f.IO.ErrOut, "Workspace: %s\n", ws)
	}
	if wsMsg != "" {
		fmt.Fprintln(f.IO.ErrOut, wsMsg)
	}
	fmt.Fprintf(f.IO.ErrOut, "Tokens stored in the %s.\n", storeName(chain.Stored.Source()))
	return printStored(f, opts.Format, StoredReport{Method: string(credstore.MethodOAuth), Source: string(chain.Stored.Source()),
		User: statusUser(user, ""), Workspace: ws, Scopes: scopes})
}

func storeName(s credstore.Source) string {
	if s == credstore.SourceFile {
		return "encrypted credential file"
	}
	return "OS keychain"
}

// loginError gives the flow's failures their exit codes.
func loginError(err error) error {
	var ce *oauthflow.CallbackError
	var re *oauth2.RetrieveError
	switch {
	case errors.Is(err, oauthflow.ErrAccessDenied):
		return cmdutil.AuthError(errors.New("access was denied: Cancel was clicked on Bitbucket's consent page, so sigsentry is not authorized"),
			advice.Relogin+" again and click Grant access, or use an API token with `sigsentry auth api-token`")
	case errors.As(err, &ce):
		return cmdutil.AuthError(err, "check the OAuth consumer's callback URL (http://127.0.0.1/callback) and permissions (Account: Read, Repositories: Read)")
	case errors.As(err, &re):
		return cmdutil.AuthError(err, "check the OAuth consumer key and secret (SIGSENTRY_OAUTH_CLIENT_ID, SIGSENTRY_OAUTH_CLIENT_SECRET)")
	}
	return err
}
