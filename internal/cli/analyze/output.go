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

// marshalIndent is json.MarshalIndent without HTML escaping, with the
// controls encoding/json leaves raw escaped (see render.SafeJSON).
func marshalIndent(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return render.SafeJSON(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// Every string of the report that came from outside (Bitbucket, a git
// repository, a signal file) reaches the terminal through the render
// package: table and Markdown cells, and render.Fprintf for every other
// line, which sanitizes each argument (see render.Sanitize). Nothing below
// writes to the output any other way.

func repoStatus(r RepoReport) string {
	if r.Error != nil {
		if r.Error.Status > 0 {
			return fmt.Sprintf("failed: HTTP %d: %s", r.Error.Status, oneLine(r.Error.Message, 80))
		}
		return "failed: " + oneLine(r.Error.Message, 80)
	}
	var parts []string
	if r.DiffstatFallbacks > 0 {
		parts = append(parts, fmt.Sprintf("%d via diffstat", r.DiffstatFallbacks))
	}
	if r.Uncounted > 0 {
		parts = append(parts, fmt.Sprintf("%d uncounted", r.Uncounted))
	}
	if r.ShallowEdge > 0 {
		parts = append(parts, "shallow clone")
	}
	if len(parts) == 0 {
		return "ok"
	}
	return "ok (" + strings.Join(parts, ", ") + ")"
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
		w.Since.Format(time.RFC3339), w.Until.Format(time.RFC3339), w.LookbackDays, render.Plural(w.LookbackDays, "day", "days"))
}

// Widths, in terminal columns, of the texts a table line holds.
const (
	summaryWidth  = 72
	authorWidth   = 40
	evidenceWidth = 160
	// pathWidth is how wide a path may be inside an evidence line before
	// its middle folders are elided, so that what follows it stays.
	pathWidth = 60
)

// suspectDate is a suspect's date, and the day it landed on the ref when
// that is another day: the window is by landing, so a patch written
// before the window began shows why it is in it.
func suspectDate(rep *Report, su SuspectReport) string {
	d := su.Date.UTC().Format("2006-01-02")
	for _, c := range rep.Commits {
		if c.Hash == su.Hash && c.Repo == su.Repo && !c.Landed.IsZero() {
			if l := c.Landed.UTC().Format("2006-01-02"); l != d {
				return d + ", landed " + l
			}
			break
		}
	}
	return d
}

func writeTable(ios *iostreams.IOStreams, rep *Report, top int) error {
	w := bufio.NewWriter(ios.Out)
	p := func(format string, a ...any) { _, _ = render.Fprintf(w, format, a...) }
	p("%s\n\n", windowLine(rep.Window))
	t := render.NewTable(w, ios.Bold, repoHeader...)
	for _, r := range rep.Repos {
		t.Row(repoCells(r)...)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	for _, r := range rep.Repos {
		if r.Error != nil && r.Error.Hint != "" {
			p("hint for %s: %s\n", r.Repo, oneLine(r.Error.Hint, 600))
		}
	}
	for _, s := range rep.Signals {
		p("\n%s\n", ios.Bold(signalHeading(s)))
		if line := sentryLine(s); line != "" {
			p("  %s\n", oneLine(line, 300))
		}
		switch {
		case s.Error != "":
			p("  could not be read: %s\n", oneLine(s.Error, 300))
		case s.Abstained || len(s.Suspects) == 0:
			p("  no confident suspect: %s\n", oneLine(reason(s), 200))
		}
		for i, su := range s.Suspects {
			if i >= top {
				break
			}
			p("  #%d %.2f %s %s (%s, %s)\n", su.Rank, su.Score, shortHash(su.Hash),
				oneLine(su.Summary, summaryWidth), oneLine(authorName(su.Author), authorWidth), suspectDate(rep, su))
			if len(su.Evidence) > 0 {
				p("       %s\n", oneLine(layoutEvidence(su.Evidence[0], pathWidth).text(), evidenceWidth))
			}
		}
		if s.Unmapped > 0 {
			p("  %d in-app %s matched no repository file%s\n", s.Unmapped,
				render.Plural(s.Unmapped, "frame", "frames"), firstUnmapped(s))
		}
	}
	return w.Flush()
}

func signalHeading(s SignalReport) string {
	title := s.Title
	if title == "" {
		title = "(untitled)"
	}
	h := oneLine(title, 120)
	if s.Source != "" {
		h += " [" + oneLine(s.Source, 120) + "]"
	}
	return h
}

// sentryLine says where a signal pulled from Sentry came from and at
// which commit it was analyzed ("" for other signals).
func sentryLine(s SignalReport) string {
	x := s.Sentry
	if x == nil {
		return ""
	}
	id := x.ShortID
	if id == "" {
		id = x.Issue
	}
	if id == "" {
		id = x.Input
	}
	line := "Sentry issue " + id
	if x.file {
		line = "Sentry event in " + x.Input
	}
	if x.Event != "" {
		line += ", event " + shortHash(x.Event)
	}
	switch {
	case x.Ref != "":
		line += fmt.Sprintf(", release %s: analyzed %s at %s", x.Release, x.Repo, shortHash(x.Ref))
	case x.Note != "":
		line += ": " + x.Note
	}
	return line
}

// reason is why a signal has no confident suspect, without the "no
// confident suspect:" the output puts in front of it.
func reason(s SignalReport) string {
	r := strings.TrimSpace(s.Reason)
	const prefix = "no confident suspect:"
	for len(r) >= len(prefix) && strings.EqualFold(r[:len(prefix)], prefix) {
		r = strings.TrimSpace(r[len(prefix):])
	}
	if r == "" {
		r = "no candidate commit touched the frames' files"
	}
	return r
}

func firstUnmapped(s SignalReport) string {
	for _, f := range s.Frames {
		if f.InApp && f.Path == "" {
			loc := f.File
			if f.Line > 0 && loc != "" {
				loc += ":" + strconv.Itoa(f.Line)
			}
			if f.Function != "" {
				if loc == "" {
					loc = f.Function
				} else {
					loc += " in " + f.Function
				}
			}
			if loc == "" {
				return ""
			}
			return " (first: " + oneLine(loc, 100) + ")"
		}
	}
	return ""
}

// evidenceParts is one evidence laid out for a line: its kind, then the
// detail with the file (and line) it names at loc, said once.
type evidenceParts struct {
	kind, before, loc, after string
}

// layoutEvidence lays e out so that its useful parts survive a cut at the
// end: the kind first, the file said once (where the detail says it, with
// the line when the detail does not give it), paths wider than maxPath
// columns elided in the middle (0: never), and the rest of the detail (the
// frame, the function) after it.
func layoutEvidence(e EvidenceReport, maxPath int) evidenceParts {
	kind := strings.TrimSpace(e.Rule) // the finer name, on a terminal
	if kind == "" {
		kind = strings.TrimSpace(e.Kind)
	}
	if kind == "" {
		kind = "evidence"
	}
	ev := evidenceParts{kind: kind}
	detail := strings.Join(strings.Fields(e.Detail), " ")
	file := strings.TrimSpace(e.File)
	if file == "" {
		ev.after = detail
		if e.Line > 0 {
			ev.loc = "line " + strconv.Itoa(e.Line)
			ev.after = ": " + detail
			if detail == "" {
				ev.after = ""
			}
		}
		return ev
	}
	loc := elidePath(file, maxPath)
	if i := strings.Index(detail, file); i >= 0 {
		if e.Line > 0 && !mentionsLine(detail, e.Line) {
			loc += ":" + strconv.Itoa(e.Line)
		}
		ev.before, ev.loc = detail[:i], loc
		ev.after = strings.ReplaceAll(detail[i+len(file):], file, elidePath(file, maxPath))
		return ev
	}
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	ev.loc = loc
	if detail != "" {
		ev.after = ": " + detail
	}
	return ev
}

// text is the evidence as plain text.
func (e evidenceParts) text() string { return e.kind + ": " + e.before + e.loc + e.after }

// markdown is the evidence as Markdown, with the file in a code span.
func (e evidenceParts) markdown() string {
	s := "**" + mdText(oneLine(e.kind, 40)) + "**: " + mdText(spaced(e.before, 300))
	if e.loc != "" {
		s += "`" + mdCode(e.loc) + "`"
	}
	return s + mdText(spaced(e.after, 300))
}

// spaced is oneLine keeping one space at either end where s has one, for
// text that sits next to a code span.
func spaced(s string, n int) string {
	out := oneLine(s, n)
	if out == "" {
		return ""
	}
	if strings.HasPrefix(s, " ") {
		out = " " + out
	}
	if strings.HasSuffix(s, " ") {
		out += " "
	}
	return out
}

// mentionsLine reports whether detail says "line N" for this N.
func mentionsLine(detail string, n int) bool {
	want := "line " + strconv.Itoa(n)
	for i := 0; ; {
		j := strings.Index(detail[i:], want)
		if j < 0 {
			return false
		}
		end := i + j + len(want)
		if end == len(detail) || detail[end] < '0' || detail[end] > '9' {
			return true
		}
		i = end
	}
}

// elidePath shortens a slash-separated path wider than width columns by
// replacing middle folders with an ellipsis: it keeps the first folder and
// as many of the last elements as fit, the file name always. A width of 0
// keeps every path whole.
func elidePath(p string, width int) string {
	if width <= 0 || render.Width(p) <= width {
		return p
	}
	parts := strings.Split(p, "/")
	if len(parts) < 3 {
		return p
	}
	head := parts[0] + "/" + render.Ellipsis
	tail := "/" + parts[len(parts)-1]
	for i := len(parts) - 2; i > 0; i-- {
		next := "/" + parts[i] + tail
		if render.Width(head+next) > width {
			break
		}
		tail = next
	}
	return head + tail
}

func writeMarkdown(w io.Writer, rep *Report, top int) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { _, _ = render.Fprintf(bw, format, a...) }
	p("## sigsentry analyze\n\n%s\n\n", mdText(windowLine(rep.Window)))
	rows := make([][]string, 0, len(rep.Repos))
	for _, r := range rep.Repos {
		cells := repoCells(r)
		cells[0] = "`" + mdCode(cells[0]) + "`"
		rows = append(rows, cells)
	}
	header := []string{"Repository", "Source", "Ref", "Commits", "Files", "+Lines", "-Lines", "Status"}
	if err := render.MarkdownTable(bw, header, rows); err != nil {
		return err
	}
	for _, r := range rep.Repos {
		if r.Error != nil && r.Error.Hint != "" {
			p("\n> **Hint for %s**: %s\n", mdText(oneLine(r.Repo, 200)), mdProse(oneLine(r.Error.Hint, 600)))
		}
	}
	for _, n := range rep.Notes {
		p("\n> Note: %s\n", mdProse(oneLine(n, 600)))
	}
	for _, s := range rep.Signals {
		title := s.Title
		if title == "" {
			title = "(untitled)"
		}
		p("\n### %s\n\n", mdText(oneLine(title, 200)))
		meta := []string{}
		if s.Source != "" {
			meta = append(meta, "source `"+mdCode(s.Source)+"`")
		}
		if s.Format != "" {
			meta = append(meta, mdText(oneLine(s.Format, 40)))
		}
		if s.Timestamp != nil {
			meta = append(meta, "at "+s.Timestamp.UTC().Format(time.RFC3339))
		}
		if len(meta) > 0 {
			p("%s\n\n", strings.Join(meta, " · "))
		}
		if line := sentryLine(s); line != "" {
			p("%s\n\n", mdText(oneLine(line, 300)))
		}
		switch {
		case s.Error != "":
			p("**Could not be read:** %s\n", mdText(oneLine(s.Error, 300)))
		case s.Abstained || len(s.Suspects) == 0:
			p("**No confident suspect:** %s\n", mdText(oneLine(reason(s), 300)))
		}
		for i, su := range s.Suspects {
			if i >= top {
				break
			}
			repo := ""
			if su.Repo != "" {
				repo = " (`" + mdCode(su.Repo) + "`)"
			}
			p("%d. `%s` %s — %s, %s — score %.2f%s\n", su.Rank, mdCode(shortHash(su.Hash)),
				mdText(oneLine(su.Summary, 100)), mdText(oneLine(authorName(su.Author), 100)), suspectDate(rep, su),
				su.Score, repo)
			for _, e := range su.Evidence {
				p("   - %s\n", layoutEvidence(e, 0).markdown())
			}
		}
		if s.Unmapped > 0 {
			p("\n%d in-app %s matched no repository file%s.\n", s.Unmapped,
				render.Plural(s.Unmapped, "frame", "frames"), mdText(firstUnmapped(s)))
		}
	}
	return bw.Flush()
}

// mdText escapes Markdown's inline syntax in plain text.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`,
)

func mdText(s string) string { return mdReplacer.Replace(s) }

// mdProse is mdText for our own advice, whose `commands` become code spans
// (when its backquotes pair up; otherwise they are escaped like the rest).
func mdProse(s string) string {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return mdText(s)
	}
	for i, p := range parts {
		if i%2 == 0 {
			parts[i] = mdText(p)
		} else {
			parts[i] = "`" + mdCode(p) + "`"
		}
	}
	return strings.Join(parts, "")
}

// mdCode keeps s safe inside a one-backtick code span.
func mdCode(s string) string { return strings.ReplaceAll(oneLine(s, 300), "`", "'") }

// oneLine collapses s to one safe line (see render.Line) of at most n
// columns, cut at the end with an ellipsis (see render.Truncate).
func oneLine(s string, n int) string {
	return render.Truncate(strings.Join(strings.Fields(s), " "), n)
}

// shortHash is the first 7 characters of a hash (whole runes, should a
// server send something else than hex).
func shortHash(h string) string {
	n := 0
	for i := range h {
		if n == 7 {
			return h[:i]
		}
		n++
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
