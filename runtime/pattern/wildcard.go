package pattern

import (
	"strconv"
	"strings"
)

// maxWildcards is the most '*' characters a wildcard pattern may hold. AWS rejects
// patterns whose matching machine would be too complex; it does not document the limit.
// The AWS-verified corpus accepts two wildcards and rejects six, so this package rejects
// more than five.
const maxWildcards = 5

// wildcard is a compiled wildcard pattern: literal segments separated by '*'.
type wildcard struct {
	src  string   // the pattern as written
	segs []string // unescaped literal segments; len(segs) == number of '*' + 1
}

// compileWildcard parses a wildcard pattern with the escapes `\*` and `\\`, with AWS's
// error messages. Positions count from 1 because AWS counts the opening quote.
func compileWildcard(s string) (*wildcard, string) {
	w := &wildcard{src: s}
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return nil, "Consecutive wildcard characters at pos " + strconv.Itoa(i+1)
			}
			w.segs = append(w.segs, cur.String())
			cur.Reset()
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '\\') {
				cur.WriteByte(s[i+1])
				i++
				continue
			}
			return nil, "Invalid escape character at pos " + strconv.Itoa(i+1)
		default:
			cur.WriteByte(c)
		}
	}
	w.segs = append(w.segs, cur.String())
	if len(w.segs)-1 > maxWildcards {
		return nil, "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
	}
	return w, ""
}

// match reports whether v matches the whole wildcard pattern. '*' matches any run of bytes,
// empty included. Leftmost placement of the middle segments is optimal for '*'-only globs.
func (w *wildcard) match(v string) bool {
	segs := w.segs
	if len(segs) == 1 {
		return v == segs[0]
	}
	first, last := segs[0], segs[len(segs)-1]
	if len(v) < len(first)+len(last) || !strings.HasPrefix(v, first) || !strings.HasSuffix(v, last) {
		return false
	}
	v = v[len(first) : len(v)-len(last)]
	for _, s := range segs[1 : len(segs)-1] {
		i := strings.Index(v, s)
		if i < 0 {
			return false
		}
		v = v[i+len(s):]
	}
	return true
}
