// Package sample is the demo's sample repository: the history of a small
// checkout service written by three people over three weeks, one commit of
// which plants a real bug, and the panic that bug causes in production.
package sample

import (
	_ "embed"
	"strings"
	"time"
)

// Author is a commit author.
type Author struct{ Name, Email string }

var (
	alice = Author{"Alice Martin", "alice@acme.example"}
	bob   = Author{"Bob Chen", "bob@acme.example"}
	carol = Author{"Carol Diaz", "carol@acme.example"}
)

// Commit is one commit of the sample history: files written (nil content =
// deleted), renames, and how many days before "now" it was made.
type Commit struct {
	DaysAgo float64
	Author  Author
	Message string
	Files   map[string]string
	Renames [][2]string
	// Culprit marks the commit that plants the bug.
	Culprit bool
}

// Workspace and Slug name the sample repository on the fake Bitbucket.
const (
	Workspace = "acme"
	Slug      = "checkout-api"
)

//go:embed panic.txt
var panicTemplate string

// Panic returns the production panic of the planted bug, logged at at, its
// frames pointing at the lines of the final history (computed, so they
// cannot drift). Give it a time on the clock Build dated the history with,
// shortly after its last commit, so that the sample reads the same on any
// day.
func Panic(final map[string]string, at time.Time) string {
	r := strings.NewReplacer(
		"{{time}}", at.UTC().Format(time.RFC3339),
		"{{total}}", itoa(lineOf(final["cart/total.go"], "discount := c.Coupon.Percent")),
		"{{charge}}", itoa(lineOf(final["payment/charge.go"], "total := c.Total()")),
		"{{main}}", itoa(lineOf(final["main.go"], "payment.Charge(c, req.Card)")),
	)
	return r.Replace(panicTemplate)
}

func lineOf(content, needle string) int {
	for i, l := range strings.Split(content, "\n") {
		if strings.Contains(l, needle) {
			return i + 1
		}
	}
	return 0
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// Final replays the history and returns the files at the last commit.
func Final() map[string]string {
	out := map[string]string{}
	for _, c := range History() {
		for _, rn := range c.Renames {
			out[rn[1]] = out[rn[0]]
			delete(out, rn[0])
		}
		for p, content := range c.Files {
			out[p] = content
		}
	}
	return out
}
