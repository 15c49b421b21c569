package repos

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/bitbucket"
)

// BenchmarkAdd500 onboards 500 repositories from a file against the fake
// Bitbucket with 40 ms latency per request. It reports the requests made
// (exactly one per repository) and the wall time against the ideal for the
// client's default limit: 500/8 × 40 ms = 2.5 s. The latency=0 case
// measures the fixed cost (parsing, the fake server's work, saving).
func BenchmarkAdd500(b *testing.B) {
	for _, latency := range []time.Duration{40 * time.Millisecond, 0} {
		b.Run("latency="+latency.String(), func(b *testing.B) { benchmarkAdd(b, 500, latency) })
	}
}

func benchmarkAdd(b *testing.B, n int, latency time.Duration) {
	slugs := make([]string, n)
	var list strings.Builder
	for i := range slugs {
		slugs[i] = fmt.Sprintf("service-%03d", i)
		fmt.Fprintf(&list, "acme/%s\n", slugs[i])
	}
	srv := newFake(b, latency, slugs...)
	file := filepath.Join(b.TempDir(), "repos.txt")
	if err := os.WriteFile(file, []byte(list.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	ideal := time.Duration(n) * latency / bitbucket.DefaultMaxInFlight
	var requests int
	var wall time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv.ResetRequests()
		h := newHarness(b, srv.APIURL()) // a fresh config: all 500 are new
		b.StartTimer()
		start := time.Now()
		code := h.run("add", "--from-file", file, "-o", "json")
		wall += time.Since(start)
		b.StopTimer()
		if code != 0 {
			b.Fatalf("got exit code %d, want 0: %s", code, h.errOut)
		}
		if got := len(h.saved()); got != n {
			b.Fatalf("got %d saved repositories, want %d", got, n)
		}
		got := srv.CountRequests("/2.0/repositories/")
		if got != n || len(srv.Requests()) != n {
			b.Fatalf("got %d repository requests (%d in all), want exactly %d", got, len(srv.Requests()), n)
		}
		requests += got
		b.StartTimer()
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(requests)/float64(b.N)/float64(n), "requests/repo")
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/op")
	if ideal > 0 {
		b.ReportMetric(wall.Seconds()/float64(b.N)/ideal.Seconds(), "x-ideal")
	}
}
