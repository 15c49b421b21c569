package version

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/iostreams"
)

func TestVersionOutput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"table", nil, "sigsentry 1.2.3 (abcdef123456, 2026-11-28)"},
		{"json", []string{"-o", "json"}, `"version": "1.2.3"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &cmdutil.Factory{IO: ios, Version: "1.2.3", Commit: "abcdef1234567890", Date: "2026-11-28"}
			cmd := NewCmd(f)
			cmd.Flags().StringP("output", "o", "table", "")
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("got %q, want it to contain %q", out.String(), tt.want)
			}
			if tt.name == "json" {
				var info Info
				if err := json.Unmarshal(out.Bytes(), &info); err != nil {
					t.Fatalf("stdout is not one JSON document: %v", err)
				}
				if info.Commit != "abcdef1234567890" {
					t.Errorf("got commit %q, want the full hash", info.Commit)
				}
			}
		})
	}
}

// TestResolveFromBuildInfo: without a version from the linker flags, the
// module's version from the build information is used (a `go install
// ...@v1.2.3` build, even with -buildvcs=false); a local build without VCS
// stamping says dev; flags always win.
func TestResolveFromBuildInfo(t *testing.T) {
	tests := []struct {
		name                  string
		flagVersion, flagDate string
		bi                    *debug.BuildInfo
		want                  Info
	}{
		{"go install @version", "dev", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			Info{Version: "v1.2.3"}},
		{"empty flag", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			Info{Version: "v1.2.3"}},
		{"vcs stamping", "dev", "", &debug.BuildInfo{
			Main:     debug.Module{Version: "v1.2.4-0.20261128094107-abcdef123456+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abcdef1234567890"}, {Key: "vcs.time", Value: "2026-11-28T09:41:07Z"}}},
			Info{Version: "v1.2.4-0.20261128094107-abcdef123456+dirty", Commit: "abcdef1234567890", Date: "2026-11-28T09:41:07Z"}},
		{"local build with -buildvcs=false", "dev", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			Info{Version: "dev"}},
		{"no build info", "", "", nil, Info{Version: "dev"}},
		{"flags win", "2.0.0", "2026-01-02", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.time", Value: "2026-11-28T09:41:07Z"}}},
			Info{Version: "2.0.0", Date: "2026-01-02"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := readBuildInfo
			t.Cleanup(func() { readBuildInfo = old })
			readBuildInfo = func() (*debug.BuildInfo, bool) { return tt.bi, tt.bi != nil }
			got := Resolve(tt.flagVersion, "", tt.flagDate)
			if got.Version != tt.want.Version || got.Commit != tt.want.Commit || got.Date != tt.want.Date {
				t.Errorf("got %+v, want version %q commit %q date %q", got, tt.want.Version, tt.want.Commit, tt.want.Date)
			}
		})
	}
}
