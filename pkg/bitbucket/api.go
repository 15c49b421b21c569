package bitbucket

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Page sizes: 100 is the maximum for commits and workspaces; diffstat
// defaults to 500 and allows up to 5,000 (OpenAPI paginated_diffstats).
const (
	commitsPageLen    = "100"
	workspacesPageLen = "100"
	diffstatPageLen   = "500"
)

// Partial-response field lists that trim each page to what sigsentry reads.
const (
	commitFields   = "next,values.hash,values.date,values.message,values.author.raw,values.parents.hash"
	diffstatFields = "next,values.status,values.lines_added,values.lines_removed," +
		"values.old.path,values.old.attributes,values.new.path,values.new.attributes"
)

// getJSON GETs u and decodes a JSON body into v.
func (c *Client) getJSON(ctx context.Context, u string, v any) (http.Header, error) {
	tooLarge := fmt.Errorf("reading GET %s: the JSON body is larger than %d bytes", redactURLString(u), maxJSONBytes)
	r, err := c.get(ctx, u, "application/json", maxJSONBytes, tooLarge)
	if err != nil {
		return headerOf(r), err
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return r.header, fmt.Errorf("decoding the answer of GET %s: %w", redactURLString(u), err)
	}
	return r.header, nil
}

func headerOf(r *response) http.Header {
	if r == nil {
		return nil
	}
	return r.header
}

func needAll(what string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("%s: the %s is empty", what, pairs[i])
		}
	}
	return nil
}

// Repository returns one repository (GET /repositories/{ws}/{slug}).
func (c *Client) Repository(ctx context.Context, workspace, slug string) (*Repository, error) {
	if err := needAll("getting a repository", "workspace", workspace, "repository slug", slug); err != nil {
		return nil, err
	}
	var r Repository
	if _, err := c.getJSON(ctx, c.endpoint([]string{"repositories", workspace, slug}), &r); err != nil {
		return nil, fmt.Errorf("getting repository %s/%s: %w", workspace, slug, err)
	}
	return &r, nil
}

// CurrentUser returns the authenticated user (GET /user) and the identity of
// the credential from the X-OAuth-Scopes and X-Credential-Type headers. On
// an HTTP error the Identity is still returned when the headers were sent.
func (c *Client) CurrentUser(ctx context.Context) (*User, *Identity, error) {
	var u User
	h, err := c.getJSON(ctx, c.endpoint([]string{"user"}), &u)
	id := identityFrom(h)
	if err != nil {
		return nil, id, fmt.Errorf("getting the current user: %w", err)
	}
	if id == nil {
		id = &Identity{}
	}
	return &u, id, nil
}

func identityFrom(h http.Header) *Identity {
	if h == nil {
		return nil
	}
	scopes, ct := h.Get("X-OAuth-Scopes"), h.Get("X-Credential-Type")
	if scopes == "" && ct == "" {
		return nil
	}
	return &Identity{Scopes: splitScopes(scopes), CredentialType: strings.TrimSpace(ct)}
}

// UserWorkspaces lists the workspaces the user can access (GET
// /user/workspaces, all pages). The global /workspaces endpoint is gone
// (HTTP 410, CHANGE-2770) and is never used.
func (c *Client) UserWorkspaces(ctx context.Context) ([]Workspace, error) {
	type access struct {
		Administrator bool `json:"administrator"`
		Workspace     struct {
			UUID string `json:"uuid"`
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"workspace"`
	}
	var out []Workspace
	first := c.endpoint([]string{"user", "workspaces"}, "pagelen", workspacesPageLen)
	err := walk(ctx, c, first, func(vs []access) (bool, error) {
		for _, a := range vs {
			out = append(out, Workspace{UUID: a.Workspace.UUID, Slug: a.Workspace.Slug, Name: a.Workspace.Name, Administrator: a.Administrator})
		}
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the user's workspaces: %w", err)
	}
	return out, nil
}

// ListCommitsOptions select commits of a ref inside a time window.
type ListCommitsOptions struct {
	// Since and Until bound the commit date, both inclusive; zero is open.
	Since, Until time.Time
	// IncludeMerges keeps commits with more than one parent.
	IncludeMerges bool
}

// commitJSON is one commit as the trimmed listing returns it.
type commitJSON struct {
	Hash    string `json:"hash"`
	Date    string `json:"date"`
	Message string `json:"message"`
	Author  struct {
		Raw string `json:"raw"`
	} `json:"author"`
	Parents []struct {
		Hash string `json:"hash"`
	} `json:"parents"`
}

// ListCommits returns the commits of ref whose date lies inside the window
// [Since, Until] (a zero bound is open), newest first, as Bitbucket orders
// them. An empty ref means the repository's main branch. The listing is
// topological, not by date, so paging stops only after a whole page of
// commits older than Since. Merge commits are left out unless IncludeMerges.
func (c *Client) ListCommits(ctx context.Context, workspace, slug, ref string, o ListCommitsOptions) ([]Commit, error) {
	if err := needAll("listing commits", "workspace", workspace, "repository slug", slug); err != nil {
		return nil, err
	}
	if ref == "" {
		r, err := c.Repository(ctx, workspace, slug)
		if err != nil {
			return nil, fmt.Errorf("listing commits: finding the main branch: %w", err)
		}
		if r.MainBranch.Name == "" {
			return nil, fmt.Errorf("listing commits of %s/%s: the repository has no main branch (is it empty?)", workspace, slug)
		}
		ref = r.MainBranch.Name
	}
	first := c.endpoint([]string{"repositories", workspace, slug, "commits", ref},
		"pagelen", commitsPageLen, "fields", commitFields)
	var out []Commit
	err := walk(ctx, c, first, func(vs []commitJSON) (bool, error) {
		allOlder := len(vs) > 0 && !o.Since.IsZero()
		for _, v := range vs {
			d, err := parseDate(v.Date)
			if err != nil {
				return false, fmt.Errorf("reading commit %s: %w", v.Hash, err)
			}
			if o.Since.IsZero() || !d.Before(o.Since) {
				allOlder = false
			}
			if !o.Since.IsZero() && d.Before(o.Since) || !o.Until.IsZero() && d.After(o.Until) {
				continue
			}
			if len(v.Parents) > 1 && !o.IncludeMerges {
				continue
			}
			cm := Commit{Hash: v.Hash, Date: d, Message: v.Message, Author: v.Author.Raw, Parents: make([]string, 0, len(v.Parents))}
			for _, p := range v.Parents {
				cm.Parents = append(cm.Parents, p.Hash)
			}
			out = append(out, cm)
		}
		return !allOlder, nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing commits of %s/%s at %s: %w", workspace, slug, ref, err)
	}
	return out, nil
}

// CommitPages walks the commit listing of ref page by page at the largest
// page size, newest first as Bitbucket orders them (topologically), with no
// date filter and merges included, handing each page to fn until fn
// returns more=false or the listing ends. An empty ref means the
// repository's main branch.
func (c *Client) CommitPages(ctx context.Context, workspace, slug, ref string, fn func(page []Commit) (more bool, err error)) error {
	if err := needAll("listing commits", "workspace", workspace, "repository slug", slug, "ref", ref); err != nil {
		return err
	}
	first := c.endpoint([]string{"repositories", workspace, slug, "commits", ref},
		"pagelen", commitsPageLen, "fields", commitFields)
	err := walk(ctx, c, first, func(vs []commitJSON) (bool, error) {
		out := make([]Commit, 0, len(vs))
		for _, v := range vs {
			d, err := parseDate(v.Date)
			if err != nil {
				return false, fmt.Errorf("reading commit %s: %w", v.Hash, err)
			}
			cm := Commit{Hash: v.Hash, Date: d, Message: v.Message, Author: v.Author.Raw, Parents: make([]string, 0, len(v.Parents))}
			for _, p := range v.Parents {
				cm.Parents = append(cm.Parents, p.Hash)
			}
			out = append(out, cm)
		}
		return fn(out)
	})
	if err != nil {
		return fmt.Errorf("listing commits of %s/%s at %s: %w", workspace, slug, ref, err)
	}
	return nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("parsing the commit date %q: not ISO 8601", capText(s))
}

// Diff returns the raw unified diff of one commit against its first parent
// (GET /repositories/{ws}/{slug}/diff/{hash}) as bytes in the repository's
// own encoding. A diff bigger than Options.MaxDiffBytes, or one Bitbucket
// gives up on (HTTP 555), fails with an error matching ErrDiffTooLarge;
// fall back to Diffstat then.
func (c *Client) Diff(ctx context.Context, workspace, slug, hash string) ([]byte, error) {
	if err := needAll("getting a diff", "workspace", workspace, "repository slug", slug, "commit", hash); err != nil {
		return nil, err
	}
	u := c.endpoint([]string{"repositories", workspace, slug, "diff", hash})
	tooLarge := fmt.Errorf("the diff is larger than %d bytes: %w", c.maxDiffBytes, ErrDiffTooLarge)
	r, err := c.get(ctx, u, "text/plain", c.maxDiffBytes, tooLarge)
	if err != nil {
		return nil, fmt.Errorf("getting the diff of %s in %s/%s: %w", hash, workspace, slug, err)
	}
	return r.body, nil
}

// diffstatJSON is one entry of a diffstat page.
type diffstatJSON struct {
	Status       string      `json:"status"`
	LinesAdded   int         `json:"lines_added"`
	LinesRemoved int         `json:"lines_removed"`
	Old          *commitFile `json:"old"`
	New          *commitFile `json:"new"`
}

type commitFile struct {
	Path       string          `json:"path"`
	Attributes json.RawMessage `json:"attributes"`
}

// binary reports whether attributes (a string, or a list) say "binary".
func (f *commitFile) binary() bool {
	if f == nil || len(f.Attributes) == 0 {
		return false
	}
	var one string
	if json.Unmarshal(f.Attributes, &one) == nil {
		return one == "binary"
	}
	var many []string
	if json.Unmarshal(f.Attributes, &many) == nil {
		for _, a := range many {
			if a == "binary" {
				return true
			}
		}
	}
	return bytes.Contains(f.Attributes, []byte(`"binary"`))
}

// Diffstat returns per-file counts of one commit against its first parent
// (GET /repositories/{ws}/{slug}/diffstat/{hash}, all pages). OldPath is
// empty for an added file and NewPath for a removed one.
func (c *Client) Diffstat(ctx context.Context, workspace, slug, hash string) ([]DiffstatEntry, error) {
	if err := needAll("getting a diffstat", "workspace", workspace, "repository slug", slug, "commit", hash); err != nil {
		return nil, err
	}
	first := c.endpoint([]string{"repositories", workspace, slug, "diffstat", hash},
		"pagelen", diffstatPageLen, "fields", diffstatFields)
	var out []DiffstatEntry
	err := walk(ctx, c, first, func(vs []diffstatJSON) (bool, error) {
		for _, v := range vs {
			e := DiffstatEntry{
				Status:       v.Status,
				LinesAdded:   v.LinesAdded,
				LinesRemoved: v.LinesRemoved,
				Binary:       v.Old.binary() || v.New.binary(),
			}
			if v.Old != nil {
				e.OldPath = v.Old.Path
			}
			if v.New != nil {
				e.NewPath = v.New.Path
			}
			if e.Status == "" {
				e.Status = inferStatus(e)
			}
			out = append(out, e)
		}
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("getting the diffstat of %s in %s/%s: %w", hash, workspace, slug, err)
	}
	return out, nil
}

func inferStatus(e DiffstatEntry) string {
	switch {
	case e.OldPath == "" && e.NewPath != "":
		return "added"
	case e.NewPath == "" && e.OldPath != "":
		return "removed"
	case e.OldPath != e.NewPath:
		return "renamed"
	}
	return "modified"
}
