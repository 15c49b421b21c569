package diffstat

import (
	"strings"
)

// cUnquote undoes git's C-style quoting of a path ("a/caf\303\251.txt" with
// the quotes). It reports false when s is not a complete quoted string. The
// escapes are the ones git's quote_c_style writes: \a \b \t \n \v \f \r \"
// \\ and three-digit octal for any other byte.
func cUnquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	s = s[1 : len(s)-1]
	if strings.IndexByte(s, '\\') < 0 {
		if strings.IndexByte(s, '"') >= 0 {
			return "", false
		}
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return "", false
		case '\\':
		default:
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch e := s[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case '"', '\\':
			b.WriteByte(e)
		case '0', '1', '2', '3':
			if i+2 >= len(s) || !isOctal(s[i+1]) || !isOctal(s[i+2]) {
				return "", false
			}
			b.WriteByte((e-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
			i += 2
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// quotedPrefix returns the leading C-quoted string of s (quotes included)
// and the rest, or ok=false when s does not start with a closed quote.
func quotedPrefix(s string) (quoted, rest string, ok bool) {
	if s == "" || s[0] != '"' {
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return s[:i+1], s[i+1:], true
		}
	}
	return "", "", false
}

// unquotePath unquotes s if git quoted it, else returns it as is.
func unquotePath(s string) string {
	if u, ok := cUnquote(s); ok {
		return u
	}
	return s
}

// gitArgs splits the two names of a "diff --git A B" line (args is the part
// after "diff --git "), unquoting them. Unquoted names may contain spaces,
// which makes the line ambiguous; git only writes such a line for an
// unrenamed file, so then the two names are the same apart from their
// prefixes and the line splits in the middle. ok is false when the names
// cannot be told apart.
func gitArgs(args string) (a, b string, ok bool) {
	if q, rest, isQuoted := quotedPrefix(args); isQuoted {
		a, _ = cUnquote(q)
		if !strings.HasPrefix(rest, " ") {
			return "", "", false
		}
		rest = rest[1:]
		if q2, tail, ok2 := quotedPrefix(rest); ok2 && tail == "" {
			b, _ = cUnquote(q2)
			return a, b, true
		}
		if rest == "" || rest[0] == '"' {
			return "", "", false
		}
		return a, rest, true
	}
	if i := strings.IndexByte(args, '"'); i > 0 && args[i-1] == ' ' && args[len(args)-1] == '"' {
		if q, tail, ok2 := quotedPrefix(args[i:]); ok2 && tail == "" {
			b, _ = cUnquote(q)
			return args[:i-1], b, true
		}
	}
	// Both unquoted. One space: easy. More: split in the middle, when the
	// halves agree after their one-letter prefixes.
	if strings.Count(args, " ") == 1 {
		i := strings.IndexByte(args, ' ')
		if i == 0 || i == len(args)-1 || args[0] == '"' || args[i+1] == '"' {
			return "", "", false
		}
		return args[:i], args[i+1:], true
	}
	if len(args)%2 == 1 {
		h := len(args) / 2
		a, b = args[:h], args[h+1:]
		if args[h] == ' ' && samePath(a, b) {
			return a, b, true
		}
	}
	return "", "", false
}

// samePath reports whether a and b name the same path under git's
// prefixes ("a/x" and "b/x"), or are equal.
func samePath(a, b string) bool {
	if a == b {
		return true
	}
	return len(a) >= 2 && len(b) >= 2 && a[1] == '/' && b[1] == '/' && a[2:] == b[2:]
}

// stripPrefix removes git's "a/" or "b/" source/destination prefix (the
// one given). Paths of diffs made with --no-prefix keep their first
// directory when it happens to be named like the prefix; Bitbucket and
// git's defaults always use the prefixes.
func stripPrefix(p, prefix string) string {
	return strings.TrimPrefix(p, prefix)
}
