package golang

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
)

// Import path of the event store package that generated repositories use.
const storePkg = "github.com/eventgen/eventgen/runtime/store"

// consumerGen generates the code that consumes events: the typed handlers with their
// dispatchers and the aggregates with their repositories. It shares the generator's model,
// names and diagnostics.
type consumerGen struct {
	*generator
	handlers   []*handlerInfo
	aggregates []*aggregateInfo
}

// handlerInfo is a handler with the Go names derived from it and the events it takes.
type handlerInfo struct {
	h      *spec.Handler
	goName string
	// events are the event types the handler takes, sorted by type.
	events []*eventInfo
}

// aggregateInfo is an aggregate with its Go name and its events.
type aggregateInfo struct {
	a      *spec.Aggregate
	goName string
	// stream is the prefix of the aggregate's stream names: its name in lower case and "-".
	stream string
	// events are the aggregate's event types, sorted by type.
	events []*eventInfo
}

// handlerWhat names a handler the way messages do: handlers."run-dashboard".
func handlerWhat(h *spec.Handler) string { return "handlers." + strconv.Quote(h.Name) }

// aggregateWhat names an aggregate the way messages do: aggregates.Workflow.
func aggregateWhat(a *spec.Aggregate) string { return "aggregates." + a.Name }

// eventInfoByType returns the eventInfo of the event type typ, or nil.
func (g *generator) eventInfoByType(typ string) *eventInfo {
	for _, e := range g.events {
		if e.ev.Type == typ {
			return e
		}
	}
	return nil
}

// declareConsumerNames resolves the events of every handler and aggregate and declares the Go
// names their generated code adds to the package: <H>Handler and New<H>Dispatcher per handler,
// <A>Event, <A>State, Apply<A> and <A>Repository per aggregate.
func (g *generator) declareConsumerNames(pkg *naming.Scope) *consumerGen {
	c := &consumerGen{generator: g}
	for _, h := range g.m.Handlers {
		info := &handlerInfo{h: h, goName: naming.Go(h.Name)}
		what := handlerWhat(h)
		types := slices.Clone(h.On)
		if h.Rule != "" {
			r := g.m.Rule(h.Rule)
			if r == nil {
				g.diags = append(g.diags, spec.Errorf(h.Pos, "%s.rule: unknown rule %q; declare it under rules or fix the name", what, h.Rule))
				continue
			}
			events, err := eventbridge.Events(g.m, r)
			if err != nil {
				g.diags = append(g.diags, spec.Errorf(h.Pos, "%s.rule: %v", what, err))
				continue
			}
			for _, e := range events {
				types = append(types, e.Type)
			}
		}
		slices.Sort(types)
		types = slices.Compact(types)
		for i, typ := range types {
			e := g.eventInfoByType(typ)
			if e == nil {
				pos := h.Pos
				if h.Rule == "" && i < len(h.OnPos) {
					pos = h.OnPos[slices.Index(h.On, typ)]
				}
				g.diags = append(g.diags, spec.Errorf(pos, "%s.on: unknown event type %q; declare it under events or fix the name", what, typ))
				continue
			}
			info.events = append(info.events, e)
		}
		pkg.Declare(info.goName+"Handler", what+" (its handler interface)", h.Pos)
		pkg.Declare("New"+info.goName+"Dispatcher", what+" (its dispatcher constructor)", h.Pos)
		c.handlers = append(c.handlers, info)
	}
	for _, a := range g.m.Aggregates {
		info := &aggregateInfo{a: a, goName: naming.Go(a.Name), stream: strings.ToLower(a.Name) + "-"}
		what := aggregateWhat(a)
		for _, e := range g.events {
			if e.ev.Aggregate == a.Name {
				info.events = append(info.events, e)
			}
		}
		slices.SortFunc(info.events, func(x, y *eventInfo) int { return strings.Compare(x.ev.Type, y.ev.Type) })
		for _, e := range info.events {
			latest := e.ev.Latest()
			if latest == nil {
				continue
			}
			if f := latest.Field(a.ID); f == nil || f.Optional {
				g.diags = append(g.diags, spec.Errorf(latest.Pos, "%s: events of aggregate %s carry its id; add the field %s: string",
					versionWhat(e.ev, latest.Number), a.Name, a.ID))
			}
		}
		pkg.Declare(info.goName+"Event", what+" (its event interface)", a.Pos)
		pkg.Declare(info.goName+"State", what+" (its state interface)", a.Pos)
		pkg.Declare("Apply"+info.goName, what+" (its apply function)", a.Pos)
		pkg.Declare(info.goName+"Repository", what+" (its repository)", a.Pos)
		c.aggregates = append(c.aggregates, info)
	}
	return c
}

// consumerTests adds the tests of the dispatchers and repositories to the test file.
func (g *generator) consumerTests(f *jen.File) bool {
	return g.consumers != nil && g.consumers.consumerTests(f)
}

// files builds handlers_gen.go and aggregates_gen.go, each only when the spec has a handler
// or an aggregate.
func (c *consumerGen) files() []pending {
	var files []pending
	if f := c.handlersFile(); f != nil {
		files = append(files, pending{"handlers_gen.go", f})
	}
	if f := c.aggregatesFile(); f != nil {
		files = append(files, pending{"aggregates_gen.go", f})
	}
	return files
}

// docWidth is the width that generated doc comments of handlers and aggregates wrap at.
const docWidth = 95

// reflow wraps each paragraph of text (paragraphs are separated by a blank line) at docWidth,
// so that doc comments with long interpolated names stay readable.
func reflow(text string) string {
	paras := strings.Split(text, "\n\n")
	for i, p := range paras {
		var b strings.Builder
		n := 0
		for _, w := range strings.Fields(p) {
			switch {
			case n == 0:
			case n+1+len(w) > docWidth:
				b.WriteByte('\n')
				n = 0
			default:
				b.WriteByte(' ')
				n++
			}
			b.WriteString(w)
			n += len(w)
		}
		paras[i] = b.String()
	}
	return strings.Join(paras, "\n\n")
}

// idString is the expression that reads field f of a payload held in variable v as a string:
// the field itself, or a conversion when its Go type is an enum or a named string type.
func (c *consumerGen) idString(v string, f *spec.Field) *jen.Statement {
	read := jen.Id(v).Dot(c.fieldName(f))
	if f.Type != nil && f.Type.Kind == spec.KindString {
		return read
	}
	return jen.String().Call(read)
}
