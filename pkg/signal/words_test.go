package signal

import (
	"reflect"
	"testing"
)

func TestWords(t *testing.T) {
	var got []string
	Words("KeyError: 'user_id' io.EOF at 0x1f3 in 4ab9e2, retry_3x ä x", func(w string) { got = append(got, w) })
	want := []string{"keyerror", "user_id", "io", "eof", "at", "in", "retry_3x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Symptoms are Words less stop words, deduplicated: a two-letter word
	// survives both, so commit text can match it.
	if s := Symptoms("io: read failed", "IO error"); !reflect.DeepEqual(s, []string{"io", "read"}) {
		t.Errorf("got symptoms %q", s)
	}
}
