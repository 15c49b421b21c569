package cli

import (
	"os"
	"testing"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

// TestMain fails the run if a command the tests ran left a keychain daemon
// running (see testenv.RunNoDaemons).
func TestMain(m *testing.M) { os.Exit(testenv.RunNoDaemons(m)) }
