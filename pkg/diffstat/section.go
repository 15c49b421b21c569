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
