package signal

import (
	"os"
	"strings"
	"testing"
)

// sentryImagesMeta is the debug_meta of the events below: an ELF
// executable and libc, a Mach-O image and a PE one, as Sentry's Debug
// Meta Interface describes them.
const sentryImagesMeta = `"debug_meta":{"images":[
	{"type":"elf","code_file":"/srv/shop/bin/shopd","code_id":"3F9A1C7E52B04D8E9A61C0F2D47B8E15A0C3D6F2","debug_id":"7e1c9a3f-b052-8e4d-9a61-c0f2d47b8e15","image_addr":"0x5607b8fce000","image_size":20480},
	{"type":"elf","code_file":"/lib/x86_64-linux-gnu/libc.so.6","code_id":"c289da50-71a3-399d-e893-d2af81d6a30c","image_addr":"0x7fbb17a1e000","image_size":"1654784"},
	{"type":"macho","code_file":"/Applications/Shop.app/Contents/MacOS/Shop","debug_id":"84a04d24-0e60-3810-a8c0-90a65e2df61a","image_addr":"0x100a00000","image_size":65536},
	{"type":"pe","code_file":"C:\\shop\\shop.exe","code_id":"57898e12145000","debug_id":"9c2a902b-6fdf-40ad-8308-588a41d572a0-1","image_addr":"0x140000000","image_size":131072}]}`

// TestSentryImageLookup: an unsymbolicated frame's instruction address
// is placed in the ELF image that holds it (image_addr <= addr <
// image_addr+image_size), in the image "rel:N" names, or at its own
// image_addr; the image's code_id is its build ID when it is one, a
// Mach-O image's UUID (its debug_id without dashes, or its code_id).
// Frames in PE images, outside every image, or of an event
// without debug_meta get no module and offset (and, having nothing
// else, are no frames).
func TestSentryImageLookup(t *testing.T) {
	tests := []struct {
		name, frame, meta string
		module            string
		offset            uint64
		buildID           string
	}{
		{"in the executable", `{"instruction_addr":"0x5607b8fcf606"}`, sentryImagesMeta, "/srv/shop/bin/shopd", 0x1606, "3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2"},
		{"camelCase address", `{"instructionAddr":"0x5607b8fcf606"}`, sentryImagesMeta, "/srv/shop/bin/shopd", 0x1606, "3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2"},
		{"last byte of the image", `{"instruction_addr":"0x5607b8fd2fff"}`, sentryImagesMeta, "/srv/shop/bin/shopd", 0x4fff, "3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2"},
		{"just past the image", `{"instruction_addr":"0x5607b8fd3000"}`, sentryImagesMeta, "", 0, ""},
		{"below every image", `{"instruction_addr":"0x1000"}`, sentryImagesMeta, "", 0, ""},
		// A GUID is a debug_id, not a build ID: no build ID, the
		// module and offset kept. The size is a string here.
		{"libc, its code_id a GUID", `{"instruction_addr":"0x7fbb17a45249"}`, sentryImagesMeta, "/lib/x86_64-linux-gnu/libc.so.6", 0x27249, ""},
		{"rel:0", `{"instruction_addr":"0x13ed","addr_mode":"rel:0"}`, sentryImagesMeta, "/srv/shop/bin/shopd", 0x13ed, "3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2"},
		{"rel:1", `{"instruction_addr":"0x27249","addr_mode":"rel:1"}`, sentryImagesMeta, "/lib/x86_64-linux-gnu/libc.so.6", 0x27249, ""},
		{"rel: past the images", `{"instruction_addr":"0x13ed","addr_mode":"rel:9"}`, sentryImagesMeta, "", 0, ""},
		{"rel: a Mach-O image", `{"instruction_addr":"0x13ed","addr_mode":"rel:2"}`, sentryImagesMeta, "/Applications/Shop.app/Contents/MacOS/Shop", 0x13ed, "84a04d240e603810a8c090a65e2df61a"},
		{"abs", `{"instruction_addr":"0x5607b8fcf606","addr_mode":"abs"}`, sentryImagesMeta, "/srv/shop/bin/shopd", 0x1606, "3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2"},
		{"its own image_addr", `{"instruction_addr":"0x5607b8fcf606","image_addr":"0x5607b8fce000","package":"/srv/shop/bin/shopd"}`, sentryImagesMeta, "/srv/shop/bin/shopd", 0x1606, "3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2"},
		{"its package", `{"instruction_addr":"0x7fbb17a45249","package":"/lib/x86_64-linux-gnu/libc.so.6"}`, sentryImagesMeta, "/lib/x86_64-linux-gnu/libc.so.6", 0x27249, ""},
		{"its image_addr and package, no debug_meta", `{"instruction_addr":"0x5607b8fcf606","image_addr":"0x5607b8fce000","package":"/srv/shop/bin/shopd"}`, "", "/srv/shop/bin/shopd", 0x1606, ""},
		{"a PE package, no debug_meta", `{"instruction_addr":"0x140001606","image_addr":"0x140000000","package":"C:\\shop\\shop.exe"}`, "", "", 0, ""},
		{"in a Mach-O image", `{"instruction_addr":"0x100a01606"}`, sentryImagesMeta, "/Applications/Shop.app/Contents/MacOS/Shop", 0x1606, "84a04d240e603810a8c090a65e2df61a"},
		{"a Mach-O image's code_id", `{"instruction_addr":"0x100a01606"}`, `"debug_meta":{"images":[{"type":"macho","code_file":"/Applications/Shop.app/Contents/MacOS/Shop","code_id":"84A04D240E603810A8C090A65E2DF61A","image_addr":"0x100a00000","image_size":65536}]}`, "/Applications/Shop.app/Contents/MacOS/Shop", 0x1606, "84a04d240e603810a8c090a65e2df61a"},
		{"an older SDK's apple image", `{"instruction_addr":"0x100a01606"}`, `"debug_meta":{"images":[{"type":"apple","name":"/Applications/Shop.app/Contents/MacOS/Shop","uuid":"84a04d24-0e60-3810-a8c0-90a65e2df61a","image_addr":"0x100a00000","image_size":65536}]}`, "/Applications/Shop.app/Contents/MacOS/Shop", 0x1606, "84a04d240e603810a8c090a65e2df61a"},
		{"in a PE image", `{"instruction_addr":"0x140001606"}`, sentryImagesMeta, "", 0, ""},
		{"no debug_meta", `{"instruction_addr":"0x5607b8fcf606"}`, "", "", 0, ""},
		{"empty images", `{"instruction_addr":"0x5607b8fcf606"}`, `"debug_meta":{"images":[]}`, "", 0, ""},
		{"image without size: up to the next", `{"instruction_addr":"0x5607b8fd9000"}`, `"debug_meta":{"images":[{"type":"elf","code_file":"/srv/shopd","image_addr":"0x5607b8fce000"},{"type":"elf","code_file":"/lib/libc.so.6","image_addr":"0x7fbb17a1e000","image_size":4096}]}`, "/srv/shopd", 0xb000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := `{"platform":"native","exception":{"values":[{"type":"SIGSEGV","stacktrace":{"frames":[` + tt.frame +
				`,{"function":"main","filename":"src/main.c","lineno":3}]}}]}`
			if tt.meta != "" {
				ev += "," + tt.meta
			}
			ev += "}"
			sigs, err := Parse("event.json", []byte(ev))
			if err != nil {
				t.Fatal(err)
			}
			fr := sigs[0].Frames
			checkFrameOffsets(t, sigs)
			if tt.module == "" {
				if len(fr) != 1 {
					t.Fatalf("got frames %+v, want main's alone", fr)
				}
				return
			}
			if len(fr) != 2 {
				t.Fatalf("got frames %+v, want main's and one with a module", fr)
			}
			f := fr[1] // main (the crash) is the last frame in Sentry's order, the first here
			if f.Module != tt.module || f.Offset != tt.offset || f.BuildID != tt.buildID {
				t.Errorf("got module %q, offset %#x, build ID %q; want %q, %#x, %q", f.Module, f.Offset, f.BuildID, tt.module, tt.offset, tt.buildID)
			}
		})
	}
}

// TestSentryImagesREST: the REST API's event carries debug_meta as a
// "debugmeta" entry.
func TestSentryImagesREST(t *testing.T) {
	ev := `{"eventID":"4f1e","platform":"native","entries":[
		{"type":"exception","data":{"values":[{"type":"SIGSEGV","stacktrace":{"frames":[{"instructionAddr":"0x5607b8fcf1fb"},{"instructionAddr":"0x5607b8fcf606","function":null,"inApp":null}]}}]}},
		{"type":"debugmeta","data":{"images":[{"type":"elf","code_file":"/srv/shop/bin/shopd","code_id":"3f9a1c7e52b04d8e9a61c0f2d47b8e15a0c3d6f2","image_addr":"0x5607b8fce000","image_size":20480}]}}]}`
	sigs, err := Parse("event.json", []byte(ev))
	if err != nil {
		t.Fatal(err)
	}
	fr := sigs[0].Frames
	if len(fr) != 2 || fr[0].Offset != 0x1606 || fr[1].Offset != 0x11fb || fr[0].Module != "/srv/shop/bin/shopd" {
		t.Fatalf("got frames %+v", fr)
	}
	if fr[0].AddrKind != AddrExact || fr[1].AddrKind != AddrReturn {
		t.Errorf("got address kinds %v, %v; want the crash exact, its caller a return address", fr[0].AddrKind, fr[1].AddrKind)
	}
	if len(sigs[0].Notes) != 1 || !strings.Contains(sigs[0].Notes[0], "2 of 2 frames are unsymbolicated") || !strings.Contains(sigs[0].Notes[0], "--symbols") {
		t.Errorf("got notes %q, want the unsymbolicated note naming --symbols", sigs[0].Notes)
	}
}

// TestSentryAddrAdjustment: which frames' addresses are return addresses
// follows the stack's instruction_addr_adjustment; "auto" (or none given)
// is "all_but_first", unless the registers' instruction pointer is not
// the first frame's (frames were dropped from the top): then "all".
func TestSentryAddrAdjustment(t *testing.T) {
	const frames = `"frames":[{"instruction_addr":"0x5607b8fcf1fb"},{"instruction_addr":"0x5607b8fcf3ed"},{"instruction_addr":"0x5607b8fcf606"}]`
	x, r := AddrExact, AddrReturn
	tests := []struct {
		name, trace string
		want        []AddrKind // innermost first
	}{
		{"not given", frames, []AddrKind{x, r, r}},
		{"auto", frames + `,"instruction_addr_adjustment":"auto"`, []AddrKind{x, r, r}},
		{"all_but_first", frames + `,"instruction_addr_adjustment":"all_but_first"`, []AddrKind{x, r, r}},
		{"all", frames + `,"instruction_addr_adjustment":"all"`, []AddrKind{r, r, r}},
		{"none", frames + `,"instruction_addr_adjustment":"none"`, []AddrKind{x, x, x}},
		{"auto, the registers at the first frame", frames + `,"registers":{"rip":"0x5607b8fcf606"}`, []AddrKind{x, r, r}},
		{"auto, the registers elsewhere", frames + `,"registers":{"rip":"0x7fbb17a45249"}`, []AddrKind{r, r, r}},
		{"all_but_first, the registers elsewhere", frames + `,"instruction_addr_adjustment":"all_but_first","registers":{"pc":"0x10"}`, []AddrKind{x, r, r}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := `{"platform":"native","exception":{"values":[{"type":"SIGSEGV","stacktrace":{` + tt.trace + `}}]},` + sentryImagesMeta + `}`
			sigs, err := Parse("event.json", []byte(ev))
			if err != nil {
				t.Fatal(err)
			}
			fr := sigs[0].Frames
			if len(fr) != len(tt.want) {
				t.Fatalf("got frames %+v", fr)
			}
			for i, w := range tt.want {
				if fr[i].AddrKind != w {
					t.Errorf("frame %d (offset %#x): got kind %v, want %v", i, fr[i].Offset, fr[i].AddrKind, w)
				}
			}
		})
	}
}

// TestSentryNativeGolden: the sentry-native event of testdata (a
// signal handler's stack, its images in debug_meta) keeps each frame's
// image and offset, libc's build ID too (its code_id in capitals), and
// drops the frame in the stack, outside every image.
func TestSentryNativeGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/sentry/native_debug_meta.json")
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := Parse("event.json", data)
	if err != nil {
		t.Fatal(err)
	}
	fr := sigs[0].Frames
	want := []struct {
		module string
		offset uint64
		kind   AddrKind
	}{
		{"/usr/local/bin/ledgerd", 0x10b10, AddrExact},
		{"/usr/local/bin/ledgerd", 0xd3f0, AddrReturn},
		{"/usr/local/bin/ledgerd", 0xc1a7, AddrReturn},
		{"/lib/x86_64-linux-gnu/libc.so.6", 0x2a24a, AddrReturn},
		{"/lib/x86_64-linux-gnu/libc.so.6", 0x2a305, AddrReturn},
		{"/usr/local/bin/ledgerd", 0xb0c5, AddrReturn},
	}
	if len(fr) != len(want) {
		t.Fatalf("got %d frames %+v, want %d", len(fr), fr, len(want))
	}
	for i, w := range want {
		if fr[i].Module != w.module || fr[i].Offset != w.offset || fr[i].AddrKind != w.kind || fr[i].BuildID == "" {
			t.Errorf("frame %d: got %+v, want %+v with a build ID", i, fr[i], w)
		}
	}
	if fr[3].BuildID != "c289da5071a3399de893d2af81d6a30c62646e1e" {
		t.Errorf("libc's build ID: got %q", fr[3].BuildID)
	}
}
