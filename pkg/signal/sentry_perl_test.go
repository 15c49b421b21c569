package signal

import (
	"reflect"
	"testing"
)

// TestPerlSentryEvent: an event of platform perl (sent by a community
// client; Sentry has no Perl SDK of its own) without in_app marks reads by
// the Perl rules: Carton's local/lib/perl5/ and the system's perl5 are not
// in-app.
func TestPerlSentryEvent(t *testing.T) {
	ev := `{"platform":"perl","timestamp":"2026-11-30T10:15:22Z","exception":{"values":[{"type":"Mojo::Exception","value":"cart 9 not found","stacktrace":{"frames":[` +
		`{"filename":"bin/shop","abs_path":"/srv/shop/bin/shop","lineno":9},` +
		`{"filename":"/usr/share/perl5/Try/Tiny.pm","abs_path":"/usr/share/perl5/Try/Tiny.pm","lineno":102,"function":"Try::Tiny::try","module":"Try::Tiny"},` +
		`{"filename":"local/lib/perl5/Mojolicious.pm","abs_path":"/srv/shop/local/lib/perl5/Mojolicious.pm","lineno":193,"function":"Mojolicious::_action","module":"Mojolicious"},` +
		`{"filename":"lib/Shop/Model/Carts.pm","abs_path":"/srv/shop/lib/Shop/Model/Carts.pm","lineno":18,"function":"Shop::Model::Carts::find","module":"Shop::Model::Carts"}]}}]}}`
	sigs, got := parseFrames(t, ev, placeShow)
	want := []string{
		"*/srv/shop/lib/Shop/Model/Carts.pm:18 Shop::Model::Carts::find",
		"/srv/shop/local/lib/perl5/Mojolicious.pm:193 Mojolicious::_action",
		"/usr/share/perl5/Try/Tiny.pm:102 Try::Tiny::try",
		"*/srv/shop/bin/shop:9 ",
	}
	if len(sigs) != 1 || sigs[0].Format != FormatSentry || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals, the first %s with frames\n%q\nwant one sentry signal with\n%q", len(sigs), sigs[0].Format, got, want)
	}
	if f := sentryFormat("perl"); f != FormatPerl {
		t.Errorf("sentryFormat(perl) = %q, want %q", f, FormatPerl)
	}
}
