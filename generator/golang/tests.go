package golang

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/spec"
)

// testSection adds one group of generated tests to the test file and reports whether it added
// any. Later backends (rule examples, handler dispatch) append their sections to testSections.
type testSection func(g *generator, f *jen.File) bool

// testSections are the sections of eventgen_gen_test.go, in order.
var testSections = []testSection{(*generator).exampleTests, (*generator).ruleExampleTests, (*generator).consumerTests}

// testFile generates eventgen_gen_test.go, or nil when no section has a test to add.
func (g *generator) testFile() *jen.File {
	f := g.newFile()
	added := false
	for _, section := range testSections {
		if section(g, f) {
			added = true
		}
	}
	if !added {
		return nil
	}
	return f
}

// exampleTests adds one test per example of every event and the JSON comparison they share.
func (g *generator) exampleTests(f *jen.File) bool {
	added := false
	for _, e := range g.events {
		for i, ex := range e.ev.Examples {
			if test := g.exampleTest(e, i, ex); test != nil {
				addAll(f, test, jen.Line())
				added = true
			}
		}
	}
	if !added {
		return false
	}
	addAll(f,
		comment("eventgenSameJSON reports an error when got, encoded as JSON, is not the same JSON value as want."),
		jen.Func().Id("eventgenSameJSON").Params(jen.Id("t").Op("*").Qual("testing", "T"), jen.Id("what").String(), jen.Id("got").Any(), jen.Id("want").Index().Byte()).Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.List(jen.Id("gotJSON"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("got")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatalf").Call(jen.Lit("%s: encode: %v"), jen.Id("what"), jen.Err())),
			jen.Var().List(jen.Id("gotValue"), jen.Id("wantValue")).Any(),
			jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("gotJSON"), jen.Op("&").Id("gotValue")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Fatalf").Call(jen.Lit("%s: decode %s: %v"), jen.Id("what"), jen.Id("gotJSON"), jen.Err())),
			jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("want"), jen.Op("&").Id("wantValue")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Fatalf").Call(jen.Lit("%s: decode %s: %v"), jen.Id("what"), jen.Id("want"), jen.Err())),
			jen.If(jen.Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("eventgenSameInstants").Call(jen.Id("gotValue")), jen.Id("eventgenSameInstants").Call(jen.Id("wantValue")))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s:\n got %s\nwant %s"), jen.Id("what"), jen.Id("gotJSON"), jen.Id("want"))),
		),
		jen.Line(),
		comment("eventgenSameInstants returns v, a decoded JSON value, with every string that is an RFC 3339 time\n"+
			"rewritten in one form (UTC, shortest fraction), so that two spellings of one instant compare\n"+
			"equal: \"2026-01-01T00:00:00.000Z\" in a spec and \"2026-01-01T00:00:00Z\" from time.Time."),
		jen.Func().Id("eventgenSameInstants").Params(jen.Id("v").Any()).Any().Block(
			jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(
				jen.Case(jen.String()).Block(
					jen.If(jen.List(jen.Id("t"), jen.Err()).Op(":=").Qual("time", "Parse").Call(jen.Qual("time", "RFC3339Nano"), jen.Id("v")), jen.Err().Op("==").Nil()).Block(
						jen.Return(jen.Id("t").Dot("UTC").Call().Dot("Format").Call(jen.Qual("time", "RFC3339Nano")))),
				),
				jen.Case(jen.Index().Any()).Block(
					jen.For(jen.List(jen.Id("i"), jen.Id("item")).Op(":=").Range().Id("v")).Block(
						jen.Id("v").Index(jen.Id("i")).Op("=").Id("eventgenSameInstants").Call(jen.Id("item")))),
				jen.Case(jen.Map(jen.String()).Any()).Block(
					jen.For(jen.List(jen.Id("k"), jen.Id("item")).Op(":=").Range().Id("v")).Block(
						jen.Id("v").Index(jen.Id("k")).Op("=").Id("eventgenSameInstants").Call(jen.Id("item")))),
			),
			jen.Return(jen.Id("v")),
		),
		jen.Line(),
	)
	return true
}

// exampleTest is the test of example i of event e: decode, validate, round trip, upcast and
// Decode of an envelope, or for an invalid example, that decoding or Validate rejects it.
func (g *generator) exampleTest(e *eventInfo, i int, ex *spec.Example) jen.Code {
	ev := e.ev
	v := ev.Version(ex.Version)
	if v == nil {
		g.diags = append(g.diags, spec.Errorf(ex.Pos, "%s.examples[%d] names version %d, which the event does not have", eventWhat(ev), i, ex.Version))
		return nil
	}
	name := fmt.Sprintf("Test%sExample%d", e.goName, i)
	fatal := func(format string, args ...jen.Code) *jen.Statement {
		return jen.Id("t").Dot("Fatalf").Call(append([]jen.Code{jen.Lit(format)}, args...)...)
	}
	env := jen.Qual(eventPkg, "Envelope").Values(jen.Dict{
		jen.Id("EventType"): jen.Id(e.goName + "Type"),
		jen.Id("Version"):   jen.Lit(strconv.Itoa(v.Number) + ".0"),
		jen.Id("Data"):      jen.Id("data"),
	})
	body := []jen.Code{
		jen.Id("data").Op(":=").Index().Byte().Call(stringLit(string(ex.Data))),
	}
	var doc string
	if !ex.Valid {
		doc = fmt.Sprintf("%s checks that example %d of %s (v%d) is rejected, as the spec says.", name, i, ev.Type, v.Number)
		body = append(body,
			jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(g.decodeVersion(e, v)).Call(jen.Id("data")), jen.Err().Op("==").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("decoding with validation accepts an example that the spec marks valid: false"))),
			jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("Decode").Call(env), jen.Err().Op("==").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("Decode accepts an example that the spec marks valid: false"))),
		)
		return comment(doc).Line().Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
	}
	doc = fmt.Sprintf("%s checks example %d of %s (v%d): it decodes, is valid, survives a JSON\nround trip and upcasts to the latest version as the spec says.", name, i, ev.Type, v.Number)
	roundTrip := g.withDefaultsJSON(v.Fields, ex.Data)
	body = append(body,
		jen.List(jen.Id("p"), jen.Err()).Op(":=").Add(g.decodeVersion(e, v)).Call(jen.Id("data")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fatal("decode: %v", jen.Err())),
		jen.If(jen.Err().Op(":=").Id("p").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
			fatal("Validate: %v", jen.Err())),
		jen.Id("eventgenSameJSON").Call(jen.Id("t"), jen.Lit("JSON round trip"), jen.Id("p"), jen.Index().Byte().Call(stringLit(string(roundTrip)))),
		jen.List(jen.Id("latest"), jen.Err()).Op(":=").Id("Upcast").Call(jen.Id("p")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fatal("Upcast: %v", jen.Err())),
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("latest").Assert(jen.Id(e.goName)), jen.Op("!").Id("ok")).Block(
			fatal("Upcast returned a %T, want a "+e.goName, jen.Id("latest"))),
	)
	if ex.Latest != nil {
		body = append(body, jen.Id("eventgenSameJSON").Call(jen.Id("t"), jen.Lit("upcast to the latest version"), jen.Id("latest"),
			jen.Index().Byte().Call(stringLit(string(g.withDefaultsJSON(ev.Latest().Fields, ex.Latest))))))
	}
	body = append(body,
		jen.List(jen.Id("decoded"), jen.Err()).Op(":=").Id("Decode").Call(env),
		jen.If(jen.Err().Op("!=").Nil()).Block(fatal("Decode: %v", jen.Err())),
		jen.List(jen.Id("want"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("latest")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fatal("encode: %v", jen.Err())),
		jen.Id("eventgenSameJSON").Call(jen.Id("t"), jen.Lit("Decode"), jen.Id("decoded"), jen.Id("want")),
	)
	return comment(doc).Line().Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
}

// withDefaultsJSON is data with the spec's defaults filled in where fields are missing and
// unknown fields left out: what the generated code encodes after decoding data. It returns data
// itself when nothing changes.
func (g *generator) withDefaultsJSON(fields []*spec.Field, data json.RawMessage) json.RawMessage {
	v, err := decodeJSON(data)
	if err != nil {
		return data
	}
	if !g.fillFields(fields, v) {
		return data
	}
	out, err := json.Marshal(v)
	if err != nil {
		return data
	}
	return out
}

// fillFields fills the defaults of fields missing from the object v and removes the members
// that are not fields, recursively, and reports whether it changed anything.
func (g *generator) fillFields(fields []*spec.Field, v any) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	changed := false
	for name := range obj {
		if !slices.ContainsFunc(fields, func(f *spec.Field) bool { return f.Name == name }) {
			delete(obj, name) // decoders ignore unknown fields, so encoding drops them
			changed = true
		}
	}
	for _, f := range fields {
		value, present := obj[f.Name]
		if !present {
			if def := g.effectiveDefault(f.Type); def != nil {
				if dv, err := decodeJSON(def); err == nil {
					obj[f.Name] = dv
					changed = true
				}
			}
			continue
		}
		if g.fillType(f.Type, value) {
			changed = true
		}
	}
	return changed
}

// fillType fills defaults inside a value of type t.
func (g *generator) fillType(t *spec.Type, v any) bool {
	r := g.m.Resolve(t)
	if r == nil {
		return false
	}
	changed := false
	switch r.Kind {
	case spec.KindStruct:
		return g.fillFields(r.Fields, v)
	case spec.KindList:
		items, _ := v.([]any)
		for _, item := range items {
			changed = g.fillType(r.Elem, item) || changed
		}
	case spec.KindMap:
		obj, _ := v.(map[string]any)
		for _, item := range obj {
			changed = g.fillType(r.Elem, item) || changed
		}
	}
	return changed
}
