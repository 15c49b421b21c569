package signal

import (
	"regexp"
	"strings"
)

// Log prefixes that hide a trace from the text parsers, which read lines
// from their start (a Python traceback's "  File", a Java frame's "\tat").
var (
	// syslogPrefixRE: a syslog or journald line, "Dec 28 06:43:00 host
	// unit[9777]: " (the month may be localized).
	syslogPrefixRE = regexp.MustCompile(`^\p{L}{3}\.? {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \S+ [^\s\[:]+(?:\[\d+\])?: ?`)
	// hostUnitRE: what journald's short-iso output writes after the time:
	// "host unit[pid]: ".
	hostUnitRE = regexp.MustCompile(`^\S+ [^\s\[:]+\[\d+\]: ?`)
	// logcatPrefixRE: Android logcat's "05-16 12:43:07.629: E/Tag(31031): "
	// (long and brief), "05-16 12:43:07.629  1234  1250 E Tag: "
	// (threadtime), "E/Tag(31031): " (brief) and "E/Tag: " (tag, what
	// "adb logcat -v tag" and Android Studio's old copy print; a tag of
	// two characters at least, so that "I/O: " is no prefix).
	logcatPrefixRE = regexp.MustCompile(`^(?:\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}:? +)?(?:[VDIWEFA]/[^\s(][^(]*\(\s*\d+\): ?|[VDIWEFA]/[\w.$-][^(:]{1,63}: ?|\d+ +\d+ +[VDIWEFA] +[^:]*?: ?)`)
	// logcatClockRE: a logcat line behind the time of day only, as some
	// tools print a device's log: "13:24:30 A DEBUG : ", "13:24:30 W  : "
	// (no tag), "13:24:30.629 E/Tag(31031): ", "13:24:30 E/Tag: ".
	logcatClockRE = regexp.MustCompile(`^\d\d:\d\d:\d\d(?:\.\d{3})? +(?:[VDIWEFA]/[^\s(:][^(:]*(?:\(\s*\d+\))?: ?|[VDIWEFA] +[^:]*?: ?)`)
	// studioLogcatRE: what Android Studio's logcat writes after the
	// time: "29547-29547/com.example.app A/DEBUG: " before 2022,
	// "21622-21622 DEBUG   crash_dump64   A  " (tag, package, level) since.
	studioLogcatRE = regexp.MustCompile(`^ *\d+-\d+(?:/\S+ [VDIWEFA]/[^:]*: ?| +\S+ +(?:\S+ +)?[VDIWEFA]  )`)
)

// stripLogPrefix removes a log's prefix from l, and reports whether there
// was one.
func stripLogPrefix(l string) (string, bool) {
	if m := syslogPrefixRE.FindString(l); m != "" {
		return l[len(m):], true
	}
	if logcatStart(l) {
		if m := logcatPrefixRE.FindString(l); m != "" && (m[0] >= '0' && m[0] <= '9' || strings.Contains(m, "/")) {
			return l[len(m):], true
		}
	}
	if len(l) > 9 && l[2] == ':' && l[5] == ':' {
		if m := logcatClockRE.FindString(l); m != "" {
			return l[len(m):], true
		}
	}
	if r := stripTimePrefix(l); len(r) < len(l) {
		if m := hostUnitRE.FindString(r); m != "" {
			r = r[len(m):]
		} else if t := strings.TrimLeft(r, " "); t != "" && t[0] >= '0' && t[0] <= '9' && strings.IndexByte(t, '-') > 0 {
			// Android Studio's pid-tid ("29547-29547 ..."): checked
			// cheaply before its expression, since most lines are not.
			if m := studioLogcatRE.FindString(r); m != "" {
				r = r[len(m):]
			}
		}
		return r, true
	}
	return l, false
}

// stripLogPrefixes returns lines without their log prefixes, and whether
// any line had one.
func stripLogPrefixes(lines []string) ([]string, bool) {
	var out []string
	for i, l := range lines {
		r, ok := stripLogPrefix(l)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]string(nil), lines...)
		}
		out[i] = r
	}
	return out, out != nil
}

// logcatStart reports whether l may start with a logcat prefix: a date or
// a pid ("05-16 ...", "1234  1250 E ..."), or a priority and its tag
// ("E/Tag"); most lines do not, and skip the expression.
func logcatStart(l string) bool {
	if l == "" {
		return false
	}
	if c := l[0]; c >= '0' && c <= '9' {
		return true
	}
	return len(l) > 1 && l[1] == '/' && strings.IndexByte("VDIWEFA", l[0]) >= 0
}
