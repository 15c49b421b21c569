package oauthflow

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

type bodyTransport struct {
	body, contentType string
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {b.contentType}},
		Body: io.NopCloser(strings.NewReader(b.body)), Request: r}, nil
}

func TestTokenScopes(t *testing.T) {
	tests := []struct {
		body, want string
	}{
		{`{"access_token":"a","scope":"account repository","expires_in":7200}`, "account repository"},
		{`{"access_token":"a","scopes":"account repository","expires_in":"7200"}`, "account repository"},
		{`{"access_token":"a","scopes":["account","repository"]}`, "account repository"},
		{`{"access_token":"a","scope":"","scopes":"email"}`, "email"},
		{`{"access_token":"a","scope":"a,b"}`, "a b"},
		{`{"access_token":"a"}`, ""},
	}
	for _, tt := range tests {
		tok, err := exchangeBody(tt.body, "application/json")
		if err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		if got := strings.Join(TokenScopes(tok), " "); got != tt.want {
			t.Errorf("TokenScopes(%s): got %q, want %q", tt.body, got, tt.want)
		}
	}
}

func exchangeBody(body, ct string) (*oauth2.Token, error) {
	conf := &oauth2.Config{ClientID: "k", ClientSecret: "s", Endpoint: Endpoint("http://127.0.0.1:1/site/oauth2")}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: bodyTransport{body, ct}})
	return conf.Exchange(ctx, "code")
}

func FuzzTokenResponse(f *testing.F) {
	f.Add(`{"access_token":"a","refresh_token":"r","scope":"account repository","expires_in":7200,"token_type":"bearer","state":"authorization_code"}`, "application/json")
	f.Add(`{"access_token":"a","scopes":["x",1,null]}`, "application/json")
	f.Add(`access_token=a&scope=account+repository&expires_in=7200`, "application/x-www-form-urlencoded")
	f.Add(`{"error":"invalid_grant"}`, "application/json")
	f.Fuzz(func(t *testing.T, body, ct string) {
		tok, err := exchangeBody(body, ct)
		if err != nil {
			return
		}
		if tok.AccessToken == "" {
			t.Errorf("accepted a token response without access_token: %q", body)
		}
		for _, s := range TokenScopes(tok) {
			if s == "" || strings.ContainsAny(s, " ,\t\n") {
				t.Errorf("TokenScopes(%q): bad scope %q", body, s)
			}
		}
	})
}
