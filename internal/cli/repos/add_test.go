package repos

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
)

// wantLine is the expected result of one input line.
type wantLine struct {
	line   int
	source string
	status string
	repo   string
	// errHas are substrings the line's error must contain (none: no error).
	errHas []string
}

func decodeAdd(t *testing.T, out string) AddReport {
	t.Helper()
	var rep AddReport
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", out)
	}
	return rep
}

func checkResults(t *testing.T, got []*AddResult, want []wantLine) {
	t.Helper()
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("got %+v", *g)
		}
		t.Fatalf("got %d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		errText := ""
		if g.Error != nil {
			errText = *g.Error
		}
		if g.Line != w.line || g.Source != w.source || g.Status != w.status || g.Repo != w.repo {
			t.Errorf("result %d: got %s %d %q → %q %q (%s); want %s %d %q %q", i, g.Source, g.Line, g.Input, g.Status, g.Repo, errText, w.source, w.line, w.status, w.repo)
		}
		if len(w.errHas) == 0 && g.Error != nil {
			t.Errorf("result %d (%q): got error %q, want none", i, g.Input, errText)
		}
		for _, sub := range w.errHas {
			if !strings.Contains(errText, sub) {
				t.Errorf("result %d (%q): got error %q, want it to contain %q", i, g.Input, errText, sub)
			}
		}
	}
}

func TestAddInputForms(t *testing.T) {
	list := strings.Join([]string{
		"# checkout team repositories", // 1
		"",                             // 2
		"acme/checkout-api",            // 3
		"   https://bitbucket.org/acme/billing/src/main/x.go", // 4
		"git@bitbucket.org:acme/web.git  # the shop",          // 5
		"ssh://git@bitbucket.org/acme/ops.git",                // 6
		"https://jdoe@bitbucket.org/acme/infra.git",           // 7
		"ACME/Checkout-API",                                   // 8: duplicate of 3
		"a/b/c",                                               // 9
		"acme/check out",                                      // 10
		"acme/api!",                                           // 11
		"https://github.com/acme/api",                         // 12
		"docs",                                                // 13: bare slug
		"acme/",                                               // 14
		"\t# indented comment",                                // 15
	}, "\n") + "\n"
	wantSaved := []string{"acme/checkout-api", "acme/billing", "acme/web", "acme/ops", "acme/infra", "acme/docs"}
	fileResults := func(source string) []wantLine {
		return []wantLine{
			{3, source, StatusAdded, "acme/checkout-api", nil},
			{4, source, StatusAdded, "acme/billing", nil},
			{5, source, StatusAdded, "acme/web", nil},
			{6, source, StatusAdded, "acme/ops", nil},
			{7, source, StatusAdded, "acme/infra", nil},
			{8, source, StatusDuplicate, "ACME/Checkout-API", nil},
			{9, source, StatusInvalid, "", []string{"3 parts", "want workspace/repo-slug"}},
			{10, source, StatusInvalid, "", []string{"contains a space"}},
			{11, source, StatusInvalid, "", []string{`contains '!'`, "ASCII letters, digits"}},
			{12, source, StatusInvalid, "", []string{`host "github.com" is not Bitbucket Cloud`}},
			{13, source, StatusAdded, "acme/docs", nil},
			{14, source, StatusInvalid, "", []string{"repository slug is empty"}},
		}
	}

	tests := []struct {
		name     string
		args     []string
		stdin    string
		file     string
		stdinTTY bool
		env      map[string]string
		wantCode int
		want     []wantLine
		saved    []string
	}{
		{
			name:     "arguments in every form",
			args:     []string{"acme/api", "https://bitbucket.org/acme/web/src/main/", "git@bitbucket.org:acme/db.git", "Acme/API.git"},
			wantCode: cmdutil.ExitOK,
			want: []wantLine{
				{1, "argument", StatusAdded, "acme/api", nil},
				{2, "argument", StatusAdded, "acme/web", nil},
				{3, "argument", StatusAdded, "acme/db", nil},
				{4, "argument", StatusDuplicate, "Acme/API", nil},
			},
			saved: []string{"acme/api", "acme/web", "acme/db"},
		},
		{
			name:     "file with comments, duplicates and bad lines",
			file:     list,
			env:      map[string]string{"SIGSENTRY_BITBUCKET_WORKSPACE": "acme"},
			wantCode: cmdutil.ExitPartial,
			want:     fileResults("file"),
			saved:    wantSaved,
		},
		{
			name:     "from-file dash reads stdin",
			args:     []string{"--from-file", "-"},
			stdin:    list,
			env:      map[string]string{"SIGSENTRY_BITBUCKET_WORKSPACE": "acme"},
			wantCode: cmdutil.ExitPartial,
			want:     fileResults("stdin"),
			saved:    wantSaved,
		},
		{
			name:     "piped stdin without arguments",
			stdin:    "acme/one\r\nacme/two\n",
			wantCode: cmdutil.ExitOK,
			want: []wantLine{
				{1, "stdin", StatusAdded, "acme/one", nil},
				{2, "stdin", StatusAdded, "acme/two", nil},
			},
			saved: []string{"acme/one", "acme/two"},
		},
		{
			name:     "arguments and a file together, duplicates across them",
			args:     []string{"acme/one"},
			file:     "acme/two\nACME/ONE\n",
			wantCode: cmdutil.ExitOK,
			want: []wantLine{
				{1, "argument", StatusAdded, "acme/one", nil},
				{1, "file", StatusAdded, "acme/two", nil},
				{2, "file", StatusDuplicate, "ACME/ONE", nil},
			},
			saved: []string{"acme/one", "acme/two"},
		},
		{
			name:     "bare slug without a workspace",
			args:     []string{"docs", "acme/api"},
			wantCode: cmdutil.ExitPartial,
			want: []wantLine{
				{1, "argument", StatusInvalid, "", []string{"needs a workspace", "workspace/docs", "sigsentry auth login"}},
				{2, "argument", StatusAdded, "acme/api", nil},
			},
			saved: []string{"acme/api"},
		},
		{
			name:     "only bad lines",
			args:     []string{"a/b/c"},
			wantCode: cmdutil.ExitFailure,
			want:     []wantLine{{1, "argument", StatusInvalid, "", []string{"3 parts"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			for k, v := range tt.env {
				h.env[k] = v
			}
			h.io.SetTTY(tt.stdinTTY, false, false)
			h.in.WriteString(tt.stdin)
			args := append([]string{"add", "--no-verify", "-o", "json"}, tt.args...)
			if tt.file != "" {
				p := filepath.Join(t.TempDir(), "repos.txt")
				if err := os.WriteFile(p, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--from-file", p)
			}
			code := h.run(args...)
			if code != tt.wantCode {
				t.Errorf("got exit code %d, want %d; stderr:\n%s", code, tt.wantCode, h.errOut)
			}
			rep := decodeAdd(t, h.out.String())
			checkResults(t, rep.Results, tt.want)
			var names []string
			for _, r := range h.saved() {
				names = append(names, r.Name)
				if r.LookbackDays != 30 || !r.AddedAt.Equal(testNow) || r.MainBranch != "" {
					t.Errorf("saved %s: got lookback %d, added %v, main branch %q; want 30, %v, empty", r.Name, r.LookbackDays, r.AddedAt, r.MainBranch, testNow)
				}
			}
			if got, want := strings.Join(names, " "), strings.Join(tt.saved, " "); got != want {
				t.Errorf("saved %q, want %q", got, want)
			}
			if rep.Added != len(tt.saved) {
				t.Errorf("got added %d, want %d", rep.Added, len(tt.saved))
			}
		})
	}
}

func TestAddNoInputIsUsageError(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdin    string
		stdinTTY bool
		want     string
	}{
		{"terminal stdin, no args", nil, "", true, "no repositories given: pass workspace/repo-slug arguments"},
		{"empty pipe", nil, "", false, "only blank lines and comments"},
		{"comments only", nil, "# nothing\n\n   \n", false, "only blank lines and comments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			h.io.SetTTY(tt.stdinTTY, false, false)
			h.in.WriteString(tt.stdin)
			if code := h.run(append([]string{"add", "--no-verify"}, tt.args...)...); code != cmdutil.ExitUsage {
				t.Errorf("got exit code %d, want %d", code, cmdutil.ExitUsage)
			}
			if !strings.Contains(h.errOut.String(), tt.want) {
				t.Errorf("got stderr %q, want it to contain %q", h.errOut, tt.want)
			}
		})
	}
}

func TestAddMissingFile(t *testing.T) {
	h := newHarness(t, "")
	code := h.run("add", "--no-verify", "--from-file", filepath.Join(t.TempDir(), "nope.txt"))
	if code != cmdutil.ExitFailure {
		t.Errorf("got exit code %d, want %d", code, cmdutil.ExitFailure)
	}
	if want := "reading repository list"; !strings.Contains(h.errOut.String(), want) {
		t.Errorf("got stderr %q, want it to contain %q", h.errOut, want)
	}
}

func TestLookbackDaysFlag(t *testing.T) {
	tests := []struct {
		value    string
		wantCode int
		wantDays int
	}{
		{"1", cmdutil.ExitOK, 1},
		{"14", cmdutil.ExitOK, 14},
		{"365", cmdutil.ExitOK, 365},
		{" 7", cmdutil.ExitOK, 7},
		{"0", cmdutil.ExitUsage, 0},
		{"-3", cmdutil.ExitUsage, 0},
		{"366", cmdutil.ExitUsage, 0},
		{"1.5", cmdutil.ExitUsage, 0},
		{"2w", cmdutil.ExitUsage, 0},
		{"", cmdutil.ExitUsage, 0},
		{"99999999999999999999", cmdutil.ExitUsage, 0},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			h := newHarness(t, "")
			code := h.run("add", "--no-verify", "--lookback-days="+tt.value, "acme/api")
			if code != tt.wantCode {
				t.Fatalf("got exit code %d, want %d; stderr: %s", code, tt.wantCode, h.errOut)
			}
			if tt.wantCode != cmdutil.ExitOK {
				if want := "want a whole number of days from 1 to 365"; !strings.Contains(h.errOut.String(), want) {
					t.Errorf("got stderr %q, want it to contain %q", h.errOut, want)
				}
				if len(h.saved()) != 0 {
					t.Errorf("got %d saved repositories after a usage error, want 0", len(h.saved()))
				}
				return
			}
			if s := h.saved(); len(s) != 1 || s[0].LookbackDays != tt.wantDays {
				t.Errorf("got saved %+v, want one repository with lookback %d", s, tt.wantDays)
			}
		})
	}
}

func TestAddConfiguredDefaultLookback(t *testing.T) {
	h := newHarness(t, "")
	h.env["SIGSENTRY_BITBUCKET_LOOKBACK_DAYS"] = "9"
	if code := h.run("add", "--no-verify", "acme/api"); code != 0 {
		t.Fatalf("got exit code %d, want 0: %s", code, h.errOut)
	}
	if s := h.saved(); len(s) != 1 || s[0].LookbackDays != 9 {
		t.Errorf("got %+v, want lookback 9 from bitbucket.lookback_days", s)
	}
}

func TestAddVerifiesAgainstBitbucket(t *testing.T) {
	srv := newFake(t, 0, "checkout-api", "billing", "secret")
	srv.FailNext("/repositories/acme/secret", 403, 1)
	h := newHarness(t, srv.APIURL())
	code := h.run("add", "-o", "json", "acme/checkout-api", "https://bitbucket.org/acme/billing", "acme/missing", "acme/secret", "nope/x/y")
	if code != cmdutil.ExitPartial {
		t.Errorf("got exit code %d, want %d; stderr:\n%s", code, cmdutil.ExitPartial, h.errOut)
	}
	rep := decodeAdd(t, h.out.String())
	checkResults(t, rep.Results, []wantLine{
		{1, "argument", StatusAdded, "acme/checkout-api", nil},
		{2, "argument", StatusAdded, "acme/billing", nil},
		{3, "argument", StatusNotFound, "acme/missing", []string{"the repo slug is mistyped, or the repo is in a different workspace (or private and not visible to this account)"}},
		{4, "argument", StatusForbidden, "acme/secret", []string{"lacks the repository read permission", "read:repository:bitbucket"}},
		{5, "argument", StatusInvalid, "", []string{"3 parts"}},
	})
	for i, want := range []string{"main", "main", "", "", ""} {
		if got := rep.Results[i].MainBranch; got != want {
			t.Errorf("result %d: got main branch %q, want %q", i, got, want)
		}
	}
	if rep.Added != 2 || rep.Failed != 3 {
		t.Errorf("got added %d failed %d, want 2 and 3", rep.Added, rep.Failed)
	}
	if got, want := srv.CountRequests("/2.0/repositories/"), 4; got != want {
		t.Errorf("got %d repository requests, want %d (one per valid repository)", got, want)
	}
	saved := h.saved()
	if len(saved) != 2 || saved[0].MainBranch != "main" || saved[1].Name != "acme/billing" {
		t.Errorf("got saved %+v, want checkout-api and billing with main branch main", saved)
	}
	if !strings.Contains(h.errOut.String(), "3 of 5 repositories could not be added (2 saved)") {
		t.Errorf("got stderr %q, want the partial-failure summary", h.errOut)
	}
}

// TestAddNothingSucceededIsAFailure: the contract's exit 3 means "some
// failed, the others were done"; when no line succeeded the exit code is 1,
// and the results are still printed.
func TestAddNothingSucceededIsAFailure(t *testing.T) {
	srv := newFake(t, 0, "checkout-api")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"every repository missing", []string{"acme/missing", "acme/gone"}, cmdutil.ExitFailure, "no repository was added (2 failed)"},
		{"a missing one and its duplicate", []string{"acme/missing", "ACME/missing"}, cmdutil.ExitFailure, "no repository was added (1 failed)"},
		{"invalid and missing", []string{"a/b/c", "acme/missing"}, cmdutil.ExitFailure, "no repository was added (2 failed)"},
		{"one of two", []string{"acme/checkout-api", "acme/missing"}, cmdutil.ExitPartial, "1 of 2 repositories could not be added (1 saved)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, srv.APIURL())
			code := h.run(append([]string{"add", "-o", "json"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("got exit code %d, want %d; stderr:\n%s", code, tt.wantCode, h.errOut)
			}
			if !strings.Contains(h.errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q does not say %q", h.errOut, tt.wantErr)
			}
			if rep := decodeAdd(t, h.out.String()); len(rep.Results) != len(tt.args) {
				t.Errorf("got %d results, want one per line", len(rep.Results))
			}
		})
	}
	// Already registered counts as done: exit 0, not a failure.
	h := newHarness(t, srv.APIURL())
	if code := h.run("add", "acme/checkout-api"); code != 0 {
		t.Fatalf("add: exit %d", code)
	}
	h.reset()
	if code := h.run("add", "acme/checkout-api"); code != 0 {
		t.Errorf("re-adding a registered repository: exit %d, want 0; stderr: %s", code, h.errOut)
	}
}

// TestAddHelpStatesTheDefaultOnce: the lookback default depends on the
// configuration, so it is said once, in the flag's text.
func TestAddHelpStatesTheDefaultOnce(t *testing.T) {
	h := newHarness(t, "")
	if code := h.run("add", "--help"); code != 0 {
		t.Fatalf("add --help: exit %d", code)
	}
	var line string
	for _, l := range strings.Split(h.out.String(), "\n") {
		if strings.Contains(l, "--lookback-days") {
			line = l
		}
	}
	if n := strings.Count(line, "default"); n != 1 {
		t.Errorf("the --lookback-days help says default %d times, want once:\n%s", n, line)
	}
}

func TestAddTableOutput(t *testing.T) {
	srv := newFake(t, 0, "checkout-api")
	h := newHarness(t, srv.APIURL())
	h.in.WriteString("acme/checkout-api\nacme/missing\n")
	if code := h.run("add"); code != cmdutil.ExitPartial {
		t.Errorf("got exit code %d, want %d", code, cmdutil.ExitPartial)
	}
	out := h.out.String()
	for _, want := range []string{"LINE", "INPUT", "REPO", "RESULT", "MAIN BRANCH", "DETAIL", "acme/checkout-api", "added", "main", "not found", "mistyped"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	h.reset()
	if code := h.run("add", "-o", "markdown", "acme/checkout-api"); code != 0 {
		t.Errorf("got exit code %d, want 0", code)
	}
	if want := "| arg 1 | `acme/checkout-api` | acme/checkout-api | exists | main | already registered |"; !strings.Contains(h.out.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, h.out)
	}
}

func TestAddUnauthorizedStopsAndSavesNothing(t *testing.T) {
	srv := newFake(t, 0, "checkout-api", "billing")
	h := newHarness(t, srv.APIURL())
	h.env["SIGSENTRY_BITBUCKET_API_TOKEN"] = "revoked-token"
	code := h.run("add", "acme/checkout-api", "acme/billing")
	if code != cmdutil.ExitAuth {
		t.Errorf("got exit code %d, want %d", code, cmdutil.ExitAuth)
	}
	stderr := h.errOut.String()
	for _, want := range []string{"rejected the credential", "nothing was saved", "sigsentry auth login"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("got stderr %q, want it to contain %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "revoked-token") {
		t.Errorf("stderr holds the secret: %q", stderr)
	}
	if h.out.Len() != 0 {
		t.Errorf("got stdout %q, want none", h.out)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "config.yaml")); !os.IsNotExist(err) {
		t.Errorf("got config file (stat error %v), want none written", err)
	}
}

func TestAddWithoutCredential(t *testing.T) {
	srv := newFake(t, 0)
	h := newHarness(t, srv.APIURL())
	delete(h.env, "SIGSENTRY_BITBUCKET_API_TOKEN")
	if code := h.run("add", "acme/api"); code != cmdutil.ExitAuth {
		t.Errorf("got exit code %d, want %d", code, cmdutil.ExitAuth)
	}
	// --no-verify needs no credential.
	h.reset()
	if code := h.run("add", "--no-verify", "acme/api"); code != 0 {
		t.Errorf("got exit code %d with --no-verify, want 0: %s", code, h.errOut)
	}
	if h.clientsCreated != 0 {
		t.Errorf("got %d clients built with --no-verify, want 0", h.clientsCreated)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("got %d requests, want 0", n)
	}
}

func TestReAddUpdates(t *testing.T) {
	srv := newFake(t, 0, "api")
	h := newHarness(t, srv.APIURL())
	steps := []struct {
		args       []string
		wantStatus string
		wantDetail string
		wantDays   int
		wantBranch string
	}{
		{[]string{"--no-verify", "acme/api"}, StatusAdded, "", 30, ""},
		{[]string{"--no-verify", "acme/api"}, StatusExists, "already registered", 30, ""},
		{[]string{"ACME/API"}, StatusUpdated, "main branch unknown → main", 30, "main"},
		{[]string{"--lookback-days", "7", "acme/api"}, StatusUpdated, "lookback 30 → 7 days", 7, "main"},
		{[]string{"--no-verify", "acme/api"}, StatusExists, "already registered", 7, "main"},
	}
	for i, s := range steps {
		h.reset()
		code := h.run(append([]string{"add", "-o", "json"}, s.args...)...)
		if code != 0 {
			t.Fatalf("step %d: got exit code %d, want 0: %s", i, code, h.errOut)
		}
		rep := decodeAdd(t, h.out.String())
		if r := rep.Results[0]; r.Status != s.wantStatus || r.Detail != s.wantDetail || r.Repo != "acme/api" {
			t.Errorf("step %d: got %q %q %q, want %q %q acme/api", i, r.Status, r.Detail, r.Repo, s.wantStatus, s.wantDetail)
		}
		saved := h.saved()
		if len(saved) != 1 || saved[0].LookbackDays != s.wantDays || saved[0].MainBranch != s.wantBranch || saved[0].Name != "acme/api" {
			t.Errorf("step %d: got saved %+v, want one acme/api with %d days, branch %q", i, saved, s.wantDays, s.wantBranch)
		}
		if !saved[0].AddedAt.Equal(testNow) {
			t.Errorf("step %d: got added_at %v, want %v (kept)", i, saved[0].AddedAt, testNow)
		}
	}
}

func TestAddOneRequestPerRepository(t *testing.T) {
	slugs := make([]string, 24)
	for i := range slugs {
		slugs[i] = "r" + string(rune('a'+i))
	}
	srv := newFake(t, 20*time.Millisecond, slugs...)
	h := newHarness(t, srv.APIURL())
	h.env["SIGSENTRY_BITBUCKET_MAX_IN_FLIGHT"] = "4"
	var in strings.Builder
	for _, s := range slugs {
		in.WriteString("acme/" + s + "\n")
	}
	h.in.WriteString(in.String())
	if code := h.run("add", "-o", "json"); code != 0 {
		t.Fatalf("got exit code %d, want 0: %s", code, h.errOut)
	}
	reqs := srv.Requests()
	if len(reqs) != len(slugs) {
		t.Errorf("got %d requests, want %d", len(reqs), len(slugs))
	}
	if got := len(h.saved()); got != len(slugs) {
		t.Errorf("got %d saved, want %d", got, len(slugs))
	}
}

func TestUnparseableConfigIsNotOverwritten(t *testing.T) {
	h := newHarness(t, "")
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	bad := "bitbucket:\n  repositories:\n    - name: acme/api\n   lookback_days: 30\n"
	path := filepath.Join(h.dir, "config.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"add", "--no-verify", "acme/web"},
		{"remove", "acme/api"},
		{"list"},
	} {
		h.reset()
		code := h.run(args...)
		if code != cmdutil.ExitFailure {
			t.Errorf("%v: got exit code %d, want %d", args, code, cmdutil.ExitFailure)
		}
		for _, want := range []string{path, "at line 4", "cannot be parsed", "will not overwrite"} {
			if !strings.Contains(h.errOut.String(), want) {
				t.Errorf("%v: got stderr %q, want it to contain %q", args, h.errOut, want)
			}
		}
		got, _ := os.ReadFile(path)
		if string(got) != bad {
			t.Errorf("%v: config file changed to %q", args, got)
		}
	}
}
