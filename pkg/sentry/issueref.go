package sentry

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// IssueRef is an issue as a user named it: a pasted URL, a short id or a
// numeric id.
type IssueRef struct {
	// Org is the organization slug (lower-case). ParseIssueRef never
	// returns a ref without one.
	Org string
	// IssueID is the numeric issue id, or "" when only ShortID is known.
	IssueID string
	// ShortID is the short id ("PROJ-1A2", upper-case), or "".
	ShortID string
	// EventID is the event the URL names (/events/ID/): 32 lower-case hex
	// digits, or latest, oldest or recommended; "" when it names none.
	EventID string
	// ProjectID is the ?project= of the URL when it is one numeric id.
	ProjectID string
	// ProjectSlug is the project of a legacy /ORG/PROJECT/issues/ID/ URL.
	ProjectSlug string
	// BaseURL is the Sentry the URL points at: https://sentry.io for
	// sentry.io and ORG.sentry.io, the region host for us.sentry.io and
	// de.sentry.io, the origin (and path prefix) of a self-hosted Sentry.
	// It is "" for short and numeric ids. See BaseFor before sending a
	// token there.
	BaseURL string
}

// String renders the ref compactly: ORG/ID, ORG/SHORT-ID, with the event.
func (r IssueRef) String() string {
	id := r.IssueID
	if id == "" {
		id = r.ShortID
	}
	s := r.Org + "/" + id
	if r.EventID != "" {
		s += "/events/" + r.EventID
	}
	return s
}

// Event names accepted in place of an event id.
const (
	EventRecommended = "recommended"
	EventLatest      = "latest"
	EventOldest      = "oldest"
)

// ErrNotIssueRef is matched (errors.Is) by every ParseIssueRef error.
var ErrNotIssueRef = errors.New("not a Sentry issue")

// RefError is a reference ParseIssueRef cannot use: what was given, why,
// and the cause when there is one.
type RefError struct {
	// Input is the reference as given (a URL without its user info).
	Input  string
	Reason string
	Err    error
}

func (e *RefError) Error() string {
	if e.Input == "" {
		return "reading a Sentry issue: " + e.Reason
	}
	return fmt.Sprintf("reading Sentry issue %s: %s", e.Input, e.Reason)
}

// Is makes errors.Is(err, ErrNotIssueRef) true.
func (e *RefError) Is(target error) bool { return target == ErrNotIssueRef }

// Unwrap returns the cause, if any.
func (e *RefError) Unwrap() error { return e.Err }

func refErr(input, format string, args ...any) *RefError {
	return &RefError{Input: input, Reason: fmt.Sprintf(format, args...)}
}

const issueForms = "want an issue URL (https://ORG.sentry.io/issues/ID/ or https://SENTRY/organizations/ORG/issues/ID/), " +
	"a short id (PROJECT-1A2) or a numeric id with SENTRY_ORG"

var (
	numericID = regexp.MustCompile(`^[0-9]{1,19}$`)
	shortID   = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,99}-[0-9A-Z]{1,13}$`)
	orgSlug   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,99}$`)
	hexID     = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// ParseIssueRef reads an issue reference: an issue URL as pasted from a
// browser (https://ORG.sentry.io/issues/ID/, with or without ?project=...,
// with /events/EVENT_ID/; https://HOST/organizations/ORG/issues/ID/ on
// sentry.io, a region host or a self-hosted Sentry; the legacy
// https://sentry.io/ORG/PROJECT/issues/ID/), a short id (PROJ-1A2) or a
// numeric id. Short and numeric ids take their organization from
// defaultOrg. Errors wrap ErrNotIssueRef and say which forms are accepted.
func ParseIssueRef(s, defaultOrg string) (IssueRef, error) {
	in := strings.TrimSpace(s)
	in = strings.Trim(in, `<>"'`)
	if in == "" {
		return IssueRef{}, refErr("", "nothing was given; %s", issueForms)
	}
	if strings.Contains(in, "://") || strings.Contains(in, "/") {
		return parseIssueURL(in, defaultOrg)
	}
	var r IssueRef
	switch up := strings.ToUpper(in); {
	case numericID.MatchString(in):
		r.IssueID = in
	case shortID.MatchString(up):
		r.ShortID = up
	default:
		return IssueRef{}, refErr(strconv.Quote(clip(in)), "not recognized; %s", issueForms)
	}
	org := strings.ToLower(strings.TrimSpace(defaultOrg))
	if org == "" {
		return IssueRef{}, refErr(strconv.Quote(in), "a numeric or short id needs an organization: set SENTRY_ORG (or sentry.org in the config), "+
			"or paste the issue URL")
	}
	if !orgSlug.MatchString(org) {
		return IssueRef{}, refErr(strconv.Quote(in), "the organization %q is not a Sentry organization slug", clip(defaultOrg))
	}
	r.Org = org
	return r, nil
}

// foreignHosts are sites whose issue URLs people might paste by mistake.
var foreignHosts = map[string]string{
	"github.com": "GitHub", "gitlab.com": "GitLab", "bitbucket.org": "Bitbucket",
	"linear.app": "Linear", "atlassian.net": "Jira", "app.asana.com": "Asana",
}

func parseIssueURL(raw, defaultOrg string) (IssueRef, error) {
	s := raw
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error repeats the whole URL, user info included: keep its cause.
		reason, cause := "it does not parse", err
		var ue *url.Error
		if errors.As(err, &ue) {
			reason, cause = "it does not parse: "+ue.Err.Error(), ue.Err
		}
		return IssueRef{}, &RefError{Input: "URL", Reason: reason, Err: cause}
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return IssueRef{}, refErr("URL "+redactURL(u), "the scheme %q is not http(s); %s", clip(u.Scheme), issueForms)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return IssueRef{}, refErr("URL "+strconv.Quote(clip(raw)), "it has no host; %s", issueForms)
	}
	if u.User != nil {
		return IssueRef{}, refErr("URL "+redactURL(u), "credentials in the URL are not allowed")
	}
	for h, name := range foreignHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return IssueRef{}, refErr("URL "+redactURL(u), "this is a %s URL, not a Sentry issue; %s", name, issueForms)
		}
	}
	segs := splitPath(u.EscapedPath())
	var r IssueRef
	rest := segs
	saas := host == "sentry.io" || strings.HasSuffix(host, ".sentry.io")
	if saas {
		sub := strings.TrimSuffix(strings.TrimSuffix(host, "sentry.io"), ".")
		labels := strings.Split(sub, ".")
		r.BaseURL = DefaultBaseURL
		switch {
		case sub == "" || sub == "www":
		case isRegion(sub):
			r.BaseURL = "https://" + sub + ".sentry.io"
		default:
			// ORG.sentry.io, or ORG.REGION.sentry.io.
			r.Org = labels[0]
			if len(labels) == 2 && isRegion(labels[1]) {
				r.BaseURL = "https://" + labels[1] + ".sentry.io"
			}
		}
	}
	if i := orgsIndex(segs); i == 0 || (i > 0 && !saas) {
		r.Org = segs[i+1]
		rest = segs[i+2:]
		if !saas {
			prefix := ""
			for _, p := range segs[:i] {
				prefix += "/" + url.PathEscape(p)
			}
			r.BaseURL = scheme + "://" + strings.ToLower(u.Host) + prefix
		}
	} else if saas && r.Org == "" && len(rest) >= 3 && rest[2] == "issues" {
		// Legacy sentry.io/ORG/PROJECT/issues/ID/.
		r.Org, r.ProjectSlug = rest[0], strings.ToLower(rest[1])
		rest = rest[2:]
	} else if !saas {
		return IssueRef{}, refErr("URL "+redactURL(u), "not a Sentry issue URL (its path has no /organizations/ORG/issues/ID/); %s", issueForms)
	}
	if len(rest) < 2 || rest[0] != "issues" {
		return IssueRef{}, refErr("URL "+redactURL(u), "a Sentry page but not an issue (want .../issues/ID/)")
	}
	if r.Org == "" {
		r.Org = strings.TrimSpace(defaultOrg)
	}
	if r.Org == "" {
		return IssueRef{}, refErr("URL "+redactURL(u), "it names no organization: set SENTRY_ORG, or paste the URL from ORG.sentry.io")
	}
	r.Org = strings.ToLower(r.Org)
	if !orgSlug.MatchString(r.Org) {
		return IssueRef{}, refErr("URL "+redactURL(u), "%q is not a Sentry organization slug", clip(r.Org))
	}
	id := rest[1]
	switch up := strings.ToUpper(id); {
	case numericID.MatchString(id):
		r.IssueID = id
	case shortID.MatchString(up):
		r.ShortID = up
	default:
		return IssueRef{}, refErr("URL "+redactURL(u), "the issue id %q is neither numeric nor a short id", clip(id))
	}
	if len(rest) >= 4 && rest[2] == "events" {
		ev, err := NormalizeEventID(rest[3])
		if err != nil {
			return IssueRef{}, &RefError{Input: "URL " + redactURL(u), Reason: err.Error(), Err: err}
		}
		r.EventID = ev
	}
	if ps := u.Query()["project"]; len(ps) == 1 && numericID.MatchString(ps[0]) {
		r.ProjectID = ps[0]
	}
	return r, nil
}

// orgsIndex is the index of the "organizations" segment that is followed by
// ORG/issues/ID, or -1.
func orgsIndex(segs []string) int {
	for i := 0; i+3 < len(segs); i++ {
		if segs[i] == "organizations" && segs[i+2] == "issues" {
			return i
		}
	}
	return -1
}

// splitPath splits an escaped URL path into unescaped, non-empty segments.
func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s == "" {
			continue
		}
		if v, err := url.PathUnescape(s); err == nil {
			s = v
		}
		out = append(out, s)
	}
	return out
}

func isRegion(s string) bool { return s == "us" || s == "de" }

// NormalizeEventID checks an event id: recommended, latest or oldest, or a
// Sentry event id (32 hex digits, or a UUID with dashes), returned in
// lower case without dashes.
func NormalizeEventID(s string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case EventRecommended, EventLatest, EventOldest:
		return v, nil
	}
	if len(v) == 36 && strings.Count(v, "-") == 4 {
		v = strings.ReplaceAll(v, "-", "")
	}
	if !hexID.MatchString(v) {
		return "", fmt.Errorf("%q is not a Sentry event: want recommended, latest, oldest or an event id (32 hex digits)", clip(s))
	}
	return v, nil
}

// BaseFor returns the Sentry base URL to send this issue's requests to,
// given the configured one ("" means DefaultBaseURL). A ref from a URL on
// the same Sentry uses the configured base; on sentry.io, an org or region
// host in the URL refines the default. A URL on another Sentry than the
// configured one is refused, so the token never goes to a host the user did
// not configure it for.
func (r IssueRef) BaseFor(configured string) (string, error) {
	if configured == "" {
		configured = DefaultBaseURL
	}
	cu, err := ParseBaseURL(configured)
	if err != nil {
		return "", err
	}
	if r.BaseURL == "" {
		return cu.String(), nil
	}
	ru, err := ParseBaseURL(r.BaseURL)
	if err != nil {
		return "", fmt.Errorf("using the Sentry of the issue URL: %w", err)
	}
	if IsSaaS(cu.String()) && IsSaaS(ru.String()) {
		if cu.String() == DefaultBaseURL {
			return ru.String(), nil
		}
		return cu.String(), nil
	}
	if hostPort(cu) == hostPort(ru) {
		return cu.String(), nil
	}
	return "", fmt.Errorf("the issue URL is on %s but sigsentry's Sentry is %s: set SENTRY_URL=%s (with a token for that Sentry) "+
		"to read issues there; the token is never sent to a Sentry it was not configured for", ru.Host, cu.String(), ru.String())
}

// IsSaaS reports whether base is sentry.io or one of its hosts.
func IsSaaS(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return u.Scheme == "https" && (h == "sentry.io" || strings.HasSuffix(h, ".sentry.io"))
}

// SameSentry reports whether two base URLs are the same Sentry deployment:
// both on sentry.io, or the same host and port.
func SameSentry(a, b string) bool {
	au, err1 := ParseBaseURL(a)
	bu, err2 := ParseBaseURL(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if IsSaaS(au.String()) && IsSaaS(bu.String()) {
		return true
	}
	return hostPort(au) == hostPort(bu)
}

// hostPort is u's host with the scheme's default port made explicit.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return net.JoinHostPort(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), port)
}

// clip shortens outside text quoted in an error.
func clip(s string) string {
	if len(s) > 120 {
		return strings.ToValidUTF8(s[:120], "") + "…"
	}
	return s
}
