package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// aggregatesFile generates aggregates_gen.go: per aggregate, its sealed event interface, its
// state interface, its apply function and its repository. It returns nil when the spec has no
// aggregate.
func (c *consumerGen) aggregatesFile() *jen.File {
	if len(c.aggregates) == 0 {
		return nil
	}
	f := c.newFile()
	f.ImportName(storePkg, "store")
	for _, a := range c.aggregates {
		addAll(f, c.aggregateEventInterface(a)...)
		addAll(f, c.stateInterface(a), jen.Line(), c.applyFunc(a), jen.Line())
		addAll(f, c.repository(a)...)
	}
	return f
}

// aggregateEventInterface declares the sealed <A>Event interface and the unexported marker
// method that each latest version type of the aggregate's events implements it with.
func (c *consumerGen) aggregateEventInterface(a *aggregateInfo) []jen.Code {
	name := a.goName + "Event"
	marker := "is" + name
	doc := fmt.Sprintf(`%s is any latest-version payload of aggregate %s: %s. The interface is
sealed (only this package's types implement it), so %sRepository.Append takes nothing else.`,
		name, a.a.Name, goNameList(a.events), a.goName)
	out := []jen.Code{
		comment(reflow(doc)),
		jen.Type().Id(name).Interface(
			jen.Qual(eventPkg, "Payload"),
			jen.Id(marker).Params(),
		),
		jen.Line(),
	}
	for _, e := range a.events {
		vname := versionName(e.goName, e.ev.Latest().Number)
		out = append(out,
			commentf("%s marks %s as an event of aggregate %s.", marker, vname, a.a.Name),
			jen.Func().Params(jen.Id(vname)).Id(marker).Params().Block(),
			jen.Line())
	}
	return out
}

// goNameList names Go types for doc comments: "WorkflowCompleted, WorkflowCreated and WorkflowStarted".
func goNameList(events []*eventInfo) string {
	switch len(events) {
	case 0:
		return "it has no event yet"
	case 1:
		return events[0].goName
	}
	out := ""
	for i, e := range events {
		switch {
		case i == 0:
		case i == len(events)-1:
			out += " and "
		default:
			out += ", "
		}
		out += e.goName
	}
	return out
}

// stateInterface declares <A>State: one Apply<E> method per event of the aggregate.
func (c *consumerGen) stateInterface(a *aggregateInfo) jen.Code {
	var methods []jen.Code
	for _, e := range a.events {
		methods = append(methods,
			commentf("Apply%s changes the state by a %s event, upcast to the latest version.", e.goName, e.ev.Type),
			jen.Id("Apply"+e.goName).Params(jen.Id("env").Qual(eventPkg, "Envelope"), jen.Id("e").Id(e.goName)))
	}
	doc := fmt.Sprintf(`%sState is implemented by the user's state of aggregate %s, usually with pointer
receivers: one Apply method per event. Apply methods only change the state; they cannot fail,
because the events they get are stored facts that were validated before they were stored.`, a.goName, a.a.Name)
	doc = docLines(reflow(doc), a.a.Doc)
	return comment(doc).Line().Type().Id(a.goName + "State").Interface(methods...)
}

// applyFunc declares Apply<A>, which decodes one stored envelope with its type's decode
// function (upcasting an older version) and calls the state's Apply method for it.
func (c *consumerGen) applyFunc(a *aggregateInfo) jen.Code {
	fn := "Apply" + a.goName
	errf := func(format string, args ...jen.Code) *jen.Statement {
		return jen.Qual(fmtPkg, "Errorf").Call(append([]jen.Code{jen.Lit(fn + ": " + format)}, args...)...)
	}
	var cases []jen.Code
	for _, e := range a.events {
		cases = append(cases, jen.Case(jen.Id(e.goName+"Type")).Block(
			jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("Decode"+e.goName).Call(jen.Id("env")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(errf("event %s: %w", jen.Id("env").Dot("EventID"), jen.Err()))),
			jen.Id("s").Dot("Apply"+e.goName).Call(jen.Id("env"), jen.Id("e")),
			jen.Return(jen.Nil()),
		))
	}
	var body []jen.Code
	if len(cases) > 0 {
		body = append(body, jen.Switch(jen.Id("env").Dot("EventType")).Block(cases...))
	}
	body = append(body, jen.Return(errf("event %s: event type %q is not an event of aggregate "+a.a.Name+": %w",
		jen.Id("env").Dot("EventID"), jen.Id("env").Dot("EventType"), jen.Qual(eventPkg, "ErrUnknownType"))))
	doc := fmt.Sprintf(`%s decodes one stored envelope of aggregate %s with the decode function of
its type, which upcasts an older version to the latest and validates it, and calls the Apply
method of s for it. Errors wrap event.ErrUnknownType (a type that is not an event of %s),
event.ErrUnknownVersion or an *event.ValidationError.`, fn, a.a.Name, a.a.Name)
	return comment(reflow(doc)).Line().
		Func().Id(fn).Params(jen.Id("s").Id(a.goName+"State"), jen.Id("env").Qual(eventPkg, "Envelope")).Error().Block(body...)
}

// repository declares <A>Repository with its Load and Append methods.
func (c *consumerGen) repository(a *aggregateInfo) []jen.Code {
	name := a.goName + "Repository"
	recv := jen.Id("r").Id(name)
	stream := jen.Lit(a.stream).Op("+").Id("id")
	doc := fmt.Sprintf(`%s keeps the events of aggregate %s in Store, one stream per aggregate id:
the stream of id is %q followed by the id, so aggregates of one store never share a stream.`,
		name, a.a.Name, a.stream)
	typeDecl := comment(reflow(doc)).Line().Type().Id(name).Struct(
		comment("Store holds the streams."),
		jen.Id("Store").Qual(storePkg, "Store"),
	)

	loadDoc := fmt.Sprintf(`Load applies the events of the %s with id to s, in order, upcasting older versions
to the latest as Apply%s does, and returns the stream's version: the number of events
applied, 0 when the stream has none. Pass the version to Append as expected.`, a.a.Name, a.goName)
	load := comment(reflow(loadDoc)).Line().
		Func().Params(recv.Clone()).Id("Load").Params(
		jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("id").String(), jen.Id("s").Id(a.goName+"State"),
	).Params(jen.Id("version").Int64(), jen.Err().Error()).Block(
		jen.List(jen.Id("records"), jen.Err()).Op(":=").Id("r").Dot("Store").Dot("Load").Call(jen.Id("ctx"), stream.Clone(), jen.Lit(0)),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Lit(0), jen.Qual(fmtPkg, "Errorf").Call(jen.Lit("load "+a.a.Name+" %q: %w"), jen.Id("id"), jen.Err()))),
		jen.For(jen.List(jen.Id("_"), jen.Id("rec")).Op(":=").Range().Id("records")).Block(
			jen.If(jen.Err().Op(":=").Id("Apply"+a.goName).Call(jen.Id("s"), jen.Id("rec").Dot("Envelope")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Lit(0), jen.Qual(fmtPkg, "Errorf").Call(jen.Lit("load "+a.a.Name+" %q at version %d: %w"), jen.Id("id"), jen.Id("rec").Dot("Version"), jen.Err()))),
			jen.Id("version").Op("=").Id("rec").Dot("Version"),
		),
		jen.Return(jen.Id("version"), jen.Nil()),
	)

	var idCases []jen.Code
	for _, e := range a.events {
		f := e.ev.Latest().Field(a.a.ID)
		if f == nil {
			continue // reported by declareConsumerNames
		}
		idCases = append(idCases, jen.Case(jen.Id(versionName(e.goName, e.ev.Latest().Number))).Block(
			jen.Id("aggregateID").Op("=").Add(c.idString("e", f))))
	}
	loop := []jen.Code{
		jen.If(jen.Id("e").Op("==").Nil()).Block(
			jen.Return(jen.Lit(0), jen.Qual(fmtPkg, "Errorf").Call(jen.Lit("append to "+a.a.Name+" %q: event %d is nil"), jen.Id("id"), jen.Id("i")))),
		jen.Var().Id("aggregateID").String(),
	}
	if len(idCases) > 0 {
		loop = append(loop, jen.Switch(jen.Id("e").Op(":=").Id("e").Assert(jen.Type())).Block(idCases...))
	}
	loop = append(loop,
		jen.If(jen.Id("aggregateID").Op("!=").Id("id")).Block(
			jen.Return(jen.Lit(0), jen.Qual(fmtPkg, "Errorf").Call(
				jen.Lit("append to "+a.a.Name+" %q: event %d (%s) has "+a.a.ID+" %q; every event of the stream must carry its id"),
				jen.Id("id"), jen.Id("i"), jen.Id("e").Dot("EventType").Call(), jen.Id("aggregateID")))),
		jen.List(jen.Id("env"), jen.Err()).Op(":=").Id("New").Call(jen.Id("meta"), jen.Id("e")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Lit(0), jen.Qual(fmtPkg, "Errorf").Call(jen.Lit("append to "+a.a.Name+" %q: event %d: %w"), jen.Id("id"), jen.Id("i"), jen.Err()))),
		jen.Id("envs").Op("=").Append(jen.Id("envs"), jen.Id("env")),
	)
	appendDoc := fmt.Sprintf(`Append stores events at the end of the stream of the %s with id, all or none, if the
stream's version is still expected (0 for a new %s), and returns the new version. When
another writer came first it returns an error wrapping store.ErrConflict: load again, decide
again, append again. Before anything is stored, every event is validated and its %s must
equal id. Each event gets an envelope from New: a fresh UUIDv7 id, the current UTC time, the
spec's source and a copy of meta, so its correlation and causation ids are those of meta
(event.CausedBy gives the metadata of an event caused by another).`, a.a.Name, a.a.Name, a.a.ID)
	appendFn := comment(reflow(appendDoc)).Line().
		Func().Params(recv.Clone()).Id("Append").Params(
		jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("id").String(), jen.Id("expected").Int64(),
		jen.Id("meta").Qual(eventPkg, "Metadata"), jen.Id("events").Op("...").Id(a.goName+"Event"),
	).Params(jen.Int64(), jen.Error()).Block(
		jen.Id("envs").Op(":=").Make(jen.Index().Qual(eventPkg, "Envelope"), jen.Lit(0), jen.Len(jen.Id("events"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Id("events")).Block(loop...),
		jen.List(jen.Id("version"), jen.Err()).Op(":=").Id("r").Dot("Store").Dot("Append").Call(jen.Id("ctx"), stream.Clone(), jen.Id("expected"), jen.Id("envs").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Lit(0), jen.Qual(fmtPkg, "Errorf").Call(jen.Lit("append to "+a.a.Name+" %q: %w"), jen.Id("id"), jen.Err()))),
		jen.Return(jen.Id("version"), jen.Nil()),
	)
	return []jen.Code{typeDecl, jen.Line(), load, jen.Line(), appendFn, jen.Line()}
}
