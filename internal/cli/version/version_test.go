package version

import (
	"encoding/json"
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
