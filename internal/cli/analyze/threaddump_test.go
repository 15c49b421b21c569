package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// An Android ANR trace: its main thread waits for a lock at
// CartRepository.kt:88, the line a commit made synchronized; analyze
// --local names that commit first, not the later one that changed the
// lock holder's file far from its frame.
func TestSignalANR(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	kotlin := func(pkg, class string, lines map[int]string, n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "package %s\n\nclass %s {\n", pkg, class)
		for i := 4; i < n; i++ {
			if l, ok := lines[i]; ok {
				b.WriteString(l + "\n")
				continue
			}
			fmt.Fprintf(&b, "    // %s step %d\n", class, i)
		}
		b.WriteString("}\n")
		return b.String()
	}
	const (
		repo  = "app/src/main/java/com/example/shop/cart/CartRepository.kt"
		model = "app/src/main/java/com/example/shop/cart/CartViewModel.kt"
		disk  = "app/src/main/java/com/example/shop/storage/DiskCache.kt"
	)
	r.commit(now.Add(-30*24*time.Hour), "shop: cart and disk cache", map[string]string{
		repo:  kotlin("com.example.shop.cart", "CartRepository", map[int]string{88: "    fun load() = store.items()"}, 100),
		model: kotlin("com.example.shop.cart", "CartViewModel", map[int]string{42: "    fun refresh() = repository.load()"}, 60),
		disk:  kotlin("com.example.shop.storage", "DiskCache", map[int]string{210: "    fun flush() = synchronized(store) { write() }"}, 240),
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: read the store under its lock", map[string]string{
		repo: kotlin("com.example.shop.cart", "CartRepository", map[int]string{88: "    fun load() = synchronized(store) { store.items() }"}, 100),
	})
	r.commit(now.Add(-2*24*time.Hour), "disk cache: log its size", map[string]string{
		disk: kotlin("com.example.shop.storage", "DiskCache", map[int]string{
			10:  "    private val log = Logger(\"disk\")",
			210: "    fun flush() = synchronized(store) { write() }",
		}, 240),
	})
	at := now.Add(-time.Hour).In(time.FixedZone("", 3600)).Format("2006-01-02 15:04:05.000000000-0700")
	anr := `----- pid 12345 at ` + at + ` -----
Cmd line: com.example.shop

DALVIK THREADS (25):
"main" prio=5 tid=1 Blocked
  | group="main" sCount=1 ucsCount=0 flags=1 obj=0x72f1a5b8 self=0xb400007c9e6c4c00
  at com.example.shop.cart.CartRepository.load(CartRepository.kt:88)
  - waiting to lock <0x0a1b2c3d> (a com.example.shop.cart.CartStore) held by thread 14
  at com.example.shop.cart.CartViewModel.refresh(CartViewModel.kt:42)
  at android.os.Handler.dispatchMessage(Handler.java:106)
  at android.os.Looper.loop(Looper.java:288)
  at android.app.ActivityThread.main(ActivityThread.java:7918)

"DiskIO" prio=5 tid=14 Sleeping
  at java.lang.Thread.sleep(Native method)
  at com.example.shop.storage.DiskCache.flush(DiskCache.kt:210)
  - locked <0x0a1b2c3d> (a com.example.shop.cart.CartStore)
  at java.lang.Thread.run(Thread.java:1012)

----- end 12345 -----
`
	s := localSignal(t, r.dir, "traces.txt", anr)
	if s.Format != "anr" || !strings.HasPrefix(s.Title, "ANR in com.example.shop: main thread Blocked") || len(s.Stacks) != 2 {
		t.Errorf("got format %q, title %q, stacks %q; want the ANR's main thread and DiskIO", s.Format, s.Title, s.Stacks)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != repo || s.Frames[0].Line != 88 {
		t.Errorf("got frames %+v, want the first mapped to %s:88", s.Frames, repo)
	}
	wantFirst(t, s, culprit)
}
