package bitbuckettest

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// pageCommits follows next links from first and returns all hashes and the
// next links seen.
func pageCommits(t *testing.T, srv *Server, first string, c cred) (hashes, nexts []string) {
	t.Helper()
	u := first
	for pages := 0; u != ""; pages++ {
		if pages > 1000 {
			t.Fatal("more than 1000 pages")
		}
		r := get(t, srv, u, c)
		if r.status != 200 {
			t.Fatalf("GET %s: got status %d, want 200: %s", u, r.status, r.body)
		}
		m := r.json(t)
		for _, k := range []string{"page", "size", "previous"} {
			if _, ok := m[k]; ok {
				t.Errorf("GET %s: got field %q, want none on iterator pages", u, k)
			}
		}
		for _, v := range m["values"].([]any) {
			hashes = append(hashes, v.(map[string]any)["hash"].(string))
		}
		u, _ = m["next"].(string)
		if u != "" {
			nexts = append(nexts, u)
		}
	}
	return hashes, nexts
}

func TestCommitsTopoOrderAndOpaqueCursors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		path    string
		gitArgs []string
	}{
		{"main", "/2.0/repositories/acme/app/commits/main?pagelen=100", []string{"main"}},
		{"all refs", "/2.0/repositories/acme/app/commits?pagelen=100", []string{"--branches", "--tags"}},
		{"all refs trailing slash", "/2.0/repositories/acme/app/commits/?pagelen=100", []string{"--branches", "--tags"}},
		{"default pagelen", "/2.0/repositories/acme/app/commits/main", []string{"main"}},
		{"include exclude", "/2.0/repositories/acme/app/commits?include=old&include=feature&exclude=main&pagelen=100", []string{"old", "feature", "^main"}},
		{"path", "/2.0/repositories/acme/app/commits/main?path=dir/d.go&pagelen=100", []string{"main", "--", "dir/d.go"}},
		{"short sha", "/2.0/repositories/acme/app/commits/" + gitOut(t, f.gitDir, "rev-parse", "--short=9", "main~200")[:9] + "?pagelen=50", []string{"main~200"}},
		{"tag", "/2.0/repositories/acme/app/commits/v1.0?pagelen=30", []string{"v1.0"}},
		{"huge pagelen is clamped", "/2.0/repositories/acme/app/commits/main?pagelen=5000", []string{"main"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := strings.Fields(gitOut(t, f.gitDir, append([]string{"log", "--topo-order", "--format=%H"}, tt.gitArgs...)...))
			got, nexts := pageCommits(t, f.srv, tt.path, alice)
			if len(got) != len(want) {
				t.Fatalf("got %d commits, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("commit %d: got %s, want %s", i, got[i], want[i])
				}
			}
			for _, n := range nexts {
				u, err := url.Parse(n)
				if err != nil {
					t.Fatalf("next %q: %v", n, err)
				}
				page := u.Query().Get("page")
				if _, err := strconv.Atoi(page); err == nil || len(page) < 8 {
					t.Errorf("next %q: got page %q, want an opaque token", n, page)
				}
			}
		})
	}
	if n := len(strings.Fields(gitOut(t, f.gitDir, "rev-list", "main"))); n <= 250 {
		t.Fatalf("fixture has %d commits on main, want > 250", n)
	}
}

func TestCommitCursorIsStableAndChecked(t *testing.T) {
	f := newFixture(t)
	first := get(t, f.srv, "/2.0/repositories/acme/app/commits/main?pagelen=20", alice).json(t)
	again := get(t, f.srv, "/2.0/repositories/acme/app/commits/main?pagelen=20", alice).json(t)
	if first["next"] != again["next"] {
		t.Errorf("got next %v then %v, want the same cursor for the same position", first["next"], again["next"])
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app/commits/main?page=2", alice); r.status != 400 {
		t.Errorf("numeric page: got status %d, want 400", r.status)
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app/commits/nosuchbranch", alice); r.status != 404 {
		t.Errorf("unknown revision: got status %d, want 404", r.status)
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app/commits/main?pagelen=0", alice); r.status != 400 {
		t.Errorf("pagelen=0: got status %d, want 400", r.status)
	}
}

func TestCommitJSON(t *testing.T) {
	f := newFixture(t)
	hash := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main~130")) // the merge (commit 150)
	m := get(t, f.srv, "/2.0/repositories/acme/app/commit/"+hash, alice).json(t)
	if m["type"] != "commit" || m["hash"] != hash {
		t.Fatalf("got type %v hash %v, want commit %s", m["type"], m["hash"], hash)
	}
	wantDate := strings.TrimSpace(gitOut(t, f.gitDir, "log", "-1", "--date=format-local:%Y-%m-%dT%H:%M:%S+00:00", "--format=%cd", hash))
	if m["date"] != wantDate {
		t.Errorf("got date %v, want committer date %s", m["date"], wantDate)
	}
	asAuthor := NewServer(Options{Now: f.clock, DateIsAuthorTime: true})
	t.Cleanup(asAuthor.Close)
	asAuthor.AddUser(User{Nickname: "alice", Email: aliceEmail, Workspaces: []string{"acme"}})
	asAuthor.AddAPIToken(aliceEmail, aliceToken, "read:repository:bitbucket")
	if err := asAuthor.AddRepo(Repo{Workspace: "acme", Slug: "app", GitDir: f.gitDir, Private: true}); err != nil {
		t.Fatal(err)
	}
	m = get(t, asAuthor, "/2.0/repositories/acme/app/commit/"+hash, alice).json(t)
	wantDate = strings.TrimSpace(gitOut(t, f.gitDir, "log", "-1", "--date=format-local:%Y-%m-%dT%H:%M:%S+00:00", "--format=%ad", hash))
	if m["date"] != wantDate {
		t.Errorf("DateIsAuthorTime: got date %v, want author date %s", m["date"], wantDate)
	}
	parents := m["parents"].([]any)
	wantParents := strings.Fields(gitOut(t, f.gitDir, "log", "-1", "--format=%P", hash))
	if len(parents) != 2 || parents[0].(map[string]any)["hash"] != wantParents[0] || parents[1].(map[string]any)["hash"] != wantParents[1] {
		t.Errorf("got parents %v, want %v", parents, wantParents)
	}
	author := m["author"].(map[string]any)
	if author["type"] != "author" || author["raw"] != "Alice <alice@example.com>" {
		t.Errorf("got author %v, want Alice's raw form", author)
	}
	if u, ok := author["user"].(map[string]any); !ok || u["nickname"] != "alice" {
		t.Errorf("got author.user %v, want alice (email matches)", author["user"])
	}
	if msg := m["message"].(string); !strings.HasPrefix(msg, "commit 150 on main\n") {
		t.Errorf("got message %q, want it to start with the summary", msg)
	}
	summary := m["summary"].(map[string]any)
	if summary["raw"] != m["message"] || !strings.Contains(summary["html"].(string), "&amp; &lt;stuff&gt;") {
		t.Errorf("got summary %v, want raw message and escaped html", summary)
	}
	links := m["links"].(map[string]any)
	for _, k := range []string{"self", "html", "diff", "patch"} {
		if _, ok := links[k]; !ok {
			t.Errorf("links lack %q", k)
		}
	}
	bob := get(t, f.srv, "/2.0/repositories/acme/app/commit/main~129", alice).json(t)["author"].(map[string]any)
	if _, ok := bob["user"]; ok || bob["raw"] != "Bob Builder <bob@example.org>" {
		t.Errorf("got author %v, want raw only for an unknown email", bob)
	}
}

func TestFieldsParameter(t *testing.T) {
	f := newFixture(t)
	m := get(t, f.srv, "/2.0/repositories/acme/app/commits/main?pagelen=3&fields=next,values.hash,values.date,values.parents.hash,values.author.raw", alice).json(t)
	if _, ok := m["pagelen"]; ok {
		t.Errorf("got pagelen, want it filtered out: %v", m)
	}
	if _, ok := m["next"].(string); !ok {
		t.Errorf("got no next, want it kept")
	}
	v := m["values"].([]any)[0].(map[string]any)
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "author,date,hash,parents" {
		t.Errorf("got value keys %s, want author,date,hash,parents", got)
	}
	if p := v["parents"].([]any)[0].(map[string]any); len(p) != 1 || p["hash"] == nil {
		t.Errorf("got parent %v, want only hash", p)
	}
	repo := get(t, f.srv, "/2.0/repositories/acme/app?fields=-links,-owner,%2Bmainbranch.name,-bogus", alice).json(t)
	if _, ok := repo["links"]; ok {
		t.Errorf("-links: got links, want none")
	}
	if repo["full_name"] != "acme/app" {
		t.Errorf("got full_name %v, want acme/app", repo["full_name"])
	}
}

func TestFieldsUnit(t *testing.T) {
	doc := map[string]any{
		"a":     map[string]any{"b": 1.0, "c": 2.0},
		"links": map[string]any{"self": "x", "html": "y"},
		"values": []any{
			map[string]any{"hash": "h1", "x": 1.0},
			map[string]any{"hash": "h2", "x": 2.0},
		},
	}
	tests := []struct {
		spec string
		want string
	}{
		{"", `{"a":{"b":1,"c":2},"links":{"html":"y","self":"x"},"values":[{"hash":"h1","x":1},{"hash":"h2","x":2}]}`},
		{"-links", `{"a":{"b":1,"c":2},"values":[{"hash":"h1","x":1},{"hash":"h2","x":2}]}`},
		{"-links.*", `{"a":{"b":1,"c":2},"links":{},"values":[{"hash":"h1","x":1},{"hash":"h2","x":2}]}`},
		{"values.hash", `{"values":[{"hash":"h1"},{"hash":"h2"}]}`},
		{"a.b,values.x", `{"a":{"b":1},"values":[{"x":1},{"x":2}]}`},
		{"-*,+a", `{"a":{"b":1,"c":2}}`},
		{"nothing", `{}`},
		{"-values.x,-a.c", `{"a":{"b":1},"links":{"html":"y","self":"x"},"values":[{"hash":"h1"},{"hash":"h2"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			b, err := marshal(applyFields(doc, tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("got %s, want %s", b, tt.want)
			}
		})
	}
	if b, _ := marshal(doc); !strings.Contains(string(b), `"links":{"html":"y","self":"x"}`) {
		t.Errorf("applyFields changed its input: %s", b)
	}
	// An empty page stays an empty array under several fields of its values.
	empty := map[string]any{"values": []any{}, "next": "n"}
	if b, _ := marshal(applyFields(empty, "next,values.hash,values.date")); string(b) != `{"next":"n","values":[]}` {
		t.Errorf("empty values: got %s, want %s", b, `{"next":"n","values":[]}`)
	}
}

// commitsOnMain lists main's commits oldest first.
func commitsOnMain(t testing.TB, gitDir string) []string {
	hs := strings.Fields(gitOut(t, gitDir, "rev-list", "--reverse", "--topo-order", "main"))
	return hs
}

func TestDiffEqualsGitDiff(t *testing.T) {
	f := newFixture(t)
	for _, h := range commitsOnMain(t, f.gitDir) {
		parents := strings.Fields(gitOut(t, f.gitDir, "log", "-1", "--format=%P", h))
		base := emptyTree
		if len(parents) > 0 {
			base = parents[0]
		}
		want := gitOut(t, f.gitDir, "diff", "-M", base, h)
		r := get(t, f.srv, "/2.0/repositories/acme/app/diff/"+h, alice)
		if r.status != 200 || r.header.Get("Content-Type") != "text/plain" {
			t.Fatalf("diff %s: got status %d type %q, want 200 text/plain", h, r.status, r.header.Get("Content-Type"))
		}
		if string(r.body) != want {
			t.Fatalf("diff %s:\ngot:\n%s\nwant:\n%s", h, r.body, want)
		}
	}
}

func TestDiffOptions(t *testing.T) {
	f := newFixture(t)
	feature := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "feature"))
	tests := []struct {
		name, query string
		git         []string
	}{
		{"range is reversed and topic uses merge-base", "feature..main", []string{"diff", "-M", "main...feature"}},
		{"topic=false", "feature..main?topic=false", []string{"diff", "-M", "main", "feature"}},
		{"context", "main~40?context=0", []string{"diff", "-M", "-U0", "main~41", "main~40"}},
		{"path", "main~40?path=a.txt&path=nothing", []string{"diff", "-M", "main~41", "main~40", "--", "a.txt"}},
		{"renames=false", "main~239?renames=false", []string{"diff", "--no-renames", "main~240", "main~239"}},
		{"rename", "main~239", []string{"diff", "-M", "main~240", "main~239"}},
		{"binary shows", "main~227", []string{"diff", "-M", "main~228", "main~227"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := gitOut(t, f.gitDir, tt.git...)
			spec, q, _ := strings.Cut(tt.query, "?")
			if strings.Contains(spec, "~") {
				spec = strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", spec))
			}
			spec = strings.Replace(spec, "feature", feature, 1)
			r := get(t, f.srv, "/2.0/repositories/acme/app/diff/"+spec+"?"+q, alice)
			if r.status != 200 || string(r.body) != want {
				t.Errorf("got %d:\n%s\nwant:\n%s", r.status, r.body, want)
			}
		})
	}
	bin := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main~227"))
	r := get(t, f.srv, "/2.0/repositories/acme/app/diff/"+bin, alice)
	if !strings.Contains(string(r.body), "Binary files a/b.bin and b/b.bin differ") {
		t.Errorf("got %s, want a Binary files line", r.body)
	}
	r = get(t, f.srv, "/2.0/repositories/acme/app/diff/"+bin+"?binary=false", alice)
	if strings.Contains(string(r.body), "b.bin") || !strings.Contains(string(r.body), "a.txt") {
		t.Errorf("binary=false: got %s, want only the text file", r.body)
	}
}

func TestDiffstatMatchesNumstat(t *testing.T) {
	f := newFixture(t)
	hashes := commitsOnMain(t, f.gitDir)
	seen := map[string]bool{}
	for _, h := range hashes {
		parents := strings.Fields(gitOut(t, f.gitDir, "log", "-1", "--format=%P", h))
		base := emptyTree
		if len(parents) > 0 {
			base = parents[0]
		}
		want := strings.Split(strings.TrimSpace(gitOut(t, f.gitDir, "diff", "-M", "--numstat", base, h)), "\n")
		m := get(t, f.srv, "/2.0/repositories/acme/app/diffstat/"+h, alice).json(t)
		values := m["values"].([]any)
		if len(values) != len(want) {
			t.Fatalf("diffstat %s: got %d files, want %d", h, len(values), len(want))
		}
		for i, v := range values {
			d := v.(map[string]any)
			fs := strings.SplitN(want[i], "\t", 3)
			added, removed := fmt.Sprint(d["lines_added"]), fmt.Sprint(d["lines_removed"])
			if fs[0] == "-" {
				fs[0], fs[1] = "0", "0"
				attrs := fmt.Sprint(d["new"].(map[string]any)["attributes"])
				if attrs != "binary" {
					t.Errorf("diffstat %s: got attributes %s for a binary file, want binary", h, attrs)
				}
			}
			if added != fs[0] || removed != fs[1] {
				t.Errorf("diffstat %s file %d: got +%s -%s, want %s", h, i, added, removed, want[i])
			}
			status := d["status"].(string)
			seen[status] = true
			switch status {
			case "added":
				if d["old"] != nil || d["new"] == nil {
					t.Errorf("added: got old %v new %v, want null old", d["old"], d["new"])
				}
			case "removed":
				if d["new"] != nil || d["old"] == nil {
					t.Errorf("removed: got old %v new %v, want null new", d["old"], d["new"])
				}
			case "renamed":
				o, n := d["old"].(map[string]any), d["new"].(map[string]any)
				if o["path"] != "dir/c.go" || n["path"] != "dir/d.go" || n["type"] != "commit_file" {
					t.Errorf("renamed: got %v -> %v, want dir/c.go -> dir/d.go", o["path"], n["path"])
				}
			}
			if n, ok := d["new"].(map[string]any); ok && strings.Contains(n["path"].(string), "ber") {
				if n["escaped_path"] != `"sp ace/\303\274ber.txt"` {
					t.Errorf("got escaped_path %v, want git's quoted form", n["escaped_path"])
				}
			}
		}
	}
	for _, s := range []string{"added", "removed", "modified", "renamed"} {
		if !seen[s] {
			t.Errorf("status %s never seen, want every status covered", s)
		}
	}
}

func TestDiffstatPaging(t *testing.T) {
	f := newFixture(t)
	root := commitsOnMain(t, f.gitDir)[0]
	head := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main"))
	var paths []string
	u := "/2.0/repositories/acme/app/diffstat/" + head + ".." + root + "?pagelen=7"
	for u != "" {
		m := get(t, f.srv, u, alice).json(t)
		for _, v := range m["values"].([]any) {
			d := v.(map[string]any)
			n, _ := d["new"].(map[string]any)
			if n == nil {
				n = d["old"].(map[string]any)
			}
			paths = append(paths, n["path"].(string))
		}
		u, _ = m["next"].(string)
	}
	want := strings.Split(strings.TrimSpace(gitOut(t, f.gitDir, "diff", "-M", "--name-only", root, head)), "\n")
	if len(paths) != len(want) {
		t.Fatalf("got %d files over pages, want %d", len(paths), len(want))
	}
}

func TestPatch(t *testing.T) {
	f := newFixture(t)
	h := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main~5"))
	r := get(t, f.srv, "/2.0/repositories/acme/app/patch/"+h, alice)
	if r.status != 200 || !strings.HasPrefix(string(r.body), "From "+h) || !strings.Contains(string(r.body), "Subject: [PATCH] commit 275 on main") {
		t.Errorf("got %d %.200s, want a format-patch of %s", r.status, r.body, h)
	}
}

func TestErrorsAndKnobs(t *testing.T) {
	f := newFixture(t)
	srv := f.srv
	head := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main"))
	for _, p := range []string{"/2.0/workspaces", "/2.0/user/permissions/workspaces", "/2.0/user/permissions/repositories", "/2.0/repositories", "/2.0/repositories/"} {
		r := get(t, srv, p, alice)
		if r.status != 410 || errorMessage(t, r) != "CHANGE-2770 - Functionality has been deprecated" {
			t.Errorf("GET %s: got %d %s, want 410 CHANGE-2770", p, r.status, r.body)
		}
	}
	if r := get(t, srv, "/2.0/nope", alice); r.status != 404 || errorMessage(t, r) != "Resource not found" {
		t.Errorf("unknown path: got %d %s, want 404 JSON", r.status, r.body)
	}

	srv.FailNext("/diff/", 429, 2)
	for i := 0; i < 2; i++ {
		r := get(t, srv, "/2.0/repositories/acme/app/diff/"+head, alice)
		if r.status != 429 || string(r.body) != "Rate limit for this resource has been exceeded" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Errorf("FailNext 429 #%d: got %d %q %q, want plain-text 429", i, r.status, r.body, r.header.Get("Content-Type"))
		}
	}
	if r := get(t, srv, "/2.0/repositories/acme/app/diff/"+head, alice); r.status != 200 {
		t.Errorf("after the faults: got %d, want 200", r.status)
	}
	srv.FailNext("/commits", 503, 1)
	if r := get(t, srv, "/2.0/repositories/acme/app/commits", alice); r.status != 503 || errorMessage(t, r) == "" {
		t.Errorf("FailNext 503: got %d %s, want a JSON 503", r.status, r.body)
	}
	srv.FailNext("/diffstat/", 555, 1)
	if r := get(t, srv, "/2.0/repositories/acme/app/diffstat/"+head, alice); r.status != 555 || errorMessage(t, r) == "" {
		t.Errorf("FailNext 555: got %d %s, want a JSON 555", r.status, r.body)
	}

	srv.ForceDiffTooLarge(head[:10])
	if r := get(t, srv, "/2.0/repositories/acme/app/diff/"+head, alice); r.status != 555 || errorMessage(t, r) == "" {
		t.Errorf("ForceDiffTooLarge: got %d %s, want a JSON 555", r.status, r.body)
	}
	if r := get(t, srv, "/2.0/repositories/acme/app/diff/main~1", alice); r.status != 200 {
		t.Errorf("another commit: got %d, want 200", r.status)
	}

	srv.ResetRequests()
	srv.SetRateLimit(3)
	for i := 0; i < 3; i++ {
		if r := get(t, srv, "/2.0/repositories/acme/app", alice); r.status != 200 {
			t.Fatalf("request %d under the limit: got %d, want 200", i, r.status)
		}
	}
	r := get(t, srv, "/2.0/repositories/acme/app", alice)
	if r.status != 429 || string(r.body) != "Rate limit for this resource has been exceeded" {
		t.Errorf("over the limit: got %d %q, want plain-text 429", r.status, r.body)
	}
	if r := get(t, srv, "/2.0/repositories/acme/app", basic("mallory@example.com", "ATATT-mallory")); r.status != 404 {
		t.Errorf("another user: got %d, want 404 (own budget, no access)", r.status)
	}
	f.advance(61 * 60e9)
	if r := get(t, srv, "/2.0/repositories/acme/app", alice); r.status != 200 {
		t.Errorf("an hour later: got %d, want 200", r.status)
	}
	if got := srv.CountRequests("/2.0/repositories/acme/app"); got != 6 {
		t.Errorf("CountRequests prefix: got %d, want 6", got)
	}
	if got := srv.CountRequests("/2.0/repositories/*/app"); got != 6 {
		t.Errorf("CountRequests pattern: got %d, want 6", got)
	}
	reqs := srv.Requests()
	if len(reqs) != 6 || reqs[3].Status != 429 || reqs[0].AuthKind != "basic" || reqs[0].Method != "GET" {
		t.Errorf("got requests %+v, want 6 with the 4th rate-limited", reqs)
	}
	srv.SetRateLimit(0)
}

func TestConcurrentRequests(t *testing.T) {
	f := newFixture(t)
	var hashes []string
	for i, h := range commitsOnMain(t, f.gitDir) {
		if i%4 == 0 {
			hashes = append(hashes, h)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(hashes); i += 8 {
				for _, kind := range []string{"diff", "diffstat", "commit"} {
					r := get(t, f.srv, "/2.0/repositories/acme/app/"+kind+"/"+hashes[i], alice)
					if r.status != 200 {
						errs <- fmt.Sprintf("%s %s: got %d", kind, hashes[i], r.status)
						return
					}
				}
			}
			r := get(t, f.srv, "/2.0/repositories/acme/app/commits?pagelen=100", alice)
			if r.status != 200 {
				errs <- fmt.Sprintf("commits: got %d", r.status)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got, want := f.srv.CountRequests("/2.0/repositories/acme/app/diff/"), len(hashes); got != want {
		t.Errorf("got %d diff requests recorded, want %d", got, want)
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/2.0/*/diff/*", "/2.0/repositories/a/b/diff/abc", true},
		{"/2.0/*/diff/*", "/2.0/repositories/a/b/diffstat/abc", false},
		{"*", "/anything", true},
		{"/a*b", "/ab", true},
		{"/a*b*b", "/ab", false},
		{"/2.0/user", "/2.0/user/workspaces", true},
	}
	for _, tt := range tests {
		if got := pathMatches(tt.pattern, tt.path); got != tt.want {
			t.Errorf("pathMatches(%q, %q): got %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

var uuidRE = regexp.MustCompile(`^\{[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$`)

func TestBraceUUID(t *testing.T) {
	if u := braceUUID("x", "y"); !uuidRE.MatchString(u) || u != braceUUID("x", "y") || u == braceUUID("x", "z") {
		t.Errorf("got %s, want a stable, distinct braced UUID", u)
	}
}

// TestSrcListsFolders: /src/{commit}/ lists the root (trailing slash), a
// folder's path lists the folder, max_depth recurses breadth first, and the
// files listed down to any depth are git's files at that commit.
func TestSrcListsFolders(t *testing.T) {
	f := newFixture(t)
	h := commitsOnMain(t, f.gitDir)[0]
	want := strings.Fields(gitOut(t, f.gitDir, "ls-tree", "-r", "--name-only", h))
	list := func(u string) (files, dirs []string, depths []int) {
		t.Helper()
		for u != "" {
			r := get(t, f.srv, u, alice)
			if r.status != 200 {
				t.Fatalf("GET %s: got status %d, want 200: %s", u, r.status, r.body)
			}
			m := r.json(t)
			for _, v := range m["values"].([]any) {
				e := v.(map[string]any)
				p := e["path"].(string)
				depths = append(depths, strings.Count(p, "/"))
				switch e["type"] {
				case "commit_file":
					files = append(files, p)
				case "commit_directory":
					dirs = append(dirs, p)
				default:
					t.Errorf("entry %v: unknown type", e)
				}
			}
			u, _ = m["next"].(string)
		}
		return files, dirs, depths
	}
	files, _, depths := list("/2.0/repositories/acme/app/src/" + h + "/?max_depth=32&pagelen=2")
	sort.Strings(files)
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("files listed %q, want git's %q", files, want)
	}
	if !sort.IntsAreSorted(depths) {
		t.Errorf("depths %v, want breadth first", depths)
	}
	top, dirs, _ := list("/2.0/repositories/acme/app/src/" + h + "/")
	for _, p := range append(top, dirs...) {
		if strings.Contains(p, "/") {
			t.Errorf("without max_depth: listed %q, want the root's entries only", p)
		}
	}
	if len(dirs) > 0 {
		in, _, _ := list("/2.0/repositories/acme/app/src/" + h + "/" + dirs[0])
		for _, p := range in {
			if !strings.HasPrefix(p, dirs[0]+"/") {
				t.Errorf("listing %s: got %q outside it", dirs[0], p)
			}
		}
	}
}
