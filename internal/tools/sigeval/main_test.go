package main

import "testing"

func TestParseWindows(t *testing.T) {
	got, err := parseWindows("30d, 90d,7")
	if err != nil {
		t.Fatal(err)
	}
	want := []int{30, 90, 7}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("window %d: got %v, want %v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", "x", "-3d", "0d", "12h", "400d"} {
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
