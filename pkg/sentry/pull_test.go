package sentry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

// TestPullRequestCounts pulls issues of every kind from the double and
// counts the requests that reached it.
func TestPullRequestCounts(t *testing.T) {
	d := newDouble(t)
	url := func(id string) string { return d.srv.URL() + "/organizations/acme/issues/" + id + "/?project=1" }
	tests := []struct {
		name       string
		ref        string
		event      string
		wantSource CommitSource
		wantCommit string
		// wantPaths are the request paths, in order, with ISSUE for the
		// issue id.
		wantPaths []string
		issue     string
	}{
		{"URL, release without hash", url(d.commits.ID), "", SourceReleaseCommits, d.heads["acme/checkout-api"],
			[]string{"events/recommended", "issue", "commits", "commits", "commits"}, d.commits.ID},
		{"short id, release without hash", d.commits.ShortID, "", SourceReleaseCommits, d.heads["acme/checkout-api"],
			[]string{"shortid", "events/recommended", "commits", "commits", "commits"}, d.commits.ID},
		{"URL, hash in version", url(d.hash.ID), "", SourceVersionHash, "9f3c2a1",
			[]string{"events/recommended", "issue"}, d.hash.ID},
		{"short id, hash in version", d.hash.ShortID, "latest", SourceVersionHash, "9f3c2a1",
			[]string{"shortid", "events/latest"}, d.hash.ID},
		// The legacy sentry.io/ORG/PROJECT/issues/ID/ names the project: no
		// issue lookup. (Its ref points at sentry.io; the client is the double.)
		{"legacy URL with the project", "https://sentry.io/acme/checkout/issues/" + d.hash.ID + "/", "", SourceVersionHash, "9f3c2a1",
			[]string{"events/recommended"}, d.hash.ID},
		{"URL naming an event", url(d.commits.ID)[:len(url(d.commits.ID))-len("?project=1")] + "events/" + d.events[d.commits.ID][0].ID + "/", "",
			SourceReleaseCommits, d.heads["acme/checkout-api"],
			[]string{"events/" + d.events[d.commits.ID][0].ID, "issue", "commits", "commits", "commits"}, d.commits.ID},
		{"no release", d.none.ShortID, "", SourceNone, "", []string{"shortid", "events/recommended"}, d.none.ID},
		{"release Sentry does not know", d.unknown.ShortID, "", SourceNone, "", []string{"shortid", "events/recommended", "commits"}, d.unknown.ID},
		{"release without commits", d.empty.ID, "oldest", SourceNone, "", []string{"events/oldest", "issue", "commits"}, d.empty.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := ParseIssueRef(tt.ref, "acme")
			if err != nil {
				t.Fatal(err)
			}
			c := d.client(t, readAll, nil)
			d.srv.ResetRequests()
			p, err := Pull(context.Background(), c, ref, tt.event)
			if err != nil {
				t.Fatalf("Pull: %v", err)
			}
			var got []string
			for _, r := range d.srv.Requests() {
				got = append(got, shortPath(r.Path, tt.issue))
			}
			if strings.Join(got, " ") != strings.Join(tt.wantPaths, " ") {
				t.Errorf("requests: got %v, want %v", got, tt.wantPaths)
			}
			if p.Requests != len(got) {
				t.Errorf("Pulled.Requests = %d, but %d requests reached the server", p.Requests, len(got))
			}
			if p.CommitSource != tt.wantSource || p.Commit != tt.wantCommit {
				t.Errorf("got commit %q from %s (%s), want %q from %s", p.Commit, p.CommitSource, p.CommitNote, tt.wantCommit, tt.wantSource)
			}
			// Without an issue lookup (the legacy URL) the short id is unknown.
			wantShort := len(got) > 1 || ref.ShortID != ""
			if p.ProjectSlug != "checkout" || p.IssueID != tt.issue || p.Org != "acme" || (p.ShortID != "") != wantShort || p.Title == "" {
				t.Errorf("got org %q issue %q short id %q project %q title %q", p.Org, p.IssueID, p.ShortID, p.ProjectSlug, p.Title)
			}
			if p.EventTime.IsZero() || p.EventID == "" || len(p.Event) == 0 {
				t.Errorf("got event fields id %q time %v, %d bytes", p.EventID, p.EventTime, len(p.Event))
			}
			if tt.wantSource == SourceNone && p.CommitNote == "" {
				t.Error("no commit, and no note saying why")
			}
			t.Logf("%s: %d requests (%s)", tt.name, len(got), strings.Join(got, ", "))
		})
	}
}

// shortPath names a request path: shortid, issue, events/X, commits.
func shortPath(p, issue string) string {
	switch {
	case strings.Contains(p, "/shortids/"):
		return "shortid"
	case strings.Contains(p, "/commits/"):
		return "commits"
	case strings.Contains(p, "/events/"):
		_, ev, _ := strings.Cut(p, "/events/")
		return "events/" + strings.TrimSuffix(ev, "/")
	case strings.HasSuffix(p, "/issues/"+issue+"/"):
		return "issue"
	}
	return p
}

func TestPullDetails(t *testing.T) {
	d := newDouble(t)
	ctx := context.Background()
	c := d.client(t, readAll, nil)

	ref, _ := ParseIssueRef(d.commits.ShortID, "acme")
	p, err := Pull(ctx, c, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	want := d.events[d.commits.ID][1]
	if p.EventID != want.ID || !p.EventTime.Equal(want.Time) || p.Release != "checkout@2.0.0" || p.Platform != "python" {
		t.Errorf("got event %s at %v release %q, want %s at %v", p.EventID, p.EventTime, p.Release, want.ID, want.Time)
	}
	if len(p.Commits) != 250 || p.CommitsTruncated || p.CommitRepository != "acme/checkout-api" {
		t.Errorf("got %d commits (truncated %v) from %q", len(p.Commits), p.CommitsTruncated, p.CommitRepository)
	}
	for repo, head := range d.heads {
		if got := p.HeadCommit(strings.ToUpper(repo)); got != head {
			t.Errorf("HeadCommit(%s) = %q, want %q", repo, got, head)
		}
	}
	if p.HeadCommit("") != p.Commit || p.HeadCommit("acme/other") != "" {
		t.Error("HeadCommit: want Commit for \"\" and nothing for an unknown repository")
	}
	// The event JSON is what pkg/signal reads.
	sigs, err := signal.Parse("sentry "+p.ShortID, p.Event)
	if err != nil || len(sigs) != 1 || len(sigs[0].Frames) != 2 || sigs[0].Frames[0].File != "/srv/app/cart.py" || sigs[0].Frames[0].Line != 4 {
		t.Errorf("signal.Parse of the pulled event: got %+v, %v", sigs, err)
	}
	if sigs[0].Timestamp == nil || !sigs[0].Timestamp.Equal(p.EventTime) {
		t.Errorf("signal time %v, pulled time %v: want the same", sigs[0].Timestamp, p.EventTime)
	}

	bounded := d.client(t, readAll, func(o *Options) { o.MaxCommitPages = 1 })
	p, err = Pull(ctx, bounded, ref, "oldest")
	if err != nil || len(p.Commits) != 100 || !p.CommitsTruncated || p.Requests != 3 {
		t.Errorf("one page at most: got %d commits, truncated %v, %d requests, %v", len(p.Commits), p.CommitsTruncated, p.Requests, err)
	}

	// A token without a release scope: the event still comes, the commits do
	// not, and the note says which scope is missing.
	ev := d.client(t, eventsOnly, nil)
	p, err = Pull(ctx, ev, ref, "")
	if err != nil {
		t.Fatalf("Pull with an events-only token: %v", err)
	}
	if p.CommitSource != SourceNone || !errors.Is(p.ReleaseErr, ErrForbidden) || !strings.Contains(p.CommitNote, "project:read") {
		t.Errorf("got source %s, err %v, note %q", p.CommitSource, p.ReleaseErr, p.CommitNote)
	}
	unknownRef, _ := ParseIssueRef(d.unknown.ShortID, "acme")
	p, err = Pull(ctx, c, unknownRef, "")
	if err != nil || !errors.Is(p.ReleaseErr, ErrNotFound) || !strings.Contains(p.CommitNote, `does not know release "checkout@nightly"`) {
		t.Errorf("unknown release: got %v, note %q, %v", p.ReleaseErr, p.CommitNote, err)
	}
}

func TestPullFailures(t *testing.T) {
	d := newDouble(t)
	ctx := context.Background()
	tests := []struct {
		name, ref, token, event string
		status                  int
		hint                    string
	}{
		{"unknown issue", "4999", readAll, "", 404, "another organization"},
		{"unknown short id", "CHECKOUT-ZZZ", readAll, "", 404, "CHECKOUT-ZZZ"},
		{"unknown event", d.commits.ID, readAll, strings.Repeat("b", 32), 404, "retention"},
		{"bad token", d.commits.ID, "sntryu_nope", "", 401, "sigsentry auth sentry"},
		{"org token", d.commits.ShortID, orgToken, "", 403, "organization tokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := ParseIssueRef(tt.ref, "acme")
			if err != nil {
				t.Fatal(err)
			}
			d.srv.ResetRequests()
			_, err = Pull(ctx, d.client(t, tt.token, nil), ref, tt.event)
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || !strings.Contains(ae.Hint(), tt.hint) {
				t.Fatalf("got %v (hint %q), want HTTP %d saying %q", err, hintOf(err), tt.status, tt.hint)
			}
			if n := len(d.srv.Requests()); n != 1 {
				t.Errorf("a failed pull made %d requests, want 1", n)
			}
		})
	}
	if _, err := Pull(ctx, d.client(t, readAll, nil), IssueRef{Org: "acme"}, ""); err == nil {
		t.Error("Pull without an issue: got no error")
	}
	if _, err := Pull(ctx, d.client(t, readAll, nil), IssueRef{Org: "acme", IssueID: "1"}, "newest"); err == nil {
		t.Error("Pull with a bad event name: got no error")
	}
}

func hintOf(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Hint()
	}
	return fmt.Sprint(nil)
}
