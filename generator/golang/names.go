package golang

import (
	"strconv"

	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
)

// declareNames derives every Go name that generation will declare and reports, as
// diagnostics, names that collide in the package or in a struct, names that are not usable
// Go identifiers, references to unknown definitions and events without versions.
func (g *generator) declareNames() {
	pkg := naming.NewScope()
	for _, fn := range []string{"Decode", "New", "Upcast"} {
		pkg.Reserve(fn, "the generated function "+fn)
	}
	g.declareRuleNames(pkg)
	for _, d := range g.m.Definitions {
		what := "#" + d.Name
		name := g.defNames[d.Name]
		if d.Type == nil {
			g.diags = append(g.diags, spec.Errorf(d.Pos, "%s has no type", what))
			continue
		}
		pkg.Declare(name, what, d.Pos)
		g.declareType(pkg, d.Type, name, what, false)
	}
	for _, e := range g.events {
		ev := e.ev
		what := eventWhat(ev)
		if !pkg.Declare(e.goName, what, ev.Pos) {
			continue // one message per clash: its derived names would only repeat it
		}
		pkg.Declare(e.goName+"Type", what+" (its type constant)", ev.Pos)
		pkg.Declare(e.goName+"Latest", what+" (its latest-version constant)", ev.Pos)
		pkg.Declare("Decode"+e.goName, what+" (its decode function)", ev.Pos)
		if len(ev.Versions) == 0 {
			g.diags = append(g.diags, spec.Errorf(ev.Pos, "%s has no version; add v1", what))
			continue
		}
		for i, v := range ev.Versions {
			if v.Number != i+1 {
				g.diags = append(g.diags, spec.Errorf(v.Pos, "%s: versions must be v1, v2, ... without gaps; found v%d where v%d belongs", what, v.Number, i+1))
			}
			name := versionName(e.goName, v.Number)
			vwhat := versionWhat(ev, v.Number)
			pkg.Declare(name, vwhat, v.Pos)
			g.declareFields(pkg, v.Fields, name, vwhat, []string{"EventType", "EventVersion", "Validate"})
		}
	}
	g.consumers = g.declareConsumerNames(pkg)
	g.diags = append(g.diags, pkg.Diagnostics()...)
}

// declareType declares the named types an inline type needs (structs, enums) under name, and
// checks the fields of structs. declared says whether name itself is already declared (a
// definition or a version); otherwise an inline struct or enum declares it here.
func (g *generator) declareType(pkg *naming.Scope, t *spec.Type, name, what string, inline bool) {
	switch t.Kind {
	case spec.KindStruct:
		if inline {
			pkg.Declare(name, what+" (its inline struct type)", t.Pos)
		}
		g.declareFields(pkg, t.Fields, name, what, nil)
	case spec.KindEnum:
		if inline {
			pkg.Declare(name, what+" (its enum type)", t.Pos)
		}
		if len(t.Enum) == 0 {
			g.diags = append(g.diags, spec.Errorf(t.Pos, "%s is an enum without values", what))
		}
		for _, v := range t.Enum {
			pkg.Declare(name+naming.Go(v), what+" value "+strconv.Quote(v), t.Pos)
		}
	case spec.KindList, spec.KindMap:
		if t.Elem == nil {
			g.diags = append(g.diags, spec.Errorf(t.Pos, "%s is a %s without an element type", what, t.Kind))
			return
		}
		g.declareType(pkg, t.Elem, name, what, true)
	case spec.KindRef:
		if g.m.Definition(t.Ref) == nil {
			g.diags = append(g.diags, spec.Errorf(t.Pos, "%s refers to #%s, which the spec does not define", what, t.Ref))
		}
	case spec.KindInvalid:
		g.diags = append(g.diags, spec.Errorf(t.Pos, "%s has no type", what))
	}
}

// declareFields checks the Go names of a struct's fields against each other and against the
// methods the struct gets, and declares their inline types.
func (g *generator) declareFields(pkg *naming.Scope, fields []*spec.Field, owner, what string, methods []string) {
	scope := naming.NewScope()
	for _, m := range append(methods, "UnmarshalJSON", "MarshalJSON") {
		scope.Reserve(m, "the generated method "+owner+"."+m)
	}
	for _, f := range fields {
		fwhat := what + "." + f.Name
		goName := g.fieldName(f)
		if !scope.Declare(goName, fwhat, f.Pos) {
			continue
		}
		if f.Type == nil {
			g.diags = append(g.diags, spec.Errorf(f.Pos, "%s has no type", fwhat))
			continue
		}
		g.declareType(pkg, f.Type, owner+goName, fwhat, true)
	}
	g.diags = append(g.diags, scope.Diagnostics()...)
}
