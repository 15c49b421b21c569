package auth_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/source"
)

// follow acts as a browser without JavaScript: it follows the authorize
// URL's redirects to the loopback callback and returns the final page.
func follow(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Errorf("browser GET %s: %v", u, err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestLoginLoopback(t *testing.T) {
	e := newEnv(t, true)
	var forged int
	var final string
	done := make(chan struct{})
	r := e.run(func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect := u.Query().Get("redirect_uri")
		// A request with the wrong state is refused, and the wait goes on.
		forged, _ = follow(t, redirect+"?code=forged&state=not-the-state")
		go func() {
			defer close(done)
			_, final = follow(t, authURL)
		}()
		return nil
	}, "", "auth", "login", "--timeout", "1m")
	<-done
	if r.code != 0 {
		t.Fatalf("auth login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if forged != http.StatusBadRequest {
		t.Errorf("wrong-state callback: got status %d, want 400", forged)
	}
	if !strings.Contains(final, "sigsentry is authorized") {
		t.Errorf("browser's last page: got %q, want the success page", final)
	}
	authLine := regexp.MustCompile(`(?m)^http://127\.0\.0\.1:\d+/site/oauth2/authorize\?\S+$`)
	if !authLine.MatchString(r.stderr) {
		t.Errorf("stderr %q: want the authorize URL on a line of its own", r.stderr)
	}
	for _, want := range []string{"Logged in to Bitbucket as Ada Lovelace (ada)", "Workspace: acme"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr %q: want %q", r.stderr, want)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(e.cfgDir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"method: oauth", "nickname: ada", "workspace: acme"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config.yaml:\n%s\nwant %q", cfg, want)
		}
	}
	// Every later command just works with the stored tokens.
	st := e.run(nil, "", "auth", "status", "-o", "json")
	if st.code != 0 {
		t.Fatalf("auth status: exit %d: %s", st.code, st.stderr)
	}
	var got struct {
		Method, Source, Workspace string
		User                      struct{ Nickname string }
		Scopes                    []string
		ExpiresInSeconds          int64 `json:"expires_in_seconds"`
		Check                     struct{ OK bool }
	}
	if err := json.Unmarshal([]byte(st.stdout), &got); err != nil {
		t.Fatalf("status JSON %q: %v", st.stdout, err)
	}
	if got.Method != "oauth" || got.Source != "file" || got.Workspace != "acme" || got.User.Nickname != "ada" ||
		!got.Check.OK || got.ExpiresInSeconds < 7000 || strings.Join(got.Scopes, " ") != "account repository" {
		t.Errorf("status: got %+v, want oauth from file, ada in acme, ~7200 s left, scopes account repository, check ok", got)
	}
}

func TestLoginAccessDeniedExit4(t *testing.T) {
	e := newEnv(t, false)
	done := make(chan struct{})
	r := e.run(func(authURL string) error {
		go func() {
			defer close(done)
			_, page := follow(t, authURL)
			m := regexp.MustCompile(`name="request_id" value="([^"]+)"`).FindStringSubmatch(page)
			if m == nil {
				t.Errorf("consent page: %q", page)
				return
			}
			resp, err := http.PostForm(e.srv.OAuthURL()+"/authorize/decision", url.Values{"request_id": {m[1]}, "decision": {"cancel"}})
			if err != nil {
				t.Errorf("clicking Cancel: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}, "", "auth", "login")
	<-done
	if r.code != cmdutil.ExitAuth {
		t.Errorf("Cancel on the consent page: exit %d, want 4; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "access was denied") {
		t.Errorf("stderr %q: want a clear access-denied message", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.cfgDir, "credentials.enc")); !os.IsNotExist(err) {
		t.Errorf("a credential was stored after access was denied (stat: %v)", err)
	}
}

func TestLoginStoreUnwritableBeforeBrowser(t *testing.T) {
	e := newEnv(t, true)
	delete(e.vars, "SIGSENTRY_CREDENTIAL_PASSPHRASE")
	opened := false
	r := e.run(func(string) error { opened = true; return nil }, "", "auth", "login")
	if r.code == 0 || opened {
		t.Errorf("no passphrase: exit %d, browser opened %v; want a failure before the browser opens", r.code, opened)
	}
	if !strings.Contains(r.stderr, "SIGSENTRY_CREDENTIAL_PASSPHRASE") {
		t.Errorf("stderr %q: want it to name SIGSENTRY_CREDENTIAL_PASSPHRASE", r.stderr)
	}
}

func TestEnvCredentialRefusesStoreAndRevoke(t *testing.T) {
	e := newEnv(t, true)
	e.vars["SIGSENTRY_BITBUCKET_EMAIL"] = apiEmail
	e.vars["SIGSENTRY_BITBUCKET_API_TOKEN"] = apiToken
	for _, args := range [][]string{{"auth", "login"}, {"auth", "api-token", "--email", apiEmail, "--token-stdin"}, {"revoke"}} {
		r := e.run(nil, apiToken, args...)
		if r.code != cmdutil.ExitFailure || !strings.Contains(r.stderr, "SIGSENTRY_BITBUCKET_EMAIL") {
			t.Errorf("%v with an env credential: exit %d, stderr %q; want exit 1 naming the variables", args, r.code, r.stderr)
		}
	}
	st := e.run(nil, "", "auth", "status", "-o", "json")
	if st.code != 0 || !strings.Contains(st.stdout, `"source": "environment"`) {
		t.Errorf("status with env credential: exit %d, %s %s", st.code, st.stdout, st.stderr)
	}
}

func TestBasicAndTokenCommands(t *testing.T) {
	e := newEnv(t, true)
	r := e.run(nil, apiToken+"\n", "auth", "api-token", "--email", apiEmail, "--token-stdin")
	if r.code != 0 || !strings.Contains(r.stderr, "Ada Lovelace") || !strings.Contains(r.stderr, "Workspace: acme") {
		t.Fatalf("api-token: exit %d, stderr %q", r.code, r.stderr)
	}
	st := e.run(nil, "", "auth", "status")
	if st.code != 0 || !strings.Contains(st.stdout, "api-token") || !strings.Contains(st.stdout, "file") {
		t.Errorf("status after api-token: exit %d, stdout %q, stderr %q", st.code, st.stdout, st.stderr)
	}
	bad := e.run(nil, "wrong-token", "auth", "api-token", "--email", apiEmail, "--token-stdin")
	if bad.code != cmdutil.ExitAuth || !strings.Contains(bad.stderr, "2026-07-28") || !strings.Contains(bad.stderr, "read:repository:bitbucket") {
		t.Errorf("rejected API token: exit %d, stderr %q; want exit 4 explaining App passwords and API token scopes", bad.code, bad.stderr)
	}
	e.srv.AddAppPassword("ada", "old-app-password")
	ap := e.run(nil, "old-app-password", "auth", "app-password", "--username", "ada", "--password-stdin")
	if ap.code != cmdutil.ExitAuth || !strings.Contains(ap.stderr, "stopped working on 2026-07-28") || !strings.Contains(ap.stderr, "id.atlassian.com") {
		t.Errorf("app password: exit %d, stderr %q; want a deprecation notice and exit 4 with API token instructions", ap.code, ap.stderr)
	}
	tk := e.run(nil, accessToken, "auth", "token", "--token-stdin", "--repo", "acme/api")
	if tk.code != 0 {
		t.Fatalf("auth token: exit %d, stderr %q", tk.code, tk.stderr)
	}
	noRepo := e.run(nil, accessToken, "auth", "token", "--token-stdin")
	if noRepo.code != cmdutil.ExitUsage {
		t.Errorf("auth token without --repo or registered repos: exit %d, want 2", noRepo.code)
	}
	// What analyze cached from Bitbucket goes too: it may be private code.
	cache := source.NewCache(e.cache, "bitbucket", "acme/api")
	cache.PutFile(strings.Repeat("b", 40), "src/secret.c", []byte("int key = 42;\n"))
	rv := e.run(nil, "", "revoke")
	if rv.code != 0 || !strings.Contains(rv.stderr, "Access tokens") {
		t.Errorf("revoke: exit %d, stderr %q; want the access-token revoke page named", rv.code, rv.stderr)
	}
	if _, ok := cache.GetFile(strings.Repeat("b", 40), "src/secret.c"); ok || !strings.Contains(rv.stderr, "Removed 1 cached diff or file fetched from Bitbucket") {
		t.Errorf("revoke left the file cached from Bitbucket (still there: %v), stderr %q", ok, rv.stderr)
	}
	again := e.run(nil, "", "revoke")
	if again.code != 0 || !strings.Contains(again.stderr, "Nothing stored") {
		t.Errorf("second revoke: exit %d, stderr %q; want an idempotent no-op", again.code, again.stderr)
	}
	gone := e.run(nil, "", "auth", "status")
	if gone.code != cmdutil.ExitAuth {
		t.Errorf("status after revoke: exit %d, want 4", gone.code)
	}
	cfg, _ := os.ReadFile(filepath.Join(e.cfgDir, "config.yaml"))
	if strings.Contains(string(cfg), "account") || strings.Contains(string(cfg), "acme") {
		t.Errorf("config after revoke still holds account data:\n%s", cfg)
	}
}

// TestLoginCallbackPortFromConfig: with no --callback-port, the config's
// oauth.callback_port (here through SIGSENTRY_OAUTH_CALLBACK_PORT) is used.
// login runs `auth login` with a browser that follows the authorize URL
// to its end, and returns the run and the redirect_uri the URL named.
func (e *env) login(t *testing.T) (r result, redirect string) {
	t.Helper()
	done := make(chan struct{})
	opened := false
	r = e.run(func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect, opened = u.Query().Get("redirect_uri"), true
		go func() {
			defer close(done)
			follow(t, authURL)
		}()
		return nil
	}, "", "auth", "login", "--timeout", "1m")
	if opened {
		<-done
	}
	return r, redirect
}

func TestLoginCallbackPortFromConfig(t *testing.T) {
	e := newEnv(t, true)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	e.vars["SIGSENTRY_OAUTH_CALLBACK_PORT"] = strconv.Itoa(port)
	r, redirect := e.login(t)
	if r.code != 0 {
		t.Fatalf("auth login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if want := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"; redirect != want {
		t.Errorf("got redirect_uri %q, want %q", redirect, want)
	}
}

// TestAPITokenScopes: a token that may not list workspaces still logs in
// (analysis needs only repository read) and says how to set the
// workspace; one that may not read the user is refused with the scope that
// endpoint needs, not the repository one.
func TestAPITokenScopes(t *testing.T) {
	e := newEnv(t, true)
	e.srv.AddUser(bitbuckettest.User{Nickname: "bob", DisplayName: "Bob", Email: "bob@example.com", Workspaces: []string{"acme"}})
	e.srv.AddAPIToken("bob@example.com", "tok-no-ws", "read:user:bitbucket", "read:repository:bitbucket")
	r := e.run(nil, "tok-no-ws", "auth", "api-token", "--email", "bob@example.com", "--token-stdin")
	if r.code != 0 || !strings.Contains(r.stderr, "read:workspace:bitbucket") || !strings.Contains(r.stderr, "--workspace") {
		t.Errorf("token without read:workspace: exit %d, stderr %q; want it stored, naming the scope and --workspace", r.code, r.stderr)
	}
	r = e.run(nil, "tok-no-ws", "auth", "api-token", "--email", "bob@example.com", "--token-stdin", "--workspace", "acme")
	if r.code != 0 || !strings.Contains(r.stderr, "Workspace: acme") {
		t.Errorf("token without read:workspace, --workspace acme: exit %d, stderr %q", r.code, r.stderr)
	}
	// Logging in again without --workspace keeps the configured one, and says so.
	r = e.run(nil, "tok-no-ws", "auth", "api-token", "--email", "bob@example.com", "--token-stdin", "-o", "json")
	if r.code != 0 || !strings.Contains(r.stderr, "kept the configured workspace acme") || !strings.Contains(r.stdout, `"workspace": "acme"`) {
		t.Errorf("token without read:workspace, again: exit %d, stdout %q, stderr %q; want the workspace kept and said", r.code, r.stdout, r.stderr)
	}
	e.srv.AddAPIToken("bob@example.com", "tok-no-user", "read:workspace:bitbucket", "read:repository:bitbucket")
	r = e.run(nil, "tok-no-user", "auth", "api-token", "--email", "bob@example.com", "--token-stdin")
	if r.code == 0 || !strings.Contains(r.stderr, "read:user:bitbucket") || strings.Contains(r.stderr, "tok-no-user") {
		t.Errorf("token without read:user: exit %d, stderr %q; want a refusal naming read:user:bitbucket", r.code, r.stderr)
	}
}

// TestRevokeJSON: with -o json, stdout holds one JSON document saying what
// was removed and where to finish; a second run reports nothing removed.
func TestRevokeJSON(t *testing.T) {
	e := newEnv(t, true)
	if r := e.run(nil, apiToken, "auth", "api-token", "--email", apiEmail, "--token-stdin"); r.code != 0 {
		t.Fatalf("api-token: exit %d, stderr %q", r.code, r.stderr)
	}
	source.NewCache(e.cache, "bitbucket", "acme/api").PutFile(strings.Repeat("c", 40), "main.c", []byte("int x;\n"))
	type report struct {
		Bitbucket struct {
			Removed []struct{ Store, Method string }
			Finish  []string
		}
		AccountRemoved bool `json:"account_removed"`
		CachedRemoved  int  `json:"cached_removed"`
		Errors         []string
	}
	for i, want := range []struct {
		removed, cached int
		account         bool
	}{{1, 1, true}, {0, 0, false}} {
		r := e.run(nil, "", "revoke", "-o", "json")
		var got report
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
			t.Fatalf("run %d: exit %d, stdout %q: %v", i, r.code, r.stdout, err)
		}
		if len(got.Bitbucket.Removed) != want.removed || got.CachedRemoved != want.cached || got.AccountRemoved != want.account ||
			len(got.Bitbucket.Finish) != want.removed || len(got.Errors) != 0 {
			t.Errorf("run %d: got %+v, want %d removed with where to finish, %d cached, account %v", i, got, want.removed, want.cached, want.account)
		}
		if want.removed == 1 && (got.Bitbucket.Removed[0].Store != "file" || got.Bitbucket.Removed[0].Method != "api-token") {
			t.Errorf("run %d: removed %+v, want the API token from the file", i, got.Bitbucket.Removed)
		}
	}
}

// TestStoringCommandsJSON: with -o json, the commands that store a
// credential print one JSON document on stdout saying what was stored,
// and never the secret.
func TestStoringCommandsJSON(t *testing.T) {
	e := newEnv(t, true)
	for _, tc := range []struct {
		stdin, method string
		args          []string
	}{
		{apiToken, "api-token", []string{"auth", "api-token", "--email", apiEmail, "--token-stdin", "-o", "json"}},
		{accessToken, "token", []string{"auth", "token", "--token-stdin", "--repo", "acme/api", "-o", "json"}},
	} {
		r := e.run(nil, tc.stdin, tc.args...)
		var got struct {
			Stored    bool
			Method    string
			Source    string
			Workspace string
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
			t.Fatalf("%v: exit %d, stdout %q: %v", tc.args, r.code, r.stdout, err)
		}
		if !got.Stored || got.Method != tc.method || got.Source != "file" || got.Workspace != "acme" || strings.Contains(r.stdout, tc.stdin) {
			t.Errorf("%v: got %s, want %s stored in the file for acme, without the secret", tc.args, r.stdout, tc.method)
		}
	}
}
