package config

import (
	"os"
	"strings"
	"testing"
)

func TestSentrySection(t *testing.T) {
	s := newStore(t, nil)
	if err := s.Update(func(c *Config) error {
		c.Sentry = Sentry{URL: "https://sentry.example.com/", Org: "acme",
			Projects: map[string]string{"checkout": "acme/checkout-api", "Web": "acme/web"}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Sentry.URL != "https://sentry.example.com" || c.Sentry.Org != "acme" {
		t.Errorf("got sentry %+v", c.Sentry)
	}
	for slug, want := range map[string]string{"checkout": "acme/checkout-api", "CHECKOUT": "acme/checkout-api", "web": "acme/web"} {
		if got, ok := c.SentryRepo(slug); !ok || got != want {
			t.Errorf("SentryRepo(%q) = %q, %v; want %q", slug, got, ok, want)
		}
	}
	if _, ok := c.SentryRepo("billing"); ok {
		t.Error("SentryRepo of an unmapped project: got a repository")
	}
}

func TestSentryEnvironment(t *testing.T) {
	tests := []struct {
		name          string
		env           map[string]string
		file          string
		wantURL       string
		wantOrg       string
		wantProjects  string
		wantErrSubstr string
	}{
		{"none", nil, "", "", "", "", ""},
		{"file", nil, "sentry:\n  url: https://sentry.example.com\n  org: file-org\n  projects:\n    checkout: acme/checkout-api\n",
			"https://sentry.example.com", "file-org", "checkout=acme/checkout-api", ""},
		{"sentry-cli variables over the file", map[string]string{"SENTRY_URL": "https://de.sentry.io/", "SENTRY_ORG": "env-org"},
			"sentry:\n  url: https://sentry.example.com\n  org: file-org\n", "https://de.sentry.io", "env-org", "", ""},
		{"SIGSENTRY_ over sentry-cli's", map[string]string{"SENTRY_URL": "https://de.sentry.io", "SIGSENTRY_SENTRY_URL": "https://us.sentry.io",
			"SENTRY_ORG": "env-org", "SIGSENTRY_SENTRY_ORG": "ours"}, "", "https://us.sentry.io", "ours", "", ""},
		{"projects variable", map[string]string{"SIGSENTRY_SENTRY_PROJECTS": "Checkout=acme/checkout-api; web=acme/web"},
			"sentry:\n  projects:\n    old: acme/old\n", "", "", "checkout=acme/checkout-api web=acme/web", ""},
		{"bad projects variable", map[string]string{"SIGSENTRY_SENTRY_PROJECTS": "checkout"}, "", "", "", "", "not project=workspace/repo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, tt.env)
			if tt.file != "" {
				if err := os.MkdirAll(s.Dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(s.Path(), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c, err := s.Load()
			if tt.wantErrSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrSubstr) {
					t.Fatalf("got %v, want an error saying %q", err, tt.wantErrSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var pairs []string
			for _, k := range []string{"checkout", "old", "web"} {
				if v, ok := c.Sentry.Projects[k]; ok {
					pairs = append(pairs, k+"="+v)
				}
			}
			if c.Sentry.URL != tt.wantURL || c.Sentry.Org != tt.wantOrg || strings.Join(pairs, " ") != tt.wantProjects {
				t.Errorf("got url %q org %q projects %v; want %q %q %q", c.Sentry.URL, c.Sentry.Org, pairs, tt.wantURL, tt.wantOrg, tt.wantProjects)
			}
			// The environment never reaches the file.
			if err := s.Update(func(*Config) error { return nil }); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(s.Path())
			for _, v := range tt.env {
				if strings.Contains(string(data), strings.TrimRight(v, "/")) {
					t.Errorf("the file holds %q from the environment:\n%s", v, data)
				}
			}
		})
	}
}

func TestEmptySentrySectionIsNotWritten(t *testing.T) {
	s := newStore(t, nil)
	if err := s.Update(func(c *Config) error { c.Bitbucket.Workspace = "acme"; return nil }); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.Path())
	if strings.Contains(string(data), "sentry") {
		t.Errorf("an empty sentry section was written:\n%s", data)
	}
}
