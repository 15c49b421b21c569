package bitbuckettest

import (
	"io"
	"net/http"
	"testing"
)

// benchGet fetches path and fails on a non-200 answer.
func benchGet(b *testing.B, client *http.Client, srv *Server, path string) {
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	req.SetBasicAuth(aliceEmail, aliceToken)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("GET %s: got %d, want 200", path, resp.StatusCode)
	}
}

func BenchmarkEndpoints(b *testing.B) {
	f := newFixture(b)
	hashes := commitsOnMain(b, f.gitDir)
	client := &http.Client{}
	for _, bc := range []struct{ name, path string }{
		{"commits-page-100", "/2.0/repositories/acme/app/commits/main?pagelen=100"},
		{"commits-page-100-by-hash", "/2.0/repositories/acme/app/commits/" + hashes[len(hashes)-1] + "?pagelen=100"},
		{"commit", "/2.0/repositories/acme/app/commit/" + hashes[100]},
		{"diff", "/2.0/repositories/acme/app/diff/" + hashes[100]},
		{"diffstat", "/2.0/repositories/acme/app/diffstat/" + hashes[100]},
		{"user", "/2.0/user"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchGet(b, client, f.srv, bc.path) // warm the cache
			f.srv.ResetRequests()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				benchGet(b, client, f.srv, bc.path)
			}
			b.StopTimer()
			if got := f.srv.CountRequests("/2.0/"); got != b.N {
				b.Fatalf("got %d requests recorded, want %d", got, b.N)
			}
		})
	}
}

// BenchmarkAnalyzeLike walks every commit of main the way `analyze` does:
// list pages of 100, then one diff per commit; the git work is cold each
// round because every round uses a new server.
func BenchmarkAnalyzeLike(b *testing.B) {
	gitDir := fixtureRepo(b)
	client := &http.Client{}
	for i := 0; i < b.N; i++ {
		srv := NewServer(Options{})
		srv.AddUser(User{Nickname: "alice", Email: aliceEmail, Workspaces: []string{"acme"}})
		srv.AddAPIToken(aliceEmail, aliceToken, "read:repository:bitbucket")
		if err := srv.AddRepo(Repo{Workspace: "acme", Slug: "app", GitDir: gitDir, Private: true}); err != nil {
			b.Fatal(err)
		}
		hashes := commitsOnMain(b, gitDir)
		for u := "/2.0/repositories/acme/app/commits/main?pagelen=100"; u != ""; {
			u, _ = get(b, srv, u, basic(aliceEmail, aliceToken)).json(b)["next"].(string)
		}
		for _, h := range hashes {
			benchGet(b, client, srv, "/2.0/repositories/acme/app/diff/"+h)
		}
		b.ReportMetric(float64(srv.CountRequests("/2.0/")), "requests/op")
		srv.Close()
	}
}
