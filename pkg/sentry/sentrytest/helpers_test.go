package sentrytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	readToken    = "sntryu_read-all-0123456789abcdef"
	eventsOnly   = "sntryu_events-only-0123456789"
	otherOrgTok  = "sntryu_other-org-0123456789"
	expiredToken = "sntryu_expired-0123456789"
)

// fixture is a server with one organization, acme, a Python project
// "checkout" with an issue of three events, a Go project "ingest" with a
// native-ish issue, and releases with and without commits.
type fixture struct {
	srv     *Server
	issue   Issue
	events  []Event
	message Issue // an issue whose only event has no stack trace
	tagOnly Issue // an issue whose event names an unknown release in its tag only
	base    time.Time
}

func pyFrames() []Frame {
	return []Frame{
		{Filename: "app/server.py", AbsPath: "/srv/app/server.py", Module: "app.server", Function: "handle", Line: 88, Col: 0, InApp: true,
			Context: []string{"    def handle(self, req):", "        return self.checkout(req)", "", "    def checkout(self, req):", "        pass"}},
		{Filename: "django/core/handlers/base.py", AbsPath: "/usr/lib/python3.12/site-packages/django/core/handlers/base.py",
			Module: "django.core.handlers.base", Function: "_get_response", Line: 197, InApp: false},
		{Filename: "app/checkout.py", AbsPath: "/srv/app/checkout.py", Module: "app.checkout", Function: "apply_discount", Line: 42, InApp: true},
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	srv := NewServer(Options{PageSize: 3})
	t.Cleanup(srv.Close)
	srv.AddToken(readToken, Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	srv.AddToken(eventsOnly, Token{Scopes: []string{"event:read"}})
	srv.AddToken(otherOrgTok, Token{Scopes: []string{"event:read", "project:read", "org:read"}, Orgs: []string{"globex"}})
	srv.AddToken(expiredToken, Token{Scopes: []string{"event:read"}, Expired: true})
	srv.AddOrg("globex")
	srv.AddProject(Project{Org: "acme", Slug: "checkout", Platform: "python"})
	base := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	var commits []Commit
	for i := range 7 {
		commits = append(commits, Commit{SHA: fmt.Sprintf("%040x", 0xabc000+i), Repository: "acme/checkout-api",
			Message: fmt.Sprintf("change %d", i), AuthorName: "Dev", AuthorEmail: "dev@example.com", Time: base.Add(time.Duration(i) * time.Hour)})
	}
	commits = append(commits, Commit{SHA: strings.Repeat("e", 40), Repository: "acme/web", Time: base.Add(30 * time.Minute)})
	srv.AddRelease(Release{Org: "acme", Version: "checkout@2.0.0", Projects: []string{"checkout"}, Commits: commits, Created: base.Add(8 * time.Hour)})
	exc := func(v string) []Exception {
		return []Exception{
			{Type: "KeyError", Value: "'sku'", Module: "builtins", Frames: pyFrames()[2:]},
			{Type: "ValueError", Value: v, Frames: pyFrames()},
		}
	}
	is, evs := srv.AddIssue(Issue{Org: "acme", Project: "checkout"},
		Event{Time: base.Add(9 * time.Hour), Release: "checkout@2.0.0", Exceptions: exc("first")},
		Event{Time: base.Add(10 * time.Hour), Release: "checkout@2.0.0+9f3c2a1", Exceptions: exc("second"), Tags: map[string]string{"server_name": "web-1"}},
		Event{Time: base.Add(11 * time.Hour), Release: "checkout@2.0.0", Message: "retrying payment"},
	)
	msg, _ := srv.AddIssue(Issue{Org: "acme", Project: "checkout"}, Event{Time: base.Add(12 * time.Hour), Message: "cache miss storm\nsecond line"})
	tagOnly, _ := srv.AddIssue(Issue{Org: "acme", Project: "ingest"}, Event{Time: base.Add(13 * time.Hour), Release: "ingest@deadbeef",
		ReleaseTagOnly: true, Platform: "native", Exceptions: []Exception{{Type: "SIGSEGV", Value: "Segfault", Mechanism: "signalhandler",
			Frames: []Frame{{InstructionAddr: "0x7f3a2b1c", Package: "/usr/lib/libc.so.6"}, {Filename: "src/ingest.c", Function: "parse_record", Line: 311, InApp: true, InstructionAddr: "0x55d0c0de"}}}}})
	for i := range 5 {
		srv.AddRepo(Repo{Org: "acme", Name: fmt.Sprintf("acme/extra-%d", i)})
	}
	return &fixture{srv: srv, issue: is, events: evs, message: msg, tagOnly: tagOnly, base: base}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// get sends a GET with token (none when "").
func get(t testing.TB, srv *Server, path, token string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}
