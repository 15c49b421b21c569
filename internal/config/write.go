package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/gofrs/flock"
	"github.com/sigsentry/sigsentry/internal/atomicfile"
	"go.yaml.in/yaml/v3"
)

// LockTimeout bounds how long Update waits for another writer.
var LockTimeout = 30 * time.Second

// ParseError is a config file that cannot be parsed. sigsentry never
// overwrites such a file.
type ParseError struct {
	// Path is the config file.
	Path string
	// Line is the 1-based line where parsing first fails, 0 if unknown.
	Line int
	// Err is the YAML decoder's error.
	Err error
}

func (e *ParseError) Error() string {
	at, msg := "", fmt.Sprint(e.Err)
	if e.Line > 0 {
		at = fmt.Sprintf(" at line %d", e.Line)
		// Drop the parser's own, misleading, line number.
		msg = yamlLine.ReplaceAllString(msg, "yaml: ")
	}
	return fmt.Sprintf("config file %s cannot be parsed%s (fix or move it; sigsentry will not overwrite it): %s", e.Path, at, msg)
}

var yamlLine = regexp.MustCompile(`^yaml: line \d+: `)

func (e *ParseError) Unwrap() error { return e.Err }

// parse decodes the on-disk file; the error names the file and the line.
func parse(path string, data []byte) (*Config, error) {
	var c Config
	if err := yaml.Unmarshal(data, &c); err != nil {
		pe := &ParseError{Path: path, Err: err}
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			// The YAML parser reports a syntax error at the start of the
			// enclosing block (often line 1), not where it went wrong.
			pe.Line = badLine(data)
		}
		return nil, pe
	}
	return &c, nil
}

// badLine finds a line n such that the file's first n-1 lines parse and its
// first n lines do not: where a syntax error shows up. It bisects, so it
// costs O(log lines) parses; it returns 0 if there is no such line.
func badLine(data []byte) int {
	var starts []int // byte offset where each line ends (exclusive)
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	if len(starts) == 0 || starts[len(starts)-1] != len(data) {
		starts = append(starts, len(data))
	}
	fails := func(n int) bool { // n lines
		var v any
		return yaml.Unmarshal(data[:starts[n-1]], &v) != nil
	}
	lo, hi := 0, len(starts) // lo lines parse, hi lines fail
	if !fails(hi) {
		return 0
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// ReadFile returns what is in the config file, without defaults or the
// environment. A missing file gives an empty Config.
func (s *Store) ReadFile() (*Config, error) {
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, os.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	return parse(s.Path(), data)
}

// Update changes the config file under an exclusive lock: it re-reads the
// file, calls fn on what is on disk, and atomically replaces the file with
// the result (temporary file, fsync, rename). If fn returns an error nothing
// is written. A file that cannot be parsed is never overwritten.
func (s *Store) Update(fn func(*Config) error) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("creating config folder: %w", err)
	}
	lock := flock.New(s.Path() + ".lock")
	if err := lockWithin(lock, LockTimeout); err != nil {
		return fmt.Errorf("locking config file %s: %w", s.Path(), err)
	}
	defer func() { _ = lock.Unlock() }()

	c, err := s.ReadFile()
	if err != nil {
		return err
	}
	if err := fn(c); err != nil {
		return err
	}
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	return atomicfile.WriteFile(s.Path(), data, 0o600)
}

// lockWithin takes lock exclusively, waiting at most d. It blocks in the
// kernel rather than polling, so a waiting writer starts the moment the
// holder unlocks (polling made two busy onboarding scripts wait ~10 ms per
// turn). On timeout the pending lock is released as soon as it is granted.
func lockWithin(lock *flock.Flock, d time.Duration) error {
	ok, err := lock.TryLock()
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- lock.Lock() }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		go func() {
			if err := <-done; err == nil {
				_ = lock.Unlock()
			}
		}()
		return fmt.Errorf("another sigsentry has held it for %s; try again when it is done", d)
	}
}
