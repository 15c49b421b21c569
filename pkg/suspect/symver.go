package suspect

import (
	"slices"
	"strings"
)

// symverTarget returns the function that implements a versioned ELF
// symbol, as a frame names it ("xsk_umem__create@@LIBBPF_0.0.4"), in a C
// file that binds the symbol to it on one line:
//
//	asm(".symver xsk_umem__create_v0_0_4, xsk_umem__create@@LIBBPF_0.0.4");
//	DEFAULT_VERSION(xsk_umem__create_v0_0_4, xsk_umem__create, LIBBPF_0.0.4)
//
// The symbol's own name is then defined nowhere in the file, and a frame
// looked up by it would fit only versions from before the binding. It
// returns "" when fn carries no version or lines bind none to a function
// they define.
func symverTarget(lines []string, fn string) string {
	fn = stripKernelOffset(strings.TrimSpace(fn))
	i := strings.IndexByte(fn, '@')
	if i <= 0 || !symbolVersion.MatchString(fn[i:]) {
		return ""
	}
	name, ver := fn[:i], strings.TrimLeft(fn[i:], "@")
	if !isIdent(name) {
		return ""
	}
	for _, l := range lines {
		if !strings.Contains(l, ver) || !strings.Contains(l, name) {
			continue
		}
		words := identWords(l)
		if !slices.Contains(words, name) {
			continue
		}
		for _, w := range words {
			if w == name || strings.Contains(ver, w) || strings.ToUpper(w) == w {
				continue // the symbol, its version, a macro
			}
			if definesC(lines, w) {
				return w
			}
		}
	}
	return ""
}

// identWords splits a line into its identifiers.
func identWords(l string) []string {
	return strings.FieldsFunc(l, func(r rune) bool { return !(r < 128 && isIdentByte(byte(r))) })
}

// definesC reports whether lines, C, hold the definition of function
// ident, with its body.
func definesC(lines []string, ident string) bool {
	lo, _ := funcExtent(lines, ident, "c", 0)
	return lo > 0
}

// isIdent reports whether s is an identifier.
func isIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}
