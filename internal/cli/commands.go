package cli

import (
	"context"
	"io"

	"github.com/sigsentry/sigsentry/internal/cli/analyze"
	"github.com/sigsentry/sigsentry/internal/cli/auth"
	"github.com/sigsentry/sigsentry/internal/cli/demo"
	"github.com/sigsentry/sigsentry/internal/cli/repos"
	"github.com/sigsentry/sigsentry/internal/cli/revoke"
	"github.com/sigsentry/sigsentry/internal/cli/version"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

// commands lists the top-level commands in the order help shows them.
func commands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{
		auth.NewCmd(f),
		repos.NewCmd(f),
		analyze.NewCmd(f),
		revoke.NewCmd(f),
		demo.NewCmd(f, isolatedRunner(f)),
		version.NewCmd(f),
	}
}

// isolatedRunner runs sigsentry command lines for the demo with only the
// given environment and their own input and output streams, sharing nothing with the
// user's environment, config, cache or keychain.
func isolatedRunner(f *cmdutil.Factory) demo.Runner {
	return func(ctx context.Context, env map[string]string, stdin io.Reader, stdout, stderr io.Writer, args ...string) error {
		ios := *f.IO
		ios.In, ios.Out, ios.ErrOut = stdin, stdout, stderr
		ios.SetTTY(false, f.IO.IsStdoutTTY(), f.IO.IsStderrTTY())
		nf := NewFactory(&ios)
		nf.Getenv = func(k string) string { return env[k] }
		nf.Now = f.Now
		root := NewRootCmd(nf)
		root.SetArgs(args)
		root.SetOut(stdout)
		root.SetErr(stderr)
		return root.ExecuteContext(ctx)
	}
}
