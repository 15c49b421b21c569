package retrace

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkTextWithoutMapping: analyze runs Text on every --signal file,
// with no mapping too (to count the frames that look obfuscated), so a
// 10 MiB log of Java traces, sanitizer reports and plain lines must cost
// little beside parsing it.
func BenchmarkTextWithoutMapping(b *testing.B) {
	java, err := os.ReadFile("../signal/testdata/java/caused_suppressed.txt")
	if err != nil {
		b.Fatal(err)
	}
	asan, err := os.ReadFile("../signal/testdata/asan/uaf_clang.txt")
	if err != nil {
		b.Fatal(err)
	}
	var data []byte
	for len(data) < 10<<20 {
		data = append(data, bytes.Repeat([]byte("2026-12-05 INFO request served in 3 ms at /cart\n"), 100)...)
		data = append(data, java...)
		data = append(data, asan...)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if out, _ := Set(nil).Text(data); &out[0] != &data[0] {
			b.Fatal("Text copied a text it did not change")
		}
	}
}
