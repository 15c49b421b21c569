import { Cart } from "./cart.js";

// checkout prices an order before it is paid.
export function checkout(order) {
  const cart = new Cart(order.items);
  const label = cart.summary();
  return { label, paid: false };
}
