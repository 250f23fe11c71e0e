package golang

import (
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
)

// goType is the Go type of a value of t (without the pointer an optional or nullable field
// adds); name is the Go name an inline struct or enum of t gets.
func (g *generator) goType(t *spec.Type, name string) *jen.Statement {
	switch t.Kind {
	case spec.KindString:
		return jen.String()
	case spec.KindInt:
		return jen.Id(intTypeName(t))
	case spec.KindFloat:
		if t.Bits == 32 {
			return jen.Float32()
		}
		return jen.Float64()
	case spec.KindBool:
		return jen.Bool()
	case spec.KindBytes:
		return jen.Index().Byte()
	case spec.KindTime:
		return jen.Qual("time", "Time")
	case spec.KindEnum, spec.KindStruct:
		return jen.Id(name)
	case spec.KindList:
		return jen.Index().Add(g.valueType(t.Elem, name))
	case spec.KindMap:
		return jen.Map(jen.String()).Add(g.valueType(t.Elem, name))
	case spec.KindRef:
		return jen.Id(g.defNames[t.Ref])
	}
	return jen.Qual(jsonPkg, "RawMessage")
}

// valueType is the Go type of a list element or map value: a pointer for a nullable one that
// nil cannot already stand for.
func (g *generator) valueType(t *spec.Type, name string) *jen.Statement {
	if t.Nullable && !g.nilable(t) {
		return jen.Op("*").Add(g.goType(t, name))
	}
	return g.goType(t, name)
}

// intTypeName is the Go integer type of an int kind: int64 for plain int, else the named kind.
func intTypeName(t *spec.Type) string {
	prefix := "int"
	if t.Unsigned {
		prefix = "uint"
	}
	switch {
	case t.Bits != 0:
		return prefix + strconv.Itoa(t.Bits)
	case t.Unsigned && t.Sized:
		return "uint"
	}
	return prefix + "64"
}

// nilable reports whether nil already stands for "absent" in t's Go type (slices, maps, bytes,
// raw JSON), so that an optional or nullable value of it needs no pointer.
func (g *generator) nilable(t *spec.Type) bool {
	r := g.m.Resolve(t)
	if r == nil {
		return false
	}
	switch r.Kind {
	case spec.KindList, spec.KindMap, spec.KindBytes, spec.KindAny:
		return true
	}
	return false
}

// fieldPtr reports whether the field's Go type is a pointer: optional or nullable, and not nilable.
func (g *generator) fieldPtr(f *spec.Field) bool {
	return (f.Optional || f.Type.Nullable) && !g.nilable(f.Type)
}

// fieldType is the Go type of a struct field, pointer included.
func (g *generator) fieldType(f *spec.Field, owner string) *jen.Statement {
	t := g.goType(f.Type, owner+g.fieldName(f))
	if g.fieldPtr(f) {
		return jen.Op("*").Add(t)
	}
	return t
}

// jsonTag is a field's JSON tag: the spec name exactly, "omitempty" for an optional pointer and
// "omitzero" for an optional slice or map (so that an empty list survives a round trip).
func (g *generator) jsonTag(f *spec.Field) string {
	switch {
	case !f.Optional:
		return f.Name
	case g.fieldPtr(f):
		return f.Name + ",omitempty"
	}
	return f.Name + ",omitzero"
}

// docLines returns a doc comment: the first sentence, then the spec's doc as a paragraph when given.
func docLines(first, specDoc string) string {
	specDoc = strings.TrimSpace(specDoc)
	if specDoc == "" {
		return first
	}
	return first + "\n\n" + specDoc
}

// structDecl declares struct name with fields and, after it, every inline type its fields need.
// It returns the declarations in order.
func (g *generator) structDecl(fc *fileCtx, name, doc string, fields []*spec.Field, root bool) []jen.Code {
	var members []jen.Code
	for _, f := range fields {
		tags := map[string]string{"json": g.jsonTag(f)}
		if t := g.presenceTag(f); t != "" {
			tags["eventgen"] = t
		}
		field := jen.Id(g.fieldName(f)).Add(g.fieldType(f, name)).Tag(tags)
		if d := strings.TrimSpace(f.Doc); d != "" {
			members = append(members, comment(d))
		}
		members = append(members, field)
	}
	out := []jen.Code{comment(doc), jen.Type().Id(name).Struct(members...), jen.Line()}
	if !root {
		if m := g.validateMethod(fc, name, fields); m != nil {
			out = append(out, m, jen.Line())
		}
	}
	if u := g.defaultsMethod(name, fields); u != nil {
		out = append(out, u, jen.Line())
	}
	for _, f := range fields {
		out = append(out, g.inlineDecls(fc, f.Type, name+g.fieldName(f), name, f)...)
	}
	return out
}

// inlineDecls declares the inline struct or enum types that t (the type of field f of owner)
// needs, named name.
func (g *generator) inlineDecls(fc *fileCtx, t *spec.Type, name, owner string, f *spec.Field) []jen.Code {
	switch t.Kind {
	case spec.KindStruct:
		doc := name + " is the type of field " + f.Name + " of " + owner + "."
		return g.structDecl(fc, name, docLines(doc, f.Doc), t.Fields, false)
	case spec.KindEnum:
		doc := name + " is the enum of field " + f.Name + " of " + owner + ": one of " + quoteList(t.Enum) + "."
		return g.enumDecl(name, docLines(doc, f.Doc), t.Enum)
	case spec.KindList, spec.KindMap:
		return g.inlineDecls(fc, t.Elem, name, owner, f)
	}
	return nil
}

// enumDecl declares a named string type with one constant per value and its membership test.
func (g *generator) enumDecl(name, doc string, values []string) []jen.Code {
	// The block's comment documents the constants: each one's name already says its value,
	// and a comment per value would double the block that every enum of every version has.
	var consts []jen.Code
	for _, v := range values {
		consts = append(consts, jen.Id(name+naming.Go(v)).Id(name).Op("=").Lit(v))
	}
	var cases []jen.Code
	for _, v := range values {
		cases = append(cases, jen.Id(name+naming.Go(v)))
	}
	valid := jen.Func().Params(jen.Id("v").Id(name)).Id("valid").Params().Bool().Block(
		jen.Switch(jen.Id("v")).Block(jen.Case(cases...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
	if len(values) <= 4 {
		// A few values read (and format) shorter as one comparison each.
		var oneOf *jen.Statement
		for _, c := range cases {
			if oneOf == nil {
				oneOf = jen.Id("v").Op("==").Add(c)
			} else {
				oneOf = oneOf.Op("||").Id("v").Op("==").Add(c)
			}
		}
		valid = jen.Func().Params(jen.Id("v").Id(name)).Id("valid").Params().Bool().Block(jen.Return(oneOf))
	}
	if len(values) == 0 {
		valid = jen.Func().Params(jen.Id(name)).Id("valid").Params().Bool().Block(jen.Return(jen.False()))
	}
	return []jen.Code{
		comment(doc),
		jen.Type().Id(name).String(),
		jen.Line(),
		comment("The values of " + name + ", one constant each: the type's name and the value in PascalCase."),
		jen.Const().Defs(consts...),
		jen.Line(),
		comment("valid reports whether v is one of the values of " + name + "."),
		valid,
		jen.Line(),
	}
}

// quoteList quotes values and joins them with ", ": the form messages list enum values in.
func quoteList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	return strings.Join(quoted, ", ")
}

// typesFile declares every definition.
func (g *generator) typesFile() *jen.File {
	f := g.newFile()
	fc := &fileCtx{}
	var body []jen.Code
	for _, d := range g.m.Definitions {
		body = append(body, g.definitionDecl(fc, d)...)
	}
	fc.emit(f, body)
	return f
}

// definitionDecl declares definition d as Go type: a struct, an enum, or a named type of the
// definition's type, with a validate method.
func (g *generator) definitionDecl(fc *fileCtx, d *spec.Definition) []jen.Code {
	name := g.defNames[d.Name]
	doc := docLines(name+" is the spec's definition #"+d.Name+".", d.Doc)
	switch d.Type.Kind {
	case spec.KindStruct:
		return g.structDecl(fc, name, doc, d.Type.Fields, false)
	case spec.KindEnum:
		doc := docLines(name+" is the spec's definition #"+d.Name+": one of "+quoteList(d.Type.Enum)+".", d.Doc)
		decls := g.enumDecl(name, doc, d.Type.Enum)
		return append(decls, g.scalarValidateMethod(fc, name, d.Type)...)
	case spec.KindRef:
		return []jen.Code{comment(doc), jen.Type().Id(name).Op("=").Id(g.defNames[d.Type.Ref]), jen.Line()}
	}
	out := []jen.Code{comment(doc), jen.Type().Id(name).Add(g.goType(d.Type, name)), jen.Line()}
	out = append(out, g.scalarValidateMethod(fc, name, d.Type)...)
	pseudo := &spec.Field{Name: "#" + d.Name, Type: d.Type}
	return append(out, g.inlineDecls(fc, d.Type, name, name, pseudo)...)
}
