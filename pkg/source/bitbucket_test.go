package source

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/diffstat/gitnumstat"
)

// fakeBitbucket serves r as acme/app and returns an authenticated client.
func fakeBitbucket(t *testing.T, r *gitRepo, opts ...bitbuckettest.Options) (*bitbuckettest.Server, *bitbucket.Client) {
	t.Helper()
	var o bitbuckettest.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	srv := bitbuckettest.NewServer(o)
	t.Cleanup(srv.Close)
	srv.AddUser(bitbuckettest.User{Email: "ada@example.com", Workspaces: []string{"acme"}})
	srv.AddAPIToken("ada@example.com", "test-token", "read:repository:bitbucket")
	if err := srv.AddRepo(bitbuckettest.Repo{Workspace: "acme", Slug: "app", GitDir: r.dir, Private: true}); err != nil {
		t.Fatal(err)
	}
	c, err := bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: bitbucket.BasicAuth("ada@example.com", "test-token")})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestBitbucketMatchesGit(t *testing.T) {
	r, w, h := sample(t)
	srv, client := fakeBitbucket(t, r)
	b := NewBitbucket(client, "acme", "app", "")
	ctx := context.Background()

	ref, err := b.DefaultRef(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ref != "main" {
		t.Errorf("DefaultRef: got %q, want %q", ref, "main")
	}
	if _, err := b.DefaultRef(ctx); err != nil {
		t.Fatal(err)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/app"); n != 1 {
		// CountRequests counts by prefix, and nothing else was asked yet.
		t.Errorf("two DefaultRef calls: got %d requests, want 1", n)
	}

	l, err := NewLocal(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, merges := range []bool{false, true} {
		got, err := b.Commits(ctx, ref, w, merges)
		if err != nil {
			t.Fatal(err)
		}
		want, err := l.Commits(ctx, ref, w, merges)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("merges=%t: got %d commits, want %d as local git lists", merges, len(got), len(want))
		}
		for i := range got {
			if got[i].Hash != want[i].Hash || got[i].Repo != "acme/app" || got[i].Summary() != want[i].Summary() {
				t.Errorf("merges=%t commit %d: got %s %q (%s), want %s %q", merges, i, got[i].Hash, got[i].Summary(), got[i].Repo, want[i].Hash, want[i].Summary())
			}
		}
	}

	for name, hash := range h {
		t.Run(name, func(t *testing.T) {
			ch, err := b.Change(ctx, Commit{Hash: hash})
			if err != nil {
				t.Fatal(err)
			}
			if ch.Fallback != "" {
				t.Errorf("got fallback %q, want none", ch.Fallback)
			}
			if d := gitnumstat.Diff(ch.Files, gitNumstat(t, r, hash)); len(d) > 0 {
				t.Errorf("Bitbucket change differs from git:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}

func TestBitbucketDiffTooLarge(t *testing.T) {
	r, _, h := sample(t)
	// Every diff is "too large" (555); diffstat still answers.
	_, client := fakeBitbucket(t, r, bitbuckettest.Options{MaxDiffBytes: 1})
	b := NewBitbucket(client, "acme", "app", "main")
	ctx := context.Background()
	for _, name := range []string{"rename-edit", "delete", "binary", "mode"} {
		t.Run(name, func(t *testing.T) {
			ch, err := b.Change(ctx, Commit{Hash: h[name]})
			if err != nil {
				t.Fatal(err)
			}
			if ch.Fallback != FallbackDiffstat {
				t.Errorf("got fallback %q, want %q", ch.Fallback, FallbackDiffstat)
			}
			want := gitNumstat(t, r, h[name])
			got := gitnumstat.FromFiles(ch.Files)
			if len(got) != len(want) {
				t.Fatalf("got %d files, want %d", len(got), len(want))
			}
			var added, removed, wantAdded, wantRemoved int
			for i := range got {
				added += got[i].Added
				removed += got[i].Removed
				wantAdded += want[i].Added
				wantRemoved += want[i].Removed
			}
			if added != wantAdded || removed != wantRemoved {
				t.Errorf("got +%d -%d, want +%d -%d", added, removed, wantAdded, wantRemoved)
			}
		})
	}
}

func TestBitbucketDiffAndDiffstatTooLarge(t *testing.T) {
	r, _, h := sample(t)
	srv, client := fakeBitbucket(t, r, bitbuckettest.Options{MaxDiffBytes: 1})
	b := NewBitbucket(client, "acme", "app", "main")
	srv.FailNext("/diffstat/", 555, 1)
	ch, err := b.Change(context.Background(), Commit{Hash: h["delete"]})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Fallback != FallbackNone || len(ch.Files) != 0 {
		t.Errorf("got fallback %q with %d files, want %q with none", ch.Fallback, len(ch.Files), FallbackNone)
	}
}

func TestBitbucketErrors(t *testing.T) {
	r, w, _ := sample(t)
	_, client := fakeBitbucket(t, r)
	ctx := context.Background()
	b := NewBitbucket(client, "acme", "missing", "")
	_, err := b.DefaultRef(ctx)
	var api *bitbucket.APIError
	if !errors.As(err, &api) || api.StatusCode != 404 {
		t.Errorf("DefaultRef of a missing repository: got %v, want an HTTP 404 APIError", err)
	}
	_, err = b.Commits(ctx, "main", w, false)
	if !errors.As(err, &api) || api.StatusCode != 404 {
		t.Errorf("Commits of a missing repository: got %v, want an HTTP 404 APIError", err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if _, err := NewBitbucket(client, "acme", "app", "").Change(ctx, Commit{Hash: strings.Repeat("a", 40)}); err == nil {
		t.Errorf("Change with an expired context: got no error, want one")
	}
}
