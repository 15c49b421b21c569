package signal

import (
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMinidumpJSONReadsAsText checks that minidump-stackwalk's JSON report
// of a dump reads as its text report of the same dump does.
func TestMinidumpJSONReadsAsText(t *testing.T) {
	read := func(name string) Signal {
		t.Helper()
		data, err := os.ReadFile("testdata/minidump/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := Parse(name, data)
		if err != nil || len(sigs) != 1 {
			t.Fatalf("Parse(%s) = %d signals, %v; want one", name, len(sigs), err)
		}
		s := sigs[0]
		s.Source, s.line = "", 0 // the file's name, and the line the text report starts at
		return s
	}
	text, js := read("rust_minidump_windows.txt"), read("rust_minidump_windows_stackwalk.json")
	// But for the module offsets of its symbolized frames, which the
	// JSON gives and the text does not print (see TestMinidumpOffsets).
	js.Frames = slices.Clone(js.Frames)
	for k := range js.Frames {
		if k >= len(text.Frames) || text.Frames[k].Offset == 0 {
			js.Frames[k].Offset = 0
		}
	}
	if !reflect.DeepEqual(text, js) {
		t.Errorf("the JSON report reads\n%+v\nthe text report\n%+v", js, text)
	}
}

func TestMinidumpJSON(t *testing.T) {
	frame := func(module, function, file string, line int) string {
		return `{"trust":"cfi","module":"` + module + `","function":"` + function + `","file":` + file + `,"line":` + strconv.Itoa(line) + `}`
	}
	cart := frame("shopd", "cart_total(cart const*)", `"/build/shop/src/cart.cc"`, 42)
	checkout := frame("shopd", "checkout(order*)", `"/build/shop/src/checkout.cc"`, 17)
	libc := frame("libc.so.6", "__libc_start_call_main", "null", 0)
	poll := frame("libc.so.6", "__GI___poll", `"../sysdeps/unix/sysv/linux/poll.c"`, 29)
	for _, tc := range []struct {
		name, in   string
		title      string
		first      string // the first frame: function file:line
		stacks     []string
		frames     int
		inApp0     bool
		wantSignal bool
	}{
		{
			name: "the crashing thread comes first, named as the text report names it",
			in: `{"crash_info":{"type":"SIGSEGV /SEGV_MAPERR","address":"0x0000000000000010","crashing_thread":4243},
			 "threads":[{"thread_name":"worker","frames":[` + poll + `]},{"thread_name":"shopd","frames":[` + cart + `,` + checkout + `,` + libc + `]}],
			 "crashing_thread":{"threads_index":1,"thread_name":"shopd","frames":[` + cart + `,` + checkout + `,` + libc + `]}}`,
			title: "SIGSEGV /SEGV_MAPERR at 0x10", first: "cart_total /build/shop/src/cart.cc:42",
			stacks: []string{"Thread 1 shopd (crashed)", "Thread 0 worker"}, frames: 4, inApp0: true, wantSignal: true,
		},
		{
			name: "thread_index, before rust-minidump 0.9.6",
			in: `{"crash_info":{"type":"SIGABRT","address":"0x0","assertion":"total >= 0"},
			 "threads":[{"thread_name":"worker","frames":[` + poll + `]},{"frames":[` + cart + `]}],
			 "crashing_thread":{"thread_index":1,"frames":[` + cart + `]}}`,
			title: "SIGABRT", first: "cart_total /build/shop/src/cart.cc:42",
			stacks: []string{"Thread 1 (crashed)", "Thread 0 worker"}, frames: 2, inApp0: true, wantSignal: true,
		},
		{
			name: "the crashing thread alone",
			in: `{"crash_info":{"type":"EXC_BAD_ACCESS / KERN_INVALID_ADDRESS","address":"0x8"},"threads":null,
			 "crashing_thread":{"thread_name":"main","frames":[` + cart + `,` + checkout + `]}}`,
			title: "EXC_BAD_ACCESS / KERN_INVALID_ADDRESS at 0x8", first: "cart_total /build/shop/src/cart.cc:42",
			stacks: []string{"Thread 0 main (crashed)"}, frames: 2, inApp0: true, wantSignal: true,
		},
		{
			name: "inlined frames come before their frame; a source server's path is the repository's",
			in: `{"crash_info":{"type":"EXCEPTION_ACCESS_VIOLATION_WRITE","address":"0x0000000000000000"},
			 "threads":[{"thread_name":"main","frames":[{"module":"shop.exe","function":"Cart::add(Item const &)","file":"git:github.com/acme/shop:src/cart.cpp:0123456789abcdef0123456789abcdef01234567","line":88,
			   "inlines":[{"function":"Item::price() const","file":"git:github.com/acme/shop:src/item.h:0123456789abcdef0123456789abcdef01234567","line":12}]},
			   {"module":"shop.exe","function":"<unknown in shop.exe>","file":null,"line":null}]}],
			 "crashing_thread":{"threads_index":0}}`,
			title: "EXCEPTION_ACCESS_VIOLATION_WRITE at 0x0", first: "Item::price src/item.h:12",
			stacks: []string{"Thread 0 main (crashed)"}, frames: 3, inApp0: true, wantSignal: true,
		},
		{
			name:       "no frame at all is no signal",
			in:         `{"crash_info":{"type":"SIGSEGV"},"threads":[{"frames":[]}]}`,
			wantSignal: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sigs, err := Parse("dump.json", []byte(tc.in))
			if !tc.wantSignal {
				if err == nil {
					t.Fatalf("got %d signals (%+v), want none", len(sigs), sigs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := sigs[0]
			f := s.Frames[0]
			if got := f.Function + " " + f.File + ":" + strconv.Itoa(f.Line); len(sigs) != 1 || s.Format != FormatMinidump || s.Title != tc.title || got != tc.first ||
				!reflect.DeepEqual(s.Stacks, tc.stacks) || len(s.Frames) != tc.frames || f.InApp != tc.inApp0 {
				t.Errorf("got %d signals, the first %s %q, first frame %q (in-app %v), stacks %q, %d frames; want minidump %q, %q (in-app %v), %q, %d frames",
					len(sigs), s.Format, s.Title, got, f.InApp, s.Stacks, len(s.Frames), tc.title, tc.first, tc.inApp0, tc.stacks, tc.frames)
			}
		})
	}
}

// TestMinidumpJSONIsNotASentryEvent checks that a Sentry event, which
// also has "frames", is not taken for a minidump report.
func TestMinidumpJSONIsNotASentryEvent(t *testing.T) {
	in := `{"platform":"native","exception":{"values":[{"type":"SIGSEGV","stacktrace":{"frames":[{"function":"main","filename":"src/main.c","lineno":3,"in_app":true},{"function":"cart_total","filename":"src/cart.c","lineno":42,"in_app":true}]}}]}}`
	sigs, err := Parse("event.json", []byte(in))
	if err != nil || len(sigs) != 1 || sigs[0].Format == FormatMinidump || !strings.HasSuffix(sigs[0].Frames[0].File, "cart.c") {
		t.Fatalf("got %+v, %v; want the Sentry event", sigs, err)
	}
}

func FuzzParseMinidumpJSON(f *testing.F) {
	seedFuzz(f, "minidump", "sentry")
	for _, s := range []string{
		`{"crash_info":{"type":"SIGSEGV","address":"0x10"},"threads":[{"frames":[{"module":"a","function":"f","file":"a.c","line":3,"inlines":[{"function":"g","file":"b.h","line":-1}]}]}],"crashing_thread":{"threads_index":0}}`,
		`{"crash_info":{},"threads":null,"crashing_thread":{"threads_index":-4,"frames":[{"function":"<x>","file":"hg:h:a.c:1","line":2}]}}` + "\n" + `{"crash_info":{"assertion":"a"},"threads":[{"frames":[{}]}]}`,
		`{"crash_info":{"type":"X"},"threads":[{"frames":[{"module":"m"}]}],"crashing_thread":{"thread_index":7}}`,
		`{"crash_info":{"type":"X"},"system_info":{"os":"Android"},"threads":[{"frames":[{"module":"m","module_offset":"0x10"},{"module":null,"module_offset":"0x20"},{"module_offset":7}]}],"modules":[{"filename":"m","code_id":"AB-CD"},{"filename":null}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs := parseMinidumpJSON(data)
		checkSignals(t, sigs)
		checkFrameOffsets(t, sigs)
		for _, s := range sigs {
			if s.Format != FormatMinidump || len(s.Frames) == 0 {
				t.Fatalf("got format %q, %d frames", s.Format, len(s.Frames))
			}
			for _, fr := range s.Frames {
				if fr.Stack < 0 || fr.Stack >= len(s.Stacks) || fr.Line < 0 {
					t.Fatalf("frame %+v in stack %d of %d", fr, fr.Stack, len(s.Stacks))
				}
			}
		}
	})
}
