package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// GenerateDocs writes the command reference to dir/reference (Markdown, one
// file per command) and dir/man (man pages, section 1). The output depends
// only on the command tree, so it can be checked for staleness.
func GenerateDocs(dir string) error {
	ios, _, _, _ := iostreams.Test()
	f := NewFactory(ios)
	root := NewRootCmd(f)
	root.DisableAutoGenTag = true
	root.InitDefaultCompletionCmd()
	ref := filepath.Join(dir, "reference")
	man := filepath.Join(dir, "man")
	for _, d := range []string{ref, man} {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTreeCustom(root, ref, func(string) string { return "" }, func(name string) string { return name }); err != nil {
		return fmt.Errorf("generating markdown reference: %w", err)
	}
	hdr := &doc.GenManHeader{Title: "SIGSENTRY", Section: "1", Source: "sigsentry", Manual: "sigsentry manual",
		Date: &time.Time{}}
	if err := doc.GenManTree(root, hdr, man); err != nil {
		return fmt.Errorf("generating man pages: %w", err)
	}
	return writeIndex(root, ref)
}

func writeIndex(root *cobra.Command, dir string) error {
	var b bytes.Buffer
	b.WriteString("# Command reference\n\nGenerated from the command tree by `go run ./internal/tools/gendocs`; do not edit by hand.\n\n")
	var walk func(c *cobra.Command, depth int)
	walk = func(c *cobra.Command, depth int) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
		fmt.Fprintf(&b, "%s- [`%s`](%s): %s\n", strings.Repeat("  ", depth), c.CommandPath(), name, c.Short)
		for _, sub := range c.Commands() {
			walk(sub, depth+1)
		}
	}
	walk(root, 0)
	return os.WriteFile(filepath.Join(dir, "README.md"), b.Bytes(), 0o644)
}
