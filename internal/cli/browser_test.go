package cli

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestBrowserCommand(t *testing.T) {
	const u = "https://bitbucket.org/site/oauth2/authorize?client_id=k&state=s"
	none := func(string) (string, error) { return "", errors.New("not found") }
	only := func(want string) func(string) (string, error) {
		return func(name string) (string, error) {
			if name == want {
				return "/usr/bin/" + name, nil
			}
			return "", errors.New("not found")
		}
	}
	for _, tt := range []struct {
		goos     string
		lookPath func(string) (string, error)
		want     []string
	}{
		{"darwin", none, []string{"open", u}},
		{"windows", none, []string{"rundll32", "url.dll,FileProtocolHandler", u}},
		{"linux", only("xdg-open"), []string{"/usr/bin/xdg-open", u}},
		{"freebsd", only("wslview"), []string{"/usr/bin/wslview", u}},
		{"linux", none, nil},
	} {
		prog, args, err := browserCommand(tt.goos, u, tt.lookPath)
		got := append([]string{prog}, args...)
		if tt.want == nil {
			if err == nil || !strings.Contains(err.Error(), "xdg-open") {
				t.Errorf("%s without an opener: got %q, %v; want an error naming the openers", tt.goos, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, %v; want %q", tt.goos, got, err, tt.want)
		}
	}
}

// The opener runs without sigsentry's secrets in its environment.
func TestOpenBrowserScrubsTheEnvironment(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the fake opener is an xdg-open shell script")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "env.txt")
	script := "#!/bin/sh\nenv > '" + out + "'\necho \"URL=$1\" >> '" + out + "'\necho opened\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := dir + string(os.PathListSeparator) + os.Getenv("PATH")
	t.Setenv("PATH", path)
	environ := func() []string {
		return []string{"PATH=" + path, "KEEP_ME=1", "SIGSENTRY_BITBUCKET_TOKEN=bb-secret-token",
			"SIGSENTRY_OAUTH_CLIENT_SECRET=consumer-secret", "SIGSENTRY_CREDENTIAL_PASSPHRASE=file passphrase",
			"SENTRY_AUTH_TOKEN=sntrys_secret"}
	}
	var stderr strings.Builder
	const u = "http://127.0.0.1:9/site/oauth2/authorize?state=abc"
	if err := openBrowser(&stderr, environ)(u); err != nil {
		t.Fatalf("openBrowser: %v", err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"bb-secret-token", "consumer-secret", "file passphrase", "sntrys_secret", "SIGSENTRY_"} {
		if strings.Contains(string(got), secret) {
			t.Errorf("the opener's environment holds %q:\n%s", secret, got)
		}
	}
	for _, want := range []string{"KEEP_ME=1", "URL=" + u} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the opener's environment lacks %q:\n%s", want, got)
		}
	}
	if stderr.String() != "opened\n" {
		t.Errorf("got opener output %q on the writer, want %q", stderr.String(), "opened\n")
	}
	if err := openBrowser(&stderr, environ)("-flag"); err == nil {
		t.Errorf("a URL that is not http(s) was opened")
	}
}
