// Command tune chooses suspect ranking weights on the tuning half of the
// real-trace case set (internal/tools/traceeval) and reports them on the
// other half (developers only). Every case is analyzed once through
// analysis.Run, the function `sigsentry analyze --local` calls, exactly as
// the harness's command line would analyze it (--ref FIX^ --at SIGNAL_TIME
// --lookback-days W, the event JSON as the signal); the weights are then
// tried with analysis.Rerank, the same ranking on the same history.
//
//	go run ./internal/tools/tune -clones /work/.mirror [-half tune] [-rounds 2] [-v]
//	go run ./internal/tools/tune -clones /work/.mirror -half held -weights weights.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/analysis"
	"github.com/sigsentry/sigsentry/internal/tools/traceeval/harness"
	sig "github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/source"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tune:", err)
		os.Exit(1)
	}
}

// run is one case and window, analyzed once.
type item struct {
	id       string
	days     int
	inducers []string
	plan     *analysis.Plan
	out      *analysis.Outcome
}

func run() error {
	var (
		clones   = flag.String("clones", "", "folder holding the clones")
		manifest = flag.String("manifest", "internal/tools/traceeval/cases.tsv", "case list")
		half     = flag.String("half", "tune", "cases to use: tune, held or all")
		rounds   = flag.Int("rounds", 2, "rounds of coordinate descent (0: only evaluate)")
		wfile    = flag.String("weights", "", "start from (or, with -rounds 0, evaluate) these weights (JSON)")
		outFile  = flag.String("o", "", "write the chosen weights here (JSON)")
		verbose  = flag.Bool("v", false, "print each case's rank")
		windows  = flag.String("windows", "30,90", "windows in days")
	)
	flag.Parse()
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
	var wins []int
	for _, w := range strings.Split(*windows, ",") {
		var d int
		if _, err := fmt.Sscan(strings.TrimSpace(w), &d); err != nil || d < 1 {
			return fmt.Errorf("-windows %q: want days like 30,90", *windows)
		}
		wins = append(wins, d)
	}
	w := suspect.DefaultWeights
	if *wfile != "" {
		data, err := os.ReadFile(*wfile)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, &w); err != nil {
			return fmt.Errorf("reading %s: %w", *wfile, err)
		}
	}

	start := time.Now()
	var items []*item
	for _, c := range cases {
		if *half != "all" && halves[c.Key()] != *half {
			continue
		}
		l, err := harness.Load(ctx, *clones, c)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", c.ID(), err)
			continue
		}
		data, err := json.Marshal(l.Event)
		if err != nil {
			return err
		}
		sigs, err := sig.Parse("event.json", data)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", c.ID(), err)
			continue
		}
		local, err := source.NewLocal(l.Dir)
		if err != nil {
			return err
		}
		for _, d := range wins {
			if !inducerWithin(l, d) {
				continue
			}
			plan := &analysis.Plan{
				Targets:     []analysis.Target{{Source: local, Ref: c.Fix + "^", LookbackDays: d}},
				At:          l.Signal,
				Signals:     sigs,
				Top:         10,
				KeepHistory: true,
			}
			out, err := analysis.Run(ctx, plan)
			if err != nil {
				return err
			}
			if out.Repos[0].Err != nil {
				fmt.Fprintf(os.Stderr, "%s %dd: %v\n", c.ID(), d, out.Repos[0].Err)
				continue
			}
			items = append(items, &item{id: c.ID(), days: d, inducers: c.Inducers, plan: plan, out: out})
		}
	}
	fmt.Fprintf(os.Stderr, "%d case-windows analyzed in %s\n", len(items), time.Since(start).Round(time.Second))

	best := score(ctx, items, &w, false)
	fmt.Printf("start: %s\n", best)
	for r := 0; r < *rounds; r++ {
		for _, p := range params {
			cur := p.get(&w)
			for _, v := range p.values {
				if v == cur {
					continue
				}
				try := w
				p.set(&try, v)
				if s := score(ctx, items, &try, false); s.better(best) {
					best, w = s, try
					fmt.Printf("round %d: %s = %v -> %s\n", r+1, p.name, v, s)
				}
			}
		}
	}
	final := score(ctx, items, &w, *verbose)
	fmt.Printf("final (%s half, %d case-windows): %s\n", *half, len(items), final)
	for _, d := range wins {
		fmt.Printf("  %dd: %s\n", d, scoreDays(ctx, items, &w, d))
	}
	data, _ := json.MarshalIndent(w, "", "  ")
	if *outFile != "" {
		if err := os.WriteFile(*outFile, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	if !reflect.DeepEqual(w, suspect.DefaultWeights) {
		fmt.Printf("weights: %s\n", data)
	}
	return nil
}

// inducerWithin reports whether an inducer landed within days before the
// signal time.
func inducerWithin(l *harness.Loaded, days int) bool {
	for _, t := range l.InducerAt {
		age := l.Signal.Sub(t)
		if age >= 0 && age <= time.Duration(days)*24*time.Hour {
			return true
		}
	}
	return false
}

// result is the figures of one set of weights.
type result struct {
	n, top1, top5 int
	mrr           float64
}

func (r result) String() string {
	if r.n == 0 {
		return "no cases"
	}
	return fmt.Sprintf("top-1 %.3f top-5 %.3f MRR %.3f (%d)", float64(r.top1)/float64(r.n), float64(r.top5)/float64(r.n), r.mrr/float64(r.n), r.n)
}

// better prefers a higher MRR, then more top-1 answers.
func (r result) better(o result) bool {
	if r.mrr != o.mrr {
		return r.mrr > o.mrr+1e-9
	}
	return r.top1 > o.top1
}

func score(ctx context.Context, items []*item, w *suspect.Weights, verbose bool) result {
	return scoreDays(ctx, items, w, 0, verbose)
}

func scoreDays(ctx context.Context, items []*item, w *suspect.Weights, days int, verbose ...bool) result {
	var r result
	for _, it := range items {
		if days != 0 && it.days != days {
			continue
		}
		it.plan.Weights = w
		res := analysis.Rerank(ctx, it.plan, it.out)
		rank := 0
		if len(res) > 0 {
			for _, s := range res[0].Suspects {
				if contains(it.inducers, s.Hash) {
					rank = s.Rank
					break
				}
			}
		}
		r.n++
		if rank == 1 {
			r.top1++
		}
		if rank >= 1 && rank <= 5 {
			r.top5++
		}
		if rank >= 1 {
			r.mrr += 1 / float64(rank)
		}
		if len(verbose) > 0 && verbose[0] {
			fmt.Printf("  %-40s %3dd rank %d\n", it.id, it.days, rank)
		}
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// param is one weight the descent varies.
type param struct {
	name   string
	values []float64
	get    func(*suspect.Weights) float64
	set    func(*suspect.Weights, float64)
}

var params = func() []param {
	f := func(name string, ptr func(*suspect.Weights) *float64, values ...float64) param {
		sort.Float64s(values)
		return param{name: name, values: values,
			get: func(w *suspect.Weights) float64 { return *ptr(w) },
			set: func(w *suspect.Weights, v float64) { *ptr(w) = v }}
	}
	return []param{
		f("Call", func(w *suspect.Weights) *float64 { return &w.Call }, 0.3, 0.5, 0.8, 1.0, 1.5),
		f("Function", func(w *suspect.Weights) *float64 { return &w.Function }, 0.2, 0.35, 0.5, 0.8, 1.2),
		f("Proximity", func(w *suspect.Weights) *float64 { return &w.Proximity }, 0.1, 0.2, 0.3, 0.5, 0.8),
		f("File", func(w *suspect.Weights) *float64 { return &w.File }, 0.05, 0.1, 0.15, 0.3, 0.5),
		f("FrameSlope", func(w *suspect.Weights) *float64 { return &w.FrameSlope }, 0.1, 0.25, 0.5, 1, 2),
		f("OtherStack", func(w *suspect.Weights) *float64 { return &w.OtherStack }, 0.25, 0.5, 0.75, 1),
		f("ProxScale", func(w *suspect.Weights) *float64 { return &w.ProxScale }, 3, 5, 10, 20, 40),
		f("Text", func(w *suspect.Weights) *float64 { return &w.Text }, 0, 0.05, 0.15, 0.3, 0.6),
		f("Recency", func(w *suspect.Weights) *float64 { return &w.Recency }, 0, 0.02, 0.05, 0.1, 0.2),
		f("Callee", func(w *suspect.Weights) *float64 { return &w.Callee }, 0, 0.1, 0.2, 0.3, 0.5),
		f("Merge", func(w *suspect.Weights) *float64 { return &w.Merge }, 0.25, 0.5, 1),
		f("Spread", func(w *suspect.Weights) *float64 { return &w.Spread }, 0, 0.25, 0.5, 1, 2),
		f("FnFloor", func(w *suspect.Weights) *float64 { return &w.FnFloor }, 0, 0.25, 0.5, 1),
		f("FnScale", func(w *suspect.Weights) *float64 { return &w.FnScale }, 5, 20, 100),
		f("Dir", func(w *suspect.Weights) *float64 { return &w.Dir }, 0, 0.05, 0.15, 0.3),
		f("DirWith", func(w *suspect.Weights) *float64 { return &w.DirWith }, 0, 0.02, 0.05, 0.1),
		f("Caller", func(w *suspect.Weights) *float64 { return &w.Caller }, 0, 0.1, 0.2, 0.4),
		f("Fixed", func(w *suspect.Weights) *float64 { return &w.Fixed }, 0, 0.25, 0.5, 1),
		f("Whitespace", func(w *suspect.Weights) *float64 { return &w.Whitespace }, 0.1, 0.2, 0.5, 1),
		f("Rename", func(w *suspect.Weights) *float64 { return &w.Rename }, 0.05, 0.1, 0.3, 1),
		{name: "HalfLife (days)", values: []float64{2, 4, 7, 14, 30},
			get: func(w *suspect.Weights) float64 { return w.HalfLife.Hours() / 24 },
			set: func(w *suspect.Weights, v float64) { w.HalfLife = time.Duration(v * 24 * float64(time.Hour)) }},
	}
}()
