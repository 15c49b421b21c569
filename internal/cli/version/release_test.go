package version

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The release is built by goreleaser from .goreleaser.yaml (see README.md,
// "Releasing"). CI does not run goreleaser; these tests check what the
// release depends on instead: the build targets, a static binary, and
// linker flags that set variables which exist.

const modulePath = "github.com/sigsentry/sigsentry"

// repoRoot is the module root, three folders above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from the test folder: %v", err)
	}
	return root
}

type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Ignore  []struct {
			Goos   string `yaml:"goos"`
			Goarch string `yaml:"goarch"`
		} `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		Files []string `yaml:"files"`
	} `yaml:"archives"`
}

func loadGoreleaser(t *testing.T) (*goreleaserConfig, string) {
	t.Helper()
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("parsing .goreleaser.yaml: %v", err)
	}
	return &cfg, root
}

// linkVar is one -X target of the release's linker flags.
type linkVar struct {
	Pkg, Name, Value string
}

var xFlag = regexp.MustCompile(`^-X\s+([^=\s]+)\.([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)

func linkVars(t *testing.T, ldflags []string) []linkVar {
	t.Helper()
	var out []linkVar
	for _, f := range ldflags {
		f = strings.TrimSpace(f)
		if !strings.HasPrefix(f, "-X") {
			continue
		}
		m := xFlag.FindStringSubmatch(f)
		if m == nil {
			t.Errorf("ldflags entry %q is not -X importpath.name=value", f)
			continue
		}
		out = append(out, linkVar{Pkg: m[1], Name: m[2], Value: strings.TrimSpace(m[3])})
	}
	return out
}

func TestGoreleaserBuildsEveryTarget(t *testing.T) {
	cfg, root := loadGoreleaser(t)
	if cfg.Version != 2 {
		t.Errorf("got config version %d, want 2", cfg.Version)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("got %d builds, want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if b.Main != "./cmd/sigsentry" || b.Binary != "sigsentry" {
		t.Errorf("got main %q binary %q, want ./cmd/sigsentry and sigsentry", b.Main, b.Binary)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "sigsentry", "main.go")); err != nil {
		t.Errorf("the release's main package is missing: %v", err)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("got env %v, want CGO_ENABLED=0 (a static binary that runs on any Linux)", b.Env)
	}
	if !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("got flags %v, want -trimpath (no build paths in the binary)", b.Flags)
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, goarch := range []string{"amd64", "arm64"} {
			built := slices.Contains(b.Goos, goos) && slices.Contains(b.Goarch, goarch)
			for _, ig := range b.Ignore {
				if (ig.Goos == "" || ig.Goos == goos) && (ig.Goarch == "" || ig.Goarch == goarch) {
					built = false
				}
			}
			if !built {
				t.Errorf("%s/%s is not built; the README promises it", goos, goarch)
			}
		}
	}
	for _, a := range cfg.Archives {
		for _, f := range a.Files {
			matches, err := filepath.Glob(filepath.Join(root, f))
			if err != nil || len(matches) == 0 {
				t.Errorf("archive file pattern %q matches nothing", f)
			}
		}
	}
}

// TestGoreleaserLdflagsTargetExist: the linker silently ignores -X for a
// variable that does not exist, so a renamed variable would ship a release
// that says "dev". Each target must be a package-level string variable,
// uninitialised or set to a constant, in a package of this module.
func TestGoreleaserLdflagsTargetExist(t *testing.T) {
	cfg, root := loadGoreleaser(t)
	vars := linkVars(t, cfg.Builds[0].Ldflags)
	if len(vars) == 0 {
		t.Fatal("the release sets no variables through -X")
	}
	names := map[string]bool{}
	for _, v := range vars {
		names[v.Name] = true
		rel, ok := strings.CutPrefix(v.Pkg, modulePath+"/")
		if !ok {
			t.Errorf("-X %s.%s: not a package of %s", v.Pkg, v.Name, modulePath)
			continue
		}
		if err := stringVarIn(filepath.Join(root, filepath.FromSlash(rel)), v.Name); err != nil {
			t.Errorf("-X %s.%s: %v", v.Pkg, v.Name, err)
		}
	}
	for _, want := range []string{"buildVersion", "buildCommit", "buildDate"} {
		if !names[want] {
			t.Errorf("the release does not set %s", want)
		}
	}
}

// stringVarIn reports whether dir's package declares a package-level
// variable name that -X can set.
func stringVarIn(dir, name string) error {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != name {
						continue
					}
					if id, ok := vs.Type.(*ast.Ident); vs.Type != nil && (!ok || id.Name != "string") {
						return fmt.Errorf("declared in %s but not as a string", e.Name())
					}
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); !ok || lit.Kind != token.STRING {
							return fmt.Errorf("declared in %s with a value that is not a string constant", e.Name())
						}
					} else if vs.Type == nil {
						return fmt.Errorf("declared in %s without a type", e.Name())
					}
					return nil
				}
			}
		}
	}
	return fmt.Errorf("no package-level variable %s in %s", name, dir)
}

// TestReleaseLdflagsReachTheBinary builds sigsentry with the release's
// version flags (goreleaser's templates filled in) and checks that
// `sigsentry version` and `sigsentry --version` show what they set.
func TestReleaseLdflagsReachTheBinary(t *testing.T) {
	cfg, root := loadGoreleaser(t)
	fill := strings.NewReplacer(
		"{{ .Version }}", "9.8.7",
		"{{ .FullCommit }}", "0123456789abcdef0123456789abcdef01234567",
		"{{ .Date }}", "2026-01-02T03:04:05Z",
	)
	var ldflags []string
	for _, v := range linkVars(t, cfg.Builds[0].Ldflags) {
		if strings.Contains(v.Value, "envOrDefault") {
			continue // the OAuth consumer: empty unless the release sets it
		}
		val := fill.Replace(v.Value)
		if strings.Contains(val, "{{") {
			t.Fatalf("-X %s.%s=%s: a template this test does not know", v.Pkg, v.Name, v.Value)
		}
		ldflags = append(ldflags, "-X", v.Pkg+"."+v.Name+"="+val)
	}
	bin := filepath.Join(t.TempDir(), "sigsentry")
	build := exec.Command("go", "build", "-ldflags", strings.Join(ldflags, " "), "-o", bin, "./cmd/sigsentry")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build with the release's ldflags: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version", "-o", "json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var info Info
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("version -o json: %v\n%s", err, out)
	}
	if info.Version != "9.8.7" || info.Commit != "0123456789abcdef0123456789abcdef01234567" || info.Date != "2026-01-02T03:04:05Z" {
		t.Errorf("got %+v, want the version, commit and date the release sets", info)
	}
	out, err = exec.Command(bin, "--version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "sigsentry 9.8.7" {
		t.Errorf("--version: got %q, %v; want %q", out, err, "sigsentry 9.8.7")
	}
}
