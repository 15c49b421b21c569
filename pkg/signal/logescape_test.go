package signal

import (
	"strings"
	"testing"
	"time"
)

// TestParseSyslogEscapes: a trace logged through rsyslog arrives as one
// line, its line breaks escaped as "#012" and its tabs as "#011". It reads
// as the trace itself, with the log line's time when it has a zone.
func TestParseSyslogEscapes(t *testing.T) {
	at := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	iso := at.Format("2006-01-02T15:04:05.000000-07:00")
	python := strings.Join([]string{
		"Traceback (most recent call last):",
		`  File "/srv/shop/shop/views.py", line 88, in checkout`,
		"    t = cart.total()",
		`  File "/srv/shop/shop/cart.py", line 41, in total`,
		"    return sum(i.price for i in items) / n",
		"ZeroDivisionError: division by zero",
	}, "#012")
	goPanic := strings.Join([]string{
		"panic: runtime error: index out of range [3] with length 3", "",
		"goroutine 1 [running]:",
		"main.total(...)", "#011/src/shop/cart.go:41 +0x1d",
		"main.main()", "#011/src/shop/main.go:12 +0x25",
	}, "#012")
	java := strings.Join([]string{
		"java.lang.IllegalStateException: cart is closed",
		"#011at com.acme.shop.Cart.add(Cart.java:57)",
		"#011at com.acme.shop.Checkout.run(Checkout.java:19)",
	}, "#012")
	tests := []struct {
		name, input string
		format      string
		file        string
		line        int
		frames      int
		when        *time.Time
	}{
		{"python, traditional syslog", "Dec  5 10:00:00 web1 shop[4121]: " + python + "\nDec  5 10:00:01 web1 shop[4121]: request done\n",
			FormatPython, "/srv/shop/shop/cart.py", 41, 2, nil},
		{"go, RFC 3339 time", iso + " web1 shop[4121]: " + goPanic + "\n", FormatGo, "/src/shop/cart.go", 41, 2, &at},
		{"java, tabs escaped too", iso + " web1 shop[4121]: " + java + "#015\n", FormatJava, "com/acme/shop/Cart.java", 57, 2, &at},
		{"bare", python + "\n", FormatPython, "/srv/shop/shop/cart.py", 41, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseOne(t, tt.input, tt.format, tt.file, tt.line, tt.frames)
			if tt.when != nil && (s.Timestamp == nil || !s.Timestamp.Equal(*tt.when)) {
				t.Errorf("got time %v, want %v", s.Timestamp, tt.when)
			}
		})
	}
}

// TestSyslogEscapesNotOtherwise: "#012" in a message that is no escaped
// trace (an issue number) changes nothing: the trace beside it reads as
// before.
func TestSyslogEscapesNotOtherwise(t *testing.T) {
	in := "closing ticket #012 and #0123\nTraceback (most recent call last):\n" +
		`  File "/srv/shop/shop/cart.py", line 41, in total` + "\n    return 1 / n\nZeroDivisionError: division by zero\n"
	sigs, err := Parse("log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 || len(sigs[0].Frames) != 1 || sigs[0].Frames[0].Line != 41 {
		t.Fatalf("got %+v", sigs)
	}
}
