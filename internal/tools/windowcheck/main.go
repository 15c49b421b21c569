// Command windowcheck checks that the Bitbucket path and the local path
// choose the same commits for the same window on real history (developers
// only): it serves a repository from the in-process Bitbucket double
// (whose commit dates are committer dates, as Bitbucket's are; with
// -author-dates, author dates), reads random windows through both sources
// exactly as `analyze` does, and reports how many windows agree and how
// the others differ.
//
//	go run ./internal/tools/windowcheck -repo PATH [-windows 40] [-days 30,90] [-span 730] [-seed 1] [-author-dates] [-v]
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/gitrun"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/source"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "windowcheck:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		repo    = flag.String("repo", "", "repository path (work tree or bare)")
		windows = flag.Int("windows", 40, "windows to try")
		daysArg = flag.String("days", "30,90", "lookback lengths to draw from")
		span    = flag.Int("span", 730, "window ends are drawn from this many days before the tip")
		seed    = flag.Uint64("seed", 1, "seed")
		verbose = flag.Bool("v", false, "print each window")
		authorT = flag.Bool("author-dates", false, "serve author times as commit dates (the lenient case) instead of committer times")
	)
	flag.Parse()
	if *repo == "" {
		return fmt.Errorf("-repo is required")
	}
	var lookbacks []int
	for _, d := range strings.Split(*daysArg, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(d))
		if err != nil || n < 1 {
			return fmt.Errorf("-days %q: want days like 30,90", *daysArg)
		}
		lookbacks = append(lookbacks, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()

	git := &gitrun.Runner{Dir: *repo}
	out, err := git.Output(ctx, "log", "-1", "--format=%ct", "HEAD", "--")
	if err != nil {
		return err
	}
	ct, _ := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	tip := time.Unix(ct, 0).UTC()

	srv := bitbuckettest.NewServer(bitbuckettest.Options{DateIsAuthorTime: *authorT})
	defer srv.Close()
	srv.AddUser(bitbuckettest.User{Email: "check@example.com", Workspaces: []string{"acme"}})
	srv.AddAPIToken("check@example.com", "check-token", "read:repository:bitbucket")
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "repo", GitDir: *repo}); err != nil {
		return err
	}
	client, err := bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: bitbucket.BasicAuth("check@example.com", "check-token")})
	if err != nil {
		return err
	}
	cacheDir, err := os.MkdirTemp("", "windowcheck-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cacheDir)
	bb := source.NewBitbucket(client, "acme", "repo", "", source.NewCache(cacheDir, "bitbucket", "acme/repo"))
	local, err := source.NewLocal(*repo)
	if err != nil {
		return err
	}
	ref, err := bb.DefaultRef(ctx)
	if err != nil {
		return err
	}

	r := rand.New(rand.NewPCG(*seed, 11))
	agree, tried, commits := 0, 0, 0
	var worst []string
	for i := 0; i < *windows && ctx.Err() == nil; i++ {
		at := tip.Add(-time.Duration(r.IntN(*span*24)) * time.Hour)
		days := lookbacks[r.IntN(len(lookbacks))]
		w := history.Lookback(at, days)
		a, err := set(ctx, bb, ref, w)
		if err != nil {
			return fmt.Errorf("bitbucket path: %w", err)
		}
		b, err := set(ctx, local, ref, w)
		if err != nil {
			return fmt.Errorf("local path: %w", err)
		}
		tried++
		commits += len(b)
		onlyA, onlyB := diff(a, b), diff(b, a)
		line := fmt.Sprintf("window %s..%s (%dd): bitbucket %d, local %d", w.Since.Format("2006-01-02"), w.Until.Format("2006-01-02"), days, len(a), len(b))
		if len(onlyA) == 0 && len(onlyB) == 0 {
			agree++
		} else {
			line += fmt.Sprintf("; only bitbucket %d %s, only local %d %s", len(onlyA), sample(ctx, git, onlyA), len(onlyB), sample(ctx, git, onlyB))
			worst = append(worst, line)
		}
		if *verbose {
			fmt.Println(line)
		}
	}
	fmt.Printf("%s: %d of %d windows agree (%.1f%%), %d commits in all, took %s\n", *repo, agree, tried,
		100*float64(agree)/float64(max(tried, 1)), commits, time.Since(start).Round(time.Second))
	for _, l := range worst {
		fmt.Println("  " + l)
	}
	return nil
}

// set reads w through src as analyze does (merges included) and returns
// the hashes it yields.
func set(ctx context.Context, src source.Source, ref string, w history.Window) (map[string]bool, error) {
	out := map[string]bool{}
	_, err := src.History(ctx, ref, w, source.Options{Merges: true, CountOnly: true}, func(it source.Item) error {
		out[it.Commit.Hash] = true
		return nil
	})
	return out, err
}

func diff(a, b map[string]bool) []string {
	var out []string
	for h := range a {
		if !b[h] {
			out = append(out, h)
		}
	}
	return out
}

// sample describes the first of hashes with its author and committer dates.
func sample(ctx context.Context, git *gitrun.Runner, hashes []string) string {
	if len(hashes) == 0 {
		return ""
	}
	out, err := git.Output(ctx, "log", "-1", "--format=%h author %aI committer %cI", hashes[0], "--")
	if err != nil {
		return hashes[0][:12]
	}
	return "(e.g. " + strings.TrimSpace(string(out)) + ")"
}
