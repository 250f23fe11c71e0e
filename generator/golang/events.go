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
		body = append(body, g.liftFunc(e, ev.Versions[i].Number)...)
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
	typeConst := func() *jen.Statement { return jen.Id(e.goName + "Type") }
	data := func() *jen.Statement { return jen.Id("env").Dot("Data") }
	latest := ev.Latest().Number
	// Each case is one call of a generic helper of eventgen_gen.go, which wraps the errors the
	// same way for every event type.
	g.helpers["eventgenDecodeEnvelope"] = true
	var cases []jen.Code
	for _, v := range ev.Versions {
		n := v.Number
		if n == latest {
			g.helpers["eventgenDecodeLatest"] = true
			cases = append(cases, jen.Case(jen.Lit(n)).Block(jen.Return(
				jen.Id("eventgenDecodeLatest").Call(data(), g.decodeVersion(e, v), typeConst(), jen.Lit(n)))))
			continue
		}
		g.helpers["eventgenDecodeUpcast"] = true
		cases = append(cases, jen.Case(jen.Lit(n)).Block(jen.Return(
			jen.Id("eventgenDecodeUpcast").Call(data(), g.decodeVersion(e, v), g.lifter(e, n), typeConst(), jen.Lit(n), jen.Lit(latest)))))
	}
	doc := fmt.Sprintf(`Decode%s reads a %s envelope of any known version: it decodes the data as the
version the envelope names (filling the spec's defaults), validates it, upcasts it to the latest
version and validates the result. Errors wrap event.ErrUnknownType (another event type),
event.ErrUnknownVersion or an *event.ValidationError.`, e.goName, ev.Type)
	return comment(doc).Line().
		Func().Id("Decode"+e.goName).Params(jen.Id("env").Qual(eventPkg, "Envelope")).Params(jen.Id(e.goName), jen.Error()).Block(
		jen.List(jen.Id("version"), jen.Err()).Op(":=").Id("eventgenDecodeEnvelope").Call(jen.Id("env"), typeConst()),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(zero(), jen.Err())),
		jen.Switch(jen.Id("version")).Block(cases...),
		jen.Return(zero(), jen.Qual(fmtPkg, "Errorf").Call(jen.Lit("decode %s: version %q: %w"), typeConst(), jen.Id("env").Dot("Version"), jen.Qual(eventPkg, "ErrUnknownVersion"))),
	)
}

// decodeVersion is the call target that decodes and validates version v of event e: the
// package's generic eventgenDecodeChecked, instantiated with the version's struct. It runs the
// presence check of the struct's eventgen tags, which runtime/event finds at any depth.
func (g *generator) decodeVersion(e *eventInfo, v *spec.Version) *jen.Statement {
	g.helpers["eventgenDecodeChecked"] = true
	g.helpers["eventgenValidated"] = true
	return jen.Id("eventgenDecodeChecked").Types(jen.Id(versionName(e.goName, v.Number)))
}
