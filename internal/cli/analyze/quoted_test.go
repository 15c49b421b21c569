package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A Python traceback from a build older than the tip, where a later commit
// put a check at the top of the crashing function and moved the line that
// failed: the source line the traceback prints finds that build, and the
// culprit comes first by its line. The same traceback without its source
// lines is read at the tip's numbering.
func TestTracebackSourceLineFindsTheBuild(t *testing.T) {
	r := newRepo(t)
	now := time.Now().UTC()
	body := func(check bool) string {
		lines := []string{"def total(items):"}
		if check {
			lines = append(lines, "    if not items:", "        return 0", "    # checked")
		}
		for i := 0; i < 12; i++ {
			lines = append(lines, fmt.Sprintf("    s%d = items[%d]", i, i))
		}
		return strings.Join(append(lines, "    return s0", ""), "\n")
	}
	r.commit(now.Add(-60*24*time.Hour), "cart: total", map[string]string{"shop/cart.py": body(false)})
	culprit := r.commit(now.Add(-6*24*time.Hour), "cart: price from the product", map[string]string{
		"shop/cart.py": strings.Replace(body(false), "    s5 = items[5]", "    s5 = items[5]['product']['price']", 1),
	})
	r.commit(now.Add(-2*24*time.Hour), "cart: an empty cart totals 0", map[string]string{
		"shop/cart.py": strings.Replace(body(true), "    s5 = items[5]", "    s5 = items[5]['product']['price']", 1),
	})
	// Line 7 is s5's at the culprit's build, s2's at the tip.
	trace := "Traceback (most recent call last):\n" +
		"  File \"/srv/shop/cart.py\", line 7, in total\n" +
		"    s5 = items[5]['product']['price']\n" +
		"KeyError: 'product'\n"
	s := analyzeOne(t, r.dir, "trace.txt", trace)
	wantFirst(t, s, culprit)
	if ev := s.Suspects[0].Evidence; ev[0].Kind != "line" {
		t.Errorf("got evidence %+v, want a line hit first", ev)
	}
	if !hasNote(s.Notes, "fit "+culprit[:12], "blamed from there") {
		t.Errorf("got notes %q, want the culprit's build named", s.Notes)
	}
	bare := strings.Replace(trace, "    s5 = items[5]['product']['price']\n", "", 1)
	s = analyzeOne(t, r.dir, "bare.txt", bare)
	if hasNote(s.Notes, "blamed from there") {
		t.Errorf("without the source line: got notes %q, want the tip's numbering", s.Notes)
	}
}
