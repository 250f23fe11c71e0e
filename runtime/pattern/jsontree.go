package pattern

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of objects and arrays that Compile accepts in a pattern
// and that Match accepts in an event. Deeper input is rejected with an error instead of
// risking unbounded recursion.
const MaxDepth = 100

// jkind is the kind of a parsed JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

// jnode is a parsed JSON value of a pattern. Objects keep their keys in order, duplicates
// included, because AWS gives a duplicate key a meaning (the last one wins).
type jnode struct {
	kind  jkind
	str   string   // decoded string, or the literal text of a number
	keys  []string // object keys, in order
	vals  []*jnode // object values (parallel to keys) or array elements
	off   int      // byte offset of the value in the input
	depth int
}

// treeParser parses a pattern into a jnode tree.
type treeParser struct {
	data []byte
	pos  int
}

func parseTree(data []byte) (*jnode, error) {
	p := &treeParser{data: data}
	p.ws()
	n, err := p.value(1)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(p.data) {
		return nil, p.errf("Unexpected character after the JSON value")
	}
	return n, nil
}

func (p *treeParser) errf(reason string) error {
	return &Error{Reason: reason, Offset: p.pos}
}

func (p *treeParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *treeParser) value(depth int) (*jnode, error) {
	if p.pos >= len(p.data) {
		return nil, p.errf("Unexpected end of input")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		if depth > MaxDepth {
			return nil, p.errf("Pattern nesting is deeper than " + strconv.Itoa(MaxDepth) + " levels")
		}
		p.pos++
		n := &jnode{kind: jObject, off: start, depth: depth}
		p.ws()
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return n, nil
		}
		for {
			p.ws()
			if p.pos >= len(p.data) || p.data[p.pos] != '"' {
				return nil, p.errf("Expected a double-quoted field name")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.pos >= len(p.data) || p.data[p.pos] != ':' {
				return nil, p.errf("Expected ':' after a field name")
			}
			p.pos++
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, v)
			p.ws()
			if p.pos >= len(p.data) {
				return nil, p.errf("Unexpected end of input in an object")
			}
			if p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.data[p.pos] == '}' {
				p.pos++
				return n, nil
			}
			return nil, p.errf("Expected ',' or '}' in an object")
		}
	case c == '[':
		if depth > MaxDepth {
			return nil, p.errf("Pattern nesting is deeper than " + strconv.Itoa(MaxDepth) + " levels")
		}
		p.pos++
		n := &jnode{kind: jArray, off: start, depth: depth}
		p.ws()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return n, nil
		}
		for {
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
			p.ws()
			if p.pos >= len(p.data) {
				return nil, p.errf("Unexpected end of input in an array")
			}
			if p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.data[p.pos] == ']' {
				p.pos++
				return n, nil
			}
			return nil, p.errf("Expected ',' or ']' in an array")
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jnode{kind: jString, str: s, off: start, depth: depth}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		end, ok := scanNumber(p.data, p.pos)
		if !ok {
			return nil, p.errf("Invalid number")
		}
		p.pos = end
		return &jnode{kind: jNumber, str: string(p.data[start:end]), off: start, depth: depth}, nil
	case hasLiteral(p.data, p.pos, "true"):
		p.pos += 4
		return &jnode{kind: jTrue, off: start, depth: depth}, nil
	case hasLiteral(p.data, p.pos, "false"):
		p.pos += 5
		return &jnode{kind: jFalse, off: start, depth: depth}, nil
	case hasLiteral(p.data, p.pos, "null"):
		p.pos += 4
		return &jnode{kind: jNull, off: start, depth: depth}, nil
	}
	return nil, p.errf("Unrecognized token")
}

// str parses a string starting at the opening quote and returns it decoded.
func (p *treeParser) str() (string, error) {
	end, escaped, ok := scanString(p.data, p.pos)
	if !ok {
		return "", p.errf("Invalid string")
	}
	raw := p.data[p.pos+1 : end-1]
	p.pos = end
	if !escaped {
		return string(raw), nil
	}
	return string(unescape(nil, raw)), nil
}

func hasLiteral(data []byte, pos int, lit string) bool {
	return len(data)-pos >= len(lit) && string(data[pos:pos+len(lit)]) == lit
}

// scanString scans a JSON string whose opening quote is at data[pos]. It returns the
// offset just past the closing quote, whether the string holds escapes, and whether it
// is well formed.
func scanString(data []byte, pos int) (end int, escaped bool, ok bool) {
	i := pos + 1
	for i < len(data) {
		for i < len(data) && !stringSpecial[data[i]] { // the common case, one table lookup a byte
			i++
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		switch {
		case c == '"':
			return i + 1, escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(data) {
				return 0, false, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(data) {
					return 0, false, false
				}
				for _, h := range data[i+2 : i+6] {
					if hexVal(h) < 0 {
						return 0, false, false
					}
				}
				i += 6
			default:
				return 0, false, false
			}
		case c < 0x20:
			return 0, false, false
		default:
			i++
		}
	}
	return 0, false, false
}

// stringSpecial marks the bytes that end a run of plain string content: the quote, the
// backslash and the control characters.
var stringSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unescape appends the decoded form of a well-formed string body (without quotes) to dst.
// Lone surrogates decode to U+FFFD.
func unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch raw[i+1] {
		case '"':
			dst = append(dst, '"')
		case '\\':
			dst = append(dst, '\\')
		case '/':
			dst = append(dst, '/')
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(raw[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					r2 := hex4(raw[i+2 : i+6])
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						dst = utf8.AppendRune(dst, d)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
			continue
		}
		i += 2
	}
	return dst
}

func hex4(b []byte) rune {
	return rune(hexVal(b[0])<<12 | hexVal(b[1])<<8 | hexVal(b[2])<<4 | hexVal(b[3]))
}

// scanNumber scans a JSON number starting at data[pos] and returns the offset past it.
func scanNumber(data []byte, pos int) (int, bool) {
	i := pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	if i >= len(data) {
		return 0, false
	}
	if data[i] == '0' {
		i++
	} else if data[i] >= '1' && data[i] <= '9' {
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	} else {
		return 0, false
	}
	if i < len(data) && data[i] == '.' {
		i++
		s := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == s {
			return 0, false
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		s := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == s {
			return 0, false
		}
	}
	return i, true
}
