package signal

import (
	"reflect"
	"testing"
)

// TestPHPSentryEvent: a PHP SDK's event without in_app marks reads by the
// PHP rules: Composer's vendor/ and PHP's [internal] frames are not in-app.
func TestPHPSentryEvent(t *testing.T) {
	ev := `{"platform":"php","timestamp":"2026-11-30T10:15:22Z","exception":{"values":[{"type":"App\\Exception\\CartException","value":"cart is empty","stacktrace":{"frames":[` +
		`{"filename":"/public/index.php","abs_path":"/var/www/app/public/index.php","lineno":20},` +
		`{"filename":"/vendor/symfony/http-kernel/HttpKernel.php","abs_path":"/var/www/app/vendor/symfony/http-kernel/HttpKernel.php","lineno":181,"function":"Symfony\\Component\\HttpKernel\\HttpKernel::handle"},` +
		`{"filename":"[internal]","abs_path":"[internal]","lineno":0,"function":"array_map"},` +
		`{"filename":"/src/Checkout.php","abs_path":"/var/www/app/src/Checkout.php","lineno":17,"function":"App\\Checkout::place"},` +
		`{"filename":"/src/Cart.php","abs_path":"/var/www/app/src/Cart.php","lineno":42,"function":"App\\Cart::total"}]}}]}}`
	sigs, got := parseFrames(t, ev, placeShow)
	want := []string{
		"*/var/www/app/src/Cart.php:42 App\\Cart::total",
		"*/var/www/app/src/Checkout.php:17 App\\Checkout::place",
		"[internal]:0 array_map",
		"/var/www/app/vendor/symfony/http-kernel/HttpKernel.php:181 Symfony\\Component\\HttpKernel\\HttpKernel::handle",
		"*/var/www/app/public/index.php:20 ",
	}
	if len(sigs) != 1 || sigs[0].Format != FormatSentry || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals, the first %s with frames\n%q\nwant one sentry signal with\n%q", len(sigs), sigs[0].Format, got, want)
	}
	if f := sentryFormat("php"); f != FormatPHP {
		t.Errorf("sentryFormat(php) = %q, want %q", f, FormatPHP)
	}
}
