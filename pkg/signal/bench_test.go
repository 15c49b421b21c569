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

// nativeNoise are log lines around a native report; some carry the
// markers the native parsers look for ("WARNING:", "==", "#3 ", "at ").
var nativeNoise = []string{
	"2024-05-14T09:31:07.412Z INFO  [worker-3] c.a.j.Runner - processed batch 1234 in 52ms\n",
	"May 14 09:31:07 buildhost ledgerd[2231]: GET /api/v1/orders/8812 200 12.3ms\n",
	"[2024-05-14 09:31:07,412] WARNING: cache miss ratio 0.42 for shard #3 (threshold 0.40)\n",
	"DEBUG pool stats: active=4 idle=12 waiting=0 status == ok\n",
	"time=2024-05-14T09:31:07Z level=error msg=\"upstream timeout\" attempt=2 at shard-7\n",
	"    retrying request 7 of 10 after 250ms backoff\n",
}

// BenchmarkParseNativeLog parses a 10 MiB log holding one
// AddressSanitizer report among noise; the figure to watch is MB/s.
func BenchmarkParseNativeLog(b *testing.B) {
	report, err := os.ReadFile(filepath.Join("testdata", "asan", "uaf_clang.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var data []byte
	for i := 0; len(data) < 5<<20; i++ {
		data = append(data, nativeNoise[i%len(nativeNoise)]...)
	}
	data = append(data, report...)
	for i := 0; len(data) < 10<<20; i++ {
		data = append(data, nativeNoise[i%len(nativeNoise)]...)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sigs, err := Parse("big.log", data)
		if err != nil {
			b.Fatal(err)
		}
		if sigs[0].Format != FormatASan {
			b.Fatalf("got format %s, want %s", sigs[0].Format, FormatASan)
		}
	}
}
