// Package archtest checks the shape of the house as the imports draw it
// (../shared/STYLE.md): the ranking core does no I/O, pkg/ never reaches
// into internal/, cobra or viper, viper stays in internal/config, and the
// credential and OAuth layers do not pull in the command layer.
package archtest

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

const mod = "github.com/sigsentry/sigsentry/"

// deps lists the packages pkg depends on, itself included.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	testenv.LookPath(t, "go")
	out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func TestDependencies(t *testing.T) {
	tests := []struct {
		pkg       string
		forbidden []string
	}{
		// The ranking core: history and signal models only; no network,
		// no processes, no sources.
		{"pkg/suspect", []string{"net/http", "os/exec", mod + "pkg/source", mod + "pkg/bitbucket", mod + "pkg/sentry", mod + "pkg/gitrun"}},
		{"pkg/history", []string{"net/http", "os/exec", mod + "pkg/source"}},
		{"internal/credstore", []string{"github.com/spf13/viper", "github.com/spf13/cobra"}},
		{"internal/oauthflow", []string{"github.com/spf13/cobra", "github.com/spf13/viper"}},
		{"internal/analysis", []string{"github.com/spf13/cobra", "github.com/spf13/viper"}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			got := map[string]bool{}
			for _, d := range deps(t, tt.pkg) {
				got[d] = true
			}
			for _, f := range tt.forbidden {
				if got[f] {
					t.Errorf("%s depends on %s", tt.pkg, f)
				}
			}
		})
	}
	// pkg/ is for anyone to import: no internal/, no cobra, no viper.
	testenv.LookPath(t, "go")
	out, err := exec.Command("go", "list", mod+"pkg/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		for _, d := range deps(t, strings.TrimPrefix(p, mod)) {
			if strings.HasPrefix(d, mod+"internal/") || d == "github.com/spf13/cobra" || d == "github.com/spf13/viper" {
				t.Errorf("%s depends on %s", p, d)
			}
		}
	}
}
