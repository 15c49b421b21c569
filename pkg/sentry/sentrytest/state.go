package sentrytest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Project is a Sentry project. Empty fields get plausible values.
type Project struct {
	Org  string
	Slug string
	// Name defaults to Slug.
	Name string
	// Platform defaults to "python".
	Platform string
	// ID is assigned (a large number, as Sentry's are).
	ID string
}

// Token is an auth token: its scopes and the organizations its user is a
// member of.
type Token struct {
	// Scopes such as event:read, project:read, project:releases, org:read.
	Scopes []string
	// Orgs the token may read; empty means every organization.
	Orgs []string
	// Expired makes every use answer 401 "Token expired".
	Expired bool
}

// Issue is a Sentry issue (a "group").
type Issue struct {
	Org, Project string
	// Title defaults to the first event's "Type: value".
	Title   string
	Culprit string
	// Level defaults to "error".
	Level string
	// ID and ShortID are assigned: a number, and PROJECT-N with N in
	// Sentry's base 32.
	ID, ShortID string
}

// Event is one event of an issue.
type Event struct {
	// ID is assigned (32 hex digits) when empty.
	ID string
	// Time is when it happened (dateCreated); zero means the server's now.
	Time time.Time
	// Release is the version the event names; "" for none.
	Release string
	// ReleaseTagOnly sends the version in the release tag only, with a
	// null release object, as Sentry does for a release it does not know.
	ReleaseTagOnly bool
	// Environment defaults to "production".
	Environment string
	// Platform defaults to the project's.
	Platform string
	// Exceptions are listed as Sentry lists them: the root cause first,
	// the outermost exception last.
	Exceptions []Exception
	// Message makes an event without an exception (a log message).
	Message string
	// Tags are extra tags.
	Tags map[string]string
	// Recommended makes this the issue's recommended event.
	Recommended bool
}

// Exception is one exception value with its stack trace.
type Exception struct {
	Type, Value, Module string
	// Mechanism defaults to "generic"; Handled to false.
	Mechanism string
	Handled   bool
	// Frames are oldest first: the crashing frame is last.
	Frames []Frame
}

// Frame is one stack frame.
type Frame struct {
	Filename, AbsPath, Module, Package, Function string
	Line, Col                                    int
	InApp                                        bool
	// Context is the source around Line: its middle element is Line.
	Context []string
	// InstructionAddr makes a native frame (0x...); with no Filename and
	// Function it is unsymbolicated.
	InstructionAddr string
}

// Release is a release with the commits it was linked to.
type Release struct {
	Org, Version string
	// Projects are project slugs.
	Projects []string
	Ref      string
	// Created defaults to the server's now.
	Created time.Time
	// Commits are sorted newest first by Time, as Sentry stores them; with
	// no times they keep their order.
	Commits []Commit
}

// Commit is a commit of a release.
type Commit struct {
	// SHA is the full hash.
	SHA string
	// Repository is the repository's name in Sentry, e.g. acme/checkout-api;
	// it is added to the organization's repositories as needed.
	Repository  string
	Message     string
	AuthorName  string
	AuthorEmail string
	Time        time.Time
}

// Repo is a repository Sentry knows.
type Repo struct {
	Org, Name string
	// Provider defaults to "integrations:bitbucket".
	Provider string
	URL      string
}

type orgState struct {
	slug, name string
	id         int
	projects   map[string]*projectState
	issues     map[string]*issueState // by id
	releases   map[string]*releaseState
	repos      []*repoState
	created    time.Time
}

type projectState struct {
	Project
	org       *orgState
	shortSeq  int
	numericID int64
}

type issueState struct {
	Issue
	project *projectState
	events  []*eventState
}

type eventState struct {
	Event
	issue    *issueState
	received time.Time
}

type releaseState struct {
	Release
	id      int
	org     *orgState
	commits []Commit
}

type repoState struct {
	Repo
	id      int
	created time.Time
}

// base32 is the alphabet of Sentry's short ids (Crockford's: no I, L, O
// or U).
const base32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func shortSuffix(n int) string {
	if n <= 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{base32[n%32]}, b...)
		n /= 32
	}
	return string(b)
}

func hexOf(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// orgLocked returns the organization, creating it. s.mu is held.
func (s *Server) orgLocked(slug string) *orgState {
	key := strings.ToLower(slug)
	if o, ok := s.orgs[key]; ok {
		return o
	}
	s.seq++
	o := &orgState{slug: key, name: slug, id: s.seq, projects: map[string]*projectState{}, issues: map[string]*issueState{},
		releases: map[string]*releaseState{}, created: time.Date(2021, 2, 3, 4, 5, 6, 0, time.UTC)}
	s.orgs[key] = o
	return o
}

// AddOrg adds an organization (projects and releases add theirs too).
func (s *Server) AddOrg(slug string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgLocked(slug)
}

// AddProject adds a project, creating its organization as needed, and
// returns it with defaults and its id filled in.
func (s *Server) AddProject(p Project) Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.projectLocked(p).Project
}

func (s *Server) projectLocked(p Project) *projectState {
	o := s.orgLocked(p.Org)
	key := strings.ToLower(p.Slug)
	if ps, ok := o.projects[key]; ok {
		return ps
	}
	p.Org, p.Slug = o.slug, key
	if p.Name == "" {
		p.Name = p.Slug
	}
	if p.Platform == "" {
		p.Platform = "python"
	}
	s.seq++
	ps := &projectState{Project: p, org: o, numericID: 4505000000000000 + int64(s.seq)}
	ps.ID = strconv.FormatInt(ps.numericID, 10)
	o.projects[key] = ps
	return ps
}

// AddToken accepts token as a Bearer auth token.
func (s *Server) AddToken(token string, t Token) {
	t.Scopes = append([]string(nil), t.Scopes...)
	t.Orgs = append([]string(nil), t.Orgs...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = t
}

// AddIssue adds an issue with its events to a project (created as
// needed) and returns the issue and events with their ids filled in.
func (s *Server) AddIssue(is Issue, events ...Event) (Issue, []Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.projectLocked(Project{Org: is.Org, Slug: is.Project})
	ps.shortSeq++
	s.issueSeq++
	is.Org, is.Project = ps.org.slug, ps.Slug
	if is.ID == "" {
		is.ID = strconv.FormatInt(6100000000+int64(s.issueSeq), 10)
	}
	if is.ShortID == "" {
		is.ShortID = strings.ToUpper(ps.Slug) + "-" + shortSuffix(ps.shortSeq)
	}
	if is.Level == "" {
		is.Level = "error"
	}
	st := &issueState{Issue: is, project: ps}
	ps.org.issues[is.ID] = st
	out := make([]Event, 0, len(events))
	for _, e := range events {
		out = append(out, s.addEventLocked(st, e).Event)
	}
	return st.Issue, out
}

// AddEvent adds an event to an issue and returns it with its id.
func (s *Server) AddEvent(issueID string, e Event) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orgs {
		if st, ok := o.issues[issueID]; ok {
			return s.addEventLocked(st, e).Event, nil
		}
	}
	return Event{}, fmt.Errorf("sentrytest: adding an event: no issue %s", issueID)
}

func (s *Server) addEventLocked(st *issueState, e Event) *eventState {
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	e.Time = e.Time.UTC()
	if e.ID == "" {
		e.ID = hexOf("event", st.ID, strconv.Itoa(len(st.events)), e.Time.Format(time.RFC3339Nano))
	}
	e.ID = strings.ToLower(strings.ReplaceAll(e.ID, "-", ""))
	if e.Environment == "" {
		e.Environment = "production"
	}
	if e.Platform == "" {
		e.Platform = st.project.Platform
	}
	if o := st.project.org; e.Release != "" && !e.ReleaseTagOnly && o.releases[e.Release] == nil {
		// Sentry creates a release the first time an event names it.
		s.seq++
		o.releases[e.Release] = &releaseState{Release: Release{Org: o.slug, Version: e.Release, Projects: []string{st.project.Slug},
			Created: e.Time}, id: 1100000000 + s.seq, org: o}
	}
	es := &eventState{Event: e, issue: st, received: e.Time.Add(350 * time.Millisecond)}
	st.events = append(st.events, es)
	sort.SliceStable(st.events, func(i, j int) bool { return st.events[i].Time.Before(st.events[j].Time) })
	if st.Title == "" {
		st.Title = eventTitle(es)
	}
	if st.Culprit == "" {
		st.Culprit = eventCulprit(es)
	}
	return es
}

// AddRelease adds a release (and the repositories its commits name).
func (s *Server) AddRelease(r Release) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(r.Org)
	r.Org = o.slug
	if r.Created.IsZero() {
		r.Created = s.now()
	}
	for _, p := range r.Projects {
		s.projectLocked(Project{Org: o.slug, Slug: p})
	}
	commits := append([]Commit(nil), r.Commits...)
	sort.SliceStable(commits, func(i, j int) bool { return commits[i].Time.After(commits[j].Time) })
	for i := range commits {
		commits[i].SHA = strings.ToLower(commits[i].SHA)
		if commits[i].Repository != "" {
			s.repoLocked(o, Repo{Org: o.slug, Name: commits[i].Repository})
		}
	}
	s.seq++
	o.releases[r.Version] = &releaseState{Release: r, id: 1100000000 + s.seq, org: o, commits: commits}
}

// AddRepo adds a repository to an organization.
func (s *Server) AddRepo(r Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repoLocked(s.orgLocked(r.Org), r)
}

func (s *Server) repoLocked(o *orgState, r Repo) *repoState {
	for _, rs := range o.repos {
		if strings.EqualFold(rs.Name, r.Name) {
			return rs
		}
	}
	r.Org = o.slug
	if r.Provider == "" {
		r.Provider = "integrations:bitbucket"
	}
	if r.URL == "" && strings.HasSuffix(r.Provider, "bitbucket") {
		r.URL = "https://bitbucket.org/" + r.Name
	}
	s.seq++
	rs := &repoState{Repo: r, id: s.seq, created: time.Date(2022, 3, 4, 5, 6, 7, 0, time.UTC)}
	o.repos = append(o.repos, rs)
	return rs
}

// IssueByShortID returns an issue added before, by its short id.
func (s *Server) IssueByShortID(org, shortID string) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[strings.ToLower(org)]
	if !ok {
		return Issue{}, false
	}
	for _, st := range o.issues {
		if strings.EqualFold(st.ShortID, shortID) {
			return st.Issue, true
		}
	}
	return Issue{}, false
}

// pick chooses an issue's event: recommended, latest, oldest or an id.
func pick(st *issueState, which string) *eventState {
	if len(st.events) == 0 {
		return nil
	}
	switch which {
	case "latest":
		return st.events[len(st.events)-1]
	case "oldest":
		return st.events[0]
	case "recommended":
		for _, e := range st.events {
			if e.Recommended {
				return e
			}
		}
		// Sentry prefers a recent event with a stack trace.
		for i := len(st.events) - 1; i >= 0; i-- {
			if hasFrames(st.events[i]) {
				return st.events[i]
			}
		}
		return st.events[len(st.events)-1]
	}
	id := strings.ToLower(strings.ReplaceAll(which, "-", ""))
	for _, e := range st.events {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func hasFrames(e *eventState) bool {
	for _, x := range e.Exceptions {
		if len(x.Frames) > 0 {
			return true
		}
	}
	return false
}
