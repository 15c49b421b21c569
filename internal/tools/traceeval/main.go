// Command traceeval builds the real-trace case set and measures sigsentry's
// suspect ranking on it through the analyze command, as a user runs it
// (developers only; see README.md beside this file).
//
//	traceeval discover -clones DIR [-repo owner/name ...] [-max-days 90] [-o proposed.tsv] [-v]
//	traceeval show -clones DIR [-manifest cases.tsv] -case owner/name@SHA
//	traceeval run -clones DIR -bin SIGSENTRY [-manifest cases.tsv] [-half tune|held|all]
//	    [-windows 30,90] [-out DIR] [-case owner/name@SHA] [-shared-cache]
//	traceeval report -in results.json [-half tune|held|all] [-o report.md]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/harness"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "traceeval:", err)
		os.Exit(1)
	}
}

const usage = `usage: traceeval discover|show|run|report [flags] (traceeval CMD -h for flags)`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "discover":
		return discover(ctx, args[1:], stdout, stderr)
	case "show":
		return show(ctx, args[1:], stdout)
	case "run":
		return runEval(ctx, args[1:], stdout, stderr)
	case "report":
		return rerender(args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}

// defaultManifest is the committed case list, found from the module root
// or from this folder.
func defaultManifest() string {
	for _, p := range []string{"internal/tools/traceeval/cases.tsv", "cases.tsv"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "internal/tools/traceeval/cases.tsv"
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func discover(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var repos multi
	clones := fs.String("clones", "", "folder holding the clones (owner+name/repo, owner/name or name)")
	maxDays := fs.Int("max-days", 90, "inducers must have landed within this many days before the signal time")
	out := fs.String("o", "", "write proposed cases to this manifest file (default: standard output)")
	all := fs.Bool("all", false, "list rejected candidates too, with their reasons (as comments)")
	verbose := fs.Bool("v", false, "one line per candidate on standard error")
	fs.Var(&repos, "repo", "owner/name to scan (repeatable; default: every clone under -clones)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clones == "" {
		return fmt.Errorf("discover: -clones is required")
	}
	if len(repos) == 0 {
		found, err := listClones(*clones)
		if err != nil {
			return err
		}
		repos = found
	}
	var proposed []harness.Case
	var allCands []harness.Candidate
	var comments []string
	for _, r := range repos {
		dir, err := harness.FindClone(*clones, r)
		if err != nil {
			return err
		}
		opt := harness.DiscoverOptions{Repo: r, MaxAge: time.Duration(*maxDays) * 24 * time.Hour}
		if *verbose {
			opt.Verbose = func(f string, a ...any) { fmt.Fprintf(stderr, f+"\n", a...) }
		}
		cands, err := harness.Discover(ctx, harness.Git{Dir: dir}, opt)
		if err != nil {
			return err
		}
		n := 0
		for _, c := range cands {
			if c.Reject == "" {
				note := fmt.Sprintf("age %.0fd; frame %s:%d", c.Age.Hours()/24, c.File, c.Line)
				if c.Note != "" {
					note += "; " + c.Note
				}
				c.Note = note
				proposed = append(proposed, c.Case)
				n++
			} else if *all && c.Reject != harness.RejectNoTrace {
				comments = append(comments, fmt.Sprintf("# rejected %s %s (%s): %s", c.Repo, c.Fix, c.Format, c.Reject))
			}
		}
		allCands = append(allCands, cands...)
		fmt.Fprintf(stderr, "%s: %d fix commits with a Fixes: trailer, %d proposed\n", r, len(cands), n)
	}
	fmt.Fprintln(stderr, "rejected, by reason:")
	for _, s := range harness.SummarizeRejects(allCands) {
		fmt.Fprintln(stderr, "  "+s)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("discover: %w", err)
		}
		defer f.Close()
		w = f
	}
	if err := harness.WriteManifest(w, proposed); err != nil {
		return err
	}
	for _, c := range comments {
		fmt.Fprintln(w, c)
	}
	return nil
}

// listClones finds owner+name/repo folders under root (the fetched layout)
// and owner/name folders holding a git repository.
func listClones(root string) ([]string, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("listing clones in %s: %w", root, err)
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if o, n, ok := strings.Cut(e.Name(), "+"); ok {
			out = append(out, o+"/"+n)
			continue
		}
		sub, _ := os.ReadDir(filepath.Join(root, e.Name()))
		for _, s := range sub {
			if s.IsDir() {
				if _, err := harness.FindClone(root, e.Name()+"/"+s.Name()); err == nil {
					out = append(out, e.Name()+"/"+s.Name())
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func readManifest(path string) ([]harness.Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening the manifest: %w", err)
	}
	defer f.Close()
	return harness.ReadManifest(f)
}

// matchCase tells whether a case is the one -case names (owner/name@prefix
// a fix hash prefix, or owner/name for a whole repository).
func matchCase(c harness.Case, sel string) bool {
	if sel == "" {
		return true
	}
	repo, sha, ok := strings.Cut(sel, "@")
	if !ok {
		if strings.Contains(sel, "/") {
			return c.Repo == sel
		}
		return strings.HasPrefix(c.Fix, sel)
	}
	return c.Repo == repo && strings.HasPrefix(c.Fix, sha)
}

func show(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	clones := fs.String("clones", "", "folder holding the clones")
	manifest := fs.String("manifest", defaultManifest(), "case list")
	sel := fs.String("case", "", "owner/name@SHA-prefix or SHA-prefix (default: every case)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cases, err := readManifest(*manifest)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if !matchCase(c, *sel) {
			continue
		}
		l, err := harness.Load(ctx, *clones, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "=== %s (%s, signal %s)\n--- trace as pasted\n%s--- event\n", c.ID(), l.Report.Format, l.Signal.Format(time.RFC3339), l.Text)
		b, _ := json.MarshalIndent(l.Event, "", "  ")
		fmt.Fprintf(stdout, "%s\n--- innermost in-app frame: %s:%d (%s)\n", b, l.Innermost.Path, l.Innermost.Frame.Line, l.Innermost.Frame.Function)
	}
	return nil
}
