package asyncapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/eventgen/eventgen/spec"
)

// Schema keywords by what eventgen does with them. Every keyword of a payload schema is in
// one of these sets or is an error: nothing is dropped silently.
var (
	// honoured keywords map to the type table of the spec language.
	honoured = set("type", "format", "enum", "const", "default", "minimum", "maximum", "exclusiveMinimum",
		"exclusiveMaximum", "minLength", "maxLength", "pattern", "items", "minItems", "maxItems", "uniqueItems",
		"properties", "required", "additionalProperties", "nullable", "allOf", "oneOf", "anyOf", "not")
	// annotations carry no validation; description becomes a doc comment, the rest is ignored.
	annotations = set("title", "description", "examples", "example", "$comment", "deprecated", "readOnly",
		"writeOnly", "externalDocs", "$schema", "$id", "definitions", "$defs", "x-eventgen-go-name")
	// unsupportedHints explain the keywords eventgen cannot honour.
	unsupportedHints = map[string]string{
		"if":                "conditional schemas cannot be generated; make the variants separate event versions or optional fields",
		"then":              "conditional schemas cannot be generated; make the variants separate event versions or optional fields",
		"else":              "conditional schemas cannot be generated; make the variants separate event versions or optional fields",
		"patternProperties": "use additionalProperties with a schema for a map",
		"discriminator":     "polymorphic payloads cannot be generated; use one event type per variant",
		"items":             "tuples cannot be generated; use an object with named fields",
		"prefixItems":       "tuples cannot be generated; use an object with named fields",
		"additionalItems":   "tuples cannot be generated; use an object with named fields",
		"multipleOf":        "remove it, or validate it in code",
		"dependentSchemas":  "make the dependent fields a nested optional object",
		"dependentRequired": "make the dependent fields a nested optional object",
		"dependencies":      "make the dependent fields a nested optional object",
	}
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// maxSchemaDepth bounds nesting, so that a schema that includes itself inline is an error.
const maxSchemaDepth = 64

// typeOf maps the schema at `at` to a model type, reading its keywords through kin-openapi and
// its order and positions from the YAML nodes. path names the element for messages. inline
// follows a $ref into the referenced schema instead of making it a definition (payload roots
// and allOf members); asStruct reads `type: object` without properties as an empty struct.
func (l *loader) typeOf(at located, path string, inline, asStruct bool, depth int) *spec.Type {
	n := unalias(at.node)
	bad := &spec.Type{Pos: l.pos(at.doc, n)}
	if depth > maxSchemaDepth || l.inProgress[n] {
		l.errorf(at.doc, n, "%s: the schema includes itself; make the recursive part a named schema (components.schemas) and refer to it", path)
		return bad
	}
	if l.budget--; l.budget < 0 {
		l.errorf(at.doc, n, "%s: the document expands to too many schemas (YAML aliases?)", path)
		return bad
	}
	l.inProgress[n] = true
	defer delete(l.inProgress, n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		if n.Value == "true" {
			return &spec.Type{Kind: spec.KindAny, Pos: bad.Pos}
		}
		l.errorf(at.doc, n, "%s: the schema false accepts no value; remove the field", path)
		return bad
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(at.doc, n, "%s: a schema must be a mapping", path)
		return bad
	}
	if ref := l.refOf(n); ref != nil {
		return l.refType(at, ref, path, inline, asStruct, depth)
	}
	s := l.kinSchema(at, path)
	if s == nil {
		return bad
	}

	keys := map[string]*yaml.Node{}
	ok := true
	for _, p := range pairs(n) {
		k := p.key.Value
		keys[k] = p.key
		switch {
		case honoured[k], annotations[k]:
		case strings.HasPrefix(k, "x-eventgen-"):
			l.errorf(at.doc, p.key, "%s: unknown extension %q in a schema; schemas know x-eventgen-go-name", path, k)
			ok = false
		case strings.HasPrefix(k, "x-"):
		default:
			hint := unsupportedHints[k]
			if hint == "" {
				hint = "remove it, or validate it in code"
			}
			l.errorf(at.doc, p.key, "%s: keyword %q is not supported by eventgen: %s", path, k, hint)
			ok = false
		}
	}
	if !ok {
		return bad
	}

	// Nullability: type: [T, "null"], nullable: true, an enum with null, oneOf/anyOf [T, null].
	nullable := s.Nullable
	var types []string
	if s.Type != nil {
		for _, t := range *s.Type {
			if t == "null" {
				nullable = true
			} else {
				types = append(types, t)
			}
		}
	}
	if len(types) > 1 {
		l.errorf(at.doc, l.value(n, "type"), "%s: type lists %s; eventgen supports one type, optionally with \"null\"", path, strings.Join(types, ", "))
		return bad
	}
	typ := ""
	if len(types) == 1 {
		typ = types[0]
	} else if s.Type != nil && nullable && len(*s.Type) == 1 {
		l.errorf(at.doc, l.value(n, "type"), "%s: type \"null\" alone carries no data; write type: [T, \"null\"] for a nullable T", path)
		return bad
	}

	for _, union := range []string{"oneOf", "anyOf"} {
		if keys[union] != nil {
			return l.unionType(at, keys, union, path, depth)
		}
	}
	if keys["allOf"] != nil {
		t := l.allOfType(at, s, keys, path, depth)
		if t.Kind != spec.KindInvalid && nullable {
			t.Nullable = true
		}
		return t
	}

	t := &spec.Type{Pos: bad.Pos, Nullable: nullable}
	switch {
	case keys["const"] != nil || keys["enum"] != nil:
		if typ != "" && typ != "string" {
			l.errorf(at.doc, l.value(n, "type"), "%s: enum and const values must be strings; type %q cannot be an enum", path, typ)
			return bad
		}
		if !l.enumType(at, keys, t, path) {
			return bad
		}
	case typ == "" && (keys["properties"] != nil || keys["required"] != nil || keys["additionalProperties"] != nil):
		typ = "object"
	case typ == "" && (keys["items"] != nil || keys["minItems"] != nil || keys["maxItems"] != nil || keys["uniqueItems"] != nil):
		typ = "array"
	case typ == "" && (keys["minLength"] != nil || keys["maxLength"] != nil || keys["pattern"] != nil || keys["format"] != nil || keys["not"] != nil):
		typ = "string"
	case typ == "" && (keys["minimum"] != nil || keys["maximum"] != nil || keys["exclusiveMinimum"] != nil || keys["exclusiveMaximum"] != nil):
		typ = "number"
	}
	if t.Kind != spec.KindEnum {
		switch typ {
		case "":
			t.Kind = spec.KindAny
		case "string":
			if !l.stringType(at, s, keys, t, path) {
				return bad
			}
		case "integer":
			t.Kind = spec.KindInt
			if !l.intFormat(at, s, t, path) {
				return bad
			}
		case "number":
			t.Kind = spec.KindFloat
			if !l.floatFormat(at, s, t, path) {
				return bad
			}
		case "boolean":
			t.Kind = spec.KindBool
		case "array":
			t.Kind = spec.KindList
			if !l.listType(at, s, keys, t, path, depth) {
				return bad
			}
		case "object":
			if !l.objectType(at, s, keys, t, path, asStruct, depth) {
				return bad
			}
		default:
			l.errorf(at.doc, l.value(n, "type"), "%s: unknown type %q; use string, integer, number, boolean, array or object", path, typ)
			return bad
		}
	}
	if t.Kind == spec.KindInt || t.Kind == spec.KindFloat {
		if !l.bounds(at, s, keys, t, path) {
			return bad
		}
	}
	if !l.applicable(at, keys, t.Kind, path) {
		return bad
	}
	if k := keys["default"]; k != nil {
		switch t.Kind {
		case spec.KindStruct, spec.KindList, spec.KindMap, spec.KindAny:
			l.errorf(at.doc, k, "%s: default is supported on scalar and enum types only", path)
			return bad
		}
		def := l.value(n, "default")
		t.Default = l.toJSON(at.doc, def)
		if t.Kind == spec.KindEnum && (!isString(def) || !slices.Contains(t.Enum, def.Value)) {
			l.errorf(at.doc, def, "%s: default %s is not one of the enum values %s", path, t.Default, strings.Join(t.Enum, ", "))
			return bad
		}
	}
	return t
}

// refType maps a schema that is a $ref: a named schema (components.schemas.X, or X under
// definitions or $defs) becomes a reference to definition X, anything else is read in place.
func (l *loader) refType(at located, ref *yaml.Node, path string, inline, asStruct bool, depth int) *spec.Type {
	n := at.node
	bad := &spec.Type{Pos: l.pos(at.doc, n)}
	for _, p := range pairs(n) {
		switch k := p.key.Value; {
		case k == "$ref", k == "description", k == "title", k == "x-eventgen-go-name", strings.HasPrefix(k, "x-") && !strings.HasPrefix(k, "x-eventgen-"):
		default:
			l.errorf(at.doc, p.key, "%s: keyword %q beside $ref is ignored by JSON Schema; move it into the referenced schema or combine them with allOf", path, k)
			return bad
		}
	}
	target, ok := l.resolve(at.doc, ref)
	if !ok {
		return bad
	}
	if name := definitionName(target.ptr); name != "" && !inline {
		if !l.addDefinition(name, target, at.doc, ref) {
			return bad
		}
		return &spec.Type{Kind: spec.KindRef, Ref: name, Pos: bad.Pos}
	}
	return l.typeOf(target, path, inline, asStruct, depth+1)
}

// definitionName returns X for a pointer to a named schema (/components/schemas/X,
// .../definitions/X, .../$defs/X, or /X: a top-level entry of a file of schemas), else "".
func definitionName(ptr string) string {
	segs := strings.Split(ptr, "/")
	if len(segs) < 2 {
		return ""
	}
	name := strings.ReplaceAll(strings.ReplaceAll(segs[len(segs)-1], "~1", "/"), "~0", "~")
	if len(segs) == 2 {
		return name
	}
	parent := segs[len(segs)-2]
	if parent == "definitions" || parent == "$defs" || parent == "schemas" && len(segs) == 4 && segs[1] == "components" {
		return name
	}
	return ""
}

var definitionNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// addDefinition registers the named schema at target as definition name, to be read once.
func (l *loader) addDefinition(name string, target located, from *document, ref *yaml.Node) bool {
	if prev, ok := l.defs[name]; ok {
		if prev.at.node != target.node {
			l.errorf(from, ref, "$ref %q: two different schemas are named %s (the other is at %s); rename one", ref.Value, name, l.pos(prev.at.doc, prev.at.node))
			return false
		}
		return true
	}
	if !definitionNameRE.MatchString(name) {
		l.errorf(from, ref, "$ref %q: schema name %q cannot name a Go type; use letters, digits and _", ref.Value, name)
		return false
	}
	d := &definitionSource{name: name, at: target}
	l.defs[name] = d
	l.defQueue = append(l.defQueue, d)
	return true
}

// kinSchema decodes the schema node at `at` with kin-openapi, after normalising it.
func (l *loader) kinSchema(at located, path string) *openapi3.Schema {
	if s, ok := l.kin[at.node]; ok {
		return s
	}
	data, ok := l.schemaJSON(at.doc, at.node)
	if !ok {
		return nil
	}
	// Schemas are read-only here, so nodes that say the same share one decoding: leaf schemas
	// such as {type: string} repeat throughout a document.
	if s, ok := l.kinByText[string(data)]; ok {
		l.kin[at.node] = s
		return s
	}
	s := new(openapi3.Schema)
	if err := json.Unmarshal(data, s); err != nil {
		where, cause := l.kinFailure(at.doc, at.node, err)
		l.errorf(at.doc, where, "%s: invalid schema: %v", path, cause)
		return nil
	}
	l.kin[at.node] = s
	l.kinByText[string(data)] = s
	return s
}

// kinFailure finds the keyword whose value kin-openapi cannot decode, for a precise position.
func (l *loader) kinFailure(d *document, n *yaml.Node, err error) (*yaml.Node, error) {
	for _, p := range pairs(n) {
		var probe openapi3.Schema
		data, ok := l.schemaJSON(d, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{p.key, p.value}})
		if ok && json.Unmarshal(data, &probe) != nil {
			return p.value, fmt.Errorf("keyword %q has the wrong form: %w", p.key.Value, err)
		}
	}
	return n, err
}

// unionType maps oneOf/anyOf: only a type together with null is supported.
func (l *loader) unionType(at located, keys map[string]*yaml.Node, union, path string, depth int) *spec.Type {
	n := at.node
	bad := &spec.Type{Pos: l.pos(at.doc, n)}
	for _, p := range pairs(n) {
		k, kn := p.key.Value, p.key
		if honoured[k] && k != union && k != "nullable" {
			l.errorf(at.doc, kn, "%s: keyword %q beside %s is not supported; put it inside the %s members", path, k, union, union)
			return bad
		}
	}
	members := items(l.value(n, union))
	var value *yaml.Node
	nulls := 0
	for _, m := range members {
		if l.isNullSchema(m) {
			nulls++
			continue
		}
		if value != nil {
			value = nil
			break
		}
		value = m
	}
	if value == nil || nulls != 1 || len(members) != 2 {
		l.errorf(at.doc, keys[union], "%s: %s of several schemas (a union) is not supported by eventgen; only a type together with {type: \"null\"} is, for a nullable value. Use one event type per variant, or optional fields", path, union)
		return bad
	}
	t := l.typeOf(located{doc: at.doc, node: value}, path, false, false, depth+1)
	if t.Kind != spec.KindInvalid {
		t.Nullable = true
	}
	return t
}

// isNullSchema reports whether n is {type: "null"} (or const/enum null).
func (l *loader) isNullSchema(n *yaml.Node) bool {
	ps := pairs(n)
	if len(ps) != 1 {
		return false
	}
	v := ps[0].value
	switch ps[0].key.Value {
	case "type":
		return isString(v) && v.Value == "null"
	case "const":
		return v.Kind == yaml.ScalarNode && v.Tag == "!!null"
	}
	return false
}

// allOfType merges the members of allOf, which must all be objects, and the schema's own
// properties into one struct; fields keep the members' order.
func (l *loader) allOfType(at located, s *openapi3.Schema, keys map[string]*yaml.Node, path string, depth int) *spec.Type {
	n := at.node
	t := &spec.Type{Kind: spec.KindStruct, Pos: l.pos(at.doc, n)}
	bad := &spec.Type{Pos: t.Pos}
	for _, p := range pairs(n) {
		k, kn := p.key.Value, p.key
		if honoured[k] && k != "allOf" && k != "properties" && k != "required" && k != "type" && k != "nullable" && k != "additionalProperties" {
			l.errorf(at.doc, kn, "%s: keyword %q beside allOf is not supported; allOf merges objects, put it in a member", path, k)
			return bad
		}
	}
	if s.Type != nil && !s.Type.Includes("object") {
		l.errorf(at.doc, l.value(n, "type"), "%s: allOf merges objects; the type must be object", path)
		return bad
	}
	seen := map[string]*spec.Field{}
	add := func(fields []*spec.Field) bool {
		for _, f := range fields {
			if prev := seen[f.Name]; prev != nil {
				l.diags = append(l.diags, spec.Errorf(f.Pos, "%s.%s: field %q is defined twice in allOf (also at %s); keep one", path, quote(f.Name), f.Name, prev.Pos))
				return false
			}
			seen[f.Name] = f
			t.Fields = append(t.Fields, f)
		}
		return true
	}
	for i, m := range items(l.value(n, "allOf")) {
		mt := l.typeOf(located{doc: at.doc, node: m}, path, true, true, depth+1)
		switch {
		case mt.Kind == spec.KindInvalid:
			return bad
		case mt.Kind != spec.KindStruct || mt.Nullable:
			l.errorf(at.doc, m, "%s: allOf member %d is %s; eventgen merges objects with properties only", path, i+1, mt.Kind)
			return bad
		}
		if !add(mt.Fields) {
			return bad
		}
	}
	if keys["properties"] != nil || keys["additionalProperties"] != nil {
		own := &spec.Type{}
		if !l.objectType(at, s, keys, own, path, true, depth) {
			return bad
		}
		if own.Kind != spec.KindStruct {
			l.errorf(at.doc, keys["additionalProperties"], "%s: a map (additionalProperties with a schema) cannot be merged with allOf", path)
			return bad
		}
		if !add(own.Fields) {
			return bad
		}
	} else if keys["required"] != nil {
		l.requiredFields(at, t.Fields, path)
	}
	return t
}

// enumType fills t from enum or const; string values only, null makes the type nullable.
func (l *loader) enumType(at located, keys map[string]*yaml.Node, t *spec.Type, path string) bool {
	t.Kind = spec.KindEnum
	if keys["const"] != nil && keys["enum"] != nil {
		l.errorf(at.doc, keys["const"], "%s: const and enum together; keep one", path)
		return false
	}
	var values []*yaml.Node
	if keys["const"] != nil {
		values = []*yaml.Node{l.value(at.node, "const")}
	} else {
		values = items(l.value(at.node, "enum"))
		if values == nil {
			l.errorf(at.doc, l.value(at.node, "enum"), "%s: enum must be a list of strings", path)
			return false
		}
	}
	for _, v := range values {
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			t.Nullable = true
		case isString(v):
			if slices.Contains(t.Enum, v.Value) {
				l.errorf(at.doc, v, "%s: enum value %q is listed twice", path, v.Value)
				return false
			}
			t.Enum = append(t.Enum, v.Value)
		default:
			l.errorf(at.doc, v, "%s: enum and const values must be strings (eventgen generates a string enum); quote %s", path, v.Value)
			return false
		}
	}
	if len(t.Enum) == 0 {
		l.errorf(at.doc, keys["enum"], "%s: enum needs at least one string value", path)
		return false
	}
	return true
}

// stringType fills t for type: string: its format and string constraints.
func (l *loader) stringType(at located, s *openapi3.Schema, keys map[string]*yaml.Node, t *spec.Type, path string) bool {
	switch s.Format {
	case "":
		t.Kind = spec.KindString
	case "date-time":
		t.Kind = spec.KindTime
	case "byte":
		t.Kind = spec.KindBytes
	default:
		l.errorf(at.doc, l.value(at.node, "format"), "%s: string format %q is not supported: eventgen knows date-time (time.Time) and byte (base64 []byte); validate other formats with pattern", path, s.Format)
		return false
	}
	if t.Kind != spec.KindString {
		return true
	}
	c := &t.Constraints
	if keys["minLength"] != nil {
		v := int(s.MinLength)
		c.MinRunes = &v
	}
	if s.MaxLength != nil {
		v := int(*s.MaxLength)
		c.MaxRunes = &v
	}
	if keys["pattern"] != nil {
		if !l.checkPattern(at.doc, l.value(at.node, "pattern"), s.Pattern, path) {
			return false
		}
		c.Patterns = []string{s.Pattern}
	}
	if keys["not"] != nil {
		not := l.value(at.node, "not")
		ps := pairs(not)
		if len(ps) != 1 || ps[0].key.Value != "pattern" || !isString(ps[0].value) {
			l.errorf(at.doc, keys["not"], "%s: not is supported only as not: {pattern: RE} (a string that must not match)", path)
			return false
		}
		if !l.checkPattern(at.doc, ps[0].value, ps[0].value.Value, path) {
			return false
		}
		c.NotPatterns = []string{ps[0].value.Value}
	}
	return true
}

func (l *loader) checkPattern(d *document, n *yaml.Node, re, path string) bool {
	if _, err := regexp.Compile(re); err != nil {
		l.errorf(d, n, "%s: pattern %q is not a valid RE2 regular expression: %v", path, re, err)
		return false
	}
	return true
}

// intFormat reads the format of an integer: none is the spec language's int; int8..int64 and
// uint..uint64 name sized Go kinds.
func (l *loader) intFormat(at located, s *openapi3.Schema, t *spec.Type, path string) bool {
	f := s.Format
	if f == "" {
		return true
	}
	name := f
	if strings.HasPrefix(name, "u") {
		t.Unsigned = true
		name = name[1:]
	}
	bits := strings.TrimPrefix(name, "int")
	switch {
	case name == "int" && t.Unsigned:
	case bits == "8" || bits == "16" || bits == "32" || bits == "64":
		t.Bits, _ = strconv.Atoi(bits)
	default:
		l.errorf(at.doc, l.value(at.node, "format"), "%s: integer format %q is not supported; use int8, int16, int32, int64, uint, uint8, uint16, uint32 or uint64, or no format", path, f)
		return false
	}
	t.Sized = true
	return true
}

// floatFormat reads the format of a number: none is float64 as the spec language's number;
// float and double name float32 and float64.
func (l *loader) floatFormat(at located, s *openapi3.Schema, t *spec.Type, path string) bool {
	switch s.Format {
	case "":
	case "float", "float32":
		t.Bits, t.Sized = 32, true
	case "double", "float64":
		t.Bits, t.Sized = 64, true
	default:
		l.errorf(at.doc, l.value(at.node, "format"), "%s: number format %q is not supported; use float, double or no format", path, s.Format)
		return false
	}
	return true
}

// bounds reads minimum/maximum and both forms of exclusiveMinimum/exclusiveMaximum.
func (l *loader) bounds(at located, s *openapi3.Schema, keys map[string]*yaml.Node, t *spec.Type, path string) bool {
	read := func(inclusive, exclusive string, value *float64, ex openapi3.ExclusiveBound) (*spec.Bound, bool) {
		inNode, exNode := l.value(at.node, inclusive), l.value(at.node, exclusive)
		switch {
		case ex.Value != nil && value != nil:
			l.errorf(at.doc, keys[exclusive], "%s: both %s and a numeric %s; keep one", path, inclusive, exclusive)
			return nil, false
		case ex.Value != nil:
			return &spec.Bound{Value: literal(exNode, *ex.Value), Exclusive: true}, true
		case ex.Bool != nil && value == nil:
			l.errorf(at.doc, keys[exclusive], "%s: %s: %v needs %s beside it", path, exclusive, *ex.Bool, inclusive)
			return nil, false
		case value != nil:
			return &spec.Bound{Value: literal(inNode, *value), Exclusive: ex.IsTrue()}, true
		}
		return nil, true
	}
	var ok bool
	if t.Constraints.Min, ok = read("minimum", "exclusiveMinimum", s.Min, s.ExclusiveMin); !ok {
		return false
	}
	t.Constraints.Max, ok = read("maximum", "exclusiveMaximum", s.Max, s.ExclusiveMax)
	return ok
}

// literal returns a bound as its decimal literal, as written when JSON reads it as written.
func literal(n *yaml.Node, v float64) string {
	if n != nil && jsonNumber.MatchString(n.Value) {
		return n.Value
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// listType fills t for type: array.
func (l *loader) listType(at located, s *openapi3.Schema, keys map[string]*yaml.Node, t *spec.Type, path string, depth int) bool {
	if it := l.value(at.node, "items"); it != nil {
		if it.Kind == yaml.SequenceNode {
			l.errorf(at.doc, keys["items"], "%s: keyword \"items\" with a list (a tuple) is not supported by eventgen: %s", path, unsupportedHints["items"])
			return false
		}
		t.Elem = l.typeOf(located{doc: at.doc, node: it}, path+"[]", false, false, depth+1)
		if t.Elem.Kind == spec.KindInvalid {
			return false
		}
	} else {
		t.Elem = &spec.Type{Kind: spec.KindAny, Pos: t.Pos}
	}
	c := &t.Constraints
	if keys["minItems"] != nil {
		v := int(s.MinItems)
		c.MinItems = &v
	}
	if s.MaxItems != nil {
		v := int(*s.MaxItems)
		c.MaxItems = &v
	}
	c.UniqueItems = s.UniqueItems
	return true
}

// objectType fills t for type: object: a struct from properties, a map from
// additionalProperties with a schema.
func (l *loader) objectType(at located, s *openapi3.Schema, keys map[string]*yaml.Node, t *spec.Type, path string, asStruct bool, depth int) bool {
	ap := l.value(at.node, "additionalProperties")
	apSchema := ap != nil && ap.Kind == yaml.MappingNode
	if ap != nil && !apSchema && !(ap.Kind == yaml.ScalarNode && ap.Tag == "!!bool") {
		l.errorf(at.doc, ap, "%s: additionalProperties must be a schema or a boolean", path)
		return false
	}
	props := l.value(at.node, "properties")
	switch {
	case props != nil && apSchema:
		l.errorf(at.doc, keys["additionalProperties"], "%s: properties together with an additionalProperties schema is not supported; eventgen generates a struct or a map, not both", path)
		return false
	case apSchema:
		t.Kind = spec.KindMap
		t.Elem = l.typeOf(located{doc: at.doc, node: ap}, path+"[string]", false, false, depth+1)
		if keys["required"] != nil {
			l.errorf(at.doc, keys["required"], "%s: required on a map is not supported", path)
			return false
		}
		return t.Elem.Kind != spec.KindInvalid
	case props == nil && !asStruct && !(ap != nil && ap.Value == "false") && keys["required"] == nil:
		t.Kind = spec.KindMap
		t.Elem = &spec.Type{Kind: spec.KindAny, Pos: t.Pos}
		return true
	}
	t.Kind = spec.KindStruct
	if props != nil && props.Kind != yaml.MappingNode {
		l.errorf(at.doc, props, "%s: properties must be a mapping of names to schemas", path)
		return false
	}
	ok := true
	for _, p := range pairs(props) {
		name := p.key.Value
		fpath := path + "." + quote(name)
		f := &spec.Field{Name: name, Doc: l.docText(p.value), Optional: true, Pos: l.pos(at.doc, p.key)}
		if g := l.value(p.value, "x-eventgen-go-name"); g != nil {
			f.GoName, _ = l.str(at.doc, g, fpath+": x-eventgen-go-name")
		}
		f.Type = l.typeOf(located{doc: at.doc, node: p.value}, fpath, false, false, depth+1)
		if f.Type.Kind == spec.KindInvalid {
			ok = false
		}
		t.Fields = append(t.Fields, f)
	}
	return l.requiredFields(at, t.Fields, path) && ok
}

// requiredFields marks the fields that `required` names as required; every name must be a field.
func (l *loader) requiredFields(at located, fields []*spec.Field, path string) bool {
	req := l.value(at.node, "required")
	if req == nil {
		return true
	}
	list := items(req)
	if list == nil && req.Kind != yaml.SequenceNode {
		l.errorf(at.doc, req, "%s: required must be a list of property names", path)
		return false
	}
	ok := true
	for _, r := range list {
		i := slices.IndexFunc(fields, func(f *spec.Field) bool { return isString(r) && f.Name == r.Value })
		if i < 0 {
			l.errorf(at.doc, r, "%s: required lists %q, which is not a property; add the property or remove the name", path, r.Value)
			ok = false
			continue
		}
		fields[i].Optional = false
	}
	return ok
}

// applicability says which kinds a constraint keyword applies to.
var applicability = map[string][]spec.Kind{
	"minLength": {spec.KindString}, "maxLength": {spec.KindString}, "pattern": {spec.KindString}, "not": {spec.KindString},
	"minimum": {spec.KindInt, spec.KindFloat}, "maximum": {spec.KindInt, spec.KindFloat},
	"exclusiveMinimum": {spec.KindInt, spec.KindFloat}, "exclusiveMaximum": {spec.KindInt, spec.KindFloat},
	"items": {spec.KindList}, "minItems": {spec.KindList}, "maxItems": {spec.KindList}, "uniqueItems": {spec.KindList},
	"properties": {spec.KindStruct}, "required": {spec.KindStruct}, "additionalProperties": {spec.KindStruct, spec.KindMap},
	"format": {spec.KindString, spec.KindTime, spec.KindBytes, spec.KindInt, spec.KindFloat},
}

// applicable reports an error for a constraint keyword that does not fit the type's kind.
func (l *loader) applicable(at located, keys map[string]*yaml.Node, kind spec.Kind, path string) bool {
	ok := true
	for _, p := range pairs(at.node) {
		kinds, constrained := applicability[p.key.Value]
		if constrained && !slices.Contains(kinds, kind) {
			l.errorf(at.doc, p.key, "%s: keyword %q does not apply to %s; remove it or change the type", path, p.key.Value, kindWord(kind))
			ok = false
		}
	}
	return ok
}

// kindWord names a kind for messages, with its article.
func kindWord(k spec.Kind) string {
	switch k {
	case spec.KindString:
		return "a string"
	case spec.KindInt:
		return "an integer"
	case spec.KindFloat:
		return "a number"
	case spec.KindBool:
		return "a boolean"
	case spec.KindTime:
		return "a date-time string"
	case spec.KindBytes:
		return "a byte string"
	case spec.KindAny:
		return "a value of any type"
	case spec.KindEnum:
		return "an enum"
	case spec.KindList:
		return "a list"
	case spec.KindMap:
		return "a map"
	case spec.KindStruct:
		return "an object with properties"
	case spec.KindRef:
		return "a reference"
	}
	return "an invalid type"
}
