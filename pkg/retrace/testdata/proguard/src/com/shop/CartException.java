package com.shop;

/** A cart that cannot be totalled. */
public class CartException extends RuntimeException {
    public CartException(String message) {
        super(message);
    }
}
