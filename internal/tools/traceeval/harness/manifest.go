package harness

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Case is one reviewed entry of the manifest.
type Case struct {
	Repo     string   // owner/name
	Fix      string   // full hash of the fix commit
	Inducers []string // full hashes named by its Fixes: trailers
	Format   string   // the trace's format
	Block    int      // which trace of the message (0-based, in order)
	// Half is the half the case was put in when it was added (Tune or
	// Held); empty for a case not yet placed (see Split).
	Half string
	Note string
}

// ID names a case in reports: owner/name@short-fix.
func (c Case) ID() string {
	return c.Repo + "@" + short(c.Fix)
}

// Key names a case uniquely: owner/name@full-fix.
func (c Case) Key() string { return c.Repo + "@" + c.Fix }

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

var (
	repoRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	shaRE  = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// manifestHeader is the first line of the manifest; oldHeader, that of a
// manifest written before halves were recorded, is still read.
const (
	manifestHeader = "repo\tfix\tinducers\tformat\tblock\thalf\tnote"
	oldHeader      = "repo\tfix\tinducers\tformat\tblock\tnote"
)

// ReadManifest reads a tab-separated manifest: a header line, then one case
// a line. Lines starting with "#" and blank lines are skipped.
func ReadManifest(r io.Reader) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var cases []Case
	seen := map[string]bool{}
	n := 0
	header, withHalf := false, false
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !header {
			if line != manifestHeader && line != oldHeader {
				return nil, fmt.Errorf("reading the manifest: line %d: want the header %q", n, manifestHeader)
			}
			header, withHalf = true, line == manifestHeader
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			return nil, fmt.Errorf("reading the manifest: line %d: want at least 5 tab-separated fields, got %d", n, len(f))
		}
		c := Case{Repo: f[0], Fix: f[1], Format: f[3]}
		notes := f[5:]
		if withHalf && len(f) > 5 {
			c.Half, notes = f[5], f[6:]
			if c.Half != "" && c.Half != Tune && c.Half != Held {
				return nil, fmt.Errorf("reading the manifest: line %d: half %q is neither %s nor %s", n, c.Half, Tune, Held)
			}
		}
		c.Note = strings.Join(notes, " ")
		if !repoRE.MatchString(c.Repo) {
			return nil, fmt.Errorf("reading the manifest: line %d: repository %q is not owner/name", n, c.Repo)
		}
		if !shaRE.MatchString(c.Fix) {
			return nil, fmt.Errorf("reading the manifest: line %d: fix %q is not a full commit hash", n, c.Fix)
		}
		for _, s := range strings.Split(f[2], ",") {
			s = strings.TrimSpace(s)
			if !shaRE.MatchString(s) {
				return nil, fmt.Errorf("reading the manifest: line %d: inducer %q is not a full commit hash", n, s)
			}
			c.Inducers = append(c.Inducers, s)
		}
		b, err := strconv.Atoi(f[4])
		if err != nil || b < 0 {
			return nil, fmt.Errorf("reading the manifest: line %d: block %q is not a number", n, f[4])
		}
		c.Block = b
		key := c.Repo + "@" + c.Fix
		if seen[key] {
			return nil, fmt.Errorf("reading the manifest: line %d: %s is listed twice", n, key)
		}
		seen[key] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	if !header {
		return nil, fmt.Errorf("reading the manifest: it is empty")
	}
	return cases, nil
}

// WriteManifest writes cases in the manifest's format.
func WriteManifest(w io.Writer, cases []Case) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, manifestHeader)
	for _, c := range cases {
		note := strings.NewReplacer("\t", " ", "\n", " ").Replace(c.Note)
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", c.Repo, c.Fix, strings.Join(c.Inducers, ","), c.Format, c.Block, c.Half, note)
	}
	return bw.Flush()
}
