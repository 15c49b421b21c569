package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/credstore"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

var testKDF = credstore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

const testPassphrase = "test passphrase"

func TestMain(m *testing.M) {
	if os.Getenv("OAUTHFLOW_TEST_HELPER") == "refresh" {
		os.Exit(refreshHelper())
	}
	os.Exit(m.Run())
}

// refreshHelper is one of the racing processes: it waits for its standard
// input to close (the start signal), gets a token and calls /2.0/user.
func refreshHelper() int {
	_, _ = io.ReadAll(os.Stdin)
	ts := &TokenSource{
		Store:    &credstore.FileStore{Path: os.Getenv("HELPER_STORE"), Passphrase: os.Getenv("HELPER_PASSPHRASE"), KDF: testKDF},
		LockPath: os.Getenv("HELPER_LOCK"),
		OAuthURL: os.Getenv("HELPER_OAUTH_URL"),
	}
	tok, err := ts.Token()
	if err != nil {
		fmt.Fprintln(os.Stderr, "token:", err)
		return 1
	}
	req, _ := http.NewRequest("GET", os.Getenv("HELPER_API_URL")+"/user", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "user:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		fmt.Fprintln(os.Stderr, "user: HTTP", resp.StatusCode)
		return 1
	}
	return 0
}

// loginCredential runs a real code flow against srv and stores the result
// in a new encrypted file, with its expiry moved to expiresIn from now.
func loginCredential(t *testing.T, srv *bitbuckettest.Server, expiresIn time.Duration) (*credstore.FileStore, *credstore.Credential) {
	t.Helper()
	res, err := Login(context.Background(), LoginOptions{
		OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute,
		OpenBrowser: func(u string) error { go get(t, http.DefaultClient, u); return nil },
	})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	c := &credstore.Credential{
		Method: credstore.MethodOAuth, AccessToken: res.Token.AccessToken, RefreshToken: res.Token.RefreshToken,
		Expiry: time.Now().Add(expiresIn), Scopes: res.Scopes, ClientID: testKey, ClientSecret: testSecret,
	}
	fs := &credstore.FileStore{Path: filepath.Join(t.TempDir(), credstore.FileName), Passphrase: testPassphrase, KDF: testKDF}
	if err := fs.Set(c); err != nil {
		t.Fatal(err)
	}
	return fs, c
}

func newSource(srv *bitbuckettest.Server, fs *credstore.FileStore) *TokenSource {
	return &TokenSource{Store: fs, LockPath: filepath.Join(filepath.Dir(fs.Path), LockFileName), OAuthURL: srv.OAuthURL()}
}

func TestTokenSourceRefresh(t *testing.T) {
	tests := []struct {
		name          string
		expiresIn     time.Duration
		invalidate    bool
		wantRefreshes int
	}{
		{"fresh token is used as is", time.Hour, false, 0},
		{"less than 5 minutes left refreshes", 4 * time.Minute, false, 1},
		{"expired refreshes", -time.Minute, false, 1},
		{"a 401 refreshes once", time.Hour, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, true)
			fs, orig := loginCredential(t, srv, tt.expiresIn)
			ts := newSource(srv, fs)
			tok, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			if tt.invalidate {
				ts.Invalidate(tok.AccessToken)
				if tok, err = ts.Token(); err != nil {
					t.Fatal(err)
				}
			}
			for range 3 {
				if _, err := ts.Token(); err != nil {
					t.Fatal(err)
				}
			}
			if got := srv.Refreshes(); got != tt.wantRefreshes {
				t.Errorf("refreshes: got %d, want %d", got, tt.wantRefreshes)
			}
			stored, err := fs.Get()
			if err != nil {
				t.Fatal(err)
			}
			if stored.AccessToken != tok.AccessToken {
				t.Errorf("stored access token is not the one handed out")
			}
			if tok.RefreshToken != "" {
				t.Errorf("Token hands out the refresh token; want it kept inside")
			}
			rotated := stored.RefreshToken != orig.RefreshToken
			if rotated != (tt.wantRefreshes > 0) {
				t.Errorf("refresh token rotated in store: got %v, want %v", rotated, tt.wantRefreshes > 0)
			}
			if tt.wantRefreshes > 0 && time.Until(stored.Expiry) < time.Hour {
				t.Errorf("stored expiry after refresh: got %s, want about 2 h ahead", stored.Expiry)
			}
		})
	}
}

// TestInvalidateNamesTheRejectedToken: requests sent together with one
// token all come back 401; the first Invalidate refreshes, and the later
// ones, naming the token already replaced, leave the new one alone: one
// refresh (one rotation of the refresh token), not one per request.
func TestInvalidateNamesTheRejectedToken(t *testing.T) {
	srv := newServer(t, true)
	fs, _ := loginCredential(t, srv, time.Hour)
	ts := newSource(srv, fs)
	old, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	ts.Invalidate(old.AccessToken)
	fresh, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	for range 7 {
		ts.Invalidate(old.AccessToken)
		tok, err := ts.Token()
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken != fresh.AccessToken {
			t.Fatalf("a late 401 for the old token replaced the fresh one")
		}
	}
	if got := srv.Refreshes(); got != 1 {
		t.Errorf("got %d refreshes, want 1", got)
	}
	ts.Invalidate(fresh.AccessToken)
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
	if got := srv.Refreshes(); got != 2 {
		t.Errorf("after the fresh token is rejected: got %d refreshes, want 2", got)
	}
}

func TestTokenSourceDeadRefreshToken(t *testing.T) {
	srv := newServer(t, true)
	fs, _ := loginCredential(t, srv, time.Minute)
	// Another machine used the refresh token: it is dead now.
	other := newSource(srv, fs)
	if _, err := other.Token(); err != nil {
		t.Fatal(err)
	}
	c, _ := fs.Get()
	c.RefreshToken = "already-rotated-away"
	c.Expiry = time.Now()
	if err := fs.Set(c); err != nil {
		t.Fatal(err)
	}
	ts := newSource(srv, fs)
	_, err := ts.Token()
	var re *ReloginError
	if !errors.As(err, &re) || !strings.Contains(re.Hint(), "sigsentry auth login") || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("dead refresh token: got %v (%#v), want a *ReloginError saying invalid_grant and run `sigsentry auth login`", err, re)
	}
	before := srv.Refreshes()
	if _, err := ts.Token(); err == nil {
		t.Errorf("second call: got nil error, want the same failure")
	}
	if srv.Refreshes() != before {
		t.Errorf("a failed refresh was retried successfully?")
	}
}

func TestTokenSourceRaceGoroutines(t *testing.T) {
	srv := newServer(t, true)
	fs, _ := loginCredential(t, srv, time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each has its own source, as separate commands would.
			_, err := newSource(srv, &credstore.FileStore{Path: fs.Path, Passphrase: testPassphrase, KDF: testKDF}).Token()
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Token: %v", err)
		}
	}
	if got := srv.Refreshes(); got != 1 {
		t.Errorf("refreshes reaching the server: got %d, want 1", got)
	}
}

// TestTokenSourceRaceProcesses starts 8 separate OS processes sharing one
// config folder and encrypted store with a token about to expire, against a
// server that rotates refresh tokens.
func TestTokenSourceRaceProcesses(t *testing.T) {
	srv := newServer(t, true)
	fs, _ := loginCredential(t, srv, time.Minute)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	type proc struct {
		cmd   *exec.Cmd
		start io.WriteCloser
		out   *strings.Builder
	}
	var procs []proc
	for range 8 {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "OAUTHFLOW_TEST_HELPER=refresh", "HELPER_STORE="+fs.Path, "HELPER_PASSPHRASE="+testPassphrase,
			"HELPER_LOCK="+filepath.Join(filepath.Dir(fs.Path), LockFileName), "HELPER_OAUTH_URL="+srv.OAuthURL(), "HELPER_API_URL="+srv.APIURL())
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		start, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, proc{cmd, start, out})
	}
	for _, p := range procs {
		p.start.Close()
	}
	for i, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("process %d: %v: %s", i, err, p.out)
		}
		if strings.Contains(p.out.String(), "invalid_grant") {
			t.Errorf("process %d saw invalid_grant: %s", i, p.out)
		}
	}
	if got := srv.Refreshes(); got != 1 {
		t.Errorf("refreshes reaching the server from 8 processes: got %d, want 1", got)
	}
	t.Logf("8 processes, %d refresh(es) at the server", srv.Refreshes())
}
