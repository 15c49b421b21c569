package bitbucket

import "net/http"

type basicAuth struct{ user, secret string }

// BasicAuth authenticates with a username (or Atlassian account email) and a
// secret (API token; formerly App password).
func BasicAuth(user, secret string) Authenticator { return basicAuth{user, secret} }

func (b basicAuth) Authenticate(r *http.Request) error {
	r.SetBasicAuth(b.user, b.secret)
	return nil
}

type bearerAuth struct{ token string }

// BearerAuth authenticates with an access token.
func BearerAuth(token string) Authenticator { return bearerAuth{token} }

func (b bearerAuth) Authenticate(r *http.Request) error {
	r.Header.Set("Authorization", "Bearer "+b.token)
	return nil
}
