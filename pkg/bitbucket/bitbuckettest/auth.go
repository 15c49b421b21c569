package bitbuckettest

import (
	"net/http"
	"strings"
)

// credential kinds, as sent in X-Credential-Type.
const (
	credNone        = ""
	credAPIToken    = "api_token"
	credAppPassword = "apppassword"
	credOAuth       = "oauth2"
	credRepoToken   = "repo_access_token"
	credWSToken     = "workspace_access_token"
)

// need is what an endpoint requires, in both scope systems.
type need int

const (
	needNone      need = iota
	needUser           // GET /user
	needWorkspace      // GET /user/workspaces (OAuth: account)
	needWSRead         // GET /workspaces/{ws} (OAuth: any)
	needRepo           // repository, commits, diff, diffstat, patch
)

// identity is who a request is made as.
type identity struct {
	kind      string
	user      *userState   // api token, OAuth
	token     *AccessToken // access tokens
	scopes    []string
	principal string // rate-limit bucket
}

// authFailure is a 401 to send.
type authFailure struct {
	message  string
	credType string
}

const (
	msgTokenInvalid = "Token is invalid, expired, or not supported for this endpoint."
	msgAppPassword  = "App passwords are no longer supported for Bitbucket Cloud REST API and Git operations. " +
		"Use an API token instead: https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/"
	msgBadBasic       = "Invalid credentials"
	msgAccessExpired  = "Access token expired."
	msgScopes         = "Your credentials lack one or more required privilege scopes."
	msgAuthRequired   = "Authentication required"
	msgRepoNotVisible = "You may not have access to this repository or it no longer exists in this workspace. " +
		"If you think this repository exists and you have access, make sure you are authenticated."
)

// authenticate resolves the Authorization header. A nil identity with a nil
// failure is an anonymous request.
func (s *Server) authenticate(r *http.Request) (*identity, *authFailure) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	scheme, rest, _ := strings.Cut(h, " ")
	switch strings.ToLower(scheme) {
	case "basic":
		user, pass, ok := r.BasicAuth()
		if !ok {
			return nil, &authFailure{message: msgBadBasic}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if t, ok := s.apiTokens[pass]; ok && strings.EqualFold(t.email, user) {
			u := s.userLocked(t.email)
			if u == nil {
				return nil, &authFailure{message: msgBadBasic}
			}
			return &identity{kind: credAPIToken, user: u, scopes: t.scopes, principal: "user:" + u.UUID}, nil
		}
		if pw, ok := s.appPasswords[user]; ok && pw == pass {
			return nil, &authFailure{message: msgAppPassword, credType: credAppPassword}
		}
		return nil, &authFailure{message: msgBadBasic}
	case "bearer":
		tok := strings.TrimSpace(rest)
		s.mu.Lock()
		defer s.mu.Unlock()
		if t, ok := s.oauthAccess[tok]; ok {
			if !s.now().Before(t.expires) {
				return nil, &authFailure{message: msgAccessExpired, credType: credOAuth}
			}
			return &identity{kind: credOAuth, user: t.user, scopes: t.scopes, principal: "consumer:" + t.consumer}, nil
		}
		if t, ok := s.accessTokens[tok]; ok {
			kind := credRepoToken
			if t.Repo == "" {
				kind = credWSToken
			}
			tc := t
			return &identity{kind: kind, token: &tc, scopes: t.Scopes, principal: "token:" + tok}, nil
		}
		return nil, &authFailure{message: msgTokenInvalid}
	default:
		return nil, &authFailure{message: msgTokenInvalid}
	}
}

// classicImplies reports whether holding scope grants want (OAuth and
// access-token scopes: "x:write" implies "x", pullrequest implies repository).
func classicImplies(scope, want string) bool {
	if scope == want {
		return true
	}
	base, _, _ := strings.Cut(scope, ":")
	if base == want {
		return true
	}
	return want == "repository" && base == "pullrequest" ||
		want == "project" && base == "project"
}

// required lists the scopes an endpoint needs for the identity's kind.
func required(id *identity, n need) []string {
	if id.kind == credAPIToken {
		switch n {
		case needUser:
			return []string{"read:user:bitbucket"}
		case needWorkspace, needWSRead:
			return []string{"read:workspace:bitbucket"}
		case needRepo:
			return []string{"read:repository:bitbucket"}
		}
		return nil
	}
	switch n {
	case needUser, needWorkspace:
		return []string{"account"}
	case needRepo:
		return []string{"repository"}
	}
	return nil
}

// missingScopes returns the required scopes the identity lacks.
func missingScopes(id *identity, n need) []string {
	var missing []string
	for _, want := range required(id, n) {
		ok := false
		for _, have := range id.scopes {
			if id.kind == credAPIToken && have == want || id.kind != credAPIToken && classicImplies(have, want) {
				ok = true
				break
			}
		}
		if !ok {
			missing = append(missing, want)
		}
	}
	return missing
}

// setCredentialHeaders adds X-Credential-Type and, for OAuth and access
// tokens, X-OAuth-Scopes, as Bitbucket does.
func setCredentialHeaders(w http.ResponseWriter, id *identity, n need) {
	if id == nil {
		return
	}
	w.Header().Set("X-Credential-Type", id.kind)
	if id.kind != credAPIToken {
		w.Header().Set("X-OAuth-Scopes", strings.Join(id.scopes, ", "))
		if req := required(id, n); len(req) > 0 {
			w.Header().Set("X-Accepted-OAuth-Scopes", strings.Join(req, ", "))
		}
	}
}

// guard authenticates a request for an endpoint that needs n. It writes the
// error response and returns ok=false when the request must stop. When
// anonymousOnFailure is set, a failed authentication continues anonymously
// (GET /repositories/{ws} lists public repositories on bad credentials).
func (s *Server) guard(w http.ResponseWriter, r *http.Request, n need, anonymousOnFailure bool) (*identity, bool) {
	id, fail := s.authenticate(r)
	if fail != nil {
		if anonymousOnFailure {
			return nil, true
		}
		if fail.credType != "" {
			w.Header().Set("X-Credential-Type", fail.credType)
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="Bitbucket.org HTTP"`)
		writeError(w, http.StatusUnauthorized, fail.message, nil)
		return nil, false
	}
	if id == nil {
		if n == needUser || n == needWorkspace {
			w.Header().Set("WWW-Authenticate", `Basic realm="Bitbucket.org HTTP"`)
			writeError(w, http.StatusUnauthorized, msgAuthRequired, nil)
			return nil, false
		}
		return nil, true
	}
	if !s.allowRate(id.principal) {
		writeRateLimited(w)
		return nil, false
	}
	setCredentialHeaders(w, id, n)
	if missing := missingScopes(id, n); len(missing) > 0 {
		granted := id.scopes
		if granted == nil {
			granted = []string{}
		}
		writeError(w, http.StatusForbidden, msgScopes, map[string]any{
			"required": required(id, n),
			"granted":  granted,
		})
		return nil, false
	}
	return id, true
}

// canSee reports whether the identity may read the repository.
func (s *Server) canSee(id *identity, repo *repoState) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != nil && id.token != nil {
		if id.token.Repo != "" {
			return strings.EqualFold(id.token.Repo, repo.ws.slug+"/"+repo.Slug) || !repo.Private
		}
		return strings.EqualFold(id.token.Workspace, repo.ws.slug) || !repo.Private
	}
	if !repo.Private {
		return true
	}
	return id != nil && id.user != nil && repo.ws.members[id.user.UUID]
}
