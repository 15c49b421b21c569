package harness

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
)

// rows selects one window's results of a subset of cases.
func (r *Results) rows(w int, keep func(*CaseResult) bool) []*WindowResult {
	var out []*WindowResult
	for _, c := range r.Cases {
		if keep != nil && !keep(c) {
			continue
		}
		if wr := c.Windows[strconv.Itoa(w)]; wr != nil {
			out = append(out, wr)
		}
	}
	return out
}

// SetSummary is the figures of one set of cases under one window.
type SetSummary struct {
	Window   int     `json:"window_days"`
	Set      string  `json:"set"`
	JSON     Summary `json:"json"`
	Text     Summary `json:"text"`
	B1       Summary `json:"b1"`
	B2       Summary `json:"b2"`
	B2Window Summary `json:"b2_window"`
	// B2Strict is the share of cases where the blame of the innermost
	// in-app frame's line alone names an inducer.
	B2Strict float64 `json:"b2_strict_top1"`
	// SameTop1 is the share of cases where the text trace's top-1 equals
	// the JSON event's (both without a suspect counts as equal).
	SameTop1   float64 `json:"text_same_top1"`
	TextFailed int     `json:"text_failed"`
}

// Summarize computes the figures of a subset under one window.
func (r *Results) Summarize(w int, set string, keep func(*CaseResult) bool) SetSummary {
	rows := r.rows(w, keep)
	s := SetSummary{Window: w, Set: set}
	var js, ts, b1, b2, b2w []Ranked
	same, strict, withText := 0, 0, 0
	for _, wr := range rows {
		js = append(js, Ranked{Rank: wr.JSON.Rank, Abstained: wr.JSON.Abstained || len(wr.JSON.Suspects) == 0, Failed: wr.JSON.Failed()})
		if wr.Text != nil {
			withText++
			ts = append(ts, Ranked{Rank: wr.Text.Rank, Abstained: wr.Text.Abstained || len(wr.Text.Suspects) == 0, Failed: wr.Text.Failed()})
			if wr.Text.Failed() {
				s.TextFailed++
			}
			if !wr.Text.Failed() && !wr.JSON.Failed() && wr.Text.Top1() == wr.JSON.Top1() {
				same++
			}
		}
		b1 = append(b1, Ranked{Rank: wr.B1.Rank, Abstained: len(wr.B1.List) == 0})
		b2 = append(b2, Ranked{Rank: wr.B2.Rank, Abstained: len(wr.B2.List) == 0})
		b2w = append(b2w, Ranked{Rank: wr.B2Window.Rank, Abstained: len(wr.B2Window.List) == 0})
		if wr.B2Strict {
			strict++
		}
	}
	s.JSON, s.Text, s.B1, s.B2, s.B2Window = Summarize(js), Summarize(ts), Summarize(b1), Summarize(b2), Summarize(b2w)
	if len(rows) > 0 {
		s.B2Strict = float64(strict) / float64(len(rows))
	}
	if withText > 0 {
		s.SameTop1 = float64(same) / float64(withText)
	}
	return s
}

// Summaries gives the figures of every window for all selected cases and
// for each half present.
func (r *Results) Summaries() []SetSummary {
	var out []SetSummary
	for _, w := range r.Windows {
		for _, set := range r.sets() {
			out = append(out, r.Summarize(w, set, inSet(set)))
		}
	}
	return out
}

// sets names the sets a report gives: every selected case, then each half
// when both are present.
func (r *Results) sets() []string {
	halves := map[string]bool{}
	for _, c := range r.Cases {
		halves[c.Half] = true
	}
	if len(halves) > 1 {
		return []string{"selected", Tune, Held}
	}
	return []string{"selected"}
}

// inSet selects the cases of a set sets names.
func inSet(set string) func(*CaseResult) bool {
	return func(c *CaseResult) bool { return set == "selected" || c.Half == set }
}

func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 0, 64) + "%" }

// WriteMarkdown writes the report.
func (r *Results) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "# Real-trace evaluation\n\n")
	fmt.Fprintf(w, "- binary: `%s` (%s)\n- generated: %s\n- half: %s\n- command, per case and window W (only cases whose inducer landed within W days before the signal time count for W):\n\n  `%s`\n\n",
		r.Binary, orDash(r.Version), r.Generated, orDash(r.Half), r.Command)
	if r.Variant != "" {
		fmt.Fprintf(w, "- event variant: `%s` (%s)\n\n", r.Variant, Variants[r.Variant])
	}
	fmt.Fprintf(w, "top-1 / top-5 / MRR: rank of the first inducing commit among the suspects (0 when absent). ")
	fmt.Fprintf(w, "abst.: no suspect, abstained or failed. prec.: top-1 among the cases answered. ")
	fmt.Fprintf(w, "B1: commits touching the innermost in-app frame's file at FIX^, newest first, in the window. ")
	fmt.Fprintf(w, "B2: git blame at FIX^ of the in-app frames' lines, innermost first (B2 strict: that frame's line alone); B2w: B2 keeping commits that landed in the window.\n\n")

	fmt.Fprintf(w, "## Figures\n\n")
	fmt.Fprintf(w, "| W | set | cases | JSON top-1 | top-5 | MRR | abst. | prec. | text top-1 | text MRR | text failed | same top-1 | B1 top-1 / MRR | B2 strict | B2 top-1 / MRR | B2w top-1 / MRR |\n")
	fmt.Fprintf(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|\n")
	for _, s := range r.Summaries() {
		fmt.Fprintf(w, "| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s / %s | %s | %s / %s | %s / %s |\n",
			s.Window, s.Set, s.JSON.N, f3(s.JSON.Top1), f3(s.JSON.Top5), f3(s.JSON.MRR), pct(s.JSON.Abstained), f3(s.JSON.Precision),
			f3(s.Text.Top1), f3(s.Text.MRR), s.TextFailed, pct(s.SameTop1),
			f3(s.B1.Top1), f3(s.B1.MRR), f3(s.B2Strict), f3(s.B2.Top1), f3(s.B2.MRR), f3(s.B2Window.Top1), f3(s.B2Window.MRR))
	}

	fmt.Fprintf(w, "\n## Per repository\n\n| W | repository | cases | JSON top-1 | MRR | text top-1 | B1 top-1 | B2 top-1 | B2 MRR |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, win := range r.Windows {
		for _, repo := range r.repos() {
			s := r.Summarize(win, repo, func(c *CaseResult) bool { return c.Repo == repo })
			if s.JSON.N == 0 {
				continue
			}
			fmt.Fprintf(w, "| %d | %s | %d | %s | %s | %s | %s | %s | %s |\n", win, repo, s.JSON.N, f3(s.JSON.Top1), f3(s.JSON.MRR),
				f3(s.Text.Top1), f3(s.B1.Top1), f3(s.B2.Top1), f3(s.B2.MRR))
		}
	}

	fmt.Fprintf(w, "\n## Per trace format (all windows pooled)\n\n| format | case-windows | JSON top-1 | text failed | B2 top-1 |\n|---|---:|---:|---:|---:|\n")
	for _, f := range r.formats() {
		var js, b2 []Ranked
		failed := 0
		for _, c := range r.Cases {
			if c.Format != f {
				continue
			}
			for _, wr := range c.Windows {
				js = append(js, Ranked{Rank: wr.JSON.Rank})
				b2 = append(b2, Ranked{Rank: wr.B2.Rank})
				if wr.Text != nil && wr.Text.Failed() {
					failed++
				}
			}
		}
		fmt.Fprintf(w, "| %s | %d | %s | %d | %s |\n", f, len(js), f3(Summarize(js).Top1), failed, f3(Summarize(b2).Top1))
	}

	r.writeOnStack(w)
	r.writeCost(w)
	r.writeErrors(w)

	fmt.Fprintf(w, "\n## Cases\n\nrank: JSON event / text trace / B1 / B2 (- = not run, a = abstained, e = analyze failed).\n\n| case | half | format | age (d) | innermost in-app frame |")
	for _, win := range r.Windows {
		fmt.Fprintf(w, " %dd |", win)
	}
	fmt.Fprintf(w, "\n|---|---|---|---:|---|")
	for range r.Windows {
		fmt.Fprintf(w, "---|")
	}
	fmt.Fprintln(w)
	for _, c := range r.Cases {
		fmt.Fprintf(w, "| %s | %s | %s | %.0f | %s |", c.ID, c.Half, c.Format, c.AgeDays, orDash(c.Innermost))
		for _, win := range r.Windows {
			wr := c.Windows[strconv.Itoa(win)]
			if wr == nil {
				fmt.Fprintf(w, " - |")
				continue
			}
			t := "-"
			if wr.Text != nil {
				t = cell(*wr.Text)
			}
			fmt.Fprintf(w, " %s / %s / %d / %d |", cell(wr.JSON), t, wr.B1.Rank, wr.B2.Rank)
		}
		fmt.Fprintln(w)
	}
}

func cell(iv Invocation) string {
	switch {
	case iv.Failed():
		return "e"
	case iv.Rank == 0 && (iv.Abstained || len(iv.Suspects) == 0):
		return "a"
	}
	return strconv.Itoa(iv.Rank)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (r *Results) repos() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range r.Cases {
		if !seen[c.Repo] {
			seen[c.Repo] = true
			out = append(out, c.Repo)
		}
	}
	sort.Strings(out)
	return out
}

func (r *Results) formats() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range r.Cases {
		if !seen[c.Format] {
			seen[c.Format] = true
			out = append(out, c.Format)
		}
	}
	sort.Strings(out)
	return out
}

// Cost is the time and memory of the analyze runs.
type Cost struct {
	Runs          int     `json:"runs"`
	MedianSeconds float64 `json:"median_seconds"`
	MaxSeconds    float64 `json:"max_seconds"`
	Slowest       string  `json:"slowest"`
	MaxRSSMB      float64 `json:"max_rss_mb"`
	Largest       string  `json:"largest"`
	MedianRSSMB   float64 `json:"median_rss_mb"`
}

// CostOf measures the JSON-event runs (text runs that parse take as long).
func (r *Results) CostOf() Cost {
	var secs, rss []float64
	var c Cost
	for _, cr := range r.Cases {
		for _, win := range r.Windows {
			wr := cr.Windows[strconv.Itoa(win)]
			if wr == nil {
				continue
			}
			c.Runs++
			secs = append(secs, wr.JSON.Seconds)
			mb := float64(wr.JSON.MaxRSSKB) / 1024
			rss = append(rss, mb)
			if wr.JSON.Seconds > c.MaxSeconds {
				c.MaxSeconds, c.Slowest = wr.JSON.Seconds, fmt.Sprintf("%s at %dd", cr.ID, win)
			}
			if mb > c.MaxRSSMB {
				c.MaxRSSMB, c.Largest = mb, fmt.Sprintf("%s at %dd", cr.ID, win)
			}
		}
	}
	c.MedianSeconds, c.MedianRSSMB = Median(secs), Median(rss)
	return c
}

func (r *Results) writeCost(w io.Writer) {
	c := r.CostOf()
	fmt.Fprintf(w, "\n## Time and memory (JSON-event runs, cold diff cache unless -shared-cache)\n\n")
	fmt.Fprintf(w, "- runs: %d\n- time per run: median %.2f s, max %.2f s (%s)\n- peak memory per run (child Maxrss): median %.0f MB, max %.0f MB (%s)\n",
		c.Runs, c.MedianSeconds, c.MaxSeconds, orDash(c.Slowest), c.MedianRSSMB, c.MaxRSSMB, orDash(c.Largest))
}

func (r *Results) writeErrors(w io.Writer) {
	msgs := map[string]int{}
	for _, c := range r.Cases {
		for _, wr := range c.Windows {
			for kind, iv := range map[string]*Invocation{"json": &wr.JSON, "text": wr.Text} {
				if iv != nil && iv.Failed() {
					m := normalizeErr(iv.Error)
					if len(m) > 110 {
						m = m[:110] + "…"
					}
					msgs[kind+": "+m]++
				}
			}
		}
	}
	if len(msgs) == 0 {
		return
	}
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if msgs[keys[i]] != msgs[keys[j]] {
			return msgs[keys[i]] > msgs[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Fprintf(w, "\n## analyze failures (case-windows)\n\n")
	for _, k := range keys {
		fmt.Fprintf(w, "- %d × %s\n", msgs[k], k)
	}
}

// signalPathRE matches the per-case signal file in analyze's messages.
var signalPathRE = regexp.MustCompile(`\S*/signals/[^/\s:]+/(?:trace\.txt|event\.json)`)

// normalizeErr drops the per-case file names from an error so equal
// failures group.
func normalizeErr(s string) string {
	return signalPathRE.ReplaceAllString(s, "SIGNAL")
}

// writeOnStack splits each set by where the cause lies: on the stack (an
// inducer touched an in-app frame's file) or off it, where no frame's
// evidence can reach it.
func (r *Results) writeOnStack(w io.Writer) {
	fmt.Fprintf(w, "\n## Where the cause lies\n\n")
	fmt.Fprintf(w, "On the stack: an inducer's change (against its first parent) touched the file of an in-app frame. ")
	fmt.Fprintf(w, "Off it, only a frame's folder, the symptoms' words and recency point at the inducer.\n\n")
	fmt.Fprintf(w, "| W | set | cases | on the stack | JSON top-1 / MRR there | B2 top-1 there | off the stack | JSON top-1 / MRR there |\n")
	fmt.Fprintf(w, "|---:|---|---:|---:|---|---:|---:|---|\n")
	for _, win := range r.Windows {
		for _, set := range r.sets() {
			in := inSet(set)
			all := r.Summarize(win, set, in)
			on := r.Summarize(win, set, func(c *CaseResult) bool { return in(c) && c.OnStack })
			off := r.Summarize(win, set, func(c *CaseResult) bool { return in(c) && !c.OnStack })
			fmt.Fprintf(w, "| %d | %s | %d | %d | %s / %s | %s | %d | %s / %s |\n", win, set, all.JSON.N,
				on.JSON.N, f3(on.JSON.Top1), f3(on.JSON.MRR), f3(on.B2.Top1), off.JSON.N, f3(off.JSON.Top1), f3(off.JSON.MRR))
		}
	}
}
