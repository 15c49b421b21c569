package signal

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// phpSample is PHP's report of an uncaught exception; thrown in Cart.php
// at line 42, in the total() that Checkout.php called.
const phpSample = "PHP Fatal error:  Uncaught Exception: cart is empty in /var/www/app/src/Cart.php:42\n" +
	"Stack trace:\n" +
	"#0 /var/www/app/src/Checkout.php(17): App\\Cart->total()\n" +
	"#1 /var/www/app/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php(180): App\\Checkout->run(Array)\n" +
	"#2 /var/www/app/public/index.php(9): Illuminate\\Pipeline\\Pipeline->then(Object(Closure))\n" +
	"#3 {main}\n" +
	"  thrown in /var/www/app/src/Cart.php on line 42\n"

// phpSampleFrames are phpSample's frames: the exception's own place in
// the function #0 called, then each line's place in the function the next
// line called.
var phpSampleFrames = []string{
	"*/var/www/app/src/Cart.php:42 App\\Cart->total",
	"*/var/www/app/src/Checkout.php:17 App\\Checkout->run",
	"/var/www/app/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php:180 Illuminate\\Pipeline\\Pipeline->then",
	"*/var/www/app/public/index.php:9 {main}",
}

// TestPHPForms reads each form of a PHP trace: PHP's own report (with
// error_log's time, as displayed, in HTML, through php-fpm), an
// exception's text, getTraceAsString() alone, PHP 5's, Laravel's and
// Symfony's log lines, and fatal errors without an exception.
func TestPHPForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"uncaught", phpSample, "Exception: cart is empty", phpSampleFrames},
		{"error_log's time and warnings around",
			"[30-Nov-2026 10:15:21 UTC] PHP Warning:  Undefined variable $coupon in /var/www/app/src/Coupon.php on line 8\n" +
				"[30-Nov-2026 10:15:21 UTC] PHP Notice:  Only variables should be passed by reference in /var/www/app/src/Coupon.php on line 9\n" +
				"[30-Nov-2026 10:15:22 UTC] " + phpSample +
				"[30-Nov-2026 10:15:23 UTC] PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /var/www/app/src/Coupon.php on line 11\n",
			"Exception: cart is empty", phpSampleFrames},
		{"display_errors without PHP's prefix",
			"\nWarning: Undefined array key 1 in /var/www/app/src/Coupon.php on line 8\n\n" + strings.TrimPrefix(strings.Replace(phpSample, "PHP Fatal error:  ", "Fatal error: ", 1), "PHP "),
			"Exception: cart is empty", phpSampleFrames},
		{"the CLI's logged and displayed copies are one signal",
			phpSample + "\n" + strings.Replace(phpSample, "PHP Fatal error:  ", "Fatal error: ", 1),
			"Exception: cart is empty", phpSampleFrames},
		{"syslog's prefixes",
			strings.ReplaceAll("\n"+strings.TrimSuffix(phpSample, "\n"), "\n", "\nNov 30 10:15:22 web1 php-fpm[812]: ")[1:] + "\n",
			"Exception: cart is empty", phpSampleFrames},
		{"display_errors in HTML",
			"<br />\n<b>Fatal error</b>:  Uncaught Exception: cart is empty in /var/www/app/src/Cart.php:42\n" +
				"Stack trace:\n#0 /var/www/app/src/Checkout.php(17): App\\Cart->total()\n#1 {main}\n" +
				"  thrown in <b>/var/www/app/src/Cart.php</b> on line <b>42</b><br />\n",
			"Exception: cart is empty",
			[]string{"*/var/www/app/src/Cart.php:42 App\\Cart->total", "*/var/www/app/src/Checkout.php:17 {main}"}},
		{"php-fpm's workers' output",
			"[30-Nov-2026 10:15:22] WARNING: [pool www] child 7 said into stderr: \"NOTICE: PHP message: PHP Fatal error:  Uncaught Exception: cart is empty in /var/www/app/src/Cart.php:42\"\n" +
				"[30-Nov-2026 10:15:22] WARNING: [pool www] child 7 said into stderr: \"Stack trace:\"\n" +
				"[30-Nov-2026 10:15:22] WARNING: [pool www] child 7 said into stderr: \"#0 /var/www/app/src/Checkout.php(17): App\\Cart->total()\"\n" +
				"[30-Nov-2026 10:15:22] WARNING: [pool www] child 7 said into stderr: \"#1 {main}\"\n" +
				"[30-Nov-2026 10:15:22] WARNING: [pool www] child 7 said into stderr: \"  thrown in /var/www/app/src/Cart.php on line 42\"\n",
			"Exception: cart is empty",
			[]string{"*/var/www/app/src/Cart.php:42 App\\Cart->total", "*/var/www/app/src/Checkout.php:17 {main}"}},
		{"a message of several lines",
			"PHP Fatal error:  Uncaught RuntimeException: import failed:\nrow 3: bad price\nrow 9: bad SKU in /var/www/app/src/Import.php:30\n" +
				"Stack trace:\n#0 /var/www/app/bin/import.php(12): App\\Import->run()\n#1 {main}\n  thrown in /var/www/app/src/Import.php on line 30\n",
			"RuntimeException: import failed:\nrow 3: bad price\nrow 9: bad SKU",
			[]string{"*/var/www/app/src/Import.php:30 App\\Import->run", "*/var/www/app/bin/import.php:12 {main}"}},
		{"a message holding \" in \"",
			"PHP Fatal error:  Uncaught TypeError: App\\Cart::add(): Argument #1 ($item) must be of type App\\Item, null given, called in /var/www/app/src/Checkout.php on line 17 and defined in /var/www/app/src/Cart.php:20\n" +
				"Stack trace:\n#0 /var/www/app/src/Checkout.php(17): App\\Cart::add(NULL)\n#1 {main}\n  thrown in /var/www/app/src/Cart.php on line 20\n",
			"TypeError: App\\Cart::add(): Argument #1 ($item) must be of type App\\Item, null given, called in /var/www/app/src/Checkout.php on line 17 and defined",
			[]string{"*/var/www/app/src/Cart.php:20 App\\Cart::add", "*/var/www/app/src/Checkout.php:17 {main}"}},
		{"an exception without a message, thrown at the top level",
			"PHP Fatal error:  Uncaught LogicException in /var/www/app/bin/run.php:5\nStack trace:\n#0 {main}\n  thrown in /var/www/app/bin/run.php on line 5\n",
			"LogicException", []string{"*/var/www/app/bin/run.php:5 {main}"}},
		{"an exception's own text",
			"App\\Exception\\CartException: cart is empty in /var/www/app/src/Cart.php:42\n" +
				"Stack trace:\n#0 /var/www/app/src/Checkout.php(17): App\\Cart::total(Array, 'gift-card-2026-...', 3, NULL, true)\n#1 {main}\n",
			"App\\Exception\\CartException: cart is empty",
			[]string{"*/var/www/app/src/Cart.php:42 App\\Cart::total", "*/var/www/app/src/Checkout.php:17 {main}"}},
		{"an exception's text in a log line",
			"[2026-11-30 10:15:22] app.ERROR: App\\Exception\\CartException: cart is empty in /var/www/app/src/Cart.php:42\n" +
				"Stack trace:\n#0 /var/www/app/src/Checkout.php(17): App\\Cart->total()\n#1 {main}\n",
			"App\\Exception\\CartException: cart is empty",
			[]string{"*/var/www/app/src/Cart.php:42 App\\Cart->total", "*/var/www/app/src/Checkout.php:17 {main}"}},
		{"getTraceAsString alone",
			"#0 /var/www/app/src/Checkout.php(17): App\\Cart->total(Object(App\\Customer), Array, 'EUR')\n" +
				"#1 [internal function]: App\\Checkout->App\\{closure}(Object(App\\Line))\n" +
				"#2 /var/www/app/src/Checkout.php(30): array_map(Object(Closure), Array)\n" +
				"#3 /var/www/app/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Checkout->place(Object(Symfony\\Component\\HttpFoundation\\Request))\n" +
				"#4 /var/www/app/public/index.php(20): Symfony\\Component\\HttpKernel\\HttpKernel->handle(Object(Symfony\\Component\\HttpFoundation\\Request))\n" +
				"#5 {main}\n",
			"",
			[]string{
				"*:0 App\\Cart->total",
				"*/var/www/app/src/Checkout.php:17 App\\Checkout->App\\{closure}",
				":0 array_map",
				"*/var/www/app/src/Checkout.php:30 App\\Checkout->place",
				"/var/www/app/vendor/symfony/http-kernel/HttpKernel.php:181 Symfony\\Component\\HttpKernel\\HttpKernel->handle",
				"*/var/www/app/public/index.php:20 {main}",
			}},
		{"getTraceAsString pasted from its middle, without its end",
			"#3 /var/www/app/src/Checkout.php(30): App\\Cart->total()\n#4 /var/www/app/public/index.php(20): App\\Checkout->place()\n",
			"",
			[]string{"*:0 App\\Cart->total", "*/var/www/app/src/Checkout.php:30 App\\Checkout->place", "*/var/www/app/public/index.php:20 "}},
		{"closures and eval'd code",
			"PHP Fatal error:  Uncaught Error: Call to a member function price() on null in /var/www/app/src/Cart.php(88) : eval()'d code:3\n" +
				"Stack trace:\n#0 /var/www/app/src/Cart.php(88): eval()\n" +
				"#1 /var/www/app/src/Cart.php(95): App\\Cart->{closure:App\\Cart::total():87}(Object(App\\Line))\n" +
				"#2 /var/www/app/public/index.php(9): App\\Cart->total()\n#3 {main}\n  thrown in /var/www/app/src/Cart.php(88) : eval()'d code on line 3\n",
			"Error: Call to a member function price() on null",
			[]string{
				":0 eval",
				"*/var/www/app/src/Cart.php:88 App\\Cart->{closure:App\\Cart::total():87}",
				"*/var/www/app/src/Cart.php:95 App\\Cart->total",
				"*/var/www/app/public/index.php:9 {main}",
			}},
		{"a frame in eval'd code",
			"#0 /var/www/app/src/Rules.php(12) : eval()'d code(1): App\\Rules->check()\n#1 /var/www/app/src/Rules.php(12): eval()\n#2 {main}\n",
			"",
			[]string{"*:0 App\\Rules->check", "*/var/www/app/src/Rules.php:12 eval", "*/var/www/app/src/Rules.php:12 {main}"}},
		{"thrown by one of PHP's functions",
			"PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/app/src/Db.php:14\n" +
				"Stack trace:\n#0 /var/www/app/src/Db.php(14): PDO->__construct('mysql:host=db;d...', 'shop', Object(SensitiveParameterValue))\n" +
				"#1 /var/www/app/public/index.php(5): App\\Db->connect()\n#2 {main}\n  thrown in /var/www/app/src/Db.php on line 14\n",
			"PDOException: SQLSTATE[HY000] [2002] Connection refused",
			[]string{":0 PDO->__construct", "*/var/www/app/src/Db.php:14 App\\Db->connect", "*/var/www/app/public/index.php:5 {main}"}},
		{"a file that require_once and include ran",
			"PHP Fatal error:  Uncaught RuntimeException: no config in /var/www/app/config/app.php:7\n" +
				"Stack trace:\n#0 /var/www/app/src/bootstrap.php(12): include('/var/www/app/co...')\n" +
				"#1 /var/www/app/public/index.php(3): require_once('/var/www/app/sr...')\n#2 {main}\n  thrown in /var/www/app/config/app.php on line 7\n",
			"RuntimeException: no config",
			[]string{"*/var/www/app/config/app.php:7 {include}", "*/var/www/app/src/bootstrap.php:12 {require_once}", "*/var/www/app/public/index.php:3 {main}"}},
		{"PHP 5 without a message",
			"PHP Fatal error:  Uncaught exception 'FooException' in /var/www/app/lib/Foo.php:22\n" +
				"Stack trace:\n#0 /var/www/app/index.php(9): foo('x')\n#1 {main}\n  thrown in /var/www/app/lib/Foo.php on line 22\n",
			"FooException",
			[]string{"*/var/www/app/lib/Foo.php:22 foo", "*/var/www/app/index.php:9 {main}"}},
		{"PHP 5",
			"PHP Fatal error:  Uncaught exception 'InvalidArgumentException' with message 'no such SKU' in /var/www/app/lib/Cart.php:42\n" +
				"Stack trace:\n#0 /var/www/app/index.php(9): Cart->add('4411')\n#1 {main}\n  thrown in /var/www/app/lib/Cart.php on line 42\n",
			"InvalidArgumentException: no such SKU",
			[]string{"*/var/www/app/lib/Cart.php:42 Cart->add", "*/var/www/app/index.php:9 {main}"}},
		{"Windows paths",
			"PHP Fatal error:  Uncaught Exception: cart is empty in C:\\xampp\\htdocs\\shop\\src\\Cart.php:42\n" +
				"Stack trace:\n#0 C:\\xampp\\htdocs\\shop\\index.php(9): App\\Cart->total()\n#1 {main}\n  thrown in C:\\xampp\\htdocs\\shop\\src\\Cart.php on line 42\n",
			"Exception: cart is empty",
			[]string{"*C:\\xampp\\htdocs\\shop\\src\\Cart.php:42 App\\Cart->total", "*C:\\xampp\\htdocs\\shop\\index.php:9 {main}"}},
		{"Laravel",
			"[2026-11-30 10:15:22] production.ERROR: cart is empty {\"userId\":1,\"exception\":\"[object] (App\\\\Exceptions\\\\CartException(code: 0): cart is empty at /var/www/app/app/Models/Cart.php:42)\n" +
				"[stacktrace]\n" +
				"#0 /var/www/app/app/Http/Controllers/CheckoutController.php(17): App\\\\Models\\\\Cart->total()\n" +
				"#1 /var/www/app/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\\\Http\\\\Controllers\\\\CheckoutController->store(Object(Illuminate\\\\Http\\\\Request))\n" +
				"#2 /var/www/app/public/index.php(51): Illuminate\\\\Routing\\\\Controller->callAction('store', Array)\n" +
				"#3 {main}\n\"} \n",
			"App\\Exceptions\\CartException: cart is empty",
			[]string{
				"*/var/www/app/app/Models/Cart.php:42 App\\Models\\Cart->total",
				"*/var/www/app/app/Http/Controllers/CheckoutController.php:17 App\\Http\\Controllers\\CheckoutController->store",
				"/var/www/app/vendor/laravel/framework/src/Illuminate/Routing/Controller.php:54 Illuminate\\Routing\\Controller->callAction",
				"*/var/www/app/public/index.php:51 {main}",
			}},
		{"Monolog's previous exception, the root cause first",
			"[2026-11-30T10:15:22+00:00] app.ERROR: checkout failed {\"exception\":\"[object] (App\\\\CheckoutException(code: 0): checkout failed at /var/www/app/src/Checkout.php:20)\n" +
				"[stacktrace]\n#0 /var/www/app/public/index.php(9): App\\\\Checkout->run()\n#1 {main}\n\n" +
				"[previous exception] [object] (App\\\\CartException(code: 7): cart is empty at /var/www/app/src/Cart.php:42)\n" +
				"[stacktrace]\n#0 /var/www/app/src/Checkout.php(18): App\\\\Cart->total()\n#1 /var/www/app/public/index.php(9): App\\\\Checkout->run()\n#2 {main}\n\"} []\n",
			"App\\CheckoutException: checkout failed",
			[]string{
				"*/var/www/app/src/Cart.php:42 App\\Cart->total",
				"*/var/www/app/src/Checkout.php:18 App\\Checkout->run",
				"*/var/www/app/public/index.php:9 {main}",
				"*/var/www/app/src/Checkout.php:20 App\\Checkout->run",
				"*/var/www/app/public/index.php:9 {main}",
			}},
		{"Monolog's previous exceptions on the exception's line",
			"[2026-11-30T10:15:22+00:00] app.ERROR: checkout failed {\"exception\":\"[object] (App\\\\CheckoutException(code: 0): checkout failed at /var/www/app/src/Checkout.php:20)\\n" +
				"[previous exception] [object] (App\\\\CartException(code: 7): cart is empty at /var/www/app/src/Cart.php:42)\\n" +
				"[previous exception] [object] (PDOException(code: 23000): SQLSTATE[23000]: duplicate key at /var/www/app/vendor/doctrine/dbal/src/Statement.php:130)\"} []\n",
			"App\\CheckoutException: checkout failed",
			[]string{
				"/var/www/app/vendor/doctrine/dbal/src/Statement.php:130 ",
				"*/var/www/app/src/Cart.php:42 ",
				"*/var/www/app/src/Checkout.php:20 ",
			}},
		{"Monolog's previous exception after an object of the context",
			"[2026-11-30T10:15:22+00:00] app.ERROR: checkout failed {\"user\":\"[object] (App\\\\Entity\\\\User: {\\\"id\\\":7})\",\"exception\":\"[object] (App\\\\CheckoutException(code: 0): checkout failed at /var/www/app/src/Checkout.php:20)\\n" +
				"[previous exception] [object] (App\\\\CartException(code: 7): cart is empty at /var/www/app/src/Cart.php:42)\"} []\n",
			"App\\CheckoutException: checkout failed",
			[]string{"*/var/www/app/src/Cart.php:42 ", "*/var/www/app/src/Checkout.php:20 "}},
		{"Symfony's line with previous exceptions",
			"[2026-11-30T10:15:22.481532+00:00] request.CRITICAL: Uncaught PHP Exception App\\Exception\\CheckoutException: \"checkout failed\" at /var/www/app/src/Checkout.php line 20 {\"exception\":\"[object] (App\\\\Exception\\\\CheckoutException(code: 0): checkout failed at /var/www/app/src/Checkout.php:20)\\n" +
				"[previous exception] [object] (App\\\\Exception\\\\CartException(code: 0): cart is empty at /var/www/app/src/Cart.php:42)\"} []\n",
			"App\\Exception\\CheckoutException: checkout failed",
			[]string{"*/var/www/app/src/Cart.php:42 ", "*/var/www/app/src/Checkout.php:20 "}},
		{"Symfony",
			"[2026-11-30T10:15:22.481532+00:00] request.CRITICAL: Uncaught PHP Exception App\\Exception\\CartException: \"cart is empty\" at /var/www/app/src/Cart.php line 42 {\"exception\":\"[object] (App\\\\Exception\\\\CartException(code: 0): cart is empty at /var/www/app/src/Cart.php:42)\"} []\n" +
				"[2026-11-30T10:15:22.502876+00:00] php.INFO: User Deprecated: x {\"exception\":\"[object] (ErrorException(code: 0): User Deprecated: x at /var/www/app/vendor/symfony/deprecation-contracts/function.php:25)\"} []\n",
			"App\\Exception\\CartException: cart is empty",
			[]string{"*/var/www/app/src/Cart.php:42 "}},
		{"Symfony with its stack trace",
			"[2026-11-30T10:15:22.481532+00:00] request.CRITICAL: Uncaught PHP Exception App\\Exception\\CartException: \"cart is empty\" at /var/www/app/src/Cart.php line 42 {\"exception\":\"[object] (App\\\\Exception\\\\CartException(code: 0): cart is empty at /var/www/app/src/Cart.php:42)\n" +
				"[stacktrace]\n#0 /var/www/app/src/Controller/CheckoutController.php(17): App\\\\Cart->total()\n#1 {main}\n\"} []\n",
			"App\\Exception\\CartException: cart is empty",
			[]string{"*/var/www/app/src/Cart.php:42 App\\Cart->total", "*/var/www/app/src/Controller/CheckoutController.php:17 {main}"}},
		{"a fatal error without an exception",
			"[30-Nov-2026 10:15:22 UTC] PHP Warning:  Undefined variable $x in /var/www/app/src/Export.php on line 7\n" +
				"[30-Nov-2026 10:15:22 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/src/Export.php on line 77\n",
			"Fatal error: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)",
			[]string{"*/var/www/app/src/Export.php:77 "}},
		{"a parse error",
			"PHP Parse error:  syntax error, unexpected token \"}\", expecting \";\" in /var/www/app/src/Cart.php on line 43\n",
			"Parse error: syntax error, unexpected token \"}\", expecting \";\"",
			[]string{"*/var/www/app/src/Cart.php:43 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneSignal(t, FormatPHP, tt.input, placeShow, tt.title, tt.want)
		})
	}
}

// TestPHPChain: PHP prints an exception's previous ones first and the
// outermost last, after "Next": the root cause's frames come first and
// the last "Next" titles the signal.
func TestPHPChain(t *testing.T) {
	in := "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 5 database is locked in /var/www/app/src/Db.php:30\n" +
		"Stack trace:\n" +
		"#0 /var/www/app/src/Db.php(30): PDOStatement->execute(Array)\n" +
		"#1 /var/www/app/src/Cart.php(42): App\\Db->insert('carts', Array)\n" +
		"#2 /var/www/app/public/index.php(9): App\\Cart->save()\n" +
		"#3 {main}\n\n" +
		"Next App\\StorageException: cart not saved in /var/www/app/src/Cart.php:44\n" +
		"Stack trace:\n" +
		"#0 /var/www/app/public/index.php(9): App\\Cart->save()\n" +
		"#1 {main}\n\n" +
		"Next App\\CheckoutException: checkout failed in /var/www/app/public/index.php:11\n" +
		"Stack trace:\n" +
		"#0 {main}\n" +
		"  thrown in /var/www/app/public/index.php on line 11\n"
	sigs, got := parseFrames(t, in, placeShow)
	want := []string{
		":0 PDOStatement->execute",
		"*/var/www/app/src/Db.php:30 App\\Db->insert",
		"*/var/www/app/src/Cart.php:42 App\\Cart->save",
		"*/var/www/app/public/index.php:9 {main}",
		"*/var/www/app/src/Cart.php:44 App\\Cart->save",
		"*/var/www/app/public/index.php:9 {main}",
		"*/var/www/app/public/index.php:11 {main}",
	}
	if len(sigs) != 1 || sigs[0].Title != "App\\CheckoutException: checkout failed" || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals, the first %q with frames\n%q\nwant one %q with\n%q", len(sigs), sigs[0].Title, got, "App\\CheckoutException: checkout failed", want)
	}
	for _, w := range []string{"pdoexception", "locked", "storageexception", "checkoutexception"} {
		if !containsString(sigs[0].Symptoms, w) {
			t.Errorf("symptoms %q lack %q", sigs[0].Symptoms, w)
		}
	}
	// PHP 5 wrote the same chain in its own words.
	php5 := "PHP Fatal error:  Uncaught exception 'PDOException' with message 'database is locked' in /var/www/app/lib/Db.php:30\n" +
		"Stack trace:\n#0 /var/www/app/lib/Cart.php(42): Db->insert('carts')\n#1 {main}\n\n" +
		"Next exception 'StorageException' with message 'cart not saved' in /var/www/app/lib/Cart.php:44\n" +
		"Stack trace:\n#0 {main}\n  thrown in /var/www/app/lib/Cart.php on line 44\n"
	sigs, got = parseFrames(t, php5, placeShow)
	want = []string{"*/var/www/app/lib/Db.php:30 Db->insert", "*/var/www/app/lib/Cart.php:42 {main}", "*/var/www/app/lib/Cart.php:44 {main}"}
	if len(sigs) != 1 || sigs[0].Title != "StorageException: cart not saved" || !reflect.DeepEqual(got, want) {
		t.Errorf("PHP 5: got %d signals, the first %q with frames %q; want one %q with %q", len(sigs), sigs[0].Title, got, "StorageException: cart not saved", want)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPHPSeveralErrors: each uncaught exception, trace and fatal error of
// a log is a signal of its own, at its own log time.
func TestPHPSeveralErrors(t *testing.T) {
	in := "[30-Nov-2026 10:15:22 UTC] " + phpSample +
		"[30-Nov-2026 10:16:00 UTC] PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/app/src/Report.php on line 120\n" +
		"[30-Nov-2026 10:17:00 UTC] " + strings.Replace(phpSample, "cart is empty", "cart is gone", 1)
	sigs, err := Parse("error_log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		got = append(got, fmt.Sprintf("%s %s %d", s.Timestamp.Format(time.TimeOnly), s.Title, len(s.Frames)))
	}
	want := []string{
		"10:15:22 Exception: cart is empty 4",
		"10:16:00 Fatal error: Maximum execution time of 30 seconds exceeded 1",
		"10:17:00 Exception: cart is gone 4",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPHPTime: error_log's time with its zone is the signal's; a log time
// without a zone (Laravel's, php-fpm's) is not taken; Monolog's own (with
// its offset) is.
func TestPHPTime(t *testing.T) {
	laravel := "[%s] production.ERROR: cart is empty {\"exception\":\"[object] (Exception(code: 0): cart is empty at /var/www/app/src/Cart.php:42)\n[stacktrace]\n#0 {main}\n\"} \n"
	for _, now := range []time.Time{
		time.Date(2026, 11, 30, 10, 15, 22, 0, time.UTC),
		time.Now().UTC().Add(-time.Hour).Truncate(time.Second), // the real clock's
	} {
		tests := []struct {
			name, input string
			want        *time.Time
		}{
			{"error_log", "[" + now.Format("02-Jan-2006 15:04:05") + " UTC] " + phpSample, &now},
			{"error_log with Xdebug's stack", "[" + now.Format("02-Jan-2006 15:04:05") + " UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted in /var/www/app/src/Cart.php on line 42\n" +
				"[" + now.Add(time.Second).Format("02-Jan-2006 15:04:05") + " UTC] PHP Stack trace:\n" +
				"[" + now.Add(time.Second).Format("02-Jan-2006 15:04:05") + " UTC] PHP   1. {main}() /var/www/app/public/index.php:0\n" +
				"[" + now.Add(time.Second).Format("02-Jan-2006 15:04:05") + " UTC] PHP   2. App\\Cart->total() /var/www/app/public/index.php:9\n", &now},
			{"Laravel", fmt.Sprintf(laravel, now.Format(time.DateTime)), nil},
			{"Monolog", fmt.Sprintf(laravel, now.In(time.FixedZone("", 3600)).Format("2006-01-02T15:04:05.000000-07:00")), &now},
			{"php-fpm", "[" + now.Format("02-Jan-2006 15:04:05") + "] WARNING: [pool www] child 7 said into stderr: \"" +
				strings.ReplaceAll(strings.TrimSuffix(phpSample, "\n"), "\n", "\"\n[x] WARNING: [pool www] child 7 said into stderr: \"") + "\"\n", nil},
		}
		for _, tt := range tests {
			t.Run(now.Format(time.DateOnly)+" "+tt.name, func(t *testing.T) {
				wantSignalTime(t, FormatPHP, tt.input, tt.want)
			})
		}
	}
	// A zone named by date.timezone, when this machine knows it.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database here")
	}
	now := time.Now().In(berlin).Add(-time.Hour).Truncate(time.Second)
	sigs, err := Parse("error_log", []byte("["+now.Format("02-Jan-2006 15:04:05")+" Europe/Berlin] "+phpSample))
	if err != nil {
		t.Fatal(err)
	}
	if got := sigs[0].Timestamp; got == nil || !got.Equal(now) {
		t.Errorf("Europe/Berlin: got %v, want %v", got, now.UTC())
	}
}

// TestPHPNotTraces: text that only looks like PHP's is no PHP signal.
func TestPHPNotTraces(t *testing.T) {
	for _, in := range []string{
		"see /var/www/app/index.php for details\n#1 first item\n#2 {main} second\n",
		"PHP Warning:  Undefined variable $x in /var/www/app/src/a.php on line 3\nPHP Notice:  Undefined index: y in /var/www/app/src/a.php on line 4\n",
		"Uncaught TypeError: Cannot read properties of undefined (reading 'x')\n    at f (https://shop.example.com/app.php.js:1:2)\n",
		"[2026-11-30T10:15:22.502876+00:00] php.INFO: User Deprecated: x {\"exception\":\"[object] (ErrorException(code: 0): User Deprecated: x at /var/www/app/vendor/a/b.php:25)\"} []\n",
		// The stacks Xdebug adds to warnings, notices, deprecations and
		// xdebug_print_function_stack() (logged, displayed, in HTML).
		"[30-Nov-2026 10:15:21 UTC] PHP Warning:  Undefined variable $x in /var/www/app/src/a.php on line 3\n" +
			"[30-Nov-2026 10:15:21 UTC] PHP Stack trace:\n[30-Nov-2026 10:15:21 UTC] PHP   1. {main}() /var/www/app/index.php:0\n" +
			"[30-Nov-2026 10:15:21 UTC] PHP   2. App\\A->run() /var/www/app/index.php:5\n" +
			"[30-Nov-2026 10:15:22 UTC] PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /var/www/app/src/a.php on line 4\n" +
			"[30-Nov-2026 10:15:22 UTC] PHP Stack trace:\n[30-Nov-2026 10:15:22 UTC] PHP   1. {main}() /var/www/app/index.php:0\n" +
			"[30-Nov-2026 10:15:22 UTC] PHP   2. App\\A->run() /var/www/app/index.php:5\n[30-Nov-2026 10:15:22 UTC] PHP   3. strlen($string = NULL) /var/www/app/src/a.php:4\n",
		"2026/11/30 10:15:22 [error] 2796#2796: *3 FastCGI sent in stderr: \"PHP message: PHP Warning:  oci_connect(): OCIEnvNlsCreate() failed.\n in /var/www/app/db.php on line 2\n" +
			"PHP message: PHP Stack trace:\nPHP message: PHP   1. {main}() /var/www/app/db.php:0\nPHP message: PHP   2. oci_connect() /var/www/app/db.php:2\" while reading response header from upstream\n",
		"\nNotice: Undefined index: y in /var/www/app/src/a.php on line 4\n\nCall Stack:\n    0.0001     393744   1. {main}() /var/www/app/src/a.php:0\n    0.0002     393744   2. f() /var/www/app/src/a.php:9\n",
		"Xdebug: user triggered in /var/www/app/src/a.php on line 4\n\nCall Stack:\n    0.0001     393744   1. {main}() /var/www/app/src/a.php:0\n    0.0002     393744   2. f() /var/www/app/src/a.php:9\n",
		xdebugHTMLHead("warning", "Warning: Undefined variable $x in /var/www/app/src/a.php on line <i>3</i>") + xdebugHTMLStack +
			htmlStackRow(1, "{main}(  )", "/var/www/app/src/a.php", 0) + htmlStackRow(2, "f(  )", "/var/www/app/src/a.php", 9) + "</table></font>\n",
	} {
		noSignalOf(t, FormatPHP, in)
	}
}

// TestPHPCapsFrames: a trace longer than MaxFrames is one signal, cut.
func TestPHPCapsFrames(t *testing.T) {
	var b strings.Builder
	b.WriteString("PHP Fatal error:  Uncaught Error: Maximum function nesting level reached in /var/www/app/src/Tree.php:9\nStack trace:\n")
	for i := 0; i < MaxFrames+50; i++ {
		fmt.Fprintf(&b, "#%d /var/www/app/src/Tree.php(12): App\\Tree->walk(Object(App\\Node))\n", i)
	}
	fmt.Fprintf(&b, "#%d {main}\n  thrown in /var/www/app/src/Tree.php on line 9\n", MaxFrames+50)
	wantCapped(t, b.String())
}

// htmlStackRow is a row of Xdebug 3's HTML "Call Stack" table.
func htmlStackRow(n int, fn, file string, line int) string {
	return fmt.Sprintf("<tr><td bgcolor='#eeeeec' align='center'>%d</td><td bgcolor='#eeeeec' align='center'>0.0012</td><td bgcolor='#eeeeec' align='right'>402728</td>"+
		"<td bgcolor='#eeeeec'>%s</td><td title='%s' bgcolor='#eeeeec'>...%s<b>:</b>%d</td></tr>\n", n, fn, file, file[strings.LastIndexByte(file, '/'):], line)
}

// xdebugHTMLHead is the head of Xdebug 3's HTML table for an error.
func xdebugHTMLHead(class, text string) string {
	return "<br />\n<font size='1'><table class='xdebug-error xe-" + class + "' dir='ltr' border='1' cellspacing='0' cellpadding='1'>\n" +
		"<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> " + text + "</th></tr>\n"
}

// xdebugHTMLStack is the head of the "Call Stack" of Xdebug 3's HTML table.
const xdebugHTMLStack = "<tr><th align='left' bgcolor='#e9b96e' colspan='5'>Call Stack</th></tr>\n" +
	"<tr><th align='center' bgcolor='#eeeeec'>#</th><th align='left' bgcolor='#eeeeec'>Time</th><th align='left' bgcolor='#eeeeec'>Memory</th><th align='left' bgcolor='#eeeeec'>Function</th><th align='left' bgcolor='#eeeeec'>Location</th></tr>\n"

// xdebugKernelFrames are the frames of the uncaught TypeError thrown in
// App\Cart->total() that the tests of Xdebug's stacks report.
var xdebugKernelFrames = []string{
	"*/var/www/app/src/Cart.php:42 App\\Cart->total",
	"*/var/www/app/src/Kernel.php:55 App\\Kernel->handle",
	"*/var/www/app/public/index.php:20 {main}",
}

// TestPHPXdebug reads the stacks Xdebug (2 and 3) adds to PHP's errors: in
// the log ("PHP Stack trace:"), displayed ("Call Stack:" with each row's
// time and memory, in colour, in HTML), alone; its rows, outermost first,
// name a function and the place it was called from, so each place takes
// the function of the row before it, and the error's place is in the last
// row's function. With PHP's trace too, the frames are PHP's unless
// Xdebug's stack has more.
func TestPHPXdebug(t *testing.T) {
	const logStack = "PHP Stack trace:\n" +
		"PHP   1. {main}() /var/www/app/public/index.php:0\n" +
		"PHP   2. App\\Kernel->handle($request = class Symfony\\Component\\HttpFoundation\\Request { public $attributes = class ParameterBag { ... } }) /var/www/app/public/index.php:20\n" +
		"PHP   3. App\\Cart->total() /var/www/app/src/Kernel.php:55\n"
	const shownStack = "Call Stack:\n" +
		"    0.0002     393744   1. {main}() /var/www/app/public/index.php:0\n" +
		"    0.0010     402728   2. App\\Kernel->handle($request = class Symfony\\Component\\HttpFoundation\\Request { ... }) /var/www/app/public/index.php:20\n" +
		"    0.0012     402728   3. App\\Cart->total() /var/www/app/src/Kernel.php:55\n"
	const uncaught = "PHP Fatal error:  Uncaught TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given in /var/www/app/src/Cart.php:42\n" +
		"Stack trace:\n" +
		"#0 /var/www/app/src/Kernel.php(55): App\\Cart->total()\n" +
		"#1 /var/www/app/public/index.php(20): App\\Kernel->handle(Object(Symfony\\Component\\HttpFoundation\\Request))\n" +
		"#2 {main}\n" +
		"  thrown in /var/www/app/src/Cart.php on line 42\n"
	const title = "TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given"
	const shown = "Fatal error: Uncaught TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given in /var/www/app/src/Cart.php on line 42\n\n" +
		"TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given in /var/www/app/src/Cart.php on line 42\n\n"
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"logged after PHP's trace", uncaught + logStack, title, xdebugKernelFrames},
		{"logged after PHP's trace, which error_log cut",
			strings.Replace(uncaught, "#1 /var/www/app/public/index.php(20): App\\Kernel->handle(Object(Symfony\\Component\\HttpFoundation\\Request))\n#2 {main}\n  thrown in /var/www/app/src/Cart.php on line 42\n", "#1 /var/www/app/public/index.php(20): App\\Kernel->handle(Object(Symf\n", 1) + logStack,
			title, xdebugKernelFrames},
		{"logged with error_log's times",
			"[30-Nov-2026 10:15:22 UTC] " + strings.ReplaceAll(strings.TrimSuffix(uncaught+logStack, "\n"), "\nPHP ", "\n[30-Nov-2026 10:15:22 UTC] PHP ") + "\n",
			title, xdebugKernelFrames},
		{"through nginx",
			"2026/11/30 10:15:22 [error] 2796#2796: *3 FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/src/Cart.php on line 42\n" +
				strings.ReplaceAll(strings.TrimSuffix(logStack, "\n"), "PHP ", "PHP message: PHP ") + "\" while reading response header from upstream\n",
			"Fatal error: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)", xdebugKernelFrames},
		{"displayed by Xdebug 3, without PHP's trace", shown + shownStack, title, xdebugKernelFrames},
		{"displayed in colour",
			"\x1b[1m\x1b[31mFatal error\x1b[0m: Uncaught TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given\x1b[22m in \x1b[31m/var/www/app/src/Cart.php\x1b[0m on line \x1b[32m42\x1b[0m\x1b[22m\n\n" +
				"\x1b[1m\x1b[31mTypeError\x1b[0m: App\\Price::of(): Argument #1 ($cents) must be of type int, string given\x1b[22m in \x1b[31m/var/www/app/src/Cart.php\x1b[0m on line \x1b[32m42\x1b[0m\x1b[22m\n\n" +
				"\x1b[1mCall Stack:\x1b[22m\n" + strings.TrimPrefix(shownStack, "Call Stack:\n"),
			title, xdebugKernelFrames},
		{"logged and displayed by the CLI, one signal", uncaught + logStack + "\n" + shown + shownStack, title, xdebugKernelFrames},
		{"in Xdebug 3's HTML",
			xdebugHTMLHead("uncaught-exception", "Fatal error: Uncaught TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given in <a style='color: black' href='phpstorm://open?file=/var/www/app/src/Cart.php&amp;line=42'>/var/www/app/src/Cart.php</a> on line <i>42</i>") +
				"<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> TypeError: App\\Price::of(): Argument #1 ($cents) must be of type int, string given in /var/www/app/src/Cart.php on line <i>42</i></th></tr>\n" +
				xdebugHTMLStack +
				htmlStackRow(1, "{main}(  )", "/var/www/app/public/index.php", 0) +
				htmlStackRow(2, "App\\Kernel->handle( <span>$request = </span><span>class Symfony\\Component\\HttpFoundation\\Request { ... }</span> )", "/var/www/app/public/index.php", 20) +
				"<tr><td bgcolor='#eeeeec' align='center'>3</td><td bgcolor='#eeeeec' align='center'>0.0012</td><td bgcolor='#eeeeec' align='right'>402728</td><td bgcolor='#eeeeec'>App\\Cart->total(  )</td>" +
				"<td title='/var/www/app/src/Kernel.php' bgcolor='#eeeeec'><a style='color: black' href='phpstorm://open?file=/var/www/app/src/Kernel.php&amp;line=55'>.../Kernel.php<b>:</b>55</a></td></tr>\n" +
				"</table></font>\n",
			title, xdebugKernelFrames},
		{"in Xdebug 2's HTML",
			"<br />\n<font size='1'><table class='xdebug-error xe-fatal-error' dir='ltr' border='1' cellspacing='0' cellpadding='1'>\n" +
				"<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> Fatal error: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/src/Cart.php on line <i>42</i></th></tr>\n" +
				"<tr><th align='left' bgcolor='#e9b96e' colspan='5'>Call Stack</th></tr>\n" +
				"<tr><th align='center' bgcolor='#eeeeec'>#</th><th align='left' bgcolor='#eeeeec'>Time</th><th align='left' bgcolor='#eeeeec'>Memory</th><th align='left' bgcolor='#eeeeec'>Function</th><th align='left' bgcolor='#eeeeec'>Location</th></tr>\n" +
				"<tr><td bgcolor='#eeeeec' align='center'>1</td><td bgcolor='#eeeeec' align='center'>0.0002</td><td bgcolor='#eeeeec' align='right'>393744</td><td bgcolor='#eeeeec'>{main}(  )</td><td title='/var/www/app/public/index.php' bgcolor='#eeeeec'>..\\index.php<b>:</b>0</td></tr>\n" +
				"<tr><td bgcolor='#eeeeec' align='center'>2</td><td bgcolor='#eeeeec' align='center'>0.0010</td><td bgcolor='#eeeeec' align='right'>402728</td><td bgcolor='#eeeeec'>App\\Kernel->handle(  )</td><td title='/var/www/app/public/index.php' bgcolor='#eeeeec'>..\\index.php<b>:</b>20</td></tr>\n" +
				"<tr><td bgcolor='#eeeeec' align='center'>3</td><td bgcolor='#eeeeec' align='center'>0.0012</td><td bgcolor='#eeeeec' align='right'>402728</td><td bgcolor='#eeeeec'>App\\Cart->total(  )</td><td title='/var/www/app/src/Kernel.php' bgcolor='#eeeeec'>..\\Kernel.php<b>:</b>55</td></tr>\n" +
				"</table></font>\n",
			"Fatal error: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)", xdebugKernelFrames},
		{"after a fatal error without an exception",
			"PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/app/src/Cart.php on line 42\n" + logStack,
			"Fatal error: Maximum execution time of 30 seconds exceeded", xdebugKernelFrames},
		{"raised by one of PHP's functions",
			"PHP Fatal error:  Uncaught ValueError: str_repeat(): Argument #2 ($times) must be greater than or equal to 0 in /var/www/app/src/Cart.php:42\n" +
				"Stack trace:\n#0 /var/www/app/src/Cart.php(42): str_repeat('-', -1)\n#1 /var/www/app/src/Kernel.php(55): App\\Cart->total()\n#2 /var/www/app/public/index.php(20): App\\Kernel->handle(Object(Req\n" +
				logStack + "PHP   4. str_repeat($string = '-', $times = -1) /var/www/app/src/Cart.php:42\n",
			"ValueError: str_repeat(): Argument #2 ($times) must be greater than or equal to 0",
			append([]string{":0 str_repeat"}, xdebugKernelFrames...)},
		{"a callback of one of PHP's functions",
			"Fatal error: Uncaught Exception: no price in /var/www/app/src/Line.php on line 9\n\nException: no price in /var/www/app/src/Line.php on line 9\n\n" +
				"Call Stack:\n" +
				"    0.0002     393744   1. {main}() /var/www/app/public/index.php:0\n" +
				"    0.0010     402728   2. array_map($callback = class Closure { ... }, $array = [0 => class App\\Line { ... }]) /var/www/app/public/index.php:20\n" +
				"    0.0011     402728   3. {closure:/var/www/app/public/index.php:18-20}($line = class App\\Line { ... }) /var/www/app/public/index.php:20\n" +
				"    0.0012     402728   4. App\\Line->price() /var/www/app/public/index.php:19\n",
			"Exception: no price",
			[]string{
				"*/var/www/app/src/Line.php:9 App\\Line->price",
				"*/var/www/app/public/index.php:19 {closure:/var/www/app/public/index.php:18-20}",
				":0 array_map",
				"*/var/www/app/public/index.php:20 {main}",
			}},
		{"Xdebug 2 and PHP 5",
			"Fatal error: Uncaught exception 'FooException' in /var/www/app/lib/Foo.php on line 22\n\nFooException:  in /var/www/app/lib/Foo.php on line 22\n\n" +
				"Call Stack:\n    0.0004     228992   1. {main}() /var/www/app/index.php:0\n    0.0016     250640   2. foo() /var/www/app/index.php:20\n",
			"FooException", []string{"*/var/www/app/lib/Foo.php:22 foo", "*/var/www/app/index.php:20 {main}"}},
		{"a parse error in a file require_once reads, on Windows",
			"PHP Parse error:  syntax error, unexpected token \"}\" in C:\\xampp\\htdocs\\shop\\src\\Cart.php on line 43\n" +
				"PHP Stack trace:\nPHP   1. {main}() C:\\xampp\\htdocs\\shop\\index.php:0\nPHP   2. require_once() C:\\xampp\\htdocs\\shop\\index.php:3\n",
			"Parse error: syntax error, unexpected token \"}\"",
			[]string{"*C:\\xampp\\htdocs\\shop\\src\\Cart.php:43 {require_once}", "*C:\\xampp\\htdocs\\shop\\index.php:3 {main}"}},
		{"Xdebug's stack alone", shownStack, "",
			[]string{"*:0 App\\Cart->total", "*/var/www/app/src/Kernel.php:55 App\\Kernel->handle", "*/var/www/app/public/index.php:20 {main}"}},
		{"a warning's stack is not the error's",
			"PHP Warning:  Undefined variable $coupon in /var/www/app/src/Coupon.php on line 8\n" +
				"PHP Stack trace:\nPHP   1. {main}() /var/www/app/public/index.php:0\nPHP   2. App\\Coupon->apply() /var/www/app/public/index.php:12\n" + uncaught + logStack,
			title, xdebugKernelFrames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneSignal(t, FormatPHP, tt.input, placeShow, tt.title, tt.want)
		})
	}
}

// TestPHPXdebugChain: Xdebug 3 displays an uncaught exception's chain as
// PHP's text up to the outermost exception, whose trace it replaces by its
// stack, then the previous exceptions' stacks under "Nested Exceptions:",
// outermost first; each exception keeps one trace, the root cause first.
// Without PHP's text, the nested exceptions are the chain.
func TestPHPXdebugChain(t *testing.T) {
	const php = "Fatal error: Uncaught PDOException: database is locked in /var/www/app/src/Db.php:30\n" +
		"Stack trace:\n#0 /var/www/app/src/Cart.php(42): App\\Db->insert('carts')\n#1 /var/www/app/public/index.php(9): App\\Cart->save()\n#2 {main}\n\n" +
		"Next App\\StorageException: cart not saved in /var/www/app/src/Cart.php on line 44\n\n"
	const xdebug = "App\\StorageException: cart not saved in /var/www/app/src/Cart.php on line 44\n\n" +
		"Call Stack:\n" +
		"    0.0001     392248   1. {main}() /var/www/app/public/index.php:0\n" +
		"    0.0002     392248   2. App\\Cart->save() /var/www/app/public/index.php:9\n\n" +
		"\tNested Exceptions:\n\n" +
		"\tPDOException: database is locked in /var/www/app/src/Db.php on line 30\n\n" +
		"\tCall Stack:\n" +
		"\t    0.0001     392248   1. {main}() /var/www/app/public/index.php:0\n" +
		"\t    0.0002     392248   2. App\\Cart->save() /var/www/app/public/index.php:9\n" +
		"\t    0.0003     392248   3. App\\Db->insert($table = 'carts') /var/www/app/src/Cart.php:42\n"
	html := xdebugHTMLHead("uncaught-exception", "Fatal error: Uncaught PDOException: database is locked in /var/www/app/src/Db.php:30") +
		"Stack trace:\n#0 /var/www/app/src/Cart.php(42): App\\Db->insert(&#039;carts&#039;)\n#1 /var/www/app/public/index.php(9): App\\Cart->save()\n#2 {main}\n\n" +
		"Next App\\StorageException: cart not saved in /var/www/app/src/Cart.php on line <i>44</i></th></tr>\n" +
		"<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> App\\StorageException: cart not saved in /var/www/app/src/Cart.php on line <i>44</i></th></tr>\n" +
		xdebugHTMLStack + htmlStackRow(1, "{main}(  )", "/var/www/app/public/index.php", 0) + htmlStackRow(2, "App\\Cart->save(  )", "/var/www/app/public/index.php", 9) +
		"<tr><th align='left' bgcolor='#e9b96e' colspan='5'>Nested Exceptions</th></tr><tr><td colspan='5'>\n" +
		"<table class='xdebug-error xe-nested' style='width: 80%; margin: 1em' dir='ltr' border='1' cellspacing='0' cellpadding='1'>\n" +
		"<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> PDOException: database is locked in /var/www/app/src/Db.php on line <i>30</i></th></tr>\n" +
		xdebugHTMLStack + htmlStackRow(1, "{main}()", "/var/www/app/public/index.php", 0) + htmlStackRow(2, "App\\Cart->save()", "/var/www/app/public/index.php", 9) +
		htmlStackRow(3, "App\\Db->insert()", "/var/www/app/src/Cart.php", 42) + "</table></tr>\n</table></font>\n"
	want := []string{
		"*/var/www/app/src/Db.php:30 App\\Db->insert",
		"*/var/www/app/src/Cart.php:42 App\\Cart->save",
		"*/var/www/app/public/index.php:9 {main}",
		"*/var/www/app/src/Cart.php:44 App\\Cart->save",
		"*/var/www/app/public/index.php:9 {main}",
	}
	for name, in := range map[string]string{"text": php + xdebug, "HTML": html, "Xdebug's alone": "Fatal error: Uncaught App\\StorageException: cart not saved in /var/www/app/src/Cart.php on line 44\n\n" + xdebug} {
		sigs, got := parseFrames(t, in, placeShow)
		if len(sigs) != 1 || sigs[0].Title != "App\\StorageException: cart not saved" || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %d signals, the first %q with frames\n%q\nwant one %q with\n%q", name, len(sigs), sigs[0].Title, got, "App\\StorageException: cart not saved", want)
		}
		if !containsString(sigs[0].Symptoms, "pdoexception") {
			t.Errorf("%s: symptoms %q lack the previous exception's type", name, sigs[0].Symptoms)
		}
	}
}

// TestPHPMonologLines: each Monolog line with an exception in its context
// is a signal of its own, its previous exceptions on the same line its
// chain; a later line's "[previous exception]" is not the line before's.
func TestPHPMonologLines(t *testing.T) {
	in := "[2026-11-30T10:15:22+00:00] app.ERROR: a {\"exception\":\"[object] (App\\\\AException(code: 0): a at /var/www/app/src/A.php:1)\"} []\n" +
		"[2026-11-30T10:15:23+00:00] app.ERROR: b {\"exception\":\"[object] (App\\\\BException(code: 0): b at /var/www/app/src/B.php:2)\\n[previous exception] [object] (App\\\\CException(code: 0): c at /var/www/app/src/C.php:3)\"} []\n" +
		"[2026-11-30T10:15:24+00:00] app.ERROR: d {\"exception\":\"[object] (App\\\\DException(code: 0): d at /var/www/app/src/D.php:4)\"} []\n"
	sigs, err := Parse("prod.log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		var places []string
		for _, f := range s.Frames {
			places = append(places, fmt.Sprintf("%s:%d", f.File, f.Line))
		}
		got = append(got, s.Title+" "+strings.Join(places, " "))
	}
	want := []string{
		"App\\AException: a /var/www/app/src/A.php:1",
		"App\\BException: b /var/www/app/src/C.php:3 /var/www/app/src/B.php:2",
		"App\\DException: d /var/www/app/src/D.php:4",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
