package sentrytest

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// subsetPath finds Sentry's API subset: ../shared/reference/ beside the
// module root (where CI puts shared/), or $SIGSENTRY_SENTRY_OPENAPI.
func subsetPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SIGSENTRY_SENTRY_OPENAPI"); p != "" {
		return p
	}
	var tried []string
	if dir, err := os.Getwd(); err == nil {
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				p := filepath.Join(d, "..", "shared", "reference", "sentry-api-subset.json")
				tried = append(tried, p)
				if _, err := os.Stat(p); err == nil {
					return p
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	testenv.Unavailable(t, "Sentry's API subset not found (tried %v); set SIGSENTRY_SENTRY_OPENAPI", tried)
	return ""
}

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

// loadSpec loads the subset and patches the one place where OpenAPI 3.0
// and Sentry's schema generator disagree, so the rest stays strict: a
// free-form value (`{}`, e.g. the values of firstRelease or _meta) means
// "anything" to the generator, but OpenAPI 3.0 reads it as non-nullable,
// and Sentry sends null there (firstRelease.ref, _meta.context,
// lastCommit.pullRequest).
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	path := subsetPath(t)
	specOnce.Do(func() {
		specDoc, specErr = openapi3.NewLoader().LoadFromFile(path)
		if specErr == nil {
			seen := map[*openapi3.Schema]bool{}
			for _, item := range specDoc.Paths.Map() {
				for _, op := range item.Operations() {
					for _, r := range op.Responses.Map() {
						if r.Value == nil {
							continue
						}
						for _, mt := range r.Value.Content {
							if mt.Schema != nil {
								nullableAny(mt.Schema.Value, seen)
							}
						}
					}
				}
			}
		}
	})
	if specErr != nil {
		t.Fatalf("loading %s: %v", path, specErr)
	}
	return specDoc
}

// nullableAny makes every free-form schema below s accept null.
func nullableAny(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if (s.Type == nil || len(*s.Type) == 0) && len(s.Properties) == 0 && s.Items == nil && len(s.AllOf) == 0 &&
		len(s.AnyOf) == 0 && len(s.OneOf) == 0 && len(s.Enum) == 0 && s.AdditionalProperties.Schema == nil {
		s.Nullable = true
	}
	walk := func(refs ...*openapi3.SchemaRef) {
		for _, r := range refs {
			if r != nil {
				nullableAny(r.Value, seen)
			}
		}
	}
	for _, p := range s.Properties {
		walk(p)
	}
	walk(s.Items, s.AdditionalProperties.Schema)
	walk(s.AllOf...)
	walk(s.AnyOf...)
	walk(s.OneOf...)
}

// responseSchema is the JSON schema of an operation's response.
func responseSchema(t *testing.T, doc *openapi3.T, path string, status int) *openapi3.Schema {
	t.Helper()
	item := doc.Paths.Value(path)
	if item == nil {
		t.Fatalf("the subset has no path %s", path)
	}
	op := item.Get
	if op == nil {
		t.Fatalf("the subset has no GET %s", path)
	}
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		t.Fatalf("the subset has no %d response for GET %s", status, path)
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		t.Fatalf("the subset has no JSON schema for %d GET %s", status, path)
	}
	return mt.Schema.Value
}

func validate(t *testing.T, schema *openapi3.Schema, body []byte, what string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: decoding %q: %v", what, body, err)
	}
	if err := schema.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, e := range me {
				t.Errorf("%s: %v", what, e)
			}
			return
		}
		t.Errorf("%s: %v", what, err)
	}
}

func TestResponsesMatchSchemas(t *testing.T) {
	doc := loadSpec(t)
	f := newFixture(t)
	const org = "/api/0/organizations/{organization_id_or_slug}"
	is, ev := f.issue, f.events
	version := url.PathEscape("checkout@2.0.0")
	tests := []struct {
		name, url, specPath string
	}{
		{"issue", "/api/0/organizations/acme/issues/" + is.ID + "/", org + "/issues/{issue_id}/"},
		{"issue by short id", "/api/0/organizations/acme/issues/" + is.ShortID + "/", org + "/issues/{issue_id}/"},
		{"issue without stack trace", "/api/0/organizations/acme/issues/" + f.message.ID + "/", org + "/issues/{issue_id}/"},
		{"short id", "/api/0/organizations/acme/shortids/" + is.ShortID + "/", org + "/shortids/{issue_id}/"},
		{"recommended event", "/api/0/organizations/acme/issues/" + is.ID + "/events/recommended/", org + "/issues/{issue_id}/events/{event_id}/"},
		{"latest event (message)", "/api/0/organizations/acme/issues/" + is.ID + "/events/latest/", org + "/issues/{issue_id}/events/{event_id}/"},
		{"oldest event", "/api/0/organizations/acme/issues/" + is.ID + "/events/oldest/", org + "/issues/{issue_id}/events/{event_id}/"},
		{"event by id", "/api/0/organizations/acme/issues/" + is.ID + "/events/" + ev[1].ID + "/", org + "/issues/{issue_id}/events/{event_id}/"},
		{"native event, release in tag only", "/api/0/organizations/acme/issues/" + f.tagOnly.ID + "/events/latest/", org + "/issues/{issue_id}/events/{event_id}/"},
		{"event id lookup", "/api/0/organizations/acme/eventids/" + ev[0].ID + "/", org + "/eventids/{event_id}/"},
		{"project event", "/api/0/projects/acme/checkout/events/" + ev[0].ID + "/", "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/events/{event_id}/"},
		{"release", "/api/0/organizations/acme/releases/" + version + "/", org + "/releases/{version}/"},
		{"release without commits", "/api/0/organizations/acme/releases/" + url.PathEscape("checkout@2.0.0+9f3c2a1") + "/", org + "/releases/{version}/"},
		{"release commits page 1", "/api/0/organizations/acme/releases/" + version + "/commits/", org + "/releases/{version}/commits/"},
		{"release commits last page", "/api/0/organizations/acme/releases/" + version + "/commits/?cursor=0:6:0", org + "/releases/{version}/commits/"},
		{"repos", "/api/0/organizations/acme/repos/", org + "/repos/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := get(t, f.srv, tt.url, readToken)
			if a.status != 200 {
				t.Fatalf("got status %d, want 200: %s", a.status, a.body)
			}
			validate(t, responseSchema(t, doc, tt.specPath, 200), a.body, tt.name)
		})
	}
}

// TestErrorAnswers checks the error answers the subset lists without a
// body schema (401, 403, 404; 400 for a bad cursor): each is
// {"detail": "..."} with Sentry's wording.
func TestErrorAnswers(t *testing.T) {
	f := newFixture(t)
	issue := "/api/0/organizations/acme/issues/" + f.issue.ID + "/"
	tests := []struct {
		name, url, token string
		status           int
		detail           string
	}{
		{"no token", issue, "", 401, msgNoCredentials},
		{"unknown token", issue, "sntryu_nope", 401, msgInvalidToken},
		{"expired token", issue, expiredToken, 401, msgExpired},
		{"missing scope", "/api/0/organizations/acme/releases/x/commits/", eventsOnly, 403, msgForbidden},
		{"not a member", issue, otherOrgTok, 403, msgForbidden},
		{"unknown issue", "/api/0/organizations/acme/issues/1/", readToken, 404, msgNotFound},
		{"issue of another org", "/api/0/organizations/globex/issues/" + f.issue.ID + "/", readToken, 404, msgNotFound},
		{"unknown org", issue[:len("/api/0/organizations/")] + "nope/issues/1/", readToken, 404, msgNotFound},
		{"unknown event", issue + "events/" + strings.Repeat("0", 32) + "/", readToken, 404, msgNotFound},
		{"unknown release", "/api/0/organizations/acme/releases/ingest@deadbeef/commits/", readToken, 404, msgNotFound},
		{"bad cursor", "/api/0/organizations/acme/repos/?cursor=zzz", readToken, 400, msgBadCursor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := get(t, f.srv, tt.url, tt.token)
			if a.status != tt.status {
				t.Fatalf("got status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if got := decode[map[string]any](t, a.body)["detail"]; got != tt.detail {
				t.Errorf("got detail %q, want %q", got, tt.detail)
			}
		})
	}
}

// TestSchemaCheckIsStrict guards the check above against passing vacuously.
func TestSchemaCheckIsStrict(t *testing.T) {
	doc := loadSpec(t)
	f := newFixture(t)
	good := get(t, f.srv, "/api/0/organizations/acme/issues/"+f.issue.ID+"/events/oldest/", readToken).body
	schema := responseSchema(t, doc, "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/", 200)
	for _, mutate := range []struct {
		name string
		fn   func(m map[string]any)
	}{
		{"no entries", func(m map[string]any) { delete(m, "entries") }},
		{"tags as an object", func(m map[string]any) { m["tags"] = map[string]any{"level": "error"} }},
		{"unknown event type", func(m map[string]any) { m["type"] = "crash" }},
		{"release version as a number", func(m map[string]any) { m["release"].(map[string]any)["version"] = 2 }},
		{"no dateReceived", func(m map[string]any) { delete(m, "dateReceived") }},
		{"dateCreated not a date-time", func(m map[string]any) { m["dateCreated"] = "yesterday" }},
	} {
		t.Run(mutate.name, func(t *testing.T) {
			m := decode[map[string]any](t, good)
			mutate.fn(m)
			var v any
			b, _ := json.Marshal(m)
			_ = json.Unmarshal(b, &v)
			if err := schema.VisitJSON(v, openapi3.MultiErrors()); err == nil {
				t.Errorf("got no error for an event with %s, want a schema violation", mutate.name)
			}
		})
	}
}
