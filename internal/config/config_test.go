package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func newStore(t *testing.T, env map[string]string) *Store {
	t.Helper()
	return &Store{Dir: filepath.Join(t.TempDir(), "sigsentry"), Getenv: envFrom(env)}
}

func TestLoadDefaultsWithoutFile(t *testing.T) {
	c, err := newStore(t, nil).Load()
	if err != nil {
		t.Fatalf("Load: got error %v, want nil", err)
	}
	if c.Bitbucket.APIURL != DefaultAPIURL {
		t.Errorf("got api_url %q, want %q", c.Bitbucket.APIURL, DefaultAPIURL)
	}
	if c.Bitbucket.OAuthURL != DefaultOAuthURL {
		t.Errorf("got oauth_url %q, want %q", c.Bitbucket.OAuthURL, DefaultOAuthURL)
	}
	if c.Bitbucket.LookbackDays != DefaultLookbackDays {
		t.Errorf("got lookback_days %d, want %d", c.Bitbucket.LookbackDays, DefaultLookbackDays)
	}
	if len(c.Bitbucket.Repositories) != 0 {
		t.Errorf("got %d repositories, want 0", len(c.Bitbucket.Repositories))
	}
}

func TestLoadEnvironment(t *testing.T) {
	s := newStore(t, map[string]string{
		"SIGSENTRY_BITBUCKET_API_URL":      "http://127.0.0.1:9/2.0/",
		"SIGSENTRY_BITBUCKET_WORKSPACE":    "acme",
		"SIGSENTRY_BITBUCKET_REPOSITORIES": "acme/a, acme/b;acme/c",
		"SIGSENTRY_BITBUCKET_OAUTH_URL":    "http://127.0.0.1:9/oauth",
	})
	if err := s.Update(func(c *Config) error {
		c.Bitbucket.Workspace = "from-file"
		c.Bitbucket.Repositories = []Repo{{Name: "file/repo"}}
		return nil
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	c, err := s.Load()
	if err != nil {
		t.Fatalf("Load: got error %v, want nil", err)
	}
	tests := []struct{ what, got, want string }{
		{"api_url", c.Bitbucket.APIURL, "http://127.0.0.1:9/2.0"},
		{"oauth_url", c.Bitbucket.OAuthURL, "http://127.0.0.1:9/oauth"},
		{"workspace", c.Bitbucket.Workspace, "acme"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s %q, want %q", tt.what, tt.got, tt.want)
		}
	}
	var names []string
	for _, r := range c.Bitbucket.Repositories {
		names = append(names, r.Name)
	}
	if got, want := strings.Join(names, " "), "acme/a acme/b acme/c"; got != want {
		t.Errorf("got repositories %q, want %q", got, want)
	}
	// The environment never leaks into the file.
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"127.0.0.1", "acme/a"} {
		if bytes.Contains(data, []byte(leak)) {
			t.Errorf("config file holds %q from the environment:\n%s", leak, data)
		}
	}
}

// TestUpdateRoundTrip stores repositories added at a pinned time and at
// the real one (today's date, to the second, as repos add stamps it).
func TestUpdateRoundTrip(t *testing.T) {
	for _, at := range []time.Time{time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), time.Now().UTC().Truncate(time.Second)} {
		t.Run(at.Format(time.RFC3339), func(t *testing.T) { testUpdateRoundTrip(t, at) })
	}
}

func testUpdateRoundTrip(t *testing.T, at time.Time) {
	s := newStore(t, nil)
	want := []Repo{
		{Name: "acme/api", MainBranch: "main", LookbackDays: 30, AddedAt: at},
		{Name: "Acme/Web", LookbackDays: 365, AddedAt: at.Add(time.Hour)},
	}
	if err := s.Update(func(c *Config) error {
		c.Bitbucket.Repositories = append(c.Bitbucket.Repositories, want...)
		return nil
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	for _, load := range []struct {
		name string
		fn   func() (*Config, error)
	}{{"Load", s.Load}, {"ReadFile", s.ReadFile}} {
		c, err := load.fn()
		if err != nil {
			t.Fatalf("%s: got error %v, want nil", load.name, err)
		}
		if len(c.Bitbucket.Repositories) != len(want) {
			t.Fatalf("%s: got %d repositories, want %d", load.name, len(c.Bitbucket.Repositories), len(want))
		}
		for i, r := range c.Bitbucket.Repositories {
			if r.Name != want[i].Name || r.MainBranch != want[i].MainBranch || r.LookbackDays != want[i].LookbackDays || !r.AddedAt.Equal(want[i].AddedAt) {
				t.Errorf("%s: repository %d: got %+v, want %+v", load.name, i, r, want[i])
			}
		}
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("got file mode %v, want 0600", got)
	}
}

func TestUpdateKeepsUnknownKeys(t *testing.T) {
	s := newStore(t, nil)
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	orig := "future_section:\n  knob: 7\nbitbucket:\n  workspace: acme\n"
	if err := os.WriteFile(s.Path(), []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(c *Config) error {
		c.Bitbucket.Repositories = append(c.Bitbucket.Repositories, Repo{Name: "acme/api"})
		return nil
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	data, _ := os.ReadFile(s.Path())
	for _, want := range []string{"future_section:", "knob: 7", "workspace: acme", "name: acme/api"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("config file after Update lacks %q:\n%s", want, data)
		}
	}
}

func TestUpdateFnErrorWritesNothing(t *testing.T) {
	s := newStore(t, nil)
	boom := errors.New("boom")
	err := s.Update(func(c *Config) error {
		c.Bitbucket.Workspace = "acme"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("got error %v, want %v", err, boom)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got stat error %v, want the file not to exist", err)
	}
}

func TestUnparseableFileIsNeverOverwritten(t *testing.T) {
	tests := []struct {
		name, content, line string
	}{
		{"bad indentation", "bitbucket:\n  workspace: acme\n repositories:\n  - name: a/b\n", "at line 3"},
		{"bad indentation deep", "bitbucket:\n  repositories:\n    - name: acme/api\n   lookback_days: 30\n", "at line 4"},
		{"tab", "bitbucket:\n\tworkspace: acme\n", "at line 2"},
		{"wrong type", "bitbucket:\n  repositories: 7\n", "line 2"},
		{"unclosed quote", "bitbucket:\n  workspace: \"acme\n", "at line 2"},
		{"unclosed flow", "bitbucket:\n  workspace: acme\n  repositories: [\n    {name: a/b},\n", "at line 3"},
		{"duplicate key", "bitbucket:\n  workspace: a\n  workspace: b\n", "line 3: mapping key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, nil)
			if err := os.MkdirAll(s.Dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.Path(), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			check := func(op string, err error) {
				t.Helper()
				if err == nil {
					t.Fatalf("%s: got nil error, want one naming the file", op)
				}
				for _, want := range []string{s.Path(), tt.line, "cannot be parsed", "will not overwrite"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("%s: got error %q, want it to contain %q", op, err, want)
					}
				}
			}
			_, err := s.Load()
			check("Load", err)
			called := false
			err = s.Update(func(c *Config) error { called = true; return nil })
			check("Update", err)
			if called {
				t.Errorf("Update called fn on an unparseable file, want it not to")
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != s.Path() {
				t.Errorf("got %T %v, want a *ParseError for %s", err, err, s.Path())
			}
			got, _ := os.ReadFile(s.Path())
			if string(got) != tt.content {
				t.Errorf("file changed: got %q, want %q", got, tt.content)
			}
			left, _ := filepath.Glob(filepath.Join(s.Dir, ".config.yaml.tmp-*"))
			if len(left) != 0 {
				t.Errorf("got temporary files %v left behind, want none", left)
			}
		})
	}
}

// TestConcurrentUpdates runs many writers at once, each with its own lock
// handle (as separate processes have): every entry must survive.
func TestConcurrentUpdates(t *testing.T) {
	s := newStore(t, nil)
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- s.Update(func(c *Config) error {
					c.Bitbucket.Repositories = append(c.Bitbucket.Repositories, Repo{Name: fmt.Sprintf("w%d/r%d", w, i)})
					return nil
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	c, err := s.ReadFile()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.Bitbucket.Repositories), writers*each; got != want {
		t.Errorf("got %d repositories, want %d", got, want)
	}
	seen := map[string]bool{}
	for _, r := range c.Bitbucket.Repositories {
		seen[r.Name] = true
	}
	if len(seen) != writers*each {
		t.Errorf("got %d distinct repositories, want %d", len(seen), writers*each)
	}
}

func TestUpdateLockTimeout(t *testing.T) {
	s := newStore(t, nil)
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	held := flock.New(s.Path() + ".lock")
	if err := held.Lock(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = held.Unlock() }()
	old := LockTimeout
	LockTimeout = 50 * time.Millisecond
	defer func() { LockTimeout = old }()
	err := s.Update(func(c *Config) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "locking config file") {
		t.Errorf("got error %v, want a locking error", err)
	}
}

func TestConfigRepoCaseInsensitive(t *testing.T) {
	c := &Config{Bitbucket: Bitbucket{Repositories: []Repo{{Name: "Acme/API", MainBranch: "main"}}}}
	tests := []struct {
		name string
		ok   bool
	}{{"acme/api", true}, {"ACME/API", true}, {"acme/web", false}}
	for _, tt := range tests {
		r, ok := c.Repo(tt.name)
		if ok != tt.ok {
			t.Errorf("Repo(%q): got found %v, want %v", tt.name, ok, tt.ok)
		}
		if ok && r.MainBranch != "main" {
			t.Errorf("Repo(%q): got main branch %q, want main", tt.name, r.MainBranch)
		}
	}
}

func TestDirs(t *testing.T) {
	tests := []struct {
		env       map[string]string
		cfg, cach string
	}{
		{map[string]string{"SIGSENTRY_CONFIG_DIR": "/c", "SIGSENTRY_CACHE_DIR": "/k"}, "/c", "/k"},
		{map[string]string{"XDG_CONFIG_HOME": "/x", "XDG_CACHE_HOME": "/y"}, "/x/sigsentry", "/y/sigsentry"},
	}
	for _, tt := range tests {
		d, err := Dir(envFrom(tt.env))
		if err != nil || d != tt.cfg {
			t.Errorf("Dir(%v) = %q, %v; want %q", tt.env, d, err, tt.cfg)
		}
		k, err := CacheDir(envFrom(tt.env))
		if err != nil || k != tt.cach {
			t.Errorf("CacheDir(%v) = %q, %v; want %q", tt.env, k, err, tt.cach)
		}
	}
}
