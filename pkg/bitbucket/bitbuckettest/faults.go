package bitbuckettest

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault knobs. Each one applies to the next n requests whose path contains
// a substring (n == Forever: every such request), before authentication,
// in the order the knobs were set; a request takes at most one fault.
// They reproduce what hostile or broken servers and proxies do:
//
//	FailNext               an error status (429 plain text, 5xx/4xx JSON);
//	                       on "/site/oauth2/access_token" a failed refresh
//	RespondNext            any fixed answer: an HTML maintenance page, a
//	                       JSON error or an empty body with status 200 on
//	                       "/diff/", or a listing page of {} or
//	                       {"values": null} on "/commits"
//	CutNext                the real answer cut before a file of a diff,
//	                       close-delimited (no Content-Length, no chunking:
//	                       the cut is invisible), or framed (short
//	                       Content-Length, unfinished chunk: the cut shows)
//	EmptyPagesNext         empty listing pages, each with a fresh next link
//	TrickleNext            the real answer, one byte per interval
//	StallNext              no answer at all, not even headers
//	ForceDiffTooLarge,     555 on /diff, and on /diffstat too
//	ForceDiffstatTooLarge
//	RevokeRefreshTokens    every refresh token dead (invalid_grant)
//
// Paths in the pattern arguments are the request's path, e.g.
// "/2.0/repositories/acme/api/diff/" or just "/diff/" ("/diff/" does not
// match "/diffstat/").

// Forever, as a knob's count, applies it to every matching request.
const Forever = -1

// MaintenancePage is an HTML page like the one a proxy in front of
// Bitbucket serves during maintenance, for RespondNext.
var MaintenancePage = []byte(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bitbucket is down for scheduled maintenance</title></head>
<body><h1>We'll be back soon</h1><p>Bitbucket is undergoing scheduled maintenance.</p></body></html>
`)

// Framing says how CutNext ends a cut answer.
type Framing int

const (
	// CloseDelimited sends no Content-Length and no chunking and closes
	// the connection after the cut (HTTP/1.1 "Connection: close"): the
	// client reads a complete, shorter body without any error.
	CloseDelimited Framing = iota
	// ShortContentLength announces the whole answer's Content-Length and
	// closes the connection after the cut: the client sees an unexpected
	// EOF.
	ShortContentLength
	// UnfinishedChunk sends the cut part as one chunk and closes the
	// connection without the last chunk: the client sees an unexpected EOF.
	UnfinishedChunk
)

type fault struct {
	substr string
	left   int // < 0: forever
	serve  func(w *statusWriter, r *http.Request, next http.Handler)
}

func (s *Server) addFault(substr string, n int, serve func(w *statusWriter, r *http.Request, next http.Handler)) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{substr: substr, left: n, serve: serve})
}

func (s *Server) takeFault(p string) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if strings.Contains(p, f.substr) {
			if f.left > 0 {
				f.left--
				if f.left == 0 {
					s.faults = append(s.faults[:i], s.faults[i+1:]...)
				}
			}
			return f
		}
	}
	return nil
}

// ClearFaults removes every fault knob still pending.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// RespondNext answers the next n requests whose path contains pathSubstring
// with exactly status, Content-Type contentType (none if empty) and body,
// framed with a Content-Length. Examples: an HTML maintenance page with
// status 200 on a diff, RespondNext("/diff/", 1, 200, "text/html;
// charset=utf-8", MaintenancePage); a JSON error with status 200,
// RespondNext("/diff/", 1, 200, "application/json",
// []byte(`{"type":"error","error":{"message":"busy"}}`)); an empty diff for
// a commit with changes, RespondNext("/diff/", 1, 200, "text/plain", nil);
// a listing page without values, RespondNext("/commits", 1, 200,
// "application/json", []byte(`{}`)).
func (s *Server) RespondNext(pathSubstring string, n, status int, contentType string, body []byte) {
	body = append([]byte(nil), body...)
	s.addFault(pathSubstring, n, func(w *statusWriter, r *http.Request, next http.Handler) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// CutNext serves the real answer to the next n requests whose path
// contains pathSubstring, cut just before the file section keepFiles+1 of
// the diff (the line "diff --git ..."), so the part sent is a well-formed
// diff of the first keepFiles files; keepFiles 0 sends an empty body. An
// answer with no more files than that is sent whole. framing says how the
// cut shows (see Framing); the connection is closed after it.
func (s *Server) CutNext(pathSubstring string, n, keepFiles int, framing Framing) {
	s.addFault(pathSubstring, n, func(w *statusWriter, r *http.Request, next http.Handler) {
		c := newCapture()
		next.ServeHTTP(c, r)
		whole := c.body.Bytes()
		part := cutBeforeFile(whole, keepFiles)
		var head strings.Builder
		fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", c.status, http.StatusText(c.status))
		for k, vs := range c.header {
			switch http.CanonicalHeaderKey(k) {
			case "Content-Length", "Transfer-Encoding", "Connection":
				continue
			}
			for _, v := range vs {
				fmt.Fprintf(&head, "%s: %s\r\n", k, v)
			}
		}
		var out bytes.Buffer
		switch framing {
		case ShortContentLength:
			fmt.Fprintf(&head, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(whole))
			out.Write(part)
		case UnfinishedChunk:
			head.WriteString("Transfer-Encoding: chunked\r\n\r\n")
			if len(part) > 0 {
				fmt.Fprintf(&out, "%x\r\n%s\r\n", len(part), part)
			}
		default:
			head.WriteString("Connection: close\r\n\r\n")
			out.Write(part)
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			writeError(w, http.StatusInternalServerError, "bitbuckettest: cannot cut this answer: "+err.Error(), nil)
			return
		}
		w.status = c.status
		_, _ = buf.WriteString(head.String())
		_, _ = buf.Write(out.Bytes())
		_ = buf.Flush()
		_ = conn.Close()
	})
}

// cutBeforeFile returns body up to the start of its file section keep+1.
func cutBeforeFile(body []byte, keep int) []byte {
	marker := []byte("diff --git ")
	seen := 0
	for i := 0; i < len(body); {
		j := bytes.Index(body[i:], marker)
		if j < 0 {
			break
		}
		at := i + j
		if at == 0 || body[at-1] == '\n' {
			if seen == keep {
				return body[:at]
			}
			seen++
		}
		i = at + len(marker)
	}
	return body
}

// EmptyPagesNext answers the next n listing requests whose path contains
// pathSubstring with an empty page ({"values": []}) that links to a fresh
// next page, as a server stuck in a paging loop would. When the n pages are
// spent, following the last link answers 400 "Invalid page", as Bitbucket
// does for a page token it does not know.
func (s *Server) EmptyPagesNext(pathSubstring string, n int) {
	s.addFault(pathSubstring, n, func(w *statusWriter, r *http.Request, next http.Handler) {
		if err := r.ParseForm(); err != nil {
			writeError(w, http.StatusBadRequest, "Malformed request", nil)
			return
		}
		writeJSON(w, r, map[string]any{"pagelen": 100, "values": []any{}, "next": s.nextURL(r, randomToken(9))})
	})
}

// TrickleNext serves the real answer to the next n requests whose path
// contains pathSubstring one byte at a time, one byte per every, with its
// headers (and Content-Length) at once; it stops when the client goes away.
func (s *Server) TrickleNext(pathSubstring string, n int, every time.Duration) {
	s.addFault(pathSubstring, n, func(w *statusWriter, r *http.Request, next http.Handler) {
		c := newCapture()
		next.ServeHTTP(c, r)
		for k, vs := range c.header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(c.body.Len()))
		w.WriteHeader(c.status)
		rc := http.NewResponseController(w)
		_ = rc.Flush()
		t := time.NewTicker(max(every, time.Microsecond))
		defer t.Stop()
		for _, b := range c.body.Bytes() {
			select {
			case <-r.Context().Done():
				return
			case <-s.closed:
				return
			case <-t.C:
			}
			if _, err := w.Write([]byte{b}); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	})
}

// StallNext makes the next n requests whose path contains pathSubstring get
// no answer at all, not even headers, until the client hangs up or the
// server is closed.
func (s *Server) StallNext(pathSubstring string, n int) {
	s.addFault(pathSubstring, n, func(w *statusWriter, r *http.Request, next http.Handler) {
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		// End without an answer: returning would send an empty 200.
		panic(http.ErrAbortHandler)
	})
}

// RevokeRefreshTokens kills every refresh token issued so far, so the next
// refresh answers 400 invalid_grant, as Bitbucket does after the user
// revoked the app or the token expired.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.refreshTokens {
		t.dead = true
	}
}

// capture records an answer a fault then reshapes.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newCapture() *capture { return &capture{header: http.Header{}} }

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}
