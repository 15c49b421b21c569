package hostile_test

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

// v1Fixture is an encrypted credential file written by sigsentry before
// format 2 (no checksum), with the passphrase "short" (5 characters) and
// the default KDF parameters.
const (
	v1Fixture    = "../../internal/credstore/testdata/credentials-v1.enc"
	v1Passphrase = "short"
	v1Email      = "v1@example.com"
	v1Token      = "ATATT-v1-fixture-not-a-real-token"
)

func (w *world) installCredentialFile(data []byte, pass string) {
	w.t.Helper()
	if err := os.MkdirAll(w.cfgDir, 0o700); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.cfgDir, credstore.FileName), data, 0o600); err != nil {
		w.t.Fatal(err)
	}
	delete(w.vars, "SIGSENTRY_BITBUCKET_EMAIL")
	delete(w.vars, "SIGSENTRY_BITBUCKET_API_TOKEN")
	w.vars["SIGSENTRY_CREDENTIAL_PASSPHRASE"] = pass
}

// Issue 10 risks: the encrypted file's KDF parameters are honoured only
// when sigsentry writes them; a changed file is called changed, not a
// wrong passphrase; an intact file with a wrong passphrase is a wrong
// passphrase; a file from an earlier version with a short passphrase still
// opens. ("no memory", "cut file", "wrong passphrase" and the earlier
// format were handled before too: regression guards.)
func TestEncryptedFileHeader(t *testing.T) {
	orig, err := os.ReadFile(v1Fixture)
	if err != nil {
		t.Fatal(err)
	}
	withParams := func(time, memKiB uint32, lanes byte) []byte {
		d := append([]byte(nil), orig...)
		binary.BigEndian.PutUint32(d[8:], time)
		binary.BigEndian.PutUint32(d[12:], memKiB)
		d[16] = lanes
		return d
	}
	tests := []struct {
		name  string
		data  []byte
		pass  string
		wants []string
	}{
		{"1 GiB and 16 passes", withParams(16, 1<<20, 1), v1Passphrase, []string{"was changed or is corrupted", "key derivation parameters"}},
		{"one more pass", withParams(3, 19*1024, 1), v1Passphrase, []string{"was changed or is corrupted"}},
		{"four lanes", withParams(2, 19*1024, 4), v1Passphrase, []string{"was changed or is corrupted"}},
		{"no memory", withParams(2, 0, 1), v1Passphrase, []string{"was changed or is corrupted"}},
		{"cut file", orig[:40], v1Passphrase, []string{"not a sigsentry encrypted credential file"}},
		{"wrong passphrase", orig, "not the passphrase", []string{"wrong passphrase"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			w.installCredentialFile(tt.data, tt.pass)
			r, _ := w.analyze()
			if r.code == 0 {
				t.Fatalf("analyze with a bad credential file: %s\nwant a failure", r)
			}
			mustContain(t, "stderr", r.stderr, tt.wants...)
			if tt.name != "wrong passphrase" && strings.Contains(r.stderr, "wrong passphrase") {
				t.Errorf("a changed file was reported as a wrong passphrase:\n%s", r.stderr)
			}
			if n := len(w.srv.Requests()); n != 0 {
				t.Errorf("the double got %d requests, want none", n)
			}
		})
	}
	t.Run("earlier format, short passphrase", func(t *testing.T) {
		w := newWorld(t)
		w.srv.AddUser(bitbuckettest.User{Email: v1Email, Workspaces: []string{"acme"}})
		w.srv.AddAPIToken(v1Email, v1Token, "read:repository:bitbucket")
		w.installCredentialFile(orig, v1Passphrase)
		r, rep := w.analyze()
		if r.code != 0 {
			t.Fatalf("analyze with the earlier file: %s", r)
		}
		w.checkCounts(rep, "with the earlier file")
	})
}

// Issue 10 risks: a passphrase under 8 characters cannot protect a new
// encrypted file; nothing is written.
func TestShortPassphraseRefusedForANewFile(t *testing.T) {
	for _, pass := range []string{"pw", "1234567"} {
		t.Run(pass, func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			delete(w.vars, "SIGSENTRY_BITBUCKET_EMAIL")
			delete(w.vars, "SIGSENTRY_BITBUCKET_API_TOKEN")
			w.vars["SIGSENTRY_CREDENTIAL_PASSPHRASE"] = pass
			r := w.run(apiToken+"\n", "auth", "api-token", "--email", apiEmail, "--token-stdin")
			if r.code == 0 {
				t.Fatalf("auth api-token with a %d-character passphrase: %s\nwant a refusal", len(pass), r)
			}
			mustContain(t, "stderr", r.stderr, "at least 8 characters")
			if _, err := os.Stat(filepath.Join(w.cfgDir, credstore.FileName)); !os.IsNotExist(err) {
				t.Errorf("a credential file was written: %v", err)
			}
			if n := len(w.srv.Requests()); n != 0 {
				t.Errorf("the token was sent to the double (%d requests) before the refusal", n)
			}
		})
	}
}

// Issue 10 item 7: lookback_days from config.yaml (global, per repository)
// or the environment is range-checked on load; nothing is fetched.
func TestLookbackOutOfRange(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		env   string
		wants []string
	}{
		{"global", "bitbucket:\n  lookback_days: 999999999\n", "", []string{"config.yaml", "bitbucket.lookback_days is 999999999", "from 1 to 365"}},
		{"per repository", "bitbucket:\n  repositories:\n    - name: acme/api\n      lookback_days: 999999999\n", "",
			[]string{"config.yaml", "bitbucket.repositories[0].lookback_days", "999999999"}},
		{"negative", "bitbucket:\n  lookback_days: -1\n", "", []string{"bitbucket.lookback_days is -1"}},
		{"environment", "", "999999999", []string{"SIGSENTRY_BITBUCKET_LOOKBACK_DAYS is 999999999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			badInputs(t, 1)
			w := newWorld(t)
			if tt.yaml != "" {
				w.writeConfig(tt.yaml)
			}
			if tt.env != "" {
				w.vars["SIGSENTRY_BITBUCKET_LOOKBACK_DAYS"] = tt.env
			}
			// No --lookback-days: the configured value is the one used.
			r := w.run("", "analyze", "--repo", "acme/api", "-o", "json")
			if r.code != 1 {
				t.Fatalf("analyze: %s\nwant exit 1", r)
			}
			mustContain(t, "stderr", r.stderr, tt.wants...)
			if n := len(w.srv.Requests()); n != 0 {
				t.Errorf("the double got %d requests, want none", n)
			}
		})
	}
}

// Issue 11's seams: the credential store links no config layer (viper) and
// the OAuth flow no command layer (cobra).
func TestDependencySeams(t *testing.T) {
	for _, tt := range []struct{ pkg, forbidden string }{
		{"./internal/credstore", "github.com/spf13/viper"},
		{"./internal/oauthflow", "github.com/spf13/cobra"},
		{"./pkg/childenv", "github.com/sigsentry/sigsentry/internal/"},
		{"./pkg/advice", "github.com/sigsentry/sigsentry/internal/"},
	} {
		out, err := exec.Command("go", "list", "-deps", "../../"+strings.TrimPrefix(tt.pkg, "./")).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", tt.pkg, err, out)
		}
		if strings.Contains(string(out), tt.forbidden) {
			t.Errorf("go list -deps %s holds %s", tt.pkg, tt.forbidden)
		}
	}
}
