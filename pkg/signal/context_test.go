package signal

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// The source a report quotes around each frame's line is kept with the
// frame: a Sentry event's pre_context, context_line and post_context; the
// REST API's numbered context, of the lines numbered without a gap around
// the frame's; a Python traceback's source line; the line Node prints
// above an uncaught error, for the frame at its place; the source gdb and
// lldb print where they stop; the source pytest prints of each entry. A
// malformed context is
// left out, and the event is read.
func TestFrameContext(t *testing.T) {
	type want struct {
		lines []string
		at    int
	}
	for _, tt := range []struct {
		name, in string
		want     []want // innermost frame first
	}{{
		name: "ingest",
		in: `{"event_id":"a","platform":"python","exception":{"values":[{"type":"KeyError","value":"price","stacktrace":{"frames":[
{"filename":"app.py","abs_path":"/srv/app.py","function":"main","lineno":3,"in_app":true,"context_line":"    total(cart)"},
{"filename":"shop/cart.py","abs_path":"/srv/shop/cart.py","function":"total","lineno":20,"in_app":true,
 "pre_context":["def total(items):","    s = 0"],"context_line":"    s += items[0]['price']","post_context":["    return s",""]}]}}]}}`,
		want: []want{{[]string{"def total(items):", "    s = 0", "    s += items[0]['price']", "    return s", ""}, 2}, {[]string{"    total(cart)"}, 0}},
	}, {
		name: "REST",
		in: `{"eventID":"a","platform":"python","entries":[{"type":"exception","data":{"values":[{"type":"KeyError","value":"price","stacktrace":{"frames":[
{"filename":"app.py","absPath":"/srv/app.py","function":"main","lineNo":3,"inApp":true,"context":[[1,"import x"],[3,"    total(cart)"],[4,"main()"]]},
{"filename":"shop/cart.py","absPath":"/srv/shop/cart.py","function":"total","lineNo":20,"inApp":true,
 "context":[[18,"def total(items):"],[19,"    s = 0"],[20,"    s += items[0]['price']"],[21,"    return s"]]}]}}]}}]}`,
		want: []want{{[]string{"def total(items):", "    s = 0", "    s += items[0]['price']", "    return s"}, 2}, {[]string{"    total(cart)", "main()"}, 0}},
	}, {
		name: "malformed",
		in: `{"event_id":"a","platform":"python","exception":{"values":[{"type":"KeyError","value":"price","stacktrace":{"frames":[
{"filename":"app.py","function":"main","lineno":3,"in_app":true,"context":[[3]],"pre_context":"x"},
{"filename":"shop/cart.py","function":"total","lineno":20,"in_app":true,"pre_context":[1,null,"    s = 0"],"context_line":"    s += 1","post_context":{"a":1}}]}}]}}`,
		want: []want{{[]string{"", "", "    s = 0", "    s += 1"}, 3}, {nil, 0}},
	}, {
		name: "python",
		in: `Traceback (most recent call last):
  File "/srv/app.py", line 3, in main
    total(cart)
  File "/srv/shop/cart.py", line 20, in total
    s += items[0]['price']
         ~~~~~~~~^^^^^^^^^
KeyError: 'price'
`,
		want: []want{{[]string{"s += items[0]['price']"}, 0}, {[]string{"total(cart)"}, 0}},
	}, {
		name: "node",
		in: `file:///app/src/sync.mjs:2
  return raw.profile.name.trim();
                     ^

TypeError: Cannot read properties of null (reading 'name')
    at parseUser (file:///app/src/sync.mjs:2:22)
    at file:///app/src/sync.mjs:5:32
`,
		want: []want{{[]string{"  return raw.profile.name.trim();"}, 0}, {nil, 0}},
	}, {
		name: "node, the arrow of another place",
		in: `/app/src/other.js:9
  x.y();
    ^

TypeError: boom
    at parseUser (/app/src/sync.js:2:22)
`,
		want: []want{{nil, 0}},
	}, {
		name: "gdb",
		in:   readFile(t, "testdata/gdb/null_deref_bt.txt"),
		want: []want{{[]string{"\treturn c->port; /* @crash */"}, 0}, {nil, 0}},
	}, {
		name: "gdb, a file it could not read",
		in: "Program received signal SIGABRT, Aborted.\n__GI_raise (sig=6) at ./app/raise.c:50\n50\t./app/raise.c: No such file or directory.\n" +
			"#0  __GI_raise (sig=6) at ./app/raise.c:50\n#1  0x0000555555555189 in main () at main.c:3\n",
		want: []want{{nil, 0}, {nil, 0}},
	}, {
		name: "lldb",
		in:   readFile(t, "testdata/lldb/null_deref_bt.txt"),
		want: []want{{[]string{"static int config_port(const char *name)", "{", "\tstruct config *c = find_config(name);", "\treturn c->port; /* @crash */", "}", "", "int main(int argc, char **argv)"}, 3}, {nil, 0}, {nil, 0}, {nil, 0}, {nil, 0}},
	}, {
		name: "pytest, long",
		in:   firstFailure(readFile(t, "testdata/python/pytest_tb_auto.txt")),
		want: []want{
			{[]string{"def nexthops(table, prefix):", "    entry = table[prefix][0]"}, 1},
			{[]string{"hops = nexthops(table, prefix)"}, 0},
			{[]string{"def test_first_hop():", "    table = load(TABLE)", "    assert first_hop(table, \"10.0.0.0/24\") == \"192.0.2.1\""}, 2},
		},
	}, {
		name: "pytest, a long function",
		in: "____ test_long ____\n\n    def test_long():\n" + strings.Repeat("        x = 1\n", 60) +
			">       assert f() == 2\n" + strings.Repeat("        y = 2\n", 9) + "E       assert 1 == 2\n\ntests/test_x.py:70: AssertionError\n",
		want: []want{{[]string{"    x = 1", "    x = 1", "    x = 1", "    x = 1", "    x = 1", "    assert f() == 2", "    y = 2", "    y = 2", "    y = 2", "    y = 2", "    y = 2"}, 5}},
	}, {
		name: "pytest, short",
		in:   firstFailure(readFile(t, "testdata/python/pytest_tb_short.txt")),
		want: []want{{[]string{"entry = table[prefix][0]"}, 0}, {[]string{"hops = nexthops(table, prefix)"}, 0}, {[]string{"assert first_hop(table, \"10.0.0.0/24\") == \"192.0.2.1\""}, 0}},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("event", []byte(tt.in))
			if err != nil || len(sigs) != 1 || len(sigs[0].Frames) != len(tt.want) {
				t.Fatalf("got %+v, %v; want one signal of %d frames", sigs, err, len(tt.want))
			}
			for i, w := range tt.want {
				lines, at := sigs[0].Frames[i].ContextLines()
				if !reflect.DeepEqual(lines, w.lines) || at != w.at {
					t.Errorf("frame %d: got context %q at %d, want %q at %d", i, lines, at, w.lines, w.at)
				}
			}
		})
	}
}

// WithContext keeps five lines on each side, cuts long lines as Sentry
// marks them, and keeps nothing for a blank line or a frame without one.
func TestWithContext(t *testing.T) {
	pre := []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}
	post := []string{"q1", "q2", "q3", "q4", "q5", "q6"}
	lines, at := Frame{Line: 9}.WithContext(pre, strings.Repeat("x", 2000), post).ContextLines()
	if len(lines) != MaxContext || at != 5 || lines[0] != "p3" || lines[10] != "q5" {
		t.Errorf("got %q at %d", lines, at)
	}
	if l := lines[5]; len(l) != MaxContextLine+len(" {snip}") || !strings.HasSuffix(l, " {snip}") {
		t.Errorf("got the long line %d bytes long, ending %q", len(l), l[len(l)-10:])
	}
	if f := (Frame{Line: 9}).WithContext(nil, "  ", nil); f.Context != "" {
		t.Errorf("a blank line: got context %q", f.Context)
	}
	if f := (Frame{}).WithContext(nil, "x", nil); f.Context != "" {
		t.Errorf("no line number: got context %q", f.Context)
	}
	if lines, _ := (Frame{Line: 1}).WithContext([]string{"a\nb"}, "c\r", nil).ContextLines(); !reflect.DeepEqual(lines, []string{"a b", "c"}) {
		t.Errorf("got %q, want line breaks inside lines gone", lines)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstFailure cuts a pytest report after its first failure.
func firstFailure(report string) string {
	head, _, _ := strings.Cut(report, "__________________________________ test_count")
	return head
}
