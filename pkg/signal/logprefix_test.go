package signal

import (
	"strings"
	"testing"
	"time"
)

// TestParseBehindLogPrefixes: a trace whose lines a log prefixed (a CI
// runner's time, journald's "host unit[pid]: ", Android logcat's tag) reads
// as the bare trace does, and takes the log's time when it has a zone.
func TestParseBehindLogPrefixes(t *testing.T) {
	python := []string{
		"Traceback (most recent call last):",
		`  File "/srv/app/jobs/report.py", line 114, in <module>`,
		"    rows = build(data)",
		`  File "/srv/app/jobs/report.py", line 40, in build`,
		`    return [r["instances"] for r in data]`,
		"KeyError: 'instances'",
	}
	java := []string{
		"FATAL EXCEPTION: main",
		"java.lang.NullPointerException",
		"\tat com.example.shop.CartView.render(CartView.java:92)",
		"\tat com.example.shop.MainActivity.onCreate(MainActivity.java:13)",
		"\tat android.app.Activity.performCreate(Activity.java:5008)",
	}
	prefix := func(lines []string, p func(i int) string) string {
		var b strings.Builder
		for i, l := range lines {
			b.WriteString(p(i) + l + "\n")
		}
		return b.String()
	}
	// The log's times are relative to now, as a log a user pastes has.
	ci := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	iso := func(t time.Time) string { return t.Format("2006-01-02T15:04:05-0700") }
	tests := []struct {
		name, input string
		format      string
		file        string
		line        int
		when        *time.Time
	}{
		{"ci runner", prefix(python, func(i int) string {
			return ci.Add(time.Duration(i)*time.Millisecond).Format("2006-01-02T15:04:05.0000000Z") + " "
		}), FormatPython, "/srv/app/jobs/report.py", 40, &ci},
		{"journald", prefix(python, func(int) string { return "Dec 28 06:43:00 web1 report-job[9777]: " }), FormatPython, "/srv/app/jobs/report.py", 40, nil},
		{"journald localized", prefix(python, func(int) string { return "Dez 28 06:43:00 web1 report-job[9777]: " }), FormatPython, "/srv/app/jobs/report.py", 40, nil},
		{"journald short-iso", prefix(python, func(int) string { return iso(ci) + " web1 report-job[9777]: " }), FormatPython, "/srv/app/jobs/report.py", 40, &ci},
		{"journald short-iso, the log started a day before", iso(ci.Add(-24*time.Hour)) + " web1 report-job[9777]: started\n" +
			prefix(python, func(int) string { return iso(ci) + " web1 report-job[9777]: " }), FormatPython, "/srv/app/jobs/report.py", 40, &ci},
		{"logcat", prefix(java, func(int) string { return "05-16 12:43:07.629: E/AndroidRuntime(31031): " }), FormatJava, "com/example/shop/CartView.java", 92, nil},
		{"logcat tag", prefix(java, func(int) string { return "E/AndroidRuntime: " }), FormatJava, "com/example/shop/CartView.java", 92, nil},
		{"logcat threadtime", prefix(java, func(int) string { return "05-16 12:43:07.629  1234  1250 E AndroidRuntime: " }), FormatJava, "com/example/shop/CartView.java", 92, nil},
		{"logcat time of day", prefix(java, func(int) string { return "12:43:07 E AndroidRuntime : " }), FormatJava, "com/example/shop/CartView.java", 92, nil},
		{"android studio logcat", prefix(java, func(int) string { return "2024-05-16 12:43:07.629 31031-31031/com.example.shop E/AndroidRuntime: " }), FormatJava, "com/example/shop/CartView.java", 92, nil},
		{"android studio logcat 2022", prefix(java, func(int) string {
			return "2024-05-16 12:43:07.629 31031-31031 AndroidRuntime          com.example.shop                     E  "
		}), FormatJava, "com/example/shop/CartView.java", 92, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("log", []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			s := sigs[0]
			if len(sigs) != 1 || s.Format != tt.format || len(s.Frames) < 2 || s.Frames[0].File != tt.file || s.Frames[0].Line != tt.line {
				t.Fatalf("got %d signals, the first %s with frames %+v; want one %s signal crashing at %s:%d", len(sigs), s.Format, s.Frames, tt.format, tt.file, tt.line)
			}
			switch {
			case tt.when == nil && s.Timestamp != nil:
				t.Errorf("got time %v, want none (the prefix has no zone)", s.Timestamp)
			case tt.when != nil && (s.Timestamp == nil || !s.Timestamp.Equal(*tt.when)):
				t.Errorf("got time %v, want %v", s.Timestamp, tt.when)
			}
		})
	}
}
