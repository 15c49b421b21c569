// Package oauthflow runs Bitbucket Cloud's OAuth 2.0 authorization-code
// flow for a command-line program: a loopback server on 127.0.0.1, a
// random state, PKCE S256 alongside the consumer secret, and a pasted
// redirect URL for machines whose loopback the browser cannot reach. It also
// provides TokenSource, which refreshes rotating refresh tokens under a
// cross-process lock and saves each new one before using it.
package oauthflow

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sigsentry/sigsentry/pkg/advice"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"golang.org/x/oauth2"
)

// DefaultClientID and DefaultClientSecret are the OAuth consumer baked in at
// build time:
//
//	-ldflags "-X github.com/sigsentry/sigsentry/internal/oauthflow.DefaultClientID=KEY
//	          -X github.com/sigsentry/sigsentry/internal/oauthflow.DefaultClientSecret=SECRET"
//
// Bitbucket Cloud has no public (secretless) clients, so a distributed CLI
// ships both, as gh does; PKCE is added as defence in depth.
var (
	DefaultClientID     = ""
	DefaultClientSecret = ""
)

// CallbackPath is the loopback redirect's path. Register
// http://127.0.0.1/callback (no port) as the consumer's Callback URL.
const CallbackPath = "/callback"

// DefaultTimeout bounds how long Login waits for the browser.
const DefaultTimeout = 5 * time.Minute

// Endpoint returns the authorize and token endpoints below an OAuth base
// such as https://bitbucket.org/site/oauth2. Client credentials go in a
// Basic header, as Bitbucket documents.
func Endpoint(base string) oauth2.Endpoint {
	base = strings.TrimRight(base, "/")
	return oauth2.Endpoint{
		AuthURL:   base + "/authorize",
		TokenURL:  base + "/access_token",
		AuthStyle: oauth2.AuthStyleInHeader,
	}
}

// LoginOptions configure Login.
type LoginOptions struct {
	// OAuthURL is the OAuth base (Endpoint).
	OAuthURL string
	// ClientID and ClientSecret are the consumer's key and secret.
	ClientID, ClientSecret string
	// CallbackPort is the loopback port; 0 picks a free one.
	CallbackPort int
	// Timeout bounds the wait for the browser (DefaultTimeout if 0).
	Timeout time.Duration
	// OpenBrowser opens the authorize URL; nil means do not open one.
	OpenBrowser func(url string) error
	// Messages receives the authorize URL and progress (standard error).
	Messages io.Writer
	// Pasted, when not nil, delivers lines typed on the terminal: a
	// redirect URL pasted from the browser's address bar is accepted like a
	// callback. Login stops reading when it returns; see LineReader.
	Pasted <-chan string
	// HTTPClient is used for the token exchange; nil uses a default.
	HTTPClient *http.Client
	// Ready, when not nil, is called with the authorize URL once the
	// loopback server listens (tests).
	Ready func(authURL string)
}

// Result is what a successful Login returns.
type Result struct {
	Token  *oauth2.Token
	Scopes []string
	// RedirectURI is the redirect_uri that was used.
	RedirectURI string
}

// FallbackPort is the fixed callback port the docs suggest registering
// when a consumer's callback URL does not accept any port.
const FallbackPort = 8976

// Listen binds the loopback callback server on 127.0.0.1 only (never a
// name that resolves, never all interfaces).
func Listen(port int) (net.Listener, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("callback port %d is out of range (0-65535)", port)
	}
	ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("starting the login callback server: port %d on 127.0.0.1 is busy: close what uses it or pick another with --callback-port (0 = any free port, if your OAuth consumer's callback URL has no port): %w", port, err)
		}
		return nil, fmt.Errorf("starting the login callback server on 127.0.0.1:%d: %w", port, err)
	}
	return ln, nil
}

// RandomString returns n random bytes from crypto/rand, base64url-encoded.
func RandomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type outcome struct {
	code string
	err  error
}

// Login runs the authorization-code flow and exchanges the code. It
// returns when a callback with the right state arrives (by the browser or
// pasted), the timeout passes, or ctx ends (Ctrl-C); the loopback server is
// shut down in every case.
func Login(ctx context.Context, o LoginOptions) (*Result, error) {
	if o.ClientID == "" {
		return nil, errors.New("no OAuth client id: pass --client-id, set SIGSENTRY_OAUTH_CLIENT_ID or oauth.client_id")
	}
	if o.ClientSecret == "" {
		return nil, errors.New("no OAuth client secret: set SIGSENTRY_OAUTH_CLIENT_SECRET")
	}
	// The exchange sends the consumer key and secret, the code and the PKCE
	// verifier: refuse plain http to anything but loopback before anything
	// is sent or shown.
	base, err := bitbucket.CheckBaseURL("Bitbucket OAuth URL", o.OAuthURL)
	if err != nil {
		return nil, fmt.Errorf("starting the OAuth login: %w", err)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Messages == nil {
		o.Messages = io.Discard
	}
	ln, err := Listen(o.CallbackPort)
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redirect := fmt.Sprintf("http://127.0.0.1:%d%s", port, CallbackPath)

	state, err := RandomString(32) // 256 bits
	if err != nil {
		ln.Close()
		return nil, err
	}
	verifier := oauth2.GenerateVerifier()
	conf := &oauth2.Config{
		ClientID:     o.ClientID,
		ClientSecret: o.ClientSecret,
		Endpoint:     Endpoint(base.String()),
		RedirectURL:  redirect,
	}
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	results := make(chan outcome, 1)
	deliver := func(oc outcome) bool {
		select {
		case results <- oc:
			return true
		default:
			return false
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) {
		if !callbackHost(r.Host, port) {
			// Another name that resolves here (DNS rebinding) or a forged
			// Host: not the redirect this login asked for.
			fmt.Fprintln(o.Messages, "Ignored a callback addressed to another host than 127.0.0.1; still waiting.")
			writePage(w, http.StatusMisdirectedRequest, "This address does not belong to this login",
				"sigsentry only accepts the redirect to http://127.0.0.1:"+strconv.Itoa(port)+CallbackPath+".")
			return
		}
		code, err := ParseCallbackQuery(r.URL.Query(), state)
		switch {
		case errors.Is(err, ErrStateMismatch):
			fmt.Fprintln(o.Messages, "Ignored a callback whose state does not match this login; still waiting.")
			writePage(w, http.StatusBadRequest, "This link does not belong to this login",
				"The state parameter does not match the sigsentry login waiting in your terminal. Start from the URL the terminal shows.")
			return
		case errors.Is(err, ErrNoCode):
			writePage(w, http.StatusBadRequest, "No authorization code", "This callback carries no authorization code; sigsentry is still waiting.")
			return
		case err != nil:
			deliver(outcome{err: err})
			writePage(w, http.StatusOK, "Access was not granted",
				"sigsentry was not authorized. You can close this tab; to try again, "+advice.Relogin+".")
			return
		}
		if !deliver(outcome{code: code}) {
			writePage(w, http.StatusConflict, "Already done", "This login has already received an answer. You can close this tab.")
			return
		}
		writePage(w, http.StatusOK, "sigsentry is authorized",
			"You can close this tab and return to the terminal.")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
		<-serveErr
	}()

	fmt.Fprintln(o.Messages, "Open this URL in a browser to authorize sigsentry:")
	fmt.Fprintln(o.Messages, authURL)
	if o.Ready != nil {
		o.Ready(authURL)
	}
	if o.OpenBrowser != nil {
		if err := o.OpenBrowser(authURL); err != nil {
			fmt.Fprintf(o.Messages, "Could not open a browser (%v); open the URL above yourself.\n", err)
		}
	}
	done := make(chan struct{})
	defer close(done)
	if o.Pasted != nil {
		fmt.Fprintln(o.Messages, "If the browser cannot reach this machine, paste the address it ends on (http://127.0.0.1:...) here and press Enter:")
		go readPasted(o.Pasted, done, state, deliver, o.Messages)
	}
	if o.CallbackPort == 0 {
		// Bitbucket documents no loopback-port rule: a consumer whose
		// callback URL does not accept this port fails in the browser, and
		// the browser never comes back here.
		fmt.Fprintf(o.Messages, "This login listens on %s. If Bitbucket says the redirect_uri does not match, set the consumer's "+
			"callback URL to http://127.0.0.1:%d%s and log in with --callback-port %d.\n", redirect, FallbackPort, CallbackPath, FallbackPort)
	}
	fmt.Fprintf(o.Messages, "Waiting for the browser (up to %s; Ctrl-C to stop)...\n", o.Timeout)

	timer := time.NewTimer(o.Timeout)
	defer timer.Stop()
	var oc outcome
	select {
	case oc = <-results:
	case <-timer.C:
		return nil, fmt.Errorf("waiting for the browser: no answer within %s (use --timeout to wait longer)", o.Timeout)
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the browser: %w", ctx.Err())
	}
	if oc.err != nil {
		return nil, oc.err
	}
	xctx := ctx
	if o.HTTPClient != nil {
		xctx = context.WithValue(ctx, oauth2.HTTPClient, o.HTTPClient)
	}
	tok, err := conf.Exchange(xctx, oc.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchanging the authorization code for a token: %w", err)
	}
	return &Result{Token: tok, Scopes: TokenScopes(tok), RedirectURI: redirect}, nil
}

// callbackHost reports whether a callback's Host header names the loopback
// address the server listens on: 127.0.0.1:port or localhost:port (the
// port may be left out only when it is 80).
func callbackHost(host string, port int) bool {
	h, p, err := net.SplitHostPort(host)
	if err != nil {
		h, p = host, "80"
	}
	if p != strconv.Itoa(port) {
		return false
	}
	h = strings.ToLower(h)
	return h == "127.0.0.1" || h == "localhost"
}

func readPasted(lines <-chan string, done <-chan struct{}, state string, deliver func(outcome) bool, msgs io.Writer) {
	for {
		var line string
		var ok bool
		select {
		case line, ok = <-lines:
			if !ok {
				return
			}
		case <-done:
			return
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		code, err := ParseRedirectURL(line, state)
		if err != nil && !isCallbackError(err) {
			fmt.Fprintf(msgs, "That is not this login's redirect (%v); paste the address again, or wait for the browser.\n", err)
			continue
		}
		deliver(outcome{code: code, err: err})
		return
	}
}

// LineReader reads r line by line in one goroutine and delivers the lines
// on the returned channel, closed at EOF. It lets a login accept a pasted
// URL and a later prompt read the next answer without two readers racing
// for the same terminal.
func LineReader(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 4096), 64<<10)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

func isCallbackError(err error) bool {
	var ce *CallbackError
	return errors.As(err, &ce)
}

// TokenScopes returns the scopes granted with tok: Bitbucket's token
// response has carried them in "scopes" and, since 2026-05-04, in "scope",
// space- (or comma-) separated.
func TokenScopes(tok *oauth2.Token) []string {
	if tok == nil {
		return nil
	}
	for _, key := range []string{"scope", "scopes"} {
		switch v := tok.Extra(key).(type) {
		case string:
			if f := splitScopes(v); len(f) > 0 {
				return f
			}
		case []any:
			var out []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					out = append(out, splitScopes(s)...)
				}
			}
			if len(out) > 0 {
				return out
			}
		}
	}
	return nil
}

func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
}
