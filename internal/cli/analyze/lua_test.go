package analyze

import (
	"strings"
	"testing"
	"time"
)

// cartLua is a Lua module of 40 lines: Cart.tax at 6-8 (its rate at 7),
// Cart.total at 10-26, whose loop fails at 13, and rounds at 21.
func cartLua(rate, round string) string {
	return strings.TrimSuffix(classFile("local Cart = {}\nCart.__index = Cart\n\n", "-- step %d", map[int]string{
		6:  "function Cart.tax()",
		7:  rate,
		8:  "end",
		10: "function Cart:total()",
		11: "  local sum = 0",
		12: "  for _, item in ipairs(self.items) do",
		13: "    sum = sum + item.price.amount",
		14: "  end",
		21: round,
		25: "  return sum",
		26: "end",
	}, 40), "}\n") + "return Cart\n"
}

// A Lua error in Cart:total, at a line no window commit wrote: the commit
// that changed another line of total is named first, by the function's
// extent (its body closes with end), not the newer one that changed tax
// just above it.
func TestSignalLua(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	main := "local Cart = require('cart')\nlocal c = setmetatable({ items = { {} } }, Cart)\nprint(c:total())\n"
	r.commit(now.Add(-60*24*time.Hour), "shop: cart", map[string]string{ // before the window
		"cart.lua": cartLua("  return 0.2", "  sum = sum"),
		"main.lua": main,
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: round the total to cents", map[string]string{
		"cart.lua": cartLua("  return 0.2", "  sum = math.floor(sum * 100 + 0.5) / 100"),
	})
	r.commit(now.Add(-2*24*time.Hour), "cart: the tax rate from the settings", map[string]string{
		"cart.lua": cartLua("  return settings.tax_rate", "  sum = math.floor(sum * 100 + 0.5) / 100"),
	})
	trace := "lua: ./cart.lua:13: attempt to index a nil value (field 'price')\n" +
		"stack traceback:\n" +
		"        ./cart.lua:13: in method 'total'\n" +
		"        main.lua:3: in main chunk\n" +
		"        [C]: in ?\n"
	s := localSignal(t, r.dir, "lua.log", trace)
	if s.Format != "lua" || s.Title != "attempt to index a nil value (field 'price')" {
		t.Errorf("got format %q, title %q; want the lua signal of the error", s.Format, s.Title)
	}
	if len(s.Frames) == 0 || s.Frames[0].Path != "cart.lua" || s.Frames[0].Line != 13 || s.Frames[0].Function != "total" {
		t.Errorf("got frames %+v, want the first mapped to cart.lua:13 in total", s.Frames)
	}
	wantFirst(t, s, culprit)
}
