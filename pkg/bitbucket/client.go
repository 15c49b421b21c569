// Package bitbucket is sigsentry's client for the Bitbucket Cloud REST API 2.0:
// authentication transports, paging that follows opaque `next` links, retries
// with backoff on 429 and 5xx, bounded concurrency, typed errors and a
// redacted debug trace.
package bitbucket

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// DefaultAPIURL is the production API base.
const DefaultAPIURL = "https://api.bitbucket.org/2.0"

// DefaultMaxInFlight bounds concurrent requests across all repositories.
const DefaultMaxInFlight = 8

// Options configure a Client.
type Options struct {
	// BaseURL is the API base, e.g. https://api.bitbucket.org/2.0. Plain
	// http:// is accepted only for loopback hosts.
	BaseURL string
	// Auth authenticates each request; nil sends none.
	Auth Authenticator
	// HTTPClient is the underlying client; nil uses a default with timeouts.
	HTTPClient *http.Client
	// MaxInFlight bounds concurrent requests (default DefaultMaxInFlight).
	MaxInFlight int
	// Debug, when not nil, receives a redacted trace of requests/responses.
	Debug io.Writer
	// UserAgent is sent on every request.
	UserAgent string
}

// Authenticator adds credentials to a request.
type Authenticator interface {
	// Authenticate sets the Authorization header (or similar) on req.
	Authenticate(req *http.Request) error
}

// Client talks to Bitbucket Cloud. It is safe for concurrent use.
type Client struct {
	opts Options
}

// ErrNotImplemented is returned by parts that are not built yet.
var ErrNotImplemented = errors.New("not implemented")

// New returns a Client.
func New(opts Options) (*Client, error) { return &Client{opts: opts}, nil }

// ListCommitsOptions select commits of a ref inside a time window.
type ListCommitsOptions struct {
	Since, Until  time.Time
	IncludeMerges bool
}

// Repository returns one repository (GET /repositories/{ws}/{slug}).
func (c *Client) Repository(ctx context.Context, workspace, slug string) (*Repository, error) {
	return nil, ErrNotImplemented
}

// CurrentUser returns the authenticated user (GET /user).
func (c *Client) CurrentUser(ctx context.Context) (*User, *Identity, error) {
	return nil, nil, ErrNotImplemented
}

// UserWorkspaces lists the workspaces the user can access (GET /user/workspaces).
func (c *Client) UserWorkspaces(ctx context.Context) ([]Workspace, error) {
	return nil, ErrNotImplemented
}

// ListCommits returns the commits of ref whose date lies inside the window,
// newest first, as Bitbucket orders them.
func (c *Client) ListCommits(ctx context.Context, workspace, slug, ref string, o ListCommitsOptions) ([]Commit, error) {
	return nil, ErrNotImplemented
}

// Diff returns the raw unified diff of one commit against its first parent.
func (c *Client) Diff(ctx context.Context, workspace, slug, hash string) ([]byte, error) {
	return nil, ErrNotImplemented
}

// Diffstat returns per-file counts of one commit against its first parent.
func (c *Client) Diffstat(ctx context.Context, workspace, slug, hash string) ([]DiffstatEntry, error) {
	return nil, ErrNotImplemented
}
