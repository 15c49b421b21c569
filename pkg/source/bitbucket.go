package source

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

// FallbackDiffstat is Change.Fallback when Bitbucket could not produce the
// full diff and the counts came from its diffstat endpoint instead.
const FallbackDiffstat = "diffstat: diff too large (HTTP 555)"

// FallbackNone is Change.Fallback when Bitbucket could produce neither the
// diff nor the diffstat of a commit (both too large): the commit is listed
// with no files, and callers should say that its counts are missing.
const FallbackNone = "none: diff and diffstat too large (HTTP 555)"

// Bitbucket reads commits and diffs of one repository from Bitbucket Cloud.
// Counts are made locally from the raw diff; when Bitbucket cannot produce
// the diff (HTTP 555 or an over-large diff) they come from its diffstat.
type Bitbucket struct {
	client          *bitbucket.Client
	workspace, slug string

	mu         sync.Mutex
	mainBranch string
}

// NewBitbucket returns a source for workspace/slug. mainBranch, when known
// (stored at `repos add`), saves the repository lookup.
func NewBitbucket(client *bitbucket.Client, workspace, slug, mainBranch string) *Bitbucket {
	return &Bitbucket{client: client, workspace: workspace, slug: slug, mainBranch: mainBranch}
}

// Kind is "bitbucket".
func (b *Bitbucket) Kind() string { return "bitbucket" }

// Repo is workspace/slug.
func (b *Bitbucket) Repo() string { return b.workspace + "/" + b.slug }

// DefaultRef is the repository's main branch: the stored one, else one
// repository lookup (remembered for the life of b).
func (b *Bitbucket) DefaultRef(ctx context.Context) (string, error) {
	b.mu.Lock()
	mb := b.mainBranch
	b.mu.Unlock()
	if mb != "" {
		return mb, nil
	}
	r, err := b.client.Repository(ctx, b.workspace, b.slug)
	if err != nil {
		return "", fmt.Errorf("looking up the main branch of %s: %w", b.Repo(), err)
	}
	if r.MainBranch.Name == "" {
		return "", fmt.Errorf("looking up the main branch of %s: the repository has none (is it empty?)", b.Repo())
	}
	b.mu.Lock()
	b.mainBranch = r.MainBranch.Name
	b.mu.Unlock()
	return r.MainBranch.Name, nil
}

// Commits lists the commits of ref inside w, newest first.
func (b *Bitbucket) Commits(ctx context.Context, ref string, w Window, includeMerges bool) ([]Commit, error) {
	list, err := b.client.ListCommits(ctx, b.workspace, b.slug, ref, bitbucket.ListCommitsOptions{
		Since: w.Since, Until: w.Until, IncludeMerges: includeMerges,
	})
	if err != nil {
		return nil, fmt.Errorf("listing commits of %s at %s: %w", b.Repo(), ref, err)
	}
	out := make([]Commit, 0, len(list))
	for _, c := range list {
		parents := c.Parents
		if parents == nil {
			parents = []string{}
		}
		out = append(out, Commit{
			Repo:    b.Repo(),
			Hash:    c.Hash,
			Date:    c.Date,
			Author:  c.Author,
			Message: c.Message,
			Parents: parents,
		})
	}
	return out, nil
}

// Change fetches the raw diff of c against its first parent and parses it.
// When the diff is too large for Bitbucket, it falls back to the diffstat
// endpoint: counts only, no hunks, and Change.Fallback says so.
func (b *Bitbucket) Change(ctx context.Context, c Commit) (*Change, error) {
	raw, err := b.client.Diff(ctx, b.workspace, b.slug, c.Hash)
	if errors.Is(err, bitbucket.ErrDiffTooLarge) {
		return b.fallback(ctx, c)
	}
	if err != nil {
		return nil, fmt.Errorf("fetching the diff of %s in %s: %w", short(c.Hash), b.Repo(), err)
	}
	files, err := diffstat.Parse(raw.Body)
	if err != nil {
		return nil, fmt.Errorf("parsing the diff of %s in %s: %w", short(c.Hash), b.Repo(), err)
	}
	if files == nil {
		files = []diffstat.File{}
	}
	return &Change{Hash: c.Hash, Files: files}, nil
}

func (b *Bitbucket) fallback(ctx context.Context, c Commit) (*Change, error) {
	entries, err := b.client.Diffstat(ctx, b.workspace, b.slug, c.Hash)
	if errors.Is(err, bitbucket.ErrDiffTooLarge) {
		return &Change{Hash: c.Hash, Files: []diffstat.File{}, Fallback: FallbackNone}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fetching the diffstat of %s in %s (its diff is too large): %w", short(c.Hash), b.Repo(), err)
	}
	files := make([]diffstat.File, 0, len(entries))
	for _, e := range entries {
		f := diffstat.File{
			Path:         e.NewPath,
			Status:       diffstat.Status(e.Status),
			Binary:       e.Binary,
			LinesAdded:   e.LinesAdded,
			LinesRemoved: e.LinesRemoved,
		}
		switch f.Status {
		case diffstat.Removed:
			f.Path = e.OldPath
		case diffstat.Renamed:
			f.OldPath = e.OldPath
		}
		if f.Path == "" {
			f.Path = e.OldPath
		}
		files = append(files, f)
	}
	return &Change{Hash: c.Hash, Files: files, Fallback: FallbackDiffstat}, nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
