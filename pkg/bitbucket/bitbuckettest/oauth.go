package bitbuckettest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type authRequest struct {
	clientID     string
	redirectURI  string // where to send the browser back
	redirectSent bool   // the client sent redirect_uri (it must repeat it)
	state        string
	challenge    string
	method       string
	user         *userState
	expires      time.Time
}

type authCode struct {
	authRequest
	scopes []string
}

type oauthToken struct {
	consumer string
	user     *userState
	scopes   []string
	expires  time.Time
}

type refreshToken struct {
	consumer string
	user     *userState
	scopes   []string
	dead     bool
}

var consentPage = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize {{.Name}} | Bitbucket</title></head>
<body>
<h1>Authorize {{.Name}}</h1>
<p>{{.Name}} is requesting access to your Bitbucket account <strong>{{.User}}</strong>.</p>
<p>It will be able to:</p>
<ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="{{.Action}}">
<input type="hidden" name="request_id" value="{{.ID}}">
<button type="submit" id="grant" name="decision" value="grant">Grant access</button>
<button type="submit" id="cancel" name="decision" value="cancel">Cancel</button>
</form>
</body></html>
`))

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error | Bitbucket</title></head>
<body><h1>Invalid OAuth request</h1><p id="error">{{.}}</p></body></html>
`))

func writeHTMLError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, msg)
}

// redirectAllowed applies Bitbucket's rule: the redirect_uri must extend the
// registered callback; a loopback callback without a port also accepts any
// port on that host (unless StrictLoopbackPort).
func redirectAllowed(c *Consumer, redirect string) bool {
	if c.CallbackURL == "" {
		return false
	}
	if strings.HasPrefix(redirect, c.CallbackURL) {
		return true
	}
	if c.StrictLoopbackPort {
		return false
	}
	cb, err1 := url.Parse(c.CallbackURL)
	ru, err2 := url.Parse(redirect)
	if err1 != nil || err2 != nil || cb.Port() != "" || !isLoopback(cb.Hostname()) {
		return false
	}
	return ru.Scheme == cb.Scheme && ru.Hostname() == cb.Hostname() && ru.User == nil &&
		strings.HasPrefix(ru.Path, cb.Path) && ru.Fragment == ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withParams adds query parameters to a redirect URI.
func withParams(redirect string, params url.Values) string {
	u, err := url.Parse(redirect)
	if err != nil {
		return redirect
	}
	q := u.Query()
	for k, vs := range params {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	s.mu.Lock()
	c, ok := s.consumers[clientID]
	var cons Consumer
	if ok {
		cons = *c
	}
	s.mu.Unlock()
	if !ok {
		writeHTMLError(w, http.StatusBadRequest, "Invalid client_id: no OAuth consumer with this key exists.")
		return
	}
	redirect, sent := q.Get("redirect_uri"), q.Has("redirect_uri")
	if !sent {
		redirect = cons.CallbackURL
	}
	if redirect == "" {
		writeHTMLError(w, http.StatusBadRequest, "No callback uri defined for the OAuth client.")
		return
	}
	if sent && !redirectAllowed(&cons, redirect) {
		writeHTMLError(w, http.StatusBadRequest, "redirect_uri does not match the callback URL registered for this OAuth consumer.")
		return
	}
	fail := func(code, desc string) {
		v := url.Values{"error": {code}, "error_description": {desc}}
		if q.Has("state") {
			v.Set("state", q.Get("state"))
		}
		http.Redirect(w, r, withParams(redirect, v), http.StatusFound)
	}
	if rt := q.Get("response_type"); rt != "code" {
		fail("unsupported_response_type", "Unsupported response type: "+rt)
		return
	}
	method := q.Get("code_challenge_method")
	challenge := q.Get("code_challenge")
	if challenge != "" {
		if method == "" {
			method = "plain"
		}
		if method != "S256" && method != "plain" {
			fail("invalid_request", "Unsupported code_challenge_method: "+method)
			return
		}
	}

	s.mu.Lock()
	var u *userState
	if cons.User != "" {
		u = s.userLocked(cons.User)
	} else if len(s.users) > 0 {
		u = s.users[0]
	}
	auto := s.autoApprove || cons.AutoApprove
	s.mu.Unlock()
	if u == nil {
		writeHTMLError(w, http.StatusBadRequest, "No Bitbucket account is signed in to grant access.")
		return
	}
	req := &authRequest{
		clientID: clientID, redirectURI: redirect, redirectSent: sent,
		state: q.Get("state"), challenge: challenge, method: method,
		user: u, expires: s.now().Add(s.opts.CodeTTL),
	}
	if auto {
		s.grant(w, r, req, q.Has("state"))
		return
	}
	id := randomToken(16)
	s.mu.Lock()
	s.pending[id] = req
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = consentPage.Execute(w, map[string]any{
		"Name": cons.Name, "User": u.DisplayName, "Scopes": cons.Scopes,
		"Action": "/site/oauth2/authorize/decision", "ID": id,
	})
}

// grant issues a code for req and redirects the browser back.
func (s *Server) grant(w http.ResponseWriter, r *http.Request, req *authRequest, withState bool) {
	code := randomToken(12)
	s.mu.Lock()
	scopes := append([]string(nil), s.consumers[req.clientID].Scopes...)
	s.codes[code] = &authCode{authRequest: *req, scopes: scopes}
	s.mu.Unlock()
	v := url.Values{"code": {code}}
	if withState || req.state != "" {
		v.Set("state", req.state)
	}
	http.Redirect(w, r, withParams(req.redirectURI, v), http.StatusFound)
}

func (s *Server) handleDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeHTMLError(w, http.StatusBadRequest, "Malformed form.")
		return
	}
	id := r.PostForm.Get("request_id")
	s.mu.Lock()
	req, ok := s.pending[id]
	delete(s.pending, id)
	s.mu.Unlock()
	if !ok || !s.now().Before(req.expires) {
		writeHTMLError(w, http.StatusBadRequest, "This authorization request is unknown or has expired. Start again from the application.")
		return
	}
	if r.PostForm.Get("decision") != "grant" {
		v := url.Values{"error": {"access_denied"}, "error_description": {"The user denied access to the application."}}
		if req.state != "" {
			v.Set("state", req.state)
		}
		http.Redirect(w, r, withParams(req.redirectURI, v), http.StatusFound)
		return
	}
	s.grant(w, r, req, req.state != "")
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (s *Server) handleAccessToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed; use POST.")
		return
	}
	if scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "bearer") {
		writeHTMLError(w, http.StatusUnauthorized, "Unauthorized.")
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: None")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Malformed request body.")
		return
	}
	key, secret, ok := r.BasicAuth()
	if !ok {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client",
			"Client credentials missing; this request needs to be authenticated with the OAuth client id and secret (HTTP Basic).")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.consumers[key]
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Invalid OAuth client credentials")
		return
	}
	if c.CallbackURL == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "No callback uri defined for the OAuth client.")
		return
	}
	f := r.PostForm
	switch gt := f.Get("grant_type"); gt {
	case "authorization_code":
		code := f.Get("code")
		ac, ok := s.codes[code]
		if !ok || ac.clientID != key {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "The authorization code is invalid or has already been used.")
			return
		}
		delete(s.codes, code) // single use, even when the exchange fails below
		if !s.now().Before(ac.expires) {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "The authorization code has expired.")
			return
		}
		if ac.redirectSent && f.Get("redirect_uri") != ac.redirectURI {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the one sent to the authorize endpoint.")
			return
		}
		if ac.challenge != "" {
			v := f.Get("code_verifier")
			if v == "" {
				writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Missing code_verifier.")
				return
			}
			if !pkceMatches(ac.method, ac.challenge, v) {
				writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "The code_verifier does not match the code_challenge.")
				return
			}
		}
		s.issueLocked(w, key, ac.user, ac.scopes, true, gt)
	case "refresh_token":
		rt := f.Get("refresh_token")
		st, ok := s.refreshTokens[rt]
		if !ok || st.dead || st.consumer != key {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh_token")
			return
		}
		st.dead = true // rotation: the old refresh token dies at once
		s.refreshes++
		s.issueLocked(w, key, st.user, st.scopes, true, gt)
	case "client_credentials":
		var u *userState
		if c.User != "" {
			u = s.userLocked(c.User)
		} else if len(s.users) > 0 {
			u = s.users[0]
		}
		s.issueLocked(w, key, u, c.Scopes, false, gt)
	case "":
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: None")
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
	}
}

func pkceMatches(method, challenge, verifier string) bool {
	if method == "plain" {
		return subtle.ConstantTimeCompare([]byte(challenge), []byte(verifier)) == 1
	}
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(challenge), []byte(want)) == 1
}

// tokenBytes is the random bytes in a token: their hex, base64-encoded,
// runs to 2,600 characters.
const tokenBytes = 975

// issueLocked creates an access (and refresh) token and writes the token
// response. s.mu is held.
func (s *Server) issueLocked(w http.ResponseWriter, consumer string, u *userState, scopes []string, withRefresh bool, grant string) {
	// Bitbucket's tokens since its 2026 OAuth change are JWTs of about
	// 2,600 characters, access and refresh alike: more than one Windows
	// Credential Manager item holds.
	access := "eyJ" + base64.RawURLEncoding.EncodeToString([]byte(randomToken(tokenBytes)))
	s.oauthAccess[access] = &oauthToken{consumer: consumer, user: u, scopes: scopes, expires: s.now().Add(s.opts.AccessTokenTTL)}
	body := map[string]any{
		"access_token": access,
		"scope":        strings.Join(scopes, " "),
		"expires_in":   int(s.opts.AccessTokenTTL / time.Second),
		"token_type":   "bearer",
		"state":        grant,
	}
	if withRefresh {
		rt := "eyJ" + base64.RawURLEncoding.EncodeToString([]byte(randomToken(tokenBytes)))
		s.refreshTokens[rt] = &refreshToken{consumer: consumer, user: u, scopes: scopes}
		body["refresh_token"] = rt
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(body)
}
