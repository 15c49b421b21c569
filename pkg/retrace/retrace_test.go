package retrace

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/signal"
)

// r8Mapping is written by hand from R8's published format: a header,
// sourceFile metadata, an inline chain through another class, ranges
// mapped to ranges and to one line, overloads sharing an obfuscated name,
// methods without line information and a synthesized lambda class.
const r8Mapping = `# compiler: R8
# compiler_version: 8.5.35
# min_api: 24
# pg_map_id: 5b7c2de
# common_typos_disable
# {"id":"com.android.tools.r8.mapping","version":"2.2"}
com.shop.Cart -> a.b.c:
# {"id":"sourceFile","fileName":"Cart.kt"}
    java.util.List items -> a
    1:4:int total():40:43 -> a
    5:5:int com.shop.Prices.priceOf(com.shop.Cart$Item):24:24 -> a
    5:5:int total():41 -> a
    6:8:int total():44:46 -> a
    9:12:int total():50 -> a
    1:1:void add(com.shop.Cart$Item):12:12 -> b
    2:3:void add(java.lang.String,int):15:16 -> b
    void clear() -> c
    void reset() -> e
    void reset(int) -> e
com.shop.Prices -> a.b.d:
# {"id":"sourceFile","fileName":"Prices.kt"}
    1:3:int priceOf(com.shop.Cart$Item):22:24 -> a
com.shop.CartException -> a.b.e:
# {"id":"sourceFile","fileName":"Cart.kt"}
    1:1:void <init>(java.lang.String):7:7 -> <init>
com.shop.Cart$Item -> a.b.f:
    1:1:java.lang.String name():30:30 -> a
com.shop.Checkout$$ExternalSyntheticLambda0 -> a.b.g:
# {"id":"com.android.tools.r8.synthesized"}
    1:1:void com.shop.Checkout.lambda$pay$0(com.shop.Cart):33:33 -> run
    1:1:void run():0 -> run
com.shop.Main -> com.shop.Main:
    1:3:void main(java.lang.String[]):5:7 -> main
    4:4:void com.shop.Checkout.lambda$main$1():228 -> run
    4:4:void run():4 -> run
    # {"id":"com.android.tools.r8.synthesized"}
`

func mustParse(t testing.TB, name, text string) *Mapping {
	t.Helper()
	m, err := Parse(name, strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFrameR8(t *testing.T) {
	m := mustParse(t, "mapping.txt", r8Mapping)
	if m.Malformed != 0 || m.Classes != 6 {
		t.Fatalf("got %d classes, %d malformed lines; want 6 and 0", m.Classes, m.Malformed)
	}
	cart := func(method string, line int) Frame {
		return Frame{Class: "com.shop.Cart", Method: method, File: "Cart.kt", Line: line}
	}
	tests := []struct {
		name         string
		class, meth  string
		line         int
		want         []Frame
		ambiguous    bool
		notInMapping bool
	}{
		{name: "range to range", class: "a.b.c", meth: "a", line: 3, want: []Frame{cart("total", 42)}},
		{name: "range to range, first line", class: "a.b.c", meth: "a", line: 6, want: []Frame{cart("total", 44)}},
		{name: "range to one line", class: "a.b.c", meth: "a", line: 11, want: []Frame{cart("total", 50)}},
		{name: "inline chain through another class", class: "a.b.c", meth: "a", line: 5, want: []Frame{
			{Class: "com.shop.Prices", Method: "priceOf", File: "Prices.kt", Line: 24}, cart("total", 41)}},
		{name: "line outside every range, one method", class: "a.b.c", meth: "a", line: 99, want: []Frame{cart("total", 0)}},
		{name: "no line, one method", class: "a.b.c", meth: "a", line: 0, want: []Frame{cart("total", 0)}},
		{name: "overload by range", class: "a.b.c", meth: "b", line: 3, want: []Frame{cart("add", 16)}},
		{name: "overloads, line outside their ranges", class: "a.b.c", meth: "b", line: 9, ambiguous: true},
		{name: "overloads without lines", class: "a.b.c", meth: "e", line: 4, ambiguous: true},
		{name: "no line information keeps the line", class: "a.b.c", meth: "c", line: 7, want: []Frame{cart("clear", 7)}},
		{name: "method not in the mapping", class: "a.b.c", meth: "zz", line: 3, want: []Frame{cart("zz", 3)}},
		{name: "nested class: its outer class's source file", class: "a.b.f", meth: "a", line: 1, want: []Frame{
			{Class: "com.shop.Cart$Item", Method: "name", File: "Cart.kt", Line: 30}}},
		{name: "synthesized class's frame left out", class: "a.b.g", meth: "run", line: 1, want: []Frame{
			{Class: "com.shop.Checkout", Method: "lambda$pay$0", File: "Checkout.java", Line: 33}}},
		{name: "synthesized method left out", class: "com.shop.Main", meth: "run", line: 4, want: []Frame{
			{Class: "com.shop.Checkout", Method: "lambda$main$1", File: "Checkout.java", Line: 228}}},
		{name: "identity class", class: "com.shop.Main", meth: "main", line: 2, want: []Frame{
			{Class: "com.shop.Main", Method: "main", File: "Main.java", Line: 6}}},
		{name: "constructor", class: "a.b.e", meth: "<init>", line: 1, want: []Frame{
			{Class: "com.shop.CartException", Method: "<init>", File: "Cart.kt", Line: 7}}},
		{name: "class not in the mapping", class: "java.lang.Thread", meth: "run", line: 1, notInMapping: true},
		{name: "no method", class: "a.b.c", meth: "", line: 1, notInMapping: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note, ok := m.Frame(tt.class, tt.meth, tt.line)
			switch {
			case tt.notInMapping:
				if ok || got != nil {
					t.Errorf("got %+v, %v; want no mapping", got, ok)
				}
			case tt.ambiguous:
				if !ok || got != nil || !strings.Contains(note, "ambiguous") {
					t.Errorf("got %+v, note %q; want none and an ambiguity note", got, note)
				}
			default:
				if !ok || note != "" || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %+v (note %q), want %+v", got, note, tt.want)
				}
			}
		})
	}
	_, note, _ := m.Frame("a.b.c", "b", 9)
	if !strings.Contains(note, "com.shop.Cart.add(com.shop.Cart$Item)") || !strings.Contains(note, "com.shop.Cart.add(java.lang.String,int)") {
		t.Errorf("note %q does not name both overloads", note)
	}
}

// The real ProGuard trace retraces to what ProGuard's own ReTrace
// printed, line for line, and the Java parser reads the same frames from
// both.
func TestTextProGuard(t *testing.T) {
	dir := filepath.Join("testdata", "proguard")
	m, err := Load(filepath.Join(dir, "mapping.txt"))
	if err != nil {
		t.Fatal(err)
	}
	trace, err := os.ReadFile(filepath.Join(dir, "trace.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "retraced-proguard.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got, st := Set{m}.Text(trace)
	if string(got) != string(want) {
		t.Errorf("got\n%s\nwant (ProGuard's ReTrace)\n%s", got, want)
	}
	if st.Retraced != 4 || st.Obfuscated != 4 || len(st.Notes) != 0 || m.Malformed != 0 {
		t.Errorf("got stats %+v, %d malformed lines", st, m.Malformed)
	}
	gs, err := signal.Parse("got", got)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := signal.Parse("want", want)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || !reflect.DeepEqual(gs[0].Frames, ws[0].Frames) || gs[0].Title != ws[0].Title {
		t.Fatalf("got signals %+v, want %+v", gs, ws)
	}
	f := gs[0].Frames
	if len(f) != 5 || f[0].File != "com/shop/Cart.java" || f[0].Line != 24 || f[0].Function != "com.shop.Cart.priceOf" ||
		f[1].Function != "com.shop.Cart.total" || f[1].Line != 17 {
		t.Errorf("got frames %+v; want Cart.priceOf at Cart.java:24 inlined into total at 17 first", f)
	}
}

func TestTextR8(t *testing.T) {
	m := mustParse(t, "mapping.txt", r8Mapping)
	in := "03-17 16:13:47.123  4242  4242 E AndroidRuntime: FATAL EXCEPTION: main\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: Process: com.shop, PID: 4242\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: java.lang.RuntimeException: checkout failed\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat a.b.g.run(SourceFile:1)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat android.os.Handler.handleCallback(Handler.java:942)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: Caused by: a.b.e: no price\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat a.b.c.a(SourceFile:5)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat a.b.c.b(SourceFile:9)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat a.b.c.c(Unknown Source:7)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat a.b.f.a(Native Method)\r\n" +
		"E/AndroidRuntime( 4242): Caused by: a.b.e\n" +
		"\tat a.b.c.a (SourceFile:2) ~[app.jar:?]\n" +
		"Exception in thread \"main\" a.b.e: boom\n" +
		"\tat a.b.c.a"
	want := "03-17 16:13:47.123  4242  4242 E AndroidRuntime: FATAL EXCEPTION: main\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: Process: com.shop, PID: 4242\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: java.lang.RuntimeException: checkout failed\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat com.shop.Checkout.lambda$pay$0(Checkout.java:33)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat android.os.Handler.handleCallback(Handler.java:942)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: Caused by: com.shop.CartException: no price\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat com.shop.Prices.priceOf(Prices.kt:24)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat com.shop.Cart.total(Cart.kt:41)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat a.b.c.b(SourceFile:9)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat com.shop.Cart.clear(Cart.kt:7)\r\n" +
		"03-17 16:13:47.123  4242  4242 E AndroidRuntime: \tat com.shop.Cart$Item.name(Native Method)\r\n" +
		"E/AndroidRuntime( 4242): Caused by: com.shop.CartException\n" +
		"\tat com.shop.Cart.total (Cart.kt:41) ~[app.jar:?]\n" +
		"Exception in thread \"main\" com.shop.CartException: boom\n" +
		"\tat com.shop.Cart.total(Cart.kt)"
	got, st := Set{m}.Text([]byte(in))
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if st.Retraced != 7 || st.Obfuscated != 7 || len(st.Notes) != 1 || !strings.Contains(st.Notes[0], "a.b.c.b at line 9, outside its ranges, is ambiguous") {
		t.Errorf("got stats %+v", st)
	}
	sigs, err := signal.Parse("logcat", got)
	if err != nil || len(sigs) == 0 {
		t.Fatalf("the retraced text parses to %v, %v", sigs, err)
	}
	found := false
	for _, f := range sigs[0].Frames {
		found = found || f.File == "com/shop/Prices.kt" && f.Line == 24 && f.Function == "com.shop.Prices.priceOf"
	}
	if !found {
		t.Errorf("got frames %+v; want Prices.priceOf at Prices.kt:24", sigs[0].Frames)
	}
}

// Text without a mapping, or with one naming none of the text's classes,
// changes nothing and counts the frames that look obfuscated.
func TestTextUnchanged(t *testing.T) {
	in := []byte("java.lang.IllegalStateException: x\n\tat a.b.c.a(SourceFile:12)\n\tat com.shop.Cart.total(Cart.java:3)\n\tat x.y.ab.run(Unknown Source)\nCaused by: a.b.e: y\n")
	for _, s := range []Set{nil, {mustParse(t, "other", "com.other.X -> q.r:\n")}} {
		got, st := s.Text(in)
		if !bytes.Equal(got, in) || st.Obfuscated != 2 || st.Retraced != 0 {
			t.Errorf("got %q, %+v", got, st)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	text := "    1:1:void orphan() -> a\n" + // before any class
		"not a mapping line\n" +
		"com.a.B -> b\n" + // no colon
		"com.a.C -> c:\n" +
		"    1:x:void a() -> b\n" +
		"    9:1:void a() -> b\n" +
		"    int -> a\n" +
		"    1:2:void ok():3:4 -> d\n" +
		"    void bad():3:x -> e\n" +
		"    " + strings.Repeat("x", maxLineBytes+10) + "\n" +
		"    void after() -> f\n"
	m := mustParse(t, "bad", text)
	if m.Malformed != 8 || m.Classes != 1 {
		t.Errorf("got %d malformed lines, %d classes; want 8 and 1", m.Malformed, m.Classes)
	}
	if got, _, _ := m.Frame("c", "d", 2); len(got) != 1 || got[0].Line != 4 {
		t.Errorf("the good line after bad ones: got %+v", got)
	}
	if got, _, _ := m.Frame("c", "f", 0); len(got) != 1 || got[0].Method != "after" {
		t.Errorf("the line after a too long one: got %+v", got)
	}
}

func TestLoadTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mapping.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxMappingBytes + 1); err != nil {
		t.Skip("no sparse file:", err)
	}
	f.Close()
	if _, err := Load(p); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.txt")); err == nil {
		t.Error("a missing file loaded")
	}
}

// Several mappings: each class is retraced by the mapping that names it.
func TestSet(t *testing.T) {
	a := mustParse(t, "app", "com.shop.Cart -> a.a:\n    1:1:void total():9 -> a\n")
	b := mustParse(t, "lib", "com.lib.Util -> b.a:\n    1:1:void run():5 -> a\n")
	s := Set{a, nil, b}
	if f, _, ok := s.Frame("b.a", "a", 1); !ok || f[0].Class != "com.lib.Util" || f[0].Line != 5 {
		t.Errorf("got %+v", f)
	}
	if c, ok := s.Class("a.a"); !ok || c != "com.shop.Cart" {
		t.Errorf("got %q", c)
	}
}

func TestLooksObfuscated(t *testing.T) {
	for _, tt := range []struct {
		cls, loc string
		want     bool
	}{
		{"a.b.c", "SourceFile:12", true},
		{"com.shop.Cart", "SourceFile", true},
		{"a.b.c", "Unknown Source:4", true},
		{"com.shop.ab", "Cart.java:3", true},
		{"com.shop.Cart", "Cart.java:3", false},
		{"java.lang.Thread", "Thread.java:1012", false},
		{"sun.reflect.GeneratedMethodAccessor1", "Unknown Source", false},
		{"a", "Unknown Source", false},
	} {
		if got := LooksObfuscated(tt.cls, tt.loc); got != tt.want {
			t.Errorf("LooksObfuscated(%q, %q) = %v", tt.cls, tt.loc, got)
		}
	}
}

// FuzzMapping parses any mapping and retraces frames and a trace with it:
// no panic, and every frame it gives has a class, a method and a file.
func FuzzMapping(f *testing.F) {
	real, _ := os.ReadFile(filepath.Join("testdata", "proguard", "mapping.txt"))
	f.Add(real, "com.shop.a", "a", 1024)
	f.Add([]byte(r8Mapping), "a.b.c", "a", 5)
	f.Add([]byte(r8Mapping), "a.b.c", "b", 9)
	f.Add([]byte("a -> b:\n    1:1:void x():2 -> y\n    1:1:void z():3 -> y\n# {\"id\":\"sourceFile\",\"fileName\":\"A.kt\"}\n"), "b", "y", 1)
	f.Fuzz(func(t *testing.T, mapping []byte, cls, method string, line int) {
		m, err := Parse("fuzz", bytes.NewReader(mapping))
		if err != nil {
			t.Fatal(err)
		}
		frames, _, ok := m.Frame(cls, method, line)
		for _, fr := range frames {
			if !ok || fr.Class == "" || fr.Method == "" || fr.File == "" {
				t.Fatalf("frame %+v", fr)
			}
		}
		trace := "x.Y: z\n\tat " + cls + "." + method + "(SourceFile:" + strings.Repeat("1", line&3) + ")\nCaused by: " + cls + ": w\n"
		out, _ := Set{m}.Text([]byte(trace))
		if len(out) == 0 {
			t.Fatal("no text")
		}
	})
}
