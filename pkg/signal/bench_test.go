package signal

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse parses every testdata input once per iteration.
func BenchmarkParse(b *testing.B) {
	var inputs [][]byte
	for _, in := range goldenInputs(b) {
		data, err := os.ReadFile(in)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range inputs {
			if _, err := Parse("bench", d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseLargeLog parses a 1 MiB log holding one Java trace.
func BenchmarkParseLargeLog(b *testing.B) {
	trace, err := os.ReadFile(filepath.Join("testdata", "java", "caused_suppressed.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var data []byte
	for len(data) < 1<<20 {
		data = append(data, "2024-05-14T09:31:07.412Z INFO  [worker-3] c.a.j.Runner - processed batch 1234 in 52ms\n"...)
	}
	data = append(data, trace...)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("big.log", data); err != nil {
			b.Fatal(err)
		}
	}
}
