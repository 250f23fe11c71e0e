package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// Import paths of the standard packages that handler and aggregate code uses.
const (
	contextPkg = "context"
	errorsPkg  = "errors"
)

// handlersFile generates handlers_gen.go: per handler, its interface and its dispatcher. It
// returns nil when the spec has no handler.
func (c *consumerGen) handlersFile() *jen.File {
	if len(c.handlers) == 0 {
		return nil
	}
	f := c.newFile()
	for _, h := range c.handlers {
		addAll(f, c.handlerInterface(h), jen.Line(), c.dispatcherFunc(h), jen.Line())
	}
	return f
}

// typeList names event types for doc comments: "workflow.completed and workflow.started".
func typeList(events []*eventInfo) string {
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = e.ev.Type
	}
	switch len(names) {
	case 0:
		return "no event type"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// handlerInterface declares <H>Handler: one Handle<E> method per event type, taking the
// latest payload type.
func (c *consumerGen) handlerInterface(h *handlerInfo) jen.Code {
	var methods []jen.Code
	for _, e := range h.events {
		methods = append(methods,
			commentf("Handle%s handles a %s event, upcast to the latest version.", e.goName, e.ev.Type),
			jen.Id("Handle"+e.goName).Params(
				jen.Id("ctx").Qual(contextPkg, "Context"),
				jen.Id("env").Qual(eventPkg, "Envelope"),
				jen.Id("e").Id(e.goName),
			).Error())
	}
	doc := fmt.Sprintf(`%sHandler reacts to the events of handler %q: %s.
New%sDispatcher turns an implementation into an event.Handler; a method's error is the
dispatcher's error, so a bus retries the event.`, h.goName, h.h.Name, typeList(h.events), h.goName)
	doc = docLines(reflow(doc), h.h.Doc)
	return comment(doc).Line().Type().Id(h.goName + "Handler").Interface(methods...)
}

// dispatcherFunc declares New<H>Dispatcher. Each case calls the event type's decode function,
// the same one Decode uses, so a dispatcher upcasts exactly as Decode does.
func (c *consumerGen) dispatcherFunc(h *handlerInfo) jen.Code {
	skip := h.h.Unknown != "fail"
	prefix := fmt.Sprintf("handler %s: ", h.h.Name)
	errf := func(format string, args ...jen.Code) *jen.Statement {
		return jen.Qual(fmtPkg, "Errorf").Call(append([]jen.Code{jen.Lit(prefix + format)}, args...)...)
	}
	var cases []jen.Code
	for _, e := range h.events {
		var body []jen.Code
		body = append(body, jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("Decode"+e.goName).Call(jen.Id("env")))
		if skip {
			body = append(body,
				jen.If(jen.Qual(errorsPkg, "Is").Call(jen.Err(), jen.Qual(eventPkg, "ErrUnknownVersion"))).Block(
					jen.Comment(`unknown: "skip": a version newer than this package is not ours to handle.`),
					jen.Return(jen.Nil())))
		}
		body = append(body,
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Return(errf("event %s: %w", jen.Id("env").Dot("EventID"), jen.Err()))),
			jen.If(jen.Err().Op(":=").Id("h").Dot("Handle"+e.goName).Call(jen.Id("ctx"), jen.Id("env"), jen.Id("e")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(errf("%s event %s: %w", jen.Id("env").Dot("EventType"), jen.Id("env").Dot("EventID"), jen.Err()))),
			jen.Return(jen.Nil()),
		)
		cases = append(cases, jen.Case(jen.Id(e.goName+"Type")).Block(body...))
	}
	var unknown jen.Code
	policy := `An event type it does not handle, or a version newer than this package knows, is skipped
(unknown: "skip"): the dispatcher returns nil without calling h.`
	if skip {
		unknown = jen.Return(jen.Nil())
	} else {
		policy = `An event type it does not handle fails with an error wrapping event.ErrUnknownType, and a
version newer than this package knows with one wrapping event.ErrUnknownVersion
(unknown: "fail").`
		unknown = jen.Return(errf("event %s: event type %q: %w", jen.Id("env").Dot("EventID"), jen.Id("env").Dot("EventType"), jen.Qual(eventPkg, "ErrUnknownType")))
	}
	var body []jen.Code
	if len(cases) > 0 {
		body = append(body, jen.Switch(jen.Id("env").Dot("EventType")).Block(cases...))
	}
	body = append(body, unknown)
	doc := fmt.Sprintf(`New%sDispatcher returns the event.Handler of handler %q. It decodes each
envelope with the decode function of its type (Decode%s and the like), which upcasts an
older version to the latest and validates it, and calls the method of h for that type.
%s
A payload that does not decode or validate, and an error of h, are returned wrapped.`,
		h.goName, h.h.Name, firstGoName(h.events), policy)
	return comment(reflow(doc)).Line().
		Func().Id("New"+h.goName+"Dispatcher").Params(jen.Id("h").Id(h.goName+"Handler")).Qual(eventPkg, "Handler").Block(
		jen.Return(jen.Qual(eventPkg, "HandlerFunc").Call(
			jen.Func().Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("env").Qual(eventPkg, "Envelope")).Error().Block(body...))),
	)
}

// firstGoName is the Go name of the first event, for doc comments; "E" when there is none.
func firstGoName(events []*eventInfo) string {
	if len(events) == 0 {
		return "E"
	}
	return events[0].goName
}
