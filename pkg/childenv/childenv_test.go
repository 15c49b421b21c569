package childenv

import (
	"slices"
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	env := []string{
		"PATH=/usr/bin",
		"SIGSENTRY_BITBUCKET_TOKEN=bb-token",
		"SIGSENTRY_BITBUCKET_APP_PASSWORD=app-pass",
		"SIGSENTRY_BITBUCKET_API_TOKEN=api-token",
		"SIGSENTRY_OAUTH_CLIENT_SECRET=consumer-secret",
		"SIGSENTRY_CREDENTIAL_PASSPHRASE=passphrase",
		"SIGSENTRY_CONFIG_DIR=/home/u/.config/sigsentry",
		"sigsentry_bitbucket_token=lower-case",
		"SENTRY_AUTH_TOKEN=sntrys_token",
		"sentry_auth_token=lower",
		"SENTRY_URL=https://sentry.io",
		"HOME=/home/u",
		"DISPLAY=:0",
		"=C:=C:\\dir",
		"SIGSENTRY_NO_VALUE",
		"MY_SIGSENTRY_NOTE=kept: only the prefix counts",
		"SIGSENTRY=kept: no underscore",
	}
	got := Scrub(env)
	want := []string{
		"PATH=/usr/bin", "SENTRY_URL=https://sentry.io", "HOME=/home/u", "DISPLAY=:0", "=C:=C:\\dir",
		"MY_SIGSENTRY_NOTE=kept: only the prefix counts", "SIGSENTRY=kept: no underscore",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(env) != 17 || env[1] != "SIGSENTRY_BITBUCKET_TOKEN=bb-token" {
		t.Errorf("the input was changed: %q", env)
	}
	if got := Scrub(nil); len(got) != 0 {
		t.Errorf("Scrub(nil) = %q, want empty", got)
	}
}

func FuzzScrub(f *testing.F) {
	f.Add("SIGSENTRY_BITBUCKET_TOKEN=x", "PATH=/bin")
	f.Add("=C:=C:\\", "SENTRY_AUTH_TOKEN=y")
	f.Fuzz(func(t *testing.T, a, b string) {
		kept := Scrub([]string{a, b})
		for _, kv := range kept {
			name, _, _ := strings.Cut(kv, "=")
			if secretName(name) {
				t.Errorf("Scrub kept %q", kv)
			}
		}
		for _, kv := range []string{a, b} {
			name, _, _ := strings.Cut(kv, "=")
			if !secretName(name) && !slices.Contains(kept, kv) {
				t.Errorf("Scrub dropped %q", kv)
			}
		}
	})
}
