package suspect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
)

func TestSymverTarget(t *testing.T) {
	lib := strings.Join([]string{
		"int xsk_umem__create_v0_0_4(struct xsk_umem **umem_ptr, void *umem_area,",
		"\t\t\t    const struct xsk_umem_config *usr_config)",
		"{",
		"\treturn 0;",
		"}",
		"",
		"int xsk_umem__create_v0_0_2(struct xsk_umem **umem_ptr, void *umem_area)",
		"{",
		"\treturn xsk_umem__create_v0_0_4(umem_ptr, umem_area, NULL);",
		"}",
		"COMPAT_VERSION(xsk_umem__create_v0_0_2, xsk_umem__create, LIBBPF_0.0.2)",
		"DEFAULT_VERSION(xsk_umem__create_v0_0_4, xsk_umem__create, LIBBPF_0.0.4)",
	}, "\n")
	asm := strings.Join([]string{
		"static int open_v2(const char *p)",
		"{",
		"\treturn 0;",
		"}",
		`asm(".symver open_v2, lib_open@@LIB_2.0");`,
	}, "\n")
	for _, tc := range []struct {
		src, fn, want string
	}{
		{lib, "xsk_umem__create@@LIBBPF_0.0.4", "xsk_umem__create_v0_0_4"},
		{lib, "xsk_umem__create@LIBBPF_0.0.2", "xsk_umem__create_v0_0_2"},
		{lib, "xsk_umem__create@@LIBBPF_0.0.4+0x1c", "xsk_umem__create_v0_0_4"},
		{asm, "lib_open@@LIB_2.0", "open_v2"},
		{lib, "xsk_umem__create", ""},                     // no version
		{lib, "xsk_umem__create@@LIBBPF_0.0.9", ""},       // a version the file does not bind
		{lib, "xsk_umem__delete@@LIBBPF_0.0.4", ""},       // a symbol the file does not bind
		{"DEFAULT_VERSION(f_v1, f, V_1)\n", "f@@V_1", ""}, // bound to a function defined elsewhere
	} {
		if got := symverTarget(splitFile([]byte(tc.src)), tc.fn); got != tc.want {
			t.Errorf("symverTarget(%q) = %q, want %q", tc.fn, got, tc.want)
		}
	}
}

// TestVersionedSymbolFrame: a frame names a versioned symbol
// ("lib_create@@LIB_0.0.4"), which the file binds to lib_create_v0_0_4
// since the commit that added the binding, and defines under its plain name
// before it. Looked up by its plain name, the frame's function fits only
// the version before the binding, so the blame would start there and leave
// out the very commit that changed the function; bound, the frame fits the
// failing version and that commit has function evidence.
func TestVersionedSymbolFrame(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	body := []string{"\tint fd = socket();", "\tint a = 1;", "\tint b = 2;", "\tint c = 3;", "\tsetsockopt(fd, a, b, c);", "\treturn fd;"}
	def := func(name, params string, extra ...string) string {
		return "int " + name + "(" + params + ")\n{\n" + strings.Join(append(slices.Clone(extra), body...), "\n") + "\n}\n"
	}
	repo.WriteFile("src/lib.c", "#include \"lib.h\"\n\n"+def("lib_create", "struct cfg *cfg"))
	repo.Commit("lib: first") // before the window
	repo.WriteFile("src/lib.c", "#include \"lib.h\"\n#include <unistd.h>\n\n"+def("lib_create", "struct cfg *cfg"))
	repo.Commit("lib: include unistd.h")
	repo.WriteFile("src/lib.c", "#include \"lib.h\"\n#include <unistd.h>\n\n"+def("lib_create_v0_0_4", "struct cfg *cfg, int flags", "\tcfg->flags = flags;")+
		"\nDEFAULT_VERSION(lib_create_v0_0_4, lib_create, LIB_0.0.4)\n")
	culprit := repo.Commit("lib: add flags")

	// The setsockopt call is line 11 after the culprit, inside
	// lib_create_v0_0_4; before it line 11 is still inside lib_create.
	res, _, _ := rankNow(t, repo.Dir, "lib: first", frame("src/lib.c", 11, "lib_create@@LIB_0.0.4"), "src/lib.c", culprit)
	if got := hashes(res); len(got) == 0 || got[0] != culprit {
		t.Errorf("got %v (notes %q), want %s (it changed the bound function) first", got, res.Notes, culprit)
	}
	if k := evidenceKinds(res, culprit); !slices.Contains(k, KindFunction) && !slices.Contains(k, KindLine) {
		t.Errorf("the culprit has evidence %v, want function or line evidence", k)
	}
	if res.Frames[0].Function != "lib_create@@LIB_0.0.4" {
		t.Errorf("the report's frame is %q, want it as the signal gave it", res.Frames[0].Function)
	}
}
