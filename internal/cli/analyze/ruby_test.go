package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// rubyFile is a Ruby source file of n lines: head, then lines (by number)
// and comments elsewhere, then the class's "end".
func rubyFile(head string, lines map[int]string, n int) string {
	return strings.TrimSuffix(classFile(head, "    # step %d", lines, n), "}\n") + "end\n"
}

// cartRB is the app's app/models/cart.rb: tax at lines 10-12 (its rate at
// 11), total at 14-30, whose loop raises at 17, and rounds at 25.
func cartRB(rate, round string) string {
	return rubyFile("# frozen_string_literal: true\n\nclass Cart\n", map[int]string{
		4:  "  attr_reader :items",
		6:  "  def initialize(items)",
		7:  "    @items = items",
		8:  "  end",
		10: "  def tax",
		11: rate,
		12: "  end",
		14: "  def total",
		15: "    sum = 0",
		16: "    items.each do |item|",
		17: "      sum += item.price.amount",
		18: "    end",
		25: round,
		29: "    sum",
		30: "  end",
	}, 32)
}

// A Ruby error in Cart#total, at a line no window commit wrote: the commit
// that changed another line of total (eight lines below) is named first,
// by the method's extent, not the newer one that changed tax, a method
// just above the line. Git's hunk headers name the class ("class Cart")
// for both, so without the extent neither was known to change total, and
// the newer, nearer change to tax ranked first.
func TestSignalRubyFunction(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	const (
		model      = "app/models/cart.rb"
		controller = "app/controllers/carts_controller.rb"
	)
	r.commit(now.Add(-60*24*time.Hour), "shop: carts", map[string]string{ // before the window
		model:      cartRB("    0.2", "    sum = sum"),
		controller: "class CartsController < ApplicationController\n  def show\n    @cart = Cart.new(current_items)\n\n    render json: { total: @cart.total }\n  end\nend\n",
		"Gemfile":  "source 'https://rubygems.org'\n\ngem 'rails'\n",
	})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: round the total to cents", map[string]string{
		model: cartRB("    0.2", "    sum = sum.round(2)"),
	})
	r.commit(now.Add(-2*24*time.Hour), "cart: the tax rate from the settings", map[string]string{
		model: cartRB("    Settings.tax_rate", "    sum = sum.round(2)"),
	})
	trace := "app/models/cart.rb:17:in 'Cart#total': undefined method 'amount' for nil (NoMethodError)\n" +
		"\tfrom app/controllers/carts_controller.rb:5:in 'CartsController#show'\n" +
		"\tfrom /usr/local/bundle/gems/actionpack-7.1.3/lib/action_controller/metal/basic_implicit_render.rb:6:in 'send_action'\n"
	s := localSignal(t, r.dir, "production.log", trace)
	if s.Format != "ruby" || len(s.Frames) == 0 || s.Frames[0].Path != model || s.Frames[0].Line != 17 || s.Frames[0].Function != "Cart#total" {
		t.Fatalf("got format %q, frames %+v; want a ruby signal whose first frame is %s:17 in Cart#total", s.Format, s.Frames, model)
	}
	if len(s.Suspects) == 0 || s.Suspects[0].Hash != culprit {
		var got []string
		for _, x := range s.Suspects {
			got = append(got, fmt.Sprintf("%.8s %v", x.Hash, x.Evidence))
		}
		t.Fatalf("got suspects %q (reason %q), want %.8s (it changed total) first", got, s.Reason, culprit)
	}
}
