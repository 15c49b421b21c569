// Command numstatcheck checks diffstat.Parse against git on a real
// repository: for every commit of a time window on a ref (merges included,
// diffed against their first parent; root commits against the empty
// tree), it parses `git diff -M` and compares each file with `git diff -M
// --numstat` and `--name-status`.
//
//	go run ./internal/tools/numstatcheck -repo PATH [-since 365d] [-until DATE] [-ref HEAD]
//
// It prints "checked N commits, N equal, N differ" and the first
// differences in detail, and exits 1 on any difference. Commits git itself
// cannot diff (objects missing from a partial mirror) are counted apart as
// skipped, with the first git error.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
	"github.com/sigsentry/sigsentry/pkg/gitrun"
)

const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

type options struct {
	repo    string
	ref     string
	since   time.Duration
	until   string
	show    int
	binary  bool
	workers int
}

func main() {
	var o options
	var since string
	flag.StringVar(&o.repo, "repo", "", "path of the git repository (bare or not)")
	flag.StringVar(&o.ref, "ref", "HEAD", "ref whose history is checked")
	flag.StringVar(&since, "since", "365d", "length of the window before -until (Go duration, or a number of days like 365d)")
	flag.StringVar(&o.until, "until", "", "end of the window (RFC 3339 or YYYY-MM-DD); default: the newest commit's date on -ref")
	flag.IntVar(&o.show, "show", 10, "number of differing commits to print in detail")
	flag.BoolVar(&o.binary, "binary", false, "also check diffs made with --binary")
	flag.IntVar(&o.workers, "j", runtime.NumCPU(), "parallel git processes")
	flag.Parse()
	if o.repo == "" {
		fmt.Fprintln(os.Stderr, "numstatcheck: -repo is required")
		os.Exit(2)
	}
	d, err := parseSince(since)
	if err != nil {
		fmt.Fprintf(os.Stderr, "numstatcheck: %v\n", err)
		os.Exit(2)
	}
	o.since = d
	differ, err := run(context.Background(), o, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "numstatcheck: %v\n", err)
		os.Exit(2)
	}
	if differ > 0 {
		os.Exit(1)
	}
}

// parseSince reads "365d" or any Go duration.
func parseSince(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, fmt.Errorf("reading -since %q: want a number of days like 365d", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("reading -since %q: %w", s, err)
	}
	return d, nil
}

// git runs git in repo with the settings that change diff output pinned,
// as sigsentry itself runs it.
func git(ctx context.Context, repo string, args ...string) ([]byte, error) {
	return (&gitrun.Runner{Dir: repo}).Output(ctx, append([]string{"-c", "color.ui=never"}, args...)...)
}

type commit struct {
	hash, parent string
	merge        bool
}

type result struct {
	c     commit
	diffs []string
	err   error
}

func run(ctx context.Context, o options, out io.Writer) (differ int, err error) {
	until, err := windowEnd(ctx, o)
	if err != nil {
		return 0, err
	}
	sinceT := until.Add(-o.since)
	window := []string{"--since=" + strconv.FormatInt(sinceT.Unix(), 10), "--until=" + strconv.FormatInt(until.Unix(), 10)}
	all, err := git(ctx, o.repo, append(append([]string{"rev-list", "--parents"}, window...), o.ref)...)
	if err != nil {
		return 0, err
	}
	fp, err := git(ctx, o.repo, append(append([]string{"rev-list", "--first-parent"}, window...), o.ref)...)
	if err != nil {
		return 0, err
	}
	var commits []commit
	merges := 0
	for _, l := range strings.Split(strings.TrimSpace(string(all)), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		c := commit{hash: f[0], parent: emptyTree, merge: len(f) > 2}
		if len(f) > 1 {
			c.parent = f[1]
		}
		if c.merge {
			merges++
		}
		commits = append(commits, c)
	}
	fmt.Fprintf(out, "window %s .. %s on %s: %d commits (%d on the first-parent line, %d merges)\n",
		sinceT.UTC().Format(time.DateOnly), until.UTC().Format(time.DateOnly), o.ref,
		len(commits), len(strings.Fields(string(fp))), merges)

	jobs := make(chan commit)
	results := make(chan result)
	var wg sync.WaitGroup
	for range max(1, o.workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				d, err := check(ctx, o, c)
				results <- result{c: c, diffs: d, err: err}
			}
		}()
	}
	go func() {
		for _, c := range commits {
			jobs <- c
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()

	equal, shown, skipped := 0, 0, 0
	var firstErr error
	for r := range results {
		if r.err != nil {
			// git itself failed (e.g. objects missing from a partial
			// mirror): nothing to compare, so not a difference.
			skipped++
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		if len(r.diffs) == 0 {
			equal++
			continue
		}
		differ++
		if shown < o.show {
			shown++
			fmt.Fprintf(out, "commit %s (against %s):\n", r.c.hash, r.c.parent)
			for i, d := range r.diffs {
				if i == 20 {
					fmt.Fprintf(out, "  ... %d more\n", len(r.diffs)-i)
					break
				}
				fmt.Fprintf(out, "  %s\n", d)
			}
		}
	}
	checked := len(commits) - skipped
	if checked == 0 && firstErr != nil {
		return 0, firstErr
	}
	fmt.Fprintf(out, "checked %d commits, %d equal, %d differ\n", checked, equal, differ)
	if skipped > 0 {
		fmt.Fprintf(out, "skipped %d commits git could not diff; first: %v\n", skipped, firstErr)
	}
	return differ, nil
}

// windowEnd is -until, or the newest commit's committer date on the ref.
func windowEnd(ctx context.Context, o options) (time.Time, error) {
	if o.until != "" {
		for _, layout := range []string{time.RFC3339, time.DateOnly} {
			if t, err := time.Parse(layout, o.until); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("reading -until %q: want RFC 3339 or YYYY-MM-DD", o.until)
	}
	b, err := git(ctx, o.repo, "log", "-1", "--format=%ct", o.ref)
	if err != nil {
		return time.Time{}, err
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the newest commit date %q: %w", b, err)
	}
	return time.Unix(sec, 0), nil
}

// check compares one commit; it returns the differences found.
func check(ctx context.Context, o options, c commit) ([]string, error) {
	stat := []string{"diff", "-M", "-z", "--no-textconv", "--no-ext-diff"}
	ns, err := git(ctx, o.repo, append(append(stat, "--numstat"), c.parent, c.hash)...)
	if err != nil {
		return nil, err
	}
	st, err := git(ctx, o.repo, append(append(stat, "--name-status"), c.parent, c.hash)...)
	if err != nil {
		return nil, err
	}
	want, err := gitnumstat.Parse(ns, st)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", c.hash, err)
	}
	variants := [][]string{{}}
	if o.binary {
		variants = append(variants, []string{"--binary"})
	}
	var diffs []string
	for _, v := range variants {
		args := append([]string{"diff", "-M", "--no-color", "--no-textconv", "--no-ext-diff"}, v...)
		raw, err := git(ctx, o.repo, append(args, c.parent, c.hash)...)
		if err != nil {
			return nil, err
		}
		label := "diff -M " + strings.Join(v, " ")
		got, perr := diffstat.Parse(raw)
		if perr != nil {
			var se *diffstat.SyntaxError
			if errors.As(perr, &se) {
				diffs = append(diffs, fmt.Sprintf("%s: parse error: %v (line: %q)", label, perr, lineOf(raw, se.Line)))
			} else {
				diffs = append(diffs, fmt.Sprintf("%s: parse error: %v", label, perr))
			}
		}
		for _, d := range gitnumstat.Diff(got, want) {
			diffs = append(diffs, label+": "+d)
		}
	}
	return diffs, nil
}

// lineOf returns the 1-based line n of b, shortened.
func lineOf(b []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			return ""
		}
		b = b[j+1:]
	}
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		b = b[:j]
	}
	if len(b) > 120 {
		b = b[:120]
	}
	return string(b)
}
