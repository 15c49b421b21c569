package bitbuckettest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rawGet fetches a path below srv as alice and returns the response with
// its body read as far as it goes, and the read error.
func rawGet(t *testing.T, srv *Server, path string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	alice(req)
	// A fresh transport: a cut answer closes its connection.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestRespondNext(t *testing.T) {
	f := newFixture(t)
	head := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main"))
	diff := "/2.0/repositories/acme/app/diff/" + head
	f.srv.RespondNext("/diff/", 2, 200, "text/html; charset=utf-8", MaintenancePage)
	for i := 0; i < 2; i++ {
		r := get(t, f.srv, diff, alice)
		if r.status != 200 || !bytes.Equal(r.body, MaintenancePage) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("answer %d: got %d %q %.40q, want the maintenance page", i, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	if r := get(t, f.srv, diff, alice); !bytes.HasPrefix(r.body, []byte("diff --git ")) {
		t.Errorf("after the knob: got %.60q, want the real diff", r.body)
	}
	// "/diff/" does not match "/diffstat/".
	f.srv.RespondNext("/diff/", 1, 200, "text/plain", nil)
	if r := get(t, f.srv, "/2.0/repositories/acme/app/diffstat/"+head, alice); r.status != 200 || len(r.json(t)["values"].([]any)) == 0 {
		t.Errorf("diffstat: got %d %.80s, want the real diffstat", r.status, r.body)
	}
	if r := get(t, f.srv, diff, alice); r.status != 200 || len(r.body) != 0 {
		t.Errorf("got %d %.40q, want an empty 200", r.status, r.body)
	}
	f.srv.RespondNext("/commits", Forever, 200, "application/json", []byte(`{"values": null}`))
	for i := 0; i < 3; i++ {
		if r := get(t, f.srv, "/2.0/repositories/acme/app/commits/main", alice); string(r.body) != `{"values": null}` {
			t.Errorf("answer %d: got %s, want the fixed page every time", i, r.body)
		}
	}
	f.srv.ClearFaults()
	if r := get(t, f.srv, "/2.0/repositories/acme/app/commits/main", alice); len(r.json(t)["values"].([]any)) == 0 {
		t.Errorf("after ClearFaults: got %.80s, want real commits", r.body)
	}
}

func TestCutNext(t *testing.T) {
	f := newFixture(t)
	// main~10 is commit 270: a.txt and files/f270.txt.
	h := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main~10"))
	path := "/2.0/repositories/acme/app/diff/" + h
	_, whole, err := rawGet(t, f.srv, path)
	if err != nil || bytes.Count(whole, []byte("diff --git ")) != 2 {
		t.Fatalf("got %q, %v; want a diff of two files", whole, err)
	}
	second := bytes.LastIndex(whole, []byte("diff --git "))

	f.srv.CutNext("/diff/", 1, 1, CloseDelimited)
	resp, body, err := rawGet(t, f.srv, path)
	if err != nil || !bytes.Equal(body, whole[:second]) {
		t.Errorf("close-delimited: got %q, %v; want the first file only, without an error", body, err)
	}
	if resp.ContentLength != -1 || len(resp.TransferEncoding) != 0 {
		t.Errorf("close-delimited: got Content-Length %d, Transfer-Encoding %v; want neither", resp.ContentLength, resp.TransferEncoding)
	}

	f.srv.CutNext("/diff/", 1, 0, CloseDelimited)
	if _, body, err := rawGet(t, f.srv, path); err != nil || len(body) != 0 {
		t.Errorf("keep 0: got %q, %v; want an empty body", body, err)
	}

	for _, fr := range []Framing{ShortContentLength, UnfinishedChunk} {
		f.srv.CutNext("/diff/", 1, 1, fr)
		_, body, err := rawGet(t, f.srv, path)
		if !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(body, whole[:second]) {
			t.Errorf("framing %d: got %q, %v; want the first file and an unexpected EOF", fr, body, err)
		}
	}
	if _, body, err := rawGet(t, f.srv, path); err != nil || !bytes.Equal(body, whole) {
		t.Errorf("after the knobs: got %d bytes, %v; want the whole diff", len(body), err)
	}
	reqs := f.srv.Requests()
	if last := reqs[len(reqs)-2]; last.Status != 200 {
		t.Errorf("recorded status %d for a cut answer, want 200", last.Status)
	}
}

func TestEmptyPagesNext(t *testing.T) {
	f := newFixture(t)
	f.srv.EmptyPagesNext("/commits", 3)
	u := "/2.0/repositories/acme/app/commits/main?pagelen=100"
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		m := get(t, f.srv, u, alice).json(t)
		vals, ok := m["values"].([]any)
		next, _ := m["next"].(string)
		if !ok || len(vals) != 0 || next == "" || seen[next] {
			t.Fatalf("page %d: got %v, want an empty page with a fresh next link", i, m)
		}
		seen[next] = true
		u = next
	}
	if r := get(t, f.srv, u, alice); r.status != http.StatusBadRequest {
		t.Errorf("following the last link: got %d %s, want 400 Invalid page", r.status, r.body)
	}
}

func TestTrickleNext(t *testing.T) {
	f := newFixture(t)
	f.srv.TrickleNext("/2.0/user", 1, 2*time.Millisecond)
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL()+"/2.0/user", nil)
	alice(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body []byte
	reads := 0
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			reads++
			body = append(body, buf[:n]...)
		}
		if err != nil {
			break
		}
	}
	var u map[string]any
	if json.Unmarshal(body, &u) != nil || u["nickname"] != "alice" {
		t.Fatalf("got %q; want the whole user", body)
	}
	if resp.ContentLength != int64(len(body)) {
		t.Errorf("got Content-Length %d, want %d", resp.ContentLength, len(body))
	}
	if reads < 2 {
		t.Errorf("got the %d-byte body in %d read, want it to arrive in pieces", len(body), reads)
	}
}

func TestStallNext(t *testing.T) {
	f := newFixture(t)
	f.srv.StallNext("/2.0/user", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL()+"/2.0/user", nil)
	alice(req)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got HTTP %d, want no answer at all", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the client's own deadline", err)
	}
	if r := get(t, f.srv, "/2.0/user", alice); r.status != 200 {
		t.Errorf("after the knob: got %d, want 200", r.status)
	}
}

// A stalled answer ends when the server closes, so Close never hangs.
func TestStallEndsOnClose(t *testing.T) {
	srv := NewServer(Options{})
	srv.StallNext("/", 1)
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL() + "/2.0/user")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for taken := false; !taken; time.Sleep(time.Millisecond) {
		srv.mu.Lock()
		taken = len(srv.faults) == 0 // the request is in the stalled answer
		srv.mu.Unlock()
	}
	srv.Close()
	if err := <-done; err == nil {
		t.Errorf("got an answer, want the connection closed")
	}
}

func TestForceDiffstatTooLarge(t *testing.T) {
	f := newFixture(t)
	head := strings.TrimSpace(gitOut(t, f.gitDir, "rev-parse", "main"))
	f.srv.ForceDiffTooLarge(head[:10])
	f.srv.ForceDiffstatTooLarge(head[:10])
	for _, p := range []string{"diff", "diffstat"} {
		if r := get(t, f.srv, "/2.0/repositories/acme/app/"+p+"/"+head, alice); r.status != 555 {
			t.Errorf("%s: got %d, want 555", p, r.status)
		}
	}
	if r := get(t, f.srv, "/2.0/repositories/acme/app/diffstat/"+head+"~1", alice); r.status != 200 {
		t.Errorf("another commit's diffstat: got %d, want 200", r.status)
	}
}
