package golang

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"
)

// Test metadata that the generated consumer tests put on their envelopes, so that they can
// check it arrives unchanged.
var testMetadata = jen.Qual(eventPkg, "Metadata").Values(jen.Dict{
	jen.Id("TenantID"):      jen.Lit("tenant-1"),
	jen.Id("UserID"):        jen.Lit("user-1"),
	jen.Id("CorrelationID"): jen.Lit("correlation-1"),
	jen.Id("CausationID"):   jen.Lit("cause-1"),
})

// consumerTests adds the tests of every dispatcher and repository to the test file, with the
// helpers they share, and reports whether it added any.
func (c *consumerGen) consumerTests(f *jen.File) bool {
	if len(c.handlers) == 0 && len(c.aggregates) == 0 {
		return false
	}
	f.ImportName(storePkg, "store")
	for _, h := range c.handlers {
		addAll(f, c.handlerRecorder(h)...)
		addAll(f, c.dispatcherRoutesTest(h), jen.Line(), c.dispatcherUnknownTest(h), jen.Line())
	}
	for _, a := range c.aggregates {
		addAll(f, c.stateRecorder(a)...)
		addAll(f, c.repositoryTest(a), jen.Line())
	}
	addAll(f, c.consumerTestHelpers()...)
	return true
}

// consumerTestHelpers declares the helpers of the consumer tests: eventgenEnvelope, which makes
// an envelope of a payload given as JSON with New, and eventgenSamePayload.
func (c *consumerGen) consumerTestHelpers() []jen.Code {
	t := func() *jen.Statement { return jen.Id("t") }
	return []jen.Code{
		comment("eventgenEnvelope decodes data as a payload of type P and wraps it in a new envelope with New."),
		jen.Func().Id("eventgenEnvelope").Types(jen.Id("P").Qual(eventPkg, "Payload")).
			Params(jen.Id("t").Op("*").Qual("testing", "T"), jen.Id("data").String()).Qual(eventPkg, "Envelope").Block(
			t().Dot("Helper").Call(),
			jen.Var().Id("p").Id("P"),
			jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Index().Byte().Call(jen.Id("data")), jen.Op("&").Id("p")), jen.Err().Op("!=").Nil()).Block(
				t().Dot("Fatalf").Call(jen.Lit("decode %T: %v"), jen.Id("p"), jen.Err())),
			jen.List(jen.Id("env"), jen.Err()).Op(":=").Id("New").Call(testMetadata.Clone(), jen.Id("p")),
			jen.If(jen.Err().Op("!=").Nil()).Block(t().Dot("Fatalf").Call(jen.Lit("New: %v"), jen.Err())),
			jen.Return(jen.Id("env")),
		),
		jen.Line(),
		comment("eventgenSamePayload reports an error when got and want do not encode to the same JSON."),
		jen.Func().Id("eventgenSamePayload").Params(jen.Id("t").Op("*").Qual("testing", "T"), jen.List(jen.Id("got"), jen.Id("want")).Qual(eventPkg, "Payload")).Block(
			t().Dot("Helper").Call(),
			jen.List(jen.Id("gotJSON"), jen.Id("err1")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("got")),
			jen.List(jen.Id("wantJSON"), jen.Id("err2")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("want")),
			jen.If(jen.Id("err1").Op("!=").Nil().Op("||").Id("err2").Op("!=").Nil()).Block(
				t().Dot("Fatalf").Call(jen.Lit("encode: %v, %v"), jen.Id("err1"), jen.Id("err2"))),
			jen.If(jen.Qual("bytes", "Equal").Call(jen.Id("gotJSON"), jen.Id("wantJSON")).Op("&&").Id("got").Dot("EventType").Call().Op("==").Id("want").Dot("EventType").Call()).Block(
				jen.Return()),
			t().Dot("Errorf").Call(jen.Lit("got %s %s\nwant %s %s"), jen.Id("got").Dot("EventType").Call(), jen.Id("gotJSON"), jen.Id("want").Dot("EventType").Call(), jen.Id("wantJSON")),
		),
		jen.Line(),
	}
}

// payloadEnvelope is an expression that makes a valid envelope of event e in a test (t in
// scope), or nil when no valid payload of e is known.
func (c *consumerGen) payloadEnvelope(e *eventInfo) (*jen.Statement, bool) {
	p, ok := c.validPayload(e.ev)
	if !ok {
		return nil, false
	}
	return jen.Id("eventgenEnvelope").Types(jen.Id(versionName(e.goName, p.version))).Call(jen.Id("t"), stringLit(string(p.data))), true
}

// handlerRecorder declares the recording implementation of <H>Handler that the dispatcher
// tests use.
func (c *consumerGen) handlerRecorder(h *handlerInfo) []jen.Code {
	name := "eventgen" + h.goName + "Recorder"
	out := []jen.Code{
		commentf("%s is a %sHandler that records its calls and returns err.", name, h.goName),
		jen.Type().Id(name).Struct(
			jen.Id("methods").Index().String(),
			jen.Id("payloads").Index().Qual(eventPkg, "Payload"),
			jen.Id("envelopes").Index().Qual(eventPkg, "Envelope"),
			jen.Id("err").Error(),
		),
		jen.Line(),
	}
	for _, e := range h.events {
		method := "Handle" + e.goName
		out = append(out,
			commentf("%s records the call.", method),
			jen.Func().Params(jen.Id("r").Op("*").Id(name)).Id(method).Params(
				jen.Id("_").Qual(contextPkg, "Context"), jen.Id("env").Qual(eventPkg, "Envelope"), jen.Id("e").Id(e.goName),
			).Error().Block(
				jen.Id("r").Dot("methods").Op("=").Append(jen.Id("r").Dot("methods"), jen.Lit(method)),
				jen.Id("r").Dot("payloads").Op("=").Append(jen.Id("r").Dot("payloads"), jen.Id("e")),
				jen.Id("r").Dot("envelopes").Op("=").Append(jen.Id("r").Dot("envelopes"), jen.Id("env")),
				jen.Return(jen.Id("r").Dot("err")),
			),
			jen.Line())
	}
	return out
}

// dispatcherRoutesTest is Test<H>DispatcherRoutes: every event type of the handler reaches its
// method, decoded and upcast as Decode does, with its envelope, and the method's error is the
// dispatcher's.
func (c *consumerGen) dispatcherRoutesTest(h *handlerInfo) jen.Code {
	name := "Test" + h.goName + "DispatcherRoutes"
	rec := "eventgen" + h.goName + "Recorder"
	buildType := jen.Func().Params(jen.Op("*").Qual("testing", "T")).Qual(eventPkg, "Envelope")
	var rows []jen.Code
	for _, e := range h.events {
		method := "Handle" + e.goName
		build := jen.Nil()
		if env, ok := c.payloadEnvelope(e); ok {
			build = jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Qual(eventPkg, "Envelope").Block(jen.Return(env))
		}
		rows = append(rows, jen.Values(jen.Lit(method), jen.Lit(e.ev.Type), build))
	}
	fatal := func(format string, args ...jen.Code) *jen.Statement {
		return jen.Id("t").Dot("Fatalf").Call(append([]jen.Code{jen.Lit(format)}, args...)...)
	}
	doc := fmt.Sprintf(`%s checks that New%sDispatcher routes every event type of handler
%q to its method with the payload Decode gives and the envelope itself, and returns the
method's error.`, name, h.goName, h.h.Name)
	return comment(reflow(doc)).Line().Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("tests").Op(":=").Index().Struct(
			jen.Id("method").String(),
			jen.Id("eventType").String(),
			jen.Id("envelope").Add(buildType),
		).Values(multilineElems(rows)...),
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Id("tests")).Block(
			jen.Id("t").Dot("Run").Call(jen.Id("tt").Dot("eventType"), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
				jen.If(jen.Id("tt").Dot("envelope").Op("==").Nil()).Block(
					jen.Id("t").Dot("Skip").Call(jen.Lit("the spec gives no valid example of this event type and none could be built from its types; add one under examples"))),
				jen.Id("env").Op(":=").Id("tt").Dot("envelope").Call(jen.Id("t")),
				jen.List(jen.Id("want"), jen.Err()).Op(":=").Id("Decode").Call(jen.Id("env")),
				jen.If(jen.Err().Op("!=").Nil()).Block(fatal("Decode: %v", jen.Err())),
				jen.Var().Id("r").Id(rec),
				jen.Id("dispatcher").Op(":=").Id("New"+h.goName+"Dispatcher").Call(jen.Op("&").Id("r")),
				jen.If(jen.Err().Op(":=").Id("dispatcher").Dot("Handle").Call(jen.Qual(contextPkg, "Background").Call(), jen.Id("env")), jen.Err().Op("!=").Nil()).Block(
					fatal("Handle: %v", jen.Err())),
				jen.If(jen.Len(jen.Id("r").Dot("methods")).Op("!=").Lit(1).Op("||").Id("r").Dot("methods").Index(jen.Lit(0)).Op("!=").Id("tt").Dot("method")).Block(
					fatal("the dispatcher called %v, want [%s]", jen.Id("r").Dot("methods"), jen.Id("tt").Dot("method"))),
				jen.Id("eventgenSamePayload").Call(jen.Id("t"), jen.Id("r").Dot("payloads").Index(jen.Lit(0)), jen.Id("want")),
				jen.If(jen.Id("r").Dot("envelopes").Index(jen.Lit(0)).Dot("EventID").Op("!=").Id("env").Dot("EventID")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("the method got envelope %s, want %s"), jen.Id("r").Dot("envelopes").Index(jen.Lit(0)).Dot("EventID"), jen.Id("env").Dot("EventID"))),
				jen.Id("r").Dot("err").Op("=").Qual(errorsPkg, "New").Call(jen.Lit("handler failed")),
				jen.If(jen.Err().Op(":=").Id("dispatcher").Dot("Handle").Call(jen.Qual(contextPkg, "Background").Call(), jen.Id("env")), jen.Op("!").Qual(errorsPkg, "Is").Call(jen.Err(), jen.Id("r").Dot("err"))).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Handle with a failing method = %v, want an error wrapping %v"), jen.Err(), jen.Id("r").Dot("err"))),
			)),
		),
	)
}

// unknownType returns an event type that handler h does not take.
func unknownType(h *handlerInfo) string {
	typ := "eventgen.test.unknown"
	taken := func(s string) bool {
		return slices.ContainsFunc(h.events, func(e *eventInfo) bool { return e.ev.Type == s })
	}
	for taken(typ) {
		typ += "x"
	}
	return typ
}

// dispatcherUnknownTest is Test<H>DispatcherUnknown: an event type the handler does not take
// and a version newer than the package knows are skipped or fail, as the spec's unknown says,
// without calling the handler.
func (c *consumerGen) dispatcherUnknownTest(h *handlerInfo) jen.Code {
	name := "Test" + h.goName + "DispatcherUnknown"
	rec := "eventgen" + h.goName + "Recorder"
	env := func(typ jen.Code, version string) jen.Code {
		return jen.Qual(eventPkg, "Envelope").Values(jen.Dict{
			jen.Id("EventType"): typ,
			jen.Id("Version"):   jen.Lit(version),
			jen.Id("EventID"):   jen.Lit("unknown-1"),
			jen.Id("Data"):      jen.Index().Byte().Call(jen.Lit("{}")),
		})
	}
	rows := []jen.Code{jen.Values(jen.Lit("unknown type"), env(jen.Lit(unknownType(h)), "1.0"), jen.Qual(eventPkg, "ErrUnknownType"))}
	if len(h.events) > 0 {
		e := h.events[0]
		rows = append(rows, jen.Values(jen.Lit("unknown version"),
			env(jen.Id(e.goName+"Type"), fmt.Sprintf("%d.0", e.ev.Latest().Number+1)), jen.Qual(eventPkg, "ErrUnknownVersion")))
	}
	var check jen.Code
	var doc string
	if h.h.Unknown == "fail" {
		doc = fmt.Sprintf(`%s checks that the dispatcher of handler %q fails on an event type it does
not handle and on a version newer than this package knows (unknown: "fail"), without calling
the handler.`, name, h.h.Name)
		check = jen.If(jen.Op("!").Qual(errorsPkg, "Is").Call(jen.Err(), jen.Id("tt").Dot("want"))).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit("Handle = %v, want an error wrapping %v"), jen.Err(), jen.Id("tt").Dot("want")))
	} else {
		doc = fmt.Sprintf(`%s checks that the dispatcher of handler %q skips an event type it does
not handle and a version newer than this package knows (unknown: "skip"), without calling the
handler.`, name, h.h.Name)
		check = jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit("Handle = %v, want nil: the spec says to skip it (it is %v)"), jen.Err(), jen.Id("tt").Dot("want")))
	}
	return comment(reflow(doc)).Line().Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("tests").Op(":=").Index().Struct(
			jen.Id("name").String(),
			jen.Id("env").Qual(eventPkg, "Envelope"),
			jen.Id("want").Error(),
		).Values(multilineElems(rows)...),
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Id("tests")).Block(
			jen.Id("t").Dot("Run").Call(jen.Id("tt").Dot("name"), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
				jen.Var().Id("r").Id(rec),
				jen.Err().Op(":=").Id("New"+h.goName+"Dispatcher").Call(jen.Op("&").Id("r")).Dot("Handle").Call(jen.Qual(contextPkg, "Background").Call(), jen.Id("tt").Dot("env")),
				check,
				jen.If(jen.Len(jen.Id("r").Dot("methods")).Op("!=").Lit(0)).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("the dispatcher called %v, want no call"), jen.Id("r").Dot("methods"))),
			)),
		),
	)
}

// stateRecorder declares the recording implementation of <A>State that the repository test uses.
func (c *consumerGen) stateRecorder(a *aggregateInfo) []jen.Code {
	name := "eventgen" + a.goName + "Recorder"
	out := []jen.Code{
		commentf("%s is a %sState that records the events applied to it.", name, a.goName),
		jen.Type().Id(name).Struct(
			jen.Id("events").Index().Id(a.goName+"Event"),
			jen.Id("envelopes").Index().Qual(eventPkg, "Envelope"),
		),
		jen.Line(),
	}
	for _, e := range a.events {
		method := "Apply" + e.goName
		out = append(out,
			commentf("%s records the event.", method),
			jen.Func().Params(jen.Id("r").Op("*").Id(name)).Id(method).Params(jen.Id("env").Qual(eventPkg, "Envelope"), jen.Id("e").Id(e.goName)).Block(
				jen.Id("r").Dot("events").Op("=").Append(jen.Id("r").Dot("events"), jen.Id("e")),
				jen.Id("r").Dot("envelopes").Op("=").Append(jen.Id("r").Dot("envelopes"), jen.Id("env")),
			),
			jen.Line())
	}
	return out
}

// repositoryTest is Test<A>RepositoryRoundTrip: every event of the aggregate is appended to
// and loaded from a memory store, with its metadata, in the aggregate's stream, under
// optimistic concurrency, and an event whose id field is not the stream's id is refused.
func (c *consumerGen) repositoryTest(a *aggregateInfo) jen.Code {
	name := "Test" + a.goName + "RepositoryRoundTrip"
	rec := "eventgen" + a.goName + "Recorder"
	tt := func(field string) *jen.Statement { return jen.Id("tt").Dot(field) }
	buildType := jen.Func().Params(jen.Op("*").Qual("testing", "T")).Params(jen.Id(a.goName+"Event"), jen.String())
	var rows []jen.Code
	for _, e := range a.events {
		build := jen.Nil()
		idField := e.ev.Latest().Field(a.a.ID)
		if env, ok := c.payloadEnvelope(e); ok && idField != nil {
			build = jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Params(jen.Id(a.goName+"Event"), jen.String()).Block(
				jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("Decode"+e.goName).Call(env),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatalf").Call(jen.Lit("Decode"+e.goName+": %v"), jen.Err())),
				jen.Return(jen.Id("e"), c.idString("e", idField)),
			)
		}
		rows = append(rows, jen.Values(jen.Id(e.goName+"Type"), build))
	}
	ctx := func() *jen.Statement { return jen.Qual(contextPkg, "Background").Call() }
	repo := func() *jen.Statement { return jen.Id("repo") }
	doc := fmt.Sprintf(`%s appends every event type of aggregate %s to a memory store with
%sRepository and loads it back: the same payload, the metadata unchanged, in stream
%q followed by the id, with optimistic concurrency, and an event whose %s is not the
stream's id refused.`, name, a.a.Name, a.goName, a.stream, a.a.ID)
	return comment(reflow(doc)).Line().Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("tests").Op(":=").Index().Struct(
			jen.Id("eventType").String(),
			jen.Id("event").Add(buildType),
		).Values(multilineElems(rows)...),
		jen.For(jen.List(jen.Id("_"), jen.Id("tt")).Op(":=").Range().Id("tests")).Block(
			jen.Id("t").Dot("Run").Call(tt("eventType"), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
				jen.If(tt("event").Op("==").Nil()).Block(
					jen.Id("t").Dot("Skip").Call(jen.Lit("the spec gives no valid example of this event type and none could be built from its types; add one under examples"))),
				jen.List(jen.Id("e"), jen.Id("id")).Op(":=").Add(tt("event")).Call(jen.Id("t")),
				jen.Id("meta").Op(":=").Add(testMetadata.Clone()),
				jen.Id("repo").Op(":=").Id(a.goName+"Repository").Values(jen.Dict{jen.Id("Store"): jen.Qual(storePkg, "NewMemory").Call()}),
				jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(repo()).Dot("Append").Call(ctx(), jen.Id("id").Op("+").Lit("-other"), jen.Lit(0), jen.Id("meta"), jen.Id("e")), jen.Err().Op("==").Nil()).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Append accepted an event whose "+a.a.ID+" is not the stream's id"))),
				jen.List(jen.Id("version"), jen.Err()).Op(":=").Add(repo()).Dot("Append").Call(ctx(), jen.Id("id"), jen.Lit(0), jen.Id("meta"), jen.Id("e")),
				jen.If(jen.Err().Op("!=").Nil().Op("||").Id("version").Op("!=").Lit(1)).Block(
					jen.Id("t").Dot("Fatalf").Call(jen.Lit("Append = %d, %v; want 1, nil"), jen.Id("version"), jen.Err())),
				jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(repo()).Dot("Append").Call(ctx(), jen.Id("id"), jen.Lit(0), jen.Id("meta"), jen.Id("e")), jen.Op("!").Qual(errorsPkg, "Is").Call(jen.Err(), jen.Qual(storePkg, "ErrConflict"))).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("Append at a stale version = %v, want an error wrapping store.ErrConflict"), jen.Err())),
				jen.Var().Id("s").Id(rec),
				jen.List(jen.Id("loaded"), jen.Err()).Op(":=").Add(repo()).Dot("Load").Call(ctx(), jen.Id("id"), jen.Op("&").Id("s")),
				jen.If(jen.Err().Op("!=").Nil().Op("||").Id("loaded").Op("!=").Lit(1).Op("||").Len(jen.Id("s").Dot("events")).Op("!=").Lit(1)).Block(
					jen.Id("t").Dot("Fatalf").Call(jen.Lit("Load = %d, %v with %d events applied; want 1, nil, 1"), jen.Id("loaded"), jen.Err(), jen.Len(jen.Id("s").Dot("events")))),
				jen.Id("eventgenSamePayload").Call(jen.Id("t"), jen.Id("s").Dot("events").Index(jen.Lit(0)), jen.Id("e")),
				jen.If(jen.Id("env").Op(":=").Id("s").Dot("envelopes").Index(jen.Lit(0)), jen.Id("env").Dot("Metadata").Op("!=").Id("meta").Op("||").Id("env").Dot("EventID").Op("==").Lit("")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("stored envelope has id %q and metadata %+v; want an id and %+v"), jen.Id("env").Dot("EventID"), jen.Id("env").Dot("Metadata"), jen.Id("meta"))),
				jen.List(jen.Id("records"), jen.Err()).Op(":=").Add(repo()).Dot("Store").Dot("Load").Call(ctx(), jen.Lit(a.stream).Op("+").Id("id"), jen.Lit(0)),
				jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("records")).Op("!=").Lit(1)).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("stream %q holds %d records (%v), want 1"), jen.Lit(a.stream).Op("+").Id("id"), jen.Len(jen.Id("records")), jen.Err())),
			)),
		),
	)
}

// multilineElems puts each element of a composite literal on a line of its own.
func multilineElems(elems []jen.Code) []jen.Code {
	if len(elems) == 0 {
		return nil
	}
	out := make([]jen.Code, 0, len(elems)+1)
	for _, e := range elems {
		out = append(out, jen.Line().Add(e))
	}
	return append(out, jen.Line())
}
