package signal

import (
	"fmt"
	"reflect"
	"testing"
)

// TestSentryDartEventReadsLikeItsTrace: a Sentry event of a Flutter app
// (frames of platform "dart", abs_path the library's URI, filename its
// base name, package the Dart package, an await's "<asynchronous
// suspension>" frame) reads as the pasted trace does: the same files,
// lines, functions and in-app flags, judged by the Dart rules when the
// frames carry no in_app, whether the event's platform is the SDK's
// "other", "dart" or "flutter".
func TestSentryDartEventReadsLikeItsTrace(t *testing.T) {
	pasted := parseOne(t, "Unhandled exception:\nBad state: No element\n"+
		"#0      ListBase.first (dart:collection/list.dart:44:5)\n"+
		"#1      CartModel.total (package:shop/models/cart_model.dart:42:7)\n"+
		"<asynchronous suspension>\n"+
		"#2      StatefulElement.build (package:flutter/src/widgets/framework.dart:5592:27)\n",
		FormatDart, "dart:collection/list.dart", 44, 3)
	frames := `[
		{"abs_path":"package:flutter/src/widgets/framework.dart","filename":"framework.dart","package":"flutter","function":"StatefulElement.build","lineno":5592,"colno":27%s},
		{"abs_path":"<asynchronous suspension>"},
		{"abs_path":"package:shop/models/cart_model.dart","filename":"cart_model.dart","package":"shop","function":"CartModel.total","lineno":42,"colno":7%s},
		{"abs_path":"dart:collection/list.dart","filename":"list.dart","function":"ListBase.first","lineno":44,"colno":5%s}]`
	for _, tt := range []struct{ name, platform, framePlatform string }{
		{"the sdk's event", "other", `,"platform":"dart"`},
		{"a dart event", "dart", ""},
		{"a flutter event", "flutter", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fp := tt.framePlatform
			in := `{"platform":"` + tt.platform + `","exception":{"values":[{"type":"StateError","value":"Bad state: No element","stacktrace":{"frames":` +
				fmt.Sprintf(frames, fp, fp, fp) + `}}]}}`
			sigs, err := Parse("event.json", []byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Title != "StateError: Bad state: No element" {
				t.Fatalf("got %+v, want one signal titled StateError: Bad state: No element", sigs)
			}
			got := sigs[0].Frames
			if !reflect.DeepEqual(got, pasted.Frames) {
				t.Errorf("frames:\n got %+v\nwant %+v", got, pasted.Frames)
			}
		})
	}
}
