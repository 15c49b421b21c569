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
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
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
	// The saved event alone, without --ref, is analyzed at its release too.
	saved := sc.r.report(t, "--local", sc.dir, "--signal", ev, "--top", "10")
	if s := saved.Signals[0]; s.Sentry == nil || s.Sentry.Ref != sc.bug || s.Sentry.Input != ev || s.Sentry.CommitSource != "version-hash" ||
		len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug || s.Suspects[0].Evidence[0].Kind != "line" {
		t.Errorf("the saved event: got sentry %+v and suspects %v, want it analyzed at %s with the bug first by line", s.Sentry, suspectsOf(saved, 0), sc.bug)
	}
	// Without the release, the checkout's HEAD numbers the line otherwise:
	// the same event with its release removed, analyzed at HEAD, misses the
	// bug's line.
	bare := filepath.Join(t.TempDir(), "bare.json")
	if err := os.WriteFile(bare, withoutRelease(t, raw), 0o600); err != nil {
		t.Fatal(err)
	}
	head := sc.r.report(t, "--local", sc.dir, "--signal", bare, "--top", "10")
	if head.Signals[0].Sentry != nil {
		t.Errorf("an event without a release: got sentry %+v, want none", head.Signals[0].Sentry)
	}
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
	// What to do about it is said too, as it is when the issue is alone.
	if len(partial.Signals) == 2 && !strings.Contains(partial.Signals[1].Hint, "was not found") || !strings.Contains(errOut, "hint: the issue ACME-999 was not found") {
		t.Errorf("got signals %+v and stderr %q, want the 404's hint in the JSON and on stderr", partial.Signals, errOut)
	}
	// A malformed reference: a usage error before any work, even next to
	// a good one, with nothing on stdout.
	for _, args := range [][]string{{"https://github.com/acme/shop/issues/3"}, {none.ShortID, "https://github.com/acme/shop/issues/3"}} {
		cmd := []string{"analyze", "--local", sc.dir}
		for _, a := range args {
			cmd = append(cmd, "--sentry-issue", a)
		}
		if code, out, errOut := sc.r.run(cmd...); code != 2 || !strings.Contains(errOut, "sentry") || out != "" || strings.Count(errOut, "github.com") != 1 {
			t.Errorf("%v: got exit %d, stdout %q, stderr %q; want exit 2, one message about Sentry, no report", args, code, out, errOut)
		}
	}
	// So is an event that names no event, or one without an issue.
	for _, args := range [][]string{{"--sentry-issue", none.ShortID, "--sentry-event", "foo"}, {"--sentry-event", "latest", "--signal", "x.json"}} {
		cmd := append([]string{"analyze", "--local", sc.dir}, args...)
		if code, out, errOut := sc.r.run(cmd...); code != 2 || !strings.Contains(errOut, "--sentry-event") || out != "" {
			t.Errorf("%v: got exit %d, stdout %q, stderr %q; want exit 2 about --sentry-event, no report", args, code, out, errOut)
		}
	}
	// No token at all: an authentication error.
	delete(sc.r.env, "SENTRY_AUTH_TOKEN")
	if code, _, errOut := sc.r.run("analyze", "--local", sc.dir, "--sentry-issue", none.ShortID); code != 4 {
		t.Errorf("no token: got exit %d, want 4\n%s", code, errOut)
	}
	// No token next to a signal file: the file is analyzed, and the
	// issue's failure says how to give a token.
	ev := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(ev, fetchEvent(t, sc, none.ID), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := sc.r.run("analyze", "--local", sc.dir, "--signal", ev, "--sentry-issue", none.ShortID); code != 3 ||
		!strings.Contains(errOut, "no Sentry auth token found (set SENTRY_AUTH_TOKEN") || !strings.Contains(errOut, "hint: set SENTRY_AUTH_TOKEN") {
		t.Errorf("no token next to a file: got exit %d, stderr %q; want exit 3 and the token advice", code, errOut)
	}
}

// TestSentryIssueQuotingItsSource: an issue whose release Sentry links to
// no commit is analyzed at HEAD, where a later commit moved the crashing
// line (TestSentryIssueAtRelease shows the line then misses the bug). When
// the event quotes the source around its frames' lines, as Sentry's SDKs
// send it, the build whose file reads so is found in the history: the bug
// comes first by its line, and a note says which build was blamed from.
func TestSentryIssueQuotingItsSource(t *testing.T) {
	sc := newSentryCase(t)
	var ctx []string
	for i := sc.buggyLine - 5; i <= sc.buggyLine+5; i++ {
		switch i {
		case sc.buggyLine:
			ctx = append(ctx, fmt.Sprintf("    total += item[%d] / 0  # the bug", i-1))
		default:
			ctx = append(ctx, fmt.Sprintf("    total += item[%d]", i-1))
		}
	}
	is, _ := sc.srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "shop"}, sentrytest.Event{
		Time: sc.crashed, Release: "shop@1.4.2", Platform: "python",
		Exceptions: []sentrytest.Exception{{Type: "ZeroDivisionError", Value: "division by zero", Frames: []sentrytest.Frame{
			{Filename: "app.py", AbsPath: "/srv/shop/app.py", Function: "checkout", Line: 3, InApp: true},
			{Filename: "shop/cart.py", AbsPath: "/srv/shop/shop/cart.py", Function: "total", Line: sc.buggyLine, InApp: true, Context: ctx},
		}}},
	})
	rep := sc.r.report(t, "--local", sc.dir, "--sentry-issue", is.ShortID, "--top", "10")
	s := rep.Signals[0]
	if s.Sentry == nil || s.Sentry.Ref != "" || !strings.Contains(s.Sentry.Note, "analyzed HEAD instead") {
		t.Fatalf("got sentry %+v, want the release's commit unknown and HEAD analyzed", s.Sentry)
	}
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug || s.Suspects[0].Evidence[0].Kind != "line" {
		t.Fatalf("got suspects %v, want the bug %s first by its line", suspectsOf(rep, 0), sc.bug)
	}
	fit := false
	for _, n := range s.Notes {
		fit = fit || strings.Contains(n, "fit "+sc.bug[:12])
	}
	if !fit {
		t.Errorf("got notes %q, want one naming the build %s the lines fit", s.Notes, sc.bug[:12])
	}
	// Saved from Sentry's API and read with --signal, the event ranks the same.
	ev := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(ev, fetchEvent(t, sc, is.ID), 0o600); err != nil {
		t.Fatal(err)
	}
	saved := sc.r.report(t, "--local", sc.dir, "--signal", ev, "--top", "10")
	if g, w := suspectsOf(saved, 0), suspectsOf(rep, 0); !reflect.DeepEqual(g, w) {
		t.Errorf("the saved event ranked\n%v\nthe issue\n%v", g, w)
	}
	// From Bitbucket too: the file is read at the tip, its older versions
	// rebuilt from the diffs already fetched.
	srv, r := fakeRepo(t, "shop", sc.dir, bitbuckettest.Options{})
	remote := r.report(t, "--repo", "acme/shop", "--signal", ev, "--top", "10")
	if s := remote.Signals[0]; len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug || s.Suspects[0].Evidence[0].Kind != "line" {
		t.Errorf("on Bitbucket: got suspects %v, want the bug %s first by its line", suspectsOf(remote, 0), sc.bug)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/shop/src/"); n == 0 {
		t.Errorf("on Bitbucket the frame's file was never read: requests %v", srv.Requests())
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

// withoutRelease is a REST-shape event with its release object and tag
// removed.
func withoutRelease(t *testing.T, raw []byte) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	if _, ok := ev["release"]; !ok {
		t.Fatalf("the event names no release: %.300s", raw)
	}
	delete(ev, "release")
	if tags, ok := ev["tags"].([]any); ok {
		var kept []any
		for _, tag := range tags {
			if m, ok := tag.(map[string]any); ok && m["key"] == "release" {
				continue
			}
			kept = append(kept, tag)
		}
		ev["tags"] = kept
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSavedEventAtRelease: a Sentry event saved to a file (here as an SDK
// sends it, the release a plain string) is analyzed at the commit its
// release names, as a pulled issue is, without asking Sentry; when the
// release cannot be used the run says why and ranks at HEAD, and none of
// this fails the run.
func TestSavedEventAtRelease(t *testing.T) {
	sc := newSentryCase(t)
	dir := t.TempDir()
	event := func(name, release string) string {
		ev := map[string]any{
			"event_id": "0123456789abcdef0123456789abcdef", "platform": "python",
			"timestamp": sc.crashed.UTC().Format(time.RFC3339), "release": release,
			"exception": map[string]any{"values": []any{map[string]any{
				"type": "ZeroDivisionError", "value": "division by zero",
				"stacktrace": map[string]any{"frames": []any{
					map[string]any{"filename": "app.py", "abs_path": "/srv/shop/app.py", "function": "checkout", "lineno": 3, "in_app": true},
					map[string]any{"filename": "shop/cart.py", "abs_path": "/srv/shop/shop/cart.py", "function": "total", "lineno": sc.buggyLine, "in_app": true},
				}},
			}}},
		}
		return writeJSON(t, filepath.Join(dir, name), ev)
	}
	good := event("good.json", "shop@1.4.2+"+sentry.ShortHash(sc.bug))
	noHash := event("nohash.json", "shop@1.4.2")
	gone := event("gone.json", "shop@1.4.3+deadbeef1234")
	trace := filepath.Join(dir, "trace.txt")
	if err := os.WriteFile(trace, []byte(fmt.Sprintf("Traceback (most recent call last):\n  File \"/srv/shop/shop/cart.py\", line %d, in total\nZeroDivisionError: division by zero\n", sc.buggyLine)), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := sc.r.run("analyze", "-o", "json", "--local", sc.dir, "--top", "10",
		"--signal", trace, "--signal", noHash, "--signal", good, "--signal", gone)
	if code != 0 {
		t.Fatalf("got exit %d, want 0\n%s", code, errOut)
	}
	var rep analyze.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Signals) != 4 {
		t.Fatalf("got %d signals, want 4, in the order given", len(rep.Signals))
	}
	if rep.Signals[0].Sentry != nil || rep.Signals[0].Source != trace {
		t.Errorf("signal 0: got source %q and sentry %+v, want the text trace as it was", rep.Signals[0].Source, rep.Signals[0].Sentry)
	}
	if s := rep.Signals[2]; s.Source != good || s.Sentry == nil || s.Sentry.Ref != sc.bug || len(s.Suspects) == 0 ||
		s.Suspects[0].Hash != sc.bug || s.Suspects[0].Evidence[0].Kind != "line" {
		t.Errorf("signal 2: got source %q, sentry %+v, suspects %v: want it analyzed at %s, the bug first by line", s.Source, s.Sentry, suspectsOf(&rep, 2), sc.bug)
	}
	for i, want := range map[int]string{1: "holds no commit hash", 3: "does not have"} {
		s := rep.Signals[i]
		if s.Sentry == nil || s.Sentry.Ref != "" || !strings.Contains(s.Sentry.Note, want) || !strings.Contains(errOut, want) {
			t.Errorf("signal %d: got sentry %+v, want no ref and a note with %q on stderr too\n%s", i, s.Sentry, want, errOut)
		}
	}
	// At HEAD, the text trace's line is another one: it is not the bug's
	// line hit that the release gave signal 2.
	if s := rep.Signals[0]; len(s.Suspects) > 0 && s.Suspects[0].Hash == sc.bug && s.Suspects[0].Evidence[0].Kind == "line" {
		t.Errorf("the text trace at HEAD blamed the bug by line; the test no longer tells the release apart")
	}

	// The table says where the event was analyzed.
	code, out, errOut = sc.r.run("analyze", "--local", sc.dir, "--signal", good)
	if code != 0 || !strings.Contains(out, "Sentry event in "+good) || !strings.Contains(out, sc.bug[:12]) {
		t.Errorf("table: exit %d, want a line naming the event and the release's commit\n%s\n%s", code, out, errOut)
	}
}

// TestSavedEventLastCommitOnBitbucket: a saved event from Sentry's API,
// whose release object names its last commit, is analyzed on Bitbucket at
// that commit when the commit is of the repository analyzed; a last
// commit of another repository of the release is not used there.
func TestSavedEventLastCommitOnBitbucket(t *testing.T) {
	sc := newSentryCase(t)
	srv, r := fakeRepo(t, "shop", sc.dir, bitbuckettest.Options{})
	raw := fetchEvent(t, sc, sc.issue("shop@1.4.2").ID)
	dir := t.TempDir()
	save := func(name, repo string) string {
		var ev map[string]any
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		ev["release"] = map[string]any{"version": "shop@1.4.2",
			"lastCommit": map[string]any{"id": sc.bug, "repository": map[string]any{"name": repo}}}
		return writeJSON(t, filepath.Join(dir, name), ev)
	}
	own, other := save("own.json", "acme/shop"), save("other.json", "acme/billing")

	rep := r.report(t, "--repo", "acme/shop", "--signal", own, "--signal", other, "--top", "10")
	if s := rep.Signals[0]; s.Sentry == nil || s.Sentry.Ref != sc.bug || s.Sentry.CommitSource != "release-last-commit" ||
		len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug || s.Suspects[0].Evidence[0].Kind != "line" {
		t.Errorf("own repository: got sentry %+v and suspects %v, want it analyzed at %s with the bug first by line", s.Sentry, suspectsOf(rep, 0), sc.bug)
	}
	if s := rep.Signals[1]; s.Sentry == nil || s.Sentry.Ref != "" || !strings.Contains(s.Sentry.Note, "acme/billing") {
		t.Errorf("another repository's commit: got sentry %+v, want no ref and a note naming acme/billing", s.Sentry)
	}
	if n := srv.CountRequests("/2.0/repositories/acme/shop/commits/" + sc.bug); n == 0 {
		t.Errorf("the release's commit was never listed from Bitbucket: requests %v", srv.Requests())
	}
}

// writeJSON writes v as JSON to path and returns path.
func writeJSON(t *testing.T, path string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSentryReleaseOfSeveralRepositoriesInAClone: a release whose commits
// Sentry lists for two repositories, the other one's newest, is analyzed
// in a clone at the head commit of the repository the clone holds (a clone
// has no Sentry repository name to compare with).
func TestSentryReleaseOfSeveralRepositoriesInAClone(t *testing.T) {
	sc := newSentryCase(t)
	sc.srv.AddRelease(sentrytest.Release{Org: "acme", Version: "mono@3.0.0", Projects: []string{"shop"}, Commits: []sentrytest.Commit{
		{SHA: strings.Repeat("ab", 20), Repository: "acme/web", Message: "web: newer", Time: sc.crashed.Add(-time.Hour)},
		{SHA: sc.bug, Repository: "acme/shop", Message: "cart: tweak total", Time: sc.crashed.Add(-48 * time.Hour)},
	}})
	is := sc.issue("mono@3.0.0")
	rep := sc.r.report(t, "--local", sc.dir, "--sentry-issue", is.ShortID, "--top", "10")
	if len(rep.Signals) != 1 {
		t.Fatalf("got %d signals, want 1", len(rep.Signals))
	}
	s := rep.Signals[0]
	if s.Sentry == nil || s.Sentry.Ref != sc.bug || len(s.Suspects) == 0 || s.Suspects[0].Hash != sc.bug {
		t.Errorf("got sentry %+v and suspects %v, want it analyzed at %s with the bug first", s.Sentry, suspectsOf(rep, 0), sc.bug)
	}
}
