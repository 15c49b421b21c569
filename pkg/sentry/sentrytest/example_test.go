package sentrytest_test

import (
	"fmt"
	"net/http"

	"github.com/sigsentry/sigsentry/pkg/sentry/sentrytest"
)

func Example() {
	srv := sentrytest.NewServer(sentrytest.Options{})
	defer srv.Close()
	srv.AddToken("sntryu_example", sentrytest.Token{Scopes: []string{"event:read"}})
	issue, _ := srv.AddIssue(sentrytest.Issue{Org: "acme", Project: "checkout"}, sentrytest.Event{
		Exceptions: []sentrytest.Exception{{Type: "ValueError", Value: "bad sku",
			Frames: []sentrytest.Frame{{Filename: "app/cart.py", Function: "total", Line: 12, InApp: true}}}},
	})

	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/0/organizations/acme/shortids/"+issue.ShortID+"/", nil)
	req.Header.Set("Authorization", "Bearer sntryu_example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(issue.ShortID, resp.StatusCode, srv.CountRequests("/api/0/organizations/acme/shortids/"))
	// Output: CHECKOUT-1 200 1
}
