// Package auth implements `sigsentry auth`: login (OAuth), app-password,
// api-token, token and status.
package auth

import (
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the `auth` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth <command>",
		Short: "Connect sigsentry to Bitbucket Cloud and Sentry",
		Long: `Connect sigsentry to Bitbucket Cloud and see which credential is in use;
store a Sentry auth token for --sentry-issue with ` + "`auth sentry`" + `.

Credentials are kept in the OS keychain, or in an encrypted file when
SIGSENTRY_CREDENTIAL_STORE=file (with SIGSENTRY_CREDENTIAL_PASSPHRASE).
In CI, set SIGSENTRY_BITBUCKET_EMAIL and SIGSENTRY_BITBUCKET_API_TOKEN (or
SIGSENTRY_BITBUCKET_TOKEN for an access token) instead: they win over
anything stored, and while one is set the commands that store or remove
credentials refuse (exit 1).`,
		Example: `  sigsentry auth login
  sigsentry auth api-token --email me@example.com
  sigsentry auth status -o json
  sigsentry auth sentry --org acme`,
	}
	cmd.AddCommand(
		NewCmdLogin(f, nil),
		NewCmdAPIToken(f, nil),
		NewCmdAppPassword(f, nil),
		NewCmdToken(f, nil),
		NewCmdStatus(f, nil),
		NewCmdSentry(f, nil),
	)
	return cmd
}
