package source

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/sigsentry/sigsentry/pkg/history"
)

// CacheVersion is the on-disk format of cached changes. Bump it whenever
// the cached shape or diffstat's output changes (new fields, different
// counts): entries of another version are ignored and replaced.
const CacheVersion = 2

// cacheMagic starts every cache entry.
const cacheMagic = "sigsentry-change"

// maxCacheEntry bounds one entry: a bigger file is not read at all. Changes
// of diffs above HunklessBytes keep no hunks, so real entries stay far
// below it.
const maxCacheEntry = 64 << 20

// Cache keeps each commit's Change on disk. A change is immutable for a
// given source kind, repository and commit hash, so entries never expire.
//
// Layout: <dir>/changes/<kind>/<repo key>/<hash[:2]>/<hash>.json.gz, where
// each file is one header line "sigsentry-change <version> <sha256 hex>
// <payload length>" followed by the gzip-compressed JSON of the Change; the
// checksum covers the compressed bytes. Entries are written atomically
// (temporary file, fsync, rename), so concurrent writers and an interrupted
// run leave either the old entry, the new one or nothing. An entry that is
// damaged, truncated, of another version, not a regular file (a symbolic
// link is never followed) or bigger than it says is deleted and fetched
// again. Folders are 0700 and files 0600.
//
// What is not cached: errors, and changes that came from a fallback
// (Bitbucket's diffstat after a diff was too large), because a later run may
// get the full diff. Listings and default refs are never cached: a branch
// moves.
type Cache struct {
	dir        string
	kind, repo string

	hits, misses, writes, damaged, writeErrs atomic.Int64
}

// CacheStats counts what a Cache did.
type CacheStats struct {
	Hits, Misses, Writes, Damaged, WriteErrors int64
}

// NewCache returns the cache of one repository (kind "bitbucket" and its
// workspace/slug) in dir, the sigsentry cache folder
// ($SIGSENTRY_CACHE_DIR).
func NewCache(dir, kind, repo string) *Cache {
	return &Cache{dir: dir, kind: kind, repo: repo}
}

// Stats reports hits, misses, writes and damaged entries so far.
func (c *Cache) Stats() CacheStats {
	return CacheStats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Writes: c.writes.Load(),
		Damaged: c.damaged.Load(), WriteErrors: c.writeErrs.Load(),
	}
}

// Get returns the cached change of hash. A damaged entry is deleted and
// counts as a miss.
func (c *Cache) Get(hash string) (*history.Change, bool) {
	path, ok := c.path(hash)
	if !ok {
		return nil, false
	}
	ch, err := readEntry(path, hash)
	if err == nil {
		c.hits.Add(1)
		return ch, true
	}
	if !errors.Is(err, os.ErrNotExist) {
		c.damaged.Add(1)
		_ = os.Remove(path)
	}
	c.misses.Add(1)
	return nil, false
}

// Put stores ch unless it came from a fallback. A failure to write is
// counted in Stats and otherwise ignored: the cache only saves requests.
func (c *Cache) Put(ch *history.Change) {
	if ch.Fallback != "" {
		return
	}
	path, ok := c.path(ch.Hash)
	if !ok {
		return
	}
	if err := writeEntry(path, ch); err != nil {
		c.writeErrs.Add(1)
		return
	}
	c.writes.Add(1)
}

// path is where commit hash's entry lives; ok is false when hash is not a
// plain hexadecimal object name (it is then not cached).
func (c *Cache) path(hash string) (string, bool) {
	if len(hash) < 7 || len(hash) > 64 {
		return "", false
	}
	for i := 0; i < len(hash); i++ {
		b := hash[i]
		if !('0' <= b && b <= '9' || 'a' <= b && b <= 'f') {
			return "", false
		}
	}
	return filepath.Join(c.dir, "changes", safeName(c.kind), RepoKey(c.repo), hash[:2], hash+".json.gz"), true
}

// RepoKey turns a repository name (workspace/slug or a path) into one safe
// folder name: its lower-cased readable part plus a short hash of the whole
// name, so different names never share a folder.
func RepoKey(repo string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(repo)))
	readable := safeName(strings.ToLower(repo))
	if len(readable) > 64 {
		readable = readable[len(readable)-64:]
	}
	return readable + "-" + hex.EncodeToString(sum[:6])
}

func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			b[i] = '_'
		}
	}
	out := strings.Trim(string(b), "._")
	if out == "" {
		out = "_"
	}
	return out
}

var errDamaged = errors.New("damaged cache entry")

// readEntry reads and verifies one entry. A missing file returns an error
// matching os.ErrNotExist; anything else wrong matches errDamaged. Only a
// regular file is read (never a symbolic link, a device or a FIFO), and no
// more of it than its size.
func readEntry(path, hash string) (*history.Change, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	defer f.Close()
	// What was opened must be a regular file of a sane size, and the name
	// must not be a symbolic link (entries are renamed into place, so the
	// open file never changes under us).
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file (%s)", errDamaged, fi.Mode().Type())
	}
	if li, err := os.Lstat(path); err == nil && li.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("%w: a symbolic link", errDamaged)
	}
	if fi.Size() > maxCacheEntry {
		return nil, fmt.Errorf("%w: %d bytes, more than an entry can hold", errDamaged, fi.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, fi.Size()+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	if int64(len(data)) != fi.Size() {
		return nil, fmt.Errorf("%w: changed while being read", errDamaged)
	}
	return decodeEntry(data, hash)
}

// decodeEntry verifies and decodes the bytes of one entry.
func decodeEntry(data []byte, hash string) (*history.Change, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || nl > 256 {
		return nil, fmt.Errorf("%w: no header", errDamaged)
	}
	fields := strings.Fields(string(data[:nl]))
	if len(fields) != 4 || fields[0] != cacheMagic || fields[1] != strconv.Itoa(CacheVersion) {
		return nil, fmt.Errorf("%w: bad header or other version", errDamaged)
	}
	payload := data[nl+1:]
	if n, err := strconv.Atoi(fields[3]); err != nil || n != len(payload) {
		return nil, fmt.Errorf("%w: payload of %d bytes, header says %s", errDamaged, len(payload), fields[3])
	}
	sum := sha256.Sum256(payload)
	if hex.EncodeToString(sum[:]) != fields[2] {
		return nil, fmt.Errorf("%w: checksum mismatch", errDamaged)
	}
	zr, err := gzip.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	var ch history.Change
	// The checksum matched, so this is what sigsentry wrote; still bound
	// what a forged entry could inflate to.
	if err := json.NewDecoder(io.LimitReader(zr, 16*maxCacheEntry)).Decode(&ch); err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	if ch.Hash != hash || ch.Fallback != "" {
		return nil, fmt.Errorf("%w: entry is for %q", errDamaged, ch.Hash)
	}
	return &ch, nil
}

// writeEntry stores ch at path atomically.
func writeEntry(path string, ch *history.Change) (err error) {
	var payload bytes.Buffer
	zw := gzip.NewWriter(&payload)
	if err := json.NewEncoder(zw).Encode(ch); err != nil {
		return fmt.Errorf("encoding cache entry: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("encoding cache entry: %w", err)
	}
	sum := sha256.Sum256(payload.Bytes())
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating cache folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = fmt.Fprintf(tmp, "%s %d %s %d\n", cacheMagic, CacheVersion, hex.EncodeToString(sum[:]), payload.Len()); err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	if _, err = tmp.Write(payload.Bytes()); err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	return nil
}

// CheckEntry verifies one cache file (header, version, checksum and
// contents, which must be for the hash in its name).
func CheckEntry(path string) error {
	hash := strings.TrimSuffix(filepath.Base(path), ".json.gz")
	_, err := readEntry(path, hash)
	return err
}
