package suspect

import (
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

func TestMapFrame(t *testing.T) {
	repoFiles := map[string][]string{
		"acme/shop": {
			"pkg/cart/total.go",
			"internal/cart/total.go",
			"vendor/github.com/x/cart/total.go",
			"src/main/java/com/acme/cart/Cart.java",
			"src/main/java/com/acme/other/Cart.java",
			"web/src/app.js",
			"lib/shop/cart.rb",
			"Shop/Cart.cs",
			"util.go",
			"a/util.go",
		},
		"acme/billing": {"pkg/invoice/invoice.go", "util.go"},
	}
	tests := []struct {
		name     string
		frame    signal.Frame
		mappings []Mapping
		wantRepo string
		wantPath string
		wantNote bool
	}{
		{"absolute build path", signal.Frame{File: "/home/runner/work/shop/shop/pkg/cart/total.go"}, nil, "acme/shop", "pkg/cart/total.go", false},
		{"trimpath module path", signal.Frame{File: "github.com/acme/shop/internal/cart/total.go"}, nil, "acme/shop", "internal/cart/total.go", false},
		{"windows path", signal.Frame{File: `C:\build\shop\pkg\cart\total.go`}, nil, "acme/shop", "pkg/cart/total.go", false},
		{"windows path in another case", signal.Frame{File: `C:\Build\Agent\_work\3\s\shop\cart.CS`}, nil, "acme/shop", "Shop/Cart.cs", false},
		{"unix path in another case maps nothing", signal.Frame{File: "/build/shop/cart.CS"}, nil, "", "", false},
		{"file url", signal.Frame{File: "file:///srv/app/web/src/app.js"}, nil, "acme/shop", "web/src/app.js", false},
		{"webpack url", signal.Frame{File: "webpack:///./web/src/app.js"}, nil, "acme/shop", "web/src/app.js", false},
		{"https url", signal.Frame{File: "https://cdn.acme.com/web/src/app.js?v=3#x"}, nil, "acme/shop", "web/src/app.js", false},
		{"java file with class in module", signal.Frame{File: "Cart.java", Module: "com.acme.cart.Cart"}, nil, "acme/shop", "src/main/java/com/acme/cart/Cart.java", false},
		{"java file with package in function", signal.Frame{File: "Cart.java", Function: "com.acme.other.Cart.total"}, nil, "acme/shop", "src/main/java/com/acme/other/Cart.java", false},
		{"ruby absolute", signal.Frame{File: "/app/lib/shop/cart.rb"}, nil, "acme/shop", "lib/shop/cart.rb", false},
		{"dotnet windows", signal.Frame{File: `D:\a\1\s\Shop\Cart.cs`}, nil, "acme/shop", "Shop/Cart.cs", false},
		{"in-app preferred over vendored", signal.Frame{File: "total.go"}, nil, "acme/shop", "pkg/cart/total.go", true},
		{"shortest path wins a tie", signal.Frame{File: "/x/y/cart/total.go"}, nil, "acme/shop", "pkg/cart/total.go", true},
		{"ambiguous across repositories is reported", signal.Frame{File: "/srv/util.go"}, nil, "acme/billing", "util.go", true},
		{"code mapping first", signal.Frame{File: "/opt/billing/invoice/invoice.go"},
			[]Mapping{{Repo: "acme/billing", StackRoot: "/opt/billing/", SourceRoot: "pkg/"}}, "acme/billing", "pkg/invoice/invoice.go", true},
		{"longest code mapping wins", signal.Frame{File: "/opt/billing/invoice/invoice.go"},
			[]Mapping{{Repo: "acme/shop", StackRoot: "/opt", SourceRoot: "x"}, {Repo: "acme/billing", StackRoot: "/opt/billing", SourceRoot: "pkg"}}, "acme/billing", "pkg/invoice/invoice.go", true},
		{"no match is reported empty", signal.Frame{File: "/usr/lib/python3.12/json/decoder.py"}, nil, "", "", false},
		{"empty file", signal.Frame{}, nil, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.frame.InApp = true
			var repos []RepoHistory
			for name, tree := range repoFiles {
				repos = append(repos, RepoHistory{Repo: name, Tree: tree})
			}
			idx := NewIndex(repos, Options{Mappings: tt.mappings})
			res := idx.Rank(signal.Signal{Frames: []signal.Frame{tt.frame}})
			if len(res.Frames) != 1 {
				t.Fatalf("got %d frames, want 1", len(res.Frames))
			}
			mf := res.Frames[0]
			if mf.Repo != tt.wantRepo || mf.Path != tt.wantPath {
				t.Errorf("mapped %q to %q:%q, want %q:%q", tt.frame.File, mf.Repo, mf.Path, tt.wantRepo, tt.wantPath)
			}
			if (mf.Note != "") != tt.wantNote {
				t.Errorf("note = %q, want a note: %v", mf.Note, tt.wantNote)
			}
		})
	}
}

// TestOutsideFramePath: a frame that is not in-app reports the repository
// path it matches only when more than the base name matches: the standard
// library's server.go is not the repository's daemon/server/server.go, a
// vendored copy's path is the repository's.
func TestOutsideFramePath(t *testing.T) {
	tree := []string{"daemon/server/server.go", "vendor/github.com/x/y/z.go", "daemon/start.go"}
	idx := NewIndex([]RepoHistory{{Repo: "r", Tree: tree}}, Options{})
	res := idx.Rank(signal.Signal{Frames: []signal.Frame{
		{File: "/go/src/github.com/moby/moby/daemon/start.go", Line: 3, Function: "containerStart", InApp: true},
		{File: "/usr/local/go/src/net/http/server.go", Line: 2294, Function: "net/http.HandlerFunc.ServeHTTP"},
		{File: "/build/vendor/github.com/x/y/z.go", Line: 9, Function: "y.Z"},
		{File: "server.go", Line: 9, Function: "serve"},
	}})
	for i, want := range []string{"daemon/start.go", "", "vendor/github.com/x/y/z.go", "daemon/server/server.go"} {
		if got := res.Frames[i].Path; got != want {
			t.Errorf("frame %d (%s): path %q, want %q", i, res.Frames[i].File, got, want)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{`C:\a\b.go`, "/a/b.go"},
		{"file:///C:/a/b.go", "/a/b.go"},
		{"file:///srv/a%20b/c.js", "/srv/a b/c.js"},
		{"http://host:8080/static/a.js?x=1", "/static/a.js"},
		{"./a/../b/c.py", "./a/../b/c.py"},
	}
	for _, tt := range tests {
		if got := normalizePath(tt.in); got != tt.want {
			t.Errorf("normalizePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := splitComponents("./a/../b//c.py"), []string{"b", "c.py"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("splitComponents = %q, want %q", got, want)
	}
}

// TestMapFrameByDefinition: a base name that several files share (as
// Valgrind prints it) maps to the one defining the frame's function; a
// function defined nowhere among them keeps the usual order.
func TestMapFrameByDefinition(t *testing.T) {
	tree := []string{"sway/commands/output.c", "sway/config/output.c", "sway/tree/output.c"}
	defs := map[string][]string{"output_get_identifier": {"sway/config/output.c"}, "cmd_output": {"sway/commands/output.c"}}
	for _, tt := range []struct {
		fn, want string
		chose    bool
	}{
		{"output_get_identifier", "sway/config/output.c", true},
		{"cmd_output", "sway/commands/output.c", true},
		{"elsewhere", "sway/tree/output.c", false},
	} {
		idx := NewIndex([]RepoHistory{{Repo: "r", Tree: tree, Definitions: defs}}, Options{})
		res := idx.Rank(signal.Signal{Frames: []signal.Frame{{File: "output.c", Line: 33, Function: tt.fn, InApp: true}}})
		mf := res.Frames[0]
		if mf.Path != tt.want {
			t.Errorf("%s: mapped to %q, want %q", tt.fn, mf.Path, tt.want)
		}
		if got := strings.Contains(mf.Note, "the file defining "+tt.fn); got != tt.chose {
			t.Errorf("%s: note %q, want it to say the definition chose: %v", tt.fn, mf.Note, tt.chose)
		}
	}
}

// TestBestMatches: the files matching a frame's path equally well and best,
// by whole trailing components and as mapping reads paths.
func TestBestMatches(t *testing.T) {
	tree := []string{"commit.c", "builtin/commit.c", "commit.h", "src/xmpp/omemo.c", "src/omemo/omemo.c", "xcommit.c",
		"src/main/java/com/acme/cart/Cart.java", "src/main/java/com/acme/other/Cart.java"}
	frames := []signal.Frame{
		{File: "commit.c"}, {File: "/build/git/commit.c"}, {File: `C:\src\builtin\commit.c`},
		{File: "omemo.c"}, {File: "xmpp/omemo.c"}, {File: "missing.c"},
		{File: "Cart.java", Module: "com.acme.cart.Cart"},
	}
	want := []string{
		"commit.c,builtin/commit.c", "commit.c,builtin/commit.c", "builtin/commit.c",
		"src/xmpp/omemo.c,src/omemo/omemo.c", "src/xmpp/omemo.c", "",
		"src/main/java/com/acme/cart/Cart.java",
	}
	got := BestMatches(tree, frames)
	for i := range frames {
		if g := strings.Join(got[i], ","); g != want[i] {
			t.Errorf("%q: got %q, want %q", frames[i].File, g, want[i])
		}
	}
}
