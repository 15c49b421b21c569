import { checkout } from "./checkout.js";

function placeOrder() {
  const order = { items: [{ product: { price: 3 }, quantity: 2 }, { quantity: 1 }] };
  return checkout(order);
}

console.log(placeOrder());
