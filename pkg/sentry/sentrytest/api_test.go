package sentrytest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

func TestEventChoice(t *testing.T) {
	f := newFixture(t)
	path := "/api/0/organizations/acme/issues/" + f.issue.ID + "/events/"
	tests := []struct{ which, want string }{
		{"oldest", f.events[0].ID},
		{"latest", f.events[2].ID},
		// The latest event has no stack trace: recommended is the newest with one.
		{"recommended", f.events[1].ID},
		{f.events[0].ID, f.events[0].ID},
		{strings.ToUpper(f.events[1].ID), f.events[1].ID},
	}
	for _, tt := range tests {
		a := get(t, f.srv, path+tt.which+"/", readToken)
		if a.status != 200 {
			t.Fatalf("%s: status %d: %s", tt.which, a.status, a.body)
		}
		ev := decode[map[string]any](t, a.body)
		if ev["eventID"] != tt.want {
			t.Errorf("%s: got event %v, want %s", tt.which, ev["eventID"], tt.want)
		}
		if ev["groupID"] != f.issue.ID {
			t.Errorf("%s: got groupID %v, want %s", tt.which, ev["groupID"], f.issue.ID)
		}
	}
	if _, err := f.srv.AddEvent(f.issue.ID, Event{Time: f.base.Add(time.Hour), Recommended: true, Message: "chosen"}); err != nil {
		t.Fatal(err)
	}
	if got := decode[map[string]any](t, get(t, f.srv, path+"recommended/", readToken).body)["message"]; got != "chosen" {
		t.Errorf("recommended with a flagged event: got message %v, want the flagged event", got)
	}
	if _, err := f.srv.AddEvent("999", Event{}); err == nil {
		t.Error("AddEvent to an unknown issue: got no error")
	}
}

func TestShortIDs(t *testing.T) {
	f := newFixture(t)
	if !regexp.MustCompile(`^CHECKOUT-[0-9A-Z]+$`).MatchString(f.issue.ShortID) {
		t.Errorf("got short id %q, want CHECKOUT-N", f.issue.ShortID)
	}
	if f.issue.ShortID == f.message.ShortID {
		t.Errorf("two issues share short id %s", f.issue.ShortID)
	}
	a := get(t, f.srv, "/api/0/organizations/acme/shortids/"+strings.ToLower(f.issue.ShortID)+"/", readToken)
	body := decode[map[string]any](t, a.body)
	if a.status != 200 || body["groupId"] != f.issue.ID || body["projectSlug"] != "checkout" || body["organizationSlug"] != "acme" {
		t.Errorf("short id lookup: got %d %v", a.status, body)
	}
	if got, ok := f.srv.IssueByShortID("ACME", f.issue.ShortID); !ok || got.ID != f.issue.ID {
		t.Errorf("IssueByShortID: got %+v %v", got, ok)
	}
	for n, want := range map[int]string{1: "1", 31: "Z", 32: "10", 1057: "111"} {
		if got := shortSuffix(n); got != want {
			t.Errorf("shortSuffix(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestReleaseCommitPages(t *testing.T) {
	f := newFixture(t) // page size 3, 8 commits
	next := "/api/0/organizations/acme/releases/checkout%402.0.0/commits/"
	var got []string
	linkRe := regexp.MustCompile(`<([^>]+)>; rel="next"; results="(true|false)"; cursor="([^"]+)"`)
	for page := 0; ; page++ {
		a := get(t, f.srv, next, readToken)
		if a.status != 200 {
			t.Fatalf("page %d: %d %s", page, a.status, a.body)
		}
		for _, c := range decode[[]map[string]any](t, a.body) {
			repo, _ := c["repository"].(map[string]any)
			got = append(got, fmt.Sprint(c["id"])[:6]+"@"+fmt.Sprint(repo["name"]))
		}
		m := linkRe.FindStringSubmatch(a.header.Get("Link"))
		if m == nil {
			t.Fatalf("page %d: no next link in %q", page, a.header.Get("Link"))
		}
		if m[2] == "false" {
			break
		}
		next = strings.TrimPrefix(m[1], f.srv.URL())
		if page > 5 {
			t.Fatal("pages never end")
		}
	}
	// Newest first across repositories: acme/web's commit (at 0:30) falls
	// between checkout-api's changes 1 (1:00) and 0 (0:00).
	want := "000000@acme/checkout-api 000000@acme/checkout-api 000000@acme/checkout-api 000000@acme/checkout-api " +
		"000000@acme/checkout-api 000000@acme/checkout-api eeeeee@acme/web 000000@acme/checkout-api"
	if strings.Join(got, " ") != want {
		t.Errorf("got commits %v, want %s", got, want)
	}
	// Newest first: the head of checkout-api is change 6.
	first := decode[[]map[string]any](t, get(t, f.srv, "/api/0/organizations/acme/releases/checkout%402.0.0/commits/", readToken).body)[0]
	if first["id"] != fmt.Sprintf("%040x", 0xabc006) {
		t.Errorf("first commit: got %v, want the newest (change 6)", first["id"])
	}
	if n := f.srv.CountRequests("/api/0/organizations/*/releases/*/commits/"); n != 4 {
		t.Errorf("CountRequests: got %d, want 4 (3 pages and one more)", n)
	}
}

func TestFaultsAndRateLimit(t *testing.T) {
	t.Run("fail next", func(t *testing.T) {
		f := newFixture(t)
		f.srv.FailNext("/repos/", 503, 1)
		if a := get(t, f.srv, "/api/0/organizations/acme/repos/", readToken); a.status != 503 || !strings.Contains(string(a.body), "Internal Error") {
			t.Errorf("first: got %d %s, want 503", a.status, a.body)
		}
		if a := get(t, f.srv, "/api/0/organizations/acme/repos/", readToken); a.status != 200 {
			t.Errorf("second: got %d, want 200", a.status)
		}
	})
	styles := []struct {
		name              string
		style             RetryAfterStyle
		retryAfter, reset bool
	}{
		{"seconds", RetryAfterSeconds, true, true},
		{"date", RetryAfterDate, true, false},
		{"reset only", RetryAfterResetOnly, false, true},
		{"none", RetryAfterNone, false, false},
	}
	for _, st := range styles {
		t.Run("429 "+st.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.SetRetryAfterStyle(st.style)
			f.srv.SetFaultWait(3 * time.Second)
			f.srv.FailNext("/issues/", 429, 1)
			a := get(t, f.srv, "/api/0/organizations/acme/issues/"+f.issue.ID+"/", readToken)
			if a.status != 429 || !strings.Contains(string(a.body), "too frequently") {
				t.Fatalf("got %d %s, want 429", a.status, a.body)
			}
			ra, reset := a.header.Get("Retry-After"), a.header.Get("X-Sentry-Rate-Limit-Reset")
			if (ra != "") != st.retryAfter || (reset != "") != st.reset {
				t.Errorf("got Retry-After %q and reset %q, want present: %v, %v", ra, reset, st.retryAfter, st.reset)
			}
			if st.style == RetryAfterSeconds && ra != "3" {
				t.Errorf("got Retry-After %q, want 3", ra)
			}
			if st.style == RetryAfterDate {
				if when, err := http.ParseTime(ra); err != nil || when.Before(time.Now().Add(time.Second)) {
					t.Errorf("got Retry-After %q (%v), want a date about 3 s ahead", ra, err)
				}
			}
		})
	}
	t.Run("window", func(t *testing.T) {
		var mu sync.Mutex
		// A controllable clock from the real time, at the start of a
		// 10-second window (windows are aligned to the Unix epoch).
		now := time.Unix(time.Now().Unix()/10*10, 0).UTC()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		srv := NewServer(Options{Now: clock})
		defer srv.Close()
		srv.AddToken("t", Token{Scopes: []string{"org:read"}})
		srv.AddOrg("acme")
		srv.SetRateLimit(2, 10*time.Second)
		var statuses []int
		for range 3 {
			statuses = append(statuses, get(t, srv, "/api/0/organizations/acme/repos/", "t").status)
		}
		a := get(t, srv, "/api/0/organizations/acme/repos/", "t")
		if fmt.Sprint(statuses) != "[200 200 429]" || a.status != 429 {
			t.Fatalf("got %v then %d, want [200 200 429] then 429", statuses, a.status)
		}
		if got := a.header.Get("Retry-After"); got != "10" {
			t.Errorf("got Retry-After %q, want 10 (the window's end)", got)
		}
		if reset, _ := strconv.ParseInt(a.header.Get("X-Sentry-Rate-Limit-Reset"), 10, 64); reset != now.Unix()+10 {
			t.Errorf("got reset %d, want %d", reset, now.Unix()+10)
		}
		mu.Lock()
		now = now.Add(10 * time.Second)
		mu.Unlock()
		ok := get(t, srv, "/api/0/organizations/acme/repos/", "t")
		if ok.status != 200 || ok.header.Get("X-Sentry-Rate-Limit-Remaining") != "1" {
			t.Errorf("next window: got %d remaining %q, want 200 and 1", ok.status, ok.header.Get("X-Sentry-Rate-Limit-Remaining"))
		}
	})
}

func TestRequestLog(t *testing.T) {
	f := newFixture(t)
	get(t, f.srv, "/api/0/organizations/acme/issues/"+f.issue.ID+"/", readToken)
	get(t, f.srv, "/api/0/organizations/acme/issues/1/", "")
	reqs := f.srv.Requests()
	if len(reqs) != 2 || reqs[0].Auth != "bearer" || reqs[0].Status != 200 || reqs[1].Auth != "none" || reqs[1].Status != 401 {
		t.Errorf("got requests %+v", reqs)
	}
	if n := f.srv.CountRequests("/api/0/organizations/acme/issues/"); n != 2 {
		t.Errorf("CountRequests prefix: got %d, want 2", n)
	}
	f.srv.ResetRequests()
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("after ResetRequests: %d requests", n)
	}
}

// TestServedEventsParse feeds served events to pkg/signal, which reads the
// REST shape, and checks the frames come out innermost first.
func TestServedEventsParse(t *testing.T) {
	f := newFixture(t)
	a := get(t, f.srv, "/api/0/organizations/acme/issues/"+f.issue.ID+"/events/recommended/", readToken)
	sigs, err := signal.Parse("sentry", a.body)
	if err != nil {
		t.Fatalf("signal.Parse: %v", err)
	}
	if len(sigs) != 1 {
		t.Fatalf("got %d signals, want 1", len(sigs))
	}
	s := sigs[0]
	if s.Format != signal.FormatSentry || s.Title != "ValueError: second" {
		t.Errorf("got format %q title %q, want sentry and the outermost exception", s.Format, s.Title)
	}
	if s.Timestamp == nil || !s.Timestamp.Equal(f.base.Add(10*time.Hour)) {
		t.Errorf("got timestamp %v, want %v", s.Timestamp, f.base.Add(10*time.Hour))
	}
	var got []string
	for _, fr := range s.Frames {
		got = append(got, fmt.Sprintf("%s:%d %s %v", fr.File, fr.Line, fr.Function, fr.InApp))
	}
	// Root cause (KeyError) first, innermost first, then the wrapping ValueError.
	want := []string{
		"/srv/app/checkout.py:42 apply_discount true",
		"/srv/app/checkout.py:42 apply_discount true",
		"/usr/lib/python3.12/site-packages/django/core/handlers/base.py:197 _get_response false",
		"/srv/app/server.py:88 handle true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got frames\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	native := get(t, f.srv, "/api/0/organizations/acme/issues/"+f.tagOnly.ID+"/events/latest/", readToken)
	ns, err := signal.Parse("native", native.body)
	// The unsymbolicated frame (an address and a library only) is left out
	// by pkg/signal rather than guessed at.
	if err != nil || len(ns) != 1 || len(ns[0].Frames) != 1 || ns[0].Frames[0].Function != "parse_record" || ns[0].Frames[0].Line != 311 {
		t.Errorf("native event: got %+v, %v; want the symbolicated parse_record frame", ns, err)
	}

	msg := get(t, f.srv, "/api/0/organizations/acme/issues/"+f.message.ID+"/events/latest/", readToken)
	if ms, err := signal.Parse("message", msg.body); err == nil && len(ms) > 0 && len(ms[0].Frames) > 0 {
		t.Errorf("an event without a stack trace gave frames: %+v", ms)
	}
}
