// Package analyze_test runs `sigsentry analyze` end to end, through the real
// command tree and factory, against local git repositories and the
// bitbuckettest fake server.
//
// Opt-in checks against real public repositories:
//
//	SIGSENTRY_REAL_REPOS=/work/.mirror go test ./e2e/analyze -run RealRepos -v -timeout 60m
//
// The cold-run benchmark (40 ms per request, 300 commits):
//
//	go test ./e2e/analyze -run '^$' -bench BenchmarkAnalyzeCold -benchtime=3x
package analyze_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cli"
	"github.com/sigsentry/sigsentry/internal/cli/analyze"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

// runner runs the sigsentry command tree with a private environment.
type runner struct {
	env map[string]string
	now time.Time
}

func newRunner(tb testing.TB) *runner {
	tb.Helper()
	return &runner{env: map[string]string{
		"SIGSENTRY_CONFIG_DIR":       tb.TempDir(),
		"SIGSENTRY_CACHE_DIR":        filepath.Join(tb.TempDir(), "cache"),
		"SIGSENTRY_CREDENTIAL_STORE": "file",
	}, now: time.Now()}
}

// useFake points the runner at srv with an API token it accepts.
func (r *runner) useFake(srv *bitbuckettest.Server) {
	srv.AddUser(bitbuckettest.User{Email: "e2e@example.com", Workspaces: []string{"acme"}})
	srv.AddAPIToken("e2e@example.com", "e2e-token", "read:repository:bitbucket")
	r.env["SIGSENTRY_BITBUCKET_API_URL"] = srv.APIURL()
	r.env["SIGSENTRY_BITBUCKET_EMAIL"] = "e2e@example.com"
	r.env["SIGSENTRY_BITBUCKET_API_TOKEN"] = "e2e-token"
}

func (r *runner) run(args ...string) (code int, stdout, stderr string) {
	ios, _, out, errOut := iostreams.Test()
	f := cli.NewFactory(ios)
	f.Getenv = func(k string) string { return r.env[k] }
	f.Now = func() time.Time { return r.now }
	code = cli.Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func (r *runner) report(tb testing.TB, args ...string) *analyze.Report {
	tb.Helper()
	code, out, errOut := r.run(append([]string{"analyze", "-o", "json"}, args...)...)
	if code != 0 {
		tb.Fatalf("sigsentry analyze %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	var rep analyze.Report
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&rep); err != nil || dec.More() {
		tb.Fatalf("stdout is not one JSON report (%v):\n%.2000s", err, out)
	}
	return &rep
}

// fakeRepo serves the git repository in dir as acme/SLUG from a Bitbucket
// double, stopped when the test ends, and returns it with a runner that
// uses it.
func fakeRepo(tb testing.TB, slug, dir string, o bitbuckettest.Options) (*bitbuckettest.Server, *runner) {
	tb.Helper()
	srv := bitbuckettest.NewServer(o)
	tb.Cleanup(srv.Close)
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: slug, GitDir: dir}); err != nil {
		tb.Fatal(err)
	}
	r := newRunner(tb)
	r.useFake(srv)
	return srv, r
}

func git(tb testing.TB, dir string, date time.Time, args ...string) string {
	tb.Helper()
	return testenv.Git(tb, dir, date, args...)
}

// requireGit skips the test without git, or fails it when outside tools are
// required (SIGSENTRY_TEST_REQUIRE_ALL=1, as in CI).
func requireGit(t testing.TB) {
	t.Helper()
	testenv.LookPath(t, "git")
}

// synthetic builds a repository of n commits, one a day ending at end, each
// touching a few files, with fast-import (quick even for hundreds).
func synthetic(tb testing.TB, n int, end time.Time) string {
	tb.Helper()
	requireGit(tb)
	dir := tb.TempDir()
	git(tb, dir, time.Time{}, "init", "-q", "-b", "main")
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		d := end.Add(time.Duration(i-n+1) * time.Hour)
		msg := fmt.Sprintf("change %d", i)
		fmt.Fprintf(&b, "commit refs/heads/main\nmark :%d\nauthor E2E <e2e@example.com> %d +0000\ncommitter E2E <e2e@example.com> %d +0000\ndata %d\n%s\n",
			i+1, d.Unix(), d.Unix(), len(msg), msg)
		if i > 0 {
			fmt.Fprintf(&b, "from :%d\n", i)
		}
		for k := 0; k < 3; k++ {
			var content strings.Builder
			for l := 0; l < 40; l++ {
				if l%7 == (i+k)%7 {
					fmt.Fprintf(&content, "line %d of file %d, version %d\n", l, (i+k)%20, i)
				} else {
					fmt.Fprintf(&content, "line %d of file %d\n", l, (i+k)%20)
				}
			}
			fmt.Fprintf(&b, "M 100644 inline pkg/f%02d.go\ndata %d\n%s\n", (i+k)%20, content.Len(), content.String())
		}
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = &b
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git fast-import: %v: %s", err, out)
	}
	git(tb, dir, time.Time{}, "checkout", "-q", "main")
	return dir
}

// TestColdAndWarmRequests checks the request budget through the whole
// command tree: cold = 1 repository lookup + list pages + N diffs; warm = 0
// diffs.
func TestColdAndWarmRequests(t *testing.T) {
	// The real clock, which the Bitbucket double keeps too (token expiry,
	// the rate-limit window): a pinned date would drift away from it as the
	// calendar moves on.
	end := time.Now().UTC().Truncate(time.Second)
	const n = 250
	dir := synthetic(t, n, end)
	srv, r := fakeRepo(t, "svc", dir, bitbuckettest.Options{})
	r.now = end

	rep := r.report(t, "--repo", "acme/svc", "--lookback-days", "30")
	if rep.Repos[0].Commits != n {
		t.Fatalf("got %d commits, want %d", rep.Repos[0].Commits, n)
	}
	pages := srv.CountRequests("/2.0/repositories/acme/svc/commits/")
	diffs := srv.CountRequests("/2.0/repositories/acme/svc/diff/")
	lookups := srv.CountRequests("/2.0/repositories/acme/svc") - srv.CountRequests("/2.0/repositories/acme/svc/")
	total := len(srv.Requests())
	// 250 commits at 100 a page: 3 pages, the last one partly empty.
	if pages != 3 || diffs != n || lookups != 1 || total != pages+diffs+lookups {
		t.Errorf("cold: got %d pages + %d diffs + %d lookups = %d requests, want 3 + %d + 1 = %d",
			pages, diffs, lookups, total, n, n+4)
	}
	srv.ResetRequests()
	r.report(t, "--repo", "acme/svc", "--lookback-days", "30")
	if diffs := srv.CountRequests("/2.0/repositories/acme/svc/diff/"); diffs != 0 {
		t.Errorf("warm: got %d diff requests, want 0", diffs)
	}
	if total := len(srv.Requests()); total != pages+1 {
		t.Errorf("warm: got %d requests, want %d (lookup + list pages)", total, pages+1)
	}
}

// BenchmarkAnalyzeCold times a cold analyze of 300 commits with 40 ms of
// latency on every request, and reports the ideal (list pages + N/8) x 40 ms
// next to it.
func BenchmarkAnalyzeCold(b *testing.B) {
	b.Run("cache", func(b *testing.B) { benchCold(b, 40*time.Millisecond) })
	b.Run("no-cache", func(b *testing.B) { benchCold(b, 40*time.Millisecond, "--no-cache") })
	b.Run("no-latency", func(b *testing.B) { benchCold(b, 0) })
}

func benchCold(b *testing.B, latency time.Duration, extra ...string) {
	const n = 300
	end := time.Now().UTC().Truncate(time.Second)
	dir := synthetic(b, n, end)
	srv, r := fakeRepo(b, "svc", dir, bitbuckettest.Options{Latency: latency})
	r.now = end
	// The main branch is stored, as `repos add` does, so no lookup is made.
	cfg := "bitbucket:\n  repositories:\n    - name: acme/svc\n      main_branch: main\n"
	if err := os.WriteFile(filepath.Join(r.env["SIGSENTRY_CONFIG_DIR"], "config.yaml"), []byte(cfg), 0o600); err != nil {
		b.Fatal(err)
	}
	var pages, requests int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r.env["SIGSENTRY_CACHE_DIR"] = filepath.Join(b.TempDir(), "cache")
		srv.ResetRequests()
		b.StartTimer()
		rep := r.report(b, append([]string{"--lookback-days", "30"}, extra...)...)
		b.StopTimer()
		if rep.Repos[0].Commits != n {
			b.Fatalf("got %d commits, want %d", rep.Repos[0].Commits, n)
		}
		pages = srv.CountRequests("/2.0/repositories/acme/svc/commits/")
		requests = len(srv.Requests())
		b.StartTimer()
	}
	b.StopTimer()
	ideal := time.Duration((float64(pages) + float64(n)/8) * float64(latency))
	got := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(ideal.Milliseconds()), "ideal-ms")
	b.ReportMetric(float64(got.Milliseconds()), "wall-ms")
	if ideal > 0 {
		b.ReportMetric(float64(got)/float64(ideal), "x-ideal")
	}
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(float64(pages), "pages/op")
}

// BenchmarkColdVsPlainClient runs, in each iteration and against the same
// double at 40 ms a request, a cold `analyze` of 321 commits (4 list pages)
// and a plain client that fetches the same pages and then the same diffs
// with 8 requests in flight, and reports both times and their ratio.
//
//	go test ./e2e/analyze -run '^$' -bench ColdVsPlain -benchtime=5x
func BenchmarkColdVsPlainClient(b *testing.B) {
	const n = 321
	end := time.Now().UTC().Truncate(time.Second)
	dir := synthetic(b, n, end)
	srv, r := fakeRepo(b, "svc", dir, bitbuckettest.Options{Latency: 40 * time.Millisecond})
	r.now = end
	cfg := "bitbucket:\n  repositories:\n    - name: acme/svc\n      main_branch: main\n"
	if err := os.WriteFile(filepath.Join(r.env["SIGSENTRY_CONFIG_DIR"], "config.yaml"), []byte(cfg), 0o600); err != nil {
		b.Fatal(err)
	}
	// Warm the double's own caches (it runs git for every diff), so both
	// clients are timed against the same server cost.
	plainClient(b, srv.APIURL(), "acme/svc", "main", 8)
	var ours, plain time.Duration
	var oursReq, plainReq int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.env["SIGSENTRY_CACHE_DIR"] = filepath.Join(b.TempDir(), "cache")
		srv.ResetRequests()
		t0 := time.Now()
		rep := r.report(b, "--lookback-days", "30")
		ours += time.Since(t0)
		oursReq += len(srv.Requests())
		if rep.Repos[0].Commits != n {
			b.Fatalf("got %d commits, want %d", rep.Repos[0].Commits, n)
		}
		srv.ResetRequests()
		t0 = time.Now()
		got := plainClient(b, srv.APIURL(), "acme/svc", "main", 8)
		plain += time.Since(t0)
		plainReq += len(srv.Requests())
		if got != n {
			b.Fatalf("plain client: got %d diffs, want %d", got, n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "sigsentry-ms")
	b.ReportMetric(float64(plain.Milliseconds())/float64(b.N), "plain-ms")
	b.ReportMetric(float64(ours)/float64(plain), "ratio")
	b.ReportMetric(float64(oursReq)/float64(b.N), "sigsentry-requests")
	b.ReportMetric(float64(plainReq)/float64(b.N), "plain-requests")
}

// plainClient lists every commit of ref page by page, then fetches every
// diff with inFlight requests at a time, and returns how many diffs it read.
func plainClient(tb testing.TB, api, repo, ref string, inFlight int) int {
	tb.Helper()
	get := func(url string) []byte {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.SetBasicAuth("e2e@example.com", "e2e-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			tb.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
		}
		return body
	}
	var hashes []string
	next := api + "/repositories/" + repo + "/commits/" + ref + "?pagelen=100"
	for next != "" {
		var page struct {
			Values []struct {
				Hash string `json:"hash"`
			} `json:"values"`
			Next string `json:"next"`
		}
		if err := json.Unmarshal(get(next), &page); err != nil {
			tb.Fatal(err)
		}
		for _, v := range page.Values {
			hashes = append(hashes, v.Hash)
		}
		next = page.Next
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	var done atomic.Int64
	for range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for h := range jobs {
				get(api + "/repositories/" + repo + "/diff/" + h)
				done.Add(1)
			}
		}()
	}
	for _, h := range hashes {
		jobs <- h
	}
	close(jobs)
	wg.Wait()
	return int(done.Load())
}

// TestRepoBudget: a server that trickles its diffs cannot keep analyze
// past the repository's budget; the repository fails with a message that
// says so, and the run ends.
func TestRepoBudget(t *testing.T) {
	end := time.Now().Truncate(time.Second)
	dir := synthetic(t, 20, end)
	srv, r := fakeRepo(t, "svc", dir, bitbuckettest.Options{})
	r.env["SIGSENTRY_BITBUCKET_REPO_BUDGET"] = "2s"
	srv.TrickleNext("/diff/", bitbuckettest.Forever, 50*time.Millisecond)
	start := time.Now()
	code, out, errOut := r.run("analyze", "-o", "json", "--repo", "acme/svc", "--lookback-days", "30")
	took := time.Since(start)
	if code != 3 || !strings.Contains(errOut, "repo_budget") {
		t.Errorf("got exit %d, want 3 with the budget named\n%s", code, errOut)
	}
	var rep analyze.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Repos) != 1 || rep.Repos[0].Error == nil {
		t.Fatalf("want one repository with an error, got %v (%s)", err, out)
	}
	// Generous: the point is that it ends, not how fast.
	if took > time.Minute {
		t.Errorf("the run took %s with a 2s budget", took)
	}
}
