package sentry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

const (
	readAll    = "sntryu_read-all-0123456789abcdef"
	eventsOnly = "sntryu_events-only-0123456789"
	orgToken   = "sntrys_org-ci-0123456789abcdef"
)

// double is a Sentry double with issues covering every path of Pull.
type double struct {
	srv *sentrytest.Server
	// commits: the release with 250 commits in two repositories.
	commits, hash, none, unknown, empty sentrytest.Issue
	events                              map[string][]sentrytest.Event
	base                                time.Time
	heads                               map[string]string // newest commit per repository
}

func crash(file, fn string, line int) []sentrytest.Exception {
	return []sentrytest.Exception{{Type: "ZeroDivisionError", Value: "division by zero", Frames: []sentrytest.Frame{
		{Filename: "app/main.py", AbsPath: "/srv/app/main.py", Function: "main", Line: 10, InApp: true},
		{Filename: file, AbsPath: "/srv/" + file, Function: fn, Line: line, InApp: true},
	}}}
}

func newDouble(t testing.TB) *double {
	t.Helper()
	srv := sentrytest.NewServer(sentrytest.Options{})
	t.Cleanup(srv.Close)
	srv.AddToken(readAll, sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	srv.AddToken(eventsOnly, sentrytest.Token{Scopes: []string{"event:read"}})
	srv.AddToken(orgToken, sentrytest.Token{Scopes: []string{"org:ci"}, Orgs: []string{"acme"}})
	srv.AddProject(sentrytest.Project{Org: "acme", Slug: "checkout", Platform: "python"})
	d := &double{srv: srv, events: map[string][]sentrytest.Event{}, base: time.Now().Add(-72 * time.Hour).UTC().Truncate(time.Second),
		heads: map[string]string{}}
	var commits []sentrytest.Commit
	for i := range 250 {
		repo := "acme/checkout-api"
		if i%10 == 3 {
			repo = "acme/shared-lib"
		}
		sha := fmt.Sprintf("%040x", 0xc0ffee000+i)
		commits = append(commits, sentrytest.Commit{SHA: sha, Repository: repo, Message: fmt.Sprintf("change %d", i),
			Time: d.base.Add(time.Duration(i) * time.Minute)})
		d.heads[repo] = sha // the last one written is the newest
	}
	srv.AddRelease(sentrytest.Release{Org: "acme", Version: "checkout@2.0.0", Projects: []string{"checkout"}, Commits: commits})
	add := func(title string, evs ...sentrytest.Event) sentrytest.Issue {
		is, out := srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "checkout", Title: title}, evs...)
		d.events[is.ID] = out
		return is
	}
	d.commits = add("commits",
		sentrytest.Event{Time: d.base.Add(5 * time.Hour), Release: "checkout@2.0.0", Exceptions: crash("app/cart.py", "total", 3)},
		sentrytest.Event{Time: d.base.Add(6 * time.Hour), Release: "checkout@2.0.0", Exceptions: crash("app/cart.py", "total", 4)},
	)
	d.hash = add("hash", sentrytest.Event{Time: d.base.Add(7 * time.Hour), Release: "checkout@2.1.0+9f3c2a1", Exceptions: crash("app/tax.py", "rate", 8)})
	d.none = add("none", sentrytest.Event{Time: d.base.Add(8 * time.Hour), Exceptions: crash("app/tax.py", "rate", 9)})
	d.unknown = add("unknown", sentrytest.Event{Time: d.base.Add(9 * time.Hour), Release: "checkout@nightly", ReleaseTagOnly: true,
		Exceptions: crash("app/tax.py", "rate", 10)})
	d.empty = add("empty", sentrytest.Event{Time: d.base.Add(10 * time.Hour), Release: "checkout@2.2.0", Exceptions: crash("app/tax.py", "rate", 11)})
	return d
}

func (d *double) client(t testing.TB, token string, mod func(*Options)) *Client {
	t.Helper()
	fs := &fakeSleep{}
	opts := Options{BaseURL: d.srv.URL(), Token: token, Sleep: fs.Sleep}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientCallsAgainstDouble(t *testing.T) {
	d := newDouble(t)
	c := d.client(t, readAll, nil)
	ctx := context.Background()

	is, err := c.Issue(ctx, "acme", d.commits.ID)
	if err != nil || is.ShortID != d.commits.ShortID || is.Project.Slug != "checkout" || is.Title != "commits" ||
		is.FirstRelease != "checkout@2.0.0" || is.FirstSeen.IsZero() {
		t.Errorf("Issue: got %+v, %v", is, err)
	}
	look, err := c.ResolveShortID(ctx, "acme", d.hash.ShortID)
	if err != nil || look.GroupID != d.hash.ID || look.ProjectSlug != "checkout" || look.Issue.ShortID != d.hash.ShortID {
		t.Errorf("ResolveShortID: got %+v, %v", look, err)
	}
	for which, want := range map[string]sentrytest.Event{"latest": d.events[d.commits.ID][1], "oldest": d.events[d.commits.ID][0],
		"": d.events[d.commits.ID][1], d.events[d.commits.ID][0].ID: d.events[d.commits.ID][0]} {
		ev, err := c.IssueEvent(ctx, "acme", d.commits.ID, which)
		if err != nil || ev.ID != want.ID || !ev.DateCreated.Equal(want.Time) || ev.Release != "checkout@2.0.0" ||
			ev.GroupID != d.commits.ID || ev.ProjectID == "" || ev.Platform != "python" || ev.Environment != "production" {
			t.Errorf("IssueEvent(%q): got %+v, %v", which, ev, err)
			continue
		}
		if ev.LastCommit == nil || ev.LastCommit.ID != fmt.Sprintf("%040x", 0xc0ffee000+249) || ev.LastCommit.Repository != "acme/checkout-api" {
			t.Errorf("IssueEvent(%q): got lastCommit %+v, want the release's newest", which, ev.LastCommit)
		}
		if !strings.Contains(string(ev.Raw), `"entries"`) {
			t.Errorf("IssueEvent(%q): Raw is not the event JSON", which)
		}
	}
	tagOnly, err := c.IssueEvent(ctx, "acme", d.unknown.ID, "latest")
	if err != nil || tagOnly.Release != "checkout@nightly" || tagOnly.LastCommit != nil {
		t.Errorf("IssueEvent with the release in its tag only: got %+v, %v", tagOnly, err)
	}
	byID, err := c.ResolveEventID(ctx, "acme", d.events[d.hash.ID][0].ID)
	if err != nil || byID.GroupID != d.hash.ID || byID.ProjectSlug != "checkout" || byID.Event == nil || byID.Event.ProjectSlug != "checkout" {
		t.Errorf("ResolveEventID: got %+v, %v", byID, err)
	}
	rel, err := c.Release(ctx, "acme", "checkout@2.0.0")
	if err != nil || rel.CommitCount != 250 || rel.LastCommit == nil || len(rel.Projects) != 1 || rel.Projects[0].Slug != "checkout" {
		t.Errorf("Release: got %+v, %v", rel, err)
	}
	d.srv.ResetRequests()
	commits, more, err := c.ReleaseCommits(ctx, "acme", "checkout@2.0.0")
	if err != nil || len(commits) != 250 || more {
		t.Fatalf("ReleaseCommits: got %d commits, more %v, %v", len(commits), more, err)
	}
	if n := d.srv.CountRequests("/api/0/organizations/acme/releases/"); n != 3 {
		t.Errorf("ReleaseCommits: %d requests, want 3 pages of 100", n)
	}
	if commits[0].ID != d.heads["acme/checkout-api"] || commits[0].Repository != "acme/checkout-api" {
		t.Errorf("ReleaseCommits: first is %+v, want the newest", commits[0])
	}
	for i := 1; i < len(commits); i++ {
		if commits[i].DateCreated.After(commits[i-1].DateCreated) {
			t.Fatalf("ReleaseCommits: not newest first at %d", i)
		}
	}
	repos, err := c.Repos(ctx, "acme")
	if err != nil || len(repos) != 2 || repos[0].Provider != "Bitbucket" {
		t.Errorf("Repos: got %+v, %v", repos, err)
	}

	bounded := d.client(t, readAll, func(o *Options) { o.MaxCommitPages = 2 })
	commits, more, err = bounded.ReleaseCommits(ctx, "acme", "checkout@2.0.0")
	if err != nil || len(commits) != 200 || !more {
		t.Errorf("ReleaseCommits with 2 pages at most: got %d, more %v, %v; want 200 and more", len(commits), more, err)
	}
	empty, more, err := c.ReleaseCommits(ctx, "acme", "checkout@2.2.0")
	if err != nil || len(empty) != 0 || more {
		t.Errorf("ReleaseCommits of a release without commits: got %v, %v, %v", empty, more, err)
	}
}

func TestClientErrorsAgainstDouble(t *testing.T) {
	d := newDouble(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		token   string
		call    func(c *Client) error
		status  int
		hint    string
		errText string
	}{
		{"bad token", "sntryu_wrong", func(c *Client) error { _, err := c.Issue(ctx, "acme", d.commits.ID); return err }, 401, "sigsentry auth sentry", "Invalid token"},
		{"no token", "", func(c *Client) error { _, err := c.Issue(ctx, "acme", d.commits.ID); return err }, 401, "SENTRY_AUTH_TOKEN", "credentials were not provided"},
		{"unknown issue", readAll, func(c *Client) error { _, err := c.Issue(ctx, "acme", "1"); return err }, 404, "another organization", "issue 1"},
		{"unknown short id", readAll, func(c *Client) error { _, err := c.ResolveShortID(ctx, "acme", "CHECKOUT-ZZZ"); return err }, 404, "CHECKOUT-ZZZ", ""},
		{"unknown org", readAll, func(c *Client) error { _, err := c.IssueEvent(ctx, "nope", d.commits.ID, ""); return err }, 404, "organization nope", ""},
		{"unknown event", readAll, func(c *Client) error {
			_, err := c.IssueEvent(ctx, "acme", d.commits.ID, strings.Repeat("a", 32))
			return err
		}, 404, "retention", ""},
		{"unknown release", readAll, func(c *Client) error { _, _, err := c.ReleaseCommits(ctx, "acme", "checkout@nightly"); return err }, 404, `does not know release "checkout@nightly"`, ""},
		{"events-only token on releases", eventsOnly, func(c *Client) error { _, _, err := c.ReleaseCommits(ctx, "acme", "checkout@2.0.0"); return err }, 403, "project:read or project:releases", ""},
		{"org token on issues", orgToken, func(c *Client) error { _, err := c.Issue(ctx, "acme", d.commits.ID); return err }, 403, "organization tokens", ""},
		{"events-only token on repos", eventsOnly, func(c *Client) error { _, err := c.Repos(ctx, "acme"); return err }, 403, "org:read", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(d.client(t, tt.token, nil))
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status {
				t.Fatalf("got %v, want an APIError with status %d", err, tt.status)
			}
			if !strings.Contains(ae.Hint(), tt.hint) {
				t.Errorf("got hint %q, want it to say %q", ae.Hint(), tt.hint)
			}
			if !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("got %q, want it to say %q", err, tt.errText)
			}
		})
	}
	c := d.client(t, readAll, nil)
	for name, err := range map[string]error{
		"empty org":        func() error { _, err := c.Issue(ctx, "", "1"); return err }(),
		"bad event":        func() error { _, err := c.IssueEvent(ctx, "acme", "1", "../repos"); return err }(),
		"bad event id":     func() error { _, err := c.ResolveEventID(ctx, "acme", "latest"); return err }(),
		"empty version":    func() error { _, _, err := c.ReleaseCommits(ctx, "acme", " "); return err }(),
		"empty short id":   func() error { _, err := c.ResolveShortID(ctx, "acme", ""); return err }(),
		"empty repos org":  func() error { _, err := c.Repos(ctx, ""); return err }(),
		"empty release id": func() error { _, err := c.Release(ctx, "acme", ""); return err }(),
	} {
		if err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
	if n := len(d.srv.Requests()); n != len(tests) {
		t.Errorf("invalid arguments reached the server: %d requests, want %d", n, len(tests))
	}
}

func TestNextCursor(t *testing.T) {
	tests := []struct {
		link, want string
		ok         bool
	}{
		{`<https://sentry.io/api/0/organizations/acme/releases/x/commits/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ` +
			`<https://sentry.io/api/0/organizations/acme/releases/x/commits/?&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"`, "0:100:0", true},
		{`<https://sentry.io/x/?&cursor=0:100:0>; rel="next"; results="false"; cursor="0:100:0"`, "", false},
		{`<https://sentry.io/x/?a=1,2&cursor=1700:5:0>; rel="next"; results="true"`, "1700:5:0", true},
		{`<https://sentry.io/x/>; rel=next; results=true; cursor=abc`, "abc", true},
		{`<https://sentry.io/x/>; REL="Next"; results="true"; cursor="a;b,c"`, "a;b,c", true},
		{`<https://sentry.io/x/>; rel="previous"; results="true"; cursor="0:0:1"`, "", false},
		{``, "", false},
		{`garbage`, "", false},
		{`<https://sentry.io/x/>; rel="next"; results="true"`, "", false},
		{`<unterminated; rel="next"`, "", false},
	}
	for _, tt := range tests {
		got, ok := NextCursor(tt.link)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NextCursor(%q) = %q, %v; want %q, %v", tt.link, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzNextCursor(f *testing.F) {
	f.Add(`<https://sentry.io/x/?&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"`)
	f.Add(`<a>; rel="previous"; results="false"; cursor="0:0:1", <b>; rel="next"; results="true"; cursor="0:1:0"`)
	f.Add(`<a>;;;=;rel="next"`)
	f.Add(`<<>>; rel="next"; cursor="`)
	f.Fuzz(func(t *testing.T, link string) {
		cur, ok := NextCursor(link)
		if ok && (cur == "" || len(cur) > 512) {
			t.Fatalf("NextCursor(%q) = %q, true: want a cursor of 1 to 512 bytes", link, cur)
		}
		if !ok && cur != "" {
			t.Fatalf("NextCursor(%q) = %q, false", link, cur)
		}
		if len(parseLinks(link)) > 16 {
			t.Fatalf("parseLinks(%q) returned more than 16 links", link)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"eventID":"abc","release":{"version":"a@1","lastCommit":{"id":"x","repository":{"name":"r"}}},"tags":[{"key":"release","value":"b"}],"dateCreated":"2024-01-01T00:00:00.123Z"}`))
	f.Add([]byte(`{"release":"a@1","tags":[["environment","prod"]],"dateCreated":1700000000.5}`))
	f.Add([]byte(`{"tags":{"release":"x"},"projectID":42,"title":7}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := parseEvent(data)
		if err != nil {
			return
		}
		if string(ev.Raw) != string(data) {
			t.Fatalf("Raw is not the input")
		}
		if ev.Release == "" && ev.Tag("release") != "" {
			t.Fatalf("release tag %q ignored", ev.Tag("release"))
		}
		p, err := FromEvent(data)
		if err != nil {
			t.Fatalf("FromEvent failed where parseEvent did not: %v", err)
		}
		if p.Release != ev.Release || (p.Commit == "") != (p.CommitSource == SourceNone) || (p.CommitSource == SourceNone) == (p.CommitNote == "") {
			t.Fatalf("FromEvent: release %q commit %q source %s note %q", p.Release, p.Commit, p.CommitSource, p.CommitNote)
		}
	})
}

func TestFromEvent(t *testing.T) {
	for _, tc := range []struct {
		name, event, release, commit string
		source                       CommitSource
		note                         string
	}{
		{"SDK payload", `{"event_id":"e1","release":"shop@1.4.2+9f3c2a1b","exception":{"values":[]}}`, "shop@1.4.2+9f3c2a1b", "9f3c2a1b", SourceVersionHash, ""},
		{"REST, last commit", `{"eventID":"e2","release":{"version":"shop@1.4.2","lastCommit":{"id":"0123456789abcdef0123456789abcdef01234567","repository":{"name":"acme/shop"}}}}`,
			"shop@1.4.2", "0123456789abcdef0123456789abcdef01234567", SourceLastCommit, ""},
		{"REST, hash beats last commit", `{"release":{"version":"abcdef1234","lastCommit":{"id":"0123456789abcdef0123456789abcdef01234567"}}}`, "abcdef1234", "abcdef1234", SourceVersionHash, ""},
		{"release tag only", `{"tags":[["release","shop@2.0"]]}`, "shop@2.0", "", SourceNone, "no commit hash"},
		{"no release", `{"exception":{"values":[]}}`, "", "", SourceNone, "names no release"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := FromEvent([]byte(tc.event))
			if err != nil {
				t.Fatal(err)
			}
			if p.Release != tc.release || p.Commit != tc.commit || p.CommitSource != tc.source || !strings.Contains(p.CommitNote, tc.note) {
				t.Errorf("got release %q commit %q source %s note %q", p.Release, p.Commit, p.CommitSource, p.CommitNote)
			}
		})
	}
	if _, err := FromEvent([]byte(`[{"release":"a"}]`)); err == nil {
		t.Error("an array: want an error")
	}
}
