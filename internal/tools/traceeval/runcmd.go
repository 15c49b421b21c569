package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/harness"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clones := fs.String("clones", "", "folder holding the clones (owner+name/repo, owner/name or name)")
	bin := fs.String("bin", "", "path of the sigsentry binary to measure")
	manifest := fs.String("manifest", defaultManifest(), "case list")
	half := fs.String("half", "all", "which cases: tune, held or all")
	windows := fs.String("windows", "30,90", "lookback windows in days, comma-separated")
	out := fs.String("out", "traceeval-out", "folder for report.md and results.json")
	sel := fs.String("case", "", "only this case (owner/name@SHA-prefix or SHA-prefix)")
	noText := fs.Bool("no-text", false, "skip the runs with the raw text trace")
	shared := fs.Bool("shared-cache", false, "one diff cache for every run (default: each run starts cold, as a first run by a user)")
	timeout := fs.Duration("timeout", 10*time.Minute, "limit per analyze run")
	variant := fs.String("variant", "", "rewrite each event as another converter might: "+strings.Join(harness.VariantNames(), ", "))
	keep := fs.Bool("keep", false, "keep the signal files (event.json, trace.txt) under -out/signals")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clones == "" || *bin == "" {
		return fmt.Errorf("run: -clones and -bin are required")
	}
	if *half != "tune" && *half != "held" && *half != "all" {
		return fmt.Errorf("run: -half %q: want tune, held or all", *half)
	}
	var wins []int
	for _, p := range strings.Split(*windows, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 365 {
			return fmt.Errorf("run: -windows %q: want days between 1 and 365, like 30,90", *windows)
		}
		wins = append(wins, n)
	}
	absBin, err := filepath.Abs(*bin)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if st, err := os.Stat(absBin); err != nil || st.IsDir() {
		return fmt.Errorf("run: the binary %s is not a file", absBin)
	}
	if _, ok := harness.Variants[*variant]; *variant != "" && !ok {
		return fmt.Errorf("run: -variant %q: want one of %s", *variant, strings.Join(harness.VariantNames(), ", "))
	}
	cases, err := readManifest(*manifest)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	// With -keep the signal files stay under -out/signals; without it
	// everything a run writes goes to a temporary folder removed at the end.
	scratch := *out
	if !*keep {
		scratch, err = os.MkdirTemp("", "traceeval-")
		if err != nil {
			return fmt.Errorf("run: %w", err)
		}
		defer os.RemoveAll(scratch)
	}
	res, err := harness.Evaluate(ctx, harness.Options{
		Clones: *clones, Bin: absBin, Cases: cases, Half: *half, Windows: wins,
		Select: func(c harness.Case) bool { return matchCase(c, *sel) },
		NoText: *noText, SharedCache: *shared, Timeout: *timeout, Scratch: scratch, Log: stderr, Variant: *variant,
	})
	if err != nil {
		return err
	}
	md, err := os.Create(filepath.Join(*out, "report.md"))
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	res.WriteMarkdown(md)
	if err := md.Close(); err != nil {
		return fmt.Errorf("run: writing report.md: %w", err)
	}
	type withSummary struct {
		*harness.Results
		Summaries []harness.SetSummary `json:"summaries"`
		Cost      harness.Cost         `json:"cost"`
	}
	jb, err := json.MarshalIndent(withSummary{res, res.Summaries(), res.CostOf()}, "", "  ")
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if err := os.WriteFile(filepath.Join(*out, "results.json"), append(jb, '\n'), 0o644); err != nil {
		return fmt.Errorf("run: writing results.json: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s and %s (%d cases)\n", filepath.Join(*out, "report.md"), filepath.Join(*out, "results.json"), len(res.Cases))
	return nil
}

// rerender writes the Markdown report again from a results.json, for one
// half or all cases, without running anything.
func rerender(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "results.json written by traceeval run")
	half := fs.String("half", "all", "which cases: tune, held or all")
	out := fs.String("o", "", "write the report here (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("report: -in is required")
	}
	if *half != "tune" && *half != "held" && *half != "all" {
		return fmt.Errorf("report: -half %q: want tune, held or all", *half)
	}
	b, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var res harness.Results
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("report: reading %s: %w", *in, err)
	}
	// The halves as the current code splits these cases.
	var cs []harness.Case
	for _, c := range res.Cases {
		cs = append(cs, harness.Case{Repo: c.Repo, Fix: c.Fix})
	}
	halves := harness.Split(cs)
	for _, c := range res.Cases {
		c.Half = halves[c.Repo+"@"+c.Fix]
	}
	if *half != "all" {
		kept := res.Cases[:0]
		for _, c := range res.Cases {
			if c.Half == *half {
				kept = append(kept, c)
			}
		}
		res.Cases, res.Half = kept, *half
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		defer f.Close()
		w = f
	}
	res.WriteMarkdown(w)
	return nil
}
