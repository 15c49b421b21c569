package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/cli/version"
	"github.com/sigsentry/sigsentry/internal/iostreams"
)

// TestVersionEverywhere: `sigsentry --version` and `sigsentry version` show
// the same resolved version (the linker flags', else the module's build
// information), not the bare "dev" default of the flags.
func TestVersionEverywhere(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	f := NewFactory(ios)
	if want := version.Resolve(buildVersion, buildCommit, buildDate).Version; f.Version != want {
		t.Errorf("factory version %q, want the resolved %q", f.Version, want)
	}
	f.Version = "v1.2.3" // as a `go install ...@v1.2.3` build resolves it
	f.Getenv = func(string) string { return "" }
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out.Reset()
		if code := Run(context.Background(), f, args); code != 0 {
			t.Fatalf("%v: exit %d", args, code)
		}
		if first, _, _ := strings.Cut(out.String(), "\n"); first != "sigsentry v1.2.3" {
			t.Errorf("%v: got %q, want %q", args, first, "sigsentry v1.2.3")
		}
	}
}
