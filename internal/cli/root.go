// Package cli builds sigsentry's cobra command tree and runs it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/oauthflow"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"github.com/spf13/cobra"
	"golang.org/x/oauth2"
	"golang.org/x/term"
)

// Build information, set through -ldflags "-X ...".
var (
	buildVersion = "dev"
	buildCommit  = ""
	buildDate    = ""
)

// interruptGrace is how long a command may take to stop after an
// interrupt before the process ends anyway.
const interruptGrace = 2 * time.Second

// Main runs sigsentry with args and returns the process exit code. An
// interrupt (Ctrl-C) and a termination request (SIGTERM, as from kill,
// systemd or a CI runner's timeout) both cancel the command's context: it
// stops at the next step, leaves every file as it was or fully written (all
// writes are atomic), and exits 1 with "interrupted". A command blocked
// reading the terminal (a prompt, a signal typed on standard input) never
// reaches a next step: after interruptGrace, or at a second signal, the
// process restores the terminal (echo back on) and exits 1 all the same.
func Main(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ios := iostreams.System()
	restore := saveTerminal()
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		cancel()
		timer := time.NewTimer(interruptGrace)
		defer timer.Stop()
		select {
		case <-sigs:
		case <-timer.C:
		case <-done:
			return
		}
		restore()
		fmt.Fprintln(ios.ErrOut, "\nerror: interrupted")
		os.Exit(cmdutil.ExitFailure)
	}()
	if ios.CanPrompt() && credstore.UnlockPromptCanShow(runtime.GOOS, os.Getenv) {
		// Someone can answer the keychain's unlock prompt: wait for it,
		// and say what is being waited for. Over SSH, or without a
		// graphical session, no prompt shows and no one could.
		credstore.KeychainTimeout = credstore.InteractiveKeychainTimeout
		credstore.KeychainSlow = func() {
			ios.Infof("Waiting for the OS keychain: unlock it if it asks (Ctrl-C to stop)...\n")
		}
	}
	code := Run(ctx, NewFactory(ios), args)
	close(done)
	return code
}

// saveTerminal returns a function that puts standard input's terminal
// back as it is now (a no-op when standard input is no terminal).
func saveTerminal() func() {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return func() {}
	}
	st, err := term.GetState(fd)
	if err != nil {
		return func() {}
	}
	return func() { _ = term.Restore(fd, st) }
}

// Run executes the command tree against f and decides the exit code.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	code, msg, hint := describe(ctx, err)
	// The message and the hint may quote a server or a repository (an
	// error body, a path): render.Fprintf makes them safe for a terminal.
	if msg != "" {
		_, _ = render.Fprintf(f.IO.ErrOut, "error: %s\n", msg)
	}
	if hint != "" {
		_, _ = render.Fprintf(f.IO.ErrOut, "hint: %s\n", hint)
	}
	return code
}

// describe maps an error to an exit code, a message and a hint. It is the
// one place where exit codes are decided.
func describe(ctx context.Context, err error) (code int, msg, hint string) {
	if errors.Is(err, cmdutil.ErrSilent) {
		return cmdutil.ExitFailure, "", ""
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil || errors.Is(err, cmdutil.ErrCancel) {
		return cmdutil.ExitFailure, "interrupted", ""
	}
	msg = err.Error()
	var ee *cmdutil.ExitError
	if errors.As(err, &ee) {
		code, hint = ee.Code, ee.Hint
	} else {
		code = cmdutil.ExitFailure
	}
	var api *bitbucket.APIError
	if errors.As(err, &api) {
		if hint == "" {
			hint = api.Hint()
		}
		if api.IsAuth() && (ee == nil || ee.Code == cmdutil.ExitFailure) {
			code = cmdutil.ExitAuth
		}
	}
	var sapi *sentry.APIError
	if errors.As(err, &sapi) {
		if hint == "" {
			hint = sapi.Hint()
		}
		if sapi.IsAuth() && (ee == nil || ee.Code == cmdutil.ExitFailure) {
			code = cmdutil.ExitAuth
		}
	}
	// A dead OAuth login stays an authentication failure however it was
	// wrapped: by a request, a repository of analyze, or a partial result.
	var rl *oauthflow.ReloginError
	if errors.As(err, &rl) && (ee == nil || ee.Code == cmdutil.ExitFailure || ee.Code == cmdutil.ExitPartial) {
		code = cmdutil.ExitAuth
		if hint == "" {
			hint = rl.Hint()
		}
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && (ee == nil || ee.Code == cmdutil.ExitFailure) {
		code = cmdutil.ExitAuth
		if re.ErrorCode == "invalid_grant" && hint == "" {
			hint = "the stored refresh token is no longer valid: " + advice.Relogin
		}
	}
	if ee == nil && isUsage(err) {
		code = cmdutil.ExitUsage
	}
	return code, msg, hint
}

// isUsage recognises cobra's own argument errors, which bypass the flag
// error function.
func isUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") || strings.Contains(msg, " arg(s), received ") ||
		strings.HasPrefix(msg, "invalid argument ") || strings.HasPrefix(msg, "required flag(s) ")
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "sigsentry <command> <subcommand> [flags]",
		Short: "Name the Bitbucket commits that most likely caused a production error",
		Long: `sigsentry connects Bitbucket Cloud to production error signals (stack traces,
Sentry events) and names the recent commits that most likely caused them,
with the evidence behind each one.`,
		Example: `  # See the whole flow offline, against a built-in Bitbucket double
  sigsentry demo

  # Connect Bitbucket, register repositories, analyze a stack trace
  sigsentry auth login
  sigsentry repos add acme/checkout-api acme/billing
  sigsentry analyze --signal panic.txt

  # Analyze a local checkout without any credential
  sigsentry analyze --local . --signal trace.txt`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       f.Version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if v, _ := cmd.Flags().GetBool("no-color"); v {
				f.IO.NoColor = true
			}
			if v, _ := cmd.Flags().GetBool("quiet"); v {
				f.IO.Quiet = true
			}
			if v, _ := cmd.Flags().GetBool("debug"); v {
				f.IO.Debug = true
			}
			if _, err := cmdutil.OutputFormat(cmd); err != nil {
				return err
			}
			return nil
		},
	}
	root.SetVersionTemplate("sigsentry {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.Bool("debug", false, "Trace HTTP requests and responses on stderr (secrets redacted)")
	pf.BoolP("quiet", "q", false, "Print only results and errors")
	pf.Bool("no-color", false, "Disable colour (also NO_COLOR)")
	pf.StringP("output", "o", "table", "Output format: table, json or markdown")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"table", "json", "markdown"}, cobra.ShellCompDirectiveNoFileComp))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: err,
			Hint: fmt.Sprintf("run '%s --help' for usage", c.CommandPath())}
	})
	root.AddGroup(&cobra.Group{ID: "core", Title: "Core commands:"})
	for _, c := range commands(f) {
		if c.GroupID == "" && !strings.HasPrefix(c.Name(), "completion") {
			c.GroupID = "core"
		}
		root.AddCommand(c)
	}
	root.SetCompletionCommandGroupID("core")
	root.InitDefaultCompletionCmd()
	rejectUnknownSubcommands(root)
	return root
}

// rejectUnknownSubcommands makes every group of commands below root (auth,
// repos, completion) fail with a usage error (exit 2) on an argument that
// names none of its commands, as root does: cobra prints such a group's
// help and exits 0, so a script with a mistyped `auth statuss` would carry
// on as if it had worked. Without arguments the group prints its help.
func rejectUnknownSubcommands(root *cobra.Command) {
	for _, c := range root.Commands() {
		rejectUnknownSubcommands(c)
		if !c.HasSubCommands() || c.Runnable() {
			continue
		}
		c.Args = cobra.ArbitraryArgs
		if c.SuggestionsMinimumDistance <= 0 {
			c.SuggestionsMinimumDistance = 2 // as cobra sets for root
		}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			hint := fmt.Sprintf("its commands: %s (run '%s --help')", strings.Join(names, ", "), cmd.CommandPath())
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 && cmd.Name() != "completion" {
				hint = fmt.Sprintf("did you mean %q? %s", s[0], hint)
			}
			if cmd.Name() == "auth" && (args[0] == "logout" || args[0] == "revoke") {
				hint = "`sigsentry revoke` removes the stored credentials and says where to finish revoking on Bitbucket"
			}
			return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Hint: hint,
				Err: fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())}
		}
	}
}
