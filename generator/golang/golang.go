package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
)

// Import paths of the packages that generated code uses besides the standard library.
const (
	eventPkg = "github.com/eventgen/eventgen/runtime/event"
	jsonPkg  = "encoding/json"
	fmtPkg   = "fmt"
)

// Options configure one generation.
type Options struct {
	// Package is the Go package name of the generated files; the caller resolves it (the
	// spec's eventgen.package, or the output directory's last element).
	Package string
}

// Generate returns the Go files for the events and definitions of m: one "<event_type>_gen.go"
// per event type, "types_gen.go" for the definitions, "eventgen_gen.go" with Decode, New and
// Upcast, "handlers_gen.go" with the handler interfaces and dispatchers, "aggregates_gen.go"
// with the aggregates' event and state interfaces and repositories, and "eventgen_gen_test.go"
// with the tests of the spec's examples, dispatchers and repositories, sorted by path.
// Problems of the spec that only generation finds are returned as spec.Diagnostics.
func Generate(m *spec.Model, opts Options) ([]genfile.File, error) {
	if m == nil {
		return nil, fmt.Errorf("generate go: no model")
	}
	if !isIdent(opts.Package) || naming.IsKeyword(opts.Package) {
		return nil, fmt.Errorf("generate go: package name %q is not a valid Go identifier", opts.Package)
	}
	g := newGenerator(m, opts)
	g.declareNames()
	if err := g.diags.Err(); err != nil {
		return nil, err
	}
	g.renders = newRenderQueue()
	todo := g.files()
	if err := g.diags.Err(); err != nil {
		g.renders.finish(nil)
		return nil, err
	}
	files, err := g.renders.finish(todo)
	if err != nil {
		return nil, err
	}
	genfile.Sort(files)
	return files, nil
}

// generator holds the state of one Generate call.
type generator struct {
	m     *spec.Model
	opts  Options
	diags spec.Diagnostics
	// defNames maps a definition's spec name to its Go name.
	defNames map[string]string
	// events are the model's events with their Go names, in model order.
	events []*eventInfo
	// defNeeds memoizes definitionNeedsValidation.
	defNeeds map[string]bool
	// helpers records which package-level generic helpers the generated code calls.
	helpers map[string]bool
	// varNames are the package-level unexported variable and function names handed out.
	varNames map[string]bool
	// converters are the struct conversion helpers generated so far, by name.
	converters map[string]bool
	// fieldNames memoizes the Go names of fields by JSON name (see fieldName).
	fieldNames map[string]string
	// renders renders files while the others are built; Generate sets it (see renderFirst).
	renders *renderQueue
	// consumers generates the handlers and aggregates; declareNames sets it.
	consumers *consumerGen
}

// eventInfo is an event with the Go names derived from it.
type eventInfo struct {
	ev     *spec.Event
	goName string
}

func newGenerator(m *spec.Model, opts Options) *generator {
	g := &generator{
		m: m, opts: opts,
		defNames:   map[string]string{},
		defNeeds:   map[string]bool{},
		helpers:    map[string]bool{},
		varNames:   map[string]bool{},
		converters: map[string]bool{},
	}
	for _, d := range m.Definitions {
		name := d.GoName
		if name == "" {
			name = naming.Go(d.Name)
		}
		g.defNames[d.Name] = name
	}
	for _, e := range m.Events {
		g.events = append(g.events, &eventInfo{ev: e, goName: naming.Go(e.Type)})
	}
	return g
}

// isIdent reports whether s is a valid Go identifier (package names may be lower case).
func isIdent(s string) bool {
	if s == "" || s == "_" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9' || r > 127) {
			return false
		}
	}
	return true
}

// versionName is the Go type of version n of the event with Go name e: E + "V" + N.
func versionName(e string, n int) string { return e + "V" + strconv.Itoa(n) }

// fieldName is the Go name of a field: its @go override, or the JSON name through naming.Go.
// The names are memoized by JSON name: every field is named several times over, and the same
// JSON names recur across the versions and events of a spec.
func (g *generator) fieldName(f *spec.Field) string {
	if f.GoName != "" {
		return f.GoName
	}
	name, ok := g.fieldNames[f.Name]
	if !ok {
		if g.fieldNames == nil {
			g.fieldNames = map[string]string{}
		}
		name = naming.Go(f.Name)
		g.fieldNames[f.Name] = name
	}
	return name
}

// eventWhat names an event the way messages do: events."workflow.started".
func eventWhat(e *spec.Event) string { return "events." + strconv.Quote(e.Type) }

// versionWhat names a version: events."workflow.started".v2.
func versionWhat(e *spec.Event, n int) string { return eventWhat(e) + ".v" + strconv.Itoa(n) }

// snake turns an event type into the stem of its file name: "workflow.node-added" gives
// "workflow_node_added".
func snake(eventType string) string {
	var b strings.Builder
	for _, w := range naming.Words(eventType) {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(strings.ToLower(w))
	}
	return b.String()
}

// newFile starts a generated Go file with the generated-code header.
func (g *generator) newFile() *jen.File {
	f := jen.NewFile(g.opts.Package)
	f.HeaderComment(genfile.GoHeader)
	f.ImportName(eventPkg, "event")
	return f
}

// uniqueVar returns base, or base with the smallest number appended that no other generated
// package-level name of this run has, so that unexported helpers never collide.
func (g *generator) uniqueVar(base string) string {
	name := base
	for i := 2; g.varNames[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	g.varNames[name] = true
	return name
}

// files builds every file; Generate renders them.
func (g *generator) files() []pending {
	var files []pending
	// The handlers and aggregates files first: they grow with the spec, and rendered early they
	// leave the small per-event files to even out the workers' load at the end.
	for _, p := range g.consumers.files() {
		files = append(files, g.renderFirst(p))
	}
	for _, e := range g.events {
		files = append(files, g.renderFirst(pending{snake(e.ev.Type) + "_gen.go", g.eventFile(e)}))
	}
	if len(g.m.Definitions) > 0 {
		files = append(files, pending{"types_gen.go", g.typesFile()})
	}
	if f := g.rulesFile(g.rulePatterns()); f != nil {
		files = append(files, pending{"rules_gen.go", f})
	}
	if test := g.testFile(); test != nil {
		files = append(files, pending{"eventgen_gen_test.go", test})
	}
	// Last: the other files decide which helpers it declares.
	return append(files, pending{"eventgen_gen.go", g.packageFile()})
}

// comment is a // comment of text, one // line per line of text ("//" alone for an empty
// one), so that multi-line doc comments never become /* */ blocks.
func comment(text string) *jen.Statement {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = "//"
		} else {
			lines[i] = "// " + l
		}
	}
	return jen.Comment(strings.Join(lines, "\n"))
}

// commentf is comment of a formatted text.
func commentf(format string, args ...any) *jen.Statement {
	return comment(fmt.Sprintf(format, args...))
}

// multiline is a composite literal of typ with one element a line, in the given order (jen's
// Dict would sort them).
func multiline(typ *jen.Statement, elems []jen.Code) *jen.Statement {
	if len(elems) <= 1 {
		return typ.Values(elems...)
	}
	lines := make([]jen.Code, 0, len(elems)+1)
	for _, e := range elems {
		lines = append(lines, jen.Line().Add(e))
	}
	return typ.Values(append(lines, jen.Line())...)
}
