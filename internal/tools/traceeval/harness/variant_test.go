package harness

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestApplyVariant(t *testing.T) {
	ev := `{"platform":"native","exception":{"values":[
	 {"type":"freed by thread T0 here","stacktrace":{"frames":[{"filename":"src/a/free.c","abs_path":"src/a/free.c","function":"f","lineno":3,"in_app":true}]}},
	 {"type":"AddressSanitizer","stacktrace":{"frames":[{"function":"libc_start","in_app":false},{"filename":"src/a/use.c","function":"u","lineno":9,"in_app":true}]}}]}}`
	type fr struct {
		File, Abs string
		InApp     any
	}
	read := func(b []byte) (types []string, frames []fr) {
		var e struct {
			Exception struct {
				Values []struct {
					Type       string
					Stacktrace struct {
						Frames []map[string]any
					}
				}
			}
		}
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		for _, v := range e.Exception.Values {
			types = append(types, v.Type)
			for _, f := range v.Stacktrace.Frames {
				file, _ := f["filename"].(string)
				abs, _ := f["abs_path"].(string)
				frames = append(frames, fr{file, abs, f["in_app"]})
			}
		}
		return types, frames
	}
	for _, tt := range []struct {
		variant string
		types   []string
		frames  []fr
	}{
		{"", []string{"freed by thread T0 here", "AddressSanitizer"}, []fr{{"src/a/free.c", "src/a/free.c", true}, {"", "", false}, {"src/a/use.c", "", true}}},
		{"no-in-app", nil, []fr{{"src/a/free.c", "src/a/free.c", nil}, {"", "", nil}, {"src/a/use.c", "", nil}}},
		{"all-in-app", nil, []fr{{"src/a/free.c", "src/a/free.c", true}, {"", "", true}, {"src/a/use.c", "", true}}},
		{"none-in-app", nil, []fr{{"src/a/free.c", "src/a/free.c", false}, {"", "", false}, {"src/a/use.c", "", false}}},
		{"basename", nil, []fr{{"free.c", "", true}, {"", "", false}, {"use.c", "", true}}},
		{"dotdot", nil, []fr{{"../../src/a/free.c", "", true}, {"", "", false}, {"../../src/a/use.c", "", true}}},
		{"abs-path", nil, []fr{{"/build/src/src/a/free.c", "/build/src/src/a/free.c", true}, {"", "", false}, {"/build/src/src/a/use.c", "/build/src/src/a/use.c", true}}},
		{"crash-first", []string{"AddressSanitizer", "freed by thread T0 here"}, []fr{{"", "", false}, {"src/a/use.c", "", true}, {"src/a/free.c", "src/a/free.c", true}}},
	} {
		out, err := applyVariant([]byte(ev), tt.variant)
		if err != nil {
			t.Fatalf("%s: %v", tt.variant, err)
		}
		types, frames := read(out)
		if tt.types != nil && !reflect.DeepEqual(types, tt.types) {
			t.Errorf("%s: types %q, want %q", tt.variant, types, tt.types)
		}
		if !reflect.DeepEqual(frames, tt.frames) {
			t.Errorf("%s: frames %+v, want %+v", tt.variant, frames, tt.frames)
		}
	}
	if _, err := applyVariant([]byte(ev), "nonsense"); err == nil {
		t.Error("an unknown variant was accepted")
	}
}
