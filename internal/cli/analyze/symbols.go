package analyze

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/pkg/signal"
	"github.com/sigsentry/sigsentry/pkg/symbolize"
)

// unlocatedNote starts the note pkg/signal gives a native report none of
// whose program's frames has a file and line; backtraceNote is
// backtrace_symbols' own.
const (
	unlocatedNote = "no frame of the program has a source file and line"
	backtraceNote = "backtrace_symbols gives no file and line"
	// appUnlocatedNote is a tombstone's (and an Apple report's).
	appUnlocatedNote = "no frame of the app has a source file and line"
	// sentryUnsymbolicatedNote is within a Sentry event's note ("3 of 7
	// frames are unsymbolicated ...").
	sentryUnsymbolicatedNote = "frames are unsymbolicated (only instruction addresses)"
	// appleUnsymbolizedNote is an Apple report's whose app frames are
	// image offsets only; appleAtos ends the advice of both its notes.
	appleUnsymbolizedNote = "the app's frames are not symbolicated (image offsets only)"
	appleAtos             = "or run atos)"
)

// symbolizable reports the formats whose modules are ELF or Mach-O files
// at an offset --symbols can place (see moduleAddress): not Windows'
// modules, whose notes keep their own advice (PDB files).
func symbolizable(format string) bool {
	_, ok := moduleAddress(format, signal.Frame{}, &symbolize.Module{}, false)
	return ok
}

// applySymbols reads the frames of native reports that give an address
// within a module ("(server+0x1234)", "server(+0x1a2b)") as the functions,
// files and lines of the module's debug information, which --symbols
// gave; without --symbols it says, on such a report, to give them.
func applySymbols(o *Options, all []signal.Signal) error {
	if len(o.Symbols) == 0 {
		for i := range all {
			symbolsNote(&all[i])
		}
	} else {
		for _, p := range o.Symbols {
			if strings.TrimSpace(p) == "" {
				return cmdutil.UsageErrorf("empty --symbols: give the unstripped binary, its debug file, or a folder holding them")
			}
		}
		ix, err := symbolize.NewIndex(o.Symbols)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return cmdutil.UsageErrorf("--symbols %s: %v", pe.Path, pe.Err)
			}
			return cmdutil.UsageErrorf("--symbols: %v", err)
		}
		for i := range all {
			symbolizeSignal(ix, &all[i])
		}
	}
	return nil
}

// addressed reports a frame that a debug file could place: one in a
// module, at an address within it, without a file yet.
func addressed(f signal.Frame) bool {
	return f.Module != "" && f.Offset != 0 && f.File == ""
}

// moduleAddress is the address within the module's ELF file of a frame's
// offset as its format prints it. Sanitizers print the address less the
// module's load bias (for a PIE, its offset from the first mapping; for
// an executable that is not PIE, the address itself), already moved back
// into the call for return addresses; Android's tombstones the same.
// backtrace_symbols prints return addresses, less the bias: the call is
// the byte before. systemd-coredump (elfutils) and minidump_stackwalk
// print the offset from the module's first mapping. ok is false for the
// formats whose modules are neither (Windows'). An Apple report's offset
// is from its image's load address, where its __TEXT segment starts: the
// address in the Mach-O file (its dSYM's) is __TEXT's vmaddr (the
// module's Start) plus the offset. Apple's reports print the return
// address of every frame but a thread's first, so a caller's line is
// looked up at the byte before, as lldb's crashlog.py does ("Any frame
// above frame zero and we have to subtract one to get the previous line
// entry", lldb/examples/python/crashlog.py).
// A Sentry event's offset is its instruction_addr less its image's
// image_addr, the address the module's first mapping (a Mach-O image's
// __TEXT) was loaded at, as a minidump's and an Apple report's; the
// event says which frames are return addresses (its
// stack's instruction_addr_adjustment, which pkg/signal reads into
// Frame.AddrKind), and without it every frame but the first is, as
// symbolicator adjusts them ("all_but_first"). caller tells a frame
// below the first of its stack: Breakpad's
// minidump_stackwalk prints a caller's return address less the module's
// base and looks up its line at the byte before, inside the call; the
// byte before is inside the call too if a report printed that byte
// already (a call is 2 bytes at least), so it is looked up there.
func moduleAddress(format string, f signal.Frame, m *symbolize.Module, caller bool) (uint64, bool) {
	switch format {
	case signal.FormatASan, signal.FormatLSan, signal.FormatMSan, signal.FormatTSan, signal.FormatUBSan, signal.FormatTombstone:
		return f.Offset, true
	case signal.FormatGlibc:
		return f.Offset - 1, true
	case signal.FormatNative:
		return m.Start + f.Offset, true
	case signal.FormatMinidump, signal.FormatApple:
		if caller {
			return m.Start + f.Offset - 1, true
		}
		return m.Start + f.Offset, true
	case signal.FormatSentry:
		switch f.AddrKind {
		case signal.AddrExact:
			caller = false
		case signal.AddrReturn:
			caller = true
		}
		if caller {
			return m.Start + f.Offset - 1, true
		}
		return m.Start + f.Offset, true
	}
	return 0, false
}

// symbolizeSignal replaces each frame that its module's debug file
// places by the frames there (inlined functions first, innermost first).
// When none is placed, a note names the modules without debug file.
func symbolizeSignal(ix *symbolize.Index, s *signal.Signal) {
	if !symbolizable(s.Format) {
		return
	}
	var out []signal.Frame
	var missing []string
	var failed []string
	candidates, placed := 0, 0
	firstOf := map[int]bool{} // the stacks whose first frame was seen
	for _, f := range s.Frames {
		caller := firstOf[f.Stack]
		firstOf[f.Stack] = true
		if !addressed(f) {
			out = append(out, f)
			continue
		}
		candidates++
		match := ix.Lookup(f.Module, f.BuildID)
		if match.Module == nil {
			missing = appendOnce(missing, missingModule(f, match))
			out = append(out, f)
			continue
		}
		addr, ok := moduleAddress(s.Format, f, match.Module, caller)
		if !ok {
			out = append(out, f)
			continue
		}
		frames, err := match.Module.Resolve(addr)
		if err != nil {
			failed = appendOnce(failed, err.Error())
			out = append(out, f)
			continue
		}
		if len(frames) == 0 || frames[0].File == "" {
			if len(frames) > 0 && f.Function == "" && frames[0].Function != "" {
				f.Function = frames[0].Function // the symbol table's name
				f.InApp = signal.IsInApp(inAppFormat(s.Format), f.File, f.Function, f.Module)
			}
			out = append(out, f)
			continue
		}
		placed++
		for _, r := range frames {
			nf := f
			nf.File, nf.Line, nf.Column = r.File, r.Line, r.Column
			if r.Function != "" {
				nf.Function = r.Function
			}
			nf.InApp = signal.IsInApp(inAppFormat(s.Format), nf.File, nf.Function, nf.Module)
			out = append(out, nf)
		}
	}
	if candidates == 0 {
		return
	}
	for _, e := range failed {
		s.Notes = append(s.Notes, "cannot read the debug information: "+e)
	}
	if placed == 0 {
		if len(missing) > 0 {
			if own := programModules(missing); len(own) > 0 {
				missing = own
			}
			s.Notes = append(dropUnlocated(s.Notes), fmt.Sprintf("no debug information for %s: give the unstripped binary or its .debug file with --symbols", joinFew(missing)))
		}
		return
	}
	if len(out) > signal.MaxFrames {
		out = out[:signal.MaxFrames]
	}
	for i := range out {
		out[i].Depth = i
	}
	s.Frames = out
	// The notes that the frames have no file and line are stale now.
	s.Notes = dropUnlocated(s.Notes)
}

// inAppFormat is the format whose rules tell a placed frame's code from
// the libraries': a Sentry event's native frames are judged as a pasted
// native report's.
func inAppFormat(format string) string {
	if format == signal.FormatSentry {
		return "native"
	}
	return format
}

// dropUnlocated drops the notes that no frame has a file and line (and a
// Sentry event's that some frames are only addresses).
func dropUnlocated(notes []string) []string {
	var out []string
	for _, n := range notes {
		if !strings.HasPrefix(n, unlocatedNote) && !strings.HasPrefix(n, backtraceNote) && !strings.HasPrefix(n, appUnlocatedNote) &&
			!strings.Contains(n, sentryUnsymbolicatedNote) && !strings.HasPrefix(n, appleUnsymbolizedNote) {
			out = append(out, n)
		}
	}
	return out
}

// programModules are the names (as missingModule gives them) that are
// not the system's libraries.
func programModules(names []string) []string {
	var out []string
	for _, n := range names {
		if !signal.SystemModule(strings.Fields(n)[0]) {
			out = append(out, n)
		}
	}
	return out
}

// missingModule names a module without debug file for a note: its file
// name, its build ID, and what was found instead.
func missingModule(f signal.Frame, m symbolize.Match) string {
	name := f.Module
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if f.BuildID != "" {
		id := f.BuildID
		if len(id) > 12 {
			id = id[:12] + "…"
		}
		name += " (build ID " + id + ")"
	}
	switch {
	case m.Other != "":
		name += " (" + m.Other + " is of another build)"
	case m.Stripped != "":
		name += " (" + m.Stripped + " is stripped)"
	}
	return name
}

// symbolsNote, without --symbols, tells how to place a native report's
// frames that give addresses within modules: its note that no frame has
// a file and line names --symbols as the fix (an Apple report's, besides
// Xcode and atos).
func symbolsNote(s *signal.Signal) {
	if !symbolizable(s.Format) {
		return
	}
	var modules []string
	for _, f := range s.Frames {
		if addressed(f) && !signal.SystemModule(f.Module) {
			name := f.Module
			if i := strings.LastIndexAny(name, `/\`); i >= 0 {
				name = name[i+1:]
			}
			modules = appendOnce(modules, name)
		}
	}
	if len(modules) == 0 {
		return
	}
	if s.Format == signal.FormatApple {
		// Its notes advise the dSYM already: --symbols reads it too.
		for i, n := range s.Notes {
			if (strings.HasPrefix(n, appUnlocatedNote) || strings.HasPrefix(n, appleUnsymbolizedNote)) && strings.Contains(n, appleAtos) {
				s.Notes[i] = strings.Replace(n, appleAtos, appleAtos+", or give the .dSYM with --symbols,", 1)
			}
		}
		return
	}
	hint := fmt.Sprintf("give the unstripped binary or the debug file of %s with --symbols (a file or a folder holding them) so frames can be matched to the code", joinFew(modules))
	for i, n := range s.Notes {
		if strings.HasPrefix(n, unlocatedNote) {
			s.Notes[i] = unlocatedNote + ": " + hint
			return
		}
		if strings.HasPrefix(n, backtraceNote) {
			s.Notes[i] = backtraceNote + ": " + hint
			return
		}
		if strings.HasPrefix(n, appUnlocatedNote) {
			// A tombstone: ndk-stack, or the same .so files here.
			s.Notes[i] = fmt.Sprintf("%s: symbolize the report with the NDK's ndk-stack (ndk-stack -sym DIR), or give the unstripped .so files of that build (%s) with --symbols, so frames can be matched to the code", appUnlocatedNote, joinFew(modules))
			return
		}
	}
}
