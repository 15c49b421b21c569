// Package textenc turns text that Windows tools wrote as UTF-16 (Windows
// PowerShell 5.1's `>` and Out-File write UTF-16LE with a byte-order mark)
// into UTF-8, so that a crash saved with `app.exe 2> crash.txt` or a list
// saved from a script reads as the same text saved as UTF-8 would.
package textenc

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

var (
	bomLE = []byte{0xFF, 0xFE}
	bomBE = []byte{0xFE, 0xFF}
)

// IsUTF16 reports whether data starts with a UTF-16 byte-order mark.
func IsUTF16(data []byte) bool {
	return bytes.HasPrefix(data, bomLE) || bytes.HasPrefix(data, bomBE)
}

// Bytes returns data as UTF-8: UTF-16 with a byte-order mark is decoded
// (without the mark; an odd last byte and unpaired surrogates become
// U+FFFD), anything else is returned as it is.
func Bytes(data []byte) []byte {
	if !IsUTF16(data) {
		return data
	}
	be := data[0] == 0xFE
	data = data[2:]
	units := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		if be {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	out := make([]byte, 0, len(units)+len(units)/2)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(data)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out
}

// NewReader returns r read as UTF-8: when it starts with a UTF-16
// byte-order mark, the whole input is read and decoded (at most limit
// bytes of it); otherwise it streams through unchanged.
func NewReader(r io.Reader, limit int64) io.Reader {
	br := bufio.NewReader(r)
	head, _ := br.Peek(2)
	if !IsUTF16(head) {
		return br
	}
	data, err := io.ReadAll(io.LimitReader(br, limit))
	if err != nil {
		return io.MultiReader(bytes.NewReader(Bytes(data)), errReader{err})
	}
	return bytes.NewReader(Bytes(data))
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
