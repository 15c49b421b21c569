package render

import "github.com/mattn/go-runewidth"

// widthCond measures text as the terminal draws it: East Asian wide
// characters and emoji take two columns, combining marks none, and a
// grapheme cluster (an emoji sequence joined by ZWJ, a flag) is one glyph.
// Ambiguous-width characters count as wide only in an East Asian locale
// (LC_ALL, LC_CTYPE or LANG; RUNEWIDTH_EASTASIAN overrides), as terminals
// there draw them.
var widthCond = runewidth.NewCondition()

// textWidth is the display width of text that holds no control character.
func textWidth(s string) int { return widthCond.StringWidth(s) }
