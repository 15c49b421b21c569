package eval

import (
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sigsentry/sigsentry/pkg/source"
)

// readCache reads changes saved by writeCache; a missing or unreadable
// file is an empty cache.
func readCache(path string) map[string]*source.Change {
	out := map[string]*source.Change{}
	if path == "" {
		return out
	}
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(&out); err != nil {
		return map[string]*source.Change{}
	}
	return out
}

// writeCache saves changes atomically to path.
func writeCache(path string, changes map[string]*source.Change) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sigeval-cache-*")
	if err != nil {
		return fmt.Errorf("caching changes: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := gob.NewEncoder(tmp).Encode(changes); err != nil {
		tmp.Close()
		return fmt.Errorf("caching changes: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("caching changes: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("caching changes: %w", err)
	}
	return nil
}
