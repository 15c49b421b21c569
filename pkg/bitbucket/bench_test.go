package bitbucket

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchLatency is the injected server latency per request.
const benchLatency = 40 * time.Millisecond

func slowDiffServer(w http.ResponseWriter, r *http.Request) {
	time.Sleep(benchLatency)
	_, _ = w.Write([]byte("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"))
}

// BenchmarkDiffs fetches 16 diffs concurrently per op against a server that
// takes 40 ms per request; compare req/s of inflight=1 and inflight=8.
func BenchmarkDiffs(b *testing.B) {
	const perOp = 16
	for _, inflight := range []int{1, 8} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			c, _, _ := testServer(b, http.HandlerFunc(slowDiffServer), func(o *Options) { o.MaxInFlight = inflight })
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				for i := range perOp {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := c.Diff(ctx, "acme", "api", fmt.Sprintf("h%d", i)); err != nil {
							b.Error(err)
						}
					}()
				}
				wg.Wait()
			}
			s := c.Stats()
			b.ReportMetric(float64(s.Requests)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(s.Requests)/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkListCommits lists 3 pages of 100 commits in each of 8
// repositories concurrently per op, 40 ms per page.
func BenchmarkListCommits(b *testing.B) {
	const repos, pages = 8, 3
	now := time.Now().UTC().Truncate(time.Minute)
	pageBody := make([]string, pages)
	for p := range pages {
		var vals []string
		for i := range 100 {
			d := now.Add(-time.Duration(p*100+i) * time.Minute)
			vals = append(vals, fmt.Sprintf(`{"hash":"h%d-%d","date":%q,"message":"m","author":{"raw":"A <a@x>"},"parents":[{"hash":"p"}]}`,
				p, i, d.Format(time.RFC3339)))
		}
		pageBody[p] = strings.Join(vals, ",")
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(benchLatency)
		p := 0
		fmt.Sscanf(r.URL.Query().Get("page"), "c%d", &p)
		next := ""
		if p+1 < pages {
			next = fmt.Sprintf(`,"next":"http://%s%s?page=c%d"`, r.Host, r.URL.EscapedPath(), p+1)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"pagelen":100,"values":[%s]%s}`, pageBody[p], next)
	})
	for _, inflight := range []int{1, 8} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			c, _, _ := testServer(b, handler, func(o *Options) { o.MaxInFlight = inflight })
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				for i := range repos {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cs, err := c.ListCommits(ctx, "acme", fmt.Sprintf("repo%d", i), "main", ListCommitsOptions{})
						if err != nil || len(cs) != pages*100 {
							b.Errorf("got %d commits, %v; want %d", len(cs), err, pages*100)
						}
					}()
				}
				wg.Wait()
			}
			s := c.Stats()
			b.ReportMetric(float64(s.Requests)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(s.Requests)/float64(b.N), "requests/op")
		})
	}
}
