package sentrytest

import (
	"fmt"
	"testing"
)

func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"", "0:100:0", "0:0:1", "1700000000000:3:0", "0:-1:0", "a:b:c", "0:99999999999999999999:0", ":::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		n, ok := parseCursor(c)
		if !ok {
			return
		}
		if n < 0 || n > 1<<30 {
			t.Fatalf("parseCursor(%q) = %d, out of range", c, n)
		}
		if c != "" {
			var v float64
			var off, prev int
			if _, err := fmt.Sscanf(c, "%g:%d:%d", &v, &off, &prev); err != nil || off != n {
				t.Fatalf("parseCursor(%q) = %d, but the cursor reads as offset %d (%v)", c, n, off, err)
			}
		}
	})
}
