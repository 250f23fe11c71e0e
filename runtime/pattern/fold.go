package pattern

import (
	"unicode"
	"unicode/utf8"
)

// appendFold appends the case-folded form of s to dst: every rune is replaced by the
// smallest rune of its simple case-folding orbit, so two strings are equal ignoring case
// (as strings.EqualFold sees it) exactly when their folded forms are equal. Folding works
// rune by rune, so a folded prefix (suffix) of s is the fold of a prefix (suffix) of s.
func appendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' { // the smallest rune of an ASCII letter's orbit is its upper case
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, s[i])
			i++
			continue
		}
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return m
}

func foldString(s string) string { return string(appendFold(nil, s)) }
