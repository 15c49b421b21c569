package sample

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

func TestPanicPointsAtTheBug(t *testing.T) {
	final := Final()
	at := time.Now().UTC().Truncate(time.Second)
	trace := Panic(final, at)
	if !strings.HasPrefix(trace, at.Format(time.RFC3339)+" ERROR ") {
		t.Errorf("the trace is not logged at %s:\n%.80s", at.Format(time.RFC3339), trace)
	}
	lines := strings.Split(final["cart/total.go"], "\n")
	want := "/build/checkout-api/cart/total.go:"
	i := strings.Index(trace, want)
	if i < 0 {
		t.Fatalf("trace has no cart/total.go frame:\n%s", trace)
	}
	var n int
	for _, ch := range trace[i+len(want):] {
		if ch < '0' || ch > '9' {
			break
		}
		n = n*10 + int(ch-'0')
	}
	if n < 1 || !strings.Contains(lines[n-1], "c.Coupon.Percent") {
		t.Fatalf("got frame line %d, want the line of c.Coupon.Percent", n)
	}
	if strings.Contains(trace, "{{") {
		t.Fatalf("unfilled placeholder in trace:\n%s", trace)
	}
	culprits := 0
	for _, c := range History() {
		if c.Culprit {
			culprits++
		}
	}
	if culprits != 1 {
		t.Fatalf("got %d culprit commits, want 1", culprits)
	}
}

func TestBuildMatchesHistory(t *testing.T) {
	for _, now := range []time.Time{time.Now(), time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)} {
		t.Run(now.Format(time.DateOnly), func(t *testing.T) { testBuildMatchesHistory(t, now) })
	}
}

func testBuildMatchesHistory(t *testing.T, now time.Time) {
	dir := t.TempDir()
	b, err := Build(context.Background(), dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(b.Hashes), len(History()); got != want {
		t.Fatalf("got %d commits, want %d", got, want)
	}
	if b.Culprit == "" {
		t.Fatal("no culprit hash")
	}
	for p, want := range Final() {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("file %s differs from the replayed history", p)
		}
	}
	// The commits are dated relative to now: the last one half a day ago.
	h := History()
	want := now.Add(-time.Duration(h[len(h)-1].DaysAgo * float64(24*time.Hour))).Unix()
	if got := testenv.Git(t, dir, time.Time{}, "log", "-1", "--format=%ct"); got != strconv.FormatInt(want, 10) {
		t.Errorf("the last commit is dated %s, want %d (%s)", got, want, time.Unix(want, 0).UTC())
	}
}
