(() => {
  // node_modules/money/index.js
  function c(r, t) {
    let e = 0;
    for (let i of r)
      e += t(i);
    return e;
  }
  function n(r) {
    return "$" + r.toFixed(2);
  }

  // src/cart.js
  var o = class {
    constructor(t) {
      this.items = t;
    }
    total() {
      return c(this.items, (t) => t.product.price * t.quantity);
    }
    summary() {
      let t = this.total();
      return n(t);
    }
  };

  // src/checkout.js
  function u(r) {
    return { label: new o(r.items).summary(), paid: !1 };
  }

  // src/main.js
  function s() {
    return u({ items: [{ product: { price: 3 }, quantity: 2 }, { quantity: 1 }] });
  }
  console.log(s());
})();
//# sourceMappingURL=main.T3JPWKBS.js.map
