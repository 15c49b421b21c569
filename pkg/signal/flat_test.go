package signal

import (
	"strings"
	"testing"
)

// TestParseWithoutIndentation: Go, JavaScript and .NET traces whose
// frames lost their indentation (pasted from a chat or a web form) read
// as the indented ones do; prose that starts with "at " is no frame.
func TestParseWithoutIndentation(t *testing.T) {
	tests := []struct {
		name, format string
		lines        []string
		file         string
		line, frames int
	}{
		{"go", FormatGo, []string{
			"panic: runtime error: index out of range [3] with length 3", "",
			"goroutine 1 [running]:",
			"main.total(...)", "/src/shop/cart.go:41 +0x1d",
			"main.main()", "/src/shop/main.go:12 +0x25",
			"exit status 2",
		}, "/src/shop/cart.go", 41, 2},
		{"javascript", FormatJavaScript, []string{
			"TypeError: Cannot read properties of undefined (reading 'id')",
			"at total (/srv/shop/src/cart.js:41:12)",
			"at Object.<anonymous> (/srv/shop/src/main.js:3:1)",
			"at Module._compile (node:internal/modules/cjs/loader:1376:14)",
		}, "/srv/shop/src/cart.js", 41, 3},
		{"dotnet", FormatDotNet, []string{
			"System.NullReferenceException: Object reference not set to an instance of an object.",
			"at Shop.Cart.Total() in /src/Shop/Cart.cs:line 41",
			"at Shop.Program.Main() in /src/Shop/Program.cs:line 12",
		}, "/src/Shop/Cart.cs", 41, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parseOne(t, strings.Join(tt.lines, "\n")+"\n", tt.format, tt.file, tt.line, tt.frames)
		})
	}
	prose := "Error: the job failed\nat startup(1) it said so\nat least twice (see notes)\nat home\n"
	if sigs, err := Parse("prose", []byte(prose)); err == nil {
		for _, s := range sigs {
			if len(s.Frames) > 0 {
				t.Errorf("prose read as frames: %+v", s.Frames)
			}
		}
	}
}
