package diffstat

import (
	"strings"
	"testing"
)

func TestAsmDefinition(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ENTRY(vmx_asm_do_vmentry)", "vmx_asm_do_vmentry", true},
		{"  FUNC_LOCAL(restore_all_xen)", "restore_all_xen", true},
		{"SYM_FUNC_START(memcpy)", "memcpy", true},
		{"SYM_INNER_LABEL(entry_SYSCALL_64_after_hwframe, SYM_L_GLOBAL)", "entry_SYSCALL_64_after_hwframe", true},
		{"SYM_CODE_START_LOCAL( .Lbad_gs )", ".Lbad_gs", true},
		{"static int foo(void)", "", false},
		{"ENTRY(", "", false},
		{"ENTRY()", "", false},
		{"ENTRY(1abc)", "", false},
		{"ENTRY(a b)", "", false},
		{"END(vmx_asm_do_vmentry)", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := AsmDefinition(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("AsmDefinition(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMacroDefinition(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"DEFUN (show_ip_bgp, show_ip_bgp_cmd,", "show_ip_bgp", true},
		{"DEFPY(clear_ip_route, clear_ip_route_cmd, \"clear ip route\")", "clear_ip_route", true},
		{"LATEST_SYMVER_FUNC(ibv_create_cq, 1_1, \"IBVERBS_1.1\",", "ibv_create_cq", true},
		{"DEFUN_NOSH (show_bgp)", "show_bgp", true},
		{"MODULE_LICENSE(\"GPL\");", "", false},
		{"DEFINE_X(CONST_NAME, 1)", "", false},
		{"static int foo(int a)", "", false},
		{"FOO(int a)", "", false},
		{"X(foo)", "", false},
		{"DEFUN(1abc, x)", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := MacroDefinition(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MacroDefinition(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzAsmDefinition feeds lines to AsmDefinition and MacroDefinition: a
// name found is part of the line.
func FuzzAsmDefinition(f *testing.F) {
	for _, s := range []string{"ENTRY(x)", "SYM_INNER_LABEL(a, b)", "FUNC(", "GLOBAL()", "x:", "DEFUN (show, show_cmd,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, ok := AsmDefinition(s)
		if ok != (name != "") {
			t.Fatalf("AsmDefinition(%q) = %q, %v", s, name, ok)
		}
		if ok && !strings.Contains(s, name) {
			t.Fatalf("AsmDefinition(%q) = %q, not part of the line", s, name)
		}
		// The C definition macros, read the same way.
		name, ok = MacroDefinition(s)
		if ok != (name != "") || ok && (!strings.Contains(s, name) || strings.ToUpper(name) == name) {
			t.Fatalf("MacroDefinition(%q) = %q, %v", s, name, ok)
		}
	})
}
