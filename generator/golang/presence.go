package golang

import (
	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/check"
)

// The generated decode path must see what a Go value cannot show: whether a required field was
// in the JSON at all, and whether a non-nullable one was null (encoding/json leaves the zero
// value in both cases). Every struct type with a required field, or with one whose value holds
// such a struct or a list or map of non-nullable items, gets a checkPresence method. It decodes
// the struct's JSON once more, into a struct of json.RawMessage fields (which only copies
// bytes), and reports each missing or null value with the path and message spec/check uses
// for the spec's examples. Decode runs it next to Validate; Validate alone cannot.

// Messages of the presence check, from spec/check like those of Validate.
var msgNotNull = check.MsgNotNull()

// presenceOf says what the presence check of field f looks at.
type presenceOf struct {
	// absent is reported when the field is required and has no default to fill it.
	absent bool
	// null is reported when the field is required and not nullable (an optional field written
	// as null decodes as absent).
	null bool
	// walk is set when a present, non-null value has something inside to check.
	walk bool
}

func (p presenceOf) any() bool { return p.absent || p.null || p.walk }

// fieldPresence is what the presence check of field f looks at.
func (g *generator) fieldPresence(f *spec.Field) presenceOf {
	return presenceOf{
		absent: !f.Optional && g.effectiveDefault(f.Type) == nil,
		null:   !f.Optional && !f.Type.Nullable,
		walk:   g.valueNeedsPresence(f.Type),
	}
}

// structNeedsPresence reports whether a struct with fields gets a checkPresence method.
func (g *generator) structNeedsPresence(fields []*spec.Field) bool {
	for _, f := range fields {
		if g.fieldPresence(f).any() {
			return true
		}
	}
	return false
}

// valueNeedsPresence reports whether a present, non-null value of t holds something the
// presence check must look at: a struct with a required field, or a list or map item that must
// not be null.
func (g *generator) valueNeedsPresence(t *spec.Type) bool {
	switch t.Kind {
	case spec.KindStruct:
		return g.structNeedsPresence(t.Fields)
	case spec.KindList, spec.KindMap:
		return !t.Elem.Nullable || g.valueNeedsPresence(t.Elem)
	case spec.KindRef:
		d := g.m.Definition(t.Ref)
		if d == nil || d.Type == nil {
			return false
		}
		if needs, ok := g.defPresence[d.Name]; ok {
			return needs
		}
		if g.presenceInProgress[d.Name] {
			// A definition that holds itself: its own answer is being computed further up.
			return false
		}
		g.presenceInProgress[d.Name] = true
		needs := g.valueNeedsPresence(d.Type)
		delete(g.presenceInProgress, d.Name)
		g.defPresence[d.Name] = needs
		return needs
	}
	return false
}

// presenceMethod is the checkPresence method of struct name, or nil when it has nothing to
// check. A version's struct (root) reports paths from the payload's root; a nested struct
// reports them below its path parameter.
func (g *generator) presenceMethod(name string, fields []*spec.Field, root bool) jen.Code {
	if !g.structNeedsPresence(fields) {
		return nil
	}
	base, params := paramPath(), []jen.Code{jen.Id("data").Index().Byte(), jen.Id("path").String(), jen.Id("ve").Op("*").Qual(eventPkg, "ValidationError")}
	// The doc comments of these unexported methods are one line each: every struct has them,
	// and generated source costs formatting time by the byte.
	doc := "checkPresence adds to ve, below path, each required field that data (a " + name + ") lacks or holds as null."
	if root {
		base, params = path{}, []jen.Code{jen.Id("data").Index().Byte(), jen.Id("ve").Op("*").Qual(eventPkg, "ValidationError")}
		doc = "checkPresence adds to ve each required field that data (a " + name + ") lacks or holds as null."
	}
	var members, body []jen.Code
	for _, f := range fields {
		pr := g.fieldPresence(f)
		if !pr.any() {
			continue
		}
		members = append(members, jen.Id(g.fieldName(f)).Qual(jsonPkg, "RawMessage").Tag(map[string]string{"json": f.Name}))
		raw := func() *jen.Statement { return jen.Id("raw").Dot(g.fieldName(f)) }
		body = append(body, g.presenceChecks(pr, raw, f.Type, base.field(f.Name), name+g.fieldName(f), 1)...)
	}
	body = append([]jen.Code{
		jen.Var().Id("raw").Struct(members...),
		jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("raw")).Op("!=").Nil()).Block(jen.Return()),
	}, body...)
	return comment(doc).Line().
		Func().Params(jen.Id(name)).Id("checkPresence").Params(params...).Block(body...)
}

// presenceChecks are the statements that check the raw JSON value raw of type t at path p:
// missing, null, and what is inside. name is the Go name of t's inline types; depth numbers
// the loop variables. Each rule is one call of a helper of eventgen_gen.go, and every walk
// inside a value skips a missing or null one itself, so a field costs a line or two of
// generated source (and of the time spent formatting it) whatever it holds.
func (g *generator) presenceChecks(pr presenceOf, raw func() *jen.Statement, t *spec.Type, p path, name string, depth int) []jen.Code {
	var out []jen.Code
	if rule := presenceRule(pr); rule != "" {
		g.helpers[rule] = true
		out = append(out, jen.Id(rule).Call(jen.Id("ve"), p.expr(), raw()))
	}
	if pr.walk {
		out = append(out, g.presenceWalk(raw, t, p, name, depth)...)
	}
	return out
}

// presenceRule is the helper that checks what pr says of a value itself, or "" for none.
func presenceRule(pr presenceOf) string {
	switch {
	case pr.absent && pr.null:
		return "eventgenRequire"
	case pr.absent:
		return "eventgenRequireNullable"
	case pr.null:
		return "eventgenNotNull"
	}
	return ""
}

// presenceWalk checks inside the raw JSON value of type t, when it is there and not null.
func (g *generator) presenceWalk(raw func() *jen.Statement, t *spec.Type, p path, name string, depth int) []jen.Code {
	if target := g.presenceTarget(t, name); target != "" {
		g.helpers["eventgenCheck"] = true
		return []jen.Code{jen.Id("eventgenCheck").Call(jen.Id("ve"), p.expr(), raw(), jen.Id(target).Values().Dot("checkPresence"))}
	}
	for t.Kind == spec.KindRef {
		d := g.m.Definition(t.Ref)
		if d == nil || d.Type == nil {
			return nil
		}
		t, name = d.Type, g.defNames[d.Name]
	}
	if t.Kind != spec.KindList && t.Kind != spec.KindMap {
		return nil
	}
	isList := t.Kind == spec.KindList
	if !t.Elem.Nullable {
		// The common walks, items that must not be null and are structs or hold nothing to
		// check: one helper call each.
		target, itemWalk := g.presenceTarget(t.Elem, name), g.valueNeedsPresence(t.Elem)
		helper := ""
		switch {
		case !itemWalk && isList:
			helper = "eventgenNullItems"
		case !itemWalk:
			helper = "eventgenNullValues"
		case target != "" && isList:
			helper = "eventgenCheckItems"
		case target != "":
			helper = "eventgenCheckValues"
		}
		if helper != "" {
			g.helpers[helper] = true
			args := []jen.Code{jen.Id("ve"), p.expr(), raw()}
			if itemWalk {
				args = append(args, jen.Id(target).Values().Dot("checkPresence"))
			}
			return []jen.Code{jen.Id(helper).Call(args...)}
		}
	}
	// Anything else (nullable items with something inside, lists of lists): a loop.
	items, item := depthName("items", depth), depthName("item", depth)
	var itemPath path
	var container jen.Code
	var rangeOver *jen.Statement
	var head jen.Code
	if isList {
		i := depthName("i", depth)
		container = jen.Index().Qual(jsonPkg, "RawMessage")
		rangeOver = jen.For(jen.List(jen.Id(i), jen.Id(item)).Op(":=").Range().Id(items))
		itemPath = p.index(i)
	} else {
		k := depthName("k", depth)
		container = jen.Map(jen.String()).Qual(jsonPkg, "RawMessage")
		// Sorted keys: violations come in the same order on every run.
		rangeOver = jen.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(jen.Id(items))))
		head = jen.Id(item).Op(":=").Id(items).Index(jen.Id(k))
		itemPath = p.key(k)
	}
	elem := presenceOf{null: !t.Elem.Nullable, walk: g.valueNeedsPresence(t.Elem)}
	inner := g.presenceChecks(elem, func() *jen.Statement { return jen.Id(item) }, t.Elem, itemPath, name, depth+1)
	if len(inner) == 0 {
		return nil
	}
	if head != nil {
		inner = append([]jen.Code{head}, inner...)
	}
	// A missing or null value decodes as no items: json.Unmarshal fails on the first and
	// leaves the container nil for the second.
	return []jen.Code{
		jen.Var().Id(items).Add(container),
		jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(raw(), jen.Op("&").Id(items)).Op("==").Nil()).Block(rangeOver.Block(inner...)),
	}
}

// presenceTarget is the name of the struct type whose checkPresence method checks a value of
// type t, whose Go name (for an inline struct) is name; "" when t is not a struct.
func (g *generator) presenceTarget(t *spec.Type, name string) string {
	for t.Kind == spec.KindRef {
		d := g.m.Definition(t.Ref)
		if d == nil || d.Type == nil {
			return ""
		}
		if d.Type.Kind == spec.KindStruct {
			return g.defNames[d.Name]
		}
		t, name = d.Type, g.defNames[d.Name]
	}
	if t.Kind == spec.KindStruct {
		return name
	}
	return ""
}

// Decoding a valid payload should not pay for a second pass over its JSON. A missing required
// field always decodes as its Go zero value, so each struct with a checkPresence method also
// gets mayLack, a cheap test on the decoded value: false proves that no required field is
// missing at any depth. Nulls are caught by looking for the text "null" in the data. Only when
// either test fires does decoding run checkPresence; the tests may fire for a valid payload
// (a required bool that is false, say), never stay silent for an invalid one.

// mayLackMethod is the mayLack method of struct name, or nil when it has no checkPresence.
func (g *generator) mayLackMethod(name string, fields []*spec.Field) jen.Code {
	if !g.structNeedsPresence(fields) {
		return nil
	}
	// One return of the conditions joined by ||, a line each: the same test as an if per
	// field, in a fraction of the source to format.
	var lacks *jen.Statement
	for _, f := range fields {
		if cond := g.fieldMayLack(f, jen.Id("p").Dot(g.fieldName(f)), name+g.fieldName(f)); cond != nil {
			if lacks == nil {
				lacks = jen.Add(cond)
			} else {
				lacks = lacks.Op("||").Line().Add(cond)
			}
		}
	}
	if lacks == nil {
		lacks = jen.False()
	}
	body := []jen.Code{jen.Return(lacks)}
	return comment("mayLack reports whether p could lack a required field; false lets decoding skip checkPresence.").Line().
		Func().Params(jen.Id("p").Id(name)).Id("mayLack").Params().Bool().Block(body...)
}

// fieldMayLack is the condition under which field f, read by acc, could hide a missing required
// value; nil when it never can.
func (g *generator) fieldMayLack(f *spec.Field, acc *jen.Statement, name string) jen.Code {
	required := !f.Optional && g.effectiveDefault(f.Type) == nil
	inside := g.insideMayLack(f.Type, acc, name)
	switch {
	case required && g.fieldPtr(f):
		if inside != nil {
			return acc.Clone().Op("==").Nil().Op("||").Add(inside)
		}
		return acc.Clone().Op("==").Nil()
	case required:
		return g.zeroMayLack(f.Type, acc, name)
	case inside != nil && g.fieldPtr(f):
		return acc.Clone().Op("!=").Nil().Op("&&").Add(inside)
	}
	return inside
}

// zeroMayLack is the condition that a required value of t at acc holds its zero value, or what
// is inside it could lack a field.
func (g *generator) zeroMayLack(t *spec.Type, acc *jen.Statement, name string) jen.Code {
	r := g.m.Resolve(t)
	if r == nil {
		return jen.True()
	}
	switch r.Kind {
	case spec.KindString, spec.KindEnum:
		return acc.Clone().Op("==").Lit("")
	case spec.KindInt, spec.KindFloat:
		return acc.Clone().Op("==").Lit(0)
	case spec.KindBool:
		return jen.Op("!").Add(acc.Clone())
	case spec.KindTime:
		return acc.Clone().Dot("IsZero").Call()
	case spec.KindBytes, spec.KindAny:
		return acc.Clone().Op("==").Nil()
	case spec.KindList, spec.KindMap:
		if inside := g.insideMayLack(t, acc, name); inside != nil {
			return acc.Clone().Op("==").Nil().Op("||").Add(inside)
		}
		return acc.Clone().Op("==").Nil()
	case spec.KindStruct:
		if g.structNeedsPresence(r.Fields) {
			return acc.Clone().Dot("mayLack").Call()
		}
	}
	return jen.True() // a zero struct without required fields: cannot tell, so check
}

// insideMayLack is the condition that a present value of t at acc holds a struct that could
// lack a field: a struct itself, or the struct items of a list or map; nil when it holds none.
func (g *generator) insideMayLack(t *spec.Type, acc *jen.Statement, name string) jen.Code {
	r := g.m.Resolve(t)
	if r == nil {
		return nil
	}
	switch r.Kind {
	case spec.KindStruct:
		if g.structNeedsPresence(r.Fields) {
			return acc.Clone().Dot("mayLack").Call()
		}
	case spec.KindList, spec.KindMap:
		er := g.m.Resolve(r.Elem)
		if er == nil || er.Kind != spec.KindStruct || !g.structNeedsPresence(er.Fields) {
			return nil
		}
		if r.Elem.Nullable {
			return jen.Len(acc.Clone()).Op(">").Lit(0) // nil items cannot be asked: check
		}
		helper := "eventgenAnyMayLack"
		if r.Kind == spec.KindMap {
			helper += "Map"
		}
		g.helpers[helper] = true
		return jen.Id(helper).Call(acc.Clone())
	}
	return nil
}

// presenceHelperDecls declares the helpers that generated checkPresence methods call, in a
// fixed order. Each takes the JSON of one value, raw, as a json.RawMessage field of a decoded
// struct holds it: nil when the value is missing. Malformed data is left to json.Unmarshal,
// which rejects it in the decoding that runs first.
func (g *generator) presenceHelperDecls() []jen.Code {
	ve := func() *jen.Statement { return jen.Id("ve").Op("*").Qual(eventPkg, "ValidationError") }
	raw := func() *jen.Statement { return jen.Id("raw").Qual(jsonPkg, "RawMessage") }
	check := func() *jen.Statement {
		return jen.Id("check").Func().Params(jen.Index().Byte(), jen.String(), jen.Op("*").Qual(eventPkg, "ValidationError"))
	}
	isNull := func(v string) *jen.Statement { return jen.String().Call(jen.Id(v)).Op("==").Lit("null") }
	add := func(at jen.Code, msg string) *jen.Statement { return jen.Id("ve").Dot("Add").Call(at, jen.Lit(msg)) }
	index := jen.Id("path").Op("+").Lit("[").Op("+").Qual("strconv", "Itoa").Call(jen.Id("i")).Op("+").Lit("]")
	key := jen.Id("path").Op("+").Lit("[").Op("+").Qual("strconv", "Quote").Call(jen.Id("k")).Op("+").Lit("]")
	decodeList := []jen.Code{
		jen.Var().Id("items").Index().Qual(jsonPkg, "RawMessage"),
		jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("raw"), jen.Op("&").Id("items")).Op("!=").Nil()).Block(jen.Return()),
	}
	decodeMap := []jen.Code{
		jen.Var().Id("items").Map(jen.String()).Qual(jsonPkg, "RawMessage"),
		jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("raw"), jen.Op("&").Id("items")).Op("!=").Nil()).Block(jen.Return()),
	}
	// Sorted keys: violations come in the same order on every run.
	sortedKeys := jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(jen.Id("items"))))
	eachItem := func(at jen.Code, body ...jen.Code) []jen.Code {
		return append([]jen.Code{jen.Id("at").Op(":=").Add(at)}, body...)
	}
	nullOrCheck := jen.If(isNull("item")).Block(add(jen.Id("at"), msgNotNull)).Else().Block(jen.Id("check").Call(jen.Id("item"), jen.Id("at"), jen.Id("ve")))
	nullItem := jen.If(isNull("item")).Block(add(jen.Id("at"), msgNotNull))
	// Items of a scalar kind can only break the rules by being null: a value without the
	// text null anywhere needs no second decoding.
	noNull := jen.If(jen.Op("!").Qual("bytes", "Contains").Call(jen.Id("raw"), jen.Index().Byte().Call(jen.Lit("null")))).Block(jen.Return())

	helpers := []struct {
		name, doc string
		decl      *jen.Statement
	}{
		{"eventgenRequire", "eventgenRequire adds to ve a violation at path when raw, the JSON of a required, non-nullable\nfield, is missing or null.",
			jen.Func().Id("eventgenRequire").Params(ve(), jen.Id("path").String(), raw()).Block(
				jen.Switch().Block(
					jen.Case(jen.Id("raw").Op("==").Nil()).Block(add(jen.Id("path"), msgRequired)),
					jen.Case(isNull("raw")).Block(add(jen.Id("path"), msgNotNull)),
				))},
		{"eventgenRequireNullable", "eventgenRequireNullable adds to ve a violation at path when raw, the JSON of a required,\nnullable field, is missing.",
			jen.Func().Id("eventgenRequireNullable").Params(ve(), jen.Id("path").String(), raw()).Block(
				jen.If(jen.Id("raw").Op("==").Nil()).Block(add(jen.Id("path"), msgRequired)))},
		{"eventgenNotNull", "eventgenNotNull adds to ve a violation at path when raw, the JSON of a field that has a default\nor of an item, is null.",
			jen.Func().Id("eventgenNotNull").Params(ve(), jen.Id("path").String(), raw()).Block(
				jen.If(isNull("raw")).Block(add(jen.Id("path"), msgNotNull)))},
		{"eventgenCheck", "eventgenCheck runs check, a struct type's checkPresence, on raw at path unless raw is missing\nor null.",
			jen.Func().Id("eventgenCheck").Params(ve(), jen.Id("path").String(), raw(), check()).Block(
				jen.If(jen.Id("raw").Op("!=").Nil().Op("&&").String().Call(jen.Id("raw")).Op("!=").Lit("null")).Block(
					jen.Id("check").Call(jen.Id("raw"), jen.Id("path"), jen.Id("ve"))))},
		{"eventgenCheckItems", "eventgenCheckItems adds to ve, with paths below path, every null item of raw, the JSON of a\nlist of structs, and what check, the item type's checkPresence, finds in the others.",
			jen.Func().Id("eventgenCheckItems").Params(ve(), jen.Id("path").String(), raw(), check()).Block(append(decodeList,
				jen.For(jen.List(jen.Id("i"), jen.Id("item")).Op(":=").Range().Id("items")).Block(eachItem(index, nullOrCheck)...))...)},
		{"eventgenCheckValues", "eventgenCheckValues adds to ve, with paths below path, every null value of raw, the JSON of a\nmap of structs, and what check, the value type's checkPresence, finds in the others.",
			jen.Func().Id("eventgenCheckValues").Params(ve(), jen.Id("path").String(), raw(), check()).Block(append(decodeMap,
				sortedKeys.Clone().Block(eachItem(key, jen.Id("item").Op(":=").Id("items").Index(jen.Id("k")), nullOrCheck)...))...)},
		{"eventgenNullItems", "eventgenNullItems adds to ve, with paths below path, every null item of raw, the JSON of a list\nwhose items must not be null and hold nothing else to check.",
			jen.Func().Id("eventgenNullItems").Params(ve(), jen.Id("path").String(), raw()).Block(append(append([]jen.Code{noNull}, decodeList...),
				jen.For(jen.List(jen.Id("i"), jen.Id("item")).Op(":=").Range().Id("items")).Block(
					jen.If(isNull("item")).Block(add(index, msgNotNull))))...)},
		{"eventgenNullValues", "eventgenNullValues adds to ve, with paths below path, every null value of raw, the JSON of a map\nwhose values must not be null and hold nothing else to check.",
			jen.Func().Id("eventgenNullValues").Params(ve(), jen.Id("path").String(), raw()).Block(append(append([]jen.Code{noNull}, decodeMap...),
				sortedKeys.Clone().Block(eachItem(key, jen.Id("item").Op(":=").Id("items").Index(jen.Id("k")), nullItem)...))...)},
	}
	var out []jen.Code
	for _, h := range helpers {
		if g.helpers[h.name] {
			out = append(out, comment(h.doc), h.decl, jen.Line())
		}
	}
	return out
}
