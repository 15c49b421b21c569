package bitbucket

import (
	"encoding/json"
	"time"
)

// Repository is the part of a Bitbucket repository object sigsentry uses.
type Repository struct {
	UUID       string `json:"uuid"`
	FullName   string `json:"full_name"`
	Name       string `json:"name"`
	IsPrivate  bool   `json:"is_private"`
	SCM        string `json:"scm"`
	MainBranch struct {
		Name string `json:"name"`
	} `json:"mainbranch"`
}

// User is the authenticated user from GET /2.0/user.
type User struct {
	UUID        string `json:"uuid"`
	AccountID   string `json:"account_id"`
	DisplayName string `json:"display_name"`
	Nickname    string `json:"nickname"`
	// Username is deprecated by Bitbucket but still returned.
	Username string `json:"username,omitempty"`
}

// Workspace is one entry of GET /2.0/user/workspaces.
type Workspace struct {
	UUID          string `json:"uuid"`
	Slug          string `json:"slug"`
	Name          string `json:"name,omitempty"`
	Administrator bool   `json:"administrator"`
}

// Commit is one commit from a commits listing.
type Commit struct {
	Hash    string    `json:"hash"`
	Date    time.Time `json:"date"`
	Message string    `json:"message"`
	// Author is the raw "Name <email>" string.
	Author  string   `json:"author"`
	Parents []string `json:"parents"`
}

// RawDiff is a diff as Client.Diff received it.
type RawDiff struct {
	// Body is the raw unified diff in the repository's own encoding: empty,
	// or starting with "diff --git ".
	Body []byte
	// Framed reports whether the transport delimited the body (a
	// Content-Length, chunked transfer encoding, HTTP/2, or gzip's own
	// trailer), so that a body cut short fails to read and is retried.
	// When false the body ended where the connection ended (HTTP/1.x with
	// neither Content-Length nor chunking): a connection closed early at a
	// file boundary reads as a shorter, well-formed diff. Verify such a
	// body, e.g. against Client.Diffstat, before caching it.
	Framed bool
}

// DiffstatEntry is one file of GET .../diffstat/{spec}.
type DiffstatEntry struct {
	Status       string `json:"status"` // added|removed|modified|renamed
	LinesAdded   int    `json:"lines_added"`
	LinesRemoved int    `json:"lines_removed"`
	OldPath      string `json:"old_path,omitempty"`
	NewPath      string `json:"new_path,omitempty"`
	Binary       bool   `json:"binary,omitempty"`
}

// Identity describes the credential a response was made with, from the
// X-OAuth-Scopes and X-Credential-Type headers when Bitbucket sends them.
type Identity struct {
	Scopes         []string
	CredentialType string
}

// errorBody is Bitbucket's error envelope; detail may be a string or an object.
type errorBody struct {
	Type  string `json:"type"`
	Error struct {
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
		Data    json.RawMessage `json:"data"`
	} `json:"error"`
}
