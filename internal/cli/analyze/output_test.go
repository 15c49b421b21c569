package analyze

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
	"github.com/sigsentry/sigsentry/pkg/suspect"
)

// The tests of this file run on the real clock: their commits are dated
// relative to now.

// hostile holds every terminal attack of issue 10 item 5: OSC 52 (the
// clipboard), clear screen and cursor home, the window title, cursor up
// with a carriage return (to write over earlier lines), hidden text (SGR
// 8), C1 CSI as a rune and as a raw byte, bidi overrides and isolates, and
// bell, backspace and DEL. git refuses NUL in arguments; hostileNUL adds it
// where the text does not pass through git.
const (
	hostile    = "\x1b]52;c;ZXZpbA==\x07 \x1b[2J\x1b[H \x1b]0;title\x07 \x1b[5A\r \x1b[8mhidden\x1b[0m \u009b2J \x9b2J \u202eevil\u202c \u2066x\u2069 \a\b\x7f"
	hostileNUL = hostile + " \x00"
)

// rawControl returns the first raw control character of s that is not a
// newline or a tab (C0, DEL, C1 as a rune, a bidi control, a byte that is
// not UTF-8), with its offset, or -1.
func rawControl(s string) (int, rune) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return i, r
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f,
			r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e,
			r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
			return i, r
		}
	}
	return -1, 0
}

func checkNoRawControl(t *testing.T, what, out string) {
	t.Helper()
	if i, r := rawControl(out); i >= 0 {
		t.Errorf("%s: raw control %U at byte %d:\n%q", what, r, i, out)
	}
}

// realNow returns a clock that reads the real time once, so that the runs
// of one test share their window.
func realNow() func() time.Time {
	at := time.Now()
	return func() time.Time { return at }
}

// recentRepo is a local repository with three commits of the last days.
func recentRepo(t *testing.T) *repo {
	t.Helper()
	clock := time.Now().UTC()
	r := newRepo(t)
	for i, n := range []int{9, 5, 1} {
		r.commit(clock.AddDate(0, 0, -n), fmt.Sprintf("change %d", i), map[string]string{"app/main.go": numbered(fmt.Sprint("v", i), 10)})
	}
	return r
}

// hostileRepo is a local repository whose newest commit has a hostile
// message and author, and changes a file whose name is hostile too. It
// returns the repository and a Go panic, with a hostile title and frames,
// whose crashing frame is a line that commit added.
func hostileRepo(t *testing.T) (*repo, string) {
	t.Helper()
	clock := time.Now().UTC()
	day := func(n int) time.Time { return clock.AddDate(0, 0, -n) }
	evil := "app/\x1b]0;t\x07ev\u202eil.go"
	r := newRepo(t)
	r.commit(day(40), "root", map[string]string{"app/main.go": numbered("main", 30), evil: numbered("evil", 10)})
	for name, content := range map[string]string{
		"app/main.go": strings.Replace(numbered("main", 30), "main 7\n", "seven\n", 1),
		evil:          strings.Replace(numbered("evil", 10), "evil 3\n", "three\n", 1),
	} {
		if err := os.WriteFile(filepath.Join(r.dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.git(day(3), "add", "-A")
	r.git(day(3), "commit", "-q", "--author", "Mallory"+hostile+" <m@example.com>", "-m", "fix"+hostile+"\n\nbody"+hostile)
	sig := filepath.Join(t.TempDir(), "panic.txt")
	text := "panic: boom" + hostileNUL + "\n\ngoroutine 1 [running]:\n" +
		"example.com/app/app.seven\x1b[8m\u009b(...)\n\t/build/src/app/main.go:7 +0x1d\n" +
		"example.com/app/app.evil(...)\n\t/build/src/" + evil + ":3 +0x1d\n" +
		"main.main()\n\t/build/src/app/\x1b[5Aunmapped\u202e.go:25 +0x19\n"
	if err := os.WriteFile(sig, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return r, sig
}

// TestHostileTextLocal feeds the attacks through a local repository and a
// signal (commits, signals, suspects, evidence, unmapped frames) and checks
// that no raw control character reaches the table, Markdown or JSON output,
// with colour off and on.
func TestHostileTextLocal(t *testing.T) {
	r, sig := hostileRepo(t)
	e := newEnv(t, "", nil, nil)
	e.f.Now = realNow()
	outputs := map[string]string{}
	for _, format := range []string{"table", "markdown", "json"} {
		if code := e.run(t, "--local", r.dir, "--signal", sig, "-o", format); code != 0 {
			t.Fatalf("%s: got exit %d; stderr: %s", format, code, e.err.String())
		}
		outputs[format] = e.out.String()
		checkNoRawControl(t, format, e.out.String())
		checkNoRawControl(t, format+" stderr", e.err.String())
	}
	// The suspect is there, and the attacks are shown, not acted on
	// (Markdown escapes the backslashes and brackets of the escapes).
	for format, shown := range map[string]string{"table": `\x1b]52;c;ZXZpbA==\x07`, "markdown": `\\x1b\]52;c;ZXZpbA==\\x07`} {
		for _, want := range []string{"fix" + shown, "Mallory" + shown} {
			if !strings.Contains(outputs[format], want) {
				t.Errorf("%s: missing %q in\n%s", format, want, outputs[format])
			}
		}
	}
	for _, want := range []string{`app.seven\x1b[8m\u009b`, `\u202e`} {
		if !strings.Contains(outputs["table"], want) {
			t.Errorf("table: missing %q in\n%s", want, outputs["table"])
		}
	}
	var rep Report
	if err := json.Unmarshal([]byte(outputs["json"]), &rep); err != nil {
		t.Fatalf("json: %v", err)
	}
	if len(rep.Signals) != 1 || len(rep.Signals[0].Suspects) == 0 || !strings.HasPrefix(rep.Signals[0].Suspects[0].Summary, "fix\x1b]52") {
		t.Fatalf("json: want the hostile commit as the suspect, its text intact; got %+v", rep.Signals)
	}

	// Colour on a terminal: the same table plus our bold, nothing else.
	e.f.IO.NoColor = false
	e.f.IO.SetTTY(false, true, false)
	defer func() { e.f.IO.NoColor = true; e.f.IO.SetTTY(false, false, false) }()
	if code := e.run(t, "--local", r.dir, "--signal", sig); code != 0 {
		t.Fatalf("colour: got exit %d", code)
	}
	colored := e.out.String()
	if !strings.Contains(colored, "\x1b[1m") {
		t.Errorf("colour: no bold in\n%q", colored)
	}
	if plain := strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "").Replace(colored); plain != outputs["table"] {
		t.Errorf("colour: less our bold, got\n%q\nwant the colourless table\n%q", plain, outputs["table"])
	}
}

// TestHostileTextBitbucket is the same through Bitbucket: commit messages
// and authors come from the API.
func TestHostileTextBitbucket(t *testing.T) {
	r, sig := hostileRepo(t)
	srv, auth := fake(t, r, bitbuckettest.Options{})
	e := newEnv(t, "bitbucket:\n  repositories:\n    - name: acme/app\n", srv, auth)
	e.f.Now = realNow()
	for _, format := range []string{"table", "markdown", "json"} {
		if code := e.run(t, "--signal", sig, "-o", format); code != 0 {
			t.Fatalf("%s: got exit %d; stderr: %s", format, code, e.err.String())
		}
		checkNoRawControl(t, format, e.out.String())
		if format == "table" && !strings.Contains(e.out.String(), `fix\x1b]52;c;ZXZpbA==\x07`) {
			t.Errorf("%s: want the hostile commit shown escaped in\n%s", format, e.out.String())
		}
	}
}

// hostileReport holds outside text in every string field the table and
// Markdown print, NUL included.
func hostileReport() *Report {
	clock := time.Now().UTC()
	h := hostileNUL
	return &Report{
		Window: WindowReport{Since: clock.AddDate(0, 0, -30), Until: clock, LookbackDays: 30},
		Repos: []RepoReport{
			{Repo: "acme/ok" + h, Source: "bitbucket" + h, Ref: "main" + h, Commits: 1},
			{Repo: "acme/gone" + h, Source: "bitbucket", Error: &RepoError{Status: 404, Message: "not found" + h, Hint: "hint" + h}},
			{Repo: "acme/down", Source: "bitbucket", Error: &RepoError{Message: "dial" + h}},
		},
		Commits: []CommitReport{},
		Signals: []SignalReport{
			{
				Source: "sig" + h, Format: "go" + h, Title: "title" + h,
				Frames: []FrameReport{{File: "frame" + h, Line: 3, Function: "fn" + h, InApp: true}},
				Suspects: []SuspectReport{{
					Rank: 1, Repo: "acme/ok" + h, Hash: "abc" + h, Score: 0.5, Summary: "summary" + h,
					Author: "author" + h + " <a@b>", Date: clock.AddDate(0, 0, -1),
					Evidence: []EvidenceReport{
						{Kind: "line" + h, File: "f" + h + ".go", Line: 7, Detail: "added line 7 of f" + h + ".go (in fn" + h + ")"},
						{Kind: "text", Detail: "words" + h},
						{Kind: "file", File: "g" + h, Detail: "other" + h},
					},
				}},
				Unmapped: 1,
			},
			{Source: "s2", Title: "t2", Abstained: true, Reason: "no confident suspect: because" + h, Suspects: []SuspectReport{}},
		},
		Notes: []string{"note" + h},
	}
}

func TestHostileReport(t *testing.T) {
	for _, format := range []render.Format{render.Table, render.Markdown, render.JSON} {
		for _, color := range []bool{false, true} {
			ios, _, out, _ := iostreams.Test()
			if color {
				ios.NoColor = false
				ios.SetTTY(false, true, false)
			}
			if err := writeReport(ios, format, hostileReport(), 5); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if color && format == render.Table {
				if !strings.Contains(got, "\x1b[1m") {
					t.Errorf("table with colour: no bold in %q", got)
				}
				got = strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "").Replace(got)
			}
			checkNoRawControl(t, fmt.Sprintf("%s (colour %v)", format, color), got)
			if format != render.JSON && !strings.Contains(got, `\x00`) {
				t.Errorf("%s: want NUL shown as \\x00 in\n%s", format, got)
			}
		}
	}
}

// TestReasonSaidOnce: the reasons from pkg/suspect start with "no
// confident suspect: "; the output says it once.
func TestReasonSaidOnce(t *testing.T) {
	rep := &Report{Repos: []RepoReport{}, Commits: []CommitReport{}, Notes: []string{},
		Signals: []SignalReport{
			{Title: "a", Abstained: true, Reason: "no confident suspect: no frame maps to a repository file"},
			{Title: "b", Abstained: true, Reason: "No confident suspect: no confident suspect: the signal has no frames"},
			{Title: "c", Abstained: true, Reason: "no in-app frames"},
			{Title: "d", Abstained: true},
		}}
	for _, format := range []render.Format{render.Table, render.Markdown} {
		ios, _, out, _ := iostreams.Test()
		if err := writeReport(ios, format, rep, 5); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if n := strings.Count(strings.ToLower(got), "no confident suspect"); n != 4 {
			t.Errorf("%s: got %d times \"no confident suspect\", want 4 (once per signal):\n%s", format, n, got)
		}
		for _, want := range []string{"no frame maps to a repository file", "the signal has no frames", "no in-app frames", "no candidate commit"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: missing %q in\n%s", format, want, got)
			}
		}
	}
}

// TestEvidenceLayout: the file is said once, with its line; a long path is
// elided in the middle so that what follows it (the frame, the function)
// stays; long text is cut at the end, never inside an escape or a rune.
func TestEvidenceLayout(t *testing.T) {
	long := "services/checkout/internal/payments/providers/stripe/webhooks/handlers/refunds/partial/handler.go"
	tests := []struct {
		name    string
		ev      EvidenceReport
		want    []string // in the table line, in this order
		notWant []string
	}{
		{
			name: "line in the detail",
			ev:   EvidenceReport{Kind: "line", File: "app/main.go", Line: 7, Detail: "added line 7 of app/main.go (the crashing frame, in app.seven)"},
			want: []string{"line: added line 7 of app/main.go (the crashing frame, in app.seven)"},
		},
		{
			name: "line not in the detail",
			ev:   EvidenceReport{Kind: "function", File: "app/main.go", Line: 12, Detail: "changed seven in app/main.go (frame #1, in app.seven)"},
			want: []string{"function: changed seven in app/main.go:12 (frame #1, in app.seven)"},
		},
		{
			name:    "long path",
			ev:      EvidenceReport{Kind: "file", File: long, Detail: "touched " + long + " (frame #2, in refunds.Partial); 3 newer commits touched it since"},
			want:    []string{"file: touched services/…/", "/handler.go (frame #2, in refunds.Partial); 3 newer commits touched it since"},
			notWant: []string{"internal/payments"},
		},
		{
			name: "file not in the detail",
			ev:   EvidenceReport{Kind: "text", File: "app/x.go", Line: 3, Detail: "symptom words: refund"},
			want: []string{"text: app/x.go:3: symptom words: refund"},
		},
		{
			name: "no file",
			ev:   EvidenceReport{Kind: "recency", Detail: "committed 3 hours before the signal"},
			want: []string{"recency: committed 3 hours before the signal"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := oneLine(layoutEvidence(tt.ev, pathWidth).text(), evidenceWidth)
			at := 0
			for _, w := range tt.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("got %q, want %q in it (in order)", got, w)
				}
				at += i + len(w)
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("got %q, want no %q", got, w)
				}
			}
			if tt.ev.File != "" && strings.Count(got, filepath.Base(tt.ev.File)) != 1 {
				t.Errorf("got %q, want the file named once", got)
			}
		})
	}

	// Too long even so: cut at the end, on a whole escape and rune.
	ev := EvidenceReport{Kind: "text", Detail: strings.Repeat("日本\x1b[8m", 40)}
	got := oneLine(layoutEvidence(ev, pathWidth).text(), evidenceWidth)
	if !strings.HasSuffix(got, "…") || render.Width(got) > evidenceWidth || !utf8.ValidString(got) {
		t.Errorf("got %q (%d columns), want it cut to %d with an ellipsis", got, render.Width(got), evidenceWidth)
	}
	full := render.Line(layoutEvidence(ev, pathWidth).text())
	trimmed := strings.TrimSuffix(got, "…")
	if !strings.HasPrefix(full, trimmed) || strings.HasSuffix(trimmed, `\`) || strings.HasSuffix(trimmed, `\x`) || strings.HasSuffix(trimmed, `\x1`) {
		t.Errorf("got %q, want a cut between whole escapes and runes", got)
	}

	// Markdown: every evidence, the file once, whole, in a code span.
	rep := &Report{Repos: []RepoReport{}, Commits: []CommitReport{}, Notes: []string{}, Signals: []SignalReport{{
		Title: "t", Suspects: []SuspectReport{{Rank: 1, Hash: "abcdef0123", Evidence: []EvidenceReport{tests[0].ev, tests[1].ev, tests[2].ev}}},
	}}}
	ios, _, out, _ := iostreams.Test()
	if err := writeReport(ios, render.Markdown, rep, 5); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"   - **line**: added line 7 of `app/main.go` (the crashing frame, in app.seven)\n",
		"   - **function**: changed seven in `app/main.go:12` (frame \\#1, in app.seven)\n",
		"   - **file**: touched `" + long + "` (frame \\#2, in refunds.Partial); 3 newer commits touched it since\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("markdown: missing %q in\n%s", want, out.String())
		}
	}
}

// TestAPIErrorHints: for 401, 403, 404 and 429 the table and the Markdown
// carry the contract's hint (see the troubleshooting table of the CLI
// contract), not only Bitbucket's own message.
func TestAPIErrorHints(t *testing.T) {
	r := recentRepo(t)
	tests := []struct {
		name  string
		setup func(srv *bitbuckettest.Server) bitbucket.Authenticator
		cfg   string
		code  int
		want  []string
	}{
		{
			name: "401",
			setup: func(*bitbuckettest.Server) bitbucket.Authenticator {
				return bitbucket.BasicAuth("ada@example.com", "wrong")
			},
			cfg:  "bitbucket:\n  repositories:\n    - name: acme/app\n",
			code: cmdutil.ExitAuth,
			want: []string{"HTTP 401", "re-authorize with `sigsentry auth login` or use an API token"},
		},
		{
			name: "403",
			setup: func(srv *bitbuckettest.Server) bitbucket.Authenticator {
				srv.AddAPIToken("ada@example.com", "tok-user-only", "read:user:bitbucket")
				return bitbucket.BasicAuth("ada@example.com", "tok-user-only")
			},
			cfg:  "bitbucket:\n  repositories:\n    - name: acme/app\n",
			code: cmdutil.ExitPartial,
			want: []string{"HTTP 403", "lacks the repository read permission", "read:repository:bitbucket", "granted: read:user:bitbucket"},
		},
		{
			name: "404",
			setup: func(*bitbuckettest.Server) bitbucket.Authenticator {
				return bitbucket.BasicAuth("ada@example.com", "tok-123")
			},
			cfg:  "bitbucket:\n  repositories:\n    - name: acme/missing\n",
			code: cmdutil.ExitPartial,
			want: []string{"HTTP 404", "the repo slug is mistyped, or the repo is in a different workspace (or private and not visible to this account)"},
		},
		{
			name: "429",
			setup: func(srv *bitbuckettest.Server) bitbucket.Authenticator {
				srv.FailNext("/commits", 429, 100)
				return bitbucket.BasicAuth("ada@example.com", "tok-123")
			},
			cfg:  "bitbucket:\n  repositories:\n    - name: acme/app\n      main_branch: main\n",
			code: cmdutil.ExitPartial,
			want: []string{"HTTP 429", "hourly request limit was hit", "sigsentry waited", "rerun later"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := fake(t, r, bitbuckettest.Options{})
			auth := tt.setup(srv)
			e := newEnv(t, tt.cfg, srv, auth)
			e.f.Now = realNow()
			e.f.Bitbucket = func() (*bitbucket.Client, error) {
				// Retries do not wait: the test checks words, not time.
				return bitbucket.New(bitbucket.Options{BaseURL: srv.APIURL(), Auth: auth,
					Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
			}
			for _, format := range []string{"table", "markdown"} {
				if code := e.run(t, "-o", format); code != tt.code {
					t.Fatalf("%s: got exit %d, want %d; stderr: %s", format, code, tt.code, e.err.String())
				}
				// Markdown escapes or spans the hint's backquotes.
				plain := strings.NewReplacer("\\", "", "`", "")
				got := plain.Replace(strings.Join(strings.Fields(e.out.String()), " "))
				for _, w := range tt.want {
					if !strings.Contains(got, plain.Replace(w)) {
						t.Errorf("%s: missing %q in\n%s", format, w, e.out.String())
					}
				}
			}
			if code := e.run(t, "-o", "json"); code != tt.code {
				t.Fatalf("json: got exit %d, want %d", code, tt.code)
			}
			if er := e.report(t).Repos[0].Error; er == nil || er.Hint == "" || !strings.Contains(strings.Join(strings.Fields(er.Hint), " "), tt.want[1]) {
				t.Errorf("json: got error %+v, want the hint filled", er)
			}
		})
	}
}

// TestProgressOnlyOnTerminal: progress is drawn on stderr only when it is
// a terminal and not quiet, and stdout is the same either way.
func TestProgressOnlyOnTerminal(t *testing.T) {
	r := recentRepo(t)
	e := newEnv(t, "", nil, nil)
	e.f.Now = realNow()
	var outs []string
	for _, tt := range []struct {
		name         string
		stderrTTY    bool
		quiet        bool
		wantProgress bool
	}{
		{"not a terminal", false, false, false},
		{"terminal", true, false, true},
		{"terminal, quiet", true, true, false},
	} {
		e.f.IO.SetTTY(false, false, tt.stderrTTY)
		e.f.IO.Quiet = tt.quiet
		if code := e.run(t, "--local", r.dir); code != 0 {
			t.Fatalf("%s: got exit %d", tt.name, code)
		}
		outs = append(outs, e.out.String())
		drew := strings.Contains(e.err.String(), "Reading commits")
		if drew != tt.wantProgress {
			t.Errorf("%s: got stderr %q, want progress %v", tt.name, e.err.String(), tt.wantProgress)
		}
		if drew && !strings.HasSuffix(e.err.String(), "\r\x1b[2K") {
			t.Errorf("%s: got stderr %q, want the bar cleared at the end", tt.name, e.err.String())
		}
		if strings.Contains(e.out.String(), "\x1b") {
			t.Errorf("%s: got escapes on stdout (not a terminal)", tt.name)
		}
	}
	if outs[0] != outs[1] || outs[1] != outs[2] {
		t.Errorf("stdout differs with progress on and off:\n%s\n%s", outs[0], outs[1])
	}
	e.f.IO.SetTTY(false, false, false)
	e.f.IO.Quiet = false
}

// TestMarkdownHint: our advice's `commands` are code spans in Markdown;
// stray backquotes are escaped.
func TestMarkdownHint(t *testing.T) {
	rep := &Report{Commits: []CommitReport{}, Signals: []SignalReport{}, Notes: []string{"odd ` quote"},
		Repos: []RepoReport{{Repo: "acme/a", Error: &RepoError{Status: 401, Message: "m", Hint: "run `sigsentry auth login` or `sigsentry auth api-token`"}}}}
	ios, _, out, _ := iostreams.Test()
	if err := writeReport(ios, render.Markdown, rep, 5); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"> **Hint for acme/a**: run `sigsentry auth login` or `sigsentry auth api-token`\n",
		"> Note: odd \\` quote\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
}

// TestFirstUnmapped names the first in-app frame that matched no file by
// what the frame gives: a kernel frame has only its function.
func TestFirstUnmapped(t *testing.T) {
	for _, tc := range []struct {
		frame FrameReport
		want  string
	}{
		{FrameReport{File: "src/a.c", Line: 3, InApp: true}, " (first: src/a.c:3)"},
		{FrameReport{File: "src/a.c", Line: 3, Function: "fill", InApp: true}, " (first: src/a.c:3 in fill)"},
		{FrameReport{Function: "mt7996_register_device", InApp: true}, " (first: mt7996_register_device)"},
		{FrameReport{Line: 7, InApp: true}, ""},
	} {
		s := SignalReport{Frames: []FrameReport{{File: "lib.c", Path: "lib.c", InApp: true}, {File: "vendor.c"}, tc.frame}}
		if got := firstUnmapped(s); got != tc.want {
			t.Errorf("firstUnmapped(%+v) = %q, want %q", tc.frame, got, tc.want)
		}
	}
}

// TestContractKinds: every evidence rule of the ranker reports one of the
// contract's six kinds in JSON, itself when it is one of them.
func TestContractKinds(t *testing.T) {
	contract := []string{"line", "function", "proximity", "file", "text", "recency"}
	for _, rule := range []string{suspect.KindLine, suspect.KindFunction, suspect.KindProximity, suspect.KindCallee,
		suspect.KindCaller, suspect.KindFile, suspect.KindDir, suspect.KindText, suspect.KindFixed, suspect.KindRecency} {
		k := contractKind(rule)
		if !slices.Contains(contract, k) {
			t.Errorf("rule %q: kind %q is not one of the contract's %v", rule, k, contract)
		}
		if slices.Contains(contract, rule) && k != rule {
			t.Errorf("rule %q: kind %q, want itself", rule, k)
		}
	}
}
