package golang

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
)

// decodeJSON decodes a JSON constant of the spec, keeping numbers exact.
func decodeJSON(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// literal is a Go expression of the value v (decoded by decodeJSON) for a value of type t; name
// is the Go name of t's inline types. The expression has t's Go type when typed is set
// (needed where the type is inferred, as for eventgenPtr's argument); otherwise constants are
// left untyped. A null is only a value of a nullable or nilable type; the caller decides
// whether a pointer is wanted (see fieldLiteral).
func (g *generator) literal(t *spec.Type, name string, v any, typed bool) (*jen.Statement, error) {
	if v == nil {
		if t.Nullable || g.nilable(t) {
			return jen.Nil(), nil
		}
		return nil, fmt.Errorf("null is not a value of this %s field", t.Kind)
	}
	typedIf := func(c *jen.Statement) *jen.Statement {
		if typed {
			return g.goType(t, name).Call(c)
		}
		return c
	}
	switch t.Kind {
	case spec.KindString:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s is not a string", compact(v))
		}
		return typedIf(jen.Lit(s)), nil
	case spec.KindEnum:
		s, ok := v.(string)
		if !ok || !slices.Contains(t.Enum, s) {
			return nil, fmt.Errorf("%s is not one of %s", compact(v), quoteList(t.Enum))
		}
		return jen.Id(name + naming.Go(s)), nil
	case spec.KindInt:
		num, ok := v.(json.Number)
		n, isInt := new(big.Int).SetString(string(num), 10)
		if !ok || !isInt {
			return nil, fmt.Errorf("%s is not an integer", compact(v))
		}
		if lo, hi := intRange(t); n.Cmp(lo) < 0 || n.Cmp(hi) > 0 {
			return nil, fmt.Errorf("%s does not fit in %s", n, intTypeName(t))
		}
		return typedIf(jen.Op(n.String())), nil
	case spec.KindFloat:
		num, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", compact(v))
		}
		if _, err := strconv.ParseFloat(string(num), 64); err != nil {
			return nil, fmt.Errorf("%s is not a float: %w", num, err)
		}
		return typedIf(jen.Op(string(num))), nil
	case spec.KindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%s is not a boolean", compact(v))
		}
		return typedIf(jen.Lit(b)), nil
	case spec.KindBytes:
		s, ok := v.(string)
		b, err := base64.StdEncoding.DecodeString(s)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s is not base64-encoded bytes", compact(v))
		}
		return jen.Index().Byte().Call(jen.Lit(string(b))), nil
	case spec.KindTime:
		s, ok := v.(string)
		tm, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s is not an RFC 3339 time", compact(v))
		}
		return timeLiteral(tm), nil
	case spec.KindAny:
		return jen.Qual(jsonPkg, "RawMessage").Call(stringLit(compact(v))), nil
	case spec.KindList:
		items, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s is not a list", compact(v))
		}
		var elems []jen.Code
		for i, item := range items {
			e, err := g.elemLiteral(t.Elem, name, item)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			elems = append(elems, e)
		}
		return g.goType(t, name).Values(elems...), nil
	case spec.KindMap:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s is not an object", compact(v))
		}
		var elems []jen.Code
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			e, err := g.elemLiteral(t.Elem, name, obj[k])
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
			elems = append(elems, jen.Lit(k).Op(":").Add(e))
		}
		return g.goType(t, name).Values(elems...), nil
	case spec.KindStruct:
		return g.structLiteral(jen.Id(name), t.Fields, name, v)
	case spec.KindRef:
		d := g.m.Definition(t.Ref)
		if d == nil || d.Type == nil {
			return nil, fmt.Errorf("#%s is not defined", t.Ref)
		}
		def := g.defNames[t.Ref]
		switch d.Type.Kind {
		case spec.KindStruct:
			return g.structLiteral(jen.Id(def), d.Type.Fields, def, v)
		case spec.KindEnum, spec.KindRef:
			return g.literal(d.Type, def, v, typed)
		case spec.KindList, spec.KindMap:
			inner, err := g.literal(d.Type, def, v, false)
			if err != nil {
				return nil, err
			}
			return jen.Id(def).Call(inner), nil
		}
		inner, err := g.literal(d.Type, def, v, false)
		if err != nil {
			return nil, err
		}
		return jen.Id(def).Call(inner), nil
	}
	return nil, fmt.Errorf("no literal for a %s value", t.Kind)
}

// elemLiteral is the literal of a list element or map value (a pointer for a nullable scalar).
func (g *generator) elemLiteral(t *spec.Type, name string, v any) (*jen.Statement, error) {
	if t.Nullable && !g.nilable(t) && v != nil {
		inner, err := g.literal(t, name, v, true)
		if err != nil {
			return nil, err
		}
		g.helpers["eventgenPtr"] = true
		return jen.Id("eventgenPtr").Call(inner), nil
	}
	return g.literal(t, name, v, false)
}

// fieldLiteral is the literal of struct field f's value v, a pointer where the field is one.
func (g *generator) fieldLiteral(f *spec.Field, owner string, v any) (*jen.Statement, error) {
	name := owner + g.fieldName(f)
	if g.fieldPtr(f) {
		if v == nil {
			return jen.Nil(), nil
		}
		inner, err := g.literal(f.Type, name, v, true)
		if err != nil {
			return nil, err
		}
		g.helpers["eventgenPtr"] = true
		return jen.Id("eventgenPtr").Call(inner), nil
	}
	return g.literal(f.Type, name, v, false)
}

// structLiteral is a composite literal of a struct type with fields, in the spec's order.
func (g *generator) structLiteral(typ *jen.Statement, fields []*spec.Field, owner string, v any) (*jen.Statement, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is not an object", compact(v))
	}
	for k := range obj {
		if !slices.ContainsFunc(fields, func(f *spec.Field) bool { return f.Name == k }) {
			return nil, fmt.Errorf("the struct has no field %q", k)
		}
	}
	var elems []jen.Code
	for _, f := range fields {
		fv, present := obj[f.Name]
		if !present {
			continue
		}
		e, err := g.fieldLiteral(f, owner, fv)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		elems = append(elems, jen.Id(g.fieldName(f)).Op(":").Add(e))
	}
	return multiline(typ, elems), nil
}

// timeLiteral is a time.Date call for tm, in UTC or a fixed zone of tm's offset.
func timeLiteral(tm time.Time) *jen.Statement {
	_, offset := tm.Zone()
	loc := jen.Qual("time", "UTC")
	if offset != 0 {
		loc = jen.Qual("time", "FixedZone").Call(jen.Lit(""), jen.Lit(offset))
	}
	return jen.Qual("time", "Date").Call(jen.Lit(tm.Year()), jen.Qual("time", tm.Month().String()), jen.Lit(tm.Day()),
		jen.Lit(tm.Hour()), jen.Lit(tm.Minute()), jen.Lit(tm.Second()), jen.Lit(tm.Nanosecond()), loc)
}

// compact renders a decoded JSON value back as compact JSON, for messages and raw literals.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// effectiveDefault is the default of a value of t: its own, or that of the definition it
// refers to.
func (g *generator) effectiveDefault(t *spec.Type) json.RawMessage {
	if t.Default != nil {
		return t.Default
	}
	if r := g.m.Resolve(t); r != nil {
		return r.Default
	}
	return nil
}

// defaultsMethod is an UnmarshalJSON method that fills the spec's defaults of the fields that
// the JSON lacks, or nil when no field of the struct has a default.
func (g *generator) defaultsMethod(name string, fields []*spec.Field) jen.Code {
	var defaults []jen.Code
	for _, f := range fields {
		def := g.effectiveDefault(f.Type)
		if def == nil {
			continue
		}
		v, err := decodeJSON(def)
		var lit *jen.Statement
		if err == nil {
			lit, err = g.fieldLiteral(f, name, v)
		}
		if err != nil {
			g.diags = append(g.diags, spec.Errorf(f.Pos, "the default %s of field %s of %s cannot be used: %v", def, f.Name, name, err))
			continue
		}
		defaults = append(defaults, jen.Id(g.fieldName(f)).Op(":").Add(lit))
	}
	if len(defaults) == 0 {
		return nil
	}
	return comment("UnmarshalJSON decodes data into p and gives every field that data lacks the spec's default.").Line().
		Func().Params(jen.Id("p").Op("*").Id(name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		comment("plain has p's fields but not this method, so that json.Unmarshal does not recurse."),
		jen.Type().Id("plain").Id(name),
		jen.Id("v").Op(":=").Add(multiline(jen.Id("plain"), defaults)),
		jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Err())),
		jen.Op("*").Id("p").Op("=").Id(name).Call(jen.Id("v")),
		jen.Return(jen.Nil()),
	)
}
