package signal

import "strings"

// MaxSymptoms is the most symptom tokens kept per signal.
const MaxSymptoms = 32

// stopWords are dropped from symptoms: English filler and words every error
// message carries.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "to": true, "in": true, "on": true,
	"at": true, "is": true, "was": true, "are": true, "be": true, "been": true, "or": true, "and": true,
	"with": true, "by": true, "from": true, "this": true, "that": true, "it": true, "as": true,
	"not": true, "no": true, "can": true, "cannot": true, "could": true, "has": true, "have": true,
	"had": true, "but": true, "if": true, "into": true, "its": true, "than": true, "then": true,
	"there": true, "these": true, "those": true, "which": true, "while": true, "will": true,
	"error": true, "exception": true, "panic": true, "traceback": true, "caused": true,
	"recovered": true, "goroutine": true, "thread": true, "main": true, "line": true, "file": true,
	"most": true, "recent": true, "call": true, "last": true, "because": true, "value": true,
	// Words of every report, whatever crashed: a commit saying "crash" or
	// "failed" is not nearer to this one.
	"crash": true, "crashed": true, "crashes": true, "fatal": true, "failed": true, "assertion": true,
	"backtrace": true, "gdb": true,
}

// Symptoms extracts symptom tokens from exception types and messages: every
// identifier (a run of letters, digits and underscores starting with a
// letter or underscore, so camelCase and snake_case names stay whole) is
// lower-cased; dotted type names contribute their last part
// (java.lang.NullPointerException -> nullpointerexception); tokens shorter
// than two characters, pure hex-like tokens (0x1f) and stop words are
// dropped; the rest are deduplicated in order of appearance, at most
// MaxSymptoms. For example `KeyError: 'user_id'` gives [keyerror user_id]
// and `nil pointer dereference` gives [nil pointer dereference].
func Symptoms(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		stop := false
		Words(t, func(tok string) {
			if stop || stopWords[tok] || seen[tok] {
				return
			}
			seen[tok] = true
			out = append(out, tok)
			stop = len(out) >= MaxSymptoms
		})
		if stop {
			break
		}
	}
	return out
}

// Words calls fn with every word of s, lower-cased, in order: the
// identifiers (runs of ASCII letters, digits and underscores that start
// with a letter or an underscore) of two characters or more that do not
// look like a number or an address (0x1f, 4ab9e2). It is the one tokenizer
// of signal text and of the commit text it is matched against.
func Words(s string, fn func(word string)) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isWordByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 2 {
			w := s[start:i]
			if !(w[0] >= '0' && w[0] <= '9') {
				w = strings.ToLower(w)
				if !isHexish(w) {
					fn(w)
				}
			}
		}
		start = -1
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isHexish reports whether tok looks like a number or address, not a word.
func isHexish(tok string) bool {
	if strings.HasPrefix(tok, "0x") {
		return true
	}
	digits := 0
	for _, r := range tok {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits*2 > len(tok)
}
