import { sumBy, formatPrice } from "money";

// Cart holds the order's lines and adds them up.
export class Cart {
  constructor(items) {
    this.items = items;
  }

  total() {
    return sumBy(this.items, (item) => item.product.price * item.quantity);
  }

  summary() {
    const total = this.total();
    return formatPrice(total);
  }
}
