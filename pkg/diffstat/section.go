package diffstat

import "strings"

// asmDefinitionMacros are the assembler macros of the Linux kernel, Xen and
// others that start a function or a symbol.
var asmDefinitionMacros = map[string]bool{
	"ENTRY": true, "GLOBAL": true, "WEAK": true, "FUNC": true, "FUNC_LOCAL": true, "LABEL": true,
	"LABEL_LOCAL": true, "SYM_FUNC_START": true, "SYM_FUNC_START_LOCAL": true, "SYM_FUNC_START_NOALIGN": true,
	"SYM_FUNC_START_WEAK": true, "SYM_CODE_START": true, "SYM_CODE_START_LOCAL": true,
	"SYM_CODE_START_NOALIGN": true, "SYM_INNER_LABEL": true, "SYM_INNER_LABEL_ALIGN": true,
}

// AsmDefinition reads a line of assembly that starts a function, as a hunk
// header's section or a source line shows it: "ENTRY(vmx_asm_do_vmentry)",
// "SYM_FUNC_START(memcpy)", "FUNC_LOCAL(restore_all_xen)" give the name
// in parentheses; ok is false for any other line.
func AsmDefinition(line string) (name string, ok bool) {
	macro, rest, found := strings.Cut(strings.TrimSpace(line), "(")
	if !found || !asmDefinitionMacros[strings.TrimSpace(macro)] {
		return "", false
	}
	if e := strings.IndexAny(rest, ",)"); e >= 0 {
		rest = rest[:e]
	} else {
		return "", false
	}
	name = strings.TrimSpace(rest)
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", false
		}
	}
	return name, true
}

// MacroDefinition reads a C line that defines a function through a macro
// named in capitals, as a hunk header's section or a source line shows it:
// the macro's first argument, a lower-case identifier, is the function
// ("DEFUN (show_ip_bgp, show_ip_bgp_cmd," in FRRouting,
// "LATEST_SYMVER_FUNC(ibv_create_cq, 1_1, ..." in rdma-core). ok is false
// for any other line, and for an argument in capitals (a constant).
func MacroDefinition(line string) (name string, ok bool) {
	macro, rest, found := strings.Cut(strings.TrimSpace(line), "(")
	macro = strings.TrimRight(macro, " \t")
	if !found || len(macro) < 2 || strings.ToUpper(macro) != macro || strings.ToLower(macro) == macro || !isWord(macro) {
		return "", false
	}
	rest = strings.TrimLeft(rest, " \t")
	n := 0
	for n < len(rest) && isWordByte(rest[n]) {
		n++
	}
	name = rest[:n]
	if name == "" || name[0] >= '0' && name[0] <= '9' || strings.ToUpper(name) == name {
		return "", false
	}
	if after := strings.TrimLeft(rest[n:], " \t"); after != "" && after[0] != ',' && after[0] != ')' {
		return "", false
	}
	return name, true
}

func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
