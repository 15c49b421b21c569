package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A PHP error_log entry: the exception was thrown at Cart.php:42, in the
// total() that Checkout.php:17 called (PHP's "#0" line names that call),
// the line a commit added; analyze --local names that commit first, not
// the later one that changed Checkout.php away from its frame.
func TestSignalPHP(t *testing.T) {
	r, culprit := phpShop(t)
	at := time.Now().UTC().Add(-time.Hour).Format("02-Jan-2006 15:04:05")
	trace := "[" + at + " UTC] PHP Warning:  Undefined array key \"coupon\" in /var/www/app/src/Checkout.php on line 90\n" +
		"[" + at + " UTC] PHP Fatal error:  Uncaught RuntimeException: cart is empty in /var/www/app/src/Cart.php:42\n" +
		"Stack trace:\n" +
		"#0 /var/www/app/src/Checkout.php(17): App\\Cart->total()\n" +
		"#1 /var/www/app/public/index.php(9): App\\Checkout->run(Object(App\\Cart))\n" +
		"#2 {main}\n" +
		"  thrown in /var/www/app/src/Cart.php on line 42\n"
	s := localSignal(t, r.dir, "error_log", trace)
	if s.Format != "php" || s.Title != "RuntimeException: cart is empty" || s.Timestamp == nil {
		t.Errorf("got format %q, title %q, time %v; want the php signal of the uncaught exception, timed", s.Format, s.Title, s.Timestamp)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != "src/Cart.php" || s.Frames[0].Line != 42 || s.Frames[0].Function != "App\\Cart->total" {
		t.Errorf("got frames %+v, want the first mapped to src/Cart.php:42 in App\\Cart->total", s.Frames)
	}
	wantFirst(t, s, culprit)
}

// phpShop is the repository of the PHP tests: a shop whose Cart::total()
// (src/Cart.php, called from src/Checkout.php:17, which public/index.php:9
// calls) a commit made throw at line 42, the culprit, before a later commit
// changed Checkout.php away from that call.
func phpShop(t *testing.T) (*repo, string) {
	r := newRepo(t)
	now := time.Now().UTC()
	php := func(class string, lines map[int]string, n int) string {
		return classFile(fmt.Sprintf("<?php\n\nnamespace App;\n\nfinal class %s\n{\n", class), "    // "+class+" step %d", lines, n)
	}
	cart := func(throw string) string {
		return php("Cart", map[int]string{
			38: "    public function total(): float",
			39: "    {",
			40: "        $sum = 0.0;",
			41: "        foreach ($this->lines as $line) { $sum += $line->price(); }",
			42: throw,
			43: "        return $sum;",
			44: "    }",
		}, 60)
	}
	checkout := func(extra string) string {
		return php("Checkout", map[int]string{
			8:  extra,
			15: "    public function run(Cart $cart): float",
			16: "    {",
			17: "        return $cart->total();",
			18: "    }",
		}, 120)
	}
	const index = "<?php\n\nrequire __DIR__ . '/../vendor/autoload.php';\n\n$cart = new App\\Cart();\n$checkout = new App\\Checkout();\n\n\n$checkout->run($cart);\n"
	r.commit(now.Add(-60*24*time.Hour), "shop: cart and checkout", map[string]string{ // before the window
		"src/Cart.php":     cart("        // no empty-cart check yet"),
		"src/Checkout.php": checkout("    // checkout"),
		"public/index.php": index,
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: refuse an empty cart", map[string]string{
		"src/Cart.php": cart("        if ($sum === 0.0) { throw new \\RuntimeException('cart is empty'); }"),
	})
	r.commit(now.Add(-2*24*time.Hour), "checkout: note the currency", map[string]string{
		"src/Checkout.php": checkout("    private string $currency = 'EUR';"),
	})
	return r, culprit
}

// The page Xdebug 3 shows for the same error (html_errors on): a notice's
// table, which is no signal, then the uncaught exception's, whose "Call
// Stack" rows name each function with the place it was called from;
// analyze --local reads it as PHP's trace and names the same commit.
func TestSignalPHPXdebug(t *testing.T) {
	r, culprit := phpShop(t)
	head := func(class, text string) string {
		return "<br />\n<font size='1'><table class='xdebug-error xe-" + class + "' dir='ltr' border='1' cellspacing='0' cellpadding='1'>\n" +
			"<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> " + text + "</th></tr>\n" +
			"<tr><th align='left' bgcolor='#e9b96e' colspan='5'>Call Stack</th></tr>\n" +
			"<tr><th align='center' bgcolor='#eeeeec'>#</th><th align='left' bgcolor='#eeeeec'>Time</th><th align='left' bgcolor='#eeeeec'>Memory</th><th align='left' bgcolor='#eeeeec'>Function</th><th align='left' bgcolor='#eeeeec'>Location</th></tr>\n"
	}
	row := func(n int, fn, file string, line int) string {
		return fmt.Sprintf("<tr><td bgcolor='#eeeeec' align='center'>%d</td><td bgcolor='#eeeeec' align='center'>0.00%d2</td><td bgcolor='#eeeeec' align='right'>40%d728</td>"+
			"<td bgcolor='#eeeeec'>%s</td><td title='/var/www/app/%s' bgcolor='#eeeeec'>...%s<b>:</b>%d</td></tr>\n", n, n, n, fn, file, file[strings.LastIndexByte(file, '/'):], line)
	}
	page := "<html><body>\n" +
		head("notice", "Notice: Undefined index: coupon in /var/www/app/src/Checkout.php on line <i>90</i>") +
		row(1, "{main}(  )", "public/index.php", 0) + row(2, "App\\Checkout->run( <span>$cart = </span><span>class App\\Cart { ... }</span> )", "public/index.php", 9) + "</table></font>\n" +
		head("uncaught-exception", "Fatal error: Uncaught RuntimeException: cart is empty in /var/www/app/src/Cart.php on line <i>42</i>") +
		row(1, "{main}(  )", "public/index.php", 0) + row(2, "App\\Checkout->run( <span>$cart = </span><span>class App\\Cart { ... }</span> )", "public/index.php", 9) +
		row(3, "App\\Cart->total(  )", "src/Checkout.php", 17) + "</table></font>\n</body></html>\n"
	s := localSignal(t, r.dir, "checkout.html", page)
	if s.Format != "php" || s.Title != "RuntimeException: cart is empty" {
		t.Errorf("got format %q, title %q; want the php signal of the uncaught exception", s.Format, s.Title)
	}
	if len(s.Frames) < 2 || s.Frames[0].Path != "src/Cart.php" || s.Frames[0].Line != 42 || s.Frames[0].Function != "App\\Cart->total" ||
		s.Frames[1].Path != "src/Checkout.php" || s.Frames[1].Line != 17 || s.Frames[1].Function != "App\\Checkout->run" {
		t.Errorf("got frames %+v, want src/Cart.php:42 in App\\Cart->total, then src/Checkout.php:17 in App\\Checkout->run", s.Frames)
	}
	wantFirst(t, s, culprit)
}
