package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// elixirModule is an Elixir source file of n lines: defmodule, then lines
// (by number) and comments elsewhere, then the module's end.
func elixirModule(module string, lines map[int]string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "defmodule %s do\n", module)
	for i := 2; i < n; i++ {
		if l, ok := lines[i]; ok {
			b.WriteString(l + "\n")
			continue
		}
		fmt.Fprintf(&b, "  # %s step %d\n", module, i)
	}
	b.WriteString("end\n")
	return b.String()
}

// A Phoenix request's crash logged by Logger: the KeyError was raised at
// lib/shop/cart.ex:42, in the total/1 the controller called, the line a
// commit added; analyze --local names that commit first, not the later
// one that changed the controller near its frame.
func TestSignalElixir(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	cart := func(line42 string) string {
		return elixirModule("Shop.Cart", map[int]string{
			38: "  def total(cart) do",
			39: "    cart.items",
			40: "    |> Enum.map(& &1.price)",
			41: "    |> Enum.sum()",
			42: line42,
			43: "  end",
		}, 60)
	}
	controller := func(extra string) string {
		return elixirModule("ShopWeb.CartController", map[int]string{
			2: "  use ShopWeb, :controller",
			4: extra,
			6: "  def show(conn, _params) do",
			7: "    cart = Shop.Carts.current(conn)",
			8: "    render(conn, :show, total: Shop.Cart.total(cart))",
			9: "  end",
		}, 20)
	}
	r.commit(now.Add(-60*24*time.Hour), "shop: cart and its controller", map[string]string{ // before the window
		"lib/shop/cart.ex": cart("    # the discount comes later"),
		"lib/shop_web/controllers/cart_controller.ex": controller("  # cart pages"),
		"mix.exs": "defmodule Shop.MixProject do\n  use Mix.Project\n\n  def project, do: [app: :shop, version: \"0.1.0\"]\nend\n",
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: apply the cart's discount", map[string]string{
		"lib/shop/cart.ex": cart("    |> Kernel.-(Map.fetch!(cart, :discount))"),
	})
	r.commit(now.Add(-2*24*time.Hour), "cart controller: log the cart's page views", map[string]string{
		"lib/shop_web/controllers/cart_controller.ex": controller("  require Logger"),
	})
	trace := "12:01:02.114 request_id=F7xJ2k9aQ0AAAAAB [info] GET /cart\n" +
		"12:01:02.140 [error] #PID<0.641.0> running ShopWeb.Endpoint (connection #PID<0.640.0>, stream id 1) terminated\n" +
		"Server: localhost:4000 (http)\nRequest: GET /cart\n" +
		"** (exit) an exception was raised:\n" +
		"    ** (KeyError) key :discount not found in: %{items: [], currency: \"EUR\"}\n" +
		"        :erlang.map_get(:discount, %{items: [], currency: \"EUR\"})\n" +
		"        (shop 0.1.0) lib/shop/cart.ex:42: Shop.Cart.total/1\n" +
		"        (shop 0.1.0) lib/shop_web/controllers/cart_controller.ex:8: ShopWeb.CartController.show/2\n" +
		"        (shop 0.1.0) lib/shop_web/controllers/cart_controller.ex:1: ShopWeb.CartController.action/2\n" +
		"        (phoenix 1.7.10) lib/phoenix/router.ex:432: Phoenix.Router.__call__/5\n" +
		"        (plug_cowboy 2.6.1) lib/plug/cowboy/handler.ex:11: Plug.Cowboy.Handler.init/2\n" +
		"        (stdlib 5.2) proc_lib.erl:241: :proc_lib.init_p_do_apply/3\n"
	s := localSignal(t, r.dir, "phoenix.log", trace)
	if s.Format != "elixir" || s.Title != "KeyError: key :discount not found in: %{items: [], currency: \"EUR\"}" {
		t.Errorf("got format %q, title %q; want the elixir signal of the KeyError", s.Format, s.Title)
	}
	var first *FrameReport
	for i := range s.Frames {
		if s.Frames[i].Path != "" {
			first = &s.Frames[i]
			break
		}
	}
	if first == nil || first.Path != "lib/shop/cart.ex" || first.Line != 42 || first.Function != "Shop.Cart.total/1" {
		t.Errorf("got frames %+v, want the first mapped one lib/shop/cart.ex:42 in Shop.Cart.total/1", s.Frames)
	}
	wantFirst(t, s, culprit)
}
