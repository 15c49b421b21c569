package sample

const readme1 = `# checkout-api

The checkout service: carts, totals and payments.
`

const readme2 = `# checkout-api

The checkout service: carts, totals and payments.

## Running

    go run .

The service listens on :8080 and serves POST /checkout.
`

const gomod = `module example.com/checkout-api

go 1.22
`

const main1 = `package main

import (
	"log"
	"net/http"
)

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`

const main2 = `package main

import (
	"encoding/json"
	"log"
	"net/http"

	"example.com/checkout-api/cart"
	"example.com/checkout-api/payment"
)

type checkoutRequest struct {
	Items []cart.Item ` + "`json:\"items\"`" + `
	Card  string      ` + "`json:\"card\"`" + `
}

func handleCheckout(w http.ResponseWriter, r *http.Request) {
	var req checkoutRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c := cart.New()
	for _, it := range req.Items {
		c.Add(it)
	}
	receipt, err := payment.Charge(c, req.Card)
	if err != nil {
		http.Error(w, err.Error(), http.StatusPaymentRequired)
		return
	}
	_ = json.NewEncoder(w).Encode(receipt)
}

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	http.HandleFunc("/checkout", handleCheckout)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`

// main3 adds request logging: the lines above handleCheckout's body move.
const main3 = `package main

import (
	"encoding/json"
	"log"
	"log/slog"
	"net/http"
	"time"

	"example.com/checkout-api/cart"
	"example.com/checkout-api/payment"
)

type checkoutRequest struct {
	Items []cart.Item ` + "`json:\"items\"`" + `
	Card  string      ` + "`json:\"card\"`" + `
}

func handleCheckout(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { slog.Info("checkout", "duration", time.Since(start)) }()
	var req checkoutRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c := cart.New()
	for _, it := range req.Items {
		c.Add(it)
	}
	receipt, err := payment.Charge(c, req.Card)
	if err != nil {
		http.Error(w, err.Error(), http.StatusPaymentRequired)
		return
	}
	_ = json.NewEncoder(w).Encode(receipt)
}

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	http.HandleFunc("/checkout", handleCheckout)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`

const cart1 = `// Package cart holds a customer's items before checkout.
package cart

// Item is one line of a cart.
type Item struct {
	SKU   string
	Price int64 // cents
	Qty   int
}

// Cart is a customer's cart.
type Cart struct {
	Items []Item
}

// New returns an empty cart.
func New() *Cart { return &Cart{} }

// Add puts an item in the cart.
func (c *Cart) Add(it Item) { c.Items = append(c.Items, it) }
`

const cart2 = `// Package cart holds a customer's items before checkout.
package cart

// Item is one line of a cart.
type Item struct {
	SKU   string ` + "`json:\"sku\"`" + `
	Price int64  ` + "`json:\"price\"`" + ` // cents
	Qty   int    ` + "`json:\"qty\"`" + `
}

// Coupon is a percentage discount.
type Coupon struct {
	Code    string
	Percent int64
}

// Cart is a customer's cart.
type Cart struct {
	Items  []Item
	Coupon *Coupon
}

// New returns an empty cart.
func New() *Cart { return &Cart{} }

// Add puts an item in the cart, merging quantities of the same SKU.
func (c *Cart) Add(it Item) {
	for i := range c.Items {
		if c.Items[i].SKU == it.SKU {
			c.Items[i].Qty += it.Qty
			return
		}
	}
	c.Items = append(c.Items, it)
}
`

const total1 = `package cart

// Total returns the cart's total in cents.
func (c *Cart) Total() int64 {
	var sum int64
	for _, it := range c.Items {
		sum += it.Price * int64(it.Qty)
	}
	return sum
}
`

// total2 plants the bug: a cart without a coupon has a nil Coupon.
const total2 = `package cart

// Total returns the cart's total in cents, after the coupon's discount.
func (c *Cart) Total() int64 {
	var sum int64
	for _, it := range c.Items {
		sum += it.Price * int64(it.Qty)
	}
	discount := c.Coupon.Percent
	return sum - sum*discount/100
}
`

// total3 adds a tax helper above Total: the buggy line moves down.
const total3 = `package cart

// TaxRate is the sales tax in percent.
const TaxRate = 8

// Tax returns the tax on an amount in cents, rounded down.
func Tax(amount int64) int64 {
	return amount * TaxRate / 100
}

// Total returns the cart's total in cents, after the coupon's discount.
func (c *Cart) Total() int64 {
	var sum int64
	for _, it := range c.Items {
		sum += it.Price * int64(it.Qty)
	}
	discount := c.Coupon.Percent
	return sum - sum*discount/100
}
`

const cartTest = `package cart

import "testing"

func TestAddMergesSKUs(t *testing.T) {
	c := New()
	c.Add(Item{SKU: "a", Price: 100, Qty: 1})
	c.Add(Item{SKU: "a", Price: 100, Qty: 2})
	if len(c.Items) != 1 || c.Items[0].Qty != 3 {
		t.Fatalf("got %+v, want one item of quantity 3", c.Items)
	}
}
`

const charge1 = `// Package payment charges a customer's card.
package payment

import (
	"errors"

	"example.com/checkout-api/cart"
)

// Receipt is what a successful charge returns.
type Receipt struct {
	Amount int64 ` + "`json:\"amount\"`" + `
}

// Charge charges the card for the cart's total.
func Charge(c *cart.Cart, card string) (*Receipt, error) {
	total := c.Total()
	if card == "" {
		return nil, errors.New("no card")
	}
	return &Receipt{Amount: total}, nil
}
`

const charge2 = `// Package payment charges a customer's card.
package payment

import (
	"errors"
	"time"

	"example.com/checkout-api/cart"
)

// Receipt is what a successful charge returns.
type Receipt struct {
	Amount int64 ` + "`json:\"amount\"`" + `
}

// Charge charges the card for the cart's total, retrying a declined
// gateway answer up to three times.
func Charge(c *cart.Cart, card string) (*Receipt, error) {
	total := c.Total()
	if card == "" {
		return nil, errors.New("no card")
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = gateway(card, total); err == nil {
			return &Receipt{Amount: total}, nil
		}
		time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
	}
	return nil, err
}

func gateway(card string, amount int64) error { return nil }
`

const ciConfig = `image: golang:1.22

pipelines:
  default:
    - step:
        name: Test
        script:
          - go vet ./...
          - go test ./...
`

const opsNotes = `# Operations

- Deploys go out from main every weekday at 10:00 UTC.
- Page the checkout team for errors in /checkout.
`

// logoPNG is a tiny binary file, so the history has a binary change.
const logoPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"

// History returns the sample history, oldest first.
func History() []Commit {
	return []Commit{
		{DaysAgo: 24, Author: alice, Message: "Initial commit: health check endpoint",
			Files: map[string]string{"README.md": readme1, "go.mod": gomod, "main.go": main1}},
		{DaysAgo: 22, Author: bob, Message: "Add cart package",
			Files: map[string]string{"cart/cart.go": cart1}},
		{DaysAgo: 20.5, Author: alice, Message: "Compute cart totals",
			Files: map[string]string{"cart/total.go": total1}},
		{DaysAgo: 18, Author: carol, Message: "Charge cards through the payment package",
			Files: map[string]string{"payment/charge.go": charge1}},
		{DaysAgo: 16, Author: alice, Message: "Serve POST /checkout",
			Files: map[string]string{"main.go": main2}},
		{DaysAgo: 14, Author: bob, Message: "Document how to run the service",
			Files: map[string]string{"README.md": readme2}},
		{DaysAgo: 12, Author: bob, Message: "Merge quantities of the same SKU; add coupons to carts",
			Files: map[string]string{"cart/cart.go": cart2}},
		{DaysAgo: 9, Author: carol, Message: "Apply coupon discounts to cart totals", Culprit: true,
			Files: map[string]string{"cart/total.go": total2}},
		{DaysAgo: 7, Author: alice, Message: "Test SKU merging",
			Files: map[string]string{"cart/cart_test.go": cartTest}},
		{DaysAgo: 6, Author: carol, Message: "Retry declined charges up to three times",
			Files: map[string]string{"payment/charge.go": charge2}},
		{DaysAgo: 4, Author: bob, Message: "Log checkout durations",
			Files: map[string]string{"main.go": main3}},
		{DaysAgo: 3, Author: alice, Message: "Add CI pipeline and logo",
			Files: map[string]string{"bitbucket-pipelines.yml": ciConfig, "assets/logo.png": logoPNG}},
		{DaysAgo: 2, Author: bob, Message: "Add a sales tax helper",
			Files: map[string]string{"cart/total.go": total3}},
		{DaysAgo: 1, Author: carol, Message: "Operations notes",
			Files: map[string]string{"docs/operations.md": opsNotes}},
		{DaysAgo: 0.5, Author: alice, Message: "Move operations notes to RUNBOOK.md",
			Renames: [][2]string{{"docs/operations.md", "RUNBOOK.md"}}},
	}
}
