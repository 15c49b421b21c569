package sentrytest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sentry's messages.
const (
	msgNoCredentials = "Authentication credentials were not provided."
	msgInvalidToken  = "Invalid token"
	msgExpired       = "Token expired"
	msgForbidden     = "You do not have permission to perform this action."
	msgNotFound      = "The requested resource does not exist"
	msgBadCursor     = "Invalid cursor parameter."
)

// Scopes that open each kind of endpoint, as Sentry's API schema lists
// them.
var (
	eventScopes        = []string{"event:read", "event:write", "event:admin"}
	releaseScopes      = []string{"project:read", "project:releases", "project:write", "project:admin", "org:ci"}
	repoScopes         = []string{"org:read", "org:write", "org:admin", "org:ci", "org:integrations"}
	eventIDScopes      = []string{"org:read", "org:write", "org:admin"}
	projectEventScopes = []string{"project:read", "project:write", "project:admin"}
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeDetail(w, http.StatusNotFound, msgNotFound) })
	const org = "/api/0/organizations/{org}"
	mux.HandleFunc("GET "+org+"/issues/{id}/{$}", s.handleIssue)
	mux.HandleFunc("GET "+org+"/issues/{id}/events/{event}/{$}", s.handleIssueEvent)
	mux.HandleFunc("GET "+org+"/shortids/{short}/{$}", s.handleShortID)
	mux.HandleFunc("GET "+org+"/eventids/{event}/{$}", s.handleEventID)
	mux.HandleFunc("GET "+org+"/releases/{version}/{$}", s.handleRelease)
	mux.HandleFunc("GET "+org+"/releases/{version}/commits/{$}", s.handleReleaseCommits)
	mux.HandleFunc("GET "+org+"/repos/{$}", s.handleRepos)
	mux.HandleFunc("GET /api/0/projects/{org}/{project}/events/{event}/{$}", s.handleProjectEvent)
	return mux
}

// access authenticates the request and checks that its token may read org
// with one of scopes. On failure it answers and returns nil. s.mu is held
// on success, so the caller must unlock.
func (s *Server) access(w http.ResponseWriter, r *http.Request, orgSlug string, scopes []string) *orgState {
	h := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	s.mu.Lock()
	fail := func(status int, msg string) *orgState {
		s.mu.Unlock()
		writeDetail(w, status, msg)
		return nil
	}
	if h == "" {
		return fail(http.StatusUnauthorized, msgNoCredentials)
	}
	t, ok := s.tokens[tok]
	if !strings.EqualFold(scheme, "bearer") || !ok {
		return fail(http.StatusUnauthorized, msgInvalidToken)
	}
	if t.Expired {
		return fail(http.StatusUnauthorized, msgExpired)
	}
	o, ok := s.orgs[strings.ToLower(orgSlug)]
	if !ok {
		return fail(http.StatusNotFound, msgNotFound)
	}
	if len(t.Orgs) > 0 && !containsFold(t.Orgs, o.slug) {
		return fail(http.StatusForbidden, msgForbidden)
	}
	for _, want := range scopes {
		if containsFold(t.Scopes, want) {
			return o
		}
	}
	return fail(http.StatusForbidden, msgForbidden)
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// issueByID finds an issue by numeric id or short id. s.mu is held.
func issueByID(o *orgState, id string) *issueState {
	if st, ok := o.issues[id]; ok {
		return st
	}
	for _, st := range o.issues {
		if strings.EqualFold(st.ShortID, id) {
			return st
		}
	}
	return nil
}

// pageItems is a list answered one page at a time, with Link cursors.
type pageItems []any

// serve authenticates r for its organization with scopes, then runs find
// with s.mu held; it answers find's body (a page of it for pageItems), or
// 404 when find finds nothing.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, scopes []string, find func(o *orgState) (any, bool)) {
	o := s.access(w, r, r.PathValue("org"), scopes)
	if o == nil {
		return
	}
	body, ok := find(o)
	s.mu.Unlock()
	switch b := body.(type) {
	case nil:
	case pageItems:
		s.writePage(w, r, b)
		return
	}
	if !ok {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleIssue(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, eventScopes, func(o *orgState) (any, bool) {
		if st := issueByID(o, r.PathValue("id")); st != nil {
			return s.issueJSON(st), true
		}
		return nil, false
	})
}

func (s *Server) handleIssueEvent(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, eventScopes, func(o *orgState) (any, bool) {
		if st := issueByID(o, r.PathValue("id")); st != nil {
			if e := pick(st, r.PathValue("event")); e != nil {
				return s.eventJSON(e), true
			}
		}
		return nil, false
	})
}

func (s *Server) handleShortID(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, eventScopes, func(o *orgState) (any, bool) {
		for _, st := range o.issues {
			if strings.EqualFold(st.ShortID, r.PathValue("short")) {
				return map[string]any{"organizationSlug": o.slug, "projectSlug": st.project.Slug, "groupId": st.ID,
					"shortId": st.ShortID, "group": s.issueJSON(st)}, true
			}
		}
		return nil, false
	})
}

// findEvent finds an event of the organization by id, in project when it is
// not "". s.mu is held.
func findEvent(o *orgState, id, project string) *eventState {
	id = strings.ToLower(strings.ReplaceAll(id, "-", ""))
	for _, st := range o.issues {
		if project != "" && !strings.EqualFold(st.project.Slug, project) && st.project.ID != project {
			continue
		}
		for _, e := range st.events {
			if e.ID == id {
				return e
			}
		}
	}
	return nil
}

func (s *Server) handleEventID(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, eventIDScopes, func(o *orgState) (any, bool) {
		if e := findEvent(o, r.PathValue("event"), ""); e != nil {
			return map[string]any{"organizationSlug": o.slug, "projectSlug": e.issue.project.Slug, "groupId": e.issue.ID,
				"eventId": e.ID, "event": s.eventJSON(e)}, true
		}
		return nil, false
	})
}

func (s *Server) handleProjectEvent(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, projectEventScopes, func(o *orgState) (any, bool) {
		if e := findEvent(o, r.PathValue("event"), r.PathValue("project")); e != nil {
			body := s.eventJSON(e)
			body["projectSlug"] = e.issue.project.Slug
			return body, true
		}
		return nil, false
	})
}

func (s *Server) handleRelease(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, releaseScopes, func(o *orgState) (any, bool) {
		if rs, ok := o.releases[r.PathValue("version")]; ok {
			return s.releaseJSON(rs), true
		}
		return nil, false
	})
}

func (s *Server) handleReleaseCommits(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, releaseScopes, func(o *orgState) (any, bool) {
		rs, ok := o.releases[r.PathValue("version")]
		if !ok {
			return nil, false
		}
		items := pageItems{}
		for _, c := range rs.commits {
			items = append(items, s.commitJSON(o, rs, c))
		}
		return items, true
	})
}

func (s *Server) handleRepos(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, repoScopes, func(o *orgState) (any, bool) {
		items := pageItems{}
		for _, rs := range o.repos {
			items = append(items, repoJSON(rs))
		}
		return items, true
	})
}

// writePage answers one page of items with Sentry's Link header:
// offset cursors "0:OFFSET:IS_PREV", results="true" or "false".
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, items pageItems) {
	size := s.opts.PageSize
	if pp, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && pp > 0 && pp <= 100 {
		size = pp
	}
	offset, ok := parseCursor(r.URL.Query().Get("cursor"))
	if !ok {
		writeDetail(w, http.StatusBadRequest, msgBadCursor)
		return
	}
	end := min(offset+size, len(items))
	page := []any{}
	if offset < len(items) {
		page = items[offset:end]
	}
	self := s.url + r.URL.Path
	prevOff := max(offset-size, 0)
	prev := fmt.Sprintf("0:%d:1", prevOff)
	next := fmt.Sprintf("0:%d:0", offset+size)
	w.Header().Set("Link", fmt.Sprintf(`<%s?&cursor=%s>; rel="previous"; results="%t"; cursor="%s", <%s?&cursor=%s>; rel="next"; results="%t"; cursor="%s"`,
		self, prev, offset > 0, prev, self, next, offset+size < len(items), next))
	writeJSON(w, http.StatusOK, page)
}

// parseCursor reads Sentry's cursor "VALUE:OFFSET:IS_PREV" ("" is the
// first page) and returns the offset.
func parseCursor(c string) (int, bool) {
	if c == "" {
		return 0, true
	}
	parts := strings.Split(c, ":")
	if len(parts) != 3 {
		return 0, false
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 || n > 1<<30 {
		return 0, false
	}
	if _, err := strconv.ParseFloat(parts[0], 64); err != nil {
		return 0, false
	}
	if parts[2] != "0" && parts[2] != "1" {
		return 0, false
	}
	return n, true
}

// JSON builders. They run with s.mu held.

func nz(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func eventTitle(e *eventState) string {
	if n := len(e.Exceptions); n > 0 {
		x := e.Exceptions[n-1]
		if x.Value == "" {
			return x.Type
		}
		return x.Type + ": " + x.Value
	}
	if e.Message != "" {
		return firstLine(e.Message)
	}
	return "<unlabeled event>"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// crashFrame is the last in-app frame of the outermost exception, else its
// last frame.
func crashFrame(e *eventState) *Frame {
	if len(e.Exceptions) == 0 {
		return nil
	}
	fr := e.Exceptions[len(e.Exceptions)-1].Frames
	for i := len(fr) - 1; i >= 0; i-- {
		if fr[i].InApp {
			return &fr[i]
		}
	}
	if len(fr) > 0 {
		return &fr[len(fr)-1]
	}
	return nil
}

func eventCulprit(e *eventState) string {
	f := crashFrame(e)
	if f == nil {
		return ""
	}
	where := f.Module
	if where == "" {
		where = f.Filename
	}
	if f.Function == "" {
		return where
	}
	return where + " in " + f.Function
}

func (s *Server) metadata(e *eventState) map[string]any {
	if len(e.Exceptions) == 0 {
		return map[string]any{"title": eventTitle(e)}
	}
	x := e.Exceptions[len(e.Exceptions)-1]
	m := map[string]any{"type": x.Type, "value": x.Value, "in_app_frame_mix": "mixed"}
	if f := crashFrame(e); f != nil {
		m["filename"], m["function"] = f.Filename, f.Function
	}
	return m
}

func (s *Server) issueJSON(st *issueState) map[string]any {
	first, last := s.now(), s.now()
	if n := len(st.events); n > 0 {
		first, last = st.events[0].Time, st.events[n-1].Time
	}
	var meta map[string]any
	var firstRel, lastRel any
	if n := len(st.events); n > 0 {
		meta = s.metadata(st.events[n-1])
		firstRel, lastRel = s.releaseRef(st.project.org, st.events[0].Release), s.releaseRef(st.project.org, st.events[n-1].Release)
	} else {
		meta = map[string]any{"title": st.Title}
	}
	p := st.project
	return map[string]any{
		"id": st.ID, "shareId": nil, "shortId": st.ShortID, "title": st.Title, "culprit": nz(st.Culprit),
		"permalink": fmt.Sprintf("%s/organizations/%s/issues/%s/", s.url, p.org.slug, st.ID),
		"logger":    nil, "level": st.Level, "status": "unresolved", "statusDetails": map[string]any{}, "substatus": "ongoing",
		"isPublic": false, "platform": p.Platform, "priority": "high", "priorityLockedAt": nil,
		"seerFixabilityScore": nil, "seerAutofixLastTriggered": nil, "seerExplorerAutofixLastTriggered": nil,
		"project": map[string]any{"id": p.ID, "name": p.Name, "slug": p.Slug, "platform": p.Platform},
		"type":    "error", "issueType": "error", "issueCategory": "error", "metadata": meta,
		"numComments": 0, "assignedTo": nil, "isBookmarked": false, "isSubscribed": false, "subscriptionDetails": nil,
		"hasSeen": false, "annotations": []any{}, "isUnhandled": true, "count": strconv.Itoa(len(st.events)),
		"userCount": 0, "firstSeen": iso(first), "lastSeen": iso(last), "firstRelease": firstRel, "lastRelease": lastRel,
		"tags": []any{}, "activity": []any{}, "seenBy": []any{}, "userReportCount": 0, "participants": []any{},
		"stats": map[string]any{"24h": []any{}},
	}
}

// releaseRef is the short release object issues carry, or nil.
func (s *Server) releaseRef(o *orgState, version string) any {
	rs, ok := o.releases[version]
	if version == "" || !ok {
		return nil
	}
	return map[string]any{"version": rs.Version, "shortVersion": shortVersion(rs.Version), "ref": nz(rs.Ref), "url": nil,
		"dateReleased": nil, "dateCreated": iso(rs.Created), "commitCount": len(rs.commits)}
}

func shortVersion(v string) string {
	if _, rest, ok := strings.Cut(v, "@"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return rest
	}
	return v
}

// versionInfo is roughly what Sentry's release parser says of a version.
func versionInfo(v string) map[string]any {
	pkg, raw, ok := strings.Cut(v, "@")
	if !ok {
		pkg, raw = "", v
	}
	var build any
	if len(raw) == 40 && isHex(raw) {
		build = raw
	} else if _, b, ok := strings.Cut(raw, "+"); ok && b != "" {
		build = b
	}
	return map[string]any{"package": nz(pkg), "version": map[string]any{"raw": raw}, "description": raw, "buildHash": build}
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// eventRelease is the release object an event carries, or nil.
func (s *Server) eventRelease(e *eventState) any {
	if e.Release == "" || e.ReleaseTagOnly {
		return nil
	}
	o := e.issue.project.org
	rs, ok := o.releases[e.Release]
	if !ok {
		return nil
	}
	var last any
	if len(rs.commits) > 0 {
		last = s.commitJSON(o, rs, rs.commits[0])
	}
	return map[string]any{
		"id": rs.id, "commitCount": len(rs.commits), "data": map[string]any{}, "dateCreated": iso(rs.Created),
		"dateReleased": nil, "deployCount": 0, "ref": nz(rs.Ref), "lastCommit": last, "lastDeploy": nil,
		"status": "open", "url": nil, "userAgent": nil, "version": rs.Version, "versionInfo": versionInfo(rs.Version),
	}
}

var sdks = map[string][2]string{
	"python": {"sentry.python", "2.19.2"}, "javascript": {"sentry.javascript.browser", "8.42.0"},
	"node": {"sentry.javascript.node", "8.42.0"}, "java": {"sentry.java", "7.18.1"}, "go": {"sentry.go", "0.30.0"},
	"ruby": {"sentry.ruby", "5.22.0"}, "csharp": {"sentry.dotnet", "4.13.0"}, "native": {"sentry.native", "0.7.15"},
	"php": {"sentry.php", "4.10.0"}, "cocoa": {"sentry.cocoa", "8.41.0"},
}

func frameJSON(f Frame) map[string]any {
	abs := f.AbsPath
	if abs == "" {
		abs = f.Filename
	}
	var line, col any
	if f.Line > 0 {
		line = f.Line
	}
	if f.Col > 0 {
		col = f.Col
	}
	ctx := []any{}
	if n := len(f.Context); n > 0 && f.Line > 0 {
		start := f.Line - n/2
		for i, l := range f.Context {
			ctx = append(ctx, []any{start + i, l})
		}
	}
	var fplat any
	if f.InstructionAddr != "" {
		fplat = "native"
	}
	return map[string]any{
		"filename": nz(f.Filename), "absPath": nz(abs), "module": nz(f.Module), "package": nz(f.Package),
		"platform": fplat, "instructionAddr": nz(f.InstructionAddr), "symbolAddr": nil, "function": nz(f.Function),
		"rawFunction": nil, "symbol": nil, "context": ctx, "lineNo": line, "colNo": col, "inApp": f.InApp,
		"trust": nil, "errors": nil, "lock": nil, "sourceLink": nil, "vars": nil,
	}
}

func (s *Server) eventJSON(e *eventState) map[string]any {
	st := e.issue
	p := st.project
	var entries []any
	frames := 0
	if len(e.Exceptions) > 0 {
		values := make([]any, 0, len(e.Exceptions))
		for _, x := range e.Exceptions {
			fr := make([]any, 0, len(x.Frames))
			for _, f := range x.Frames {
				fr = append(fr, frameJSON(f))
			}
			frames += len(x.Frames)
			mech := x.Mechanism
			if mech == "" {
				mech = "generic"
			}
			var stack any
			if len(fr) > 0 {
				stack = map[string]any{"frames": fr, "framesOmitted": nil, "registers": nil, "hasSystemFrames": true}
			}
			values = append(values, map[string]any{
				"type": x.Type, "value": nz(x.Value), "module": nz(x.Module), "threadId": nil,
				"mechanism": map[string]any{"type": mech, "handled": x.Handled}, "stacktrace": stack, "rawStacktrace": nil,
			})
		}
		entries = append(entries, map[string]any{"type": "exception",
			"data": map[string]any{"values": values, "hasSystemFrames": true, "excOmitted": nil}})
	}
	if e.Message != "" {
		entries = append(entries, map[string]any{"type": "message",
			"data": map[string]any{"formatted": e.Message, "message": nil, "params": nil}})
	}
	if entries == nil {
		entries = []any{}
	}
	tags := map[string]string{"environment": e.Environment, "level": st.Level}
	if e.Release != "" {
		tags["release"] = e.Release
	}
	if n := len(e.Exceptions); n > 0 {
		x := e.Exceptions[n-1]
		tags["handled"] = map[bool]string{true: "yes", false: "no"}[x.Handled]
		tags["mechanism"] = x.Mechanism
		if x.Mechanism == "" {
			tags["mechanism"] = "generic"
		}
	}
	for k, v := range e.Tags {
		tags[k] = v
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tagList := make([]any, 0, len(keys))
	for _, k := range keys {
		tagList = append(tagList, map[string]any{"key": k, "value": tags[k]})
	}
	var prev, next any
	for i, x := range st.events {
		if x == e {
			if i > 0 {
				prev = st.events[i-1].ID
			}
			if i+1 < len(st.events) {
				next = st.events[i+1].ID
			}
		}
	}
	sdk := sdks[e.Platform]
	if sdk[0] == "" {
		sdk = [2]string{"sentry." + e.Platform, "1.0.0"}
	}
	var location any
	if f := crashFrame(e); f != nil && f.Filename != "" {
		location = f.Filename
	}
	typ := "default"
	if len(e.Exceptions) > 0 {
		typ = "error"
	}
	return map[string]any{
		"id": e.ID, "eventID": e.ID, "groupID": st.ID, "projectID": p.ID, "message": firstLine(e.Message),
		"title": eventTitle(e), "location": location, "culprit": nz(eventCulprit(e)), "user": nil, "tags": tagList,
		"platform": e.Platform, "dateCreated": iso(e.Time), "dateReceived": iso(e.received),
		"contexts": map[string]any{"runtime": map[string]any{"name": e.Platform, "type": "runtime"}},
		"size":     2048 + 400*frames, "entries": entries, "dist": nil,
		"sdk": map[string]any{"name": sdk[0], "version": sdk[1]}, "context": map[string]any{}, "packages": map[string]any{},
		"type": typ, "metadata": s.metadata(e), "errors": []any{}, "occurrence": nil,
		"_meta": map[string]any{"context": nil, "contexts": nil, "entries": map[string]any{}, "message": nil,
			"packages": nil, "sdk": nil, "tags": map[string]any{}, "user": nil},
		"crashFile": nil, "fingerprints": []any{hexOf("fingerprint", st.ID)},
		"groupingConfig": map[string]any{"id": "newstyle:2023-01-11", "enhancements": "KLUv_SAYwQAAkwKRs25ld3N0eWxlOjIwMjMtMDEtMTGQ"},
		"release":        s.eventRelease(e), "userReport": nil, "sdkUpdates": []any{}, "resolvedWith": []any{},
		"nextEventID": next, "previousEventID": prev,
	}
}

func repoJSON(rs *repoState) map[string]any {
	name := "Bitbucket"
	switch {
	case strings.HasSuffix(rs.Provider, "github"):
		name = "GitHub"
	case strings.HasSuffix(rs.Provider, "gitlab"):
		name = "GitLab"
	}
	return map[string]any{
		"id": strconv.Itoa(rs.id), "name": rs.Name, "url": nz(rs.URL),
		"provider": map[string]any{"id": rs.Provider, "name": name}, "status": "active",
		"dateCreated": iso(rs.created), "integrationId": "4321", "externalSlug": rs.Name,
		"externalId": "{" + hexOf("repo", rs.Name)[:8] + "-0000-4000-8000-" + hexOf("repo", rs.Name)[8:20] + "}",
	}
}

func (s *Server) commitJSON(o *orgState, rs *releaseState, c Commit) map[string]any {
	when := c.Time
	if when.IsZero() {
		when = rs.Created
	}
	m := map[string]any{
		"id": c.SHA, "message": nz(c.Message), "dateCreated": iso(when), "pullRequest": nil, "suspectCommitType": "",
		"releases": []any{map[string]any{"version": rs.Version, "shortVersion": shortVersion(rs.Version), "ref": nz(rs.Ref),
			"url": nil, "dateReleased": nil, "dateCreated": iso(rs.Created)}},
	}
	if c.AuthorEmail != "" {
		m["author"] = map[string]any{"name": nz(c.AuthorName), "email": c.AuthorEmail}
	}
	if c.Repository != "" {
		for _, r := range o.repos {
			if strings.EqualFold(r.Name, c.Repository) {
				m["repository"] = repoJSON(r)
			}
		}
	}
	return m
}

func (s *Server) releaseJSON(rs *releaseState) map[string]any {
	o := rs.org
	var last any
	if len(rs.commits) > 0 {
		last = s.commitJSON(o, rs, rs.commits[0])
	}
	authors := []any{}
	seen := map[string]bool{}
	for _, c := range rs.commits {
		if c.AuthorEmail != "" && !seen[c.AuthorEmail] {
			seen[c.AuthorEmail] = true
			authors = append(authors, map[string]any{"name": nz(c.AuthorName), "email": c.AuthorEmail})
		}
	}
	projects := []any{}
	for _, slug := range rs.Projects {
		if ps, ok := o.projects[strings.ToLower(slug)]; ok {
			projects = append(projects, map[string]any{"id": ps.numericID, "slug": ps.Slug, "name": ps.Name, "platform": ps.Platform,
				"platforms": []any{ps.Platform}, "hasHealthData": false, "newGroups": 0})
		}
	}
	var firstEvent, lastEvent any
	for _, st := range o.issues {
		for _, e := range st.events {
			if e.Release != rs.Version {
				continue
			}
			if firstEvent == nil || iso(e.Time) < firstEvent.(string) {
				firstEvent = iso(e.Time)
			}
			if lastEvent == nil || iso(e.Time) > lastEvent.(string) {
				lastEvent = iso(e.Time)
			}
		}
	}
	return map[string]any{
		"id": rs.id, "version": rs.Version, "status": "open", "shortVersion": shortVersion(rs.Version),
		"versionInfo": versionInfo(rs.Version), "ref": nz(rs.Ref), "url": nil, "dateReleased": nil,
		"dateCreated": iso(rs.Created), "data": map[string]any{}, "newGroups": 0, "owner": nil,
		"commitCount": len(rs.commits), "lastCommit": last, "deployCount": 0, "lastDeploy": nil,
		"authors": authors, "projects": projects, "firstEvent": firstEvent, "lastEvent": lastEvent,
		"currentProjectMeta": map[string]any{}, "userAgent": nil, "adoptionStages": nil,
	}
}
