package cue

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"

	"github.com/eventgen/eventgen/spec"
)

// loader extracts a spec.Model from the unified, validated CUE value of a spec. It collects
// every problem it finds instead of stopping at the first.
type loader struct {
	root  cue.Value
	names *namer
	diags spec.Diagnostics
	// docs holds the doc comments of shorthand map members (see shorthandDocs).
	docs map[[2]string]string
}

func (l *loader) errorf(p token.Pos, format string, args ...any) {
	l.diags = append(l.diags, spec.Errorf(l.names.pos(p), format, args...))
}

func (l *loader) pos(p token.Pos) spec.Pos { return l.names.pos(p) }

// fields returns the regular fields of a struct value, optional ones included, in CUE's
// order.
func fields(v cue.Value) []fieldValue {
	it, err := v.Fields(cue.Optional(true))
	if err != nil {
		return nil
	}
	var out []fieldValue
	for it.Next() {
		sel := it.Selector()
		if !sel.IsString() {
			continue
		}
		out = append(out, fieldValue{name: sel.Unquoted(), v: it.Value(), optional: it.FieldType()&cue.OptionalConstraint != 0})
	}
	return out
}

type fieldValue struct {
	name     string
	v        cue.Value
	optional bool
}

func (l *loader) model() *spec.Model {
	m := &spec.Model{}
	root := l.root
	settings := root.LookupPath(cue.MakePath(cue.Str("eventgen")))
	if settings.Exists() {
		m.Pos = l.pos(fieldPos(settings))
		m.Source = l.str(settings, "source")
		m.Package = l.str(settings, "package")
		m.Bus = l.str(settings, "bus")
	} else {
		m.Pos = l.firstFilePos()
	}

	it, err := root.Fields(cue.Definitions(true))
	if err == nil {
		for it.Next() {
			sel := it.Selector()
			if sel.IsDefinition() {
				m.Definitions = append(m.Definitions, l.definition(sel, it.Value()))
			}
		}
	}
	aggregates := root.LookupPath(cue.MakePath(cue.Str("aggregates")))
	for _, f := range fields(aggregates) {
		idv := f.v.LookupPath(cue.MakePath(cue.Str("id")))
		m.Aggregates = append(m.Aggregates, &spec.Aggregate{
			Name:  f.name,
			ID:    l.str(f.v, "id"),
			Doc:   l.docIn("aggregates", f.name, f.v),
			Pos:   l.pos(fieldPos(f.v)),
			IDPos: l.pos(fieldPos(idv)),
		})
	}
	events := root.LookupPath(cue.MakePath(cue.Str("events")))
	for _, f := range fields(events) {
		e := l.event(f.name, f.v)
		e.Doc = l.docIn("events", f.name, f.v)
		m.Events = append(m.Events, e)
	}
	for _, f := range fields(root.LookupPath(cue.MakePath(cue.Str("rules")))) {
		m.Rules = append(m.Rules, l.rule(f.name, f.v))
	}
	handlers := root.LookupPath(cue.MakePath(cue.Str("handlers")))
	for _, f := range fields(handlers) {
		h := l.handler(f.name, f.v)
		h.Doc = l.docIn("handlers", f.name, f.v)
		m.Handlers = append(m.Handlers, h)
	}
	m.Sort()
	return m
}

// firstFilePos is the start of the spec's first file, for a model without settings.
func (l *loader) firstFilePos() spec.Pos {
	for _, f := range fields(l.root) {
		if p := l.pos(fieldPos(f.v)); p.IsValid() {
			return spec.Pos{File: p.File, Line: 1, Col: 1}
		}
	}
	return spec.Pos{}
}

// str returns the concrete string at label of v, or "" when it is absent.
func (l *loader) str(v cue.Value, label string) string {
	x := v.LookupPath(cue.MakePath(cue.Str(label)))
	if !x.Exists() {
		return ""
	}
	s, err := x.String()
	if err != nil {
		l.errorf(fieldPos(x), "%s: must be a concrete string", pathOf(x))
	}
	return s
}

// fieldPos returns the position of v in the user's files: the label of the earliest
// declaration of the field holding v, or the start of v's value.
func fieldPos(v cue.Value) token.Pos { return fieldPosOf(conjunctSources(v), v) }

// fieldPosOf is fieldPos given the declarations of v, conjunctSources(v).
func fieldPosOf(srcs []ast.Node, v cue.Value) token.Pos {
	var best token.Pos
	for _, n := range srcs {
		p := n.Pos()
		if f, ok := n.(*ast.Field); ok {
			p = f.Label.Pos()
		}
		if !p.IsValid() || p.Filename() == schemaFile {
			continue
		}
		if !best.IsValid() || p.Filename() < best.Filename() || p.Filename() == best.Filename() && p.Offset() < best.Offset() {
			best = p
		}
	}
	if !best.IsValid() {
		if p := v.Pos(); p.Filename() != schemaFile {
			best = p
		}
	}
	return best
}

// shorthandDocs returns the doc comments written before the shorthand form of a member
// of a top-level map (`events: "x": {...}`, `aggregates: Workflow: id: ...`): CUE attaches
// them to the outer label, so they are read from the syntax, keyed by section and member.
func shorthandDocs(files []*ast.File) map[[2]string]string {
	docs := map[[2]string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			outer, ok := d.(*ast.Field)
			if !ok {
				continue
			}
			section, _, err := ast.LabelName(outer.Label)
			if err != nil {
				continue
			}
			st, ok := outer.Value.(*ast.StructLit)
			if !ok || len(st.Elts) != 1 {
				continue
			}
			inner, ok := st.Elts[0].(*ast.Field)
			if !ok {
				continue
			}
			name, _, err := ast.LabelName(inner.Label)
			if err != nil {
				continue
			}
			var parts []string
			for _, cg := range ast.Comments(outer) {
				if cg.Doc {
					parts = append(parts, strings.TrimSpace(cg.Text()))
				}
			}
			if len(parts) > 0 {
				docs[[2]string{section, name}] = strings.Join(parts, "\n")
			}
		}
	}
	return docs
}

// docIn returns the doc comment of member name of the top-level map section.
func (l *loader) docIn(section, name string, member cue.Value) string {
	if d := docOf(member); d != "" {
		return d
	}
	return l.docs[[2]string{section, name}]
}

// conjunctSources returns the syntax of every declaration of v, usually *ast.Field nodes.
func conjunctSources(v cue.Value) []ast.Node {
	src := v.Source()
	if _, ok := src.(*ast.Field); ok {
		return []ast.Node{src}
	}
	op, args := v.Expr()
	if op != cue.AndOp {
		if src != nil {
			return []ast.Node{src}
		}
		return nil
	}
	var out []ast.Node
	for _, a := range args {
		if s := a.Source(); s != nil {
			out = append(out, s)
		}
	}
	if !slices.ContainsFunc(out, func(n ast.Node) bool { _, ok := n.(*ast.Field); return ok }) && src != nil {
		return []ast.Node{src}
	}
	return out
}

// pathOf names the element at v the way messages do: events."workflow.started".v2.
func pathOf(v cue.Value) string {
	sels := v.Path().Selectors()
	var b strings.Builder
	for i, s := range sels {
		if s.Type() == cue.IndexLabel {
			b.WriteString("[" + s.String() + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// docOf returns the doc comment of the field holding v, without comment markers. It reads
// the comments of the field's declarations: cue.Value.Doc searches the enclosing structs
// too, which is quadratic in the number of events.
func docOf(v cue.Value) string { return docOfSources(conjunctSources(v)) }

// docOfSources is docOf given the declarations of the field, conjunctSources(v).
func docOfSources(srcs []ast.Node) string {
	var parts []string
	for _, n := range srcs {
		f, ok := n.(*ast.Field)
		if !ok {
			continue
		}
		for _, cg := range ast.Comments(f) {
			if t := strings.TrimSpace(cg.Text()); cg.Doc && t != "" && !slices.Contains(parts, t) {
				parts = append(parts, t)
			}
		}
	}
	return strings.Join(parts, "\n")
}

// goName returns the argument of a @go(Name) attribute on the field holding v.
func (l *loader) goName(v cue.Value) string {
	a := v.Attribute("go")
	if a.Err() != nil {
		return ""
	}
	s, err := a.String(0)
	if err != nil || s == "" {
		l.errorf(fieldPos(v), "%s: @go needs a Go name, as in @go(Name)", pathOf(v))
		return ""
	}
	return s
}

// compactJSON returns the concrete value v as compact JSON, keys in the spec's order.
func (l *loader) compactJSON(v cue.Value) json.RawMessage {
	if err := v.Validate(cue.Concrete(true)); err != nil {
		l.errorf(fieldPos(v), "%s: must be a concrete value: %v", pathOf(v), firstLine(err))
		return nil
	}
	b, err := v.MarshalJSON()
	if err != nil {
		l.errorf(fieldPos(v), "%s: cannot be written as JSON: %v", pathOf(v), firstLine(err))
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func (l *loader) definition(sel cue.Selector, v cue.Value) *spec.Definition {
	name := strings.TrimPrefix(sel.String(), "#")
	d := &spec.Definition{
		Name:   name,
		GoName: l.goName(v),
		Doc:    docOf(v),
		Pos:    l.pos(fieldPos(v)),
	}
	d.Type = l.fieldType(sel.String(), v)
	return d
}

func (l *loader) event(typ string, v cue.Value) *spec.Event {
	e := &spec.Event{
		Type:   typ,
		Doc:    docOf(v),
		Pos:    l.pos(fieldPos(v)),
		Source: l.str(v, "source"),
	}
	if a := v.LookupPath(cue.MakePath(cue.Str("aggregate"))); a.Exists() {
		e.Aggregate = l.str(v, "aggregate")
		e.AggregatePos = l.pos(fieldPos(a))
	}
	for _, f := range fields(v) {
		n, ok := versionNumber(f.name)
		if !ok {
			continue
		}
		if n == 0 || f.name != "v"+strconv.Itoa(n) {
			l.errorf(fieldPos(f.v), "%s: versions are named v1, v2, ...; rename %s", pathOf(f.v), f.name)
			continue
		}
		e.Versions = append(e.Versions, l.version(n, f.v))
	}
	slices.SortFunc(e.Versions, func(a, b *spec.Version) int { return cmp.Compare(a.Number, b.Number) })
	for _, f := range fields(v.LookupPath(cue.MakePath(cue.Str("upcast")))) {
		n, ok := versionNumber(f.name)
		if !ok || n == 0 || f.name != "v"+strconv.Itoa(n) {
			l.errorf(fieldPos(f.v), "%s: upcast steps are named after the version they start from: v1, v2, ...", pathOf(f.v))
			continue
		}
		e.Upcasts = append(e.Upcasts, l.upcast(n, f.v))
	}
	slices.SortFunc(e.Upcasts, func(a, b *spec.Upcast) int { return cmp.Compare(a.From, b.From) })
	if ex := v.LookupPath(cue.MakePath(cue.Str("examples"))); ex.Exists() {
		it, err := ex.List()
		if err == nil {
			for it.Next() {
				e.Examples = append(e.Examples, l.example(it.Value()))
			}
		}
	}
	return e
}

// versionNumber parses a version key "vN".
func versionNumber(key string) (int, bool) {
	rest, ok := strings.CutPrefix(key, "v")
	if !ok || rest == "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func (l *loader) version(n int, v cue.Value) *spec.Version {
	return &spec.Version{
		Number: n,
		Doc:    docOf(v),
		Pos:    l.pos(fieldPos(v)),
		Fields: l.structFields(v),
	}
}

func (l *loader) upcast(from int, v cue.Value) *spec.Upcast {
	u := &spec.Upcast{From: from, Pos: l.pos(fieldPos(v))}
	for _, f := range fields(v.LookupPath(cue.MakePath(cue.Str("set")))) {
		u.Set = append(u.Set, &spec.UpcastSet{Field: f.name, Value: l.compactJSON(f.v), Pos: l.pos(fieldPos(f.v))})
	}
	for _, f := range fields(v.LookupPath(cue.MakePath(cue.Str("rename")))) {
		to, err := f.v.String()
		if err != nil {
			l.errorf(fieldPos(f.v), "%s: must be the new field name, a string", pathOf(f.v))
		}
		u.Rename = append(u.Rename, &spec.UpcastRename{From: f.name, To: to, Pos: l.pos(fieldPos(f.v))})
	}
	if d := v.LookupPath(cue.MakePath(cue.Str("drop"))); d.Exists() {
		it, err := d.List()
		if err == nil {
			for it.Next() {
				name, err := it.Value().String()
				if err != nil {
					l.errorf(fieldPos(it.Value()), "%s: must be a field name, a string", pathOf(it.Value()))
					continue
				}
				u.Drop = append(u.Drop, &spec.UpcastDrop{Field: name, Pos: l.pos(fieldPos(it.Value()))})
			}
		}
	}
	if c := v.LookupPath(cue.MakePath(cue.Str("custom"))); c.Exists() {
		b, err := c.Bool()
		if err != nil {
			l.errorf(fieldPos(c), "%s: must be true or false", pathOf(c))
		}
		u.Custom = b
	}
	return u
}

func (l *loader) example(v cue.Value) *spec.Example {
	ex := &spec.Example{Valid: true, Pos: l.pos(fieldPos(v))}
	if n, err := v.LookupPath(cue.MakePath(cue.Str("version"))).Int64(); err == nil {
		ex.Version = int(n)
	} else {
		l.errorf(fieldPos(v), "%s.version: must be a version number", pathOf(v))
	}
	ex.Data = l.compactJSON(v.LookupPath(cue.MakePath(cue.Str("data"))))
	if lt := v.LookupPath(cue.MakePath(cue.Str("latest"))); lt.Exists() {
		ex.Latest = l.compactJSON(lt)
	}
	if vv := v.LookupPath(cue.MakePath(cue.Str("valid"))); vv.Exists() {
		b, err := vv.Bool()
		if err != nil {
			l.errorf(fieldPos(vv), "%s: must be true or false", pathOf(vv))
		}
		ex.Valid = b
	}
	return ex
}

func (l *loader) rule(name string, v cue.Value) *spec.Rule {
	r := &spec.Rule{
		Name:        name,
		Description: l.str(v, "description"),
		Bus:         l.str(v, "bus"),
		Pos:         l.pos(fieldPos(v)),
	}
	if on := v.LookupPath(cue.MakePath(cue.Str("on"))); on.Exists() {
		it, err := on.List()
		if err == nil {
			for it.Next() {
				item := it.Value()
				if s, err := item.String(); err == nil {
					r.On = append(r.On, &spec.OnItem{Type: s, Pos: l.pos(fieldPos(item))})
				} else {
					r.On = append(r.On, &spec.OnItem{Matcher: l.compactJSON(item), Pos: l.pos(fieldPos(item))})
				}
			}
		}
	}
	if match := v.LookupPath(cue.MakePath(cue.Str("match"))); match.Exists() {
		r.Match = l.compactJSON(match)
		r.MatchPos = map[string]spec.Pos{}
		l.matchPositions(match, "", r.MatchPos)
	}
	if ts := v.LookupPath(cue.MakePath(cue.Str("tenantScoped"))); ts.Exists() {
		b, err := ts.Bool()
		if err != nil {
			l.errorf(fieldPos(ts), "%s: must be true or false", pathOf(ts))
		}
		r.TenantScoped = b
	}
	if p := v.LookupPath(cue.MakePath(cue.Str("pattern"))); p.Exists() {
		r.Pattern = l.compactJSON(p)
	}
	ex := v.LookupPath(cue.MakePath(cue.Str("examples")))
	r.Examples.Matches = l.ruleExamples(ex.LookupPath(cue.MakePath(cue.Str("matches"))))
	r.Examples.Rejects = l.ruleExamples(ex.LookupPath(cue.MakePath(cue.Str("rejects"))))
	if t := v.LookupPath(cue.MakePath(cue.Str("targets"))); t.Exists() {
		it, err := t.List()
		if err == nil {
			for it.Next() {
				tv := it.Value()
				target := &spec.Target{
					ARN:           l.str(tv, "arn"),
					DeadLetterARN: l.str(tv, "deadLetterArn"),
					Pos:           l.pos(fieldPos(tv)),
				}
				target.MaxRetries = l.optInt(tv, "maxRetries")
				target.MaxEventAgeSeconds = l.optInt(tv, "maxEventAgeSeconds")
				r.Targets = append(r.Targets, target)
			}
		}
	}
	return r
}

func (l *loader) optInt(v cue.Value, label string) *int {
	x := v.LookupPath(cue.MakePath(cue.Str(label)))
	if !x.Exists() {
		return nil
	}
	n, err := x.Int64()
	if err != nil {
		l.errorf(fieldPos(x), "%s: must be a concrete integer", pathOf(x))
		return nil
	}
	i := int(n)
	return &i
}

// matchPositions records the position of every dotted path of a rule's match.
func (l *loader) matchPositions(v cue.Value, prefix string, out map[string]spec.Pos) {
	if v.IncompleteKind() != cue.StructKind {
		return
	}
	for _, f := range fields(v) {
		p := f.name
		if prefix != "" {
			p = prefix + "." + f.name
		}
		out[p] = l.pos(fieldPos(f.v))
		l.matchPositions(f.v, p, out)
	}
}

func (l *loader) ruleExamples(v cue.Value) []*spec.RuleExample {
	if !v.Exists() {
		return nil
	}
	it, err := v.List()
	if err != nil {
		return nil
	}
	var out []*spec.RuleExample
	for it.Next() {
		ev := it.Value()
		ex := &spec.RuleExample{Type: l.str(ev, "type"), Pos: l.pos(fieldPos(ev))}
		if n, err := ev.LookupPath(cue.MakePath(cue.Str("version"))).Int64(); err == nil {
			ex.Version = int(n)
		} else {
			l.errorf(fieldPos(ev), "%s.version: must be a version number", pathOf(ev))
		}
		if md := ev.LookupPath(cue.MakePath(cue.Str("metadata"))); md.Exists() {
			ex.Metadata = l.compactJSON(md)
		}
		ex.Data = l.compactJSON(ev.LookupPath(cue.MakePath(cue.Str("data"))))
		out = append(out, ex)
	}
	return out
}

func (l *loader) handler(name string, v cue.Value) *spec.Handler {
	h := &spec.Handler{
		Name:    name,
		Doc:     docOf(v),
		Rule:    l.str(v, "rule"),
		Unknown: l.str(v, "unknown"),
		Pos:     l.pos(fieldPos(v)),
	}
	if h.Unknown == "" {
		h.Unknown = "skip"
	}
	if on := v.LookupPath(cue.MakePath(cue.Str("on"))); on.Exists() {
		it, err := on.List()
		if err == nil {
			for it.Next() {
				s, err := it.Value().String()
				if err != nil {
					l.errorf(fieldPos(it.Value()), "%s: must be an event type", pathOf(it.Value()))
					continue
				}
				h.On = append(h.On, s)
				h.OnPos = append(h.OnPos, l.pos(fieldPos(it.Value())))
			}
		}
	}
	return h
}
