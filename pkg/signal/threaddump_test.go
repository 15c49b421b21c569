package signal

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// anrLockHolder is an ANR whose main thread waits for a lock thread 14
// holds.
const anrLockHolder = `----- pid 12345 at 2026-11-30 10:15:22.123456789+0100 -----
Cmd line: com.example.shop
Build fingerprint: 'google/oriole/oriole:14/UQ1A.240205.004/11269751:user/release-keys'
ABI: 'arm64'

suspend all histogram:	Sum: 123us 99% C.I. 1us-44us Avg: 5us Max: 44us
DALVIK THREADS (25):
"main" prio=5 tid=1 Blocked
  | group="main" sCount=1 ucsCount=0 flags=1 obj=0x72f1a5b8 self=0xb400007c9e6c4c00
  | sysTid=12345 nice=-10 cgrp=top-app sched=0/0 handle=0x7dc6e7c4f8
  | held mutexes=
  at com.example.shop.cart.CartRepository.load(CartRepository.kt:88)
  - waiting to lock <0x0a1b2c3d> (a java.lang.Object) held by thread 14
  at com.example.shop.cart.CartViewModel.refresh(CartViewModel.kt:42)
  at android.os.Handler.dispatchMessage(Handler.java:106)
  at android.os.Looper.loop(Looper.java:288)
  at android.app.ActivityThread.main(ActivityThread.java:7918)
  at java.lang.reflect.Method.invoke(Native method)
  at com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)

"Signal Catcher" daemon prio=10 tid=6 Runnable
  | group="system" sCount=0 ucsCount=0 flags=0 obj=0x12c40260 self=0xb400007c9e6d8000
  native: #00 pc 00000000004f5d24  /apex/com.android.art/lib64/libart.so (art::DumpNativeStack+108)
  native: #01 pc 00000000005a2b14  /apex/com.android.art/lib64/libart.so (art::Thread::DumpStack+368)
  (no managed stack frames)

"DiskIO" prio=5 tid=14 Sleeping
  | group="main" sCount=1 ucsCount=0 flags=1 obj=0x12c80000 self=0xb400007c9e700000
  at java.lang.Thread.sleep(Native method)
  - sleeping on <0x0e1f2a3b> (a java.lang.Object)
  at com.example.shop.storage.DiskCache.flush(DiskCache.kt:210)
  - locked <0x0a1b2c3d> (a java.lang.Object)
  at com.example.shop.storage.DiskCache$worker$1.run(DiskCache.kt:64)
  at java.lang.Thread.run(Thread.java:1012)

----- end 12345 -----
`

// anrPlayConsole is the same kind of ANR as Google Play Console shows it.
const anrPlayConsole = `"main" tid=1 Blocked
  at com.example.shop.cart.CartRepository.load (CartRepository.kt:88)
  - waiting to lock <0x0a1b2c3d> (a com.example.shop.cart.CartStore) held by thread 23
  at com.example.shop.cart.CartViewModel.refresh (CartViewModel.kt:42)
  at android.os.Handler.dispatchMessage (Handler.java:106)
  at android.os.Looper.loop (Looper.java:288)
  at android.app.ActivityThread.main (ActivityThread.java:7918)
  at java.lang.reflect.Method.invoke (Native method)

"Signal Catcher" tid=5 Runnable
#00  pc 0x000000000004f5d24  /apex/com.android.art/lib64/libart.so (art::DumpNativeStack+108)
#01  pc 0x00000000005a2b14  /apex/com.android.art/lib64/libart.so (art::Thread::DumpStack+368)

"DefaultDispatcher-worker-2" tid=23 Native
#00  pc 0x00000000000a20f4  /apex/com.android.runtime/lib64/bionic/libc.so (fsync+4)
#01  pc 0x000000000001b770  /data/app/~~Qx1w==/com.example.shop-8fZ==/lib/arm64/libshopdb.so (shopdb::Store::compact()+344)
  at com.example.shop.storage.NativeStore.compact (Native method)
  at com.example.shop.storage.CartStore.compact (CartStore.kt:31)
  - locked <0x0a1b2c3d> (a com.example.shop.cart.CartStore)
  at kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.run (CoroutineScheduler.kt:749)
`

// anrIdle is an ANR whose main thread was waiting for its next message.
const anrIdle = `----- pid 4321 at 2026-11-30 10:15:22.123456789+0100 -----
Cmd line: com.example.shop

DALVIK THREADS (12):
"main" prio=5 tid=1 Native
  | group="main" sCount=1 ucsCount=0 flags=1 obj=0x72f1a5b8 self=0xb400007c9e6c4c00
  native: #00 pc 00000000000a20f4  /apex/com.android.runtime/lib64/bionic/libc.so (__epoll_pwait+4)
  native: #01 pc 0000000000010dfc  /system/lib64/libutils.so (android::Looper::pollOnce(int, int*, int*, void**)+112)
  native: #02 pc 00000000001a3f8c  /system/lib64/libandroid_runtime.so (android::android_os_MessageQueue_nativePollOnce(_JNIEnv*, _jobject*, long, int)+44)
  at android.os.MessageQueue.nativePollOnce(Native method)
  at android.os.MessageQueue.next(MessageQueue.java:335)
  at android.os.Looper.loop(Looper.java:288)
  at android.app.ActivityThread.main(ActivityThread.java:7918)

"OkHttp Dispatcher" prio=5 tid=20 Waiting
  at com.example.shop.net.Api.fetch(Api.kt:33)
  at java.lang.Thread.run(Thread.java:1012)

----- end 4321 -----
`

// jstackBlocked is a JVM dump (JDK 21) whose main thread is blocked on a
// monitor another thread holds; its deadlock section was cut off.
const jstackBlocked = `2026-11-30 10:15:22
Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-58 mixed mode, sharing):

"main" #1 [12346] prio=5 os_prio=0 cpu=1234.56ms elapsed=600.12s tid=0x00007f1c4802a000 nid=12346 waiting for monitor entry  [0x00007f1c4f5fe000]
   java.lang.Thread.State: BLOCKED (on object monitor)
	at com.example.orders.OrderService.place(OrderService.java:57)
	- waiting to lock <0x000000070a1b2c38> (a java.lang.Object)
	at com.example.orders.Main.main(Main.java:21)

"worker-1" #21 [12370] prio=5 os_prio=0 cpu=10.00ms elapsed=599.00s tid=0x00007f1c480f2000 nid=12370 waiting on condition  [0x00007f1c2b7fe000]
   java.lang.Thread.State: TIMED_WAITING (sleeping)
	at java.lang.Thread.sleep0(java.base@21.0.2/Native Method)
	at java.lang.Thread.sleep(java.base@21.0.2/Thread.java:509)
	at com.example.orders.Inventory.reserve(Inventory.java:88)
	- locked <0x000000070a1b2c38> (a java.lang.Object)
	at com.example.orders.Worker.run(Worker.java:33)

Found one Java-level deadlock:
=============================`

// jstackDeadlock is a JVM dump with a deadlock section.
const jstackDeadlock = `Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode, sharing):

"main" #1 prio=5 os_prio=0 cpu=40.12ms elapsed=60.01s tid=0x00007f8c6c0240a0 nid=0x1a03 in Object.wait()  [0x00007f8c74b59000]
   java.lang.Thread.State: WAITING (on object monitor)
	at java.lang.Object.wait(java.base@17.0.9/Native Method)
	- waiting on <0x000000076ab2c1a0> (a java.lang.Thread)
	at java.lang.Thread.join(java.base@17.0.9/Thread.java:1304)
	- locked <0x000000076ab2c1a0> (a java.lang.Thread)
	at com.example.bank.Main.main(Main.java:18)

"Thread-0" #15 prio=5 os_prio=0 cpu=0.40ms elapsed=60.00s tid=0x00007f8c6c1a2800 nid=0x1a1c waiting for monitor entry  [0x00007f8c2fdfe000]
   java.lang.Thread.State: BLOCKED (on object monitor)
	at com.example.bank.Transfer.move(Transfer.java:31)
	- waiting to lock <0x000000076ab2c180> (a com.example.bank.Account)
	- locked <0x000000076ab2c170> (a com.example.bank.Account)
	at com.example.bank.Transfer.run(Transfer.java:17)
	at java.lang.Thread.run(java.base@17.0.9/Thread.java:833)

"Thread-1" #16 prio=5 os_prio=0 cpu=0.38ms elapsed=60.00s tid=0x00007f8c6c1a3a10 nid=0x1a1d waiting for monitor entry  [0x00007f8c2fcfd000]
   java.lang.Thread.State: BLOCKED (on object monitor)
	at com.example.bank.Ledger.post(Ledger.java:44)
	- waiting to lock <0x000000076ab2c170> (a com.example.bank.Account)
	- locked <0x000000076ab2c180> (a com.example.bank.Account)
	at com.example.bank.Transfer.run(Transfer.java:19)
	at java.lang.Thread.run(java.base@17.0.9/Thread.java:833)

JNI global refs: 6, weak refs: 0

Found one Java-level deadlock:
=============================
"Thread-1":
  waiting to lock monitor 0x00007f8c3c003f08 (object 0x000000076ab2c170, a com.example.bank.Account),
  which is held by "Thread-0"
"Thread-0":
  waiting to lock monitor 0x00007f8c3c006358 (object 0x000000076ab2c180, a com.example.bank.Account),
  which is held by "Thread-1"

Java stack information for the threads listed above:
===================================================
"Thread-1":
	at com.example.bank.Ledger.post(Ledger.java:44)
	- waiting to lock <0x000000076ab2c170> (a com.example.bank.Account)
	- locked <0x000000076ab2c180> (a com.example.bank.Account)
	at com.example.bank.Transfer.run(Transfer.java:19)
	at java.lang.Thread.run(java.base@17.0.9/Thread.java:833)
"Thread-0":
	at com.example.bank.Transfer.move(Transfer.java:31)
	- waiting to lock <0x000000076ab2c180> (a com.example.bank.Account)
	- locked <0x000000076ab2c170> (a com.example.bank.Account)
	at com.example.bank.Transfer.run(Transfer.java:17)
	at java.lang.Thread.run(java.base@17.0.9/Thread.java:833)

Found 1 deadlock.
`

// jstackParked is a JDK 8 dump (no "[tid]" after the thread number) with
// jstack -l's ownable synchronizers: a thread parked on a ReentrantLock
// another one holds.
const jstackParked = `Full thread dump Java HotSpot(TM) 64-Bit Server VM (25.381-b09 mixed mode):

"pool-1-thread-2" #12 prio=5 os_prio=0 tid=0x00007f3a2c1b8000 nid=0x2e1b waiting on condition [0x00007f3a0f7fe000]
   java.lang.Thread.State: WAITING (parking)
	at sun.misc.Unsafe.park(Native Method)
	- parking to wait for  <0x00000000d5f1a2b0> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)
	at java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)
	at java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:285)
	at com.example.cache.Shard.put(Shard.java:72)
	at com.example.cache.Loader.run(Loader.java:40)

   Locked ownable synchronizers:
	- None

"pool-1-thread-1" #11 prio=5 os_prio=0 tid=0x00007f3a2c1b6800 nid=0x2e1a runnable [0x00007f3a0f8ff000]
   java.lang.Thread.State: RUNNABLE
	at java.net.SocketInputStream.socketRead0(Native Method)
	at java.net.SocketInputStream.read(SocketInputStream.java:171)
	at com.example.cache.Shard.refill(Shard.java:118)
	at com.example.cache.Loader.run(Loader.java:36)

   Locked ownable synchronizers:
	- <0x00000000d5f1a2b0> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)

"main" #1 prio=5 os_prio=0 tid=0x00007f3a2c00a800 nid=0x2e01 waiting on condition [0x00007f3a3310e000]
   java.lang.Thread.State: TIMED_WAITING (sleeping)
	at java.lang.Thread.sleep(Native Method)
	at com.example.cache.Main.main(Main.java:12)

   Locked ownable synchronizers:
	- None
`

// jstackIdle is a JVM dump where no thread waits for another.
const jstackIdle = `Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-58 mixed mode, sharing):

"main" #1 [12346] prio=5 os_prio=0 cpu=1234.56ms elapsed=600.12s tid=0x00007f1c4802a000 nid=12346 waiting on condition  [0x00007f1c4f5fe000]
   java.lang.Thread.State: TIMED_WAITING (sleeping)
	at java.lang.Thread.sleep0(java.base@21.0.2/Native Method)
	at com.example.orders.Main.main(Main.java:21)

"worker-1" #21 [12370] prio=5 os_prio=0 cpu=10.00ms elapsed=599.00s tid=0x00007f1c480f2000 nid=12370 runnable  [0x00007f1c2b7fe000]
   java.lang.Thread.State: RUNNABLE
	at com.example.orders.Inventory.reserve(Inventory.java:88)
	- locked <0x000000070a1b2c38> (a java.lang.Object)
	at com.example.orders.Worker.run(Worker.java:33)
`

func TestParseThreadDump(t *testing.T) {
	tests := []struct {
		name, in, format, file string
		line, frames           int
		title                  string
		stacks                 []string
		note                   string // a note that must be there
		inApp                  []string
		notInApp               []string
	}{
		{
			name: "ANR, main waits for a lock thread 14 holds", in: anrLockHolder, format: FormatANR,
			file: "com/example/shop/cart/CartRepository.kt", line: 88, frames: 11,
			title:    `ANR in com.example.shop: main thread Blocked, waiting for a lock held by "DiskIO"`,
			stacks:   []string{`thread "main" (tid=1), Blocked`, `thread "DiskIO" (tid=14), which holds the lock main waits for`},
			inApp:    []string{"com.example.shop.cart.CartViewModel.refresh", "com.example.shop.storage.DiskCache.flush"},
			notInApp: []string{"android.os.Looper.loop", "java.lang.reflect.Method.invoke", "com.android.internal.os.ZygoteInit.main", "java.lang.Thread.run"},
		},
		{
			name: "ANR, a chain of lock holders", in: strings.Replace(strings.Replace(anrLockHolder,
				"  at com.example.shop.storage.DiskCache.flush(DiskCache.kt:210)\n",
				"  at com.example.shop.storage.DiskCache.flush(DiskCache.kt:210)\n  - waiting to lock <0x0bbbbbbb> (a com.example.shop.sync.SyncState) held by thread 18\n", 1),
				"----- end 12345 -----", `"SyncWorker" prio=5 tid=18 Native
  native: #00 pc 00000000000a20f4  /apex/com.android.runtime/lib64/bionic/libc.so (read+4)
  native: #01 pc 000000000001c3a8  /data/app/~~Qx1w==/com.example.shop-8fZ==/lib/arm64/libshopdb.so (shopdb::Journal::replay()+212)
  at com.example.shop.sync.NativeJournal.replay(Native method)
  at com.example.shop.sync.SyncEngine.catchUp(SyncEngine.kt:131)
  - locked <0x0bbbbbbb> (a com.example.shop.sync.SyncState)

----- end 12345 -----`, 1), format: FormatANR,
			file: "com/example/shop/cart/CartRepository.kt", line: 88, frames: 15,
			title: `ANR in com.example.shop: main thread Blocked, waiting for a lock held by "DiskIO"`,
			stacks: []string{`thread "main" (tid=1), Blocked`, `thread "DiskIO" (tid=14), which holds the lock main waits for`,
				`thread "SyncWorker" (tid=18), which holds the lock "DiskIO" waits for`},
			inApp:    []string{"shopdb::Journal::replay", "com.example.shop.sync.SyncEngine.catchUp"},
			notInApp: []string{"read"},
		},
		{
			name: "ANR as Play Console shows it", in: anrPlayConsole, format: FormatANR,
			file: "com/example/shop/cart/CartRepository.kt", line: 88, frames: 11,
			title: `ANR: main thread Blocked, waiting for a lock held by "DefaultDispatcher-worker-2"`,
			stacks: []string{`thread "main" (tid=1), Blocked`,
				`thread "DefaultDispatcher-worker-2" (tid=23), which holds the lock main waits for`},
			inApp:    []string{"shopdb::Store::compact", "com.example.shop.storage.CartStore.compact"},
			notInApp: []string{"fsync", "android.os.Looper.loop", "kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.run"},
		},
		{
			name: "ANR, main idle in nativePollOnce", in: anrIdle, format: FormatANR,
			file: "", line: 0, frames: 7,
			title:    `ANR in com.example.shop: main thread Native`,
			stacks:   []string{`thread "main" (tid=1), Native`},
			note:     "the main thread was idle",
			notInApp: []string{"__epoll_pwait", "android::Looper::pollOnce", "android.os.MessageQueue.nativePollOnce"},
		},
		{
			name: "jstack with a deadlock section", in: jstackDeadlock, format: FormatJava,
			file: "com/example/bank/Ledger.java", line: 44, frames: 6,
			title: `Java-level deadlock: "Thread-1" and "Thread-0"`,
			stacks: []string{`thread "Thread-1" (#16), waiting for a lock held by "Thread-0"`,
				`thread "Thread-0" (#15), waiting for a lock held by "Thread-1"`},
			inApp:    []string{"com.example.bank.Transfer.move"},
			notInApp: []string{"java.lang.Thread.run"},
		},
		{
			name: "jstack's deadlock section alone", in: jstackDeadlock[strings.Index(jstackDeadlock, "Found one"):], format: FormatJava,
			file: "com/example/bank/Ledger.java", line: 44, frames: 6,
			title:  `Java-level deadlock: "Thread-1" and "Thread-0"`,
			stacks: []string{`thread "Thread-1", waiting for a lock held by "Thread-0"`, `thread "Thread-0", waiting for a lock held by "Thread-1"`},
		},
		{
			name: "jstack, main blocked on a lock worker-1 holds", in: jstackBlocked, format: FormatJava,
			file: "com/example/orders/OrderService.java", line: 57, frames: 6,
			title:    `Thread dump: "main" BLOCKED, waiting for a lock held by "worker-1"`,
			stacks:   []string{`thread "main" (#1), BLOCKED`, `thread "worker-1" (#21), which holds the lock "main" waits for`},
			inApp:    []string{"com.example.orders.Inventory.reserve"},
			notInApp: []string{"java.lang.Thread.sleep0", "java.lang.Thread.sleep"},
		},
		{
			name: "jstack -l of JDK 8, parked on a ReentrantLock", in: jstackParked, format: FormatJava,
			file: "", line: 0, frames: 9,
			title: `Thread dump: "pool-1-thread-2" WAITING, waiting for a lock held by "pool-1-thread-1"`,
			stacks: []string{`thread "pool-1-thread-2" (#12), WAITING`,
				`thread "pool-1-thread-1" (#11), which holds the lock "pool-1-thread-2" waits for`},
			inApp:    []string{"com.example.cache.Shard.put", "com.example.cache.Shard.refill"},
			notInApp: []string{"sun.misc.Unsafe.park", "java.util.concurrent.locks.ReentrantLock.lock"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseOne(t, tt.in, tt.format, tt.file, tt.line, tt.frames)
			if s.Title != tt.title {
				t.Errorf("got title %q, want %q", s.Title, tt.title)
			}
			if !reflect.DeepEqual(s.Stacks, tt.stacks) {
				t.Errorf("got stacks %q, want %q", s.Stacks, tt.stacks)
			}
			if tt.note != "" && !strings.Contains(strings.Join(s.Notes, "\n"), tt.note) {
				t.Errorf("got notes %q, want one saying %q", s.Notes, tt.note)
			}
			inApp := map[string]bool{}
			for _, f := range s.Frames {
				inApp[f.Function] = f.InApp
				if f.Stack < 0 || f.Stack >= len(s.Stacks) {
					t.Errorf("frame %s is in stack %d of %d", f.Function, f.Stack, len(s.Stacks))
				}
			}
			for _, fn := range tt.inApp {
				if v, ok := inApp[fn]; !ok || !v {
					t.Errorf("frame %s: got in-app %t (found %t), want in-app", fn, v, ok)
				}
			}
			for _, fn := range tt.notInApp {
				if v, ok := inApp[fn]; !ok || v {
					t.Errorf("frame %s: got in-app %t (found %t), want not in-app", fn, v, ok)
				}
			}
		})
	}
}

// TestThreadDumpWinsOverOtherReadings checks that a dump the thread-dump
// parser reads is its signal alone, though other parsers read it too and
// find more frames: the Java parser a trace per thread, the tombstone
// parser Play Console's native frames.
func TestThreadDumpWinsOverOtherReadings(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		other    func(string, []string) []Signal
	}{
		{"jstack deadlock, Java parser", jstackDeadlock, linesOnly(parseJavaLines)},
		{"Play Console ANR, tombstone parser", anrPlayConsole, parseNative},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := splitLines(tc.in)
			other := tc.other(tc.in, lines)
			if len(other) < 2 {
				t.Fatalf("the other parser finds %d signals, want several (else this test proves nothing)", len(other))
			}
			mine := parseThreadDumps(tc.in, lines)
			if len(mine) != 1 {
				t.Fatalf("the thread-dump parser finds %d signals, want 1", len(mine))
			}
			sigs, err := Parse("dump.txt", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Title != mine[0].Title {
				t.Fatalf("got %d signals, the first %q; want the thread dump's one, %q", len(sigs), sigs[0].Title, mine[0].Title)
			}
		})
	}
}

// TestThreadDumpNoRelationIsJava checks that a JVM dump where no thread
// waits for another reads as before: the Java parser's trace per thread.
func TestThreadDumpNoRelationIsJava(t *testing.T) {
	for name, in := range map[string]string{
		"jstack, no thread blocked":              jstackIdle,
		"a deadlock section cut after its title": jstackIdle + "\nFound one Java-level deadlock:\n=============================\n",
	} {
		t.Run(name, func(t *testing.T) {
			if got := parseThreadDumps(in, splitLines(in)); len(got) != 0 {
				t.Fatalf("the thread-dump parser found %+v, want nothing", got)
			}
			sigs, err := Parse("dump.txt", []byte(in))
			if err != nil {
				t.Fatal(err)
			}
			want := finish("dump.txt", parseJavaLines(splitLines(in)))
			if !reflect.DeepEqual(sigs, want) {
				t.Fatalf("got %+v, want the Java parser's %+v", sigs, want)
			}
			if len(sigs) < 2 || sigs[0].Format != FormatJava || !strings.HasPrefix(sigs[0].Title, "java.lang.Thread.State: ") {
				t.Fatalf("got %d signals, the first %s %q; want the Java parser's trace per thread", len(sigs), sigs[0].Format, sigs[0].Title)
			}
		})
	}
}

func TestThreadDumpTime(t *testing.T) {
	header := func(at string) string {
		return "----- pid 12345 at " + at + " -----\nCmd line: com.example.shop\n\nDALVIK THREADS (1):\n" +
			"\"main\" prio=5 tid=1 Runnable\n  at com.example.shop.MainActivity.onResume(MainActivity.kt:120)\n\n----- end 12345 -----\n"
	}
	plus1 := time.FixedZone("", 3600)
	now := time.Now().Add(-2 * time.Hour).In(plus1)
	for _, tc := range []struct {
		name, at string
		want     *time.Time
	}{
		{"a fixed time with its offset", "2026-11-30 10:15:22.123456789+0100", ptrTime(time.Date(2026, 11, 30, 9, 15, 22, 123456789, time.UTC))},
		{"two hours before now, at +0100", now.Format("2006-01-02 15:04:05.000000000-0700"), ptrTime(now.UTC())},
		{"no zone", "2026-11-30 10:15:22.123456789", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parseOne(t, header(tc.at), FormatANR, "com/example/shop/MainActivity.kt", 120, 1)
			switch {
			case tc.want == nil && s.Timestamp != nil:
				t.Errorf("got time %v, want none", s.Timestamp)
			case tc.want != nil && (s.Timestamp == nil || !s.Timestamp.Equal(*tc.want)):
				t.Errorf("got time %v, want %v", s.Timestamp, tc.want)
			}
		})
	}
	// The JVM's dump starts with its local time, without a zone.
	if s := parseOne(t, jstackBlocked, FormatJava, "com/example/orders/OrderService.java", 57, 6); s.Timestamp != nil {
		t.Errorf("jstack: got time %v, want none", s.Timestamp)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// TestThreadDumpMalformed reads dumps cut short or inconsistent.
func TestThreadDumpMalformed(t *testing.T) {
	banner := "----- pid 12345 at 2026-11-30 10:15:22.123456789+0100 -----\nCmd line: com.example.shop\nDALVIK THREADS (3):\n"
	frame := "  at com.example.shop.cart.CartRepository.load(CartRepository.kt:88)\n"
	tests := []struct {
		name, in string
		title    string // "": no signal
		stacks   int
		frames   int
		note     string
	}{
		{name: "banner and main's header only", in: banner + "\"main\" prio=5 tid=1 Blocked\n",
			title: "ANR in com.example.shop: main thread Blocked", stacks: 1, note: "no frame of the main thread"},
		{name: "main's header alone, no banner", in: "\"main\" tid=1 Blocked\n"},
		{name: "a log line with a quoted name and tid=1", in: "\"GET /cart\" tid=1 200 12ms\n\"main\" tid=1 ok\n"},
		{name: "lock held by a thread the dump lacks", in: banner + "\"main\" prio=5 tid=1 Blocked\n" + frame +
			"  - waiting to lock <0x0a1b2c3d> (a java.lang.Object) held by thread 99\n",
			title: "ANR in com.example.shop: main thread Blocked", stacks: 1, frames: 1, note: "held by thread 99"},
		{name: "holders in a cycle", in: banner + "\"main\" prio=5 tid=1 Blocked\n" + frame +
			"  - waiting to lock <0x0a1b2c3d> (a java.lang.Object) held by thread 14\n  - locked <0x0e1f2a3b> (a java.lang.Object)\n\n" +
			"\"DiskIO\" prio=5 tid=14 Blocked\n  at com.example.shop.storage.DiskCache.flush(DiskCache.kt:210)\n" +
			"  - waiting to lock <0x0e1f2a3b> (a java.lang.Object) held by thread 1\n  - locked <0x0a1b2c3d> (a java.lang.Object)\n",
			title: `ANR in com.example.shop: main thread Blocked, deadlocked with "DiskIO"`, stacks: 2, frames: 2},
		{name: "holders in a cycle without main", in: banner + "\"main\" prio=5 tid=1 Blocked\n" + frame +
			"  - waiting to lock <0x0a1b2c3d> (a java.lang.Object) held by thread 14\n\n" +
			"\"A\" prio=5 tid=14 Blocked\n  at a.A.f(A.kt:1)\n  - waiting to lock <0x0e1f2a3b> (a X) held by thread 15\n\n" +
			"\"B\" prio=5 tid=15 Blocked\n  at b.B.g(B.kt:2)\n  - waiting to lock <0x0e1f2a3c> (a X) held by thread 14\n",
			title: `ANR in com.example.shop: main thread Blocked, waiting for a lock held by "A"`, stacks: 3, frames: 3},
		{name: "a thread waits for its own lock", in: banner + "\"main\" prio=5 tid=1 Blocked\n" + frame +
			"  - waiting to lock <0x0a1b2c3d> (a java.lang.Object) held by thread 1\n",
			title: "ANR in com.example.shop: main thread Blocked", stacks: 1, frames: 1},
		{name: "deadlock section naming threads without stacks", in: "Found one Java-level deadlock:\n=====\n\"T-1\":\n  waiting to lock monitor 0x1 (object 0x2, a X),\n  which is held by \"T-2\"\n\"T-2\":\n  which is held by \"T-1\"\n\nJava stack information for the threads listed above:\n=====\n\nFound 1 deadlock.\n",
			title: `Java-level deadlock: "T-1" and "T-2"`, stacks: 2, note: "cut before"},
		{name: "unterminated lock address", in: banner + "\"main\" prio=5 tid=1 Blocked\n" + frame + "  - waiting to lock <0x0a1b2c3d\n  - locked <0x>\n- <0x\n\"\n\"\"\n\"x\":\n",
			title: "ANR in com.example.shop: main thread Blocked", stacks: 1, frames: 1},
		{name: "dashes alone", in: "-----\n----- \n----- pid\n----- pid 1 at -----\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Parse("dump.txt", []byte(tt.in))
			if tt.title == "" {
				if err == nil && len(sigs) > 0 && (sigs[0].Format == FormatANR || strings.Contains(sigs[0].Title, "Thread dump")) {
					t.Fatalf("got %+v, want no thread dump", sigs)
				}
				if err != nil && !errors.Is(err, ErrNoSignal) {
					t.Fatalf("got error %v, want ErrNoSignal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := sigs[0]
			if len(sigs) != 1 || s.Title != tt.title || len(s.Stacks) != tt.stacks || len(s.Frames) != tt.frames {
				t.Fatalf("got %d signals, the first %q with stacks %q and %d frames; want %q, %d stacks, %d frames",
					len(sigs), s.Title, s.Stacks, len(s.Frames), tt.title, tt.stacks, tt.frames)
			}
			if tt.note != "" && !strings.Contains(strings.Join(s.Notes, "\n"), tt.note) {
				t.Errorf("got notes %q, want one saying %q", s.Notes, tt.note)
			}
		})
	}
}

// TestThreadDumpBugreport picks the last ANR's dump among a bugreport's.
func TestThreadDumpBugreport(t *testing.T) {
	other := "----- pid 1530 at 2026-11-30 10:15:20.000000000+0100 -----\nCmd line: system_server\nDALVIK THREADS (1):\n" +
		"\"main\" prio=5 tid=1 Native\n  at android.os.MessageQueue.nativePollOnce(Native method)\n----- end 1530 -----\n\n"
	in := "== dumpstate: 2026-11-30 10:15:40\n------ VM TRACES JUST NOW (/bugreports/dumptrace_x: 2026-11-30 10:15:40) ------\n" + other +
		"------ VM TRACES AT LAST ANR (/data/anr/anr_2026-11-30-10-15-22-123: 2026-11-30 10:15:22) ------\n" + anrLockHolder
	s := parseOne(t, in, FormatANR, "com/example/shop/cart/CartRepository.kt", 88, 11)
	if !strings.HasPrefix(s.Title, "ANR in com.example.shop:") {
		t.Errorf("got title %q, want the app's ANR", s.Title)
	}
}

// TestThreadDumpWithAnException checks that an exception a service logged
// before (or after) someone ran jstack on it is read as well as the dump,
// each as its own signal, in the log's order, and that the dump's threads
// do not come back as traces of their own.
func TestThreadDumpWithAnException(t *testing.T) {
	data, err := os.ReadFile("testdata/threaddump/jstack_deadlock.txt")
	if err != nil {
		t.Fatal(err)
	}
	dump := string(data)
	exc := "2026-11-30 10:14:02.481 ERROR 4242 --- [nio-8080-exec-3] c.e.bank.web.TransferController : transfer failed\n" +
		"java.lang.IllegalStateException: account 17 is locked\n" +
		"\tat com.example.bank.Account.debit(Account.java:58)\n" +
		"\tat com.example.bank.web.TransferController.post(TransferController.java:41)\n" +
		"\tat java.base/java.lang.Thread.run(Thread.java:833)\n"
	const excTitle, dumpTitle = "java.lang.IllegalStateException: account 17 is locked", `Java-level deadlock: "transfer-1" and "transfer-2"`
	for _, tc := range []struct {
		name, in string
		first    string // the first signal's title
	}{
		{"the exception before the dump", exc + "2026-11-30 10:15:21.002  INFO 4242 --- [main] c.e.bank.Main : still running\n" + dump, excTitle},
		{"the exception after the dump", dump + "\n" + exc, dumpTitle},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sigs, err := Parse("service.log", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			var formats, titles []string
			for _, s := range sigs {
				formats, titles = append(formats, s.Format), append(titles, s.Title)
			}
			if len(sigs) != 2 || sigs[0].Title != tc.first {
				t.Fatalf("got signals %q titled %q; want the exception and the dump, %s first", formats, titles, tc.first)
			}
			for _, s := range sigs {
				switch {
				case s.Format != FormatJava:
					t.Errorf("got a %s signal %q, want java", s.Format, s.Title)
				case s.Title == excTitle && s.Frames[0].Function != "com.example.bank.Account.debit":
					t.Errorf("the exception's first frame is %+v", s.Frames[0])
				case s.Title == dumpTitle && s.Frames[0].Function != "com.example.bank.Transfer.move":
					t.Errorf("the dump's first frame is %+v", s.Frames[0])
				}
			}
		})
	}
}
