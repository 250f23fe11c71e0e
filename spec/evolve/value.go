package evolve

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/eventgen/eventgen/spec"
)

// valueProblem returns "" when the JSON constant raw is a valid value of type t in model m
// (its kind and every constraint), else what is wrong with it. It checks the constants of
// upcast `set` entries, so it reads the value the way the generated decoder would.
func valueProblem(m *spec.Model, t *spec.Type, raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Sprintf("%s is not valid JSON: %v", raw, err)
	}
	return valueOf(m, t, v, 0)
}

// maxValueDepth bounds the recursion through self-referencing definitions.
const maxValueDepth = 64

func valueOf(m *spec.Model, t *spec.Type, v any, depth int) string {
	if t == nil {
		return "the field's type is invalid"
	}
	if depth > maxValueDepth {
		return "the value nests too deeply"
	}
	if v == nil {
		if t.Nullable {
			return ""
		}
		return fmt.Sprintf("null is not a value of %s", typeString(t))
	}
	rt := m.Resolve(t)
	if rt == nil {
		return fmt.Sprintf("%s refers to an unknown definition", typeString(t))
	}
	wrong := func() string { return fmt.Sprintf("%s is not a value of %s", jsonText(v), typeString(t)) }
	c := rt.Constraints
	switch rt.Kind {
	case spec.KindAny:
		return ""
	case spec.KindString, spec.KindEnum, spec.KindBytes, spec.KindTime:
		s, ok := v.(string)
		if !ok {
			return wrong()
		}
		switch rt.Kind {
		case spec.KindEnum:
			if !slices.Contains(rt.Enum, s) {
				return fmt.Sprintf("%s is not one of %s", strconv.Quote(s), typeString(rt))
			}
		case spec.KindBytes:
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				return fmt.Sprintf("%s is not base64: %v", strconv.Quote(s), err)
			}
		case spec.KindTime:
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				return fmt.Sprintf("%s is not an RFC 3339 time", strconv.Quote(s))
			}
		}
		return stringProblem(s, c)
	case spec.KindBool:
		if _, ok := v.(bool); !ok {
			return wrong()
		}
	case spec.KindInt, spec.KindFloat:
		n, ok := v.(json.Number)
		if !ok {
			return wrong()
		}
		r, ok := new(big.Rat).SetString(n.String())
		if !ok {
			return wrong()
		}
		if rt.Kind == spec.KindInt {
			if !r.IsInt() {
				return fmt.Sprintf("%s is not an integer", n)
			}
			if !intFits(r.Num(), rt) {
				return fmt.Sprintf("%s is out of range of %s", n, typeString(rt))
			}
		}
		return numberProblem(r, n.String(), c)
	case spec.KindList:
		items, ok := v.([]any)
		if !ok {
			return wrong()
		}
		for i, it := range items {
			if p := valueOf(m, rt.Elem, it, depth+1); p != "" {
				return fmt.Sprintf("item %d: %s", i, p)
			}
		}
		if c.MinItems != nil && len(items) < *c.MinItems {
			return fmt.Sprintf("the list has %d items, fewer than %d", len(items), *c.MinItems)
		}
		if c.MaxItems != nil && len(items) > *c.MaxItems {
			return fmt.Sprintf("the list has %d items, more than %d", len(items), *c.MaxItems)
		}
		if c.UniqueItems {
			seen := map[string]bool{}
			for _, it := range items {
				key := jsonText(it)
				if seen[key] {
					return fmt.Sprintf("item %s appears twice but items must be unique", key)
				}
				seen[key] = true
			}
		}
	case spec.KindMap:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		for _, k := range sortedKeys(obj) {
			if p := valueOf(m, rt.Elem, obj[k], depth+1); p != "" {
				return fmt.Sprintf("key %s: %s", strconv.Quote(k), p)
			}
		}
	case spec.KindStruct:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		for _, f := range rt.Fields {
			fv, present := obj[f.Name]
			if !present {
				if !f.Optional && f.Type != nil && f.Type.Default == nil {
					return fmt.Sprintf("required field %s is missing", f.Name)
				}
				continue
			}
			if p := valueOf(m, f.Type, fv, depth+1); p != "" {
				return fmt.Sprintf("field %s: %s", f.Name, p)
			}
		}
		for _, k := range sortedKeys(obj) {
			if findField(rt.Fields, k) == nil {
				return fmt.Sprintf("%s has no field %s", typeString(t), k)
			}
		}
	default:
		return fmt.Sprintf("values of kind %s cannot be checked", rt.Kind)
	}
	return ""
}

func stringProblem(s string, c spec.Constraints) string {
	n := utf8.RuneCountInString(s)
	if c.MinRunes != nil && n < *c.MinRunes {
		return fmt.Sprintf("%s is shorter than %d runes", strconv.Quote(s), *c.MinRunes)
	}
	if c.MaxRunes != nil && n > *c.MaxRunes {
		return fmt.Sprintf("%s is longer than %d runes", strconv.Quote(s), *c.MaxRunes)
	}
	for _, p := range c.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Sprintf("pattern %s does not compile: %v", strconv.Quote(p), err)
		}
		if !re.MatchString(s) {
			return fmt.Sprintf("%s does not match =~%s", strconv.Quote(s), strconv.Quote(p))
		}
	}
	for _, p := range c.NotPatterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Sprintf("pattern %s does not compile: %v", strconv.Quote(p), err)
		}
		if re.MatchString(s) {
			return fmt.Sprintf("%s matches !~%s", strconv.Quote(s), strconv.Quote(p))
		}
	}
	return ""
}

func numberProblem(r *big.Rat, text string, c spec.Constraints) string {
	if c.Min != nil {
		if b, ok := new(big.Rat).SetString(c.Min.Value); ok {
			if cmp := r.Cmp(b); cmp < 0 || (cmp == 0 && c.Min.Exclusive) {
				return fmt.Sprintf("%s is below the minimum %s", text, boundString(c.Min, +1))
			}
		}
	}
	if c.Max != nil {
		if b, ok := new(big.Rat).SetString(c.Max.Value); ok {
			if cmp := r.Cmp(b); cmp > 0 || (cmp == 0 && c.Max.Exclusive) {
				return fmt.Sprintf("%s is above the maximum %s", text, boundString(c.Max, -1))
			}
		}
	}
	return ""
}

// intFits reports whether n is in the range of integer kind t.
func intFits(n *big.Int, t *spec.Type) bool {
	bits := intBits(t)
	if t.Unsigned {
		return n.Sign() >= 0 && n.BitLen() <= bits
	}
	lo := new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
	hi := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)), big.NewInt(1))
	return n.Cmp(lo) >= 0 && n.Cmp(hi) <= 0
}

// jsonText renders a decoded JSON value compactly for messages.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
