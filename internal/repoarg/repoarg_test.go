package repoarg

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, in, ws, want string
	}{
		{"plain", "acme/checkout-api", "", "acme/checkout-api"},
		{"plain keeps case", "Acme/Checkout_API", "", "Acme/Checkout_API"},
		{"dots and digits", "acme-2/api.v2", "", "acme-2/api.v2"},
		{"surrounding space", "  acme/api\t", "", "acme/api"},
		{"git suffix", "acme/api.git", "", "acme/api"},
		{"GIT suffix any case", "acme/api.GIT", "", "acme/api"},
		{"bare slug uses workspace", "api", "acme", "acme/api"},
		{"bare slug with git suffix", "api.git", "acme", "acme/api"},
		{"https", "https://bitbucket.org/acme/api", "", "acme/api"},
		{"https trailing slash", "https://bitbucket.org/acme/api/", "", "acme/api"},
		{"http", "http://bitbucket.org/acme/api", "", "acme/api"},
		{"https www", "https://www.bitbucket.org/acme/api", "", "acme/api"},
		{"https host case", "https://BitBucket.ORG/acme/api", "", "acme/api"},
		{"https src page", "https://bitbucket.org/acme/api/src/main/cmd/main.go", "", "acme/api"},
		{"https commits page", "https://bitbucket.org/acme/api/commits/abc123", "", "acme/api"},
		{"https query and fragment", "https://bitbucket.org/acme/api?at=main#readme", "", "acme/api"},
		{"https clone with user", "https://jdoe@bitbucket.org/acme/api.git", "", "acme/api"},
		{"https clone with x-token-auth", "https://x-token-auth@bitbucket.org/acme/api.git", "", "acme/api"},
		{"scheme-less", "bitbucket.org/acme/api", "", "acme/api"},
		{"scheme-less with git", "bitbucket.org/acme/api.git", "", "acme/api"},
		{"scp", "git@bitbucket.org:acme/api.git", "", "acme/api"},
		{"scp without suffix", "git@bitbucket.org:acme/api", "", "acme/api"},
		{"scp without user", "bitbucket.org:acme/api.git", "", "acme/api"},
		{"ssh", "ssh://git@bitbucket.org/acme/api.git", "", "acme/api"},
		{"ssh with port", "ssh://git@altssh.bitbucket.org:443/acme/api.git", "", "acme/api"},
		{"api url", "https://api.bitbucket.org/2.0/repositories/acme/api", "", "acme/api"},
		{"workspace ignored when full", "other/api", "acme", "other/api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, tt.ws)
			if err != nil {
				t.Fatalf("Parse(%q, %q): got error %q, want %s", tt.in, tt.ws, err, tt.want)
			}
			if got.String() != tt.want {
				t.Errorf("Parse(%q, %q) = %s, want %s", tt.in, tt.ws, got, tt.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, in, ws string
		// want are substrings the error must contain.
		want []string
	}{
		{"empty", "", "", []string{"empty repository name"}},
		{"three parts", "a/b/c", "", []string{"3 parts", "want workspace/repo-slug"}},
		{"four parts", "a/b/c/d", "", []string{"4 parts"}},
		{"space inside", "acme/check out", "", []string{"contains a space at character 11"}},
		{"space around slash", "acme / api", "", []string{"contains a space at character 5"}},
		{"tab inside", "acme/a\tb", "", []string{"contains a space"}},
		{"comma list", "acme/a,acme/b", "", []string{"contains ',' or ';'", "one workspace/repo-slug per line"}},
		{"semicolon list", "acme/a;acme/b", "", []string{"contains ',' or ';'"}},
		{"empty workspace", "/api", "", []string{"the workspace is empty"}},
		{"empty slug", "acme/", "", []string{"the repository slug is empty"}},
		{"only slash", "/", "", []string{"the workspace is empty"}},
		{"host-like workspace in scp form", "bitbucket.org:acme.org/api", "", []string{`the workspace "acme.org" looks like a host name`}},
		{"host-like workspace in a URL", "https://bitbucket.org/.org/0", "", []string{"looks like a host name"}},
		{"dots slug", "acme/..", "", []string{`the repository slug ".." is not a name`}},
		{"dot slug", "acme/.", "", []string{`the repository slug "." is not a name`}},
		{"bad char in slug", "acme/api!", "", []string{`the repository slug "api!" contains '!'`, "ASCII letters, digits, '-', '_' and '.'"}},
		{"bad char in workspace", "ac$me/api", "", []string{`the workspace "ac$me" contains '$'`}},
		{"non-ascii", "acme/äpi", "", []string{`contains 'ä'`}},
		{"at sign", "acme/api@main", "", []string{`contains '@'`}},
		{"colon", "acme:api", "", []string{`contains ':'`}},
		{"bare slug without workspace", "api", "", []string{"needs a workspace", "workspace/api", "sigsentry auth login", "SIGSENTRY_BITBUCKET_WORKSPACE"}},
		{"bare slug bad char", "ap i", "acme", []string{"contains a space"}},
		{"too long slug", "acme/" + strings.Repeat("a", MaxSlugLen+1), "", []string{"too long"}},
		{"github https", "https://github.com/acme/api", "", []string{`host "github.com" is not Bitbucket Cloud`, "bitbucket.org"}},
		{"server https", "https://bitbucket.example.com/scm/acme/api.git", "", []string{`host "bitbucket.example.com" is not Bitbucket Cloud`}},
		{"gitlab scp", "git@gitlab.com:acme/api.git", "", []string{`host "gitlab.com" is not Bitbucket Cloud`}},
		{"github scheme-less", "github.com/acme/api", "", []string{`host "github.com" is not Bitbucket Cloud`}},
		{"look-alike host", "https://bitbucket.org.evil.com/acme/api", "", []string{`host "bitbucket.org.evil.com" is not Bitbucket Cloud`}},
		{"ftp scheme", "ftp://bitbucket.org/acme/api", "", []string{`URL scheme "ftp" is not supported`}},
		{"url without repo", "https://bitbucket.org/acme", "", []string{"does not name a repository"}},
		{"url root", "https://bitbucket.org/", "", []string{"does not name a repository"}},
		{"url bad slug", "https://bitbucket.org/acme/ap%20i", "", []string{`contains ' '`}},
		{"bad url", "https://bitbucket.org:bad/acme/api", "", []string{"not a valid URL"}},
		{"invalid utf8", "acme/\xff", "", []string{"not valid UTF-8"}},
		{"too long line", strings.Repeat("a", MaxLineLen+1), "", []string{"too long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, tt.ws)
			if err == nil {
				t.Fatalf("Parse(%q, %q) = %s, want an error", tt.in, tt.ws, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q, %q): got error %q, want it to contain %q", tt.in, tt.ws, err, w)
				}
			}
		})
	}
}

func TestParseNoWorkspaceIsTyped(t *testing.T) {
	_, err := Parse("api", "")
	if !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("got %v, want errors.Is(err, ErrNoWorkspace)", err)
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", false},
		{"   ", "", false},
		{"# a comment", "", false},
		{"   # indented comment", "", false},
		{"#acme/api", "", false},
		{"acme/api", "acme/api", true},
		{"  acme/api  ", "acme/api", true},
		{"acme/api # checkout service", "acme/api", true},
		{"acme/api\t# tab comment", "acme/api", true},
		{"acme/api#frag", "acme/api#frag", true},
		{"https://bitbucket.org/acme/api#readme # note", "https://bitbucket.org/acme/api#readme", true},
	}
	for _, tt := range tests {
		got, ok := Clean(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Clean(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseLines(t *testing.T) {
	in := "\ufeff# repositories for the checkout team\n" +
		"acme/checkout-api\n" +
		"\n" +
		"   https://bitbucket.org/acme/billing/src/main/  # billing\n" +
		"a/b/c\n" +
		"ACME/Checkout-API\n" +
		"git@bitbucket.org:acme/billing.git\r\n" +
		"web\n"
	got, err := ParseLines(strings.NewReader(in), "acme")
	if err != nil {
		t.Fatalf("ParseLines: got error %v, want nil", err)
	}
	type row struct {
		line int
		name string
		bad  bool
		dup  string
	}
	want := []row{
		{2, "acme/checkout-api", false, ""},
		{4, "acme/billing", false, ""},
		{5, "", true, ""},
		{6, "ACME/Checkout-API", false, "line 2"},
		{7, "acme/billing", false, "line 4"},
		{8, "acme/web", false, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries (%+v), want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		name := ""
		if g.Err == nil {
			name = g.Name.String()
		}
		if g.Line != w.line || name != w.name || (g.Err != nil) != w.bad || g.DuplicateOf != w.dup {
			t.Errorf("entry %d: got line %d name %q err %v dup %q; want line %d name %q bad %v dup %q",
				i, g.Line, name, g.Err, g.DuplicateOf, w.line, w.name, w.bad, w.dup)
		}
	}
}

func TestMarkDuplicatesAcrossSources(t *testing.T) {
	entries := ParseAll([]string{"acme/api"}, "")
	for i := range entries {
		entries[i].Source = "argument"
	}
	more := ParseAll([]string{"Acme/API.git"}, "")
	entries = append(entries, more...)
	MarkDuplicates(entries)
	if got, want := entries[1].DuplicateOf, "argument 1"; got != want {
		t.Errorf("got DuplicateOf %q, want %q", got, want)
	}
	if got, want := entries[1].Where(), "line 1"; got != want {
		t.Errorf("got Where %q, want %q", got, want)
	}
}

func TestNameKey(t *testing.T) {
	a, b := Name{"Acme", "API"}, Name{"acme", "api"}
	if a.Key() != b.Key() {
		t.Errorf("got keys %q and %q, want equal", a.Key(), b.Key())
	}
}

// FuzzParse checks that Parse never panics and that what it accepts is a
// valid, stable name: re-parsing the result gives the same name.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"acme/api", "api", "https://bitbucket.org/acme/api/src/main/x", "git@bitbucket.org:acme/api.git",
		"ssh://git@bitbucket.org:22/acme/api.git", "a/b/c", "acme/api # c", "bitbucket.org:acme/x",
		"https://user:pw@bitbucket.org/a/b", "https://api.bitbucket.org/2.0/repositories/a/b", "%", "a/.git",
	} {
		f.Add(s, "acme")
	}
	f.Fuzz(func(t *testing.T, s, ws string) {
		line, ok := Clean(s)
		if !ok {
			return
		}
		n, err := Parse(line, ws)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Parse(%q): empty error message", line)
			}
			return
		}
		for _, part := range []string{n.Workspace, n.Slug} {
			if checkSlug("part", part) != nil {
				t.Fatalf("Parse(%q, %q) = %q: part %q is not a valid slug", line, ws, n, part)
			}
		}
		again, err := Parse(n.String(), "")
		if err != nil {
			t.Fatalf("Parse(%q) = %q, but re-parsing it fails: %v", line, n, err)
		}
		if again.Key() != n.Key() && !strings.HasSuffix(strings.ToLower(n.Slug), ".git") {
			t.Fatalf("Parse(%q) = %q, re-parse gives %q", line, n, again)
		}
	})
}

// TestParseLinesUTF16: a list Windows PowerShell 5.1 saved (UTF-16LE with
// a byte-order mark, CRLF) reads as the same list in UTF-8.
func TestParseLinesUTF16(t *testing.T) {
	data := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune("acme/checkout-api\r\nacme/billing\r\n")) {
		data = append(data, byte(u), byte(u>>8))
	}
	got, err := ParseLines(bytes.NewReader(data), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Err != nil || got[1].Err != nil || got[0].Name.String() != "acme/checkout-api" || got[1].Name.String() != "acme/billing" {
		t.Errorf("got %+v, want acme/checkout-api and acme/billing", got)
	}
}
