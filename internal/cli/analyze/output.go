package analyze

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/render"
)

// writeReport prints rep in the chosen format on stdout.
func writeReport(ios *iostreams.IOStreams, format render.Format, rep *Report, top int) error {
	switch format {
	case render.JSON:
		return writeJSON(ios.Out, rep)
	case render.Markdown:
		return writeMarkdown(ios.Out, rep, top)
	}
	return writeTable(ios, rep, top)
}

// writeJSON writes rep as one indented JSON document, like render.WriteJSON,
// but encodes the commits one at a time so that the whole document is never
// held in memory twice.
func writeJSON(w io.Writer, rep *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	field := func(name string, v any, last bool) error {
		b, err := marshalIndent(v, "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "  %q: %s", name, b)
		if !last {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		return nil
	}
	bw.WriteString("{\n")
	if err := field("window", rep.Window, false); err != nil {
		return err
	}
	if err := field("repos", rep.Repos, false); err != nil {
		return err
	}
	if len(rep.Commits) == 0 {
		bw.WriteString("  \"commits\": [],\n")
	} else {
		bw.WriteString("  \"commits\": [\n")
		for i, c := range rep.Commits {
			b, err := marshalIndent(c, "    ")
			if err != nil {
				return err
			}
			bw.WriteString("    ")
			bw.Write(b)
			if i < len(rep.Commits)-1 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		bw.WriteString("  ],\n")
	}
	if err := field("signals", rep.Signals, false); err != nil {
		return err
	}
	if err := field("notes", rep.Notes, true); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// marshalIndent is json.MarshalIndent without HTML escaping.
func marshalIndent(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func repoStatus(r RepoReport) string {
	if r.Error != nil {
		if r.Error.Status > 0 {
			return fmt.Sprintf("failed: HTTP %d: %s", r.Error.Status, oneLine(r.Error.Message, 80))
		}
		return "failed: " + oneLine(r.Error.Message, 80)
	}
	if r.DiffstatFallbacks > 0 {
		return fmt.Sprintf("ok (%d via diffstat)", r.DiffstatFallbacks)
	}
	return "ok"
}

func repoCells(r RepoReport) []string {
	ref := r.Ref
	if ref == "" {
		ref = "-"
	}
	if r.Error != nil {
		return []string{r.Repo, r.Source, ref, "-", "-", "-", "-", repoStatus(r)}
	}
	return []string{r.Repo, r.Source, ref,
		strconv.Itoa(r.Commits), strconv.Itoa(r.FilesChanged),
		"+" + strconv.Itoa(r.LinesAdded), "-" + strconv.Itoa(r.LinesRemoved), repoStatus(r)}
}

var repoHeader = []string{"REPO", "SOURCE", "REF", "COMMITS", "FILES", "+LINES", "-LINES", "STATUS"}

func windowLine(w WindowReport) string {
	return fmt.Sprintf("Commits from %s to %s (%d %s)",
		w.Since.Format(time.RFC3339), w.Until.Format(time.RFC3339), w.LookbackDays, plural(w.LookbackDays, "day", "days"))
}

func writeTable(ios *iostreams.IOStreams, rep *Report, top int) error {
	w := ios.Out
	fmt.Fprintln(w, windowLine(rep.Window))
	fmt.Fprintln(w)
	t := render.NewTable(w, ios.Bold, repoHeader...)
	for _, r := range rep.Repos {
		t.Row(repoCells(r)...)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	for _, r := range rep.Repos {
		if r.Error != nil && r.Error.Hint != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Repo, oneLine(r.Error.Hint, 300))
		}
	}
	for _, s := range rep.Signals {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%s\n", ios.Bold(signalHeading(s)))
		if s.Abstained || len(s.Suspects) == 0 {
			reason := s.Reason
			if reason == "" {
				reason = "no candidate commit touched the frames' files"
			}
			fmt.Fprintf(w, "  no confident suspect: %s\n", oneLine(reason, 200))
		}
		for i, su := range s.Suspects {
			if i >= top {
				break
			}
			fmt.Fprintf(w, "  #%d %.2f %s %s (%s, %s)\n", su.Rank, su.Score, shortHash(su.Hash),
				oneLine(su.Summary, 72), authorName(su.Author), su.Date.Format("2006-01-02"))
			if len(su.Evidence) > 0 {
				fmt.Fprintf(w, "       %s\n", evidenceLine(su.Evidence[0]))
			}
		}
		if s.Unmapped > 0 {
			fmt.Fprintf(w, "  %d in-app %s matched no repository file%s\n", s.Unmapped,
				plural(s.Unmapped, "frame", "frames"), firstUnmapped(s))
		}
	}
	return nil
}

func signalHeading(s SignalReport) string {
	title := s.Title
	if title == "" {
		title = "(untitled)"
	}
	h := oneLine(title, 120)
	if s.Source != "" {
		h += " [" + s.Source + "]"
	}
	return h
}

func firstUnmapped(s SignalReport) string {
	for _, f := range s.Frames {
		if f.InApp && f.Path == "" {
			loc := f.File
			if f.Line > 0 {
				loc += ":" + strconv.Itoa(f.Line)
			}
			return " (first: " + oneLine(loc, 100) + ")"
		}
	}
	return ""
}

func evidenceLine(e EvidenceReport) string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if loc != "" {
		return fmt.Sprintf("%s: %s %s", e.Kind, loc, oneLine(e.Detail, 160))
	}
	return fmt.Sprintf("%s: %s", e.Kind, oneLine(e.Detail, 160))
}

func writeMarkdown(w io.Writer, rep *Report, top int) error {
	var b strings.Builder
	b.WriteString("## sigsentry analyze\n\n")
	b.WriteString(mdText(windowLine(rep.Window)) + "\n\n")
	rows := make([][]string, 0, len(rep.Repos))
	for _, r := range rep.Repos {
		cells := repoCells(r)
		cells[0] = "`" + mdCode(cells[0]) + "`"
		rows = append(rows, cells)
	}
	header := []string{"Repository", "Source", "Ref", "Commits", "Files", "+Lines", "-Lines", "Status"}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	b.Reset()
	if err := render.MarkdownTable(w, header, rows); err != nil {
		return err
	}
	for _, r := range rep.Repos {
		if r.Error != nil && r.Error.Hint != "" {
			fmt.Fprintf(&b, "\n> **%s**: %s\n", mdText(r.Repo), mdText(oneLine(r.Error.Hint, 300)))
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "\n> Note: %s\n", mdText(n))
	}
	for _, s := range rep.Signals {
		fmt.Fprintf(&b, "\n### %s\n\n", mdText(oneLine(s.Title, 200)))
		meta := []string{}
		if s.Source != "" {
			meta = append(meta, "source `"+mdCode(s.Source)+"`")
		}
		if s.Format != "" {
			meta = append(meta, mdText(s.Format))
		}
		if s.Timestamp != nil {
			meta = append(meta, "at "+s.Timestamp.UTC().Format(time.RFC3339))
		}
		if len(meta) > 0 {
			b.WriteString(strings.Join(meta, " · ") + "\n\n")
		}
		if s.Abstained || len(s.Suspects) == 0 {
			reason := s.Reason
			if reason == "" {
				reason = "no candidate commit touched the frames' files"
			}
			fmt.Fprintf(&b, "**No confident suspect:** %s\n", mdText(oneLine(reason, 300)))
		}
		for i, su := range s.Suspects {
			if i >= top {
				break
			}
			fmt.Fprintf(&b, "%d. `%s` %s — %s, %s — score %.2f (`%s`)\n", su.Rank, shortHash(su.Hash),
				mdText(oneLine(su.Summary, 100)), mdText(authorName(su.Author)), su.Date.Format("2006-01-02"),
				su.Score, mdCode(su.Repo))
			for _, e := range su.Evidence {
				loc := e.File
				if e.Line > 0 {
					loc += ":" + strconv.Itoa(e.Line)
				}
				if loc != "" {
					fmt.Fprintf(&b, "   - %s `%s`: %s\n", e.Kind, mdCode(loc), mdText(oneLine(e.Detail, 300)))
				} else {
					fmt.Fprintf(&b, "   - %s: %s\n", e.Kind, mdText(oneLine(e.Detail, 300)))
				}
			}
		}
		if s.Unmapped > 0 {
			fmt.Fprintf(&b, "\n%d in-app %s matched no repository file%s.\n", s.Unmapped,
				plural(s.Unmapped, "frame", "frames"), mdText(firstUnmapped(s)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdText escapes Markdown's inline syntax in plain text.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`,
)

func mdText(s string) string { return mdReplacer.Replace(s) }

// mdCode keeps s safe inside a one-backtick code span.
func mdCode(s string) string { return strings.ReplaceAll(oneLine(s, 300), "`", "'") }

// oneLine collapses s to one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// authorName drops the e-mail address from "Name <mail>".
func authorName(a string) string {
	if i := strings.Index(a, " <"); i > 0 {
		return a[:i]
	}
	return a
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
