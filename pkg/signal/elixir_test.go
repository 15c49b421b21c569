package signal

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// elixirShow writes a frame as the Elixir tests compare it: "file:line
// function", with a "*" before an in-app frame.
func elixirShow(f Frame) string {
	s := fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Function)
	if f.InApp {
		s = "*" + s
	}
	return s
}

// elixirSample is an exception as mix run prints it: raised in an
// anonymous function of Shop.Cart.total/1 that Enum.map called.
const elixirSample = "** (ArithmeticError) bad argument in arithmetic expression\n" +
	"    (shop 0.1.0) lib/shop/cart.ex:4: anonymous fn/1 in Shop.Cart.total/1\n" +
	"    (elixir 1.15.7) lib/enum.ex:1693: Enum.\"-map/2-lists^map/1-1-\"/2\n" +
	"    (shop 0.1.0) lib/shop/cart.ex:3: Shop.Cart.total/1\n" +
	"    (stdlib 5.2) erl_eval.erl:750: :erl_eval.do_apply/7\n" +
	"    (elixir 1.15.7) lib/code.ex:543: Code.validated_eval_string/3\n"

var elixirSampleFrames = []string{
	"*lib/shop/cart.ex:4 anonymous fn/1 in Shop.Cart.total/1",
	"lib/enum.ex:1693 Enum.\"-map/2-lists^map/1-1-\"/2",
	"*lib/shop/cart.ex:3 Shop.Cart.total/1",
	"erl_eval.erl:750 :erl_eval.do_apply/7",
	"lib/code.ex:543 Code.validated_eval_string/3",
}

// elixirWorkerFrames are the frames of a GenServer's crash in the tests
// below: Shop.Cart.key/1 raised, called by the server's handle_call.
var elixirWorkerFrames = []string{
	":0 :erlang.map_get/2",
	"*lib/shop/cart.ex:11 Shop.Cart.key/1",
	"*lib/shop/worker.ex:6 Shop.Worker.handle_call/3",
	"gen_server.erl:1123 :gen_server.try_handle_call/4",
	"gen_server.erl:1152 :gen_server.handle_msg/6",
	"proc_lib.erl:241 :proc_lib.init_p_do_apply/3",
}

const elixirWorkerStack = "    :erlang.map_get(:total, %{})\n" +
	"    (shop 0.1.0) lib/shop/cart.ex:11: Shop.Cart.key/1\n" +
	"    (shop 0.1.0) lib/shop/worker.ex:6: Shop.Worker.handle_call/3\n" +
	"    (stdlib 5.2) gen_server.erl:1123: :gen_server.try_handle_call/4\n" +
	"    (stdlib 5.2) gen_server.erl:1152: :gen_server.handle_msg/6\n" +
	"    (stdlib 5.2) proc_lib.erl:241: :proc_lib.init_p_do_apply/3\n"

// TestElixirForms reads each form of an Elixir or Erlang error that makes
// one signal.
func TestElixirForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"mix run", elixirSample, "ArithmeticError: bad argument in arithmetic expression", elixirSampleFrames},
		{"iex's prompt and output around", "iex(3)> Shop.Cart.total([%{price: :a}])\n" + elixirSample + "    iex:3: (file)\niex(4)> \n",
			"ArithmeticError: bad argument in arithmetic expression", append(append([]string(nil), elixirSampleFrames...), "*iex:3 (file)")},
		{"a message of several lines",
			"** (ArgumentError) errors were found at the given arguments:\n\n  * 1st argument: not a textual representation of an integer\n\n" +
				"    :erlang.binary_to_integer(\"x\")\n" +
				"    (shop 0.1.0) lib/shop/cart.ex:9: Shop.Cart.bad/1\n" +
				"    (mix 1.15.7) lib/mix/tasks/run.ex:148: Mix.Tasks.Run.run/5\n",
			"ArgumentError: errors were found at the given arguments:\n* 1st argument: not a textual representation of an integer",
			[]string{":0 :erlang.binary_to_integer/1", "*lib/shop/cart.ex:9 Shop.Cart.bad/1", "lib/mix/tasks/run.ex:148 Mix.Tasks.Run.run/5"}},
		{"a FunctionClauseError's indented message",
			"** (FunctionClauseError) no function clause matching in Shop.Cart.get/1\n\n" +
				"    The following arguments were given:\n\n        # 1\n        :b\n\n" +
				"    Attempted function clauses (showing 1 out of 1):\n\n        def get(:a)\n\n" +
				"    (shop 0.1.0) lib/shop/cart.ex:9: Shop.Cart.get/1\n" +
				"    lib/shop/cli.ex:7: Shop.CLI.main/1\n",
			"FunctionClauseError: no function clause matching in Shop.Cart.get/1\nThe following arguments were given:\n# 1\n:b\nAttempted function clauses (showing 1 out of 1):\ndef get(:a)",
			[]string{"*lib/shop/cart.ex:9 Shop.Cart.get/1", "*lib/shop/cli.ex:7 Shop.CLI.main/1"}},
		{"a throw and an exit",
			"** (throw) :oops\n    (shop 0.1.0) lib/shop/cart.ex:20: Shop.Cart.checkout/1\n    (elixir 1.15.7) lib/enum.ex:987: Enum.\"-each/2-lists^foreach/1-0-\"/2\n",
			"throw: :oops", []string{"*lib/shop/cart.ex:20 Shop.Cart.checkout/1", "lib/enum.ex:987 Enum.\"-each/2-lists^foreach/1-0-\"/2"}},
		{"Logger's report of a GenServer, and the EXIT its caller prints",
			"\n12:01:02.123 [error] GenServer Shop.Worker terminating\n" +
				"** (KeyError) key :total not found in: %{}\n" + elixirWorkerStack +
				"Last message (from #PID<0.96.0>): :boom\nState: %{}\nClient #PID<0.96.0> is alive\n\n" +
				"    (stdlib 5.2) gen.erl:240: :gen.do_call/4\n" +
				"    (elixir 1.15.7) lib/gen_server.ex:1071: GenServer.call/3\n" +
				"    (shop 0.1.0) lib/shop.ex:12: Shop.run/0\n" +
				"** (EXIT from #PID<0.96.0>) an exception was raised:\n" +
				"    ** (KeyError) key :total not found in: %{}\n" + strings.ReplaceAll(elixirWorkerStack, "    ", "        "),
			"KeyError: key :total not found in: %{}", elixirWorkerFrames},
		{"GenServer.call's exit: the server's exception, then the caller's frames",
			"** (exit) exited in: GenServer.call(Shop.Worker, :boom, 5000)\n" +
				"    ** (EXIT) an exception was raised:\n" +
				"        ** (KeyError) key :total not found in: %{}\n" + strings.ReplaceAll(elixirWorkerStack, "    ", "            ") +
				"    (elixir 1.15.7) lib/gen_server.ex:1074: GenServer.call/3\n" +
				"    (shop 0.1.0) lib/shop.ex:12: Shop.run/0\n",
			"exit: exited in: GenServer.call(Shop.Worker, :boom, 5000)",
			append(append([]string(nil), elixirWorkerFrames...), "lib/gen_server.ex:1074 GenServer.call/3", "*lib/shop.ex:12 Shop.run/0")},
		{"a Task's crash",
			"12:01:02.354 [error] Task #PID<0.145.0> started from #PID<0.96.0> terminating\n" +
				"** (RuntimeError) boom\n" +
				"    (shop 0.1.0) lib/shop/importer.ex:30: anonymous fn/0 in Shop.Importer.run/1\n" +
				"    (elixir 1.15.7) lib/task/supervised.ex:101: Task.Supervised.invoke_mfa/2\n" +
				"Function: #Function<0.12345678/0 in Shop.Importer.run/1>\n    Args: []\n",
			"RuntimeError: boom", []string{"*lib/shop/importer.ex:30 anonymous fn/0 in Shop.Importer.run/1", "lib/task/supervised.ex:101 Task.Supervised.invoke_mfa/2"}},
		{"Phoenix on Cowboy: the request's exception nested in the exit",
			"12:01:02.123 [info] GET /cart\n" +
				"12:01:02.140 [error] #PID<0.456.0> running ShopWeb.Endpoint (connection #PID<0.455.0>, stream id 1) terminated\n" +
				"Server: localhost:4000 (http)\nRequest: GET /cart\n" +
				"** (exit) an exception was raised:\n" +
				"    ** (KeyError) key :total not found in: %{}\n" +
				"        (shop 0.1.0) lib/shop/cart.ex:42: Shop.Cart.total/1\n" +
				"        (shop 0.1.0) lib/shop_web/controllers/cart_controller.ex:8: ShopWeb.CartController.show/2\n" +
				"        (shop 0.1.0) lib/shop_web/controllers/cart_controller.ex:1: ShopWeb.CartController.action/2\n" +
				"        (phoenix 1.7.10) lib/phoenix/router.ex:432: Phoenix.Router.__call__/5\n" +
				"        (shop 0.1.0) lib/shop_web/endpoint.ex:1: ShopWeb.Endpoint.\"call (overridable 3)\"/2\n" +
				"        (shop 0.1.0) deps/plug/lib/plug/debugger.ex:136: ShopWeb.Endpoint.\"call (overridable 3)\"/2\n" +
				"        (plug_cowboy 2.6.1) lib/plug/cowboy/handler.ex:11: Plug.Cowboy.Handler.init/2\n" +
				"        (cowboy 2.10.0) /app/deps/cowboy/src/cowboy_handler.erl:37: :cowboy_handler.execute/2\n" +
				"12:01:03.001 [info] GET /\n",
			"KeyError: key :total not found in: %{}",
			[]string{
				"*lib/shop/cart.ex:42 Shop.Cart.total/1",
				"*lib/shop_web/controllers/cart_controller.ex:8 ShopWeb.CartController.show/2",
				"*lib/shop_web/controllers/cart_controller.ex:1 ShopWeb.CartController.action/2",
				"lib/phoenix/router.ex:432 Phoenix.Router.__call__/5",
				"*lib/shop_web/endpoint.ex:1 ShopWeb.Endpoint.\"call (overridable 3)\"/2",
				"deps/plug/lib/plug/debugger.ex:136 ShopWeb.Endpoint.\"call (overridable 3)\"/2",
				"lib/plug/cowboy/handler.ex:11 Plug.Cowboy.Handler.init/2",
				"/app/deps/cowboy/src/cowboy_handler.erl:37 :cowboy_handler.execute/2",
			}},
		{"a log that lost the indentation",
			"** (exit) an exception was raised:\n** (KeyError) key :total not found in: %{}\n(shop 0.1.0) lib/shop/cart.ex:42: Shop.Cart.total/1\n(phoenix 1.7.10) lib/phoenix/router.ex:432: Phoenix.Router.__call__/5\n",
			"KeyError: key :total not found in: %{}",
			[]string{"*lib/shop/cart.ex:42 Shop.Cart.total/1", "lib/phoenix/router.ex:432 Phoenix.Router.__call__/5"}},
		{"Bandit's line",
			"12:01:02.140 request_id=F1x [error] ** (RuntimeError) boom\n" +
				"    (shop 0.1.0) lib/shop_web/controllers/cart_controller.ex:8: ShopWeb.CartController.show/2\n" +
				"    (bandit 1.1.2) lib/bandit/pipeline.ex:101: Bandit.Pipeline.call_plug/2\n",
			"RuntimeError: boom",
			[]string{"*lib/shop_web/controllers/cart_controller.ex:8 ShopWeb.CartController.show/2", "lib/bandit/pipeline.ex:101 Bandit.Pipeline.call_plug/2"}},
		{"Plug's wrapper",
			"** (Plug.Conn.WrapperError) ** (Ecto.NoResultsError) expected at least one result but got none in query\n" +
				"    (ecto 3.11.1) lib/ecto/repo/queryable.ex:164: Ecto.Repo.Queryable.one!/3\n" +
				"    (shop 0.1.0) lib/shop/orders.ex:22: Shop.Orders.get!/1\n",
			"Ecto.NoResultsError: expected at least one result but got none in query",
			[]string{"lib/ecto/repo/queryable.ex:164 Ecto.Repo.Queryable.one!/3", "*lib/shop/orders.ex:22 Shop.Orders.get!/1"}},
		{"Elixir before 1.4: applications without versions",
			"** (UndefinedFunctionError) undefined function: Ecto.Repo.Backend.all/4\n" +
				"    Ecto.Repo.Backend.all(Repo, Ecto.Adapters.Postgres, Shop.Quote, [])\n" +
				"    web/controllers/quote_controller.ex:15: Shop.QuoteController.index/2\n" +
				"    (plug) lib/plug/debugger.ex:104: Plug.Debugger.wrap/3\n" +
				"    (shop) lib/shop/endpoint.ex:1: Shop.Endpoint.phoenix_endpoint_pipeline/2\n",
			"UndefinedFunctionError: undefined function: Ecto.Repo.Backend.all/4",
			[]string{":0 Ecto.Repo.Backend.all/4", "*web/controllers/quote_controller.ex:15 Shop.QuoteController.index/2",
				"lib/plug/debugger.ex:104 Plug.Debugger.wrap/3", "*lib/shop/endpoint.ex:1 Shop.Endpoint.phoenix_endpoint_pipeline/2"}},
		{"a compile error's place",
			"** (CompileError) lib/shop/cart.ex:12: undefined function totl/1 (expected Shop.Cart to define such a function or for it to be imported)\n" +
				"    (elixir 1.14.0) src/elixir_locals.erl:114: anonymous fn/3 in :elixir_locals.ensure_no_undefined_local/3\n" +
				"    (stdlib 4.2) erl_eval.erl:744: :erl_eval.do_apply/7\n",
			"CompileError: lib/shop/cart.ex:12: undefined function totl/1 (expected Shop.Cart to define such a function or for it to be imported)",
			[]string{"*lib/shop/cart.ex:12 ", "src/elixir_locals.erl:114 anonymous fn/3 in :elixir_locals.ensure_no_undefined_local/3", "erl_eval.erl:744 :erl_eval.do_apply/7"}},
		{"Erlang's shell",
			"1> shop_cart:total([1,a]).\n" +
				"** exception error: an error occurred when evaluating an arithmetic expression\n" +
				"     in operator  +/2\n        called as a + 1\n" +
				"     in call from shop_cart:'-total/1-fun-0-'/2 (src/shop_cart.erl, line 6)\n" +
				"     in call from lists:foldl_1/3 (lists.erl, line 1355)\n2> \n",
			"error: an error occurred when evaluating an arithmetic expression",
			[]string{":0 erlang:'+'/2", "*src/shop_cart.erl:6 shop_cart:'-total/1-fun-0-'/2", "lists.erl:1355 lists:foldl_1/3"}},
		{"Erlang's shell, OTP 24's argument notes",
			"3> shop_cart:each([<<\"x\">>]).\n" +
				"** exception error: bad argument\n     in function  binary_to_integer/1\n        called as binary_to_integer(<<\"x\">>)\n" +
				"        *** argument 1: not a textual representation of an integer\n" +
				"     in call from shop_cart:'-each/1-lc$^0/1-0-'/1 (/home/dev/shop/src/shop_cart.erl, line 11)\n",
			"error: bad argument",
			[]string{":0 erlang:binary_to_integer/1", "*/home/dev/shop/src/shop_cart.erl:11 shop_cart:'-each/1-lc$^0/1-0-'/1"}},
		{"Erlang's error report of a gen_server",
			"=ERROR REPORT==== 30-Nov-2026::12:01:02.902183 ===\n" +
				"** Generic server shop_srv terminating \n** Last message in was {total,[1,a]}\n** When Server state == []\n** Reason for termination ==\n" +
				"** {badarith,[{erlang,'+',[a,1],[{error_info,#{module => erl_erts_errors}}]},\n" +
				"              {shop_cart,'-total/1-fun-0-',2,\n                         [{file,\"src/shop_cart.erl\"},{line,6}]},\n" +
				"              {lists,foldl_1,3,[{file,\"lists.erl\"},{line,1355}]},\n" +
				"              {shop_srv,handle_call,3,[{file,\"src/shop_srv.erl\"},{line,6}]},\n" +
				"              {gen_server,try_handle_call,4,\n                          [{file,\"gen_server.erl\"},{line,1149}]}]}\n" +
				"** Client <0.87.0> stacktrace\n" +
				"** [{gen,do_call,4,[{file,\"gen.erl\"},{line,256}]},\n    {gen_server,call,2,[{file,\"gen_server.erl\"},{line,366}]}]\n",
			"badarith",
			[]string{":0 erlang:'+'/2", "*src/shop_cart.erl:6 shop_cart:'-total/1-fun-0-'/2", "lists.erl:1355 lists:foldl_1/3",
				"*src/shop_srv.erl:6 shop_srv:handle_call/3", "gen_server.erl:1149 gen_server:try_handle_call/4"}},
		{"an exit value on one line, a reason with a value",
			"05:37:59.583 [error] Error in process <0.1195.0> with exit value: {{badmatch,{error,enoent}},[{shop_cfg,load,1,[{file,\"src/shop_cfg.erl\"},{line,17}]},{shop_app,start,2,[]}]}\n",
			"badmatch: {error,enoent}",
			[]string{"*src/shop_cfg.erl:17 shop_cfg:load/1", "*:0 shop_app:start/2"}},
		{"an Elixir exception in Erlang's terms",
			"{#{'__exception__' => true,'__struct__' => 'Elixir.RuntimeError',message => <<\"boom\">>},\n" +
				" [{'Elixir.Shop.Cart','-total/1-fun-0-',1,[{file,\"lib/shop/cart.ex\"},{line,4}]},\n" +
				"  {'Elixir.Enum','-map/2-lists^map/1-1-',2,[{file,\"lib/enum.ex\"},{line,1693}]},\n" +
				"  {'Elixir.Shop.Cart',total,1,[{file,\"lib/shop/cart.ex\"},{line,3}]}|...]}\n",
			"RuntimeError: boom",
			[]string{"*lib/shop/cart.ex:4 anonymous fn/1 in Shop.Cart.total/1", "lib/enum.ex:1693 Enum.\"-map/2-lists^map/1-1-\"/2", "*lib/shop/cart.ex:3 Shop.Cart.total/1"}},
		{"a boot's crash",
			"{\"init terminating in do_boot\",{undef,[{shop,main,[],[]},{init,start_em,1,[]},{init,do_boot,3,[{file,\"init.erl\"},{line,1206}]}]}}\n",
			"undef", []string{"*:0 shop:main/0", ":0 init:start_em/1", "init.erl:1206 init:do_boot/3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneSignal(t, FormatElixir, tt.input, elixirShow, tt.title, tt.want)
		})
	}
}

// TestErlangEscript: escript's report of an exception is read, its
// function_clause's function first, when the text holds one of the
// parser's markers; alone, it holds none (see textParsers), so the parser
// is run on it directly.
func TestErlangEscript(t *testing.T) {
	in := "escript: exception error: no function clause matching \n" +
		"                 shop_cli:handler(\"src/x.erl\",undefined) (src/shop_cli.erl, line 94)\n" +
		"  in function  shop_cli:check/2 (src/shop_cli.erl, line 40)\n" +
		"  in call from escript:run/2 (escript.erl, line 750)\n" +
		"  in call from init:start_it/1 \n"
	sigs := parseElixirLines(splitLines(in))
	var got []string
	for _, f := range sigs[0].Frames {
		got = append(got, elixirShow(f))
	}
	title := "error: no function clause matching shop_cli:handler(\"src/x.erl\",undefined) (src/shop_cli.erl, line 94)"
	want := []string{"*src/shop_cli.erl:94 shop_cli:handler/2", "*src/shop_cli.erl:40 shop_cli:check/2", "escript.erl:750 escript:run/2", ":0 init:start_it/1"}
	if len(sigs) != 1 || sigs[0].Title != title || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d signals, the first %q with frames\n%q\nwant one %q with\n%q", len(sigs), sigs[0].Title, got, title, want)
	}
}

// TestElixirModules: a frame's Module is its Elixir module, or an Erlang
// module's name.
func TestElixirModules(t *testing.T) {
	in := elixirSample + "    (stdlib 5.2) gen_server.erl:1123: :gen_server.try_handle_call/4\n"
	_, got := parseFrames(t, in, func(f Frame) string { return f.Module })
	want := []string{"Shop.Cart", "Enum", "Shop.Cart", "erl_eval", "Code", "gen_server"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got modules %q, want %q", got, want)
	}
}

// TestExUnitFailures: each failure of mix test's report is a signal of its
// own, its test's frame named by the function ExUnit made of it; an
// assertion's failure is titled by its message. A log line printed
// meanwhile ends a failure.
func TestExUnitFailures(t *testing.T) {
	in := "Running ExUnit with seed: 814525, max_cases: 16\n\n" +
		"  1) test equal (Shop.CartTest)\n" +
		"     test/shop/cart_test.exs:11\n" +
		"     Assertion with == failed\n" +
		"     code:  assert Shop.Cart.total([1, 1]) == 3\n" +
		"     left:  2\n" +
		"     right: 3\n" +
		"     stacktrace:\n" +
		"       test/shop/cart_test.exs:12: (test)\n\n\n\n" +
		"  2) test total sums items (Shop.CartTest)\n" +
		"     test/shop/cart_test.exs:3\n" +
		"     ** (ArithmeticError) bad argument in arithmetic expression\n" +
		"     code: assert Shop.Cart.total([%{price: :a}]) == 3\n" +
		"     stacktrace:\n" +
		"       (shop 0.1.0) lib/shop/cart.ex:4: anonymous fn/1 in Shop.Cart.total/1\n" +
		"       (elixir 1.15.7) lib/enum.ex:1693: Enum.\"-map/2-lists^map/1-1-\"/2\n" +
		"       (shop 0.1.0) lib/shop/cart.ex:3: Shop.Cart.total/1\n" +
		"       test/shop/cart_test.exs:4: (test)\n\n\n\n" +
		"  3) test bad parses (Shop.CartTest)\n" +
		"     test/shop/cart_test.exs:7\n" +
		"     ** (ArgumentError) errors were found at the given arguments:\n" +
		"     \n" +
		"       * 1st argument: not a textual representation of an integer\n" +
		"     \n" +
		"     code: assert Shop.Cart.bad(\"x\") == 1\n" +
		"     stacktrace:\n" +
		"       :erlang.binary_to_integer(\"x\")\n" +
		"       (shop 0.1.0) lib/shop/cart.ex:9: Shop.Cart.bad/1\n" +
		"       test/shop/cart_test.exs:8: (test)\n\n\n" +
		"  4) test slow (Shop.CartTest)\n" +
		"     test/shop/cart_test.exs:20\n" +
		"     ** (ExUnit.TimeoutError) test timed out after 60000ms. You can change the timeout:\n\n" +
		"12:01:02.123 [error] GenServer Shop.Worker terminating\n** (KeyError) key :total not found in: %{}\n" + elixirWorkerStack +
		"Last message: :boom\n\n" +
		"Finished in 60.1 seconds (0.00s async, 60.1s sync)\n4 tests, 4 failures\n"
	sigs, err := Parse("mix-test.log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	var titles []string
	for _, s := range sigs {
		titles = append(titles, s.Title)
		var fs []string
		for _, f := range s.Frames {
			fs = append(fs, elixirShow(f))
		}
		got = append(got, fs)
		if s.Format != FormatElixir {
			t.Errorf("%q: format %s, want elixir", s.Title, s.Format)
		}
	}
	wantTitles := []string{
		"ExUnit.AssertionError: Assertion with == failed",
		"ArithmeticError: bad argument in arithmetic expression",
		"ArgumentError: errors were found at the given arguments:\n* 1st argument: not a textual representation of an integer",
		"ExUnit.TimeoutError: test timed out after 60000ms. You can change the timeout:",
		"KeyError: key :total not found in: %{}",
	}
	want := [][]string{
		{"*test/shop/cart_test.exs:12 Shop.CartTest.\"test equal\"/1"},
		{"*lib/shop/cart.ex:4 anonymous fn/1 in Shop.Cart.total/1", "lib/enum.ex:1693 Enum.\"-map/2-lists^map/1-1-\"/2",
			"*lib/shop/cart.ex:3 Shop.Cart.total/1", "*test/shop/cart_test.exs:4 Shop.CartTest.\"test total sums items\"/1"},
		{":0 :erlang.binary_to_integer/1", "*lib/shop/cart.ex:9 Shop.Cart.bad/1", "*test/shop/cart_test.exs:8 Shop.CartTest.\"test bad parses\"/1"},
		{"*test/shop/cart_test.exs:20 Shop.CartTest.\"test slow\"/1"},
		elixirWorkerFrames,
	}
	if !reflect.DeepEqual(titles, wantTitles) || !reflect.DeepEqual(got, want) {
		t.Errorf("got titles %q\nframes %q\nwant %q\n%q", titles, got, wantTitles, want)
	}
}

// TestElixirSeveralErrors: each crash of a log is a signal of its own; the
// Logger line above an exception starts it.
func TestElixirSeveralErrors(t *testing.T) {
	in := "12:00:00.001 [info] Running ShopWeb.Endpoint with Bandit 1.1.2 at 127.0.0.1:4000 (http)\n" +
		"12:01:02.123 [error] GenServer Shop.Worker terminating\n** (KeyError) key :total not found in: %{}\n" + elixirWorkerStack +
		"Last message: :boom\nState: %{}\n" +
		"12:01:05.000 [error] Task #PID<0.145.0> started from Shop.Supervisor terminating\n" + elixirSample +
		"Function: &Shop.Cart.total/1\n    Args: [[%{price: :a}]]\n" +
		"12:01:09.000 [info] done\n"
	sigs, err := Parse("app.log", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sigs {
		got = append(got, fmt.Sprintf("%d %s %d", s.line, s.Title, len(s.Frames)))
	}
	want := []string{"2 KeyError: key :total not found in: %{} 6", "12 ArithmeticError: bad argument in arithmetic expression 5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestElixirTime: Logger's time of day alone is no time; a date without a
// zone is not taken either (as for other logs); a time with its zone (a
// formatter's ISO 8601, Erlang's logger's) is the signal's.
func TestElixirTime(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 11, 30, 12, 1, 2, 123e6, time.UTC),
		time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond), // the real clock's
	} {
		tests := []struct {
			name, input string
			want        *time.Time
		}{
			{"time of day", now.Format("15:04:05.000") + " [error] GenServer Shop.Worker terminating\n** (KeyError) key :total not found in: %{}\n" + elixirWorkerStack, nil},
			{"no zone", now.Format("2006-01-02 15:04:05.000") + " [error] GenServer Shop.Worker terminating\n** (KeyError) key :total not found in: %{}\n" + elixirWorkerStack, nil},
			{"ISO 8601", now.Format("2006-01-02T15:04:05.000Z") + " [error] GenServer Shop.Worker terminating\n** (KeyError) key :total not found in: %{}\n" + elixirWorkerStack, &now},
			{"ISO 8601 with an offset", now.In(time.FixedZone("", 3600)).Format("2006-01-02T15:04:05.000-07:00") + " [error] ** (RuntimeError) boom\n" + elixirWorkerStack, &now},
			{"Erlang's logger", now.Format("2006-01-02T15:04:05.000000-07:00") + " error: Error in process <0.1.0> with exit value:\n" +
				"{badarith,[{shop_cart,total,1,[{file,\"src/shop_cart.erl\"},{line,42}]}]}\n", &now},
			{"Erlang's report header", "=ERROR REPORT==== " + now.Format("2-Jan-2006::15:04:05.000000") + " ===\n" +
				"Error in process <0.1.0> with exit value:\n{badarith,[{shop_cart,total,1,[{file,\"src/shop_cart.erl\"},{line,42}]}]}\n", nil},
		}
		for _, tt := range tests {
			t.Run(now.Format(time.DateOnly)+" "+tt.name, func(t *testing.T) {
				wantSignalTime(t, FormatElixir, tt.input, tt.want)
			})
		}
	}
}

// TestElixirNotTraces: text that only looks like an Elixir or Erlang
// error is no Elixir signal.
func TestElixirNotTraces(t *testing.T) {
	for _, in := range []string{
		"** (EXIT from #PID<0.96.0>) shutdown\n",
		"12:01:02.123 [error] ** (RuntimeError) boom\n12:01:03.000 [info] GET /\n",
		"see lib/shop/cart.ex:42: for details\n** (note) nothing to see\n",
		"Client #PID<0.96.0> is alive\n\n    (stdlib 5.2) gen.erl:240: :gen.do_call/4\n    (shop 0.1.0) lib/shop.ex:12: Shop.run/0\n",
		"** exception error: undefined function foo:bar/0\n",
		"config: {line, 3} and {file, \"x\"} [{a,b}]\n",
		"{current_stacktrace,[{shop_cart,total,1,[{file,\"src/shop_cart.erl\"},{line,42}]}]}\n",
		"1) test x (Shop.CartTest)\n     test/x.exs:1\n     Assertion with == failed\n",
	} {
		noSignalOf(t, FormatElixir, in)
	}
}

// TestElixirCapsFrames: a stacktrace longer than MaxFrames is one signal,
// cut.
func TestElixirCapsFrames(t *testing.T) {
	var b strings.Builder
	b.WriteString("** (RuntimeError) deep\n")
	for i := 0; i < MaxFrames+50; i++ {
		b.WriteString("    (shop 0.1.0) lib/shop/tree.ex:12: Shop.Tree.walk/1\n")
	}
	wantCapped(t, b.String())
}

// TestErlangNegativeLine: a stack term's negative line (a fuzzer's find)
// is no line.
func TestErlangNegativeLine(t *testing.T) {
	sigs, got := parseFrames(t, "{0,[{a,a,0,[{line,-1}]}]}", elixirShow)
	if len(sigs) != 1 || !reflect.DeepEqual(got, []string{"*:0 a:a/0"}) {
		t.Errorf("got %d signals, the first with frames %q; want one with *:0 a:a/0", len(sigs), got)
	}
}
