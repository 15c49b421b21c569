// Command blamecheck measures the windowed blame of pkg/suspect against
// `git blame` on real history (developers only): it samples (file, line)
// pairs at a ref whose `git blame` origin landed inside the window, asks the
// walk that ranking uses (suspect.Index.Blame, over exactly what
// `sigsentry analyze --local` reads) for each line's origin, and reports
// the agreement and every disagreement by cause.
//
//	go run ./internal/tools/blamecheck -repo PATH [-ref HEAD] [-days 90] [-pairs 500] [-per-file 4] [-seed 1] [-v]
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/gitrun"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "blamecheck:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		repo    = flag.String("repo", "", "repository path (work tree or bare)")
		ref     = flag.String("ref", "HEAD", "ref whose lines are blamed")
		days    = flag.Int("days", 90, "window in days, ending at the ref's commit time")
		pairs   = flag.Int("pairs", 500, "pairs to sample")
		perFile = flag.Int("per-file", 4, "most pairs taken from one file")
		seed    = flag.Uint64("seed", 1, "sampling seed")
		verbose = flag.Bool("v", false, "print every disagreement")
		maxLine = flag.Int("max-lines", 8000, "skip files longer than this")
		one     = flag.String("line", "", "only trace the blame of this PATH:LINE")
	)
	flag.Parse()
	if *repo == "" {
		return fmt.Errorf("-repo is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	git := &gitrun.Runner{Dir: *repo}
	out, err := git.Output(ctx, "log", "-1", "--format=%H %ct", *ref, "--")
	if err != nil {
		return err
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return fmt.Errorf("reading %s: unexpected %q", *ref, out)
	}
	tip := f[0]
	ct, _ := strconv.ParseInt(f[1], 10, 64)
	at := time.Unix(ct, 0).UTC()

	local, err := source.NewLocal(*repo)
	if err != nil {
		return err
	}
	h := suspect.RepoHistory{Repo: local.Repo()}
	inWindow := map[string]*history.Commit{}
	touched := map[string]bool{}
	sum, err := local.History(ctx, tip, history.Lookback(at, *days), source.Options{Merges: true}, func(it source.Item) error {
		c := it.Commit
		h.Commits = append(h.Commits, suspect.Candidate{Commit: c, Change: it.Change})
		if !c.IsMerge() {
			for _, fl := range it.Change.Files {
				if !fl.Binary {
					touched[fl.Path] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.Head = sum.Head
	for i := range h.Commits {
		inWindow[h.Commits[i].Commit.Hash] = &h.Commits[i].Commit
	}
	opts := suspect.Options{}
	if *one != "" {
		opts.Trace = func(format string, args ...any) { fmt.Printf("  "+format+"\n", args...) }
	}
	idx := suspect.NewIndex([]suspect.RepoHistory{h}, opts)
	if *one != "" {
		p, l, _ := strings.Cut(*one, ":")
		ln, err := strconv.Atoi(l)
		if err != nil {
			return fmt.Errorf("-line %q: want PATH:LINE", *one)
		}
		origins, err := blameFile(ctx, git, tip, p)
		if err != nil || ln < 1 || ln > len(origins) {
			return fmt.Errorf("blaming %s: %v", *one, err)
		}
		fmt.Printf("git blame: %.12s, walk: %.12s\n", origins[ln-1], idx.Blame(h.Repo, p, ln, time.Time{}))
		return nil
	}
	tree, err := local.Tree(ctx, tip)
	if err != nil {
		return err
	}
	var files []string
	for _, p := range tree {
		if touched[p] {
			files = append(files, p)
		}
	}
	sort.Strings(files)
	r := rand.New(rand.NewPCG(*seed, 7))
	r.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })

	merges := 0
	for _, c := range h.Commits {
		if c.Commit.IsMerge() {
			merges++
		}
	}
	fmt.Printf("%s at %.12s (%s), %d-day window: %d commits (%d merges), %d files touched\n",
		*repo, tip, at.Format("2006-01-02"), *days, len(h.Commits), merges, len(files))

	var (
		n, agree int
		causes   = map[string]int{}
		examples = map[string][]string{}
	)
	for _, p := range files {
		if n >= *pairs || ctx.Err() != nil {
			break
		}
		origins, err := blameFile(ctx, git, tip, p)
		if err != nil || len(origins) > *maxLine {
			continue
		}
		var lines []int
		for i, o := range origins {
			if inWindow[o] != nil {
				lines = append(lines, i+1)
			}
		}
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		for _, ln := range lines[:min(len(lines), *perFile)] {
			if n >= *pairs {
				break
			}
			n++
			want := origins[ln-1]
			got := idx.Blame(h.Repo, p, ln, time.Time{})
			if got == want {
				agree++
				continue
			}
			cause := classify(got, want, inWindow)
			causes[cause]++
			ex := fmt.Sprintf("%s:%d git=%.12s ours=%.12s", p, ln, want, got)
			examples[cause] = append(examples[cause], ex)
			if *verbose {
				fmt.Printf("  %s: %s\n", cause, ex)
			}
		}
	}
	fmt.Printf("pairs %d, agree %d (%.2f%%), took %s\n", n, agree, 100*float64(agree)/float64(max(n, 1)), time.Since(start).Round(time.Second))
	var keys []string
	for k := range causes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  disagree: %-60s %d (e.g. %s)\n", k, causes[k], examples[k][0])
	}
	return nil
}

// classify names why the walk's answer got differs from git's want.
func classify(got, want string, in map[string]*history.Commit) string {
	switch {
	case got == "":
		return "walk found no origin in the window"
	case in[got] != nil && in[got].IsMerge():
		return "walk named a merge (no side commit added that text)"
	case in[want] != nil && in[want].IsMerge():
		return "git named a merge (evil merge), walk a commit"
	}
	return "walk named another commit"
}

// blameFile returns the origin commit of every line of path at rev.
func blameFile(ctx context.Context, git *gitrun.Runner, rev, path string) ([]string, error) {
	out, err := git.Output(ctx, "-c", "blame.ignoreRevsFile=", "blame", "--porcelain", rev, "--", path)
	if err != nil {
		return nil, err
	}
	var origins []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if len(line) >= 40 && line[0] != '\t' {
			f := strings.Fields(line)
			if len(f) >= 3 && len(f[0]) == 40 {
				final, err := strconv.Atoi(f[2])
				if err != nil {
					continue
				}
				for len(origins) < final {
					origins = append(origins, "")
				}
				origins[final-1] = f[0]
			}
		}
	}
	return origins, sc.Err()
}
