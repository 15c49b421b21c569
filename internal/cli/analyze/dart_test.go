package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// dartFile is a Dart library of n lines holding lines (by number) and
// comments elsewhere, inside a class.
func dartFile(class string, lines map[int]string, n int) string {
	return classFile(fmt.Sprintf("import 'package:flutter/foundation.dart';\n\nclass %s {\n", class), "  // "+class+" step %d", lines, n)
}

// cartModel is the app's cart_model.dart, its getter total at lines 40-43
// with body at 42.
func cartModel(body string) string {
	return dartFile("CartModel", map[int]string{
		40: "  double get total {",
		41: "    final items = _items;",
		42: body,
		43: "  }",
	}, 60)
}

// cartPage is the app's cart_page.dart, its build method's closure at
// line 17.
func cartPage(extra string) string {
	return dartFile("_CartPageState", map[int]string{
		5:  extra,
		14: "  Widget build(BuildContext context) {",
		15: "    return Consumer<CartModel>(",
		16: "      builder: (context, cart, child) =>",
		17: "          Text('${cart.total}'),",
		18: "    );",
		19: "  }",
	}, 30)
}

// flutterReport is Flutter's report of an error in CartModel.total
// (cart_model.dart:42), reached from the cart page's build (line 17).
const flutterReport = `══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══════════════════════════════════════════════════════════
The following StateError was thrown building Consumer<CartModel>(dirty):
Bad state: No element

When the exception was thrown, this was the stack:
#0      ListBase.first (dart:collection/list.dart:44:5)
#1      CartModel.total (package:shop/models/cart_model.dart:42:7)
#2      _CartPageState.build.<anonymous closure> (package:shop/pages/cart_page.dart:17:12)
#3      Consumer.buildWithChild (package:provider/src/consumer.dart:179:19)
#4      StatelessElement.build (package:flutter/src/widgets/framework.dart:5550:49)
(elided 3 frames from class _Timer and dart:async-patch)
════════════════════════════════════════════════════════════════════════════════════════════════════
`

// A Flutter app's error: the frame in package:shop maps to the app's
// lib/models/cart_model.dart (the package's lib folder), and analyze
// --local names the commit that made line 42 read the first item first,
// not the later one to the cart page.
func TestSignalFlutter(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	const (
		model = "lib/models/cart_model.dart"
		page  = "lib/pages/cart_page.dart"
	)
	r.commit(now.Add(-30*24*time.Hour), "shop: cart", map[string]string{
		"pubspec.yaml":  "name: shop\ndescription: A shop.\nenvironment:\n  sdk: '>=3.0.0 <4.0.0'\n",
		"lib/main.dart": "import 'package:flutter/material.dart';\n\nvoid main() => runApp(const ShopApp());\n",
		model:           cartModel("    return items.fold(0.0, (a, b) => a + b.price);"),
		page:            cartPage("  // the cart's page"),
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: start the total from the first item", map[string]string{
		model: cartModel("    return items.first.price + items.skip(1).fold(0.0, (a, b) => a + b.price);"),
	})
	r.commit(now.Add(-2*24*time.Hour), "cart page: a title", map[string]string{
		page: cartPage("  static const title = 'Cart';"),
	})
	s := localSignal(t, r.dir, "flutter.txt", flutterReport)
	if s.Format != "dart" || s.Title != "StateError: Bad state: No element" {
		t.Errorf("got format %q, title %q; want dart, StateError: Bad state: No element", s.Format, s.Title)
	}
	var mapped []string
	for _, f := range s.Frames {
		if f.Path != "" {
			mapped = append(mapped, fmt.Sprintf("%s:%d", f.Path, f.Line))
		}
	}
	if want := []string{model + ":42", page + ":17"}; strings.Join(mapped, " ") != strings.Join(want, " ") {
		t.Errorf("got frames mapped to %q, want %q", mapped, want)
	}
	wantFirst(t, s, culprit)
	// The frame's line, and its function: the getter total, whose
	// extent the commit changed.
	kinds := map[string]bool{}
	for _, e := range s.Suspects[0].Evidence {
		kinds[e.Kind] = true
	}
	if !kinds["line"] || !kinds["function"] {
		t.Errorf("got evidence %+v, want line and function evidence", s.Suspects[0].Evidence)
	}
}

// In a repository of several packages (packages/shop, packages/core,
// each with a lib/models/cart_model.dart), the frame in package:shop maps
// to packages/shop's file, whose commit comes first, not to the other
// package's changed the same day.
func TestSignalFlutterPackages(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	const (
		shop = "packages/shop/lib/models/cart_model.dart"
		core = "packages/core/lib/models/cart_model.dart"
	)
	r.commit(now.Add(-30*24*time.Hour), "shop and core: carts", map[string]string{
		"melos.yaml":                  "name: shop_workspace\npackages:\n  - packages/*\n",
		"packages/shop/pubspec.yaml":  "name: shop\n",
		"packages/core/pubspec.yaml":  "name: core\n",
		shop:                          cartModel("    return items.fold(0.0, (a, b) => a + b.price);"),
		core:                          cartModel("    return items.fold(0.0, (a, b) => a + b.cost);"),
		"packages/shop/lib/main.dart": "void main() {}\n",
	})
	culprit := r.commit(now.Add(-3*24*time.Hour), "shop cart: start the total from the first item", map[string]string{
		shop: cartModel("    return items.first.price + items.skip(1).fold(0.0, (a, b) => a + b.price);"),
	})
	r.commit(now.Add(-3*24*time.Hour+time.Hour), "core cart: start the total from the first item", map[string]string{
		core: cartModel("    return items.first.cost + items.skip(1).fold(0.0, (a, b) => a + b.cost);"),
	})
	s := localSignal(t, r.dir, "flutter.txt", flutterReport)
	if len(s.Frames) < 2 || s.Frames[1].Path != shop || s.Frames[1].Line != 42 {
		t.Errorf("got frames %+v, want the second mapped to %s:42", s.Frames, shop)
	}
	wantFirst(t, s, culprit)
}
