package signal

import "testing"

func TestSentryUnsymbolicatedNote(t *testing.T) {
	in := `{"platform":"native","exception":{"values":[{"type":"SIGSEGV","value":"SEGV_MAPERR","stacktrace":{"frames":[
		{"instruction_addr":"0x1000","package":"/usr/bin/app"},
		{"instruction_addr":"0x1010","package":"/usr/bin/app","function":"<unknown>"},
		{"instruction_addr":"0x1020","filename":"src/main.c","lineno":12,"function":"main"}]}}]}}`
	sigs, err := Parse("event.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := "2 of 3 frames are unsymbolicated (only instruction addresses): upload debug files to Sentry so frames carry file and line"
	if len(sigs[0].Notes) != 1 || sigs[0].Notes[0] != want {
		t.Errorf("notes: got %q, want [%q]", sigs[0].Notes, want)
	}
	// Only addresses, and no exception type: still a signal, with the note.
	in = `{"platform":"native","title":"crash in app","threads":{"values":[{"crashed":true,"stacktrace":{"frames":[{"instruction_addr":"0x1000"}]}}]}}`
	sigs, err = Parse("event.json", []byte(in))
	if err != nil {
		t.Fatalf("Parse of an unsymbolicated event: got %v, want a signal with a note", err)
	}
	if len(sigs[0].Frames) != 0 || len(sigs[0].Notes) != 1 {
		t.Errorf("got %d frames and notes %q, want none and one note", len(sigs[0].Frames), sigs[0].Notes)
	}
}
