package signal

import "strings"

// rsyslog escapes a message's control characters by default
// ($EscapeControlCharactersOnReceive): a trace logged as one message
// arrives as one line, its line breaks written "#012" and its tabs "#011"
// (the characters' octal codes).
const (
	syslogNewline = "#012"
	syslogTab     = "#011"
)

// expandSyslogEscapes puts back the line breaks and tabs rsyslog escaped in
// lines, and reports whether any line had one. The lines made from an
// escaped line break follow the log line they came from, bare, as the
// program wrote them: the trace's first line keeps the log's prefix and
// time ("Dec  5 10:00:00 web1 shop[4121]: Traceback ..."), which the signal
// takes.
func expandSyslogEscapes(lines []string) ([]string, bool) {
	var out []string
	found := false
	for _, l := range lines {
		if !strings.Contains(l, syslogNewline) {
			out = append(out, l)
			continue
		}
		found = true
		parts := strings.Split(strings.ReplaceAll(l, syslogTab, "\t"), syslogNewline)
		out = append(out, parts[0])
		for _, p := range parts[1:] {
			out = append(out, strings.TrimSuffix(p, "#015"))
		}
	}
	return out, found
}
