package rulecheck

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/eventgen/eventgen/spec"
)

// site is one version of one event that a rule can match.
type site struct {
	e *spec.Event
	v *spec.Version
}

func (s site) String() string { return fmt.Sprintf("%s v%d", s.e.Type, s.v.Number) }

func joinSites(sites []site) string {
	parts := make([]string, len(sites))
	for i, s := range sites {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

var (
	stringType = &spec.Type{Kind: spec.KindString}
	timeType   = &spec.Type{Kind: spec.KindTime}
	// metadataType is event.Metadata as JSON: every field an optional string.
	metadataType = &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
		{Name: "userId", Type: stringType, Optional: true},
		{Name: "organizationId", Type: stringType, Optional: true},
		{Name: "tenantId", Type: stringType, Optional: true},
		{Name: "correlationId", Type: stringType, Optional: true},
		{Name: "causationId", Type: stringType, Optional: true},
		{Name: "traceparent", Type: stringType, Optional: true},
	}}
)

// envelopeType is the type of the detail of an EventBridge event that carries version v of e:
// the envelope's JSON, whose data is the version's payload.
func envelopeType(m *spec.Model, e *spec.Event, v *spec.Version) *spec.Type {
	return &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
		{Name: "version", Type: stringType},
		{Name: "eventType", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{e.Type}}},
		{Name: "eventId", Type: stringType},
		{Name: "timestamp", Type: timeType},
		{Name: "source", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{m.EventSource(e)}}},
		{Name: "metadata", Type: metadataType},
		{Name: "data", Type: &spec.Type{Kind: spec.KindStruct, Fields: v.Fields}},
	}}
}

// resolution is where a path leads in one version.
type resolution struct {
	// missing is the index of the first path element the version lacks; -1 when it has all.
	missing int
	// candidates are the field names at the level where the path broke off.
	candidates []string
	// t is the type of the leaf (lists unwrapped, references followed); nil when unknown.
	t *spec.Type
	// nullable reports whether the leaf can be null.
	nullable bool
}

// unwrap follows references and list elements: EventBridge matches a list's elements.
func unwrap(m *spec.Model, t *spec.Type) (*spec.Type, bool) {
	nullable := false
	for t != nil {
		nullable = nullable || t.Nullable
		t = m.Resolve(t)
		if t == nil {
			return nil, nullable
		}
		nullable = nullable || t.Nullable
		if t.Kind != spec.KindList {
			return t, nullable
		}
		t = t.Elem
	}
	return nil, nullable
}

// resolve follows path from root.
func resolve(m *spec.Model, root *spec.Type, path []string) resolution {
	t := root
	for i, seg := range path {
		t, _ = unwrap(m, t)
		if t == nil {
			return resolution{missing: -1} // an unknown definition: another check reports it
		}
		switch t.Kind {
		case spec.KindAny:
			return resolution{missing: -1, t: t}
		case spec.KindStruct:
			f := t.Field(seg)
			if f == nil {
				names := make([]string, len(t.Fields))
				for j, f := range t.Fields {
					names[j] = f.Name
				}
				return resolution{missing: i, candidates: names}
			}
			t = f.Type
		case spec.KindMap:
			t = t.Elem
		default:
			return resolution{missing: i}
		}
	}
	leaf, nullable := unwrap(m, t)
	return resolution{missing: -1, t: leaf, nullable: nullable}
}

// problems groups identical findings about a leaf over the versions they occur in.
type problems struct {
	order []string
	sites map[string][]site
}

func (p *problems) add(problem, hint string, s site) {
	key := problem + "; " + hint
	if p.sites == nil {
		p.sites = map[string][]site{}
	}
	if _, ok := p.sites[key]; !ok {
		p.order = append(p.order, key)
	}
	if !slices.Contains(p.sites[key], s) {
		p.sites[key] = append(p.sites[key], s)
	}
}

// checkFilter type-checks every condition of a content filter against every version of the
// events the rule can match. what names the filter in messages ("match" or "pattern.detail").
func (c *ruleChecker) checkFilter(filter map[string]any, _ []string, what string, events []*spec.Event) {
	var sites []site
	for _, e := range events {
		for _, v := range e.Versions {
			sites = append(sites, site{e, v})
		}
	}
	if len(sites) == 0 {
		return
	}
	for _, l := range leaves(filter, nil) {
		dotted := strings.Join(l.path, ".")
		elem := fmt.Sprintf("%s.%s.%s", c.name, what, dotted)
		pos := c.pos(l.path)
		var (
			missing     []site
			candidates  []string
			brokenAt    = len(l.path)
			found       []site
			foundResult []resolution
		)
		for _, s := range sites {
			res := resolve(c.m, envelopeType(c.m, s.e, s.v), l.path)
			if res.missing >= 0 {
				missing = append(missing, s)
				for _, cand := range res.candidates {
					if !slices.Contains(candidates, cand) {
						candidates = append(candidates, cand)
					}
				}
				brokenAt = min(brokenAt, res.missing)
				continue
			}
			found = append(found, s)
			foundResult = append(foundResult, res)
		}
		if len(found) == 0 {
			var types []string
			for _, e := range events {
				types = append(types, e.Type)
			}
			advice := "fix the path (payload fields are under data, metadata fields under metadata)"
			if underData := append([]string{"data"}, l.path...); brokenAt == 0 && c.anyHas(sites, underData) {
				advice = fmt.Sprintf("payload fields are under data: write data.%s", dotted)
			} else {
				advice = suggest(advice, l.path[min(brokenAt, len(l.path)-1)], candidates)
			}
			c.errorf(pos, "%s: no version of %s has %s; %s", elem, strings.Join(types, ", "), dotted, advice)
			continue
		}
		if len(missing) > 0 && !onlyExistsFalse(l.values) {
			c.warnf(pos, "%s: events of %s can never match this rule, as those versions have no %s; match a field every version has, or accept that", elem, joinSites(missing), dotted)
		}
		var ps problems
		for i, s := range found {
			res := foundResult[i]
			if res.t != nil && isObject(res.t) {
				ps.add(fmt.Sprintf("%s is an object, and EventBridge conditions match only leaf values", dotted), "match one of its fields instead", s)
				continue
			}
			for _, v := range l.values {
				if problem, hint := c.fits(res.t, res.nullable, v, dotted); problem != "" {
					ps.add(problem, hint, s)
				}
			}
		}
		for _, key := range ps.order {
			problem, hint, _ := strings.Cut(key, "; ")
			c.errorf(pos, "%s: %s (in %s); %s", elem, problem, joinSites(ps.sites[key]), hint)
		}
	}
}

// anyHas reports whether any of the versions has path under its envelope.
func (c *ruleChecker) anyHas(sites []site, path []string) bool {
	for _, s := range sites {
		if resolve(c.m, envelopeType(c.m, s.e, s.v), path).missing < 0 {
			return true
		}
	}
	return false
}

func isObject(t *spec.Type) bool {
	return t.Kind == spec.KindStruct || t.Kind == spec.KindMap
}

// onlyExistsFalse reports whether a condition is [{"exists": false}], which matches events
// that lack the field, so a version without it is not one that never matches.
func onlyExistsFalse(values []any) bool {
	for _, v := range values {
		op, ok := v.(map[string]any)
		if !ok || op["exists"] != false {
			return false
		}
	}
	return len(values) > 0
}

func stringLike(t *spec.Type) bool {
	switch t.Kind {
	case spec.KindString, spec.KindEnum, spec.KindTime, spec.KindBytes:
		return true
	}
	return false
}

func numeric(t *spec.Type) bool { return t.Kind == spec.KindInt || t.Kind == spec.KindFloat }

// describe names a leaf type in a message: "a string", `one of "live", "dry-run"`.
func describe(t *spec.Type) string {
	switch t.Kind {
	case spec.KindString:
		return "a string"
	case spec.KindEnum:
		return "one of " + quoteAll(t.Enum)
	case spec.KindInt:
		if t.Sized {
			return "an " + intKindName(t)
		}
		return "an integer"
	case spec.KindFloat:
		return "a number"
	case spec.KindBool:
		return "a boolean"
	case spec.KindTime:
		return "an RFC 3339 time string"
	case spec.KindBytes:
		return "base64-encoded bytes"
	}
	return "an object"
}

func intKindName(t *spec.Type) string {
	name := "int"
	if t.Unsigned {
		name = "uint"
	}
	if t.Bits != 0 {
		name += strconv.Itoa(t.Bits)
	}
	return name
}

func quoteAll(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// hintFor says which conditions fit a type.
func hintFor(t *spec.Type) string {
	switch {
	case t.Kind == spec.KindEnum:
		return "use one of its values, or prefix, suffix, equals-ignore-case, wildcard, anything-but or exists"
	case stringLike(t):
		return "use a string, or prefix, suffix, equals-ignore-case, wildcard, anything-but or exists"
	case numeric(t):
		return "use a number, or numeric, anything-but or exists"
	case t.Kind == spec.KindBool:
		return "use true, false or exists"
	}
	return "match one of its fields instead"
}

// fits checks one element of a condition's value list against the field's type. It returns
// a problem and a hint, or two empty strings when the element fits.
func (c *ruleChecker) fits(t *spec.Type, nullable bool, v any, field string) (problem, hint string) {
	if t == nil || t.Kind == spec.KindAny {
		return "", ""
	}
	switch v := v.(type) {
	case string:
		return fitsString(t, v, field)
	case json.Number:
		return fitsNumber(t, v, field)
	case bool:
		if t.Kind != spec.KindBool {
			return fmt.Sprintf("%t can never match, %s is %s", v, field, describe(t)), hintFor(t)
		}
	case nil:
		if !nullable {
			return fmt.Sprintf("null can never match, %s is never null", field), "make the field nullable (T | null), or use exists: false for a missing field"
		}
	case map[string]any:
		return c.fitsOperator(t, v, field)
	}
	return "", ""
}

func fitsString(t *spec.Type, s, field string) (string, string) {
	q := strconv.Quote(s)
	switch t.Kind {
	case spec.KindEnum:
		if !slices.Contains(t.Enum, s) {
			return fmt.Sprintf("%s can never match, %s is %s", q, field, describe(t)), "use one of those values"
		}
	case spec.KindString:
		n := utf8.RuneCountInString(s)
		if min := t.Constraints.MinRunes; min != nil && n < *min {
			return fmt.Sprintf("%s can never match, %s has at least %d runes", q, field, *min), "fix the value"
		}
		if max := t.Constraints.MaxRunes; max != nil && n > *max {
			return fmt.Sprintf("%s can never match, %s has at most %d runes", q, field, *max), "fix the value"
		}
		for _, re := range t.Constraints.Patterns {
			if rx, err := regexp.Compile(re); err == nil && !rx.MatchString(s) {
				return fmt.Sprintf("%s can never match, %s must match %s", q, field, re), "fix the value"
			}
		}
		for _, re := range t.Constraints.NotPatterns {
			if rx, err := regexp.Compile(re); err == nil && rx.MatchString(s) {
				return fmt.Sprintf("%s can never match, %s must not match %s", q, field, re), "fix the value"
			}
		}
	case spec.KindTime:
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Sprintf("%s can never match, %s is an RFC 3339 time string", q, field), "write the time as 2026-01-02T15:04:05Z"
		}
	case spec.KindBytes:
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return fmt.Sprintf("%s can never match, %s is base64-encoded bytes", q, field), "write the value in base64"
		}
	default:
		return fmt.Sprintf("%s can never match, %s is %s", q, field, describe(t)), hintFor(t)
	}
	return "", ""
}

func fitsNumber(t *spec.Type, n json.Number, field string) (string, string) {
	if !numeric(t) {
		return fmt.Sprintf("%s can never match, %s is %s", n, field, describe(t)), hintFor(t)
	}
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		return "", "" // not a decimal runtime/pattern accepts; the syntax check reports it
	}
	if t.Kind == spec.KindInt {
		if !r.IsInt() {
			return fmt.Sprintf("%s can never match, %s is an integer", n, field), "use a whole number"
		}
		bits := t.Bits
		if bits == 0 {
			bits = 64
		}
		lo, hi := new(big.Int), new(big.Int)
		if t.Unsigned {
			hi.Lsh(big.NewInt(1), uint(bits)).Sub(hi, big.NewInt(1))
		} else {
			hi.Lsh(big.NewInt(1), uint(bits-1)).Sub(hi, big.NewInt(1))
			lo.Neg(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
		}
		if r.Num().Cmp(lo) < 0 || r.Num().Cmp(hi) > 0 {
			return fmt.Sprintf("%s can never match, %s is an %s (%s to %s)", n, field, intKindName(t), lo, hi), "use a number in that range"
		}
	}
	if b := t.Constraints.Min; b != nil {
		if bound, ok := new(big.Rat).SetString(b.Value); ok {
			if c := r.Cmp(bound); c < 0 || (c == 0 && b.Exclusive) {
				return fmt.Sprintf("%s can never match, %s must be %s %s", n, field, cmpOp(">", b.Exclusive), b.Value), "use a number in that range"
			}
		}
	}
	if b := t.Constraints.Max; b != nil {
		if bound, ok := new(big.Rat).SetString(b.Value); ok {
			if c := r.Cmp(bound); c > 0 || (c == 0 && b.Exclusive) {
				return fmt.Sprintf("%s can never match, %s must be %s %s", n, field, cmpOp("<", b.Exclusive), b.Value), "use a number in that range"
			}
		}
	}
	return "", ""
}

func cmpOp(op string, exclusive bool) string {
	if exclusive {
		return op
	}
	return op + "="
}

// fitsOperator checks an operator object such as {"prefix": "x"} against the field's type.
func (c *ruleChecker) fitsOperator(t *spec.Type, op map[string]any, field string) (string, string) {
	for _, name := range sortedKeys(op) {
		operand := op[name]
		text := operatorText(name, operand)
		switch name {
		case "exists":
			// fits any leaf
		case "prefix", "suffix", "equals-ignore-case", "wildcard":
			if !stringLike(t) {
				return fmt.Sprintf("%s needs a string field, but %s is %s", text, field, describe(t)), hintFor(t)
			}
		case "cidr":
			if t.Kind != spec.KindString && t.Kind != spec.KindEnum {
				return fmt.Sprintf("%s needs a string field holding IP addresses, but %s is %s", text, field, describe(t)), hintFor(t)
			}
		case "numeric":
			if !numeric(t) {
				return fmt.Sprintf("%s needs a number field, but %s is %s", text, field, describe(t)), hintFor(t)
			}
		case "anything-but":
			if problem, hint := anythingButFits(t, operand, text, field); problem != "" {
				return problem, hint
			}
		}
		if t.Kind == spec.KindEnum && name != "exists" && !enumCanMatch(t.Enum, op) {
			return fmt.Sprintf("%s matches no value of %s, which is %s", text, field, describe(t)), "fix the condition"
		}
	}
	return "", ""
}

// anythingButFits checks that anything-but compares values of the field's own type; with
// another type it would silently match every event that has the field.
func anythingButFits(t *spec.Type, operand any, text, field string) (string, string) {
	values, ok := operand.([]any)
	if !ok {
		values = []any{operand}
	}
	for _, v := range values {
		var fitsType bool
		switch v.(type) {
		case string, map[string]any:
			fitsType = stringLike(t)
		case json.Number:
			fitsType = numeric(t)
		default:
			fitsType = true
		}
		if !fitsType {
			return fmt.Sprintf("%s compares values of another type than %s, which is %s, so it matches every event that has the field", text, field, describe(t)), hintFor(t)
		}
	}
	return "", ""
}

// operatorText renders an operator for a message: {"prefix":"x"}.
func operatorText(name string, operand any) string {
	b, err := eventbridgeCompact(map[string]any{name: operand})
	if err != nil {
		return name
	}
	return b
}

// eventbridgeCompact writes a JSON value on one line, without HTML escaping.
func eventbridgeCompact(v any) (string, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// enumCanMatch reports whether an operator matches at least one enum member, using the
// EventBridge matcher itself so that every operator means exactly what it means at run time.
func enumCanMatch(members []string, op map[string]any) bool {
	body, err := eventbridge.Encode(map[string]any{"v": []any{op}})
	if err != nil {
		return true
	}
	p, err := pattern.Compile(body)
	if err != nil {
		return true // the syntax check reports invalid operators
	}
	for _, member := range members {
		event, _ := json.Marshal(map[string]string{"v": member}) // strings always marshal
		if ok, err := p.Match(event); err == nil && ok {
			return true
		}
	}
	return false
}
