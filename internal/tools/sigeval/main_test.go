package main

import (
	"testing"
	"time"
)

func TestParseWindows(t *testing.T) {
	got, err := parseWindows("30d, 90d,12h")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{30 * 24 * time.Hour, 90 * 24 * time.Hour, 12 * time.Hour}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("window %d: got %v, want %v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", "x", "-3d", "0d"} {
		if _, err := parseWindows(bad); err == nil {
			t.Errorf("parseWindows(%q): got no error, want one", bad)
		}
	}
}

func TestRepoName(t *testing.T) {
	tests := map[string]string{"/work/.mirror/osandov+drgn/repo": "osandov/drgn", "/src/shop/.git": "shop", "/src/shop": "shop"}
	for in, want := range tests {
		if got := repoName(in); got != want {
			t.Errorf("repoName(%q) = %q, want %q", in, got, want)
		}
	}
}
