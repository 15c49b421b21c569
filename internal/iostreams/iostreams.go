// Package iostreams holds the standard streams of one command run and what is
// known about them: whether each is a terminal, whether colour is wanted,
// whether the user asked for quiet output.
//
// Results go to Out, everything else (messages, progress, prompts, debug
// traces) to ErrOut, so that `-o json` keeps stdout clean.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/sigsentry/sigsentry/internal/render"
	"golang.org/x/term"
)

// IOStreams is the set of streams a command writes to and reads from.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	// dumb is set for TERM=dumb: no cursor movement or line erasing.
	dumb bool

	// NoColor is set by --no-color or NO_COLOR.
	NoColor bool
	// Quiet is set by --quiet: only results and errors are printed.
	Quiet bool
	// Debug is set by --debug: HTTP traces (redacted) go to ErrOut.
	Debug bool
}

// System returns streams bound to the process's stdin, stdout and stderr.
func System() *IOStreams {
	s := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	s.stdinTTY = isTerminal(os.Stdin)
	s.stdoutTTY = isTerminal(os.Stdout)
	s.stderrTTY = isTerminal(os.Stderr)
	s.fromEnv(os.Getenv)
	// A Windows console draws colour and progress only once asked to.
	if s.stdoutTTY && !enableVT(os.Stdout) || s.stderrTTY && !enableVT(os.Stderr) {
		s.NoColor = true
		s.dumb = true
	}
	return s
}

// fromEnv reads the environment's say on colour and terminal abilities:
// NO_COLOR set to anything but the empty string turns colour off (see
// no-color.org); TERM=dumb turns off colour and progress, which need
// escape sequences such a terminal does not understand.
func (s *IOStreams) fromEnv(getenv func(string) string) {
	if getenv("NO_COLOR") != "" {
		s.NoColor = true
	}
	if getenv("TERM") == "dumb" {
		s.NoColor = true
		s.dumb = true
	}
}

// Test returns streams backed by buffers, none of them a terminal.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, NoColor: true}, in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// SetTTY overrides terminal detection (tests).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether the user can be asked a question: both standard
// input and standard error are terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stderrTTY }

// ColorEnabled reports whether stdout output may carry ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return !s.NoColor && s.stdoutTTY }

// ShowProgress reports whether progress may be drawn on stderr: only on a
// terminal that can erase a line (not TERM=dumb), and not when quiet.
func (s *IOStreams) ShowProgress() bool { return s.stderrTTY && !s.dumb && !s.Quiet }

// Infof writes an informational message to ErrOut unless Quiet. Its
// arguments may carry outside text (a server's message, a path): they are
// sanitized like every render writer's (see render.Fprintf); text coloured
// by these streams keeps its colour.
func (s *IOStreams) Infof(format string, a ...any) {
	if s.Quiet {
		return
	}
	_, _ = render.Fprintf(s.ErrOut, format, a...)
}
