package analyze_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cli/analyze"
	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

// sentryCase is a checkout whose bug was planted by `bug`, released at the
// bug's commit, with a later commit `later` that moved the buggy line down
// and landed before the crash, and a Sentry double holding the crash of
// that release.
type sentryCase struct {
	dir, bug, later string
	buggyLine       int
	srv             *sentrytest.Server
	r               *runner
	crashed         time.Time
}

func newSentryCase(t *testing.T) *sentryCase {
	t.Helper()
	repo := testenv.NewGitRepo(t, time.Now().Add(-20*24*time.Hour).Truncate(time.Second), 24*time.Hour)
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = fmt.Sprintf("    total += item[%d]", i)
	}
	lines[0] = "def total(item):"
	lines[39] = "    return total"
	write := func() { repo.WriteFile("shop/cart.py", strings.Join(lines, "\n")+"\n") }
	write()
	repo.Commit("cart: add total")
	repo.WriteFile("shop/util.py", "x = 1\n")
	repo.Commit("util: add")
	lines[19] = "    total += item[19] / 0  # the bug"
	write()
	sc := &sentryCase{dir: repo.Dir, buggyLine: 20}
	sc.bug = repo.Commit("cart: tweak total")
	lines = append([]string{"# header", "# more header", "import math"}, lines...)
	write()
	sc.later = repo.Commit("cart: header")
	// The crash came after the header landed, from servers still running
	// the release built at the bug's commit.
	sc.crashed = repo.When.Add(-18 * time.Hour)

	sc.srv = sentrytest.NewServer(sentrytest.Options{})
	t.Cleanup(sc.srv.Close)
	sc.srv.AddToken("sntryu_e2e", sentrytest.Token{Scopes: []string{"event:read", "project:read", "org:read"}})
	sc.r = newRunner(t)
	sc.r.env["SENTRY_URL"] = sc.srv.URL()
	sc.r.env["SENTRY_AUTH_TOKEN"] = "sntryu_e2e"
	sc.r.env["SENTRY_ORG"] = "acme"
	return sc
}

// issue adds an issue whose one event crashed on the buggy line (as the
// release numbers it) and names release.
func (sc *sentryCase) issue(release string) sentrytest.Issue {
	is, _ := sc.srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "shop"}, sentrytest.Event{
		Time: sc.crashed, Release: release, Platform: "python",
		Exceptions: []sentrytest.Exception{{Type: "ZeroDivisionError", Value: "division by zero", Frames: []sentrytest.Frame{
			{Filename: "app.py", AbsPath: "/srv/shop/app.py", Function: "checkout", Line: 3, InApp: true},
			{Filename: "shop/cart.py", AbsPath: "/srv/shop/shop/cart.py", Function: "total", Line: sc.buggyLine, InApp: true},
		}}},
	})
	return is
}

func suspectsOf(rep *analyze.Report, i int) []string {
	var out []string
	for _, s := range rep.Signals[i].Suspects {
		out = append(out, fmt.Sprintf("%s %.3f", s.Hash, s.Score))
	}
	return out
}

// TestSentryIssueAtRelease pulls an issue whose release names the buggy
// commit: the checkout is analyzed at that commit with the window ending
// at the event, exactly as `--signal EVENT --ref COMMIT --at TIME` would,
// in two requests.
func TestSentryIssueAtRelease(t *testing.T) {
	sc := newSentryCase(t)
	is := sc.issue("shop@1.4.2+" + sentry.ShortHash(sc.bug))
	url := fmt.Sprintf("https://acme.sentry.io/issues/%s/?project=1", is.ID)
	sc.r.env["SENTRY_URL"] = sc.srv.URL()

	sc.srv.ResetRequests()
	got := sc.r.report(t, "--local", sc.dir, "--sentry-issue", is.ShortID, "--top", "10")
	if n := len(sc.srv.Requests()); n != 2 {
		t.Errorf("got %d Sentry requests, want 2 (short id, event)", n)
	}
	if len(got.Signals) != 1 || got.Signals[0].Sentry == nil {
		t.Fatalf("got %d signals, want 1 from Sentry", len(got.Signals))
	}
	s := got.Signals[0]
	if s.Sentry.Ref != sc.bug || s.Sentry.Release != "shop@1.4.2+"+sentry.ShortHash(sc.bug) || s.Sentry.CommitSource != "version-hash" {
		t.Errorf("got sentry %+v, want the release's commit %s", s.Sentry, sc.bug)
	}
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug {
		t.Fatalf("got suspects %v, want the bug %s first", suspectsOf(got, 0), sc.bug)
	}

	// The same event saved as JSON, analyzed at the release commit and the
	// event's time, ranks the same.
	raw := fetchEvent(t, sc, is.ID)
	ev := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(ev, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	want := sc.r.report(t, "--local", sc.dir, "--signal", ev, "--ref", sc.bug, "--at", sc.crashed.UTC().Format(time.RFC3339), "--top", "10")
	if g, w := suspectsOf(got, 0), suspectsOf(want, 0); !reflect.DeepEqual(g, w) {
		t.Errorf("--sentry-issue ranked\n%v\n--signal at the release ranked\n%v", g, w)
	}
	// Without the release, the checkout's HEAD numbers the line otherwise:
	// the same event saved as JSON but analyzed at HEAD misses the bug.
	head := sc.r.report(t, "--local", sc.dir, "--signal", ev, "--top", "10")
	if len(head.Signals[0].Suspects) > 0 && head.Signals[0].Suspects[0].Hash == sc.bug && head.Signals[0].Suspects[0].Evidence[0].Kind == "line" {
		t.Errorf("at HEAD the crash line should not blame the bug by line; the release made the difference")
	}

	// A pasted URL works the same (one issue lookup for the project, one event).
	sc.srv.ResetRequests()
	byURL := sc.r.report(t, "--local", sc.dir, "--sentry-issue", strings.Replace(url, "https://acme.sentry.io", sc.srv.URL()+"/organizations/acme", 1), "--top", "10")
	if g, w := suspectsOf(byURL, 0), suspectsOf(got, 0); !reflect.DeepEqual(g, w) {
		t.Errorf("by URL ranked %v, by short id %v", g, w)
	}
	if n := len(sc.srv.Requests()); n > 2 {
		t.Errorf("by URL: got %d Sentry requests, want at most 2", n)
	}
}

// TestSentryIssueFallbacks: a release Sentry gives no commit for, or one
// the repository does not have, falls back to the checkout's HEAD and says
// why; a bad issue fails alone (exit 3) while the other signal goes on.
func TestSentryIssueFallbacks(t *testing.T) {
	sc := newSentryCase(t)
	none := sc.issue("shop@1.4.2")
	gone := sc.issue("shop@1.4.3+deadbeef1234")
	rep := sc.r.report(t, "--local", sc.dir, "--sentry-issue", none.ShortID, "--sentry-issue", gone.ShortID)
	if len(rep.Signals) != 2 {
		t.Fatalf("got %d signals, want 2", len(rep.Signals))
	}
	for i, want := range []string{"analyzed HEAD instead", "does not have"} {
		s := rep.Signals[i].Sentry
		if s == nil || s.Ref != "" || !strings.Contains(s.Note, want) {
			t.Errorf("signal %d: got sentry %+v, want no ref and a note with %q", i, s, want)
		}
	}

	// A 404 issue next to a readable one: the report has both, exit 3.
	code, out, errOut := sc.r.run("analyze", "-o", "json", "--local", sc.dir, "--sentry-issue", "ACME-999", "--sentry-issue", none.ShortID)
	if code != 3 {
		t.Errorf("one issue missing: got exit %d, want 3\n%s", code, errOut)
	}
	var partial analyze.Report
	if err := json.Unmarshal([]byte(out), &partial); err != nil {
		t.Fatalf("stdout is not one JSON report: %v", err)
	}
	if len(partial.Signals) != 2 || partial.Signals[1].Error == "" || !strings.Contains(errOut, "ACME-999") {
		t.Errorf("got signals %+v and stderr %q, want the missing issue reported", partial.Signals, errOut)
	}
	// A malformed reference, alone: a usage error.
	if code, _, errOut := sc.r.run("analyze", "--local", sc.dir, "--sentry-issue", "https://github.com/acme/shop/issues/3"); code != 2 || !strings.Contains(errOut, "sentry") {
		t.Errorf("a GitHub URL: got exit %d, want 2 with a message about Sentry\n%s", code, errOut)
	}
	// No token at all: an authentication error.
	delete(sc.r.env, "SENTRY_AUTH_TOKEN")
	if code, _, errOut := sc.r.run("analyze", "--local", sc.dir, "--sentry-issue", none.ShortID); code != 4 {
		t.Errorf("no token: got exit %d, want 4\n%s", code, errOut)
	}
}

// fetchEvent reads the issue's recommended event as Sentry serves it.
func fetchEvent(t *testing.T, sc *sentryCase, issueID string) []byte {
	t.Helper()
	c, err := sentry.New(sentry.Options{BaseURL: sc.srv.URL(), Token: "sntryu_e2e"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := c.IssueEvent(context.Background(), "acme", issueID, "recommended")
	if err != nil {
		t.Fatal(err)
	}
	return ev.Raw
}

// TestSentryReleaseReportsUnreadableCommits: a commit that only the
// release's window holds, and that the clone cannot read (a blob is
// missing), is reported as it is for the checkout's own window: counted as
// uncounted, a note on repairing the clone, and exit 3.
func TestSentryReleaseReportsUnreadableCommits(t *testing.T) {
	sc := newSentryCase(t)
	is := sc.issue("shop@1.4.2+" + sentry.ShortHash(sc.bug))
	blob, err := exec.Command("git", "-C", sc.dir, "rev-parse", sc.bug+"~1:shop/util.py").Output()
	if err != nil {
		t.Fatal(err)
	}
	b := strings.TrimSpace(string(blob))
	if err := os.Remove(filepath.Join(sc.dir, ".git", "objects", b[:2], b[2:])); err != nil {
		t.Fatal(err)
	}
	// Ten days back from now holds none of the commits (they are 17 to 20
	// days old); ten days back from the crash holds them all.
	code, out, errOut := sc.r.run("analyze", "-o", "json", "--local", sc.dir, "--sentry-issue", is.ShortID, "--lookback-days", "10", "--top", "10")
	if code != 3 {
		t.Fatalf("got exit %d, want 3 (partial); stderr: %s", code, errOut)
	}
	var rep analyze.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	uncounted := 0
	for _, r := range rep.Repos {
		uncounted += r.Uncounted
	}
	if uncounted != 1 || !strings.Contains(errOut, "1 commit could not be read from the local clone") {
		t.Errorf("got %d uncounted in %+v, stderr %q: want the release's unreadable commit reported", uncounted, rep.Repos, errOut)
	}
	if s := rep.Signals[0]; len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug {
		t.Errorf("got suspects %v, want the bug %s first all the same", suspectsOf(&rep, 0), sc.bug)
	}
}
