package signal

import (
	"fmt"
	"testing"
	"time"
)

// TestLuaForms reads Lua's tracebacks as the interpreters (5.1 to 5.4,
// LuaJIT), OpenResty, Neovim and LÖVE print them.
func TestLuaForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"lua 5.4, a runtime error",
			"lua: cart.lua:12: attempt to perform arithmetic on a nil value (field 'price')\n" +
				"stack traceback:\n" +
				"        cart.lua:12: in function 'Cart.total'\n" +
				"        checkout.lua:7: in method 'run'\n" +
				"        (...tail calls...)\n" +
				"        main.lua:5: in main chunk\n" +
				"        [C]: in ?\n",
			"attempt to perform arithmetic on a nil value (field 'price')",
			[]string{"*cart.lua:12 Cart.total", "*checkout.lua:7 run", "*main.lua:5 ", ":0 "}},
		{"lua 5.1, error() called: the message's place is the caller's line",
			"lua5.1: cart.lua:12: cart is empty\n" +
				"stack traceback:\n" +
				"\t[C]: in function 'error'\n" +
				"\tcart.lua:12: in function 'total'\n" +
				"\tmain.lua:3: in main chunk\n" +
				"\t[C]: ?\n",
			"cart is empty",
			[]string{":0 error", "*cart.lua:12 total", "*main.lua:3 ", ":0 "}},
		{"error() with level 2 names the caller, which the traceback has",
			"lua: main.lua:3: bad cart\n" +
				"stack traceback:\n" +
				"\t[C]: in function 'error'\n" +
				"\tcart.lua:20: in local 'check'\n" +
				"\tmain.lua:3: in main chunk\n",
			"bad cart",
			[]string{":0 error", "*cart.lua:20 check", "*main.lua:3 "}},
		{"OpenResty's error.log, a frame without its line, the request after the last",
			"2026/11/30 10:15:22 [error] 7#7: *1 lua entry thread aborted: runtime error: /app/lua/cart.lua:12: attempt to index local 'cart' (a nil value)\n" +
				"stack traceback:\n" +
				"coroutine 0:\n" +
				"\t/app/lua/cart.lua: in function 'total'\n" +
				"\t/usr/local/openresty/lualib/resty/core/base.lua:41: in function 'check'\n" +
				"\t/app/lua/handler.lua:8: in function </app/lua/handler.lua:1>, client: 127.0.0.1, server: , request: \"GET /cart HTTP/1.1\", host: \"localhost\"\n",
			"attempt to index local 'cart' (a nil value)",
			[]string{"*/app/lua/cart.lua:12 total", "/usr/local/openresty/lualib/resty/core/base.lua:41 check", "*/app/lua/handler.lua:8 "}},
		{"Neovim, a shortened source name and skipped levels",
			"Error executing vim.schedule lua callback: ...e/ann/.config/nvim/lua/shop/cart.lua:12: attempt to call a nil value (field 'sum')\n" +
				"stack traceback:\n" +
				"\t...e/ann/.config/nvim/lua/shop/cart.lua:12: in function 'total'\n" +
				"\t...\t(skipping 4 levels)\n" +
				"\t/usr/share/nvim/runtime/lua/vim/_editor.lua:341: in function </usr/share/nvim/runtime/lua/vim/_editor.lua:340>\n",
			"attempt to call a nil value (field 'sum')",
			[]string{"*ann/.config/nvim/lua/shop/cart.lua:12 total", "/usr/share/nvim/runtime/lua/vim/_editor.lua:341 "}},
		{"LÖVE, its embedded callbacks not the game's",
			"Error: main.lua:5: attempt to index global 'player' (a nil value)\n" +
				"stack traceback:\n" +
				"\t[love \"boot.lua\"]:345: in function <[love \"boot.lua\"]:341>\n" +
				"\tmain.lua:5: in function 'load'\n" +
				"\t[love \"callbacks.lua\"]:136: in function <[love \"callbacks.lua\"]:135>\n",
			"attempt to index global 'player' (a nil value)",
			[]string{"[love \"boot.lua\"]:345 ", "*main.lua:5 load", "[love \"callbacks.lua\"]:136 "}},
		{"a metamethod names no function",
			"lua: vec.lua:4: attempt to perform arithmetic on a nil value\nstack traceback:\n\tvec.lua:4: in metamethod 'add'\n\tmain.lua:2: in main chunk\n",
			"attempt to perform arithmetic on a nil value",
			[]string{"*vec.lua:4 ", "*main.lua:2 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneSignal(t, FormatLua, tt.input, placeShow, tt.title, tt.want)
		})
	}
}

// TestLuaNotTracebacks: text that only looks like a Lua traceback is no
// Lua signal, and Python's and Go's are not taken for one.
func TestLuaNotTracebacks(t *testing.T) {
	for _, in := range []string{
		"stack traceback:\n",
		"see the stack traceback: below\n  nothing here\n",
		"Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    f()\nValueError: x\n",
		"stack traceback:\n\t[C]: in ?\n",
	} {
		noSignalOf(t, FormatLua, in)
	}
}

// TestLuaTime: the time of the log line holding the error is the signal's,
// on a fixed date and on the real clock's.
func TestLuaTime(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 11, 30, 10, 15, 22, 0, time.UTC),
		time.Now().UTC().Add(-time.Hour).Truncate(time.Second), // the real clock's
	} {
		in := now.Format(time.RFC3339) + " app[42]: lua: cart.lua:12: boom\nstack traceback:\n\tcart.lua:12: in function 'total'\n"
		wantSignalTime(t, FormatLua, in, &now)
	}
}

// TestLuaCapsFrames: a traceback longer than MaxFrames is one signal, cut.
func TestLuaCapsFrames(t *testing.T) {
	in := "lua: deep.lua:1: stack overflow\nstack traceback:\n"
	for i := 0; i < MaxFrames+40; i++ {
		in += fmt.Sprintf("\tdeep.lua:%d: in function 'f%d'\n", i+1, i)
	}
	wantCapped(t, in)
}

func FuzzParseLua(f *testing.F) {
	for _, s := range []string{
		"lua: a.lua:1: x\nstack traceback:\n\t[C]: in function 'error'\n\ta.lua:1: in function 'f'\n\t...\t(skipping 3 levels)\n\t[C]: ?\n",
		"x: /a/b.lua:2: y stack traceback:\ncoroutine 0:\n\t/a/b.lua: in function <b.lua:1>, client: 1\n",
		"E: ...x/y.lua:3: z\nstack traceback:\n\t...x/y.lua:3: in upvalue 'g'\n\t[string \"c\"]:1: in main chunk\n",
	} {
		f.Add([]byte(s))
	}
	fuzzLines(f, parseLuaLines)
}
