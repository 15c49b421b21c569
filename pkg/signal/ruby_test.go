package signal

import (
	"fmt"
	"reflect"
	"testing"
)

// TestRubyOrderedForms: Ruby 2.5 to 2.7's "N: from" lines, printed above
// the raising line outermost first, and a VM crash report's "Ruby level
// backtrace", printed outermost first, both read innermost first.
func TestRubyOrderedForms(t *testing.T) {
	tests := []struct {
		name, input, title string
		want               []string
	}{
		{"numbered from lines", "Traceback (most recent call last):\n" +
			"\t2: from bin/shop:23:in `<main>'\n" +
			"\t1: from app/models/cart.rb:300:in `total'\n" +
			"app/models/line.rb:281:in `price': undefined method `amount' for nil:NilClass (NoMethodError)\n",
			"NoMethodError: undefined method `amount' for nil:NilClass",
			[]string{"app/models/line.rb:281 price", "app/models/cart.rb:300 total", "bin/shop:23 <main>"}},
		{"windows paths", "C:/src/shop/app/models/line.rb:8:in 'Line#price': divided by 0 (ZeroDivisionError)\n" +
			"\tfrom C:/src/shop/app/models/cart.rb:30:in 'Cart#total'\n",
			"ZeroDivisionError: divided by 0",
			[]string{"C:/src/shop/app/models/line.rb:8 Line#price", "C:/src/shop/app/models/cart.rb:30 Cart#total"}},
		{"crash report", "app/models/cart.rb:12: [BUG] Segmentation fault at 0x0000000000000000\n" +
			"ruby 2.2.1p85 (2015-02-26 revision 49769) [x86_64-darwin14]\n\n" +
			"-- Control frame information -----------------------------------------------\n" +
			"c:0004 p:---- s:0015 e:000014 CFUNC  :require\n\n" +
			"-- Ruby level backtrace information ----------------------------------------\n" +
			"bin/shop:3:in `<main>'\n" +
			"app/models/cart.rb:30:in `total'\n" +
			"app/models/cart.rb:12:in `sum'\n\n" +
			"-- C level backtrace information -------------------------------------------\n",
			"Segmentation fault at 0x0000000000000000",
			[]string{"app/models/cart.rb:12 sum", "app/models/cart.rb:30 total", "bin/shop:3 <main>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, got := parseFrames(t, tt.input, func(f Frame) string { return fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Function) })
			if len(sigs) != 1 || sigs[0].Format != FormatRuby || sigs[0].Title != tt.title || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d signals, the first %s %q with frames %q; want one ruby signal %q with %q", len(sigs), sigs[0].Format, sigs[0].Title, got, tt.title, tt.want)
			}
		})
	}
}

// TestRubyTwoTracebacks: a second "Traceback (most recent call last):"
// starts a second error.
func TestRubyTwoTracebacks(t *testing.T) {
	in := "app/a.rb:2:in `foo': first (RuntimeError)\n\tfrom app/a.rb:5:in `<main>'\n" +
		"Traceback (most recent call last):\n\t1: from app/b.rb:5:in `<main>'\n" +
		"app/b.rb:2:in `bar': second (ArgumentError)\n"
	sigs, err := Parse("trace.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 2 || sigs[0].Title != "RuntimeError: first" || sigs[1].Title != "ArgumentError: second" || len(sigs[1].Frames) != 2 {
		t.Errorf("got %+v, want the two errors apart", sigs)
	}
}
