package pattern

import "strconv"

// decimal is an exact JSON number: value = (-1 if neg) × 0.digits × 10^exp. digits has no
// leading or trailing zeros; zero has no digits and neg false. Two numbers are equal exactly
// when their decimals are equal, so 5, 5.0, 5e0 and 0.5e1 are one value and no two
// different 15- (or 30-) digit values are confused as they would be in a float64.
type decimal struct {
	neg    bool
	exp    int64
	digits []byte
}

const maxExp = 1 << 40

// parseDecimal reads a well-formed JSON number; the digits are appended to buf, which is
// returned for reuse.
func parseDecimal(b []byte, buf []byte) (decimal, []byte) {
	var d decimal
	i := 0
	if i < len(b) && b[i] == '-' {
		d.neg = true
		i++
	}
	start := len(buf)
	var point int64
	lead := true
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if lead && b[i] == '0' {
			continue
		}
		lead = false
		buf = append(buf, b[i])
		point++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if lead && b[i] == '0' {
				point--
				continue
			}
			lead = false
			buf = append(buf, b[i])
		}
	}
	var e int64
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e < maxExp {
				e = e*10 + int64(b[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
	}
	digits := buf[start:]
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return decimal{}, buf
	}
	d.digits = digits
	d.exp = point + e
	return d, buf
}

func parseDecimalString(s string) decimal {
	d, _ := parseDecimal([]byte(s), nil)
	return d
}

// cmpDecimal returns -1, 0 or +1 as a is less than, equal to or greater than b.
func cmpDecimal(a, b decimal) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	c := cmpMagnitude(a, b)
	if sa < 0 {
		return -c
	}
	return c
}

func (d decimal) sign() int {
	switch {
	case len(d.digits) == 0:
		return 0
	case d.neg:
		return -1
	}
	return 1
}

func cmpMagnitude(a, b decimal) int {
	if a.exp != b.exp {
		if a.exp < b.exp {
			return -1
		}
		return 1
	}
	n := min(len(a.digits), len(b.digits))
	for i := 0; i < n; i++ {
		if a.digits[i] != b.digits[i] {
			if a.digits[i] < b.digits[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a.digits) < len(b.digits):
		return -1
	case len(a.digits) > len(b.digits):
		return 1
	}
	return 0
}

// appendKey appends a canonical text of d: equal numbers have equal keys.
func (d decimal) appendKey(buf []byte) []byte {
	if len(d.digits) == 0 {
		return append(buf, '0')
	}
	if d.neg {
		buf = append(buf, '-')
	}
	buf = strconv.AppendInt(buf, d.exp, 10)
	buf = append(buf, ':')
	return append(buf, d.digits...)
}

func (d decimal) key() string { return string(d.appendKey(nil)) }
