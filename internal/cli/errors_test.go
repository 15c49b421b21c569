package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/iostreams"
)

// TestErrorIsSanitized: the final error and its hint quote the server;
// what reaches stderr (and stdout) holds no raw control character.
func TestErrorIsSanitized(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"type":"error","error":{"message":"no such repo \u001b]52;c;ZXZpbA==\u0007\u001b[2J\u001b]0;title\u0007\u001b[1A\r\u001b[8m\u009b2J\u202e"}}`))
	}))
	defer srv.Close()
	cfgDir, cacheDir := t.TempDir(), t.TempDir()
	env := map[string]string{
		"SIGSENTRY_CONFIG_DIR":          cfgDir,
		"SIGSENTRY_CACHE_DIR":           cacheDir,
		"SIGSENTRY_BITBUCKET_API_URL":   srv.URL + "/2.0",
		"SIGSENTRY_BITBUCKET_EMAIL":     "ada@example.com",
		"SIGSENTRY_BITBUCKET_API_TOKEN": "tok-123",
		"SIGSENTRY_CREDENTIAL_STORE":    "file",
	}
	for _, format := range []string{"table", "markdown"} {
		ios, _, out, errOut := iostreams.Test()
		f := NewFactory(ios)
		f.Getenv = func(k string) string { return env[k] }
		f.Now = time.Now
		code := Run(context.Background(), f, []string{"analyze", "--repo", "acme/app", "-o", format})
		if code != cmdutil.ExitPartial {
			t.Fatalf("%s: got exit %d, want %d; stderr:\n%s", format, code, cmdutil.ExitPartial, errOut.String())
		}
		for name, s := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
			for i, r := range s {
				if r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x202e {
					t.Errorf("%s %s: raw control %U at byte %d:\n%q", format, name, r, i, s)
					break
				}
			}
		}
		// pkg/bitbucket blanks the C0 and C1 controls of a message; the
		// renderer escapes what is left (here the bidi override).
		if !strings.Contains(errOut.String(), `error: analyzing acme/app:`) || !strings.Contains(errOut.String(), `2J\u202e`) {
			t.Errorf("%s: got stderr %q, want the error with the server's text made safe", format, errOut.String())
		}
		if !strings.Contains(errOut.String(), "hint: the repo slug is mistyped") {
			t.Errorf("%s: got stderr %q, want the 404 hint", format, errOut.String())
		}
	}
}
