package bitbuckettest_test

import (
	"fmt"
	"net/http"

	"github.com/sigsentry/sigsentry/pkg/bitbucket/bitbuckettest"
)

func Example() {
	srv := bitbuckettest.NewServer(bitbuckettest.Options{AutoApprove: true})
	defer srv.Close()
	srv.AddUser(bitbuckettest.User{Nickname: "alice", Email: "alice@example.com", Workspaces: []string{"acme"}})
	srv.AddAPIToken("alice@example.com", "token", "read:user:bitbucket")

	req, _ := http.NewRequest(http.MethodGet, srv.APIURL()+"/user", nil)
	req.SetBasicAuth("alice@example.com", "token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Credential-Type"), srv.CountRequests("/2.0/user"))
	// Output: 200 api_token 1
}
