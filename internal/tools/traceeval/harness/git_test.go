package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// fakeEnv turns the test binary into a stand-in for "sigsentry analyze":
// it answers a JSON event with the newest commits of the analyzed ref as
// suspects, and rejects text signals the way today's binary rejects
// native crash text.
const fakeEnv = "TRACEEVAL_TEST_FAKE_ANALYZE"

func TestMain(m *testing.M) {
	if os.Getenv(fakeEnv) == "1" {
		os.Exit(fakeAnalyze(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakeAnalyze(args []string) int {
	if len(args) > 0 && args[0] == "version" {
		fmt.Println("sigsentry fake")
		return 0
	}
	flags := map[string]string{}
	for i := 1; i+1 < len(args); i += 2 {
		flags[args[i]] = args[i+1]
	}
	if strings.HasSuffix(flags["--signal"], ".txt") {
		fmt.Fprintln(os.Stderr, "error: reading the signal: no stack trace found")
		return 2
	}
	out, err := exec.Command("git", "-C", flags["--local"], "log", "--format=%H", "-n", "3", flags["--ref"]).Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	type suspect struct {
		Rank int    `json:"rank"`
		Hash string `json:"hash"`
	}
	var ss []suspect
	for i, h := range strings.Fields(string(out)) {
		ss = append(ss, suspect{Rank: i + 1, Hash: h})
	}
	doc := map[string]any{
		"repos":   []any{map[string]any{"commits": len(ss)}},
		"signals": []any{map[string]any{"abstained": false, "frames": []any{map[string]any{"path": "src/frob.c"}}, "suspects": ss}},
	}
	b, _ := json.Marshal(doc)
	fmt.Println(string(b))
	return 0
}

// scratchHistory builds owner+name/repo under root: an old commit, an
// inducer, a later commit, and a fix whose message holds an ASan report
// naming the inducer's line and a Fixes: trailer. It returns the fix and
// inducer hashes.
func scratchHistory(t *testing.T, root string, inducerAge time.Duration) (fix, inducer string) {
	t.Helper()
	start := time.Now().Add(-inducerAge - 10*24*time.Hour).Truncate(time.Second)
	r := testenv.NewGitRepo(t, start, 24*time.Hour)
	lines := make([]string, 20)
	for i := range lines {
		lines[i] = fmt.Sprintf("int line%d;", i+1)
	}
	r.WriteFile("src/frob.c", strings.Join(lines, "\n")+"\n")
	r.WriteFile("README", "frob\n")
	r.Commit("frob: start")
	r.When = time.Now().Add(-inducerAge).Truncate(time.Second)
	lines[11] = "int line12 = frob_next(list);"
	r.WriteFile("src/frob.c", strings.Join(lines, "\n")+"\n")
	inducer = r.Commit("frob: walk the list")
	r.WriteFile("README", "frob, the list walker\n")
	r.Commit("docs: say what frob does")
	lines[11] = "int line12 = list ? frob_next(list) : 0;"
	r.WriteFile("src/frob.c", strings.Join(lines, "\n")+"\n")
	msg := "frob: check the list\n\nThe fuzzer found:\n\n" +
		"    ==1==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000008\n" +
		"        #0 0x4011 in frob_next /home/dev/frob/src/frob.c:12:5\n" +
		"        #1 0x4022 in main /home/dev/frob/src/main.c:3:1\n\n" +
		"Fixes: " + inducer[:12] + " (\"frob: walk the list\")\n"
	r.When = time.Now().Add(-time.Hour).Truncate(time.Second)
	fix = r.Commit(msg)
	dst := filepath.Join(root, "acme+frob")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(r.Dir, filepath.Join(dst, "repo")); err != nil {
		t.Fatal(err)
	}
	return fix, inducer
}

func TestDiscoverLoadAndBaselines(t *testing.T) {
	root := t.TempDir()
	fix, inducer := scratchHistory(t, root, 20*24*time.Hour)
	ctx := context.Background()
	dir, err := FindClone(root, "acme/frob")
	if err != nil {
		t.Fatal(err)
	}
	cands, err := Discover(ctx, Git{Dir: dir}, DiscoverOptions{Repo: "acme/frob"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 1 || cands[0].Reject != "" {
		t.Fatalf("candidates %+v", cands)
	}
	c := cands[0]
	if c.Fix != fix || len(c.Inducers) != 1 || c.Inducers[0] != inducer || c.Format != "asan" || c.File != "src/frob.c" || c.Line != 12 {
		t.Errorf("candidate %+v", c)
	}
	// The same history judged with a 10-day limit: the inducer is too old.
	cands, err = Discover(ctx, Git{Dir: dir}, DiscoverOptions{Repo: "acme/frob", MaxAge: 10 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 1 || cands[0].Reject != RejectTooOld {
		t.Errorf("with a 10-day limit: %+v", cands)
	}

	l, err := Load(ctx, root, c.Case)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.Text, "==1==ERROR") || !strings.Contains(l.Text, "\n    #0 0x4011 in frob_next") {
		t.Errorf("trace text:\n%s", l.Text)
	}
	if !l.InducerInWindow(30) || l.InducerInWindow(5) {
		t.Errorf("window check wrong for a 20-day-old inducer")
	}
	fr := l.Event.Exception.Values[0].Stacktrace.Frames
	if len(fr) != 2 || !fr[1].InApp || fr[1].Function != "frob_next" || fr[0].InApp {
		// main.c is not a file of the repository: not in-app.
		t.Errorf("event frames %+v", fr)
	}
	b, err := ComputeBaselines(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	if b.B2Strict != inducer || len(b.B2) != 1 {
		t.Errorf("blame %q %v, want the inducer", b.B2Strict, b.B2)
	}
	if len(b.B1) != 2 || b.B1[0] != inducer {
		t.Errorf("B1 %v, want the inducer then the first commit", b.B1)
	}
	if !b.OnStack {
		t.Error("OnStack unset: the inducer changed src/frob.c, the in-app frame's file")
	}
	// The README commit after the inducer, named as the cause instead,
	// touched no frame's file.
	docs, err := Git{Dir: dir}.Run(ctx, "rev-parse", fix+"^")
	if err != nil {
		t.Fatal(err)
	}
	l.Inducers = []string{strings.TrimSpace(docs)}
	if b, err := ComputeBaselines(ctx, l); err != nil || b.OnStack {
		t.Errorf("a README change as the cause: OnStack %v (%v), want unset", b.OnStack, err)
	}
}

func TestEvaluateWithFakeBinary(t *testing.T) {
	root := t.TempDir()
	fix, inducer := scratchHistory(t, root, 20*24*time.Hour)
	t.Setenv(fakeEnv, "1")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cases := []Case{{Repo: "acme/frob", Fix: fix, Inducers: []string{inducer}, Format: "asan"}}
	res, err := Evaluate(context.Background(), Options{
		Clones: root, Bin: self, Cases: cases, Half: "all", Windows: []int{5, 30},
		Timeout: time.Minute, Scratch: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "sigsentry fake" || len(res.Cases) != 1 {
		t.Fatalf("results %+v", res)
	}
	cr := res.Cases[0]
	if _, ok := cr.Windows["5"]; ok {
		t.Errorf("a 20-day-old inducer counted in the 5-day window")
	}
	wr := cr.Windows["30"]
	if wr == nil {
		t.Fatal("no 30-day result")
	}
	// The fake names FIX^, its parent, then the inducer.
	if wr.JSON.Rank != 2 || wr.JSON.Failed() || wr.JSON.Candidates != 3 || wr.JSON.Mapped != 1 {
		t.Errorf("json run %+v", wr.JSON)
	}
	if wr.Text == nil || !wr.Text.Failed() || wr.Text.Exit != 2 || !strings.Contains(wr.Text.Error, "no stack trace") {
		t.Errorf("text run %+v", wr.Text)
	}
	if wr.B2.Rank != 1 || !wr.B2Strict || wr.B1.Rank != 1 {
		t.Errorf("baselines %+v", wr)
	}
	args := strings.Join(wr.JSON.Args, " ")
	want := "analyze --local " + filepath.Join(root, "acme+frob", "repo") + " --ref " + fix + "^ --at "
	if !strings.HasPrefix(args, want) || !strings.HasSuffix(args, "--lookback-days 30 --signal "+wr.JSON.Args[10]+" --top 10 -o json") {
		t.Errorf("command %q", args)
	}
	s := res.Summarize(30, "all", nil)
	if s.JSON.N != 1 || s.JSON.Top1 != 0 || s.JSON.MRR != 0.5 || s.TextFailed != 1 || s.B2.Top1 != 1 {
		t.Errorf("summary %+v", s)
	}
	var md strings.Builder
	res.WriteMarkdown(&md)
	if !cr.OnStack {
		t.Error("case result: OnStack unset, want set")
	}
	for _, want := range []string{"| 30 | selected | 1 |", "acme/frob@" + fix[:12], "text: error: reading the signal",
		"## Where the cause lies", "| 30 | selected | 1 | 1 | 0.000 / 0.500 | 1.000 | 0 | 0.000 / 0.000 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
}
