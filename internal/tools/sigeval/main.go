// Command sigeval measures sigsentry's suspect ranking on a local git
// history against two plain-git baselines (developers only).
//
//	go run ./internal/tools/sigeval -repo PATH [-window 30d,90d] [-since 2023-01-01] [-max-cases N]
//	    [-kind fixes|revert] [-half tune|held] [-case SHA] [-v]
//
// PATH may be a work tree or a bare repository; it is only read. Each case
// is analyzed by the function `sigsentry analyze --local` calls.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/eval"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sigeval:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		repos    multi
		windows  = flag.String("window", "30d,90d", "lookback windows ending at the fix's parent, comma-separated (e.g. 30d,90d)")
		since    = flag.String("since", "", "only fixes committed on or after this date (YYYY-MM-DD)")
		maxCases = flag.Int("max-cases", 0, "only the newest N cases (0: all)")
		ref      = flag.String("ref", "HEAD", "history to read")
		verbose  = flag.Bool("v", false, "print one line per case and window")
		kind     = flag.String("kind", "", "only \"fixes\" (Fixes: trailers) or \"revert\" cases (default: both)")
		oneCase  = flag.String("case", "", "only the fix whose hash starts with this; print its signal and ranking")
		half     = flag.String("half", "", "only the \"tune\" or the \"held\" half of the cases (default: all)")
		wfile    = flag.String("weights", "", "rank with these weights (JSON, as tune writes them)")
	)
	flag.Var(&repos, "repo", "repository path (repeatable)")
	flag.Parse()
	if len(repos) == 0 {
		return fmt.Errorf("-repo is required")
	}
	if *kind != "" && *kind != "fixes" && *kind != "revert" {
		return fmt.Errorf("-kind %q: want fixes or revert", *kind)
	}
	if *half != "" && *half != "tune" && *half != "held" {
		return fmt.Errorf("-half %q: want tune or held", *half)
	}
	wins, err := parseWindows(*windows)
	if err != nil {
		return err
	}
	var sinceT time.Time
	if *since != "" {
		sinceT, err = time.Parse("2006-01-02", *since)
		if err != nil {
			return fmt.Errorf("parsing -since %q: %w", *since, err)
		}
	}
	var weights *suspect.Weights
	if *wfile != "" {
		data, err := os.ReadFile(*wfile)
		if err != nil {
			return err
		}
		w := suspect.DefaultWeights
		if err := json.Unmarshal(data, &w); err != nil {
			return fmt.Errorf("reading %s: %w", *wfile, err)
		}
		weights = &w
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	for _, r := range repos {
		rep, err := eval.Run(ctx, eval.Config{
			Dir: r, Ref: *ref, Windows: wins, Since: sinceT, MaxCases: *maxCases,
			Log: os.Stderr, Verbose: *verbose, Case: *oneCase, Kind: *kind, Half: *half, Weights: weights,
		})
		if err != nil {
			return fmt.Errorf("evaluating %s: %w", r, err)
		}
		rep.Markdown(os.Stdout, repoName(r))
	}
	return nil
}

// repoName turns /work/.mirror/owner+name/repo into owner/name.
func repoName(p string) string {
	p = filepath.Clean(p)
	if filepath.Base(p) == "repo" || filepath.Base(p) == ".git" {
		p = filepath.Dir(p)
	}
	return strings.Replace(filepath.Base(p), "+", "/", 1)
}

// parseWindows parses "30d,90d" (or "30,90") into days.
func parseWindows(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		days, err := strconv.Atoi(strings.TrimSuffix(part, "d"))
		if err != nil || days <= 0 || days > 365 {
			return nil, fmt.Errorf("parsing -window %q: want days from 1 to 365, like 30d", part)
		}
		out = append(out, days)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-window names no window")
	}
	return out, nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }
