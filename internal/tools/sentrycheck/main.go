// Command sentrycheck serves every case of the real-trace set
// (internal/tools/traceeval) through the Sentry double, as an issue whose
// event names a release built from the fix's parent, and checks that
//
//	sigsentry analyze --local CLONE --sentry-issue SHORT-ID --lookback-days W --top 10 -o json
//
// ranks exactly as the local run of the same event does:
//
//	sigsentry analyze --local CLONE --ref FIX^ --at SIGNAL_TIME --lookback-days W --signal EVENT.json --top 10 -o json
//
// (developers only). Both run the given binary as a user would.
//
// With -via bitbucket it serves each case's clone from the Bitbucket double
// instead and checks that
//
//	sigsentry analyze --repo acme/SLUG --ref PARENT --at SIGNAL_TIME --lookback-days W --signal EVENT.json --top 10 -o json
//
// ranks exactly as the local run does: the same window, diffs, file
// contents and blame walk, read through the API.
//
//	go run ./internal/tools/sentrycheck -clones /work/.mirror -bin /tmp/sigsentry [-via sentry|bitbucket] [-huge-trees] [-half all] [-only ID] [-keep DIR] [-v]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/harness"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sentrycheck:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		clones   = flag.String("clones", "", "folder holding the clones")
		bin      = flag.String("bin", "", "the sigsentry binary")
		manifest = flag.String("manifest", "internal/tools/traceeval/cases.tsv", "case list")
		half     = flag.String("half", "all", "tune, held or all")
		verbose  = flag.Bool("v", false, "print each case")
		via      = flag.String("via", "sentry", "the path to compare with the local run: sentry (an issue) or bitbucket (the repository)")
		only     = flag.String("only", "", "run only the cases whose id (owner/name@fix) holds this text")
		keep     = flag.String("keep", "", "write both runs' reports of every differing case-window into this folder")
		huge     = flag.Bool("huge-trees", false, "with -via bitbucket, the double reports every tree as too large to list (frames' files are probed instead)")
	)
	flag.Parse()
	if *clones == "" || *bin == "" {
		return fmt.Errorf("-clones and -bin are required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	f, err := os.Open(*manifest)
	if err != nil {
		return err
	}
	cases, err := harness.ReadManifest(f)
	f.Close()
	if err != nil {
		return err
	}
	halves := harness.Split(cases)
	scratch, err := os.MkdirTemp("", "sentrycheck-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)

	if *via != "sentry" && *via != "bitbucket" {
		return fmt.Errorf("-via %q: want sentry or bitbucket", *via)
	}
	srv := sentrytest.NewServer(sentrytest.Options{})
	defer srv.Close()
	const token = "sntryu_sentrycheck"
	srv.AddToken(token, sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	bbOpts := bitbuckettest.Options{}
	if *huge {
		bbOpts.TreeSize = 1_000_000
	}
	bb := bitbuckettest.NewServer(bbOpts)
	defer bb.Close()
	const email, bbToken = "check@example.com", "sentrycheck-token"
	bb.AddUser(bitbuckettest.User{Email: email, Workspaces: []string{"acme"}})
	bb.AddAPIToken(email, bbToken, "read:repository:bitbucket")
	bbEnv := []string{"SIGSENTRY_BITBUCKET_API_URL=" + bb.APIURL(), "SIGSENTRY_BITBUCKET_EMAIL=" + email, "SIGSENTRY_BITBUCKET_API_TOKEN=" + bbToken}
	served := map[string]string{} // clone -> slug

	same, differ, runs, requests := 0, 0, 0, 0
	for _, c := range cases {
		if *half != "all" && halves[c.Key()] != *half {
			continue
		}
		if *only != "" && !strings.Contains(c.ID(), *only) {
			continue
		}
		l, err := harness.Load(ctx, *clones, c)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", c.ID(), err)
			continue
		}
		parent, err := exec.CommandContext(ctx, "git", "-C", l.Dir, "rev-parse", c.Fix+"^").Output()
		if err != nil {
			return fmt.Errorf("%s: resolving the fix's parent: %w", c.ID(), err)
		}
		parentHash := strings.TrimSpace(string(parent))
		release := "app@1.0.0+" + parentHash
		issue, _ := srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "app"}, toSentry(l, release))
		slug, ok := served[l.Dir]
		if *via == "bitbucket" && !ok {
			slug = fmt.Sprintf("repo-%d", len(served)+1)
			if err := bb.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: slug, GitDir: l.Dir}); err != nil {
				return fmt.Errorf("%s: serving the clone: %w", c.ID(), err)
			}
			served[l.Dir] = slug
		}
		ev := filepath.Join(scratch, "event.json")
		data, _ := json.Marshal(l.Event)
		if err := os.WriteFile(ev, data, 0o600); err != nil {
			return err
		}
		for _, days := range []int{30, 90} {
			if !within(l, days) {
				continue
			}
			srv.ResetRequests()
			bb.ResetRequests()
			window := []string{"--at", l.Signal.Format(time.RFC3339), "--lookback-days", fmt.Sprint(days), "--signal", ev, "--top", "10", "-o", "json"}
			var other []string
			var otherRep, localRep []byte
			if *via == "sentry" {
				other, otherRep, err = analyze(ctx, *bin, scratch, sentryEnv(srv.URL(), token), "--local", l.Dir, "--sentry-issue", issue.ShortID,
					"--lookback-days", fmt.Sprint(days), "--top", "10", "-o", "json")
				requests += len(srv.Requests())
			} else {
				other, otherRep, err = analyze(ctx, *bin, scratch, bbEnv, append([]string{"--repo", "acme/" + slug, "--ref", parentHash}, window...)...)
				requests += len(bb.Requests())
			}
			if err != nil {
				return fmt.Errorf("%s %dd via %s: %w", c.ID(), days, *via, err)
			}
			local, localRep, err := analyze(ctx, *bin, scratch, nil, append([]string{"--local", l.Dir, "--ref", c.Fix + "^"}, window...)...)
			if err != nil {
				return fmt.Errorf("%s %dd locally: %w", c.ID(), days, err)
			}
			runs++
			if reflect.DeepEqual(other, local) {
				same++
			} else {
				differ++
				fmt.Printf("DIFFER %s %dd:\n  via %s %v\n  locally    %v\n", c.ID(), days, *via, other, local)
				if *keep != "" {
					if err := keepReports(*keep, fmt.Sprintf("%s-%dd", strings.NewReplacer("/", "+", "@", "-").Replace(c.ID()), days),
						map[string][]byte{*via: otherRep, "local": localRep}); err != nil {
						return err
					}
				}
			}
			if *verbose {
				fmt.Printf("%s %dd: %d suspects\n", c.ID(), days, len(local))
			}
		}
	}
	double := map[string]string{"sentry": "Sentry", "bitbucket": "Bitbucket"}[*via]
	fmt.Printf("%d of %d case-windows rank identically through the %s double (%d differ); %.1f %s requests per run\n",
		same, runs, double, differ, float64(requests)/float64(max(runs, 1)), double)
	if differ > 0 {
		os.Exit(1)
	}
	return nil
}

// toSentry is the case's event as the double serves it: the same frames,
// the crash stack last, at the signal time, naming release.
func toSentry(l *harness.Loaded, release string) sentrytest.Event {
	e := sentrytest.Event{Time: l.Signal, Release: release, Platform: l.Event.Platform}
	for _, v := range l.Event.Exception.Values {
		x := sentrytest.Exception{Type: v.Type, Value: v.Value}
		for _, f := range v.Stacktrace.Frames {
			x.Frames = append(x.Frames, sentrytest.Frame{Filename: f.Filename, AbsPath: f.AbsPath, Function: f.Function,
				Package: f.Package, Line: f.Lineno, Col: f.Colno, InApp: f.InApp})
		}
		e.Exceptions = append(e.Exceptions, x)
	}
	return e
}

// sentryEnv points a run at the Sentry double.
func sentryEnv(url, token string) []string {
	return []string{"SENTRY_URL=" + url, "SENTRY_AUTH_TOKEN=" + token, "SENTRY_ORG=acme"}
}

func within(l *harness.Loaded, days int) bool {
	for _, t := range l.InducerAt {
		if age := l.Signal.Sub(t); age >= 0 && age <= time.Duration(days)*24*time.Hour {
			return true
		}
	}
	return false
}

// keepReports writes each report as DIR/NAME.KEY.json.
func keepReports(dir, name string, reports map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for k, rep := range reports {
		if err := os.WriteFile(filepath.Join(dir, name+"."+k+".json"), rep, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// analyze runs the binary with a private config and cache and returns the
// first signal's suspects ("hash score") or its abstention reason, and the
// whole report.
func analyze(ctx context.Context, bin, scratch string, env []string, args ...string) ([]string, []byte, error) {
	dir, err := os.MkdirTemp(scratch, "run-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, bin, append([]string{"analyze"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "SIGSENTRY_CONFIG_DIR=" + filepath.Join(dir, "config"),
		"SIGSENTRY_CACHE_DIR=" + filepath.Join(dir, "cache"), "NO_COLOR=1"}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	partial := false
	if err := cmd.Run(); err != nil {
		// Exit 3 is a partial result (a commit that could not be counted,
		// say): the report is whole for the rest, and both paths must
		// agree on it, exit status included.
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			return nil, nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
		}
		partial = true
	}
	var rep struct {
		Signals []struct {
			Reason   string `json:"reason"`
			Suspects []struct {
				Hash  string  `json:"hash"`
				Score float64 `json:"score"`
			} `json:"suspects"`
		} `json:"signals"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || len(rep.Signals) == 0 {
		return nil, nil, fmt.Errorf("reading the report: %v", err)
	}
	s := rep.Signals[0]
	out := []string{}
	for _, su := range s.Suspects {
		out = append(out, fmt.Sprintf("%.12s %.3f", su.Hash, su.Score))
	}
	if len(out) == 0 {
		out = append(out, "abstained: "+s.Reason)
	}
	if partial {
		out = append(out, "exit 3")
	}
	return out, stdout.Bytes(), nil
}
