package com.shop;

/** Fills a cart with an item that has no price and checks it out. */
public class Main {
    public static void main(String[] args) {
        Cart cart = new Cart();
        cart.add("apple", 120);
        cart.add("pear", null);
        System.out.println(new Checkout(cart).pay());
    }
}
