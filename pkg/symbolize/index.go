package symbolize

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Limits of what NewIndex looks at under the folders it is given: the
// files whose first bytes it reads, and the ELF files whose headers it
// reads.
const (
	MaxFiles    = 100000
	MaxELFFiles = 20000
)

// An Index holds the ELF and Mach-O files found in the files and folders
// it was given, by build ID (a Mach-O file's UUID) and by base name (a
// .dSYM bundle's DWARF file is named as its program: Shop).
type Index struct {
	Modules   []*Module
	byBuildID map[string][]*Module
	byName    map[string][]*Module
}

// buildIDPathRE is the layout of a debug file under a .build-id folder:
// ".build-id/ab/cdef....debug".
var buildIDPathRE = regexp.MustCompile(`(?:^|/)\.build-id/([0-9a-f]{2})/([0-9a-f]{6,})\.debug$`)

// NewIndex reads the ELF and Mach-O headers of the given files and of
// the files under the given folders (.git and node_modules are skipped; a
// .dSYM bundle is a folder; other files are left after their first eight
// bytes). A given path that cannot be read, or a given file that is
// neither, is an error naming it; a malformed file found in a folder is
// left out.
func NewIndex(paths []string) (*Index, error) {
	ix := &Index{byBuildID: map[string][]*Module{}, byName: map[string][]*Module{}}
	seen := map[string]bool{}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			m, err := ix.addFile(p, seen, true)
			if err != nil {
				return nil, err
			}
			if m == nil {
				return nil, fmt.Errorf("%s: not an ELF or Mach-O file (give the unstripped binary, its .debug file or .dSYM, or a folder holding them)", p)
			}
			continue
		}
		if err := ix.addFolder(p, seen); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

var errTooMany = errors.New("too many files")

func (ix *Index) addFolder(dir string, seen map[string]bool) error {
	files, elfs := 0, 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // an unreadable subfolder is left out
		}
		if d.IsDir() {
			if p != dir && (d.Name() == ".git" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		files++
		if files > MaxFiles {
			return fmt.Errorf("%w: more than %d files: give the folder of the build's binaries or debug files", errTooMany, MaxFiles)
		}
		m, err := ix.addFile(p, seen, false)
		if err == nil && m != nil {
			elfs++
			if elfs > MaxELFFiles {
				return fmt.Errorf("%w: more than %d ELF files: give the folder of the build's binaries or debug files", errTooMany, MaxELFFiles)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, errTooMany) {
			return fmt.Errorf("%s: %w", dir, err)
		}
		return err
	}
	return nil
}

// addFile reads p's ELF or Mach-O headers and indexes it (each slice of
// a universal file); nil and no error when p is neither. A malformed
// file is an error.
func (ix *Index) addFile(p string, seen map[string]bool, given bool) (*Module, error) {
	abs, err := filepath.Abs(p)
	if err == nil && seen[abs] {
		return nil, nil
	}
	seen[abs] = true
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !IsELF(f) && !IsMachO(f) {
		return nil, nil
	}
	// readModules recovers from the readers' panics.
	ms, err := readModules(p, f)
	if err != nil {
		if given {
			return nil, err
		}
		return nil, nil
	}
	for _, m := range ms {
		if m.BuildID == "" && !m.macho {
			if g := buildIDPathRE.FindStringSubmatch(filepath.ToSlash(p)); g != nil {
				m.BuildID = g[1] + g[2]
			}
		}
		ix.Modules = append(ix.Modules, m)
		if m.BuildID != "" {
			ix.byBuildID[m.BuildID] = append(ix.byBuildID[m.BuildID], m)
		}
		base := filepath.Base(p)
		ix.byName[base] = append(ix.byName[base], m)
	}
	return ms[0], nil
}

// A Match is what Lookup found for a module.
type Match struct {
	// Module is the file with the DWARF to read, nil when none was found.
	Module *Module
	// Other is a file found by the module's name whose build ID is not
	// the one the report gives ("" when none).
	Other string
	// Stripped is a file found for the module that has no DWARF and no
	// debug file found through its .gnu_debuglink ("" when none).
	Stripped string
}

// Lookup finds the debug file of a module as a report names it (a path
// or a file name) and its build ID ("" when the report gives none; a
// Mach-O image's UUID): by build ID when both sides know it (for a
// universal file, the slice with that UUID), else by name (server, server.debug,
// server.dbg), following a stripped file's .gnu_debuglink to its debug
// file.
func (ix *Index) Lookup(module, buildID string) Match {
	buildID = strings.ToLower(buildID)
	base := baseName(module)
	var res Match
	if buildID != "" {
		for _, m := range ix.byBuildID[buildID] {
			if d := ix.withDWARF(m, buildID); d != nil {
				return Match{Module: d}
			}
			res.Stripped = m.Path
		}
	}
	if base == "" {
		return res
	}
	for _, name := range []string{base, base + ".debug", base + ".dbg"} {
		for _, m := range ix.byName[name] {
			if buildID != "" && m.BuildID != "" && m.BuildID != buildID {
				res.Other = m.Path
				continue
			}
			if d := ix.withDWARF(m, buildID); d != nil {
				return Match{Module: d}
			}
			res.Stripped = m.Path
		}
	}
	return res
}

// withDWARF is m when it has DWARF, else the debug file its debuglink
// names (of the same build when both know their build ID), else nil.
func (ix *Index) withDWARF(m *Module, buildID string) *Module {
	if m.HasDWARF {
		return m
	}
	if m.DebugLink == "" {
		return nil
	}
	want := buildID
	if want == "" {
		want = m.BuildID
	}
	for _, d := range ix.byName[filepath.Base(m.DebugLink)] {
		if d.HasDWARF && (want == "" || d.BuildID == "" || d.BuildID == want) {
			return d
		}
	}
	return nil
}

// baseName is the file name of a module as a report names it:
// "/app/bin/server", `C:\app\server.exe`, "server".
func baseName(module string) string {
	module = strings.TrimSpace(module)
	if i := strings.LastIndexAny(module, `/\`); i >= 0 {
		module = module[i+1:]
	}
	return module
}
