package suspect

import (
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/pkg/diffstat"
)

func TestStepLine(t *testing.T) {
	tests := []struct {
		name       string
		file       diffstat.File
		line       int
		wantHit    bool
		wantParent int
		wantDist   int
	}{
		{"above any hunk", modified("a.go", hunk(20, 3, 20, 5, "", []int{21, 22}, nil)), 10, false, 10, 11},
		{"below an insertion", modified("a.go", hunk(20, 3, 20, 5, "", []int{21, 22}, nil)), 30, false, 28, 8},
		{"below a deletion", modified("a.go", hunk(20, 5, 20, 2, "", nil, []int{21, 22, 23})), 30, false, 33, 9},
		{"below a pure deletion (no context)", modified("a.go", hunk(11, 4, 10, 0, "", nil, seq(11, 14))), 12, false, 16, 2},
		{"on a pure deletion's anchor", modified("a.go", hunk(11, 4, 10, 0, "", nil, seq(11, 14))), 10, false, 10, 1},
		{"added line is a hit", modified("a.go", hunk(20, 3, 20, 5, "", []int{21, 22}, nil)), 22, true, 21, 0},
		{"context after added lines maps back", modified("a.go", hunk(20, 3, 20, 5, "", []int{21, 22}, nil)), 23, false, 21, 1},
		{"context after a replacement", modified("a.go", hunk(10, 6, 10, 5, "", []int{12, 13}, []int{12, 13, 14})), 14, false, 15, 1},
		{"pure insertion without context", modified("a.go", hunk(9, 0, 10, 2, "", []int{10, 11}, nil)), 11, true, 10, 0},
		{"two hunks above", modified("a.go",
			hunk(5, 1, 5, 3, "", []int{6, 7}, nil),
			hunk(50, 4, 52, 1, "", nil, []int{51, 52, 53}),
		), 100, false, 101, 47},
		{"between two hunks", modified("a.go",
			hunk(5, 1, 5, 3, "", []int{6, 7}, nil),
			hunk(50, 4, 52, 1, "", nil, []int{51, 52, 53}),
		), 30, false, 28, 23},
		{"new file: every line is a hit", addedFile("a.go", 10, ""), 7, true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := stepLine(&tt.file, tt.line)
			if st.hit != tt.wantHit || st.parent != tt.wantParent || st.dist != tt.wantDist {
				t.Errorf("stepLine(%d) = hit %v parent %d dist %d, want hit %v parent %d dist %d",
					tt.line, st.hit, st.parent, st.dist, tt.wantHit, tt.wantParent, tt.wantDist)
			}
		})
	}
}

func TestFuncIdent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(*Server).handle", "handle"},
		{"github.com/acme/shop/pkg/cart.(*Cart).Total", "Total"},
		{"main.main.func1", "main"},
		{"github.com/acme/shop/pkg/cart.Total.func2.1", "Total"},
		{"com.acme.cart.Cart.total", "total"},
		{"Cart#total", "total"},
		{"block in Cart#total", "total"},
		{"Acme.Shop.Cart.Total(Int32 qty)", "Total"},
		{"static int foo(struct bar *b)", "foo"},
		{"def total(self, items):", "total"},
		{"<module>", ""},
		{"Object.<anonymous>", ""},
		{"total", "total"},
		{"nft_rule_expr.isra.0", "nft_rule_expr"},
		{"xsk_umem__create@@LIBBPF_0.0.4", "xsk_umem__create"},
		{"(anonymous namespace)::Parser::run()::{lambda()#1}::operator()() const", "run"},
		{"std::vector<int, std::allocator<int> >::push_back(int const&)", "push_back"},
		{"acme::Cart::total(int) const", "total"},
		{"myapp::parse::{{closure}}", "parse"},
		{"myapp::parse::h1a2b3c4d5e6f7a8b", "parse"},
		{"do_thing.constprop.3.cold", "do_thing"},
		{"main.main.func1.1", "main"},
		{"mt7921_irq_tasklet+0x30/0x90 [mt7921e]", "mt7921_irq_tasklet"},
		{"dump_stack_lvl+0x48/0x70", "dump_stack_lvl"},
		{"nft_do_chain.isra.0+0x1c [nf_tables]", "nft_do_chain"},
		{"xsk_umem__create@@LIBBPF_0.0.4 (umem_ptr=0x0, size=4096)", "xsk_umem__create"},
		{"fill (p=0x0)", "fill"},
		// Dart: a closure is named after the function holding it, a
		// constructor after its class (or its name, a named one's), an
		// operator names nothing.
		{"CartModel.total", "total"},
		{"_CartPageState.build.<anonymous closure>", "build"},
		{"_CartPageState.build.<anonymous closure>.<anonymous closure>", "build"},
		{"<anonymous closure>", ""},
		{"new CartModel", "CartModel"},
		{"new CartModel.fromJson", "fromJson"},
		{"new CartModel.<anonymous closure>", "CartModel"},
		{"main.<fn>.<fn>", "main"},
		{"CartModel.load.<async>", "load"},
		{"<fn>", ""},
		{"StringX|capitalize", "capitalize"},
		{"_$CartModelFromJson", "_$CartModelFromJson"},
		{"List.[]", ""},
		{"Money.==", ""},
		// Swift, as Apple's crash reports demangle it: a property's
		// accessor is named after the property, a closure after the
		// function holding it; thunks name nothing.
		{"CartViewModel.total.getter", "total"},
		{"MyApp.CartViewModel.items.didset", "items"},
		{"closure #1 in CartView.body.getter", "body"},
		{"partial apply for closure #2 in implicit closure #1 in Cart.load()", "load"},
		{"specialized CartViewModel.add(item:quantity:)", "add"},
		{"generic specialization <Swift.Int> of Cart.sum<A>(_:)", "sum"},
		{"protocol witness for View.body.getter in conformance CartView", "body"},
		{"CartViewModel.init(store:)", "init"},
		{"static CartViewModel.make()", "make"},
		{"@objc CartViewController.tap(_:)", "tap"},
		{"(1) suspend resume partial function for Store.fetch(id:)", "fetch"},
		{"thunk for @escaping @callee_guaranteed () -> ()", ""},
		{"outlined copy of Cart.Item", ""},
		// Objective-C: the selector's first part, as the definition
		// starts ("- (BOOL)application:(UIApplication *)app ...").
		{"-[AppDelegate application:didFinishLaunchingWithOptions:]", "application"},
		{"+[Store sharedStore]", "sharedStore"},
		{"-[Cart(Totals) total]", "total"},
		{"+[Cart 0 0]", ""},
		// PHP: a method by its name whether called on an object or
		// statically; a closure, a script's top level and an included
		// file name none, but PHP 8.4 names a closure after the function
		// holding it.
		{`App\Cart->total`, "total"},
		{`App\Cart::total`, "total"},
		{`\App\Cart::total`, "total"},
		{`App\Cart->__construct`, "__construct"},
		{`App\helpers\format_price`, "format_price"},
		{`App\{closure}`, ""},
		{"{closure}", ""},
		{`App\Cart->App\{closure}`, ""},
		{`App\Cart::App\{closure}`, ""},
		{`App\Cart::{closure}`, ""},
		{"{main}", ""},
		{`App\Cart->{closure:App\Cart::total():42}`, "total"},
		{`{closure:{closure:App\Cart::total():42}:43}`, "total"},
		{"{closure:/var/www/app/src/bootstrap.php:12}", ""},
		// Ruby (3.4's labels and older ones): a method whether an
		// instance's or a class's, a block after the method holding it;
		// the top level, a class's body and an operator name none.
		{"Cart.total", "total"},
		{"Shop::Cart#total", "total"},
		{"block (2 levels) in Cart#total", "total"},
		{"rescue in block in Cart#total", "total"},
		{"Cart#valid?", "valid"},
		{"Cart#total=", "total"},
		{"<main>", ""},
		{"block in <main>", ""},
		{"<top (required)>", ""},
		{"<class:Cart>", ""},
		{"block in <module:Shop>", ""},
		{"Cart#[]", ""},
		{"Money#<=>", ""},
		{"Money#-@", ""},
		// Lua: the name in quotes; the main chunk, a function without a
		// name and a metamethod name none.
		{"function 'Cart:total'", "total"},
		{"in function 'M.total'", "total"},
		{"in method 'total'", "total"},
		{"in local 'total'", "total"},
		{"in upvalue 'total'", "total"},
		{"in field 'total'", "total"},
		{"in function <cart.lua:12>", ""},
		{"in main chunk", ""},
		{"in ?", ""},
		{"in metamethod 'add'", ""},
		{"{closure:/var/www/app/src/bootstrap.php:12-15}", ""}, // Xdebug's
		{"{require_once}", ""},
		{"{require}", ""},
		{"{include_once}", ""},
		{"{include}", ""},
		{"Shop::Cart::total", "total"},
		{"Shop::Cart::_build_items", "_build_items"},
		{"main::checkout", "checkout"},
		{"main::__ANON__", ""},
		{"Shop::Cart::__ANON__", ""},
		{"Shop::Cart::__ANON__[lib/Shop/Cart.pm:40]", ""},
		{"__ANON__", ""},
		{"(eval)", ""},
		{"eval {...}", ""},
		{"eval '...'", ""},
		{"require Shop/Cart.pm", ""},
		// Elixir and Erlang: a function by its name, without its arity
		// and module; an anonymous function and a name the compiler made
		// are named after the function holding them; a test, a
		// template, an operator and a file's top level name none.
		{"Shop.Cart.total/1", "total"},
		{"anonymous fn/1 in Shop.Cart.total/1", "total"},
		{"anonymous fn(%{price: 1}) in Shop.Cart.total/1", "total"},
		{`Enum."-map/2-lists^map/1-1-"/2`, "map"},
		{":gen_server.try_handle_call/4", "try_handle_call"},
		{"Shop.Cart.valid?/1", "valid"},
		{"Shop.Cart.fetch!/2", "fetch"},
		{`ShopWeb.Endpoint."call (overridable 3)"/2`, "call"},
		{`Shop.CartTest."test total sums items"/1`, ""},
		{`ShopWeb.LayoutView."app.html"/1`, ""},
		{"Kernel.+/2", ""},
		{"(test)", ""},
		{"(file)", ""},
		{"shop_cart:total/1", "total"},
		{"-total/1-fun-0-", "total"},
		{"shop_cart:'-total/1-fun-0-'/2", "total"},
		{"shop_cart:'-each/1-lc$^0/1-0-'/1", "each"},
		{"'Elixir.Shop.Cart':total/1", "total"},
		{"erlang:'+'/2", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := funcIdent(tt.in); got != tt.want {
			t.Errorf("funcIdent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSectionIdent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"func (s *Server) handle(w http.ResponseWriter, r *http.Request) {", "handle"},
		{"func Total(items []Item) int {", "Total"},
		{"static int foo(struct bar *b)", "foo"},
		{"static int __attribute__((unused)) foo(void)", "foo"},
		{"def total(self):", "total"},
		{"    def total(self):", "total"},
		{"class Cart:", "Cart"},
		{"class Cart(Base):", "Cart"},
		{"struct cart {", "cart"},
		{"public int Total(int qty)", "Total"},
		{"ENTRY(vmx_asm_do_vmentry)", "vmx_asm_do_vmentry"},
		{"FUNC_LOCAL(restore_all_xen)", "restore_all_xen"},
		{"SYM_INNER_LABEL(entry_SYSCALL_64_after_hwframe, SYM_L_GLOBAL)", "entry_SYSCALL_64_after_hwframe"},
		{"handle_exception_saved:", "handle_exception_saved"},
		{"void vmx_asm_do_vmentry(void);", "vmx_asm_do_vmentry"},
		{"DEFUN (show_ip_bgp, show_ip_bgp_cmd,", "show_ip_bgp"},
		{"DEFPY(clear_ip_route, clear_ip_route_cmd, \"clear ip route\")", "clear_ip_route"},
		{"LATEST_SYMVER_FUNC(ibv_create_cq, 1_1, \"IBVERBS_1.1\",", "ibv_create_cq"},
		{"MODULE_LICENSE(\"GPL\");", "MODULE_LICENSE"},
		{"static int FOO(int a)", "FOO"},
		{"DEFINE_X(CONST_NAME, 1)", "DEFINE_X"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := sectionIdent(tt.in); got != tt.want {
			t.Errorf("sectionIdent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHunkFunctionSkipsPrototypes(t *testing.T) {
	for in, want := range map[string]string{
		"void vmx_asm_do_vmentry(void);": "",
		"static int foo(struct bar *b)":  "foo",
		"ENTRY(vmx_asm_do_vmentry)":      "vmx_asm_do_vmentry",
	} {
		if got := hunkFunction(in); got != want {
			t.Errorf("hunkFunction(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHunkHeader(t *testing.T) {
	h := hunk(3, 4, 5, 6, "func f() {", nil, nil)
	if got, want := hunkHeader(&h), "@@ -3,4 +5,6 @@ func f() {"; got != want {
		t.Errorf("hunkHeader = %q, want %q", got, want)
	}
	h.Section = ""
	if got, want := hunkHeader(&h), "@@ -3,4 +5,6 @@"; got != want {
		t.Errorf("hunkHeader = %q, want %q", got, want)
	}
}

func TestWSMatch(t *testing.T) {
	long := strings.Repeat("x", diffstat.MaxLineText)
	h := diffstat.Hunk{OldStart: 10, OldLines: 4, NewStart: 10, NewLines: 6,
		Removed: []diffstat.Line{{N: 10, Text: "a = 1;"}, {N: 11, Text: "b = 2;"}, {N: 12, Text: long}, {N: 13, Text: "c = 3;"}},
		Added: []diffstat.Line{{N: 10, Text: "if (p) {"}, {N: 11, Text: "\ta = 1;"}, {N: 12, Text: "\tb  =  2;"}, {N: 13, Text: "\t" + long},
			{N: 14, Text: "\tc = 4;"}, {N: 15, Text: "}"}},
	}
	for _, c := range []struct{ n, want int }{
		{10, 0},  // new text
		{11, 10}, // re-indented
		{12, 11}, // blanks changed inside
		{13, 0},  // cut text pairs with nothing
		{14, 0},  // text changed
		{15, 0},
		{99, 0}, // not an added line
	} {
		if got := wsMatch(&h, c.n, false); got != c.want {
			t.Errorf("wsMatch(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	if got := stepLine(&diffstat.File{Hunks: []diffstat.Hunk{h}}, 12); !got.hit || wsMatch(&h, 12, false) != 11 {
		t.Errorf("stepLine(12) = %+v, want a hit that wsMatch pairs with 11", got)
	}
}

func TestWSMatchKeepsMeaningfulIndentation(t *testing.T) {
	h := diffstat.Hunk{OldStart: 5, OldLines: 2, NewStart: 5, NewLines: 3,
		Removed: []diffstat.Line{{N: 5, Text: "    x = f(a,b)"}, {N: 6, Text: "    return x"}},
		Added:   []diffstat.Line{{N: 5, Text: "    x = f(a, b)"}, {N: 6, Text: "    if x:"}, {N: 7, Text: "        return x"}},
	}
	if got := wsMatch(&h, 5, true); got != 5 {
		t.Errorf("blanks inside the line: wsMatch = %d, want 5", got)
	}
	if got := wsMatch(&h, 7, true); got != 0 {
		t.Errorf("re-indented Python line: wsMatch = %d, want 0 (its meaning changed)", got)
	}
	if got := wsMatch(&h, 7, false); got != 6 {
		t.Errorf("re-indented line of a brace language: wsMatch = %d, want 6", got)
	}
	for file, want := range map[string]bool{"a/b.py": true, "ci.yml": true, "Makefile": true, "x.c": false, "x.go": false} {
		if got := indentMatters(file); got != want {
			t.Errorf("indentMatters(%q) = %v, want %v", file, got, want)
		}
	}
}

func TestMovedFromNeedsABlock(t *testing.T) {
	line := func(n int, text string) diffstat.Line { return diffstat.Line{N: n, Text: text} }
	block := []string{"static int parse_options(int argc, char **argv)", "{", "\tint option_index = 0;", "\treturn option_index;"}
	var rem, add []diffstat.Line
	for i, b := range block {
		rem = append(rem, line(40+i, b))
		add = append(add, line(10+i, b))
	}
	files := []diffstat.File{
		{Path: "main.c", Hunks: []diffstat.Hunk{{NewStart: 10, NewLines: 4, Added: add}}},
		{Path: "opts.c", Hunks: []diffstat.Hunk{{OldStart: 40, OldLines: 4, Removed: rem}}},
	}
	if p, l, ok := movedFrom(files, 0, 10); !ok || p != "opts.c" || l != 40 {
		t.Errorf("moved block: got %q %d %v, want opts.c 40", p, l, ok)
	}
	// The same first line, its body rewritten: no move.
	files[1].Hunks[0].Removed = []diffstat.Line{line(40, block[0]), line(41, "{"), line(42, "\treturn parse(argv);"), line(43, "}")}
	if p, l, ok := movedFrom(files, 0, 10); ok {
		t.Errorf("one line alike: got a move from %s:%d", p, l)
	}
}

// A line git's diff removed and added with the same text was moved within
// its hunk (a rewrite that reordered functions): no whitespace changed.
func TestWSMatchNeedsAChangeOfWhitespace(t *testing.T) {
	h := diffstat.Hunk{OldStart: 1, OldLines: 3, NewStart: 1, NewLines: 3,
		Removed: []diffstat.Line{{N: 1, Text: "old body"}, {N: 2, Text: "}"}, {N: 3, Text: "int add(void)"}},
		Added:   []diffstat.Line{{N: 1, Text: "int add(void)"}, {N: 2, Text: "new body"}, {N: 3, Text: "}"}},
	}
	if got := wsMatch(&h, 1, false); got != 0 {
		t.Errorf("wsMatch = %d, want 0", got)
	}
}
