package jsonschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/spec"
)

// MetaSchema is the JSON Schema dialect every generated schema declares in "$schema".
const MetaSchema = "https://json-schema.org/draft/2020-12/schema"

// Path returns the output path of the schema of version n of event type typ,
// "schemas/<event-type>.v<N>.json".
func Path(typ string, n int) string {
	return "schemas/" + typ + ".v" + strconv.Itoa(n) + ".json"
}

// ID returns the "$id" of the schema of version n of event type typ from source:
// urn:eventgen:<source>:<event-type>:v<N>.
func ID(source, typ string, n int) string {
	return "urn:eventgen:" + urnEscape(source) + ":" + urnEscape(typ) + ":v" + strconv.Itoa(n)
}

// Generate returns one JSON Schema file per version of every event of m, in the model's
// order (events by type, versions by number). Problems in the model, such as a reference to
// an unknown definition or a bound that is not a number, are returned as spec.Diagnostics;
// the files of the other versions are still returned with them.
func Generate(m *spec.Model) ([]genfile.File, error) {
	var (
		files []genfile.File
		diags spec.Diagnostics
	)
	for _, e := range m.Events {
		if strings.ContainsAny(e.Type, `/\`) || strings.Contains(e.Type, "..") || e.Type == "" {
			diags = append(diags, spec.Errorf(e.Pos, "events.%q: an event type must be dot-separated lower-case words; it names the file %s", e.Type, Path(e.Type, 1)))
			continue
		}
		for _, v := range e.Versions {
			b := &builder{model: m, where: fmt.Sprintf("events.%q.v%d", e.Type, v.Number)}
			content, err := b.version(e, v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", b.where, err)
			}
			if len(b.diags) > 0 {
				diags = append(diags, b.diags...)
				continue
			}
			files = append(files, genfile.File{Path: Path(e.Type, v.Number), Content: content})
		}
	}
	return files, diags.Err()
}

// Schema returns the schema of one version as Generate writes it.
func Schema(m *spec.Model, e *spec.Event, v *spec.Version) ([]byte, error) {
	b := &builder{model: m, where: fmt.Sprintf("events.%q.v%d", e.Type, v.Number)}
	content, err := b.version(e, v)
	if err != nil {
		return nil, err
	}
	if err := b.diags.Err(); err != nil {
		return nil, err
	}
	return content, nil
}

// builder turns one version into a schema, collecting the definitions it reaches.
type builder struct {
	model *spec.Model
	where string
	// defs are the names of reached definitions, in the order first reached; seen marks them.
	defs  []string
	seen  map[string]bool
	diags spec.Diagnostics
}

func (b *builder) version(e *spec.Event, v *spec.Version) ([]byte, error) {
	root := &object{}
	root.set("$schema", MetaSchema)
	root.set("$id", ID(b.model.EventSource(e), e.Type, v.Number))
	root.set("title", fmt.Sprintf("%s v%d", e.Type, v.Number))
	if doc := firstNonEmpty(v.Doc, e.Doc); doc != "" {
		root.set("description", doc)
	}
	root.set("type", "object")
	b.fields(root, v.Fields, b.where)
	if len(b.defs) > 0 {
		// Definitions reached while building other definitions are appended to b.defs as
		// they are found; the loop picks them up. $defs is then written in model order.
		schemas := map[string]*object{}
		for i := 0; i < len(b.defs); i++ {
			d := b.model.Definition(b.defs[i])
			s := b.schema(d.Type, "#"+d.Name)
			if d.Doc != "" {
				s = withDescription(s, d.Doc)
			}
			schemas[d.Name] = s
		}
		defs := &object{}
		for _, d := range b.model.Definitions {
			if s, ok := schemas[d.Name]; ok {
				defs.set(d.Name, s)
			}
		}
		root.set("$defs", defs)
	}
	return encode(root)
}

// fields writes properties and required of a struct into o. Structs stay open (no
// additionalProperties: false): decoders are tolerant readers that ignore unknown fields, and
// adding an optional field to a version is not a breaking change (cli.md), so a payload with a
// field this schema does not know is still a valid payload of the version.
func (b *builder) fields(o *object, fields []*spec.Field, where string) {
	props := &object{}
	var required []any
	for _, f := range fields {
		if f.Type == nil {
			b.diags = append(b.diags, spec.Errorf(f.Pos, "%s.%s: the field has no type", where, f.Name))
			continue
		}
		s := b.schema(f.Type, where+"."+f.Name)
		if f.Doc != "" {
			s = withDescription(s, f.Doc)
		}
		props.set(f.Name, s)
		if Required(f) {
			required = append(required, f.Name)
		}
	}
	if len(fields) > 0 {
		o.set("properties", props)
	}
	if len(required) > 0 {
		o.set("required", required)
	}
}

// schema returns the schema of t, without a description.
func (b *builder) schema(t *spec.Type, where string) *object {
	o := &object{}
	if t == nil {
		b.diags = append(b.diags, spec.Errorf(spec.Pos{}, "%s: the element has no type", where))
		return o
	}
	typeName := func(name string) {
		if t.Nullable {
			o.set("type", []any{name, "null"})
		} else {
			o.set("type", name)
		}
	}
	switch t.Kind {
	case spec.KindString:
		typeName("string")
		b.defaultValue(o, t, where)
		b.stringConstraints(o, t.Constraints)
	case spec.KindBytes:
		typeName("string")
		o.set("contentEncoding", "base64")
	case spec.KindTime:
		typeName("string")
		o.set("format", "date-time")
	case spec.KindEnum:
		typeName("string")
		values := make([]any, 0, len(t.Enum)+1)
		for _, v := range t.Enum {
			values = append(values, v)
		}
		if t.Nullable {
			values = append(values, nil)
		}
		o.set("enum", values)
		b.defaultValue(o, t, where)
		b.stringConstraints(o, t.Constraints)
	case spec.KindInt:
		typeName("integer")
		b.defaultValue(o, t, where)
		b.numberConstraints(o, t, where)
	case spec.KindFloat:
		typeName("number")
		b.defaultValue(o, t, where)
		b.numberConstraints(o, t, where)
	case spec.KindBool:
		typeName("boolean")
		b.defaultValue(o, t, where)
	case spec.KindAny:
		// `_` accepts any JSON value, null included.
	case spec.KindList:
		typeName("array")
		o.set("items", b.elem(t, where+"[]"))
		c := t.Constraints
		if c.MinItems != nil {
			o.set("minItems", *c.MinItems)
		}
		if c.MaxItems != nil {
			o.set("maxItems", *c.MaxItems)
		}
		if c.UniqueItems {
			o.set("uniqueItems", true)
		}
	case spec.KindMap:
		typeName("object")
		o.set("additionalProperties", b.elem(t, where+"[string]"))
	case spec.KindStruct:
		typeName("object")
		b.fields(o, t.Fields, where)
	case spec.KindRef:
		ref := b.ref(t, where)
		if !t.Nullable {
			o.set("$ref", ref)
			break
		}
		o.set("anyOf", []any{refObject(ref), typeObject("null")})
	default:
		b.diags = append(b.diags, spec.Errorf(t.Pos, "%s: type kind %s has no JSON Schema form", where, t.Kind))
	}
	return o
}

func (b *builder) elem(t *spec.Type, where string) *object {
	if t.Elem == nil {
		b.diags = append(b.diags, spec.Errorf(t.Pos, "%s: the %s has no element type", where, t.Kind))
		return &object{}
	}
	return b.schema(t.Elem, where)
}

// ref records the definition t refers to and returns its JSON pointer.
func (b *builder) ref(t *spec.Type, where string) string {
	d := b.model.Definition(t.Ref)
	if d == nil {
		b.diags = append(b.diags, spec.Errorf(t.Pos, "%s: #%s is not a definition of the spec; define it or fix the name", where, t.Ref))
	} else if !b.seen[t.Ref] {
		if b.seen == nil {
			b.seen = map[string]bool{}
		}
		b.seen[t.Ref] = true
		b.defs = append(b.defs, t.Ref)
	}
	return "#/$defs/" + pointerEscape(t.Ref)
}

// Required reports whether a schema lists f under "required": a field that is not optional
// and has no default that the decoder fills in. Nullable fields are required: they must be
// present, and may be null.
func Required(f *spec.Field) bool {
	return !f.Optional && !hasDefault(f.Type)
}

// hasDefault reports whether t is a scalar or enum type with a default, which the decoder
// fills when the field is missing. Lists are left out on purpose: CUE gives every [...T] the
// default [], which is not a default the spec asked for.
func hasDefault(t *spec.Type) bool {
	if t == nil || t.Default == nil {
		return false
	}
	switch t.Kind {
	case spec.KindString, spec.KindEnum, spec.KindInt, spec.KindFloat, spec.KindBool:
		return true
	}
	return false
}

// defaultValue writes the default of a scalar or enum type.
func (b *builder) defaultValue(o *object, t *spec.Type, where string) {
	if !hasDefault(t) {
		return
	}
	if !json.Valid(t.Default) {
		b.diags = append(b.diags, spec.Errorf(t.Pos, "%s: the default %s is not a JSON value", where, t.Default))
		return
	}
	o.set("default", t.Default)
}

func (b *builder) stringConstraints(o *object, c spec.Constraints) {
	var all []any
	for i, p := range c.Patterns {
		if i == 0 {
			o.set("pattern", p)
			continue
		}
		all = append(all, patternObject(p))
	}
	for i, p := range c.NotPatterns {
		if i == 0 {
			o.set("not", patternObject(p))
			continue
		}
		all = append(all, notObject(patternObject(p)))
	}
	if c.MinRunes != nil {
		o.set("minLength", *c.MinRunes)
	}
	if c.MaxRunes != nil {
		o.set("maxLength", *c.MaxRunes)
	}
	if len(all) > 0 {
		o.set("allOf", all)
	}
}

// numberConstraints writes the bounds of an int or float type: the spec's, tightened by the
// range of a sized integer kind.
func (b *builder) numberConstraints(o *object, t *spec.Type, where string) {
	minB, maxB := t.Constraints.Min, t.Constraints.Max
	for _, bound := range []*spec.Bound{minB, maxB} {
		if bound != nil && !isNumber(bound.Value) {
			b.diags = append(b.diags, spec.Errorf(t.Pos, "%s: the bound %q is not a decimal number", where, bound.Value))
			return
		}
	}
	if t.Kind == spec.KindInt && t.Sized {
		kindMin, kindMax := intRange(t.Bits, t.Unsigned)
		minB = tighter(minB, &spec.Bound{Value: kindMin}, 1)
		maxB = tighter(maxB, &spec.Bound{Value: kindMax}, -1)
	}
	if minB != nil {
		if minB.Exclusive {
			o.set("exclusiveMinimum", json.RawMessage(minB.Value))
		} else {
			o.set("minimum", json.RawMessage(minB.Value))
		}
	}
	if maxB != nil {
		if maxB.Exclusive {
			o.set("exclusiveMaximum", json.RawMessage(maxB.Value))
		} else {
			o.set("maximum", json.RawMessage(maxB.Value))
		}
	}
}

// tighter returns the stricter of two bounds: for sign 1 (a minimum) the larger, for sign -1
// (a maximum) the smaller; an exclusive bound is stricter than an inclusive one at the same
// value. Either may be nil.
func tighter(a, b *spec.Bound, sign int) *spec.Bound {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	ra, _ := new(big.Rat).SetString(a.Value)
	rb, _ := new(big.Rat).SetString(b.Value)
	switch c := ra.Cmp(rb) * sign; {
	case c > 0:
		return a
	case c < 0:
		return b
	case a.Exclusive:
		return a
	}
	return b
}

// intRange returns the smallest and largest value of an integer kind as decimal literals.
// Bits 0 is the 64-bit default.
func intRange(bits int, unsigned bool) (string, string) {
	if bits == 0 {
		bits = 64
	}
	one := big.NewInt(1)
	if unsigned {
		max := new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits)), one)
		return "0", max.String()
	}
	limit := new(big.Int).Lsh(one, uint(bits-1))
	return new(big.Int).Neg(limit).String(), new(big.Int).Sub(limit, one).String()
}

// isNumber reports whether s is a JSON number literal.
func isNumber(s string) bool {
	var n json.Number
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		return false
	}
	_, ok := new(big.Rat).SetString(s)
	return ok && s == n.String()
}

// withDescription returns s with a description placed where the keyword order puts it:
// before every other keyword of a property schema.
func withDescription(s *object, doc string) *object {
	out := &object{members: make([]member, 0, len(s.members)+1)}
	out.set("description", doc)
	out.members = append(out.members, s.members...)
	return out
}

func patternObject(p string) *object {
	o := &object{}
	o.set("pattern", p)
	return o
}

func notObject(s *object) *object {
	o := &object{}
	o.set("not", s)
	return o
}

func refObject(ref string) *object {
	o := &object{}
	o.set("$ref", ref)
	return o
}

func typeObject(name string) *object {
	o := &object{}
	o.set("type", name)
	return o
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// pointerEscaper escapes a JSON pointer token (RFC 6901). A Replacer is safe for concurrent
// use, and building one per call was a measurable share of generation's garbage.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerEscape escapes a JSON pointer token (RFC 6901).
func pointerEscape(s string) string { return pointerEscaper.Replace(s) }

// urnEscape percent-encodes every byte outside [A-Za-z0-9._~-], so that a source or type
// cannot add a URN component or break the URI.
func urnEscape(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '~', c == '-':
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}
