package sentry

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// DefaultMaxCommitPages bounds the pages of release commits (100 commits a
// page) and of repositories read: the commit to analyze is the newest of
// its repository, which comes first, so later pages rarely matter.
const DefaultMaxCommitPages = 10

// getJSON GETs u and decodes a JSON body into v.
func (c *Client) getJSON(ctx context.Context, u string, what target, v any) (*response, error) {
	r, err := c.get(ctx, u, what)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return r, fmt.Errorf("decoding the answer of GET %s: %w", redactURLString(u), err)
	}
	return r, nil
}

func needAll(what string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("%s: the %s is empty", what, pairs[i])
		}
	}
	return nil
}

// Issue returns one issue (GET /organizations/{org}/issues/{id}/); id is
// its numeric id. Needs event:read.
func (c *Client) Issue(ctx context.Context, org, id string) (*Issue, error) {
	if err := needAll("getting a Sentry issue", "organization", org, "issue id", id); err != nil {
		return nil, err
	}
	var j issueJSON
	u := c.endpoint([]string{"organizations", org, "issues", id})
	if _, err := c.getJSON(ctx, u, target{ResourceIssue, org, id}, &j); err != nil {
		return nil, fmt.Errorf("getting Sentry issue %s in %s: %w", id, org, err)
	}
	is := j.issue()
	return &is, nil
}

// ResolveShortID finds an issue by its short id (GET
// /organizations/{org}/shortids/{short_id}/), with its project. Needs
// event:read.
func (c *Client) ResolveShortID(ctx context.Context, org, shortID string) (*ShortIDLookup, error) {
	if err := needAll("resolving a Sentry short id", "organization", org, "short id", shortID); err != nil {
		return nil, err
	}
	var j struct {
		OrganizationSlug string     `json:"organizationSlug"`
		ProjectSlug      string     `json:"projectSlug"`
		GroupID          flexString `json:"groupId"`
		ShortID          string     `json:"shortId"`
		Group            issueJSON  `json:"group"`
	}
	u := c.endpoint([]string{"organizations", org, "shortids", shortID})
	if _, err := c.getJSON(ctx, u, target{ResourceShortID, org, shortID}, &j); err != nil {
		return nil, fmt.Errorf("resolving Sentry short id %s in %s: %w", shortID, org, err)
	}
	out := &ShortIDLookup{OrganizationSlug: j.OrganizationSlug, ProjectSlug: j.ProjectSlug, GroupID: string(j.GroupID),
		ShortID: j.ShortID, Issue: j.Group.issue()}
	if out.GroupID == "" {
		out.GroupID = out.Issue.ID
	}
	if out.ProjectSlug == "" {
		out.ProjectSlug = out.Issue.Project.Slug
	}
	if out.GroupID == "" {
		return nil, fmt.Errorf("resolving Sentry short id %s in %s: the answer names no issue id", shortID, org)
	}
	return out, nil
}

// IssueEvent returns one event of an issue (GET
// /organizations/{org}/issues/{id}/events/{event}/), where event is
// recommended, latest, oldest or an event id. Event.Raw holds the JSON as
// sent. Needs event:read.
func (c *Client) IssueEvent(ctx context.Context, org, issueID, event string) (*Event, error) {
	if err := needAll("getting a Sentry event", "organization", org, "issue id", issueID); err != nil {
		return nil, err
	}
	if event == "" {
		event = EventRecommended
	}
	ev, err := NormalizeEventID(event)
	if err != nil {
		return nil, fmt.Errorf("getting an event of Sentry issue %s: %w", issueID, err)
	}
	u := c.endpoint([]string{"organizations", org, "issues", issueID, "events", ev})
	r, err := c.get(ctx, u, target{ResourceEvent, org, "the " + ev + " event of issue " + issueID})
	if err != nil {
		return nil, fmt.Errorf("getting the %s event of Sentry issue %s in %s: %w", ev, issueID, org, err)
	}
	out, err := parseEvent(r.body)
	if err != nil {
		return nil, fmt.Errorf("decoding the %s event of Sentry issue %s: %w", ev, issueID, err)
	}
	return out, nil
}

// EventIDLookup is what /eventids/ answers: where an event lives.
type EventIDLookup struct {
	OrganizationSlug, ProjectSlug, GroupID, EventID string
	Event                                           *Event
}

// ResolveEventID finds an event by its id alone (GET
// /organizations/{org}/eventids/{event_id}/). Needs org:read.
func (c *Client) ResolveEventID(ctx context.Context, org, eventID string) (*EventIDLookup, error) {
	if err := needAll("resolving a Sentry event id", "organization", org, "event id", eventID); err != nil {
		return nil, err
	}
	ev, err := NormalizeEventID(eventID)
	if err != nil || !hexID.MatchString(ev) {
		return nil, fmt.Errorf("resolving Sentry event %q: want an event id (32 hex digits)", clip(eventID))
	}
	var j struct {
		OrganizationSlug string          `json:"organizationSlug"`
		ProjectSlug      string          `json:"projectSlug"`
		GroupID          flexString      `json:"groupId"`
		EventID          string          `json:"eventId"`
		Event            json.RawMessage `json:"event"`
	}
	u := c.endpoint([]string{"organizations", org, "eventids", ev})
	if _, err := c.getJSON(ctx, u, target{ResourceEvent, org, "event " + ev}, &j); err != nil {
		return nil, fmt.Errorf("resolving Sentry event %s in %s: %w", ev, org, err)
	}
	out := &EventIDLookup{OrganizationSlug: j.OrganizationSlug, ProjectSlug: j.ProjectSlug, GroupID: string(j.GroupID), EventID: j.EventID}
	if len(j.Event) > 0 && string(j.Event) != "null" {
		e, err := parseEvent(j.Event)
		if err != nil {
			return nil, fmt.Errorf("decoding Sentry event %s: %w", ev, err)
		}
		if e.ProjectSlug == "" {
			e.ProjectSlug = out.ProjectSlug
		}
		out.Event = e
	}
	return out, nil
}

// Release returns a release (GET /organizations/{org}/releases/{version}/).
// Needs project:read or project:releases.
func (c *Client) Release(ctx context.Context, org, version string) (*Release, error) {
	if err := needAll("getting a Sentry release", "organization", org, "release version", version); err != nil {
		return nil, err
	}
	var j releaseJSON
	u := c.endpoint([]string{"organizations", org, "releases", version})
	if _, err := c.getJSON(ctx, u, target{ResourceRelease, org, version}, &j); err != nil {
		return nil, fmt.Errorf("getting Sentry release %q in %s: %w", version, org, err)
	}
	return j.release(), nil
}

// ReleaseCommits lists a release's commits (GET
// /organizations/{org}/releases/{version}/commits/), newest first as Sentry
// stores them, following Link cursors until results="false" or
// Options.MaxCommitPages pages; more is true when pages were left unread.
// An empty list means the release was not linked to commits. Needs
// project:read or project:releases.
func (c *Client) ReleaseCommits(ctx context.Context, org, version string) (commits []Commit, more bool, err error) {
	if err := needAll("listing a Sentry release's commits", "organization", org, "release version", version); err != nil {
		return nil, false, err
	}
	commits, _, more, err = c.releaseCommits(ctx, org, version)
	return commits, more, err
}

// releaseCommits is ReleaseCommits that also says how many pages it read.
func (c *Client) releaseCommits(ctx context.Context, org, version string) (commits []Commit, read int, more bool, err error) {
	segs := []string{"organizations", org, "releases", version, "commits"}
	read, more, err = pages(ctx, c, segs, target{ResourceReleaseCommits, org, version}, func(page []commitJSON) {
		for _, cj := range page {
			if cj.ID != "" {
				commits = append(commits, cj.commit())
			}
		}
	})
	if err != nil {
		return nil, read, false, fmt.Errorf("listing the commits of Sentry release %q in %s: %w", version, org, err)
	}
	return commits, read, more, nil
}

// Repos lists the repositories Sentry knows in the organization (GET
// /organizations/{org}/repos/), up to Options.MaxCommitPages pages. Needs
// org:read.
func (c *Client) Repos(ctx context.Context, org string) ([]Repository, error) {
	if err := needAll("listing Sentry repositories", "organization", org); err != nil {
		return nil, err
	}
	var out []Repository
	_, _, err := pages(ctx, c, []string{"organizations", org, "repos"}, target{ResourceRepos, org, ""}, func(page []repoJSON) {
		for _, r := range page {
			out = append(out, r.repository())
		}
	})
	if err != nil {
		return nil, fmt.Errorf("listing the repositories of Sentry organization %s: %w", org, err)
	}
	return out, nil
}

// pages GETs a list endpoint and its next pages. The next page is always
// asked of the client's own base URL with the cursor from the Link header,
// so a link naming another host (a self-hosted Sentry behind a proxy often
// sends its internal address) is neither followed nor trusted with the
// token. It stops at results="false", a missing or repeated cursor, or the
// page bound, and reports how many pages it read and whether some were left.
func pages[T any](ctx context.Context, c *Client, segs []string, what target, fn func([]T)) (read int, more bool, err error) {
	limit := c.opts.MaxCommitPages
	if limit <= 0 {
		limit = DefaultMaxCommitPages
	}
	seen := map[string]bool{}
	cursor := ""
	for n := 0; ; n++ {
		u := c.endpoint(segs)
		if cursor != "" {
			u = c.endpoint(segs, "cursor", cursor)
		}
		var page []T
		r, err := c.getJSON(ctx, u, what, &page)
		if err != nil {
			return n, false, err
		}
		fn(page)
		next, ok := NextCursor(r.header.Get("Link"))
		if !ok || seen[next] {
			return n + 1, false, nil
		}
		if n+1 >= limit {
			return n + 1, true, nil
		}
		seen[next] = true
		cursor = next
	}
}

// NextCursor reads a Link header as Sentry sends it, `<url>; rel="next";
// results="true"; cursor="0:100:0"`, and returns the next page's cursor
// when there are more results. The cursor is taken from the cursor
// parameter, else from the link URL's cursor query.
func NextCursor(link string) (string, bool) {
	for _, l := range parseLinks(link) {
		if !strings.EqualFold(l.params["rel"], "next") {
			continue
		}
		if strings.EqualFold(l.params["results"], "false") {
			return "", false
		}
		cur := l.params["cursor"]
		if cur == "" {
			if u, err := url.Parse(l.url); err == nil {
				cur = u.Query().Get("cursor")
			}
		}
		if cur == "" || len(cur) > 512 {
			return "", false
		}
		return cur, true
	}
	return "", false
}

type linkValue struct {
	url    string
	params map[string]string
}

// parseLinks splits an RFC 8288 Link header into links. It scans for <...>
// so commas inside URLs or quoted values do not split a link.
func parseLinks(h string) []linkValue {
	var out []linkValue
	for len(out) < 16 {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		l := linkValue{url: h[i+1 : i+j], params: map[string]string{}}
		h = h[i+j+1:]
		for {
			h = strings.TrimLeft(h, " \t")
			if !strings.HasPrefix(h, ";") {
				break
			}
			h = strings.TrimLeft(h[1:], " \t")
			k := 0
			for k < len(h) && h[k] != '=' && h[k] != ';' && h[k] != ',' && h[k] != ' ' {
				k++
			}
			name := strings.ToLower(h[:k])
			h = strings.TrimLeft(h[k:], " \t")
			val := ""
			if strings.HasPrefix(h, "=") {
				h = strings.TrimLeft(h[1:], " \t")
				if strings.HasPrefix(h, `"`) {
					end := strings.IndexByte(h[1:], '"')
					if end < 0 {
						val, h = h[1:], ""
					} else {
						val, h = h[1:1+end], h[2+end:]
					}
				} else {
					k := 0
					for k < len(h) && h[k] != ';' && h[k] != ',' && h[k] != ' ' {
						k++
					}
					val, h = h[:k], h[k:]
				}
			}
			if name != "" {
				if _, dup := l.params[name]; !dup {
					l.params[name] = val
				}
			}
		}
		out = append(out, l)
	}
	return out
}
