// Package credstore keeps sigsentry's credentials. For Bitbucket: one Store
// interface with three backends (the OS keychain, read-only environment
// variables, an encrypted file) and a Chain that applies the command-line
// contract's precedence: the token variable, then a Basic pair from the
// environment, then what is stored. For Sentry, a SentryChain: the
// SENTRY_AUTH_TOKEN variable, then the same kind of store under its own
// keychain service or file.
//
// Secrets never reach the config file; on disk they exist only inside the
// keychain or the encrypted file.
package credstore

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Method is the kind of a credential.
type Method string

// The credential kinds sigsentry knows.
const (
	// MethodOAuth is an OAuth 2.0 access token with a rotating refresh token.
	MethodOAuth Method = "oauth"
	// MethodAPIToken is an Atlassian account email with an API token (Basic).
	MethodAPIToken Method = "api-token"
	// MethodAppPassword is a Bitbucket username with an App password (Basic).
	MethodAppPassword Method = "app-password"
	// MethodToken is a repository, project or workspace access token (Bearer).
	MethodToken Method = "token"
	// MethodSentryToken is a Sentry auth token (Bearer), kept apart from the
	// Bitbucket credential; see SentryChain.
	MethodSentryToken Method = "sentry-token"
)

// Source says where a credential came from.
type Source string

// The places a credential can come from.
const (
	SourceEnvironment Source = "environment"
	SourceKeychain    Source = "keychain"
	SourceFile        Source = "file"
)

// Credential is one Bitbucket credential. Which fields are set depends on
// Method: Basic methods use Username and Secret, MethodToken uses Secret,
// MethodOAuth uses the token fields.
type Credential struct {
	Method Method `json:"method"`
	// Username is the Bitbucket username or Atlassian account email.
	Username string `json:"username,omitempty"`
	// Secret is the App password, API token or access token.
	Secret string `json:"secret,omitempty"`

	AccessToken  string    `json:"access_token,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Scopes       []string  `json:"scopes,omitempty"`
	// ClientID and ClientSecret are the OAuth consumer the tokens belong to;
	// a refresh needs both.
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`

	// Org and URL are the Sentry organization and base URL a Sentry token
	// was verified against (not secret).
	Org string `json:"org,omitempty"`
	URL string `json:"url,omitempty"`

	// Source is where this credential was read from (not stored).
	Source Source `json:"-"`
	// EnvVars names the environment variables it came from, for messages.
	EnvVars []string `json:"-"`
}

// Secrets returns every secret value the credential holds, for redaction.
func (c *Credential) Secrets() []string {
	var out []string
	for _, s := range []string{c.Secret, c.AccessToken, c.RefreshToken, c.ClientSecret} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks that the fields its Method needs are present.
func (c *Credential) Validate() error {
	switch c.Method {
	case MethodAPIToken, MethodAppPassword:
		if c.Username == "" || c.Secret == "" {
			return fmt.Errorf("%s credential needs a username and a secret", c.Method)
		}
	case MethodToken:
		if c.Secret == "" {
			return errors.New("access token credential needs the token")
		}
	case MethodSentryToken:
		if c.Secret == "" {
			return errors.New("a Sentry credential needs the auth token")
		}
	case MethodOAuth:
		if c.AccessToken == "" && c.RefreshToken == "" {
			return errors.New("oauth credential needs an access or refresh token")
		}
	default:
		return fmt.Errorf("unknown credential method %q", c.Method)
	}
	return nil
}

// Store is one place a credential can be kept.
type Store interface {
	// Get returns the stored credential, or an error wrapping ErrNotFound.
	Get() (*Credential, error)
	// Set replaces the stored credential.
	Set(c *Credential) error
	// Delete removes the stored credential; deleting nothing is not an error.
	Delete() error
	// CheckWritable reports, before anything is asked of the user, whether
	// Set can succeed.
	CheckWritable() error
	// Source names the backend.
	Source() Source
}

// ErrNotFound means no credential is stored in the backend asked.
var ErrNotFound = errors.New("no stored credential")

// ErrReadOnly is returned by Set and Delete while an environment credential
// is in force.
var ErrReadOnly = errors.New("a credential is set in the environment")

// ErrUnavailable means the OS keychain cannot be reached.
var ErrUnavailable = errors.New("the OS keychain is not available")

// UnavailableHint is what to do when the keychain is unavailable.
const UnavailableHint = "no Secret Service/keychain is reachable: for CI set SIGSENTRY_BITBUCKET_EMAIL and SIGSENTRY_BITBUCKET_API_TOKEN; " +
	"on a headless machine set SIGSENTRY_CREDENTIAL_STORE=file and SIGSENTRY_CREDENTIAL_PASSPHRASE to keep an encrypted file instead"

// EnvActiveError says which environment variables make the store read-only.
type EnvActiveError struct {
	Vars []string
}

func (e *EnvActiveError) Error() string {
	return fmt.Sprintf("a credential is set in the environment (%s): unset it to store or remove credentials on this machine",
		strings.Join(e.Vars, ", "))
}

// Unwrap makes errors.Is(err, ErrReadOnly) true.
func (e *EnvActiveError) Unwrap() error { return ErrReadOnly }
