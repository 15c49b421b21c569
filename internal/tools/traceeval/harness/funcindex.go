package harness

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/tracetext"
)

var symbolRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// baseSymbol strips compiler suffixes from a kernel symbol
// ("f.isra.0", "f.constprop.3", "f.cold").
func baseSymbol(s string) string {
	if i := strings.IndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	return s
}

// FuncIndex finds, at rev, the file defining each function that the
// report's frames name without a file (kernel-style frames). A function
// defined in more than one file is left out.
func FuncIndex(ctx context.Context, g Git, rev string, r tracetext.Report) map[string]string {
	want := map[string]bool{}
	for _, st := range r.Stacks {
		for _, f := range st.Frames {
			if f.File == "" && !f.System {
				if s := baseSymbol(f.Function); symbolRE.MatchString(s) && len(s) > 2 {
					want[s] = true
				}
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 200 {
		names = names[:200]
	}
	// A definition starts a line: a return type (or nothing, when the type
	// sits on the line above), then the name and "("; a declaration ends
	// in ";" and a call sits inside a body (indented).
	pat := `^([A-Za-z_][A-Za-z0-9_ \t\*]*[ \t\*])?(` + strings.Join(names, "|") + `)[ \t]*\([^;]*$`
	out, err := g.Run(ctx, "grep", "-E", "-I", "-o", "--full-name", "-e", pat, rev, "--", "*.c", "*.S", "*.h")
	if err != nil {
		return nil
	}
	defs := map[string]map[string]bool{}
	nameRE := regexp.MustCompile(`(` + strings.Join(names, "|") + `)[ \t]*\(`)
	for _, l := range strings.Split(out, "\n") {
		// rev:path:match
		rest, ok := strings.CutPrefix(l, rev+":")
		if !ok {
			continue
		}
		path, match, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		m := nameRE.FindStringSubmatch(match)
		if m == nil {
			continue
		}
		if defs[m[1]] == nil {
			defs[m[1]] = map[string]bool{}
		}
		defs[m[1]][path] = true
	}
	idx := map[string]string{}
	for n, paths := range defs {
		if len(paths) != 1 {
			// Prefer the one .c file when a header only declares it.
			var cs []string
			for p := range paths {
				if strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".S") {
					cs = append(cs, p)
				}
			}
			if len(cs) == 1 {
				idx[n] = cs[0]
			}
			continue
		}
		for p := range paths {
			idx[n] = p
		}
	}
	return idx
}
