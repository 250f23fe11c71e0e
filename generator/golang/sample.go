package golang

import (
	"encoding/json"
	"math/big"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/check"
)

// samplePayload is a payload that the generated tests can put in an envelope to reach a
// handler or a repository: the JSON data and the version it is written in.
type samplePayload struct {
	version int
	data    json.RawMessage
	// from says where the payload comes from, for the test's failure messages.
	from string
}

// validPayload finds a payload of event e that Decode<E> accepts, or reports false when the
// spec gives none and none can be made. It prefers the spec's own valid examples (the latest
// version first, then older ones, which also exercise the upcast chain); without one it builds
// the smallest payload of the latest version that it can and keeps it only when the same
// validator that checks the spec's examples (spec/check.Payload) accepts it, so a generated
// test never relies on a payload that the generated Validate could reject.
func (g *generator) validPayload(e *spec.Event) (samplePayload, bool) {
	latest := e.Latest()
	if latest == nil {
		return samplePayload{}, false
	}
	var older *spec.Example
	for _, ex := range e.Examples {
		if !ex.Valid || e.Version(ex.Version) == nil {
			continue
		}
		if ex.Version == latest.Number {
			return samplePayload{version: ex.Version, data: ex.Data, from: "a spec example"}, true
		}
		if older == nil {
			older = ex
		}
	}
	if older != nil {
		return samplePayload{version: older.Version, data: older.Data, from: "a spec example"}, true
	}
	s := &sampler{m: g.m}
	v := s.fields(latest.Fields)
	data, err := json.Marshal(v)
	if err != nil || len(check.Payload(g.m, latest, data)) > 0 {
		return samplePayload{}, false
	}
	return samplePayload{version: latest.Number, data: data, from: "a payload built from the spec's types"}, true
}

// sampler builds the smallest JSON value of a spec type that it can: required fields only,
// the first enum value, numbers at zero or their nearest bound, strings that match their
// patterns, lists of their minimum length.
type sampler struct {
	m *spec.Model
	// depth bounds recursion through definitions that refer to themselves.
	depth int
}

// fields returns an object with a sample of every required field.
func (s *sampler) fields(fields []*spec.Field) map[string]any {
	obj := map[string]any{}
	for _, f := range fields {
		if f.Optional || f.Type == nil {
			continue
		}
		obj[f.Name] = s.value(f.Type)
	}
	return obj
}

// value returns a sample of t.
func (s *sampler) value(t *spec.Type) any {
	if t.Default != nil {
		var v any
		if json.Unmarshal(t.Default, &v) == nil {
			return v
		}
	}
	if t.Nullable {
		return nil
	}
	r := s.m.Resolve(t)
	if r == nil || s.depth > 32 {
		return nil
	}
	s.depth++
	defer func() { s.depth-- }()
	if r != t && r.Default != nil {
		return s.value(r)
	}
	switch r.Kind {
	case spec.KindString:
		return sampleString(r.Constraints)
	case spec.KindEnum:
		if len(r.Enum) > 0 {
			return r.Enum[0]
		}
	case spec.KindInt:
		return sampleNumber(r.Constraints, true)
	case spec.KindFloat:
		return sampleNumber(r.Constraints, false)
	case spec.KindBool:
		return false
	case spec.KindBytes:
		return "AA=="
	case spec.KindTime:
		return "1970-01-01T00:00:00Z"
	case spec.KindAny:
		return map[string]any{}
	case spec.KindList:
		n := 0
		if r.Constraints.MinItems != nil {
			n = *r.Constraints.MinItems
		}
		items := make([]any, 0, n)
		for range n {
			items = append(items, s.value(r.Elem))
		}
		return items
	case spec.KindMap:
		return map[string]any{}
	case spec.KindStruct:
		return s.fields(r.Fields)
	}
	return nil
}

// sampleString returns a string that matches the first pattern and has a length within the
// bounds; the other patterns are left to the validator that checks the result.
func sampleString(c spec.Constraints) string {
	out := ""
	if len(c.Patterns) > 0 {
		if re, err := syntax.Parse(c.Patterns[0], syntax.Perl); err == nil {
			var b strings.Builder
			writeMatch(&b, re.Simplify())
			out = b.String()
		}
	}
	if c.MinRunes != nil {
		for utf8.RuneCountInString(out) < *c.MinRunes {
			out += "a"
		}
	}
	if c.MaxRunes != nil && utf8.RuneCountInString(out) > *c.MaxRunes {
		out = string([]rune(out)[:*c.MaxRunes])
	}
	return out
}

// writeMatch writes the shortest string it finds that re matches, taking the first branch of
// every alternative and the first rune of every class.
func writeMatch(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		if len(re.Rune) > 0 {
			r := re.Rune[0]
			// Prefer a letter or digit of the class to punctuation when it has one.
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if lo, hi := re.Rune[i], re.Rune[i+1]; lo <= 'a' && 'a' <= hi {
					r = 'a'
					break
				}
			}
			b.WriteRune(r)
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		for _, sub := range re.Sub {
			writeMatch(b, sub)
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			writeMatch(b, sub)
		}
	case syntax.OpAlternate:
		if len(re.Sub) > 0 {
			writeMatch(b, re.Sub[0])
		}
	case syntax.OpPlus:
		writeMatch(b, re.Sub[0])
	case syntax.OpRepeat:
		for range re.Min {
			writeMatch(b, re.Sub[0])
		}
	}
	// OpStar, OpQuest, anchors, boundaries and the empty match add nothing.
}

// sampleNumber returns zero, or the nearest value inside the bounds, as a JSON number.
func sampleNumber(c spec.Constraints, integer bool) json.Number {
	v := new(big.Rat)
	parse := func(b *spec.Bound) *big.Rat {
		if b == nil {
			return nil
		}
		r, ok := new(big.Rat).SetString(b.Value)
		if !ok {
			return nil
		}
		return r
	}
	lo, hi := parse(c.Min), parse(c.Max)
	one := big.NewRat(1, 1)
	if lo != nil && (v.Cmp(lo) < 0 || v.Cmp(lo) == 0 && c.Min.Exclusive) {
		v.Set(lo)
		if integer {
			v = ceilRat(v)
			if v.Cmp(lo) == 0 && c.Min.Exclusive {
				v.Add(v, one)
			}
		} else if c.Min.Exclusive {
			if hi != nil {
				v.Add(lo, hi).Quo(v, big.NewRat(2, 1))
			} else {
				v.Add(v, one)
			}
		}
	}
	if hi != nil && (v.Cmp(hi) > 0 || v.Cmp(hi) == 0 && c.Max.Exclusive) {
		v.Set(hi)
		if integer {
			v = floorRat(v)
			if v.Cmp(hi) == 0 && c.Max.Exclusive {
				v.Sub(v, one)
			}
		} else if c.Max.Exclusive {
			if lo != nil {
				v.Add(lo, hi).Quo(v, big.NewRat(2, 1))
			} else {
				v.Sub(v, one)
			}
		}
	}
	if integer || v.IsInt() {
		return json.Number(v.Num().String())
	}
	f, _ := v.Float64()
	return json.Number(big.NewFloat(f).Text('g', -1))
}

// ceilRat returns the smallest integer not below r.
func ceilRat(r *big.Rat) *big.Rat {
	q := new(big.Int)
	m := new(big.Int)
	q.DivMod(r.Num(), r.Denom(), m)
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return new(big.Rat).SetInt(q)
}

// floorRat returns the largest integer not above r.
func floorRat(r *big.Rat) *big.Rat {
	q := new(big.Int)
	q.Div(r.Num(), r.Denom()) // Euclidean division: rounds toward minus infinity for a positive divisor
	return new(big.Rat).SetInt(q)
}
