package analyze

import (
	"testing"
	"time"
)

// rust-minidump's JSON report of a crash in cart_total (src/cart.cc:42,
// inlined into checkout at src/checkout.cc:17): analyze --local maps the
// build machine's paths to the repository and names the commit that wrote
// the crashing line first, not the later one that changed checkout.cc away
// from its frame.
func TestSignalMinidumpJSON(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	cart := func(line42 string) string {
		return classFile("#include \"cart.h\"\n\nint cart_total(const cart *c)\n{\n", "\t/* step %d */", map[int]string{42: line42}, 60)
	}
	checkout := func(line8 string) string {
		return classFile("#include \"cart.h\"\n\nint checkout(order *o)\n{\n", "\t/* step %d */", map[int]string{8: line8, 17: "\treturn cart_total(o->cart);"}, 30)
	}
	r.commit(now.Add(-60*24*time.Hour), "shop: cart and checkout", map[string]string{ // before the window
		"src/cart.cc":     cart("\t/* no discount yet */"),
		"src/checkout.cc": checkout("\t/* checkout */"),
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: apply the discount", map[string]string{
		"src/cart.cc": cart("\tint total = c->items->price - c->discount->amount;"),
	})
	r.commit(now.Add(-2*24*time.Hour), "checkout: log the order", map[string]string{
		"src/checkout.cc": checkout("\tlog_order(o);"),
	})
	const dump = `{"status":"OK","crash_info":{"type":"SIGSEGV /SEGV_MAPERR","address":"0x0000000000000008","crashing_thread":4242},
 "threads":[{"thread_name":"shopd","frames":[
  {"frame":0,"trust":"context","module":"shopd","function":"checkout(order*)","file":"/build/shop/src/checkout.cc","line":17,
   "inlines":[{"function":"cart_total(cart const*)","file":"/build/shop/src/cart.cc","line":42}]},
  {"frame":1,"trust":"cfi","module":"shopd","function":"main","file":"/build/shop/src/main.cc","line":9},
  {"frame":2,"trust":"cfi","module":"libc.so.6","function":"__libc_start_call_main","file":null,"line":null}]}],
 "crashing_thread":{"threads_index":0}}`
	s := localSignal(t, r.dir, "crash.json", dump)
	if s.Format != "minidump" || s.Title != "SIGSEGV /SEGV_MAPERR at 0x8" {
		t.Errorf("got format %q, title %q; want the minidump signal titled by its crash", s.Format, s.Title)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != "src/cart.cc" || s.Frames[0].Line != 42 {
		t.Errorf("got frames %+v, want the first (the inlined cart_total) mapped to src/cart.cc:42", s.Frames)
	}
	wantFirst(t, s, culprit)
}
