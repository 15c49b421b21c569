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
//	go run ./internal/tools/sentrycheck -clones /work/.mirror -bin /tmp/sigsentry [-half all] [-v]
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

	srv := sentrytest.NewServer(sentrytest.Options{})
	defer srv.Close()
	const token = "sntryu_sentrycheck"
	srv.AddToken(token, sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})

	same, differ, runs, requests := 0, 0, 0, 0
	for _, c := range cases {
		if *half != "all" && halves[c.Key()] != *half {
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
		release := "app@1.0.0+" + strings.TrimSpace(string(parent))
		issue, _ := srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "app"}, toSentry(l, release))
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
			viaSentry, err := analyze(ctx, *bin, scratch, srv.URL(), token, "--local", l.Dir, "--sentry-issue", issue.ShortID,
				"--lookback-days", fmt.Sprint(days), "--top", "10", "-o", "json")
			if err != nil {
				return fmt.Errorf("%s %dd via Sentry: %w", c.ID(), days, err)
			}
			requests += len(srv.Requests())
			local, err := analyze(ctx, *bin, scratch, "", "", "--local", l.Dir, "--ref", c.Fix+"^", "--at", l.Signal.Format(time.RFC3339),
				"--lookback-days", fmt.Sprint(days), "--signal", ev, "--top", "10", "-o", "json")
			if err != nil {
				return fmt.Errorf("%s %dd locally: %w", c.ID(), days, err)
			}
			runs++
			if reflect.DeepEqual(viaSentry, local) {
				same++
			} else {
				differ++
				fmt.Printf("DIFFER %s %dd:\n  via Sentry %v\n  locally    %v\n", c.ID(), days, viaSentry, local)
			}
			if *verbose {
				fmt.Printf("%s %dd: %d suspects\n", c.ID(), days, len(local))
			}
		}
	}
	fmt.Printf("%d of %d case-windows rank identically through the Sentry double (%d differ); %.1f Sentry requests per run\n",
		same, runs, differ, float64(requests)/float64(max(runs, 1)))
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

func within(l *harness.Loaded, days int) bool {
	for _, t := range l.InducerAt {
		if age := l.Signal.Sub(t); age >= 0 && age <= time.Duration(days)*24*time.Hour {
			return true
		}
	}
	return false
}

// analyze runs the binary with a private config and cache and returns the
// first signal's suspects ("hash score") or its abstention reason.
func analyze(ctx context.Context, bin, scratch, sentryURL, token string, args ...string) ([]string, error) {
	dir, err := os.MkdirTemp(scratch, "run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, bin, append([]string{"analyze"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "SIGSENTRY_CONFIG_DIR=" + filepath.Join(dir, "config"),
		"SIGSENTRY_CACHE_DIR=" + filepath.Join(dir, "cache"), "NO_COLOR=1"}
	if sentryURL != "" {
		cmd.Env = append(cmd.Env, "SENTRY_URL="+sentryURL, "SENTRY_AUTH_TOKEN="+token, "SENTRY_ORG=acme")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	partial := false
	if err := cmd.Run(); err != nil {
		// Exit 3 is a partial result (a commit that could not be counted,
		// say): the report is whole for the rest, and both paths must
		// agree on it, exit status included.
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			return nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
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
		return nil, fmt.Errorf("reading the report: %v", err)
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
	return out, nil
}
