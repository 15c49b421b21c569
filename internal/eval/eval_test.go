package eval

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
)

func TestGroundTruth(t *testing.T) {
	tests := []struct {
		msg      string
		want     []string
		wantKind string
	}{
		{"ip: fix crash\n\nFixes: 1234567abc (\"ip: add thing\")\nSigned-off-by: x", []string{"1234567abc"}, "fixes"},
		{"a\n\nFixes: abcdef0\nFixes: commit 0123456789ab", []string{"abcdef0", "0123456789ab"}, "fixes"},
		{"Revert \"x\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.", []string{"0123456789abcdef0123456789abcdef01234567"}, "revert"},
		{"Fixes: #123", nil, ""},
		{"fixes the bug in 1234567", nil, ""},
	}
	for _, tt := range tests {
		got, kind := groundTruth(tt.msg)
		if !reflect.DeepEqual(got, tt.want) || kind != tt.wantKind {
			t.Errorf("groundTruth(%q) = %v %q, want %v %q", tt.msg, got, kind, tt.want, tt.wantKind)
		}
	}
}

func TestBuildSignal(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ch := &history.Change{Files: []diffstat.File{
		{Path: "a.c", Status: diffstat.Modified, Hunks: []diffstat.Hunk{
			{OldStart: 10, OldLines: 7, NewStart: 10, NewLines: 7, Section: "static int foo(void)",
				Removed: []diffstat.Line{{N: 13, Text: "x"}}, Added: []diffstat.Line{{N: 13, Text: "y"}}},
			{OldStart: 50, OldLines: 3, NewStart: 50, NewLines: 4, Added: []diffstat.Line{{N: 51, Text: "z"}}},
		}},
		{Path: "new.c", Status: diffstat.Added, Hunks: []diffstat.Hunk{{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: 1, Added: []diffstat.Line{{N: 1}}}}},
		{Path: "b.py", OldPath: "old/b.py", Status: diffstat.Renamed, Hunks: []diffstat.Hunk{
			{OldStart: 7, OldLines: 6, NewStart: 7, NewLines: 8, Section: "def bar(x):", Added: []diffstat.Line{{N: 10}, {N: 11}}},
		}},
		{Path: "top.go", Status: diffstat.Modified, Hunks: []diffstat.Hunk{{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: 1, Added: []diffstat.Line{{N: 1}}}}},
		{Path: "img.png", Status: diffstat.Modified, Binary: true},
	}}
	sig := BuildSignal(ch, at)
	type fr struct {
		file  string
		line  int
		fn    string
		depth int
	}
	var got []fr
	for _, f := range sig.Frames {
		if !f.InApp {
			t.Errorf("frame %s is not in-app", f.File)
		}
		got = append(got, fr{f.File, f.Line, f.Function, f.Depth})
	}
	want := []fr{{"a.c", 13, "static int foo(void)", 0}, {"old/b.py", 9, "def bar(x):", 1}, {"top.go", 1, "", 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got frames %+v, want %+v", got, want)
	}
	if sig.Title != "" || len(sig.Symptoms) != 0 {
		t.Errorf("got title %q symptoms %v, want none (no words from the fix)", sig.Title, sig.Symptoms)
	}
	if sig.Timestamp == nil || !sig.Timestamp.Equal(at) {
		t.Errorf("got timestamp %v, want %v", sig.Timestamp, at)
	}
	// On the real clock the signal is stamped as given too.
	today := time.Now()
	if got := BuildSignal(ch, today).Timestamp; got == nil || !got.Equal(today) {
		t.Errorf("real clock: got timestamp %v, want %v", got, today)
	}
}

func TestMetrics(t *testing.T) {
	var m Metrics
	for _, r := range []int{1, 2, 6, 0} {
		m.add(r, false)
	}
	m.add(0, true)
	if m.Cases != 5 || m.Top1 != 1 || m.Top5 != 2 || m.Abstained != 1 {
		t.Errorf("got %+v, want 5 cases, top1 1, top5 2, abstained 1", m)
	}
	if want := 1 + 0.5 + 1.0/6; m.RRSum != want {
		t.Errorf("got RR sum %v, want %v", m.RRSum, want)
	}
}

func TestResolve(t *testing.T) {
	sorted := []string{"aaaa1111", "aaaa2222", "bbbb0000"}
	tests := map[string]string{"aaaa1": "aaaa1111", "aaaa": "", "BBBB": "bbbb0000", "cccc": ""}
	for in, want := range tests {
		if got := resolve(sorted, in); got != want {
			t.Errorf("resolve(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHalfOf(t *testing.T) {
	n := map[string]int{}
	for i := 0; i < 400; i++ {
		h := HalfOf("repo", fmt.Sprintf("%040x", i))
		if h != HalfOf("repo", fmt.Sprintf("%040x", i)) {
			t.Fatal("HalfOf is not deterministic")
		}
		n[h]++
	}
	if n["tune"] < 150 || n["held"] < 150 || n["tune"]+n["held"] != 400 {
		t.Errorf("got halves %v, want about 200 each", n)
	}
}
