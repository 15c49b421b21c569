package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

const (
	testKey    = "cli-key"
	testSecret = "cli-secret-value"
)

func newServer(t *testing.T, auto bool) *bitbuckettest.Server {
	t.Helper()
	srv := bitbuckettest.NewServer(bitbuckettest.Options{AutoApprove: auto})
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Nickname: "ada", DisplayName: "Ada Lovelace", Email: "ada@example.com", Workspaces: []string{"acme"}})
	srv.AddOAuthConsumer(bitbuckettest.Consumer{Key: testKey, Secret: testSecret, CallbackURL: "http://127.0.0.1/callback"})
	return srv
}

// noRedirect is a client that stops at the first redirect.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, c *http.Client, u string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Errorf("GET %s: %v", u, err)
		return 0, "", ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func callbackBase(t *testing.T, authURL string) (redirect, state string) {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("redirect_uri"), u.Query().Get("state")
}

func TestLoginLoopbackEndToEnd(t *testing.T) {
	srv := newServer(t, true)
	var wrongStatus int
	var wrongBody string
	res, err := Login(context.Background(), LoginOptions{
		OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute,
		OpenBrowser: func(authURL string) error {
			redirect, state := callbackBase(t, authURL)
			u, _ := url.Parse(authURL)
			q := u.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || len(state) < 22 {
				t.Errorf("authorize URL %s: want PKCE S256 and a state of >= 128 bits", authURL)
			}
			if !strings.HasPrefix(redirect, "http://127.0.0.1:") || !strings.HasSuffix(redirect, "/callback") {
				t.Errorf("redirect_uri: got %q, want http://127.0.0.1:PORT/callback", redirect)
			}
			// A forged callback (wrong state, then none) is refused and the wait goes on.
			wrongStatus, _, wrongBody = get(t, http.DefaultClient, redirect+"?code=forged&state=nope")
			if st, _, _ := get(t, http.DefaultClient, redirect+"?code=forged"); st != http.StatusBadRequest {
				t.Errorf("callback without state: got status %d, want 400", st)
			}
			go func() {
				st, _, body := get(t, http.DefaultClient, authURL)
				if st != http.StatusOK || !strings.Contains(body, "sigsentry is authorized") {
					t.Errorf("browser after redirect: got %d %q, want 200 with the success page", st, body)
				}
			}()
			return nil
		},
	})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if wrongStatus != http.StatusBadRequest || !strings.Contains(wrongBody, "does not belong") {
		t.Errorf("wrong state: got %d %q, want 400 and the refusal page", wrongStatus, wrongBody)
	}
	if res.Token.AccessToken == "" || res.Token.RefreshToken == "" {
		t.Errorf("token: got %+v, want access and refresh tokens", res.Token)
	}
	if d := time.Until(res.Token.Expiry); d < 119*time.Minute || d > 121*time.Minute {
		t.Errorf("expiry: got %s from now, want about 7200 s", d)
	}
	if got := strings.Join(res.Scopes, " "); got != "account repository" {
		t.Errorf("scopes: got %q, want %q", got, "account repository")
	}
}

var requestIDRe = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

func TestLoginAccessDenied(t *testing.T) {
	srv := newServer(t, false)
	_, err := Login(context.Background(), LoginOptions{
		OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute,
		OpenBrowser: func(authURL string) error {
			go func() {
				st, _, body := get(t, http.DefaultClient, authURL)
				m := requestIDRe.FindStringSubmatch(body)
				if st != http.StatusOK || m == nil {
					t.Errorf("consent page: got %d %q", st, body)
					return
				}
				resp, err := http.PostForm(srv.OAuthURL()+"/authorize/decision", url.Values{"request_id": {m[1]}, "decision": {"cancel"}})
				if err != nil {
					t.Errorf("clicking Cancel: %v", err)
					return
				}
				resp.Body.Close()
			}()
			return nil
		},
	})
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("Cancel on the consent page: got %v, want ErrAccessDenied", err)
	}
}

func TestLoginPastedRedirect(t *testing.T) {
	srv := newServer(t, true)
	lines := make(chan string)
	msgs := &syncWriter{w: &strings.Builder{}}
	res, err := Login(context.Background(), LoginOptions{
		OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute,
		Pasted: lines, Messages: msgs,
		Ready: func(authURL string) {
			go func() {
				// The browser cannot reach the loopback: take the Location by hand.
				st, loc, _ := get(t, noRedirect, authURL)
				if st != http.StatusFound {
					t.Errorf("authorize: got %d, want 302", st)
				}
				lines <- "   "
				lines <- strings.Replace(loc, "state=", "state=x", 1)
				lines <- loc
			}()
		},
	})
	if err != nil {
		t.Fatalf("Login with a pasted URL: %v", err)
	}
	if res.Token.AccessToken == "" {
		t.Errorf("got no access token")
	}
	if !strings.Contains(msgs.String(), "not this login's redirect") {
		t.Errorf("messages %q: want the wrong pasted URL reported", msgs.String())
	}
	// Any free port: say what to do if the consumer refuses this one.
	if !strings.Contains(msgs.String(), "--callback-port 8976") || !strings.Contains(msgs.String(), "http://127.0.0.1:8976/callback") {
		t.Errorf("messages %q: want the fixed-port fallback named", msgs.String())
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.w)
}

func TestLoginEnds(t *testing.T) {
	srv := newServer(t, true)
	t.Run("timeout", func(t *testing.T) {
		_, err := Login(context.Background(), LoginOptions{OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "--timeout") {
			t.Errorf("got %v, want a timeout naming --timeout", err)
		}
	})
	t.Run("ctrl-c", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var redirect string
		_, err := Login(ctx, LoginOptions{OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, Timeout: time.Minute,
			Ready: func(u string) { redirect, _ = callbackBase(t, u); cancel() }})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
		// The server is shut down: the port is closed.
		u, _ := url.Parse(redirect)
		if c, err := net.Dial("tcp", u.Host); err == nil {
			c.Close()
			t.Errorf("callback server on %s still accepts connections after Login returned", u.Host)
		}
	})
	t.Run("busy port", func(t *testing.T) {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		port := ln.Addr().(*net.TCPAddr).Port
		_, err = Login(context.Background(), LoginOptions{OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret, CallbackPort: port})
		if err == nil || !strings.Contains(err.Error(), "busy") || !strings.Contains(err.Error(), "--callback-port") {
			t.Errorf("got %v, want a busy-port error naming --callback-port", err)
		}
	})
	t.Run("fixed port", func(t *testing.T) {
		ln, _ := net.Listen("tcp4", "127.0.0.1:0")
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		var redirect string
		var msgs strings.Builder
		_, err := Login(context.Background(), LoginOptions{OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: testSecret,
			CallbackPort: port, Timeout: time.Minute, Messages: &msgs, OpenBrowser: func(u string) error {
				redirect, _ = callbackBase(t, u)
				go get(t, http.DefaultClient, u)
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("http://127.0.0.1:%d/callback", port); redirect != want {
			t.Errorf("redirect_uri: got %q, want %q", redirect, want)
		}
		if strings.Contains(msgs.String(), "--callback-port") {
			t.Errorf("messages %q: a fixed port needs no fallback advice", msgs.String())
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		_, err := Login(context.Background(), LoginOptions{OAuthURL: srv.OAuthURL(), ClientID: testKey, ClientSecret: "nope", Timeout: time.Minute,
			OpenBrowser: func(u string) error { go get(t, http.DefaultClient, u); return nil }})
		if err == nil || !strings.Contains(err.Error(), "invalid_client") {
			t.Errorf("got %v, want invalid_client from the exchange", err)
		}
		if strings.Contains(fmt.Sprint(err), "nope") {
			t.Errorf("error %q shows the client secret", err)
		}
	})
}

func TestParseCallback(t *testing.T) {
	const state = "s3cr3t-state"
	tests := []struct {
		name, raw string
		wantCode  string
		wantErr   error
	}{
		{"ok", "http://127.0.0.1:1234/callback?code=abc&state=s3cr3t-state", "abc", nil},
		{"query only", "code=abc&state=s3cr3t-state", "abc", nil},
		{"fragment ignored", "http://127.0.0.1/callback?code=abc&state=s3cr3t-state#x", "abc", nil},
		{"wrong state", "http://127.0.0.1/callback?code=abc&state=other", "", ErrStateMismatch},
		{"missing state", "http://127.0.0.1/callback?code=abc", "", ErrStateMismatch},
		{"forged denial", "http://127.0.0.1/callback?error=access_denied", "", ErrStateMismatch},
		{"denied", "http://127.0.0.1/callback?error=access_denied&state=s3cr3t-state", "", ErrAccessDenied},
		{"no code", "http://127.0.0.1/callback?state=s3cr3t-state", "", ErrNoCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := ParseRedirectURL(tt.raw, state)
			if code != tt.wantCode || !errors.Is(err, tt.wantErr) {
				t.Errorf("ParseRedirectURL(%q): got %q, %v; want %q, %v", tt.raw, code, err, tt.wantCode, tt.wantErr)
			}
		})
	}
	if _, err := ParseRedirectURL("", state); err == nil {
		t.Errorf("empty input: got nil error")
	}
	if _, err := ParseCallbackQuery(url.Values{"code": {"x"}, "state": {""}}, ""); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("empty expected state: got %v, want ErrStateMismatch", err)
	}
}

func FuzzParseRedirectURL(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:1/callback?code=a&state=st", "code=a&state=st", "?error=access_denied&state=st",
		"http://[::1", "%zz", "state=st&code=%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		code, err := ParseRedirectURL(raw, "st")
		if err == nil && code == "" {
			t.Errorf("ParseRedirectURL(%q): empty code with nil error", raw)
		}
		if err == nil && !strings.Contains(raw, "st") {
			t.Errorf("ParseRedirectURL(%q): accepted without the state", raw)
		}
	})
}
