package signal

import "testing"

// parseFrames parses in and lists its first signal's frames as show
// writes them, leaving out those it writes as "".
func parseFrames(t *testing.T, in string, show func(Frame) string) ([]Signal, []string) {
	t.Helper()
	sigs, err := Parse("trace.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sigs[0].Frames {
		if s := show(f); s != "" {
			got = append(got, s)
		}
	}
	return sigs, got
}
