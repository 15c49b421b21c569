package apitrace

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRedactorURL(t *testing.T) {
	r := Redactor{"token": true}
	got := r.URLString("https://me:pw@api.example/x?a=1&Token=s3cret&b=2")
	if got != "https://api.example/x?a=1&Token=REDACTED&b=2" {
		t.Errorf("got %q", got)
	}
	if got := r.URLString("://bad"); got != "(unparsable URL)" {
		t.Errorf("got %q", got)
	}
}

func TestCapText(t *testing.T) {
	if got := CapText(" a\n\tb\x1b[31m \xff "); got != "a b [31m \uFFFD" {
		t.Errorf("got %q", got)
	}
	if got := CapText(strings.Repeat("x", MaxText+10)); len([]rune(got)) != MaxText+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("got %d runes", len([]rune(got)))
	}
}

// The trace shows the Authorization scheme only, redacted URLs, the chosen
// headers and the start of an error body, and leaves the body readable.
func TestTransportTrace(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "r1")
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}))
	defer srv.Close()
	var out bytes.Buffer
	tr := &Transport{Base: http.DefaultTransport, Tracer: NewTracer(&out, func(s string) string { return strings.ReplaceAll(s, "hunter2", "***") }),
		Redactor: Redactor{"access_token": true}, RequestHeaders: []string{"Accept"}, ResponseHeaders: []string{"X-Request-Id"}}
	req, _ := http.NewRequest("GET", srv.URL+"/x?access_token=abc&q=hunter2", nil)
	req.Header.Set("Authorization", "Bearer abc")
	req.Header.Set("Accept", "application/json")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"error":"not found"}` {
		t.Errorf("body after tracing: %q", body)
	}
	got := out.String()
	for _, want := range []string{"> GET " + srv.URL + "/x?access_token=REDACTED&q=***", "Authorization: Bearer [redacted]", "Accept: application/json",
		"< 404 GET", "X-Request-Id: r1", `body: {"error":"not found"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "abc") {
		t.Errorf("trace holds the token:\n%s", got)
	}
}

// Client traces a copy of the client and leaves the original untouched;
// a client without a transport gets the default one underneath.
func TestTransportClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	var out bytes.Buffer
	orig := &http.Client{}
	hc := Transport{Tracer: NewTracer(&out, nil)}.Client(orig)
	if orig.Transport != nil {
		t.Fatalf("the original client's transport changed to %T", orig.Transport)
	}
	tr, ok := hc.Transport.(*Transport)
	if !ok || tr.Base != http.DefaultTransport {
		t.Fatalf("got transport %T over %v, want *Transport over http.DefaultTransport", hc.Transport, tr)
	}
	resp, err := hc.Get(srv.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(out.String(), "> GET "+srv.URL+"/x") || !strings.Contains(out.String(), "< 200 GET") {
		t.Errorf("trace %q lacks the request and the response", out.String())
	}
}
