package sentry

import "strings"

// CommitFromVersion returns the commit hash a release version carries, in
// lower case, or "" when it carries none. It understands:
//
//   - a bare hash: 9f3c2a1b... (7 to 40 hex digits);
//   - a package and a hash: backend@9f3c2a1;
//   - build metadata: app@1.4.2+9f3c2a1, app@1.4.2+build.9f3c2a1;
//   - git describe: app@1.4.2-3-g9f3c2a1, v1.4.2-3-g9f3c2a1;
//   - a hash among other dash- or dot-separated parts: web@2024.05.01-9f3c2a1.
//
// To keep numbers, dates and words from passing for hashes, a candidate of
// fewer than 40 digits must hold both a decimal digit and a letter a-f (so
// 20240501 and "defaced" are not hashes); 40 hex digits are always a hash.
// The hash may be abbreviated: resolve it in the repository.
func CommitFromVersion(version string) string {
	v := strings.TrimSpace(version)
	if len(v) == 0 || len(v) > 512 {
		return ""
	}
	if isCommitHash(v) {
		return strings.ToLower(v)
	}
	rest := v
	if i := strings.LastIndexByte(v, '@'); i >= 0 {
		rest = v[i+1:]
		if isCommitHash(rest) {
			return strings.ToLower(rest)
		}
	}
	// Build metadata first: it is where build tools put the hash.
	if _, build, ok := strings.Cut(rest, "+"); ok {
		if h := hashToken(build); h != "" {
			return h
		}
	}
	return hashToken(rest)
}

// hashToken returns the first part of s (split at . - _ + and space) that
// is a commit hash, or a git-describe "g" followed by one.
func hashToken(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '.' || r == '-' || r == '_' || r == '+' || r == ' '
	})
	for _, p := range parts {
		if isCommitHash(p) {
			return strings.ToLower(p)
		}
		if len(p) > 1 && (p[0] == 'g' || p[0] == 'G') && isHex(p[1:]) && len(p)-1 >= 7 && len(p)-1 <= 40 {
			// git describe: v1.2.3-4-gabc1234 (the digits-and-letters rule does
			// not apply: the g says it is a hash).
			return strings.ToLower(p[1:])
		}
	}
	return ""
}

// isCommitHash reports whether s is 40 hex digits, or 7 to 39 hex digits
// holding at least one decimal digit and one letter.
func isCommitHash(s string) bool {
	if len(s) < 7 || len(s) > 40 || !isHex(s) {
		return false
	}
	if len(s) == 40 {
		return true
	}
	return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(strings.ToLower(s), "abcdef")
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// ShortHash abbreviates a commit hash for a release version so that
// CommitFromVersion reads it back: 9 characters or more, until they hold
// both a digit and a letter (a prefix of only digits reads as a build
// number), the whole hash at most.
func ShortHash(h string) string {
	for n := 9; n < len(h); n++ {
		if isCommitHash(h[:n]) {
			return h[:n]
		}
	}
	return h
}
