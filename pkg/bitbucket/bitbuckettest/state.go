package bitbuckettest

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// User is a Bitbucket account. Empty fields get plausible values.
type User struct {
	UUID        string // "{...}"; derived from the nickname when empty
	AccountID   string
	Nickname    string
	DisplayName string
	// Email is the Atlassian account email: API tokens authenticate with it,
	// and commits whose author email equals it show this user as author.user.
	Email string
	// Workspaces the user is a member of (private repositories there are
	// visible); they are created as needed.
	Workspaces []string
	// AdminOf lists workspaces where the user is an administrator
	// (workspace_access.administrator); they are added to Workspaces.
	AdminOf []string
}

// Repo is a repository served from a real git directory.
type Repo struct {
	Workspace string
	Slug      string
	// GitDir is a git repository, bare or not (its .git is found).
	GitDir  string
	Private bool
	// MainBranch defaults to the branch the git directory's HEAD names.
	MainBranch string
	// Name defaults to Slug.
	Name string
}

// AccessToken is a repository, project or workspace access token: Bearer,
// tied to a repository or workspace, not to a user, with classic scopes
// (e.g. "repository", "pullrequest", "account" for workspace tokens).
type AccessToken struct {
	// Repo ("workspace/slug") scopes a repository access token.
	Repo string
	// Workspace scopes a workspace access token (all its repositories).
	Workspace string
	Scopes    []string
	// Name is the token's pseudo-user name; default "Access token".
	Name string
}

// Consumer is an OAuth consumer (client).
type Consumer struct {
	Key, Secret string
	// Name is shown on the consent page; default the key.
	Name string
	// CallbackURL is the registered callback. A redirect_uri must extend it
	// (Bitbucket's prefix rule); an empty CallbackURL makes the token
	// endpoint answer 400 "No callback uri defined for the OAuth client.".
	CallbackURL string
	// StrictLoopbackPort turns off the loopback rule. By default (false) a
	// loopback callback registered without a port, e.g.
	// http://127.0.0.1/callback, accepts a redirect_uri on any port of that
	// host with that path (RFC 8252 §7.3), which is what CLIs rely on; with
	// true only the prefix rule applies and such a redirect_uri is refused.
	StrictLoopbackPort bool
	// Scopes are the consumer's fixed permissions; default
	// ["account", "repository"]. A scope parameter never narrows them.
	Scopes []string
	// User is the account that grants consent (the signed-in browser user):
	// a UUID, nickname or email; default the first user added.
	User string
	// AutoApprove grants without a consent page for this consumer.
	AutoApprove bool
}

type userState struct {
	User
	admin map[string]bool // lower-case workspace slugs
}

type workspaceState struct {
	slug, name, uuid string
	members          map[string]bool // user UUIDs
	created          time.Time
}

type repoState struct {
	Repo
	uuid    string
	ws      *workspaceState
	gitDir  string
	created time.Time
}

type apiToken struct {
	email  string
	scopes []string
}

// braceUUID derives a stable "{uuid}" from a name.
func braceUUID(kind, name string) string {
	h := sha1.Sum([]byte(kind + ":" + name))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("{%x-%x-%x-%x-%x}", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// workspaceLocked returns the workspace slug, creating it. s.mu is held.
func (s *Server) workspaceLocked(slug string) *workspaceState {
	key := strings.ToLower(slug)
	if ws, ok := s.workspaces[key]; ok {
		return ws
	}
	ws := &workspaceState{
		slug: slug, name: slug, uuid: braceUUID("workspace", key),
		members: map[string]bool{}, created: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	s.workspaces[key] = ws
	return ws
}

// AddUser adds an account and makes it a member of its workspaces, creating
// them as needed. It returns the user with defaults filled in.
func (s *Server) AddUser(u User) User {
	if u.Nickname == "" {
		u.Nickname = strings.SplitN(u.Email, "@", 2)[0]
	}
	if u.UUID == "" {
		u.UUID = braceUUID("user", u.Nickname+"|"+u.Email)
	}
	if u.AccountID == "" {
		h := sha1.Sum([]byte(u.UUID))
		u.AccountID = fmt.Sprintf("5f%x", h[:11])
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Nickname
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &userState{User: u, admin: map[string]bool{}}
	for _, w := range u.AdminOf {
		st.admin[strings.ToLower(w)] = true
		if !containsFold(u.Workspaces, w) {
			st.Workspaces = append(st.Workspaces, w)
		}
	}
	for _, w := range st.Workspaces {
		s.workspaceLocked(w).members[u.UUID] = true
	}
	s.users = append(s.users, st)
	s.encoded = map[string]json.RawMessage{} // author.user may change
	return st.User
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// AddAPIToken adds an Atlassian API token for the account with email, used
// as HTTP Basic email:token, with granular scopes such as
// "read:repository:bitbucket". None implies another.
func (s *Server) AddAPIToken(email, token string, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiTokens[token] = apiToken{email: email, scopes: append([]string(nil), scopes...)}
}

// AddAppPassword adds a Bitbucket App password. Since App passwords were
// removed on 2026-07-28, using one always answers 401.
func (s *Server) AddAppPassword(username, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appPasswords[username] = password
}

// AddAccessToken adds a repository or workspace access token (Bearer).
func (s *Server) AddAccessToken(token string, t AccessToken) {
	if t.Name == "" {
		t.Name = "Access token"
	}
	t.Scopes = append([]string(nil), t.Scopes...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTokens[token] = t
}

// AddOAuthConsumer registers an OAuth consumer.
func (s *Server) AddOAuthConsumer(c Consumer) {
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"account", "repository"}
	}
	if c.Name == "" {
		c.Name = c.Key
	}
	c.Scopes = append([]string(nil), c.Scopes...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.consumers[c.Key] = &c
}

// AddRepo serves a git directory as workspace/slug, creating the workspace
// as needed. It returns an error if GitDir is not a git repository.
func (s *Server) AddRepo(r Repo) error {
	gitDir, err := resolveGitDir(r.GitDir)
	if err != nil {
		return fmt.Errorf("adding repository %s/%s: %w", r.Workspace, r.Slug, err)
	}
	if r.MainBranch == "" {
		out, err := exec.Command("git", gitArgs(gitDir, "symbolic-ref", "--short", "-q", "HEAD")...).Output()
		if err == nil {
			r.MainBranch = strings.TrimSpace(string(out))
		}
		if r.MainBranch == "" {
			r.MainBranch = "main"
		}
	}
	if r.Name == "" {
		r.Name = r.Slug
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.workspaceLocked(r.Workspace)
	r.Workspace = ws.slug
	key := strings.ToLower(ws.slug + "/" + r.Slug)
	s.repos[key] = &repoState{
		Repo: r, ws: ws, gitDir: gitDir,
		uuid:    braceUUID("repo", key),
		created: time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC),
	}
	return nil
}

// userLocked finds a user by UUID, nickname, account id or email. s.mu is held.
func (s *Server) userLocked(id string) *userState {
	for _, u := range s.users {
		if u.UUID == id || strings.EqualFold(u.Nickname, id) || u.AccountID == id || strings.EqualFold(u.Email, id) {
			return u
		}
	}
	return nil
}

// userByEmail is used for commit authors.
func (s *Server) userByEmail(email string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Email != "" && strings.EqualFold(u.Email, email) {
			return u.User, true
		}
	}
	return User{}, false
}
