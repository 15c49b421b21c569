package harness

import (
	"sort"
)

// Ranked is one case's outcome for one ranker: the rank of the first
// inducing commit (0 when absent) and whether the ranker abstained (gave
// no suspect, or said it had no confident one).
type Ranked struct {
	Rank      int
	Abstained bool
	Failed    bool // the run itself failed (for example the signal did not parse)
}

// Summary aggregates outcomes.
type Summary struct {
	N         int     `json:"n"`
	Top1      float64 `json:"top1"`
	Top5      float64 `json:"top5"`
	MRR       float64 `json:"mrr"`
	Abstained float64 `json:"abstention_rate"`
	// Precision is top-1 among the cases where the ranker did not abstain
	// (and did not fail); 0 when it always abstained.
	Precision float64 `json:"precision_when_answering"`
	Answered  int     `json:"answered"`
	Failed    int     `json:"failed"`
}

// Summarize computes top-1, top-5, MRR, abstention rate and precision.
func Summarize(rs []Ranked) Summary {
	s := Summary{N: len(rs)}
	if len(rs) == 0 {
		return s
	}
	var top1, top5, abst, answeredHits int
	var rr float64
	for _, r := range rs {
		if r.Failed {
			s.Failed++
		}
		if r.Rank == 1 {
			top1++
		}
		if r.Rank >= 1 && r.Rank <= 5 {
			top5++
		}
		if r.Rank > 0 {
			rr += 1 / float64(r.Rank)
		}
		if r.Abstained || r.Failed {
			abst++
			continue
		}
		s.Answered++
		if r.Rank == 1 {
			answeredHits++
		}
	}
	n := float64(len(rs))
	s.Top1 = float64(top1) / n
	s.Top5 = float64(top5) / n
	s.MRR = rr / n
	s.Abstained = float64(abst) / n
	if s.Answered > 0 {
		s.Precision = float64(answeredHits) / float64(s.Answered)
	}
	return s
}

// Median returns the median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	c := append([]float64(nil), xs...)
	sort.Float64s(c)
	m := len(c) / 2
	if len(c)%2 == 1 {
		return c[m]
	}
	return (c[m-1] + c[m]) / 2
}
