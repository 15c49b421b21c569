// Package demo implements `sigsentry demo`: the whole flow, offline, against
// a Bitbucket Cloud double started inside the process.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/cli/demo/sample"
	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
	"github.com/spf13/cobra"
)

// Runner runs one sigsentry command line with its own environment (only the
// variables in env are visible to it) and its own input and output streams.
type Runner func(ctx context.Context, env map[string]string, stdin io.Reader, stdout, stderr io.Writer, args ...string) error

// Options are the demo's dependencies.
type Options struct {
	Factory *cmdutil.Factory
	Run     Runner
	Format  render.Format
	// Keep leaves the temporary folder in place and prints its path.
	Keep bool
}

// NewCmd returns the `demo` command. run executes sigsentry command lines
// in an isolated environment (wired in internal/cli).
func NewCmd(f *cmdutil.Factory, run Runner) *cobra.Command {
	opts := &Options{Factory: f, Run: run}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole flow offline against a built-in Bitbucket double",
		Long: `Demo shows what sigsentry does, offline, in a few seconds:

  1. it builds a sample git repository, acme/checkout-api: a small Go checkout
     service written by three people over three weeks, one of whose commits
     plants a nil-pointer bug;
  2. it starts a Bitbucket Cloud double on 127.0.0.1 inside this process,
     serving that repository through the real REST API shapes;
  3. it connects with a throw-away API token held only in memory, so your
     keychain, config and cache are never touched;
  4. it registers the repository with "sigsentry repos add";
  5. it runs "sigsentry analyze" with the production panic that the bug
     causes, and prints the ranked suspect commits with their evidence;
  6. it starts a Sentry double too, holds the same crash as a Sentry issue
     whose event names the release that crashed, and runs
     "sigsentry analyze --sentry-issue" on it: the repository is analyzed at
     the release's commit.

Everything it creates lives in a temporary folder that is removed at the end
(--keep leaves it, and says where, even with --quiet). The sample's commits
and the panic are dated relative to now, so the demo reads the same any day.`,
		Example: `  sigsentry demo
  sigsentry demo -o json | jq '.signals[0].suspects[0]'
  sigsentry demo -o markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Keep, "keep", false, "Keep the temporary folder (sample repository, config, cache) and print its path")
	return cmd
}

// Run runs the demo.
func Run(ctx context.Context, o *Options) error {
	ios := o.Factory.IO
	say := func(format string, a ...any) { ios.Infof(format+"\n", a...) }
	start := time.Now()

	tmp, err := os.MkdirTemp("", "sigsentry-demo-")
	if err != nil {
		return fmt.Errorf("creating the demo's temporary folder: %w", err)
	}
	if o.Keep {
		// Said even with --quiet: it is the one thing --keep is for.
		defer fmt.Fprintf(ios.ErrOut, "Kept the demo's files in %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	now := o.Factory.Now().UTC().Truncate(time.Second)
	say("%s Building a sample repository: %s/%s, %d commits by 3 authors over 24 days, one of which plants a bug.",
		ios.Bold("1."), sample.Workspace, sample.Slug, len(sample.History()))
	built, err := sample.Build(ctx, filepath.Join(tmp, "checkout-api"), now)
	if err != nil {
		return fmt.Errorf("building the sample repository: %w", err)
	}

	srv := bitbuckettest.NewServer(bitbuckettest.Options{})
	defer srv.Close()
	email, token := "demo@acme.example", throwaway()
	srv.AddUser(bitbuckettest.User{Nickname: "demo", DisplayName: "Demo User", Email: email, Workspaces: []string{sample.Workspace}})
	srv.AddAPIToken(email, token, "read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket")
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: sample.Workspace, Slug: sample.Slug, GitDir: built.Dir, Private: true}); err != nil {
		return fmt.Errorf("serving the sample repository: %w", err)
	}
	say("%s Started a Bitbucket Cloud double at %s (loopback only, offline).", ios.Bold("2."), srv.APIURL())
	say("%s Connected with a throw-away API token held in memory: your keychain, config and cache are not touched.", ios.Bold("3."))

	env := map[string]string{
		"SIGSENTRY_CONFIG_DIR":          filepath.Join(tmp, "config"),
		"SIGSENTRY_CACHE_DIR":           filepath.Join(tmp, "cache"),
		"SIGSENTRY_BITBUCKET_API_URL":   srv.APIURL(),
		"SIGSENTRY_BITBUCKET_OAUTH_URL": srv.OAuthURL(),
		"SIGSENTRY_BITBUCKET_EMAIL":     email,
		"SIGSENTRY_BITBUCKET_API_TOKEN": token,
		"SIGSENTRY_BITBUCKET_WORKSPACE": sample.Workspace,
		"HOME":                          tmp,
		"PATH":                          os.Getenv("PATH"),
	}
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		env["NO_COLOR"] = "1"
	}

	repo := sample.Workspace + "/" + sample.Slug
	say("%s Registering it:  sigsentry repos add %s", ios.Bold("4."), repo)
	// The child commands' stderr is kept for error messages, and shown too
	// with --debug so that the (redacted) HTTP trace is visible.
	stderrFor := func(buf *bytes.Buffer) io.Writer {
		if ios.Debug {
			return io.MultiWriter(buf, ios.ErrOut)
		}
		return buf
	}
	var addOut, addErr bytes.Buffer
	if err := o.Run(ctx, env, strings.NewReader(""), &addOut, stderrFor(&addErr), "repos", "add", repo, "-o", "json"); err != nil {
		return fmt.Errorf("registering the sample repository: %w: %s", err, strings.TrimSpace(addErr.String()))
	}

	// The panic happened a few minutes ago, on the clock the history was
	// dated with. It is written to the folder (for --keep) and given to
	// analyze on standard input, so that the report names a stable source
	// ("stdin") rather than a temporary path that is gone afterwards.
	panicText := sample.Panic(sample.Final(), now.Add(-4*time.Minute))
	if err := os.WriteFile(filepath.Join(tmp, "panic.txt"), []byte(panicText), 0o600); err != nil {
		return err
	}
	say("%s Analyzing the last 30 days with the production panic the bug causes:", ios.Bold("5."))
	say("     sigsentry analyze --signal - < panic.txt")
	for _, l := range strings.Split(strings.TrimSpace(panicText), "\n")[1:7] {
		say("     %s", ios.Gray("| "+l))
	}

	args := []string{"analyze", "--signal", "-", "--at", now.Format(time.RFC3339), "-o", "json"}
	var jsonOut, runErr bytes.Buffer
	if err := o.Run(ctx, env, strings.NewReader(panicText), &jsonOut, stderrFor(&runErr), args...); err != nil {
		return fmt.Errorf("analyzing the sample repository: %w: %s", err, strings.TrimSpace(runErr.String()))
	}
	rank, commits := culpritRank(jsonOut.Bytes(), built.Culprit)

	if o.Format == render.JSON {
		if _, err := ios.Out.Write(jsonOut.Bytes()); err != nil {
			return err
		}
	} else {
		say("")
		args[len(args)-1] = string(o.Format)
		if err := o.Run(ctx, env, strings.NewReader(panicText), ios.Out, ios.ErrOut, args...); err != nil {
			return fmt.Errorf("analyzing the sample repository: %w", err)
		}
		say("")
	}

	diffs := srv.CountRequests("/2.0/repositories/" + repo + "/diff/")
	// A /src/ path ending in a slash lists the tree; the others read files.
	reads, listings := 0, 0
	for _, r := range srv.Requests() {
		switch {
		case !strings.HasPrefix(r.Path, "/2.0/repositories/"+repo+"/src/"):
		case strings.HasSuffix(r.Path, "/"):
			listings++
		default:
			reads++
		}
	}
	short := built.Culprit[:12]
	switch {
	case rank == 1:
		say("The commit that planted the bug, %s \"Apply coupon discounts to cart totals\", is suspect #1.", short)
	case rank > 1:
		say("The commit that planted the bug, %s, is suspect #%d.", short, rank)
	default:
		say("The commit that planted the bug, %s, is not among the suspects.", short)
	}
	say("sigsentry looked at %d commits, fetched each diff once (%d diff requests; a second run reads them from the cache),",
		commits, diffs)
	unit := "requests"
	if listings == 1 {
		unit = "request"
	}
	say("counted files and lines locally, listed the repository's files (%d %s) to map the panic's frames", listings, unit)
	say("to them, read %d of those files at the failing version (to know where each frame's function lies),", reads)
	say("and followed the crashing line back through later commits that moved it.")
	left := "nothing was left on disk"
	if o.Keep {
		left = "the files are kept (see below)"
	}
	say("")
	if err := sentryStep(ctx, o, env, built, now, stderrFor); err != nil {
		return err
	}
	say("")
	say("Done in %.1fs; %s.", time.Since(start).Seconds(), left)
	say("Next: sigsentry auth login, then sigsentry repos add WORKSPACE/REPO (see README.md).")
	return nil
}

// sentryStep pulls the same crash as a Sentry issue from a Sentry double
// started inside the process, and analyzes it at the commit of the release
// that crashed.
func sentryStep(ctx context.Context, o *Options, env map[string]string, built *sample.Built, now time.Time, stderrFor func(*bytes.Buffer) io.Writer) error {
	ios := o.Factory.IO
	say := func(format string, a ...any) { ios.Infof(format+"\n", a...) }
	srv := sentrytest.NewServer(sentrytest.Options{})
	defer srv.Close()
	token := "sntryu_" + throwaway()
	srv.AddToken(token, sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	final := sample.Final()
	head := built.Hashes[len(built.Hashes)-1]
	release := "checkout-api@1.4.2+" + sentry.ShortHash(head)
	line := func(path, needle string) int {
		for i, l := range strings.Split(final[path], "\n") {
			if strings.Contains(l, needle) {
				return i + 1
			}
		}
		return 0
	}
	issue, _ := srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "checkout"}, sentrytest.Event{
		Time: now.Add(-4 * time.Minute), Release: release, Platform: "go",
		Exceptions: []sentrytest.Exception{{Type: "runtime.Error", Value: "invalid memory address or nil pointer dereference",
			Frames: []sentrytest.Frame{
				{Filename: "main.go", AbsPath: "/build/checkout-api/main.go", Module: "main", Function: "handleCheckout", Line: line("main.go", "payment.Charge(c, req.Card)"), InApp: true},
				{Filename: "payment/charge.go", AbsPath: "/build/checkout-api/payment/charge.go", Module: "example.com/checkout-api/payment", Function: "Charge", Line: line("payment/charge.go", "total := c.Total()"), InApp: true},
				{Filename: "cart/total.go", AbsPath: "/build/checkout-api/cart/total.go", Module: "example.com/checkout-api/cart", Function: "(*Cart).Total", Line: line("cart/total.go", "discount := c.Coupon.Percent"), InApp: true},
			}}},
	})
	say("%s The same crash as a Sentry issue: started a Sentry double at %s; its event names release %s.", ios.Bold("6."), srv.URL(), release)
	say("     sigsentry analyze --sentry-issue %s", issue.ShortID)
	senv := map[string]string{"SENTRY_URL": srv.URL(), "SENTRY_AUTH_TOKEN": token, "SENTRY_ORG": "acme"}
	for k, v := range env {
		senv[k] = v
	}
	var out, errOut bytes.Buffer
	if err := o.Run(ctx, senv, strings.NewReader(""), &out, stderrFor(&errOut), "analyze", "--sentry-issue", issue.ShortID, "--at", now.Format(time.RFC3339), "-o", "json"); err != nil {
		return fmt.Errorf("analyzing the Sentry issue: %w: %s", err, strings.TrimSpace(errOut.String()))
	}
	var rep struct {
		Signals []struct {
			Sentry *struct {
				Release, Ref, Note string
			} `json:"sentry"`
			Suspects []struct {
				Rank int    `json:"rank"`
				Hash string `json:"hash"`
			} `json:"suspects"`
		} `json:"signals"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || len(rep.Signals) == 0 || rep.Signals[0].Sentry == nil {
		return fmt.Errorf("analyzing the Sentry issue: unexpected report: %v", err)
	}
	sg := rep.Signals[0]
	where := sg.Sentry.Note
	if sg.Sentry.Ref != "" {
		where = "analyzed at " + sg.Sentry.Ref[:min(12, len(sg.Sentry.Ref))] + ", the commit of release " + sg.Sentry.Release
	}
	rank := 0
	for _, su := range sg.Suspects {
		if su.Hash == built.Culprit {
			rank = su.Rank
			break
		}
	}
	say("     %s issue %s: %s; the commit that planted the bug is suspect #%d (%d Sentry requests).", "Sentry", issue.ShortID, where, rank, len(srv.Requests()))
	return nil
}

// culpritRank finds the culprit's rank in analyze's JSON and the number of
// commits analyzed.
func culpritRank(doc []byte, culprit string) (rank, commits int) {
	var rep struct {
		Commits []json.RawMessage `json:"commits"`
		Signals []struct {
			Suspects []struct {
				Rank int    `json:"rank"`
				Hash string `json:"hash"`
			} `json:"suspects"`
		} `json:"signals"`
	}
	if json.Unmarshal(doc, &rep) != nil {
		return 0, 0
	}
	for _, s := range rep.Signals {
		for _, su := range s.Suspects {
			if su.Hash == culprit {
				return su.Rank, len(rep.Commits)
			}
		}
	}
	return 0, len(rep.Commits)
}

func throwaway() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "demo-" + hex.EncodeToString(b)
}
