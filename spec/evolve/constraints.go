package evolve

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/eventgen/eventgen/spec"
)

// tightenings lists, in words, every way constraints cur accept fewer values than old: a
// bound added or moved inwards, a pattern added or changed, a length or item bound added or
// made stricter, uniqueness required. A pattern whose text changed counts as tightened: a
// different regular expression cannot be proven to accept a superset.
func tightenings(old, cur spec.Constraints) []string {
	var out []string
	out = append(out, boundTightening("minimum", old.Min, cur.Min, +1)...)
	out = append(out, boundTightening("maximum", old.Max, cur.Max, -1)...)
	out = append(out, countTightening("minimum length in runes", old.MinRunes, cur.MinRunes, +1)...)
	out = append(out, countTightening("maximum length in runes", old.MaxRunes, cur.MaxRunes, -1)...)
	out = append(out, countTightening("minimum number of items", old.MinItems, cur.MinItems, +1)...)
	out = append(out, countTightening("maximum number of items", old.MaxItems, cur.MaxItems, -1)...)
	if cur.UniqueItems && !old.UniqueItems {
		out = append(out, "items must now be unique")
	}
	for _, p := range cur.Patterns {
		if !slices.Contains(old.Patterns, p) {
			out = append(out, fmt.Sprintf("pattern =~%s added", strconv.Quote(p)))
		}
	}
	for _, p := range cur.NotPatterns {
		if !slices.Contains(old.NotPatterns, p) {
			out = append(out, fmt.Sprintf("pattern !~%s added", strconv.Quote(p)))
		}
	}
	return out
}

// boundTightening compares one end of a numeric range. inward is +1 for a minimum (a larger
// value is stricter) and -1 for a maximum.
func boundTightening(what string, old, cur *spec.Bound, inward int) []string {
	if cur == nil {
		return nil
	}
	if old == nil {
		return []string{fmt.Sprintf("%s %s added", what, boundString(cur, inward))}
	}
	ov, ok1 := new(big.Rat).SetString(old.Value)
	cv, ok2 := new(big.Rat).SetString(cur.Value)
	if !ok1 || !ok2 {
		if *old == *cur {
			return nil
		}
		return []string{fmt.Sprintf("%s changed from %s to %s", what, boundString(old, inward), boundString(cur, inward))}
	}
	c := cv.Cmp(ov) * inward
	if c > 0 || (c == 0 && cur.Exclusive && !old.Exclusive) {
		return []string{fmt.Sprintf("%s tightened from %s to %s", what, boundString(old, inward), boundString(cur, inward))}
	}
	return nil
}

func boundString(b *spec.Bound, inward int) string {
	op := pick(inward > 0, ">", "<")
	if !b.Exclusive {
		op += "="
	}
	return op + b.Value
}

// countTightening compares a length or item-count bound; inward as in boundTightening.
func countTightening(what string, old, cur *int, inward int) []string {
	switch {
	case cur == nil:
		return nil
	case old == nil:
		return []string{fmt.Sprintf("%s %d added", what, *cur)}
	case (*cur-*old)*inward > 0:
		return []string{fmt.Sprintf("%s tightened from %d to %d", what, *old, *cur)}
	}
	return nil
}
