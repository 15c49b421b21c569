// Package config is sigsentry's only importer of viper. It owns the typed
// configuration, the XDG paths, and atomic, locked writes of config.yaml.
//
// Reads merge defaults, the file and SIGSENTRY_* environment variables (as
// viper does). Writes go through Update, which locks the file, re-reads what
// is on disk (never the environment), applies a change and replaces the file
// atomically, so concurrent writers lose nothing and env values never leak
// into the file. No secret is ever stored here.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// FileName is the config file's name inside the config folder.
const FileName = "config.yaml"

// Defaults.
const (
	DefaultAPIURL       = "https://api.bitbucket.org/2.0"
	DefaultOAuthURL     = "https://bitbucket.org/site/oauth2"
	DefaultLookbackDays = 30
	// MaxLookbackDays bounds --lookback-days: a year of history.
	MaxLookbackDays = 365
)

// Repo is one registered repository.
type Repo struct {
	// Name is workspace/slug as the user registered it (case kept).
	Name         string    `yaml:"name" mapstructure:"name" json:"repo"`
	MainBranch   string    `yaml:"main_branch,omitempty" mapstructure:"main_branch" json:"main_branch"`
	LookbackDays int       `yaml:"lookback_days,omitempty" mapstructure:"lookback_days" json:"lookback_days"`
	AddedAt      time.Time `yaml:"added_at,omitempty" mapstructure:"added_at" json:"added_at"`
}

// Account is the detected, non-secret account data.
type Account struct {
	// Method is the stored credential's kind: oauth, api-token, app-password or token.
	Method      string `yaml:"method,omitempty" mapstructure:"method"`
	UUID        string `yaml:"uuid,omitempty" mapstructure:"uuid"`
	AccountID   string `yaml:"account_id,omitempty" mapstructure:"account_id"`
	DisplayName string `yaml:"display_name,omitempty" mapstructure:"display_name"`
	Nickname    string `yaml:"nickname,omitempty" mapstructure:"nickname"`
	// Username is the login or email used for Basic credentials (not secret).
	Username string `yaml:"username,omitempty" mapstructure:"username"`
}

// CodeMapping maps a stack-trace path prefix to a repository path prefix.
type CodeMapping struct {
	Repo       string `yaml:"repo" mapstructure:"repo"`
	StackRoot  string `yaml:"stack_root" mapstructure:"stack_root"`
	SourceRoot string `yaml:"source_root" mapstructure:"source_root"`
}

// Bitbucket is the bitbucket: section.
type Bitbucket struct {
	APIURL       string  `yaml:"api_url,omitempty" mapstructure:"api_url"`
	OAuthURL     string  `yaml:"oauth_url,omitempty" mapstructure:"oauth_url"`
	Workspace    string  `yaml:"workspace,omitempty" mapstructure:"workspace"`
	LookbackDays int     `yaml:"lookback_days,omitempty" mapstructure:"lookback_days"`
	Repositories []Repo  `yaml:"repositories,omitempty" mapstructure:"repositories"`
	Account      Account `yaml:"account,omitempty" mapstructure:"account"`
	// MaxInFlight bounds concurrent API requests (default 8).
	MaxInFlight int `yaml:"max_in_flight,omitempty" mapstructure:"max_in_flight"`
	// IdleTimeout is how long one request may go without receiving a byte
	// before it is abandoned and retried, as a Go duration ("30s"); empty
	// means the client's default (30 s). See Timeouts.
	IdleTimeout string `yaml:"idle_timeout,omitempty" mapstructure:"idle_timeout"`
	// RequestBudget bounds one request with all its retries ("5m"); empty
	// means the client's default (5 min). See Timeouts.
	RequestBudget string `yaml:"request_budget,omitempty" mapstructure:"request_budget"`
	// RepoBudget bounds the reading of one repository's window by analyze,
	// all its requests included ("30m"); empty means DefaultRepoBudget.
	RepoBudget string `yaml:"repo_budget,omitempty" mapstructure:"repo_budget"`
}

// DefaultRepoBudget is how long analyze may spend reading one repository
// from Bitbucket before it gives up on it (the others go on).
const DefaultRepoBudget = 30 * time.Minute

// RepoBudgetOrDefault returns RepoBudget parsed, or DefaultRepoBudget.
func (b Bitbucket) RepoBudgetOrDefault() time.Duration {
	if d, err := time.ParseDuration(b.RepoBudget); err == nil && d > 0 {
		return d
	}
	return DefaultRepoBudget
}

// Bounds of the duration settings, checked by Load.
const (
	MinIdleTimeout   = 100 * time.Millisecond
	MaxIdleTimeout   = time.Hour
	MinRequestBudget = time.Second
	MaxRequestBudget = 24 * time.Hour
	MinRepoBudget    = time.Second
	MaxRepoBudget    = 24 * time.Hour
)

// Timeouts returns IdleTimeout and RequestBudget parsed; zero for an empty
// (or, outside a loaded Config, invalid) value, which means the client's
// default.
func (b Bitbucket) Timeouts() (idle, budget time.Duration) {
	idle, _ = time.ParseDuration(b.IdleTimeout)
	budget, _ = time.ParseDuration(b.RequestBudget)
	return max(idle, 0), max(budget, 0)
}

// OAuth is the oauth: section (the consumer key; the secret is never here).
type OAuth struct {
	ClientID     string `yaml:"client_id,omitempty" mapstructure:"client_id"`
	CallbackPort int    `yaml:"callback_port,omitempty" mapstructure:"callback_port"`
}

// Sentry is the sentry: section. The auth token is never here (see
// `sigsentry auth sentry` and SENTRY_AUTH_TOKEN).
type Sentry struct {
	// URL is Sentry's base URL; empty means the stored token's URL, else
	// https://sentry.io. SENTRY_URL sets it too.
	URL string `yaml:"url,omitempty" mapstructure:"url"`
	// Org is the organization of short and numeric issue ids. SENTRY_ORG
	// sets it too.
	Org string `yaml:"org,omitempty" mapstructure:"org"`
	// Projects maps a Sentry project slug to the registered repository
	// (workspace/slug) its code lives in. Slugs are compared in lower case.
	Projects map[string]string `yaml:"projects,omitempty" mapstructure:"projects"`
}

// Config is the whole configuration.
type Config struct {
	Bitbucket    Bitbucket     `yaml:"bitbucket" mapstructure:"bitbucket"`
	OAuth        OAuth         `yaml:"oauth,omitempty" mapstructure:"oauth"`
	Sentry       Sentry        `yaml:"sentry,omitempty" mapstructure:"sentry"`
	CodeMappings []CodeMapping `yaml:"code_mappings,omitempty" mapstructure:"code_mappings"`
	// Extra keeps top-level keys this version does not know, so a write
	// does not drop them.
	Extra map[string]any `yaml:",inline" mapstructure:",remain"`
}

// Repo finds a registered repository by name, case-insensitively.
func (c *Config) Repo(name string) (Repo, bool) {
	for _, r := range c.Bitbucket.Repositories {
		if strings.EqualFold(r.Name, name) {
			return r, true
		}
	}
	return Repo{}, false
}

// SentryRepo returns the repository sentry.projects maps a Sentry project
// slug to, comparing slugs without regard to case.
func (c *Config) SentryRepo(project string) (string, bool) {
	for k, v := range c.Sentry.Projects {
		if strings.EqualFold(k, project) && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// Dir returns the config folder: SIGSENTRY_CONFIG_DIR, else
// $XDG_CONFIG_HOME/sigsentry (the OS's user config folder elsewhere).
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("SIGSENTRY_CONFIG_DIR"); d != "" {
		return d, nil
	}
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "sigsentry"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config folder: %w (set SIGSENTRY_CONFIG_DIR)", err)
	}
	return filepath.Join(d, "sigsentry"), nil
}

// CacheDir returns the cache folder: SIGSENTRY_CACHE_DIR, else
// $XDG_CACHE_HOME/sigsentry (the OS's user cache folder elsewhere).
func CacheDir(getenv func(string) string) (string, error) {
	if d := getenv("SIGSENTRY_CACHE_DIR"); d != "" {
		return d, nil
	}
	if x := getenv("XDG_CACHE_HOME"); x != "" {
		return filepath.Join(x, "sigsentry"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the cache folder: %w (set SIGSENTRY_CACHE_DIR)", err)
	}
	return filepath.Join(d, "sigsentry"), nil
}

// Store reads and writes the config in one folder.
type Store struct {
	Dir    string
	Getenv func(string) string
}

// Path is the config file's path.
func (s *Store) Path() string { return filepath.Join(s.Dir, FileName) }

// envKeys are the scalar keys that SIGSENTRY_* variables may override.
var envKeys = []string{
	"bitbucket.api_url", "bitbucket.oauth_url", "bitbucket.workspace",
	"bitbucket.lookback_days", "bitbucket.max_in_flight",
	"bitbucket.idle_timeout", "bitbucket.request_budget", "bitbucket.repo_budget",
	"oauth.client_id", "oauth.callback_port",
	"sentry.url", "sentry.org",
}

// intKeys are the envKeys whose values are whole numbers: a variable that
// is not one is named as the culprit, not the config file.
var intKeys = map[string]bool{"bitbucket.lookback_days": true, "bitbucket.max_in_flight": true, "oauth.callback_port": true}

// sentryEnv are the variables Sentry's own tools read (sentry-cli), used
// when the SIGSENTRY_SENTRY_* ones are not set.
var sentryEnv = [][2]string{{"sentry.url", "SENTRY_URL"}, {"sentry.org", "SENTRY_ORG"}}

// envName is the SIGSENTRY_* variable that overrides key.
func envName(key string) string {
	return "SIGSENTRY_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Load returns the effective configuration: defaults, then the file, then
// SIGSENTRY_* environment variables. A missing file is not an error.
func (s *Store) Load() (*Config, error) {
	getenv := s.getenv()
	v := viper.New()
	v.SetConfigType("yaml")
	v.SetDefault("bitbucket.api_url", DefaultAPIURL)
	v.SetDefault("bitbucket.oauth_url", DefaultOAuthURL)
	v.SetDefault("bitbucket.lookback_days", DefaultLookbackDays)
	data, err := os.ReadFile(s.Path())
	switch {
	case err == nil:
		if _, perr := parse(s.Path(), data); perr != nil {
			return nil, perr
		}
		if err := v.ReadConfig(strings.NewReader(string(data))); err != nil {
			return nil, fmt.Errorf("reading config file %s: %w", s.Path(), err)
		}
	case errors.Is(err, os.ErrNotExist):
	default:
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	for _, kv := range sentryEnv {
		if val := strings.TrimSpace(getenv(kv[1])); val != "" {
			v.Set(kv[0], val)
		}
	}
	for _, k := range envKeys {
		if val := getenv(envName(k)); val != "" {
			if intKeys[k] {
				if _, err := strconv.Atoi(strings.TrimSpace(val)); err != nil {
					return nil, fmt.Errorf("%s=%q is not a whole number", envName(k), val)
				}
				val = strings.TrimSpace(val)
			}
			v.Set(k, val)
		}
	}
	// The contract's SIGSENTRY_BITBUCKET_API_URL etc. are also spelled
	// without the section for the OAuth URL.
	if val := getenv("SIGSENTRY_BITBUCKET_OAUTH_URL"); val != "" {
		v.Set("bitbucket.oauth_url", val)
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, fmt.Errorf("config file %s: %w", s.Path(), err)
	}
	if list := getenv("SIGSENTRY_BITBUCKET_REPOSITORIES"); list != "" {
		c.Bitbucket.Repositories = nil
		for _, name := range strings.FieldsFunc(list, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == ';'
		}) {
			c.Bitbucket.Repositories = append(c.Bitbucket.Repositories, Repo{Name: name})
		}
	}
	if list := getenv("SIGSENTRY_SENTRY_PROJECTS"); list != "" {
		projects, err := parseProjects(list)
		if err != nil {
			return nil, err
		}
		c.Sentry.Projects = projects
	}
	c.Sentry.URL = strings.TrimRight(strings.TrimSpace(c.Sentry.URL), "/")
	c.Sentry.Org = strings.TrimSpace(c.Sentry.Org)
	if err := s.validate(&c); err != nil {
		return nil, err
	}
	if c.Bitbucket.LookbackDays == 0 {
		c.Bitbucket.LookbackDays = DefaultLookbackDays
	}
	c.Bitbucket.APIURL = strings.TrimRight(c.Bitbucket.APIURL, "/")
	c.Bitbucket.OAuthURL = strings.TrimRight(c.Bitbucket.OAuthURL, "/")
	return &c, nil
}

// parseProjects reads SIGSENTRY_SENTRY_PROJECTS: "slug=workspace/repo"
// pairs separated by commas, semicolons or white space.
func parseProjects(list string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.FieldsFunc(list, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t'
	}) {
		slug, repo, ok := strings.Cut(pair, "=")
		slug, repo = strings.ToLower(strings.TrimSpace(slug)), strings.TrimSpace(repo)
		if !ok || slug == "" || repo == "" {
			return nil, fmt.Errorf("reading SIGSENTRY_SENTRY_PROJECTS: %q is not project=workspace/repo", pair)
		}
		out[slug] = repo
	}
	return out, nil
}

// ErrOutOfRange matches a configured value outside its allowed range.
var ErrOutOfRange = errors.New("value out of range")

// validate checks the values that bound the work a run does, naming where
// a bad one comes from: the environment variable, or the file and key.
func (s *Store) validate(c *Config) error {
	getenv := s.getenv()
	where := func(key string) string {
		if getenv(envName(key)) != "" {
			return envName(key)
		}
		return fmt.Sprintf("config file %s: %s", s.Path(), key)
	}
	// 0 in the file means the default; from the environment it is a
	// value, and out of range.
	if d := c.Bitbucket.LookbackDays; (d != 0 || getenv(envName("bitbucket.lookback_days")) != "") && (d < 1 || d > MaxLookbackDays) {
		return fmt.Errorf("%s is %d: want a whole number of days from 1 to %d: %w",
			where("bitbucket.lookback_days"), d, MaxLookbackDays, ErrOutOfRange)
	}
	for i, r := range c.Bitbucket.Repositories {
		if d := r.LookbackDays; d != 0 && (d < 1 || d > MaxLookbackDays) {
			return fmt.Errorf("config file %s: bitbucket.repositories[%d].lookback_days (%s) is %d: want a whole number of days from 1 to %d: %w",
				s.Path(), i, r.Name, d, MaxLookbackDays, ErrOutOfRange)
		}
	}
	for _, d := range []struct {
		key      string
		val      string
		min, max time.Duration
	}{
		{"bitbucket.idle_timeout", c.Bitbucket.IdleTimeout, MinIdleTimeout, MaxIdleTimeout},
		{"bitbucket.request_budget", c.Bitbucket.RequestBudget, MinRequestBudget, MaxRequestBudget},
		{"bitbucket.repo_budget", c.Bitbucket.RepoBudget, MinRepoBudget, MaxRepoBudget},
	} {
		if d.val == "" {
			continue
		}
		v, err := time.ParseDuration(d.val)
		if err != nil {
			return fmt.Errorf("%s is %q: want a duration such as 30s or 5m: %w", where(d.key), d.val, err)
		}
		if v < d.min || v > d.max {
			return fmt.Errorf("%s is %s: want a duration from %s to %s: %w", where(d.key), v, d.min, d.max, ErrOutOfRange)
		}
	}
	return nil
}

func (s *Store) getenv() func(string) string {
	if s.Getenv != nil {
		return s.Getenv
	}
	return os.Getenv
}
