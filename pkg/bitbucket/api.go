package bitbucket

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strconv"
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

// getJSON GETs u and decodes a JSON body into v, a pointer. An answer
// that is an HTML page, that does not decode, or that validate (when not
// nil, called after each decode) refuses, counts as a transient server
// fault: it is retried, and its error returned once the retries run out. v
// is reset before each decode, so nothing of a refused answer remains.
func (c *Client) getJSON(ctx context.Context, u string, v any, validate func() error) (http.Header, error) {
	tooLarge := fmt.Errorf("reading GET %s: the JSON body is larger than %d bytes", redactURLString(u), maxJSONBytes)
	check := func(r *response) error {
		if isHTML(r.header.Get("Content-Type"), bytes.TrimSpace(r.body)) {
			return fmt.Errorf("decoding the answer of GET %s: it is an HTML page, not JSON (%q)",
				redactURLString(u), capHead(htmlText(r.body)))
		}
		reflect.ValueOf(v).Elem().SetZero()
		if err := json.Unmarshal(r.body, v); err != nil {
			return fmt.Errorf("decoding the answer of GET %s: %w", redactURLString(u), err)
		}
		if validate != nil {
			return validate()
		}
		return nil
	}
	r, err := c.get(ctx, u, "application/json", maxJSONBytes, tooLarge, check)
	if err != nil {
		return headerOf(r), err
	}
	return r.header, nil
}

// capHead is the start of an untrusted text, made safe to print in an error.
func capHead(s string) string {
	const n = 80
	if len(s) > 4*n {
		s = s[:4*n]
	}
	s = capText(s)
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
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
	if _, err := c.getJSON(ctx, c.endpoint([]string{"repositories", workspace, slug}), &r, nil); err != nil {
		return nil, fmt.Errorf("getting repository %s/%s: %w", workspace, slug, err)
	}
	return &r, nil
}

// CurrentUser returns the authenticated user (GET /user) and the identity of
// the credential from the X-OAuth-Scopes and X-Credential-Type headers. On
// an HTTP error the Identity is still returned when the headers were sent.
func (c *Client) CurrentUser(ctx context.Context) (*User, *Identity, error) {
	var u User
	h, err := c.getJSON(ctx, c.endpoint([]string{"user"}), &u, nil)
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

// CommitPages walks the commits of ref page by page, newest first as
// Bitbucket orders them (topologically, not by date), at the largest page
// Bitbucket allows (100 commits), and hands each non-empty page to fn as
// soon as it arrives, so a caller can start on a page's diffs while the
// next page loads. It filters nothing: merges are included and dates are
// not looked at; fn decides the window and stops the walk by returning
// more=false (or an error, which CommitPages returns unchanged). An empty
// ref means the repository's main branch (one more request). A listing
// longer than MaxListPages pages, a page without a values array, a run of
// empty pages that keep linking to another, or a next link that repeats a
// page fails with an error matching ErrBadPaging.
func (c *Client) CommitPages(ctx context.Context, workspace, slug, ref string, fn func(page []Commit) (more bool, err error)) error {
	if err := needAll("listing commits", "workspace", workspace, "repository slug", slug); err != nil {
		return err
	}
	if ref == "" {
		r, err := c.Repository(ctx, workspace, slug)
		if err != nil {
			return fmt.Errorf("listing commits: finding the main branch: %w", err)
		}
		if r.MainBranch.Name == "" {
			return fmt.Errorf("listing commits of %s/%s: the repository has no main branch (is it empty?)", workspace, slug)
		}
		ref = r.MainBranch.Name
	}
	// A ref is one path segment of /commits/{revision}, but Bitbucket does
	// not decode %2F there (a branch like release/1.2 answers 404), so a
	// ref holding a slash is given as include=, which lists the same
	// commits.
	first := c.endpoint([]string{"repositories", workspace, slug, "commits", ref},
		"pagelen", commitsPageLen, "fields", commitFields)
	if strings.Contains(ref, "/") {
		first = c.endpoint([]string{"repositories", workspace, slug, "commits"},
			"include", ref, "pagelen", commitsPageLen, "fields", commitFields)
	}
	var fnErr error
	err := walk(ctx, c, first, func(vs []commitJSON) (bool, error) {
		if len(vs) == 0 {
			return true, nil
		}
		page := make([]Commit, 0, len(vs))
		for _, v := range vs {
			d, err := parseDate(v.Date)
			if err != nil {
				return false, fmt.Errorf("reading commit %s: %w", capText(v.Hash), err)
			}
			cm := Commit{Hash: v.Hash, Date: d, Message: v.Message, Author: v.Author.Raw, Parents: make([]string, 0, len(v.Parents))}
			for _, p := range v.Parents {
				cm.Parents = append(cm.Parents, p.Hash)
			}
			page = append(page, cm)
		}
		more, err := fn(page)
		fnErr = err
		return more, err
	})
	if err != nil && fnErr == nil {
		return fmt.Errorf("listing commits of %s/%s at %s: %w", workspace, slug, ref, err)
	}
	return err
}

// ListCommits returns the commits of ref whose date lies inside the window
// [Since, Until] (a zero bound is open), newest first, as Bitbucket orders
// them. An empty ref means the repository's main branch. The listing is
// topological, not by date, so paging stops only after a whole page of
// commits older than Since. Merge commits are left out unless IncludeMerges.
// It is CommitPages with a date filter; callers that can work page by page
// should use CommitPages.
func (c *Client) ListCommits(ctx context.Context, workspace, slug, ref string, o ListCommitsOptions) ([]Commit, error) {
	var out []Commit
	err := c.CommitPages(ctx, workspace, slug, ref, func(page []Commit) (bool, error) {
		allOlder := !o.Since.IsZero()
		for _, cm := range page {
			if o.Since.IsZero() || !cm.Date.Before(o.Since) {
				allOlder = false
			}
			if !o.Since.IsZero() && cm.Date.Before(o.Since) || !o.Until.IsZero() && cm.Date.After(o.Until) {
				continue
			}
			if len(cm.Parents) > 1 && !o.IncludeMerges {
				continue
			}
			out = append(out, cm)
		}
		return !allOlder, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("parsing the commit date %q: not ISO 8601", capText(s))
}

// diffHeader starts every file section of a git diff, so a non-empty diff
// starts with it. Bitbucket's /diff answers the raw git diff, text/plain,
// without a commit header (that is /patch) and without a leading blank line
// or byte-order mark.
var diffHeader = []byte("diff --git ")

// Diff returns the raw unified diff of one commit against its first parent
// (GET /repositories/{ws}/{slug}/diff/{hash}) as bytes in the repository's
// own encoding. A diff bigger than Options.MaxDiffBytes, or one Bitbucket
// gives up on (HTTP 555), fails with an error matching ErrDiffTooLarge;
// fall back to Diffstat then.
//
// A 200 answer is checked before it is returned: one whose Content-Type is
// HTML or JSON, or whose non-empty body does not start with "diff --git ",
// is retried like a server fault and then fails with a *NotDiffError
// (matching ErrNotDiff). An empty body is returned as is: it is the
// right answer for a commit without changes, and the wrong one for a
// commit with some, so confirm it with Diffstat before trusting it. A body
// cut short on a framed connection (short Content-Length, reset, unfinished
// chunk) is retried; one that ended with the connection (RawDiff.Framed
// false) cannot be told from a complete one and must be verified too.
func (c *Client) Diff(ctx context.Context, workspace, slug, hash string) (*RawDiff, error) {
	if err := needAll("getting a diff", "workspace", workspace, "repository slug", slug, "commit", hash); err != nil {
		return nil, err
	}
	u := c.endpoint([]string{"repositories", workspace, slug, "diff", hash})
	tooLarge := fmt.Errorf("the diff is larger than %d bytes: %w", c.maxDiffBytes, ErrDiffTooLarge)
	r, err := c.get(ctx, u, "text/plain", c.maxDiffBytes, tooLarge, func(r *response) error { return checkDiff(u, r) })
	if err != nil {
		return nil, fmt.Errorf("getting the diff of %s in %s/%s: %w", hash, workspace, slug, err)
	}
	return &RawDiff{Body: r.body, Framed: r.framed}, nil
}

// MaxFileBytes caps a file read with FileContents: a source file larger
// than this is of no use to ranking (and is not read).
const MaxFileBytes = 4 << 20

// ErrFileTooLarge is returned by FileContents for a file over MaxFileBytes.
var ErrFileTooLarge = errors.New("bitbucket: the file is too large to read")

// FileContents returns the raw contents of the file at path in commit hash
// (GET /repositories/{ws}/{slug}/src/{hash}/{path}). A path missing at that
// commit fails with an error matching ErrNotFound. What a commit holds
// never changes, so callers should cache the answer by hash and path.
func (c *Client) FileContents(ctx context.Context, workspace, slug, hash, path string) ([]byte, error) {
	if err := needAll("reading a file", "workspace", workspace, "repository slug", slug, "commit", hash, "path", path); err != nil {
		return nil, err
	}
	segs := []string{"repositories", workspace, slug, "src", hash}
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if p == "" || p == "." || p == ".." {
			return nil, fmt.Errorf("reading %q at %s in %s/%s: not a file path", path, hash, workspace, slug)
		}
		segs = append(segs, p)
	}
	u := c.endpoint(segs)
	tooLarge := fmt.Errorf("%s is larger than %d bytes: %w", path, MaxFileBytes, ErrFileTooLarge)
	r, err := c.get(ctx, u, "*/*", MaxFileBytes, tooLarge, nil)
	if err != nil {
		return nil, fmt.Errorf("reading %s at %s in %s/%s: %w", path, hash, workspace, slug, err)
	}
	return r.body, nil
}

// checkDiff refuses a 200 answer to /diff that is not a diff.
func checkDiff(u string, r *response) error {
	ct := r.header.Get("Content-Type")
	bad := func(reason string) error {
		head := string(r.body[:min(len(r.body), 320)])
		if isHTML(ct, bytes.TrimSpace(r.body)) {
			head = htmlText(r.body)
		}
		return &NotDiffError{URL: redactURLString(u), ContentType: ct, Reason: reason, Head: capHead(head)}
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(ct)), ";")
	}
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return bad(fmt.Sprintf("its Content-Type is %s (a web page)", mt))
	case mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json"):
		return bad(fmt.Sprintf("its Content-Type is %s", mt))
	case len(r.body) > 0 && !bytes.HasPrefix(r.body, diffHeader):
		return bad("it does not start with a diff header (diff --git)")
	}
	return nil
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
	defaultPages := c.endpoint([]string{"repositories", workspace, slug, "diffstat", hash}, "fields", diffstatFields)
	if c.noDiffstatPagelen.Load() {
		first = defaultPages
	}
	var out []DiffstatEntry
	collect := func(vs []diffstatJSON) (bool, error) {
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
	}
	err := walk(ctx, c, first, collect)
	var api *APIError
	if errors.As(err, &api) && api.StatusCode == http.StatusBadRequest && len(out) == 0 && first != defaultPages {
		// The diffstat's own page size (500, up to 5,000) is above the
		// 100 Bitbucket's prose gives as every listing's maximum: a server
		// that holds to the prose refuses it. Its default is asked for,
		// from now on.
		out = nil
		if err = walk(ctx, c, defaultPages, collect); err == nil {
			c.noDiffstatPagelen.Store(true)
		}
	}
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

// TreeMaxDepth is how deep Tree asks Bitbucket to recurse into folders.
// Bitbucket walks breadth first and answers 555 when a listing takes too
// long; a tree deeper than this is listed down to this depth.
const TreeMaxDepth = 32

// treePageLen is the page size of directory listings, Bitbucket's largest.
const treePageLen = 100

// ErrTreeTooLarge is returned by Tree for a tree of more entries than the
// caller allows.
var ErrTreeTooLarge = errors.New("bitbucket: the repository's tree has more entries than allowed")

// treeEntry is one entry of a directory listing.
type treeEntry struct {
	Type string `json:"type"`
	Path string `json:"path"`
}

// Tree lists the paths of the files at commit hash, folders left out (GET
// /repositories/{ws}/{slug}/src/{hash}/?max_depth=TreeMaxDepth, every page
// of 100 entries). A tree of more than maxEntries entries, files and
// folders (0: no cap), fails with ErrTreeTooLarge, after the first page
// when it gives the listing's size. What a commit holds never changes, so
// callers should cache the answer by hash.
func (c *Client) Tree(ctx context.Context, workspace, slug, hash string, maxEntries int) ([]string, error) {
	if err := needAll("listing the tree", "workspace", workspace, "repository slug", slug, "commit", hash); err != nil {
		return nil, err
	}
	fail := func(err error) ([]string, error) {
		var api *APIError
		if errors.As(err, &api) && api.StatusCode == StatusDiffTooLarge {
			// "If the max_depth parameter is specified to be too large,
			// the call will time out and return a 555" (the /src
			// operation's description): a limit of this tree, as a size is.
			err = fmt.Errorf("%w (%w)", ErrTreeTooLarge, err)
		}
		return nil, fmt.Errorf("listing the files at %s in %s/%s: %w", hash, workspace, slug, err)
	}
	tooLarge := func(n int) error {
		return fmt.Errorf("%d entries or more, over the %d allowed: %w", n, maxEntries, ErrTreeTooLarge)
	}
	var out []string
	seen, pages := 0, 0
	// A server that pages in fewer entries than asked for would make the
	// listing cost more requests than maxEntries allows for: the pages are
	// capped too, at what maxEntries take at treePageLen a page, and one.
	maxPages := (maxEntries+treePageLen-1)/treePageLen + 1
	add := func(vs []treeEntry) (bool, error) {
		seen += len(vs)
		pages++
		if maxEntries > 0 && seen > maxEntries {
			return false, tooLarge(seen)
		}
		if maxEntries > 0 && pages > maxPages {
			return false, fmt.Errorf("listing it takes more than %d pages (the server sends %d entries a page, not %d): %w",
				maxPages, len(vs), treePageLen, ErrTreeTooLarge)
		}
		for _, e := range vs {
			if e.Type == "commit_file" && e.Path != "" {
				out = append(out, e.Path)
			}
		}
		return true, nil
	}
	first := c.endpoint([]string{"repositories", workspace, slug, "src", hash, ""},
		"max_depth", strconv.Itoa(TreeMaxDepth), "pagelen", strconv.Itoa(treePageLen))
	var p struct {
		page[treeEntry]
		Size int `json:"size"`
	}
	if _, err := c.getJSON(ctx, first, &p, func() error {
		if p.Values == nil {
			return fmt.Errorf("reading the page GET %s: it has no values array: %w", redactURLString(first), ErrBadPaging)
		}
		return nil
	}); err != nil {
		return fail(err)
	}
	if maxEntries > 0 && p.Size > maxEntries {
		return fail(tooLarge(p.Size))
	}
	if _, err := add(*p.Values); err != nil {
		return fail(err)
	}
	if p.Next != "" {
		next, err := c.checkNext(first, p.Next)
		if err != nil {
			return fail(err)
		}
		if err := walk(ctx, c, next, add); err != nil {
			return fail(err)
		}
	}
	return out, nil
}
