package com.shop;

/** Checks a cart out: totals it, wrapping what fails. */
public class Checkout {
    private final Cart cart;

    public Checkout(Cart cart) {
        this.cart = cart;
    }

    public int pay() {
        try {
            return cart.total();
        } catch (CartException e) {
            throw new IllegalStateException("checkout failed", e);
        }
    }
}
