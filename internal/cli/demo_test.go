package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/testenv"
)

// TestDemo runs `sigsentry demo -o json` in-process on today's clock and on
// clocks a year before and a year after: each time stdout must be one JSON
// document whose first suspect is the commit that planted the bug, the
// signal's source must be a stable name, and the demo must leave nothing
// behind and touch neither config nor cache. (The sample's commits and its
// panic are dated relative to the clock; a fixed date in either made the
// planted commit drop from #1 as the calendar moved on.)
func TestDemo(t *testing.T) {
	testenv.LookPath(t, "git")
	now := time.Now().UTC()
	for _, clock := range []struct {
		name string
		now  time.Time
	}{
		{"today", now},
		{"a year ago", now.AddDate(-1, 0, 0)},
		{"in a year", now.AddDate(1, 0, 0)},
	} {
		t.Run(clock.name, func(t *testing.T) { testDemoAt(t, clock.now) })
	}
}

func testDemoAt(t *testing.T, now time.Time) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cfgDir, cacheDir := t.TempDir(), t.TempDir()

	ios, _, out, errOut := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(k string) string {
		switch k {
		case "SIGSENTRY_CONFIG_DIR":
			return cfgDir
		case "SIGSENTRY_CACHE_DIR":
			return cacheDir
		}
		return ""
	}
	f.Now = func() time.Time { return now }
	if code := Run(context.Background(), f, []string{"demo", "-o", "json"}); code != 0 {
		t.Fatalf("got exit %d, want 0; stderr:\n%s", code, errOut.String())
	}
	var rep struct {
		Repos []struct {
			Repo    string `json:"repo"`
			Commits int    `json:"commits"`
		} `json:"repos"`
		Signals []struct {
			Source    string    `json:"source"`
			Timestamp time.Time `json:"timestamp"`
			Abstained bool      `json:"abstained"`
			Suspects  []struct {
				Rank     int    `json:"rank"`
				Hash     string `json:"hash"`
				Summary  string `json:"summary"`
				Evidence []struct {
					Kind string `json:"kind"`
					File string `json:"file"`
				} `json:"evidence"`
			} `json:"suspects"`
		} `json:"signals"`
	}
	dec := json.NewDecoder(strings.NewReader(out.String()))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", out.String())
	}
	if len(rep.Repos) != 1 || rep.Repos[0].Repo != "acme/checkout-api" || rep.Repos[0].Commits != 15 {
		t.Fatalf("got repos %+v, want acme/checkout-api with 15 commits", rep.Repos)
	}
	if len(rep.Signals) != 1 || rep.Signals[0].Abstained || len(rep.Signals[0].Suspects) == 0 {
		t.Fatalf("got signals %+v, want one signal with suspects", rep.Signals)
	}
	sig := rep.Signals[0]
	if sig.Source != "stdin" {
		t.Errorf("got signal source %q, want the stable %q (not a temporary path)", sig.Source, "stdin")
	}
	if d := now.Sub(sig.Timestamp); d < 0 || d > time.Hour {
		t.Errorf("got signal time %s, want shortly before the clock's %s", sig.Timestamp, now)
	}
	top := sig.Suspects[0]
	if top.Rank != 1 || top.Summary != "Apply coupon discounts to cart totals" {
		t.Errorf("got top suspect %q (rank %d), want the commit that planted the bug", top.Summary, top.Rank)
	}
	if len(top.Evidence) == 0 || top.Evidence[0].Kind != "line" || top.Evidence[0].File != "cart/total.go" {
		t.Errorf("got evidence %+v, want a line hit in cart/total.go first", top.Evidence)
	}
	if !strings.Contains(errOut.String(), "is suspect #1") {
		t.Errorf("stderr does not explain the result:\n%s", errOut.String())
	}
	if !regexp.MustCompile(`Sentry issue CHECKOUT-1: analyzed at [0-9a-f]+, the commit of release checkout-api@1\.4\.2\+[0-9a-f]+; the commit that planted the bug is suspect #1 \(2 Sentry requests\)`).MatchString(errOut.String()) {
		t.Errorf("stderr does not show the Sentry path naming the bug #1 at the release:\n%s", errOut.String())
	}
	for _, dir := range []string{tmp, cfgDir, cacheDir} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("demo left %d entries in %s (first: %s)", len(entries), dir, entries[0].Name())
		}
	}
}

// TestDemoKeepQuiet: `demo --keep -q` prints nothing but the report, and
// still says where the files were kept; they are there.
func TestDemoKeepQuiet(t *testing.T) {
	testenv.LookPath(t, "git")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ios, _, out, errOut := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(string) string { return "" }
	if code := Run(context.Background(), f, []string{"demo", "--keep", "-q", "-o", "json"}); code != 0 {
		t.Fatalf("got exit %d, want 0; stderr:\n%s", code, errOut.String())
	}
	m := regexp.MustCompile(`Kept the demo's files in (\S+)`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Fatalf("stderr does not say where the files were kept:\n%s", errOut.String())
	}
	if !strings.HasPrefix(m[1], tmp) {
		t.Errorf("kept in %s, want a folder under TMPDIR %s", m[1], tmp)
	}
	for _, name := range []string{"checkout-api", "config", "panic.txt"} {
		if _, err := os.Stat(filepath.Join(m[1], name)); err != nil {
			t.Errorf("the kept folder lacks %s: %v", name, err)
		}
	}
	if strings.Contains(errOut.String(), "Building a sample repository") {
		t.Errorf("-q still narrates:\n%s", errOut.String())
	}
	var v map[string]any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Errorf("stdout is not one JSON document: %v", err)
	}
}

// TestDemoDebugRedacts runs the demo with --debug: the HTTP trace shows on
// stderr with the credential redacted, the throw-away token appears nowhere,
// and stdout is still one JSON document.
func TestDemoDebugRedacts(t *testing.T) {
	testenv.LookPath(t, "git")
	t.Setenv("TMPDIR", t.TempDir())
	ios, _, out, errOut := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(string) string { return "" }
	if code := Run(context.Background(), f, []string{"demo", "--debug", "-o", "json"}); code != 0 {
		t.Fatalf("got exit %d, want 0; stderr:\n%s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "Authorization: Basic [redacted]") {
		t.Errorf("stderr has no redacted HTTP trace:\n%.2000s", errOut.String())
	}
	token := regexp.MustCompile(`demo-[0-9a-f]{32}`)
	if token.MatchString(out.String()) || token.MatchString(errOut.String()) {
		t.Error("the throw-away token appears in the output")
	}
	var v map[string]any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Errorf("stdout is not one JSON document: %v", err)
	}
}
