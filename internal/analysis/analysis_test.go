package analysis

import (
	"fmt"
	"strings"
	"testing"
)

func TestSameNamed(t *testing.T) {
	tree := []string{"commit.c", "builtin/commit.c", "commit.h", "src/xmpp/omemo.c", "src/omemo/omemo.c", "xcommit.c"}
	many := []string{}
	for i := 0; i <= maxSameNamed; i++ {
		many = append(many, fmt.Sprintf("d%d/util.c", i))
	}
	for _, tc := range []struct {
		tree []string
		file string
		want string
	}{
		{tree, "commit.c", "commit.c,builtin/commit.c"},
		{tree, "/build/git/commit.c", "commit.c,builtin/commit.c"},
		{tree, `C:\src\builtin\commit.c`, "builtin/commit.c"},
		{tree, "omemo.c", "src/xmpp/omemo.c,src/omemo/omemo.c"},
		{tree, "xmpp/omemo.c", "src/xmpp/omemo.c"},
		{tree, "missing.c", ""},
		{many, "util.c", ""}, // too many to read
		{many[:maxSameNamed], "util.c", strings.Join(many[:maxSameNamed], ",")},
	} {
		if got := strings.Join(sameNamed(tc.tree, tc.file), ","); got != tc.want {
			t.Errorf("sameNamed(%q): got %q, want %q", tc.file, got, tc.want)
		}
	}
}
