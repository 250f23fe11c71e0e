package asyncapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/eventgen/eventgen/spec"
)

// doc3 returns an AsyncAPI 3.0 document with one message test.happened whose payload has the
// properties given (YAML lines at the indentation of properties' entries, 10 spaces), all
// listed in required.
func doc3(required string, props ...string) string {
	return `asyncapi: 3.0.0
info: {title: t, version: "1"}
components:
  messages:
    happened:
      name: test.happened
      payload:
        type: object
        required: [` + required + `]
        properties:
` + indent(strings.Join(props, "\n"), 10) + "\n"
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// loadString writes doc as file name in a fresh directory, makes it the current directory and
// loads it, so that positions name the file as it is.
func loadString(t *testing.T, name, doc string) (*spec.Model, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return Load(name)
}

func ptr[T any](v T) *T { return &v }

var typeOptions = cmp.Options{cmpopts.IgnoreTypes(spec.Pos{}), cmpopts.EquateEmpty()}

// TestKeywordMapping maps every keyword of the type table, one property f at a time.
func TestKeywordMapping(t *testing.T) {
	str := &spec.Type{Kind: spec.KindString}
	cases := []struct {
		name   string
		schema string
		want   *spec.Type
	}{
		{"string", `{type: string}`, str},
		{"pattern", `{type: string, pattern: "^a+$"}`, &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^a+$"}}}},
		{"not pattern", `{type: string, not: {pattern: "^x"}}`, &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{NotPatterns: []string{"^x"}}}},
		{"min and max length in runes", `{type: string, minLength: 1, maxLength: 200}`, &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: ptr(1), MaxRunes: ptr(200)}}},
		{"minLength 0 is a bound", `{type: string, minLength: 0}`, &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: ptr(0)}}},
		{"enum", `{type: string, enum: [a, b]}`, &spec.Type{Kind: spec.KindEnum, Enum: []string{"a", "b"}}},
		{"enum without type", `{enum: [a, b]}`, &spec.Type{Kind: spec.KindEnum, Enum: []string{"a", "b"}}},
		{"enum default", `{type: string, enum: [a, b], default: b}`, &spec.Type{Kind: spec.KindEnum, Enum: []string{"a", "b"}, Default: json.RawMessage(`"b"`)}},
		{"const is a one-value enum", `{const: fixed}`, &spec.Type{Kind: spec.KindEnum, Enum: []string{"fixed"}}},
		{"enum with null is nullable", `{enum: [a, null]}`, &spec.Type{Kind: spec.KindEnum, Enum: []string{"a"}, Nullable: true}},
		{"integer is int", `{type: integer}`, &spec.Type{Kind: spec.KindInt}},
		{"integer default", `{type: integer, default: 5}`, &spec.Type{Kind: spec.KindInt, Default: json.RawMessage(`5`)}},
		{"int32", `{type: integer, format: int32}`, &spec.Type{Kind: spec.KindInt, Bits: 32, Sized: true}},
		{"int64", `{type: integer, format: int64}`, &spec.Type{Kind: spec.KindInt, Bits: 64, Sized: true}},
		{"uint8", `{type: integer, format: uint8}`, &spec.Type{Kind: spec.KindInt, Bits: 8, Unsigned: true, Sized: true}},
		{"uint", `{type: integer, format: uint}`, &spec.Type{Kind: spec.KindInt, Unsigned: true, Sized: true}},
		{"number is float64", `{type: number}`, &spec.Type{Kind: spec.KindFloat}},
		{"float", `{type: number, format: float}`, &spec.Type{Kind: spec.KindFloat, Bits: 32, Sized: true}},
		{"double", `{type: number, format: double}`, &spec.Type{Kind: spec.KindFloat, Bits: 64, Sized: true}},
		{"inclusive bounds", `{type: integer, minimum: 0, maximum: 10}`, &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}, Max: &spec.Bound{Value: "10"}}}},
		{"draft-04 exclusive bounds", `{type: number, minimum: 0.5, exclusiveMinimum: true, maximum: 2, exclusiveMaximum: true}`, &spec.Type{Kind: spec.KindFloat, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0.5", Exclusive: true}, Max: &spec.Bound{Value: "2", Exclusive: true}}}},
		{"draft-04 exclusive false", `{type: integer, minimum: 1, exclusiveMinimum: false}`, &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "1"}}}},
		{"draft-07 exclusive bounds", `{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 100}`, &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0", Exclusive: true}, Max: &spec.Bound{Value: "100", Exclusive: true}}}},
		{"large integer bound keeps its digits", `{type: integer, maximum: 9007199254740993}`, &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Max: &spec.Bound{Value: "9007199254740993"}}}},
		{"boolean", `{type: boolean}`, &spec.Type{Kind: spec.KindBool}},
		{"date-time", `{type: string, format: date-time}`, &spec.Type{Kind: spec.KindTime}},
		{"byte", `{type: string, format: byte}`, &spec.Type{Kind: spec.KindBytes}},
		{"array", `{type: array, items: {type: string}, minItems: 1, maxItems: 5, uniqueItems: true}`, &spec.Type{Kind: spec.KindList, Elem: str, Constraints: spec.Constraints{MinItems: ptr(1), MaxItems: ptr(5), UniqueItems: true}}},
		{"array without items", `{type: array}`, &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindAny}}},
		{"map", `{type: object, additionalProperties: {type: integer}}`, &spec.Type{Kind: spec.KindMap, Elem: &spec.Type{Kind: spec.KindInt}}},
		{"open object is a map of any", `{type: object}`, &spec.Type{Kind: spec.KindMap, Elem: &spec.Type{Kind: spec.KindAny}}},
		{"closed empty object is an empty struct", `{type: object, additionalProperties: false}`, &spec.Type{Kind: spec.KindStruct}},
		{"nested struct in property order", `{type: object, required: [b], properties: {b: {type: string}, a: {type: boolean}}}`, &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			{Name: "b", Type: str}, {Name: "a", Type: &spec.Type{Kind: spec.KindBool}, Optional: true}}}},
		{"properties without type", `{properties: {a: {type: string}}}`, &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{{Name: "a", Type: str, Optional: true}}}},
		{"empty schema is any", `{}`, &spec.Type{Kind: spec.KindAny}},
		{"true schema is any", `true`, &spec.Type{Kind: spec.KindAny}},
		{"description only is any", `{description: anything}`, &spec.Type{Kind: spec.KindAny}},
		{"type list with null", `{type: [string, "null"]}`, &spec.Type{Kind: spec.KindString, Nullable: true}},
		{"nullable true", `{type: integer, nullable: true}`, &spec.Type{Kind: spec.KindInt, Nullable: true}},
		{"oneOf with null", `{oneOf: [{type: string, minLength: 2}, {type: "null"}]}`, &spec.Type{Kind: spec.KindString, Nullable: true, Constraints: spec.Constraints{MinRunes: ptr(2)}}},
		{"anyOf null first", `{anyOf: [{type: "null"}, {type: boolean}]}`, &spec.Type{Kind: spec.KindBool, Nullable: true}},
		{"allOf merges objects", `{allOf: [{type: object, required: [a], properties: {a: {type: string}}}, {properties: {b: {type: integer}}}], required: [b]}`, &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			{Name: "a", Type: str}, {Name: "b", Type: &spec.Type{Kind: spec.KindInt}}}}},
		{"allOf with own properties", `{allOf: [{properties: {a: {type: string}}}], properties: {b: {type: boolean}}}`, &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			{Name: "a", Type: str, Optional: true}, {Name: "b", Type: &spec.Type{Kind: spec.KindBool}, Optional: true}}}},
		{"ref to components.schemas", `{$ref: '#/components/schemas/Money'}`, &spec.Type{Kind: spec.KindRef, Ref: "Money"}},
		{"nullable ref", `{oneOf: [{$ref: '#/components/schemas/Money'}, {type: "null"}]}`, &spec.Type{Kind: spec.KindRef, Ref: "Money", Nullable: true}},
		{"ref into draft-07 definitions", `{$ref: '#/components/schemas/Holder/definitions/Code'}`, &spec.Type{Kind: spec.KindRef, Ref: "Code"}},
		{"ref to a property is read in place", `{$ref: '#/components/schemas/Money/properties/currency'}`, &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^[A-Z]{3}$"}}}},
	}
	const schemas = `  schemas:
    Money:
      type: object
      properties:
        currency: {type: string, pattern: "^[A-Z]{3}$"}
    Holder:
      type: object
      definitions:
        Code: {type: string, minLength: 2}
`
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := loadString(t, "doc.yaml", doc3("f", "f: "+c.schema)+schemas)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			f := m.Event("test.happened").Latest().Field("f")
			if diff := cmp.Diff(c.want, f.Type, typeOptions); diff != "" {
				t.Errorf("type of %s (-want +got):\n%s", c.schema, diff)
			}
			if c.want.Kind == spec.KindRef && m.Definition(c.want.Ref) == nil {
				t.Errorf("definition %s is missing; have %v", c.want.Ref, m.Definitions)
			}
		})
	}
}

// TestFieldsAndDefinitions checks docs, Go names, optionality, order and which schemas become
// definitions.
func TestFieldsAndDefinitions(t *testing.T) {
	doc := doc3("id", `id:
  description: |
    The stream id.
    Second line.
  type: string
  x-eventgen-go-name: ID`, `amount: {$ref: '#/components/schemas/Amount', description: The price.}`, `tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}`) + `  schemas:
    Amount:
      description: A sum of money.
      x-eventgen-go-name: Money
      type: object
      required: [units]
      properties:
        units: {type: integer, format: int64}
        currency: {$ref: '#/components/schemas/Currency'}
    Tag: {type: string, enum: [a, b]}
    Currency: {type: string, pattern: "^[A-Z]{3}$"}
    Unused: {type: string}
`
	m, err := loadString(t, "doc.yaml", doc)
	if err != nil {
		t.Fatal(err)
	}
	v := m.Event("test.happened").Latest()
	want := []*spec.Field{
		{Name: "id", GoName: "ID", Doc: "The stream id.\nSecond line.", Type: &spec.Type{Kind: spec.KindString}},
		{Name: "amount", Doc: "The price.", Optional: true, Type: &spec.Type{Kind: spec.KindRef, Ref: "Amount"}},
		{Name: "tags", Optional: true, Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Tag"}}},
	}
	if diff := cmp.Diff(want, v.Fields, typeOptions); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	var names []string
	for _, d := range m.Definitions {
		names = append(names, d.Name)
	}
	if diff := cmp.Diff([]string{"Amount", "Currency", "Tag"}, names); diff != "" {
		t.Errorf("definitions are the referenced schemas, sorted (-want +got):\n%s", diff)
	}
	amount := m.Definition("Amount")
	if amount.Doc != "A sum of money." || amount.GoName != "Money" || amount.Pos != (spec.Pos{File: "doc.yaml", Line: 20, Col: 5}) {
		t.Errorf("definition Amount = doc %q, Go name %q, at %v", amount.Doc, amount.GoName, amount.Pos)
	}
	if f := amount.Type.Field("currency"); f == nil || f.Type.Kind != spec.KindRef || f.Type.Ref != "Currency" {
		t.Errorf("Amount.currency = %+v, want a reference to Currency", f)
	}
}
