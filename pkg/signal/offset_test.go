package signal

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
)

// offsetRow is a case of the module offsets a parser reads: the report
// (a testdata file's path when it starts with "testdata/", else the
// text), the format it must be read as, and each frame of its first
// signal (the frames the show function of offsetFrame writes), or the
// first frames only.
type offsetRow struct {
	name, in, format string
	want             []string
}

// offsetFrame writes a frame's function, module (its base name), offset
// and build ID: "Renderer::draw libsketch.so 0x4fb2c 5e1f...", "-" for
// what it has not.
func offsetFrame(f Frame) string {
	fn, mod, off, id := f.Function, path.Base(strings.ReplaceAll(f.Module, `\`, "/")), "-", f.BuildID
	if fn == "" {
		fn = "-"
	}
	if f.Module == "" {
		mod = "-"
	}
	if f.Offset != 0 {
		off = fmt.Sprintf("%#x", f.Offset)
	}
	if id == "" {
		id = "-"
	}
	return fn + " " + mod + " " + off + " " + id
}

// checkOffsetRows parses each row and compares its first signal's frames
// (as many as the row lists) with the row's.
func checkOffsetRows(t *testing.T, rows []offsetRow) {
	t.Helper()
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			name, data := "trace.txt", []byte(tt.in)
			if strings.HasPrefix(tt.in, "testdata/") {
				var err error
				if data, err = os.ReadFile(tt.in); err != nil {
					t.Fatal(err)
				}
				name = tt.in
			}
			sigs, err := Parse(name, data)
			if err != nil || len(sigs) == 0 {
				t.Fatalf("Parse: %d signals, error %v", len(sigs), err)
			}
			if sigs[0].Format != tt.format {
				t.Fatalf("got format %s, want %s", sigs[0].Format, tt.format)
			}
			var got []string
			for _, f := range sigs[0].Frames {
				got = append(got, offsetFrame(f))
			}
			if len(got) > len(tt.want) {
				got = got[:len(tt.want)]
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got frames\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// checkFrameOffsets asserts what every frame keeps of its module offset
// on any input: an offset or a build ID only with the module it is of,
// a build ID in lower-case hexadecimal.
func checkFrameOffsets(t *testing.T, sigs []Signal) {
	t.Helper()
	for _, s := range sigs {
		for _, f := range s.Frames {
			if (f.Offset != 0 || f.BuildID != "") && f.Module == "" {
				t.Fatalf("frame %+v has an offset or a build ID and no module", f)
			}
			if f.BuildID != "" && (normalBuildID(f.BuildID) != f.BuildID) {
				t.Fatalf("frame %+v: build ID %q is not lower-case hexadecimal", f, f.BuildID)
			}
		}
	}
}

// TestNormalBuildID: build IDs and UUIDs as reports print them.
func TestNormalBuildID(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"5e1f0c9a7b3d42e8a1c6f09b8d7e2a41", "5e1f0c9a7b3d42e8a1c6f09b8d7e2a41"},
		{"1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"},
		{" 0B3A6C1E ", "0b3a6c1e"},
		{"not hex", ""},
		{"", ""},
		{"-", ""},
	} {
		if got := normalBuildID(tt.in); got != tt.want {
			t.Errorf("normalBuildID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
