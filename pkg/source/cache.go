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

// The cache folder's parts: each commit's change, and files read at a
// commit, under <part>/<kind>/<repo key>.
const (
	changesPart = "changes"
	filesPart   = "files"
)

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
// checksum covers the compressed bytes. Entries are written to a temporary
// file and renamed into place, so concurrent writers and an interrupted run
// leave either the old entry, the new one or nothing; they are not synced
// to disk one by one (an entry a crash cut short fails its checksum and is
// fetched again). An entry that is
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
	firstWriteErr                            atomic.Pointer[error]
}

// CacheStats counts what a Cache did.
type CacheStats struct {
	Hits, Misses, Writes, Damaged, WriteErrors int64
	// FirstWriteError is why the first failed write failed (a full disk, a
	// read-only folder), nil when none failed.
	FirstWriteError error
}

// NewCache returns the cache of one repository (kind "bitbucket" and its
// workspace/slug) in dir, the sigsentry cache folder
// ($SIGSENTRY_CACHE_DIR).
func NewCache(dir, kind, repo string) *Cache {
	return &Cache{dir: dir, kind: kind, repo: repo}
}

// Stats reports hits, misses, writes and damaged entries so far.
func (c *Cache) Stats() CacheStats {
	st := CacheStats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Writes: c.writes.Load(),
		Damaged: c.damaged.Load(), WriteErrors: c.writeErrs.Load(),
	}
	if p := c.firstWriteErr.Load(); p != nil {
		st.FirstWriteError = *p
	}
	return st
}

// writeFailed counts a failed write and keeps the first one's error.
func (c *Cache) writeFailed(err error) {
	c.writeErrs.Add(1)
	c.firstWriteErr.CompareAndSwap(nil, &err)
}

// Dir is the cache folder (for messages).
func (c *Cache) Dir() string { return c.dir }

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
		c.writeFailed(err)
		return
	}
	c.writes.Add(1)
}

// fileEntry is a cached file: its contents at one commit.
type fileEntry struct {
	Rev  string `json:"rev"`
	Path string `json:"path"`
	Data []byte `json:"data"`
}

// GetFile returns the cached contents of path at commit rev (a full hash:
// what a commit holds never changes). A damaged entry is deleted and
// counts as a miss.
func (c *Cache) GetFile(rev, path string) ([]byte, bool) {
	at, ok := c.filePath(rev, path)
	if !ok {
		return nil, false
	}
	data, err := readFileEntry(at)
	var e fileEntry
	if err == nil {
		if err = decodePayload(data, &e); err == nil && (e.Rev != rev || e.Path != path) {
			err = fmt.Errorf("%w: entry is for %s at %s", errDamaged, e.Path, e.Rev)
		}
	}
	if err == nil {
		c.hits.Add(1)
		return e.Data, true
	}
	if !errors.Is(err, os.ErrNotExist) {
		c.damaged.Add(1)
		_ = os.Remove(at)
	}
	c.misses.Add(1)
	return nil, false
}

// PutFile stores the contents of path at commit rev. A failure to write is
// counted in Stats and otherwise ignored.
func (c *Cache) PutFile(rev, path string, data []byte) {
	at, ok := c.filePath(rev, path)
	if !ok {
		return
	}
	if err := writePayload(at, fileEntry{Rev: rev, Path: path, Data: data}); err != nil {
		c.writeFailed(err)
		return
	}
	c.writes.Add(1)
}

// filePath is where the entry of path at commit rev lives, named by a hash
// of both; ok is false when rev is not a full hexadecimal object name.
func (c *Cache) filePath(rev, path string) (string, bool) {
	if len(rev) != 40 && len(rev) != 64 || !isHexName(rev) {
		return "", false
	}
	sum := sha256.Sum256([]byte(rev + "\x00" + path))
	name := hex.EncodeToString(sum[:16])
	return filepath.Join(c.dir, filesPart, safeName(c.kind), RepoKey(c.repo), name[:2], name+".json.gz"), true
}

// isHexName reports whether s is lower-case hexadecimal.
func isHexName(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; !('0' <= b && b <= '9' || 'a' <= b && b <= 'f') {
			return false
		}
	}
	return true
}

// path is where commit hash's entry lives; ok is false when hash is not a
// plain hexadecimal object name (it is then not cached).
func (c *Cache) path(hash string) (string, bool) {
	if len(hash) < 7 || len(hash) > 64 || !isHexName(hash) {
		return "", false
	}
	return filepath.Join(c.dir, changesPart, safeName(c.kind), RepoKey(c.repo), hash[:2], hash+".json.gz"), true
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
	data, err := readFileEntry(path)
	if err != nil {
		return nil, err
	}
	return decodeEntry(data, hash)
}

// readFileEntry reads the bytes of one entry, bounded and checked as
// readEntry says.
func readFileEntry(path string) ([]byte, error) {
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
	return data, nil
}

// decodeEntry verifies and decodes the bytes of one entry.
func decodeEntry(data []byte, hash string) (*history.Change, error) {
	var ch history.Change
	if err := decodePayload(data, &ch); err != nil {
		return nil, err
	}
	if ch.Hash != hash || ch.Fallback != "" {
		return nil, fmt.Errorf("%w: entry is for %q", errDamaged, ch.Hash)
	}
	return &ch, nil
}

// decodePayload verifies an entry's header and checksum and decodes its
// gzipped JSON into v.
func decodePayload(data []byte, v any) error {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || nl > 256 {
		return fmt.Errorf("%w: no header", errDamaged)
	}
	fields := strings.Fields(string(data[:nl]))
	if len(fields) != 4 || fields[0] != cacheMagic || fields[1] != strconv.Itoa(CacheVersion) {
		return fmt.Errorf("%w: bad header or other version", errDamaged)
	}
	payload := data[nl+1:]
	if n, err := strconv.Atoi(fields[3]); err != nil || n != len(payload) {
		return fmt.Errorf("%w: payload of %d bytes, header says %s", errDamaged, len(payload), fields[3])
	}
	sum := sha256.Sum256(payload)
	if hex.EncodeToString(sum[:]) != fields[2] {
		return fmt.Errorf("%w: checksum mismatch", errDamaged)
	}
	zr, err := gzip.NewReader(bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("%w: %w", errDamaged, err)
	}
	// The checksum matched, so this is what sigsentry wrote; still bound
	// what a forged entry could inflate to.
	if err := json.NewDecoder(io.LimitReader(zr, 16*maxCacheEntry)).Decode(v); err != nil {
		return fmt.Errorf("%w: %w", errDamaged, err)
	}
	return nil
}

// writeEntry stores ch at path atomically.
func writeEntry(path string, ch *history.Change) error { return writePayload(path, ch) }

// writePayload stores v, as gzipped JSON under a checked header, at path
// atomically.
func writePayload(path string, v any) (err error) {
	var payload bytes.Buffer
	zw := gzip.NewWriter(&payload)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
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

// RemoveCaches deletes the entries of source kind ("bitbucket") from dir,
// the sigsentry cache folder: the diffs and files fetched from that kind
// of source, which may hold a private repository's code. It returns how
// many entries it removed; a folder that does not exist holds none. A
// symbolic link inside is removed, never followed.
func RemoveCaches(dir, kind string) (int, error) {
	n := 0
	var errs []error
	for _, part := range []string{changesPart, filesPart} {
		root := filepath.Join(dir, part, safeName(kind))
		if _, err := os.Lstat(root); errors.Is(err, os.ErrNotExist) {
			continue
		}
		_ = filepath.WalkDir(root, func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		if err := os.RemoveAll(root); err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
