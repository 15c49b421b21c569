package signal

import (
	"regexp"
	"strings"
	"time"
)

var leadingTimeRE = regexp.MustCompile(`^\s*\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|z|[+-]\d{2}:?\d{2}))`)

// leadingTimestamp returns the RFC 3339 timestamp a log line starts with,
// or nil. A space instead of the T and a comma before the fraction are
// accepted; a time without a zone is not (it would be ambiguous).
func leadingTimestamp(line string) *time.Time {
	m := leadingTimeRE.FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	s := strings.Replace(m[1], " ", "T", 1)
	s = strings.Replace(s, ",", ".", 1)
	s = strings.Replace(s, "z", "Z", 1)
	if n := len(s); n > 5 && (s[n-5] == '+' || s[n-5] == '-') && !strings.Contains(s[n-5:], ":") {
		s = s[:n-2] + ":" + s[n-2:]
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// textTimestamp finds the timestamp of a signal whose text starts at line
// start: a leading timestamp on that line, else on the nearest non-empty
// line before it, else on the first non-empty line of the input.
func textTimestamp(lines []string, start int) *time.Time {
	if start < 0 || start >= len(lines) {
		return nil
	}
	if t := leadingTimestamp(lines[start]); t != nil {
		return t
	}
	for i := start - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		if t := leadingTimestamp(lines[i]); t != nil {
			return t
		}
		break
	}
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return leadingTimestamp(l)
		}
	}
	return nil
}

// stamp sets s's time from the log line its text starts at (see
// textTimestamp) and remembers that line.
func (s *Signal) stamp(lines []string, start int) {
	s.Timestamp = textTimestamp(lines, start)
	if start >= 0 && start < len(lines) {
		s.line = start + 1
	}
}
