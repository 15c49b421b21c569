package signal

import (
	"reflect"
	"testing"
)

// TestElixirSentryEvent: an Elixir SDK's event without in_app marks reads
// by the Elixir rules: Elixir's, OTP's and Phoenix's frames are not in-app;
// a module sent as its atom ("Elixir.Shop.Cart") is named as Elixir names
// it.
func TestElixirSentryEvent(t *testing.T) {
	ev := `{"platform":"elixir","timestamp":"2026-11-30T12:01:02Z","exception":{"values":[{"type":"KeyError","value":"key :total not found in: %{}","module":"Elixir.KeyError","stacktrace":{"frames":[` +
		`{"filename":"proc_lib.erl","function":":proc_lib.init_p_do_apply/3","module":"proc_lib","lineno":241},` +
		`{"filename":"lib/phoenix/router.ex","function":"Phoenix.Router.__call__/5","module":"Phoenix.Router","lineno":432},` +
		`{"filename":"lib/shop_web/controllers/cart_controller.ex","function":"ShopWeb.CartController.show/2","module":"Elixir.ShopWeb.CartController","lineno":8},` +
		`{"filename":"lib/enum.ex","function":"Enum.\"-map/2-lists^map/1-1-\"/2","module":"Enum","lineno":1693},` +
		`{"filename":"lib/shop/cart.ex","function":"anonymous fn/1 in Shop.Cart.total/1","module":"Shop.Cart","lineno":42}]}}]}}`
	sigs, got := parseFrames(t, ev, func(f Frame) string { return elixirShow(f) + " " + f.Module })
	want := []string{
		"*lib/shop/cart.ex:42 anonymous fn/1 in Shop.Cart.total/1 Shop.Cart",
		"lib/enum.ex:1693 Enum.\"-map/2-lists^map/1-1-\"/2 Enum",
		"*lib/shop_web/controllers/cart_controller.ex:8 ShopWeb.CartController.show/2 ShopWeb.CartController",
		"lib/phoenix/router.ex:432 Phoenix.Router.__call__/5 Phoenix.Router",
		"proc_lib.erl:241 :proc_lib.init_p_do_apply/3 proc_lib",
	}
	if len(sigs) != 1 || sigs[0].Format != FormatSentry || sigs[0].Title != "KeyError: key :total not found in: %{}" || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals, the first %s %q with frames\n%q\nwant one sentry signal with\n%q", len(sigs), sigs[0].Format, sigs[0].Title, got, want)
	}
	for _, p := range []string{"elixir", "erlang"} {
		if f := sentryFormat(p); f != FormatElixir {
			t.Errorf("sentryFormat(%s) = %q, want %q", p, f, FormatElixir)
		}
	}
}
