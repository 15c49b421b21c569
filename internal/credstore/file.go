package credstore

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/sigsentry/sigsentry/internal/atomicfile"
	"github.com/sigsentry/sigsentry/pkg/advice"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// FileName is the encrypted credential file's name in the config folder.
const FileName = "credentials.enc"

// Environment variables that choose and unlock the encrypted file.
const (
	EnvStoreKind  = "SIGSENTRY_CREDENTIAL_STORE"
	EnvPassphrase = "SIGSENTRY_CREDENTIAL_PASSPHRASE"
)

// MinPassphraseLen is the fewest characters a passphrase needs to protect
// a new encrypted file. A file made earlier with a shorter one still opens
// and is still rewritten (token refreshes) with it.
const MinPassphraseLen = 8

// Errors of the encrypted file.
var (
	ErrWrongPassphrase = errors.New("wrong passphrase: SIGSENTRY_CREDENTIAL_PASSPHRASE does not open the encrypted credential file")
	ErrTampered        = errors.New("the encrypted credential file was changed or is corrupted (" + advice.RevokeAndRelogin + ")")
	ErrBadFormat       = errors.New("not a sigsentry encrypted credential file")
	ErrNoPassphrase    = errors.New("SIGSENTRY_CREDENTIAL_STORE=file needs SIGSENTRY_CREDENTIAL_PASSPHRASE to be set")
	ErrShortPassphrase = fmt.Errorf("the passphrase is too short: SIGSENTRY_CREDENTIAL_PASSPHRASE needs at least %d characters "+
		"to protect a new encrypted credential file (a few words are easier to remember than symbols)", MinPassphraseLen)
)

// KDFParams are argon2id's cost parameters.
type KDFParams struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// DefaultKDF is OWASP's recommended argon2id setting (19 MiB, 2 passes, one
// lane): about 0.15 s per derivation on a small CI machine, paid once per
// command (the derived key is kept in memory for the command's later reads
// and writes).
var DefaultKDF = KDFParams{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}

// File layout: magic | time u32 | memory u32 | threads u8 | salt | verifier
// | nonce | ciphertext | checksum. The magic's last byte is the format
// version. Everything before the ciphertext is authenticated as associated
// data. argon2id gives 64 bytes: the first 32 are the XChaCha20-Poly1305
// key, the last 32 the stored verifier, which tells a wrong passphrase from
// a changed ciphertext. Version 2 adds the checksum, SHA-256 of everything
// before it, checked before the KDF runs: a file changed by accident (or by
// someone who did not recompute it) is reported as changed, not as a wrong
// passphrase, at no cost. Version 1 files (no checksum) still open.
//
// The KDF parameters in the header are honoured only when they are the
// ones sigsentry writes (DefaultKDF, or the store's own KDF), so a crafted
// header cannot make a read cost seconds and gigabytes.
var (
	magicPrefix = []byte("SSCRED\x00")
	magic       = append(append([]byte(nil), magicPrefix...), formatVersion)
)

const (
	formatVersion = 2
	saltLen       = 16
	verifierLen   = 32
	checksumLen   = sha256.Size
	headerLen     = 8 + 4 + 4 + 1 + saltLen + verifierLen + chacha20poly1305.NonceSizeX
)

// FileStore keeps the credential in an encrypted file, for machines
// without a keychain.
type FileStore struct {
	// Path is the file; see FileName.
	Path string
	// Passphrase unlocks it.
	Passphrase string
	// KDF are the cost parameters for new files (zero: DefaultKDF).
	KDF KDFParams

	mu  sync.Mutex
	key *derived // the last key derived, reused while the passphrase is the same
}

// derived memoizes one argon2id derivation.
type derived struct {
	pass          string
	salt          []byte
	params        KDFParams
	key, verifier []byte
}

func (d *derived) matches(pass string, salt []byte, p KDFParams) bool {
	return d != nil && d.pass == pass && d.params == p && bytes.Equal(d.salt, salt)
}

// derive runs the KDF, or reuses the last result for the same inputs.
func (s *FileStore) derive(pass string, salt []byte, p KDFParams) (key, verifier []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key.matches(pass, salt, p) {
		return s.key.key, s.key.verifier
	}
	key, verifier = deriveKeys(pass, salt, p)
	s.key = &derived{pass: pass, salt: append([]byte(nil), salt...), params: p, key: key, verifier: verifier}
	return key, verifier
}

// lastSalt returns the salt of the last derivation with pass and p, so a
// rewrite of the file needs no new derivation (the nonce is fresh each time).
func (s *FileStore) lastSalt(pass string, p KDFParams) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil && s.key.pass == pass && s.key.params == p {
		return s.key.salt
	}
	return nil
}

func deriveKeys(pass string, salt []byte, p KDFParams) (key, verifier []byte) {
	out := argon2.IDKey([]byte(pass), salt, p.Time, p.MemoryKiB, p.Threads, 32+verifierLen)
	return out[:32], out[32:]
}

type deriveFunc func(pass string, salt []byte, p KDFParams) (key, verifier []byte)

// seal encrypts plaintext into the file format with salt (random if nil)
// and a random nonce.
func seal(plaintext []byte, pass string, p KDFParams, salt []byte, derive deriveFunc) ([]byte, error) {
	if salt == nil {
		salt = make([]byte, saltLen)
		if _, err := rand.Read(salt); err != nil {
			return nil, err
		}
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	key, verifier := derive(pass, salt, p)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	hdr := make([]byte, 0, headerLen)
	hdr = append(hdr, magic...)
	hdr = binary.BigEndian.AppendUint32(hdr, p.Time)
	hdr = binary.BigEndian.AppendUint32(hdr, p.MemoryKiB)
	hdr = append(hdr, p.Threads)
	hdr = append(hdr, salt...)
	hdr = append(hdr, verifier...)
	hdr = append(hdr, nonce...)
	out := aead.Seal(hdr, nonce, plaintext, hdr)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...), nil
}

// open decrypts data written by seal (or by a version 1 writer). Before
// running the KDF it checks the checksum (version 2) and that the header's
// KDF parameters are among allowed.
func open(data []byte, pass string, allowed []KDFParams, derive deriveFunc) ([]byte, error) {
	if len(data) < len(magic) || !bytes.Equal(data[:len(magicPrefix)], magicPrefix) {
		return nil, ErrBadFormat
	}
	switch v := data[len(magicPrefix)]; v {
	case 1:
	case 2:
		if len(data) < headerLen+chacha20poly1305.Overhead+checksumLen {
			return nil, fmt.Errorf("%w: the file is cut short", ErrTampered)
		}
		body, stored := data[:len(data)-checksumLen], data[len(data)-checksumLen:]
		sum := sha256.Sum256(body)
		if subtle.ConstantTimeCompare(sum[:], stored) != 1 {
			return nil, fmt.Errorf("%w: its checksum does not match", ErrTampered)
		}
		data = body
	default:
		if v > formatVersion {
			return nil, fmt.Errorf("%w: it has format %d, written by a newer sigsentry", ErrBadFormat, v)
		}
		return nil, ErrBadFormat
	}
	if len(data) < headerLen+chacha20poly1305.Overhead {
		return nil, ErrBadFormat
	}
	hdr := data[:headerLen]
	rest := hdr[len(magic):]
	p := KDFParams{
		Time:      binary.BigEndian.Uint32(rest[0:4]),
		MemoryKiB: binary.BigEndian.Uint32(rest[4:8]),
		Threads:   rest[8],
	}
	ok := false
	for _, a := range allowed {
		ok = ok || p == a
	}
	if !ok {
		return nil, fmt.Errorf("%w: its key derivation parameters (%d passes, %d KiB, %d lanes) are not the ones sigsentry writes",
			ErrTampered, p.Time, p.MemoryKiB, p.Threads)
	}
	rest = rest[9:]
	salt := rest[:saltLen]
	storedVerifier := rest[saltLen : saltLen+verifierLen]
	nonce := rest[saltLen+verifierLen:]
	key, verifier := derive(pass, salt, p)
	if subtle.ConstantTimeCompare(verifier, storedVerifier) != 1 {
		return nil, ErrWrongPassphrase
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, nonce, data[headerLen:], hdr)
	if err != nil {
		return nil, ErrTampered
	}
	return plain, nil
}

// accepted are the KDF parameters a file may carry: those sigsentry
// writes, and this store's own when it was given others.
func (s *FileStore) accepted() []KDFParams {
	if p := s.params(); p != DefaultKDF {
		return []KDFParams{DefaultKDF, p}
	}
	return []KDFParams{DefaultKDF}
}

// shortPassphrase reports whether the passphrase is too short for a new file.
func (s *FileStore) shortPassphrase() bool {
	return utf8.RuneCountInString(s.Passphrase) < MinPassphraseLen
}

func (s *FileStore) params() KDFParams {
	if s.KDF == (KDFParams{}) {
		return DefaultKDF
	}
	return s.KDF
}

// modeBitsMeanAccess: a file's mode says who may read it. Not on Windows,
// where Go reports every writable file as 0666 and the folder's ACL (the
// user's profile) decides.
var modeBitsMeanAccess = runtime.GOOS != "windows"

// Get decrypts the file. It refuses a file that group or others can access
// (where the mode says so).
func (s *FileStore) Get() (*Credential, error) {
	fi, err := os.Stat(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading encrypted credential file: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && modeBitsMeanAccess {
		return nil, fmt.Errorf("encrypted credential file %s is accessible to other users (mode %04o): run `chmod 600 %s`", s.Path, perm, s.Path)
	}
	if s.Passphrase == "" {
		return nil, ErrNoPassphrase
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		return nil, fmt.Errorf("reading encrypted credential file: %w", err)
	}
	plain, err := open(data, s.Passphrase, s.accepted(), s.derive)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", s.Path, err)
	}
	var c Credential
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, fmt.Errorf("opening %s: %w: %v", s.Path, ErrTampered, err)
	}
	c.Source = SourceFile
	return &c, nil
}

// Set encrypts c with a fresh salt and nonce and replaces the file
// atomically with mode 0600.
func (s *FileStore) Set(c *Credential) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if s.Passphrase == "" {
		return ErrNoPassphrase
	}
	if s.shortPassphrase() {
		// Only a file that already opens with it may be rewritten with it.
		if _, err := s.Get(); err != nil {
			if errors.Is(err, ErrNotFound) {
				return ErrShortPassphrase
			}
			return err
		}
	}
	plain, err := jsonMarshal(c)
	if err != nil {
		return fmt.Errorf("encoding credential: %w", err)
	}
	p := s.params()
	data, err := seal(plain, s.Passphrase, p, s.lastSalt(s.Passphrase, p), s.derive)
	if err != nil {
		return fmt.Errorf("encrypting credential: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return fmt.Errorf("creating folder for the credential file: %w", err)
	}
	return atomicfile.WriteFile(s.Path, data, 0o600)
}

// Delete removes the file; no passphrase is needed.
func (s *FileStore) Delete() error {
	err := os.Remove(s.Path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing encrypted credential file: %w", err)
	}
	return nil
}

// CheckWritable checks the passphrase (long enough for a new file), that an
// existing file opens with it, and that the folder is writable.
func (s *FileStore) CheckWritable() error {
	if s.Passphrase == "" {
		return ErrNoPassphrase
	}
	if _, err := s.Get(); errors.Is(err, ErrNotFound) {
		if s.shortPassphrase() {
			return ErrShortPassphrase
		}
	} else if err != nil {
		return err
	}
	dir := filepath.Dir(s.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating folder for the credential file: %w", err)
	}
	f, err := os.CreateTemp(dir, ".credentials-probe-*")
	if err != nil {
		return fmt.Errorf("checking that %s is writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Source is SourceFile.
func (s *FileStore) Source() Source { return SourceFile }

func jsonMarshal(c *Credential) ([]byte, error) { return json.Marshal(c) }
