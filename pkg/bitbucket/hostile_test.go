package bitbucket

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rawConn answers a request by writing raw bytes on the hijacked
// connection and closing it, so a test can frame (or fail to frame) a body
// the way a hostile server or proxy would.
func rawConn(w http.ResponseWriter, raw string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

const twoFiles = "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+y\n" +
	"diff --git a/b b/b\n--- a/b\n+++ b/b\n@@ -1 +1 @@\n-x\n+y\n"

func TestDiffRefusesWhatIsNotADiff(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
	}{
		{"maintenance page", "text/html; charset=utf-8",
			"<!DOCTYPE html><html><head><title>Bitbucket is down for maintenance</title></head><body>back soon</body></html>"},
		{"html without content type", "", "<html><body>Log in to continue</body></html>"},
		{"json error body", "application/json", `{"type":"error","error":{"message":"Repository is being migrated"}}`},
		{"json problem body", "application/problem+json", `{"title":"busy"}`},
		{"html even when it holds a diff", "text/html", twoFiles},
		{"json content type, empty body", "application/json", ""},
		{"plain text that is not a diff", "text/plain", "Service temporarily unavailable\n"},
		{"a patch, not a diff", "text/plain", "From 0123 Mon Sep 17 00:00:00 2001\nSubject: x\n\n" + twoFiles},
		{"leading blank line", "text/plain", "\n" + twoFiles},
		{"byte-order mark", "text/plain", "\ufeff" + twoFiles},
		{"empty object", "text/plain", "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				_, _ = w.Write([]byte(tt.body))
			}), nil)
			raw, err := c.Diff(context.Background(), "acme", "api", "abc")
			if raw != nil || !errors.Is(err, ErrNotDiff) {
				t.Fatalf("got %v, %v; want an error matching ErrNotDiff", raw, err)
			}
			var nd *NotDiffError
			if !errors.As(err, &nd) || nd.Reason == "" {
				t.Errorf("got %v, want a *NotDiffError that says why", err)
			}
			if !strings.Contains(err.Error(), "gave up after 6 attempts") {
				t.Errorf("got %q, want it to say it gave up after 6 attempts", err)
			}
			if got := n.Load(); got != DefaultMaxAttempts {
				t.Errorf("got %d attempts, want %d (retried like a server fault)", got, DefaultMaxAttempts)
			}
		})
	}
}

func TestDiffNotADiffThenADiff(t *testing.T) {
	var n atomic.Int32
	c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><title>Down for maintenance</title></html>"))
			return
		}
		_, _ = w.Write([]byte(twoFiles))
	}), nil)
	raw, err := c.Diff(context.Background(), "acme", "api", "abc")
	if err != nil || string(raw.Body) != twoFiles {
		t.Fatalf("got %v, %v; want the diff of the third attempt", raw, err)
	}
	if len(fs.waits) != 2 {
		t.Errorf("got %d waits, want 2", len(fs.waits))
	}
}

func TestDiffEmptyBodyReturnedAsIs(t *testing.T) {
	for _, ct := range []string{"text/plain", ""} {
		t.Run("content type "+ct, func(t *testing.T) {
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ct != "" {
					w.Header().Set("Content-Type", ct)
				}
				w.Header().Set("Content-Length", "0")
			}), nil)
			raw, err := c.Diff(context.Background(), "acme", "api", "abc")
			if err != nil || raw == nil || len(raw.Body) != 0 {
				t.Fatalf("got %v, %v; want an empty diff", raw, err)
			}
			if got := c.Stats().Requests; got != 1 {
				t.Errorf("got %d requests, want 1", got)
			}
		})
	}
}

func TestDiffFraming(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(twoFiles))
	_ = zw.Close()
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantFramed bool
	}{
		{"content length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(twoFiles)))
			_, _ = w.Write([]byte(twoFiles))
		}, true},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(twoFiles[:10]))
			w.(http.Flusher).Flush()
			_, _ = w.Write([]byte(twoFiles[10:]))
		}, true},
		{"gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write(gz.Bytes())
		}, true},
		{"close-delimited", func(w http.ResponseWriter, r *http.Request) {
			rawConn(w, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"+twoFiles)
		}, false},
		{"close-delimited HTTP/1.0", func(w http.ResponseWriter, r *http.Request) {
			rawConn(w, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"+twoFiles)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := testServer(t, tt.handler, nil)
			raw, err := c.Diff(context.Background(), "acme", "api", "abc")
			if err != nil {
				t.Fatalf("Diff: %v", err)
			}
			if string(raw.Body) != twoFiles {
				t.Errorf("got body %q, want %q", raw.Body, twoFiles)
			}
			if raw.Framed != tt.wantFramed {
				t.Errorf("got Framed %v, want %v", raw.Framed, tt.wantFramed)
			}
		})
	}
}

// A close-delimited body cut at a file boundary reads as a complete diff:
// the client cannot see the cut, so it reports Framed false.
func TestDiffCloseDelimitedCutIsUnframed(t *testing.T) {
	first := twoFiles[:strings.LastIndex(twoFiles, "diff --git ")]
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rawConn(w, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"+first)
	}), nil)
	raw, err := c.Diff(context.Background(), "acme", "api", "abc")
	if err != nil {
		t.Fatalf("Diff: %v", err)
	}
	if raw.Framed || string(raw.Body) != first {
		t.Errorf("got %q, Framed %v; want the cut body, Framed false", raw.Body, raw.Framed)
	}
}

func TestDiffFramedTruncationRetried(t *testing.T) {
	half := twoFiles[:strings.LastIndex(twoFiles, "diff --git ")]
	tests := []struct {
		name string
		raw  string
	}{
		{"short content length", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(twoFiles), half)},
		{"unfinished chunk", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(half), half)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					rawConn(w, tt.raw)
					return
				}
				_, _ = w.Write([]byte(twoFiles))
			}), nil)
			raw, err := c.Diff(context.Background(), "acme", "api", "abc")
			if err != nil || string(raw.Body) != twoFiles || !raw.Framed {
				t.Fatalf("got %v, %v; want the whole diff from the second attempt", raw, err)
			}
			if got := n.Load(); got != 2 {
				t.Errorf("got %d attempts, want 2", got)
			}
		})
	}
}

// endlessPages serves commit pages forever, each with a fresh next link;
// values makes each page's values.
func endlessPages(values func(i int) any) (http.HandlerFunc, *atomic.Int32) {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		writeJSON(w, 200, map[string]any{
			"values": values(int(i)),
			"next":   fmt.Sprintf("http://%s%s?page=%d", r.Host, r.URL.Path, i),
		})
	}, &n
}

func TestCommitPagesStopsOnEmptyPagesWithFreshLinks(t *testing.T) {
	h, n := endlessPages(func(int) any { return []any{} })
	c, _, _ := testServer(t, h, nil)
	calls := 0
	err := c.CommitPages(context.Background(), "acme", "api", "main", func([]Commit) (bool, error) {
		calls++
		return true, nil
	})
	if !errors.Is(err, ErrBadPaging) || !strings.Contains(err.Error(), "empty pages in a row") {
		t.Fatalf("got %v, want an ErrBadPaging about empty pages", err)
	}
	if got := int(n.Load()); got != MaxEmptyPages {
		t.Errorf("got %d requests, want %d", got, MaxEmptyPages)
	}
	if calls != 0 {
		t.Errorf("fn was called %d times, want 0 (only non-empty pages are handed over)", calls)
	}
}

func TestCommitPagesCap(t *testing.T) {
	h, n := endlessPages(func(i int) any {
		return []any{commitJSONValue(fmt.Sprintf("%040x", i), time.Now())}
	})
	c, _, _ := testServer(t, h, nil)
	pages := 0
	err := c.CommitPages(context.Background(), "acme", "api", "main", func([]Commit) (bool, error) {
		pages++
		return true, nil
	})
	if !errors.Is(err, ErrBadPaging) || !strings.Contains(err.Error(), "stopped after") {
		t.Fatalf("got %v, want an ErrBadPaging about the page cap", err)
	}
	if got := int(n.Load()); got != MaxListPages || pages != MaxListPages {
		t.Errorf("got %d requests and %d pages, want %d of each", got, pages, MaxListPages)
	}
}

func TestListingPageWithoutValues(t *testing.T) {
	for _, body := range []string{`{}`, `{"values": null}`, `{"next": null}`, `{"values": {}}`, `[]`, `null`} {
		t.Run(body, func(t *testing.T) {
			var n atomic.Int32
			c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}), nil)
			got, err := c.ListCommits(context.Background(), "acme", "api", "main", ListCommitsOptions{})
			if err == nil || got != nil {
				t.Fatalf("got %d commits, %v; want an error, not an empty repository", len(got), err)
			}
			// A page that decodes without values was asked for with
			// fields: it is asked for once more without them, and that
			// answer is retried as a fault. One that does not decode is
			// retried at once.
			want := int32(DefaultMaxAttempts + 1)
			if body == `{"values": {}}` || body == `[]` {
				want = DefaultMaxAttempts
			}
			if n.Load() != want {
				t.Errorf("got %d attempts, want %d", n.Load(), want)
			}
		})
	}
}

// maintenanceOnce answers a maintenance web page first, then as then does.
func maintenanceOnce(then http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><title>Maintenance</title></html>"))
			return
		}
		then(w, r)
	}
}

func TestListingPageHTMLThenJSON(t *testing.T) {
	c, _, _ := testServer(t, maintenanceOnce(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"values": []any{commitJSONValue("a1", time.Now())}})
	}), nil)
	got, err := c.ListCommits(context.Background(), "acme", "api", "main", ListCommitsOptions{})
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %v; want the one commit of the second attempt", got, err)
	}
}

// A refused answer leaves nothing behind in the decoded value: the second
// attempt's page is read as it is.
func TestListingRetryStartsFromAFreshValue(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) == 1 {
			_, _ = fmt.Fprintf(w, `{"next": "http://%s/elsewhere", "values": [`, r.Host) // cut JSON
			return
		}
		_, _ = w.Write([]byte(`{"values": []}`))
	}), nil)
	err := c.CommitPages(context.Background(), "acme", "api", "main", func([]Commit) (bool, error) { return true, nil })
	if err != nil {
		t.Fatalf("CommitPages: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("got %d requests, want 2 (no next link kept from the cut page)", n.Load())
	}
}

func TestCommitPagesUnfiltered(t *testing.T) {
	old := time.Now().AddDate(-5, 0, 0)
	cp := &commitPages{pages: [][]map[string]any{
		{commitJSONValue("m1", time.Now(), "p1", "p2"), commitJSONValue("c1", old, "p0")},
		{commitJSONValue("c0", old.AddDate(-1, 0, 0))},
		{commitJSONValue("never", old.AddDate(-2, 0, 0))},
	}}
	c, _, _ := testServer(t, cp, nil)
	var got [][]string
	err := c.CommitPages(context.Background(), "acme", "api", "", func(page []Commit) (bool, error) {
		got = append(got, hashes(page))
		return len(got) < 2, nil
	})
	if err != nil {
		t.Fatalf("CommitPages: %v", err)
	}
	want := [][]string{{"m1", "c1"}, {"c0"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got pages %v, want %v (merges and old commits included, stopped by fn)", got, want)
	}
	// main branch lookup + 2 pages
	if len(cp.requests) != 3 {
		t.Errorf("got %d requests, want 3", len(cp.requests))
	}
	if q := cp.requests[1].Query(); q.Get("pagelen") != "100" {
		t.Errorf("got pagelen %q, want 100", q.Get("pagelen"))
	}
}

func TestCommitPagesReturnsFnError(t *testing.T) {
	cp := &commitPages{pages: [][]map[string]any{{commitJSONValue("a", time.Now())}}}
	c, _, _ := testServer(t, cp, nil)
	stop := errors.New("stop here")
	err := c.CommitPages(context.Background(), "acme", "api", "main", func([]Commit) (bool, error) { return true, stop })
	if err != stop {
		t.Errorf("got %v, want fn's own error unchanged", err)
	}
}

// stall answers nothing until the client hangs up.
func stall(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func TestIdleTimeoutWaitingForHeaders(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		stall(w, r)
	}), func(o *Options) {
		o.IdleTimeout = 20 * time.Millisecond
		o.Retry = &RetryPolicy{MaxAttempts: 3}
	})
	_, err := c.Diff(context.Background(), "acme", "api", "abc")
	var se *StallError
	if !errors.As(err, &se) || se.Body || !errors.Is(err, ErrSlow) {
		t.Fatalf("got %v, want a *StallError while waiting for headers", err)
	}
	for _, want := range []string{"waiting for the response headers", "gave up after 3 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
	if n.Load() != 3 {
		t.Errorf("got %d attempts, want 3", n.Load())
	}
}

func TestIdleTimeoutReadingTheBody(t *testing.T) {
	var n atomic.Int32
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Length", strconv.Itoa(len(twoFiles)))
			_, _ = w.Write([]byte(twoFiles[:25]))
			w.(http.Flusher).Flush()
			stall(w, r)
			return
		}
		_, _ = w.Write([]byte(twoFiles))
	}), func(o *Options) { o.IdleTimeout = 20 * time.Millisecond })
	raw, err := c.Diff(context.Background(), "acme", "api", "abc")
	if err != nil || string(raw.Body) != twoFiles {
		t.Fatalf("got %v, %v; want the diff of the second attempt", raw, err)
	}
	c2, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(twoFiles)))
		_, _ = w.Write([]byte(twoFiles[:25]))
		w.(http.Flusher).Flush()
		stall(w, r)
	}), func(o *Options) { o.IdleTimeout = 20 * time.Millisecond; o.Retry = &RetryPolicy{MaxAttempts: 2} })
	_, err = c2.Diff(context.Background(), "acme", "api", "abc")
	var se *StallError
	if !errors.As(err, &se) || !se.Body || se.Bytes != 25 {
		t.Fatalf("got %v, want a *StallError in the body after 25 bytes", err)
	}
	if !strings.Contains(err.Error(), "reading the body stalled after 25 bytes") {
		t.Errorf("got %q, want it to say the body stalled after 25 bytes", err)
	}
}

// A server that trickles a byte now and then never trips the idle timeout;
// the request budget ends it.
func TestRequestBudgetEndsATrickle(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "1000000")
		bw := bufio.NewWriterSize(w, 1)
		for {
			if _, err := bw.WriteString("+"); err != nil {
				return
			}
			_ = bw.Flush()
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}), func(o *Options) {
		o.IdleTimeout = time.Minute
		o.RequestBudget = 100 * time.Millisecond
	})
	_, err := c.Diff(context.Background(), "acme", "api", "abc")
	var ge *GiveUpError
	if !errors.As(err, &ge) || ge.Budget != 100*time.Millisecond || !errors.Is(err, ErrSlow) {
		t.Fatalf("got %v, want a *GiveUpError for the request budget", err)
	}
	for _, want := range []string{"gave up after 1 attempt in", "the request budget of 100ms ran out", "still reading the body after"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
}

// The budget also stops a request between attempts: a backoff that would
// outlast it is not waited for.
func TestRequestBudgetSkipsALongBackoff(t *testing.T) {
	var n atomic.Int32
	c, _, fs := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeBBError(w, 503, "busy")
	}), func(o *Options) {
		o.RequestBudget = 10 * time.Minute // every backoff is at least WaitMin/4
		o.Retry = &RetryPolicy{WaitMin: 2 * time.Hour, WaitMax: 2 * time.Hour}
	})
	_, err := c.Diff(context.Background(), "acme", "api", "abc")
	var ge *GiveUpError
	var ae *APIError
	if !errors.As(err, &ge) || !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("got %v, want a *GiveUpError around the HTTP 503", err)
	}
	if n.Load() != 1 || len(fs.waits) != 0 {
		t.Errorf("got %d attempts and %d waits, want 1 and 0", n.Load(), len(fs.waits))
	}
}

// When the budget runs out while the client waits for headers, the error
// says so.
func TestRequestBudgetWhileWaitingForHeaders(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(stall), func(o *Options) {
		o.IdleTimeout = time.Minute
		o.RequestBudget = 50 * time.Millisecond
	})
	_, err := c.Diff(context.Background(), "acme", "api", "abc")
	if !errors.Is(err, ErrSlow) || !strings.Contains(err.Error(), "still waiting for the response headers") {
		t.Fatalf("got %v, want the budget error saying it was waiting for headers", err)
	}
}

func TestBudgetAndIdleOff(t *testing.T) {
	c, _, _ := testServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(twoFiles))
	}), func(o *Options) { o.IdleTimeout = -1; o.RequestBudget = -1 })
	if c.idle > 0 || c.budget > 0 {
		t.Fatalf("got idle %s and budget %s, want both off", c.idle, c.budget)
	}
	if _, err := c.Diff(context.Background(), "acme", "api", "abc"); err != nil {
		t.Fatalf("Diff: %v", err)
	}
	d, _, _ := testServer(t, http.NotFoundHandler(), nil)
	if d.idle != DefaultIdleTimeout || d.budget != DefaultRequestBudget {
		t.Errorf("got idle %s and budget %s, want the defaults", d.idle, d.budget)
	}
}

func TestCheckBaseURLSharedRule(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"https://bitbucket.org/site/oauth2", true},
		{"http://127.0.0.1:9/site/oauth2", true},
		{"http://localhost:9/site/oauth2", true},
		{"http://[::1]:9/site/oauth2", true},
		{"http://0.0.0.0:9/site/oauth2", false},
		{"http://[::]:9/site/oauth2", false},
		{"http://example.invalid/site/oauth2", false},
		{"http://127.0.0.1.nip.io/site/oauth2", false},
	} {
		_, err := CheckBaseURL("Bitbucket OAuth URL", tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("CheckBaseURL(%q): got %v, want ok=%v", tt.url, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "checking the Bitbucket OAuth URL") {
			t.Errorf("CheckBaseURL(%q): got %q, want it to name the OAuth URL", tt.url, err)
		}
	}
}

// FuzzCheckDiff: any answer is either accepted as a diff (empty, or
// starting with the diff header, and not HTML or JSON) or refused with a
// printable *NotDiffError; nothing panics.
func FuzzCheckDiff(f *testing.F) {
	f.Add("text/plain", []byte(twoFiles))
	f.Add("text/html; charset=utf-8", []byte("<html><title>Down</title></html>"))
	f.Add("application/json", []byte(`{"error":{"message":"x"}}`))
	f.Add("", []byte{})
	f.Add("text/plain; charset=\"", []byte("\xff\xfe\x00diff --git "))
	f.Add("application/vnd.api+json", []byte("diff --git a b"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		r := &response{status: 200, header: http.Header{"Content-Type": {ct}}, body: body}
		err := checkDiff("https://api.bitbucket.org/2.0/repositories/a/b/diff/c", r)
		if err == nil {
			if len(body) > 0 && !bytes.HasPrefix(body, diffHeader) {
				t.Errorf("accepted %q as a diff", body)
			}
			return
		}
		var nd *NotDiffError
		if !errors.As(err, &nd) || !errors.Is(err, ErrNotDiff) {
			t.Fatalf("got %v, want a *NotDiffError", err)
		}
		for _, c := range nd.Head {
			if c < 0x20 && c != '\t' || c == 0x7f {
				t.Errorf("head %q holds a control character", nd.Head)
			}
		}
		if n := len([]rune(nd.Head)); n > 81 {
			t.Errorf("head of %d runes, want at most 81", n)
		}
	})
}

// When the budget cuts an attempt short, the error gives the last answer
// the server did send (here, a page that is not a diff), not only that
// the budget ran out while waiting.
func TestRequestBudgetKeepsTheLastAnswer(t *testing.T) {
	c, _, _ := testServer(t, maintenanceOnce(stall), func(o *Options) {
		o.IdleTimeout = time.Minute
		o.RequestBudget = 200 * time.Millisecond
		o.Retry = &RetryPolicy{WaitMin: time.Millisecond, WaitMax: time.Millisecond}
	})
	_, err := c.Diff(context.Background(), "acme", "api", "abc")
	var ge *GiveUpError
	if !errors.As(err, &ge) || ge.Budget == 0 || ge.Attempts != 2 || !errors.Is(err, ErrNotDiff) {
		t.Fatalf("got %v, want a *GiveUpError for the budget after 2 attempts, around the not-a-diff answer", err)
	}
	for _, want := range []string{"gave up after 2 attempts", "the request budget of 200ms ran out", "not a diff"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
}
