package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The real ProGuard mapping of pkg/retrace/testdata/proguard: Cart.priceOf
// (Cart.java:24) inlined into Cart.total, obfuscated as com.shop.a.a.
const proguardDir = "../../../pkg/retrace/testdata/proguard"

// obfuscatedCrash is an Android crash of that build as logcat prints it
// an hour ago: the app's frames obfuscated, the framework's not.
var obfuscatedCrash = strings.ReplaceAll(`--------- beginning of crash
03-17 16:13:47.123  4242  4242 E AndroidRuntime: FATAL EXCEPTION: main
03-17 16:13:47.123  4242  4242 E AndroidRuntime: Process: com.shop, PID: 4242
03-17 16:13:47.123  4242  4242 E AndroidRuntime: java.lang.IllegalStateException: checkout failed
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	at com.shop.d.a(SourceFile:15)
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	at com.shop.Main.main(SourceFile:9)
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	at android.view.View.performClick(View.java:7448)
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	at android.os.Handler.handleCallback(Handler.java:942)
03-17 16:13:47.123  4242  4242 E AndroidRuntime: Caused by: com.shop.c: no price for pear
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	at com.shop.a.a(SourceFile:1024)
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	at com.shop.d.a(SourceFile:13)
03-17 16:13:47.123  4242  4242 E AndroidRuntime: 	... 3 more
`, "03-17 16:13:47.123", time.Now().Add(-time.Hour).Format("01-02 15:04:05.000"))

// javaShopRepo is a repository of the ProGuard test program: the first
// commit, older than the window analyzed, adds it with Cart.java's line 24 returning 0 for an item without
// a price, the second makes that line throw (the crash's line), the third,
// the newest, changes Main.java's comment.
func javaShopRepo(t *testing.T) (r *repo, culprit string) {
	t.Helper()
	src := func(name string) string { return readText(t, proguardDir, "src/com/shop", name) }
	const dir = "src/main/java/com/shop/"
	cart := src("Cart.java")
	throwLine := "            throw new CartException(\"no price for \" + item.name);"
	if lines := strings.Split(cart, "\n"); len(lines) < 24 || lines[23] != throwLine {
		t.Fatalf("Cart.java's line 24 is not the throw")
	}
	now := time.Now().UTC()
	r = newRepo(t)
	r.commit(now.Add(-60*24*time.Hour), "shop: cart, checkout and main", map[string]string{
		dir + "Cart.java":          strings.Replace(cart, throwLine, "            return 0;", 1),
		dir + "CartException.java": src("CartException.java"),
		dir + "Checkout.java":      src("Checkout.java"),
		dir + "Main.java":          src("Main.java"),
	})
	culprit = r.commit(now.Add(-5*24*time.Hour), "cart: refuse an item without a price", map[string]string{
		dir + "Cart.java": cart,
	})
	r.commit(now.Add(-24*time.Hour), "main: say what it does", map[string]string{
		dir + "Main.java": strings.Replace(src("Main.java"), "/** Fills a cart", "/** Fills a small cart", 1),
	})
	return r, culprit
}

// analyzeOne runs analyze --local on the signal text with args and returns
// the report's one signal.
func analyzeOne(t *testing.T, dir, name, text string, args ...string) SignalReport {
	t.Helper()
	sig := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(sig, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return analyzeFile(t, dir, sig, args...)
}

// wantFirst fails t now unless the signal's first suspect is culprit.
func wantFirst(t *testing.T, s SignalReport, culprit string) {
	t.Helper()
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != culprit {
		t.Fatalf("got suspects %+v (reason %q), want %s first", s.Suspects, s.Reason, culprit)
	}
}

// analyzeFile runs analyze --local dir on the signal file sig with args,
// as JSON, and returns its one signal; an exit other than 0 fails t.
func analyzeFile(t *testing.T, dir, sig string, args ...string) SignalReport {
	t.Helper()
	e := newEnv(t, "", nil, nil)
	if code := e.run(t, append([]string{"--local", dir, "--signal", sig, "-o", "json"}, args...)...); code != 0 {
		t.Fatalf("got exit %d; stderr %s", code, e.err.String())
	}
	rep := e.report(t)
	if len(rep.Signals) != 1 {
		t.Fatalf("got %d signals, want 1", len(rep.Signals))
	}
	return rep.Signals[0]
}

// An R8/ProGuard-obfuscated Android crash with --proguard-mapping: its
// innermost frame is Cart.priceOf at Cart.java:24, inlined into total, and
// the commit that wrote that line comes first. Without the mapping the
// app's frames are unreadable: that commit is not first, and a note says
// to give the mapping.
func TestRetraceProGuard(t *testing.T) {
	r, culprit := javaShopRepo(t)
	mapping := filepath.Join(proguardDir, "mapping.txt")

	s := analyzeOne(t, r.dir, "crash.txt", obfuscatedCrash, "--proguard-mapping", mapping)
	if s.Title != "java.lang.IllegalStateException: checkout failed" || len(s.Frames) < 2 {
		t.Fatalf("got title %q, frames %+v", s.Title, s.Frames)
	}
	f := s.Frames[0]
	if f.Function != "com.shop.Cart.priceOf" || f.Path != "src/main/java/com/shop/Cart.java" || f.Line != 24 ||
		s.Frames[1].Function != "com.shop.Cart.total" || s.Frames[1].Line != 17 {
		t.Errorf("got frames %+v; want Cart.priceOf at Cart.java:24, then Cart.total at 17", s.Frames)
	}
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != culprit {
		t.Errorf("got suspects %+v (reason %q), want %s first", s.Suspects, s.Reason, culprit)
	}
	for _, n := range s.Notes {
		if strings.Contains(n, "proguard-mapping") {
			t.Errorf("retraced, yet the note %q", n)
		}
	}

	s = analyzeOne(t, r.dir, "crash.txt", obfuscatedCrash)
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without the mapping, got %s first", culprit)
	}
	if n := strings.Join(s.Notes, "\n"); strings.Count(n, "--proguard-mapping") != 1 {
		t.Errorf("without the mapping, got notes %q; want one suggesting --proguard-mapping", s.Notes)
	}

	// A mapping of another build names none of the trace's classes.
	other := filepath.Join(t.TempDir(), "other.txt")
	if err := os.WriteFile(other, []byte("com.other.Thing -> x.y:\n    1:1:void run():3 -> a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = analyzeOne(t, r.dir, "crash.txt", obfuscatedCrash, "--proguard-mapping", other)
	if n := strings.Join(s.Notes, "\n"); !strings.Contains(n, "no frame was retraced") || !strings.Contains(n, other) {
		t.Errorf("with another build's mapping, got notes %q", s.Notes)
	}
}

// A Sentry event of the same crash, sent without a mapping (so Sentry
// kept the obfuscated names): its frames are retraced one by one.
func TestRetraceSentryEvent(t *testing.T) {
	r, culprit := javaShopRepo(t)
	ts := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	event := `{"event_id":"9f1c2b7e4d3a4c5b8e6f7a8b9c0d1e2f","platform":"java","timestamp":"` + ts + `",
 "exception":{"values":[
  {"type":"c","module":"com.shop","value":"no price for pear","stacktrace":{"frames":[
   {"module":"com.shop.Main","function":"main","filename":"SourceFile","lineno":9,"in_app":true},
   {"module":"com.shop.d","function":"a","filename":"SourceFile","lineno":13,"in_app":true},
   {"module":"com.shop.a","function":"a","filename":"SourceFile","lineno":1024,"in_app":true}]}},
  {"type":"IllegalStateException","module":"java.lang","value":"checkout failed","stacktrace":{"frames":[
   {"module":"com.shop.Main","function":"main","filename":"SourceFile","lineno":9,"in_app":true},
   {"module":"com.shop.d","function":"a","filename":"SourceFile","lineno":15,"in_app":true}]}}]}}`
	mapping := filepath.Join(proguardDir, "mapping.txt")
	s := analyzeOne(t, r.dir, "event.json", event, "--proguard-mapping", mapping)
	if len(s.Frames) < 2 || s.Frames[0].Function != "priceOf" || s.Frames[0].Path != "src/main/java/com/shop/Cart.java" || s.Frames[0].Line != 24 ||
		s.Frames[1].Function != "total" || s.Frames[1].Line != 17 {
		t.Errorf("got frames %+v; want Cart.priceOf at Cart.java:24, then Cart.total at 17", s.Frames)
	}
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != culprit {
		t.Errorf("got suspects %+v (reason %q), want %s first", s.Suspects, s.Reason, culprit)
	}

	s = analyzeOne(t, r.dir, "event.json", event)
	if len(s.Suspects) > 0 && s.Suspects[0].Hash == culprit {
		t.Errorf("without the mapping, got %s first", culprit)
	}
	if n := strings.Join(s.Notes, "\n"); strings.Count(n, "--proguard-mapping") != 1 {
		t.Errorf("without the mapping, got notes %q; want one suggesting --proguard-mapping", s.Notes)
	}
}

// A mapping that cannot be read is a usage error naming the file.
func TestRetraceBadMapping(t *testing.T) {
	r, _ := javaShopRepo(t)
	sig := filepath.Join(t.TempDir(), "crash.txt")
	if err := os.WriteFile(sig, []byte(obfuscatedCrash), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, []byte("# compiler: R8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{filepath.Join(t.TempDir(), "missing.txt"), empty} {
		e := newEnv(t, "", nil, nil)
		err := e.runCtx(t.Context(), "--local", r.dir, "--signal", sig, "--proguard-mapping", m)
		if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), m) {
			t.Errorf("--proguard-mapping %s: got %v (exit %d), want a usage error naming the file", m, err, exitCode(err))
		}
	}
}
