package render

import (
	"os"
	"testing"

	"github.com/mattn/go-runewidth"
)

// TestMain measures widths as outside an East Asian locale, whatever the
// machine's, so that the expected widths of ambiguous characters (the
// ellipsis) hold everywhere.
func TestMain(m *testing.M) {
	widthCond = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}
	os.Exit(m.Run())
}
