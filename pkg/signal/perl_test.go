package signal

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// perlConfess is what perl 5.36 printed for a confess in an anonymous sub
// of Shop::Cart::total, called in an eval of Shop::Checkout::run from the
// script bin/shop.
const perlConfess = "boom at lib/Shop/Cart.pm line 7.\n" +
	"\tShop::Cart::__ANON__(3) called at lib/Shop/Cart.pm line 8\n" +
	"\tShop::Cart::total(Shop::Cart=HASH(0x55ab61d93b00), 3) called at lib/Shop/Checkout.pm line 7\n" +
	"\teval {...} called at lib/Shop/Checkout.pm line 7\n" +
	"\tShop::Checkout::run(\"Shop::Checkout\", \"confess\") called at bin/shop line 3\n"

// perlConfessFrames are perlConfess's frames: each place in the function
// of the line after it, the script's top level last.
var perlConfessFrames = []string{
	"*lib/Shop/Cart.pm:7 Shop::Cart::__ANON__",
	"*lib/Shop/Cart.pm:8 Shop::Cart::total",
	"*lib/Shop/Checkout.pm:7 eval {...}",
	"*lib/Shop/Checkout.pm:7 Shop::Checkout::run",
	"*bin/shop:3 ",
}

// TestPerlForms reads each form of a Perl error: die's and Perl's own
// messages alone, Carp's stacks (confess, cluck, croak under
// -MCarp=verbose, Carp::Always, through $SIG{__DIE__}), requires and
// string evals in them, Devel::StackTrace's (Exception::Class, Moose),
// Moose's and Moo's generated methods, and the logs of Mojolicious,
// Catalyst and Dancer, TAP's failed tests and syntax errors.
func TestPerlForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"a method not found", `Can't locate object method "total" via package "Shop::Cart" at lib/Shop/Cart.pm line 42.` + "\n",
			`Can't locate object method "total" via package "Shop::Cart"`, []string{"*lib/Shop/Cart.pm:42 "}},
		{"the handle's line", "Illegal division by zero at lib/Shop/Cart.pm line 42, <STDIN> line 3.\n",
			"Illegal division by zero", []string{"*lib/Shop/Cart.pm:42 "}},
		{"a chunk of a handle", "bad record at lib/Shop/Import.pm line 12, <$fh> chunk 7.\n",
			"bad record", []string{"*lib/Shop/Import.pm:12 "}},
		{"die without a message", "Died at script.pl line 7.\n", "Died", []string{"*script.pl:7 "}},
		{"a one-liner", "Died at -e line 1.\n", "Died", []string{"*-e:1 "}},
		{"a Windows path", `Died at C:\Users\ann\shop\script.pl line 7.` + "\r\n", "Died", []string{`*C:\Users\ann\shop\script.pl:7 `}},
		{"Can't locate in @INC", "Can't locate Shop/Nope.pm in @INC (you may need to install the Shop::Nope module) (@INC contains: lib /etc/perl /usr/share/perl5 /usr/share/perl/5.36) at bin/shop line 2.\n" +
			"BEGIN failed--compilation aborted at bin/shop line 2.\n",
			"Can't locate Shop/Nope.pm in @INC (you may need to install the Shop::Nope module)", []string{"*bin/shop:2 "}},
		{"confess", perlConfess, "boom", perlConfessFrames},
		{"croak under -MCarp=verbose", "bad total at lib/Shop/Cart.pm line 11.\n" +
			"\tShop::Cart::ctotal(Shop::Cart=HASH(0x562c46ae59f0), 2) called at lib/Shop/Checkout.pm line 8\n" +
			"\tShop::Checkout::run(\"Shop::Checkout\", \"croak\") called at bin/shop line 3\n",
			"bad total", []string{"*lib/Shop/Cart.pm:11 Shop::Cart::ctotal", "*lib/Shop/Checkout.pm:8 Shop::Checkout::run", "*bin/shop:3 "}},
		{"Carp::Always, its arguments quoted, indented by spaces", "Missing required arguments: name at (eval 13) line 30.\n" +
			"    Person::new('Person') called at programming.pl line 7\n",
			"Missing required arguments: name", []string{"(eval 13):30 Person::new", "*programming.pl:7 "}},
		{"a cluck after a warning", "Use of uninitialized value $x in addition (+) at lib/Shop/Cart.pm line 13.\n" +
			"clucked at lib/Shop/Cart.pm line 13.\n" +
			"\tShop::Cart::warnme(Shop::Cart=HASH(0x55693da6b9f0)) called at lib/Shop/Checkout.pm line 10\n" +
			"\tShop::Checkout::run(\"Shop::Checkout\", \"warn\") called at bin/shop line 3\n",
			"clucked", []string{"*lib/Shop/Cart.pm:13 Shop::Cart::warnme", "*lib/Shop/Checkout.pm:10 Shop::Checkout::run", "*bin/shop:3 "}},
		{"a warning's own stack", "Use of uninitialized value $x in addition (+) at lib/Shop/Cart.pm line 13.\n" +
			"\tShop::Cart::total(Shop::Cart=HASH(0x55693da6b9f0)) called at bin/shop line 3\n",
			"Use of uninitialized value $x in addition (+)", []string{"*lib/Shop/Cart.pm:13 Shop::Cart::total", "*bin/shop:3 "}},
		{"a use that failed", "loading failed at lib/Shop/Bad.pm line 3.\n" +
			"\trequire Shop/Bad.pm called at -e line 1\n" +
			"\tmain::BEGIN() called at -e line 1\n" +
			"\teval {...} called at -e line 1\n" +
			"Compilation failed in require at -e line 1.\n" +
			"BEGIN failed--compilation aborted at -e line 1.\n",
			"loading failed", []string{"*lib/Shop/Bad.pm:3 require Shop/Bad.pm", "*-e:1 main::BEGIN", "*-e:1 eval {...}", "*-e:1 "}},
		{"a string eval", "anon at -e line 1.\n" +
			"\tmain::__ANON__(1) called at (eval 5) line 1\n" +
			"\teval ' $f->(1) ; 1' called at -e line 1\n",
			"anon", []string{"*-e:1 main::__ANON__", "(eval 5):1 eval '...'", "*-e:1 "}},
		{"an anonymous sub named by the debugger", "boom at lib/Shop/Cart.pm line 41.\n" +
			"\tShop::Cart::__ANON__[lib/Shop/Cart.pm:40](3) called at lib/Shop/Cart.pm line 44\n" +
			"\tShop::Cart::total(Shop::Cart=HASH(0x55ab61d93b00), 3) called at bin/shop line 3\n",
			"boom", []string{"*lib/Shop/Cart.pm:41 Shop::Cart::__ANON__[lib/Shop/Cart.pm:40]", "*lib/Shop/Cart.pm:44 Shop::Cart::total", "*bin/shop:3 "}},
		{"confess as $SIG{__DIE__}", "Can't call method \"foo\" on an undefined value at -e line 1.\n" +
			" at -e line 1.\n" +
			"\tmain::f(1) called at -e line 1\n",
			`Can't call method "foo" on an undefined value`, []string{"*-e:1 main::f", "*-e:1 "}},
		{"a message ending in a newline, then Carp's place", "cart is empty\n" +
			" at lib/Shop/Cart.pm line 42.\n" +
			"\tShop::Cart::total(Shop::Cart=HASH(0x55ab61d93b00)) called at bin/shop line 3\n",
			"cart is empty", []string{"*lib/Shop/Cart.pm:42 Shop::Cart::total", "*bin/shop:3 "}},
		{"modules installed with the app", "Can't call method \"id\" on an undefined value at lib/Shop/Controller/Cart.pm line 42.\n" +
			"\tShop::Controller::Cart::show(Shop::Controller::Cart=HASH(0x5601)) called at local/lib/perl5/Mojolicious.pm line 193\n" +
			"\tMojolicious::_action(Shop=HASH(0x5602)) called at /home/ann/perl5/lib/perl5/Mojolicious/Plugins.pm line 15\n" +
			"\tMojolicious::Plugins::__ANON__() called at /usr/share/perl5/Try/Tiny.pm line 102\n",
			`Can't call method "id" on an undefined value`, []string{
				"*lib/Shop/Controller/Cart.pm:42 Shop::Controller::Cart::show", "local/lib/perl5/Mojolicious.pm:193 Mojolicious::_action",
				"/home/ann/perl5/lib/perl5/Mojolicious/Plugins.pm:15 Mojolicious::Plugins::__ANON__", "/usr/share/perl5/Try/Tiny.pm:102 "}},
		{"Exception::Class's message and Devel::StackTrace", "cart is empty\n\n" +
			"Trace begun at lib/Shop/Cart.pm line 42\n" +
			"Shop::Cart::total('Shop::Cart=HASH(0x55d0c8a3e2b8)', 3) called at lib/Shop/Checkout.pm line 17\n" +
			"Shop::Checkout::run at bin/shop line 9\n" +
			"eval {...} at bin/shop line 9\n",
			"cart is empty", []string{"*lib/Shop/Cart.pm:42 Shop::Cart::total", "*lib/Shop/Checkout.pm:17 Shop::Checkout::run", "*bin/shop:9 eval {...}", "*bin/shop:9 "}},
		{"Devel::StackTrace alone", "Trace begun at lib/Shop/Cart.pm line 42\n" +
			"Shop::Cart::total('Shop::Cart=HASH(0x55d0c8a3e2b8)', 3) called at bin/shop line 9\n",
			"Trace begun", []string{"*lib/Shop/Cart.pm:42 Shop::Cart::total", "*bin/shop:9 "}},
		{"Moose's exception in a generated constructor", "Attribute (items) is required at constructor Shop::Cart::new (defined at lib/Shop/Cart.pm line 30) line 28\n" +
			"\tShop::Cart::new('Shop::Cart') called at lib/Shop/Checkout.pm line 17\n" +
			"\tShop::Checkout::run('Shop::Checkout') called at bin/shop line 9\n",
			"Attribute (items) is required", []string{"*lib/Shop/Cart.pm:30 Shop::Cart::new", "*lib/Shop/Checkout.pm:17 Shop::Checkout::run", "*bin/shop:9 "}},
		{"Moose's error in a class not made immutable", "Attribute (items) is required at /usr/local/lib/perl5/x86_64-linux/Class/MOP/Class.pm line 581\n" +
			"\tClass::MOP::Class::_construct_instance('Moose::Meta::Class=HASH(0x2a1c3f8)', 'HASH(0x2b9e8a0)') called at /usr/local/lib/perl5/x86_64-linux/Moose/Object.pm line 24\n" +
			"\tMoose::Object::new('Shop::Cart') called at lib/Shop/Checkout.pm line 17\n",
			"Attribute (items) is required", []string{
				"/usr/local/lib/perl5/x86_64-linux/Class/MOP/Class.pm:581 Class::MOP::Class::_construct_instance",
				"/usr/local/lib/perl5/x86_64-linux/Moose/Object.pm:24 Moose::Object::new", "*lib/Shop/Checkout.pm:17 "}},
		{"Mojolicious' log", "[2026-11-30 12:01:02.12345] [1234] [debug] [xBk9Mq] GET \"/cart/7\"\n" +
			"[2026-11-30 12:01:02.12533] [1234] [error] [xBk9Mq] Can't call method \"total\" on an undefined value at /srv/shop/lib/Shop/Controller/Cart.pm line 42.\n\n" +
			"[2026-11-30 12:01:02.12601] [1234] [debug] [xBk9Mq] 500 Internal Server Error (0.002s, 500.000/s)\n",
			`Can't call method "total" on an undefined value`, []string{"*/srv/shop/lib/Shop/Controller/Cart.pm:42 "}},
		{"Mojo::Exception's verbose traceback", "[2026-11-30 12:01:02.12533] [1234] [error] [xBk9Mq] cart 7 not found at /srv/shop/lib/Shop/Model/Cart.pm line 18.\n" +
			"Context:\n  17:   my ($self, $id) = @_;\n  18:   Mojo::Exception->throw(\"cart $id not found\") unless $self->{carts}{$id};\n  19:   return $self->{carts}{$id};\n" +
			"Traceback (most recent call first):\n" +
			"  File \"/srv/shop/lib/Shop/Model/Cart.pm\", line 18, in \"Mojo::Exception::throw\"\n" +
			"  File \"/srv/shop/lib/Shop/Controller/Cart.pm\", line 42, in \"Shop::Model::Cart::find\"\n" +
			"  File \"/srv/shop/local/lib/perl5/Mojolicious.pm\", line 193, in \"Shop::Controller::Cart::show\"\n",
			"cart 7 not found", []string{":0 Mojo::Exception::throw", "*/srv/shop/lib/Shop/Model/Cart.pm:18 Shop::Model::Cart::find",
				"*/srv/shop/lib/Shop/Controller/Cart.pm:42 Shop::Controller::Cart::show", "/srv/shop/local/lib/perl5/Mojolicious.pm:193 "}},
		{"a Mojolicious template", "[2026-11-30 12:01:02.12533] [1234] [error] [xBk9Mq] Can't call method \"total\" on an undefined value at template cart/show.html.ep line 3.\n",
			`Can't call method "total" on an undefined value`, []string{"*cart/show.html.ep:3 "}},
		{"Catalyst's log", "[debug] \"GET\" request for \"cart/7\" from \"127.0.0.1\"\n" +
			"[error] Caught exception in Shop::Controller::Cart->view \"Can't call method \"total\" on an undefined value at /srv/shop/script/../lib/Shop/Controller/Cart.pm line 42.\"\n" +
			"[info] Request took 0.012s (83.333/s)\n",
			`Can't call method "total" on an undefined value`, []string{"*/srv/shop/script/../lib/Shop/Controller/Cart.pm:42 "}},
		{"Dancer's log", "[Shop:1234] core @2026-11-30 12:01:02> looking for get /cart/7 in /usr/share/perl5/Dancer2/Core/App.pm l. 1501\n" +
			"[Shop:1234] error @2026-11-30 12:01:02> Route exception: Can't call method \"total\" on an undefined value at /srv/shop/lib/Shop.pm line 42. in /usr/share/perl5/Dancer2/Core/App.pm l. 1505\n",
			`Route exception: Can't call method "total" on an undefined value`, []string{"*/srv/shop/lib/Shop.pm:42 "}},
		{"TAP's failed test", "t/cart.t ..\nnot ok 3 - total of an empty cart\n#   Failed test 'total of an empty cart'\n#   at t/cart.t line 12.\n" +
			"#          got: '3'\n#     expected: '0'\n# Looks like you failed 1 test of 3.\n",
			"Failed test 'total of an empty cart'", []string{"*t/cart.t:12 "}},
		{"a syntax error quoting code over lines", "syntax error at lib/Shop/Cart.pm line 14, near \"+\n  }\"\n" +
			"Compilation failed in require at bin/shop line 2.\nBEGIN failed--compilation aborted at bin/shop line 2.\n",
			"syntax error", []string{"*lib/Shop/Cart.pm:14 "}},
		{"a message of several lines", "DBD::Pg::st execute failed: ERROR:  relation \"carts\" does not exist\n" +
			"LINE 1: SELECT total FROM carts WHERE id = $1\n" +
			"                          ^ at /srv/shop/lib/Shop/Model/Cart.pm line 18.\n",
			`DBD::Pg::st execute failed: ERROR:  relation "carts" does not exist`, []string{"*/srv/shop/lib/Shop/Model/Cart.pm:18 "}},
		{"a log's times and levels, a warning before", "2026-11-30T12:01:02Z [warn] Use of uninitialized value $coupon in concatenation (.) or string at /srv/shop/lib/Shop/Checkout.pm line 90.\n" +
			"2026-11-30T12:01:02Z [error] cart is empty at /srv/shop/lib/Shop/Cart.pm line 42.\n" +
			"\tShop::Cart::total(Shop::Cart=HASH(0x55ab61d93b00)) called at /srv/shop/lib/Shop/Checkout.pm line 17\n",
			"cart is empty", []string{"*/srv/shop/lib/Shop/Cart.pm:42 Shop::Cart::total", "*/srv/shop/lib/Shop/Checkout.pm:17 "}},
		{"long lines", "bad cart " + strings.Repeat("at x line 1 ", 500) + "at lib/Shop/Cart.pm line 42.\n" +
			"\tShop::Cart::total(\"" + strings.Repeat("a", 5000) + "\") called at bin/shop line 3\n",
			"bad cart " + strings.TrimSpace(strings.Repeat("at x line 1 ", 500)), []string{"*lib/Shop/Cart.pm:42 Shop::Cart::total", "*bin/shop:3 "}},
		{"syslog's prefixes", strings.ReplaceAll("\n"+strings.TrimSuffix(perlConfess, "\n"), "\n", "\nNov 30 10:15:22 web1 shop[812]: ")[1:] + "\n",
			"boom", perlConfessFrames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneSignal(t, FormatPerl, tt.input, placeShow, tt.title, tt.want)
		})
	}
}

// TestPerlFrameModule: a frame's module is its function's package.
func TestPerlFrameModule(t *testing.T) {
	s := parseOne(t, perlConfess, FormatPerl, "lib/Shop/Cart.pm", 7, 5)
	var got []string
	for _, f := range s.Frames {
		got = append(got, f.Module)
	}
	if want := []string{"Shop::Cart", "Shop::Cart", "", "Shop::Checkout", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("got modules %q, want %q", got, want)
	}
}

// TestPerlSeveralErrors: each message is a signal of its own, its stack
// with it.
func TestPerlSeveralErrors(t *testing.T) {
	in := "Illegal division by zero at lib/Shop/Cart.pm line 42, <STDIN> line 3.\n" + perlConfess +
		"\n[2026-11-30 12:01:02.12533] [1234] [error] [xBk9Mq] Died at lib/Shop/Controller/Cart.pm line 9.\n"
	sigs, err := Parse("log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		got = append(got, fmt.Sprintf("%s %s %d", s.Format, s.Title, len(s.Frames)))
	}
	if want := []string{"perl Illegal division by zero 1", "perl boom 5", "perl Died 1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPerlWarnings: Perl's warnings without a stack are no signal, and
// leave a log to the parser that finds a trace in it.
func TestPerlWarnings(t *testing.T) {
	warnings := "Use of uninitialized value $x in addition (+) at lib/Shop/Cart.pm line 13.\n" +
		"Use of uninitialized value $x in addition (+) at lib/Shop/Cart.pm line 13.\n" +
		"Argument \"abc\" isn't numeric in addition (+) at lib/Shop/Cart.pm line 14.\n" +
		"Useless use of a constant (42) in void context at lib/Shop/Cart.pm line 15.\n" +
		"Subroutine total redefined at lib/Shop/Cart.pm line 40.\n" +
		"Deep recursion on subroutine \"Shop::Tree::walk\" at lib/Shop/Tree.pm line 9.\n"
	if _, err := Parse("log", []byte(warnings)); !errors.Is(err, ErrNoSignal) {
		t.Errorf("warnings alone: got %v, want %v", err, ErrNoSignal)
	}
	python := "Traceback (most recent call last):\n" +
		"  File \"/srv/tools/report.py\", line 12, in <module>\n    main()\n" +
		"  File \"/srv/tools/report.py\", line 8, in main\n    raise ValueError(\"bad\")\nValueError: bad\n"
	sigs, err := Parse("log", []byte(warnings+python+warnings))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 || sigs[0].Format != FormatPython {
		t.Errorf("warnings around a Python traceback: got %d signals, the first %s %q; want one python signal", len(sigs), sigs[0].Format, sigs[0].Title)
	}
}

// TestPerlNotErrors: text that only looks like Perl's is no Perl signal.
func TestPerlNotErrors(t *testing.T) {
	for _, in := range []string{
		"[2026-11-30T10:15:22.481532+00:00] request.CRITICAL: Uncaught PHP Exception App\\Ex: \"cart is empty\" at /var/www/app/src/Cart.php line 42 {\"exception\":\"[object] (App\\\\Ex(code: 0): cart is empty at /var/www/app/src/Cart.php:42)\"} []\n",
		"the parser stopped at config.yaml line 3.\n",
		"Error at the start of line 5.\n",
		"error at src/main.c line 12.\n",
		"  File \"/srv/app/x.py\", line 3, in f\n",
		"ERROR 1064 (42000) at line 1: You have an error in your SQL syntax near 'x' at line 1\n",
		"Trace begun at lib/X.pm\n",
		"main::run at bin/shop line 9\n",
	} {
		noSignalOf(t, FormatPerl, in)
	}
}

// TestPerlTime: a log's time with its zone is the signal's, on the real
// clock's date as on a fixed one; Mojolicious' local time without a zone
// is not taken.
func TestPerlTime(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 11, 30, 12, 1, 2, 125000000, time.UTC),
		time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond), // the real clock's
	} {
		tests := []struct {
			name, input string
			want        *time.Time
		}{
			{"RFC 3339", now.Format("2006-01-02T15:04:05.000Z") + " ERROR " + perlConfess, &now},
			{"Mojolicious with an offset", "[" + now.In(time.FixedZone("", 3600)).Format("2006-01-02T15:04:05.000-07:00") + "] [1234] [error] cart is empty at lib/Shop/Cart.pm line 42.\n", &now},
			{"Mojolicious' local time", "[" + now.Format("2006-01-02 15:04:05.00000") + "] [1234] [error] cart is empty at lib/Shop/Cart.pm line 42.\n", nil},
		}
		for _, tt := range tests {
			t.Run(now.Format(time.DateOnly)+" "+tt.name, func(t *testing.T) {
				wantSignalTime(t, FormatPerl, tt.input, tt.want)
			})
		}
	}
}

// TestPerlCapsFrames: a stack longer than MaxFrames is one signal, cut.
func TestPerlCapsFrames(t *testing.T) {
	var b strings.Builder
	b.WriteString("Deep recursion at lib/Shop/Tree.pm line 9.\n")
	for i := 0; i < MaxFrames+50; i++ {
		b.WriteString("\tShop::Tree::walk(Shop::Tree=HASH(0x5601)) called at lib/Shop/Tree.pm line 12\n")
	}
	wantCapped(t, b.String())
}
