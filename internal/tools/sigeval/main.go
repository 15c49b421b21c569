// Command sigeval measures sigsentry's suspect ranking on a local git
// history against two plain-git baselines (developers only).
//
//	go run ./internal/tools/sigeval -repo PATH [-window 30d,90d] [-since 2023-01-01] [-max-cases N]
//	    [-kind fixes|revert] [-cache DIR] [-case SHA] [-v]
//
// PATH may be a work tree or a bare repository; it is only read.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/eval"
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
		cacheDir = flag.String("cache", "", "directory keeping loaded diffs between runs (one file per repository)")
	)
	flag.Var(&repos, "repo", "repository path (repeatable)")
	flag.Parse()
	if len(repos) == 0 {
		return fmt.Errorf("-repo is required")
	}
	if *kind != "" && *kind != "fixes" && *kind != "revert" {
		return fmt.Errorf("-kind %q: want fixes or revert", *kind)
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	for _, r := range repos {
		rep, err := eval.Run(ctx, eval.Config{
			Dir: r, Ref: *ref, Windows: wins, Since: sinceT, MaxCases: *maxCases,
			Log: os.Stderr, Verbose: *verbose,
			CacheFile: cacheFile(*cacheDir, r), Case: *oneCase, Kind: *kind,
		})
		if err != nil {
			return fmt.Errorf("evaluating %s: %w", r, err)
		}
		rep.Markdown(os.Stdout, repoName(r))
	}
	return nil
}

// cacheFile names the cache of one repository inside dir ("" without dir).
func cacheFile(dir, repo string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, strings.ReplaceAll(repoName(repo), "/", "+")+".gob")
}

// repoName turns /work/.mirror/owner+name/repo into owner/name.
func repoName(p string) string {
	p = filepath.Clean(p)
	if filepath.Base(p) == "repo" || filepath.Base(p) == ".git" {
		p = filepath.Dir(p)
	}
	return strings.Replace(filepath.Base(p), "+", "/", 1)
}

// parseWindows parses "30d,90d" (days, or any time.ParseDuration value).
func parseWindows(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if n, ok := strings.CutSuffix(part, "d"); ok {
			days, err := strconv.Atoi(n)
			if err != nil || days <= 0 {
				return nil, fmt.Errorf("parsing -window %q: want days like 30d", part)
			}
			out = append(out, time.Duration(days)*24*time.Hour)
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("parsing -window %q: want days like 30d", part)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-window names no window")
	}
	return out, nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }
