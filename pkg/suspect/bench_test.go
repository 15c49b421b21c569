package suspect

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

// synthetic builds nCands commits (about 5 files and 8 hunks each, over
// nFiles distinct files, popular files touched more often) and nSigs
// signals of 10 frames (7 in-app) on those files.
func synthetic(nCands, nFiles, nSigs int) ([]Candidate, []signal.Signal) {
	r := rand.New(rand.NewPCG(1, 2))
	files := make([]string, nFiles)
	for i := range files {
		files[i] = fmt.Sprintf("pkg/mod%02d/sub%d/file%04d.go", i%40, i%7, i)
	}
	pick := func() string {
		// Skewed popularity: squaring a uniform favours low indexes.
		u := r.Float64()
		return files[int(u*u*float64(nFiles))]
	}
	line := func(n int) string { return fmt.Sprintf("\tx%d := compute(y%d, %q)", n, n%13, "v") }
	// The history ends now: the times are relative to the real clock.
	base := time.Now().UTC().Truncate(time.Minute).Add(-time.Duration(nCands) * 7 * time.Minute)
	cands := make([]Candidate, nCands)
	for i := range cands {
		nf := 1 + r.IntN(9) // 1..9, mean 5
		seen := map[string]bool{}
		var fs []diffstat.File
		for len(fs) < nf {
			p := pick()
			if seen[p] {
				continue
			}
			seen[p] = true
			f := diffstat.File{Path: p, Status: diffstat.Modified}
			nh := 1 + r.IntN(3) // mean 2: ~8 hunks per 5-file commit... ~10; fine
			start := 1 + r.IntN(100)
			for h := 0; h < nh; h++ {
				add, rem := 1+r.IntN(8), r.IntN(5)
				hk := diffstat.Hunk{OldStart: start, OldLines: rem + 6, NewStart: start, NewLines: add + 6,
					Section: fmt.Sprintf("func Fn%d(ctx context.Context) error {", r.IntN(300))}
				for k := 0; k < rem; k++ {
					hk.Removed = append(hk.Removed, diffstat.Line{N: start + 3 + k, Text: line(k)})
				}
				for k := 0; k < add; k++ {
					hk.Added = append(hk.Added, diffstat.Line{N: start + 3 + k, Text: line(k + 7)})
				}
				f.Hunks = append(f.Hunks, hk)
				f.LinesAdded += add
				f.LinesRemoved += rem
				start += 20 + r.IntN(200)
			}
			fs = append(fs, f)
		}
		sort.Slice(fs, func(a, b int) bool { return fs[a].Path < fs[b].Path })
		h := fmt.Sprintf("%040x", i+1)
		cands[i] = Candidate{
			Repo:   "acme/app",
			Commit: history.Commit{Repo: "acme/app", Hash: h, Date: base.Add(time.Duration(i) * 7 * time.Minute), Message: "change compute for case " + fmt.Sprint(i), Parents: []string{fmt.Sprintf("%040x", i)}},
			Change: &history.Change{Hash: h, Files: fs},
		}
	}
	end := base.Add(time.Duration(nCands) * 7 * time.Minute)
	sigs := make([]signal.Signal, nSigs)
	for i := range sigs {
		ts := end
		s := signal.Signal{Title: "panic", Timestamp: &ts, Symptoms: []string{"nil pointer dereference", fmt.Sprintf("compute y%d", i%13)}}
		for d := 0; d < 10; d++ {
			fr := signal.Frame{Depth: d, Line: 1 + r.IntN(600), Function: fmt.Sprintf("github.com/acme/app/pkg.Fn%d", r.IntN(300)), InApp: d < 7}
			if fr.InApp {
				fr.File = "/build/src/github.com/acme/app/" + pick()
			} else {
				fr.File = "/usr/local/go/src/runtime/panic.go"
			}
			s.Frames = append(s.Frames, fr)
		}
		sigs[i] = s
	}
	return cands, sigs
}

// BenchmarkRank ranks 1,000 signals against 5,000 candidate commits; one
// iteration is all 1,000 signals.
func BenchmarkRank(b *testing.B) {
	cands, sigs := synthetic(5000, 2000, 1000)
	idx := NewIndex([]RepoHistory{{Repo: "acme/app", Commits: cands}}, Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, s := range sigs {
			_ = idx.Rank(s)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(sigs)), "ns/signal")
}

// BenchmarkNewIndex builds the index over 5,000 candidate commits.
func BenchmarkNewIndex(b *testing.B) {
	cands, _ := synthetic(5000, 2000, 0)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewIndex([]RepoHistory{{Repo: "acme/app", Commits: cands}}, Options{})
	}
}

func TestSyntheticShape(t *testing.T) {
	cands, sigs := synthetic(5000, 2000, 10)
	files, hunks := 0, 0
	distinct := map[string]bool{}
	for _, c := range cands {
		files += len(c.Change.Files)
		for _, f := range c.Change.Files {
			hunks += len(f.Hunks)
			distinct[f.Path] = true
		}
	}
	if fpc := float64(files) / 5000; fpc < 4 || fpc > 6 {
		t.Errorf("got %.1f files per commit, want about 5", fpc)
	}
	if hpc := float64(hunks) / 5000; hpc < 7 || hpc > 12 {
		t.Errorf("got %.1f hunks per commit, want about 8-10", hpc)
	}
	if len(distinct) < 1500 {
		t.Errorf("got %d distinct files, want about 2,000", len(distinct))
	}
	res := NewIndex([]RepoHistory{{Repo: "acme/app", Commits: cands}}, Options{}).Rank(sigs[0])
	if res.Abstained || len(res.Suspects) == 0 {
		t.Errorf("got abstained %v (%s), want suspects for a synthetic signal", res.Abstained, res.Reason)
	}
}
