package textenc

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

func encode(s string, be bool) []byte {
	out := []byte{0xFF, 0xFE}
	if be {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if be {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestBytes(t *testing.T) {
	text := "Traceback (most recent call last):\r\n  File \"C:\\app\\x.py\", line 3, in f\r\nKeyError: 'é𝄞'\r\n"
	for _, be := range []bool{false, true} {
		if got := string(Bytes(encode(text, be))); got != text {
			t.Errorf("big-endian %v: got %q, want %q", be, got, text)
		}
	}
	plain := []byte("already UTF-8\n")
	if got := Bytes(plain); !bytes.Equal(got, plain) {
		t.Errorf("UTF-8 input: got %q", got)
	}
	if got := string(Bytes(append(encode("ab", false), 'x'))); got != "ab\uFFFD" {
		t.Errorf("odd length: got %q", got)
	}
}

func TestNewReader(t *testing.T) {
	for name, in := range map[string][]byte{"utf-16": encode("acme/api\nacme/web\n", false), "utf-8": []byte("acme/api\nacme/web\n")} {
		got, err := io.ReadAll(NewReader(bytes.NewReader(in), 1<<20))
		if err != nil || string(got) != "acme/api\nacme/web\n" {
			t.Errorf("%s: got %q, %v", name, got, err)
		}
	}
	if got, _ := io.ReadAll(NewReader(strings.NewReader("a"), 1<<20)); string(got) != "a" {
		t.Errorf("one byte: got %q", got)
	}
}

func FuzzBytes(f *testing.F) {
	f.Add(encode("x.go:12", false))
	f.Add([]byte{0xFE, 0xFF, 0xD8})
	f.Fuzz(func(t *testing.T, data []byte) {
		out := Bytes(data)
		if IsUTF16(data) && !utf8Valid(out) {
			t.Errorf("decoded %x to invalid UTF-8 %q", data, out)
		}
	})
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\x00") == string(b) }
