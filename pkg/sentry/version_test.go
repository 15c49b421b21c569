package sentry

import (
	"strings"
	"testing"
)

func TestCommitFromVersion(t *testing.T) {
	full := "9f3c2a1b4d5e6f708192a3b4c5d6e7f809102030"
	tests := []struct{ in, want string }{
		{full, full},
		{strings.ToUpper(full), full},
		{"9f3c2a1", "9f3c2a1"},
		{"app@1.4.2+9f3c2a1", "9f3c2a1"},
		{"app@1.4.2+build.9f3c2a1", "9f3c2a1"},
		{"app@1.4.2+9F3C2A1B", "9f3c2a1b"},
		{"backend@" + full, full},
		{"backend@9f3c2a1", "9f3c2a1"},
		{"app@1.4.2-3-g9f3c2a1", "9f3c2a1"},
		{"v1.4.2-3-gabcdefa", "abcdefa"},
		{"web@2024.05.01-9f3c2a1", "9f3c2a1"},
		{"1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890"},
		{"  app@" + full + "  ", full},
		// Not hashes.
		{"", ""},
		{"1.4.2", ""},
		{"app@1.4.2", ""},
		{"app@1.4.2+20240501", ""},    // a date: digits only
		{"20240501123", ""},           // a build number
		{"app@defaced", ""},           // a word made of hex letters
		{"app@1.0.0+cafe", ""},        // too short
		{"abc123", ""},                // 6 digits
		{"app@1.0+" + full + "0", ""}, // 41 hex digits: not a SHA-1
		{strings.Repeat("a", 64), ""},
		{"my-release-candidate", ""},
		{"app@1.0.0-rc1", ""},
		{"app@1.0.0-gcafe", ""}, // g + 4 hex is too short
	}
	for _, tt := range tests {
		if got := CommitFromVersion(tt.in); got != tt.want {
			t.Errorf("CommitFromVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzCommitFromVersion(f *testing.F) {
	for _, s := range []string{"app@1.4.2+9f3c2a1", "9f3c2a1b4d5e6f708192a3b4c5d6e7f809102030", "v1-2-gabc1234", "1.0", "@@++--", "app@20240501"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := CommitFromVersion(v)
		if h == "" {
			return
		}
		if len(h) < 7 || len(h) > 40 || !isHex(h) || h != strings.ToLower(h) {
			t.Fatalf("CommitFromVersion(%q) = %q: not a lower-case hash of 7 to 40 hex digits", v, h)
		}
		if !strings.Contains(strings.ToLower(v), h) {
			t.Fatalf("CommitFromVersion(%q) = %q: not in the version", v, h)
		}
		if len(h) < 40 && !strings.ContainsAny(h, "0123456789") && !strings.Contains(strings.ToLower(v), "g"+h) {
			t.Fatalf("CommitFromVersion(%q) = %q: letters only, but not a git-describe hash", v, h)
		}
	})
}

// A release version built with ShortHash names the commit, whatever the
// hash looks like: a prefix of only digits would read as a build number.
func TestShortHashIsReadBack(t *testing.T) {
	for _, h := range []string{
		"89530a336b92d1c5c7a8e4f1b2c3d4e5f6a7b8c9",
		"804590607e1c2d3b4a5f60718293a4b5c6d7e8f9", // nine digits first
		"8045906071234567890abcdef1234567890abcde",
		"abcdefabcdef0123456789abcdefabcdefabcdef",
		"1234567890123456789012345678901234567890", // digits only
	} {
		v := ShortHash(h)
		if got := CommitFromVersion("checkout-api@1.4.2+" + v); got != v || h[:len(v)] != v || len(v) < 9 {
			t.Errorf("ShortHash(%s) = %s, read back as %q", h, v, got)
		}
	}
}
