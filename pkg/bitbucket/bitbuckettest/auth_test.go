package bitbuckettest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuthMatrix(t *testing.T) {
	f := newFixture(t)
	paths := []string{
		"/2.0/user",
		"/2.0/user/workspaces",
		"/2.0/repositories/acme/app",
		"/2.0/repositories/acme/pub",
		"/2.0/repositories/evil/secret",
		"/2.0/repositories/acme/app/commits/main",
	}
	tests := []struct {
		name     string
		cred     cred
		want     [6]int
		credType string
	}{
		{"api token, all scopes", alice, [6]int{200, 200, 200, 200, 404, 200}, "api_token"},
		{"api token, repository only", basic(aliceEmail, "ATATT-alice-repo-only"), [6]int{403, 403, 200, 200, 404, 200}, "api_token"},
		{"api token with username", basic("alice", aliceToken), [6]int{401, 401, 401, 401, 401, 401}, ""},
		{"app password", basic("alice", "app-pass"), [6]int{401, 401, 401, 401, 401, 401}, "apppassword"},
		{"api token as bearer", bearer(aliceToken), [6]int{401, 401, 401, 401, 401, 401}, ""},
		{"repository access token", bearer("repo-token"), [6]int{403, 403, 200, 200, 404, 200}, "repo_access_token"},
		{"pullrequest implies repository", bearer("pr-token"), [6]int{403, 403, 200, 200, 404, 200}, "repo_access_token"},
		{"access token without repository", bearer("webhook-token"), [6]int{403, 403, 403, 403, 403, 403}, "repo_access_token"},
		{"no credentials", nil, [6]int{401, 401, 404, 200, 404, 404}, ""},
		{"other user", basic("mallory@example.com", "ATATT-mallory"), [6]int{200, 200, 404, 200, 200, 404}, "api_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, p := range paths {
				r := get(t, f.srv, p, tt.cred)
				if r.status != tt.want[i] {
					t.Errorf("GET %s: got %d, want %d: %s", p, r.status, tt.want[i], r.body)
					continue
				}
				if got := r.header.Get("X-Credential-Type"); got != tt.credType {
					t.Errorf("GET %s: got X-Credential-Type %q, want %q", p, got, tt.credType)
				}
				if r.status >= 400 && errorMessage(t, r) == "" {
					t.Errorf("GET %s: got an empty error message", p)
				}
			}
		})
	}

	r := get(t, f.srv, "/2.0/user", basic(aliceEmail, "ATATT-alice-repo-only"))
	var e struct {
		Error struct {
			Message string `json:"message"`
			Detail  struct {
				Required []string `json:"required"`
				Granted  []string `json:"granted"`
			} `json:"detail"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("decoding the 403: %v", err)
	}
	if e.Error.Message != msgScopes || strings.Join(e.Error.Detail.Required, ",") != "read:user:bitbucket" || strings.Join(e.Error.Detail.Granted, ",") != "read:repository:bitbucket" {
		t.Errorf("got %s, want the privilege-scopes 403 with required/granted", r.body)
	}
	if r := get(t, f.srv, "/2.0/user", basic("alice", "app-pass")); !strings.Contains(errorMessage(t, r), "API token") {
		t.Errorf("app password: got %s, want a message pointing to API tokens", r.body)
	}
	if r := get(t, f.srv, "/2.0/user", bearer(aliceToken)); errorMessage(t, r) != msgTokenInvalid {
		t.Errorf("api token as bearer: got %s, want %q", r.body, msgTokenInvalid)
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app", nil); errorMessage(t, r) != msgRepoNotVisible {
		t.Errorf("private repo: got %s, want %q", r.body, msgRepoNotVisible)
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app", bearer("repo-token")); r.header.Get("X-OAuth-Scopes") != "repository" {
		t.Errorf("access token: got X-OAuth-Scopes %q, want repository", r.header.Get("X-OAuth-Scopes"))
	}
}

func TestRepositoryLookupAndListing(t *testing.T) {
	f := newFixture(t)
	m := get(t, f.srv, "/2.0/repositories/ACME/App", alice).json(t)
	if m["full_name"] != "acme/app" || m["is_private"] != true || m["mainbranch"].(map[string]any)["name"] != "main" || m["type"] != "repository" {
		t.Errorf("got %v, want acme/app private with main branch main", m)
	}
	byUUID := get(t, f.srv, "/2.0/repositories/acme/"+url.PathEscape(m["uuid"].(string)), alice).json(t)
	if byUUID["full_name"] != "acme/app" {
		t.Errorf("by uuid: got %v, want acme/app", byUUID["full_name"])
	}
	names := func(c cred, q string) string {
		m := get(t, f.srv, "/2.0/repositories/acme"+q, c).json(t)
		var n []string
		for _, v := range m["values"].([]any) {
			n = append(n, v.(map[string]any)["slug"].(string))
		}
		return strings.Join(n, ",")
	}
	tests := []struct {
		name string
		cred cred
		q    string
		want string
	}{
		{"member", alice, "", "app,pub"},
		{"role member", alice, "?role=member", "app,pub"},
		{"anonymous", nil, "", "pub"},
		{"bad credentials list public repos", basic("alice", "wrong"), "", "pub"},
		{"outsider with role", basic("mallory@example.com", "ATATT-mallory"), "?role=member", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(tt.cred, tt.q); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUserAndWorkspaces(t *testing.T) {
	f := newFixture(t)
	u := get(t, f.srv, "/2.0/user", alice).json(t)
	if u["nickname"] != "alice" || u["display_name"] != "Alice A." || u["type"] != "user" || !uuidRE.MatchString(u["uuid"].(string)) {
		t.Errorf("got %v, want alice", u)
	}
	tests := []struct {
		q    string
		want string
	}{
		{"", "acme,alice"},
		{"?sort=-slug", "alice,acme"},
		{`?q=slug="acme"`, "acme"},
		{"?administrator=true", "alice"},
		{"?pagelen=1", "acme"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			r := get(t, f.srv, "/2.0/user/workspaces"+tt.q, alice)
			m := r.json(t)
			var slugs []string
			for _, v := range m["values"].([]any) {
				wa := v.(map[string]any)
				if wa["type"] != "workspace_access" {
					t.Errorf("got type %v, want workspace_access", wa["type"])
				}
				slugs = append(slugs, wa["workspace"].(map[string]any)["slug"].(string))
			}
			if got := strings.Join(slugs, ","); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if r := get(t, f.srv, "/2.0/workspaces/acme", alice); r.status != 200 || r.json(t)["slug"] != "acme" {
		t.Errorf("workspace: got %d %s, want acme", r.status, r.body)
	}
	if r := get(t, f.srv, "/2.0/workspaces/nope", alice); r.status != 404 {
		t.Errorf("missing workspace: got %d, want 404", r.status)
	}
}

// oauthClient talks to the OAuth endpoints without following redirects.
var oauthClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func pkce(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize starts the flow and returns the response (consent page or 302).
func authorize(t *testing.T, srv *Server, params url.Values) *http.Response {
	t.Helper()
	resp, err := oauthClient.Get(srv.OAuthURL() + "/authorize?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

var requestIDRE = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

// decide submits the consent form.
func decide(t *testing.T, srv *Server, page *http.Response, decision string) *url.URL {
	t.Helper()
	body, _ := io.ReadAll(page.Body)
	m := requestIDRE.FindSubmatch(body)
	if page.StatusCode != 200 || m == nil || !strings.Contains(string(body), "Grant access") || !strings.Contains(string(body), "Authorize sigsentry") {
		t.Fatalf("got %d %s, want the consent page", page.StatusCode, body)
	}
	resp, err := oauthClient.PostForm(srv.URL()+"/site/oauth2/authorize/decision", url.Values{"request_id": {string(m[1])}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("decision: got %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

type tokenResponse struct {
	status           int
	AccessToken      string `json:"access_token"`
	RefreshToken     string `json:"refresh_token"`
	ExpiresIn        int    `json:"expires_in"`
	TokenType        string `json:"token_type"`
	Scope            string `json:"scope"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func exchange(t testing.TB, srv *Server, key, secret string, form url.Values) tokenResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.OAuthURL()+"/access_token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if key != "" {
		req.SetBasicAuth(key, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr tokenResponse
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	tr.status = resp.StatusCode
	return tr
}

func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	f := newFixture(t)
	verifier := "verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
	redirect := "http://127.0.0.1:45678/callback"
	state := "st/+ ä=1"
	params := url.Values{
		"client_id": {"ckey"}, "response_type": {"code"}, "state": {state}, "redirect_uri": {redirect},
		"code_challenge": {pkce(verifier)}, "code_challenge_method": {"S256"}, "scope": {"account"},
	}
	loc := decide(t, f.srv, authorize(t, f.srv, params), "grant")
	if loc.Host != "127.0.0.1:45678" || loc.Path != "/callback" || loc.Query().Get("state") != state {
		t.Fatalf("got redirect %s, want the callback with state %q", loc, state)
	}
	code := loc.Query().Get("code")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	tr := exchange(t, f.srv, "ckey", "csecret", form)
	if tr.status != 200 || tr.AccessToken == "" || tr.RefreshToken == "" || tr.ExpiresIn != 7200 || tr.TokenType != "bearer" || tr.Scope != "account repository" {
		t.Fatalf("got %+v, want a bearer token pair with scope \"account repository\"", tr)
	}
	r := get(t, f.srv, "/2.0/user", bearer(tr.AccessToken))
	if r.status != 200 || r.header.Get("X-Credential-Type") != "oauth2" || r.header.Get("X-OAuth-Scopes") != "account, repository" {
		t.Errorf("using the token: got %d %v, want 200 with OAuth headers", r.status, r.header)
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app/commits/main", bearer(tr.AccessToken)); r.status != 200 {
		t.Errorf("commits with the token: got %d, want 200", r.status)
	}
	if again := exchange(t, f.srv, "ckey", "csecret", form); again.status != 400 || again.Error != "invalid_grant" {
		t.Errorf("reusing the code: got %+v, want 400 invalid_grant", again)
	}
	f.advance(7201 * time.Second)
	if r := get(t, f.srv, "/2.0/user", bearer(tr.AccessToken)); r.status != 401 {
		t.Errorf("after expires_in: got %d, want 401", r.status)
	}
}

func TestOAuthErrors(t *testing.T) {
	f := newFixture(t)
	f.srv.AddOAuthConsumer(Consumer{Key: "strict", Secret: "s", CallbackURL: "http://127.0.0.1/callback", StrictLoopbackPort: true})
	f.srv.AddOAuthConsumer(Consumer{Key: "nocb", Secret: "s"})
	f.srv.AddOAuthConsumer(Consumer{Key: "repoonly", Secret: "s", CallbackURL: "http://127.0.0.1/callback", Scopes: []string{"repository"}, AutoApprove: true})
	base := func(client, redirect string) url.Values {
		return url.Values{"client_id": {client}, "response_type": {"code"}, "state": {"s1"}, "redirect_uri": {redirect}}
	}
	pages := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"unknown client", base("nope", "http://127.0.0.1:5/callback"), "Invalid client_id"},
		{"other path", base("ckey", "http://127.0.0.1:5/other"), "redirect_uri does not match"},
		{"other host", base("ckey", "http://evil.example:5/callback"), "redirect_uri does not match"},
		{"strict loopback port", base("strict", "http://127.0.0.1:5/callback"), "redirect_uri does not match"},
		{"no callback", base("nocb", "http://127.0.0.1:5/callback"), "redirect_uri does not match"},
	}
	for _, tt := range pages {
		t.Run(tt.name, func(t *testing.T) {
			resp := authorize(t, f.srv, tt.params)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 400 || !strings.Contains(string(body), tt.want) {
				t.Errorf("got %d %s, want 400 page saying %q", resp.StatusCode, body, tt.want)
			}
		})
	}
	if resp := authorize(t, f.srv, base("strict", "http://127.0.0.1/callback/sub")); resp.StatusCode != 200 {
		t.Errorf("strict consumer, extended path: got %d, want the consent page", resp.StatusCode)
	}

	loc := decide(t, f.srv, authorize(t, f.srv, base("ckey", "http://127.0.0.1:9/callback")), "cancel")
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "s1" || loc.Query().Get("code") != "" {
		t.Errorf("cancel: got %s, want error=access_denied with state", loc)
	}

	// A code from the auto-approving consumer, without PKCE.
	resp := authorize(t, f.srv, base("repoonly", "http://127.0.0.1:9/callback"))
	loc, _ = url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Query().Get("code") == "" {
		t.Fatalf("auto-approve: got %d %s, want 302 with a code", resp.StatusCode, loc)
	}
	code := loc.Query().Get("code")
	if tr := exchange(t, f.srv, "repoonly", "s", url.Values{"grant_type": {"authorization_code"}, "code": {code}}); tr.status != 400 || tr.Error != "invalid_grant" {
		t.Errorf("redirect_uri not repeated: got %+v, want invalid_grant", tr)
	}

	codeFor := func(challenge string) string {
		p := base("ckey", "http://127.0.0.1:9/callback")
		if challenge != "" {
			p.Set("code_challenge", pkce(challenge))
			p.Set("code_challenge_method", "S256")
		}
		return decide(t, f.srv, authorize(t, f.srv, p), "grant").Query().Get("code")
	}
	grant := func(code string, extra ...string) url.Values {
		v := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://127.0.0.1:9/callback"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	exchanges := []struct {
		name        string
		key, secret string
		form        url.Values
		status      int
		errCode     string
	}{
		{"missing verifier", "ckey", "csecret", grant(codeFor("v1-0123456789012345678901234567890123456789")), 400, "invalid_grant"},
		{"wrong verifier", "ckey", "csecret", grant(codeFor("v2-0123456789012345678901234567890123456789"), "code_verifier", "nope"), 400, "invalid_grant"},
		{"wrong secret", "ckey", "nope", grant(codeFor("")), 401, "invalid_client"},
		{"client in body", "", "", grant(codeFor(""), "client_id", "ckey", "client_secret", "csecret"), 401, "invalid_client"},
		{"other client's code", "strict", "s", grant(codeFor("")), 400, "invalid_grant"},
		{"unknown grant", "ckey", "csecret", url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type"},
		{"no callback url", "nocb", "s", url.Values{"grant_type": {"client_credentials"}}, 400, "invalid_request"},
		{"unknown refresh token", "ckey", "csecret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, 400, "invalid_grant"},
	}
	for _, tt := range exchanges {
		t.Run(tt.name, func(t *testing.T) {
			tr := exchange(t, f.srv, tt.key, tt.secret, tt.form)
			if tr.status != tt.status || tr.Error != tt.errCode || tr.ErrorDescription == "" {
				t.Errorf("got %+v, want %d %s", tr, tt.status, tt.errCode)
			}
		})
	}

	expiring := codeFor("")
	f.advance(6 * time.Minute)
	if tr := exchange(t, f.srv, "ckey", "csecret", grant(expiring)); tr.Error != "invalid_grant" {
		t.Errorf("expired code: got %+v, want invalid_grant", tr)
	}

	req, _ := http.NewRequest(http.MethodPost, f.srv.OAuthURL()+"/access_token", strings.NewReader(`{"grant_type":"client_credentials"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("ckey", "csecret")
	jr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(jr.Body)
	jr.Body.Close()
	if jr.StatusCode != 400 || !strings.Contains(string(body), "Unsupported grant type: None") {
		t.Errorf("JSON body: got %d %s, want 400 Unsupported grant type: None", jr.StatusCode, body)
	}

	cc := exchange(t, f.srv, "repoonly", "s", url.Values{"grant_type": {"client_credentials"}})
	if cc.status != 200 || cc.RefreshToken != "" {
		t.Fatalf("client_credentials: got %+v, want a token without refresh token", cc)
	}
	r := get(t, f.srv, "/2.0/user", bearer(cc.AccessToken))
	if r.status != 403 || !strings.Contains(string(r.body), `"required":["account"]`) {
		t.Errorf("token without account: got %d %s, want 403 required account", r.status, r.body)
	}
}

// loginTokens runs an auto-approved code flow and returns the tokens.
func loginTokens(t *testing.T, srv *Server) tokenResponse {
	t.Helper()
	srv.SetAutoApprove(true)
	defer srv.SetAutoApprove(false)
	resp := authorize(t, srv, url.Values{"client_id": {"ckey"}, "response_type": {"code"}})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Host != "127.0.0.1" {
		t.Fatalf("got %d %s, want 302 to the registered callback", resp.StatusCode, loc)
	}
	tr := exchange(t, srv, "ckey", "csecret", url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}})
	if tr.status != 200 {
		t.Fatalf("exchange: got %+v, want 200", tr)
	}
	return tr
}

func TestRefreshRotation(t *testing.T) {
	f := newFixture(t)
	first := loginTokens(t, f.srv)
	refresh := func(rt string) tokenResponse {
		return exchange(t, f.srv, "ckey", "csecret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	}
	second := refresh(first.RefreshToken)
	if second.status != 200 || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatalf("refresh: got %+v, want new access and refresh tokens", second)
	}
	if again := refresh(first.RefreshToken); again.status != 400 || again.Error != "invalid_grant" {
		t.Errorf("old refresh token: got %+v, want 400 invalid_grant", again)
	}
	if got := f.srv.Refreshes(); got != 1 {
		t.Errorf("Refreshes: got %d, want 1", got)
	}
	f.srv.ExpireAccessTokens()
	for _, tok := range []string{first.AccessToken, second.AccessToken} {
		if r := get(t, f.srv, "/2.0/repositories/acme/app", bearer(tok)); r.status != 401 || r.header.Get("X-Credential-Type") != "oauth2" {
			t.Errorf("expired token: got %d, want 401", r.status)
		}
	}
	third := refresh(second.RefreshToken)
	if r := get(t, f.srv, "/2.0/repositories/acme/app", bearer(third.AccessToken)); r.status != 200 {
		t.Errorf("after refreshing: got %d, want 200", r.status)
	}
}

func TestConcurrentRefreshHasOneWinner(t *testing.T) {
	f := newFixture(t)
	tok := loginTokens(t, f.srv)
	const n = 8
	results := make([]tokenResponse, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			results[i] = exchange(t, f.srv, "ckey", "csecret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
		}(i)
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, r := range results {
		switch {
		case r.status == 200:
			wins++
		case r.Error != "invalid_grant":
			t.Errorf("loser: got %+v, want invalid_grant", r)
		}
	}
	if wins != 1 || f.srv.Refreshes() != 1 {
		t.Errorf("got %d winners and %d refreshes, want 1 and 1", wins, f.srv.Refreshes())
	}
}

func TestLatencyRespectsCancellation(t *testing.T) {
	f := newFixture(t)
	f.srv.SetLatency(time.Hour)
	client := &http.Client{Timeout: 50 * time.Millisecond}
	if _, err := client.Get(f.srv.APIURL() + "/user"); err == nil {
		t.Fatal("got a response, want the client timeout")
	}
	f.srv.SetLatency(0)
	// Close must not wait for the hour-long handler.
	done := make(chan struct{})
	go func() { f.srv.Close(); close(done) }()
	<-done
}
