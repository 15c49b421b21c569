package bitbucket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// commitPages serves commit listings for acme/api in pages keyed by an
// opaque cursor, recording every request.
type commitPages struct {
	mu       sync.Mutex
	requests []*url.URL
	pages    [][]map[string]any
	// nextHost overrides the host of next links (to test refusal).
	nextHost string
}

func commitJSONValue(hash string, date time.Time, parents ...string) map[string]any {
	ps := []map[string]any{}
	for _, p := range parents {
		ps = append(ps, map[string]any{"hash": p})
	}
	return map[string]any{
		"hash": hash, "date": date.Format(time.RFC3339), "message": "msg " + hash + "\n\nbody",
		"author": map[string]any{"raw": "Dev <dev@example.com>"}, "parents": ps,
	}
}

func (cp *commitPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cp.mu.Lock()
	cp.requests = append(cp.requests, r.URL)
	cp.mu.Unlock()
	if r.URL.Path == "/2.0/repositories/acme/api" {
		writeJSON(w, 200, map[string]any{"full_name": "acme/api", "mainbranch": map[string]any{"name": "trunk"}})
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/2.0/repositories/acme/api/commits/") {
		writeBBError(w, 404, "no such path "+r.URL.Path)
		return
	}
	i := 0
	if cur := r.URL.Query().Get("page"); cur != "" {
		fmt.Sscanf(strings.TrimPrefix(cur, "cur"), "%d", &i)
	}
	body := map[string]any{"pagelen": 100, "values": cp.pages[i]}
	if i+1 < len(cp.pages) {
		host := r.Host
		if cp.nextHost != "" {
			host = cp.nextHost
		}
		body["next"] = fmt.Sprintf("http://%s%s?pagelen=100&fields=%s&page=cur%d", host, r.URL.EscapedPath(),
			url.QueryEscape(r.URL.Query().Get("fields")), i+1)
	}
	writeJSON(w, 200, body)
}

func hashes(cs []Commit) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Hash)
	}
	return out
}

func TestListCommitsWindowAndPaging(t *testing.T) {
	// A pinned window end, and its twin on the real clock.
	for _, until := range []time.Time{time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), time.Now().UTC().Truncate(time.Second)} {
		t.Run(until.Format(time.DateOnly), func(t *testing.T) { testListCommitsWindowAndPaging(t, until) })
	}
}

func testListCommitsWindowAndPaging(t *testing.T, until time.Time) {
	since := until.AddDate(0, 0, -30)
	in := func(d int) time.Time { return until.AddDate(0, 0, -d) }
	old := func(d int) time.Time { return since.AddDate(0, 0, -d) }
	pages := [][]map[string]any{
		{ // newest page: one in the future, an old commit from a merged branch in the middle
			commitJSONValue("future", until.Add(time.Hour), "a1"),
			commitJSONValue("a1", in(1), "a2"),
			commitJSONValue("oldbranch", old(100), "x"),
			commitJSONValue("merge1", in(2), "a2", "oldbranch"),
			commitJSONValue("a2", in(3), "a3"),
		},
		{ // mixed page: must continue past it
			commitJSONValue("old1", old(1), "a3"),
			commitJSONValue("a3", in(29), "old2"),
			commitJSONValue("edge", since, "old2"),
		},
		{ // whole page older: stop after it
			commitJSONValue("old2", old(2), "old3"),
			commitJSONValue("old3", old(3), "old4"),
		},
		{ // never fetched
			commitJSONValue("old4", old(4)),
		},
	}
	tests := []struct {
		name          string
		ref           string
		opts          ListCommitsOptions
		wantHashes    []string
		wantPath      string
		wantRequests  int
		wantFirstPage bool
	}{
		{
			name: "window without merges", ref: "main",
			opts:       ListCommitsOptions{Since: since, Until: until},
			wantHashes: []string{"a1", "a2", "a3", "edge"}, wantPath: "/2.0/repositories/acme/api/commits/main", wantRequests: 3,
		},
		{
			name: "merges included", ref: "main",
			opts:       ListCommitsOptions{Since: since, Until: until, IncludeMerges: true},
			wantHashes: []string{"a1", "merge1", "a2", "a3", "edge"}, wantPath: "/2.0/repositories/acme/api/commits/main", wantRequests: 3,
		},
		{
			name: "empty ref uses main branch", ref: "",
			opts:       ListCommitsOptions{Since: since, Until: until},
			wantHashes: []string{"a1", "a2", "a3", "edge"}, wantPath: "/2.0/repositories/acme/api/commits/trunk", wantRequests: 4,
		},
		{
			name: "open window walks every page", ref: "main",
			opts:       ListCommitsOptions{},
			wantHashes: []string{"future", "a1", "oldbranch", "a2", "old1", "a3", "edge", "old2", "old3", "old4"},
			wantPath:   "/2.0/repositories/acme/api/commits/main", wantRequests: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := &commitPages{pages: pages}
			c, _, _ := testServer(t, cp, nil)
			got, err := c.ListCommits(context.Background(), "acme", "api", tt.ref, tt.opts)
			if err != nil {
				t.Fatalf("ListCommits: %v", err)
			}
			if !slices.Equal(hashes(got), tt.wantHashes) {
				t.Errorf("got commits %v, want %v", hashes(got), tt.wantHashes)
			}
			if len(cp.requests) != tt.wantRequests {
				t.Errorf("got %d requests, want %d", len(cp.requests), tt.wantRequests)
			}
			last := cp.requests[len(cp.requests)-1]
			if last.Path != tt.wantPath {
				t.Errorf("got path %q, want %q", last.Path, tt.wantPath)
			}
			firstList := cp.requests[len(cp.requests)-tt.wantRequests+boolInt(tt.ref == "")]
			q := firstList.Query()
			if q.Get("pagelen") != "100" || q.Get("fields") != commitFields {
				t.Errorf("got first query %q, want pagelen=100 and fields=%s", firstList.RawQuery, commitFields)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestListCommitsFields reads a commit dated at a pinned time and at the
// real one (an hour ago), both in a +02:00 zone.
func TestListCommitsFields(t *testing.T) {
	zone := time.FixedZone("", 2*3600)
	for _, d := range []time.Time{time.Date(2026, 11, 1, 9, 30, 0, 0, zone), time.Now().Add(-time.Hour).Truncate(time.Second).In(zone)} {
		cp := &commitPages{pages: [][]map[string]any{{commitJSONValue("abc", d, "p1")}}}
		c, _, _ := testServer(t, cp, nil)
		got, err := c.ListCommits(context.Background(), "acme", "api", "main", ListCommitsOptions{})
		if err != nil {
			t.Fatalf("ListCommits: %v", err)
		}
		want := []Commit{{Hash: "abc", Date: d, Message: "msg abc\n\nbody", Author: "Dev <dev@example.com>", Parents: []string{"p1"}}}
		if len(got) != 1 || !got[0].Date.Equal(d) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		got[0].Date = d
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

func TestListCommitsEscapesRef(t *testing.T) {
	for _, tt := range []struct{ ref, path, include string }{
		{"main#1 x", "/2.0/repositories/acme/my%20repo/commits/main%231%20x", ""},
		// Bitbucket does not decode %2F in /commits/{revision}: a ref with a
		// slash is given as include=.
		{"feature/x#1", "/2.0/repositories/acme/my%20repo/commits", "feature/x#1"},
	} {
		var raw string
		var q url.Values
		c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw, q = r.URL.EscapedPath(), r.URL.Query()
			writeJSON(w, 200, map[string]any{"values": []any{}})
		}), nil)
		if _, err := c.ListCommits(context.Background(), "acme", "my repo", tt.ref, ListCommitsOptions{}); err != nil {
			t.Fatalf("ListCommits: %v", err)
		}
		if raw != tt.path || q.Get("include") != tt.include || q.Get("pagelen") != commitsPageLen {
			t.Errorf("ref %q: got path %q, query %v; want path %q, include %q", tt.ref, raw, q, tt.path, tt.include)
		}
	}
}

func TestPagingReadsForeignNextFromBase(t *testing.T) {
	// A server that writes its links from another address (a proxy, a
	// public name) still means itself: the next page is read from the
	// base URL, and nothing is sent to the link's host.
	cp := &commitPages{
		pages:    [][]map[string]any{{commitJSONValue("a", time.Now())}, {commitJSONValue("b", time.Now())}},
		nextHost: "evil.example:443",
	}
	c, _, _ := testServer(t, cp, nil)
	got, err := c.ListCommits(context.Background(), "acme", "api", "main", ListCommitsOptions{})
	if err != nil {
		t.Fatalf("ListCommits: %v", err)
	}
	if h := hashes(got); strings.Join(h, ",") != "a,b" {
		t.Errorf("got commits %v, want a,b", h)
	}
	if len(cp.requests) != 2 || cp.requests[1].Query().Get("page") != "cur1" {
		t.Errorf("got requests %v, want the second page read from the test server", cp.requests)
	}
}

func TestPagingRefusesNextOutsideTheAPI(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"values": []any{commitJSONValue("a", time.Now())}, "next": "https://evil.example/collect?page=2"})
	}), nil)
	_, err := c.ListCommits(context.Background(), "acme", "api", "main", ListCommitsOptions{})
	if err == nil || !strings.Contains(err.Error(), "refusing to send credentials") {
		t.Fatalf("got error %v, want a refusal to follow the foreign next link", err)
	}
}

func TestPagingRefusesRepeatedNext(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"values": []any{}, "next": "http://" + r.Host + r.URL.RequestURI()})
	}), nil)
	_, err := c.UserWorkspaces(context.Background())
	if err == nil || !strings.Contains(err.Error(), "repeats a page") {
		t.Fatalf("got error %v, want a loop error", err)
	}
}

func TestDiff(t *testing.T) {
	latin1 := []byte("diff --git a/caf\xe9.txt b/caf\xe9.txt\n+na\xefve\n")
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		max      int64
		wantBody []byte
		wantIs   []error
		wantCode int
	}{
		{
			name: "raw bytes kept",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				_, _ = w.Write(latin1)
			},
			wantBody: latin1,
		},
		{
			name: "over the cap",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write(bytes.Repeat([]byte("+x\n"), 100))
			},
			max:    64,
			wantIs: []error{ErrDiffTooLarge},
		},
		{
			name: "over the cap, chunked",
			handler: func(w http.ResponseWriter, r *http.Request) {
				for range 10 {
					_, _ = w.Write(bytes.Repeat([]byte("+x\n"), 10))
					w.(http.Flusher).Flush()
				}
			},
			max:    64,
			wantIs: []error{ErrDiffTooLarge},
		},
		{
			name: "HTTP 555",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeBBError(w, 555, "Service Timeout")
			},
			wantIs:   []error{ErrDiffTooLarge, ErrServer},
			wantCode: 555,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var path, accept string
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path, accept = r.URL.Path, r.Header.Get("Accept")
				tt.handler(w, r)
			}), func(o *Options) { o.MaxDiffBytes = tt.max })
			raw, err := c.Diff(context.Background(), "acme", "api", "0123abcd")
			var body []byte
			if raw != nil {
				body = raw.Body
			}
			if path != "/2.0/repositories/acme/api/diff/0123abcd" {
				t.Errorf("got path %q, want /2.0/repositories/acme/api/diff/0123abcd", path)
			}
			if accept != "text/plain" {
				t.Errorf("got Accept %q, want text/plain", accept)
			}
			if !bytes.Equal(body, tt.wantBody) {
				t.Errorf("got body %q, want %q", body, tt.wantBody)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("got error %v, want errors.Is %v", err, target)
				}
			}
			if len(tt.wantIs) == 0 && err != nil {
				t.Errorf("got error %v, want none", err)
			}
			var ae *APIError
			if tt.wantCode != 0 && (!errors.As(err, &ae) || ae.StatusCode != tt.wantCode) {
				t.Errorf("got error %v, want an *APIError with status %d", err, tt.wantCode)
			}
			if s := c.Stats(); s.Requests != 1 {
				t.Errorf("got %d requests, want 1 (a too-large diff is not retried)", s.Requests)
			}
		})
	}
}

func TestDiffstat(t *testing.T) {
	var queries []url.Values
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.Query())
		if r.URL.Path != "/2.0/repositories/acme/api/diffstat/abc" {
			writeBBError(w, 404, "wrong path")
			return
		}
		if r.URL.Query().Get("page") == "" {
			writeJSON(w, 200, map[string]any{
				"values": []any{
					map[string]any{"type": "diffstat", "status": "modified", "lines_added": 3, "lines_removed": 1,
						"old": map[string]any{"type": "commit_file", "path": "a.go"},
						"new": map[string]any{"type": "commit_file", "path": "a.go"}},
					map[string]any{"type": "diffstat", "status": "added", "lines_added": 0, "lines_removed": 0,
						"old": nil, "new": map[string]any{"path": "logo.png", "attributes": "binary"}},
				},
				"next": "http://" + r.Host + r.URL.Path + "?pagelen=500&page=2",
			})
			return
		}
		writeJSON(w, 200, map[string]any{"values": []any{
			map[string]any{"status": "removed", "lines_removed": 7, "old": map[string]any{"path": "gone.go"}, "new": nil},
			map[string]any{"status": "renamed", "old": map[string]any{"path": "old/n.go"}, "new": map[string]any{"path": "new/n.go", "attributes": "executable"}},
		}})
	}), nil)
	got, err := c.Diffstat(context.Background(), "acme", "api", "abc")
	if err != nil {
		t.Fatalf("Diffstat: %v", err)
	}
	want := []DiffstatEntry{
		{Status: "modified", LinesAdded: 3, LinesRemoved: 1, OldPath: "a.go", NewPath: "a.go"},
		{Status: "added", NewPath: "logo.png", Binary: true},
		{Status: "removed", LinesRemoved: 7, OldPath: "gone.go"},
		{Status: "renamed", OldPath: "old/n.go", NewPath: "new/n.go"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if len(queries) != 2 || queries[0].Get("pagelen") != "500" || queries[0].Get("fields") != diffstatFields {
		t.Errorf("got queries %v, want 2 with pagelen=500 and fields on the first", queries)
	}
}

func TestCurrentUserIdentity(t *testing.T) {
	tests := []struct {
		name   string
		scopes string
		ctype  string
		want   Identity
	}{
		{"comma separated", "repository, account,email", "oauth2", Identity{Scopes: []string{"repository", "account", "email"}, CredentialType: "oauth2"}},
		{"space separated", "read:user:bitbucket read:repository:bitbucket", "api_token", Identity{Scopes: []string{"read:user:bitbucket", "read:repository:bitbucket"}, CredentialType: "api_token"}},
		{"no headers", "", "", Identity{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/2.0/user" {
					writeBBError(w, 404, "wrong path")
					return
				}
				if tt.scopes != "" {
					w.Header().Set("X-OAuth-Scopes", tt.scopes)
				}
				if tt.ctype != "" {
					w.Header().Set("X-Credential-Type", tt.ctype)
				}
				writeJSON(w, 200, map[string]any{"uuid": "{1}", "account_id": "557058:x", "display_name": "Dev One", "nickname": "dev1", "username": "dev1"})
			}), nil)
			u, id, err := c.CurrentUser(context.Background())
			if err != nil {
				t.Fatalf("CurrentUser: %v", err)
			}
			if want := (User{UUID: "{1}", AccountID: "557058:x", DisplayName: "Dev One", Nickname: "dev1", Username: "dev1"}); *u != want {
				t.Errorf("got user %+v, want %+v", *u, want)
			}
			if !reflect.DeepEqual(*id, tt.want) {
				t.Errorf("got identity %+v, want %+v", *id, tt.want)
			}
		})
	}
}

func TestCurrentUserForbiddenKeepsIdentity(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-OAuth-Scopes", "repository")
		w.Header().Set("X-Credential-Type", "repo_access_token")
		writeJSON(w, 403, map[string]any{"type": "error", "error": map[string]any{
			"message": "Your credentials lack one or more required privilege scopes.",
			"detail":  map[string]any{"required": []string{"account"}, "granted": []string{"repository"}}}})
	}), nil)
	_, id, err := c.CurrentUser(context.Background())
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("got error %v, want ErrForbidden", err)
	}
	if id == nil || id.CredentialType != "repo_access_token" {
		t.Errorf("got identity %+v, want credential type repo_access_token", id)
	}
	var ae *APIError
	if !errors.As(err, &ae) || !slices.Equal(ae.Required, []string{"account"}) || !slices.Equal(ae.Granted, []string{"repository"}) {
		t.Errorf("got %#v, want required [account] granted [repository]", ae)
	}
}

func TestUserWorkspaces(t *testing.T) {
	var paths []string
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.URL.Path != "/2.0/user/workspaces" {
			writeBBError(w, 410, "CHANGE-2770 - Functionality has been deprecated")
			return
		}
		ws := func(slug string, admin bool) map[string]any {
			return map[string]any{"type": "workspace_access", "administrator": admin,
				"workspace": map[string]any{"type": "workspace_base", "uuid": "{" + slug + "}", "slug": slug}}
		}
		if r.URL.Query().Get("page") == "" {
			if r.URL.Query().Get("pagelen") != "100" {
				writeBBError(w, 400, "want pagelen=100")
				return
			}
			writeJSON(w, 200, map[string]any{"values": []any{ws("acme", true)}, "next": "http://" + r.Host + r.URL.Path + "?page=2"})
			return
		}
		writeJSON(w, 200, map[string]any{"values": []any{ws("side", false)}})
	}), nil)
	got, err := c.UserWorkspaces(context.Background())
	if err != nil {
		t.Fatalf("UserWorkspaces: %v", err)
	}
	want := []Workspace{{UUID: "{acme}", Slug: "acme", Administrator: true}, {UUID: "{side}", Slug: "side"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if len(paths) != 2 {
		t.Errorf("got paths %v, want two pages of /2.0/user/workspaces", paths)
	}
}

func TestRepository(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		wantErr error
	}{
		{"found", 200, nil},
		{"not found", 404, ErrNotFound},
		{"forbidden", 403, ErrForbidden},
		{"unauthorized", 401, ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status != 200 {
					writeBBError(w, tt.status, "You may not have access to this repository or it no longer exists in this workspace.")
					return
				}
				writeJSON(w, 200, map[string]any{"full_name": "acme/api", "is_private": true, "scm": "git", "mainbranch": map[string]any{"name": "main"}})
			}), nil)
			r, err := c.Repository(context.Background(), "acme", "api")
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Repository: %v", err)
			}
			if r.FullName != "acme/api" || r.MainBranch.Name != "main" || !r.IsPrivate {
				t.Errorf("got %+v, want acme/api, private, main branch main", r)
			}
		})
	}
}

func TestEmptyArgumentsRejected(t *testing.T) {
	c, _, _ := testServer(t, http.NotFoundHandler(), nil)
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
	}{
		{"repository", func() error { _, err := c.Repository(ctx, "", "api"); return err }()},
		{"commits", func() error { _, err := c.ListCommits(ctx, "acme", "", "main", ListCommitsOptions{}); return err }()},
		{"diff", func() error { _, err := c.Diff(ctx, "acme", "api", ""); return err }()},
		{"diffstat", func() error { _, err := c.Diffstat(ctx, "acme", " ", "abc"); return err }()},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), "is empty") {
			t.Errorf("%s: got error %v, want an 'is empty' error", tt.name, tt.err)
		}
	}
	if n := c.Stats().Requests; n != 0 {
		t.Errorf("got %d requests, want 0", n)
	}
}

// TestFileContents: a file's raw bytes, its path escaped segment by
// segment; a 404 matches ErrNotFound; a path climbing out is refused
// without a request.
func TestFileContents(t *testing.T) {
	var got []string
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.EscapedPath())
		if strings.HasSuffix(r.URL.Path, "/missing.c") {
			writeBBError(w, http.StatusNotFound, "No such file or directory: missing.c")
			return
		}
		w.Header().Set("Content-Type", "text/x-python")
		_, _ = w.Write([]byte("caf\xe9 = 1\n"))
	}), nil)
	ctx := context.Background()
	body, err := c.FileContents(ctx, "acme", "app", "abc123", "dir with space/b ü.py")
	if err != nil || string(body) != "caf\xe9 = 1\n" {
		t.Fatalf("got %q, %v", body, err)
	}
	if want := "/repositories/acme/app/src/abc123/dir%20with%20space/b%20%C3%BC.py"; len(got) != 1 || !strings.HasSuffix(got[0], want) {
		t.Errorf("requested %v, want a path ending %s", got, want)
	}
	if _, err := c.FileContents(ctx, "acme", "app", "abc123", "src/missing.c"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing file: got %v, want ErrNotFound", err)
	}
	n := len(got)
	if _, err := c.FileContents(ctx, "acme", "app", "abc123", "src/../../secret"); err == nil || len(got) != n {
		t.Errorf("a path with ..: got %v after %d requests, want an error and none", err, len(got)-n)
	}
}

// TestTree: the tree's files over every page (folders left out), asked for
// at the root with a trailing slash, recursively and 100 entries a page; a
// tree whose first page's size is over the cap fails with ErrTreeTooLarge
// after that one request.
func TestTree(t *testing.T) {
	var got []string
	size := 3
	var c *Client
	c, _, _ = testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page") == "2" {
			_, _ = w.Write([]byte(`{"page": 2, "size": 3, "values": [{"type": "commit_file", "path": "src/x/y.c"}]}`))
			return
		}
		next := "http://" + r.Host + r.URL.Path + "?" + r.URL.RawQuery + "&page=2"
		fmt.Fprintf(w, `{"page": 1, "size": %d, "next": %q, "values": [{"type": "commit_directory", "path": "src"}, {"type": "commit_file", "path": "README"}]}`, size, next)
	}), nil)
	ctx := context.Background()
	files, err := c.Tree(ctx, "acme", "app", "abc123", 10)
	if err != nil || strings.Join(files, " ") != "README src/x/y.c" {
		t.Fatalf("got %q, %v; want README and src/x/y.c", files, err)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], "/repositories/acme/app/src/abc123/?max_depth=32&pagelen=100") {
		t.Errorf("requested %q, want two pages of /src/abc123/?max_depth=32&pagelen=100", got)
	}
	got, size = nil, 5000
	if _, err := c.Tree(ctx, "acme", "app", "abc123", 10); !errors.Is(err, ErrTreeTooLarge) || len(got) != 1 {
		t.Errorf("a tree of %d entries, cap 10: got %v after %d requests, want ErrTreeTooLarge after 1", size, err, len(got))
	}
}

func TestPagingWithoutValuesUnderFieldsAsksAgainWithoutFields(t *testing.T) {
	// A server that applies fields= to top-level keys only drops values
	// when asked for values.hash: the listing asks again without fields,
	// once, and keeps doing without for the next pages.
	var mu sync.Mutex
	var queries []url.Values
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Query())
		mu.Unlock()
		q := r.URL.Query()
		body := map[string]any{"pagelen": 100}
		if q.Get("page") == "" {
			body["values"] = []any{commitJSONValue("a", time.Now())}
			body["next"] = "http://" + r.Host + r.URL.EscapedPath() + "?pagelen=100&page=c%2B1&fields=" + url.QueryEscape(q.Get("fields"))
		} else {
			body["values"] = []any{commitJSONValue("b", time.Now())}
		}
		if q.Has("fields") {
			delete(body, "values") // the loose filter keeps only "next"
		}
		writeJSON(w, 200, body)
	}), nil)
	got, err := c.ListCommits(context.Background(), "acme", "api", "main", ListCommitsOptions{})
	if err != nil {
		t.Fatalf("ListCommits: %v", err)
	}
	if h := strings.Join(hashes(got), ","); h != "a,b" {
		t.Errorf("got commits %s, want a,b", h)
	}
	var with []bool
	for _, q := range queries {
		with = append(with, q.Has("fields"))
	}
	if fmt.Sprint(with) != "[true false false]" {
		t.Errorf("got requests with fields %v, want [true false false]", with)
	}
	if len(queries) == 3 && queries[2].Get("page") != "c+1" {
		t.Errorf("got cursor %q, want the next link's cursor kept", queries[2].Get("page"))
	}
}

func TestWithoutFields(t *testing.T) {
	for in, want := range map[string]string{
		"https://h/2.0/x?pagelen=100&fields=next,values.hash&page=a%2Bb": "https://h/2.0/x?pagelen=100&page=a%2Bb",
		"https://h/2.0/x?fields=a&fields=b":                              "https://h/2.0/x",
		"https://h/2.0/x?%66ields=a&q=1":                                 "https://h/2.0/x?q=1",
		"https://h/2.0/x?page=2":                                         "https://h/2.0/x?page=2",
		"https://h/2.0/x":                                                "https://h/2.0/x",
	} {
		if got := withoutFields(in); got != want {
			t.Errorf("withoutFields(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTreeCapsPages: a server that ignores pagelen and sends 10 entries a
// page (Bitbucket's default) would make a 2,000-entry listing cost 200
// requests where 5,000 entries at 100 a page cost 50: the listing stops as
// too large once it has taken more pages than the entry cap allows for.
func TestTreeCapsPages(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1))
		vs := []map[string]string{}
		for k := range 10 {
			vs = append(vs, map[string]string{"type": "commit_file", "path": fmt.Sprintf("f%d-%d.c", i, k)})
		}
		body := map[string]any{"pagelen": 10, "values": vs}
		if i < 200 {
			body["next"] = fmt.Sprintf("http://%s%s?page=%d", r.Host, r.URL.Path, i+1)
		}
		writeJSON(w, 200, body)
	}), nil)
	_, err := c.Tree(context.Background(), "acme", "app", "abc123", 5000)
	if !errors.Is(err, ErrTreeTooLarge) || !strings.Contains(err.Error(), "10 entries a page") {
		t.Fatalf("got %v, want ErrTreeTooLarge naming the page size", err)
	}
	if got := n.Load(); got != 52 {
		t.Errorf("got %d requests, want 52 (the 50 pages 5,000 entries take at 100 a page, one spare, and the one over)", got)
	}
}

// TestTree555IsTooLarge: Bitbucket answers 555 when a deep listing times
// out; that is the tree's limit (cached as such, frames looked up by path
// instead), not a failure to report.
func TestTree555IsTooLarge(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeBBError(w, StatusDiffTooLarge, "Timeout")
	}), nil)
	_, err := c.Tree(context.Background(), "acme", "app", "abc123", 5000)
	if !errors.Is(err, ErrTreeTooLarge) || n.Load() != 1 {
		t.Errorf("got %v after %d requests, want ErrTreeTooLarge after 1", err, n.Load())
	}
}

// TestDiffstatWithoutPagelenOn400: a server that holds every listing to a
// pagelen of 100 refuses the diffstat's 500; the diffstat is asked for
// again at the server's default page size.
func TestDiffstatWithoutPagelenOn400(t *testing.T) {
	var got []string
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("pagelen"))
		if r.URL.Query().Get("pagelen") == "500" {
			writeBBError(w, 400, "Invalid pagelen")
			return
		}
		writeJSON(w, 200, map[string]any{"values": []any{map[string]any{"status": "modified", "lines_added": 2, "lines_removed": 1,
			"old": map[string]any{"path": "a.go"}, "new": map[string]any{"path": "a.go"}}}})
	}), nil)
	es, err := c.Diffstat(context.Background(), "acme", "app", "abc123")
	if err != nil || len(es) != 1 || es[0].LinesAdded != 2 {
		t.Fatalf("got %+v, %v; want one entry", es, err)
	}
	if strings.Join(got, ",") != "500," {
		t.Errorf("got pagelen %q, want 500 then the default", got)
	}
	// The next diffstat asks at the default at once.
	got = nil
	if _, err := c.Diffstat(context.Background(), "acme", "app", "def456"); err != nil || strings.Join(got, ",") != "" || len(got) != 1 {
		t.Errorf("second diffstat: got pagelen %q, %v; want one request at the default", got, err)
	}
}
