// Command ctxeval measures what a frame's quoted source (a Sentry event's
// context_line, pre_context and post_context) adds when the crash comes
// from an older build than the one analyzed (developers only). On a real
// repository it samples crashes of deployed builds: a build B on the
// first-parent line of the ref, a file that changed between B and the
// ref, and a line of that file at B whose `git blame` origin landed in
// the window and that reads otherwise at the ref's line of that number.
// For each it writes a Sentry event of one frame (the file, B's line
// number, the function above it) at the ref's time, once with B's source
// around the line and once without, runs the sigsentry binary exactly as
// a user would,
//
//	sigsentry analyze --local REPO --ref REF --at TIME --lookback-days W --signal EVENT.json --top 10 -o json
//
// and reports the rank of the line's origin in both, against `git blame`
// of that line number at the ref (what a tool blind to the build names).
//
//	go run ./internal/tools/ctxeval -repo PATH -bin BIN [-ref HEAD] [-days 30] [-n 100] [-seed 1] [-v]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/pkg/gitrun"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ctxeval:", err)
		os.Exit(1)
	}
}

// sample is one simulated crash.
type sample struct {
	build, file, fn string
	line            int
	origin          string // git blame of the line at the build
	atRef           string // git blame of the same line number at the ref
	ctx             []string
	at              int
}

func run() error {
	var (
		repo    = flag.String("repo", "", "repository path (work tree or bare)")
		bin     = flag.String("bin", "", "sigsentry binary to run")
		ref     = flag.String("ref", "HEAD", "the version analyzed (the tip at the crash's time)")
		days    = flag.Int("days", 30, "lookback window in days")
		n       = flag.Int("n", 100, "crashes to sample")
		seed    = flag.Uint64("seed", 1, "sampling seed")
		verbose = flag.Bool("v", false, "print every sample")
	)
	flag.Parse()
	if *repo == "" || *bin == "" {
		return fmt.Errorf("-repo and -bin are required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	git := &gitrun.Runner{Dir: *repo}
	out, err := git.Output(ctx, "log", "-1", "--format=%H %ct", *ref, "--")
	if err != nil {
		return err
	}
	f := strings.Fields(string(out))
	tip := f[0]
	tipTime, _ := strconv.ParseInt(f[1], 10, 64)
	at := time.Unix(tipTime, 0).UTC().Add(time.Minute)
	since := at.Add(-time.Duration(*days) * 24 * time.Hour)
	out, err = git.Output(ctx, "rev-list", "--first-parent", "--since="+strconv.FormatInt(since.Unix(), 10), tip, "--")
	if err != nil {
		return err
	}
	line := strings.Fields(string(out))
	if len(line) < 3 {
		return fmt.Errorf("only %d first-parent commits in the window", len(line))
	}
	rng := rand.New(rand.NewPCG(*seed, 7))
	tmp, err := os.MkdirTemp("", "ctxeval")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	var with, without, blame, tries int
	var mrrWith, mrrWithout float64
	got := 0
	for ; got < *n && tries < *n*50 && ctx.Err() == nil; tries++ {
		s, ok := pick(ctx, git, rng, tip, line, since.Unix())
		if !ok {
			continue
		}
		got++
		ev := filepath.Join(tmp, "event.json")
		rankOf := func(quote bool) (int, error) {
			if err := os.WriteFile(ev, event(s, at, quote), 0o600); err != nil {
				return 0, err
			}
			return analyze(ctx, *bin, *repo, tip, at, *days, ev, s.origin)
		}
		rw, err := rankOf(true)
		if err != nil {
			return err
		}
		ro, err := rankOf(false)
		if err != nil {
			return err
		}
		if rw == 1 {
			with++
		}
		if ro == 1 {
			without++
		}
		if rw > 0 {
			mrrWith += 1 / float64(rw)
		}
		if ro > 0 {
			mrrWithout += 1 / float64(ro)
		}
		if s.atRef == s.origin {
			blame++
		}
		if *verbose {
			fmt.Printf("%.12s %s:%d (%s) origin %.12s: with source %d, without %d, blame at the ref %.12s\n",
				s.build, s.file, s.line, s.fn, s.origin, rw, ro, s.atRef)
		}
	}
	total := float64(max(1, got))
	fmt.Printf("repository %s, ref %.12s, window %d days, %d crashes of older builds (%d draws)\n", *repo, tip, *days, got, tries)
	fmt.Printf("with the quoted source:    top-1 %.3f  MRR %.3f\n", float64(with)/total, mrrWith/total)
	fmt.Printf("without it:                top-1 %.3f  MRR %.3f\n", float64(without)/total, mrrWithout/total)
	fmt.Printf("git blame at the ref:      top-1 %.3f\n", float64(blame)/total)
	return nil
}

// sourceExt are the files sampled: those whose functions analyze knows.
var sourceExt = map[string]bool{".py": true, ".go": true, ".c": true, ".js": true, ".ts": true, ".rb": true, ".java": true, ".rs": true, ".php": true, ".cc": true, ".cpp": true}

// vendored reports a file of vendored or third-party code, never an
// application's frame.
func vendored(f string) bool {
	for _, d := range []string{"vendor/", "third_party/", "node_modules/"} {
		if strings.HasPrefix(f, d) || strings.Contains(f, "/"+d) {
			return true
		}
	}
	return false
}

// pick samples one crash, or reports false when the draw gives none.
func pick(ctx context.Context, git *gitrun.Runner, rng *rand.Rand, tip string, line []string, since int64) (sample, bool) {
	build := line[1+rng.IntN(len(line)-2)]
	out, err := git.Output(ctx, "diff", "--no-renames", "--name-only", "--diff-filter=M", build, tip, "--")
	if err != nil {
		return sample{}, false
	}
	var files []string
	for _, f := range strings.Fields(string(out)) {
		if sourceExt[path.Ext(f)] && !vendored(f) {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return sample{}, false
	}
	file := files[rng.IntN(len(files))]
	old, err1 := git.Output(ctx, "show", build+":"+file)
	cur, err2 := git.Output(ctx, "show", tip+":"+file)
	if err1 != nil || err2 != nil {
		return sample{}, false
	}
	oldLines, curLines := lines(old), lines(cur)
	if len(oldLines) > 8000 {
		return sample{}, false
	}
	out, err = git.Output(ctx, "blame", "--porcelain", build, "--", file)
	if err != nil {
		return sample{}, false
	}
	origins, times := porcelain(out)
	var cands []int
	for i, l := range oldLines {
		n := i + 1
		o := origins[n]
		if strings.TrimSpace(l) == "" || o == "" || times[o] < since+86400 {
			continue
		}
		if n <= len(curLines) && strings.TrimSpace(curLines[n-1]) == strings.TrimSpace(l) {
			continue // the same at the ref: no drift to recover
		}
		cands = append(cands, n)
	}
	if len(cands) == 0 {
		return sample{}, false
	}
	n := cands[rng.IntN(len(cands))]
	s := sample{build: build, file: file, line: n, origin: origins[n], fn: enclosing(oldLines, n, path.Ext(file))}
	lo, hi := max(1, n-5), min(len(oldLines), n+5)
	s.ctx, s.at = oldLines[lo-1:hi], n-lo
	if n <= len(curLines) {
		out, err = git.Output(ctx, "blame", "--porcelain", "-L", fmt.Sprintf("%d,%d", n, n), tip, "--", file)
		if err == nil {
			o, _ := porcelain(out)
			s.atRef = o[n]
		}
	}
	return s, true
}

func lines(b []byte) []string {
	s := strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	return strings.Split(s, "\n")
}

// porcelain reads `git blame --porcelain`: each final line's origin
// commit, and each commit's committer time.
func porcelain(out []byte) (map[int]string, map[string]int64) {
	origins, times := map[int]string{}, map[string]int64{}
	var cur string
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 3 && len(f[0]) == 40 && !strings.HasPrefix(l, "\t"):
			cur = f[0]
			if n, err := strconv.Atoi(f[2]); err == nil {
				origins[n] = cur
			}
		case len(f) == 2 && f[0] == "committer-time":
			t, _ := strconv.ParseInt(f[1], 10, 64)
			times[cur] = t
		}
	}
	return origins, times
}

// defRE finds a definition's name, as a trace would name the function.
var defRE = map[string]*regexp.Regexp{
	".py": regexp.MustCompile(`^\s*(?:async\s+)?def\s+(\w+)`),
	".go": regexp.MustCompile(`^func\s+(?:\([^)]*\)\s*)?(\w+)`),
	".rb": regexp.MustCompile(`^\s*def\s+(?:self\.)?(\w+[?!]?)`),
	".rs": regexp.MustCompile(`^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+(\w+)`),
}

// cDefRE is a C-like definition's line: the name at the margin, or after
// its type ("static int\nsum (int n)", "int sum(int n)").
var cDefRE = regexp.MustCompile(`^(?:[A-Za-z_][\w\s\*]*[\s\*])?(\w+)\s*\([^;]*$`)

// enclosing names the function above line n, "" when none is found.
func enclosing(lines []string, n int, ext string) string {
	re := defRE[ext]
	for i := n - 1; i >= 0; i-- {
		if re != nil {
			if m := re.FindStringSubmatch(lines[i]); m != nil {
				return m[1]
			}
			continue
		}
		if m := cDefRE.FindStringSubmatch(lines[i]); m != nil && !strings.HasPrefix(lines[i], "return") {
			return m[1]
		}
	}
	return ""
}

// event is a Sentry event of one in-app frame at time at, quoting the
// build's source around the line when quote is set.
func event(s sample, at time.Time, quote bool) []byte {
	fr := map[string]any{"filename": s.file, "abs_path": "/srv/app/" + s.file, "lineno": s.line, "function": s.fn, "in_app": true}
	if quote {
		fr["pre_context"] = s.ctx[:s.at]
		fr["context_line"] = s.ctx[s.at]
		fr["post_context"] = s.ctx[s.at+1:]
	}
	ev := map[string]any{
		"event_id": "0123456789abcdef0123456789abcdef", "platform": "other", "timestamp": at.Format(time.RFC3339),
		"exception": map[string]any{"values": []any{map[string]any{"type": "Error", "value": "sampled crash",
			"stacktrace": map[string]any{"frames": []any{fr}}}}},
	}
	b, _ := json.Marshal(ev)
	return b
}

// analyze runs the binary as a user would and returns want's rank among
// the suspects, 0 when absent.
func analyze(ctx context.Context, bin, repo, ref string, at time.Time, days int, ev, want string) (int, error) {
	cmd := exec.CommandContext(ctx, bin, "analyze", "--local", repo, "--ref", ref, "--at", at.Format(time.RFC3339),
		"--lookback-days", strconv.Itoa(days), "--signal", ev, "--top", "10", "-o", "json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil && stdout.Len() == 0 {
		return 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	var rep struct {
		Signals []struct {
			Suspects []struct {
				Hash string `json:"hash"`
			} `json:"suspects"`
		} `json:"signals"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return 0, err
	}
	for _, s := range rep.Signals {
		for i, sp := range s.Suspects {
			if sp.Hash == want {
				return i + 1, nil
			}
		}
	}
	return 0, nil
}
