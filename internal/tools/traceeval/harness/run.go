package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Invocation is one run of sigsentry analyze.
type Invocation struct {
	Args       []string `json:"args"`
	Exit       int      `json:"exit"`
	Error      string   `json:"error,omitempty"` // first line of stderr when analyze failed
	Seconds    float64  `json:"seconds"`
	MaxRSSKB   int64    `json:"max_rss_kb"`
	Abstained  bool     `json:"abstained"`
	Reason     string   `json:"reason,omitempty"`
	Suspects   []string `json:"suspects"`
	Rank       int      `json:"rank"` // of the first inducer among the suspects, 0 when absent
	Candidates int      `json:"candidates"`
	Frames     int      `json:"frames"` // frames analyze read from the signal
	Mapped     int      `json:"mapped"` // of those, mapped to a repository path
}

// Failed tells whether analyze did not give a ranking.
func (iv Invocation) Failed() bool { return iv.Exit != 0 || iv.Error != "" }

// Top1 is the first suspect, "" when there is none.
func (iv Invocation) Top1() string {
	if len(iv.Suspects) == 0 {
		return ""
	}
	return iv.Suspects[0]
}

// Runner runs a sigsentry binary the way a user does.
type Runner struct {
	Bin     string
	Timeout time.Duration
	// Scratch holds per-run config and cache folders.
	Scratch string
	// SharedCache keeps one diff cache for all runs (warm runs); by
	// default every run starts with an empty cache (a first run by a user).
	SharedCache bool
	n           int
}

// AnalyzeArgs is the exact command line the evaluation runs.
func AnalyzeArgs(clone, fix string, signal time.Time, days int, signalFile string) []string {
	return []string{"analyze", "--local", clone, "--ref", fix + "^", "--at", signal.UTC().Format(time.RFC3339),
		"--lookback-days", strconv.Itoa(days), "--signal", signalFile, "--top", "10", "-o", "json"}
}

// analyzeOutput is the part of analyze's JSON the evaluation reads.
type analyzeOutput struct {
	Repos []struct {
		Commits int `json:"commits"`
	} `json:"repos"`
	Signals []struct {
		Abstained bool   `json:"abstained"`
		Reason    string `json:"reason"`
		Frames    []struct {
			Path string `json:"path"`
		} `json:"frames"`
		Suspects []struct {
			Rank int    `json:"rank"`
			Hash string `json:"hash"`
		} `json:"suspects"`
	} `json:"signals"`
}

// Analyze runs one analyze command and reads its result. An error is
// returned only when the binary could not be run at all; analyze's own
// failures are recorded in the Invocation.
func (r *Runner) Analyze(ctx context.Context, args []string, inducers []string) (Invocation, error) {
	iv := Invocation{Args: args}
	r.n++
	cfg := filepath.Join(r.Scratch, "config")
	cache := filepath.Join(r.Scratch, "cache")
	if !r.SharedCache {
		cache = filepath.Join(r.Scratch, fmt.Sprintf("cache-%d", r.n))
		defer os.RemoveAll(cache)
	}
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		return iv, fmt.Errorf("preparing the scratch folder: %w", err)
	}
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, r.Bin, args...)
	cmd.Env = append(filteredEnv(), "SIGSENTRY_CONFIG_DIR="+cfg, "SIGSENTRY_CACHE_DIR="+cache, "NO_COLOR=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	iv.Seconds = time.Since(start).Seconds()
	if cmd.ProcessState != nil {
		iv.MaxRSSKB = maxRSSKB(cmd.ProcessState)
		iv.Exit = cmd.ProcessState.ExitCode()
	}
	if err != nil {
		var ee *exec.ExitError
		if !asExitError(err, &ee) {
			return iv, fmt.Errorf("running %s: %w", r.Bin, err)
		}
		if ctx.Err() != nil {
			iv.Error = "timed out after " + r.Timeout.String()
		} else {
			iv.Error = firstLine(normalizeErr(errb.String()))
		}
		if iv.Error == "" {
			iv.Error = "exit " + strconv.Itoa(iv.Exit)
		}
		return iv, nil
	}
	var ao analyzeOutput
	if err := json.Unmarshal(out.Bytes(), &ao); err != nil {
		iv.Error = "reading analyze's JSON: " + err.Error()
		return iv, nil
	}
	if len(ao.Repos) > 0 {
		iv.Candidates = ao.Repos[0].Commits
	}
	if len(ao.Signals) == 0 {
		iv.Error = "analyze reported no signal"
		return iv, nil
	}
	s := ao.Signals[0]
	iv.Abstained, iv.Reason = s.Abstained, s.Reason
	iv.Frames = len(s.Frames)
	for _, f := range s.Frames {
		if f.Path != "" {
			iv.Mapped++
		}
	}
	iv.Suspects = []string{}
	for _, sp := range s.Suspects {
		iv.Suspects = append(iv.Suspects, sp.Hash)
	}
	iv.Rank = RankOf(iv.Suspects, inducers, 10)
	return iv, nil
}

func asExitError(err error, target **exec.ExitError) bool {
	ee, ok := err.(*exec.ExitError)
	if ok {
		*target = ee
	}
	return ok
}

// filteredEnv drops sigsentry's and Sentry's own variables, so a
// developer's credentials or settings never reach the runs.
func filteredEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SIGSENTRY_") || strings.HasPrefix(kv, "SENTRY_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 240 {
		s = s[:240]
	}
	return s
}
