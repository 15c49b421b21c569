// Package version implements `sigsentry version`.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/render"
	"github.com/spf13/cobra"
)

// Info describes the running build.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Date      string `json:"date,omitempty"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// readBuildInfo is debug.ReadBuildInfo (tests swap it).
var readBuildInfo = debug.ReadBuildInfo

// Resolve fills in what the linker flags left empty from the module's build
// information: `go install ...@v1.2.3` records the module's version (even
// with -buildvcs=false), and a build in a git checkout its VCS revision and
// time. Without either, the version is "dev".
func Resolve(version, commit, date string) Info {
	if commit == "none" || commit == "unknown" {
		commit = ""
	}
	info := Info{Version: version, Commit: commit, Date: date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := readBuildInfo()
	if !ok {
		bi = &debug.BuildInfo{}
	}
	if (info.Version == "" || info.Version == "dev") && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if info.Commit == "" {
				info.Commit = s.Value
			}
		case "vcs.time":
			if info.Date == "" {
				info.Date = s.Value
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	return info
}

// NewCmd returns the `version` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show sigsentry's version and build information",
		Long:  "Show the version, the commit it was built from, the build date, and the Go toolchain.",
		Example: `  sigsentry version
  sigsentry version -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := cmdutil.OutputFormat(cmd)
			if err != nil {
				return err
			}
			info := Resolve(f.Version, f.Commit, f.Date)
			if format == render.JSON {
				return render.WriteJSON(f.IO.Out, info)
			}
			line := "sigsentry " + info.Version
			if info.Commit != "" {
				c := info.Commit
				if len(c) > 12 {
					c = c[:12]
				}
				line += " (" + c
				if info.Date != "" {
					line += ", " + info.Date
				}
				line += ")"
			}
			_, err = fmt.Fprintf(f.IO.Out, "%s\n%s %s\n", line, info.GoVersion, info.Platform)
			return err
		},
	}
}
