package bitbucket

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeSleep records requested waits and returns at once (or with ctx.Err()).
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleep) total() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var t time.Duration
	for _, w := range f.waits {
		t += w
	}
	return t
}

// testServer starts h on loopback and returns a client for it with a fake
// sleeper. mod may adjust the options.
func testServer(t testing.TB, h http.Handler, mod func(*Options)) (*Client, *httptest.Server, *fakeSleep) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	fs := &fakeSleep{}
	opts := Options{
		BaseURL:   srv.URL + "/2.0",
		Auth:      BearerAuth("test-bearer-token-0123456789"),
		UserAgent: "sigsentry-test",
		Sleep:     fs.Sleep,
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, srv, fs
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeBBError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"type": "error", "error": map[string]any{"message": msg}})
}

// testDiff is a minimal diff body, as Bitbucket's /diff answers it.
const testDiff = "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
