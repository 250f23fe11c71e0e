package golang

import (
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
)

// upcastName is the name of the step function from version n of the event with Go name e.
func upcastName(e string, n int) string { return "upcast" + versionName(e, n) }

// liftName is the name of the function that lifts version n to the latest through every step.
func liftName(e string, n int) string { return "lift" + versionName(e, n) }

// CustomUpcastSignatures returns, for every upcast step of m marked custom: true, the exact
// Go signature of the function the user must write in a non-generated file of the output
// package, such as "func upcastWorkflowStartedV1(in WorkflowStartedV1) (WorkflowStartedV2, error)".
// The list follows the model's order of events and steps.
func CustomUpcastSignatures(m *spec.Model) []string {
	var out []string
	for _, e := range m.Events {
		name := naming.Go(e.Type)
		for _, u := range e.Upcasts {
			if u.Custom {
				out = append(out, stepSignature(name, u.From))
			}
		}
	}
	return out
}

// stepSignature is the signature of the step from version n.
func stepSignature(e string, n int) string {
	return fmt.Sprintf("func %s(in %s) (%s, error)", upcastName(e, n), versionName(e, n), versionName(e, n+1))
}

// shape is the Go shape of a value for conversions: its spec type, whether the Go value is a
// pointer, and the Go name of its inline types.
type shape struct {
	t    *spec.Type
	ptr  bool
	name string
}

// typeExpr is the Go type of the shape.
func (g *generator) typeExpr(s shape) *jen.Statement {
	if s.ptr {
		return jen.Op("*").Add(g.goType(s.t, s.name))
	}
	return g.goType(s.t, s.name)
}

// typeKey spells the Go type of s, which identifies it: two shapes with one key need no
// conversion. It mirrors goType without rendering code.
func (g *generator) typeKey(s shape) string {
	key := g.goTypeKey(s.t, s.name)
	if s.ptr {
		return "*" + key
	}
	return key
}

// goTypeKey is the Go type of t as text, as goType would render it.
func (g *generator) goTypeKey(t *spec.Type, name string) string {
	switch t.Kind {
	case spec.KindString:
		return "string"
	case spec.KindInt:
		return intTypeName(t)
	case spec.KindFloat:
		if t.Bits == 32 {
			return "float32"
		}
		return "float64"
	case spec.KindBool:
		return "bool"
	case spec.KindBytes:
		return "[]byte"
	case spec.KindTime:
		return "time.Time"
	case spec.KindEnum, spec.KindStruct:
		return name
	case spec.KindList, spec.KindMap:
		elem := g.goTypeKey(t.Elem, name)
		if t.Elem.Nullable && !g.nilable(t.Elem) {
			elem = "*" + elem
		}
		if t.Kind == spec.KindList {
			return "[]" + elem
		}
		return "map[string]" + elem
	case spec.KindRef:
		return g.defNames[t.Ref]
	}
	return "json.RawMessage"
}

// fieldShape is the shape of field f of the struct named owner.
func (g *generator) fieldShape(f *spec.Field, owner string) shape {
	return shape{t: f.Type, ptr: g.fieldPtr(f), name: owner + g.fieldName(f)}
}

// elemShape is the shape of the elements of a list or map shape.
func (g *generator) elemShape(s shape) shape {
	return shape{t: s.t.Elem, ptr: s.t.Elem.Nullable && !g.nilable(s.t.Elem), name: s.name}
}

// convert is an expression that turns src, of shape from, into a value of shape to, with
// helper functions declared into decls. It fails when the types are not assignable in the sense
// of the spec (same type, numeric widening, required to optional, enum to enum or string,
// structs field by field, lists and maps element-wise).
func (g *generator) convert(decls *[]jen.Code, src *jen.Statement, from, to shape) (*jen.Statement, error) {
	if g.typeKey(from) == g.typeKey(to) {
		return src, nil
	}
	switch {
	case from.ptr && !to.ptr:
		return nil, fmt.Errorf("an optional or nullable value cannot become a required one")
	case !from.ptr && to.ptr:
		inner, err := g.convert(decls, src, shape{t: from.t, name: from.name}, shape{t: to.t, name: to.name})
		if err != nil {
			return nil, err
		}
		g.helpers["eventgenPtr"] = true
		return jen.Id("eventgenPtr").Call(inner), nil
	case from.ptr && to.ptr:
		fn, err := g.convertFunc(decls, shape{t: from.t, name: from.name}, shape{t: to.t, name: to.name})
		if err != nil {
			return nil, err
		}
		g.helpers["eventgenConvertPtr"] = true
		return jen.Id("eventgenConvertPtr").Call(src, fn), nil
	}
	ft, tt := g.m.Resolve(from.t), g.m.Resolve(to.t)
	if ft == nil || tt == nil {
		return nil, fmt.Errorf("a referenced definition is missing")
	}
	switch {
	case numeric(ft.Kind) && numeric(tt.Kind),
		stringish(ft.Kind) && stringish(tt.Kind):
		return g.typeExpr(to).Call(src), nil
	case ft.Kind == spec.KindStruct && tt.Kind == spec.KindStruct:
		fn, err := g.structConverter(decls, from, ft, to, tt)
		if err != nil {
			return nil, err
		}
		return jen.Id(fn).Call(src), nil
	case ft.Kind == spec.KindList && tt.Kind == spec.KindList, ft.Kind == spec.KindMap && tt.Kind == spec.KindMap:
		fe := g.elemShape(shape{t: ft, name: from.name})
		te := g.elemShape(shape{t: tt, name: to.name})
		if from.t.Kind == spec.KindRef {
			fe.name = g.defNames[from.t.Ref]
		}
		if to.t.Kind == spec.KindRef {
			te.name = g.defNames[to.t.Ref]
		}
		var out *jen.Statement
		if g.typeKey(fe) == g.typeKey(te) {
			// Same elements, different named container: a plain conversion.
			return g.typeExpr(to).Call(src), nil
		}
		fn, err := g.convertFunc(decls, fe, te)
		if err != nil {
			return nil, err
		}
		helper := "eventgenConvertSlice"
		if ft.Kind == spec.KindMap {
			helper = "eventgenConvertMap"
		}
		g.helpers[helper] = true
		out = jen.Id(helper).Call(src, fn)
		if to.t.Kind == spec.KindRef {
			out = g.typeExpr(to).Call(out)
		}
		return out, nil
	case ft.Kind == tt.Kind && (ft.Kind == spec.KindTime || ft.Kind == spec.KindBool || ft.Kind == spec.KindBytes || ft.Kind == spec.KindAny):
		return g.typeExpr(to).Call(src), nil
	}
	return nil, fmt.Errorf("a %s cannot become a %s", describe(ft), describe(tt))
}

// convertFunc is a function value that converts one value of shape from into shape to.
func (g *generator) convertFunc(decls *[]jen.Code, from, to shape) (*jen.Statement, error) {
	if ft, tt := g.m.Resolve(from.t), g.m.Resolve(to.t); !from.ptr && !to.ptr && ft != nil && tt != nil &&
		ft.Kind == spec.KindStruct && tt.Kind == spec.KindStruct && g.typeKey(from) != g.typeKey(to) {
		// The struct converter itself, not a literal that only calls it.
		fn, err := g.structConverter(decls, from, ft, to, tt)
		if err != nil {
			return nil, err
		}
		return jen.Id(fn), nil
	}
	body, err := g.convert(decls, jen.Id("v"), from, to)
	if err != nil {
		return nil, err
	}
	return jen.Func().Params(jen.Id("v").Add(g.typeExpr(from))).Add(g.typeExpr(to)).Block(jen.Return(body)), nil
}

// structConverter declares (once) a function that carries a struct of shape from into shape to
// field by field, matching fields by JSON name, and returns its name.
func (g *generator) structConverter(decls *[]jen.Code, from shape, ft *spec.Type, to shape, tt *spec.Type) (string, error) {
	fromName, toName := g.structName(from), g.structName(to)
	name := "convert" + fromName + "To" + toName
	if g.converters[name] {
		return name, nil
	}
	g.converters[name] = true
	var elems []jen.Code
	for _, tf := range tt.Fields {
		ff := ft.Field(tf.Name)
		if ff == nil {
			if tf.Optional {
				continue
			}
			return "", fmt.Errorf("field %s of %s has no counterpart in %s", tf.Name, toName, fromName)
		}
		e, err := g.convert(decls, jen.Id("in").Dot(g.fieldName(ff)), g.fieldShape(ff, fromName), g.fieldShape(tf, toName))
		if err != nil {
			return "", fmt.Errorf("field %s: %w", tf.Name, err)
		}
		elems = append(elems, jen.Id(g.fieldName(tf)).Op(":").Add(e))
	}
	*decls = append(*decls,
		commentf("%s carries a %s into a %s field by field.", name, fromName, toName),
		jen.Func().Id(name).Params(jen.Id("in").Id(fromName)).Id(toName).Block(jen.Return(multiline(jen.Id(toName), elems))),
		jen.Line())
	return name, nil
}

// structName is the Go name of a struct shape: its definition's or its inline name.
func (g *generator) structName(s shape) string {
	if s.t.Kind == spec.KindRef {
		return g.defNames[s.t.Ref]
	}
	return s.name
}

func numeric(k spec.Kind) bool   { return k == spec.KindInt || k == spec.KindFloat }
func stringish(k spec.Kind) bool { return k == spec.KindString || k == spec.KindEnum }

// describe names a type for messages: "int64", "enum", "list".
func describe(t *spec.Type) string {
	if t.Kind == spec.KindInt {
		return intTypeName(t)
	}
	return t.Kind.String()
}

// upcastStep declares the step from version from to version from+1 of event e, unless the spec
// makes it custom. Problems are reported as diagnostics at the step (or the new version).
func (g *generator) upcastStep(e *eventInfo, from, to *spec.Version) []jen.Code {
	ev := e.ev
	u := ev.UpcastFrom(from.Number)
	if u != nil && u.Custom {
		return nil
	}
	pos := to.Pos
	what := versionWhat(ev, to.Number)
	if u != nil {
		pos = u.Pos
		what = eventWhat(ev) + ".upcast.v" + strconv.Itoa(from.Number)
	}
	fromName, toName := versionName(e.goName, from.Number), versionName(e.goName, to.Number)
	sets := map[string]*spec.UpcastSet{}
	renamedTo := map[string]*spec.UpcastRename{}
	var decls []jen.Code
	ok := true
	fail := func(p spec.Pos, format string, args ...any) {
		if !p.IsValid() {
			p = pos
		}
		g.diags = append(g.diags, spec.Errorf(p, what+": "+format, args...))
		ok = false
	}
	if u != nil {
		for _, s := range u.Set {
			if to.Field(s.Field) == nil {
				fail(s.Pos, "set names field %s, which v%d does not have", s.Field, to.Number)
				continue
			}
			sets[s.Field] = s
		}
		for _, r := range u.Rename {
			if from.Field(r.From) == nil {
				fail(r.Pos, "rename names field %s, which v%d does not have", r.From, from.Number)
				continue
			}
			if to.Field(r.To) == nil {
				fail(r.Pos, "rename gives field %s, which v%d does not have", r.To, to.Number)
				continue
			}
			renamedTo[r.To] = r
		}
	}
	var elems []jen.Code
	for _, tf := range to.Fields {
		var value *jen.Statement
		var err error
		switch {
		case sets[tf.Name] != nil:
			s := sets[tf.Name]
			var v any
			if v, err = decodeJSON(s.Value); err == nil {
				value, err = g.fieldLiteral(tf, toName, v)
			}
			if err != nil {
				fail(s.Pos, "the value %s set for field %s does not fit its type: %v", s.Value, tf.Name, err)
				continue
			}
		case renamedTo[tf.Name] != nil:
			ff := from.Field(renamedTo[tf.Name].From)
			value, err = g.convert(&decls, jen.Id("in").Dot(g.fieldName(ff)), g.fieldShape(ff, fromName), g.fieldShape(tf, toName))
			if err != nil {
				fail(renamedTo[tf.Name].Pos, "field %s of v%d cannot become field %s of v%d: %v", ff.Name, from.Number, tf.Name, to.Number, err)
				continue
			}
		case from.Field(tf.Name) != nil:
			ff := from.Field(tf.Name)
			value, err = g.convert(&decls, jen.Id("in").Dot(g.fieldName(ff)), g.fieldShape(ff, fromName), g.fieldShape(tf, toName))
			if err != nil {
				fail(tf.Pos, "field %s of v%d cannot be carried into v%d: %v; rename or drop it and set the new field, or make the step custom: true", tf.Name, from.Number, to.Number, err)
				continue
			}
		case tf.Optional:
			continue
		default:
			fail(tf.Pos, "field %s of v%d gets no value: add it to set, rename a v%d field to it, or make the step custom: true", tf.Name, to.Number, from.Number)
			continue
		}
		elems = append(elems, jen.Id(g.fieldName(tf)).Op(":").Add(value))
	}
	if !ok {
		return nil
	}
	doc := fmt.Sprintf("%s lifts a v%d %s payload to v%d as the spec's upcast step says; it is pure.",
		upcastName(e.goName, from.Number), from.Number, ev.Type, to.Number)
	step := comment(doc).Line().
		Func().Id(upcastName(e.goName, from.Number)).Params(jen.Id("in").Id(fromName)).Params(jen.Id(toName), jen.Error()).
		Block(jen.Return(multiline(jen.Id(toName), elems), jen.Nil()))
	return append([]jen.Code{step, jen.Line()}, decls...)
}

// lifter is the function that lifts version n (not the latest) of e to the latest, with the
// step that fails named in its error. A chain of several steps gets a lift function; a single
// step is the upcast function itself, wrapped by the generic eventgenStep, so that the most
// common evolution (one new version) adds no function beyond its step.
func (g *generator) lifter(e *eventInfo, n int) *jen.Statement {
	if n+1 < e.ev.Latest().Number {
		return jen.Id(liftName(e.goName, n))
	}
	g.helpers["eventgenStep"] = true
	return jen.Id("eventgenStep").Call(jen.Id(upcastName(e.goName, n)), jen.Id(e.goName+"Type"), jen.Lit(n))
}

// liftFunc declares the function that lifts version n of e to the latest through two or more
// steps, or nothing when one step is left (see lifter).
func (g *generator) liftFunc(e *eventInfo, n int) []jen.Code {
	latest := e.ev.Latest().Number
	if n+1 >= latest {
		return nil
	}
	wrap := jen.Qual(fmtPkg, "Errorf").Call(jen.Lit(fmt.Sprintf("upcast %s v%d to v%d: %%w", e.ev.Type, n, n+1)), jen.Err())
	doc := fmt.Sprintf("%s lifts a v%d %s payload to the latest version, v%d, step by step.", liftName(e.goName, n), n, e.ev.Type, latest)
	return []jen.Code{comment(doc).Line().
		Func().Id(liftName(e.goName, n)).Params(jen.Id("in").Id(versionName(e.goName, n))).Params(jen.Id(e.goName), jen.Error()).Block(
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Id(upcastName(e.goName, n)).Call(jen.Id("in")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id(e.goName).Values(), wrap)),
		jen.Return(g.lifter(e, n+1).Call(jen.Id("out"))),
	), jen.Line()}
}
