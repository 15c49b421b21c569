package signal

// ipsMaxDepth bounds the nesting ipsRepair follows; an .ips report nests
// a few levels deep.
const ipsMaxDepth = 64

// ipsRepair returns the JSON value data starts with, cut after the last
// part read whole and with the brackets still open closed, so that a
// report cut short (a comment's size limit) or damaged further on reads as
// far as it goes. An array is cut after its last complete element; an
// object only near the top (the report, its exception), after its last
// complete member, so that no frame is kept half read. It reads data once,
// and gives false when nothing is left before the cut or the damage.
func ipsRepair(data []byte) ([]byte, bool) {
	const (
		value      = iota // a value
		valueOrEnd        // a value or ']', after '['
		keyOrEnd          // a key or '}', after '{'
		key               // a key, after ',' in an object
		colon             // ':' after a key
		next              // ',' or the container's end, after a value
	)
	var stack []byte // the open brackets
	cut := -1
	var closers []byte
	mark := func(i int) {
		cut = i
		closers = closers[:0]
		for k := len(stack) - 1; k >= 0; k-- {
			closers = append(closers, stack[k]+2) // '[' + 2 == ']', '{' + 2 == '}'
		}
	}
	state := value
	// done follows a value that ends at i; it reports the top-level value
	// complete.
	done := func(i int) bool {
		if len(stack) == 0 {
			cut, closers = i, closers[:0]
			return true
		}
		if stack[len(stack)-1] == '[' || len(stack) <= 2 {
			mark(i)
		}
		state = next
		return false
	}
	i := 0
scan:
	for i < len(data) {
		c := data[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		switch state {
		case colon:
			if c != ':' {
				break scan
			}
			state = value
			i++
		case next:
			top := stack[len(stack)-1]
			switch {
			case c == ',' && top == '[':
				state = value
			case c == ',':
				state = key
			case c == top+2:
				stack = stack[:len(stack)-1]
				if done(i + 1) {
					break scan
				}
			default:
				break scan
			}
			i++
		case keyOrEnd, key:
			if c == '}' && state == keyOrEnd {
				stack = stack[:len(stack)-1]
				if done(i + 1) {
					break scan
				}
				i++
				continue
			}
			if c != '"' {
				break scan
			}
			end, ok := ipsStringEnd(data, i)
			if !ok {
				break scan
			}
			state, i = colon, end
		case value, valueOrEnd:
			switch {
			case c == ']' && state == valueOrEnd:
				stack = stack[:len(stack)-1]
				if done(i + 1) {
					break scan
				}
				i++
			case c == '[' || c == '{':
				if len(stack) >= ipsMaxDepth {
					break scan
				}
				stack = append(stack, c)
				i++
				if c == '[' {
					state = valueOrEnd
					mark(i)
				} else {
					state = keyOrEnd
					if len(stack) <= 2 {
						mark(i)
					}
				}
			case c == '"':
				end, ok := ipsStringEnd(data, i)
				if !ok {
					break scan
				}
				i = end
				if done(i) {
					break scan
				}
			default:
				end := i
				for end < len(data) && ipsScalarByte(data[end]) {
					end++
				}
				if end == len(data) || !ipsScalar(data[i:end]) {
					break scan // cut inside it, or not JSON
				}
				i = end
				if done(i) {
					break scan
				}
			}
		}
	}
	if cut <= 0 {
		return nil, false
	}
	out := make([]byte, 0, cut+len(closers))
	out = append(out, data[:cut]...)
	return append(out, closers...), true
}

// ipsStringEnd returns the index after the JSON string that starts at
// data[i] (a quote), false when the string is cut or not JSON.
func ipsStringEnd(data []byte, i int) (int, bool) {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return 0, false
		case c == '\\':
			if i+1 >= len(data) {
				return 0, false
			}
			i++
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) {
					return 0, false
				}
				for _, h := range data[i+1 : i+5] {
					if !isHexDigit(h) {
						return 0, false
					}
				}
				i += 4
			default:
				return 0, false
			}
		}
	}
	return 0, false
}

// ipsScalarByte reports a byte of a JSON number or literal.
func ipsScalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}

// ipsScalar reports a JSON number or literal (true, false, null).
func ipsScalar(s []byte) bool {
	switch string(s) {
	case "true", "false", "null":
		return true
	}
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
