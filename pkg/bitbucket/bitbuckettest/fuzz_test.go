package bitbuckettest

import (
	"bytes"
	"strings"
	"testing"
)

func FuzzApplyFields(f *testing.F) {
	for _, s := range []string{"", "-links", "values.hash,next", "-*,+a.b", "*.*", "+values.parents.hash", ",,-", "a..b", "-links.*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		doc := map[string]any{
			"next": "n", "pagelen": 10.0,
			"links": map[string]any{"self": map[string]any{"href": "x"}},
			"values": []any{
				map[string]any{"hash": "h", "parents": []any{map[string]any{"hash": "p"}}},
				"scalar", nil,
			},
		}
		before, _ := marshal(doc)
		out := applyFields(doc, spec)
		if _, err := marshal(out); err != nil {
			t.Fatalf("applyFields(%q) gave unencodable %#v: %v", spec, out, err)
		}
		if after, _ := marshal(doc); !bytes.Equal(before, after) {
			t.Fatalf("applyFields(%q) changed its input: %s -> %s", spec, before, after)
		}
		if strings.TrimSpace(strings.ReplaceAll(spec, ",", "")) == "" {
			if b, _ := marshal(out); !bytes.Equal(b, before) {
				t.Fatalf("empty spec %q changed the document: %s", spec, b)
			}
		}
	})
}

func FuzzRedirectAllowed(f *testing.F) {
	f.Add("http://127.0.0.1/callback", "http://127.0.0.1:5555/callback", false)
	f.Add("http://127.0.0.1/callback", "http://127.0.0.1:5555/other", false)
	f.Add("https://example.com/add-on", "https://example.com/add-on/function", true)
	f.Add("http://localhost/cb", "http://localhost:1/cb?x=1#frag", false)
	f.Add("", "http://127.0.0.1/", false)
	f.Fuzz(func(t *testing.T, callback, redirect string, strict bool) {
		c := &Consumer{CallbackURL: callback, StrictLoopbackPort: strict}
		got := redirectAllowed(c, redirect)
		if callback != "" && strings.HasPrefix(redirect, callback) && !got {
			t.Fatalf("redirectAllowed(%q, %q): got false, want true for an extension", callback, redirect)
		}
		if callback == "" && got {
			t.Fatalf("redirectAllowed with no callback: got true, want false")
		}
		if strict && got && !strings.HasPrefix(redirect, callback) {
			t.Fatalf("strict redirectAllowed(%q, %q): got true, want prefix only", callback, redirect)
		}
	})
}

func FuzzParseRawNumstat(f *testing.F) {
	f.Add([]byte(":100644 100644 abc def M\x00a.txt\x001\t2\ta.txt\x00"))
	f.Add([]byte(":100644 100644 abc def R090\x00old\x00new\x003\t0\t\x00old\x00new\x00"))
	f.Add([]byte(":000000 100644 000 abc A\x00b.bin\x00-\t-\tb.bin\x00"))
	f.Add([]byte(":100644"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stats, err := parseRawNumstat(data)
		if err != nil {
			return
		}
		for _, s := range stats {
			switch s.status {
			case "added", "removed", "modified", "renamed":
			default:
				t.Fatalf("got status %q, want a Bitbucket status", s.status)
			}
		}
	})
}

func FuzzDropBinary(f *testing.F) {
	f.Add([]byte("diff --git a/x b/x\nindex 1..2\nBinary files a/x and b/x differ\ndiff --git a/y b/y\n@@ -1 +1 @@\n-a\n+b\n"))
	f.Add([]byte("no header\n"))
	f.Add([]byte("diff --git a/z b/z\n@@ -1 +1 @@\n-Binary files a b differ\n+x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := dropBinary(data)
		if len(out) > len(data) {
			t.Fatalf("got %d bytes out of %d, want no more", len(out), len(data))
		}
		if !bytes.Contains(data, []byte("Binary files ")) && !bytes.Contains(data, []byte("GIT binary patch")) && !bytes.Equal(out, data) {
			t.Fatalf("text-only diff changed: %q -> %q", data, out)
		}
		if got := bytes.Join(splitSections(data), nil); !bytes.Equal(got, data) {
			t.Fatalf("splitSections lost bytes: %q -> %q", data, got)
		}
	})
}

func FuzzSlugQuery(f *testing.F) {
	for _, s := range []string{`slug="acme"`, `slug = "a b"`, `slug=acme`, `name="x"`, `slug="`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		slug, ok := slugQuery(q)
		if ok && !strings.Contains(q, `"`+slug+`"`) {
			t.Fatalf("slugQuery(%q) = %q, not quoted in the input", q, slug)
		}
	})
}
