package check

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/spec"
)

// Payload validates data, a JSON payload, against version v of an event exactly as the
// generated Decode does: required fields present and not null unless nullable (a field with a
// default is filled instead), kinds and every constraint. Fields the version does not have
// are no violation: decoders are tolerant readers and ignore them (see UnknownFields). It
// returns every violation, in field order; none means the payload is valid.
func Payload(m *spec.Model, v *spec.Version, data json.RawMessage) []event.Violation {
	violations, _ := payload(m, v, data)
	return violations
}

// UnknownFields returns the JSON paths of the members of data, at any depth, that are not
// fields of their type in version v: what a decoder of v ignores. The paths are sorted within
// each object and follow the fields' order otherwise.
func UnknownFields(m *spec.Model, v *spec.Version, data json.RawMessage) []string {
	_, unknown := payload(m, v, data)
	paths := make([]string, len(unknown))
	for i, u := range unknown {
		paths[i] = u.path
	}
	return paths
}

// unknownField is a member of a payload that its type does not declare.
type unknownField struct {
	path string
	// owner names the type that lacks the field: "v1" for the payload itself, "its type" below.
	owner string
}

func payload(m *spec.Model, v *spec.Version, data json.RawMessage) ([]event.Violation, []unknownField) {
	vd := newValidator(m)
	vd.version = "v" + strconv.Itoa(v.Number)
	vd.object("", v.Fields, data)
	return vd.out, vd.unknown
}

// Value validates data, one JSON value, against type t (resolving definitions in m).
func Value(m *spec.Model, t *spec.Type, data json.RawMessage) []event.Violation {
	vd := newValidator(m)
	vd.value("", t, data)
	return vd.out
}

// The messages of violations. Generated Validate methods use the same texts, so a backend
// should build its messages with these functions.

// MsgRequired says a required field is missing.
func MsgRequired() string { return "is required" }

// MsgNotNull says a non-nullable value is null.
func MsgNotNull() string { return "must not be null" }

// MsgKind says the value has the wrong JSON kind; what is "a string", "an integer"...
func MsgKind(what string) string { return "must be " + what }

// MsgIntRange says an integer does not fit its Go kind (int8, uint32...).
func MsgIntRange(goKind string) string { return "must fit in " + goKind }

// MsgPattern says a string does not match a =~ regular expression.
func MsgPattern(re string) string { return "must match " + strconv.Quote(re) }

// MsgNotPattern says a string matches a !~ regular expression.
func MsgNotPattern(re string) string { return "must not match " + strconv.Quote(re) }

// MsgMinRunes says a string is shorter than n runes.
func MsgMinRunes(n int) string { return fmt.Sprintf("must have at least %d %s", n, plural(n, "rune")) }

// MsgMaxRunes says a string is longer than n runes.
func MsgMaxRunes(n int) string { return fmt.Sprintf("must have at most %d %s", n, plural(n, "rune")) }

// MsgMin says a number is below a lower bound.
func MsgMin(b spec.Bound) string {
	if b.Exclusive {
		return "must be > " + b.Value
	}
	return "must be >= " + b.Value
}

// MsgMax says a number is above an upper bound.
func MsgMax(b spec.Bound) string {
	if b.Exclusive {
		return "must be < " + b.Value
	}
	return "must be <= " + b.Value
}

// MsgMinItems says a list has fewer than n items.
func MsgMinItems(n int) string { return fmt.Sprintf("must have at least %d %s", n, plural(n, "item")) }

// MsgMaxItems says a list has more than n items.
func MsgMaxItems(n int) string { return fmt.Sprintf("must have at most %d %s", n, plural(n, "item")) }

// MsgUnique says a list holds the same item twice.
func MsgUnique() string { return "must not contain duplicate items" }

// MsgEnum says a string is not one of the enum's values.
func MsgEnum(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return "must be one of " + strings.Join(q, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// validator collects violations; it caches compiled regular expressions.
type validator struct {
	m   *spec.Model
	res map[string]*regexp.Regexp
	out []event.Violation
	// unknown are the members that no field declares; version names the payload's version.
	unknown []unknownField
	version string
}

func newValidator(m *spec.Model) *validator {
	return &validator{m: m, res: map[string]*regexp.Regexp{}}
}

func (vd *validator) add(path, msg string) {
	vd.out = append(vd.out, event.Violation{Path: path, Message: msg})
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// object validates a JSON object against a field list.
func (vd *validator) object(path string, fields []*spec.Field, data json.RawMessage) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		vd.add(path, MsgKind("an object"))
		return
	}
	for _, f := range fields {
		raw, ok := obj[f.Name]
		if !ok {
			if !f.Optional && f.Type.Default == nil {
				vd.add(join(path, f.Name), MsgRequired())
			}
			continue
		}
		if f.Optional && isNull(raw) && !f.Type.Nullable {
			continue // an optional field written as null decodes as absent
		}
		vd.value(join(path, f.Name), f.Type, raw)
	}
	for _, name := range sortedKeys(obj) {
		if findField(fields, name) == nil {
			owner := "its type"
			if path == "" && vd.version != "" {
				owner = vd.version
			}
			vd.unknown = append(vd.unknown, unknownField{path: join(path, name), owner: owner})
		}
	}
}

func findField(fields []*spec.Field, name string) *spec.Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// sortedKeys returns the keys of obj sorted, so that violations come in a stable order.
func sortedKeys(obj map[string]json.RawMessage) []string {
	return slices.Sorted(maps.Keys(obj))
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// value validates one JSON value against t.
func (vd *validator) value(path string, t *spec.Type, raw json.RawMessage) {
	if isNull(raw) {
		if !t.Nullable {
			vd.add(path, MsgNotNull())
		}
		return
	}
	if t.Kind == spec.KindRef {
		rt := vd.m.Resolve(t)
		if rt == nil {
			vd.add(path, fmt.Sprintf("has unknown type #%s", t.Ref))
			return
		}
		t = rt
	}
	c := t.Constraints
	switch t.Kind {
	case spec.KindAny:
		if !json.Valid(raw) {
			vd.add(path, MsgKind("JSON"))
		}
	case spec.KindString, spec.KindEnum, spec.KindTime, spec.KindBytes:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			vd.add(path, MsgKind("a string"))
			return
		}
		switch t.Kind {
		case spec.KindEnum:
			found := false
			for _, e := range t.Enum {
				found = found || e == s
			}
			if !found {
				vd.add(path, MsgEnum(t.Enum))
			}
		case spec.KindTime:
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				vd.add(path, MsgKind("an RFC 3339 time"))
			}
		case spec.KindBytes:
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				vd.add(path, MsgKind("base64-encoded bytes"))
			}
		}
		vd.stringConstraints(path, c, s)
	case spec.KindBool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			vd.add(path, MsgKind("true or false"))
		}
	case spec.KindInt:
		num, ok := jsonNumber(raw)
		if !ok {
			vd.add(path, MsgKind("an integer"))
			return
		}
		n, ok := new(big.Int).SetString(num, 10)
		if !ok {
			vd.add(path, MsgKind("an integer"))
			return
		}
		if lo, hi, kind := intRange(t); n.Cmp(lo) < 0 || n.Cmp(hi) > 0 {
			vd.add(path, MsgIntRange(kind))
			return
		}
		vd.bounds(path, c, new(big.Rat).SetInt(n))
	case spec.KindFloat:
		num, ok := jsonNumber(raw)
		if !ok {
			vd.add(path, MsgKind("a number"))
			return
		}
		r, ok := new(big.Rat).SetString(num)
		if !ok {
			vd.add(path, MsgKind("a number"))
			return
		}
		if t.Bits == 32 {
			f, _ := r.Float64()
			if f > 3.4028234663852886e38 || f < -3.4028234663852886e38 {
				vd.add(path, MsgIntRange("float32"))
				return
			}
		}
		vd.bounds(path, c, r)
	case spec.KindList:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			vd.add(path, MsgKind("a list"))
			return
		}
		for i, it := range items {
			vd.value(fmt.Sprintf("%s[%d]", path, i), t.Elem, it)
		}
		if c.MinItems != nil && len(items) < *c.MinItems {
			vd.add(path, MsgMinItems(*c.MinItems))
		}
		if c.MaxItems != nil && len(items) > *c.MaxItems {
			vd.add(path, MsgMaxItems(*c.MaxItems))
		}
		if c.UniqueItems && hasDuplicates(items) {
			vd.add(path, MsgUnique())
		}
	case spec.KindMap:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			vd.add(path, MsgKind("an object"))
			return
		}
		for _, k := range sortedKeys(obj) {
			vd.value(fmt.Sprintf("%s[%s]", path, strconv.Quote(k)), t.Elem, obj[k])
		}
	case spec.KindStruct:
		vd.object(path, t.Fields, raw)
	default:
		vd.add(path, fmt.Sprintf("has a type of kind %s that cannot be validated", t.Kind))
	}
}

func (vd *validator) stringConstraints(path string, c spec.Constraints, s string) {
	for _, re := range c.Patterns {
		if rx := vd.regexp(path, re); rx != nil && !rx.MatchString(s) {
			vd.add(path, MsgPattern(re))
		}
	}
	for _, re := range c.NotPatterns {
		if rx := vd.regexp(path, re); rx != nil && rx.MatchString(s) {
			vd.add(path, MsgNotPattern(re))
		}
	}
	n := utf8.RuneCountInString(s)
	if c.MinRunes != nil && n < *c.MinRunes {
		vd.add(path, MsgMinRunes(*c.MinRunes))
	}
	if c.MaxRunes != nil && n > *c.MaxRunes {
		vd.add(path, MsgMaxRunes(*c.MaxRunes))
	}
}

func (vd *validator) regexp(path, re string) *regexp.Regexp {
	if rx, ok := vd.res[re]; ok {
		return rx
	}
	rx, err := regexp.Compile(re)
	if err != nil {
		vd.add(path, fmt.Sprintf("has an invalid regular expression %q: %v", re, err))
	}
	vd.res[re] = rx
	return rx
}

func (vd *validator) bounds(path string, c spec.Constraints, n *big.Rat) {
	if c.Min != nil {
		if b, ok := new(big.Rat).SetString(c.Min.Value); ok {
			if cmp := n.Cmp(b); cmp < 0 || cmp == 0 && c.Min.Exclusive {
				vd.add(path, MsgMin(*c.Min))
			}
		}
	}
	if c.Max != nil {
		if b, ok := new(big.Rat).SetString(c.Max.Value); ok {
			if cmp := n.Cmp(b); cmp > 0 || cmp == 0 && c.Max.Exclusive {
				vd.add(path, MsgMax(*c.Max))
			}
		}
	}
}

// jsonNumber returns the text of a JSON number, or false when raw is not one.
func jsonNumber(raw json.RawMessage) (string, bool) {
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&n); err != nil {
		return "", false
	}
	return n.String(), true
}

// intRange returns the range of an int kind and its Go name.
func intRange(t *spec.Type) (lo, hi *big.Int, kind string) {
	bits := t.Bits
	if bits == 0 {
		bits = 64
	}
	if t.Unsigned {
		kind = "uint"
		hi = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits)), big.NewInt(1))
		lo = big.NewInt(0)
	} else {
		kind = "int"
		hi = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)), big.NewInt(1))
		lo = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
	}
	if t.Bits != 0 {
		kind += strconv.Itoa(t.Bits)
	} else if !t.Unsigned {
		kind += "64"
	}
	return lo, hi, kind
}

// hasDuplicates reports whether two items are the same JSON value.
func hasDuplicates(items []json.RawMessage) bool {
	seen := map[string]bool{}
	for _, it := range items {
		var v any
		if err := json.Unmarshal(it, &v); err != nil {
			continue
		}
		b, _ := json.Marshal(v) // canonical: sorted keys, no spaces
		if seen[string(b)] {
			return true
		}
		seen[string(b)] = true
	}
	return false
}
