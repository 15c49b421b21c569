package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, s *Store, yaml string) {
	t.Helper()
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path(), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRejectsOutOfRangeValues(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		env   map[string]string
		wants []string // substrings of the error
	}{
		{"global lookback too large", "bitbucket:\n  lookback_days: 999999999\n", nil,
			[]string{"config.yaml", "bitbucket.lookback_days", "999999999", "1 to 365"}},
		{"global lookback negative", "bitbucket:\n  lookback_days: -3\n", nil,
			[]string{"bitbucket.lookback_days", "-3"}},
		{"global lookback 366", "bitbucket:\n  lookback_days: 366\n", nil, []string{"366"}},
		{"repository lookback", "bitbucket:\n  repositories:\n    - name: acme/ok\n      lookback_days: 10\n    - name: acme/api\n      lookback_days: 999999999\n", nil,
			[]string{"config.yaml", "bitbucket.repositories[1].lookback_days", "acme/api", "999999999"}},
		{"environment lookback", "", map[string]string{"SIGSENTRY_BITBUCKET_LOOKBACK_DAYS": "100000"},
			[]string{"SIGSENTRY_BITBUCKET_LOOKBACK_DAYS", "100000"}},
		{"environment lookback 0", "", map[string]string{"SIGSENTRY_BITBUCKET_LOOKBACK_DAYS": "0"},
			[]string{"SIGSENTRY_BITBUCKET_LOOKBACK_DAYS is 0", "1 to 365"}},
		{"environment lookback not a number", "", map[string]string{"SIGSENTRY_BITBUCKET_LOOKBACK_DAYS": "abc"},
			[]string{`SIGSENTRY_BITBUCKET_LOOKBACK_DAYS="abc" is not a whole number`}},
		{"environment callback port not a number", "", map[string]string{"SIGSENTRY_OAUTH_CALLBACK_PORT": "80a"},
			[]string{"SIGSENTRY_OAUTH_CALLBACK_PORT"}},
		{"idle timeout not a duration", "bitbucket:\n  idle_timeout: soon\n", nil,
			[]string{"bitbucket.idle_timeout", "soon", "duration"}},
		{"idle timeout too short", "bitbucket:\n  idle_timeout: 1ns\n", nil, []string{"bitbucket.idle_timeout", "1ns"}},
		{"request budget too long", "", map[string]string{"SIGSENTRY_BITBUCKET_REQUEST_BUDGET": "9999h"},
			[]string{"SIGSENTRY_BITBUCKET_REQUEST_BUDGET", "9999h"}},
		{"request budget negative", "bitbucket:\n  request_budget: -5m\n", nil, []string{"bitbucket.request_budget"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, tt.env)
			if tt.yaml != "" {
				writeConfig(t, s, tt.yaml)
			}
			c, err := s.Load()
			if err == nil {
				t.Fatalf("got %+v, want an error", c.Bitbucket)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadAcceptsValuesInRange(t *testing.T) {
	s := newStore(t, map[string]string{"SIGSENTRY_BITBUCKET_IDLE_TIMEOUT": "2s"})
	writeConfig(t, s, "bitbucket:\n  lookback_days: 365\n  request_budget: 90s\n  repositories:\n    - name: acme/a\n      lookback_days: 1\n    - name: acme/b\n")
	c, err := s.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Bitbucket.LookbackDays != 365 {
		t.Errorf("got lookback %d, want 365", c.Bitbucket.LookbackDays)
	}
	idle, budget := c.Bitbucket.Timeouts()
	if idle != 2*time.Second || budget != 90*time.Second {
		t.Errorf("got timeouts %s and %s, want 2s and 1m30s", idle, budget)
	}
	if idle, budget := (Bitbucket{}).Timeouts(); idle != 0 || budget != 0 {
		t.Errorf("unset: got %s and %s, want 0 (the client's defaults)", idle, budget)
	}
	// Zero means unset, as before: the default applies.
	s2 := newStore(t, nil)
	writeConfig(t, s2, "bitbucket:\n  lookback_days: 0\n")
	if c, err := s2.Load(); err != nil || c.Bitbucket.LookbackDays != DefaultLookbackDays {
		t.Errorf("lookback_days 0: got %v, %v; want the default", c, err)
	}
}

func TestOutOfRangeIsMatchable(t *testing.T) {
	s := newStore(t, nil)
	writeConfig(t, s, "bitbucket:\n  lookback_days: 1000\n")
	_, err := s.Load()
	if !errors.Is(err, ErrOutOfRange) {
		t.Errorf("got %v, want ErrOutOfRange", err)
	}
	if !strings.Contains(err.Error(), filepath.Join(s.Dir, FileName)) {
		t.Errorf("got %q, want the file's path", err)
	}
}
