package analyze

import (
	"fmt"
	"testing"
	"time"
)

// A Perl error logged with Carp::Always's stack: the message was died at
// Cart.pm line 42, in the total() that Checkout.pm line 17 called (the
// first "called at" line names that call), the line a commit added;
// analyze --local names that commit first, not the later one that changed
// Checkout.pm away from its frame.
func TestSignalPerl(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	pm := func(pkg string, lines map[int]string, n int) string {
		return classFile(fmt.Sprintf("package Shop::%s {\n\nuse strict;\nuse warnings;\n\n", pkg), "    # "+pkg+" step %d", lines, n)
	}
	cart := func(die string) string {
		return pm("Cart", map[int]string{
			38: "sub total {",
			39: "    my ($self) = @_;",
			40: "    my $sum = 0;",
			41: "    $sum += $_->{price} * $_->{qty} for @{ $self->{items} };",
			42: die,
			43: "    return $sum;",
			44: "}",
		}, 60)
	}
	checkout := func(extra string) string {
		return pm("Checkout", map[int]string{
			8:  extra,
			15: "sub run {",
			16: "    my ($class, $cart) = @_;",
			17: "    return $cart->total;",
			18: "}",
		}, 120)
	}
	const script = "#!/usr/bin/perl\nuse strict;\nuse warnings;\nuse lib 'lib';\nuse Shop::Cart;\nuse Shop::Checkout;\n\nmy $cart = Shop::Cart->new;\nShop::Checkout->run($cart);\n"
	r.commit(now.Add(-60*24*time.Hour), "shop: cart and checkout", map[string]string{ // before the window
		"lib/Shop/Cart.pm":     cart("    # no empty-cart check yet"),
		"lib/Shop/Checkout.pm": checkout("    # checkout"),
		"bin/shop":             script,
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: refuse an empty cart", map[string]string{
		"lib/Shop/Cart.pm": cart("    die \"cart is empty\" unless $sum;"),
	})
	r.commit(now.Add(-2*24*time.Hour), "checkout: note the currency", map[string]string{
		"lib/Shop/Checkout.pm": checkout("    our $CURRENCY = 'EUR';"),
	})
	at := now.Add(-time.Hour).Format(time.RFC3339)
	trace := at + " [warn] Use of uninitialized value $coupon in concatenation (.) or string at /srv/shop/lib/Shop/Checkout.pm line 90.\n" +
		at + " [error] cart is empty at /srv/shop/lib/Shop/Cart.pm line 42.\n" +
		"\tShop::Cart::total(Shop::Cart=HASH(0x55ab61d93b00)) called at /srv/shop/lib/Shop/Checkout.pm line 17\n" +
		"\tShop::Checkout::run(\"Shop::Checkout\", Shop::Cart=HASH(0x55ab61d93b00)) called at /srv/shop/bin/shop line 9\n"
	s := localSignal(t, r.dir, "shop.log", trace)
	if s.Format != "perl" || s.Title != "cart is empty" || s.Timestamp == nil {
		t.Errorf("got format %q, title %q, time %v; want the perl signal of the die, timed", s.Format, s.Title, s.Timestamp)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != "lib/Shop/Cart.pm" || s.Frames[0].Line != 42 || s.Frames[0].Function != "Shop::Cart::total" {
		t.Errorf("got frames %+v, want the first mapped to lib/Shop/Cart.pm:42 in Shop::Cart::total", s.Frames)
	}
	wantFirst(t, s, culprit)
}
