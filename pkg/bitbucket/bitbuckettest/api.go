package bitbuckettest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
)

const (
	msgNoAPI         = "Resource not found"
	detailNoAPI      = "There is no API hosted at this URL.\n\nFor information about our API's, please refer to the documentation at: https://developer.atlassian.com/bitbucket/api/2/reference/"
	msgGone          = "CHANGE-2770 - Functionality has been deprecated"
	detailGone       = "This endpoint has been removed. See https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-2770"
	msgCommitMissing = "Commit not found"
	msgTooLarge      = "Timeout: the diff took too long to compute. Try a smaller diff or use the diffstat endpoint."
)

// cursor is the position an opaque commit page token stands for.
type cursor struct {
	l      *listing
	offset int
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, msgNoAPI, detailNoAPI)
	})
	for _, p := range []string{"/2.0/workspaces", "/2.0/user/permissions/workspaces", "/2.0/user/permissions/repositories", "/2.0/repositories"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusGone, msgGone, detailGone)
		})
	}
	mux.HandleFunc("GET /2.0/user", s.handleUser)
	mux.HandleFunc("GET /2.0/user/workspaces", s.handleUserWorkspaces)
	mux.HandleFunc("GET /2.0/workspaces/{ws}", s.handleWorkspace)
	mux.HandleFunc("GET /2.0/repositories/{ws}", s.handleRepoList)
	const repo = "/2.0/repositories/{ws}/{slug}"
	mux.HandleFunc("GET "+repo, s.handleRepo)
	mux.HandleFunc("GET "+repo+"/commits", s.handleCommits)
	mux.HandleFunc("POST "+repo+"/commits", s.handleCommits)
	mux.HandleFunc("GET "+repo+"/commits/{rev...}", s.handleCommits)
	mux.HandleFunc("POST "+repo+"/commits/{rev...}", s.handleCommits)
	mux.HandleFunc("GET "+repo+"/commit/{sha}", s.handleCommit)
	mux.HandleFunc("GET "+repo+"/diff/{spec...}", s.handleDiff)
	mux.HandleFunc("GET "+repo+"/diffstat/{spec...}", s.handleDiffstat)
	mux.HandleFunc("GET "+repo+"/patch/{spec...}", s.handlePatch)
	mux.HandleFunc("GET "+repo+"/src/{commit}/{path...}", s.handleSrc)
	mux.HandleFunc("GET /site/oauth2/authorize", s.handleAuthorize)
	mux.HandleFunc("POST /site/oauth2/authorize/decision", s.handleDecision)
	mux.HandleFunc("/site/oauth2/access_token", s.handleAccessToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Bitbucket treats /commits/ like /commits; under /src/ the
		// trailing slash names a folder (the root's listing needs it).
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") && !strings.Contains(p, "/src/") {
			r2 := r.Clone(r.Context())
			r2.URL.Path = strings.TrimRight(p, "/")
			r2.URL.RawPath = ""
			r = r2
		}
		mux.ServeHTTP(w, r)
	})
}

// writeError writes Bitbucket's error envelope; detail may be nil, a
// string or an object (as the privilege-scopes 403 has).
func writeError(w http.ResponseWriter, status int, msg string, detail any) {
	e := map[string]any{"message": msg}
	if detail != nil {
		e["detail"] = detail
	}
	body, _ := marshal(map[string]any{"type": "error", "error": e})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshal encodes v without HTML escaping, as Bitbucket does.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writeJSON writes v as JSON, applying the fields parameter.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	body, err := marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding the response: "+err.Error(), nil)
		return
	}
	if spec := r.Form.Get("fields"); spec != "" {
		var doc any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&doc); err == nil {
			if b, err := marshal(applyFields(doc, spec)); err == nil {
				body = b
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

func link(href string) map[string]any { return map[string]any{"href": href} }

// parseForm parses the query (and a form body) and answers 400 on failure.
func parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "Malformed request: "+err.Error(), nil)
		return false
	}
	return true
}

// pagelen reads the pagelen parameter: def when absent, clamped to max.
func pagelen(w http.ResponseWriter, r *http.Request, def, max int) (int, bool) {
	v := r.Form.Get("pagelen")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		writeError(w, http.StatusBadRequest, "Invalid pagelen", "pagelen must be a positive integer")
		return 0, false
	}
	if n > max {
		n = max
	}
	return n, true
}

// pageNumber reads a list-based page parameter.
func pageNumber(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.Form.Get("page")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		writeError(w, http.StatusBadRequest, "Invalid page", nil)
		return 0, false
	}
	return n, true
}

// nextURL is this request's URL with page set to token.
func (s *Server) nextURL(r *http.Request, token string) string {
	q := r.URL.Query()
	q.Set("page", token)
	return s.APIURL() + strings.TrimPrefix(r.URL.Path, "/2.0") + "?" + q.Encode()
}

// listPage answers a list-based paginated collection.
func (s *Server) listPage(w http.ResponseWriter, r *http.Request, values []any, def, max int) {
	s.listPageSized(w, r, values, def, max, len(values))
}

// listPageSized is listPage reporting size as the collection's size.
func (s *Server) listPageSized(w http.ResponseWriter, r *http.Request, values []any, def, max, size int) {
	n, ok := pagelen(w, r, def, max)
	if !ok {
		return
	}
	page, ok := pageNumber(w, r)
	if !ok {
		return
	}
	start := (page - 1) * n
	if start > len(values) {
		start = len(values)
	}
	end := min(start+n, len(values))
	body := map[string]any{
		"pagelen": n, "page": page, "size": size, "values": values[start:end],
	}
	if end < len(values) {
		body["next"] = s.nextURL(r, strconv.Itoa(page+1))
	}
	if page > 1 {
		body["previous"] = s.nextURL(r, strconv.Itoa(page-1))
	}
	writeJSON(w, r, body)
}

// ---- accounts and workspaces ----

func (s *Server) userJSON(u *userState) map[string]any {
	return map[string]any{
		"type":            "user",
		"uuid":            u.UUID,
		"account_id":      u.AccountID,
		"display_name":    u.DisplayName,
		"nickname":        u.Nickname,
		"username":        u.Nickname,
		"created_on":      "2019-05-06T07:08:09.000000+00:00",
		"account_status":  "active",
		"has_2fa_enabled": false,
		"is_staff":        false,
		"links": map[string]any{
			"self":         link(s.APIURL() + "/users/" + url.PathEscape(u.UUID)),
			"avatar":       link(s.URL() + "/account/" + url.PathEscape(u.Nickname) + "/avatar/"),
			"html":         link(s.URL() + "/" + url.PathEscape(u.UUID) + "/"),
			"repositories": link(s.APIURL() + "/repositories/" + url.PathEscape(u.UUID)),
		},
	}
}

// condensedUser is the account embedded in commits.
func (s *Server) condensedUser(u User) map[string]any {
	return map[string]any{
		"type":         "user",
		"uuid":         u.UUID,
		"account_id":   u.AccountID,
		"display_name": u.DisplayName,
		"nickname":     u.Nickname,
		"links": map[string]any{
			"self":   link(s.APIURL() + "/users/" + url.PathEscape(u.UUID)),
			"avatar": link(s.URL() + "/account/" + url.PathEscape(u.Nickname) + "/avatar/"),
			"html":   link(s.URL() + "/" + url.PathEscape(u.UUID) + "/"),
		},
	}
}

func (s *Server) appUserJSON(name, uuid string) map[string]any {
	return map[string]any{
		"type":         "app_user",
		"uuid":         uuid,
		"account_id":   "",
		"display_name": name,
		"created_on":   "2024-01-01T00:00:00.000000+00:00",
		"links":        map[string]any{"avatar": link(s.URL() + "/account/app_user/avatar/")},
	}
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	id, ok := s.guard(w, r, needUser, false)
	if !ok {
		return
	}
	switch {
	case id.user != nil:
		writeJSON(w, r, s.userJSON(id.user))
	case id.token != nil:
		writeJSON(w, r, s.appUserJSON(id.token.Name, braceUUID("token", id.token.Name+id.token.Repo+id.token.Workspace)))
	default:
		writeJSON(w, r, s.appUserJSON("OAuth app user", braceUUID("app", id.principal)))
	}
}

func (s *Server) workspaceBase(ws *workspaceState) map[string]any {
	return map[string]any{
		"type": "workspace_base",
		"uuid": ws.uuid,
		"slug": ws.slug,
		"links": map[string]any{
			"self":   link(s.APIURL() + "/workspaces/" + url.PathEscape(ws.slug)),
			"avatar": link(s.URL() + "/workspaces/" + url.PathEscape(ws.slug) + "/avatar/"),
		},
	}
}

func (s *Server) workspaceJSON(ws *workspaceState) map[string]any {
	api := s.APIURL() + "/workspaces/" + url.PathEscape(ws.slug)
	return map[string]any{
		"type":                "workspace",
		"uuid":                ws.uuid,
		"name":                ws.name,
		"slug":                ws.slug,
		"is_private":          true,
		"is_privacy_enforced": false,
		"forking_mode":        "allow_forks",
		"created_on":          ws.created.Format("2006-01-02T15:04:05.000000+00:00"),
		"updated_on":          ws.created.Format("2006-01-02T15:04:05.000000+00:00"),
		"links": map[string]any{
			"self":         link(api),
			"html":         link(s.URL() + "/" + url.PathEscape(ws.slug) + "/"),
			"avatar":       link(s.URL() + "/workspaces/" + url.PathEscape(ws.slug) + "/avatar/"),
			"members":      link(api + "/members"),
			"owners":       link(api + "/members?q=permission%3D%22owner%22"),
			"projects":     link(api + "/projects"),
			"repositories": link(s.APIURL() + "/repositories/" + url.PathEscape(ws.slug)),
			"snippets":     link(s.APIURL() + "/snippets/" + url.PathEscape(ws.slug)),
		},
	}
}

// slugQuery parses q=slug="x" (the only filter the fake understands).
func slugQuery(q string) (string, bool) {
	k, v, ok := strings.Cut(q, "=")
	if !ok || strings.TrimSpace(k) != "slug" {
		return "", false
	}
	v = strings.TrimSpace(v)
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	return v[1 : len(v)-1], true
}

func (s *Server) handleUserWorkspaces(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	id, ok := s.guard(w, r, needWorkspace, false)
	if !ok {
		return
	}
	type entry struct {
		ws    *workspaceState
		admin bool
	}
	var list []entry
	s.mu.Lock()
	switch {
	case id.user != nil:
		for _, slug := range id.user.Workspaces {
			list = append(list, entry{s.workspaces[strings.ToLower(slug)], id.user.admin[strings.ToLower(slug)]})
		}
	case id.token != nil && id.token.Workspace != "":
		if ws, ok := s.workspaces[strings.ToLower(id.token.Workspace)]; ok {
			list = append(list, entry{ws, false})
		}
	}
	s.mu.Unlock()
	if q := r.Form.Get("q"); q != "" {
		slug, ok := slugQuery(q)
		if !ok {
			writeError(w, http.StatusBadRequest, "Invalid query: "+q, nil)
			return
		}
		var kept []entry
		for _, e := range list {
			if strings.EqualFold(e.ws.slug, slug) {
				kept = append(kept, e)
			}
		}
		list = kept
	}
	if a := r.Form.Get("administrator"); a != "" {
		want := a == "true"
		var kept []entry
		for _, e := range list {
			if e.admin == want {
				kept = append(kept, e)
			}
		}
		list = kept
	}
	switch r.Form.Get("sort") {
	case "slug":
		sort.SliceStable(list, func(i, j int) bool { return list[i].ws.slug < list[j].ws.slug })
	case "-slug":
		sort.SliceStable(list, func(i, j int) bool { return list[i].ws.slug > list[j].ws.slug })
	}
	values := make([]any, 0, len(list))
	for _, e := range list {
		values = append(values, map[string]any{
			"type":          "workspace_access",
			"administrator": e.admin,
			"workspace":     s.workspaceBase(e.ws),
			"links": map[string]any{
				"self": link(s.APIURL() + "/user/workspaces/" + url.PathEscape(e.ws.slug) + "/permission"),
			},
		})
	}
	s.listPage(w, r, values, 10, 100)
}

func (s *Server) findWorkspace(slug string) *workspaceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ws, ok := s.workspaces[strings.ToLower(slug)]; ok {
		return ws
	}
	for _, ws := range s.workspaces {
		if ws.uuid == slug {
			return ws
		}
	}
	return nil
}

func (s *Server) handleWorkspace(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	if _, ok := s.guard(w, r, needWSRead, false); !ok {
		return
	}
	ws := s.findWorkspace(r.PathValue("ws"))
	if ws == nil {
		writeError(w, http.StatusNotFound, "No workspace with identifier '"+r.PathValue("ws")+"'.", nil)
		return
	}
	writeJSON(w, r, s.workspaceJSON(ws))
}

// ---- repositories ----

func (s *Server) findRepo(ws, slug string) *repoState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.workspaces[strings.ToLower(ws)]; ok {
		ws = w.slug
	} else {
		for _, w := range s.workspaces {
			if w.uuid == ws {
				ws = w.slug
			}
		}
	}
	if r, ok := s.repos[strings.ToLower(ws+"/"+slug)]; ok {
		return r
	}
	for _, r := range s.repos {
		if r.uuid == slug && strings.EqualFold(r.ws.slug, ws) {
			return r
		}
	}
	return nil
}

// repoFor authenticates a repository request and finds the repository the
// caller may see, answering 404 with Bitbucket's wording otherwise.
func (s *Server) repoFor(w http.ResponseWriter, r *http.Request) (*repoState, *identity, bool) {
	if !parseForm(w, r) {
		return nil, nil, false
	}
	id, ok := s.guard(w, r, needRepo, false)
	if !ok {
		return nil, nil, false
	}
	repo := s.findRepo(r.PathValue("ws"), r.PathValue("slug"))
	if repo == nil || !s.canSee(id, repo) {
		writeError(w, http.StatusNotFound, msgRepoNotVisible, nil)
		return nil, nil, false
	}
	return repo, id, true
}

func (s *Server) repoLinks(repo *repoState) (api, web string) {
	full := url.PathEscape(repo.ws.slug) + "/" + url.PathEscape(repo.Slug)
	return s.APIURL() + "/repositories/" + full, s.URL() + "/" + full
}

func (s *Server) condensedRepo(repo *repoState) map[string]any {
	api, web := s.repoLinks(repo)
	return map[string]any{
		"type":      "repository",
		"full_name": repo.ws.slug + "/" + repo.Slug,
		"name":      repo.Name,
		"uuid":      repo.uuid,
		"links": map[string]any{
			"self":   link(api),
			"html":   link(web),
			"avatar": link(s.URL() + "/" + url.PathEscape(repo.ws.slug) + "/" + url.PathEscape(repo.Slug) + "/avatar/32/"),
		},
	}
}

func (s *Server) repoJSON(repo *repoState) map[string]any {
	api, web := s.repoLinks(repo)
	ts := repo.created.Format("2006-01-02T15:04:05.000000+00:00")
	fork := "allow_forks"
	if repo.Private {
		fork = "no_public_forks"
	}
	host := strings.TrimPrefix(s.URL(), "http://")
	return map[string]any{
		"type":        "repository",
		"full_name":   repo.ws.slug + "/" + repo.Slug,
		"name":        repo.Name,
		"slug":        repo.Slug,
		"uuid":        repo.uuid,
		"description": "",
		"is_private":  repo.Private,
		"scm":         "git",
		"website":     nil,
		"language":    "",
		"size":        0,
		"has_issues":  false,
		"has_wiki":    false,
		"fork_policy": fork,
		"created_on":  ts,
		"updated_on":  ts,
		"mainbranch":  map[string]any{"type": "branch", "name": repo.MainBranch},
		"owner": map[string]any{
			"type": "team", "uuid": repo.ws.uuid, "display_name": repo.ws.name, "username": repo.ws.slug,
			"links": map[string]any{"avatar": link(s.URL() + "/workspaces/" + url.PathEscape(repo.ws.slug) + "/avatar/")},
		},
		"workspace": map[string]any{
			"type": "workspace", "uuid": repo.ws.uuid, "name": repo.ws.name, "slug": repo.ws.slug,
			"links": map[string]any{
				"self":   link(s.APIURL() + "/workspaces/" + url.PathEscape(repo.ws.slug)),
				"html":   link(s.URL() + "/" + url.PathEscape(repo.ws.slug) + "/"),
				"avatar": link(s.URL() + "/workspaces/" + url.PathEscape(repo.ws.slug) + "/avatar/"),
			},
		},
		"project": map[string]any{
			"type": "project", "key": "PROJ", "uuid": braceUUID("project", repo.ws.slug), "name": "Default project",
			"links": map[string]any{
				"html":   link(s.URL() + "/" + url.PathEscape(repo.ws.slug) + "/workspace/projects/PROJ"),
				"avatar": link(s.URL() + "/" + url.PathEscape(repo.ws.slug) + "/workspace/projects/PROJ/avatar/32"),
			},
		},
		"links": map[string]any{
			"self":         link(api),
			"html":         link(web),
			"avatar":       link(web + "/avatar/32/"),
			"pullrequests": link(api + "/pullrequests"),
			"commits":      link(api + "/commits"),
			"forks":        link(api + "/forks"),
			"watchers":     link(api + "/watchers"),
			"downloads":    link(api + "/downloads"),
			"hooks":        link(api + "/hooks"),
			"clone": []any{
				map[string]any{"name": "https", "href": web + ".git"},
				map[string]any{"name": "ssh", "href": "ssh://git@" + host + "/" + repo.ws.slug + "/" + repo.Slug + ".git"},
			},
		},
	}
}

func (s *Server) handleRepo(w http.ResponseWriter, r *http.Request) {
	repo, _, ok := s.repoFor(w, r)
	if !ok {
		return
	}
	writeJSON(w, r, s.repoJSON(repo))
}

func (s *Server) handleRepoList(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	// Bitbucket lists only public repositories for missing or bad
	// credentials here instead of answering 401.
	id, ok := s.guard(w, r, needRepo, true)
	if !ok {
		return
	}
	ws := s.findWorkspace(r.PathValue("ws"))
	if ws == nil {
		writeError(w, http.StatusNotFound, "No workspace with identifier '"+r.PathValue("ws")+"'.", nil)
		return
	}
	role := r.Form.Get("role")
	switch role {
	case "", "member", "contributor", "admin", "owner":
	default:
		writeError(w, http.StatusBadRequest, "Invalid role: "+role, nil)
		return
	}
	s.mu.Lock()
	var repos []*repoState
	for _, repo := range s.repos {
		if repo.ws == ws {
			repos = append(repos, repo)
		}
	}
	s.mu.Unlock()
	sort.Slice(repos, func(i, j int) bool { return repos[i].Slug < repos[j].Slug })
	values := []any{}
	for _, repo := range repos {
		if !s.canSee(id, repo) {
			continue
		}
		if role != "" && !s.hasRole(id, repo, role) {
			continue
		}
		values = append(values, s.repoJSON(repo))
	}
	s.listPage(w, r, values, 10, 100)
}

func (s *Server) hasRole(id *identity, repo *repoState, role string) bool {
	if id == nil {
		return false
	}
	if id.token != nil {
		return strings.EqualFold(id.token.Repo, repo.ws.slug+"/"+repo.Slug) || strings.EqualFold(id.token.Workspace, repo.ws.slug)
	}
	if id.user == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if role == "admin" || role == "owner" {
		return id.user.admin[strings.ToLower(repo.ws.slug)]
	}
	return repo.ws.members[id.user.UUID]
}

// ---- commits ----

// dateFormat is how Bitbucket writes commit dates.
const dateFormat = "2006-01-02T15:04:05-07:00"

func (s *Server) personJSON(kind, name, email string) map[string]any {
	p := map[string]any{"type": kind, "raw": name + " <" + email + ">"}
	if u, ok := s.userByEmail(email); ok {
		p["user"] = s.condensedUser(u)
	}
	return p
}

func (s *Server) commitRef(repo *repoState, hash string) map[string]any {
	api, web := s.repoLinks(repo)
	return map[string]any{
		"type": "commit",
		"hash": hash,
		"links": map[string]any{
			"self": link(api + "/commit/" + hash),
			"html": link(web + "/commits/" + hash),
		},
	}
}

func (s *Server) commitJSON(repo *repoState, ci *commitInfo) map[string]any {
	api, web := s.repoLinks(repo)
	parents := make([]any, 0, len(ci.Parents))
	for _, p := range ci.Parents {
		parents = append(parents, s.commitRef(repo, p))
	}
	// Bitbucket Cloud's commit date is the committer time (Jenkins'
	// Bitbucket plugin matched its Data Center dates to it); the UI shows
	// the author time. DateIsAuthorTime serves the author time instead,
	// for checking that sigsentry stays right if that ever changes.
	date := ci.CommitterDate
	if s.opts.DateIsAuthorTime {
		date = ci.AuthorDate
	}
	return map[string]any{
		"type":    "commit",
		"hash":    ci.Hash,
		"date":    date.UTC().Format(dateFormat),
		"message": ci.Message,
		"summary": map[string]any{
			"type":   "rendered",
			"raw":    ci.Message,
			"markup": "markdown",
			"html":   "<p>" + html.EscapeString(strings.TrimRight(ci.Message, "\n")) + "</p>",
		},
		"author":     s.personJSON("author", ci.AuthorName, ci.AuthorEmail),
		"committer":  s.personJSON("committer", ci.CommitterName, ci.CommitterEmail),
		"parents":    parents,
		"repository": s.condensedRepo(repo),
		"links": map[string]any{
			"self":     link(api + "/commit/" + ci.Hash),
			"html":     link(web + "/commits/" + ci.Hash),
			"diff":     link(api + "/diff/" + ci.Hash),
			"patch":    link(api + "/patch/" + ci.Hash),
			"comments": link(api + "/commit/" + ci.Hash + "/comments"),
			"approve":  link(api + "/commit/" + ci.Hash + "/approve"),
			"statuses": link(api + "/commit/" + ci.Hash + "/statuses"),
		},
	}
}

// pageToken is the stable, unguessable-looking token for a position.
func (s *Server) pageToken(l *listing, offset int) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(l.key + "\x00" + strconv.Itoa(offset)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}

func writeGitError(w http.ResponseWriter, err error, notFound string) {
	if errors.Is(err, errNotFound) {
		writeError(w, http.StatusNotFound, notFound, nil)
		return
	}
	writeError(w, http.StatusInternalServerError, "Something went wrong", err.Error())
}

func (s *Server) handleCommits(w http.ResponseWriter, r *http.Request) {
	repo, _, ok := s.repoFor(w, r)
	if !ok {
		return
	}
	n, ok := pagelen(w, r, 10, 100)
	if !ok {
		return
	}
	var cur cursor
	if tok := r.Form.Get("page"); tok != "" {
		s.mu.Lock()
		c, found := s.cursors[tok]
		s.mu.Unlock()
		if !found {
			writeError(w, http.StatusBadRequest, "Invalid page", "the page token is unknown; follow the next link verbatim")
			return
		}
		cur = c
	} else {
		var include []string
		if rev := r.PathValue("rev"); rev != "" {
			// Bitbucket does not decode %2F in the revision segment: a
			// branch named release/1.2 sent as release%2F1.2 is not found.
			if strings.Contains(strings.ToLower(r.URL.EscapedPath()), "%2f") {
				writeError(w, http.StatusNotFound, msgCommitMissing, "")
				return
			}
			include = append(include, rev)
		}
		include = append(include, r.Form["include"]...)
		exclude := r.Form["exclude"]
		inc, err := s.git.resolve(repo.gitDir, include)
		if err != nil {
			writeGitError(w, err, msgCommitMissing)
			return
		}
		exc, err := s.git.resolve(repo.gitDir, exclude)
		if err != nil {
			writeGitError(w, err, msgCommitMissing)
			return
		}
		if len(include) == 0 {
			if inc, err = s.git.refTips(repo.gitDir); err != nil {
				writeGitError(w, err, msgCommitMissing)
				return
			}
		}
		l, err := s.git.log(repo.gitDir, inc, exc, r.Form["path"])
		if err != nil {
			writeGitError(w, err, msgCommitMissing)
			return
		}
		cur = cursor{l: l}
	}
	all := cur.l.commits
	start := min(cur.offset, len(all))
	end := min(start+n, len(all))
	values := make([]any, 0, end-start)
	for _, ci := range all[start:end] {
		values = append(values, s.commitRaw(repo, ci))
	}
	body := map[string]any{"pagelen": n, "values": values}
	if end < len(all) {
		tok := s.pageToken(cur.l, end)
		s.mu.Lock()
		s.cursors[tok] = cursor{l: cur.l, offset: end}
		s.mu.Unlock()
		body["next"] = s.nextURL(r, tok)
	}
	writeJSON(w, r, body)
}

func (s *Server) handleCommit(w http.ResponseWriter, r *http.Request) {
	repo, _, ok := s.repoFor(w, r)
	if !ok {
		return
	}
	hashes, err := s.git.resolve(repo.gitDir, []string{r.PathValue("sha")})
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return
	}
	ci, err := s.git.commit(repo.gitDir, hashes[0])
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return
	}
	writeJSON(w, r, s.commitRaw(repo, ci))
}

// commitRaw is commitJSON encoded once per repository and commit: commits
// are immutable, and encoding maps dominates the cost of a commits page.
// AddUser clears the cache, since author.user depends on the users.
func (s *Server) commitRaw(repo *repoState, ci *commitInfo) json.RawMessage {
	key := repo.uuid + ci.Hash
	s.mu.Lock()
	raw, ok := s.encoded[key]
	s.mu.Unlock()
	if ok {
		return raw
	}
	raw, err := marshal(s.commitJSON(repo, ci))
	if err != nil {
		panic(fmt.Sprintf("bitbuckettest: encoding commit %s: %v", ci.Hash, err))
	}
	s.mu.Lock()
	s.encoded[key] = raw
	s.mu.Unlock()
	return raw
}

// ---- diff, diffstat, patch ----

// boolParam reads a boolean query parameter with a default.
func boolParam(r *http.Request, name string, def bool) bool {
	v := r.Form.Get(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def
	}
	return b
}

// specRange resolves a diff spec: one commit (against its first parent, or
// the empty tree for a root commit) or "A..B" where A holds the changes and
// B is the base (reverse of git); topic (default) diffs from merge-base.
func (s *Server) specRange(w http.ResponseWriter, r *http.Request, repo *repoState) (base, head string, ok bool) {
	spec := r.PathValue("spec")
	if a, b, isRange := strings.Cut(spec, ".."); isRange {
		hs, err := s.git.resolve(repo.gitDir, []string{a, b})
		if err != nil {
			writeGitError(w, err, msgCommitMissing)
			return "", "", false
		}
		head, base = hs[0], hs[1]
		if boolParam(r, "topic", true) {
			if base, err = s.git.mergeBase(repo.gitDir, head, base); err != nil {
				writeGitError(w, err, msgCommitMissing)
				return "", "", false
			}
		}
		return base, head, true
	}
	hs, err := s.git.resolve(repo.gitDir, []string{spec})
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return "", "", false
	}
	ci, err := s.git.commit(repo.gitDir, hs[0])
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return "", "", false
	}
	base = emptyTree
	if len(ci.Parents) > 0 {
		base = ci.Parents[0]
	}
	return base, ci.Hash, true
}

func diffOpts(r *http.Request) diffOptions {
	o := diffOptions{
		context:          -1,
		paths:            r.Form["path"],
		ignoreWhitespace: boolParam(r, "ignore_whitespace", false),
		binary:           boolParam(r, "binary", true),
		renames:          boolParam(r, "renames", true),
	}
	if c, err := strconv.Atoi(r.Form.Get("context")); err == nil && c >= 0 {
		o.context = c
	}
	return o
}

func writeText(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	// diffOpts reads r.Form, which serveRaw's repoFor parses first.
	s.serveRaw(w, r, func(gitDir, base, head string) ([]byte, error) {
		return s.git.diff(gitDir, base, head, diffOpts(r))
	})
}

// handleSrc answers /src/{commit}/{path} for a file: its raw contents,
// typed by the name's extension as Bitbucket does; for a folder (the root
// with a trailing slash), the paginated listing of its entries, down to
// max_depth levels (default 1) breadth first. ?format=meta is not served
// (404).
func (s *Server) handleSrc(w http.ResponseWriter, r *http.Request) {
	repo, _, ok := s.repoFor(w, r)
	if !ok {
		return
	}
	hs, err := s.git.resolve(repo.gitDir, []string{r.PathValue("commit")})
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return
	}
	raw := r.PathValue("path")
	p := strings.Trim(raw, "/")
	if r.Form.Get("format") != "" {
		writeError(w, http.StatusNotFound, "No such file or directory: "+p, nil)
		return
	}
	if p == "" && strings.HasSuffix(r.URL.Path, "/") || p != "" && s.isDir(repo, hs[0], p) {
		s.listDir(w, r, repo, hs[0], p)
		return
	}
	if p == "" {
		writeError(w, http.StatusNotFound, "No such file or directory: "+p, nil)
		return
	}
	// One git call: it fails for a missing path and for a folder alike.
	body, err := runGit(repo.gitDir, nil, "cat-file", "blob", hs[0]+":"+p)
	if err != nil {
		writeError(w, http.StatusNotFound, "No such file or directory: "+p, nil)
		return
	}
	ct := mime.TypeByExtension(path.Ext(p))
	if ct == "" {
		ct = "text/plain"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment")
	_, _ = w.Write(body)
}

// isDir reports whether p is a folder at commit.
func (s *Server) isDir(repo *repoState, commit, p string) bool {
	out, err := runGit(repo.gitDir, nil, "cat-file", "-t", commit+":"+p)
	return err == nil && strings.TrimSpace(string(out)) == "tree"
}

// listDir answers the listing of folder dir at commit: its entries, then
// theirs down to max_depth levels, breadth first, 10 a page by default and
// 100 at most.
func (s *Server) listDir(w http.ResponseWriter, r *http.Request, repo *repoState, commit, dir string) {
	depth := 1
	if v := r.Form.Get("max_depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "Invalid max_depth", nil)
			return
		}
		depth = n
	}
	args := []string{"ls-tree", "-r", "-t", "-z", "--full-tree", commit}
	if dir != "" {
		args = append(args, "--", dir+"/")
	}
	out, err := runGit(repo.gitDir, nil, args...)
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return
	}
	api, _ := s.repoLinks(repo)
	var levels [][]any // entries by depth below dir, grown as met
	for _, line := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		meta, name, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		rel := strings.TrimPrefix(name, dir+"/")
		if dir == "" {
			rel = name
		}
		level := strings.Count(rel, "/")
		if level >= depth {
			continue
		}
		for len(levels) <= level {
			levels = append(levels, nil)
		}
		f := strings.Fields(meta) // mode type object
		if len(f) < 3 {
			continue
		}
		switch f[1] {
		case "tree":
			levels[level] = append(levels[level], map[string]any{
				"type": "commit_directory", "path": name, "commit": s.commitRef(repo, commit),
				"links": map[string]any{"self": link(api + "/src/" + commit + "/" + escapePath(name) + "/")},
			})
		case "blob":
			levels[level] = append(levels[level], s.commitFile(repo, commit, name, f[0], false))
		}
	}
	var values []any
	for _, l := range levels {
		values = append(values, l...)
	}
	if values == nil {
		values = []any{}
	}
	if s.opts.TreeSize > 0 {
		s.listPageSized(w, r, values, 10, 100, s.opts.TreeSize)
		return
	}
	s.listPage(w, r, values, 10, 100)
}

func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request) {
	s.serveRaw(w, r, s.git.patch)
}

// serveRaw answers /diff and /patch: plain text from produce, or 555 when the
// commit is forced too large or the text exceeds MaxDiffBytes, as Bitbucket
// does when it times out on a huge diff.
func (s *Server) serveRaw(w http.ResponseWriter, r *http.Request, produce func(gitDir, base, head string) ([]byte, error)) {
	repo, _, ok := s.repoFor(w, r)
	if !ok {
		return
	}
	base, head, ok := s.specRange(w, r, repo)
	if !ok {
		return
	}
	if s.isTooLarge(head) {
		writeError(w, 555, msgTooLarge, nil)
		return
	}
	body, err := produce(repo.gitDir, base, head)
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return
	}
	if len(body) > s.opts.MaxDiffBytes {
		writeError(w, 555, msgTooLarge, nil)
		return
	}
	writeText(w, body)
}

func attributes(mode string, binary bool) string {
	switch {
	case mode == "120000":
		return "link"
	case mode == "160000":
		return "subrepository"
	case binary:
		return "binary"
	case mode == "100755":
		return "executable"
	}
	return ""
}

func (s *Server) commitFile(repo *repoState, commit, p, mode string, binary bool) map[string]any {
	api, _ := s.repoLinks(repo)
	f := map[string]any{
		"type":         "commit_file",
		"path":         p,
		"escaped_path": quotePath(p),
		"commit":       s.commitRef(repo, commit),
		"links": map[string]any{
			"self":    link(api + "/src/" + commit + "/" + escapePath(p)),
			"meta":    link(api + "/src/" + commit + "/" + escapePath(p) + "?format=meta"),
			"history": link(api + "/filehistory/" + commit + "/" + escapePath(p)),
		},
	}
	if a := attributes(mode, binary); a != "" {
		f["attributes"] = a
	}
	return f
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func (s *Server) handleDiffstat(w http.ResponseWriter, r *http.Request) {
	repo, _, ok := s.repoFor(w, r)
	if !ok {
		return
	}
	base, head, ok := s.specRange(w, r, repo)
	if !ok {
		return
	}
	if s.isStatTooLarge(head) {
		writeError(w, 555, msgTooLarge, nil)
		return
	}
	stats, err := s.git.diffstat(repo.gitDir, base, head, diffOpts(r))
	if err != nil {
		writeGitError(w, err, msgCommitMissing)
		return
	}
	values := make([]any, 0, len(stats))
	for _, st := range stats {
		v := map[string]any{
			"type":          "diffstat",
			"status":        st.status,
			"lines_added":   st.linesAdded,
			"lines_removed": st.linesRemoved,
			"old":           nil,
			"new":           nil,
		}
		if st.oldPath != "" {
			v["old"] = s.commitFile(repo, base, st.oldPath, st.oldMode, st.binary)
		}
		if st.newPath != "" {
			v["new"] = s.commitFile(repo, head, st.newPath, st.newMode, st.binary)
		}
		values = append(values, v)
	}
	s.listPage(w, r, values, 500, 5000)
}
