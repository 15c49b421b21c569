package sentry

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"time"
)

// Project is a Sentry project as issues and releases name it.
type Project struct {
	ID       string `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Platform string `json:"platform,omitempty"`
}

// Issue is the part of a Sentry issue (a "group") sigsentry uses.
type Issue struct {
	ID        string    `json:"id"`
	ShortID   string    `json:"shortId"`
	Title     string    `json:"title"`
	Culprit   string    `json:"culprit"`
	Permalink string    `json:"permalink"`
	Level     string    `json:"level"`
	Status    string    `json:"status"`
	Platform  string    `json:"platform"`
	Project   Project   `json:"project"`
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
	// FirstRelease and LastRelease are the versions of the first and last
	// releases the issue was seen in, or "".
	FirstRelease string `json:"-"`
	LastRelease  string `json:"-"`
}

// ShortIDLookup is what /shortids/ answers: the issue and where it lives.
type ShortIDLookup struct {
	OrganizationSlug string
	ProjectSlug      string
	GroupID          string
	ShortID          string
	Issue            Issue
}

// Tag is one tag of an event.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Event is the metadata of one event; Raw holds the whole answer, in
// Sentry's REST shape (entries[] with camelCase keys), for pkg/signal.
type Event struct {
	// ID is the event id (32 hex digits).
	ID string
	// GroupID is the issue's numeric id; ProjectID the project's.
	GroupID, ProjectID string
	// ProjectSlug is set only when the answer carries it (Sentry's issue
	// event endpoint does not).
	ProjectSlug string
	Platform    string
	Title       string
	// DateCreated is when the event happened (dateCreated, else
	// dateReceived); zero when the answer has neither.
	DateCreated time.Time
	// Release is the release version from the release object, else from
	// the release tag; "" when the event names none.
	Release string
	// LastCommit is release.lastCommit when Sentry includes it.
	LastCommit *Commit
	// Environment is the environment tag, or "".
	Environment string
	Tags        []Tag
	// Raw is the event JSON exactly as Sentry sent it.
	Raw []byte
}

// Tag returns the value of the event's tag key, or "".
func (e *Event) Tag(key string) string {
	for _, t := range e.Tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// Release is the part of a Sentry release sigsentry uses.
type Release struct {
	Version      string     `json:"version"`
	ShortVersion string     `json:"shortVersion"`
	Ref          string     `json:"ref"`
	CommitCount  int        `json:"commitCount"`
	DateCreated  *time.Time `json:"dateCreated"`
	DateReleased *time.Time `json:"dateReleased"`
	LastCommit   *Commit    `json:"-"`
	Projects     []Project  `json:"-"`
}

// Commit is one commit of a release.
type Commit struct {
	// ID is the full commit hash.
	ID      string
	Message string
	// DateCreated is the commit's time as Sentry knows it.
	DateCreated time.Time
	// Repository is the repository's name in Sentry, e.g. acme/checkout-api.
	Repository string
}

// Repository is a repository Sentry knows.
type Repository struct {
	ID           string
	Name         string
	URL          string
	Provider     string
	Status       string
	ExternalSlug string
}

// flexString accepts a JSON string or number (Sentry sends ids both ways).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			*f = flexString(s)
		}
		return nil
	}
	var n json.Number
	if json.Unmarshal(b, &n) == nil {
		*f = flexString(n.String())
	}
	return nil // anything else reads as ""
}

// flexTime accepts an RFC 3339 string, epoch seconds, or null/garbage
// (zero).
type flexTime time.Time

func (f *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				*f = flexTime(t.UTC())
				return nil
			}
		}
		return nil
	}
	if v, err := strconv.ParseFloat(string(b), 64); err == nil && v > 0 && v < 1e11 {
		sec := int64(v)
		*f = flexTime(time.Unix(sec, int64((v-float64(sec))*1e9)).UTC())
	}
	return nil
}

// wire shapes.

type projectJSON struct {
	ID       flexString `json:"id"`
	Slug     string     `json:"slug"`
	Name     string     `json:"name"`
	Platform string     `json:"platform"`
}

func (p projectJSON) project() Project {
	return Project{ID: string(p.ID), Slug: p.Slug, Name: p.Name, Platform: p.Platform}
}

type versionJSON struct {
	Version string `json:"version"`
}

type issueJSON struct {
	ID           flexString   `json:"id"`
	ShortID      string       `json:"shortId"`
	Title        string       `json:"title"`
	Culprit      string       `json:"culprit"`
	Permalink    string       `json:"permalink"`
	Level        string       `json:"level"`
	Status       string       `json:"status"`
	Platform     string       `json:"platform"`
	Project      projectJSON  `json:"project"`
	FirstSeen    flexTime     `json:"firstSeen"`
	LastSeen     flexTime     `json:"lastSeen"`
	FirstRelease *versionJSON `json:"firstRelease"`
	LastRelease  *versionJSON `json:"lastRelease"`
}

func (j *issueJSON) issue() Issue {
	is := Issue{
		ID: string(j.ID), ShortID: j.ShortID, Title: j.Title, Culprit: j.Culprit, Permalink: j.Permalink,
		Level: j.Level, Status: j.Status, Platform: j.Platform, Project: j.Project.project(),
		FirstSeen: time.Time(j.FirstSeen), LastSeen: time.Time(j.LastSeen),
	}
	if j.FirstRelease != nil {
		is.FirstRelease = j.FirstRelease.Version
	}
	if j.LastRelease != nil {
		is.LastRelease = j.LastRelease.Version
	}
	return is
}

type repoJSON struct {
	ID       flexString `json:"id"`
	Name     string     `json:"name"`
	URL      string     `json:"url"`
	Status   string     `json:"status"`
	Provider struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"provider"`
	ExternalSlug flexString `json:"externalSlug"`
}

func (r repoJSON) repository() Repository {
	return Repository{ID: string(r.ID), Name: r.Name, URL: r.URL, Provider: r.Provider.Name, Status: r.Status, ExternalSlug: string(r.ExternalSlug)}
}

type commitJSON struct {
	ID          string    `json:"id"`
	Message     string    `json:"message"`
	DateCreated flexTime  `json:"dateCreated"`
	Repository  *repoJSON `json:"repository"`
}

func (c commitJSON) commit() Commit {
	out := Commit{ID: c.ID, Message: c.Message, DateCreated: time.Time(c.DateCreated)}
	if c.Repository != nil {
		out.Repository = c.Repository.Name
	}
	return out
}

type releaseJSON struct {
	Version      string        `json:"version"`
	ShortVersion string        `json:"shortVersion"`
	Ref          string        `json:"ref"`
	CommitCount  int           `json:"commitCount"`
	DateCreated  flexTime      `json:"dateCreated"`
	DateReleased flexTime      `json:"dateReleased"`
	LastCommit   *commitJSON   `json:"lastCommit"`
	Projects     []projectJSON `json:"projects"`
}

func (r *releaseJSON) release() *Release {
	out := &Release{Version: r.Version, ShortVersion: r.ShortVersion, Ref: r.Ref, CommitCount: r.CommitCount}
	if t := time.Time(r.DateCreated); !t.IsZero() {
		out.DateCreated = &t
	}
	if t := time.Time(r.DateReleased); !t.IsZero() {
		out.DateReleased = &t
	}
	if r.LastCommit != nil && r.LastCommit.ID != "" {
		c := r.LastCommit.commit()
		out.LastCommit = &c
	}
	for _, p := range r.Projects {
		out.Projects = append(out.Projects, p.project())
	}
	return out
}

// eventJSON is the metadata read from an event answer.
type eventJSON struct {
	EventID      string          `json:"eventID"`
	ID           flexString      `json:"id"`
	GroupID      flexString      `json:"groupID"`
	ProjectID    flexString      `json:"projectID"`
	ProjectSlug  string          `json:"projectSlug"`
	Platform     string          `json:"platform"`
	Title        string          `json:"title"`
	DateCreated  flexTime        `json:"dateCreated"`
	DateReceived flexTime        `json:"dateReceived"`
	Release      json.RawMessage `json:"release"`
	Tags         json.RawMessage `json:"tags"`
}

// parseTags reads the REST shape [{"key": k, "value": v}], the ingest
// shape [[k, v]] or an object {k: v}; anything else gives no tags.
func parseTags(raw json.RawMessage) []Tag {
	var out []Tag
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, item := range list {
			var kv struct {
				Key   flexString `json:"key"`
				Value flexString `json:"value"`
			}
			var pair []flexString
			switch {
			case json.Unmarshal(item, &pair) == nil && len(pair) == 2:
				out = append(out, Tag{Key: string(pair[0]), Value: string(pair[1])})
			case json.Unmarshal(item, &kv) == nil && kv.Key != "":
				out = append(out, Tag{Key: string(kv.Key), Value: string(kv.Value)})
			}
		}
		return out
	}
	var m map[string]flexString
	if json.Unmarshal(raw, &m) == nil {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, Tag{Key: k, Value: string(m[k])})
		}
	}
	return out
}

// parseEvent reads the metadata of a REST-shape event.
func parseEvent(raw []byte) (*Event, error) {
	var j eventJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		// A field of an unexpected type leaves the rest decoded; only JSON
		// that is not an object fails.
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' {
			return nil, err
		}
	}
	ev := &Event{
		ID: j.EventID, GroupID: string(j.GroupID), ProjectID: string(j.ProjectID), ProjectSlug: j.ProjectSlug,
		Platform: j.Platform, Title: j.Title, DateCreated: time.Time(j.DateCreated), Raw: raw,
	}
	if ev.ID == "" {
		ev.ID = string(j.ID)
	}
	if ev.DateCreated.IsZero() {
		ev.DateCreated = time.Time(j.DateReceived)
	}
	ev.Tags = parseTags(j.Tags)
	rel := bytes.TrimSpace(j.Release)
	switch {
	case len(rel) == 0 || string(rel) == "null":
	case rel[0] == '"':
		_ = json.Unmarshal(rel, &ev.Release)
	case rel[0] == '{':
		var r releaseJSON
		if json.Unmarshal(rel, &r) == nil {
			ev.Release = r.Version
			if r.LastCommit != nil && r.LastCommit.ID != "" {
				c := r.LastCommit.commit()
				ev.LastCommit = &c
			}
		}
	}
	if ev.Release == "" {
		ev.Release = ev.Tag("release")
	}
	ev.Environment = ev.Tag("environment")
	return ev, nil
}
