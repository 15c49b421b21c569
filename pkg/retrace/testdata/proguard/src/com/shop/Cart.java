package com.shop;

import java.util.ArrayList;
import java.util.List;

/** A shopping cart whose total fails on an item without a price. */
public class Cart {
    private final List<Item> items = new ArrayList<>();

    public void add(String name, Integer cents) {
        items.add(new Item(name, cents));
    }

    public int total() {
        int sum = 0;
        for (Item item : items) {
            sum += priceOf(item);
        }
        return sum;
    }

    private static int priceOf(Item item) {
        if (item.cents == null) {
            throw new CartException("no price for " + item.name);
        }
        return item.cents;
    }

    static final class Item {
        final String name;
        final Integer cents;

        Item(String name, Integer cents) {
            this.name = name;
            this.cents = cents;
        }
    }
}
