package source

import (
	"bytes"
	"compress/gzip"
	"context"
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
)

// CacheVersion is the on-disk format of cached changes. Bump it whenever
// the cached shape or diffstat's output changes (new fields, different
// counts): entries of another version are ignored and replaced.
const CacheVersion = 1

// cacheMagic starts every cache entry.
const cacheMagic = "sigsentry-change"

// maxCacheEntry bounds what is read back from one entry.
const maxCacheEntry = 512 << 20

// Cache is a Source that keeps each commit's Change on disk. A change is
// immutable for a given source kind, repository and commit hash, so entries
// never expire.
//
// Layout: <dir>/changes/<kind>/<repo key>/<hash[:2]>/<hash>.json.gz, where
// each file is one header line "sigsentry-change <version> <sha256 hex>"
// followed by the gzip-compressed JSON of the Change; the checksum covers
// the compressed bytes. Entries are written atomically (temporary file,
// fsync, rename), so concurrent writers and an interrupted run leave either
// the old entry, the new one or nothing. An entry that is damaged, truncated
// or of another version is deleted and fetched again. Folders are 0700 and
// files 0600.
//
// What is not cached: errors, and changes that came from a fallback
// (Bitbucket's diffstat after a diff was too large), because a later run may
// get the full diff. Commits listing and DefaultRef are never cached: a
// branch moves.
type Cache struct {
	inner Source
	dir   string

	hits, misses, writes, damaged, writeErrs atomic.Int64
}

// CacheStats counts what a Cache did.
type CacheStats struct {
	Hits, Misses, Writes, Damaged, WriteErrors int64
}

// NewCache wraps inner with a cache in dir (the sigsentry cache folder,
// e.g. $SIGSENTRY_CACHE_DIR).
func NewCache(dir string, inner Source) *Cache {
	return &Cache{inner: inner, dir: dir}
}

// Kind is the inner source's kind.
func (c *Cache) Kind() string { return c.inner.Kind() }

// Repo is the inner source's repository.
func (c *Cache) Repo() string { return c.inner.Repo() }

// Inner is the wrapped source.
func (c *Cache) Inner() Source { return c.inner }

// DefaultRef asks the inner source.
func (c *Cache) DefaultRef(ctx context.Context) (string, error) { return c.inner.DefaultRef(ctx) }

// Commits asks the inner source (listings are not cached).
func (c *Cache) Commits(ctx context.Context, ref string, w Window, includeMerges bool) ([]Commit, error) {
	return c.inner.Commits(ctx, ref, w, includeMerges)
}

// Stats reports hits, misses, writes and damaged entries so far.
func (c *Cache) Stats() CacheStats {
	return CacheStats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Writes: c.writes.Load(),
		Damaged: c.damaged.Load(), WriteErrors: c.writeErrs.Load(),
	}
}

// Change returns the cached change of commit, or gets it from the inner
// source and stores it. A failure to write the cache is counted in Stats
// and otherwise ignored: the cache only saves requests.
func (c *Cache) Change(ctx context.Context, commit Commit) (*Change, error) {
	path, ok := c.path(commit.Hash)
	if !ok {
		return c.inner.Change(ctx, commit)
	}
	if ch, err := readEntry(path, commit.Hash); err == nil {
		c.hits.Add(1)
		return ch, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		c.damaged.Add(1)
		_ = os.Remove(path)
	}
	c.misses.Add(1)
	ch, err := c.inner.Change(ctx, commit)
	if err != nil {
		return nil, err
	}
	if ch.Fallback == "" && ctx.Err() == nil {
		if err := writeEntry(path, ch); err != nil {
			c.writeErrs.Add(1)
		} else {
			c.writes.Add(1)
		}
	}
	return ch, nil
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
	return filepath.Join(c.dir, "changes", safeName(c.inner.Kind()), RepoKey(c.inner.Repo()), hash[:2], hash+".json.gz"), true
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
// matching os.ErrNotExist; anything else wrong matches errDamaged.
func readEntry(path, hash string) (*Change, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheEntry))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	return decodeEntry(data, hash)
}

// decodeEntry verifies and decodes the bytes of one entry.
func decodeEntry(data []byte, hash string) (*Change, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, fmt.Errorf("%w: no header", errDamaged)
	}
	fields := strings.Fields(string(data[:nl]))
	if len(fields) != 3 || fields[0] != cacheMagic || fields[1] != strconv.Itoa(CacheVersion) {
		return nil, fmt.Errorf("%w: bad header or other version", errDamaged)
	}
	payload := data[nl+1:]
	sum := sha256.Sum256(payload)
	if hex.EncodeToString(sum[:]) != fields[2] {
		return nil, fmt.Errorf("%w: checksum mismatch", errDamaged)
	}
	zr, err := gzip.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	var ch Change
	if err := json.NewDecoder(zr).Decode(&ch); err != nil {
		return nil, fmt.Errorf("%w: %w", errDamaged, err)
	}
	if ch.Hash != hash || ch.Fallback != "" {
		return nil, fmt.Errorf("%w: entry is for %q", errDamaged, ch.Hash)
	}
	return &ch, nil
}

// writeEntry stores ch at path atomically.
func writeEntry(path string, ch *Change) (err error) {
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
	if _, err = fmt.Fprintf(tmp, "%s %d %s\n", cacheMagic, CacheVersion, hex.EncodeToString(sum[:])); err != nil {
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
