package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/sigsentry/sigsentry/pkg/childenv"
)

// browserOpeners are the programs that open a URL on Linux and the BSDs,
// in the order they are tried.
var browserOpeners = []string{"xdg-open", "x-www-browser", "www-browser", "wslview"}

// browserCommand returns the program and arguments that open url on goos,
// looking programs up with lookPath.
func browserCommand(goos, url string, lookPath func(string) (string, error)) (string, []string, error) {
	switch goos {
	case "darwin":
		return "open", []string{url}, nil
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}, nil
	}
	for _, name := range browserOpeners {
		if p, err := lookPath(name); err == nil {
			return p, []string{url}, nil
		}
	}
	return "", nil, fmt.Errorf("no program to open a browser was found (%s)", strings.Join(browserOpeners, ", "))
}

// openBrowser returns the launcher the factory wires as Factory.Browser: it
// opens an http(s) URL with the system's opener, whose environment is
// scrubbed of sigsentry's secrets (a browser, its helpers and extensions
// inherit it), and whose output goes to w, never to standard output.
func openBrowser(w io.Writer, environ func() []string) func(url string) error {
	return func(url string) error {
		if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
			return errors.New("refusing to open a URL that is not http(s)")
		}
		prog, args, err := browserCommand(runtime.GOOS, url, exec.LookPath)
		if err != nil {
			return err
		}
		cmd := exec.Command(prog, args...)
		cmd.Env = childenv.Scrub(environ())
		cmd.Stdout, cmd.Stderr = w, w
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("running %s: %w", prog, err)
		}
		return nil
	}
}

// systemBrowser is openBrowser for this process.
func systemBrowser(w io.Writer) func(url string) error { return openBrowser(w, os.Environ) }
