package suspect

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigsentry/sigsentry/internal/testenv"
	"github.com/sigsentry/sigsentry/pkg/signal"
)

func TestFuncExtent(t *testing.T) {
	for _, tc := range []struct {
		name, lang, src, ident string
		near                   int
		lo, hi                 int
	}{
		{"c", "c", "static int a(void)\n{\n\treturn 1;\n}\n\nstatic int b(int x)\n{\n\tif (x) {\n\t\treturn 2;\n\t}\n\treturn 3;\n}\n", "b", 0, 6, 12},
		{"c prototype is not a definition", "c", "int b(int x);\n\nint b(int x)\n{\n\treturn x;\n}\n", "b", 0, 3, 6},
		{"c multi-line prototype", "c", "int b(int x,\n      int y);\nint b(int x,\n      int y)\n{\n}\n", "b", 0, 3, 6},
		{"c K&R return type on its own line", "c", "static int\nb(int x)\n{\n\treturn x;\n}\n", "b", 0, 2, 5},
		{"c the definition nearest the line", "c", "#ifdef A\nint b(void)\n{\n\treturn 1;\n}\n#else\nint b(void)\n{\n\treturn 2;\n}\n#endif\n", "b", 9, 7, 10},
		{"go one-liner", "go", "package p\n\nfunc a() int { return 1 }\n\nfunc (s *S) b() {\n\ts.x++\n}\n", "a", 0, 3, 3},
		{"go method", "go", "package p\n\nfunc a() int { return 1 }\n\nfunc (s *S) b() {\n\ts.x++\n}\n", "b", 0, 5, 7},
		{"python method", "python", "class C:\n    def a(self):\n        return 1\n\n    def b(\n        self,\n    ):\n        x = 1\n\n        return x\n\n    def c(self):\n        pass\n", "b", 0, 5, 10},
		{"python last function", "python", "def a():\n    pass\n\ndef b():\n    return 2\n", "b", 0, 4, 5},
		{"asm", "asm", "FUNC(a)\n        ret\nEND(a)\n\nFUNC_LOCAL(b)\n        pop %rax\n        iretq\nEND(b)\n", "b", 0, 5, 8},
		{"asm without END", "asm", "ENTRY(a)\n        ret\nENTRY(b)\n        nop\n", "a", 0, 1, 2},
		{"absent", "c", "int a(void)\n{\n}\n", "b", 0, 0, 0},
		{"c defined by a macro", "c", "DEFUN (show_bgp, show_bgp_cmd,\n       \"show bgp\",\n       SHOW_STR)\n{\n\treturn bgp_show(vty);\n}\n", "show_bgp", 0, 1, 6},
		{"java method", "brace", "public class Cart {\n    int count;\n\n    public int total(List<Item> items) {\n        int n = total(items.sub());\n        if (n > 0) {\n            return n;\n        }\n        return \"}\".length();\n    }\n\n    void other() {}\n}\n", "total", 0, 4, 10},
		{"kotlin fun", "brace", "class Cart {\n    fun total(items: List<Item>): Int {\n        return items.sumOf { it.price }\n    }\n}\n", "total", 0, 2, 4},
		{"rust method with the brace below", "brace", "impl Cart {\n    pub fn total<T>(&self, x: T) -> u32\n    where T: Copy\n    {\n        self.n\n    }\n}\n", "total", 0, 2, 6},
		{"javascript arrow", "brace", "export class Cart {\n  total = (items) => {\n    return items.length;\n  };\n}\n", "total", 0, 2, 4},
		{"a call is not a definition", "brace", "class A {\n    void f() {\n        total(x);\n        int y = total(z);\n        return total(y);\n    }\n}\n", "total", 0, 0, 0},
		{"a call without a semicolon is not a definition", "brace", "function f() {\n  total(items)\n  if (x) {\n    y()\n  }\n}\n", "total", 0, 0, 0},
		{"swift computed property", "brace", "final class Cart {\n    var items: [Item] = []\n\n    public var total: Decimal {\n        items.reduce(0) { $0 + $1.price }\n    }\n}\n", "total", 0, 4, 6},
		{"swift stored property is not a definition", "brace", "final class Cart {\n    var total: Decimal = 0\n    func f() {\n    }\n}\n", "total", 0, 0, 0},
		{"objective-c method", "c", "@implementation AppDelegate\n\n- (BOOL)application:(UIApplication *)app didFinishLaunchingWithOptions:(NSDictionary *)opts {\n    return [self start];\n}\n\n+ (Store *)sharedStore\n{\n    return s;\n}\n@end\n", "application", 0, 3, 5},
		{"objective-c method without arguments", "c", "@implementation Store\n+ (Store *)sharedStore\n{\n    return s;\n}\n@end\n", "sharedStore", 0, 2, 5},
		{"c continued subtraction is not an objective-c method", "c", "int f(int a)\n{\n\treturn a\n\t- (int)len\n\t+ 1;\n}\n", "len", 0, 0, 0},
		{"an abstract method is not a definition", "brace", "interface A {\n    int total(List<Item> items);\n}\n", "total", 0, 0, 0},
		// Dart: getters (a block or an arrow), async methods, arrow bodies
		// over several lines, a return type with commas, constructors
		// without a body (an initializer list, fields as parameters),
		// named ones; calls, abstract members and redirecting factories
		// are not definitions.
		{"dart getter", "brace", "class CartModel extends ChangeNotifier {\n  CartModel(this._repo) : _items = [];\n\n  CartModel.fromJson(Map<String, dynamic> json)\n      : _repo = CartRepository(),\n        _items = [for (final i in json['items']) Item.fromJson(i)];\n\n  final CartRepository _repo;\n  final List<Item> _items;\n\n  double get total {\n    return _items.first.price + _items.skip(1).fold(0.0, (a, b) => a + b.price);\n  }\n\n  int get count => _items.length;\n\n  Future<void> load() async {\n    final items = await _repo.fetch();\n    _items.addAll(items);\n    notifyListeners();\n  }\n\n  Map<String, dynamic> toJson() {\n    return {'items': _items.map((i) => i.toJson()).toList()};\n  }\n}\n", "total", 0, 11, 13},
		{"dart arrow getter", "brace", "class CartModel extends ChangeNotifier {\n  CartModel(this._repo) : _items = [];\n\n  CartModel.fromJson(Map<String, dynamic> json)\n      : _repo = CartRepository(),\n        _items = [for (final i in json['items']) Item.fromJson(i)];\n\n  final CartRepository _repo;\n  final List<Item> _items;\n\n  double get total {\n    return _items.first.price + _items.skip(1).fold(0.0, (a, b) => a + b.price);\n  }\n\n  int get count => _items.length;\n\n  Future<void> load() async {\n    final items = await _repo.fetch();\n    _items.addAll(items);\n    notifyListeners();\n  }\n\n  Map<String, dynamic> toJson() {\n    return {'items': _items.map((i) => i.toJson()).toList()};\n  }\n}\n", "count", 0, 15, 15},
		{"dart async method", "brace", "class CartModel extends ChangeNotifier {\n  CartModel(this._repo) : _items = [];\n\n  CartModel.fromJson(Map<String, dynamic> json)\n      : _repo = CartRepository(),\n        _items = [for (final i in json['items']) Item.fromJson(i)];\n\n  final CartRepository _repo;\n  final List<Item> _items;\n\n  double get total {\n    return _items.first.price + _items.skip(1).fold(0.0, (a, b) => a + b.price);\n  }\n\n  int get count => _items.length;\n\n  Future<void> load() async {\n    final items = await _repo.fetch();\n    _items.addAll(items);\n    notifyListeners();\n  }\n\n  Map<String, dynamic> toJson() {\n    return {'items': _items.map((i) => i.toJson()).toList()};\n  }\n}\n", "load", 0, 17, 21},
		{"dart return type with a comma", "brace", "class CartModel extends ChangeNotifier {\n  CartModel(this._repo) : _items = [];\n\n  CartModel.fromJson(Map<String, dynamic> json)\n      : _repo = CartRepository(),\n        _items = [for (final i in json['items']) Item.fromJson(i)];\n\n  final CartRepository _repo;\n  final List<Item> _items;\n\n  double get total {\n    return _items.first.price + _items.skip(1).fold(0.0, (a, b) => a + b.price);\n  }\n\n  int get count => _items.length;\n\n  Future<void> load() async {\n    final items = await _repo.fetch();\n    _items.addAll(items);\n    notifyListeners();\n  }\n\n  Map<String, dynamic> toJson() {\n    return {'items': _items.map((i) => i.toJson()).toList()};\n  }\n}\n", "toJson", 0, 23, 25},
		{"dart constructor's initializer list", "brace", "class CartModel extends ChangeNotifier {\n  CartModel(this._repo) : _items = [];\n\n  CartModel.fromJson(Map<String, dynamic> json)\n      : _repo = CartRepository(),\n        _items = [for (final i in json['items']) Item.fromJson(i)];\n\n  final CartRepository _repo;\n  final List<Item> _items;\n\n  double get total {\n    return _items.first.price + _items.skip(1).fold(0.0, (a, b) => a + b.price);\n  }\n\n  int get count => _items.length;\n\n  Future<void> load() async {\n    final items = await _repo.fetch();\n    _items.addAll(items);\n    notifyListeners();\n  }\n\n  Map<String, dynamic> toJson() {\n    return {'items': _items.map((i) => i.toJson()).toList()};\n  }\n}\n", "CartModel", 0, 2, 2},
		{"dart named constructor", "brace", "class CartModel extends ChangeNotifier {\n  CartModel(this._repo) : _items = [];\n\n  CartModel.fromJson(Map<String, dynamic> json)\n      : _repo = CartRepository(),\n        _items = [for (final i in json['items']) Item.fromJson(i)];\n\n  final CartRepository _repo;\n  final List<Item> _items;\n\n  double get total {\n    return _items.first.price + _items.skip(1).fold(0.0, (a, b) => a + b.price);\n  }\n\n  int get count => _items.length;\n\n  Future<void> load() async {\n    final items = await _repo.fetch();\n    _items.addAll(items);\n    notifyListeners();\n  }\n\n  Map<String, dynamic> toJson() {\n    return {'items': _items.map((i) => i.toJson()).toList()};\n  }\n}\n", "fromJson", 0, 4, 6},
		{"dart build", "brace", "class _CartPageState extends State<CartPage> {\n  void _onTap() {\n    setState(() => _open = !_open);\n  }\n\n  @override\n  Widget build(BuildContext context) {\n    final cart = context.watch<CartModel>();\n    return Text('${cart.total}');\n  }\n\n  Widget header(BuildContext context) => Padding(\n        padding: const EdgeInsets.all(8),\n        child: Text(title, style: const TextStyle(fontSize: 20)),\n      );\n}\n", "build", 0, 7, 10},
		{"dart private method", "brace", "class _CartPageState extends State<CartPage> {\n  void _onTap() {\n    setState(() => _open = !_open);\n  }\n\n  @override\n  Widget build(BuildContext context) {\n    final cart = context.watch<CartModel>();\n    return Text('${cart.total}');\n  }\n\n  Widget header(BuildContext context) => Padding(\n        padding: const EdgeInsets.all(8),\n        child: Text(title, style: const TextStyle(fontSize: 20)),\n      );\n}\n", "_onTap", 0, 2, 4},
		{"dart arrow body over lines", "brace", "class _CartPageState extends State<CartPage> {\n  void _onTap() {\n    setState(() => _open = !_open);\n  }\n\n  @override\n  Widget build(BuildContext context) {\n    final cart = context.watch<CartModel>();\n    return Text('${cart.total}');\n  }\n\n  Widget header(BuildContext context) => Padding(\n        padding: const EdgeInsets.all(8),\n        child: Text(title, style: const TextStyle(fontSize: 20)),\n      );\n}\n", "header", 0, 12, 15},
		{"dart constructor of fields", "brace", "class Item {\n  const Item({required this.price});\n  final double price;\n}\n", "Item", 0, 2, 2},
		{"dart factory constructor", "brace", "class Item {\n  factory Item.parse(String s) {\n    return Item(price: double.parse(s));\n  }\n}\n", "parse", 0, 2, 4},
		{"a call ending with a semicolon is no constructor", "brace", "void f() {\n  CartModel(repo);\n  total(this.x);\n  Item.parse(s);\n}\n", "CartModel", 0, 0, 0},
		{"an abstract getter is not a definition", "brace", "abstract class A {\n  double get total;\n}\n", "total", 0, 0, 0},
		{"a redirecting factory is not a definition", "brace", "abstract class Cart {\n  const factory Cart({required List<Item> items}) = _Cart;\n}\n", "Cart", 0, 0, 0},
		{"an abstract method with a function parameter is not a definition", "brace", "abstract class A {\n  void each(void Function(Item) f);\n  int sum(int Function(int a, int b) f) => 0;\n}\n", "each", 0, 0, 0},
		{"c# expression body", "brace", "class Cart {\n    public decimal Total(int n) => _items.Take(n).Sum(i => i.Price);\n}\n", "Total", 0, 2, 2},
		{"a javascript arrow expression is not yet read as a definition", "brace", "const total = (items) => items.length;\n", "total", 0, 0, 0},
		{"php public method", "brace", "<?php\n\nnamespace App;\n\nfinal class Cart\n{\n    public function total(): float {\n        return array_sum($this->prices());\n    }\n}\n", "total", 0, 7, 9},
		{"php private static method", "brace", "<?php\nclass Cart\n{\n    private static function total(array $items) {\n        $sum = 0;\n        foreach ($items as $item) {\n            $sum += $item->price;\n        }\n        return $sum;\n    }\n}\n", "total", 0, 4, 10},
		{"php function with the brace below (PSR-12)", "brace", "<?php\n\nfunction total($x)\n{\n    return $x * 2;\n}\n", "total", 0, 3, 6},
		{"php method with the brace below (PSR-12)", "brace", "<?php\nclass Cart\n{\n    public function total(\n        array $items,\n        float $tax = 0.2,\n    ): float {\n        return 0.0;\n    }\n}\n", "total", 0, 4, 9},
		{"php calls on an object are not definitions", "brace", "<?php\nclass Checkout\n{\n    public function run()\n    {\n        $sum = $this->cart\n            ->total($items)\n            ->round(2);\n        if ($this->total($x) > 0) {\n            $this?->total($y)\n                ?->x();\n        }\n        return self::total($z);\n    }\n}\n", "total", 0, 0, 0},
		{"php chained call before a closure is not a definition", "brace", "<?php\nclass Report\n{\n    public function run()\n    {\n        $this->rows\n            ->total($items)\n            ->each(function ($row) {\n                $this->write($row);\n            });\n    }\n}\n", "total", 0, 0, 0},
		{"php nullsafe call before a closure is not a definition", "brace", "<?php\nfunction run($cart)\n{\n    $cart?->total($items)\n        ?->each(function ($row) {\n            echo $row;\n        });\n}\n", "total", 0, 0, 0},
		{"php abstract method is not a definition", "brace", "<?php\nabstract class Cart\n{\n    abstract public function total(): float;\n}\n", "total", 0, 0, 0},
		// Ruby (and Crystal), Elixir and Lua: bodies closing with end,
		// found by counting blocks and by the layout; definitions inside
		// classes and modules, one after another, the file's last.
		{"ruby method with blocks, an if and a string holding end", "ruby", extentRuby, "total", 0, 11, 21},
		{"ruby class method, endless, by the frame's line", "ruby", extentRuby, "total", 23, 23, 23},
		{"ruby last method", "ruby", extentRuby, "discount", 0, 27, 29},
		{"ruby first method", "ruby", extentRuby, "initialize", 0, 7, 9},
		{"ruby counted without the layout", "ruby", "def total\nx = \"end\" # end\ny = :end\nz = { if: 1, end: 2 }\nreturn if x\nw = items.map do |i| i end\nq = %w[if end]\nr = x =~ /end/\nif y then 1 end\nz.each { |k| k.end }\nwhile x do x = nil end\n@end = 1 unless x\nv = case x\nwhen 1 then 2\nend\nend\ndef other\nend\n", "total", 0, 1, 16},
		{"ruby modifiers after values", "ruby", "def a\nputs(x) if y\nfoo \"x\" unless z\nx = [1] if y\nend\ndef b\nend\n", "a", 0, 1, 5},
		{"ruby heredoc", "ruby", "def sql\nx = <<~SQL\nend\nSQL\nx\nend\ndef other\nend\n", "sql", 0, 1, 6},
		{"ruby two heredocs on a line", "ruby", "def a\nx = <<~A + <<~B\nend\nA\nif\nB\nend\n", "a", 0, 1, 7},
		{"ruby =begin comment", "ruby", "def a\n=begin\nend\n=end\n1\nend\n", "a", 0, 1, 6},
		{"ruby rescue and ensure of a def", "ruby", "  def total\n    compute\n  rescue ZeroDivisionError => e\n    log(e)\n    0\n  ensure\n    cleanup\n  end\n\n  def next_one\n  end\n", "total", 0, 1, 8},
		{"ruby while do", "ruby", "  def drain\n    while (x = queue.pop) do\n      handle(x)\n    end\n    until done? do step end\n  end\n", "drain", 0, 1, 6},
		{"ruby define_method do", "ruby", "class Cart\n  %i[total tax].each do |name|\n    define_method(:\"#{name}_x\") { 1 }\n  end\n\n  define_method(:total) do |x|\n    x.each do |i|\n      i\n    end\n  end\n\n  define_method :tax do\n    1\n  end\nend\n", "total", 0, 6, 10},
		{"ruby define_method with a symbol, no parentheses", "ruby", "class Cart\n  define_method(:total) do |x|\n    x\n  end\n\n  define_method :tax do\n    1\n  end\nend\n", "tax", 0, 6, 8},
		{"ruby define_method in braces", "ruby", "  define_method(:total) { |x|\n    x * 2\n  }\n  def b\n  end\n", "total", 0, 1, 3},
		{"ruby endless method over lines", "ruby", "  def total = items\n    .map(&:price)\n    .sum\n  def tax = 1\n", "total", 0, 1, 3},
		{"ruby setter by the frame's line", "ruby", "  def total\n    @total\n  end\n\n  def total=(v)\n    @total = v\n  end\n", "total", 6, 5, 7},
		{"ruby private def", "ruby", "  private def total\n    1\n  end\n", "total", 0, 1, 3},
		{"crystal return type", "ruby", "  def total : Int32\n    1\n  end\n  abstract def tax : Int32\n", "total", 0, 1, 3},
		{"crystal abstract method is not a definition", "ruby", "  abstract def tax : Int32\n", "tax", 0, 0, 0},
		{"ruby comment holding def is not a definition", "ruby", "class Cart\n  # def total was here\n  def tax\n  end\nend\n", "total", 0, 0, 0},
		{"ruby calls are not definitions", "ruby", "class Checkout\n  def run\n    total(items)\n    x = total(y) if z\n    cart.total\n  end\nend\n", "total", 0, 0, 0},
		{"elixir clauses make one function", "elixir", extentElixir, "total", 0, 7, 11},
		{"elixir clauses by the frame's line", "elixir", extentElixir, "total", 10, 7, 11},
		{"elixir fn in a body", "elixir", extentElixir, "count", 0, 13, 17},
		{"elixir keyword body on the next line", "elixir", extentElixir, "tax", 0, 19, 20},
		{"elixir guard, case and a do: if", "elixir", extentElixir, "apply", 0, 22, 27},
		{"elixir last function, one line", "elixir", extentElixir, "last", 0, 29, 29},
		{"elixir counted without the layout", "elixir", "def total(x) do\ny = ~w(do end)\nz = \"end\"\nw = :end\n[do: 1, end: 2]\n?#\nx\nend\ndef other do\nend\n", "total", 0, 1, 8},
		{"elixir guard on the next line", "elixir", "  def total(items)\n      when is_list(items) do\n    Enum.sum(items)\n  end\n", "total", 0, 1, 4},
		{"elixir head of defaults and keyword clauses", "elixir", "  def total(items, acc \\\\ 0)\n  def total([], acc), do: acc\n  def total([h | t], acc), do: total(t, acc + h)\n\n  def other, do: 1\n", "total", 0, 1, 3},
		{"lua module function", "lua", extentLua, "total", 0, 7, 24},
		{"lua method by the frame's line", "lua", extentLua, "total", 27, 26, 28},
		{"lua function assigned", "lua", extentLua, "tax", 0, 30, 32},
		{"lua one line", "lua", extentLua, "one", 0, 34, 34},
		{"lua local function", "lua", extentLua, "helper", 0, 3, 5},
		{"lua counted without the layout", "lua", "function f(x)\nif x then\nreturn 1\nend\nlocal t = {[\"end\"] = 1}\nwhile x do x = nil end\nlocal s = [[\nend\n]]\nreturn 2\nend\nfunction g() end\n", "f", 0, 1, 11},
		// Erlang: a function's clauses up to the full stop; Perl: subs in
		// braces.
		{"erlang clauses", "erlang", extentErlang, "total", 0, 6, 10},
		{"erlang a clause's line", "erlang", extentErlang, "total", 7, 6, 10},
		{"erlang another arity by the frame's line", "erlang", extentErlang, "total", 13, 12, 13},
		{"erlang character before the full stop", "erlang", extentErlang, "dot", 0, 15, 15},
		{"perl brace on the next line", "perl", extentPerl, "total", 0, 10, 21},
		{"perl qualified name, after a declaration", "perl", extentPerl, "tax", 0, 25, 25},
		{"perl first sub", "perl", extentPerl, "new", 0, 5, 8},
		{"perl heredoc, $#{...}, a hash's key s, -s", "perl", "sub total;\nsub total {\n  my %h = (a => 1);\n  my $x = <<\"END\";\n}\nEND\n  return $#{$x} + $h{s} + -s $file;\n}\n", "total", 0, 2, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := funcExtent(splitFile([]byte(tc.src)), tc.ident, tc.lang, tc.near)
			if lo != tc.lo || hi != tc.hi {
				t.Errorf("got %d-%d, want %d-%d", lo, hi, tc.lo, tc.hi)
			}
		})
	}
	if definesBrace("b(x) {", "") {
		t.Error("a line defines the empty name")
	}
}

// Sources for TestFuncExtent's rows in the languages whose bodies close
// with end, in Erlang and in Perl.
const (
	extentRuby = `# frozen_string_literal: true

module Shop
  class Cart
    attr_reader :items

    def initialize(items)
      @items = items
    end

    def total
      return 0 if items.empty?
      sum = items.each_with_object([]) do |item, acc|
        acc << item.price if item.price
      end.sum
      if sum > 100
        sum -= discount
      end
      label = "the end of #{sum}" # a comment: def end
      sum
    end

    def self.total(carts) = carts.sum(&:total)

    private

    def discount
      10
    end
  end
end
`
	extentElixir = `defmodule Shop.Cart do
  @moduledoc """
  A cart. def total(items) do
  end
  """

  def total([]), do: 0

  def total([item | rest]) do
    item.price + total(rest)
  end

  def count(items) do
    Enum.reduce(items, 0, fn _item, acc ->
      acc + 1
    end)
  end

  defp tax(x),
    do: x * 0.2

  def apply(items) when is_list(items) do
    case items do
      [] -> :empty
      _ -> if length(items) > 3, do: :many, else: :few
    end
  end

  def last(x), do: x
end
`
	extentLua = `local M = {}

local function helper(x)
  return x
end

function M.total(items)
  local sum = 0
  for _, item in ipairs(items) do
    if item.price then
      sum = sum + item.price
    elseif item.cost then
      sum = sum + item.cost
    end
  end
  local s = "end" -- end of loop
  --[[ a long comment
  end
  ]]
  repeat
    sum = sum - 1
  until sum < 100
  return sum
end

function Cart:total()
  return M.total(self.items)
end

M.tax = function(x)
  return x * 0.2
end

function M.one(x) return x end

return M
`
	extentErlang = `-module(cart).
-export([total/1, total/2]).

%% total(Items) -> sum.
-spec total([item()]) -> number().
total([]) ->
    0;
total([#item{price = P} | Rest]) ->
    Msg = "a. string;",
    P + total(Rest).

total(Items, Tax) ->
    total(Items) * (1 + Tax). % the end.

dot() -> $..
`
	extentPerl = `package Cart;
use strict;

# sub total { old }
sub new {
    my ($class, %args) = @_;
    return bless {%args}, $class;
}

sub total
{
    my ($self) = @_;
    my $sum = 0;
    for my $item (@{ $self->{items} }) {
        $sum += $item->{price};    # a brace in a comment: }
    }
    my $re = qr/\{/;
    $sum =~ s{a}{b}g;
    my $s = "}";
    return $sum;
}

sub tax;

sub Cart::tax { return 0.2 }

=head1 NAME

sub total { }

=cut

1;
`
)

// TestFunctionByExtent: hunk headers misname the function a change is in.
// A change to the first lines of parse() is headed by the function above
// it, and a new function added below parse() is headed by parse(). With
// the file's contents the walk knows parse()'s extent at every version
// and credits the commit that changed it, not the one that added code
// after it.
func TestFunctionByExtent(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	fn := func(name string, body ...string) string {
		return "static int " + name + "(struct s *p)\n{\n" + strings.Join(body, "\n") + "\n\treturn 0;\n}\n\n"
	}
	filler := []string{"\tp->a = 1;", "\tp->b = 2;", "\tp->c = 3;", "\tp->d = 4;", "\tp->e = 5;", "\tp->f = 6;", "\tp->g = 7;", "\tp->h = 8;"}
	parse := func(first string) string {
		return fn("parse", append([]string{first}, filler...)...)
	}
	repo.WriteFile("src/parse.c", fn("init", filler...)+parse("\tint n = 0;"))
	repo.Commit("parse: first") // before the window
	repo.WriteFile("src/parse.c", fn("init", filler...)+parse("\tint n = p->len;"))
	inside := repo.Commit("parse: start from the length")
	repo.WriteFile("src/parse.c", fn("init", filler...)+parse("\tint n = p->len;")+fn("after", "\tp->z = 0;"))
	below := repo.Commit("parse: add after()")

	// The frame names parse() without a line, as a kernel trace does.
	with, idx, sig := rankNow(t, repo.Dir, "parse: first", frame("src/parse.c", 0, "parse"), "src/parse.c", below)
	if got := hashes(with); len(got) == 0 || got[0] != inside {
		t.Errorf("with the file: got %v, want %s (it changed parse) first", got, inside)
	}
	if k := evidenceKinds(with, inside); !slices.Contains(k, KindFunction) {
		t.Errorf("with the file: the commit changing parse has evidence %v, want function evidence", k)
	}
	if k := evidenceKinds(with, below); slices.Contains(k, KindFunction) {
		t.Errorf("with the file: the commit adding after() has evidence %v, want no function evidence", k)
	}
	// The hunks' headers alone get both wrong, which is why the contents
	// are asked for.
	without := idx.Rank(sig)
	if k := evidenceKinds(without, below); !slices.Contains(k, KindFunction) {
		t.Errorf("without the file: the commit adding after() has evidence %v; the header names parse, expected function evidence", k)
	}
}

// FuzzFuncExtent feeds file contents as a repository holds them through
// the extent reader and checks that an extent found lies in the file and
// starts at a definition of the function; and through symverTarget, whose
// answer must be a function the file defines.
func FuzzFuncExtent(f *testing.F) {
	f.Add("static int b(int x)\n{\n\treturn x;\n}\n", "b", "c", 0)
	f.Add("class C:\n    def b(self):\n        pass\n", "b", "python", 2)
	f.Add("FUNC_LOCAL(b)\n  ret\nEND(b)\n", "b", "asm", 1)
	f.Add("func b() {}\nfunc b() {\n", "b", "go", -3)
	f.Add("class A {\n  int b(String s) {\n    return \"}\";\n  }\n}\n", "b", "brace", 0)
	f.Add("b(x) {\n}\n", "", "brace", 0)
	f.Add("class C {\n  double get b => x;\n  C(this.x) : y = [(1)];\n  Widget b(c) => A(\n    d: [e],\n  );\n}\n", "b", "brace", 0)
	f.Add("class C {\n  C.b(Map<String, int> j)\n      : x = j['x'];\n}\n", "b", "brace", 3)
	f.Add("int b_v2(void)\n{\n}\nDEFAULT_VERSION(b_v2, b, V_2)\n", "b@@V_2", "c", 0)
	f.Add(extentRuby, "total", "ruby", 23)
	f.Add("def b\nx = <<~A + %w[if] + /end/\nA\ny if z\nend\n=begin\n", "b", "ruby", 0)
	f.Add("  def b = x\n    .y\n  define_method(:b) { |x|\n", "b", "ruby", 3)
	f.Add(extentElixir, "total", "elixir", 10)
	f.Add("  def b(x),\n    do: ~s(end)\n  def b(y) do\n    \"\"\"\n", "b", "elixir", 0)
	f.Add(extentLua, "total", "lua", 27)
	f.Add("function M.b(x) --[==[\nend ]==] if x then end\nlocal s = [[\n", "b", "lua", 0)
	f.Add(extentErlang, "total", "erlang", 13)
	f.Add("b($.) -> \"%\";\n'b'(X) -> X. % .\n", "b", "erlang", 2)
	f.Add(extentPerl, "total", "perl", 0)
	f.Add("sub b {\n  s{a}{b}; y/}//; $#{$x}; <<E;\n}\nE\n=pod\n", "b", "perl", 0)
	f.Fuzz(func(t *testing.T, src, ident, lang string, near int) {
		lines := splitFile([]byte(src))
		if fn := symverTarget(lines, ident); fn != "" && !definesC(lines, fn) {
			t.Fatalf("symverTarget(%q) = %q, which the file does not define", ident, fn)
		}
		lo, hi := funcExtent(lines, ident, lang, near)
		if lo == 0 {
			if hi != 0 {
				t.Fatalf("no extent but hi %d", hi)
			}
			return
		}
		if lo < 1 || hi < lo || hi > len(lines) {
			t.Fatalf("extent %d-%d outside 1-%d", lo, hi, len(lines))
		}
		if name, _, ok := defines(lines[lo-1], lang, ident); !ok || name != ident {
			t.Fatalf("extent starts at %q, not a definition of %q", lines[lo-1], ident)
		}
	})
}

// TestFunctionByExtentJava: a Java method's hunks are headed by its class,
// so without the file no commit is known to have changed the method; with
// it, the commit that changed total() has function evidence and the one
// that added a method below it has none.
func TestFunctionByExtentJava(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-10*24*time.Hour).Truncate(time.Second), time.Hour)
	method := func(name, first string) string {
		return "    public int " + name + "(List<Item> items) {\n        " + first + "\n        int a = 1;\n        int b = 2;\n        int c = 3;\n        int d = 4;\n        int e = 5;\n        return n / items.size();\n    }\n\n"
	}
	write := func(body string) {
		repo.WriteFile("src/main/java/com/acme/Cart.java", "package com.acme;\n\npublic class Cart {\n"+body+"}\n")
	}
	write(method("total", "int n = 0;"))
	repo.Commit("cart: first")
	write(method("total", "int n = items.get(0).price;"))
	inside := repo.Commit("cart: start from the first price")
	write(method("total", "int n = items.get(0).price;") + method("tax", "int n = 1;"))
	below := repo.Commit("cart: add tax")

	with, idx, sig := rankNow(t, repo.Dir, "cart: first", frame("Cart.java", 11, "com.acme.Cart.total"), "", "")
	function := func(r Result, hash string) bool { return slices.Contains(evidenceKinds(r, hash), KindFunction) }
	if !function(with, inside) || function(with, below) {
		t.Errorf("with the file: function evidence for the change inside total %v (want true), for the method below %v (want false)",
			function(with, inside), function(with, below))
	}
	if got := hashes(with); len(got) == 0 || got[0] != inside {
		t.Errorf("with the file: got %v, want %s first", got, inside)
	}
	if without := idx.Rank(sig); function(without, inside) {
		t.Error("without the file: the class-headed hunk was taken for total's")
	}
}

// historyWithout is the real history of the repository in dir without the
// commit whose summary is before (it landed before the window).
func historyWithout(t *testing.T, dir, before string) []Candidate {
	t.Helper()
	var window []Candidate
	for _, c := range loadRealHistory(t, dir) {
		if c.Commit.Summary() != before {
			window = append(window, c)
		}
	}
	return window
}

// rankNow ranks a signal of frame f, stamped now, over the history of the
// repository in dir without its commit before (older than the window),
// with the one file Needs asks for (path at rev) read from dir.
func rankNow(t *testing.T, dir, before string, f signal.Frame, path, rev string) (Result, *Index, signal.Signal) {
	t.Helper()
	sig := sigAt(f)
	now := time.Now()
	sig.Timestamp = &now
	idx := NewIndex([]RepoHistory{{Repo: "r", Commits: historyWithout(t, dir, before)}}, Options{})
	return idx.RankWith(sig, neededFile(t, idx, sig, dir, path, rev)), idx, sig
}

// neededFile checks that ranking sig needs exactly one file (at path and
// rev, when given) and returns it with its contents in dir, for RankWith.
func neededFile(t *testing.T, idx *Index, sig signal.Signal, dir, path, rev string) map[FileRef][]byte {
	t.Helper()
	needs := idx.Needs(sig)
	if len(needs) != 1 || path != "" && needs[0].Path != path || rev != "" && needs[0].Rev != rev {
		t.Fatalf("got needs %+v, want one file %s at %s", needs, path, rev)
	}
	data, err := os.ReadFile(filepath.Join(dir, needs[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	return map[FileRef][]byte{needs[0]: data}
}

// evidenceKinds lists the kinds of the evidence against the suspect hash.
func evidenceKinds(r Result, hash string) []string {
	for _, s := range r.Suspects {
		if s.Hash == hash {
			var out []string
			for _, e := range s.Evidence {
				out = append(out, e.Kind)
			}
			return out
		}
	}
	return nil
}

// TestFunctionEvidenceByDistance: a change far from the frame's line in a
// long function says less than one beside the line. The crashing
// function's change 60 lines up (a newer commit) used to outrank a change
// two lines from the caller's frame (an older one): function evidence on
// the crash frame weighed the same wherever the change was. With the
// distance it ranks second, and both keep their function evidence.
func TestFunctionEvidenceByDistance(t *testing.T) {
	repo := testenv.NewGitRepo(t, time.Now().Add(-20*24*time.Hour).Truncate(time.Second), 24*time.Hour)
	var body []string
	for i := 0; i < 60; i++ {
		body = append(body, fmt.Sprintf("\tp->f%d = %d;", i, i))
	}
	// A function between them keeps the caller's change away from the
	// crashing line.
	spacer := "static void spacer(struct s *p)\n{\n" + strings.Repeat("\tp->pad++;\n", 40) + "}\n\n"
	write := func(first, before string) {
		repo.WriteFile("src/run.c", "static int crash(struct s *p)\n{\n"+first+"\n"+strings.Join(body, "\n")+
			"\n\treturn p->q->n;\n}\n\n"+spacer+"int caller(struct s *p)\n{\n"+before+"\n\tint r = 0;\n\tr = crash(p);\n\treturn r;\n}\n")
	}
	write("\tint k = 0;", "\tp->q = p->r;")
	repo.Commit("run: first") // before the window
	write("\tint k = 0;", "\tp->q = NULL;")
	near := repo.Commit("caller: reset q before the crash") // two lines above the caller's frame
	write("\tint k = p->len;", "\tp->q = NULL;")
	far := repo.Commit("crash: start from the length") // 60 lines above the crash frame

	lineOf := func(text string) int {
		data, err := os.ReadFile(filepath.Join(repo.Dir, "src/run.c"))
		if err != nil {
			t.Fatal(err)
		}
		return slices.Index(strings.Split(string(data), "\n"), text) + 1
	}
	crashLine, callLine := lineOf("\treturn p->q->n;"), lineOf("\tr = crash(p);")
	sig := sigAt(frame("src/run.c", crashLine, "crash"), frame("src/run.c", callLine, "caller"))
	now := time.Now()
	sig.Timestamp = &now
	history := []RepoHistory{{Repo: "r", Commits: historyWithout(t, repo.Dir, "run: first")}}
	idx := NewIndex(history, Options{})
	files := neededFile(t, idx, sig, repo.Dir, "src/run.c", "")
	res := idx.RankWith(sig, files)
	if got := hashes(res); len(got) < 2 || got[0] != near || got[1] != far {
		t.Errorf("got %v, want %s (beside the caller's line) then %s (far up the crashing function)", got, near, far)
	}
	for _, h := range []string{near, far} {
		if k := evidenceKinds(res, h); !slices.Contains(k, KindFunction) {
			t.Errorf("%s has evidence %v, want function evidence", h, k)
		}
	}
	// Without the distance (FnFloor 1), the far change wins: the case
	// the weighting is for.
	w := DefaultWeights
	w.FnFloor = 1
	flat := NewIndex(history, Options{Weights: &w})
	if got := hashes(flat.RankWith(sig, files)); len(got) == 0 || got[0] != far {
		t.Errorf("without the distance: got %v, want %s first", got, far)
	}
}
