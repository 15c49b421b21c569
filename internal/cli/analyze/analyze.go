// Package analyze implements `sigsentry analyze`: it lists the commits inside
// the lookback window of each repository, counts the files and lines every
// commit changed from its full diff, and ranks the commits most likely to
// have caused the given error signals.
package analyze

import (
	"errors"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/config"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/internal/repoarg"
	"github.com/sigsentry/sigsentry/pkg/retrace"
	"github.com/spf13/cobra"
)

// Options are the dependencies and flags of one analyze run.
type Options struct {
	Factory *cmdutil.Factory
	Format  render.Format

	// Repos are workspace/slug names from --repo (empty: all registered).
	Repos []string
	// Local is the --local checkout path (analyzes only that checkout).
	Local string
	// Ref is --ref (empty: the main branch, or HEAD for --local).
	Ref string
	// At is the end of the window (--at, default now).
	At time.Time
	// LookbackDays overrides configured values when > 0.
	LookbackDays int
	// Signals are the --signal files ("-" is standard input).
	Signals []string
	// SentryIssues are the --sentry-issue values (URLs, short or numeric
	// ids); SentryEvent is --sentry-event ("" = the event the URL names,
	// else recommended).
	SentryIssues []string
	SentryEvent  string
	// Top is the number of suspects per signal.
	Top int
	// IncludeMerges keeps merge commits.
	IncludeMerges bool
	// NoCache neither reads nor writes the change cache.
	NoCache bool
	// ProguardMappings are the --proguard-mapping files; mappings are
	// the mappings read from them (see retrace.go).
	ProguardMappings []string
	mappings         retrace.Set
	// SourceMaps are the --sourcemap files and folders.
	SourceMaps []string
	// Symbols are the --symbols files and folders (native debug files).
	Symbols []string
}

// NewCmd returns the `analyze` command. runF, when not nil, replaces the run
// (tests check flag parsing with it).
func NewCmd(f *cmdutil.Factory, runF ...func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	var at string
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Find the commits that most likely caused an error",
		Long: `Analyze lists the commits inside the lookback window of every registered
repository (or of the repositories given with --repo), fetches each commit's
full diff and counts the files and lines it changed exactly as
"git diff --numstat" counts them against the first parent.

Given error signals, it ranks the commits most likely to have caused each one
and shows the evidence, or says that there is no confident suspect. A signal
(--signal) is a Sentry event as JSON, a stack trace (Go, Python, Java/Kotlin,
JavaScript, Ruby, Rust, .NET, Perl, Lua, Dart and Flutter), an Elixir or Erlang
error, PHP's uncaught errors (with Xdebug's stacks, and as Laravel and Symfony
log them), a native crash report (sanitizers, Valgrind, gdb, lldb, kernel
oopses, assertions, core dumps, Apple .crash and .ips reports, Android
tombstones, minidump_stackwalk stacks as text or JSON, WinDbg stacks), a Java
thread dump (an Android ANR trace, jstack) or a pytest failure.
--sentry-issue reads the event from Sentry instead. A Sentry event that names
a release whose commit is known (a hash in the version) is analyzed at that
commit, so the frames' lines are those of the build that crashed.

Production builds hide the source's lines: give the build's symbols. With
--sourcemap PATH (a .map file or a build folder), frames in minified
JavaScript read as the source files' lines; with --proguard-mapping FILE (the
build's mapping.txt), Java and Android frames obfuscated by R8 or ProGuard
are retraced first: a trace's text, and a Sentry event's frames; with
--symbols PATH (the unstripped binary, its .debug file or .dSYM, or a folder
of them), a native report's addresses within an ELF or Mach-O module (a
sanitizer's "(server+0x1234)", backtrace_symbols', a tombstone's,
minidump_stackwalk's, a native Sentry event's, an Apple crash report's)
read as the functions, files and lines of its DWARF, inlined calls included.

With --local PATH, it reads a local git checkout instead of Bitbucket and needs
no credential; only that checkout is analyzed.

Diffs are cached by commit hash in the cache folder (SIGSENTRY_CACHE_DIR), so a
rerun makes no diff requests; --no-cache neither reads nor writes that cache.`,
		Example: `  # Summary of every registered repository over the configured window
  sigsentry analyze

  # Suspects for a production panic, as JSON
  sigsentry analyze --repo acme/checkout-api --signal panic.txt -o json

  # A Sentry event from standard input, window ending at the event
  sentry-cli events get ... | sigsentry analyze --signal - --at 2026-11-27T10:00:00Z

  # A local checkout, no credential needed, as Markdown for an incident doc
  sigsentry analyze --local . --lookback-days 90 --signal trace.txt -o markdown

  # An Android crash obfuscated by R8, retraced with the release's mapping
  sigsentry analyze --local . --signal crash.txt --proguard-mapping app/build/outputs/mapping/release/mapping.txt

  # A minified JavaScript error, read through the build's source maps
  sigsentry analyze --local . --signal browser-error.txt --sourcemap build/static/js

  # An unsymbolized AddressSanitizer report, read with the build's debug files
  sigsentry analyze --local . --signal asan.txt --symbols build/debug`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			opts.Format = format
			if err := opts.validate(cmd, at, f); err != nil {
				return err
			}
			if len(runF) > 0 && runF[0] != nil {
				return runF[0](opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Repos, "repo", nil, "Repository `workspace/slug` to analyze (repeatable; default: all registered)")
	fl.Var(&onceString{p: &opts.Local}, "local", "Analyze the local git checkout at `PATH` instead of Bitbucket (no credential needed)")
	fl.StringVar(&opts.Ref, "ref", "", "Branch or commit to analyze (default: the main branch, or HEAD with --local)")
	fl.StringVar(&at, "at", "", "End of the window as RFC 3339 `TIME` (default: now)")
	fl.IntVar(&opts.LookbackDays, "lookback-days", 0, "Days before --at to look at, 1-365 (overrides the configured value)")
	fl.StringArrayVar(&opts.Signals, "signal", nil, "Error signal `FILE`: a Sentry event, a stack trace or a crash report (repeatable; - for standard input)")
	fl.StringArrayVar(&opts.SentryIssues, "sentry-issue", nil, "Sentry issue `URL|ID` to pull the signal from (repeatable; a short id like PROJ-1A2, or a numeric id with SENTRY_ORG)")
	fl.StringVar(&opts.SentryEvent, "sentry-event", "", "Which event of each Sentry issue: recommended, latest, oldest or an event `ID` (default: the event the URL names, else recommended)")
	fl.IntVar(&opts.Top, "top", 5, "Suspects to show per signal")
	fl.BoolVar(&opts.IncludeMerges, "include-merges", false, "Include merge commits (diffed against their first parent)")
	fl.BoolVar(&opts.NoCache, "no-cache", false, "Neither read nor write the diff cache")
	fl.StringArrayVar(&opts.ProguardMappings, "proguard-mapping", nil, "ProGuard or R8 mapping `FILE` (mapping.txt) to retrace obfuscated Java and Android frames with (repeatable: one per app or module)")
	fl.StringArrayVar(&opts.Symbols, "symbols", nil, "Unstripped binary or debug `PATH` of a native program, or a folder searched for them, to read addresses in its reports as files and lines (repeatable)")
	fl.StringArrayVar(&opts.SourceMaps, "sourcemap", nil, "Source map `PATH` of a JavaScript bundle: a .map file, or a folder searched for them (repeatable)")
	_ = cmd.MarkFlagDirname("local")
	_ = cmd.RegisterFlagCompletionFunc("repo", cmdutil.CompleteRepos(f))
	return cmd
}

// onceString is a string flag that may be given once: --local names one
// checkout, and a second one would otherwise silently replace the first.
type onceString struct {
	p   *string
	set bool
}

func (o *onceString) String() string {
	if o.p == nil {
		return ""
	}
	return *o.p
}

func (o *onceString) Set(v string) error {
	if o.set {
		return errors.New("give it once: one local checkout is analyzed per run")
	}
	o.set = true
	*o.p = v
	return nil
}

func (o *onceString) Type() string { return "string" }

// validate checks the flags and fills defaults.
func (o *Options) validate(cmd *cobra.Command, at string, f *cmdutil.Factory) error {
	if o.Local != "" && len(o.Repos) > 0 {
		return cmdutil.UsageErrorf("--local and --repo cannot be combined: --local analyzes only that checkout")
	}
	for _, r := range o.Repos {
		if _, _, err := splitRepo(r); err != nil {
			return cmdutil.UsageErrorf("invalid --repo %q: %v", r, err)
		}
	}
	if cmd.Flags().Changed("lookback-days") && (o.LookbackDays < 1 || o.LookbackDays > config.MaxLookbackDays) {
		return cmdutil.UsageErrorf("invalid --lookback-days %d: use a number of days from 1 to %d", o.LookbackDays, config.MaxLookbackDays)
	}
	if o.Top < 1 {
		return cmdutil.UsageErrorf("invalid --top %d: use 1 or more", o.Top)
	}
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return cmdutil.UsageErrorf("invalid --at %q: use RFC 3339, e.g. 2026-11-27T10:00:00Z", at)
		}
		o.At = t
	} else if f.Now != nil {
		o.At = f.Now().Truncate(time.Second) // as --at and commit times are
	} else {
		o.At = time.Now().Truncate(time.Second)
	}
	stdin := 0
	for _, s := range o.Signals {
		if s == "-" {
			stdin++
		}
		if strings.TrimSpace(s) == "" {
			return cmdutil.UsageErrorf("empty --signal: give a file name, or - for standard input")
		}
	}
	if stdin > 1 {
		return cmdutil.UsageErrorf("--signal - (standard input) can be given only once")
	}
	return nil
}

// splitRepo splits a --repo value into workspace and slug. It accepts the
// same forms as `repos add` (workspace/slug, bitbucket.org URLs, clone URLs).
func splitRepo(s string) (workspace, slug string, err error) {
	n, err := repoarg.Parse(s, "")
	if err != nil {
		return "", "", err
	}
	return n.Workspace, n.Slug, nil
}
