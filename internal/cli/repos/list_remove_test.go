package repos

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/spf13/cobra"
)

func TestListEmpty(t *testing.T) {
	tests := []struct {
		format, wantOut string
	}{
		{"table", ""},
		{"json", "[]\n"},
		{"markdown", ""},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			h := newHarness(t, "")
			if code := h.run("list", "-o", tt.format); code != 0 {
				t.Fatalf("got exit code %d, want 0", code)
			}
			if h.out.String() != tt.wantOut {
				t.Errorf("got stdout %q, want %q", h.out, tt.wantOut)
			}
			if want := "sigsentry repos add workspace/repo-slug"; !strings.Contains(h.errOut.String(), want) {
				t.Errorf("got stderr %q, want a hint containing %q", h.errOut, want)
			}
		})
	}
}

func TestList(t *testing.T) {
	h := newHarness(t, "")
	if code := h.run("add", "--no-verify", "--lookback-days", "14", "acme/api", "acme/web"); code != 0 {
		t.Fatalf("add: got exit code %d, want 0: %s", code, h.errOut)
	}
	h.reset()
	if code := h.run("list", "-o", "json"); code != 0 {
		t.Fatalf("list: got exit code %d, want 0", code)
	}
	var got []map[string]any
	if err := json.Unmarshal(h.out.Bytes(), &got); err != nil {
		t.Fatalf("list -o json: %v\n%s", err, h.out)
	}
	if len(got) != 2 {
		t.Fatalf("got %d entries, want 2", len(got))
	}
	want := map[string]any{"repo": "acme/api", "main_branch": "", "lookback_days": float64(14), "added_at": "2026-05-06T07:08:09Z"}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("got %s = %v, want %v", k, got[0][k], v)
		}
	}

	h.reset()
	if code := h.run("list"); code != 0 {
		t.Fatalf("list: got exit code %d, want 0", code)
	}
	lines := strings.Split(strings.TrimSpace(h.out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d table lines, want 3:\n%s", len(lines), h.out)
	}
	for _, w := range []string{"REPOSITORY", "MAIN BRANCH", "LOOKBACK DAYS", "ADDED"} {
		if !strings.Contains(lines[0], w) {
			t.Errorf("header %q lacks %q", lines[0], w)
		}
	}
	if f := strings.Fields(lines[1]); len(f) < 4 || f[0] != "acme/api" || f[1] != "-" || f[2] != "14" {
		t.Errorf("got row %q, want acme/api - 14 <date>", lines[1])
	}

	h.reset()
	if code := h.run("list", "-o", "markdown"); code != 0 {
		t.Fatalf("list: got exit code %d, want 0", code)
	}
	if want := "| acme/web | - | 14 | 2026-05-06T07:08:09Z |"; !strings.Contains(h.out.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, h.out)
	}
}

func TestRemove(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStatus []string
		wantLeft   []string
		errHas     string
	}{
		{"one", []string{"acme/api"}, 0, []string{StatusRemoved}, []string{"acme/web", "acme/db"}, ""},
		{"url and case forms", []string{"https://bitbucket.org/ACME/web/src/main/", "git@bitbucket.org:acme/DB.git"}, 0,
			[]string{StatusRemoved, StatusRemoved}, []string{"acme/api"}, ""},
		{"bare slug in the workspace", []string{"db"}, 0, []string{StatusRemoved}, []string{"acme/api", "acme/web"}, ""},
		{"not registered", []string{"acme/api", "acme/nope"}, cmdutil.ExitPartial,
			[]string{StatusRemoved, StatusNotRegistered}, []string{"acme/web", "acme/db"}, "acme/nope is not registered"},
		{"invalid", []string{"a/b/c"}, cmdutil.ExitFailure, []string{StatusInvalid}, []string{"acme/api", "acme/web", "acme/db"}, "3 parts"},
		{"none registered", []string{"acme/nope", "acme/gone"}, cmdutil.ExitFailure,
			[]string{StatusNotRegistered, StatusNotRegistered}, []string{"acme/api", "acme/web", "acme/db"}, "is not registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			h.env["SIGSENTRY_BITBUCKET_WORKSPACE"] = "acme"
			if code := h.run("add", "--no-verify", "acme/api", "acme/web", "acme/db"); code != 0 {
				t.Fatalf("add: got exit code %d: %s", code, h.errOut)
			}
			h.reset()
			code := h.run(append([]string{"remove", "-o", "json"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("got exit code %d, want %d; stderr: %s", code, tt.wantCode, h.errOut)
			}
			var rep RemoveReport
			if err := json.Unmarshal(h.out.Bytes(), &rep); err != nil {
				t.Fatalf("remove -o json: %v\n%s", err, h.out)
			}
			var statuses []string
			for _, r := range rep.Results {
				statuses = append(statuses, r.Status)
				if r.Error != nil && tt.errHas != "" && r.Status != StatusRemoved && !strings.Contains(*r.Error, tt.errHas) {
					t.Errorf("got error %q, want it to contain %q", *r.Error, tt.errHas)
				}
			}
			if got, want := strings.Join(statuses, ","), strings.Join(tt.wantStatus, ","); got != want {
				t.Errorf("got statuses %q, want %q", got, want)
			}
			var left []string
			for _, r := range h.saved() {
				left = append(left, r.Name)
			}
			if got, want := strings.Join(left, " "), strings.Join(tt.wantLeft, " "); got != want {
				t.Errorf("left %q, want %q", got, want)
			}
		})
	}
}

func TestRemoveNeedsArgs(t *testing.T) {
	h := newHarness(t, "")
	if code := h.run("remove"); code != cmdutil.ExitUsage {
		t.Errorf("got exit code %d, want %d", code, cmdutil.ExitUsage)
	}
}

func TestRemoveTable(t *testing.T) {
	h := newHarness(t, "")
	if code := h.run("add", "--no-verify", "acme/api"); code != 0 {
		t.Fatalf("add: got exit code %d", code)
	}
	h.reset()
	if code := h.run("remove", "acme/api", "acme/gone"); code != cmdutil.ExitPartial {
		t.Errorf("got exit code %d, want %d", code, cmdutil.ExitPartial)
	}
	out := h.out.String()
	for _, want := range []string{"RESULT", "removed", "not registered", "acme/gone is not registered"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if want := "1 of 2 repositories could not be removed"; !strings.Contains(h.errOut.String(), want) {
		t.Errorf("got stderr %q, want %q", h.errOut, want)
	}
}

func TestCompleteRepos(t *testing.T) {
	h := newHarness(t, "")
	if code := h.run("add", "--no-verify", "acme/api", "Acme/Web", "other/x"); code != 0 {
		t.Fatalf("add: got exit code %d", code)
	}
	complete := cmdutil.CompleteRepos(h.f)
	tests := []struct {
		args       []string
		toComplete string
		want       string
	}{
		{nil, "", "acme/api Acme/Web other/x"},
		{nil, "acme/", "acme/api Acme/Web"},
		{nil, "ACME/W", "Acme/Web"},
		{[]string{"acme/api"}, "a", "Acme/Web"},
		{nil, "zzz", ""},
	}
	for _, tt := range tests {
		got, dir := complete(&cobra.Command{}, tt.args, tt.toComplete)
		if strings.Join(got, " ") != tt.want {
			t.Errorf("complete(%v, %q) = %q, want %q", tt.args, tt.toComplete, got, tt.want)
		}
		if dir != cobra.ShellCompDirectiveNoFileComp {
			t.Errorf("got directive %v, want NoFileComp", dir)
		}
	}
	// analyze --repo is repeatable: values already given are left out.
	cmd := &cobra.Command{}
	cmd.Flags().StringArray("repo", nil, "")
	_ = cmd.Flags().Set("repo", "acme/api")
	if got, _ := complete(cmd, nil, "acme"); strings.Join(got, " ") != "Acme/Web" {
		t.Errorf("with --repo acme/api: got %q, want Acme/Web", got)
	}
}

func TestHelpHasLongAndExample(t *testing.T) {
	h := newHarness(t, "")
	root := NewCmd(h.f)
	for _, c := range append([]*cobra.Command{root}, root.Commands()...) {
		if c.Long == "" || c.Example == "" {
			t.Errorf("%s: got Long %d chars, Example %d chars; want both", c.CommandPath(), len(c.Long), len(c.Example))
		}
	}
}

// TestAddedAtOnTheRealClock is the twin of the tests above, which pin the
// clock to testNow: with the clock a user's process has, `repos add` stamps
// the time it ran, and `repos list -o json` gives it back.
func TestAddedAtOnTheRealClock(t *testing.T) {
	h := newHarness(t, "")
	h.f.Now = time.Now
	before := time.Now().UTC().Truncate(time.Second)
	if code := h.run("add", "--no-verify", "acme/api"); code != 0 {
		t.Fatalf("add: got exit code %d, want 0; stderr:\n%s", code, h.errOut)
	}
	after := time.Now().UTC()
	saved := h.saved()
	if len(saved) != 1 || saved[0].AddedAt.Before(before) || saved[0].AddedAt.After(after) {
		t.Fatalf("saved %+v, want acme/api added between %v and %v", saved, before, after)
	}
	h.reset()
	h.f.Now = time.Now
	if code := h.run("list", "-o", "json"); code != 0 {
		t.Fatalf("list: got exit code %d, want 0", code)
	}
	var got []map[string]any
	if err := json.Unmarshal(h.out.Bytes(), &got); err != nil {
		t.Fatalf("list -o json: %v\n%s", err, h.out)
	}
	if want := saved[0].AddedAt.Format(time.RFC3339); len(got) != 1 || got[0]["added_at"] != want {
		t.Errorf("got %v, want added_at %s", got, want)
	}
}
