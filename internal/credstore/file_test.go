package credstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countingDerive counts KDF runs, so a test can check that a refused file
// costs none.
type countingDerive struct{ n int }

func (d *countingDerive) derive(pass string, salt []byte, p KDFParams) ([]byte, []byte) {
	d.n++
	return deriveKeys(pass, salt, p)
}

func sealedFile(t *testing.T, p KDFParams, pass string) []byte {
	t.Helper()
	c := oauthCred
	plain, err := jsonMarshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	data, err := seal(plain, pass, p, nil, deriveKeys)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withParams rewrites the header's KDF parameters and the checksum, as a
// deliberate tamperer would.
func withParams(data []byte, p KDFParams) []byte {
	out := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(out[len(magic):], p.Time)
	binary.BigEndian.PutUint32(out[len(magic)+4:], p.MemoryKiB)
	out[len(magic)+8] = p.Threads
	return reChecksum(out)
}

func reChecksum(data []byte) []byte {
	body := data[:len(data)-checksumLen]
	sum := sha256Sum(body)
	return append(append([]byte(nil), body...), sum...)
}

// Only the parameters sigsentry writes are honoured: a header asking for
// 1 GiB and 16 passes is refused before the KDF runs, and called a changed
// file, not a wrong passphrase.
func TestOpenHonoursOnlyTheParametersSigsentryWrites(t *testing.T) {
	data := sealedFile(t, testKDF, "correct horse")
	for _, p := range []KDFParams{
		{Time: 16, MemoryKiB: 1 << 20, Threads: 1},
		{Time: 1 << 31, MemoryKiB: 1 << 31, Threads: 255},
		{Time: DefaultKDF.Time + 1, MemoryKiB: DefaultKDF.MemoryKiB, Threads: DefaultKDF.Threads},
		{Time: 0, MemoryKiB: 0, Threads: 0},
		{Time: testKDF.Time, MemoryKiB: testKDF.MemoryKiB * 2, Threads: testKDF.Threads},
	} {
		var d countingDerive
		_, err := open(withParams(data, p), "correct horse", []KDFParams{DefaultKDF, testKDF}, d.derive)
		if !errors.Is(err, ErrTampered) || errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("params %+v: got %v, want ErrTampered", p, err)
		}
		if d.n != 0 {
			t.Errorf("params %+v: the KDF ran %d times before the refusal, want 0", p, d.n)
		}
	}
	var d countingDerive
	if _, err := open(data, "correct horse", []KDFParams{DefaultKDF, testKDF}, d.derive); err != nil || d.n != 1 {
		t.Errorf("untouched file: got %v after %d KDF runs, want it open after 1", err, d.n)
	}
}

func TestFileStoreAcceptsDefaultAndOwnKDF(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name   string
		writer KDFParams
		reader KDFParams
		want   error
	}{
		{"default by default", KDFParams{}, KDFParams{}, nil},
		{"own by own", testKDF, testKDF, nil},
		{"default by a store with its own", KDFParams{}, testKDF, nil},
		{"own by a default store", testKDF, KDFParams{}, ErrTampered},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			w := &FileStore{Path: p, Passphrase: "correct horse", KDF: tt.writer}
			c := oauthCred
			if err := w.Set(&c); err != nil {
				t.Fatal(err)
			}
			_, err := (&FileStore{Path: p, Passphrase: "correct horse", KDF: tt.reader}).Get()
			if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// A wrong passphrase and a changed file are told apart: the passphrase
// error only when the file is intact.
func TestWrongPassphraseVersusChangedFile(t *testing.T) {
	s := newFileStore(t)
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(s.Path)
	wrong := &FileStore{Path: s.Path, Passphrase: "wrong horse battery", KDF: testKDF}
	if _, err := wrong.Get(); !errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrTampered) {
		t.Errorf("intact file, wrong passphrase: got %v, want ErrWrongPassphrase", err)
	}
	bad := 0
	for i := range orig {
		data := append([]byte(nil), orig...)
		data[i] ^= 0x40
		if err := os.WriteFile(s.Path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, st := range []*FileStore{s, wrong} {
			_, err := st.Get()
			switch {
			case i < len(magic):
				if !errors.Is(err, ErrBadFormat) {
					t.Errorf("byte %d flipped: got %v, want ErrBadFormat", i, err)
				}
			case !errors.Is(err, ErrTampered) || errors.Is(err, ErrWrongPassphrase):
				t.Errorf("byte %d flipped (passphrase %q): got %v, want ErrTampered", i, st.Passphrase, err)
			}
			bad++
		}
	}
	for _, n := range []int{0, 7, headerLen, len(orig) - checksumLen, len(orig) - 1} {
		if err := os.WriteFile(s.Path, orig[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(); !errors.Is(err, ErrBadFormat) && !errors.Is(err, ErrTampered) {
			t.Errorf("cut to %d bytes: got %v, want ErrBadFormat or ErrTampered", n, err)
		}
		bad++
	}
	t.Logf("%d changed files refused as changed, none as a wrong passphrase", bad)
	if !strings.Contains(ErrTampered.Error(), "sigsentry auth login") {
		t.Errorf("ErrTampered %q: want the re-login advice", ErrTampered)
	}
}

func TestNewerFormatRefused(t *testing.T) {
	data := sealedFile(t, testKDF, "correct horse")
	data[len(magicPrefix)] = 3
	_, err := open(data, "correct horse", []KDFParams{testKDF}, deriveKeys)
	if !errors.Is(err, ErrBadFormat) || !strings.Contains(err.Error(), "newer sigsentry") {
		t.Errorf("got %v, want ErrBadFormat naming a newer sigsentry", err)
	}
}

// A file written by an earlier sigsentry (format 1, no checksum, a short
// passphrase) still opens, and is rewritten with its passphrase.
func TestVersion1FileWithShortPassphraseStillOpens(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "credentials-v1.enc"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(src, []byte("SSCRED\x00\x01")) {
		t.Fatalf("the fixture is not a format 1 file")
	}
	p := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(p, src, 0o600); err != nil {
		t.Fatal(err)
	}
	s := &FileStore{Path: p, Passphrase: "short"}
	c, err := s.Get()
	if err != nil || c.Username != "v1@example.com" || c.Secret != "ATATT-v1-fixture-not-a-real-token" {
		t.Fatalf("got %+v, %v; want the stored API token", c, err)
	}
	if err := s.CheckWritable(); err != nil {
		t.Errorf("CheckWritable on an existing file with its short passphrase: %v", err)
	}
	c.Secret = "ATATT-rotated"
	if err := s.Set(c); err != nil {
		t.Fatalf("rewriting with the short passphrase: %v", err)
	}
	got, err := (&FileStore{Path: p, Passphrase: "short"}).Get()
	if err != nil || got.Secret != "ATATT-rotated" {
		t.Errorf("after the rewrite: got %+v, %v", got, err)
	}
	data, _ := os.ReadFile(p)
	if !bytes.HasPrefix(data, magic) {
		t.Errorf("rewritten file: got prefix %q, want format %d", data[:8], formatVersion)
	}
	if _, err := (&FileStore{Path: p, Passphrase: "shorter"}).Get(); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("another short passphrase: got %v, want ErrWrongPassphrase", err)
	}
}

func TestShortPassphraseRefusedForANewFile(t *testing.T) {
	for _, pass := range []string{"a", "1234567", "ünïcødé"} {
		s := &FileStore{Path: filepath.Join(t.TempDir(), FileName), Passphrase: pass, KDF: testKDF}
		c := oauthCred
		if err := s.Set(&c); !errors.Is(err, ErrShortPassphrase) {
			t.Errorf("Set with %q: got %v, want ErrShortPassphrase", pass, err)
		}
		if err := s.CheckWritable(); !errors.Is(err, ErrShortPassphrase) {
			t.Errorf("CheckWritable with %q: got %v, want ErrShortPassphrase", pass, err)
		}
		if _, err := os.Stat(s.Path); !os.IsNotExist(err) {
			t.Errorf("a file was written with %q", pass)
		}
	}
	s := &FileStore{Path: filepath.Join(t.TempDir(), FileName), Passphrase: "ünïcødé!", KDF: testKDF}
	c := oauthCred
	if err := s.Set(&c); err != nil {
		t.Errorf("8 characters: got %v, want it accepted", err)
	}
	if !strings.Contains(ErrShortPassphrase.Error(), "at least 8 characters") {
		t.Errorf("message %q: want it to say how long", ErrShortPassphrase)
	}
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
