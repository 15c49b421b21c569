package suspect

import (
	"slices"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

func TestCallsIdent(t *testing.T) {
	for _, tc := range []struct {
		line, lang string
		want       bool
	}{
		{"\tif (backend_open (backend, conn, read_only) == -1)", "c", true},
		{"    self.backend_open(x)", "python", true},
		{"backend_open (struct backend *b, int ro)", "c", false},      // a definition at the margin
		{"int backend_open (struct backend *b, int ro);", "c", false}, // a prototype
		{"\tmy_backend_open (b);", "c", false},                        // a longer name
		{"\tbackend_open_all (b);", "c", false},                       // a longer name
		{"\tx = backend_open;", "c", false},                           // not a call
		{"\tfoo (); /* then backend_open (b) */", "c", false},         // a comment
		{"    def backend_open(self):", "python", false},              // a definition
		{"\tbackend_open(b); backend_open (c);", "c", true},
	} {
		if got := callsIdent(tc.line, "backend_open", tc.lang); got != tc.want {
			t.Errorf("callsIdent(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	if !callsIdent("\tseq_range_array_invert(&deleted, 1, n);", "seq_range_array_invert", "c") {
		t.Error("a plain call not found")
	}
}

// TestCallerEvidence: an assertion alone names only the function that
// checked. A commit that added a call to it elsewhere is a suspect (weakly,
// and damped by its size); one that only touched another file is not; and
// a report with a caller frame of its own gets no caller evidence.
func TestCallerEvidence(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-20*24*time.Hour).Truncate(time.Second), 24*time.Hour)
	check := "int backend_open(struct backend *b, int ro)\n{\n\tassert(b->handle == NULL);\n\tb->handle = open_it(b, ro);\n\treturn 0;\n}\n"
	caller := func(extra string) string {
		return "int connection_start(struct conn *c)\n{\n\tint r = 0;\n" + extra + "\treturn r;\n}\n"
	}
	repo.WriteFile("server/backend.c", check)
	repo.WriteFile("protocols/connections.c", caller(""))
	repo.WriteFile("plugins/other.c", "int other(void)\n{\n\treturn 1;\n}\n")
	repo.Commit("first") // before the window
	repo.WriteFile("protocols/connections.c", caller("\tif (backend_open (c->b, 0) == -1)\n\t\tr = -1;\n"))
	culprit := repo.Commit("connections: reopen the backend on retry")
	repo.WriteFile("plugins/other.c", "int other(void)\n{\n\treturn 2;\n}\n")
	unrelated := repo.Commit("other: return 2")

	now := time.Now()
	sig := sigAt(frame("server/backend.c", 3, "backend_open"))
	sig.Timestamp = &now
	history := []RepoHistory{{Repo: "r", Commits: historyWithout(t, repo.Dir, "first"),
		Tree: []string{"server/backend.c", "protocols/connections.c", "plugins/other.c"}}}
	var files map[FileRef][]byte // backend.c is unchanged in the window: no contents needed
	w := DefaultWeights
	res := NewIndex(history, Options{Weights: &w}).RankWith(sig, files)
	got := hashes(res)
	if len(got) == 0 || got[0] != culprit {
		t.Fatalf("got %v, want %s (added a call to backend_open) first", got, culprit)
	}
	if k := evidenceKinds(res, culprit); len(k) == 0 || k[0] != KindCaller {
		t.Errorf("got evidence %v for the culprit, want caller first", k)
	}
	if slices.Contains(got, unrelated) {
		t.Errorf("got %v: %s called nothing of the trace", got, unrelated)
	}
	// Off, the culprit is no suspect.
	w.Caller = 0
	if got := hashes(NewIndex(history, Options{Weights: &w}).RankWith(sig, files)); slices.Contains(got, culprit) {
		t.Errorf("without caller evidence: got %v, want no %s", got, culprit)
	}
	// A report whose stack shows a caller speaks for itself.
	w.Caller = DefaultWeights.Caller
	sig2 := sigAt(frame("server/backend.c", 3, "backend_open"), frame("plugins/other.c", 3, "other"))
	sig2.Timestamp = &now
	for _, s := range NewIndex(history, Options{Weights: &w}).RankWith(sig2, nil).Suspects {
		for _, e := range s.Evidence {
			if e.Kind == KindCaller {
				t.Errorf("got caller evidence %+v on %s, want none when the stack has another in-app frame", e, s.Hash)
			}
		}
	}
}
