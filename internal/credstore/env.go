package credstore

// Environment variables that carry a credential, in precedence order.
const (
	EnvToken       = "SIGSENTRY_BITBUCKET_TOKEN"
	EnvUsername    = "SIGSENTRY_BITBUCKET_USERNAME"
	EnvAppPassword = "SIGSENTRY_BITBUCKET_APP_PASSWORD"
	EnvEmail       = "SIGSENTRY_BITBUCKET_EMAIL"
	EnvAPIToken    = "SIGSENTRY_BITBUCKET_API_TOKEN"
)

// EnvStore reads a credential from the environment. It is read-only: Set
// and Delete fail with an *EnvActiveError while a credential is set.
type EnvStore struct {
	Getenv func(string) string
}

// Get returns the environment's credential: SIGSENTRY_BITBUCKET_TOKEN wins,
// then SIGSENTRY_BITBUCKET_USERNAME + SIGSENTRY_BITBUCKET_APP_PASSWORD, then
// SIGSENTRY_BITBUCKET_EMAIL + SIGSENTRY_BITBUCKET_API_TOKEN.
func (e EnvStore) Get() (*Credential, error) {
	g := e.Getenv
	if t := g(EnvToken); t != "" {
		return &Credential{Method: MethodToken, Secret: t, Source: SourceEnvironment, EnvVars: []string{EnvToken}}, nil
	}
	if u, p := g(EnvUsername), g(EnvAppPassword); u != "" && p != "" {
		return &Credential{Method: MethodAppPassword, Username: u, Secret: p, Source: SourceEnvironment,
			EnvVars: []string{EnvUsername, EnvAppPassword}}, nil
	}
	if u, p := g(EnvEmail), g(EnvAPIToken); u != "" && p != "" {
		return &Credential{Method: MethodAPIToken, Username: u, Secret: p, Source: SourceEnvironment,
			EnvVars: []string{EnvEmail, EnvAPIToken}}, nil
	}
	return nil, ErrNotFound
}

// HalfSet describes a credential pair of which one variable is set and the
// other empty or unset (a CI secret that did not reach the job), or "".
func (e EnvStore) HalfSet() string {
	for _, pair := range [][2]string{{EnvEmail, EnvAPIToken}, {EnvUsername, EnvAppPassword}} {
		a, b := e.Getenv(pair[0]) != "", e.Getenv(pair[1]) != ""
		switch {
		case a && !b:
			return pair[0] + " is set but " + pair[1] + " is empty"
		case b && !a:
			return pair[1] + " is set but " + pair[0] + " is empty"
		}
	}
	return ""
}

// Active returns an *EnvActiveError when the environment holds a
// credential, and nil otherwise.
func (e EnvStore) Active() error {
	c, err := e.Get()
	if err != nil {
		return nil
	}
	return &EnvActiveError{Vars: c.EnvVars}
}

// Set refuses while an environment credential is set; otherwise the
// environment is simply not a place to store one.
func (e EnvStore) Set(*Credential) error {
	if err := e.Active(); err != nil {
		return err
	}
	return ErrReadOnly
}

// Delete refuses while an environment credential is set, and does nothing
// otherwise.
func (e EnvStore) Delete() error { return e.Active() }

// CheckWritable always fails: the environment cannot be written.
func (e EnvStore) CheckWritable() error { return e.Set(nil) }

// Source is SourceEnvironment.
func (e EnvStore) Source() Source { return SourceEnvironment }
