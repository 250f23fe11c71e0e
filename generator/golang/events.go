package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/spec"
)

// eventFile declares everything of one event type: its constants, the latest alias, one struct
// per version with its nested types and methods, its decode function and its upcast chain.
func (g *generator) eventFile(e *eventInfo) *jen.File {
	f := g.newFile()
	fc := &fileCtx{}
	ev := e.ev
	latest := ev.Latest()
	var body []jen.Code
	body = append(body,
		commentf("%sType is the event type of %s events.", e.goName, e.goName),
		jen.Const().Id(e.goName+"Type").Op("=").Lit(ev.Type),
		jen.Line(),
		commentf("%sLatest is the latest version of %s.", e.goName, ev.Type),
		jen.Const().Id(e.goName+"Latest").Op("=").Lit(latest.Number),
		jen.Line(),
		comment(docLines(fmt.Sprintf("%s is the latest version of the %s payload, %s; Decode and Decode%s return it.",
			e.goName, ev.Type, versionName(e.goName, latest.Number), e.goName), ev.Doc)),
		jen.Type().Id(e.goName).Op("=").Id(versionName(e.goName, latest.Number)),
		jen.Line(),
		g.decodeEventFunc(e),
		jen.Line(),
	)
	for _, v := range ev.Versions {
		body = append(body, g.versionDecls(fc, e, v)...)
	}
	for i := 0; i+1 < len(ev.Versions); i++ {
		body = append(body, g.upcastStep(e, ev.Versions[i], ev.Versions[i+1])...)
		body = append(body, g.liftFunc(e, ev.Versions[i].Number), jen.Line())
	}
	fc.emit(f, body)
	return f
}

// versionDecls declares the struct of one version, its payload methods and its nested types.
func (g *generator) versionDecls(fc *fileCtx, e *eventInfo, v *spec.Version) []jen.Code {
	name := versionName(e.goName, v.Number)
	doc := docLines(fmt.Sprintf("%s is version %d of the %s event's payload.", name, v.Number, e.ev.Type), v.Doc)
	decls := g.structDecl(fc, name, doc, v.Fields, true)
	// The struct, then its methods, then its nested types.
	methods := []jen.Code{
		commentf("EventType returns %q.", e.ev.Type),
		jen.Func().Params(jen.Id(name)).Id("EventType").Params().String().Block(jen.Return(jen.Id(e.goName + "Type"))),
		jen.Line(),
		commentf("EventVersion returns %d.", v.Number),
		jen.Func().Params(jen.Id(name)).Id("EventVersion").Params().Int().Block(jen.Return(jen.Lit(v.Number))),
		jen.Line(),
		g.versionValidate(fc, name, v),
		jen.Line(),
		g.decodeVersionFunc(e, v),
		jen.Line(),
	}
	out := append([]jen.Code{}, decls[:3]...)
	out = append(out, methods...)
	return append(out, decls[3:]...)
}

// decodeEventFunc declares Decode<E>: the one read path of the event type, which decodes any
// known version, validates it, upcasts it to the latest and validates the result.
func (g *generator) decodeEventFunc(e *eventInfo) jen.Code {
	ev := e.ev
	zero := func() *jen.Statement { return jen.Id(e.goName).Values() }
	typeConst := jen.Id(e.goName + "Type")
	errf := func(format string, args ...jen.Code) *jen.Statement {
		return jen.Qual(fmtPkg, "Errorf").Call(append([]jen.Code{jen.Lit(format)}, args...)...)
	}
	latest := ev.Latest().Number
	var cases []jen.Code
	for _, v := range ev.Versions {
		n := v.Number
		decodeErr := errf(fmt.Sprintf("decode %s v%d: %%w", ev.Type, n), jen.Err())
		if n == latest {
			cases = append(cases, jen.Case(jen.Lit(n)).Block(
				jen.List(jen.Id("p"), jen.Err()).Op(":=").Id(decodeVersionName(e.goName, n)).Call(jen.Id("env").Dot("Data")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(zero(), decodeErr)),
				jen.Return(jen.Id("p"), jen.Nil()),
			))
			continue
		}
		cases = append(cases, jen.Case(jen.Lit(n)).Block(
			jen.List(jen.Id("old"), jen.Err()).Op(":=").Id(decodeVersionName(e.goName, n)).Call(jen.Id("env").Dot("Data")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(zero(), decodeErr)),
			jen.List(jen.Id("p"), jen.Err()).Op(":=").Id(liftName(e.goName, n)).Call(jen.Id("old")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(zero(), errf(fmt.Sprintf("decode %s: %%w", ev.Type), jen.Err()))),
			jen.If(jen.Err().Op(":=").Id("p").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Return(zero(), errf(fmt.Sprintf("decode %s v%d upcast to v%d: %%w", ev.Type, n, latest), jen.Err()))),
			jen.Return(jen.Id("p"), jen.Nil()),
		))
	}
	cases = append(cases, jen.Default().Block(
		jen.Return(zero(), errf("decode %s: version %q: %w", typeConst.Clone(), jen.Id("env").Dot("Version"), jen.Qual(eventPkg, "ErrUnknownVersion"))),
	))
	doc := fmt.Sprintf(`Decode%s reads a %s envelope of any known version: it decodes the data as the
version the envelope names (filling the spec's defaults), validates it, upcasts it to the latest
version and validates the result. Errors wrap event.ErrUnknownType (another event type),
event.ErrUnknownVersion or an *event.ValidationError.`, e.goName, ev.Type)
	return comment(doc).Line().
		Func().Id("Decode"+e.goName).Params(jen.Id("env").Qual(eventPkg, "Envelope")).Params(jen.Id(e.goName), jen.Error()).Block(
		jen.If(jen.Id("env").Dot("EventType").Op("!=").Add(typeConst.Clone())).Block(
			jen.Return(zero(), errf("decode %s: event type %q: %w", typeConst.Clone(), jen.Id("env").Dot("EventType"), jen.Qual(eventPkg, "ErrUnknownType")))),
		jen.List(jen.Id("version"), jen.Err()).Op(":=").Qual(eventPkg, "ParseVersion").Call(jen.Id("env").Dot("Version")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(zero(), errf("decode %s: %w", typeConst.Clone(), jen.Err()))),
		jen.Switch(jen.Id("version")).Block(cases...),
	)
}

// decodeVersionName is the name of the function that decodes and validates version n of the
// event with Go name e.
func decodeVersionName(e string, n int) string { return "decode" + versionName(e, n) }

// decodeVersionFunc declares decode<E>V<N>: the JSON of one version in, the validated struct
// out. Besides Validate it runs the presence check, which sees what a decoded Go value cannot:
// a required field missing from the JSON, or null where null is not allowed.
func (g *generator) decodeVersionFunc(e *eventInfo, v *spec.Version) jen.Code {
	name := versionName(e.goName, v.Number)
	zero := jen.Id(name).Values()
	doc := fmt.Sprintf("%s decodes data as a v%d %s payload, filling the spec's defaults, and validates it:\n"+
		"required fields must be present, non-nullable ones not null, and every constraint must hold.\n"+
		"Violations come back as an *event.ValidationError.", decodeVersionName(e.goName, v.Number), v.Number, e.ev.Type)
	validate := []jen.Code{
		jen.If(jen.Err().Op(":=").Id("p").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(zero.Clone(), jen.Err())),
	}
	if g.structNeedsPresence(v.Fields) {
		g.helpers["eventgenValidated"] = true
		validate = []jen.Code{
			jen.Id("ve").Op(":=").Op("&").Qual(eventPkg, "ValidationError").Values(),
			jen.If(jen.Id("p").Dot("mayLack").Call().Op("||").Qual("bytes", "Contains").Call(jen.Id("data"), jen.Index().Byte().Call(jen.Lit("null")))).Block(
				jen.Id("p").Dot("checkPresence").Call(jen.Id("data"), jen.Id("ve")),
			),
			jen.If(jen.Err().Op(":=").Id("eventgenValidated").Call(jen.Id("ve"), jen.Id("p").Dot("Validate").Call()), jen.Err().Op("!=").Nil()).Block(
				jen.Return(zero.Clone(), jen.Err())),
		}
	}
	body := []jen.Code{
		jen.Var().Id("p").Id(name),
		jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("p")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(zero.Clone(), jen.Err())),
	}
	body = append(body, validate...)
	body = append(body, jen.Return(jen.Id("p"), jen.Nil()))
	return comment(doc).Line().
		Func().Id(decodeVersionName(e.goName, v.Number)).Params(jen.Id("data").Index().Byte()).Params(jen.Id(name), jen.Error()).Block(body...)
}
